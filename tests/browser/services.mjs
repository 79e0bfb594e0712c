#!/usr/bin/env node
// Browser tests of the services pages (docs/SERVICES.md) against a real
// `coso serve` with the Điện Biên demo (and its year of 2024 cases) imported.
// The harness is copied from run.mjs (server, users, Chromium, steps).
//
// Checked as a person would: the commune clerk (Phường Noong Bua, 03124, the
// handling officer of its denunciations) sees the desk, registers a case
// through the form and reads its due date worked out across Tết, records an
// apology slip and prints it; the overdue list of the levels above; the
// denouncer shown to the clerk and hidden from the administrator; the
// dashboard's panel and the report page with the API's figures.
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const COSO = process.env.COSO;
const WEB_DIST = path.resolve(process.env.WEB_DIST ?? path.join(REPO, 'web/dist'));
const OUT = path.resolve(process.env.COSO_TEST_OUTPUT ?? 'test-output');
const SHOTS = path.join(OUT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const DEMO = path.join(REPO, 'data/demo/dien-bien');

function die(msg) {
  console.error(`browser_services: ${msg}`);
  process.exit(1);
}
if (!COSO || !fs.existsSync(COSO)) die(`set COSO to the coso binary (got ${COSO ?? 'nothing'})`);
if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) die(`${WEB_DIST}/index.html is missing: make web`);
if (!fs.existsSync(CHROMIUM)) die(`${CHROMIUM} is missing: scripts/setup-deps.sh installs Debian's chromium`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  ({ chromium } = await import(path.join(HERE, 'node_modules/playwright-core/index.mjs')));
}

fs.mkdirSync(SHOTS, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coso-browser-svc-'));
const db = path.join(tmp, 'web.db');
const imp = spawnSync(COSO, ['--db', db, 'import', DEMO], { encoding: 'utf8' });
if (imp.status !== 0) die(`import of ${DEMO} failed:\n${imp.stderr}`);

const ENV = { ...process.env, COSO_INSECURE_FAST_HASH: '1' };
const USERS = { admin: { role: 'admin', scope: null }, xa: { role: 'clerk', scope: '03124' }, huyen: { role: 'district', scope: '100' } };
for (const [name, u] of Object.entries(USERS)) {
  u.password = crypto.randomBytes(15).toString('base64url');
  const args = ['--db', db, 'user', 'add', name, '--role', u.role, '--password-stdin', ...(u.scope ? ['--scope', u.scope] : [])];
  const r = spawnSync(COSO, args, { encoding: 'utf8', input: `${u.password}\n`, env: ENV });
  if (r.status !== 0) die(`coso user add ${name} failed:\n${r.stderr}`);
}

const port = await new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(COSO, ['--db', db, 'serve', '--port', String(port), '--web', WEB_DIST], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
let serverLog = '';
server.stdout.on('data', (d) => { serverLog += d; });
server.stderr.on('data', (d) => { serverLog += d; });
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
let serverGone = false;
exited.then(() => { serverGone = true; });
process.on('exit', () => { if (!serverGone) server.kill('SIGKILL'); });
process.on('uncaughtException', (e) => { console.error(e); process.exit(1); });
process.on('unhandledRejection', (e) => { console.error(e); process.exit(1); });
{
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (serverGone) die(`coso serve exited:\n${serverLog}`);
    try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { server.kill('SIGKILL'); die('coso serve did not answer'); }
    await new Promise((r) => setTimeout(r, 200));
  }
}
const cookies = {};
async function api(p, name = 'admin') {
  if (!cookies[name]) {
    const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: name, password: USERS[name].password }) });
    cookies[name] = r.headers.get('set-cookie').split(';')[0];
  }
  const r = await fetch(base + p, { headers: { cookie: cookies[name] } });
  if (!r.ok) throw new Error(`GET ${p}: ${r.status}`);
  return r.json();
}

