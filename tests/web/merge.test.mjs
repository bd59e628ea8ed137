// Browser tests of duplicates and merge: two parties that are one person
// (same e-mail in other case; a customer and a supplier) are created through
// the API; the new-party dialog answers an exact duplicate with the
// candidates and "open"; the duplicates list shows the pair with its score
// and reasons; the merge screen previews (conflicting given name
// highlighted, chosen from the other party by radio button, the supplier
// role listed as moving); the merge leaves the survivor with both roles and
// the other party archived with "merged into"; undo restores both. verkoop
// (sales write) sees no merge button for a pair where one party holds only
// an hr role, and a typed merge link tells her she may not. Started by
// scripts/test-web.sh (XRM_WEB_URL, XRM_WEB_USER/XRM_WEB_PASSWORD).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = process.env.XRM_WEB_URL;
const ADMIN = process.env.XRM_WEB_USER || 'admin';
const ADMIN_PASSWORD = process.env.XRM_WEB_PASSWORD;
const DEMO_PASSWORD = process.env.XRM_DEMO_PASSWORD || 'xrm-demo-2026';
const SHOTS = process.env.XRM_SCREENSHOTS || 'build/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = { timeout: 120000 };
const RUN = Date.now().toString(36);

let browser;
let paths = null;
const problems = [];
let allowed = null; // {status, url: RegExp} an HTTP error a step expects

async function has(method, p) {
  if (!paths) {
    const r = await fetch(`${BASE}/api/v1/openapi.json`);
    paths = (await r.json()).paths || {};
  }
  return !!paths[`/api/v1${p}`]?.[method.toLowerCase()];
}

