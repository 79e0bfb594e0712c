// Commune cadres and civil servants (docs/CADRES.md): training over a period
// and the share of posts whose holder meets the post's standard per commune
// (#/cadres?scope=&from=&to=), the posts of one commune and their holders on
// a day (#/cadres/CODE?as_of=), and the dashboard's panel.

import { get, isAbort } from '../api';
import { fill, h, icon, type Child } from '../dom';
import { fmtDate, fmtInt, fmtPct, t, tEnum } from '../i18n';
import { asOfParam, dateOf, go, href, rememberDate } from '../router';
import type { ViewCtx } from '../view';
import { breadcrumb, chip, dateField, errorBox, into, loading, panel, sortableTable, type Column } from '../widgets';
import { dateBar } from './units';

/** The article's period: since the start of 2016, to the day of the article. */
export const CADRE_FROM = '2016-01-01';

interface Count { people: number; attendances: number; by_level?: Record<string, number> }
interface CommuneStandard {
  code: string; name: string; holdings: number; meeting: number; professional_ok: number; political_ok: number;
  share: number | null; training: { professional: Count; political_theory: Count; short_course: Count };
}
export interface CadreSummary {
  from: string; to: string; scope: { code: string; name: string };
  training: { professional: Count; political_theory: Count; short_course: Count };
  rotations: { started: number; active: number };
  standards: {
    as_of: string; holdings: number; meeting: number; share: number | null; communes: CommuneStandard[];
    by_category: Record<'cadre' | 'civil_servant', { holdings: number; meeting: number }>;
  };
}
interface Holder {
  post: string; post_label: string; category: string; person_id: string; full_name: string; member_id: string | null;
  valid_from: string | null; valid_to: string | null; professional: string | null; political_theory: string | null;
  min_professional: string | null; min_political_theory: string | null; meets_standard: boolean; rotated: boolean;
}
interface Sent {
  person_id: string; full_name: string; member_id: string | null; unit: { code: string; name: string };
  kind: string; level: string | null; course: string | null; started_on: string; ended_on: string | null; sent_by: string | null;
}
interface Posts { as_of: string; unit: { code: string; name: string; exists: boolean } | null; items: Holder[] }

const KINDS = ['professional', 'political_theory', 'short_course'] as const;

export async function cadresView(ctx: ViewCtx): Promise<void> {
  const code = ctx.route.parts[1];
  if (code) return communePosts(ctx, code, dateOf(ctx.route));
  const q = ctx.route.query;
  const scope = q.get('scope') ?? '';
  const to = q.get('to') || dateOf(ctx.route);
  const from = q.get('from') || (CADRE_FROM <= to ? CADRE_FROM : `${to.slice(0, 4)}-01-01`);
  const goWith = (o: Record<string, string | undefined>) => go('cadres', { scope: scope || undefined, from, to, ...o });
  const fromBox = dateField({ label: t('cadres.from'), value: from, compact: true, onChange: (d) => goWith({ from: d }) });
  const toBox = dateField({ label: t('cadres.to'), value: to, compact: true, onChange: (d) => { rememberDate(d); goWith({ to: d }); } });
  fromBox.input.dataset.key = 'from';
  toBox.input.dataset.key = 'to';
  const heading = h('h1', { id: 'page-title', tabindex: -1 }, t('cadres.title'));
  const body = h('div', { 'aria-live': 'polite' }, loading());
  ctx.setTitle(t('cadres.title'));
  fill(ctx.main,
    h('div', { class: 'page-head' },
      h('div', null, heading, h('p', { class: 'lead' }, t('cadres.intro'))),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': t('cadres.period') },
        h('div', { class: 'tool' }, fromBox.root), h('div', { class: 'tool' }, toBox.root))),
    body);
  if (to < from) {
    fill(body, h('div', { class: 'alert alert-error', role: 'alert' }, icon('alert'), t('cadres.badPeriod')));
    return;
  }
  let s: CadreSummary;
  try {
    s = await get<CadreSummary>('cadres/summary', { from, to, scope }, ctx.signal);
  } catch (e) {
    if (!isAbort(e)) fill(body, errorBox(e, () => location.reload()));
    return;
  }
  heading.append(h('span', { class: 'h1-sub' }, s.scope.name));
  ctx.setTitle(`${t('cadres.title')} · ${s.scope.name}`);
  fill(body, trainingPanel(s), standardsPanel(s));
}

