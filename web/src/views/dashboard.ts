// The dashboard: key figures of a scope on a date, its units side by side,
// the trend since 2015, admissions per quarter, and a comparison of two dates.

import {
  get, isAbort, type AdmissionPoint, type AsOfReport, type CompareReport, type Figures, type FlowReport,
  type TimelinePoint, type UnitDetail,
} from '../api';
import { chartBox, loadCharts } from '../chart-registry';
import { COLORS } from '../colors';
import { fill, h, icon, type Child } from '../dom';
import { fmtDate, fmtDec, fmtDelta, fmtInt, fmtPct, pct, t, today } from '../i18n';
import { profileLine, villageRate } from '../report';
import { asOfParam, dateOf, go, href, rememberDate } from '../router';
import type { ViewCtx } from '../view';
import { plansPanel } from './plans'; // plans
import { partyPanel } from './party'; // party
import { breadcrumb, dateField, errorBox, into, loading, panel, sortableTable, type Column } from '../widgets';
import { cadresPanel } from './cadres'; // cadres
import { servicesPanel } from './services'; // services

const ARTICLE_DAY = '2018-05-22';
const TERM_START = '2016-01-01';
const SERIES_FROM = '2015-01-01';

type Child1 = Figures & { code: string; name: string };

export async function dashboard(ctx: ViewCtx): Promise<void> {
  const { route, signal } = ctx;
  // Ask for the chart code before the reports: the server has one worker per
  // core, and two slow reports (time line, admissions) would make it wait.
  void loadCharts();
  const asOf = dateOf(route);
  const compare = route.query.get('compare') || '';
  let scope = route.query.get('scope') || '';
  // plans: both dates on the map of the later one (tree_as_of)
  const tree = compare && route.query.get('tree') === '1' ? '1' : undefined;
  const treeDay = compare > asOf ? compare : asOf;
  const link = (q: Record<string, string | undefined>) => href('dashboard', { scope, as_of: asOfParam(asOf), compare, tree, ...q });
  const goWith = (q: Record<string, string | undefined>) =>
    go('dashboard', { scope, as_of: asOfParam(asOf), compare: compare || undefined, tree, ...q });

  // The toolbar: date, the article's day, today; comparison date; print.
  const dateBox = dateField({
    label: t('dash.asOf'), value: asOf, compact: true,
    onChange: (d) => { rememberDate(d); goWith({ as_of: asOfParam(d) }); },
  });
  dateBox.input.dataset.key = 'as_of';
  const cmpBox = dateField({
    label: t('dash.compare'), value: compare, compact: true,
    onChange: (d) => goWith({ compare: d }),
  });
  cmpBox.input.dataset.key = 'compare';
  const quick = (label: string, title: string, target: string, key: string) => h('button', {
    type: 'button', class: `button quick${asOf === target && key === 'as_of' ? ' on' : ''}`, title, 'data-key': `${key}-${target}`,
    'aria-pressed': key === 'as_of' ? String(asOf === target) : String(compare === target),
    onclick: () => {
      if (key === 'as_of') { rememberDate(target); goWith({ as_of: asOfParam(target) }); } else goWith({ compare: target });
    },
  }, label);
  const heading = h('h1', { id: 'page-title', tabindex: -1 }, t('dash.title'));
  const crumbs = h('div', { class: 'crumbs' });
  const toolbar = h('div', { class: 'toolbar', role: 'group', 'aria-label': t('dash.asOf') },
    h('div', { class: 'tool' }, dateBox.root,
      h('div', { class: 'quick-row' },
        quick(t('dash.articleDay'), t('dash.articleDayTitle'), ARTICLE_DAY, 'as_of'),
        quick(t('common.today'), t('common.today'), today(), 'as_of'))),
    h('div', { class: 'tool' }, cmpBox.root,
      h('div', { class: 'quick-row' },
        quick(t('dash.compareStart'), t('dash.compareStartTitle'), TERM_START, 'compare'),
        compare ? h('button', { type: 'button', class: 'button quick', 'data-key': 'compare-off', onclick: () => goWith({ compare: undefined, tree: undefined }) }, t('dash.compareOff')) : null),
      // plans: the comparison on one map
      compare ? h('label', { class: 'check', title: t('plans.treeHint', { date: fmtDate(treeDay) }) },
        h('input', { type: 'checkbox', id: 'tree-toggle', 'data-key': 'tree', checked: Boolean(tree),
          onchange: (e: Event) => goWith({ tree: (e.target as HTMLInputElement).checked ? '1' : undefined }) }),
        ' ', t('plans.treeToggle', { date: fmtDate(treeDay) })) : null),
    h('div', { class: 'tool tool-end' },
      h('a', { class: 'button primary', href: href('print', { scope, as_of: asOf }), id: 'print-link' }, icon('print'), t('dash.print'))),
  );
  const kpis = h('div', { class: 'kpis', 'aria-live': 'polite' }, loading());
  const profile = h('p', { class: 'profile' });
  const compareBox = h('div');
  const flowBox = h('div');
  const childrenBox = h('div');
  const timelineBox = h('div');
  const admissionsBox = h('div');
  const cadresBox = h('div'); // cadres
  const plansBox = h('div'); // plans
  const servicesBox = h('div'); // services
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, crumbs, heading), toolbar),
    kpis, profile,
    h('div', { class: compare ? 'grid-2' : 'grid-1' }, compareBox, flowBox),
    childrenBox,
    cadresBox, // cadres
    plansBox,
    partyPanel(asOf, signal, scope), // party
    h('div', { class: 'grid-2' }, timelineBox, admissionsBox),
    servicesBox, // services
  );

  // The report; without a scope, the answer names the top unit.
  let report: AsOfReport;
  let before: AsOfReport | null = null;
  try {
    const r = await get<AsOfReport | CompareReport>('reports/asof', { as_of: asOf, scope, compare, tree_as_of: tree && treeDay }, signal);
    if ('after' in r) { report = r.after; before = r.before; } else report = r;
  } catch (e) {
    if (isAbort(e)) return;
    fill(kpis, errorBox(e, () => location.reload()));
    return;
  }
  scope = report.scope.code;
  ctx.setTitle(`${report.scope.name} · ${fmtDate(asOf)}`);
  (toolbar.querySelector('#print-link') as HTMLAnchorElement).href = href('print', { scope, as_of: asOf });
  heading.textContent = report.scope.name || t('dash.title');
  heading.append(h('span', { class: 'h1-sub' }, `${t('dash.asOf')} ${fmtDate(asOf)}`));

  renderKpis(kpis, report, before);
  fill(servicesBox, servicesPanel(scope, signal)); // services
  renderChildren(childrenBox, report, before, (code) => goWith({ scope: code }), link);

  let level: string | undefined;
  if (scope) {
    get<UnitDetail>(`units/${encodeURIComponent(scope)}`, { as_of: asOf }, signal).then((u) => {
      level = u.unit?.level;
      if (u.ancestors.length) fill(crumbs, breadcrumb([
        ...u.ancestors.map((a) => ({ label: a.name, href: link({ scope: a.code }) })),
        { label: u.unit?.name ?? report.scope.name },
      ]));
      profile.textContent = profileLine(report.units, level);
    }).catch(() => { profile.textContent = profileLine(report.units); });
  } else profile.textContent = profileLine(report.units);

  if (before) renderCompare(compareBox, before, report);
  void plansPanel(plansBox, { scope, asOf, signal, link: (code) => link({ scope: code }) }); // plans
  const [from, to] = compare && compare > asOf ? [asOf, compare] : [compare || TERM_START, asOf];
  if (from <= to) {
    void into(flowBox, () => get<FlowReport>('reports/flow', { from, to, scope }, signal), (f) => renderFlow(f, Boolean(compare)));
    cadresPanel(cadresBox, scope, from, to, signal); // cadres
    void into(flowBox, () => get<FlowReport>('reports/flow', { from, to, scope, tree_as_of: tree && treeDay }, signal), (f) => renderFlow(f, Boolean(compare)));
  }
  void into(timelineBox, () => get<{ points: TimelinePoint[] }>('reports/timeline', { scope, from: SERIES_FROM, to: today(), step: 'quarter' }, signal),
    (r) => renderTimeline(r.points, asOf));
  void into(admissionsBox, () => get<{ points: AdmissionPoint[] }>('reports/admissions', { scope, from: SERIES_FROM, to: today(), step: 'quarter' }, signal),
    (r) => renderAdmissions(r.points, asOf));
}

