// Shared helpers of the browser tests (tests/web/*.test.mjs), run by
// scripts/test-web.sh against a real `xrm serve` on demo data
// (XRM_WEB_URL, XRM_WEB_USER/XRM_WEB_PASSWORD for admin; the demo users'
// password is xrm-demo-2026). One Chromium per test file (launch()), one
// browser context per session() (a user's later sessions in the file reuse the
// first one's cookie). Every page is watched:
// a console error, an uncaught exception or an HTTP error the step did not
// announce with allow() is collected in problems and fails the file's
// last test (assertClean()).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.XRM_WEB_URL;
export const ADMIN = process.env.XRM_WEB_USER || 'admin';
export const ADMIN_PASSWORD = process.env.XRM_WEB_PASSWORD;
export const DEMO_PASSWORD = process.env.XRM_DEMO_PASSWORD || 'xrm-demo-2026';
export const SHOTS = process.env.XRM_SCREENSHOTS || 'build/screenshots';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const T = { timeout: 120000 };
// The company's time zone: the server counts "today" in it, and so do our users' browsers
// (every context below); a UTC date is yesterday's between 23:00 and midnight UTC.
export const TZ = 'Europe/Amsterdam';

// The company's date (YYYY-MM-DD) days from now.
export function dayNL(days = 0) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(new Date(Date.now() + days * 864e5));
}
// A suffix that makes names created by this run unique (test files share one server
// and run side by side: the process id tells two files started in the same second apart).
export const RUN = (Math.floor(Date.now() / 1000) * 1000 + (process.pid % 1000)).toString(36);

export const problems = [];
let allowed = []; // [{status, url: RegExp}] HTTP errors the current step expects
let browser = null;
let paths = null;

