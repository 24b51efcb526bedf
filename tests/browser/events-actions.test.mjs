// A handler learns of a new dispatch from the notification bell. The event
// detail shows only what the signed-in user may do now (the
// server's allowed_actions), and a refusal shows the server's own words:
// a second extension request while one is pending is a 409 conflict, and
// acting on a version someone else has just changed is a 412.
// Also the intake form: the duplicate check before submitting, parties
// with masked personal data, and the audited reveal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  act, actionButtons, apiAct, apiCall, apiCreateEvent, apiSession, assertNoProblems, closePage, launchBrowser,
  openPage, openRoute, pickOption, signIn, uniqueName, unitId, waitForState,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// An event the centre has dispatched to 县公安局, made through the API.
async function dispatchedToPolice(title) {
  const cookie = await apiSession('center');
  const event = await apiCreateEvent(cookie, { title });
  await apiAct(cookie, event.id, 'accept');
  await apiAct(cookie, event.id, 'dispatch', { lead_unit_id: await unitId(cookie, '县公安局') });
  return event;
}

test('only allowed actions show; a 409 shows the server\'s message', async () => {
  const title = uniqueName('楼道违规停放电动车');
  const event = await dispatchedToPolice(title);
  const dept = await openPage(browser);
  const center = await openPage(browser);
  try {
    // The police handler hears of it from the bell in the top bar.
    await signIn(dept, 'dept');
    await dept.locator('.topbar .notification-bell').click();
    const notice = dept.locator('.notification-popper .notification-item', { hasText: event.case_no }).first();
    assert.match(await notice.textContent(), /新派遣/);
    await notice.click();
    await dept.locator('.event-detail-page .detail-title', { hasText: title }).waitFor();
    await waitForState(dept, 'dispatched');
    let actions = await actionButtons(dept);
    assert.ok(actions.includes('sign') && actions.includes('return'), `dept: ${actions}`);
    for (const never of ['accept', 'reject', 'dispatch', 'verify', 'visit', 'supervise'])
      assert.ok(!actions.includes(never), `dept must not see ${never}: ${actions}`);

    await act(dept, 'sign');
    await waitForState(dept, 'handling');
    actions = await actionButtons(dept);
    assert.ok(actions.includes('feedback') && actions.includes('extend_request') && !actions.includes('sign'), `${actions}`);

    // The first extension request goes through ...
    await act(dept, 'extend_request', async (dialog) => {
      await dialog.locator('.extend-days input').fill('3');
      await dialog.locator('textarea[name="note"]').fill('需等待林权部门出具确权意见');
    });
    await dept.locator('.extensions-table .el-table__row', { hasText: '需等待林权部门' }).waitFor();

    // ... the second, with one pending, is refused (409): the server's message shows, nothing changes.
    await dept.locator('.action-button[data-action="extend_request"]').click();
    const dialog = dept.locator('.action-dialog[data-action="extend_request"]');
    await dialog.waitFor();
    await dialog.locator('textarea[name="note"]').fill('再申请一次');
    const [answer] = await Promise.all([
      dept.waitForResponse((r) => r.url().endsWith(`/events/${event.id}/extend_request`)),
      dialog.locator('.action-submit').click(),
    ]);
    assert.equal(answer.status(), 409);
    const message = (await answer.json()).error.message;
    assert.equal(message, '已有待审批的延期申请');
    await dialog.locator('.action-error', { hasText: message }).waitFor();
    await dept.locator('.el-message--error', { hasText: message }).waitFor();
    await dept.screenshot({ path: '/tmp/pingan-detail-409.png' });
    await dialog.locator('.el-dialog__headerbtn').click();
    assert.equal(await dept.locator('.extensions-table .el-table__row').count(), 1);

    // A leader supervises the case while the handler writes the result:
    // the page says so, and sending over it is refused as stale (412).
    await dept.locator('.action-button[data-action="feedback"]').click();
    const feedback = dept.locator('.action-dialog[data-action="feedback"]');
    await feedback.waitFor();
    await feedback.locator('textarea[name="note"]').fill('已处理完毕');
    await apiAct(await apiSession('leader'), event.id, 'supervise', { note: '请加快办理，本周内办结' });
    await dept.locator('.detail-changed').waitFor();
    const [stale] = await Promise.all([
      dept.waitForResponse((r) => r.url().endsWith(`/events/${event.id}/feedback`)),
      feedback.locator('.action-submit').click(),
    ]);
    assert.equal(stale.status(), 412);
    await dept.locator('.el-message--warning', { hasText: '该记录已被他人修改，请刷新后重试' }).waitFor();
    await feedback.waitFor({ state: 'hidden' });
    await dept.locator('.detail-supervise', { hasText: '请加快办理' }).waitFor();
    await waitForState(dept, 'handling');

    // The centre sees the decision on the extension, never the handler's actions.
    await signIn(center, 'center');
    await openRoute(center, `/events/detail?id=${event.id}`);
    await waitForState(center, 'handling');
    actions = await actionButtons(center);
    assert.ok(actions.includes('extend_decide'), `center: ${actions}`);
    for (const never of ['sign', 'feedback', 'return', 'extend_request', 'accept'])
      assert.ok(!actions.includes(never), `center must not see ${never}: ${actions}`);
    assertNoProblems(dept);
    assertNoProblems(center);
  } finally {
    await closePage(dept);
    await closePage(center);
  }
});

