// Every event-hub page opens without a console error, fits a phone, reads
// in Chinese and in English, and goes to /tmp as a screenshot for a person
// to look at (/tmp/pingan-<page>-<desktop|phone>-<zh|en>.png).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, apiSession, assertNoProblems, closePage, desktopViewport, launchBrowser, openPage, openRoute,
  phoneViewport, signIn,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

const crumbs = {
  inbox: ['我的待办', 'My inbox'], intake: ['事件受理', 'Intake'], events: ['事件查询', 'Find events'],
  board: ['指挥大屏', 'Command board'], detail: ['事件详情', 'Event'], report: ['网格上报', 'Grid report'],
};

async function shoot(page, name, path, ready, { viewport, lang }) {
  await openRoute(page, path);
  await page.locator(ready).first().waitFor();
  if (name === 'board') {
    await page.locator('.board-chart canvas').waitFor();
    await page.waitForTimeout(600); // the bars grow in
  }
  const crumb = await page.locator('.app-breadcrumb .el-breadcrumb__inner').last().textContent();
  assert.equal(crumb.trim(), crumbs[name][lang === 'zh' ? 0 : 1], `breadcrumb of ${name}`);
  if (viewport === 'phone') {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the phone`);
  }
  await page.screenshot({ path: `/tmp/pingan-${name}-${viewport}-${lang}.png` });
}

async function toEnglish(page) {
  await page.locator('.topbar .language-toggle').click();
  await page.locator('.app-breadcrumb', { hasText: 'Home' }).waitFor();
}

for (const viewport of ['desktop', 'phone']) {
  test(`the county centre's event pages, ${viewport}, Chinese and English`, async () => {
    const cookie = await apiSession('center');
    const found = await apiCall(cookie, 'GET', `/events?q=${encodeURIComponent('山林界址不清')}`);
    const id = found.body.items[0].id;
    const page = await openPage(browser, { viewport: viewport === 'phone' ? phoneViewport : desktopViewport });
    try {
      await signIn(page, 'center');
      // The home page leads to the inbox.
      await page.locator('.inbox-summary .inbox-summary-item[data-inbox="to_dispatch"]').click();
      await page.locator('.inbox-page .inbox-tabs .is-active .inbox-tab[data-inbox="to_dispatch"]').waitFor();
      for (const lang of ['zh', 'en']) {
        if (lang === 'en')
          await toEnglish(page);
        const options = { viewport, lang };
        await shoot(page, 'inbox', '/events/inbox?tab=to_accept', '.inbox-page .event-row', options);
        await shoot(page, 'intake', '/events/intake', '.intake-page .intake-form', options);
        await shoot(page, 'events', '/events', '.events-page .event-row', options);
        await shoot(page, 'board', '/events/board', '.board-page .latest-item', options);
        await shoot(page, 'detail', `/events/detail?id=${id}`, '.event-detail-page .timeline-entry', options);
      }
      // English labels come from the catalogue, English data from the server.
      assert.match(await page.locator('.event-detail-page .detail-state').textContent(), /In hand|Handling/);
      assert.match(await page.locator('.event-detail-page .detail-facts').textContent(), /Land and forest|Category/);
      assertNoProblems(page);
    } finally {
      await closePage(page);
    }
  });
}

test('the grid report page, phone and desktop, Chinese and English', async () => {
  for (const viewport of ['phone', 'desktop']) {
    const page = await openPage(browser, { viewport: viewport === 'phone' ? phoneViewport : desktopViewport });
    try {
      await signIn(page, 'grid');
      await shoot(page, 'report', '/events/report', '.grid-report-page .report-submit', { viewport, lang: 'zh' });
      await toEnglish(page);
      await shoot(page, 'report', '/events/report', '.grid-report-page .report-submit', { viewport, lang: 'en' });
      assert.equal((await page.locator('.grid-report-page .report-submit').textContent()).trim(), 'Send report');
      assertNoProblems(page);
    } finally {
      await closePage(page);
    }
  }
});
