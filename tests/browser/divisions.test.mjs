// 行政区划: the scoped lazy tree, search, the outline map, and for the
// administrator create, rename, retire and CSV import with its row report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, closePage, launchBrowser, openPage, openRoute, signIn,
} from './lib.mjs';

const VILLAGE = '330824115001'; // 上坑社区, a demo village of 华埠镇

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('the tree starts at the user\'s scope and the map draws outlines', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'township');
    await openRoute(page, '/divisions');
    const roots = page.locator('.division-tree .el-tree > .el-tree-node > .el-tree-node__content .tree-node-name');
    await roots.first().waitFor();
    assert.deepEqual(await roots.allTextContents(), ['华埠镇']);
    await page.locator('.division-detail .division-title', { hasText: '华埠镇' }).waitFor();
    // The township and its villages: more than one shape on the map.
    await page.locator('.division-map path.leaflet-interactive').nth(1).waitFor();
    // Expanding loads the villages (lazily).
    await page.locator('.division-tree .el-tree-node__children .tree-node-name').first().waitFor();
    // No administration for a township command room.
    assert.equal(await page.locator('.division-detail .action-edit').count(), 0);
    assert.equal(await page.locator('.divisions-page .import-open').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('search finds a division by name and opens it; clicking a map shape selects it', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'center');
    await openRoute(page, '/divisions');
    await page.locator('.division-detail').waitFor();
    await page.locator('.division-search input').fill('华埠');
    await page.locator('.division-result', { hasText: '华埠镇' }).click();
    await page.locator('.division-detail .division-title', { hasText: '华埠镇' }).waitFor();
    assert.match(page.url(), /#\/divisions\?code=330824115$/);
    assert.match(await page.locator('.division-ancestors').textContent(), /开化县/);
    // Each village is labelled on the map; clicking its shape opens it.
    await page.locator('.division-map path.leaflet-interactive').nth(1).waitFor();
    const labels = await page.locator('.leaflet-tooltip.map-label').allTextContents();
    assert.ok(labels.length > 1, `map labels: ${labels.join(', ')}`);
    await page.locator('.division-map path.leaflet-interactive').nth(1).click();
    await page.waitForURL(/code=330824115\d{3}$/);
    const opened = (await page.locator('.division-detail .division-title').textContent()).trim();
    assert.ok(labels.includes(opened), `"${opened}" is one of the labelled villages`);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('admin adds a grid under a village, renames it and retires it', async () => {
  const code = `${VILLAGE}${String(100 + Math.floor(Math.random() * 800))}`;
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, `/divisions?code=${VILLAGE}`);
    await page.locator('.division-detail .action-create').click();
    let dialog = page.locator('.el-dialog', { hasText: '新增下级区划' });
    await dialog.waitFor();
    await dialog.locator('input[name="code"]').fill(code);
    await dialog.locator('input[name="name"]').fill('测试网格');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.division-detail .division-title', { hasText: '测试网格' }).waitFor();
    assert.match(page.url(), new RegExp(`code=${code}$`));

    await page.locator('.division-detail .action-edit').click();
    dialog = page.locator('.el-dialog', { hasText: '编辑区划' });
    await dialog.waitFor();
    await dialog.locator('input[name="name"]').fill('测试网格（改）');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.division-detail .division-title', { hasText: '测试网格（改）' }).waitFor();

    await page.locator('.division-detail .action-retire').click();
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.division-detail .el-tag', { hasText: '已撤销' }).waitFor();
    assert.equal(await page.locator('.division-detail .action-edit').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('a CSV import with bad rows shows the row-by-row report and imports nothing', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-csv-')), 'bad.csv');
  fs.writeFileSync(file, [
    'code,name,level,parent_code,lat,lng',
    `${VILLAGE}901,好网格,grid,${VILLAGE},,`,
    `abc,,grid,${VILLAGE},,`,
    '',
  ].join('\n'));
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/divisions');
    await page.locator('.divisions-page .import-open').click();
    const dialog = page.locator('.import-dialog');
    await dialog.waitFor();
    await dialog.locator('input[type="file"]').setInputFiles(file);
    await dialog.locator('.import-submit').click();
    const rows = dialog.locator('.import-errors .el-table__body .el-table__row');
    await rows.first().waitFor();
    assert.ok(await rows.count() >= 2, 'one line per bad field');
    const lines = await dialog.locator('.import-errors .el-table__body .el-table__row td:first-child').allTextContents();
    assert.ok(lines.every((line) => line.trim() === '3'), `bad lines: ${lines.join(',')}`);
    assert.match(await dialog.locator('.import-failure .el-alert__title').textContent(), /未导入/);
    assertNoProblems(page);
  } finally {
    await closePage(page);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
