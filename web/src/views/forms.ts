// The write events of docs/API.md as forms. The server checks every rule; a
// 422 answer's errors[].field puts each message next to its field.

import { ApiError, get, post, type Params } from '../api';
import { fill, h, icon, nextId } from '../dom';
import { t, tEnum, today, type Key } from '../i18n';
import { go, href } from '../router';
import { can } from '../session';
import type { ViewCtx } from '../view';
import { dateField, picker, type DateField, type PickKind, type Picker } from '../widgets';

type FieldSpec =
  | { name: string; label: Key; type: 'text' | 'number'; required?: boolean; hint?: Key; path?: boolean; list?: string[] }
  | { name: string; label: Key; type: 'date'; required?: boolean; hint?: Key; today?: boolean }
  | { name: string; label: Key; type: 'select'; options: [string, string][]; required?: boolean; hint?: Key }
  | { name: string; label: Key; type: 'check'; hint?: Key }
  | { name: string; label: Key; type: 'pick'; kind: PickKind; params?: Params; required?: boolean; hint?: Key; path?: boolean };

export type { FieldSpec };
export interface FormSpec {
  key: string;
  group: 'members' | 'orgs' | 'units' | 'institutions' | 'party';
  title: Key;
  path: (v: Record<string, string>) => string;
  /** The field whose date the pickers search at (a record must exist on the event's day). */
  dateField?: string;
  fields: FieldSpec[];
  record: (v: Record<string, string>) => string;
}

export const ETHNIC = ['Kinh', 'Thái', 'Mông', 'Khơ Mú', 'Dao', 'Hà Nhì', 'Lào', 'Kháng', 'Xinh Mun', 'Tày', 'Cống', 'Mường', 'Phù Lá', 'Hoa',
  'Nùng', 'Sán Chay', 'Si La', 'Lự', 'Giáy', 'Khơ-me', 'Gia-rai', 'Ngái', 'Ê-đê', 'Ba-na', 'Xơ-đăng', 'Cơ-ho', 'Chăm', 'Sán Dìu', 'Hrê',
  'Mnông', 'Ra-glai', 'Xtiêng', 'Bru-Vân Kiều', 'Thổ', 'Cơ-tu', 'Gié-Triêng', 'Mạ', 'Co', 'Ta-ôi', 'Chơ-ro', 'Chu-ru', 'La Chí', 'La Ha',
  'La Hủ', 'Lô Lô', 'Chứt', 'Mảng', 'Pà Thẻn', 'Cơ Lao', 'Bố Y', 'Pu Péo', 'Brâu', 'Ơ Đu', 'Rơ-măm'];
const UNIT_KINDS = ['tỉnh', 'thành phố', 'huyện', 'thị xã', 'quận', 'xã', 'phường', 'thị trấn', 'thôn', 'bản', 'tổ dân phố', 'khối', 'tổ'];

const memberRec = (v: Record<string, string>) => `members/${encodeURIComponent(v.id)}`;
const orgRec = (v: Record<string, string>) => `orgs/${encodeURIComponent(v.code)}`;
const unitRec = (v: Record<string, string>) => `units/${encodeURIComponent(v.code)}`;
const enc = encodeURIComponent;
export const opts = (prefix: string, values: string[]): [string, string][] => values.map((v) => [v, tEnum(prefix, v)]);

/** Forms of other modules (party: views/party.ts), listed after these. */
const moreSpecs: (() => FormSpec[])[] = [];
export function addForms(make: () => FormSpec[]): void { moreSpecs.push(make); }

function specs(): FormSpec[] {
  return [...ownSpecs(), ...moreSpecs.flatMap((make) => make())];
}

