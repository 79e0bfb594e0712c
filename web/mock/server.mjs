#!/usr/bin/env node
// A small stand-in for `coso serve`, for developing the browser interface
// before the C server exists. It answers the routes of docs/API.md from a
// registry folder read into memory; the reports come from the real CLI
// (`coso report --format json`). Writes are checked loosely and kept in memory
// only (reports do not see them). Not used by the tests.
//
//   node web/mock/server.mjs --data data/demo/dien-bien --coso build/coso --port 8090 [--web web/dist]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFile, execFileSync } from 'node:child_process';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const DATA = args.data ?? 'data/demo/dien-bien';
const COSO = args.coso ?? 'build/coso';
const PORT = Number(args.port ?? 8090);
const WEB = args.web;
const DB = path.join(os.tmpdir(), `coso-mock-${process.pid}.db`);

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; }
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h.replace(/^\uFEFF/, ''), r[i] ?? ''])));
}
const load = (f) => (fs.existsSync(path.join(DATA, f)) ? parseCsv(fs.readFileSync(path.join(DATA, f), 'utf8')) : []);
const group = (rows, key) => rows.reduce((m, r) => (m.get(r[key]) ?? m.set(r[key], []).get(r[key])).push(r) && m, new Map());

const units = group(load('units.csv'), 'code');
const orgs = group(load('orgs.csv'), 'code');
const insts = new Map(load('institutions.csv').map((r) => [r.code, r]));
const members = new Map(load('members.csv').map((r) => [r.id, r]));
const periods = group(load('member_periods.csv'), 'member_id');

execFileSync(COSO, ['--db', DB, 'import', DATA], { stdio: 'ignore' });
process.on('exit', () => { for (const s of ['', '-wal', '-shm']) fs.rmSync(DB + s, { force: true }); });
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

const today = () => new Date().toISOString().slice(0, 10);
const covers = (r, d) => (!r.valid_from || r.valid_from <= d) && (!r.valid_to || d < r.valid_to);
const at = (rows, d) => rows?.find((r) => covers(r, d)) ?? null;
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
const num = (v) => (v === '' || v == null ? null : Number(v));

function unitOut(r) {
  return r && { code: r.code, name: r.name, level: r.level, kind: r.kind, parent_code: r.parent_code || null,
    border: r.border === '1', difficult: r.difficult === '1', population: num(r.population) };
}
function unitAncestors(code, d) {
  const out = [];
  let r = at(units.get(code), d);
  while (r && r.parent_code) { r = at(units.get(r.parent_code), d); if (r) out.unshift({ code: r.code, name: r.name, level: r.level }); }
  return out;
}
const unitInScope = (code, scope, d) => !scope || code === scope || unitAncestors(code, d).some((a) => a.code === scope);
const orgSiteUnit = (r) => r.site_unit || insts.get(r.site_institution)?.unit_code || '';
function orgOut(r, d) {
  const count = [...members.values()].filter((m) => activeAt(m, d) && at(periods.get(m.id), d)?.org_code === r.code).length;
  return { code: r.code, name: r.name, kind: r.kind, grassroots: r.grassroots === '1', parent_code: r.parent_code || null,
    site_unit: r.site_unit || null, site_institution: r.site_institution || null, members: count };
}
function orgAncestors(code, d) {
  const out = [];
  let r = at(orgs.get(code), d);
  while (r && r.parent_code) { r = at(orgs.get(r.parent_code), d); if (r) out.unshift({ code: r.code, name: r.name, kind: r.kind }); }
  return out;
}
const activeAt = (m, d) => m.admitted_on <= d && (!m.ended_on || d < m.ended_on);
function statusAt(m, d) {
  if (d < m.admitted_on) return 'not_admitted';
  if (m.ended_on && d >= m.ended_on) return 'ended';
  return m.official_on && m.official_on <= d ? 'official' : 'probationary';
}
const ref = (map, code, d) => { const r = code ? at(map.get(code), d) : null; return code ? { code, name: r?.name ?? code } : null; };
function memberOut(m, d) {
  const p = at(periods.get(m.id), d) ?? periods.get(m.id)?.at(-1);
  return { id: m.id, full_name: m.full_name, gender: m.gender, birth_date: m.birth_date, ethnicity: m.ethnicity,
    admitted_on: m.admitted_on, official_on: m.official_on || null, ended_on: m.ended_on || null, end_reason: m.end_reason || null,
    status: statusAt(m, d), org: p ? ref(orgs, p.org_code, p.valid_from) : null, residence: p ? ref(units, p.residence_code, p.valid_from) : null };
}
const givenFirst = (name) => { const w = name.split(' '); return [w.at(-1), ...w.slice(0, -1)].join(' '); };
const collator = new Intl.Collator('vi');
function page(items, q) {
  const pg = Math.max(1, Number(q.get('page') ?? 1)), per = Math.min(500, Math.max(1, Number(q.get('per_page') ?? 50)));
  return { items: items.slice((pg - 1) * per, pg * per), page: pg, per_page: per, total: items.length };
}
function sortBy(items, sort, keys) {
  if (!sort) return items;
  const desc = sort.startsWith('-'), k = sort.replace(/^-/, '');
  const key = keys[k] ?? ((x) => x[k]);
  return items.sort((a, b) => (desc ? -1 : 1) * (typeof key(a) === 'string' ? collator.compare(key(a), key(b)) : key(a) - key(b)));
}

