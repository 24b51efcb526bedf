// Every page opens without a console error or a failed load (a module that
// cannot be fetched shows up here), and screenshots of the main pages go to
// /tmp for a person to look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, baseUrl, closePage, launchBrowser, openPage, openRoute, signIn,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('the sign-in page loads every module without error', async () => {
  const page = await openPage(browser);
  try {
    await page.goto(`${baseUrl}/`);
    await page.locator('.signin-card').waitFor();
    assert.equal(await page.title(), '平安建设信息系统');
    await page.screenshot({ path: '/tmp/pingan-signin.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

const adminPages = [
  { path: '/home', title: '首页', ready: '.home-page .shortcut-card' },
  { path: '/divisions', title: '行政区划', ready: '.divisions-page .division-detail' },
  { path: '/units', title: '单位', ready: '.units-page .el-table__row' },
  { path: '/users', title: '用户', ready: '.users-page .el-table__row' },
  { path: '/tokens', title: '我的令牌', ready: '.tokens-page .el-table' },
];

test('admin: every page opens cleanly', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    for (const { path, title, ready } of adminPages) {
      await openRoute(page, path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `/tmp/pingan${path.replace('/', '-')}.png` });
      const crumbs = await page.locator('.app-breadcrumb .el-breadcrumb__inner').allTextContents();
      assert.equal(crumbs[crumbs.length - 1].trim(), title, `breadcrumb of ${path}: ${crumbs.join(' / ')}`);
      assert.equal(crumbs[0].trim(), '首页');
    }
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('auditor: the audit log lists sign-ins with paging', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'auditor');
    await openRoute(page, '/audit');
    await page.locator('.audit-page .el-table__row').first().waitFor();
    const actions = await page.locator('.audit-page .audit-action').evaluateAll((cells) => cells.map((c) => c.dataset.action));
    assert.ok(actions.includes('session.signin'), `actions: ${actions.join(', ')}`);
    // A page of 20 after the suite's many sign-ins has a next page.
    const next = page.locator('.audit-page .pager-next');
    if (await next.isEnabled()) {
      await next.click();
      await page.locator('.audit-page .pager-page', { hasText: '第 2 页' }).waitFor();
      await page.locator('.audit-page .pager-prev').click();
      await page.locator('.audit-page .pager-page', { hasText: '第 1 页' }).waitFor();
    }
    await page.screenshot({ path: '/tmp/pingan-audit.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('the home page draws the area chart (ECharts) for a township', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'township');
    await page.locator('.scope-chart canvas').waitFor();
    assert.match(await page.locator('.scope-chart-card .card-title').textContent(), /华埠镇/);
    await page.waitForTimeout(800); // the bars grow in
    await page.screenshot({ path: '/tmp/pingan-home-township.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('the department handler sees units but cannot change them', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'dept');
    await openRoute(page, '/units');
    await page.locator('.units-page .el-table__row').first().waitFor();
    assert.equal(await page.locator('.units-page .create-unit').count(), 0);
    assert.equal(await page.locator('.units-page .el-table__row button', { hasText: '编辑' }).count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
