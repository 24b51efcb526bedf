// Shared by the browser tests: headless Chromium through playwright-core,
// a page that records every console error and failed load, and the few
// steps (sign in, open a page) that nearly every test takes.
//
// PINGAN_URL names the server under test; tests/browser/run.mjs starts one
// and sets it.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

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
export async function openPage(browser, { viewport = desktopViewport, locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isApiStatusNoise(message))
      page.problems.push(`console: ${message.text()} (${message.location().url || 'no url'})`);
  });
  page.on('pageerror', (error) => page.problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().includes('/api/'))
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
