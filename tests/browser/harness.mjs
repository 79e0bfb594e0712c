// The set-up shared by the browser tests of the web interface (run.mjs,
// party.mjs, plans.mjs, cadres.mjs, services.mjs): each is its own ctest entry
// with its own server, registry, users and browser, made here.
//
// start() checks the environment, loads playwright-core (with `npm ci` in
// tests/browser on a fresh tree), imports a registry into a temporary database,
// makes the users with `coso user add` (no default account, random passwords:
// docs/SECURITY.md), starts `coso serve` on a free loopback port (which does not
// outlive the script, whatever happens to it), waits for /api/v1/health, and
// drives Debian's Chromium (no browser download) on a new empty profile. It
// gives the page and the helpers of the tests; finish() checks that the page
// had no script error, ends the server with SIGTERM (it must exit 0), prints
// the summary and exits 1 if a step failed.
// Screenshots go to $COSO_TEST_OUTPUT/screenshots (default test-output/).
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
export const REPO = path.resolve(HERE, '../..');
const COSO = process.env.COSO;
const WEB_DIST = path.resolve(process.env.WEB_DIST ?? path.join(REPO, 'web/dist'));
export const OUT = path.resolve(process.env.COSO_TEST_OUTPUT ?? 'test-output');
export const SHOTS = path.join(OUT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const DEMO = process.env.DEMO_DATA ?? path.join(REPO, 'data/demo/dien-bien');
export const HANDMADE = path.join(REPO, 'tests/cases/handmade');
export const ARTICLE_DAY = '2018-05-22';

/* ---------- helpers that need no page ---------- */

export const vnInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
export const vnPct = (a, b) => `${(Math.round((1000 * a) / b) / 10).toFixed(1).replace('.', ',')}%`;
export const todayHere = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };
export function assertEq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
export function assert(cond, what) { if (!cond) throw new Error(what); }

/**
 * Sets up one browser test.
 * - name: what its messages start with (browser_party).
 * - registry: { dataset: directory, ... }, imported in that order until one
 *   imports (a directory before the last is skipped without its units.csv);
 *   the key of the one imported is the result's `dataset`.
 * - users: { name: { role, scope } }, or (dataset) => that; each gets its
 *   random `password` in the object.
 * - tmpPrefix: of the temporary directory (the database, the profile).
 * - shotPrefix: of shot()'s files; failedPrefix: of the screenshot of a failed
 *   step (default `failed-${shotPrefix}`).
 * - networkIdle: shot() waits for the network to be idle first.
 * - clearFailed: removes the failed-*.png of earlier runs from the screenshots.
 */
export async function start({
  name, registry, users, tmpPrefix = 'coso-browser-', shotPrefix = '', failedPrefix = `failed-${shotPrefix}`,
  networkIdle = true, clearFailed = true,
}) {
  function die(msg) {
    console.error(`${name}: ${msg}`);
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
    console.log(`${name}: installing playwright-core (npm ci)`);
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
    if (r.status !== 0) die('npm ci failed in tests/browser');
    ({ chromium } = await import(path.join(HERE, 'node_modules/playwright-core/index.mjs')));
  }

  fs.mkdirSync(SHOTS, { recursive: true });
  if (clearFailed) for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('failed-')) fs.rmSync(path.join(SHOTS, f));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const db = path.join(tmp, 'web.db');

  /* ---------- the registry ---------- */

  const sets = Object.entries(registry);
  let dataset;
  for (const [i, [set, dir]] of sets.entries()) {
    const last = i === sets.length - 1;
    const imp = last || fs.existsSync(path.join(dir, 'units.csv'))
      ? spawnSync(COSO, ['--db', db, 'import', dir], { encoding: 'utf8' })
      : { status: -1, stderr: `${dir} is missing` };
    if (imp.status === 0) { dataset = set; break; }
    if (last) die(`import of ${dir} failed:\n${imp.stderr}`);
    console.log(`${name}: ${set} not usable (${(imp.stderr ?? '').trim().split('\n').slice(-1)[0]}); using ${path.relative(REPO, sets[i + 1][1])}`);
    for (const s of ['', '-wal', '-shm']) fs.rmSync(db + s, { force: true });
  }

  /* ---------- the users (docs/SECURITY.md): no default account, random passwords ---------- */

  // Fast password hashing for the test run only (docs/SECURITY.md).
  const ENV = { ...process.env, COSO_INSECURE_FAST_HASH: '1' };
  const USERS = typeof users === 'function' ? users(dataset) : users;
  for (const [user, u] of Object.entries(USERS)) {
    u.password = crypto.randomBytes(15).toString('base64url');
    const args = ['--db', db, 'user', 'add', user, '--role', u.role, '--password-stdin', ...(u.scope ? ['--scope', u.scope] : [])];
    const r = spawnSync(COSO, args, { encoding: 'utf8', input: `${u.password}\n`, env: ENV });
    if (r.status !== 0) die(`coso user add ${user} failed:\n${r.stderr}`);
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
  async function cookieOf(user) {
    const r = await fetch(`${base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password: USERS[user].password }),
    });
    if (!r.ok) throw new Error(`sign-in of ${user}: ${r.status} ${await r.text()}`);
    return r.headers.get('set-cookie').split(';')[0];
  }
  let adminCookie = null;
  /** GET p with the cookie (the administrator's when none): the JSON. */
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
  console.log(`${name}: coso serve on ${base} (${dataset} registry), screenshots in ${SHOTS}`);

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
  // A wait ends as soon as its element comes; 45 s is for the sanitizer build on a busy machine, where a
  // dashboard's panels (each its own request, two server threads) took over 20 s now and then.
  context.setDefaultTimeout(45_000);
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // 4xx answers are logged by the browser as 'Failed to load resource': the refused form expects one.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`); });

  /* ---------- helpers ---------- */

  const text = async (sel) => (await page.locator(sel).first().innerText()).trim();
  async function shot(file) {
    if (networkIdle) await page.waitForLoadState('networkidle', { timeout: 20_000 }).catch(() => undefined);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${shotPrefix}${file}.png`), fullPage: true });
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
  async function step(stepName, f) {
    const t0 = Date.now();
    try {
      await f();
      results.push({ name: stepName, ok: true });
      console.log(`ok     ${stepName} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name: stepName, ok: false });
      console.log(`FAILED ${stepName}: ${e.message.split('\n')[0]}`);
      await page.screenshot({ path: path.join(SHOTS, `${failedPrefix}${stepName}.png`), fullPage: true }).catch(() => undefined);
    }
  }

  /** Signs in through the page (the sign-in form the interface shows to anyone not signed in). */
  async function signInAs(user) {
    await page.locator('form.signin-form').waitFor();
    await page.getByLabel('Tên đăng nhập').fill(user);
    await page.getByLabel('Mật khẩu').fill(USERS[user].password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.locator('#who .who-name', { hasText: user }).waitFor();
  }
  async function signOut() {
    await page.locator('#sign-out').click();
    await page.locator('form.signin-form').waitFor();
  }

  /* ---------- the end ---------- */

  /** The last step (no script errors on the page), the server ended with SIGTERM, the summary: exits. */
  async function finish() {
    await step('no_script_errors', async () => {
      assert(pageErrors.length === 0, pageErrors.join(' | '));
    });
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
    console.log(`${name}: ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }

  return {
    page, context, base, db, tmp, dataset, USERS, pageErrors, results,
    api, cookieOf, text, shot, open, kpis, unlabelled, step, signInAs, signOut, finish, die,
  };
}
