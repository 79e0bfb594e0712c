// The charts drawn by the current view, destroyed when the user leaves it.
// Kept apart from charts.ts so that the shell does not load Chart.js.

import { h } from './dom';

const live = new Set<{ destroy(): void }>();

export const track = (c: { destroy(): void }): void => { live.add(c); };

export function destroyCharts(): void {
  for (const c of live) c.destroy();
  live.clear();
}

/** A canvas in a sized box, described for screen readers. */
export function chartBox(aria: string, height: number): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { role: 'img', 'aria-label': aria });
  const box = h('div', { class: 'chart', style: `height:${height}px` }, canvas);
  return { box, canvas };
}

/** Chart.js and its set-up, fetched once, when the first chart is drawn. */
export const loadCharts = () => import('./charts');
