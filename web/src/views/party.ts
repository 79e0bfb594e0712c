// Party work (docs/PARTY.md): what the Party's rules make due this month,
// overdue and late, the candidates for admission with their stage and next
// deadline, the dashboard's panel of the same lists, and the forms that take
// a candidate from the cell's proposal to official member (registered with
// the forms view, so they are sent, checked and answered as every other
// write).

import { get, type Org, type Page, type Ref } from '../api';
import { fill, h, icon, type Child } from '../dom';
import { fmtDate, fmtInt, fmtPct, t, tEnum } from '../i18n';
import { asOfParam, dateOf, go, href, rememberDate } from '../router';
import type { ViewCtx } from '../view';
import { chip, dateField, into, panel, sortableTable, type Column } from '../widgets';
import { addForms, ETHNIC, opts } from './forms';

export interface Deadline { kind: 'decision' | 'ceremony' | 'review' | 'letter' | 'present' | 'return'; state: string; from: string; deadline: string; done: string | null }
export interface DueItem { subject: 'candidate' | 'member'; id: string; full_name: string; org: Ref | null; deadline: Deadline; transfer: string | null }
export interface Transfer {
  id: string; member_id: string; full_name: string | null; kind: string; from: Ref | null; to: Ref | null; destination: string | null;
  purpose: string | null; decided_on: string; letter_on: string; presented_on: string | null; until: string | null; returned_on: string | null;
  deadlines: Deadline[];
}
export interface DueLists { as_of: string; counts: { due: number; overdue: number; late: number }; due: DueItem[]; overdue: DueItem[]; late: DueItem[] }
export interface BadgeItem { id: string; full_name: string; org: Ref | null; admitted_on: string; years: number; anniversary: string }
export interface Badges { as_of: string; ceremony: string; previous: string; due: BadgeItem[]; early: BadgeItem[]; total: { due: number; early: number } }
export type Levels = { excellent: number; good: number; done: number; not_done: number; total: number };
export interface Ratings {
  year: number; members: Levels; orgs: Levels;
  quota: { checked: number; over: { org: Ref; excellent: number; good: number; allowed: number }[] };
}
export interface Candidate {
  id: string; full_name: string; gender: string; birth_date: string; org: Ref | null; stage: string;
  proposed_on: string; course_on: string | null; verified_on: string | null; voted_on: string | null;
  decided_on: string | null; decided_by: string | null; ceremony_on: string | null; member_id: string | null;
  deadlines: Deadline[];
}

const LISTS = ['overdue', 'due', 'late'] as const;
const enc = encodeURIComponent;

/** Where a deadline's work is done: the form, filled in for the record. */
function actionHref(it: { subject: string; id: string; deadline: Deadline; transfer?: string | null }): string {
  if (it.transfer) return href(it.deadline.kind === 'return' ? 'forms/transferReturn' : 'forms/transferPresent', { id: it.transfer });
  if (it.subject === 'member') return href('forms/probation', { id: it.id });
  if (it.deadline.kind === 'ceremony') return href('forms/candAdmit', { id: it.id });
  return href('forms/candStage', { id: it.id, stage: 'decided' });
}

function subjectCell(it: DueItem): Child {
  return it.subject === 'member'
    ? h('a', { href: href(`members/${enc(it.id)}`) }, it.full_name)
    : h('span', null, it.full_name, ' ', h('span', { class: 'muted' }, `(${it.id})`));
}

