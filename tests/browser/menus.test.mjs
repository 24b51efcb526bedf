// Each demo role sees exactly the menu its permissions allow, its own name
// and division in the top bar, and signing out returns to the sign-in page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, closePage, launchBrowser, menuLabels, openPage, signIn, signOut,
} from './lib.mjs';

// From the role table in src/domain/auth/roles.c: the admin manages but
// cannot read the audit trail, the auditor reads it (三员分立); the event
// pages follow the event.* and stats.read permissions, 实有人口 person.read.
const expected = {
  admin: { menu: ['首页', '行政区划', '单位', '用户', '我的令牌'], name: '系统管理员', division: '全县' },
  center: {
    menu: ['首页', '我的待办', '事件受理', '事件查询', '指挥大屏', '行政区划', '单位', '用户', '实有人口', '我的令牌'],
    name: '县中心值班员', division: '全县',
  },
  township: {
    menu: ['首页', '我的待办', '事件受理', '事件查询', '指挥大屏', '行政区划', '单位', '用户', '实有人口'],
    name: '华埠镇指挥室', division: '华埠镇',
  },
  dept: { menu: ['首页', '我的待办', '事件查询', '行政区划', '单位'], name: '公安局承办人', division: '全县' },
  // Grid workers report from the field and have no triage inbox.
  grid: { menu: ['首页', '网格上报', '事件查询', '行政区划', '实有人口'], name: '网格员小王', division: '华埠镇' },
  leader: { menu: ['首页', '事件查询', '指挥大屏', '行政区划', '单位', '用户', '实有人口'], name: '分管领导', division: '全县' },
  auditor: { menu: ['首页', '行政区划', '单位', '用户', '审计日志'], name: '审计员', division: '全县' },
  // A volunteer reports, and reads nothing back.
  volunteer: { menu: ['首页', '网格上报', '行政区划'], name: '平安志愿者', division: '华埠镇' },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

for (const [username, want] of Object.entries(expected)) {
  test(`${username}: menu, top bar and sign-out`, async () => {
    const page = await openPage(browser);
    try {
      await signIn(page, username);
      assert.deepEqual(await menuLabels(page), want.menu);
      assert.equal((await page.locator('.topbar .user-name').textContent()).trim(), want.name);
      const division = (await page.locator('.topbar .division-name').textContent()).trim();
      // County-wide accounts may carry the county itself as their division.
      if (want.division === '全县')
        assert.ok(['全县', '开化县'].includes(division), `division badge "${division}"`);
      else
        assert.equal(division, want.division);
      // The home page offers the same pages as shortcuts.
      const shortcuts = await page.locator('.shortcut-title').allTextContents();
      assert.deepEqual(shortcuts, want.menu.slice(1));
      await signOut(page);
      assert.equal(await page.locator('.layout').count(), 0);
      assertNoProblems(page);
    } finally {
      await closePage(page);
    }
  });
}

test('a page the role may not open shows home instead', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'grid');
    await page.evaluate(() => { window.location.hash = '#/audit'; });
    await page.locator('.home-page').waitFor();
    assert.equal(await page.locator('.audit-page').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
