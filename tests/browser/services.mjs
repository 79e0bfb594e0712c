#!/usr/bin/env node
// Browser tests of the services pages (docs/SERVICES.md) against a real
// `coso serve` with the Điện Biên demo (and its year of 2024 cases) imported.
// The set-up is harness.mjs's (server, users, Chromium, steps).
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
import path from 'node:path';
import { REPO, assert, assertEq, start, vnInt } from './harness.mjs';

const h = await start({
  name: 'browser_services',
  // data/demo/dien-bien itself, not DEMO_DATA (the demo with its 2024 cases)
  registry: { demo: path.join(REPO, 'data/demo/dien-bien') },
  users: { admin: { role: 'admin', scope: null }, xa: { role: 'clerk', scope: '03124' }, huyen: { role: 'district', scope: '100' } },
  tmpPrefix: 'coso-browser-svc-',
  failedPrefix: 'failed-services-',
  clearFailed: false,
});
const { page, text, shot, open, step, signInAs, signOut, finish } = h;
/** The API as one of the users (each signed in once). */
const cookies = {};
async function api(p, user = 'admin') {
  cookies[user] ??= await h.cookieOf(user);
  return h.api(p, cookies[user]);
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

await finish();
