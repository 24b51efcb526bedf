// A grid worker in a village without signal: the report is kept on the
// phone (IndexedDB, photo included) with its Idempotency-Key, shown in the
// outbox, and sent when the network comes back -- exactly once, even when
// the "online" event and a press of the retry button both try to send it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiCall, apiSession, assertNoProblems, closePage, launchBrowser, makePng, openPage, openRoute, phoneViewport,
  pickOption, signIn, uniqueName,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('offline, a report waits in the outbox and is sent once when the network returns', async () => {
  const page = await openPage(browser, { viewport: phoneViewport });
  const context = page.context();
  const title = uniqueName('离线上报柴堆隐患');
  try {
    await signIn(page, 'grid');
    await openRoute(page, '/events/report');
    const form = page.locator('.grid-report-page .report-form');
    await form.waitFor();
    // The grid and the category come from the server: chosen while online.
    if (await page.locator('.grid-report-page .grid-choice').count()) {
      await page.locator('.grid-report-page .grid-choice', { hasText: '龙岭村第2网格' }).click();
    } else {
      await form.locator('.grid-search input').fill('龙岭村第2网格');
      await pickOption(page, '330824115205002');
    }
    await form.locator('.report-category').click();
    await pickOption(page, '消防隐患');

    await context.setOffline(true);
    await page.locator('.grid-report-page .report-status.is-offline').waitFor();
    await form.locator('input[name="title"]').fill(title);
    await form.locator('textarea[name="description"]').fill('村民在楼道堆放柴草，存在火灾隐患。');
    await page.locator('.grid-report-page .photo-input').setInputFiles({ name: 'fire.png', mimeType: 'image/png', buffer: makePng(32) });
    await page.locator('.grid-report-page .report-submit').click();
    await page.locator('.grid-report-page .report-queued').waitFor();
    const queued = page.locator('.grid-report-page .outbox-item', { hasText: title });
    await queued.locator('.outbox-waiting').waitFor();
    assert.match(await queued.textContent(), /含照片/);
    await page.screenshot({ path: '/tmp/pingan-phone-report-offline.png' });

    // Kept on the phone, key and photo included.
    const stored = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('pingan');
      open.onsuccess = () => {
        const all = open.result.transaction('outbox').objectStore('outbox').getAll();
        all.onsuccess = () => resolve(all.result.map((e) => ({ key: e.key, title: e.body.title, photo: e.photo ? e.photo.size : 0 })));
      };
    }));
    const mine = stored.find((e) => e.title === title);
    assert.ok(mine, 'the report is in IndexedDB');
    assert.match(mine.key, /^[0-9a-f-]{36}$/);
    assert.ok(mine.photo > 0, 'with its photo');

    // Back online, but the first answer is lost on the way back: the server
    // has created the event, the phone does not know it. The report stays
    // in the outbox, and the retry sends it again with the same key.
    const keys = [];
    let lostOne;
    const answerLost = new Promise((resolve) => { lostOne = resolve; });
    await page.route('**/api/v1/events', async (route) => {
      if (route.request().method() !== 'POST')
        return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length > 1)
        return route.continue();
      await route.fetch(); // the server does the work ...
      await route.abort('internetdisconnected'); // ... and the answer never arrives
      lostOne();
    });
    await context.setOffline(false); // the browser says "online": the outbox sends
    await answerLost;
    await queued.locator('.outbox-waiting').waitFor();
    await page.locator('.grid-report-page .outbox-retry:not(.is-loading)').click();
    await page.locator('.grid-report-page .outbox-item.is-sent', { hasText: title }).locator('.outbox-sent-tag').waitFor();
    assert.equal(await page.locator('.grid-report-page .outbox-item:not(.is-sent)', { hasText: title }).count(), 0);
    assert.equal(keys.length, 2, 'sent twice over the wire');
    assert.equal(keys[0], keys[1], 'with the same Idempotency-Key');
    assert.equal(keys[0], mine.key);

    // Exactly one event with that title, with exactly one photo.
    const cookie = await apiSession('center');
    const found = await apiCall(cookie, 'GET', `/events?q=${encodeURIComponent(title)}&total=true`);
    assert.equal(found.body.items.filter((e) => e.title === title).length, 1, 'one event');
    const event = await apiCall(cookie, 'GET', `/events/${found.body.items[0].id}`);
    assert.equal(event.body.attachments.length, 1, 'one photo');
    assert.equal(event.body.channel, 'grid');
    await page.screenshot({ path: '/tmp/pingan-phone-report-sent.png' });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
