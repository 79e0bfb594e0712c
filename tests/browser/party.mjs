#!/usr/bin/env node
// Browser tests of party work (docs/PARTY.md) in the web interface (web/dist)
// against a real `coso serve`, set up as tests/browser/run.mjs does (copied
// from it: its own server, users and browser) on tests/cases/handmade.
//
// A commune clerk takes a candidate from the cell's proposal to official
// member through the forms, sees the ceremony's deadline (worked out by hand
// across Tết Ất Tỵ) on the party page before and after it is missed, and the
// late review on the page and on the dashboard's panel.
// Screenshots go to $COSO_TEST_OUTPUT/screenshots/party-*.png.
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium), DEMO_DATA.
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
const HANDMADE = path.join(REPO, 'tests/cases/handmade');
const ARTICLE_DAY = '2018-05-22';

function die(msg) {
  console.error(`browser_party: ${msg}`);
  process.exit(1);
}
if (!COSO || !fs.existsSync(COSO)) die(`set COSO to the coso binary (got ${COSO ?? 'nothing'})`);
if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) die(`${WEB_DIST}/index.html is missing: build the interface first (make web)`);
if (!fs.existsSync(CHROMIUM)) die(`${CHROMIUM} is missing: scripts/setup-deps.sh installs Debian's chromium`);

// playwright-core comes from tests/browser/package-lock.json; install it if this is a fresh tree.
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('browser_party: installing playwright-core (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) die('npm ci failed in tests/browser');
  ({ chromium } = await import(path.join(HERE, 'node_modules/playwright-core/index.mjs')));
}

fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('failed-')) fs.rmSync(path.join(SHOTS, f));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coso-browser-party-'));
const db = path.join(tmp, 'web.db');

/* ---------- the registry ---------- */

const imp = spawnSync(COSO, ['--db', db, 'import', HANDMADE], { encoding: 'utf8' });
if (imp.status !== 0) die(`import of ${HANDMADE} failed:\n${imp.stderr}`);
const dataset = 'handmade';

/* ---------- the users (docs/SECURITY.md): no default account, random passwords ---------- */

// Fast password hashing for the test run only (docs/SECURITY.md).
const ENV = { ...process.env, COSO_INSECURE_FAST_HASH: '1' };
// The clerk of Xã Một (00001): its cell CV11 (Chi bộ bản Nà Một) and its committee OC1.
const USERS = {
  admin: { role: 'admin', scope: null },
  clerk: { role: 'clerk', scope: '00001' },
};
for (const [name, u] of Object.entries(USERS)) {
  u.password = crypto.randomBytes(15).toString('base64url');
  const args = ['--db', db, 'user', 'add', name, '--role', u.role, '--password-stdin', ...(u.scope ? ['--scope', u.scope] : [])];
  const r = spawnSync(COSO, args, { encoding: 'utf8', input: `${u.password}\n`, env: ENV });
  if (r.status !== 0) die(`coso user add ${name} failed:\n${r.stderr}`);
}

/* ---------- the server ---------- */

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
// Whatever happens to this script, the server does not outlive it.
process.on('exit', () => { if (!serverGone) server.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(1));
process.on('uncaughtException', (e) => { console.error(e); process.exit(1); });
process.on('unhandledRejection', (e) => { console.error(e); process.exit(1); });

/** Signs in through the API (the tests' own look at the registry): the cookie. */
async function cookieOf(name) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: name, password: USERS[name].password }),
  });
  if (!r.ok) throw new Error(`sign-in of ${name}: ${r.status} ${await r.text()}`);
  return r.headers.get('set-cookie').split(';')[0];
}
let adminCookie = null;
async function api(p, cookie) {
  if (!cookie && !adminCookie) adminCookie = await cookieOf('admin');
  const r = await fetch(base + p, { headers: { cookie: cookie ?? adminCookie } });
  if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
  return r.json();
}
{
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (serverGone) die(`coso serve exited before answering:\n${serverLog}`);
    try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { server.kill('SIGKILL'); die(`coso serve did not answer on ${base} within 60 s:\n${serverLog}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
}
console.log(`browser_party: coso serve on ${base} (${dataset} registry), screenshots in ${SHOTS}`);

/* ---------- the browser ---------- */

// A new empty profile (--user-data-dir, which playwright sets from the first argument).
const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  // The machine's time zone, as the server's "today" (local time).
  viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', locale: 'vi-VN',
});
context.setDefaultTimeout(20_000);
const page = context.pages()[0] ?? await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
// 4xx answers are logged by the browser as 'Failed to load resource': the refused form expects one.
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`); });

