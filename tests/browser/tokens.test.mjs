// 我的令牌: a token is shown once at creation, listed, and can be revoked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, closePage, launchBrowser, openPage, openRoute, signIn, uniqueName,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('create a token, see its secret once, revoke it', async () => {
  const name = uniqueName('script');
  const page = await openPage(browser);
  try {
    await signIn(page, 'center');
    await openRoute(page, '/tokens');
    await page.locator('.tokens-page .table-toolbar .el-button--primary').click();
    const dialog = page.locator('.el-dialog', { hasText: '创建令牌' });
    await dialog.waitFor();
    await dialog.locator('input').first().fill(name);
    await dialog.locator('.el-checkbox', { hasText: '查看行政区划' }).click();
    await dialog.locator('.el-dialog__footer .el-button--primary').click();
    const secret = dialog.locator('.token-secret input');
    await secret.waitFor();
    assert.ok((await secret.inputValue()).length >= 20, 'the secret is shown');
    await dialog.locator('.el-dialog__footer .el-button').click();
    const row = page.locator('.tokens-page .el-table__body-wrapper .el-table__row', { hasText: name });
    await row.waitFor();
    assert.doesNotMatch(await row.textContent(), /已吊销/);
    await row.locator('button', { hasText: '吊销' }).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await row.locator('.el-tag', { hasText: '已吊销' }).waitFor();
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