export async function launch() {
  assert.ok(BASE, 'XRM_WEB_URL is not set; run scripts/test-web.sh');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

export async function close() {
  await browser?.close();
  browser = null;
}

// Runs fn while HTTP errors with this status (and URL matching re) are expected.
export async function allow(status, re, fn) {
  const entry = { status, url: re };
  allowed.push(entry);
  try {
    return await fn();
  } finally {
    await new Promise((r) => setTimeout(r, 50));
    allowed = allowed.filter((a) => a !== entry);
  }
}

function isAllowed(status, url) {
  return allowed.some((a) => a.status === status && (!a.url || a.url.test(url || '')));
}

export function watch(p, who) {
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    const st = /status of (\d{3})/.exec(m.text());
    if (st && isAllowed(Number(st[1]), m.location()?.url)) return;
    problems.push(`${who}: console: ${m.text()} (${m.location()?.url || ''})`);
  });
  p.on('pageerror', (e) => problems.push(`${who}: exception: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() < 400 || isAllowed(r.status(), r.url())) return;
    problems.push(`${who}: HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
}

// The session cookie of admin and of each demo user once signed in by this file (with their usual
// password): a later session() of that user opens the app with it, as a reload does, instead of
// typing into the login form again (each sign-in costs the server a password hash). A user with
// a password of their own (made by a test) signs in through the form every time.
const signedIn = new Map(); // user -> storageState

// A signed-in page for user (admin by default) in the given locale ('nl-NL'
// shows the app in Dutch, 'en-GB' in English) and width (1280 or 390).
export async function session(user = ADMIN, { password, locale = 'nl-NL', width = 1280 } = {}) {
  if (!browser) await launch();
  const usual = user === ADMIN ? ADMIN_PASSWORD : DEMO_PASSWORD;
  const pw = password || usual;
  const keep = pw === usual;
  const saved = keep ? signedIn.get(user) : undefined;
  const context = await browser.newContext({
    locale, timezoneId: TZ, viewport: { width, height: width < 500 ? 844 : 900 }, acceptDownloads: true,
    ...(saved ? { storageState: saved } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  watch(page, user);
  if (saved) {
    // the app asks GET /session with the cookie; a session that ended (signed out, revoked)
    // answers 401 and the login screen follows: then sign in through the form below
    const open = await allow(401, /\/api\/v1\/session$/, async () => {
      await page.goto(`${BASE}/`);
      await page.waitForSelector('.kpis, #login-title');
      return page.isVisible('.kpis');
    });
    if (open) return { context, page };
    signedIn.delete(user);
  } else {
    await page.goto(`${BASE}/`);
  }
  await page.waitForSelector('#login-title');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', pw);
  await page.click('form button[type=submit]');
  await page.waitForSelector('.kpis');
  if (keep) {
    signedIn.set(user, {
      cookies: await context.cookies(),
      origins: [{ origin: new URL(BASE).origin, localStorage: [{ name: 'xrm.cookie', value: '1' }] }],
    });
  }
  return { context, page };
}

// Client-side navigation (no reload).
export async function go(page, url) {
  await page.evaluate((u) => {
    history.pushState(null, '', u);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);
}

// The app's own API client (session cookie, CSRF token, Accept-Language) from the page.
export async function api(page, method, p, body) {
  return page.evaluate(async ([m, u, b]) => {
    const mod = await import('/js/api.js');
    return mod.request(m, u, b === undefined ? {} : { body: b });
  }, [method, p, body]);
}

// True when the OpenAPI document lists the route (`/parties/{id}` form).
export async function has(method, p) {
  if (!paths) {
    const r = await fetch(`${BASE}/api/v1/openapi.json`);
    paths = (await r.json()).paths || {};
  }
  return !!paths[`/api/v1${p}`]?.[method.toLowerCase()];
}

// axe-core (WCAG 2 A and AA) on the page as it is: no serious or critical violations.
// resultTypes: axe reports every node of a violation as before, but builds a selector for only
// one node of each passed, incomplete or inapplicable rule (unused here; about a quarter of the
// time of a run on the party list).
export async function a11y(page, name) {
  const found = await page.evaluate(async (src) => {
    if (!window.axe) (0, eval)(src);
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, AXE);
  assert.deepEqual(found, [], `${name}: accessibility`);
}

// Screenshots are written only when asked (XRM_SHOTS=1, scripts/test-web.sh): no test compares
// them, and a full-page PNG per width costs the run more than anything else a step does.
export const SAVE_SHOTS = process.env.XRM_SHOTS === '1';

// A screenshot into build/screenshots/ when XRM_SHOTS=1 (opts as page.screenshot()'s, path aside).
export async function picture(page, file, opts = {}) {
  if (!SAVE_SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ ...opts, path: path.join(SHOTS, file) });
}

// The page has laid out and painted what it has now: two animation frames have passed.
export async function settled(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const overflow = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// Accessibility check, then at 1280 and 390 px: no horizontal scrolling (and, with XRM_SHOTS=1,
// a full-page screenshot build/screenshots/NAME-WIDTH.png). ready() is awaited after each resize.
// A page that scrolls sideways right after the resize gets up to a second to lay out again (the
// dashboard's charts redraw for their new width 100 ms after the last resize event); one that
// still does then fails.
export async function shots(page, name, ready) {
  await a11y(page, name);
  const vp = page.viewportSize();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    if (ready) await ready();
    await settled(page);
    if (SAVE_SHOTS) await page.waitForTimeout(150); // the pictures as they were taken before
    await page.evaluate(() => document.getElementById('toast')?.replaceChildren());
    let over = await overflow(page);
    if (over > 0) {
      await page.waitForFunction(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        null, { timeout: 1000, polling: 'raf' }).catch(() => {});
      over = await overflow(page);
    }
    await picture(page, `${name}-${width}.png`, { fullPage: true });
    assert.ok(over <= 0, `${name}: ${over}px of horizontal scrolling at ${width} px`);
  }
  await page.setViewportSize(vp);
}

// Fails when any page of this file logged an error it was not told to expect.
export function assertClean() {
  assert.deepEqual(problems, [], 'console errors, exceptions or unexpected HTTP errors');
}
