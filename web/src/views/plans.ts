// Plans (docs/PLANS.md): the dashboard's panel of a resolution's targets
// (each target year by year and over the period, for the scope and its
// units), and the page of the written report with its documents.

import { get, isAbort, type Params } from '../api';
import { fill, h, type Child } from '../dom';
import { fmtDate, fmtDec, fmtInt, t, today, type Key } from '../i18n';
import { dateOf, go, href } from '../router';
import type { ViewCtx } from '../view';
import { dateField, errorBox, loading, panel } from '../widgets';

export interface Resolution {
  code: string; issuer: string; number: string; issued_on: string; title: string; scope_code: string;
  period_from: string; period_to: string; targets?: Target[];
}
export interface Target {
  code: string; label: string; indicator: string; indicator_label: string; kind: 'count' | 'reduce' | 'share';
  per: 'year' | 'period'; value_min: number; value_max: number | null; baseline_on: string | null; scope_code: string | null;
}
export interface Cell {
  status: 'none' | 'pending' | 'met' | 'not_met' | 'on_track' | 'behind'; year?: number; read_on?: string;
  actual?: number | null; required?: number | null; start?: number; end?: number; total?: number; above_max?: boolean;
}
export interface TargetsReport {
  resolution: Resolution; as_of: string; tree_as_of: string;
  years: { year: number; from: string; to: string }[];
  targets: Target[];
  units: { code: string; name: string; level: string; parent: string | null;
    targets: { code: string; applies: boolean; years: Cell[]; period: Cell }[] }[];
}

/** The resolution in force on day d (its period holds d), else the latest before it. */
export function resolutionFor(list: Resolution[], d: string): Resolution | null {
  const inForce = list.filter((r) => r.period_from <= d && d < r.period_to);
  if (inForce.length) return inForce.sort((a, b) => b.issued_on.localeCompare(a.issued_on))[0];
  const before = list.filter((r) => r.period_from <= d).sort((a, b) => b.period_from.localeCompare(a.period_from));
  return before[0] ?? null;
}

