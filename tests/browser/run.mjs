#!/usr/bin/env node
// Browser tests of the web interface (web/dist) against a real `coso serve`.
//
// Starts coso on a free loopback port with the Điện Biên demo imported into a
// temporary database (or tests/cases/handmade when the demo is missing), with
// an administrator, a commune clerk and a read-only leader made by `coso user
// add` (random passwords), drives Debian's Chromium through playwright-core (no
// browser download), and checks what a person would: signing in through the
// page, the article's figures on the dashboard, a drill-down, a search without
// diacritics, an admission through the form that moves the member count by
// one, a field error next to its field, the A4 print view; and, signed in as
// the clerk and the leader, only their scope and only what their role allows.
// Screenshots go to $COSO_TEST_OUTPUT/screenshots (default test-output/).
// Ends the server with SIGTERM and checks that it exits 0. The set-up is
// harness.mjs's.
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium), DEMO_DATA.
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_DAY, DEMO, HANDMADE, OUT, assert, assertEq, start, todayHere, vnInt, vnPct } from './harness.mjs';

const { page, context, dataset, USERS, api, cookieOf, text, shot, open, kpis, unlabelled, step, signInAs, signOut, finish } = await start({
  name: 'browser_ui',
  registry: { demo: DEMO, handmade: HANDMADE },
  // The clerk of a commune merged in 2025 (the demo's Noong Bua, into Mường Thanh) or 2020 (handmade's Xã Hai).
  users: (dataset) => ({
    admin: { role: 'admin', scope: null },
    clerk: { role: 'clerk', scope: dataset === 'demo' ? '03124' : '00002' },
    leader: { role: 'leader', scope: dataset === 'demo' ? '03127' : '00003' },
  }),
});
const CLERK_SCOPE = USERS.clerk.scope;
const LEADER_SCOPE = USERS.leader.scope;

/* ---------- the tests ---------- */

const top = await api('/api/v1/reports/asof');
const article = await api(`/api/v1/reports/asof?as_of=${ARTICLE_DAY}`);

await step('sign_in_through_the_page', async () => {
  await open('');
  await page.locator('form.signin-form').waitFor();
  assertEq(await page.locator('[data-kpi]').count(), 0, 'figures shown before signing in');
  await shot('sign-in');
  // a wrong password: the message, and still the form
  await page.getByLabel('Tên đăng nhập').fill('admin');
  await page.getByLabel('Mật khẩu').fill('not the password');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.signin-message .alert-error').waitFor();
  assert((await text('.signin-message')).includes('không đúng'), 'a wrong password is told');
  await signInAs('admin');
  await kpis();
  // the session's cookie is out of the page's reach (HttpOnly)
  assertEq(await page.evaluate(() => document.cookie), '', 'document.cookie');
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'coso_session');
  assert(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', `the cookie is HttpOnly and SameSite=Strict: ${JSON.stringify(cookie)}`);
});

await step('dashboard_default_scope_is_the_top_unit', async () => {
  await open('');
  await kpis();
  const h1 = await text('#page-title');
  assert(h1.startsWith(top.scope.name), `the title ${JSON.stringify(h1)} names the top unit ${top.scope.name}`);
  assertEq(await text('[data-kpi="members"] .kpi-big'), vnInt(top.members.total), 'members today');
});

await step('dashboard_shows_the_article_figures', async () => {
  await page.getByRole('button', { name: '22/05/2018' }).click();
  await page.waitForURL(/as_of=2018-05-22/);
  const k = await kpis();
  const v = article.villages;
  assertEq(k.total, vnInt(v.total), 'villages');
  assertEq(k.withOrg, vnInt(v.with_org), 'villages with a cell');
  assertEq(k.rate, vnPct(v.with_org, v.total), 'share of villages with a cell');
  assertEq(k.white, vnInt(v.without_member), 'white villages');
  if (dataset === 'demo') {
    assertEq(k.total, '1.813', 'the article: villages');
    assertEq(k.withOrg, '1.601', 'the article: villages with a cell');
    assertEq(k.rate, '88,3%', 'the article: share');
    assertEq(k.white, '21', 'the article: white villages');
  }
  await page.locator('table.children tbody tr').first().waitFor();
  await page.locator('#timeline canvas, #admissions canvas').first().waitFor();
  await shot('dashboard');
});

await step('children_table_sorts_by_rate', async () => {
  const rows = page.locator('table.children tbody tr');
  assertEq(await rows.count(), article.children.length, 'rows of the children table');
  await page.locator('table.children thead button', { hasText: 'Tỷ lệ' }).click();
  await page.locator('table.children th[aria-sort]').waitFor();
  const rates = await page.locator('table.children tbody tr td .rate').allInnerTexts();
  const nums = rates.map((r) => Number(r.replace('%', '').replace(',', '.')));
  assert(nums.every((x, i) => i === 0 || nums[i - 1] >= x) || nums.every((x, i) => i === 0 || nums[i - 1] <= x), `rates sorted: ${rates.join(' ')}`);
});

