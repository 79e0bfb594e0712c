// The commune's service to citizens (docs/SERVICES.md): the one-stop desk's
// cases, complaints, denunciations and petitions. #/services is the desk
// (what is due today, what is overdue, registering a case), #/services/case/ID
// a case with its events and its clock, #/services/slip/ID the printable
// apology slip, #/services/report the figures of a scope and period. The
// dashboard's panel is servicesPanel(). The server decides who sees what: a
// denouncer's identity comes only to the case's handling officer.

import { ApiError, get, post, type Page, type Params } from '../api';
import { chartBox, loadCharts } from '../chart-registry';
import { COLORS } from '../colors';
import { fill, h, type Child } from '../dom';
import { fmtDate, fmtInt, fmtPct, getLang, today } from '../i18n';
import { go, href } from '../router';
import { can } from '../session';
import type { ViewCtx } from '../view';
import { chip, dateField, errorBox, facts, into, loading, pager, panel, sortableTable, type Column, type DateField } from '../widgets';

export interface SvcFigures { received: number; resolved: number; on_time: number; late: number; open: number; overdue: number }
export interface SvcReport {
  scope: string | null; from: string; to: string; total: SvcFigures;
  by_kind: Record<string, SvcFigures>;
  by_unit: (SvcFigures & { code: string; name: string })[];
  onestop_by_month: (SvcFigures & { month: string })[];
  onestop_by_procedure: (SvcFigures & { code: string; name: string })[];
  reception: { sessions: number; by_kind: Record<string, number>; matters: number; routed: number };
  voter_petitions: VoterFigures & { by_unit: (VoterFigures & { code: string; name: string })[] };
}
interface VoterFigures { collected: number; answered: number; answered_in_time: number; unanswered: number }
interface Voter {
  id: string; unit: { code: string; name: string | null }; meeting_on: string; council: string; next_session_on: string;
  content: string; field: string | null; addressee: string; answered_on: string | null; answer: string | null; note: string | null;
  answered_in_time: boolean;
}
export interface SvcEvent { seq: number; date: string; action: string; action_name: string; body: string | null; new_date: string | null; note: string | null }
export interface SvcCase {
  id: string; kind: string; kind_name: string; unit: { code: string; name: string | null }; received_on: string;
  procedure_code: string | null; procedure_name: string | null; procedure_days: number | null; subject: string;
  person: { name: string | null; doc: string | null; address: string | null } | null; person_masked: boolean;
  complexity: number; officer: string | null; note: string | null; remote: boolean;
  accept_due: string | null; accepted_on: string | null; due_on: string | null; promised_on: string | null;
  closed_on: string | null; closed_as: string | null; extensions: number; status: string; overdue: boolean; on_time: boolean;
  events?: SvcEvent[]; on?: { date: string; open: boolean; late: boolean; deadline: string | null; promised_on: string | null; extensions: number };
}
interface Procedure { code: string; name: string; field: string; days: number }

/* ---------- words (Vietnamese first) ---------- */

