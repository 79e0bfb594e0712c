// Administrative units: the tree on a date, a search, and a unit's profile
// (its place, flags, units under it, institutions, organizations, history).

import { get, isAbort, type Page, type Unit, type UnitDetail } from '../api';
import { debounce, fill, h, icon } from '../dom';
import { fmtDate, fmtInt, t, tEnum } from '../i18n';
import { asOfParam, dateOf, go, href, rememberDate, replaceQuiet } from '../router';
import type { ViewCtx } from '../view';
import { breadcrumb, chip, dateField, errorBox, facts, loading, panel } from '../widgets';
import { lazyTree } from './tree';

const openUnits = new Set<string>();
const flag = (v: boolean | number | null | undefined) => v === true || v === 1;

export function unitFlags(u: Unit): HTMLElement[] {
  return [
    flag(u.border) ? chip(t('unit.border'), 'chip-border') : null,
    flag(u.difficult) ? chip(t('unit.difficult'), 'chip-difficult') : null,
  ].filter(Boolean) as HTMLElement[];
}

export function dateBar(ctx: ViewCtx, asOf: string, path: string, extra: Record<string, string | undefined> = {}): HTMLElement {
  const f = dateField({
    label: t('dash.asOf'), value: asOf, compact: true,
    onChange: (d) => { rememberDate(d); go(path, { ...extra, as_of: asOfParam(d) }); },
  });
  f.input.dataset.key = 'as_of';
  void ctx;
  return h('div', { class: 'toolbar slim' }, h('div', { class: 'tool' }, f.root));
}

export async function unitsView(ctx: ViewCtx): Promise<void> {
  const asOf = dateOf(ctx.route);
  const code = ctx.route.parts[1];
  if (code) return unitProfile(ctx, code, asOf);
  ctx.setTitle(t('units.title'));
  const q = ctx.route.query.get('q') ?? '';
  const lvl = ctx.route.query.get('level') ?? '';
  const search = h('input', { id: 'unit-q', type: 'search', value: q, autocomplete: 'off', 'data-key': 'unit-q', spellcheck: 'false' });
  const level = h('select', { id: 'unit-level', 'data-key': 'unit-level' },
    ['', 'province', 'district', 'commune', 'village'].map((l) => h('option', { value: l, selected: l === lvl }, l ? tEnum('level', l) : t('level.any'))));
  const results = h('div', { 'aria-live': 'polite' });
  const treeBox = h('div');
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, t('units.title')), h('p', { class: 'lead' }, t('units.intro'))), dateBar(ctx, asOf, 'units')),
    h('div', { class: 'search-row' },
      h('div', { class: 'field grow' }, h('label', { for: 'unit-q' }, t('units.search')), h('div', { class: 'search-box' }, icon('search'), search)),
      h('div', { class: 'field' }, h('label', { for: 'unit-level' }, t('common.level')), level)),
    results, treeBox);
  const row = (u: Unit) => h('div', { class: 'tree-item' },
    h('a', { href: href(`units/${encodeURIComponent(u.code)}`, { as_of: asOfParam(asOf) }), class: 'tree-name' }, u.name),
    h('span', { class: 'muted code' }, u.code),
    ...unitFlags(u),
    u.level !== 'village' ? h('a', { class: 'tree-action', href: href('dashboard', { scope: u.code, as_of: asOfParam(asOf) }) }, t('units.report')) : null);
  let controller: AbortController | null = null;
  const update = async () => {
    const text = search.value.trim(), lv = level.value;
    replaceQuiet('units', { q: text, level: lv, as_of: asOfParam(asOf) });
    controller?.abort();
    treeBox.hidden = Boolean(text || lv);
    if (!text && !lv) { fill(results); return; }
    controller = new AbortController();
    fill(results, loading());
    try {
      const r = await get<Page<Unit>>('units', { q: text, level: lv, as_of: asOf, per_page: 100, sort: 'name' }, controller.signal);
      fill(results, h('p', { class: 'muted', role: 'status' }, r.total ? t('common.results', { n: fmtInt(r.total) }) : t('common.noResults')),
        h('ul', { class: 'flat-list' }, r.items.map((u) => h('li', null, row(u), h('span', { class: 'muted' }, ` · ${u.kind}`)))));
    } catch (e) { if (!isAbort(e)) fill(results, errorBox(e)); }
  };
  search.addEventListener('input', debounce(() => void update(), 250));
  level.addEventListener('change', () => void update());
  ctx.signal.addEventListener('abort', () => controller?.abort());
  fill(treeBox, panel(t('units.title'), {}, lazyTree<Unit>({
    load: async (parent) => (await get<Page<Unit>>('units', { parent, as_of: asOf, per_page: 500 }, ctx.signal)).items,
    code: (u) => u.code, name: (u) => u.name, hasChildren: (u) => u.level !== 'village', row,
  }, openUnits)));
  if (q || lvl) void update();
}