let drilled = null;
await step('drill_down_to_a_commune_and_back', async () => {
  await open(`#/dashboard?as_of=${ARTICLE_DAY}`);
  await kpis();
  // Down the tree until a commune: the first child at each level.
  for (let depth = 0; depth < 3; depth++) {
    const first = article.children.length ? page.locator('table.children tbody a.drill').first() : null;
    if (!first) break;
    const name = (await first.innerText()).trim();
    await first.click();
    await page.waitForFunction((n) => document.querySelector('#page-title')?.textContent?.startsWith(n), name);
    await kpis();
    const code = new URL(page.url().replace('#/', '')).searchParams.get('scope');
    const unit = (await api(`/api/v1/units/${encodeURIComponent(code)}?as_of=${ARTICLE_DAY}`)).unit;
    drilled = { code, name, level: unit.level };
    if (unit.level === 'commune') break;
  }
  assertEq(drilled?.level, 'commune', 'reached a commune');
  const scoped = await api(`/api/v1/reports/asof?as_of=${ARTICLE_DAY}&scope=${encodeURIComponent(drilled.code)}`);
  assertEq(await text('[data-kpi="villages-with-org"] [data-value="total"]'), vnInt(scoped.villages.total), 'the commune\'s villages');
  // the breadcrumb is drawn once the unit's ancestors come (after the figures): wait for it
  await page.locator('.breadcrumb a', { hasText: top.scope.name }).first().waitFor().catch(() => undefined);
  const crumbs = await page.locator('.breadcrumb a').allInnerTexts();
  assert(crumbs.includes(top.scope.name), `breadcrumb ${crumbs.join(' › ')} leads back to ${top.scope.name}`);
  await shot('dashboard-commune');
  await page.locator('.breadcrumb a', { hasText: top.scope.name }).click();
  await page.waitForFunction((n) => document.querySelector('#page-title')?.textContent?.startsWith(n), top.scope.name);
});

await step('comparison_of_two_dates', async () => {
  await open(`#/dashboard?as_of=${ARTICLE_DAY}&compare=2016-01-01`);
  await page.locator('#compare table').waitFor();
  const cmp = await api(`/api/v1/reports/asof?as_of=${ARTICLE_DAY}&compare=2016-01-01`);
  const row = page.locator('#compare tbody tr', { hasText: '“trắng” đảng viên' });
  const cells = await row.locator('td').allInnerTexts();
  assertEq(cells[0], vnInt(cmp.before.villages.without_member), 'white villages before');
  assertEq(cells[1], vnInt(cmp.after.villages.without_member), 'white villages after');
  if (dataset === 'demo') assertEq(`${cells[0]}→${cells[1]}`, '95→21', 'the article: 95 white villages down to 21');
  await page.locator('#flow .flow-big').first().waitFor();
  await shot('dashboard-compare');
});

let memberCount = null;
await step('member_search_without_diacritics_opens_the_profile', async () => {
  await open('#/members');
  const box = page.getByLabel('Tìm theo họ tên hoặc số thẻ');
  await page.locator('#member-results a.member-link').first().waitFor();
  // Typed as people type it: no diacritics. One request once the typing stops (debounced).
  await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/members\?.*q=mua(\+|%20)a(\+|%20)sung/.test(r.url())),
    box.pressSequentially('mua a sung', { delay: 40 }),
  ]);
  await page.waitForFunction(() => !document.querySelector('#member-results[aria-busy]'));
  // Every name that folds to "mua a sung" matches (Sùng A Mua, Mua A Sung, Mùa A Sùng): page on to the one with diacritics.
  const hit = page.locator('#member-results a.member-link', { hasText: 'Mùa A Sùng' }).first();
  for (let i = 0; i < 8 && !(await hit.count()); i++) {
    const next = page.getByRole('button', { name: 'Trang sau' });
    if (!(await next.count()) || await next.isDisabled()) break;
    const label = await page.locator('.pager span').innerText();
    await next.click();
    await page.waitForFunction((l) => document.querySelector('.pager span')?.textContent !== l, label);
  }
  await hit.waitFor();
  assert(page.url().includes('q=mua+a+sung') || page.url().includes('q=mua%20a%20sung'), `the search is in the address: ${page.url()}`);
  memberCount = await page.locator('#member-results a.member-link').count();
  await shot('members-search');
  await hit.click();
  await page.waitForFunction(() => document.querySelector('#page-title')?.textContent?.startsWith('Mùa A Sùng'));
  await page.locator('.timeline .tl-item').first().waitFor();
  assert((await text('.timeline')).includes('Kết nạp vào Đảng'), 'the history starts with the admission');
  await shot('member-profile');
});