/* ---------- key figures ---------- */

function kpiCard(o: {
  id: string; icon: string; label: string; big: string; sub: Child; bar?: number | null; tone?: string; delta?: Child;
}): HTMLElement {
  return h('article', { class: `kpi ${o.tone ?? ''}`, 'data-kpi': o.id },
    h('h2', { class: 'kpi-label' }, icon(o.icon), o.label),
    h('p', { class: 'kpi-big' }, o.big),
    h('p', { class: 'kpi-sub' }, o.sub),
    o.bar !== undefined && o.bar !== null
      ? h('div', { class: 'meter', role: 'presentation' }, h('span', { style: `width:${Math.max(0, Math.min(100, o.bar)).toFixed(1)}%` }))
      : null,
    o.delta ?? null);
}

/** "▲ +116 since 01/01/2016" — up is good or bad depending on the indicator. */
function delta(now: number, was: number, date: string, goodUp: boolean, points?: { now: number | null; was: number | null }): HTMLElement {
  const d = now - was;
  const good = d === 0 ? 'flat' : (d > 0) === goodUp ? 'up-good' : 'down-bad';
  const arrow = d > 0 ? '▲' : d < 0 ? '▼' : '•';
  const pts = points && points.now !== null && points.was !== null
    ? ` (${(points.now - points.was >= 0 ? '+' : '')}${t('compare.points', { n: fmtDec(points.now - points.was) })})` : '';
  return h('p', { class: `kpi-delta ${good}` },
    h('span', { 'aria-hidden': 'true' }, arrow, ' '), `${fmtDelta(d)}${pts}`,
    h('span', { class: 'muted' }, ` · ${t('kpi.was', { date: fmtDate(date), value: fmtInt(was) })}`));
}