function dueTable(items: DueItem[], list: string): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', 'data-empty': list }, t('party.none'));
  const cols: Column<DueItem>[] = [
    { key: 'deadline', label: t('party.deadline'), value: (r) => r.deadline.deadline, cell: (r) => fmtDate(r.deadline.deadline) },
    { key: 'kind', label: t('party.kind'), value: (r) => tEnum('due', r.deadline.kind) },
    { key: 'name', label: t('party.who'), value: (r) => r.full_name, cell: subjectCell },
    { key: 'org', label: t('party.org'), value: (r) => r.org?.name ?? r.org?.code ?? '' },
    { key: 'from', label: t('party.from'), value: (r) => r.deadline.from, cell: (r) => fmtDate(r.deadline.from) },
    list === 'late'
      ? { key: 'done', label: t('party.done'), value: (r) => r.deadline.done, cell: (r) => fmtDate(r.deadline.done) }
      : { key: 'act', label: t('party.action'), value: () => '', cell: (r) => h('a', { class: 'button', href: actionHref(r) }, t(`party.do.${r.deadline.kind}` as 'party.do.review')) },
  ];
  return sortableTable({ columns: cols, rows: items, className: `due-${list}` });
}

/** The party organizations that stand for a unit of the dashboard: those sited in it (or under it) whose
 * parent is not; none for no unit (the lists are then of all the user sees). */
async function orgsOfScope(scope: string, asOf: string, signal: AbortSignal): Promise<string[]> {
  if (!scope) return [];
  const page = await get<Page<Org>>('orgs', { scope, as_of: asOf, per_page: 500 }, signal);
  const codes = new Set(page.items.map((o) => o.code));
  return page.items.filter((o) => !o.parent_code || !codes.has(o.parent_code)).map((o) => o.code);
}

/** The lists of several organizations as one: counts added, items once each, by deadline. */
function mergeDue(all: DueLists[]): DueLists {
  const out: DueLists = { ...all[0], counts: { due: 0, overdue: 0, late: 0 }, due: [], overdue: [], late: [] };
  for (const l of LISTS) {
    const seen = new Set<string>();
    for (const d of all) {
      out.counts[l] += d.counts[l];
      for (const it of d[l]) {
        const key = `${it.subject}|${it.id}|${it.deadline.kind}|${it.transfer ?? ''}`;
        if (!seen.has(key)) { seen.add(key); out[l].push(it); }
      }
    }
    out[l].sort((a, b) => a.deadline.deadline.localeCompare(b.deadline.deadline));
  }
  return out;
}

/** The dashboard's panel: the counts and the first items of the lists, for the dashboard's unit when one is
 * chosen (through the party organizations sited there). */
export function partyPanel(asOf: string, signal: AbortSignal, scope = ''): HTMLElement {
  const box = h('div', { class: 'party-panel' });
  const open = h('a', { class: 'button', href: href('party', { as_of: asOfParam(asOf) }) }, t('party.open'));
  const p = panel(t('party.panel'), { sub: t('party.panelSub', { date: fmtDate(asOf) }), id: 'party-panel', actions: open }, box);
  // loaded when it comes into view: the dashboard's own figures and links are asked for first
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    load();
  });
  signal.addEventListener('abort', () => seen.disconnect());
  seen.observe(p);
  const load = () => void into(box, async () => {
    const orgs = await orgsOfScope(scope, asOf, signal);
    const each = orgs.length ? orgs : [undefined];
    const [dues, badges] = await Promise.all([
      Promise.all(each.map((org) => get<DueLists>('party/due', { as_of: asOf, org, limit: 5 }, signal))),
      Promise.all(each.map((org) => get<Badges>('party/badges', { as_of: asOf, org, limit: 1 }, signal)))]);
    if (orgs.length === 1) open.setAttribute('href', href('party', { as_of: asOfParam(asOf), org: orgs[0] }));
    return { d: mergeDue(dues), badgeCount: badges.reduce((n, b) => n + b.total.due, 0), ceremony: badges[0].ceremony };
  }, ({ d, badgeCount, ceremony }) => [
    h('ul', { class: 'party-counts' }, LISTS.map((l) => h('li', { 'data-count': l },
      h('strong', null, fmtInt(d.counts[l])), ' ', t(`party.list.${l}` as 'party.list.due'))),
      h('li', { 'data-count': 'badges' }, h('strong', null, fmtInt(badgeCount)), ' ', t('party.badgesShort', { date: fmtDate(ceremony) }))),
    h('ul', { class: 'party-top' }, [...d.overdue.slice(0, 3), ...d.due.slice(0, 3)].map((it) => h('li', null,
      chip(it.deadline.state === 'overdue' ? t('party.list.overdue') : fmtDate(it.deadline.deadline),
        it.deadline.state === 'overdue' ? 'bad' : 'warn'), ' ',
      tEnum('due', it.deadline.kind), ': ', subjectCell(it), it.org ? h('span', { class: 'muted' }, ` · ${it.org.name ?? it.org.code}`) : null))),
  ]);
  return p;
}