function coso(argv) {
  return new Promise((resolve, reject) =>
    execFile(COSO, ['--db', DB, 'report', ...argv, '--format', 'json'], { maxBuffer: 64 << 20 }, (err, out, errOut) =>
      err ? reject(new Problem(400, errOut.trim())) : resolve(JSON.parse(out))));
}
const cache = new Map();
const cached = (k, f) => cache.get(k) ?? cache.set(k, f()).get(k);

class Problem extends Error {
  constructor(status, detail, errors) { super(detail); this.status = status; this.errors = errors; }
}
const need = (cond, field, message, errs) => { if (!cond) errs.push({ field, message }); };
const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s ?? '') && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().startsWith(s);
function check(errs) { if (errs.length) throw new Problem(422, `${errs.length} problem${errs.length > 1 ? 's' : ''}`, errs); }

function steps(from, to, step) {
  const out = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const inc = step === 'month' ? 1 : step === 'year' ? 12 : 3;
  for (;;) {
    const d = `${y}-${String(m).padStart(2, '0')}-01`;
    if (d > to) break;
    out.push(d);
    m += inc; while (m > 12) { m -= 12; y++; }
  }
  return out;
}
const dayBefore = (d) => new Date(Date.parse(d) - 86400000).toISOString().slice(0, 10);