function renderKpis(box: HTMLElement, r: AsOfReport, b: AsOfReport | null): void {
  const v = r.villages;
  fill(box,
    kpiCard({
      id: 'villages-with-org', icon: 'village', label: t('kpi.villagesWithOrg'), tone: 'good',
      big: fmtPct(v.with_org, v.total),
      sub: h('span', null, h('strong', { 'data-value': 'with_org' }, fmtInt(v.with_org)), '/', h('strong', { 'data-value': 'total' }, fmtInt(v.total)), ' ', t('kpi.villagesWord')),
      bar: pct(v.with_org, v.total),
      delta: b ? delta(v.with_org, b.villages.with_org, b.as_of, true, { now: pct(v.with_org, v.total), was: pct(b.villages.with_org, b.villages.total) }) : undefined,
    }),
    kpiCard({
      id: 'villages-without-org', icon: 'flag', label: t('kpi.villagesWithoutOrg'), tone: 'warn',
      big: fmtInt(v.without_org), sub: `${fmtPct(v.without_org, v.total)} ${t('kpi.ofVillages', { n: fmtInt(v.total) })}`,
      delta: b ? delta(v.without_org, b.villages.without_org, b.as_of, false) : undefined,
    }),
    kpiCard({
      id: 'villages-white', icon: 'empty', label: t('kpi.white'), tone: 'bad',
      big: fmtInt(v.without_member), sub: `${fmtPct(v.without_member, v.total)} ${t('kpi.ofVillages', { n: fmtInt(v.total) })}`,
      delta: b ? delta(v.without_member, b.villages.without_member, b.as_of, false) : undefined,
    }),
    kpiCard({
      id: 'schools', icon: 'school', label: t('kpi.schools'), tone: 'good',
      big: fmtPct(r.schools.with_org, r.schools.total), sub: `${fmtInt(r.schools.with_org)}/${fmtInt(r.schools.total)}`,
      bar: pct(r.schools.with_org, r.schools.total),
      delta: b ? delta(r.schools.with_org, b.schools.with_org, b.as_of, true) : undefined,
    }),
    kpiCard({
      id: 'health', icon: 'health', label: t('kpi.health'), tone: 'good',
      big: fmtPct(r.health_stations.with_org, r.health_stations.total), sub: `${fmtInt(r.health_stations.with_org)}/${fmtInt(r.health_stations.total)}`,
      bar: pct(r.health_stations.with_org, r.health_stations.total),
      delta: b ? delta(r.health_stations.with_org, b.health_stations.with_org, b.as_of, true) : undefined,
    }),
    kpiCard({
      id: 'members', icon: 'people', label: t('kpi.members'), tone: 'info',
      big: fmtInt(r.members.total),
      sub: h('span', null, `${t('kpi.official')} `, h('strong', null, fmtInt(r.members.official)), ` · ${t('kpi.probationary')} `, h('strong', null, fmtInt(r.members.probationary))),
      delta: b ? delta(r.members.total, b.members.total, b.as_of, true) : undefined,
    }),
  );
}