function badgeTable(items: BadgeItem[], kind: string, ceremony: string): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', 'data-empty': kind }, t('party.none'));
  const award = (r: BadgeItem) => href('forms/badgeAward', { id: r.id, years: r.years, awarded_on: ceremony, early: kind === 'early' ? '1' : '' });
  const cols: Column<BadgeItem>[] = [
    { key: 'years', label: t('party.badgeYears'), num: true, value: (r) => r.years },
    { key: 'name', label: t('party.who'), value: (r) => r.full_name, cell: (r) => h('a', { href: href(`members/${enc(r.id)}`) }, r.full_name) },
    { key: 'org', label: t('party.org'), value: (r) => r.org?.name ?? r.org?.code ?? '' },
    { key: 'admitted', label: t('field.admitted_on'), value: (r) => r.admitted_on, cell: (r) => fmtDate(r.admitted_on) },
    { key: 'anniversary', label: t('party.anniversary'), value: (r) => r.anniversary, cell: (r) => fmtDate(r.anniversary) },
    { key: 'act', label: t('party.action'), value: () => '', cell: (r) => h('a', { class: 'button', href: award(r) }, t('party.do.award')) },
  ];
  return sortableTable({ columns: cols, rows: items, className: `badges-${kind}` });
}

function transferTable(items: Transfer[]): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', 'data-empty': 'transfers' }, t('party.none'));
  const next = (r: Transfer) => r.deadlines.find((d) => d.state === 'open' || d.state === 'overdue' || d.state === 'pending');
  const cols: Column<Transfer>[] = [
    { key: 'name', label: t('party.who'), value: (r) => r.full_name ?? r.member_id, cell: (r) => h('a', { href: href(`members/${enc(r.member_id)}`) }, r.full_name ?? r.member_id) },
    { key: 'kind', label: t('party.kind'), value: (r) => tEnum('transfer', r.kind), cell: (r) => [tEnum('transfer', r.kind), r.purpose ? ` (${tEnum('purpose', r.purpose)})` : ''] },
    { key: 'from', label: t('field.from_org'), value: (r) => r.from?.name ?? r.from?.code ?? '' },
    { key: 'to', label: t('field.to_org'), value: (r) => r.to?.name ?? r.to?.code ?? r.destination ?? '' },
    { key: 'letter', label: t('field.letter_on'), value: (r) => r.letter_on, cell: (r) => fmtDate(r.letter_on) },
    { key: 'next', label: t('party.deadline'), value: (r) => next(r)?.deadline ?? '', cell: (r) => { const d = next(r); return d ? [tEnum('due', d.kind), ' ', fmtDate(d.deadline), d.state === 'overdue' ? [' ', chip(t('party.list.overdue'), 'bad')] : null] : '—'; } },
    { key: 'act', label: t('party.action'), value: () => '', cell: (r) => { const d = next(r); return d ? h('a', { class: 'button', href: actionHref({ subject: 'member', id: r.member_id, deadline: d, transfer: r.id }) }, t(`party.do.${d.kind}` as 'party.do.review')) : null; } },
  ];
  return sortableTable({ columns: cols, rows: items, className: 'transfers' });
}

