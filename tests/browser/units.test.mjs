// 单位: query form, create / edit / retire through the dialog.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoProblems, closePage, launchBrowser, openPage, openRoute, signIn, uniqueName,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

async function chooseOption(page, text) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

async function search(page, text) {
  await page.locator('.units-page input[name="q"]').fill(text);
  await page.locator('.units-page .query-form .el-button--primary').click();
}

test('the query form filters units by name', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'center');
    await openRoute(page, '/units');
    await page.locator('.units-page .el-table__row').first().waitFor();
    await search(page, '公安');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.units-page .el-table__body-wrapper .el-table__row')];
      return rows.length > 0 && rows.every((row) => row.textContent.includes('公安'));
    });
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('admin creates, edits and retires a unit', async () => {
  const name = uniqueName('测试单位');
  const page = await openPage(browser);
  try {
    await signIn(page, 'admin');
    await openRoute(page, '/units');
    await page.locator('.units-page .create-unit').click();
    const dialog = page.locator('.el-dialog', { hasText: '新增单位' });
    await dialog.waitFor();
    await dialog.locator('input[name="unit_name"]').fill(name);
    await dialog.locator('.kind-select').click();
    await chooseOption(page, '派出所');
    await dialog.locator('.division-select input').fill('华埠');
    await chooseOption(page, '华埠镇');
    await dialog.locator('input[name="unit_phone"]').fill('0570-6500110');
    await dialog.locator('.el-button--primary').click();
    await page.locator('.el-message--success').first().waitFor();

    await search(page, name);
    const row = page.locator('.units-page .el-table__body-wrapper .el-table__row', { hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /派出所/);
    assert.match(await row.textContent(), /华埠镇/);

    await row.locator('button', { hasText: '编辑' }).click();
    const edit = page.locator('.el-dialog', { hasText: '编辑单位' });
    await edit.waitFor();
    await edit.locator('input[name="unit_phone"]').fill('0570-6500111');
    await edit.locator('.el-button--primary').click();
    await page.locator('.units-page .el-table__body-wrapper .el-table__row', { hasText: '0570-6500111' }).waitFor();

    await row.locator('button', { hasText: '撤销' }).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.el-message--success', { hasText: '单位已撤销' }).waitFor();
    // Retired units leave the list unless the query asks for them.
    await row.waitFor({ state: 'detached' });
    await page.locator('.units-page .include-retired').click();
    await page.locator('.units-page .query-form .el-button--primary').click();
    await page.locator('.units-page .el-table__body-wrapper .el-table__row', { hasText: '已撤销' }).waitFor();
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