const VI = {
  title: 'Phục vụ người dân', desk: 'Bộ phận một cửa và đơn thư', report: 'Báo cáo tiếp nhận, giải quyết',
  due: 'Đến hạn hôm nay', overdue: 'Quá hạn', open: 'Đang giải quyết', all: 'Tất cả', late: 'Đã trả trễ hạn',
  kind: 'Loại', allKinds: 'Mọi loại', scope: 'Mã đơn vị (xã, huyện, tỉnh)', on: 'Ngày xét',
  id: 'Số hồ sơ', unit: 'Xã', received: 'Ngày nhận', dueOn: 'Hạn giải quyết', statusCol: 'Tình trạng', subject: 'Nội dung',
  person: 'Người nộp / người gửi đơn', hidden: 'Danh tính được giữ bí mật', none: 'Không có hồ sơ nào.',
  register: 'Tiếp nhận hồ sơ, đơn thư', procedure: 'Thủ tục', personName: 'Họ tên', personDoc: 'Số CCCD', address: 'Địa chỉ',
  complexity: 'Tính chất vụ việc', cx0: 'Thông thường', cx1: 'Phức tạp', cx2: 'Đặc biệt phức tạp (tố cáo)',
  officer: 'Cán bộ thụ lý (tên người dùng)', note: 'Ghi chú', save: 'Lưu', saved: 'Đã lưu.',
  events: 'Diễn biến', addEvent: 'Ghi nhận diễn biến', action: 'Việc', date: 'Ngày', body: 'Cơ quan tiếp nhận (liên thông)',
  newDate: 'Ngày hẹn trả mới', clock: 'Thời hạn', asOf: 'Xét tại ngày', onTime: 'đúng hạn', lateWord: 'TRỄ HẠN', openWord: 'đang giải quyết',
  closedWord: 'đã kết thúc', acceptDue: 'Hạn thụ lý', acceptedOn: 'Ngày thụ lý', promised: 'Hẹn trả lại', closedOn: 'Ngày kết thúc',
  extensions: 'Số lần gia hạn', remote: 'Vùng đặc biệt khó khăn: thời hạn dài hơn', slip: 'In phiếu xin lỗi và hẹn lại',
  fix: 'Sửa thủ tục (tính lại hạn)', total: 'Tổng số', receivedN: 'Tiếp nhận', resolvedN: 'Đã giải quyết', onTimeN: 'Đúng hạn',
  lateN: 'Trễ hạn', openN: 'Còn mở', overdueN: 'Quá hạn', rate: 'Tỷ lệ đúng hạn', from: 'Từ ngày', to: 'Đến ngày',
  byUnit: 'Theo xã', byProcedure: 'Một cửa: theo thủ tục', byMonth: 'Một cửa: kết quả trả trong tháng', panel: 'Phục vụ người dân năm nay',
  overdueList: 'Danh sách hồ sơ quá hạn', slipTitle: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', print: 'In',
  received_s: 'chờ thụ lý', accepted_s: 'đã thụ lý', in_progress_s: 'đang giải quyết', noSlip: 'Hồ sơ này chưa có phiếu xin lỗi.',
  receptions: 'Tiếp công dân', session: 'Buổi tiếp', sessionKind: 'Hình thức', host: 'Người tiếp', matters: 'Lượt', routed: 'Thành hồ sơ',
  matter: 'Nội dung trình bày', route: 'Hướng xử lý', caseId: 'Hồ sơ đã lập (số)', addMatter: 'Ghi nhận công dân được tiếp',
  regular: 'Thường xuyên', chair: 'Định kỳ (Chủ tịch)', unscheduled: 'Đột xuất', guidance: 'Hướng dẫn, giải thích',
  voters: 'Kiến nghị cử tri', meeting: 'Ngày tiếp xúc cử tri', council: 'Kỳ họp HĐND', nextSession: 'Kỳ họp tiếp theo',
  addressee: 'Cơ quan trả lời', answered: 'Đã trả lời', unanswered: 'Chưa trả lời', lateAnswer: 'Quá kỳ họp chưa trả lời',
  answer: 'Nội dung trả lời', answerIt: 'Ghi nhận trả lời', inTime: 'kịp kỳ họp', afterSession: 'sau kỳ họp',
  share: 'Tỷ lệ đã trả lời', addVoter: 'Ghi nhận kiến nghị cử tri', content: 'Nội dung kiến nghị', fieldCol: 'Lĩnh vực',
};
type Word = keyof typeof VI;
const EN: Record<Word, string> = {
  title: 'Service to citizens', desk: 'One-stop desk and letters', report: 'Received and resolved',
  due: 'Due today', overdue: 'Overdue', open: 'In progress', all: 'All', late: 'Resolved late',
  kind: 'Kind', allKinds: 'All kinds', scope: 'Unit code (commune, district, province)', on: 'On',
  id: 'Case', unit: 'Commune', received: 'Received', dueOn: 'Due', statusCol: 'Status', subject: 'Subject',
  person: 'Applicant', hidden: 'Identity kept secret', none: 'No case.',
  register: 'Register a case', procedure: 'Procedure', personName: 'Full name', personDoc: 'ID card', address: 'Address',
  complexity: 'Complexity', cx0: 'Ordinary', cx1: 'Complex', cx2: 'Very complex (denunciations)',
  officer: 'Handling officer (user name)', note: 'Note', save: 'Save', saved: 'Saved.',
  events: 'Events', addEvent: 'Record an event', action: 'Action', date: 'Date', body: 'Receiving body (hand-off)',
  newDate: 'New date', clock: 'Time limit', asOf: 'As of', onTime: 'on time', lateWord: 'LATE', openWord: 'in progress',
  closedWord: 'closed', acceptDue: 'Acceptance due', acceptedOn: 'Accepted', promised: 'New date promised', closedOn: 'Closed',
  extensions: 'Extensions', remote: 'Remote and difficult area: longer limits', slip: 'Print the apology slip',
  fix: 'Correct the procedure (due date recomputed)', total: 'Total', receivedN: 'Received', resolvedN: 'Resolved', onTimeN: 'On time',
  lateN: 'Late', openN: 'Open', overdueN: 'Overdue', rate: 'On-time rate', from: 'From', to: 'To',
  byUnit: 'By commune', byProcedure: 'One-stop: by procedure', byMonth: 'One-stop: results per month', panel: 'Service to citizens this year',
  overdueList: 'Overdue cases', slipTitle: 'APOLOGY AND NEW DATE FOR THE RESULT', print: 'Print',
  received_s: 'awaiting acceptance', accepted_s: 'accepted', in_progress_s: 'in progress', noSlip: 'This case has no apology slip.',
  receptions: 'Citizen reception', session: 'Session', sessionKind: 'Kind', host: 'Host', matters: 'Citizens', routed: 'Became cases',
  matter: 'Matter raised', route: 'Routed to', caseId: 'Case registered (id)', addMatter: 'Record a citizen received',
  regular: 'Regular', chair: 'The chair\'s', unscheduled: 'Unscheduled', guidance: 'Guidance on the spot',
  voters: 'Voters\' petitions', meeting: 'Meeting with voters', council: 'Council session', nextSession: 'Next session',
  addressee: 'To answer', answered: 'Answered', unanswered: 'Unanswered', lateAnswer: 'Not answered by the session',
  answer: 'Answer', answerIt: 'Record the answer', inTime: 'by the session', afterSession: 'after the session',
  share: 'Share answered', addVoter: 'Record a voters\' petition', content: 'Petition', fieldCol: 'Field',
};
const w = (k: Word): string => (getLang() === 'vi' ? VI : EN)[k];

const KINDS: [string, string, string][] = [
  ['onestop', 'Hồ sơ thủ tục hành chính', 'One-stop case'], ['complaint', 'Khiếu nại lần đầu', 'First complaint'],
  ['complaint_second', 'Khiếu nại lần hai', 'Second complaint'], ['denunciation', 'Tố cáo', 'Denunciation'],
  ['petition', 'Kiến nghị, phản ánh', 'Petition'],
];
const ACTIONS: [string, string, string][] = [
  ['accepted', 'Thụ lý', 'Accepted'], ['handoff', 'Chuyển liên thông', 'Handed off'], ['apology', 'Phiếu xin lỗi và hẹn lại', 'Apology slip'],
  ['extended', 'Gia hạn giải quyết', 'Extended'], ['resolved', 'Có kết quả', 'Resolved'], ['rejected', 'Không thụ lý / từ chối', 'Rejected'],
  ['withdrawn', 'Rút đơn, rút hồ sơ', 'Withdrawn'], ['transferred', 'Chuyển cơ quan có thẩm quyền', 'Transferred'],
];
const named = (list: [string, string, string][], v: string): string => {
  const x = list.find((k) => k[0] === v);
  return x ? (getLang() === 'vi' ? x[1] : x[2]) : v;
};
const kindName = (k: string) => named(KINDS, k);