const LEVELS = ['excellent', 'good', 'done', 'not_done'] as const;

function ratingsView(r: Ratings): Child {
  const table = h('table', { class: 'data ratings' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('field.ratingLevel')),
      h('th', { scope: 'col', class: 'num' }, t('party.ratedMembers')), h('th', { scope: 'col', class: 'num' }, '%'),
      h('th', { scope: 'col', class: 'num' }, t('party.ratedOrgs')), h('th', { scope: 'col', class: 'num' }, '%'))),
    h('tbody', null, LEVELS.map((l) => h('tr', { 'data-level': l }, h('th', { scope: 'row' }, tEnum('level', l)),
      h('td', { class: 'num' }, fmtInt(r.members[l])), h('td', { class: 'num' }, fmtPct(r.members[l], r.members.total)),
      h('td', { class: 'num' }, fmtInt(r.orgs[l])), h('td', { class: 'num' }, fmtPct(r.orgs[l], r.orgs.total))))),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, t('party.total')), h('td', { class: 'num' }, fmtInt(r.members.total)), h('td'),
      h('td', { class: 'num' }, fmtInt(r.orgs.total)), h('td'))));
  return [table,
    h('h3', null, t('party.quota', { n: fmtInt(r.quota.over.length), m: fmtInt(r.quota.checked) })),
    r.quota.over.length
      ? h('ul', { class: 'quota-over' }, r.quota.over.map((o) => h('li', null, chip(t('party.overQuota'), 'bad'), ' ', o.org.name ?? o.org.code,
        `: ${t('party.quotaLine', { e: fmtInt(o.excellent), g: fmtInt(o.good), a: fmtInt(o.allowed) })}`)))
      : h('p', { class: 'muted' }, t('party.none'))];
}

function stageCell(c: Candidate, asOf: string): Child {
  const next = c.deadlines[c.deadlines.length - 1];
  return [tEnum('stage', c.stage),
    next && (next.state === 'open' || next.state === 'overdue')
      ? h('span', { class: 'muted' }, ` · ${tEnum('due', next.kind)} ${t('party.by')} ${fmtDate(next.deadline)}`,
        next.state === 'overdue' || next.deadline < asOf ? [' ', chip(t('party.list.overdue'), 'bad')] : null)
      : null];
}

function nextForm(c: Candidate): string | null {
  const order = ['course', 'verified', 'voted', 'decided'];
  if (c.stage === 'admitted' || c.stage === 'dropped') return null;
  if (c.stage === 'decided') return href('forms/candAdmit', { id: c.id });
  const done = new Set(['proposed', ...order.slice(0, order.indexOf(c.stage) + 1)]);
  const stage = order.find((s) => !done.has(s) && !(s === 'course' && c.course_on)) ?? 'decided';
  return href('forms/candStage', { id: c.id, stage });
}

