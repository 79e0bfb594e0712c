#!/usr/bin/env node
// Browser tests of plans (docs/PLANS.md) against a real `coso serve` with the
// Điện Biên demo: the dashboard's panel of the resolution's targets year by
// year, a comparison of two dates on today's map (tree_as_of), and the page of
// the written report with its document. The set-up is run.mjs's (copied):
// Debian's Chromium through playwright-core, an administrator made by `coso
// user add`, the server ended with SIGTERM (it must exit 0).
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
const DEMO = process.env.DEMO_DATA ?? path.join(REPO, 'data/demo/dien-bien');
const HANDMADE = path.join(REPO, 'tests/cases/handmade');
const ARTICLE_DAY = '2018-05-22';

function die(msg) {
  console.error(`browser_plans: ${msg}`);
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
  console.log('browser_plans: installing playwright-core (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) die('npm ci failed in tests/browser');
  ({ chromium } = await import(path.join(HERE, 'node_modules/playwright-core/index.mjs')));
}

fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('failed-')) fs.rmSync(path.join(SHOTS, f));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coso-browser-'));
const db = path.join(tmp, 'web.db');

/* ---------- the registry: the demo, with its resolutions ---------- */

const imp = spawnSync(COSO, ['--db', db, 'import', DEMO], { encoding: 'utf8' });
if (imp.status !== 0) die(`import of ${DEMO} failed:\n${imp.stderr}`);

/* ---------- the users (docs/SECURITY.md): no default account, random passwords ---------- */

// Fast password hashing for the test run only (docs/SECURITY.md).
const ENV = { ...process.env, COSO_INSECURE_FAST_HASH: '1' };
const USERS = { admin: { role: 'admin', scope: null } };
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
console.log(`browser_plans: coso serve on ${base}, screenshots in ${SHOTS}`);

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
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `plans-${name}.png`), fullPage: true });
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
    await page.screenshot({ path: path.join(SHOTS, `failed-plans-${name}.png`), fullPage: true }).catch(() => undefined);
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

const cellOf = (target, year) => page.locator(`#targets table.targets tr[data-target="${target}"] td[data-year="${year}"]`);

await step('sign_in', async () => {
  await open('');
  await signInAs('admin');
});

await step('targets_year_by_year_on_the_dashboard', async () => {
  await open(`#/dashboard?scope=11&as_of=${ARTICLE_DAY}`);
  await kpis();
  await cellOf('NQ04-2016-KN', 2016).waitFor();
  const r = await api(`/api/v1/reports/targets?resolution=NQ04-2016&as_of=${ARTICLE_DAY}&depth=1`);
  const kn = r.units[0].targets.find((x) => x.code === 'NQ04-2016-KN');
  // 2016: the year's admissions against 2.000: met
  const y2016 = kn.years[0];
  assertEq(y2016.status, 'met', 'the API says 2016 is met');
  const c2016 = await cellOf('NQ04-2016-KN', 2016).innerText();
  assert(c2016.includes(`${vnInt(y2016.actual)} / 2.000`) && c2016.includes('đạt'), `2016 cell: ${c2016}`);
  // 2018 is in progress on the article's day; 2019 has not started
  const c2018 = await cellOf('NQ04-2016-KN', 2018).innerText();
  assert(c2018.includes(kn.years[2].status === 'on_track' ? 'đúng tiến độ' : 'chậm tiến độ'), `2018 cell: ${c2018}`);
  assert((await cellOf('NQ04-2016-KN', 2019).innerText()).includes('chưa đến kỳ'), '2019 is not yet');
  // the villages without a cell over the period: 328 -> 212 = 35,4%
  assert((await cellOf('NQ04-2016-TCB', 'period').innerText()).startsWith('35,4%'), 'the period\'s reduction');
  // every district, with the period's status of each target
  assertEq(await page.locator('#targets table.targets-units tbody tr').count(), 10, 'districts in the panel');
  await shot('targets');
  // a district: its own figures (drill down)
  const d = r.units.find((u) => u.level === 'district');
  await page.locator(`#targets table.targets-units tr[data-unit="${d.code}"] a`).click();
  await page.waitForURL(new RegExp(`scope=${d.code}`));
  await page.locator('#targets table.targets[data-unit="' + d.code + '"]').waitFor();
});

await step('a_2018_comparison_on_today_s_map', async () => {
  // a commune of today whose 2018 villages (on today's map) are more than its own 2018 villages: a merger
  const now = await api('/api/v1/reports/asof?scope=11&as_of=2026-01-01');
  const mapped = await api('/api/v1/reports/asof?scope=11&as_of=2018-05-22&tree_as_of=2026-01-01');
  let pick = null;
  for (const c of mapped.children) {
    const own = await api(`/api/v1/reports/asof?scope=${c.code}&as_of=2018-05-22`);
    if (c.villages.total > own.villages.total) { pick = { code: c.code, mapped: c.villages.total, own: own.villages.total }; break; }
  }
  assert(pick, 'a merged commune in the demo');
  assertEq(now.children.length, 45, 'communes of today');
  await open(`#/dashboard?scope=${pick.code}&as_of=2026-01-01&compare=2018-05-22`);
  await page.locator('#compare').waitFor();
  const before = async () => (await page.locator('#compare tbody tr').first().locator('td').first().innerText()).trim();
  assertEq(await before(), vnInt(pick.own), 'without the toggle: the commune as it was in 2018');
  await page.locator('#tree-toggle').check();
  await page.waitForURL(/tree=1/);
  await page.locator('#compare').waitFor();
  await page.waitForFunction(([v]) => document.querySelector('#compare tbody tr td')?.textContent?.trim() === v, [vnInt(pick.mapped)]);
  assertEq(await before(), vnInt(pick.mapped), 'on today\'s map: the villages that make it up now');
  await shot('compare-on-today-map');
});

await step('the_written_report_page', async () => {
  // from the dashboard's panel: the report of the resolution's period up to the day shown
  await open(`#/dashboard?scope=11&as_of=${ARTICLE_DAY}`);
  await page.locator('#narrative-link').click();
  await page.waitForURL(/#\/narrative\?/);
  assert(page.url().includes('from=2016-01-01') && page.url().includes(`as_of=${ARTICLE_DAY}`), `the link: ${page.url()}`);
  await page.locator('#narrative h2.narrative-title').waitFor();
  const body = await page.locator('#narrative').innerText();
  for (const s of ['1.601/1.813 thôn, bản có chi bộ (88,3%)', 'kết nạp 5.240 đảng viên mới', '3.406 đảng viên, chiếm 65,0%',
    'Riêng quý I năm 2018, cấp xã kết nạp 247/407 đảng viên mới (chiếm 60,7%)', 'Nghị quyết số 04-NQ/TU ngày 23/05/2016']) {
    assert(body.includes(s), `the report says ${s}`);
  }
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-fodt').click()]);
  assertEq(dl.suggestedFilename(), 'bao-cao.fodt', 'the document\'s name');
  const file = path.join(tmp, 'bao-cao.fodt');
  await dl.saveAs(file);
  assert(fs.readFileSync(file, 'utf8').includes('88,3%'), 'the document has the figures');
  await shot('narrative');
  assertEq((await unlabelled()).length, 0, 'every control has a label');
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
console.log(`browser_plans: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
