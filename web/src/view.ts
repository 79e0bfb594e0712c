// What a view receives: the element to fill, the route, and a signal that is
// aborted when the user leaves (so slow answers for a page left behind are dropped).

import type { Route } from './router';

export interface ViewCtx {
  main: HTMLElement;
  route: Route;
  signal: AbortSignal;
  setTitle(title: string): void;
}

export type View = (ctx: ViewCtx) => void | Promise<void>;