const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', locale: 'vi-VN',
});
context.setDefaultTimeout(20_000);
const page = context.pages()[0] ?? await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`); });

const vnInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
function assertEq(a, b, what) { if (a !== b) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); }
function assert(c, what) { if (!c) throw new Error(what); }
const text = async (sel) => (await page.locator(sel).first().innerText()).trim();
async function shot(name) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
async function open(hash) {
  await page.goto(`${base}/${hash}`);
  await page.waitForLoadState('domcontentloaded');
}
const results = [];
async function step(name, f) {
  try {
    await f();
    results.push(true);
    console.log(`ok     ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`FAILED ${name}: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: path.join(SHOTS, `failed-services-${name}.png`), fullPage: true }).catch(() => undefined);
  }
}
async function signInAs(name) {
  await page.locator('form.signin-form').waitFor();
  await page.getByLabel('Tên đăng nhập').fill(name);
  await page.getByLabel('Mật khẩu').fill(USERS[name].password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('#who .who-name', { hasText: name }).waitFor();
}
async function signOut() {
  await page.locator('#sign-out').click();
  await page.locator('form.signin-form').waitFor();
}

await step('clerk_sees_the_desk_and_registers_a_case', async () => {
  await open('#/services');
  await signInAs('xa');
  await page.locator('#svc-total').waitFor();
  assert(await page.locator('nav.nav a', { hasText: 'Phục vụ người dân' }).count() === 1, 'the menu has the services');
  const form = page.locator('#svc-register');
  await form.locator('#svc-kind').selectOption('onestop');
  await form.locator('#svc-id').fill('MC-WEB-1');
  await form.locator('#svc-unit_code').fill('03124');
  await form.locator('[data-field="received_on"] input.date-text').fill('05/02/2024');
  await form.locator('#svc-procedure_code option[value="HT-KH"]').waitFor({ state: 'attached' });
  await form.locator('#svc-procedure_code').selectOption('HT-KH');
  await form.locator('#svc-person_name').fill('Lường Thị Lả');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await page.waitForURL(/services\/case\/MC-WEB-1/);
  await page.locator('#svc-clock').waitFor();
  // 5 working days from Monday 5/2/2024 across Tết Giáp Thìn (8-14/2): Monday 19/2
  assert((await text('#svc-clock')).includes('19/02/2024'), `the due date: ${await text('#svc-clock')}`);
  await shot('services-case');
});

await step('clerk_records_an_apology_slip_and_prints_it', async () => {
  const form = page.locator('#svc-event');
  await form.locator('#svc-action').selectOption('apology');
  await form.locator('[data-field="date"] input.date-text').fill('19/02/2024');
  await form.locator('[data-field="new_date"] input.date-text').fill('22/02/2024');
  await form.locator('#svc-note').fill('Chờ xác minh');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await page.locator('#svc-slip-link').waitFor();
  await page.locator('#svc-slip-link').click();
  await page.locator('#svc-slip').waitFor();
  const slip = await text('#svc-slip');
  assert(slip.includes('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ'), 'the slip title');
  assertEq(await text('#svc-slip-date'), '22/02/2024', 'the new date');
  assert(slip.includes('Lường Thị Lả'), 'the applicant');
  await shot('services-slip');
});

await step('clerk_sees_a_reception_session_and_where_its_matters_went', async () => {
  const sessions = await api('/api/v1/services/receptions?per_page=500', 'xa');
  const s = sessions.items.find((x) => x.routed > 0);
  assert(s, 'a session of the commune with a matter routed to a case');
  await open('#/services/receptions');
  await page.locator('#svc-sessions-total').waitFor();
  assertEq(await text('#svc-sessions-total'), `${vnInt(sessions.total)} buổi tiếp`, 'sessions of the commune');
  await page.locator(`#svc-sessions a[href*="${s.id}"]`).click();
  await page.locator('#svc-matters li').first().waitFor();
  assertEq(await page.locator('#svc-matters li').count(), s.matters, 'the citizens received');
  assertEq(await page.locator('#svc-matters li a').count(), s.routed, 'the matters that became cases link to them');
  await shot('services-reception');
});

