// Grid workers use phones: at 390x844 the side menu becomes a drawer opened
// from the top bar, and pages fit the width.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, closePage, launchBrowser, menuLabels, openPage, phoneViewport, signIn,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('on a phone the menu is a drawer behind the top-bar button', async () => {
  const page = await openPage(browser, { viewport: phoneViewport });
  try {
    await signIn(page, 'grid');
    assert.equal(await page.locator('.layout-aside').count(), 0, 'no fixed side menu');
    const toggle = page.locator('.topbar .menu-toggle');
    assert.ok(await toggle.isVisible(), 'the drawer button shows');
    await toggle.click();
    const drawer = page.locator('.menu-drawer');
    await drawer.waitFor();
    assert.deepEqual(await menuLabels(page, '.menu-drawer'), ['首页', '网格上报', '事件查询', '行政区划', '实有人口']);
    await drawer.locator('.el-menu-item[data-path="/divisions"]').click();
    await page.locator('.divisions-page').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    // Nothing wider than the screen: no sideways scrolling of the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await page.screenshot({ path: '/tmp/pingan-phone-divisions.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('on a phone the sign-in page and the user list fit the screen', async () => {
  const page = await openPage(browser, { viewport: phoneViewport });
  try {
    await signIn(page, 'township');
    await page.evaluate(() => { window.location.hash = '#/users'; });
    await page.locator('.users-page .el-table__row').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await page.screenshot({ path: '/tmp/pingan-phone-users.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