function statusOf(c: SvcCase): HTMLElement {
  if (c.overdue) return chip(w('overdue'), 'chip-warn');
  if (c.closed_on) return chip(`${named(ACTIONS, c.closed_as ?? '')}${c.on_time ? '' : ` · ${w('lateWord')}`}`, c.on_time ? 'chip-good' : 'chip-warn');
  const k = `${c.status}_s` as Word;
  return chip(k in VI ? w(k) : c.status);
}

const caseLink = (c: SvcCase) => h('a', { href: href(`services/case/${encodeURIComponent(c.id)}`) }, c.id);

function caseTable(items: SvcCase[]): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, w('none'));
  const cols: Column<SvcCase>[] = [
    { key: 'id', label: w('id'), value: (c) => c.id, cell: caseLink },
    { key: 'unit', label: w('unit'), value: (c) => c.unit.name ?? c.unit.code },
    { key: 'kind', label: w('kind'), value: (c) => kindName(c.kind) },
    { key: 'subject', label: w('subject'), value: (c) => c.procedure_name ?? c.subject },
    { key: 'person', label: w('person'), value: (c) => c.person?.name ?? w('hidden') },
    { key: 'received', label: w('received'), value: (c) => c.received_on, cell: (c) => fmtDate(c.received_on) },
    { key: 'due', label: w('dueOn'), value: (c) => c.due_on, cell: (c) => fmtDate(c.due_on) },
    { key: 'status', label: w('statusCol'), value: (c) => c.status, cell: statusOf },
  ];
  return sortableTable({ columns: cols, rows: items, className: 'svc-cases', rowClass: (c) => (c.overdue ? 'row-warn' : '') });
}

/* ---------- the desk: #/services ---------- */

async function desk(ctx: ViewCtx): Promise<void> {
  const q = ctx.route.query;
  const status = q.get('status') || 'due';
  const kind = q.get('kind') || '';
  const scope = q.get('scope') || '';
  const on = q.get('on') || today();
  const page = Number(q.get('page') || '1') || 1;
  const state = (o: Params) => ({ status, kind, scope, on: on === today() ? undefined : on, ...o });
  ctx.setTitle(w('title'));
  const tabs = h('div', { class: 'quick-row', role: 'group', 'aria-label': w('statusCol') },
    (['due', 'overdue', 'open', 'late', 'all'] as const).map((s) => h('a', {
      class: `button quick${s === status ? ' on' : ''}`, 'aria-current': s === status ? 'true' : null,
      href: href('services', state({ status: s, page: undefined })), 'data-key': `status-${s}`,
    }, w(s))));
  const kindSel = h('select', { 'aria-label': w('kind'), 'data-key': 'kind', onchange: (e: Event) => go('services', state({ kind: (e.target as HTMLSelectElement).value, page: undefined })) },
    h('option', { value: '' }, w('allKinds')), KINDS.map(([k]) => h('option', { value: k, selected: k === kind }, kindName(k))));
  const scopeIn = h('input', { type: 'text', value: scope, placeholder: w('scope'), 'aria-label': w('scope'), size: 10, 'data-key': 'scope',
    onchange: (e: Event) => go('services', state({ scope: (e.target as HTMLInputElement).value.trim(), page: undefined })) });
  const onBox = dateField({ label: w('on'), value: on, compact: true, onChange: (d) => go('services', state({ on: d === today() ? undefined : d })) });
  const list = h('div', { id: 'svc-list' }, loading());
  const form = can('write_registry') ? registerForm() : null;
  fill(ctx.main,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', { id: 'page-title', tabindex: -1 }, w('desk'))),
      h('div', { class: 'toolbar' }, h('div', { class: 'tool' }, onBox.root), h('div', { class: 'tool' }, kindSel, ' ', scopeIn),
        h('div', { class: 'tool tool-end' }, h('a', { class: 'button', href: href('services/receptions', { scope }), id: 'svc-receptions-link' }, w('receptions')),
          ' ', h('a', { class: 'button', href: href('services/voters', { scope }), id: 'svc-voters-link' }, w('voters')),
          ' ', h('a', { class: 'button primary', href: href('services/report', { scope }), id: 'svc-report-link' }, w('report'))))),
    tabs, panel(w(status as Word), { id: 'svc-cases' }, list), form);
  void into(list, () => get<Page<SvcCase>>('services/cases', { status, kind, scope, on, page, per_page: 50 }, ctx.signal),
    (p) => [h('p', { class: 'muted', id: 'svc-total' }, `${fmtInt(p.total)} ${getLang() === 'vi' ? 'hồ sơ' : 'cases'}`), caseTable(p.items),
      pager(p, (n) => go('services', state({ page: n })))]);
}

/* ---------- forms ---------- */

interface Field { name: string; el: HTMLInputElement | HTMLSelectElement | null; date?: DateField; box: HTMLElement; msg: HTMLElement }

function field(name: string, label: string, input: HTMLInputElement | HTMLSelectElement | DateField): Field {
  const msg = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const isDate = !(input instanceof HTMLElement);
  const id = `svc-${name}`;
  if (!isDate) input.id = id;
  const box = h('div', { class: 'field', 'data-field': name },
    isDate ? (input as DateField).root : [h('label', { for: id }, label), input as HTMLElement], msg);
  return { name, el: isDate ? null : (input as HTMLInputElement), date: isDate ? (input as DateField) : undefined, box, msg };
}

function valueOf(f: Field): string {
  if (f.date) return f.date.value() ?? '';
  return f.el instanceof HTMLSelectElement ? f.el.value : (f.el as HTMLInputElement).value.trim();
}

