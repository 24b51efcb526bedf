// User administration through the UI, and its trace in the audit log as the
// auditor sees it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, apiSession, assertNoProblems, baseUrl, closePage, demoPassword, launchBrowser, openPage, openRoute, signIn, signOut, uniqueName,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// The table row of one user (Element Plus keeps fixed columns in the same row).
function userRow(page, text) {
  return page.locator('.users-page .el-table__body-wrapper .el-table__row', { hasText: text });
}

// Picks an option of an open Element Plus select by its text.
async function chooseOption(page, text) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

test('admin creates a user, and the auditor sees the user.create row', async () => {
  const username = uniqueName('worker');
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page .el-table__row').first().waitFor();
    await page.locator('.users-page .create-user').click();
    const dialog = page.locator('.user-dialog');
    await dialog.waitFor();
    await dialog.locator('input[name="new_username"]').fill(username);
    await dialog.locator('input[name="display_name"]').fill('测试网格员');
    await dialog.locator('.roles-select').click();
    await chooseOption(page, '网格员');
    await dialog.locator('.el-dialog__title').click(); // closes the dropdown
    await dialog.locator('.division-select input').fill('华埠');
    await chooseOption(page, '华埠镇');
    await dialog.locator('input[name="initial_password"]').fill('Initial#Pass2026');
    await dialog.locator('.user-save').click();
    await page.locator('.el-message--success').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    // The new account is in the list, flagged as having to change its password.
    await page.locator('.users-page input[name="q"]').fill(username);
    await page.locator('.users-page .query-form .el-button--primary').click();
    const row = userRow(page, username);
    await row.waitFor();
    assert.match(await row.textContent(), /待改密/);
    assert.match(await row.textContent(), /华埠镇/);
    await signOut(page);

    await signIn(page, 'auditor');
    await openRoute(page, '/audit');
    await page.locator('.audit-page .el-table__row').first().waitFor();
    await page.locator('.audit-page .action-filter').click();
    await chooseOption(page, '创建用户');
    await page.locator('.audit-page .query-form .el-button--primary').click();
    const auditRow = page.locator('.audit-page .el-table__body-wrapper .el-table__row', { hasText: username });
    await auditRow.waitFor();
    assert.equal(await auditRow.locator('.audit-action').getAttribute('data-action'), 'user.create');
    assert.match(await auditRow.textContent(), /admin|系统管理员/);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('admin locks and unlocks an account', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page input[name="q"]').fill('volunteer');
    await page.locator('.users-page .query-form .el-button--primary').click();
    const row = userRow(page, 'volunteer');
    await row.waitFor();
    await row.locator('button', { hasText: '锁定' }).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.el-message--success', { hasText: '账号已锁定' }).waitFor();
    await row.locator('.el-tag', { hasText: '已锁定' }).waitFor();
    // A locked account cannot sign in (checked from node, not this page).
    const refused = await fetch(`${baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'pingan' },
      body: JSON.stringify({ username: 'volunteer', password: demoPassword }),
    });
    assert.notEqual(refused.status, 201);
    await row.locator('button', { hasText: '解锁' }).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await row.locator('.el-tag', { hasText: '正常' }).waitFor();
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('a grid worker\'s grids and duties are shown and saved', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page input[name="q"]').fill('grid');
    await page.locator('.users-page .query-form .el-button--primary').click();
    await userRow(page, '网格员小王').locator('button', { hasText: '网格职责' }).click();
    const dialog = page.locator('.el-dialog', { hasText: '网格与职责' });
    await dialog.waitFor();
    await dialog.locator('.el-select__selected-item .el-tag').first().waitFor();
    const before = await dialog.locator('.el-checkbox.is-checked').allTextContents();
    assert.ok(before.length > 0, 'the demo grid worker has duties');
    await dialog.locator('.el-checkbox', { hasText: '宣传员' }).click();
    await dialog.locator('.el-button--primary').click();
    await page.locator('.el-message--success').first().waitFor();
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('saving over someone else\'s change says to reload (412)', async () => {
  const admin = await apiSession('admin');
  const username = uniqueName('stale');
  const created = await apiCall(admin, 'POST', '/users', {
    username, display_name: '原名', roles: ['leader'], password: 'Initial#Pass2026',
  });
  assert.equal(created.status, 201);
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page input[name="q"]').fill(username);
    await page.locator('.users-page .query-form .el-button--primary').click();
    await userRow(page, username).locator('button', { hasText: '编辑' }).click();
    const dialog = page.locator('.user-dialog');
    await dialog.waitFor();
    // Meanwhile another administrator renames the same user.
    const changed = await apiCall(admin, 'PATCH', `/users/${created.body.id}`, {
      display_name: '别人改的', roles: ['leader'], version: created.body.version,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await dialog.locator('input[name="display_name"]').fill('我改的');
    await dialog.locator('.user-save').click();
    await page.locator('.el-message--warning', { hasText: '已被他人修改' }).waitFor();
    // The list reloads, showing the other change.
    await userRow(page, '别人改的').waitFor();
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('admin edits a user\'s name and division', async () => {
  const admin = await apiSession('admin');
  const username = uniqueName('edit');
  const created = await apiCall(admin, 'POST', '/users', {
    username, display_name: '待编辑', roles: ['department'], division_code: '330824115', password: 'Initial#Pass2026',
  });
  assert.equal(created.status, 201);
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page input[name="q"]').fill(username);
    await page.locator('.users-page .query-form .el-button--primary').click();
    // The row of the user just made (the list shows others until the search answers).
    await userRow(page, username).filter({ hasText: '华埠镇' }).locator('button', { hasText: '编辑' }).click();
    const dialog = page.locator('.user-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('input[name="new_username"]').isDisabled(), true);
    await dialog.locator('input[name="display_name"]').fill('已编辑');
    await dialog.locator('.division-select input').fill('马金');
    await chooseOption(page, '马金镇');
    await dialog.locator('.user-save').click();
    const row = userRow(page, '已编辑');
    await row.waitFor();
    assert.match(await row.textContent(), /马金镇/);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('after a password reset the user must change it at the next sign-in', async () => {
  const admin = await apiSession('admin');
  const username = uniqueName('forgot');
  const created = await apiCall(admin, 'POST', '/users', {
    username, display_name: '忘记密码', roles: ['volunteer'], password: 'Initial#Pass2026',
  });
  assert.equal(created.status, 201);
  // The user sets their own password, so nothing is pending before the reset.
  const own = await apiSession(username, 'Initial#Pass2026');
  const changed = await apiCall(own, 'POST', '/me/password', {
    old_password: 'Initial#Pass2026', new_password: 'MyOwn#Pass2026',
  });
  assert.ok(changed.status < 300, JSON.stringify(changed.body));
  assert.equal((await apiCall(own, 'GET', '/me')).body.must_change_password, false);
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/users');
    await page.locator('.users-page input[name="q"]').fill(username);
    await page.locator('.users-page .query-form .el-button--primary').click();
    await userRow(page, username).locator('button', { hasText: '重置密码' }).click();
    const dialog = page.locator('.el-dialog', { hasText: '忘记密码' });
    await dialog.waitFor();
    await dialog.locator('input[name="reset_password"]').fill('Reset#Pass2026');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.el-message--success', { hasText: '密码已重置' }).waitFor();
    await signOut(page);

    await page.locator('.signin-card input[name="username"]').fill(username);
    await page.locator('.signin-card input[name="password"]').fill('Reset#Pass2026');
    await page.locator('.signin-card .signin-submit').click();
    await page.locator('.password-dialog').waitFor();
    assert.equal(await page.locator('.layout').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
