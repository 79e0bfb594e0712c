#!/usr/bin/env node
// Browser tests of party work (docs/PARTY.md) in the web interface (web/dist)
// against a real `coso serve` on tests/cases/handmade. The set-up is
// harness.mjs's (its own server, users and browser).
//
// A commune clerk takes a candidate from the cell's proposal to official
// member through the forms, sees the ceremony's deadline (worked out by hand
// across Tết Ất Tỵ) on the party page before and after it is missed, and the
// late review on the page and on the dashboard's panel.
// Screenshots go to $COSO_TEST_OUTPUT/screenshots/party-*.png.
//
// Environment: COSO (the binary, required), WEB_DIST (default web/dist),
// COSO_TEST_OUTPUT, CHROMIUM (default /usr/bin/chromium).
import { HANDMADE, assert, assertEq, start } from './harness.mjs';

const { page, api, cookieOf, text, shot, open, step, signInAs, finish } = await start({
  name: 'browser_party',
  registry: { handmade: HANDMADE },
  // The clerk of Xã Một (00001): its cell CV11 (Chi bộ bản Nà Một) and its committee OC1.
  users: {
    admin: { role: 'admin', scope: null },
    clerk: { role: 'clerk', scope: '00001' },
  },
  tmpPrefix: 'coso-browser-party-',
  // shot() without networkidle (unlike run.mjs): the pickers' requests keep it from coming for 20 s.
  networkIdle: false,
});

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

await finish();