const today = todayHere();
await step('admit_a_member_through_the_form', async () => {
  const before = (await api(`/api/v1/reports/asof?as_of=${today}`)).members.total;
  await open(`#/dashboard?as_of=${today}`);
  assertEq((await kpis()).members, vnInt(before), 'members before');
  // A cell and a village whose names are unique (many villages are called "Tổ dân phố 1").
  const unique = (items) => {
    const n = new Map();
    for (const x of items) n.set(x.name, (n.get(x.name) ?? 0) + 1);
    return items.find((x) => n.get(x.name) === 1) ?? items[0];
  };
  const cell = unique((await api(`/api/v1/orgs?as_of=${today}&kind=cell&per_page=500`)).items);
  const village = unique((await api(`/api/v1/units?as_of=${today}&level=village&per_page=500`)).items);
  assert(cell && village, 'a cell and a village exist today');
  await open('#/forms/admit');
  const form = page.locator('form[data-form="admit"]');
  await form.getByLabel('Số thẻ đảng viên (mã)').fill(`WEB-${Date.now()}`);
  await form.getByLabel('Họ và tên').fill('Lò Thị Thử');
  await form.getByLabel('Giới tính').selectOption('female');
  await form.getByLabel('Ngày sinh', { exact: false }).first().fill('01/02/1995');
  await form.getByLabel('Dân tộc').fill('Thái');
  const org = form.getByRole('combobox', { name: 'Chi bộ sinh hoạt' });
  await org.pressSequentially(cell.name, { delay: 10 });
  await page.locator(`#${await org.getAttribute('aria-controls')} [role=option]`, { hasText: cell.code }).first().click();
  const res = form.getByRole('combobox', { name: 'Nơi cư trú (thôn, bản, tổ dân phố)' });
  await res.pressSequentially(village.name, { delay: 10 });
  await page.locator(`#${await res.getAttribute('aria-controls')} [role=option]`, { hasText: village.code }).first().click();
  await shot('form-admit');
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  await page.locator('.alert-ok').waitFor();
  await shot('form-admit-saved');
  await page.locator('#saved-record').click();
  await page.waitForFunction(() => document.querySelector('#page-title')?.textContent?.startsWith('Lò Thị Thử'));
  await open(`#/dashboard?as_of=${today}`);
  await page.reload();
  assertEq((await kpis()).members, vnInt(before + 1), 'members after one admission');
});

await step('a_refused_form_shows_the_rule_next_to_its_field', async () => {
  await open('#/forms/admit');
  const form = page.locator('form[data-form="admit"]');
  await form.getByLabel('Số thẻ đảng viên (mã)').fill(`WEB-BAD-${Date.now()}`);
  await form.getByLabel('Họ và tên').fill('Giàng A Lỗi');
  await form.getByLabel('Giới tính').selectOption('male');
  await form.getByLabel('Ngày sinh', { exact: false }).first().fill('03/04/1990');
  await form.getByLabel('Dân tộc').fill('Mông');
  await form.getByRole('combobox', { name: 'Chi bộ sinh hoạt' }).fill('KHONG-CO-CHI-BO');
  await form.getByRole('button', { name: 'Ghi vào sổ' }).click();
  const err = form.locator('[data-field="org_code"] .field-error');
  await err.waitFor();
  assert((await err.innerText()).trim().length > 0, 'the message is not empty');
  assertEq(await form.getByRole('combobox', { name: 'Chi bộ sinh hoạt' }).getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
  await page.locator('.form-summary .alert-error').waitFor();
  await shot('form-error');
});

await step('print_view_fits_one_a4_page', async () => {
  // The article's report, and today's (after the 2025 reform: every commune directly under the province).
  for (const [asOf, name] of [[ARTICLE_DAY, 'print'], [today, 'print-today']]) {
    await open(`#/print?scope=${encodeURIComponent(top.scope.code)}&as_of=${asOf}`);
    await page.locator('.sheet table.indicators').first().waitFor();
    await shot(name);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    fs.writeFileSync(path.join(OUT, `${name}.pdf`), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assertEq(pages, 1, `pages of the printed report as of ${asOf}`);
  }
});

await step('lists_units_and_organizations', async () => {
  await open(`#/units?as_of=${ARTICLE_DAY}`);
  await page.locator('.tree .tree .tree-node').first().waitFor();
  await shot('units');
  await open(`#/orgs?as_of=${ARTICLE_DAY}`);
  await page.locator('.tree .tree-node').first().waitFor();
  await shot('orgs');
});

await step('english_switch', async () => {
  await open(`#/dashboard?as_of=${ARTICLE_DAY}`);
  await kpis();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.locator('#timeline canvas').waitFor({ timeout: 60_000 });
  await page.locator('#admissions canvas').waitFor({ timeout: 60_000 });
  assertEq(await text('[data-kpi="villages-with-org"] [data-value="total"]'), String(article.villages.total).replace(/\B(?=(\d{3})+(?!\d))/g, ','), 'English number format');
  await shot('dashboard-en');
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
  await page.getByRole('link', { name: 'Tổng quan' }).waitFor();
});

await step('phone_layout_has_no_sideways_scroll', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const [hash, name] of [[`#/dashboard?as_of=${ARTICLE_DAY}`, 'phone-dashboard'], ['#/forms/admit', 'phone-form']]) {
      await open(hash);
      await page.locator('#page-title').waitFor();
      if (name === 'phone-dashboard') await kpis();
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, `${hash} is ${over}px wider than the phone`);
      await shot(name);
    }
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
});

