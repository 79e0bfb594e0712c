// Party members: search as you type (diacritics optional) and a member's
// profile with the history of their party life.

import { get, isAbort, type Member, type MemberDetail, type Page } from '../api';
import { debounce, fill, h, icon } from '../dom';
import { fmtDate, fmtInt, t, tEnum } from '../i18n';
import { asOfParam, dateOf, href, replaceQuiet } from '../router';
import type { ViewCtx } from '../view';
import { breadcrumb, chip, errorBox, facts, loading, pager, panel } from '../widgets';
import { dateBar } from './units';

const statusTone: Record<string, string> = { official: 'chip-good', probationary: 'chip-info', ended: 'chip-muted', not_admitted: 'chip-muted' };
export const statusChip = (s: string): HTMLElement => chip(tEnum('status', s), statusTone[s] ?? '');

export async function membersView(ctx: ViewCtx): Promise<void> {
  const asOf = dateOf(ctx.route);
  const id = ctx.route.parts[1];
  if (id) return memberProfile(ctx, id, asOf);
  ctx.setTitle(t('members.title'));
  const query = ctx.route.query;
  const org = query.get('org') ?? '';
  const scope = query.get('scope') ?? '';
  let page = Number(query.get('page') ?? 1) || 1;
  const search = h('input', {
    id: 'member-q', type: 'search', value: query.get('q') ?? '', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'member-q-hint', 'data-key': 'member-q', 'aria-controls': 'member-results',
  });
  const status = h('select', { id: 'member-status', 'data-key': 'member-status' },
    h('option', { value: 'active', selected: query.get('status') !== 'all' }, t('members.active')),
    h('option', { value: 'all', selected: query.get('status') === 'all' }, t('members.all')));
  const count = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { id: 'member-results' });
  const filters = [org ? [t('member.org'), org] : null, scope ? [t('dash.scope'), scope] : null].filter(Boolean) as string[][];
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, t('members.title'))),
      dateBar(ctx, asOf, 'members', { q: query.get('q') ?? undefined, org: org || undefined, scope: scope || undefined })),
    h('div', { class: 'search-row', role: 'search' },
      h('div', { class: 'field grow' },
        h('label', { for: 'member-q' }, t('members.search')),
        h('div', { class: 'search-box big' }, icon('search'), search),
        h('p', { id: 'member-q-hint', class: 'field-hint' }, t('members.searchHint'))),
      h('div', { class: 'field' }, h('label', { for: 'member-status' }, t('members.status')), status)),
    filters.length ? h('p', { class: 'filters' }, filters.map(([k, v]) => chip(`${k}: ${v}`, 'chip-info')),
      h('a', { href: href('members', { q: search.value, as_of: asOfParam(asOf) }) }, '×')) : null,
    count, results);

  let controller: AbortController | null = null;
  const run = async () => {
    controller?.abort();
    controller = new AbortController();
    const q = search.value.trim();
    replaceQuiet('members', { q, status: status.value === 'all' ? 'all' : undefined, org, scope, page: page > 1 ? page : undefined, as_of: asOfParam(asOf) });
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) fill(results, loading());
    try {
      const r = await get<Page<Member>>('members', { q, status: status.value, org, scope, as_of: asOf, page, per_page: 25, sort: 'name' }, controller.signal);
      count.textContent = !r.total ? t('common.noResults')
        : t(r.total_exact === false ? 'common.resultsMore' : 'common.results', { n: fmtInt(r.total) });
      fill(results, r.items.length ? h('div', { class: 'panel table-wrap' }, h('table', { class: 'data members' },
        h('thead', null, h('tr', null, [t('member.name'), t('member.birth'), t('member.ethnicity'), t('member.admitted'), t('member.org'), t('member.residence'), t('members.status')]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, r.items.map((m) => h('tr', null,
          h('th', { scope: 'row' }, h('a', { href: href(`members/${encodeURIComponent(m.id)}`, { as_of: asOfParam(asOf) }), class: 'member-link' }, m.full_name),
            h('span', { class: 'muted code block' }, m.id)),
          h('td', null, fmtDate(m.birth_date)), h('td', null, m.ethnicity), h('td', null, fmtDate(m.admitted_on)),
          h('td', null, m.org?.name ?? ''), h('td', null, m.residence?.name ?? ''), h('td', null, statusChip(m.status))))))) : null,
        pager(r, (p) => { page = p; void run(); }));
    } catch (e) {
      if (!isAbort(e)) fill(results, errorBox(e, () => void run()));
    } finally {
      results.removeAttribute('aria-busy');
    }
  };
  search.addEventListener('input', debounce(() => { page = 1; void run(); }, 250));
  search.addEventListener('keydown', (e: KeyboardEvent) => { if (e.key === 'Enter') { page = 1; void run(); } });
  status.addEventListener('change', () => { page = 1; void run(); });
  ctx.signal.addEventListener('abort', () => controller?.abort());
  void run();
}

