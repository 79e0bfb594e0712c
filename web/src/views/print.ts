// The as-of report laid out for one A4 page (portrait): the text report of
// the CLI, as a document to sign and file.

import { get, type AsOfReport, type Figures, type UnitDetail } from '../api';
import { fill, h, icon } from '../dom';
import { fmtDate, fmtInt, fmtPct, t, today } from '../i18n';
import { profileLine } from '../report';
import { asOfParam, dateOf, href } from '../router';
import type { ViewCtx } from '../view';
import { errorBox, loading } from '../widgets';

export async function printView(ctx: ViewCtx): Promise<void> {
  const asOf = dateOf(ctx.route);
  const scope = ctx.route.query.get('scope') || '';
  const sheet = h('article', { class: 'sheet' }, loading());
  fill(ctx.main,
    h('div', { class: 'print-bar no-print' },
      h('a', { class: 'button', href: href('dashboard', { scope, as_of: asOfParam(asOf) }) }, '‹ ', t('print.back')),
      h('p', { class: 'muted' }, t('print.hint')),
      h('button', { type: 'button', class: 'button primary', onclick: () => window.print() }, icon('print'), t('print.button'))),
    sheet);
  let r: AsOfReport;
  let level: string | undefined;
  try {
    r = await get<AsOfReport>('reports/asof', { as_of: asOf, scope }, ctx.signal);
    if (r.scope.code) {
      level = (await get<UnitDetail>(`units/${encodeURIComponent(r.scope.code)}`, { as_of: asOf }, ctx.signal).catch(() => null))?.unit?.level;
    }
  } catch (e) {
    fill(sheet, errorBox(e));
    return;
  }
  ctx.setTitle(`${t('print.title')} · ${r.scope.name} · ${fmtDate(asOf)}`);
  // Many units under the scope (45 communes under a province since 2025): a denser sheet, still one A4 page.
  sheet.classList.toggle('dense', r.children.length > 12);
  sheet.classList.toggle('very-dense', r.children.length > 30);
  const v = r.villages;
  const line = (label: string, n: number, whole?: number, sub = false) =>
    h('tr', { class: sub ? 'sub' : '' }, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, fmtInt(n)),
      h('td', { class: 'num' }, whole === undefined ? '' : fmtPct(n, whole)));
  const indicatorTable = (rows: HTMLElement[]) => h('table', { class: 'sheet-table indicators' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('print.indicator')), h('th', { scope: 'col', class: 'num' }, t('print.count')), h('th', { scope: 'col', class: 'num' }, t('print.rate')))),
    h('tbody', null, rows));
  const frac = (f: { with_org: number; total: number }) => `${fmtInt(f.with_org)}/${fmtInt(f.total)}`;
  const childRow = (c: Figures & { name: string }, total = false) => h('tr', { class: total ? 'total' : '' },
    h(total ? 'th' : 'td', total ? { scope: 'row' } : null, c.name),
    h('td', { class: 'num' }, fmtInt(c.villages.total)),
    h('td', { class: 'num' }, fmtInt(c.villages.with_org)),
    h('td', { class: 'num' }, fmtPct(c.villages.with_org, c.villages.total)),
    h('td', { class: 'num' }, fmtInt(c.villages.without_member)),
    h('td', { class: 'num' }, frac(c.schools)),
    h('td', { class: 'num' }, frac(c.health_stations)),
    h('td', { class: 'num' }, fmtInt(c.members.total)));
  fill(sheet,
    h('header', { class: 'sheet-head' },
      h('p', { class: 'sheet-org' }, r.scope.name),
      h('h1', null, t('print.title')),
      h('p', { class: 'sheet-sub' }, t('print.subtitle', { scope: r.scope.name, code: r.scope.code || '—', date: fmtDate(r.as_of) }))),
    h('p', { class: 'sheet-profile' }, profileLine(r.units, level)),
    h('div', { class: 'indicators-grid' },
      indicatorTable([
        line(t('print.villages'), v.total),
        line(t('print.withOrg'), v.with_org, v.total, true),
        line(t('print.withoutOrg'), v.without_org, v.total, true),
        line(t('print.white'), v.without_member, v.total, true),
        line(t('print.members'), r.members.total),
        line(t('print.official'), r.members.official, r.members.total, true),
        line(t('print.probationary'), r.members.probationary, r.members.total, true),
      ]),
      indicatorTable([
        line(t('print.schools'), r.schools.total),
        line(t('print.withOrg'), r.schools.with_org, r.schools.total, true),
        line(t('print.health'), r.health_stations.total),
        line(t('print.withOrg'), r.health_stations.with_org, r.health_stations.total, true),
      ])),
    r.children.length ? [
      h('h2', null, t('print.children', { n: r.children.length })),
      h('table', { class: 'sheet-table children' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('children.unit')),
          h('th', { scope: 'col', class: 'num' }, t('children.villages')),
          h('th', { scope: 'col', class: 'num' }, t('children.withOrg')),
          h('th', { scope: 'col', class: 'num' }, t('children.rate')),
          h('th', { scope: 'col', class: 'num' }, t('children.white')),
          h('th', { scope: 'col', class: 'num' }, t('children.schools')),
          h('th', { scope: 'col', class: 'num' }, t('children.health')),
          h('th', { scope: 'col', class: 'num' }, t('children.members')))),
        h('tbody', null, r.children.map((c) => childRow(c))),
        h('tfoot', null, childRow({ ...r, name: t('children.sum') }, true))),
    ] : null,
    h('footer', { class: 'sheet-foot' }, t('print.generated', { date: fmtDate(today()) })));
}