/* ---------- comparison of two dates ---------- */

function renderCompare(box: HTMLElement, b: AsOfReport, a: AsOfReport): void {
  const row = (label: string, x: number, y: number, indent = false, fmt: (n: number) => string = (n) => fmtInt(n), diff?: string) =>
    h('tr', { class: indent ? 'sub' : '' },
      h('th', { scope: 'row' }, label),
      h('td', { class: 'num' }, fmt(x)), h('td', { class: 'num' }, fmt(y)),
      h('td', { class: `num change ${y - x > 0 ? 'pos' : y - x < 0 ? 'neg' : ''}` }, diff ?? fmtDelta(y - x)));
  const rb = villageRate(b) ?? 0, ra = villageRate(a) ?? 0;
  const pctFmt = (x: number) => `${fmtDec(x)}%`;
  fill(box, panel(t('compare.title'), { sub: `${fmtDate(b.as_of)} → ${fmtDate(a.as_of)}`, id: 'compare' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compare' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('compare.indicator')),
        h('th', { scope: 'col', class: 'num' }, fmtDate(b.as_of)),
        h('th', { scope: 'col', class: 'num' }, fmtDate(a.as_of)),
        h('th', { scope: 'col', class: 'num' }, t('compare.change')))),
      h('tbody', null,
        row(t('compare.villages'), b.villages.total, a.villages.total),
        row(t('compare.villagesWithOrg'), b.villages.with_org, a.villages.with_org, true),
        row(t('compare.rate'), rb, ra, true, pctFmt, `${ra - rb >= 0 ? '+' : ''}${t('compare.points', { n: fmtDec(ra - rb) })}`),
        row(t('compare.villagesWithoutOrg'), b.villages.without_org, a.villages.without_org, true),
        row(t('compare.white'), b.villages.without_member, a.villages.without_member, true),
        row(t('compare.schools'), b.schools.with_org, a.schools.with_org),
        row(t('compare.health'), b.health_stations.with_org, a.health_stations.with_org),
        row(t('compare.members'), b.members.total, a.members.total),
        row(t('kpi.official'), b.members.official, a.members.official, true),
        row(t('kpi.probationary'), b.members.probationary, a.members.probationary, true),
      )))));
}

function renderFlow(f: FlowReport, wide: boolean): Child {
  const kinds = ['village', 'school', 'health_station', 'other'] as const;
  const list = (counts: Record<string, number>) => h('ul', { class: 'flow-kinds' },
    kinds.filter((k) => counts[k]).map((k) => h('li', null, h('strong', null, fmtInt(counts[k])), ' ', t(`flow.${k}`))));
  const sum = (c: Record<string, number>) => kinds.reduce((s, k) => s + (c[k] ?? 0), 0);
  return panel(t('flow.title', { from: fmtDate(f.from), to: fmtDate(f.to) }), { id: 'flow', className: wide ? '' : 'flow-wide' },
    h('div', { class: 'flow' },
      h('div', { class: 'flow-item' },
        h('p', { class: 'flow-label' }, t('flow.admissions')),
        h('p', { class: 'flow-big' }, fmtInt(f.admissions.total)),
        h('p', { class: 'flow-sub' }, `${t('flow.commune')}: `, h('strong', null, fmtInt(f.admissions.commune_level)),
          ` (${fmtPct(f.admissions.commune_level, f.admissions.total)})`)),
      h('div', { class: 'flow-item' },
        h('p', { class: 'flow-label' }, t('flow.founded')),
        h('p', { class: 'flow-big' }, fmtInt(sum(f.orgs_founded))), list(f.orgs_founded)),
      h('div', { class: 'flow-item' },
        h('p', { class: 'flow-label' }, t('flow.dissolved')),
        h('p', { class: 'flow-big' }, fmtInt(sum(f.orgs_dissolved))), list(f.orgs_dissolved)),
    ));
}