/* ---------- helpers ---------- */

const vnInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const vnPct = (a, b) => `${(Math.round((1000 * a) / b) / 10).toFixed(1).replace('.', ',')}%`;
const todayHere = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };
function assertEq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function assert(cond, what) { if (!cond) throw new Error(what); }
const text = async (sel) => (await page.locator(sel).first().innerText()).trim();
async function shot(name) {
  // (not networkidle, as run.mjs: the pickers' requests keep it from coming for 20 s)
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
async function open(hash) {
  await page.goto(`${base}/${hash}`);
  await page.waitForLoadState('domcontentloaded');
}
/** Waits until the dashboard shows its figures, then reads them. */
async function kpis() {
  await page.locator('[data-kpi="members"] .kpi-big').waitFor();
  return {
    rate: await text('[data-kpi="villages-with-org"] .kpi-big'),
    withOrg: await text('[data-kpi="villages-with-org"] [data-value="with_org"]'),
    total: await text('[data-kpi="villages-with-org"] [data-value="total"]'),
    white: await text('[data-kpi="villages-white"] .kpi-big'),
    members: await text('[data-kpi="members"] .kpi-big'),
  };
}
/** Labels for every visible control (the native date inputs behind the calendar buttons are aria-hidden). */
async function unlabelled() {
  return page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea, main button')]
    .filter((el) => el.getAttribute('aria-hidden') !== 'true' && el.type !== 'hidden')
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map((el) => el.outerHTML.slice(0, 120)));
}

const results = [];
async function step(name, f) {
  const t0 = Date.now();
  try {
    await f();
    results.push({ name, ok: true });
    console.log(`ok     ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAILED ${name}: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: path.join(SHOTS, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
  }
}

/** Signs in through the page (the sign-in form the interface shows to anyone not signed in). */
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

/* ---------- the tests ---------- */

/** Fills a form's field by its label; a date as dd/mm/yyyy. */
async function fillField(form, label, value) {
  const f = form.getByLabel(label).first();
  await f.fill(value);
  await f.blur();
}
async function pick(form, label, typed, code) {
  const box = form.getByRole('combobox', { name: label });
  await box.fill('');
  await box.pressSequentially(typed, { delay: 10 });
  await page.locator(`#${await box.getAttribute('aria-controls')} [role=option]`, { hasText: code }).first().click();
}
async function submit(form) {
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  await page.locator('.form-summary .alert-ok, .form-summary .alert-error').first().waitFor();
  const err = await page.locator('.form-summary .alert-error').count();
  if (err) throw new Error(`the form was refused: ${await text('.form-summary')}`);
}
async function stage(name, date, by) {
  await open(`#/forms/candStage?id=C1&stage=${name}`);
  const form = page.locator('form[data-form="candStage"]');
  await fillField(form, 'Ngày có hiệu lực', date);
  if (by) await fillField(form, 'Người, cơ quan thực hiện', by);
  await submit(form);
}
/** The rows of a list on the party page: "deadline|kind|name". */
async function listed(list) {
  const box = page.locator(`#party-${list}`);
  await box.locator('table, [data-empty]').first().waitFor();
  return box.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent.trim()).join('|')));
}

await step('a_clerk_proposes_a_candidate', async () => {
  await open('');
  await signInAs('clerk');
  await open('#/forms/candPropose');
  const form = page.locator('form[data-form="candPropose"]');
  await fillField(form, 'Mã đối tượng', 'C1');
  await fillField(form, 'Họ và tên', 'Lò Thị Mai');
  await form.getByLabel('Giới tính').selectOption('female');
  await fillField(form, 'Ngày sinh', '10/04/2000');
  await fillField(form, 'Dân tộc', 'Thái');
  await pick(form, 'Chi bộ sinh hoạt', 'Nà Một', 'CV11');
  await fillField(form, 'Ngày chi bộ giới thiệu', '02/09/2024');
  await fillField(form, 'Ngày cấp giấy chứng nhận học lớp', '15/08/2024');
  await shot('party-propose');
  await submit(form);
});

