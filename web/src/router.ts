// Hash routing: #/members/DV000123?as_of=2018-05-22. Works from any static
// server (no fallback route needed) and every view can be linked and reloaded.

import type { Params } from './api';
import { today } from './i18n';

export interface Route { parts: string[]; query: URLSearchParams }

export function current(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?', 2);
  return {
    parts: path.split('/').filter(Boolean).map((p) => decodeURIComponent(p)),
    query: new URLSearchParams(qs ?? ''),
  };
}

/** "#/path?query", without empty parameters. */
export function href(path: string, query: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${path.replace(/^\//, '')}${s ? `?${s}` : ''}`;
}

/** Goes to a view; replace keeps the browser history short (search as you type). */
export function go(path: string, query: Params = {}, replace = false): void {
  const target = href(path, query);
  if (target === location.hash) return;
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = target;
}

/** Puts a view's state in the address without drawing the view again (search as you type). */
export function replaceQuiet(path: string, query: Params = {}): void {
  history.replaceState(null, '', href(path, query));
}

/** The date the user last chose: carried from view to view (not today when it is today). */
let chosenDate = sessionStorage.getItem('coso.as_of') ?? '';
export function rememberDate(d: string): void {
  chosenDate = d === today() ? '' : d;
  if (chosenDate) sessionStorage.setItem('coso.as_of', chosenDate);
  else sessionStorage.removeItem('coso.as_of');
}
export function dateOf(route: Route): string {
  return route.query.get('as_of') || chosenDate || today();
}
/** as_of for a link: only when it is not today. */
export const asOfParam = (d: string): string | undefined => (d === today() ? undefined : d);