function trainingPanel(s: CadreSummary): HTMLElement {
  const levels = (c: Count) => c.by_level
    ? h('ul', { class: 'flow-kinds' }, Object.entries(c.by_level).filter(([, n]) => n)
      .map(([l, n]) => h('li', null, h('strong', null, fmtInt(n)), ' ', tEnum('cadres.level', l))))
    : null;
  return panel(t('cadres.trainingTitle', { from: fmtDate(s.from), to: fmtDate(s.to) }), { id: 'cadre-training' },
    h('div', { class: 'flow' },
      KINDS.map((k) => {
        const c = s.training[k];
        return h('div', { class: 'flow-item', 'data-kind': k },
          h('p', { class: 'flow-label' }, t(`cadres.kind.${k}`)),
          h('p', { class: 'flow-big', 'data-value': k === 'short_course' ? 'attendances' : 'people' },
            fmtInt(k === 'short_course' ? c.attendances : c.people)),
          h('p', { class: 'flow-sub' }, k === 'short_course'
            ? t('cadres.attendancesOf', { n: fmtInt(c.people) }) : t('cadres.people', { n: fmtInt(c.attendances) })),
          levels(c));
      }),
      h('div', { class: 'flow-item', 'data-kind': 'rotations' },
        h('p', { class: 'flow-label' }, t('cadres.rotations')),
        h('p', { class: 'flow-big' }, fmtInt(s.rotations.started)),
        h('p', { class: 'flow-sub' }, t('cadres.rotationsActive', { n: fmtInt(s.rotations.active), date: fmtDate(s.to) })))));
}

function standardsPanel(s: CadreSummary): HTMLElement {
  const st = s.standards;
  const link = (c: CommuneStandard) => h('a', { href: href(`cadres/${encodeURIComponent(c.code)}`, { as_of: asOfParam(st.as_of) }) }, c.name);
  const share = (c: { meeting: number; holdings: number }) => (c.holdings ? (100 * c.meeting) / c.holdings : null);
  const columns: Column<CommuneStandard>[] = [
    { key: 'name', label: t('cadres.commune'), value: (c) => c.name, cell: link },
    { key: 'holdings', label: t('cadres.holdings'), num: true, value: (c) => c.holdings, cell: (c) => fmtInt(c.holdings), foot: fmtInt(st.holdings) },
    { key: 'meeting', label: t('cadres.meeting'), num: true, value: (c) => c.meeting, cell: (c) => fmtInt(c.meeting), foot: fmtInt(st.meeting) },
    { key: 'share', label: t('cadres.share'), num: true, value: share, cell: (c) => fmtPct(c.meeting, c.holdings), foot: fmtPct(st.meeting, st.holdings) },
    ...KINDS.map((k): Column<CommuneStandard> => {
      const n = (c: CommuneStandard) => (k === 'short_course' ? c.training[k].attendances : c.training[k].people);
      return { key: k, label: t(`cadres.col.${k}`), title: t(`cadres.kind.${k}`), num: true, value: n, cell: (c) => fmtInt(n(c)) };
    }),
  ];
  return panel(t('cadres.standardsTitle', { date: fmtDate(st.as_of) }), {
    id: 'cadre-standards',
    sub: [t('cadres.standardsSub', { meeting: fmtInt(st.meeting), holdings: fmtInt(st.holdings), share: fmtPct(st.meeting, st.holdings) }),
      ...(['cadre', 'civil_servant'] as const).map((k) => `${t(`cadres.category.${k}`)} ${fmtInt(st.by_category[k].meeting)}/${fmtInt(st.by_category[k].holdings)} (${fmtPct(st.by_category[k].meeting, st.by_category[k].holdings)})`)].join(' · '),
  }, st.communes.length
    ? h('div', { class: 'table-wrap' }, sortableTable({ columns, rows: st.communes, caption: t('cadres.standardsCaption') }))
    : h('p', { class: 'muted' }, t('cadres.noCommunes')));
}

/** The training records of [from, to] sent from one commune (the first 500). */
function sentPanel(code: string, from: string, to: string, signal: AbortSignal): HTMLElement {
  const box = h('div', { id: 'cadre-sent' });
  void into(box, () => get<{ items: Sent[]; total: number }>('cadres/training', { scope: code, from, to, per_page: 500 }, signal),
    (r): Child => panel(t('cadres.sentTitle', { from: fmtDate(from), to: fmtDate(to) }), {
      sub: r.total > r.items.length ? t('cadres.sentSome', { n: fmtInt(r.items.length), total: fmtInt(r.total) }) : t('cadres.sentAll', { n: fmtInt(r.total) }),
    }, r.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', null, h('tr', null, ['cadres.started', 'cadres.ended', 'cadres.holder', 'cadres.kindCol', 'cadres.course', 'cadres.sentBy']
        .map((k) => h('th', { scope: 'col' }, t(k as Parameters<typeof t>[0]))))),
      h('tbody', null, r.items.map((x) => h('tr', { 'data-kind': x.kind },
        h('td', null, fmtDate(x.started_on)), h('td', null, x.ended_on ? fmtDate(x.ended_on) : t('cadres.ongoing')),
        h('th', { scope: 'row' }, x.full_name),
        h('td', null, t(`cadres.kind.${x.kind}` as Parameters<typeof t>[0]), x.level ? ` · ${tEnum('cadres.level', x.level)}` : ''),
        h('td', null, x.course ?? ''), h('td', null, h('code', null, x.sent_by ?? ''))))))) : h('p', { class: 'muted' }, t('cadres.sentNone'))));
  return box;
}

