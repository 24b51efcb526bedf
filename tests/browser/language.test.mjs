// The language toggle: English menus, remembered across a reload, server
// messages in English too (Accept-Language), and back to Chinese.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, baseUrl, closePage, launchBrowser, menuLabels, openPage, signIn, signOut,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('the toggle switches the menu to English and back, and is remembered', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    assert.deepEqual(await menuLabels(page), ['首页', '行政区划', '单位', '用户', '我的令牌']);
    await page.locator('.topbar .language-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(await menuLabels(page), ['Home', 'Divisions', 'Units', 'Users', 'My API tokens']);
    assert.equal((await page.locator('.side-menu .el-sub-menu__title').first().textContent()).trim(), 'Organisation');

    await page.reload();
    await page.locator('.layout .topbar').waitFor();
    assert.deepEqual(await menuLabels(page), ['Home', 'Divisions', 'Units', 'Users', 'My API tokens']);

    // Element Plus's own texts follow: an empty table says "No Data" in English.
    await page.evaluate(() => { window.location.hash = '#/tokens'; });
    await page.locator('.tokens-page .el-table').waitFor();
    assert.match(await page.locator('.tokens-page .el-table__empty-text').textContent(), /No data/);

    await page.locator('.topbar .language-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.deepEqual(await menuLabels(page), ['首页', '行政区划', '单位', '用户', '我的令牌']);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('in English the server answers a wrong password in English', async () => {
  const page = await openPage(browser);
  try {
    await page.goto(`${baseUrl}/`);
    await page.locator('.signin-language .language-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await page.locator('.signin-card h2').textContent()).trim(), 'Sign in');
    await signIn(page, 'leader', 'wrong-password-here', { expectFailure: true });
    const message = (await page.locator('.signin-error .el-alert__title').textContent()).trim();
    assert.doesNotMatch(message, /[\u4e00-\u9fff]/, `"${message}" should be English`);
    assert.ok(message.length > 0);
    await signIn(page, 'leader');
    await signOut(page);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