await step('every_control_has_a_label', async () => {
  for (const hash of [`#/dashboard?as_of=${ARTICLE_DAY}`, '#/forms/admit', '#/forms/orgFound', '#/forms/unitAdd', '#/members']) {
    await open(hash);
    await page.locator('#page-title').waitFor();
    const bad = await unlabelled();
    assert(bad.length === 0, `${hash}: controls without a label: ${bad.join(' | ')}`);
  }
});

await step('a_clerk_sees_only_the_commune_and_a_leader_only_reads', async () => {
  const clerk = await api('/api/v1/session', await cookieOf('clerk'));
  const root = clerk.scope_units[0];
  assert(root && root.code !== CLERK_SCOPE, `the clerk of a merged commune gets the new one: ${JSON.stringify(clerk.scope_units)}`);
  // someone outside: a member and a commune of another part of the province
  const outside = (await api(`/api/v1/members?scope=${encodeURIComponent(LEADER_SCOPE)}&per_page=1`)).items[0];
  assert(outside, 'a member outside the clerk\'s commune');
  await open('');
  await signOut();
  await signInAs('clerk');
  await open(`#/dashboard?as_of=${today}`);  // the names of today (the date chosen earlier is remembered)
  await kpis();
  assert((await text('#page-title')).startsWith(root.name), `the clerk's dashboard is ${root.name}: ${await text('#page-title')}`);
  assert((await page.locator('#who .who-role').innerText()).includes('Văn phòng xã'), 'the role is shown');
  await shot('clerk-dashboard');
  // the forms of members and organizations, not of administrative units
  await open('#/forms/unitAdd');
  await page.locator('form[data-form]').waitFor();
  assertEq(await page.locator('form[data-form="unitAdd"]').count(), 0, 'the clerk has no unit form');
  assertEq(await page.locator('.form-nav a', { hasText: 'Thêm đơn vị hành chính' }).count(), 0, 'no link to the unit forms');
  // what the page can ask the server, outside the commune: nothing
  const probe = await page.evaluate(async ([id, scope, name]) => {
    const st = async (u) => (await fetch(u)).status;
    const found = await (await fetch(`api/v1/members?status=all&q=${encodeURIComponent(name)}`)).json();
    return { member: await st(`api/v1/members/${encodeURIComponent(id)}`), report: await st(`api/v1/reports/asof?scope=${scope}`),
      ids: found.items.map((m) => m.id) };
  }, [outside.id, LEADER_SCOPE, outside.full_name]);
  assertEq(probe.member, 404, 'a member outside the commune, by id');
  assertEq(probe.report, 403, 'a report on another commune');
  assert(!probe.ids.includes(outside.id), `the search does not find ${outside.id}`);
  await open('#/members');
  await page.locator('#member-results').waitFor();
  await signOut();
  // the leader: reads, no forms
  await signInAs('leader');
  await open(`#/dashboard?as_of=${today}`);
  await kpis();
  assertEq(await page.locator('nav.nav a', { hasText: 'Cập nhật' }).count(), 0, 'the leader has no forms in the menu');
  await open('#/forms/admit');
  await page.locator('#page-title').waitFor();
  assertEq(await page.locator('form[data-form]').count(), 0, 'the leader gets no form');
  await shot('leader-forms');
  await signOut();
  // signed out: the old session is gone for the page too
  const after = await page.evaluate(async () => (await fetch('api/v1/units')).status);
  assertEq(after, 401, 'after signing out');
});

await finish();