/** Posts the fields; a 422's errors go next to their fields. */
async function submit(fields: Field[], path: string, extra: Record<string, unknown>, status: HTMLElement): Promise<SvcCase | null> {
  // (every answer of these routes has an id: a case, or a reception session)
  const body: Record<string, unknown> = { ...extra };
  for (const f of fields) {
    f.msg.textContent = '';
    f.msg.hidden = true;
    const v = valueOf(f);
    if (v !== '') body[f.name] = f.name === 'complexity' ? Number(v) : v;
  }
  try {
    const c = await post<SvcCase>(path, body);
    fill(status, h('p', { class: 'alert alert-ok', role: 'status' }, w('saved')));
    return c;
  } catch (e) {
    const err = e as ApiError;
    const errs = err.problem?.errors ?? [];
    for (const fe of errs) {
      const f = fields.find((x) => x.name === fe.field);
      if (f) { f.msg.textContent = fe.message; f.msg.hidden = false; }
    }
    fill(status, errs.length && errs.every((fe) => fields.some((x) => x.name === fe.field)) ? null : errorBox(e));
    return null;
  }
}

function registerForm(): HTMLElement {
  const procSel = h('select', null, h('option', { value: '' }, '—'));
  get<{ items: Procedure[] }>('services/procedures').then((r) => {
    for (const p of r.items) procSel.append(h('option', { value: p.code }, `${p.name} (${p.days} ngày làm việc)`));
  }).catch(() => undefined);
  const kindSel = h('select', null, KINDS.map(([k]) => h('option', { value: k }, kindName(k))));
  const fields: Field[] = [
    field('kind', w('kind'), kindSel),
    field('id', w('id'), h('input', { type: 'text', required: true })),
    field('unit_code', w('unit'), h('input', { type: 'text', required: true, placeholder: '03124' })),
    field('received_on', w('received'), dateField({ label: w('received'), value: today(), required: true })),
    field('procedure_code', w('procedure'), procSel),
    field('subject', w('subject'), h('input', { type: 'text' })),
    field('person_name', w('personName'), h('input', { type: 'text', required: true })),
    field('person_doc', w('personDoc'), h('input', { type: 'text', inputmode: 'numeric' })),
    field('person_address', w('address'), h('input', { type: 'text' })),
    field('complexity', w('complexity'), h('select', null, ['0', '1', '2'].map((v) => h('option', { value: v }, w(`cx${v}` as Word))))),
    field('officer', w('officer'), h('input', { type: 'text' })),
  ];
  const status = h('div', { 'aria-live': 'polite' });
  const formEl = h('form', { class: 'form-grid svc-form', id: 'svc-register', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    const c = await submit(fields, 'services/cases', {}, status);
    if (c) go(`services/case/${encodeURIComponent(c.id)}`);
  } }, fields.map((f) => f.box), h('button', { type: 'submit', class: 'button primary' }, w('save')), status);
  return panel(w('register'), { id: 'svc-register-panel' }, formEl);
}

/* ---------- one case: #/services/case/ID ---------- */

async function caseView(ctx: ViewCtx, id: string): Promise<void> {
  const asOf = ctx.route.query.get('as_of') || '';
  const box = h('div', null, loading());
  fill(ctx.main, box);
  let c: SvcCase;
  try {
    c = await get<SvcCase>(`services/cases/${encodeURIComponent(id)}`, { as_of: asOf }, ctx.signal);
  } catch (e) {
    fill(box, errorBox(e));
    return;
  }
  ctx.setTitle(`${c.id} · ${w('title')}`);
  const on = c.on!;
  const asOfBox = dateField({ label: w('asOf'), value: on.date, compact: true,
    onChange: (d) => go(`services/case/${encodeURIComponent(id)}`, { as_of: d }) });
  const hasSlip = (c.events ?? []).some((e) => e.action === 'apology');
  fill(box,
    h('div', { class: 'page-head' },
      h('div', null, h('nav', { class: 'breadcrumb' }, h('a', { href: href('services') }, w('desk'))),
        h('h1', { id: 'page-title', tabindex: -1 }, `${c.id} — ${kindName(c.kind)}`)),
      h('div', { class: 'toolbar' }, h('div', { class: 'tool' }, asOfBox.root),
        hasSlip ? h('div', { class: 'tool tool-end' }, h('a', { class: 'button primary', id: 'svc-slip-link', href: href(`services/slip/${encodeURIComponent(c.id)}`) }, w('slip'))) : null)),
    h('p', { class: 'svc-verdict', id: 'svc-verdict' }, `${w('asOf')} ${fmtDate(on.date)}: ${on.open ? w('openWord') : w('closedWord')}, ${w('dueOn').toLowerCase()} ${fmtDate(on.deadline)} — `,
      h('strong', { class: on.late ? 'warn' : 'ok' }, on.late ? w('lateWord') : w('onTime'))),
    h('div', { class: 'grid-2' },
      panel(w('subject'), { id: 'svc-facts' }, facts([
        [w('unit'), `${c.unit.name ?? ''} (${c.unit.code})`],
        [w('procedure'), c.procedure_name ? `${c.procedure_name} — ${c.procedure_days} ${getLang() === 'vi' ? 'ngày làm việc' : 'working days'}` : null],
        [w('subject'), c.subject],
        [w('person'), c.person ? [c.person.name, c.person.doc ? ` · ${c.person.doc}` : '', c.person.address ? ` · ${c.person.address}` : ''].join('') : h('em', null, w('hidden'))],
        [w('complexity'), c.kind === 'onestop' ? null : w(`cx${c.complexity}` as Word)],
        [w('officer'), c.officer],
        [w('note'), c.note],
      ])),
      panel(w('clock'), { id: 'svc-clock' }, facts([
        [w('received'), fmtDate(c.received_on)],
        [w('acceptDue'), c.accept_due ? fmtDate(c.accept_due) : null],
        [w('acceptedOn'), c.accepted_on ? fmtDate(c.accepted_on) : null],
        [w('dueOn'), fmtDate(c.due_on)],
        [w('extensions'), c.extensions ? String(c.extensions) : null],
        [w('promised'), c.promised_on ? fmtDate(c.promised_on) : null],
        [w('closedOn'), c.closed_on ? fmtDate(c.closed_on) : null],
        [w('statusCol'), statusOf(c)],
        ['', c.remote ? w('remote') : null],
      ]))),
    panel(w('events'), { id: 'svc-events' }, (c.events ?? []).length
      ? h('ol', { class: 'svc-events' }, (c.events ?? []).map((e) => h('li', null, h('strong', null, fmtDate(e.date)), ' ', named(ACTIONS, e.action),
        e.body ? ` → ${e.body}` : '', e.new_date ? ` (${w('newDate').toLowerCase()} ${fmtDate(e.new_date)})` : '', e.note ? ` — ${e.note}` : '')))
      : h('p', { class: 'muted' }, '—')),
    can('write_registry') && !c.closed_on ? eventForm(c) : null,
    can('write_registry') && c.kind === 'onestop' && !c.closed_on ? procedureForm(c) : null);
}