function ownSpecs(): FormSpec[] {
  return [
    { key: 'admit', group: 'members', title: 'form.admit', path: () => 'members', dateField: 'admitted_on', record: memberRec, fields: [
      { name: 'id', label: 'field.id', type: 'text', required: true, hint: 'hint.id' },
      { name: 'full_name', label: 'field.full_name', type: 'text', required: true },
      { name: 'gender', label: 'field.gender', type: 'select', required: true, options: opts('gender', ['male', 'female']) },
      { name: 'birth_date', label: 'field.birth_date', type: 'date', required: true },
      { name: 'ethnicity', label: 'field.ethnicity', type: 'text', required: true, list: ETHNIC },
      { name: 'admitted_on', label: 'field.admitted_on', type: 'date', required: true, today: true },
      { name: 'org_code', label: 'field.org_code', type: 'pick', kind: 'org', required: true, hint: 'hint.org_code' },
      { name: 'residence_code', label: 'field.residence_code', type: 'pick', kind: 'unit', params: { level: 'village' }, hint: 'hint.residence_code' },
    ] },
    { key: 'official', group: 'members', title: 'form.official', path: (v) => `members/${enc(v.id)}/official`, record: memberRec, fields: [
      { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
      { name: 'official_on', label: 'field.official_on', type: 'date', required: true, today: true },
    ] },
    { key: 'transfer', group: 'members', title: 'form.transfer', path: (v) => `members/${enc(v.id)}/transfer`, dateField: 'date', record: memberRec, fields: [
      { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true, hint: 'hint.transfer' },
      { name: 'org_code', label: 'field.org_code', type: 'pick', kind: 'org', hint: 'hint.org_code' },
      { name: 'residence_code', label: 'field.residence_code', type: 'pick', kind: 'unit', params: { level: 'village' }, hint: 'hint.residence_code' },
    ] },
    { key: 'end', group: 'members', title: 'form.end', path: (v) => `members/${enc(v.id)}/end`, record: memberRec, fields: [
      { name: 'id', label: 'field.member', type: 'pick', kind: 'member', required: true, path: true },
      { name: 'ended_on', label: 'field.ended_on', type: 'date', required: true, today: true },
      { name: 'end_reason', label: 'field.end_reason', type: 'select', required: true, options: opts('reason', ['died', 'expelled', 'removed', 'left', 'transferred_out']) },
    ] },
    { key: 'orgFound', group: 'orgs', title: 'form.orgFound', path: () => 'orgs', dateField: 'valid_from', record: orgRec, fields: [
      { name: 'code', label: 'field.code', type: 'text', required: true, hint: 'hint.code' },
      { name: 'name', label: 'field.name', type: 'text', required: true },
      { name: 'kind', label: 'field.kind', type: 'select', required: true, options: opts('org', ['cell', 'committee']) },
      { name: 'grassroots', label: 'field.grassroots', type: 'check' },
      { name: 'parent_code', label: 'field.parent_code', type: 'pick', kind: 'org', params: { kind: 'committee' } },
      { name: 'site_unit', label: 'field.site_unit', type: 'pick', kind: 'unit' },
      { name: 'site_institution', label: 'field.site_institution', type: 'text' },
      { name: 'valid_from', label: 'field.valid_from', type: 'date', required: true, today: true },
    ] },
    { key: 'orgRename', group: 'orgs', title: 'form.orgRename', path: (v) => `orgs/${enc(v.code)}/rename`, dateField: 'date', record: orgRec, fields: [
      { name: 'code', label: 'field.org', type: 'pick', kind: 'org', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
      { name: 'name', label: 'field.newName', type: 'text', required: true },
    ] },
    { key: 'orgMove', group: 'orgs', title: 'form.orgMove', path: (v) => `orgs/${enc(v.code)}/move`, dateField: 'date', record: orgRec, fields: [
      { name: 'code', label: 'field.org', type: 'pick', kind: 'org', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
      { name: 'parent_code', label: 'field.parent_code', type: 'pick', kind: 'org', params: { kind: 'committee' }, required: true },
    ] },
    { key: 'orgDissolve', group: 'orgs', title: 'form.orgDissolve', path: (v) => `orgs/${enc(v.code)}/dissolve`, dateField: 'date', record: orgRec, fields: [
      { name: 'code', label: 'field.org', type: 'pick', kind: 'org', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
    ] },
    { key: 'unitAdd', group: 'units', title: 'form.unitAdd', path: () => 'units', dateField: 'valid_from', record: unitRec, fields: [
      { name: 'code', label: 'field.code', type: 'text', required: true, hint: 'hint.code' },
      { name: 'name', label: 'field.name', type: 'text', required: true },
      { name: 'level', label: 'field.level', type: 'select', required: true, options: opts('level', ['village', 'commune', 'district', 'province']) },
      { name: 'kind', label: 'field.unitKind', type: 'text', required: true, list: UNIT_KINDS },
      { name: 'parent_code', label: 'field.parent_code', type: 'pick', kind: 'unit' },
      { name: 'valid_from', label: 'field.valid_from', type: 'date', required: true, today: true },
      { name: 'border', label: 'field.border', type: 'check' },
      { name: 'difficult', label: 'field.difficult', type: 'check' },
      { name: 'population', label: 'field.population', type: 'number' },
    ] },
    { key: 'unitRename', group: 'units', title: 'form.unitRename', path: (v) => `units/${enc(v.code)}/rename`, dateField: 'date', record: unitRec, fields: [
      { name: 'code', label: 'field.unit', type: 'pick', kind: 'unit', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
      { name: 'name', label: 'field.newName', type: 'text', required: true },
      { name: 'kind', label: 'field.unitKind', type: 'text', list: UNIT_KINDS },
    ] },
    { key: 'unitMove', group: 'units', title: 'form.unitMove', path: (v) => `units/${enc(v.code)}/move`, dateField: 'date', record: unitRec, fields: [
      { name: 'code', label: 'field.unit', type: 'pick', kind: 'unit', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
      { name: 'parent_code', label: 'field.parent_code', type: 'pick', kind: 'unit', required: true },
    ] },
    { key: 'unitClose', group: 'units', title: 'form.unitClose', path: (v) => `units/${enc(v.code)}/close`, dateField: 'date', record: unitRec, fields: [
      { name: 'code', label: 'field.unit', type: 'pick', kind: 'unit', required: true, path: true },
      { name: 'date', label: 'field.date', type: 'date', required: true, today: true },
    ] },
    { key: 'instAdd', group: 'institutions', title: 'form.instAdd', path: () => 'institutions', dateField: 'valid_from', record: (v) => `units/${enc(v.unit_code)}`, fields: [
      { name: 'code', label: 'field.code', type: 'text', required: true, hint: 'hint.code' },
      { name: 'name', label: 'field.name', type: 'text', required: true },
      { name: 'kind', label: 'field.kind', type: 'select', required: true, options: opts('inst', ['school', 'health_station', 'agency', 'enterprise', 'armed_forces', 'other']) },
      { name: 'unit_code', label: 'field.unit_code', type: 'pick', kind: 'unit', required: true },
      { name: 'valid_from', label: 'field.valid_from', type: 'date', required: true, today: true },
    ] },
  ];
}

interface Control { spec: FieldSpec; root: HTMLElement; focus: HTMLElement; value(): string | boolean | number | null; setError(msg: string | null): void; prefill(v: string): void }

function control(f: FieldSpec, pickParams: () => Params): Control {
  const errId = nextId('err');
  const err = h('p', { id: errId, class: 'field-error', hidden: true, 'data-error-for': f.name });
  let root: HTMLElement, focus: HTMLElement, value: () => string | boolean | number | null, prefill: (v: string) => void;
  const label = () => [t(f.label), 'required' in f && f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null];
  if (f.type === 'date') {
    const d: DateField = dateField({ label: t(f.label), name: f.name, required: f.required, value: f.today ? today() : '', hint: f.hint ? t(f.hint) : undefined });
    root = d.root; focus = d.input; value = () => d.value(); prefill = (v) => d.set(v);
  } else if (f.type === 'pick') {
    const p: Picker = picker({ label: t(f.label), name: f.name, kind: f.kind, required: f.required, hint: f.hint ? t(f.hint) : undefined,
      params: () => ({ ...pickParams(), ...(f.params ?? {}) }) });
    root = p.root; focus = p.input; value = () => p.value();
    prefill = (v) => {
      p.set(v);
      const path = f.kind === 'org' ? 'orgs' : f.kind === 'unit' ? 'units' : 'members';
      get<Record<string, { name?: string; full_name?: string } | null>>(`${path}/${enc(v)}`).then((r) => {
        const rec = r.org ?? r.unit ?? r.member;
        const name = rec?.name ?? rec?.full_name;
        if (name && p.value() === v) p.set(v, name);
      }).catch(() => undefined);
    };
  } else {
    const id = nextId('f');
    const hintId = `${id}-hint`;
    const listId = `${id}-list`;
    const described = [f.hint ? hintId : '', errId].filter(Boolean).join(' ');
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.type === 'select') {
      input = h('select', { id, name: f.name, required: f.required, 'aria-describedby': described },
        h('option', { value: '' }, t('forms.choose')), f.options.map(([v, l]) => h('option', { value: v }, l)));
    } else if (f.type === 'check') {
      input = h('input', { id, name: f.name, type: 'checkbox', 'aria-describedby': described });
    } else {
      input = h('input', { id, name: f.name, type: f.type === 'number' ? 'number' : 'text', min: f.type === 'number' ? 0 : null,
        required: f.required, autocomplete: 'off', 'aria-describedby': described, list: f.list ? listId : null });
    }
    root = f.type === 'check'
      ? h('div', { class: 'field check' }, input, h('label', { for: id }, t(f.label)))
      : h('div', { class: 'field' }, h('label', { for: id }, label()), input,
        'list' in f && f.list ? h('datalist', { id: listId }, f.list.map((x) => h('option', { value: x }))) : null);
    if (f.hint) root.append(h('p', { id: hintId, class: 'field-hint' }, t(f.hint)));
    focus = input;
    value = () => (f.type === 'check' ? (input as HTMLInputElement).checked
      : f.type === 'number' ? (input.value === '' ? null : Number(input.value)) : input.value.trim());
    prefill = (v) => { if (f.type === 'check') (input as HTMLInputElement).checked = v === '1' || v === 'true'; else input.value = v; };
  }
  root.append(err);
  root.dataset.field = f.name;
  const target = root.querySelector('input:not([type=date]), select') as HTMLElement;
  const describedBy = target.getAttribute('aria-describedby') ?? '';
  if (!describedBy.includes(errId)) target.setAttribute('aria-describedby', `${describedBy} ${errId}`.trim());
  return {
    spec: f, root, focus, value, prefill,
    setError: (msg) => {
      err.hidden = !msg;
      err.textContent = msg ?? '';
      root.classList.toggle('has-error', Boolean(msg));
      if (msg) target.setAttribute('aria-invalid', 'true'); else target.removeAttribute('aria-invalid');
    },
  };
}

export function formsView(ctx: ViewCtx): void {
  // The forms the role may send: units with write_units, the rest with
  // write_registry (the server refuses the others anyway).
  const all = specs().filter((s) => can(s.group === 'units' ? 'write_units' : 'write_registry'));
  if (!all.length) {
    fill(ctx.main, h('div', { class: 'page-head' }, h('h1', { id: 'page-title', tabindex: -1 }, t('forms.title'))),
      h('div', { class: 'alert alert-warn', role: 'status' }, icon('alert'), h('p', null, t('forms.notAllowed'))));
    return;
  }
  const key = ctx.route.parts[1] ?? all[0].key;
  const spec = all.find((s) => s.key === key) ?? all[0];
  ctx.setTitle(t(spec.title));
  const groups = (['members', 'orgs', 'units', 'institutions', 'party'] as const).filter((g) => all.some((s) => s.group === g));
  const side = h('nav', { class: 'form-nav', 'aria-label': t('forms.list') },
    groups.map((g) => h('div', { class: 'form-nav-group' },
      h('h2', null, t(`forms.group.${g}` as Key)),
      h('ul', null, all.filter((s) => s.group === g).map((s) => h('li', null,
        h('a', { href: href(`forms/${s.key}`), 'aria-current': s === spec ? 'page' : null }, t(s.title))))))));

  const controls: Control[] = [];
  const byName = new Map<string, Control>();
  const pickParams = (): Params => {
    const c = spec.dateField ? byName.get(spec.dateField) : undefined;
    const d = c?.value();
    return { as_of: typeof d === 'string' && d ? d : today() };
  };
  for (const f of spec.fields) {
    const c = control(f, pickParams);
    controls.push(c);
    byName.set(f.name, c);
  }
  for (const [k, v] of ctx.route.query) byName.get(k)?.prefill(v);

  const summary = h('div', { class: 'form-summary', tabindex: -1 });
  const submit = h('button', { type: 'submit', class: 'button primary big' }, t('forms.submit'));
  const form = h('form', { class: 'record-form', novalidate: true, 'aria-labelledby': 'page-title', 'data-form': spec.key },
    summary,
    h('div', { class: 'form-grid' }, controls.map((c) => c.root)),
    h('div', { class: 'form-actions' }, submit,
      h('button', { type: 'button', class: 'button', onclick: () => go(`forms/${spec.key}`, {}, true) }, t('forms.reset'))));

  const showProblems = (problems: { field?: string; message: string }[], detail?: string) => {
    controls.forEach((c) => c.setError(null));
    for (const p of problems) {
      const c = p.field ? byName.get(p.field) : undefined;
      if (!c) continue;
      const prev = c.root.querySelector('.field-error')?.textContent;
      c.setError(prev ? `${prev}; ${p.message}` : p.message);
    }
    fill(summary, h('div', { class: 'alert alert-error', role: 'alert' }, icon('alert'),
      h('div', null, h('strong', null, t('forms.problems', { n: problems.length || 1 })),
        h('ul', null, problems.length
          ? problems.map((p) => h('li', null, p.field && byName.has(p.field)
            ? h('a', { href: '#', onclick: (e: Event) => { e.preventDefault(); byName.get(p.field!)!.focus.focus(); } }, `${t(byName.get(p.field)!.spec.label)}: ${p.message}`)
            : `${p.field ? `${p.field}: ` : ''}${p.message}`))
          : h('li', null, detail ?? '')))));
    const first = problems.find((p) => p.field && byName.has(p.field));
    if (first) byName.get(first.field!)!.focus.focus(); else summary.focus();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values: Record<string, string> = {};
    const body: Record<string, unknown> = {};
    const missing: { field: string; message: string }[] = [];
    for (const c of controls) {
      const v = c.value();
      const f = c.spec;
      if (v === null && f.type === 'date') { missing.push({ field: f.name, message: t('common.invalidDate') }); continue; }
      if ('required' in f && f.required && (v === '' || v === null)) { missing.push({ field: f.name, message: t('forms.required') }); continue; }
      if (typeof v === 'string') values[f.name] = v;
      if ('path' in f && f.path) continue;
      if (v === '' || v === null) continue;
      body[f.name] = v;
    }
    if (missing.length) { showProblems(missing); return; }
    submit.disabled = true;
    submit.textContent = t('forms.saving');
    try {
      await post(spec.path(values), body);
      controls.forEach((c) => c.setError(null));
      const rec = spec.record(values);
      fill(summary, h('div', { class: 'alert alert-ok', role: 'status' }, icon('check'),
        h('div', null, h('strong', null, t('forms.saved')), ' ', h('a', { href: href(rec), id: 'saved-record' }, t('forms.openRecord')))));
      summary.focus();
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : { status: 0, detail: String(err) };
      showProblems(p.errors ?? [], p.detail || p.title || t('common.networkError'));
    } finally {
      submit.disabled = false;
      submit.textContent = t('forms.submit');
    }
  });

  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null,
      h('p', { class: 'eyebrow' }, t('forms.title')),
      h('h1', { id: 'page-title', tabindex: -1 }, t(spec.title)),
      h('p', { class: 'lead' }, t('forms.intro')))),
    h('div', { class: 'forms-layout' }, side, h('section', { class: 'panel form-panel' }, form)));
}
