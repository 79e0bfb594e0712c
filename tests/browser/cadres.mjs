#!/usr/bin/env node
// Browser tests of the cadre pages (docs/CADRES.md) against a real `coso
// serve` with the Điện Biên demo (its cadre files included): the article's
// training figures on the cadres page and on the dashboard's panel, the
// standards share of every commune, a commune's posts with their holders, and
// a commune clerk who sees only the clerk's commune. The server, the browser
// and the helpers are those of run.mjs (copied: each browser test is its own
// ctest entry). Screenshots go to $COSO_TEST_OUTPUT/screenshots (cadres-*.png).
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
const ARTICLE_DAY = '2018-05-22';

function die(msg) {
  console.error(`browser_cadres: ${msg}`);
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
  console.log('browser_ui: installing playwright-core (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) die('npm ci failed in tests/browser');
  ({ chromium } = await import(path.join(HERE, 'node_modules/playwright-core/index.mjs')));
}

fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('failed-')) fs.rmSync(path.join(SHOTS, f));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coso-browser-'));
const db = path.join(tmp, 'web.db');

/* ---------- the registry ---------- */

const dataset = 'demo';
const imp = spawnSync(COSO, ['--db', db, 'import', DEMO], { encoding: 'utf8' });
if (imp.status !== 0) die(`import of ${DEMO} failed:\n${imp.stderr}`);

/* ---------- the users (docs/SECURITY.md): no default account, random passwords ---------- */

// Fast password hashing for the test run only (docs/SECURITY.md).
const ENV = { ...process.env, COSO_INSECURE_FAST_HASH: '1' };
// The clerk of Xã Nậm Tin (huyện Nậm Pồ), a commune the article names.
const CLERK_SCOPE = '03156';
const USERS = {
  admin: { role: 'admin', scope: null },
  clerk: { role: 'clerk', scope: CLERK_SCOPE },
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
console.log(`browser_cadres: coso serve on ${base} (${dataset} registry), screenshots in ${SHOTS}`);

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
function assertEq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function assert(cond, what) { if (!cond) throw new Error(what); }
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

const FROM = '2016-01-01';
const summary = await api(`/api/v1/cadres/summary?scope=11&from=${FROM}&to=${ARTICLE_DAY}`);
const flowBig = (kind) => text(`[data-kind="${kind}"] .flow-big`);

await step('cadres_page_shows_the_articles_training_figures', async () => {
  await open('');
  await signInAs('admin');
  await open(`#/cadres?scope=11&from=${FROM}&to=${ARTICLE_DAY}`);
  await page.locator('#cadre-training [data-kind="professional"] .flow-big').waitFor();
  // "đã cử 614 người ... 454 cán bộ, công chức ... hơn 13.000 cán bộ, công chức"
  assertEq(await flowBig('professional'), '614', 'sent to professional training');
  assertEq(await flowBig('political_theory'), '454', 'political theory');
  assertEq(await flowBig('short_course'), vnInt(summary.training.short_course.attendances), 'short-course attendances');
  assert(summary.training.short_course.attendances > 13000, 'over 13,000 attendances');
  assert((await text('#page-title')).includes('Tỉnh Điện Biên'), 'the scope is named');
  assertEq((await unlabelled()).length, 0, 'every control of the page has a label');
  await shot('cadres-period');
});

await step('standards_share_of_every_commune', async () => {
  const rows = page.locator('#cadre-standards tbody tr');
  assertEq(await rows.count(), summary.standards.communes.length, 'one row per commune');
  assertEq(summary.standards.communes.length, 130, 'the 130 communes of 2018');
  const sub = await text('#cadre-standards .panel-sub');
  const st = summary.standards;
  assert(sub.includes(`${vnInt(st.meeting)}/${vnInt(st.holdings)}`) && sub.includes(vnPct(st.meeting, st.holdings)),
    `the province's share in ${JSON.stringify(sub)}`);
  const c = st.communes.find((x) => x.code === CLERK_SCOPE);
  const row = rows.filter({ hasText: c.name });
  assert((await row.innerText()).includes(vnPct(c.meeting, c.holdings)), `${c.name}: ${vnPct(c.meeting, c.holdings)}`);
});

await step('a_communes_posts_and_holders', async () => {
  await page.locator('#cadre-standards tbody a', { hasText: 'Xã Nậm Tin' }).click();
  await page.waitForURL(/#\/cadres\/03156/);
  await page.locator('#cadre-posts tbody tr').first().waitFor();
  const posts = await api(`/api/v1/cadres/posts?unit=03156&as_of=${ARTICLE_DAY}`);
  assertEq(await page.locator('#cadre-posts tbody tr').count(), posts.items.length, 'one row per post held');
  assertEq(await text('#cadre-posts tbody tr th'), posts.items[0].post_label + ' ' + (posts.items[0].category === 'cadre' ? 'cán bộ' : 'công chức'), 'the first post');
  const meets = posts.items.filter((x) => x.meets_standard).length;
  assertEq(await page.locator('#cadre-posts .chip-good').count(), meets, 'posts meeting their standard');
  // who the commune sent from 2016-01-01 to the day
  const sent = await api(`/api/v1/cadres/training?scope=03156&from=${FROM}&to=${ARTICLE_DAY}&per_page=500`);
  await page.locator('#cadre-sent tbody tr').first().waitFor();
  assertEq(await page.locator('#cadre-sent tbody tr').count(), sent.items.length, 'one row per record sent');
  const c = summary.standards.communes.find((x) => x.code === '03156');
  assertEq(sent.total, c.training.professional.attendances + c.training.political_theory.attendances
    + c.training.short_course.attendances, 'the records add up to the commune\'s figures');
  await shot('cadres-commune');
});

await step('dashboard_panel', async () => {
  await open(`#/dashboard?scope=11&as_of=${ARTICLE_DAY}`);
  await page.locator('#cadres-panel [data-kind="professional"] .flow-big').waitFor();
  assertEq(await text('#cadres-panel [data-kind="professional"] .flow-big'), '614', 'panel: professional');
  assertEq(await text('#cadres-panel [data-kind="political_theory"] .flow-big'), '454', 'panel: political theory');
  assertEq(await text('#cadres-panel [data-kind="standards"] .flow-big'), vnPct(summary.standards.meeting, summary.standards.holdings), 'panel: share');
  await page.locator('#cadres-panel').screenshot({ path: path.join(SHOTS, 'cadres-dashboard-panel.png') });
  assertEq((await unlabelled()).length, 0, 'every control has a label');
});

await step('a_clerk_sees_the_clerks_commune', async () => {
  await signOut();
  await signInAs('clerk');
  await open(`#/cadres?scope=${CLERK_SCOPE}&from=${FROM}&to=${ARTICLE_DAY}`);
  await page.locator('#cadre-standards tbody tr').first().waitFor();
  assertEq(await page.locator('#cadre-standards tbody tr').count(), 1, 'one commune');
  assert((await text('#cadre-standards tbody tr')).includes('Nậm Tin'), 'the clerk\'s commune');
  const status = await page.evaluate(async () => (await fetch('api/v1/cadres/posts?unit=03124')).status);
  assertEq(status, 403, 'another commune\'s posts');
  await signOut();
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
console.log(`browser_cadres: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
