// The shared pieces of the views: date field, search-as-you-type picker,
// sortable table, loading and error states, pager, breadcrumb, panels.

import { ApiError, get, isAbort, type Member, type Org, type Page, type Params, type Unit } from './api';
import { debounce, fill, h, icon, nextId, type Child } from './dom';
import { collator, fmtDate, parseDate, t, tEnum, type Key } from './i18n';

/* ---------- date field: dd/mm/yyyy text, with the native calendar on a button ---------- */

export interface DateField {
  root: HTMLElement;
  input: HTMLInputElement;
  /** The ISO date, '' when empty, null when what is typed is not a date. */
  value(): string | null;
  set(iso: string): void;
}

export function dateField(opts: {
  label: string; value?: string; name?: string; required?: boolean; hint?: string;
  onChange?: (iso: string) => void; compact?: boolean;
}): DateField {
  const id = nextId('date');
  const msgId = `${id}-msg`;
  const hintId = `${id}-hint`;
  const input = h('input', {
    id, type: 'text', name: opts.name, inputmode: 'numeric', autocomplete: 'off', placeholder: 'dd/mm/yyyy',
    class: 'date-text', value: fmtDate(opts.value ?? ''), required: opts.required,
    'aria-describedby': `${hintId} ${msgId}`, 'data-iso': opts.value ?? '',
  });
  const native = h('input', { type: 'date', tabindex: -1, 'aria-hidden': 'true', class: 'date-native', value: opts.value ?? '' });
  const msg = h('p', { id: msgId, class: 'field-error', hidden: true });
  const setInvalid = (text: string | null) => {
    msg.hidden = !text;
    msg.textContent = text ?? '';
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const commit = () => {
    const raw = input.value.trim();
    if (!raw) { input.dataset.iso = ''; setInvalid(null); return; }
    const iso = parseDate(raw);
    if (!iso) { setInvalid(t('common.invalidDate')); return; }
    setInvalid(null);
    input.value = fmtDate(iso);
    native.value = iso;
    if (input.dataset.iso !== iso) {
      input.dataset.iso = iso;
      opts.onChange?.(iso);
    }
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (e: KeyboardEvent) => { if (e.key === 'Enter' && opts.onChange) { e.preventDefault(); commit(); } });
  native.addEventListener('change', () => {
    if (!native.value) return;
    input.value = fmtDate(native.value);
    commit();
  });
  const button = h('button', {
    type: 'button', class: 'icon-button', title: t('common.pickDate'), 'aria-label': `${t('common.pickDate')}: ${opts.label}`,
    onclick: () => {
      native.value = input.dataset.iso || '';
      try { (native as HTMLInputElement & { showPicker(): void }).showPicker(); } catch { input.focus(); }
    },
  }, icon('calendar'));
  const root = h('div', { class: `field date-field${opts.compact ? ' compact' : ''}` },
    h('label', { for: id }, opts.label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'date-input' }, input, button, native),
    h('p', { id: hintId, class: 'field-hint' }, opts.hint ?? t('common.dateHint')),
    msg,
  );
  return {
    root, input,
    value: () => { const raw = input.value.trim(); return raw ? parseDate(raw) : ''; },
    set: (iso: string) => { input.value = fmtDate(iso); input.dataset.iso = iso; native.value = iso; setInvalid(null); },
  };
}

/* ---------- picker: a combobox that searches units, organizations or members ---------- */

export type PickKind = 'unit' | 'org' | 'member';
interface Option { code: string; name: string; detail: string }

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
const matches = (text: string, q: string) => {
  const words = fold(text).split(/[\s,()]+/);
  return fold(q).split(/\s+/).filter(Boolean).every((w) => words.some((x) => x.startsWith(w)));
};

async function search(kind: PickKind, q: string, params: Params, signal: AbortSignal): Promise<Option[]> {
  if (kind === 'unit') {
    const r = await get<Page<Unit>>('units', { ...params, q, per_page: 12, sort: 'name' }, signal);
    return r.items.map((u) => ({ code: u.code, name: u.name, detail: [u.code, u.kind || tEnum('level', u.level), u.parent_code ? `${t('unit.parent').toLowerCase()} ${u.parent_code}` : ''].filter(Boolean).join(' · ') }));
  }
  if (kind === 'member') {
    const r = await get<Page<Member>>('members', { ...params, q, per_page: 12 }, signal);
    return r.items.map((m) => ({ code: m.id, name: m.full_name, detail: `${m.id} · ${fmtDate(m.birth_date)} · ${m.org?.name ?? ''}` }));
  }
  // Organizations: by their own name when the server filters on q; else
  // through the units whose name matches (a village's cell is found by typing the village).
  const orgOption = (o: Org) => ({ code: o.code, name: o.name, detail: `${o.code} · ${tEnum('org', o.kind)}` });
  const direct = await get<Page<Org>>('orgs', { ...params, q, per_page: 12 }, signal).catch((e) => {
    if (isAbort(e)) throw e;
    return { items: [] as Org[] } as Page<Org>;
  });
  const found = direct.items.filter((o) => matches(`${o.name} ${o.code}`, q)).map(orgOption);
  if (found.length) return found;
  const units = await get<Page<Unit>>('units', { as_of: params.as_of, q, per_page: 5 }, signal);
  const details = await Promise.all(units.items.map((u) => get<{ orgs?: Org[] }>(`units/${encodeURIComponent(u.code)}`, { as_of: params.as_of }, signal)));
  const out: Option[] = [];
  details.forEach((d) => (d.orgs ?? []).filter((o) => !params.kind || o.kind === params.kind).forEach((o) => out.push(orgOption(o))));
  return out.slice(0, 12);
}

