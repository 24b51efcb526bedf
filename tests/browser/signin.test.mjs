// Sign-in: the server's own message on a wrong password, and the forced
// password change that comes before anything else.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, apiSession, assertNoProblems, baseUrl, closePage, launchBrowser, openPage, signIn, uniqueName,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('a wrong password shows the server message 用户名或密码错误', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'leader', 'not-the-password', { expectFailure: true });
    assert.equal((await page.locator('.signin-error .el-alert__title').textContent()).trim(), '用户名或密码错误');
    assert.equal(await page.locator('.layout').count(), 0);
    // The password field is emptied for the next try; the name stays.
    assert.equal(await page.locator('.signin-card input[name="password"]').inputValue(), '');
    assert.equal(await page.locator('.signin-card input[name="username"]').inputValue(), 'leader');
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('empty fields are caught before anything is sent', async () => {
  const page = await openPage(browser);
  try {
    await page.goto(`${baseUrl}/`);
    let posted = false;
    page.on('request', (request) => { if (request.url().endsWith('/api/v1/session')) posted = true; });
    await page.locator('.signin-card .signin-submit').click();
    await page.locator('.signin-card .el-form-item__error').first().waitFor();
    assert.equal(await page.locator('.signin-card .el-form-item__error').count(), 2);
    assert.equal(posted, false);
  } finally {
    await closePage(page);
  }
});

test('a new user must change the initial password before seeing the console', async () => {
  const admin = await apiSession('admin');
  const username = uniqueName('newbie');
  const initial = 'Initial#Pass2026';
  const created = await apiCall(admin, 'POST', '/users', {
    username, display_name: '新同事', roles: ['leader'], password: initial,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const page = await openPage(browser);
  try {
    await page.goto(`${baseUrl}/`);
    await page.locator('.signin-card input[name="username"]').fill(username);
    await page.locator('.signin-card input[name="password"]').fill(initial);
    await page.locator('.signin-card .signin-submit').click();
    const dialog = page.locator('.password-dialog');
    await dialog.waitFor();
    assert.equal(await page.locator('.layout').count(), 0, 'the console stays hidden');
    assert.match(await dialog.locator('.el-dialog__title').textContent(), /修改初始密码/);
    // The dialog cannot be closed: no close button.
    assert.equal(await dialog.locator('.el-dialog__headerbtn').count(), 0);
    await page.waitForTimeout(400); // let the dialog finish fading in
    await page.screenshot({ path: '/tmp/pingan-forced-password.png' });

    // A too-simple password is refused with the server's message.
    await dialog.locator('input[name="old_password"]').fill(initial);
    await dialog.locator('input[name="new_password"]').fill('aaaaaaaaaaaa');
    await dialog.locator('input[name="confirm_password"]').fill('aaaaaaaaaaaa');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.el-message--error').waitFor();
    assert.equal(await page.locator('.layout').count(), 0);

    await dialog.locator('input[name="new_password"]').fill('Changed#Pass2026');
    await dialog.locator('input[name="confirm_password"]').fill('Changed#Pass2026');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.layout .topbar').waitFor();
    assert.equal((await page.locator('.topbar .user-name').textContent()).trim(), '新同事');
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('the session survives a reload, and the address keeps the page', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'center');
    await page.evaluate(() => { window.location.hash = '#/units'; });
    await page.locator('.units-page').waitFor();
    await page.reload();
    await page.locator('.units-page').waitFor();
    assert.equal(await page.locator('.signin-card').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
