// Shared by the browser tests: headless Chromium through playwright-core,
// a page that records every console error and failed load, and the few
// steps (sign in, open a page) that nearly every test takes.
//
// PINGAN_URL names the server under test; tests/browser/run.mjs starts one
// and sets it.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import zlib from 'node:zlib';

export const baseUrl = process.env.PINGAN_URL || 'http://127.0.0.1:8080';
export const demoPassword = 'Pingan#Demo2026';
export const phoneViewport = { width: 390, height: 844 };
export const desktopViewport = { width: 1440, height: 900 };

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Playwright gives every launch() a fresh temporary profile of its own.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
}

// An answer of the API with an error status is part of normal use (401 before
// sign-in, 401 for a wrong password, 422 for a bad form): the UI shows it.
// Chromium still logs it as "Failed to load resource", so those are left out.
function isApiStatusNoise(message) {
  const where = message.location().url || '';
  return where.startsWith(`${baseUrl}/api/`) && /Failed to load resource/.test(message.text());
}

// Opens a page in a new context (own cookies and storage). page.problems
// collects console errors, uncaught exceptions and failed loads of anything
// that is not an API call: a module that fails to load shows up here.
// Other context options (geolocation, permissions ...) pass through.
export async function openPage(browser, { viewport = desktopViewport, locale = 'zh-CN', ...options } = {}) {
  const context = await browser.newContext({ viewport, locale, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isApiStatusNoise(message))
      page.problems.push(`console: ${message.text()} (${message.location().url || 'no url'})`);
  });
  page.on('pageerror', (error) => page.problems.push(`exception: ${error.message}`));
  // A load cut short by the page's own navigation (a reload while the
  // favicon is on its way) is ERR_ABORTED: no defect of the page.
  page.on('requestfailed', (request) => {
    const failure = request.failure() ? request.failure().errorText : '';
    if (!request.url().includes('/api/') && !failure.includes('ERR_ABORTED'))
      page.problems.push(`failed: ${request.url()} ${request.failure() ? request.failure().errorText : ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/'))
      page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return page;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `the page reported problems:\n${page.problems.join('\n')}`);
}

export async function closePage(page) {
  await page.context().close();
}

// Opens the console and signs in; resolves once the layout is up (or,
// with expectFailure, once the error message shows).
export async function signIn(page, username, password = demoPassword, { expectFailure = false } = {}) {
  if (!page.url().startsWith(baseUrl))
    await page.goto(`${baseUrl}/`);
  await page.locator('.signin-card input[name="username"]').fill(username);
  await page.locator('.signin-card input[name="password"]').fill(password);
  await page.locator('.signin-card .signin-submit').click();
  if (expectFailure)
    await page.locator('.signin-error').waitFor();
  else
    await page.locator('.layout .topbar').waitFor();
}

export async function signOut(page) {
  await page.locator('.user-trigger').click();
  await page.locator('.signout-item').click();
  await page.locator('.signin-card').waitFor();
}

// Texts of the menu items (not the group titles), in menu order.
export async function menuLabels(page, scope = '.layout-aside') {
  return page.locator(`${scope} .el-menu-item .menu-label`).allTextContents();
}

export async function openRoute(page, path) {
  await page.evaluate((hash) => { window.location.hash = hash; }, `#${path}`);
}

// Signs in through the API from node (no browser), for test setup: returns
// the Cookie header to send with further calls.
export async function apiSession(username, password = demoPassword) {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'pingan' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 201, `API sign-in of ${username}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return cookie;
}

export async function apiCall(cookie, method, path, body) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-Requested-With': 'pingan' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// A name no earlier run of the suite used, for records a test creates.
export function uniqueName(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

// ---------- event hub helpers ----------

// A small real PNG (a red square with a white cross), made here so the
// tests need no image file: what a phone camera would hand the page.
export function makePng(size = 24) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf)
      c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const white = x === y || x === size - 1 - y;
      row.set(white ? [255, 255, 255] : [200, 30, 40], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Clicks an option of an open Element Plus select or cascader by its text.
export async function pickOption(page, text) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

// Opens an event by the text of its row in the current table.
export async function openEventRow(page, scope, title) {
  await page.locator(`${scope} .event-row`, { hasText: title }).first().locator('.case-link').click();
  await page.locator('.event-detail-page .detail-header').waitFor();
  await page.locator('.event-detail-page .detail-title', { hasText: title }).waitFor();
}

// The action buttons the detail page shows, by action name.
export async function actionButtons(page) {
  return page.locator('.event-detail-page .detail-actions .action-button')
    .evaluateAll((buttons) => buttons.map((b) => b.dataset.action));
}

// Clicks an action button, lets fill(dialog) fill the fields, confirms,
// and waits for the dialog to close.
export async function act(page, action, fill = async () => {}) {
  await page.locator(`.event-detail-page .action-button[data-action="${action}"]`).click();
  const dialog = page.locator(`.action-dialog[data-action="${action}"]`);
  await dialog.waitFor();
  await fill(dialog);
  await dialog.locator('.action-submit').click();
  await dialog.waitFor({ state: 'hidden' });
}

export async function waitForState(page, state) {
  await page.locator(`.event-detail-page .detail-state[data-state="${state}"]`).waitFor();
}

// Creates an event through the API as the given session; returns it.
export async function apiCreateEvent(cookie, fields = {}) {
  const body = {
    channel: 'walk_in', category_code: 'dispute.neighbour', title: uniqueName('接口事件'),
    division_code: '330824115205001', reporter_name: '测试人', ...fields,
  };
  const answer = await apiCall(cookie, 'POST', '/events', body);
  assert.equal(answer.status, 201, `create event: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

// Runs an action through the API; returns the event after it.
export async function apiAct(cookie, id, action, body = {}) {
  const answer = await apiCall(cookie, 'POST', `/events/${id}/${action}`, body);
  assert.equal(answer.status, 200, `${action} ${id}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

// The id of a unit by its exact name.
export async function unitId(cookie, name) {
  const answer = await apiCall(cookie, 'GET', `/units?q=${encodeURIComponent(name)}&limit=50`);
  const unit = answer.body.items.find((u) => u.name === name);
  assert.ok(unit, `unit ${name}`);
  return unit.id;
}