await step('a_refused_stage_says_why_next_to_its_field', async () => {
  // the cell's vote before the verification of the background
  await open('#/forms/candStage?id=C1&stage=voted');
  const form = page.locator('form[data-form="candStage"]');
  await fillField(form, 'Ngày có hiệu lực', '04/11/2024');
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  const err = form.locator('[data-error-for="date"]');
  await err.waitFor();
  assert((await err.innerText()).includes('verified_on'), 'the rule is told next to the date');
  await shot('party-stage-error');
});

await step('the_stages_up_to_the_decision', async () => {
  await stage('verified', '15/10/2024', 'Đảng uỷ xã Một');
  await stage('voted', '04/11/2024');
  await stage('decided', '10/01/2025', 'OC1');
});

await step('the_ceremony_is_due_by_28_february_2025_across_tet', async () => {
  // decided Friday 10/1/2025: 30 working days, Tết Ất Tỵ 27-31/1 off: Friday 28/2/2025
  await open('#/party?as_of=2025-02-28');
  assertEq(JSON.stringify(await listed('due')), JSON.stringify(['28/02/2025|Lễ kết nạp|Lò Thị Mai (C1)']), 'due on the last day');
  await shot('party-due');
  await open('#/party?as_of=2025-03-01');
  assert((await listed('overdue')).includes('28/02/2025|Lễ kết nạp|Lò Thị Mai (C1)'), 'overdue the day after');
});

await step('the_ceremony_makes_the_candidate_a_member', async () => {
  await open('#/forms/candAdmit?id=C1');
  const form = page.locator('form[data-form="candAdmit"]');
  await fillField(form, 'Số thẻ đảng viên (mã)', 'M7');
  await fillField(form, 'Ngày tổ chức lễ kết nạp', '03/03/2025');
  await submit(form);
  await page.locator('#saved-record').click();
  await page.waitForFunction(() => document.querySelector('#page-title')?.textContent?.startsWith('Lò Thị Mai'));
  const m = await api('/api/v1/members/M7', await cookieOf('clerk'));
  assertEq(`${m.member.admitted_on} ${m.member.status} ${m.member.org.code}`, '2025-03-03 probationary CV11', 'the member');
  await shot('party-member');
});

await step('the_review_decided_late_counts_from_the_end_of_the_12_months', async () => {
  // 12 months to Tuesday 3/3/2026; the review due by Tuesday 14/4/2026; decided on 15/4
  await open('#/party?as_of=2026-03-02');
  assert((await listed('due')).includes('14/04/2026|Xét công nhận chính thức|Lò Thị Mai'), 'the review due that month');
  await open('#/forms/probation?id=M7');
  const form = page.locator('form[data-form="probation"]');
  await fillField(form, 'Ngày chi bộ xét', '10/04/2026');
  await fillField(form, 'Ngày cấp ủy quyết định', '15/04/2026');
  await pick(form, 'Cấp ủy quyết định', 'Xã Một', 'OC1');
  await form.getByLabel('Kết quả').selectOption('recognised');
  await submit(form);
  const m = await api('/api/v1/members/M7', await cookieOf('clerk'));
  assertEq(m.member.official_on, '2026-03-03', 'official from the end of the 12 months');
  await open('#/party?as_of=2026-04-20');
  assert((await listed('late')).includes('14/04/2026|Xét công nhận chính thức|Lò Thị Mai'), 'late');
  await shot('party-late');
  await open('#/dashboard?as_of=2026-04-20');
  const panel = page.locator('#party-panel');
  await panel.scrollIntoViewIfNeeded();  // the panel loads when it comes into view
  await panel.locator('[data-count="late"] strong').waitFor();
  assertEq(await panel.locator('[data-count="late"] strong').innerText(), '1', 'the panel counts the late review');
  await shot('party-dashboard');
  // the dashboard of the commune 00001: its party committee OC1, whose page the panel opens
  await open('#/dashboard?as_of=2026-04-20&scope=00001');
  await page.locator('#party-panel').scrollIntoViewIfNeeded();
  await page.locator('#party-panel [data-count="late"] strong').waitFor();
  assertEq(await page.locator('#party-panel [data-count="late"] strong').innerText(), '1', 'the commune counts it');
  await page.waitForFunction(() => document.querySelector('#party-panel .panel-actions a')?.getAttribute('href')?.includes('org=OC1'));
});