async function unitProfile(ctx: ViewCtx, code: string, asOf: string): Promise<void> {
  const body = h('div', null, loading());
  fill(ctx.main, body);
  let d: UnitDetail;
  try {
    d = await get<UnitDetail>(`units/${encodeURIComponent(code)}`, { as_of: asOf }, ctx.signal);
  } catch (e) {
    if (!isAbort(e)) fill(body, errorBox(e));
    return;
  }
  const u = d.unit ?? d.history[d.history.length - 1];
  ctx.setTitle(u?.name ?? code);
  const unitLink = (c: string, name: string) => h('a', { href: href(`units/${encodeURIComponent(c)}`, { as_of: asOfParam(asOf) }) }, name);
  const actions = h('div', { class: 'actions' },
    d.unit && d.unit.level !== 'village' ? h('a', { class: 'button primary', href: href('dashboard', { scope: code, as_of: asOfParam(asOf) }) }, t('unit.report')) : null,
    h('a', { class: 'button', href: href('forms/unitRename', { code }) }, t('form.unitRename')),
    h('a', { class: 'button', href: href('forms/unitMove', { code }) }, t('form.unitMove')),
    h('a', { class: 'button', href: href('forms/unitClose', { code }) }, t('form.unitClose')),
    u?.level !== 'village' ? h('a', { class: 'button', href: href('forms/unitAdd', { parent_code: code }) }, t('form.unitAdd')) : null,
    h('a', { class: 'button', href: href('forms/instAdd', { unit_code: code }) }, t('form.instAdd')),
    h('a', { class: 'button', href: href('forms/orgFound', { site_unit: code }) }, t('form.orgFound')));
  fill(body,
    h('div', { class: 'page-head' },
      h('div', null,
        breadcrumb([{ label: t('units.title'), href: href('units', { as_of: asOfParam(asOf) }) },
          ...d.ancestors.map((a) => ({ label: a.name, href: href(`units/${encodeURIComponent(a.code)}`, { as_of: asOfParam(asOf) }) })),
          { label: u?.name ?? code }]),
        h('h1', { id: 'page-title', tabindex: -1 }, u?.name ?? code, h('span', { class: 'h1-sub' }, `${u ? `${u.kind} · ${tEnum('level', u.level)} · ` : ''}${t('common.code')} ${code}`))),
      dateBar(ctx, asOf, `units/${encodeURIComponent(code)}`)),
    d.unit ? null : h('div', { class: 'alert alert-warn', role: 'status' }, icon('alert'), t('common.notExisting', { date: fmtDate(asOf) })),
    h('div', { class: 'profile-card' },
      facts([
        ['unit.parent', d.ancestors.length ? unitLink(d.ancestors[d.ancestors.length - 1].code, d.ancestors[d.ancestors.length - 1].name) : null],
        ['unit.population', u?.population ? fmtInt(u.population) : null],
        ['unit.border', u && flag(u.border) ? t('common.yes') : null],
        ['unit.difficult', u && flag(u.difficult) ? t('common.yes') : null],
      ]),
      actions),
    d.children.length ? panel(`${t('unit.children')} (${fmtInt(d.children.length)})`, {},
      h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('common.name')), h('th', { scope: 'col' }, t('common.kind')), h('th', { scope: 'col' }, t('common.code')), h('th', { scope: 'col', class: 'num' }, t('unit.population')), h('th', { scope: 'col' }, ''))),
        h('tbody', null, d.children.map((c) => h('tr', null,
          h('th', { scope: 'row' }, unitLink(c.code, c.name)), h('td', null, c.kind), h('td', null, h('code', null, c.code)),
          h('td', { class: 'num' }, c.population ? fmtInt(c.population) : '—'), h('td', null, ...unitFlags(c)))))))) : null,
    d.institutions?.length ? panel(t('unit.institutions'), {},
      h('ul', { class: 'flat-list' }, d.institutions.map((i) => h('li', null, h('strong', null, i.name), ' ', chip(tEnum('inst', i.kind)), ' ',
        i.has_org === undefined ? null : chip(i.has_org ? t('unit.hasOrg') : t('unit.noOrg'), i.has_org ? 'chip-good' : 'chip-warn'),
        h('span', { class: 'muted code' }, ` ${i.code}`))))) : null,
    d.orgs?.length ? panel(t('unit.orgs'), {},
      h('ul', { class: 'flat-list' }, d.orgs.map((o) => h('li', null,
        h('a', { href: href(`orgs/${encodeURIComponent(o.code)}`, { as_of: asOfParam(asOf) }) }, o.name), ' ', chip(tEnum('org', o.kind)),
        o.members !== undefined ? h('span', { class: 'muted' }, ` · ${t('org.members')}: ${fmtInt(o.members)}`) : null)))) : null,
    d.history.length ? panel(t('unit.history'), {}, historyTable(d.history.map((x) => ({
      from: x.valid_from, to: x.valid_to, cells: [x.name, x.kind, x.parent_code ?? ''],
    })), [t('common.name'), t('common.kind'), t('unit.parent')])) : null,
  );
}

export function historyTable(rows: { from?: string | null; to?: string | null; cells: string[] }[], head: string[]): HTMLElement {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('common.from')), h('th', { scope: 'col' }, t('common.to')), head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null,
      h('td', null, r.from ? fmtDate(r.from) : '…'), h('td', null, r.to ? fmtDate(r.to) : t('common.present')),
      r.cells.map((c) => h('td', null, c)))))));
}