export interface Picker { root: HTMLElement; input: HTMLInputElement; value(): string; set(code: string, name?: string): void }

export function picker(opts: {
  label: string; name: string; kind: PickKind; params?: () => Params; value?: string; valueName?: string;
  required?: boolean; hint?: string;
}): Picker {
  const id = nextId('pick');
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  let selected: Option | null = opts.value ? { code: opts.value, name: opts.valueName ?? opts.value, detail: '' } : null;
  let options: Option[] = [];
  let active = -1;
  let controller: AbortController | null = null;
  const input = h('input', {
    id, type: 'text', name: opts.name, role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, 'aria-describedby': hintId,
    placeholder: t('forms.pick'), required: opts.required, value: selected ? selected.name : '',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'picker-list', hidden: true, 'aria-label': opts.label });
  const chosen = h('p', { class: 'picker-chosen', 'aria-live': 'polite' });
  const showChosen = () => fill(chosen, selected ? [icon('check'), ' ', h('span', null, selected.name), ' ', h('code', null, selected.code)] : '');
  showChosen();
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; };
  const choose = (o: Option) => {
    selected = o;
    input.value = o.name;
    showChosen();
    close();
    input.dispatchEvent(new Event('picked', { bubbles: true }));
  };
  const setActive = (i: number) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) { input.setAttribute('aria-activedescendant', `${listId}-${i}`); (list.children[i] as HTMLElement).scrollIntoView({ block: 'nearest' }); }
  };
  const render = () => {
    fill(list, options.length
      ? options.map((o, i) => h('li', { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', class: 'picker-option',
          onmousedown: (e: MouseEvent) => { e.preventDefault(); choose(o); } },
          h('span', { class: 'opt-name' }, o.name), h('span', { class: 'opt-detail' }, o.detail)))
      : h('li', { class: 'picker-empty', role: 'option', 'aria-disabled': 'true' }, t('forms.noMatch')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  };
  // Each keystroke starts a new generation; answers to an older one (or arriving
  // after the form was sent) are dropped.
  let generation = 0;
  const run = debounce(async (q: string, gen: number) => {
    controller?.abort();
    if (gen !== generation) return;
    if (q.trim().length < 2) { close(); return; }
    controller = new AbortController();
    try {
      const found = await search(opts.kind, q, opts.params?.() ?? {}, controller.signal);
      if (gen !== generation) return;
      options = found;
      if (document.activeElement === input) render();
    } catch (e) {
      if (!isAbort(e) && gen === generation) { options = []; render(); }
    }
  }, 250);
  input.addEventListener('input', () => {
    if (selected && input.value !== selected.name) { selected = null; showChosen(); }
    run(input.value, ++generation);
  });
  queueMicrotask(() => input.form?.addEventListener('submit', () => { generation++; controller?.abort(); close(); }));
  input.addEventListener('keydown', (e: KeyboardEvent) => {
    if (list.hidden) { if (e.key === 'ArrowDown') run(input.value, ++generation); return; }
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive(Math.min(options.length - 1, active + 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(Math.max(0, active - 1)); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(options[active]); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
  const root = h('div', { class: 'field picker' },
    h('label', { for: id }, opts.label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'picker-box' }, h('span', { class: 'picker-icon' }, icon('search')), input, list),
    h('p', { id: hintId, class: 'field-hint' }, opts.hint ?? t('forms.pick')),
    chosen,
  );
  return {
    root, input,
    value: () => selected?.code ?? input.value.trim(),
    set: (code: string, name?: string) => { selected = { code, name: name ?? code, detail: '' }; input.value = selected.name; showChosen(); },
  };
}

/* ---------- sortable table ---------- */

export interface Column<R> {
  key: string;
  label: string;
  title?: string;
  num?: boolean;
  value: (r: R) => number | string | null;
  cell?: (r: R) => Child;
  foot?: Child;
}

export interface SortState { key: string; desc: boolean }

export function sortableTable<R>(opts: {
  columns: Column<R>[]; rows: R[]; sort?: SortState; caption?: string; className?: string;
  onSort?: (rows: R[], s: SortState) => void; rowClass?: (r: R) => string;
}): HTMLTableElement {
  let sort: SortState | undefined = opts.sort;
  const tbody = h('tbody');
  const heads = opts.columns.map((c) => {
    const btn = h('button', { type: 'button', class: 'sort', title: c.title ?? t('common.sortBy', { col: c.label }) },
      c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: c.num ? 'num' : '' }, btn);
    btn.addEventListener('click', () => {
      sort = sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: Boolean(c.num) };
      draw();
    });
    return { c, th };
  });
  const sorted = () => {
    const rows = [...opts.rows];
    if (!sort) return rows;
    const col = opts.columns.find((c) => c.key === sort!.key);
    if (!col) return rows;
    const dir = sort.desc ? -1 : 1;
    return rows.sort((a, b) => {
      const x = col.value(a), y = col.value(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
    });
  };
  const draw = () => {
    for (const { c, th } of heads) {
      if (sort?.key === c.key) th.setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    const rows = sorted();
    fill(tbody, rows.map((r) => h('tr', { class: opts.rowClass?.(r) },
      opts.columns.map((c, i) => (i === 0
        ? h('th', { scope: 'row' }, c.cell ? c.cell(r) : String(c.value(r) ?? ''))
        : h('td', { class: c.num ? 'num' : '' }, c.cell ? c.cell(r) : String(c.value(r) ?? '')))))));
    if (sort) opts.onSort?.(rows, sort);
  };
  const hasFoot = opts.columns.some((c) => c.foot !== undefined);
  const table = h('table', { class: `data ${opts.className ?? ''}` },
    opts.caption ? h('caption', null, opts.caption) : null,
    h('thead', null, h('tr', null, heads.map((x) => x.th))),
    tbody,
    hasFoot ? h('tfoot', null, h('tr', null, opts.columns.map((c, i) => (i === 0
      ? h('th', { scope: 'row' }, c.foot ?? '')
      : h('td', { class: c.num ? 'num' : '' }, c.foot ?? ''))))) : null,
  );
  draw();
  return table;
}

/* ---------- states, panels, navigation helpers ---------- */

export const loading = (): HTMLElement => h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));

export function errorBox(e: unknown, retry?: () => void): HTMLElement {
  const err = e as ApiError;
  const text = err?.status === 0 ? t('common.networkError') : err?.status === 404 ? t('common.notFound') : t('common.error');
  return h('div', { class: 'alert alert-error', role: 'alert' },
    icon('alert'),
    h('div', null, h('strong', null, text), err?.message && err.status !== 0 ? h('p', { class: 'muted' }, err.message) : null,
      retry ? h('button', { type: 'button', class: 'button', onclick: retry }, t('common.retry')) : null));
}

export function panel(title: string, opts: { sub?: string; id?: string; className?: string; actions?: Child } = {}, ...children: Child[]): HTMLElement {
  const hid = nextId('panel');
  return h('section', { class: `panel ${opts.className ?? ''}`, 'aria-labelledby': hid, id: opts.id },
    h('header', { class: 'panel-head' },
      h('div', null, h('h2', { id: hid }, title), opts.sub ? h('p', { class: 'panel-sub' }, opts.sub) : null),
      opts.actions ? h('div', { class: 'panel-actions' }, opts.actions) : null),
    ...children);
}

export function breadcrumb(items: { label: string; href?: string }[]): HTMLElement {
  return h('nav', { class: 'breadcrumb', 'aria-label': t('common.breadcrumb') },
    h('ol', null, items.map((it, i) => h('li', null,
      it.href && i < items.length - 1 ? h('a', { href: it.href }, it.label) : h('span', { 'aria-current': i === items.length - 1 ? 'page' : null }, it.label)))));
}

export function pager(pg: { page: number; per_page: number; total: number; total_exact?: boolean }, goTo: (p: number) => void): HTMLElement | null {
  const pages = Math.max(1, Math.ceil(pg.total / pg.per_page));
  // a list counted only so far (total_exact false) goes on past its last counted page
  const more = pg.total_exact === false;
  if (pages <= 1 && !more) return null;
  return h('nav', { class: 'pager', 'aria-label': t('common.paging') },
    h('button', { type: 'button', class: 'button', disabled: pg.page <= 1, onclick: () => goTo(pg.page - 1) }, '‹ ', t('common.prev')),
    h('span', null, t(more ? 'common.pageOfMore' : 'common.page', { page: pg.page, pages })),
    h('button', { type: 'button', class: 'button', disabled: pg.page >= pages && !more, onclick: () => goTo(pg.page + 1) }, t('common.next'), ' ›'));
}

/** A definition list of label → value, skipping empty values. */
export function facts(rows: [Key | string, Child][]): HTMLElement {
  return h('dl', { class: 'facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
    .map(([k, v]) => h('div', null, h('dt', null, k.includes('.') ? t(k as Key) : k), h('dd', null, v))));
}

export const chip = (text: string, kind = ''): HTMLElement => h('span', { class: `chip ${kind}` }, text);

/** Runs load() into box: a loading state, then render(value) or an error with a retry button. */
export async function into<T>(box: HTMLElement, load: () => Promise<T>, render: (v: T) => Child): Promise<void> {
  fill(box, loading());
  box.setAttribute('aria-busy', 'true');
  try {
    const v = await load();
    fill(box, render(v));
  } catch (e) {
    if (isAbort(e)) return;
    fill(box, errorBox(e, () => void into(box, load, render)));
  } finally {
    box.removeAttribute('aria-busy');
  }
}
