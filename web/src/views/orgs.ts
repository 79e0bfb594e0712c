// Party organizations: the tree on a date and an organization's profile.

import { get, isAbort, type Org, type OrgDetail, type Page } from '../api';
import { fill, h, icon } from '../dom';
import { fmtDate, fmtInt, t, tEnum } from '../i18n';
import { asOfParam, dateOf, href } from '../router';
import type { ViewCtx } from '../view';
import { breadcrumb, chip, errorBox, facts, loading, panel } from '../widgets';
import { lazyTree } from './tree';
import { dateBar, historyTable } from './units';

const openOrgs = new Set<string>();
const yes = (v: boolean | number | null | undefined) => v === true || v === 1;

export async function orgsView(ctx: ViewCtx): Promise<void> {
  const asOf = dateOf(ctx.route);
  const code = ctx.route.parts[1];
  if (code) return orgProfile(ctx, code, asOf);
  ctx.setTitle(t('orgs.title'));
  const row = (o: Org) => h('div', { class: 'tree-item' },
    h('a', { href: href(`orgs/${encodeURIComponent(o.code)}`, { as_of: asOfParam(asOf) }), class: 'tree-name' }, o.name),
    h('span', { class: 'muted code' }, o.code),
    yes(o.grassroots) ? chip(t('org.grassroots'), 'chip-info') : null,
    o.members !== undefined ? h('span', { class: 'muted' }, `${t('org.members')}: ${fmtInt(o.members)}`) : null);
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, t('orgs.title')), h('p', { class: 'lead' }, t('orgs.intro'))), dateBar(ctx, asOf, 'orgs')),
    panel(t('orgs.title'), {}, lazyTree<Org>({
      load: async (parent) => (await get<Page<Org>>('orgs', { parent, as_of: asOf, per_page: 500 }, ctx.signal)).items,
      code: (o) => o.code, name: (o) => o.name, hasChildren: (o) => o.kind === 'committee', row,
    }, openOrgs)));
}

async function orgProfile(ctx: ViewCtx, code: string, asOf: string): Promise<void> {
  const body = h('div', null, loading());
  fill(ctx.main, body);
  let d: OrgDetail;
  try {
    d = await get<OrgDetail>(`orgs/${encodeURIComponent(code)}`, { as_of: asOf }, ctx.signal);
  } catch (e) {
    if (!isAbort(e)) fill(body, errorBox(e));
    return;
  }
  const o = d.org ?? d.history[d.history.length - 1];
  ctx.setTitle(o?.name ?? code);
  const orgLink = (c: string, name: string) => h('a', { href: href(`orgs/${encodeURIComponent(c)}`, { as_of: asOfParam(asOf) }) }, name);
  const parent = d.ancestors[d.ancestors.length - 1];
  fill(body,
    h('div', { class: 'page-head' },
      h('div', null,
        breadcrumb([{ label: t('orgs.title'), href: href('orgs', { as_of: asOfParam(asOf) }) },
          ...d.ancestors.map((a) => ({ label: a.name, href: href(`orgs/${encodeURIComponent(a.code)}`, { as_of: asOfParam(asOf) }) })),
          { label: o?.name ?? code }]),
        h('h1', { id: 'page-title', tabindex: -1 }, o?.name ?? code, h('span', { class: 'h1-sub' }, `${o ? tEnum('org', o.kind) : ''} · ${t('common.code')} ${code}`))),
      dateBar(ctx, asOf, `orgs/${encodeURIComponent(code)}`)),
    d.org ? null : h('div', { class: 'alert alert-warn', role: 'status' }, icon('alert'), t('common.notExisting', { date: fmtDate(asOf) })),
    h('div', { class: 'profile-card' },
      facts([
        ['common.kind', o ? tEnum('org', o.kind) : null],
        ['org.grassroots', o && yes(o.grassroots) ? t('common.yes') : null],
        ['org.parent', parent ? orgLink(parent.code, parent.name) : null],
        ['org.site', o?.site_unit ? h('a', { href: href(`units/${encodeURIComponent(o.site_unit)}`, { as_of: asOfParam(asOf) }) }, o.site_unit) : o?.site_institution ?? null],
        ['org.members', h('a', { href: href('members', { org: code, as_of: asOfParam(asOf) }) }, fmtInt(d.members))],
      ]),
      h('div', { class: 'actions' },
        h('a', { class: 'button primary', href: href('members', { org: code, as_of: asOfParam(asOf) }) }, t('org.memberList')),
        h('a', { class: 'button', href: href('forms/admit', { org_code: code }) }, t('form.admit')),
        h('a', { class: 'button', href: href('forms/orgRename', { code }) }, t('form.orgRename')),
        h('a', { class: 'button', href: href('forms/orgMove', { code }) }, t('form.orgMove')),
        h('a', { class: 'button', href: href('forms/orgDissolve', { code }) }, t('form.orgDissolve')),
        o?.kind === 'committee' ? h('a', { class: 'button', href: href('forms/orgFound', { parent_code: code }) }, t('form.orgFound')) : null)),
    d.children.length ? panel(`${t('org.children')} (${fmtInt(d.children.length)})`, {},
      h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('common.name')), h('th', { scope: 'col' }, t('common.kind')), h('th', { scope: 'col' }, t('common.code')), h('th', { scope: 'col', class: 'num' }, t('org.members')))),
        h('tbody', null, d.children.map((c) => h('tr', null,
          h('th', { scope: 'row' }, orgLink(c.code, c.name)), h('td', null, tEnum('org', c.kind), yes(c.grassroots) ? [' ', chip(t('org.grassroots'), 'chip-info')] : null),
          h('td', null, h('code', null, c.code)), h('td', { class: 'num' }, c.members === undefined ? '—' : fmtInt(c.members)))))))) : null,
    d.history.length ? panel(t('org.history'), {}, historyTable(d.history.map((x) => ({
      from: x.valid_from, to: x.valid_to, cells: [x.name, x.parent_code ?? '', x.site_unit ?? x.site_institution ?? ''],
    })), [t('common.name'), t('org.parent'), t('org.site')])) : null,
  );
}
