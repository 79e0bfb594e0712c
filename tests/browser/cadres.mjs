#!/usr/bin/env node
// Browser tests of the cadre pages (docs/CADRES.md) against a real `coso
// serve` with the Điện Biên demo (its cadre files included): the article's
// training figures on the cadres page and on the dashboard's panel, the
// standards share of every commune, a commune's posts with their holders, and
// a commune clerk who sees only the clerk's commune. The set-up (the server,
// the browser and the helpers) is harness.mjs's: each browser test is its own
// ctest entry. Screenshots go to $COSO_TEST_OUTPUT/screenshots (cadres-*.png).
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium), DEMO_DATA.
import path from 'node:path';
import { ARTICLE_DAY, DEMO, SHOTS, assert, assertEq, start, vnInt, vnPct } from './harness.mjs';

// The clerk of Xã Nậm Tin (huyện Nậm Pồ), a commune the article names.
const CLERK_SCOPE = '03156';
const { page, api, text, shot, open, unlabelled, step, signInAs, signOut, finish } = await start({
  name: 'browser_cadres',
  registry: { demo: DEMO },
  users: {
    admin: { role: 'admin', scope: null },
    clerk: { role: 'clerk', scope: CLERK_SCOPE },
  },
});

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

await finish();