function watch(p, who) {
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    const st = /status of (\d{3})/.exec(m.text());
    if (st && allowed && Number(st[1]) === allowed.status) return;
    problems.push(`${who}: console: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`${who}: exception: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() < 400) return;
    if (allowed && r.status() === allowed.status && allowed.url.test(r.url())) return;
    problems.push(`${who}: HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
}

async function session(user, password, locale = 'nl-NL') {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  watch(page, user);
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-title');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('.kpis');
  return { context, page };
}

async function go(page, url) {
  await page.evaluate((u) => {
    history.pushState(null, '', u);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);
}

// The app's own API client (session cookie and CSRF token) from the page.
async function api(page, method, p, body) {
  return page.evaluate(async ([m, u, b]) => {
    const mod = await import('/js/api.js');
    return m === 'GET' ? mod.api.get(u) : mod.api.post(u, b);
  }, [method, p, body]);
}

async function a11y(page, name) {
  const found = await page.evaluate(async (src) => {
    if (!window.axe) (0, eval)(src);
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, AXE);
  assert.deepEqual(found, [], `${name}: accessibility`);
}

async function shots(page, name) {
  await a11y(page, name);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.getElementById('toast')?.replaceChildren());
  await page.screenshot({ path: path.join(SHOTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: path.join(SHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(over <= 0, `${name}: ${over}px of horizontal scrolling at 390 px`);
}

// The duplicates list at min_score 100, paged until the pair's row is there.
async function findPair(page, a, b) {
  await go(page, '/duplicates?min_score=100');
  const row = page.locator(`#dup-table tr[data-pair="${a}-${b}"]`);
  await page.waitForSelector('#dup-table tbody tr:not(:has(.loading))');
  for (let i = 0; i < 40 && !(await row.count()); i++) {
    if (await page.locator('button.more').isHidden()) break;
    const n = await page.locator('#dup-table tbody tr').count();
    await page.click('button.more');
    await page.waitForFunction((k) => document.querySelectorAll('#dup-table tbody tr').length > k, n);
  }
  assert.equal(await row.count(), 1, `pair ${a}-${b} in the duplicates list`);
  await row.locator('.c-actions[data-checked]').waitFor();
  return row;
}

const roleTypes = (p) => (p.roles || []).map((r) => r.type).sort();
const parties = {};

before(async () => {
  assert.ok(BASE, 'XRM_WEB_URL is not set; run scripts/test-web.sh');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

const ready = async () => (await has('GET', '/duplicates')) && (await has('POST', '/parties/{id}/merge'));

test('duplicates list, merge preview with a choice, merge, undo (admin, Dutch)', T, async (t) => {
  if (!(await ready())) {
    t.skip('the server has no duplicates or merge endpoints');
    return;
  }
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD);
  try {
    const family = `Dubbeltest${RUN}`;
    const email = `merel.${RUN}@example.nl`;
    const a = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Merel', family_name: family, emails: [{ label: 'work', value: email }], roles: [{ type: 'customer' }] });
    const b = await api(page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Mirjam', family_name: family, emails: [{ label: 'home', value: email.toUpperCase() }], phones: [{ label: 'mobile', value: '06-12345678' }], roles: [{ type: 'supplier' }] });
    assert.ok(a.id < b.id);
    Object.assign(parties, { a: a.id, b: b.id, family, email });

    // a weaker match (the name, no e-mail) is created, with a notice
    await go(page, '/parties');
    await page.click('#new-party');
    await page.fill('#np-given_name', 'Merel');
    await page.fill('#np-family_name', family);
    await page.click('#new-party-form button[type=submit]');
    await page.locator('.toast-warn', { hasText: 'mogelijke dubbelen' }).waitFor();
    await page.waitForSelector(`h1#page-title:text-is("Merel ${family}")`);
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator(`#dup-panel li[data-party="${a.id}"]`).count(), 1, 'the new party names its look-alike');
    const weak = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(weak > b.id);

    // creating it again with the e-mail: the candidates, with "open"
    await go(page, '/parties');
    await page.click('#new-party');
    await page.fill('#np-given_name', 'Merel');
    await page.fill('#np-family_name', family);
    await page.fill('#np-email', email);
    allowed = { status: 409, url: /\/api\/v1\/parties$/ };
    try {
      await page.click('#new-party-form button[type=submit]');
      await page.waitForSelector('#dup-candidates:not([hidden])');
    } finally {
      allowed = null;
    }
    assert.match(await page.textContent('#dup-candidates'), /bestaat waarschijnlijk al/);
    assert.equal(await page.locator(`#dup-candidates li[data-party="${a.id}"]`).count(), 1);
    assert.match(await page.textContent(`#dup-candidates li[data-party="${a.id}"]`), /E-mail/);
    assert.equal(await page.locator('#create-anyway').count(), 1);
    await a11y(page, 'new-party-duplicate');
    await page.click(`#dup-candidates li[data-party="${a.id}"] a`);
    await page.waitForSelector(`h1#page-title:text-is("Merel ${family}")`);
    // the party page's panel names the other one
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator(`#dup-panel li[data-party="${b.id}"]`).count(), 1);
    assert.equal(await page.locator(`#dup-panel li[data-party="${b.id}"] .merge-btn`).count(), 1);
    await page.waitForSelector('#timeline:not([aria-busy])');
    await shots(page, 'party-duplicates');

    // the duplicates list: the pair, its score and reasons, "merge"
    const row = await findPair(page, a.id, b.id);
    assert.match(await row.locator('.c-score').textContent(), /100/);
    assert.match(await row.locator('.c-reasons').textContent(), new RegExp(`E-mail: ${email}`, 'i'));
    await shots(page, 'duplicates');
    await row.locator('.merge-btn').click();
    await page.waitForURL(new RegExp(`/merge\\?into=${a.id}&from=${b.id}$`));

    // the preview: the given names conflict; take the other party's
    await page.waitForSelector('#merge-fields tr[data-field=given_name]');
    assert.equal(await page.locator('#merge-fields tr.conflict[data-field=given_name]').count(), 1);
    assert.equal(await page.isChecked(`#choose-given_name-${a.id}`), true);
    assert.equal(await page.textContent('#merge-moves [data-move=roles] dd'), '1');
    await shots(page, 'merge-preview');
    await page.check(`#choose-given_name-${b.id}`);
    await page.waitForSelector(`#merge-body:not([aria-busy]) #choose-given_name-${b.id}:checked`);
    const preview = await page.textContent('#merge-fields');
    assert.match(preview, /Mirjam/);
    assert.deepEqual(roleTypes(await api(page, 'GET', `/parties/${a.id}`)), ['customer'], 'a preview changes nothing');

    // the merge: the survivor has both roles, the other is archived and says where it went
    await page.click('#merge-confirm');
    await page.waitForSelector('#merge-result');
    assert.match(await page.textContent('#merge-result'), /Samengevoegd/);
    await shots(page, 'merge-result');
    const survivor = await api(page, 'GET', `/parties/${a.id}`);
    assert.deepEqual(roleTypes(survivor), ['customer', 'supplier']);
    assert.equal(survivor.given_name, 'Mirjam', 'the chosen given name');
    const merged = await api(page, 'GET', `/parties/${b.id}`);
    assert.equal(merged.archived, true);
    assert.equal(Number(merged.merged_into), a.id);
    const other = await context.newPage();
    watch(other, 'admin (second tab)');
    await other.goto(`${BASE}/parties/${a.id}`);
    await other.waitForSelector('article[data-role-type=supplier]');
    assert.equal(await other.locator('article[data-role-type=customer]').count(), 1);
    await other.goto(`${BASE}/parties/${b.id}`);
    await other.waitForSelector('#dup-panel #merged-into');
    assert.equal(await other.getAttribute('#merged-into', 'href'), `/parties/${a.id}`);
    await other.close();

    // undo: both as they were
    await page.click('#merge-undo');
    await page.waitForSelector('#merge-undone');
    const a2 = await api(page, 'GET', `/parties/${a.id}`);
    const b2 = await api(page, 'GET', `/parties/${b.id}`);
    assert.deepEqual(roleTypes(a2), ['customer']);
    assert.equal(a2.given_name, 'Merel');
    assert.deepEqual(roleTypes(b2), ['supplier']);
    assert.ok(!b2.archived, 'the merged party is back');
    assert.ok(!b2.merged_into);
    assert.equal(await page.locator(`#merge-undone a[href="/parties/${b.id}"]`).count(), 1);
  } finally {
    await context.close();
  }
});

test('verkoop gets no merge button where one party holds only an hr role', T, async (t) => {
  if (!(await ready())) {
    t.skip('the server has no duplicates or merge endpoints');
    return;
  }
  const admin = await session(ADMIN, ADMIN_PASSWORD);
  let c;
  let d;
  try {
    const email = `collega.${RUN}@example.nl`;
    c = await api(admin.page, 'POST', '/parties', { kind: 'person', given_name: 'Cor', family_name: `Collega${RUN}`, emails: [{ label: 'work', value: email }], roles: [{ type: 'employee' }] });
    d = await api(admin.page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Cor', family_name: `Collega${RUN}`, emails: [{ label: 'home', value: email }], roles: [{ type: 'customer' }] });
  } finally {
    await admin.context.close();
  }
  const { context, page } = await session('verkoop', DEMO_PASSWORD);
  try {
    for (const [self, otherId] of [[c.id, d.id], [d.id, c.id]]) {
      await go(page, `/parties/${self}`);
      await page.waitForSelector('#dup-panel[data-ready]');
      assert.equal(await page.locator(`#dup-panel li[data-party="${otherId}"]`).count(), 1, `panel of #${self}`);
      assert.equal(await page.locator('#dup-panel .merge-btn').count(), 0, `no merge button on #${self}`);
    }
    const row = await findPair(page, c.id, d.id);
    assert.equal(await row.locator('.merge-btn').count(), 0, 'no merge button in the list');
    await go(page, `/merge?into=${d.id}&from=${c.id}`);
    await page.waitForSelector('#merge-body .error-box');
    assert.match(await page.textContent('#merge-body'), /niet zo samenvoegen/);
    assert.equal(await page.locator('#merge-confirm, #merge-swap').count(), 0);
  } finally {
    await context.close();
  }
});

test('hr-assistent (hr read only) is offered no duplicates screen and no merge', T, async (t) => {
  if (!(await ready()) || !parties.a) {
    t.skip('needs the merge walk above');
    return;
  }
  const { context, page } = await session('hr-assistent', DEMO_PASSWORD);
  try {
    const nav = await page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
    assert.ok(!nav.includes('duplicates') && !nav.includes('import'), `menu ${nav}`);
    await go(page, `/parties/${parties.a}`);
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator('#dup-panel .merge-btn').count(), 0);
    await go(page, '/duplicates');
    await page.waitForSelector('#no-access');
  } finally {
    await context.close();
  }
});

test('no console errors, uncaught exceptions or HTTP errors', () => {
  assert.deepEqual(problems, []);
});