async function communePosts(ctx: ViewCtx, code: string, asOf: string): Promise<void> {
  const from = ctx.route.query.get('from') || (CADRE_FROM <= asOf ? CADRE_FROM : `${asOf.slice(0, 4)}-01-01`);
  const body = h('div', null, loading());
  fill(ctx.main, body);
  let p: Posts;
  try {
    p = await get<Posts>('cadres/posts', { unit: code, as_of: asOf }, ctx.signal);
  } catch (e) {
    if (!isAbort(e)) fill(body, errorBox(e));
    return;
  }
  const name = p.unit?.name || code;
  ctx.setTitle(`${t('cadres.postsTitle')} · ${name}`);
  const level = (l: string | null) => (l ? tEnum(`cadres.level`, l) : h('span', { class: 'muted' }, t('cadres.none')));
  const term = (x: Holder) => `${fmtDate(x.valid_from)} – ${x.valid_to ? fmtDate(x.valid_to) : t('common.present')}`;
  fill(body,
    h('div', { class: 'page-head' },
      h('div', null,
        breadcrumb([{ label: t('cadres.title'), href: href('cadres', { to: asOf }) }, { label: name }]),
        h('h1', { id: 'page-title', tabindex: -1 }, name, h('span', { class: 'h1-sub' }, `${t('cadres.postsTitle')} · ${t('common.code')} ${code}`))),
      dateBar(ctx, asOf, `cadres/${encodeURIComponent(code)}`)),
    p.unit && !p.unit.exists ? h('div', { class: 'alert alert-warn', role: 'status' }, icon('alert'), t('common.notExisting', { date: fmtDate(asOf) })) : null,
    panel(t('cadres.postsOn', { date: fmtDate(p.as_of) }), { id: 'cadre-posts' },
      p.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['cadres.post', 'cadres.holder', 'cadres.term', 'cadres.professional', 'cadres.political', 'cadres.standard']
          .map((k) => h('th', { scope: 'col' }, t(k as Parameters<typeof t>[0]))))),
        h('tbody', null, p.items.map((x) => h('tr', { 'data-post': x.post },
          h('th', { scope: 'row' }, x.post_label, ' ', chip(t(`cadres.category.${x.category}` as Parameters<typeof t>[0]), 'chip-info')),
          h('td', null, x.member_id ? h('a', { href: href(`members/${encodeURIComponent(x.member_id)}`, { as_of: asOfParam(asOf) }) }, x.full_name) : x.full_name,
            x.rotated ? [' ', chip(t('cadres.rotated'), 'chip-warn')] : null),
          h('td', null, term(x)),
          h('td', null, level(x.professional)),
          h('td', null, level(x.political_theory)),
          h('td', { title: t('cadres.minimum', { p: x.min_professional ? tEnum('cadres.level', x.min_professional) : '—', l: x.min_political_theory ? tEnum('cadres.level', x.min_political_theory) : '—' }) },
            x.meets_standard ? chip(t('cadres.meets'), 'chip-good') : chip(t('cadres.notMeets'), 'chip-bad'))))))) 
        : h('p', { class: 'muted' }, t('cadres.noPosts'))),
    from <= asOf ? sentPanel(code, from, asOf, ctx.signal) : null);
}

/** The dashboard's panel: the training of [from, to] and the standards share on `to`. */
export function cadresPanel(box: HTMLElement, scope: string, from: string, to: string, signal: AbortSignal): void {
  void into(box, () => get<CadreSummary>('cadres/summary', { from, to, scope }, signal), (s): Child =>
    panel(t('cadres.panelTitle', { from: fmtDate(s.from), to: fmtDate(s.to) }), {
      id: 'cadres-panel',
      actions: h('a', { class: 'button', href: href('cadres', { scope: scope || undefined, from: s.from, to: s.to }) }, t('cadres.more')),
    },
    h('div', { class: 'flow' },
      KINDS.map((k) => h('div', { class: 'flow-item', 'data-kind': k },
        h('p', { class: 'flow-label' }, t(`cadres.kind.${k}`)),
        h('p', { class: 'flow-big' }, fmtInt(k === 'short_course' ? s.training[k].attendances : s.training[k].people)),
        h('p', { class: 'flow-sub' }, k === 'short_course' ? t('cadres.attendancesWord') : t('cadres.peopleWord')))),
      h('div', { class: 'flow-item', 'data-kind': 'standards' },
        h('p', { class: 'flow-label' }, t('cadres.standardsShort', { date: fmtDate(s.standards.as_of) })),
        h('p', { class: 'flow-big' }, fmtPct(s.standards.meeting, s.standards.holdings)),
        h('p', { class: 'flow-sub' }, `${fmtInt(s.standards.meeting)}/${fmtInt(s.standards.holdings)} ${t('cadres.postsWord')}`)))));
}