const lastDay = (r: Resolution) => {
  const d = new Date(`${r.period_to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** "2.150 / 2.000" or "10,4% / 15%"; a count's requirement is shown rounded up. */
function cellText(tg: Target, c: Cell): string {
  if (c.status === 'pending') return '';
  const pct = (x: number) => `${fmtDec(x)}%`;
  const a = c.actual === null || c.actual === undefined ? '–' : tg.kind === 'count' ? fmtInt(c.actual) : pct(c.actual);
  if (c.required === null || c.required === undefined) return a;
  return `${a} / ${tg.kind === 'count' ? fmtInt(c.required) : pct(c.required)}`;
}

function statusBadge(c: Cell): HTMLElement {
  return h('span', { class: `target-status ts-${c.status}`, 'data-status': c.status },
    t(`plans.status.${c.status}` as Key), c.above_max && c.status === 'met' ? ` · ${t('plans.aboveMax')}` : '');
}

function targetValue(tg: Target): string {
  const v = (x: number) => (tg.kind === 'count' ? fmtInt(x) : `${fmtDec(x)}%`);
  const range = tg.value_max !== null ? `${v(tg.value_min)}–${v(tg.value_max)}` : tg.kind === 'count' ? v(tg.value_min) : `≥ ${v(tg.value_min)}`;
  return `${range} ${tg.per === 'year' ? t('plans.perYear') : t('plans.perPeriod')}`;
}

/** The table of one unit: a row per target, a column per year and the period. */
function unitTable(r: TargetsReport, unit: TargetsReport['units'][number]): HTMLElement {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data targets', 'data-unit': unit.code },
    h('caption', { class: 'sr-only' }, t('plans.caption', { unit: unit.name })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('plans.target')),
      r.years.map((y) => h('th', { scope: 'col', class: 'num' }, String(y.year))),
      h('th', { scope: 'col', class: 'num' }, t('plans.period')))),
    h('tbody', null, unit.targets.map((ut) => {
      const tg = r.targets.find((x) => x.code === ut.code)!;
      const td = (c: Cell) => h('td', { class: 'num', 'data-year': c.year ?? 'period' },
        c.status === 'pending' ? h('span', { class: 'muted' }, t('plans.status.pending')) : [h('span', { class: 'tv' }, cellText(tg, c)), ' ',
          c.status !== 'none' ? statusBadge(c) : null]);
      return h('tr', { 'data-target': ut.code },
        h('th', { scope: 'row' }, tg.label, h('small', { class: 'muted block' }, ut.applies ? targetValue(tg) : t('plans.noAllotment'))),
        ut.years.map(td), td(ut.period));
    }))));
}

/** The units under the scope, one row each with the period's status of each target. */
function childrenTable(r: TargetsReport, parent: string, link: (code: string) => string): HTMLElement | null {
  const kids = r.units.filter((u) => u.parent === parent);
  if (!kids.length) return null;
  const shown = r.targets.filter((tg) => kids.some((u) => u.targets.find((x) => x.code === tg.code)?.applies || tg.kind === 'count'));
  return h('details', { class: 'chart-data', open: kids.length <= 12 },
    h('summary', null, t('plans.byUnit', { n: kids.length })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data small targets-units' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('children.unit')),
        shown.map((tg) => h('th', { scope: 'col', class: 'num' }, tg.label)))),
      h('tbody', null, kids.map((u) => h('tr', { 'data-unit': u.code },
        h('th', { scope: 'row' }, h('a', { href: link(u.code) }, u.name)),
        shown.map((tg) => {
          const c = u.targets.find((x) => x.code === tg.code)!.period;
          return h('td', { class: 'num' }, cellText(tg, c), ' ', c.status !== 'none' && c.status !== 'pending' ? statusBadge(c) : null);
        })))))));
}

/** The dashboard's panel: the resolution in force on asOf (or the one chosen), for scope. */
export async function plansPanel(box: HTMLElement, o: {
  scope: string; asOf: string; signal: AbortSignal; link: (scope: string) => string;
}): Promise<void> {
  fill(box, loading());
  let list: Resolution[];
  try {
    list = (await get<{ resolutions: Resolution[] }>('resolutions', {}, o.signal)).resolutions;
  } catch (e) {
    if (!isAbort(e)) fill(box, panel(t('plans.title'), { id: 'targets' }, errorBox(e)));
    return;
  }
  if (!list.length) {
    fill(box, panel(t('plans.title'), { id: 'targets' }, h('p', { class: 'muted' }, t('plans.none'))));
    return;
  }
  let chosen = resolutionFor(list, o.asOf) ?? list[0];
  const body = h('div');
  const select = h('select', { id: 'resolution-select', 'aria-label': t('plans.choose'),
    onchange: () => { chosen = list.find((r) => r.code === select.value) ?? chosen; void show(); } },
  list.map((r) => h('option', { value: r.code, selected: r.code === chosen.code },
    `${r.number} (${fmtDate(r.issued_on)}), ${r.period_from.slice(0, 4)}–${lastDay(r).slice(0, 4)}`)));
  const sub = h('p', { class: 'panel-sub' });
  fill(box, panel(t('plans.title'), { id: 'targets', actions: h('label', { class: 'field compact' }, select) }, sub, body));

  async function show(): Promise<void> {
    fill(body, loading());
    const params: Params = { resolution: chosen.code, as_of: o.asOf, depth: 1 };
    if (o.scope && o.scope !== chosen.scope_code) params.scope = o.scope;
    try {
      const r = await get<TargetsReport>('reports/targets', params, o.signal);
      fill(sub, t('plans.sub', { number: r.resolution.number, date: fmtDate(r.resolution.issued_on),
        issuer: r.resolution.issuer, asOf: fmtDate(r.as_of), tree: fmtDate(r.tree_as_of) }));
      const top = r.units[0];
      const end = r.as_of < r.resolution.period_to ? r.as_of : lastDay(r.resolution);
      fill(body, h('p', { class: 'muted' }, r.resolution.title), unitTable(r, top), childrenTable(r, top.code, o.link),
        h('p', null, h('a', { class: 'button', id: 'narrative-link',
          href: href('narrative', { scope: top.code, from: r.resolution.period_from, as_of: end }) }, t('narrative.link'))));
    } catch (e) {
      if (isAbort(e)) return;
      fill(body, h('p', { class: 'muted' }, t('plans.outside')), errorBox(e));
    }
  }
  await show();
}

/* ---------- the written report ---------- */

interface Narrative { from: string; to: string; paragraphs: { level: number; text: string }[] }
interface DocFile { filename: string; content_type: string; encoding: 'utf-8' | 'base64'; content: string }

function download(f: DocFile): void {
  const bytes = f.encoding === 'base64' ? Uint8Array.from(atob(f.content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(f.content);
  const url = URL.createObjectURL(new Blob([bytes], { type: f.content_type }));
  const a = h('a', { href: url, download: f.filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function narrativeView(ctx: ViewCtx): Promise<void> {
  const { route, signal } = ctx;
  const to = dateOf(route);
  const from = route.query.get('from') || '2016-01-01';
  const scope = route.query.get('scope') || '';
  const params = (f: string, t2: string): Params => ({ from: f, to: t2, scope: scope || undefined });
  const goWith = (q: Record<string, string | undefined>) => go('narrative', { from, as_of: to === today() ? undefined : to, scope: scope || undefined, ...q });
  const fromBox = dateField({ label: t('narrative.from'), value: from, compact: true, onChange: (d) => goWith({ from: d }) });
  const toBox = dateField({ label: t('narrative.to'), value: to, compact: true, onChange: (d) => goWith({ as_of: d }) });
  fromBox.input.dataset.key = 'from';
  toBox.input.dataset.key = 'to';
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const docButton = (fmt: 'fodt' | 'xlsx', label: Key) => h('button', {
    type: 'button', class: 'button', id: `download-${fmt}`,
    onclick: async () => {
      status.textContent = t('narrative.preparing');
      try {
        download(await get<DocFile>('reports/narrative', { ...params(from, to), format: fmt }, signal));
        status.textContent = '';
      } catch (e) { if (!isAbort(e)) status.textContent = (e as Error).message; }
    },
  }, t(label));
  const article = h('article', { class: 'narrative', id: 'narrative', 'aria-live': 'polite' }, loading());
  fill(ctx.main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, t('narrative.title'))),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': t('narrative.title') },
        h('div', { class: 'tool' }, fromBox.root), h('div', { class: 'tool' }, toBox.root),
        h('div', { class: 'tool tool-end' }, docButton('fodt', 'narrative.fodt'), docButton('xlsx', 'narrative.xlsx'),
          h('a', { class: 'button', href: href('dashboard', { scope: scope || undefined, as_of: to }) }, t('narrative.back'))))),
    status, article);
  if (to < from) {
    fill(article, h('div', { class: 'alert alert-error', role: 'alert' }, t('narrative.order')));
    return;
  }
  try {
    const n = await get<Narrative>('reports/narrative', params(from, to), signal);
    ctx.setTitle(`${t('narrative.title')} · ${fmtDate(n.from)} – ${fmtDate(n.to)}`);
    const nodes: Child[] = n.paragraphs.map((p) =>
      p.level === 1 ? h('h2', { class: 'narrative-title' }, p.text) : p.level === 2 ? h('h3', null, p.text) : h('p', null, p.text));
    fill(article, ...nodes);
  } catch (e) {
    if (!isAbort(e)) fill(article, errorBox(e, () => location.reload()));
  }
}