async function memberProfile(ctx: ViewCtx, id: string, asOf: string): Promise<void> {
  const body = h('div', null, loading());
  fill(ctx.main, body);
  let d: MemberDetail;
  try {
    d = await get<MemberDetail>(`members/${encodeURIComponent(id)}`, { as_of: asOf }, ctx.signal);
  } catch (e) {
    if (!isAbort(e)) fill(body, errorBox(e));
    return;
  }
  const m = d.member;
  ctx.setTitle(m.full_name);
  const orgLink = (r: { code: string; name: string } | null | undefined) => r ? h('a', { href: href(`orgs/${encodeURIComponent(r.code)}`) }, r.name) : null;
  const unitLink = (r: { code: string; name: string } | null | undefined) => r ? h('a', { href: href(`units/${encodeURIComponent(r.code)}`) }, r.name) : null;
  const active = m.status === 'official' || m.status === 'probationary';
  const periodFrom = (date: string) => d.periods.find((p) => p.valid_from === date);
  const periodTo = (date: string) => d.periods.find((p) => p.valid_to === date);
  const where = (p: MemberDetail['periods'][number] | undefined) => p ? [
    p.org ? h('span', null, t('member.at', { org: '' }).trim(), ' ', orgLink(p.org)) : null,
    p.residence ? h('span', null, ', ', t('member.livesIn', { place: '' }).trim(), ' ', unitLink(p.residence)) : null,
  ] : null;
  const eventBody = (ev: MemberDetail['events'][number]) => {
    switch (ev.kind) {
      case 'admitted': return where(periodFrom(ev.date));
      case 'transfer': {
        const from = periodTo(ev.date), to = periodFrom(ev.date);
        return h('span', null, from?.org?.name !== to?.org?.name ? [orgLink(from?.org), ' → ', orgLink(to?.org)] : null,
          from?.residence?.name !== to?.residence?.name ? [from?.org?.name !== to?.org?.name ? '; ' : '', t('member.residence'), ': ', unitLink(from?.residence), ' → ', unitLink(to?.residence)] : null);
      }
      case 'ended': return tEnum('reason', (ev.end_reason as string) ?? m.end_reason);
      default: return null;
    }
  };
  const events = [...d.events].sort((a, b) => a.date.localeCompare(b.date));
  const current = d.periods.find((p) => !p.valid_to) ?? d.periods[d.periods.length - 1];
  fill(body,
    h('div', { class: 'page-head' },
      h('div', null,
        breadcrumb([{ label: t('members.title'), href: href('members') }, { label: m.full_name }]),
        h('h1', { id: 'page-title', tabindex: -1 }, m.full_name, ' ', statusChip(m.status), h('span', { class: 'h1-sub' }, `${t('member.id')} ${m.id}`)))),
    h('div', { class: 'profile-card' },
      facts([
        ['member.gender', tEnum('gender', m.gender)],
        ['member.birth', fmtDate(m.birth_date)],
        ['member.ethnicity', m.ethnicity],
        ['member.admitted', fmtDate(m.admitted_on)],
        ['member.officialOn', fmtDate(m.official_on)],
        ['member.endedOn', m.ended_on ? `${fmtDate(m.ended_on)} (${tEnum('reason', m.end_reason)})` : null],
        ['member.org', orgLink(current?.org ?? m.org)],
        ['member.residence', unitLink(current?.residence ?? m.residence)],
      ]),
      h('div', { class: 'actions' },
        m.status === 'probationary' ? h('a', { class: 'button primary', href: href('forms/official', { id: m.id }) }, t('form.official')) : null,
        active ? h('a', { class: 'button', href: href('forms/transfer', { id: m.id }) }, t('form.transfer')) : null,
        active ? h('a', { class: 'button', href: href('forms/end', { id: m.id }) }, t('form.end')) : null)),
    h('div', { class: 'grid-2' },
      panel(t('member.history'), { id: 'member-history' },
        h('ol', { class: 'timeline' }, events.map((ev) => h('li', { class: `tl-item tl-${ev.kind}` },
          h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
          h('time', { datetime: ev.date }, fmtDate(ev.date)),
          h('p', { class: 'tl-title' }, tEnum('member.ev', ev.kind)),
          h('p', { class: 'tl-body' }, eventBody(ev)))))),
      panel(t('member.periods'), {},
        h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
          h('thead', null, h('tr', null, [t('common.from'), t('common.to'), t('member.org'), t('member.residence')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', null, d.periods.map((p) => h('tr', null,
            h('td', null, fmtDate(p.valid_from)), h('td', null, p.valid_to ? fmtDate(p.valid_to) : t('common.present')),
            h('td', null, orgLink(p.org)), h('td', null, unitLink(p.residence))))))))),
  );
}
