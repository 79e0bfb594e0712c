#!/usr/bin/env node
// Browser tests of plans (docs/PLANS.md) against a real `coso serve` with the
// Điện Biên demo: the dashboard's panel of the resolution's targets year by
// year, a comparison of two dates on today's map (tree_as_of), and the page of
// the written report with its document. The set-up is harness.mjs's:
// Debian's Chromium through playwright-core, an administrator made by `coso
// user add`, the server ended with SIGTERM (it must exit 0).
// Screenshots go to $COSO_TEST_OUTPUT/screenshots/plans-*.png.
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium), DEMO_DATA.
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_DAY, DEMO, assert, assertEq, start, vnInt } from './harness.mjs';

// The registry: the demo, with its resolutions.
const { page, tmp, api, shot, open, kpis, unlabelled, step, signInAs, finish } = await start({
  name: 'browser_plans',
  registry: { demo: DEMO },
  users: { admin: { role: 'admin', scope: null } },
  shotPrefix: 'plans-',
});

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

await finish();