export async function partyView(ctx: ViewCtx): Promise<void> {
  const asOf = dateOf(ctx.route);
  const org = ctx.route.query.get('org') || undefined;
  const dateBox = dateField({ label: t('dash.asOf'), value: asOf, compact: true,
    onChange: (d) => { rememberDate(d); go('party', { as_of: asOfParam(d), org }); } });
  dateBox.input.dataset.key = 'as_of';
  const boxes: Record<typeof LISTS[number], HTMLElement> = { overdue: h('div'), due: h('div'), late: h('div') };
  const candBox = h('div');
  const badgeBox = h('div');
  const transferBox = h('div');
  const ratingBox = h('div');
  const year = Number(ctx.route.query.get('year') || asOf.slice(0, 4)) - (ctx.route.query.get('year') ? 0 : 1);
  const yearSel = h('select', { id: 'rating-year', 'aria-label': t('party.year'),
    onchange: (e: Event) => go('party', { as_of: asOfParam(asOf), org, year: (e.target as HTMLSelectElement).value }) },
    Array.from({ length: 8 }, (_, i) => Number(asOf.slice(0, 4)) - i).map((y) => h('option', { value: y, selected: y === year }, String(y))));
  ctx.setTitle(t('nav.party'));
  fill(ctx.main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, t('party.title'),
        h('span', { class: 'h1-sub' }, `${t('dash.asOf')} ${fmtDate(asOf)}`)), h('p', { class: 'lead' }, t('party.lead'))),
      h('div', { class: 'toolbar' }, h('div', { class: 'tool' }, dateBox.root),
        h('div', { class: 'tool tool-end' }, h('a', { class: 'button primary', href: href('forms/candPropose') }, icon('people'), t('form.candPropose'))))),
    LISTS.map((l) => panel(t(`party.list.${l}` as 'party.list.due'), { id: `party-${l}`, sub: t(`party.sub.${l}` as 'party.sub.due') }, boxes[l])),
    panel(t('party.candidates'), { id: 'party-candidates' }, candBox),
    panel(t('party.transfers'), { id: 'party-transfers', actions: h('a', { class: 'button', href: href('forms/transferNew') }, t('form.transferNew')) }, transferBox),
    panel(t('party.badges'), { id: 'party-badges' }, badgeBox),
    panel(t('party.ratings'), { id: 'party-ratings', actions: [h('label', { class: 'inline' }, t('party.year'), ' ', yearSel), ' ',
      h('a', { class: 'button', href: href('forms/rateMember') }, t('form.rateMember'))] }, ratingBox));
  void into(ratingBox, () => get<Ratings>('party/ratings', { year, org }, ctx.signal), ratingsView);
  void into(transferBox, () => get<{ items: Transfer[]; total: number }>('transfers', { as_of: asOf, org }, ctx.signal), (r) => [transferTable(r.items),
    r.total > r.items.length ? h('p', { class: 'muted' }, t('party.more', { n: fmtInt(r.total - r.items.length) })) : null]);
  void into(badgeBox, () => get<Badges>('party/badges', { as_of: asOf, org }, ctx.signal), (b) => [
    h('h3', null, t('party.badgesAt', { date: fmtDate(b.ceremony), prev: fmtDate(b.previous) })),
    badgeTable(b.due, 'due', b.ceremony),
    h('details', null, h('summary', null, t('party.badgesEarly', { n: fmtInt(b.total.early) })), badgeTable(b.early, 'early', b.ceremony)),
  ]);
  const loadDue = get<DueLists>('party/due', { as_of: asOf, org }, ctx.signal);
  for (const l of LISTS) void into(boxes[l], () => loadDue, (d) => dueTable(d[l], l));
  void into(candBox, () => get<{ items: Candidate[]; total: number }>('candidates', { as_of: asOf, org, per_page: 500 }, ctx.signal), (r) => {
    if (!r.items.length) return h('p', { class: 'muted' }, t('party.none'));
    const cols: Column<Candidate>[] = [
      { key: 'name', label: t('party.who'), value: (c) => c.full_name, cell: (c) => h('span', null, c.full_name, ' ', h('span', { class: 'muted' }, `(${c.id})`)) },
      { key: 'org', label: t('party.org'), value: (c) => c.org?.name ?? c.org?.code ?? '' },
      { key: 'proposed', label: t('field.proposed_on'), value: (c) => c.proposed_on, cell: (c) => fmtDate(c.proposed_on) },
      { key: 'stage', label: t('party.stage'), value: (c) => c.stage, cell: (c) => stageCell(c, asOf) },
      { key: 'act', label: t('party.action'), value: () => '', cell: (c) => { const f = nextForm(c); return f ? h('a', { class: 'button', href: f }, t('party.next')) : null; } },
    ];
    return [sortableTable({ columns: cols, rows: r.items, className: 'candidates' }),
      r.total > r.items.length ? h('p', { class: 'muted' }, t('party.more', { n: fmtInt(r.total - r.items.length) })) : null];
  });
}