await step('clerk_answers_a_voters_petition', async () => {
  const before = await api('/api/v1/services/voter-petitions?status=unanswered', 'xa');
  assert(before.total > 0, 'the commune has unanswered voters\' petitions in the demo');
  await open('#/services/voters?status=unanswered');
  await page.locator('#svc-voters-total').waitFor();
  assertEq(await text('#svc-voters-total'), `${vnInt(before.total)} kiến nghị cử tri`, 'unanswered petitions');
  const form = page.locator('form.svc-answer').first();
  const id = await form.getAttribute('data-id');
  await form.locator('input.date-text').fill('20/12/2024');
  await form.locator('input[aria-label="Nội dung trả lời"]').fill('Đã đưa vào kế hoạch năm 2025');
  await form.getByRole('button', { name: 'Ghi nhận trả lời' }).click();
  await page.locator('#svc-voters-total', { hasText: `${vnInt(before.total - 1)} kiến nghị cử tri` }).waitFor();
  const after = await api(`/api/v1/services/voter-petitions?status=answered&per_page=500`, 'xa');
  assert(after.items.some((v) => v.id === id && v.answered_on === '2024-12-20'), `${id} is answered on 20/12/2024`);
  await shot('services-voters');
});

await step('the_handling_officer_alone_sees_the_denouncer', async () => {
  const [tc] = (await api('/api/v1/services/cases?kind=denunciation&scope=03124', 'xa')).items;
  await open(`#/services/case/${tc.id}`);
  await page.locator('#svc-facts').waitFor();
  assert(!(await text('#svc-facts')).includes('giữ bí mật'), 'the officer sees the denouncer');
  await signOut();
  await signInAs('admin');
  await open(`#/services/case/${tc.id}`);
  await page.locator('#svc-facts').waitFor();
  assert((await text('#svc-facts')).includes('Danh tính được giữ bí mật'), 'hidden from the administrator');
});

await step('the_district_sees_the_overdue_cases_of_its_communes', async () => {
  await signOut();
  await signInAs('huyen');
  const want = await api('/api/v1/services/cases?status=overdue', 'huyen');
  await open('#/services?status=overdue');
  await page.locator('#svc-total').waitFor();
  assertEq(await text('#svc-total'), `${vnInt(want.total)} hồ sơ`, 'overdue cases of the district');
  assert(want.total > 0, 'the demo has overdue cases in Huyện Điện Biên');
  await shot('services-overdue');
});

await step('report_page_and_dashboard_panel', async () => {
  await signOut();
  await signInAs('admin');
  const r = await api('/api/v1/services/report?scope=11&from=2024-01-01&to=2024-12-31');
  await open('#/services/report?scope=11&from=2024-01-01&to=2024-12-31');
  await page.locator('#svc-kinds').waitFor();
  const total = await page.locator('#svc-kinds tbody tr').last().locator('td').first().innerText();
  assertEq(total.trim(), vnInt(r.total.received), 'received in 2024');
  await page.locator('#svc-units tbody tr').nth(128).waitFor();
  await shot('services-report');
  await open('#/dashboard');
  await page.locator('#services #svc-rate').waitFor();
});

await step('no_script_errors', async () => {
  assert(pageErrors.length === 0, pageErrors.join(' | '));
});

await context.close();
server.kill('SIGTERM');
const { code } = await exited;
results.push(code === 0);
console.log(`${code === 0 ? 'ok    ' : 'FAILED'} server_exits_0_on_sigterm (code ${code})`);
fs.rmSync(tmp, { recursive: true, force: true });
const failed = results.filter((x) => !x).length;
console.log(`browser_services: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