async function route(method, url, body) {
  const q = url.searchParams;
  const d = q.get('as_of') || today();
  const p = url.pathname.replace(/^\/api\/v1/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const GET = method === 'GET';
  if (GET && p[0] === 'health') return { status: 'ok', schema: 1 };
  // no sign-in in the stand-in: always the administrator (coso serve checks every request)
  if (p[0] === 'session' && (GET || p.length === 1)) {
    return { user: 'mock', role: 'admin', role_title: 'administrator', scope: null, scope_units: [],
      permissions: ['read', 'write_registry', 'write_units', 'admin'], csrf: 'mock', idle_timeout: 1800, lifetime: 43200 };
  }
  if (p[0] === 'session' && p[1] === 'end') return { status: 'signed out' };
  if (GET && p[0] === 'units' && p.length === 1) {
    const parent = q.get('parent'), level = q.get('level'), text = q.get('q');
    let items = [...units.values()].map((rows) => at(rows, d)).filter(Boolean);
    if (parent !== null) items = items.filter((r) => (parent ? r.parent_code === parent : !r.parent_code));
    if (level) items = items.filter((r) => r.level === level);
    if (text) { const words = fold(text).split(/\s+/).filter(Boolean); items = items.filter((r) => words.every((w) => fold(r.name + ' ' + r.code).split(/\s+/).some((x) => x.startsWith(w)))); }
    return page(sortBy(items.map(unitOut), q.get('sort') ?? 'code', { code: (x) => x.code, name: (x) => x.name }), q);
  }
  if (GET && p[0] === 'units' && p.length === 2) {
    const rows = units.get(p[1]);
    if (!rows) throw new Problem(404, `unit ${p[1]} does not exist`);
    const r = at(rows, d);
    return {
      unit: unitOut(r), ancestors: unitAncestors(p[1], d),
      children: [...units.values()].map((x) => at(x, d)).filter((x) => x && x.parent_code === p[1]).map(unitOut),
      history: rows.map((x) => ({ ...unitOut(x), valid_from: x.valid_from || null, valid_to: x.valid_to || null })),
      institutions: [...insts.values()].filter((i) => i.unit_code === p[1] && covers(i, d)).map((i) => ({ ...i, valid_from: i.valid_from || null, valid_to: i.valid_to || null,
        has_org: [...orgs.values()].some((o) => at(o, d)?.site_institution === i.code) })),
      orgs: [...orgs.values()].map((o) => at(o, d)).filter((o) => o && o.site_unit === p[1]).map((o) => orgOut(o, d)),
    };
  }
  if (GET && p[0] === 'institutions') {
    const scope = q.get('unit'), kind = q.get('kind');
    const items = [...insts.values()].filter((i) => covers(i, d) && (!kind || i.kind === kind) && unitInScope(i.unit_code, scope, d))
      .map((i) => ({ ...i, has_org: [...orgs.values()].some((o) => at(o, d)?.site_institution === i.code) }));
    return page(items, q);
  }
  if (GET && p[0] === 'orgs' && p.length === 1) {
    const parent = q.get('parent'), scope = q.get('scope'), kind = q.get('kind'), text = q.get('q');
    let items = [...orgs.values()].map((rows) => at(rows, d)).filter(Boolean);
    if (parent !== null) items = items.filter((r) => (parent ? r.parent_code === parent : !r.parent_code));
    if (kind) items = items.filter((r) => r.kind === kind);
    if (scope) items = items.filter((r) => unitInScope(orgSiteUnit(r), scope, d));
    if (text) { const words = fold(text).split(/\s+/).filter(Boolean); items = items.filter((r) => words.every((w) => fold(r.name + ' ' + r.code).split(/\s+/).some((x) => x.startsWith(w)))); }
    const pg = page(sortBy(items, q.get('sort') ?? 'code', {}), q);
    return { ...pg, items: pg.items.map((r) => orgOut(r, d)) };
  }
  if (GET && p[0] === 'orgs' && p.length === 2) {
    const rows = orgs.get(p[1]);
    if (!rows) throw new Problem(404, `organization ${p[1]} does not exist`);
    const r = at(rows, d);
    const o = r && orgOut(r, d);
    return { org: o, ancestors: orgAncestors(p[1], d),
      children: [...orgs.values()].map((x) => at(x, d)).filter((x) => x && x.parent_code === p[1]).map((x) => orgOut(x, d)),
      history: rows.map((x) => ({ code: x.code, name: x.name, kind: x.kind, grassroots: x.grassroots === '1', parent_code: x.parent_code || null,
        site_unit: x.site_unit || null, site_institution: x.site_institution || null, valid_from: x.valid_from || null, valid_to: x.valid_to || null })),
      members: o?.members ?? 0 };
  }
  if (GET && p[0] === 'members' && p.length === 1) {
    const text = q.get('q'), scope = q.get('scope'), org = q.get('org'), all = q.get('status') === 'all';
    let items = [...members.values()];
    if (!all) items = items.filter((m) => activeAt(m, d));
    if (text) {
      const words = fold(text).split(/\s+/).filter(Boolean);
      items = items.filter((m) => { const w = fold(m.full_name).split(/\s+/); return words.every((x) => w.some((y) => y.startsWith(x))) || fold(m.id) === fold(text); });
    }
    if (org || scope) items = items.filter((m) => {
      const per = at(periods.get(m.id), d);
      if (!per) return false;
      if (org && per.org_code !== org) return false;
      return !scope || unitInScope(orgSiteUnit(at(orgs.get(per.org_code), d) ?? {}), scope, d);
    });
    sortBy(items, q.get('sort') ?? 'name', { name: (m) => givenFirst(m.full_name), admitted_on: (m) => m.admitted_on, id: (m) => m.id });
    const pg = page(items, q);
    return { ...pg, items: pg.items.map((m) => memberOut(m, d)) };
  }
  if (GET && p[0] === 'members' && p.length === 2) {
    const m = members.get(p[1]);
    if (!m) throw new Problem(404, `member ${p[1]} does not exist`);
    const per = periods.get(m.id) ?? [];
    const events = [{ date: m.admitted_on, kind: 'admitted', org: ref(orgs, per[0]?.org_code, m.admitted_on) }];
    if (m.official_on) events.push({ date: m.official_on, kind: 'official' });
    per.slice(1).forEach((x, i) => events.push({ date: x.valid_from, kind: 'transfer', from: { org: ref(orgs, per[i].org_code, per[i].valid_from), residence: ref(units, per[i].residence_code, per[i].valid_from) }, to: { org: ref(orgs, x.org_code, x.valid_from), residence: ref(units, x.residence_code, x.valid_from) } }));
    if (m.ended_on) events.push({ date: m.ended_on, kind: 'ended', end_reason: m.end_reason });
    return { member: memberOut(m, today()), periods: per.map((x) => ({ valid_from: x.valid_from, valid_to: x.valid_to || null, org: ref(orgs, x.org_code, x.valid_from), residence: ref(units, x.residence_code, x.valid_from) })), events: events.sort((a, b) => a.date.localeCompare(b.date)) };
  }
  if (GET && p.join('/') === 'reports/asof') {
    const argv = ['--as-of', d];
    if (q.get('scope')) argv.push('--scope', q.get('scope'));
    if (q.get('compare')) argv.push('--compare', q.get('compare'));
    return cached(argv.join(' '), () => coso(argv));
  }
  if (GET && p.join('/') === 'reports/flow') {
    const argv = ['--from', q.get('from') ?? '2016-01-01', '--to', q.get('to') ?? today()];
    if (q.get('scope')) argv.push('--scope', q.get('scope'));
    return cached(argv.join(' '), () => coso(argv));
  }
  if (GET && p.join('/') === 'reports/timeline') {
    const dates = steps(q.get('from') ?? '2015-01-01', q.get('to') ?? today(), q.get('step') ?? 'year');
    const scope = q.get('scope');
    const points = [];
    for (const x of dates) {
      const argv = ['--as-of', x, ...(scope ? ['--scope', scope] : [])];
      const r = await cached(argv.join(' '), () => coso(argv));
      points.push({ date: x, villages_total: r.villages.total, villages_without_org: r.villages.without_org, villages_without_member: r.villages.without_member, members_total: r.members.total });
    }
    return { points };
  }
  if (GET && p.join('/') === 'reports/admissions') {
    const to = q.get('to') ?? today();
    const starts = steps(q.get('from') ?? '2015-01-01', to, q.get('step') ?? 'quarter');
    const scope = q.get('scope');
    return { points: await Promise.all(starts.map(async (s, i) => {
      const e = i + 1 < starts.length ? dayBefore(starts[i + 1]) : to;
      const argv = ['--from', s, '--to', e, ...(scope ? ['--scope', scope] : [])];
      const r = await cached(argv.join(' '), () => coso(argv));
      return { from: s, to: e, total: r.admissions.total, commune_level: r.admissions.commune_level };
    })) };
  }
  if (method === 'POST') return write(p, body);
  throw new Problem(404, 'no such route');
}

function write(p, b) {
  const errs = [];
  if (p[0] === 'members' && p.length === 1) {
    need(b.id, 'id', 'required', errs); need(!members.has(b.id), 'id', `member ${b.id} already exists`, errs);
    need(b.full_name, 'full_name', 'required', errs);
    need(['male', 'female'].includes(b.gender), 'gender', 'must be male or female', errs);
    need(isDate(b.birth_date), 'birth_date', 'not a date', errs);
    need(b.ethnicity, 'ethnicity', 'required', errs);
    need(isDate(b.admitted_on), 'admitted_on', 'not a date', errs);
    need(!isDate(b.birth_date) || !isDate(b.admitted_on) || b.birth_date < b.admitted_on, 'admitted_on', 'before birth', errs);
    need(at(orgs.get(b.org_code), b.admitted_on), 'org_code', `organization ${b.org_code} does not exist on ${b.admitted_on}`, errs);
    need(!b.residence_code || at(units.get(b.residence_code), b.admitted_on), 'residence_code', `unit ${b.residence_code} does not exist on ${b.admitted_on}`, errs);
    check(errs);
    const m = { id: b.id, full_name: b.full_name, gender: b.gender, birth_date: b.birth_date, ethnicity: b.ethnicity, admitted_on: b.admitted_on, official_on: '', ended_on: '', end_reason: '' };
    members.set(m.id, m);
    periods.set(m.id, [{ member_id: m.id, valid_from: m.admitted_on, valid_to: '', org_code: b.org_code, residence_code: b.residence_code ?? '' }]);
    return [201, memberOut(m, b.admitted_on)];
  }
  if (p[0] === 'members') {
    const m = members.get(p[1]);
    if (!m) throw new Problem(404, `member ${p[1]} does not exist`);
    const field = { official: 'official_on', end: 'ended_on', transfer: 'date' }[p[2]];
    if (!field) throw new Problem(404, 'no such route');
    need(isDate(b[field]), field, 'not a date', errs);
    need(!isDate(b[field]) || b[field] > m.admitted_on, field, `must be after the admission (${m.admitted_on})`, errs);
    if (p[2] === 'end') need(['died', 'expelled', 'removed', 'left', 'transferred_out'].includes(b.end_reason), 'end_reason', 'unknown reason', errs);
    if (p[2] === 'transfer') {
      need(b.org_code || b.residence_code, 'org_code', 'give an organization or a residence', errs);
      need(!b.org_code || at(orgs.get(b.org_code), b.date), 'org_code', `organization ${b.org_code} does not exist on ${b.date}`, errs);
      need(!b.residence_code || at(units.get(b.residence_code), b.date), 'residence_code', `unit ${b.residence_code} does not exist on ${b.date}`, errs);
    }
    check(errs);
    if (p[2] === 'official') m.official_on = b.official_on;
    if (p[2] === 'end') { m.ended_on = b.ended_on; m.end_reason = b.end_reason; }
    if (p[2] === 'transfer') {
      const per = periods.get(m.id), last = per.at(-1);
      last.valid_to = b.date;
      per.push({ member_id: m.id, valid_from: b.date, valid_to: '', org_code: b.org_code || last.org_code, residence_code: b.residence_code || last.residence_code });
    }
    return [200, memberOut(m, today())];
  }
  if ((p[0] === 'orgs' || p[0] === 'units' || p[0] === 'institutions') && p.length === 1) {
    const map = p[0] === 'orgs' ? orgs : p[0] === 'units' ? units : null;
    need(b.code, 'code', 'required', errs);
    need(!(map ? map.has(b.code) : insts.has(b.code)), 'code', `${b.code} already exists`, errs);
    need(b.name, 'name', 'required', errs);
    need(isDate(b.valid_from), 'valid_from', 'not a date', errs);
    if (p[0] === 'orgs') {
      need(['committee', 'cell'].includes(b.kind), 'kind', 'must be committee or cell', errs);
      need(!b.parent_code || at(orgs.get(b.parent_code), b.valid_from), 'parent_code', `organization ${b.parent_code} does not exist on ${b.valid_from}`, errs);
      need(b.site_unit || b.site_institution, 'site_unit', 'give a unit or an institution', errs);
      need(!b.site_unit || at(units.get(b.site_unit), b.valid_from), 'site_unit', `unit ${b.site_unit} does not exist on ${b.valid_from}`, errs);
    }
    if (p[0] === 'units') {
      need(['province', 'district', 'commune', 'village'].includes(b.level), 'level', 'unknown level', errs);
      need(b.kind, 'kind', 'required', errs);
      need(!b.parent_code || at(units.get(b.parent_code), b.valid_from), 'parent_code', `unit ${b.parent_code} does not exist on ${b.valid_from}`, errs);
    }
    if (p[0] === 'institutions') {
      need(['school', 'health_station', 'agency', 'enterprise', 'armed_forces', 'other'].includes(b.kind), 'kind', 'unknown kind', errs);
      need(at(units.get(b.unit_code), b.valid_from), 'unit_code', `unit ${b.unit_code} does not exist on ${b.valid_from}`, errs);
    }
    check(errs);
    const row = { ...b, grassroots: b.grassroots ? '1' : '0', border: b.border ? '1' : '0', difficult: b.difficult ? '1' : '0', valid_to: '' };
    if (map) map.set(b.code, [row]); else insts.set(b.code, row);
    return [201, p[0] === 'units' ? unitOut(row) : p[0] === 'orgs' ? orgOut(row, b.valid_from) : row];
  }
  if ((p[0] === 'orgs' || p[0] === 'units') && p.length === 3) {
    const map = p[0] === 'orgs' ? orgs : units;
    const rows = map.get(p[1]);
    if (!rows) throw new Problem(404, `${p[1]} does not exist`);
    need(isDate(b.date), 'date', 'not a date', errs);
    const cur = isDate(b.date) ? at(rows, b.date) : null;
    need(!isDate(b.date) || cur, 'date', `${p[1]} does not exist on ${b.date}`, errs);
    if (p[2] === 'rename') need(b.name, 'name', 'required', errs);
    if (p[2] === 'move') need(at(map.get(b.parent_code), b.date), 'parent_code', `${b.parent_code} does not exist on ${b.date}`, errs);
    check(errs);
    const next = { ...cur, valid_from: b.date };
    cur.valid_to = b.date;
    if (p[2] === 'rename') { next.name = b.name; if (b.kind) next.kind = b.kind; }
    if (p[2] === 'move') next.parent_code = b.parent_code;
    if (p[2] !== 'dissolve' && p[2] !== 'close') rows.push(next);
    return [200, p[0] === 'units' ? unitOut(next) : orgOut(next, b.date)];
  }
  throw new Problem(404, 'no such route');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon' };
http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (!url.pathname.startsWith('/api/v1/')) {
    if (!WEB) { res.writeHead(404).end(); return; }
    const f = path.join(path.resolve(WEB), path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!f.startsWith(path.resolve(WEB)) || !fs.existsSync(f)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(f)] ?? 'application/octet-stream' }).end(fs.readFileSync(f));
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const delay = Number(process.env.MOCK_DELAY ?? 0);
  if (delay) await new Promise((r) => setTimeout(r, delay));
  try {
    let parsed = {};
    if (req.method === 'POST') { try { parsed = JSON.parse(body || '{}'); } catch { throw new Problem(400, 'bad JSON'); } }
    let out = await route(req.method, url, parsed);
    let status = 200;
    if (Array.isArray(out)) [status, out] = out;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(out));
  } catch (e) {
    const status = e.status ?? 500;
    if (status === 500) console.error(e);
    res.writeHead(status, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, detail: e.message, ...(e.errors ? { errors: e.errors } : {}) }));
  }
}).listen(PORT, '127.0.0.1', () => console.log(`mock coso API on http://127.0.0.1:${PORT}/`));