/* The forms of party work, in the forms view. */
addForms(() => [
  { key: 'badgeAward', group: 'party', title: 'form.badgeAward', path: (v) => `members/${enc(v.id)}/badge`, dateField: 'awarded_on', record: (v) => `members/${enc(v.id)}`, fields: [
    { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
    { name: 'years', label: 'party.badgeYears', type: 'select', required: true, options: ['30', '40', '45', '50', '55', '60', '65', '70', '75', '80', '85', '90'].map((y) => [y, y]) },
    { name: 'awarded_on', label: 'field.awarded_on', type: 'date', required: true, today: true },
    { name: 'decision_no', label: 'field.decision_no', type: 'text' },
    { name: 'early', label: 'field.early', type: 'select', options: [['1', t('field.earlyYes')]], hint: 'hint.early' },
  ] },
  { key: 'rateMember', group: 'party', title: 'form.rateMember', path: (v) => `members/${enc(v.id)}/rating`, dateField: 'rated_on', record: (v) => `members/${enc(v.id)}`, fields: [
    { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
    { name: 'year', label: 'party.year', type: 'text', required: true },
    { name: 'score', label: 'field.score', type: 'text', hint: 'hint.score' },
    { name: 'level', label: 'field.ratingLevel', type: 'select', required: true, options: opts('level', [...LEVELS]) },
    { name: 'rated_on', label: 'field.rated_on', type: 'date', required: true, today: true, hint: 'hint.rated_on' },
    { name: 'rated_by', label: 'field.rated_by', type: 'pick', kind: 'org', required: true },
  ] },
  { key: 'rateOrg', group: 'party', title: 'form.rateOrg', path: (v) => `orgs/${enc(v.code)}/rating`, dateField: 'rated_on', record: (v) => `orgs/${enc(v.code)}`, fields: [
    { name: 'code', label: 'field.org', type: 'pick', kind: 'org', required: true, path: true },
    { name: 'year', label: 'party.year', type: 'text', required: true },
    { name: 'score', label: 'field.score', type: 'text', hint: 'hint.score' },
    { name: 'level', label: 'field.ratingLevel', type: 'select', required: true, options: opts('level', [...LEVELS]) },
    { name: 'rated_on', label: 'field.rated_on', type: 'date', required: true, today: true },
    { name: 'rated_by', label: 'field.rated_by', type: 'pick', kind: 'org', required: true },
  ] },
  { key: 'transferNew', group: 'party', title: 'form.transferNew', path: () => 'transfers', dateField: 'letter_on', record: () => 'party', fields: [
    { name: 'id', label: 'field.transfer', type: 'text', required: true, hint: 'hint.transfer_id' },
    { name: 'member_id', label: 'field.member', type: 'pick', kind: 'member', required: true },
    { name: 'kind', label: 'field.transfer_kind', type: 'select', required: true, options: opts('transfer', ['official', 'out', 'temporary']) },
    { name: 'to_org', label: 'field.to_org', type: 'pick', kind: 'org', hint: 'hint.to_org' },
    { name: 'destination', label: 'field.destination', type: 'text', hint: 'hint.destination' },
    { name: 'purpose', label: 'field.purpose', type: 'select', options: opts('purpose', ['work', 'study']) },
    { name: 'decided_on', label: 'field.transfer_decided_on', type: 'date', required: true, hint: 'hint.transfer_decided_on' },
    { name: 'letter_on', label: 'field.letter_on', type: 'date', required: true, today: true },
    { name: 'until', label: 'field.until', type: 'date', hint: 'hint.until' },
  ] },
  { key: 'transferPresent', group: 'party', title: 'form.transferPresent', path: (v) => `transfers/${enc(v.id)}/present`, record: () => 'party', fields: [
    { name: 'id', label: 'field.transfer', type: 'text', required: true, path: true },
    { name: 'presented_on', label: 'field.presented_on', type: 'date', required: true, today: true, hint: 'hint.presented_on' },
  ] },
  { key: 'transferReturn', group: 'party', title: 'form.transferReturn', path: (v) => `transfers/${enc(v.id)}/return`, record: () => 'party', fields: [
    { name: 'id', label: 'field.transfer', type: 'text', required: true, path: true },
    { name: 'returned_on', label: 'field.returned_on', type: 'date', required: true, today: true },
  ] },
  { key: 'candPropose', group: 'party', title: 'form.candPropose', path: () => 'candidates', dateField: 'proposed_on', record: () => 'party', fields: [
    { name: 'id', label: 'field.candidate', type: 'text', required: true, hint: 'hint.candidate' },
    { name: 'full_name', label: 'field.full_name', type: 'text', required: true },
    { name: 'gender', label: 'field.gender', type: 'select', required: true, options: opts('gender', ['male', 'female']) },
    { name: 'birth_date', label: 'field.birth_date', type: 'date', required: true },
    { name: 'ethnicity', label: 'field.ethnicity', type: 'text', required: true, list: ETHNIC },
    { name: 'org_code', label: 'field.org_code', type: 'pick', kind: 'org', required: true, hint: 'hint.org_code' },
    { name: 'residence_code', label: 'field.residence_code', type: 'pick', kind: 'unit', params: { level: 'village' }, hint: 'hint.residence_code' },
    { name: 'proposed_on', label: 'field.proposed_on', type: 'date', required: true, today: true },
    { name: 'course_on', label: 'field.course_on', type: 'date', hint: 'hint.course_on' },
    { name: 'course_by', label: 'field.course_by', type: 'text' },
    { name: 'age_exception', label: 'field.age_exception', type: 'text', hint: 'hint.age_exception' },
  ] },
  { key: 'candStage', group: 'party', title: 'form.candStage', path: (v) => `candidates/${enc(v.id)}/stage`, record: () => 'party', fields: [
    { name: 'id', label: 'field.candidate', type: 'text', required: true, path: true },
    { name: 'stage', label: 'field.stage', type: 'select', required: true, options: opts('stage', ['course', 'verified', 'voted', 'decided', 'dropped']) },
    { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
    { name: 'by', label: 'field.by', type: 'text', hint: 'hint.by' },
    { name: 'decision_no', label: 'field.decision_no', type: 'text' },
    { name: 'age_exception', label: 'field.age_exception', type: 'text', hint: 'hint.age_exception' },
  ] },
  { key: 'candAdmit', group: 'party', title: 'form.candAdmit', path: (v) => `candidates/${enc(v.id)}/admit`, record: (v) => `members/${enc(v.member_id)}`, fields: [
    { name: 'id', label: 'field.candidate', type: 'text', required: true, path: true },
    { name: 'member_id', label: 'field.id', type: 'text', required: true, hint: 'hint.id' },
    { name: 'ceremony_on', label: 'field.ceremony_on', type: 'date', required: true, today: true, hint: 'hint.ceremony_on' },
  ] },
  { key: 'probation', group: 'party', title: 'form.probation', path: (v) => `members/${enc(v.id)}/probation`, record: (v) => `members/${enc(v.id)}`, fields: [
    { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
    { name: 'reviewed_on', label: 'field.reviewed_on', type: 'date', required: true, today: true },
    { name: 'decided_on', label: 'field.decided_on', type: 'date', required: true, today: true },
    { name: 'decided_by', label: 'field.decided_by', type: 'pick', kind: 'org', params: { kind: 'committee' }, required: true },
    { name: 'decision_no', label: 'field.decision_no', type: 'text' },
    { name: 'outcome', label: 'field.outcome', type: 'select', required: true, options: opts('outcome', ['recognised', 'removed']) },
  ] },
]);