/* ---------- the units under the scope: chart and sortable table ---------- */

function renderChildren(box: HTMLElement, r: AsOfReport, b: AsOfReport | null, drill: (code: string) => void,
  link: (q: Record<string, string>) => string): void {
  const kids = r.children as Child1[];
  if (!kids.length) {
    fill(box, panel(t('children.title'), {}, h('p', { class: 'muted' }, t('children.none'))));
    return;
  }
  const was = new Map((b?.children ?? []).map((c) => [c.code, c as Child1]));
  const rateChange = (c: Child1) => {
    const x = villageRate(c), old = was.get(c.code);
    const y = old ? villageRate(old) : null;
    return x === null || y === null ? null : x - y;
  };
  const frac = (a: number, n: number) => (n ? `${fmtInt(a)}/${fmtInt(n)}` : '—');
  const columns: Column<Child1>[] = [
    { key: 'name', label: t('children.unit'), value: (c) => c.name,
      cell: (c) => h('a', { href: link({ scope: c.code }), class: 'drill', 'aria-label': t('children.drill', { name: c.name }) }, c.name),
      foot: t('children.sum') },
    { key: 'villages', label: t('children.villages'), num: true, value: (c) => c.villages.total, cell: (c) => fmtInt(c.villages.total), foot: fmtInt(r.villages.total) },
    { key: 'with_org', label: t('children.withOrg'), num: true, value: (c) => c.villages.with_org, cell: (c) => fmtInt(c.villages.with_org), foot: fmtInt(r.villages.with_org) },
    { key: 'rate', label: t('children.rate'), num: true, value: (c) => villageRate(c),
      cell: (c) => h('span', { class: `rate ${rateTone(villageRate(c))}` }, fmtPct(c.villages.with_org, c.villages.total)),
      foot: fmtPct(r.villages.with_org, r.villages.total) },
    ...(b ? [{ key: 'rate_change', label: t('children.rateChange'), title: t('children.rateChangeTitle'), num: true, value: rateChange,
      cell: (c: Child1) => { const d = rateChange(c); return d === null ? '—' : h('span', { class: d > 0 ? 'pos' : d < 0 ? 'neg' : '' }, `${d >= 0 ? '+' : ''}${fmtDec(d)}`); },
      foot: (() => { const d = (villageRate(r) ?? 0) - (villageRate(b) ?? 0); return `${d >= 0 ? '+' : ''}${fmtDec(d)}`; })() }] : []),
    { key: 'without_org', label: t('children.withoutOrg'), num: true, value: (c) => c.villages.without_org, cell: (c) => fmtInt(c.villages.without_org), foot: fmtInt(r.villages.without_org) },
    { key: 'white', label: t('children.white'), title: t('children.whiteTitle'), num: true, value: (c) => c.villages.without_member,
      cell: (c) => (c.villages.without_member ? h('strong', { class: 'neg' }, fmtInt(c.villages.without_member)) : '0'), foot: fmtInt(r.villages.without_member) },
    { key: 'schools', label: t('children.schools'), num: true, value: (c) => pct(c.schools.with_org, c.schools.total), cell: (c) => frac(c.schools.with_org, c.schools.total), foot: frac(r.schools.with_org, r.schools.total) },
    { key: 'health', label: t('children.health'), num: true, value: (c) => pct(c.health_stations.with_org, c.health_stations.total), cell: (c) => frac(c.health_stations.with_org, c.health_stations.total), foot: frac(r.health_stations.with_org, r.health_stations.total) },
    { key: 'members', label: t('children.members'), num: true, value: (c) => c.members.total, cell: (c) => fmtInt(c.members.total), foot: fmtInt(r.members.total) },
  ];
  // With a comparison date, each unit has two bars: then (grey) and now.
  const rowH = b ? 38 : 26;
  const { box: chartWrap, canvas } = chartBox(t('chart.coverageAria'), Math.min(1200, kids.length * rowH + (b ? 80 : 48)));
  const beforeRate = (c: Child1) => { const old = was.get(c.code); return old ? villageRate(old) : null; };
  const nowSet = b ? 1 : 0;
  let chartRows = kids;
  const table = sortableTable<Child1>({
    columns, rows: kids, className: 'children', caption: t('children.caption', { scope: r.scope.name, date: fmtDate(r.as_of) }),
    onSort: (rows) => { chartRows = rows; updateChart(); },
  });
  let chart: import('../charts').Chart<'bar'> | null = null;
  void loadCharts().then(({ makeChart }) => { if (!canvas.isConnected && !box.isConnected) return; chart = makeChart(canvas, {
    type: 'bar',
    data: {
      labels: kids.map((c) => c.name),
      datasets: [
        ...(b ? [{ label: fmtDate(b.as_of), data: kids.map(beforeRate), backgroundColor: '#c3cad4', borderRadius: 3, barPercentage: 0.85, categoryPercentage: 0.85 }] : []),
        { label: fmtDate(r.as_of), data: kids.map((c) => villageRate(c)), backgroundColor: kids.map((c) => toneColor(villageRate(c))), borderRadius: 3, barPercentage: 0.85, categoryPercentage: b ? 0.85 : 0.9 },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` }, grid: { color: COLORS.grid } },
        y: { grid: { display: false }, ticks: { color: COLORS.ink, autoSkip: false, font: { size: 12 } } },
      },
      plugins: {
        legend: { display: Boolean(b), position: 'bottom' },
        tooltip: { callbacks: { label: (c: { dataIndex: number; datasetIndex: number }) => {
          const k = c.datasetIndex === nowSet ? chartRows[c.dataIndex] : was.get(chartRows[c.dataIndex].code);
          return k ? ` ${c.datasetIndex === nowSet ? fmtDate(r.as_of) : fmtDate(b!.as_of)}: ${fmtPct(k.villages.with_org, k.villages.total)} (${fmtInt(k.villages.with_org)}/${fmtInt(k.villages.total)})` : '';
        } } },
        valueLabels: { format: (v: number) => `${fmtDec(v)}%`, dataset: nowSet },
      } as never,
      onClick: (_e, els) => { if (els.length) drill(chartRows[els[0].index].code); },
      onHover: (e, els) => { (e.native?.target as HTMLElement | undefined)?.style.setProperty('cursor', els.length ? 'pointer' : 'default'); },
    },
  }); });
  function updateChart() {
    if (!chart) return;
    chart.data.labels = chartRows.map((c) => c.name);
    if (b) chart.data.datasets[0].data = chartRows.map(beforeRate);
    chart.data.datasets[nowSet].data = chartRows.map((c) => villageRate(c));
    (chart.data.datasets[nowSet] as unknown as { backgroundColor: string[] }).backgroundColor = chartRows.map((c) => toneColor(villageRate(c)));
    chart.update();
  }
  fill(box, panel(t('children.title'), { sub: t('chart.coverage'), id: 'children', className: 'children-panel' },
    h('div', { class: `children-grid${b ? ' stacked' : ''}` }, chartWrap, h('div', { class: 'table-wrap' }, table))));
}

const rateTone = (r: number | null) => (r === null ? '' : r >= 90 ? 'good' : r >= 75 ? 'warn' : 'bad');
const toneColor = (r: number | null) => (r === null ? COLORS.grid : r >= 90 ? COLORS.good : r >= 75 ? COLORS.amber : COLORS.bad);

/* ---------- trends ---------- */

/** x ticks that name the year once, under its first point. */
const yearTicks = (dates: string[]) => ({
  autoSkip: false, maxRotation: 0,
  callback(this: { width: number }, _v: unknown, i: number) {
    const y = dates[i].slice(0, 4);
    if (i > 0 && y === dates[i - 1].slice(0, 4)) return '';
    // On a phone, every other year.
    return this.width < 480 && Number(y) % 2 ? '' : y;
  },
});

const quarterLabel = (iso: string) => t('chart.quarter', { q: Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1, y: iso.slice(0, 4) });

function dataTable(head: string[], rows: (string | number)[][]): HTMLElement {
  return h('details', { class: 'chart-data' }, h('summary', null, t('common.showData')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data small' },
      h('thead', null, h('tr', null, head.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((x, i) => (i ? h('td', { class: 'num' }, String(x)) : h('th', { scope: 'row' }, String(x))))))))));
}

function renderTimeline(points: TimelinePoint[], asOf: string): Child {
  const { box, canvas } = chartBox(t('chart.timelineAria'), 300);
  let mark = -1;
  points.forEach((p, i) => { if (p.date <= asOf) mark = i; });
  const out = panel(t('chart.timeline'), { sub: t('chart.timelineSub'), id: 'timeline' }, box,
    dataTable([t('chart.period'), t('chart.withoutOrg'), t('chart.withoutMember')],
      points.map((p) => [fmtDate(p.date), fmtInt(p.villages_without_org), fmtInt(p.villages_without_member)])));
  void loadCharts().then(({ makeChart }) => makeChart(canvas, {
    type: 'line',
    data: {
      labels: points.map((p) => fmtDate(p.date).slice(3)),
      datasets: [
        { label: t('chart.withoutOrg'), data: points.map((p) => p.villages_without_org), borderColor: COLORS.warn, backgroundColor: 'rgba(194,65,12,.10)', fill: true, tension: 0.25, pointRadius: 2, borderWidth: 2.5 },
        { label: t('chart.withoutMember'), data: points.map((p) => p.villages_without_member), borderColor: COLORS.violet, backgroundColor: 'rgba(109,40,217,.08)', fill: true, tension: 0.25, pointRadius: 2, borderWidth: 2.5, borderDash: [6, 3] },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, suggestedMax: 5, ticks: { precision: 0, callback: (v) => fmtInt(Number(v)) } }, x: { grid: { display: false }, ticks: yearTicks(points.map((p) => p.date)) } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items: { dataIndex: number }[]) => fmtDate(points[items[0].dataIndex].date), label: (c: { dataset: { label?: string }; parsed: { y: number | null } }) => ` ${c.dataset.label}: ${fmtInt(c.parsed.y ?? 0)}` } },
        marker: { index: mark, label: fmtDate(asOf) },
      } as never,
    },
  }));
  return out;
}

function renderAdmissions(points: AdmissionPoint[], asOf: string): Child {
  const { box, canvas } = chartBox(t('chart.admissionsAria'), 300);
  const last = [...points].reverse().find((p) => p.to < asOf);
  const out = panel(t('chart.admissions'), { sub: t('chart.admissionsSub'), id: 'admissions' }, box,
    last ? h('p', { class: 'chart-note' }, t('chart.lastQuarter', {
      date: fmtDate(asOf), q: quarterLabel(last.from), c: fmtInt(last.commune_level), t: fmtInt(last.total), p: fmtPct(last.commune_level, last.total),
    })) : null,
    dataTable([t('chart.period'), t('chart.total'), t('chart.communeLevel'), '%'],
      points.map((p) => [quarterLabel(p.from), fmtInt(p.total), fmtInt(p.commune_level), fmtPct(p.commune_level, p.total)])));
  void loadCharts().then(({ makeChart }) => makeChart(canvas, {
    type: 'bar',
    data: {
      labels: points.map((p) => quarterLabel(p.from)),
      datasets: [
        { label: t('chart.communeLevel'), data: points.map((p) => p.commune_level), backgroundColor: COLORS.info, grouped: false, order: 1, barPercentage: 0.55 },
        { label: t('chart.total'), data: points.map((p) => p.total), backgroundColor: COLORS.infoLight, grouped: false, order: 2, barPercentage: 0.9 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, suggestedMax: 5, ticks: { precision: 0, callback: (v) => fmtInt(Number(v)) } }, x: { grid: { display: false }, ticks: yearTicks(points.map((p) => p.from)) } },
      plugins: {
        legend: { position: 'bottom', reverse: true },
        tooltip: {
          itemSort: (a, b) => b.datasetIndex - a.datasetIndex,
          callbacks: {
            title: (items) => { const p = points[items[0].dataIndex]; return `${quarterLabel(p.from)} (${fmtDate(p.from)} – ${fmtDate(p.to)})`; },
            label: (c) => ` ${c.dataset.label}: ${fmtInt(c.parsed.y ?? 0)}`,
            footer: (items) => { const p = points[items[0].dataIndex]; return t('chart.share', { p: fmtPct(p.commune_level, p.total) }); },
          },
        },
      },
    },
  }));
  return out;
}