function eventForm(c: SvcCase): HTMLElement {
  const fields: Field[] = [
    field('action', w('action'), h('select', null, ACTIONS.map(([a]) => h('option', { value: a }, named(ACTIONS, a))))),
    field('date', w('date'), dateField({ label: w('date'), value: today(), required: true })),
    field('body', w('body'), h('input', { type: 'text' })),
    field('new_date', w('newDate'), dateField({ label: w('newDate') })),
    field('note', w('note'), h('input', { type: 'text' })),
  ];
  const status = h('div', { 'aria-live': 'polite' });
  return panel(w('addEvent'), { id: 'svc-event-panel' }, h('form', { class: 'form-grid svc-form', id: 'svc-event', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    if (await submit(fields, `services/cases/${encodeURIComponent(c.id)}/events`, {}, status)) go(`services/case/${encodeURIComponent(c.id)}`, { t: Date.now() });
  } }, fields.map((f) => f.box), h('button', { type: 'submit', class: 'button primary' }, w('save')), status));
}

function procedureForm(c: SvcCase): HTMLElement {
  const sel = h('select', null);
  get<{ items: Procedure[] }>('services/procedures', { as_of: c.received_on }).then((r) => {
    for (const p of r.items) sel.append(h('option', { value: p.code, selected: p.code === c.procedure_code }, `${p.name} (${p.days})`));
  }).catch(() => undefined);
  const fields = [field('procedure_code', w('procedure'), sel)];
  const status = h('div', { 'aria-live': 'polite' });
  return panel(w('fix'), { id: 'svc-procedure-panel' }, h('form', { class: 'form-grid svc-form', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    if (await submit(fields, `services/cases/${encodeURIComponent(c.id)}/procedure`, {}, status)) go(`services/case/${encodeURIComponent(c.id)}`, { t: Date.now() });
  } }, fields.map((f) => f.box), h('button', { type: 'submit', class: 'button' }, w('save')), status));
}

/* ---------- the apology slip: #/services/slip/ID ---------- */