await step('the_badges_of_the_next_ceremony', async () => {
  // M1 (Chi bộ bản Nà Một, admitted 1/1/2010): 30 years on 1/1/2040, at the ceremony of 3/2/2040
  await open('#/party?as_of=2039-11-08');
  const rows = page.locator('#party-badges table.badges-due tbody tr');
  await rows.first().waitFor();
  assertEq((await rows.first().innerText()).replace(/\s+/g, ' ').trim(), '30 Lò Văn Thắng Chi bộ bản Nà Một 01/01/2010 01/01/2040 Ghi trao tặng', 'the badge row');
  assert((await text('#party-badges h3')).includes('03/02/2040'), 'the ceremony named');
  await shot('party-badges');
  // awarded at the ceremony through the form the row opens: no longer due
  await page.locator('#party-badges table.badges-due a.button').first().click();
  const form = page.locator('form[data-form="badgeAward"]');
  await form.waitFor();
  await submit(form);
  await open('#/party?as_of=2039-11-08');
  await page.locator('#party-badges [data-empty="due"]').waitFor();
});

await step('a_transfer_whose_letter_is_presented_late', async () => {
  // M2 (Mùa A Sùng, CV11) to the school's cell CS1: letter Monday 10/3/2025, to be presented by 22/4/2025
  await open('#/forms/transferNew');
  const form = page.locator('form[data-form="transferNew"]');
  await fillField(form, 'Mã chuyển sinh hoạt', 'T1');
  await pick(form, 'Đảng viên', 'Mùa', 'M2');
  await form.getByLabel('Hình thức').selectOption('official');
  await pick(form, 'Nơi chuyển đến', 'trường Nà Một', 'CS1');
  await fillField(form, 'Ngày quyết định có hiệu lực', '10/01/2025');
  await fillField(form, 'Ngày giới thiệu', '10/03/2025');
  await submit(form);
  await open('#/party?as_of=2025-04-23');
  assert((await listed('overdue')).includes('22/04/2025|Xuất trình giấy giới thiệu|Mùa A Sùng'), 'the presentation overdue');
  await shot('party-transfer-overdue');
  await page.locator('#party-overdue a.button', { hasText: 'Ghi ngày xuất trình' }).first().click();
  const present = page.locator('form[data-form="transferPresent"]');
  await fillField(present, 'Ngày xuất trình', '23/04/2025');
  await submit(present);
  const m = await api('/api/v1/members/M2?as_of=2025-04-23', await cookieOf('clerk'));
  assertEq(m.member.org.code, 'CS1', 'the member in the new cell from the presentation');
});

await step('a_member_rated_and_the_share_of_excellent', async () => {
  // 2025 on the 100-point scale: M1 (CV11, under the grassroots committee OC1) 95, excellent, with no one good:
  // over the 20% share
  await open('#/forms/rateMember?id=M1');
  const form = page.locator('form[data-form="rateMember"]');
  await fillField(form, 'Năm', '2025');
  await fillField(form, 'Điểm (thang 100)', '95');
  await form.getByLabel('Mức xếp loại').selectOption('good');
  await fillField(form, 'Ngày đánh giá', '15/12/2025');
  await pick(form, 'Tổ chức đánh giá', 'Nà Một', 'CV11');
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  const err = form.locator('[data-error-for="level"]');
  await err.waitFor();
  assert((await err.innerText()).includes("'excellent'"), 'the score gives excellent');
  await form.getByLabel('Mức xếp loại').selectOption('excellent');
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  await page.locator('.form-summary .alert-ok').waitFor();
  await open('#/party?as_of=2026-01-10');
  const row = page.locator('#party-ratings tr[data-level="excellent"]');
  await row.waitFor();
  assertEq((await row.innerText()).replace(/\s+/g, ' ').trim(), 'Hoàn thành xuất sắc nhiệm vụ 1 100,0% 0 —', 'the distribution (no organization rated)');
  assert((await text('#party-ratings .quota-over')).includes('Đảng bộ xã Một'), 'OC1 over the share');
  await shot('party-ratings');
});

await step('no_script_errors', async () => {
  assert(pageErrors.length === 0, pageErrors.join(' | '));
});

/* ---------- the end ---------- */

await context.close();
server.kill('SIGTERM');
const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
const { code, signal } = await exited;
clearTimeout(timer);
results.push({ name: 'server_exits_0_on_sigterm', ok: code === 0 });
console.log(`${code === 0 ? 'ok    ' : 'FAILED'} server_exits_0_on_sigterm (code ${code}, signal ${signal})`);
if (code !== 0) console.log(serverLog.slice(-4000));
fs.rmSync(tmp, { recursive: true, force: true });

const failed = results.filter((r) => !r.ok).length;
console.log(`browser_party: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