test('intake: similar events are shown first, personal data is masked until revealed', async () => {
  const cookie = await apiSession('center');
  const stem = uniqueName('菜市场摊位占道纠纷');
  await apiCreateEvent(cookie, { title: `${stem}（首次）`, category_code: 'dispute.consumer' });
  const page = await openPage(browser);
  try {
    await signIn(page, 'center');
    await openRoute(page, '/events/intake');
    const form = page.locator('.intake-page .intake-form');
    await form.waitFor();
    await form.locator('.category-cascader').click();
    await page.locator('.category-cascader-popper .el-cascader-node', { hasText: '矛盾纠纷' }).click();
    await page.locator('.category-cascader-popper .el-cascader-node', { hasText: '消费纠纷' }).click();
    await form.locator('input[name="title"]').fill(`${stem}（再次）`);
    await form.locator('textarea[name="description"]').fill('摊主与顾客因占道经营发生争执。');
    await form.locator('.division-select input').fill('龙岭村第1网格');
    await pickOption(page, '330824115205001');
    await form.locator('input[name="reporter_name"]').fill('王建国');
    await form.locator('input[name="reporter_phone"]').fill('13905701234');
    await form.locator('.add-party').click();
    const party = form.locator('.party-row').first();
    await party.locator('.party-name input').fill('李四');
    await party.locator('.party-id input').fill('330824198001011236');
    await party.locator('.party-phone input').fill('13812345678');
    await page.screenshot({ path: '/tmp/pingan-intake-filled.png' });
    await form.locator('.intake-submit').click();

    // The earlier case shows; the user says it is a different matter.
    const dupes = page.locator('.duplicates-dialog');
    await dupes.locator('.duplicates-table .el-table__row', { hasText: `${stem}（首次）` }).waitFor();
    await dupes.locator('.continue-anyway').click();

    await page.locator('.event-detail-page .detail-title', { hasText: `${stem}（再次）` }).waitFor();
    const idCell = page.locator('.parties-table .el-table__row').first();
    assert.match(await idCell.textContent(), /330824\*+123/);
    assert.doesNotMatch(await idCell.textContent(), /330824198001011236/);
    assert.match(await page.locator('.reporter-value').textContent(), /139\*+1234/);

    await page.locator('.reveal-button').click();
    await page.locator('.reveal-dialog input[name="reveal_reason"]').fill('电话联系当事人核实');
    await page.locator('.reveal-dialog .reveal-submit').click();
    await page.locator('.revealed-tag').waitFor();
    assert.match(await idCell.textContent(), /330824198001011236/);
    assert.match(await page.locator('.reporter-value').textContent(), /13905701234/);

    // The reveal is on the audit trail, with its reason.
    const id = new URL(page.url()).hash.match(/id=(\d+)/)[1];
    const audit = await apiCall(await apiSession('auditor'), 'GET', '/audit?action=event.reveal&limit=20');
    assert.ok(audit.body.items.some((row) => String(row.entity_id) === id && JSON.stringify(row.detail).includes('电话联系当事人核实')),
      'an audit row for the reveal');
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