async function slipView(ctx: ViewCtx, id: string): Promise<void> {
  const box = h('div', null, loading());
  fill(ctx.main, box);
  let c: SvcCase;
  try {
    c = await get<SvcCase>(`services/cases/${encodeURIComponent(id)}`, {}, ctx.signal);
  } catch (e) {
    fill(box, errorBox(e));
    return;
  }
  const slip = [...(c.events ?? [])].reverse().find((e) => e.action === 'apology');
  if (!slip) {
    fill(box, h('p', { class: 'alert' }, w('noSlip')));
    return;
  }
  ctx.setTitle(`${w('slipTitle')} · ${c.id}`);
  // The slip is the citizen's document: in Vietnamese whatever the interface's language.
  fill(box,
    h('div', { class: 'print-bar no-print' }, h('a', { class: 'button', href: href(`services/case/${encodeURIComponent(id)}`) }, '‹ ', c.id),
      h('button', { type: 'button', class: 'button primary', onclick: () => window.print() }, w('print'))),
    h('article', { class: 'sheet svc-slip', id: 'svc-slip' },
      h('header', { class: 'sheet-head grid-2' },
        h('div', null, h('p', null, `ỦY BAN NHÂN DÂN ${(c.unit.name ?? '').toUpperCase()}`), h('p', null, h('strong', null, 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ'))),
        h('div', null, h('p', null, h('strong', null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')), h('p', null, 'Độc lập - Tự do - Hạnh phúc'))),
      h('h1', { id: 'page-title', tabindex: -1 }, VI.slipTitle),
      h('p', null, `Kính gửi: ${c.person?.name ?? ''}`),
      h('p', null, `Ngày ${fmtDate(c.received_on)}, Bộ phận Tiếp nhận và Trả kết quả tiếp nhận hồ sơ số ${c.id} của Ông/Bà: ${c.procedure_name ?? c.subject}.`),
      h('p', null, `Thời hạn giải quyết theo quy định: ngày ${fmtDate(c.due_on)}.`),
      h('p', null, `Tuy nhiên đến nay hồ sơ chưa giải quyết xong. Lý do: ${slip.note ?? '…'}.`),
      h('p', null, 'Chúng tôi xin lỗi Ông/Bà và hẹn lại ngày trả kết quả là ngày ', h('strong', { id: 'svc-slip-date' }, fmtDate(slip.new_date)), '.'),
      h('p', null, 'Rất mong nhận được sự thông cảm của Ông/Bà.'),
      h('p', { class: 'sheet-foot' }, `Ngày ${fmtDate(slip.date)}`, h('br'), 'NGƯỜI ĐẠI DIỆN'),
    ));
}

/* ---------- figures: #/services/report and the dashboard's panel ---------- */

function figuresRow(label: Child, f: SvcFigures): Child[] {
  return [label, fmtInt(f.received), fmtInt(f.resolved), fmtInt(f.on_time), fmtPct(f.on_time, f.resolved), fmtInt(f.late), fmtInt(f.open), fmtInt(f.overdue)];
}

function figuresTable(rows: [Child, SvcFigures][], id: string): HTMLElement {
  const heads = ['', w('receivedN'), w('resolvedN'), w('onTimeN'), w('rate'), w('lateN'), w('openN'), w('overdueN')];
  return h('table', { class: 'data', id },
    h('thead', null, h('tr', null, heads.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
    h('tbody', null, rows.map(([label, f]) => h('tr', null, figuresRow(label, f).map((x, i) => (i ? h('td', { class: 'num' }, x) : h('th', { scope: 'row' }, x)))))));
}

function kindChart(r: SvcReport): HTMLElement {
  const { box, canvas } = chartBox(w('panel'), 240);
  const kinds = KINDS.map(([k]) => k).filter((k) => r.by_kind[k]);
  void loadCharts().then(({ makeChart }) => makeChart(canvas, {
    type: 'bar',
    data: {
      labels: kinds.map(kindName),
      datasets: [
        { label: w('onTimeN'), data: kinds.map((k) => r.by_kind[k].on_time), backgroundColor: COLORS.info, stack: 's' },
        { label: w('lateN'), data: kinds.map((k) => r.by_kind[k].late), backgroundColor: COLORS.warn, stack: 's' },
        { label: w('openN'), data: kinds.map((k) => r.by_kind[k].open), backgroundColor: COLORS.infoLight, stack: 's' },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } }, plugins: { legend: { position: 'bottom' } } },
  }));
  return box;
}

/** The dashboard's panel: this year's figures of the scope, and its overdue cases. */
export function servicesPanel(scope: string, signal: AbortSignal): HTMLElement {
  const box = h('div', null, loading());
  const year = today().slice(0, 4);
  void into(box, () => get<SvcReport>('services/report', { scope, from: `${year}-01-01`, to: today() }, signal), (r) => [
    h('p', { class: 'kpi-big', id: 'svc-rate' }, r.total.resolved ? fmtPct(r.total.on_time, r.total.resolved) : '—',
      h('small', null, ` ${w('rate').toLowerCase()}`)),
    h('p', { class: 'muted' }, `${w('receivedN')} ${fmtInt(r.total.received)} · ${w('resolvedN')} ${fmtInt(r.total.resolved)} · `,
      h('a', { href: href('services', { status: 'overdue', scope }), id: 'svc-panel-overdue' }, `${w('overdueN')} ${fmtInt(r.total.overdue)}`), ' · ',
      h('a', { href: href('services', { status: 'due', scope }) }, w('due'))),
    r.total.received ? kindChart(r) : null,
  ]);
  return panel(w('panel'), { id: 'services', actions: h('a', { class: 'button', href: href('services/report', { scope }) }, w('report')) }, box);
}

async function reportView(ctx: ViewCtx): Promise<void> {
  const q = ctx.route.query;
  const to = q.get('to') || today();
  const from = q.get('from') || `${to.slice(0, 4)}-01-01`;
  const scope = q.get('scope') || '';
  const state = (o: Params) => ({ scope, from, to, ...o });
  ctx.setTitle(w('report'));
  const fromBox = dateField({ label: w('from'), value: from, compact: true, onChange: (d) => go('services/report', state({ from: d })) });
  const toBox = dateField({ label: w('to'), value: to, compact: true, onChange: (d) => go('services/report', state({ to: d })) });
  const scopeIn = h('input', { type: 'text', value: scope, placeholder: w('scope'), 'aria-label': w('scope'), size: 10,
    onchange: (e: Event) => go('services/report', state({ scope: (e.target as HTMLInputElement).value.trim() })) });
  const body = h('div', null, loading());
  const overdue = h('div', null);
  fill(ctx.main,
    h('div', { class: 'page-head' },
      h('div', null, h('nav', { class: 'breadcrumb' }, h('a', { href: href('services') }, w('desk'))),
        h('h1', { id: 'page-title', tabindex: -1 }, w('report'))),
      h('div', { class: 'toolbar' }, h('div', { class: 'tool' }, fromBox.root), h('div', { class: 'tool' }, toBox.root), h('div', { class: 'tool' }, scopeIn))),
    body, overdue);
  void into(body, () => get<SvcReport>('services/report', { scope, from, to }, ctx.signal), (r) => {
    const { box, canvas } = chartBox(w('byMonth'), 260);
    void loadCharts().then(({ makeChart }) => makeChart(canvas, {
      type: 'bar',
      data: {
        labels: r.onestop_by_month.map((m) => m.month.split('-').reverse().join('/')),
        datasets: [
          { label: w('onTimeN'), data: r.onestop_by_month.map((m) => m.on_time), backgroundColor: COLORS.info, stack: 's' },
          { label: w('lateN'), data: r.onestop_by_month.map((m) => m.late), backgroundColor: COLORS.warn, stack: 's' },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } },
    }));
    return [
      panel(`${fmtDate(r.from)} – ${fmtDate(r.to)}`, { id: 'svc-by-kind' },
        figuresTable([...KINDS.filter(([k]) => r.by_kind[k]).map(([k]) => [kindName(k), r.by_kind[k]] as [Child, SvcFigures]),
          [h('strong', null, w('total')), r.total]], 'svc-kinds'), kindChart(r)),
      panel(w('byMonth'), { id: 'svc-months' }, box),
      panel(w('byProcedure'), { id: 'svc-by-procedure' }, figuresTable(r.onestop_by_procedure.map((p) => [p.name || p.code, p] as [Child, SvcFigures]), 'svc-procedures')),
      panel(w('receptions'), { id: 'svc-reception' }, facts([
        [w('session'), `${fmtInt(r.reception.sessions)} (${['regular', 'chair', 'unscheduled'].map((k) => `${w(k as Word).toLowerCase()} ${fmtInt(r.reception.by_kind[k])}`).join(', ')})`],
        [w('matters'), fmtInt(r.reception.matters)],
        [w('routed'), fmtInt(r.reception.routed)],
      ])),
      panel(w('voters'), { id: 'svc-voter-figures', sub: `${w('share')}: ${fmtPct(r.voter_petitions.answered, r.voter_petitions.collected)}` },
        h('table', { class: 'data', id: 'svc-voter-units' },
          h('thead', null, h('tr', null, ['', w('voters'), w('answered'), w('inTime'), w('unanswered'), w('share')].map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
          h('tbody', null, [...r.voter_petitions.by_unit, { ...r.voter_petitions, code: '', name: w('total') }].map((u) => h('tr', null,
            h('th', { scope: 'row' }, u.name || u.code), ...[fmtInt(u.collected), fmtInt(u.answered), fmtInt(u.answered_in_time), fmtInt(u.unanswered),
              fmtPct(u.answered, u.collected)].map((x) => h('td', { class: 'num' }, x))))))),
      panel(w('byUnit'), { id: 'svc-by-unit' }, figuresTable(r.by_unit.map((u) => [u.name || u.code, u] as [Child, SvcFigures]), 'svc-units')),
    ];
  });
  void into(overdue, () => get<Page<SvcCase>>('services/cases', { scope, status: 'overdue', per_page: 500 }, ctx.signal),
    (p) => panel(`${w('overdueList')} (${fmtInt(p.total)})`, { id: 'svc-overdue' }, caseTable(p.items)));
}

/* ---------- citizen reception: #/services/receptions, #/services/reception/ID ---------- */

interface Session { id: string; unit: { code: string; name: string | null }; date: string; kind: string; host: string | null; matters: number; routed: number }
interface Matter { seq: number; person: { name: string | null; doc: string | null; address: string | null } | null; person_masked: boolean; matter: string; route: string; case_id: string | null; note: string | null }
const routeName = (r: string) => (r === 'guidance' ? w('guidance') : kindName(r));

async function receptionsView(ctx: ViewCtx): Promise<void> {
  const q = ctx.route.query;
  const scope = q.get('scope') || '';
  const page = Number(q.get('page') || '1') || 1;
  ctx.setTitle(w('receptions'));
  const list = h('div', null, loading());
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, h('nav', { class: 'breadcrumb' }, h('a', { href: href('services') }, w('desk'))),
      h('h1', { id: 'page-title', tabindex: -1 }, w('receptions')))),
    panel(w('receptions'), { id: 'svc-sessions' }, list),
    can('write_registry') ? matterForm(null) : null);
  void into(list, () => get<Page<Session>>('services/receptions', { scope, page, per_page: 100 }, ctx.signal), (p) => [
    h('p', { class: 'muted', id: 'svc-sessions-total' }, `${fmtInt(p.total)} ${w('session').toLowerCase()}`),
    p.items.length ? sortableTable<Session>({ columns: [
      { key: 'id', label: w('session'), value: (x) => x.id, cell: (x) => h('a', { href: href(`services/reception/${encodeURIComponent(x.id)}`) }, x.id) },
      { key: 'date', label: w('date'), value: (x) => x.date, cell: (x) => fmtDate(x.date) },
      { key: 'unit', label: w('unit'), value: (x) => x.unit.name ?? x.unit.code },
      { key: 'kind', label: w('sessionKind'), value: (x) => w(x.kind as Word) },
      { key: 'matters', label: w('matters'), num: true, value: (x) => x.matters, cell: (x) => fmtInt(x.matters) },
      { key: 'routed', label: w('routed'), num: true, value: (x) => x.routed, cell: (x) => fmtInt(x.routed) },
    ], rows: p.items }) : h('p', { class: 'muted' }, w('none')),
    pager(p, (n) => go('services/receptions', { scope, page: n }))]);
}

async function receptionView(ctx: ViewCtx, id: string): Promise<void> {
  const box = h('div', null, loading());
  fill(ctx.main, box);
  let s: Session & { matters: Matter[] };
  try {
    s = await get<Session & { matters: Matter[] }>(`services/receptions/${encodeURIComponent(id)}`, {}, ctx.signal);
  } catch (e) {
    fill(box, errorBox(e));
    return;
  }
  ctx.setTitle(`${s.id} · ${w('receptions')}`);
  fill(box,
    h('div', { class: 'page-head' }, h('div', null, h('nav', { class: 'breadcrumb' }, h('a', { href: href('services/receptions') }, w('receptions'))),
      h('h1', { id: 'page-title', tabindex: -1 }, `${s.id} — ${w(s.kind as Word)}`))),
    panel(w('session'), { id: 'svc-session' }, facts([[w('unit'), `${s.unit.name ?? ''} (${s.unit.code})`], [w('date'), fmtDate(s.date)], [w('host'), s.host]])),
    panel(w('matters'), { id: 'svc-matters' }, h('ol', null, s.matters.map((m) => h('li', null,
      h('strong', null, m.person?.name ?? w('hidden')), `: ${m.matter} → ${routeName(m.route)} `,
      m.case_id ? h('a', { href: href(`services/case/${encodeURIComponent(m.case_id)}`) }, m.case_id) : null,
      m.note ? ` — ${m.note}` : '')))),
    can('write_registry') ? matterForm(s) : null);
}

function matterForm(s: Session | null): HTMLElement {
  const fields: Field[] = [
    field('session_id', w('session'), h('input', { type: 'text', required: true, value: s?.id ?? '' })),
    field('unit_code', w('unit'), h('input', { type: 'text', required: true, value: s?.unit.code ?? '' })),
    field('date', w('date'), dateField({ label: w('date'), value: s?.date ?? today(), required: true })),
    field('session_kind', w('sessionKind'), h('select', null, ['regular', 'chair', 'unscheduled'].map((k) => h('option', { value: k, selected: k === s?.kind }, w(k as Word))))),
    field('host', w('host'), h('input', { type: 'text', value: s?.host ?? '' })),
    field('person_name', w('personName'), h('input', { type: 'text', required: true })),
    field('person_doc', w('personDoc'), h('input', { type: 'text', inputmode: 'numeric' })),
    field('person_address', w('address'), h('input', { type: 'text' })),
    field('matter', w('matter'), h('input', { type: 'text', required: true })),
    field('route', w('route'), h('select', null, [...KINDS.map(([k]) => k), 'guidance'].map((k) => h('option', { value: k }, routeName(k))))),
    field('case_id', w('caseId'), h('input', { type: 'text' })),
    field('note', w('note'), h('input', { type: 'text' })),
  ];
  const status = h('div', { 'aria-live': 'polite' });
  return panel(w('addMatter'), { id: 'svc-matter-panel' }, h('form', { class: 'form-grid svc-form', id: 'svc-matter', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    const r = await submit(fields, 'services/receptions', {}, status) as unknown as Session | null;
    if (r) go(`services/reception/${encodeURIComponent(r.id)}`, { t: Date.now() });
  } }, fields.map((f) => f.box), h('button', { type: 'submit', class: 'button primary' }, w('save')), status));
}

/* ---------- voters' petitions: #/services/voters ---------- */

async function votersView(ctx: ViewCtx): Promise<void> {
  const q = ctx.route.query;
  const scope = q.get('scope') || '';
  const status = q.get('status') || 'all';
  const page = Number(q.get('page') || '1') || 1;
  ctx.setTitle(w('voters'));
  const list = h('div', null, loading());
  const tabs = h('div', { class: 'quick-row', role: 'group', 'aria-label': w('statusCol') },
    (['all', 'answered', 'unanswered', 'late'] as const).map((st) => h('a', {
      class: `button quick${st === status ? ' on' : ''}`, 'aria-current': st === status ? 'true' : null,
      href: href('services/voters', { scope, status: st }), 'data-key': `voters-${st}`,
    }, w(st === 'late' ? 'lateAnswer' : st))));
  fill(ctx.main,
    h('div', { class: 'page-head' }, h('div', null, h('nav', { class: 'breadcrumb' }, h('a', { href: href('services') }, w('desk'))),
      h('h1', { id: 'page-title', tabindex: -1 }, w('voters')))),
    tabs, panel(w('voters'), { id: 'svc-voters' }, list),
    can('write_registry') ? voterForm() : null);
  const answerCell = (v: Voter): Child => {
    if (v.answered_on) return [chip(`${fmtDate(v.answered_on)} · ${v.answered_in_time ? w('inTime') : w('afterSession')}`, v.answered_in_time ? 'chip-good' : 'chip-warn'), ' ', v.answer ?? ''];
    if (!can('write_registry')) return chip(w('unanswered'), v.next_session_on < today() ? 'chip-warn' : '');
    const date = dateField({ label: w('date'), value: today(), compact: true });
    const text = h('input', { type: 'text', 'aria-label': w('answer'), placeholder: w('answer') });
    const msg = h('span', { class: 'field-error', role: 'alert', hidden: true });
    return h('form', { class: 'svc-answer', 'data-id': v.id, onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await post(`services/voter-petitions/${encodeURIComponent(v.id)}/answer`, { date: date.value(), answer: text.value.trim() });
        go('services/voters', { scope, status, page, t: Date.now() });
      } catch (err) {
        msg.hidden = false;
        msg.textContent = (err as ApiError).problem?.errors?.map((x) => x.message).join('; ') || (err as Error).message;
      }
    } }, date.root, text, h('button', { type: 'submit', class: 'button' }, w('answerIt')), msg);
  };
  void into(list, () => get<Page<Voter>>('services/voter-petitions', { scope, status, page, per_page: 100 }, ctx.signal), (p) => [
    h('p', { class: 'muted', id: 'svc-voters-total' }, `${fmtInt(p.total)} ${w('voters').toLowerCase()}`),
    p.items.length ? sortableTable<Voter>({ columns: [
      { key: 'id', label: w('id'), value: (v) => v.id },
      { key: 'unit', label: w('unit'), value: (v) => v.unit.name ?? v.unit.code },
      { key: 'meeting', label: w('meeting'), value: (v) => v.meeting_on, cell: (v) => fmtDate(v.meeting_on) },
      { key: 'content', label: w('content'), value: (v) => v.content },
      { key: 'addressee', label: w('addressee'), value: (v) => v.addressee },
      { key: 'next', label: w('nextSession'), value: (v) => v.next_session_on, cell: (v) => fmtDate(v.next_session_on) },
      { key: 'answer', label: w('answer'), value: (v) => v.answered_on ?? '', cell: answerCell },
    ], rows: p.items }) : h('p', { class: 'muted' }, w('none')),
    pager(p, (n) => go('services/voters', { scope, status, page: n }))]);
}

function voterForm(): HTMLElement {
  const fields: Field[] = [
    field('id', w('id'), h('input', { type: 'text', required: true })),
    field('unit_code', w('unit'), h('input', { type: 'text', required: true })),
    field('meeting_on', w('meeting'), dateField({ label: w('meeting'), value: today(), required: true })),
    field('council', w('council'), h('input', { type: 'text', required: true })),
    field('next_session_on', w('nextSession'), dateField({ label: w('nextSession'), required: true })),
    field('content', w('content'), h('input', { type: 'text', required: true })),
    field('field', w('fieldCol'), h('input', { type: 'text' })),
    field('addressee', w('addressee'), h('input', { type: 'text', required: true })),
  ];
  const status = h('div', { 'aria-live': 'polite' });
  return panel(w('addVoter'), { id: 'svc-voter-panel' }, h('form', { class: 'form-grid svc-form', id: 'svc-voter', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    if (await submit(fields, 'services/voter-petitions', {}, status)) go('services/voters', { status: 'unanswered', t: Date.now() });
  } }, fields.map((f) => f.box), h('button', { type: 'submit', class: 'button primary' }, w('save')), status));
}

/** The view of #/services and its sub-pages. */
export function servicesView(ctx: ViewCtx): Promise<void> {
  const [, sub, id] = ctx.route.parts;
  if (sub === 'case' && id) return caseView(ctx, id);
  if (sub === 'slip' && id) return slipView(ctx, id);
  if (sub === 'report') return reportView(ctx);
  if (sub === 'receptions') return receptionsView(ctx);
  if (sub === 'voters') return votersView(ctx);
  if (sub === 'reception' && id) return receptionView(ctx, id);
  return desk(ctx);
}
