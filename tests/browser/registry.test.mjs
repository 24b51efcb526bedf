// 实有人口 (the registry of residents): register with the server's checks
// shown under the field, masked data in the table, exact lookups, the
// all-or-nothing CSV import with its row report, edits that carry the
// version, the audited reveal, and who sees which of it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  apiCall, apiSession, assertNoProblems, closePage, launchBrowser, menuLabels, openPage, openRoute,
  pickOption, signIn,
} from './lib.mjs';

const GRID = '330824115205001';      // 龙岭村第1网格, 华埠镇
const GRID_NAME = '龙岭村第1网格';
const OTHER_GRID = '330824115205002';

// GB 11643: 17 digits, then the check character from the weighted sum mod 11.
function checkChar(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  return '10X98765432'[sum % 11];
}

// A valid ID number of a Kaihua resident that no other test (or run) uses.
function freshIdNumber() {
  const year = 1950 + Math.floor(Math.random() * 55);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const sequence = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const first17 = `330824${year}${month}${day}${sequence}`;
  return first17 + checkChar(first17);
}

// The same number with a check character that is wrong.
function badChecksum(idNumber) {
  const good = idNumber[17];
  return idNumber.slice(0, 17) + (good === '0' ? '1' : '0');
}

const masked = (idNumber) => `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;

// A Chinese name no earlier run used: the registry matches names whole.
function freshName() {
  const syllables = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华';
  let name = '测';
  for (let i = 0; i < 3; i++)
    name += syllables[Math.floor(Math.random() * syllables.length)];
  return name;
}

let browser;
let townshipCookie;
before(async () => {
  browser = await launchBrowser();
  townshipCookie = await apiSession('township');
});
after(async () => { await browser.close(); });

async function registerByApi(fields = {}) {
  const body = {
    id_number: freshIdNumber(), name: freshName(), kind: 'registered', division_code: GRID,
    phone: '13800001111', address: '龙岭村8号', ...fields,
  };
  const answer = await apiCall(townshipCookie, 'POST', '/persons', body);
  assert.equal(answer.status, 201, `register: ${JSON.stringify(answer.body)}`);
  return { ...answer.body, clear: body };
}

async function lookup(idNumber) {
  const answer = await apiCall(townshipCookie, 'GET', `/persons?id_number=${idNumber}`);
  assert.equal(answer.status, 200);
  return answer.body.items;
}

function tableRows(page) {
  return page.locator('.persons-page .el-table__body-wrapper .el-table__row');
}

async function openPersons(page, username) {
  await signIn(page, username);
  await openRoute(page, '/registry/persons');
  await page.locator('.persons-page .persons-table').waitFor();
}

async function searchBy(page, label, text) {
  await page.locator('.persons-page .search-by').click();
  await pickOption(page, label);
  await page.locator('.persons-page input[name="keyword"]').fill(text);
  await page.locator('.persons-page .search-submit').click();
}

test('township registers a resident: checks under the field, masked in the table, exact lookups', async () => {
  const idNumber = freshIdNumber();
  const name = freshName();
  const page = await openPage(browser);
  try {
    await openPersons(page, 'township');
    assert.ok((await menuLabels(page)).includes('实有人口'));
    assert.match(await page.locator('.persons-page .search-hint').textContent(), /完整匹配/);

    await page.locator('.persons-page .register-open').click();
    const dialog = page.locator('.person-dialog');
    await dialog.waitFor();
    await dialog.locator('input[name="id_number"]').fill(badChecksum(idNumber));
    await dialog.locator('input[name="person_name"]').fill(name);
    await dialog.locator('.kind-select').click();
    await pickOption(page, '流动人口');
    await dialog.locator('.division-select input').fill(GRID_NAME);
    await pickOption(page, GRID_NAME);
    await dialog.locator('input[name="person_phone"]').fill('13800002222');
    await dialog.locator('input[name="person_address"]').fill('龙岭村18号');

    // The server's GB 11643 check, under the field it names; nothing saved.
    await dialog.locator('.person-submit').click();
    await dialog.locator('.field-id-number .el-form-item__error', { hasText: '身份证号校验位错误' }).waitFor();
    assert.equal((await lookup(badChecksum(idNumber))).length, 0);
    assert.ok(await dialog.isVisible());

    await dialog.locator('input[name="id_number"]').fill(idNumber);
    // Typing takes the server's message away.
    await dialog.locator('.field-id-number .el-form-item__error').waitFor({ state: 'detached' });
    await dialog.locator('.person-submit').click();
    await page.locator('.el-message--success', { hasText: '已登记' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    // Newest first: the row is there, masked; the clear values are nowhere on the page.
    const row = tableRows(page).filter({ hasText: masked(idNumber) });
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, new RegExp(`${name[0]}\\*`));
    assert.match(text, /流动人口/);
    assert.match(text, new RegExp(GRID_NAME));
    assert.match(text, /138\*\*\*\*2222/);
    const body = await page.locator('.persons-page').textContent();
    for (const clear of [idNumber, name, '13800002222'])
      assert.ok(!body.includes(clear), `${clear} is shown in clear`);

    // The same number again: 409 in the dialog.
    await page.locator('.persons-page .register-open').click();
    await dialog.waitFor();
    await dialog.locator('input[name="id_number"]').fill(idNumber);
    await dialog.locator('input[name="person_name"]').fill(name);
    await dialog.locator('.kind-select').click();
    await pickOption(page, '户籍人口');
    await dialog.locator('.division-select input').fill(GRID_NAME);
    await pickOption(page, GRID_NAME);
    await dialog.locator('.person-submit').click();
    await dialog.locator('.person-failure', { hasText: '该身份证号已登记' }).waitFor();
    await dialog.locator('.el-dialog__footer button', { hasText: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The exact ID number finds exactly that person (a lower-case x would too).
    await searchBy(page, '身份证号', idNumber);
    await page.waitForFunction((want) => {
      const rows = [...document.querySelectorAll('.persons-page .el-table__body-wrapper .el-table__row')];
      return rows.length === 1 && rows[0].textContent.includes(want);
    }, masked(idNumber));
    // The whole name finds them; a part of it finds nobody.
    await searchBy(page, '姓名', name);
    await tableRows(page).filter({ hasText: masked(idNumber) }).waitFor();
    await searchBy(page, '姓名', name.slice(0, 2));
    await page.locator('.persons-page .el-table__empty-text').waitFor();
    assert.equal(await tableRows(page).count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('a CSV with one bad row imports nothing and says which line; a good one imports', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-persons-'));
  const good = [freshIdNumber(), freshIdNumber()];
  const bad = badChecksum(freshIdNumber());
  const badFile = path.join(dir, 'bad.csv');
  const goodFile = path.join(dir, 'good.csv');
  fs.writeFileSync(badFile, [
    '身份证号,姓名,人口类别,区划代码,手机号码,住址',
    `${good[0]},${freshName()},户籍,${GRID},13800003333,龙岭村1号`,
    `${bad},${freshName()},流动,${GRID},,`,
    '',
  ].join('\n'));
  fs.writeFileSync(goodFile, [
    'id_number,name,kind,division_code,phone,address',
    `${good[0]},${freshName()},registered,${GRID},13800003333,龙岭村1号`,
    `${good[1]},${freshName()},overseas,${OTHER_GRID},,`,
    '',
  ].join('\n'));
  const page = await openPage(browser);
  try {
    await openPersons(page, 'township');
    await page.locator('.persons-page .import-open').click();
    const dialog = page.locator('.person-import-dialog');
    await dialog.waitFor();
    await dialog.locator('input[type="file"]').setInputFiles(badFile);
    await dialog.locator('.import-submit').click();
    const rows = dialog.locator('.import-errors .el-table__body .el-table__row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const cells = (await rows.first().locator('td').allTextContents()).map((c) => c.trim());
    assert.deepEqual(cells, ['3', '身份证号', '身份证号校验位错误']);
    assert.match(await dialog.locator('.import-failure .el-alert__title').textContent(), /未导入/);
    // All or nothing: the valid line 2 was not kept either.
    assert.equal((await lookup(good[0])).length, 0);

    await dialog.locator('input[type="file"]').setInputFiles(goodFile);
    await dialog.locator('.import-failure').waitFor({ state: 'detached' });
    await dialog.locator('.import-submit').click();
    await page.locator('.el-message--success', { hasText: '已导入 2 人' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await tableRows(page).filter({ hasText: masked(good[0]) }).waitFor();
    await tableRows(page).filter({ hasText: masked(good[1]) }).waitFor();
    assert.equal((await lookup(good[1]))[0].kind, 'overseas');
    assertNoProblems(page);
  } finally {
    await closePage(page);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('township reveals a resident with a reason and sees the clear ID number', async () => {
  const person = await registerByApi();
  const page = await openPage(browser);
  try {
    await openPersons(page, 'township');
    await searchBy(page, '身份证号', person.clear.id_number);
    const row = tableRows(page).filter({ hasText: masked(person.clear.id_number) });
    await row.waitFor();
    await row.locator('.reveal-open').click();
    const dialog = page.locator('.person-reveal-dialog');
    await dialog.waitFor();
    // Too short a reason is refused before anything is shown.
    await dialog.locator('input[name="reveal_reason"]').fill('看看');
    await dialog.locator('.reveal-submit').click();
    await dialog.locator('.el-form-item__error', { hasText: '至少 4 个字' }).waitFor();
    assert.equal(await dialog.locator('.revealed-id-number').count(), 0);

    await dialog.locator('input[name="reveal_reason"]').fill('核实户籍登记信息');
    await dialog.locator('.reveal-submit').click();
    await dialog.locator('.revealed-id-number').waitFor();
    assert.equal((await dialog.locator('.revealed-id-number').textContent()).trim(), person.clear.id_number);
    assert.equal((await dialog.locator('.revealed-name').textContent()).trim(), person.clear.name);
    assert.equal((await dialog.locator('.revealed-phone').textContent()).trim(), person.clear.phone);
    await dialog.locator('.reveal-close').click();
    await dialog.waitFor({ state: 'hidden' });
    // The table stays masked.
    assert.ok(!(await page.locator('.persons-page').textContent()).includes(person.clear.id_number));
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('an edit sends the version it saw: a stale one reloads, a fresh one saves', async () => {
  const person = await registerByApi({ kind: 'registered' });
  const page = await openPage(browser);
  try {
    await openPersons(page, 'grid');
    await searchBy(page, '身份证号', person.clear.id_number);
    const row = tableRows(page).filter({ hasText: masked(person.clear.id_number) });
    await row.waitFor();
    // A grid worker registers and edits but does not reveal.
    assert.equal(await row.locator('.reveal-open').count(), 0);

    await row.locator('.edit-open').click();
    const dialog = page.locator('.person-dialog');
    await dialog.waitFor();
    assert.equal((await dialog.locator('.person-id-locked').textContent()).trim(), masked(person.clear.id_number));
    // Someone else changes the record meanwhile.
    const other = await apiCall(townshipCookie, 'PATCH', `/persons/${person.id}`, {
      name: person.clear.name, kind: 'registered', division_code: GRID, phone: person.clear.phone,
      address: person.clear.address, version: person.version,
    });
    assert.equal(other.status, 200);
    await dialog.locator('input[name="person_name"]').fill(person.clear.name);
    await dialog.locator('.kind-select').click();
    await pickOption(page, '流动人口');
    await dialog.locator('input[name="person_phone"]').fill(person.clear.phone);
    await dialog.locator('input[name="person_address"]').fill(person.clear.address);
    const [stale] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/api/v1/persons/${person.id}`) && r.request().method() === 'PATCH'),
      dialog.locator('.person-submit').click(),
    ]);
    assert.equal(stale.status(), 412);
    assert.equal(stale.request().headers()['if-match'], `"${person.version}"`);
    await page.locator('.el-message--warning', { hasText: '已被他人修改' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    // Again, on the reloaded row.
    await row.locator('.edit-open').click();
    await dialog.waitFor();
    await dialog.locator('input[name="person_name"]').fill(person.clear.name);
    await dialog.locator('.kind-select').click();
    await pickOption(page, '流动人口');
    await dialog.locator('input[name="person_phone"]').fill(person.clear.phone);
    await dialog.locator('input[name="person_address"]').fill(person.clear.address);
    await dialog.locator('.person-submit').click();
    await page.locator('.el-message--success', { hasText: '已保存' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await row.filter({ hasText: '流动人口' }).waitFor();
    const [now] = await lookup(person.clear.id_number);
    assert.equal(now.kind, 'floating');
    assert.equal(now.version, person.version + 2);
    assert.equal(now.phone, '138****1111', 'the phone was kept');
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('a leader reads the registry but cannot register, import, edit or reveal', async () => {
  const person = await registerByApi();
  const page = await openPage(browser);
  try {
    await openPersons(page, 'leader');
    assert.ok((await menuLabels(page)).includes('实有人口'));
    await tableRows(page).filter({ hasText: masked(person.clear.id_number) }).waitFor();
    assert.equal(await page.locator('.persons-page .register-open').count(), 0);
    assert.equal(await page.locator('.persons-page .import-open').count(), 0);
    assert.equal(await page.locator('.persons-page .edit-open').count(), 0);
    assert.equal(await page.locator('.persons-page .reveal-open').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});

test('an auditor has no registry in the menu and cannot open it', async () => {
  const page = await openPage(browser);
  try {
    await signIn(page, 'auditor');
    const labels = await menuLabels(page);
    assert.ok(!labels.includes('实有人口'), `menu: ${labels.join(', ')}`);
    assert.equal(await page.locator('.layout-aside', { hasText: '基础数据' }).count(), 0);
    await openRoute(page, '/registry/persons');
    await page.locator('.home-page').waitFor();
    assert.equal(await page.locator('.persons-page').count(), 0);
    assertNoProblems(page);
  } finally {
    await closePage(page);
  }
});
