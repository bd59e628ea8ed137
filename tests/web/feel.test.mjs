// Browser tests of how the app feels: the loading bar on a slow request,
// the keyboard shortcuts and their help ('?') in Dutch and English, '/' to
// the search box, 'g p' to the parties, 'n' for a new party, no shortcut
// while typing, the manifest and its icons, the service worker and the
// offline page, print without the app around the content, and words that
// wrap at their boundaries. Started by scripts/test-web.sh; helpers in lib.mjs.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RUN, T, session, go, api, shots, assertClean, close } from './lib.mjs';

after(close);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

// Focus on the page's heading (not in a field), as after a click on the page.
async function focusPage(page) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    const h1 = document.querySelector('#main h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus();
    }
  });
}

test('a slow request shows the loading bar while it lasts, and then it goes', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  await page.waitForSelector('#loading-bar[hidden]', { state: 'attached' });
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/api\/v1\/tasks(\?|$)/, async (route) => {
    await held;
    await route.continue();
  });
  await go(page, '/tasks');
  const bar = page.locator('#loading-bar');
  await bar.waitFor({ state: 'visible' });
  assert.equal(await bar.getAttribute('role'), 'progressbar');
  assert.equal(await bar.getAttribute('aria-label'), 'Laden…');
  assert.equal(await page.getAttribute('#main', 'aria-busy'), 'true');
  const box = await bar.boundingBox();
  assert.ok(box && box.y === 0 && box.height >= 2 && box.width > 1000, `a bar across the top: ${JSON.stringify(box)}`);
  release();
  await bar.waitFor({ state: 'hidden' });
  assert.equal(await page.getAttribute('#main', 'aria-busy'), null);
  await page.unroute(/\/api\/v1\/tasks(\?|$)/);
  // a quick request shows nothing at all
  await go(page, '/parties');
  await page.waitForSelector('table.list tbody tr');
  assert.equal(await bar.isVisible(), false);
  await context.close();
});

test('? opens the help with the shortcuts and the query language in Dutch; / g p n work; nothing while typing', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  await focusPage(page);
  await page.keyboard.press('?');
  const dlg = page.locator('dialog[open]');
  await dlg.locator('#keys-help').waitFor();
  assert.equal(await dlg.locator('h2').textContent(), 'Sneltoetsen en zoeken');
  const text = await dlg.textContent();
  for (const w of ['rol:klant', 'role:customer', 'plaats:Utrecht', 'label:vip', '-rol:leverancier', 'Naar het zoekvak', 'Mijn dag']) {
    assert.ok(text.includes(w), `the help names ${w}`);
  }
  await shots(page, 'keys-help-nl');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached' });

  // '/' focuses the search; typed there, '?', 'n' and 'g p' are just text
  await focusPage(page);
  await page.keyboard.press('/');
  assert.equal(await focused(page), 'search');
  await page.keyboard.type('g?n');
  assert.equal(await page.inputValue('#search'), 'g?n');
  assert.equal(await page.locator('dialog[open]').count(), 0);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.fill('#search', '');

  // g p: the parties; n: the new-party dialog of the list
  await focusPage(page);
  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await page.waitForSelector('h1#page-title:text-is("Relaties")');
  assert.equal(new URL(page.url()).pathname, '/parties');
  await page.waitForSelector('#new-party');
  await focusPage(page);
  await page.keyboard.press('n');
  await page.waitForSelector('dialog[open] #new-party-form');
  // no shortcut while a dialog is open and the user types in it
  await page.keyboard.press('?');
  assert.equal(await page.locator('dialog[open]').count(), 1);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached' });

  // g t, g d; g l for sales (the pipeline is in the menu); n does nothing on a screen without "new"
  await focusPage(page);
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await page.waitForFunction(() => location.pathname === '/tasks');
  if (await page.locator('nav a[data-nav=pipeline]').count()) {
    await focusPage(page);
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.waitForFunction(() => location.pathname === '/pipeline');
  }
  await focusPage(page);
  await page.keyboard.press('g');
  await page.keyboard.press('d');
  await page.waitForSelector('.kpis');
  assert.equal(new URL(page.url()).pathname, '/');
  await focusPage(page);
  await page.keyboard.press('n');
  await sleep(200);
  assert.equal(await page.locator('dialog[open]').count(), 0);
  await context.close();
});

test('the help in English, at phone width too; hr-assistent (read only) gets no new-party dialog from n', T, async () => {
  const { context, page } = await session('hr-assistent', { locale: 'en-GB', width: 390 });
  await go(page, '/parties');
  await page.waitForSelector('h1#page-title:text-is("Parties")');
  assert.equal(await page.locator('#new-party').count(), 0);
  await focusPage(page);
  await page.keyboard.press('n');
  await sleep(200);
  assert.equal(await page.locator('dialog[open]').count(), 0);
  // g c: tickets are not in hr-assistent's menu, so nothing happens
  const before = new URL(page.url()).pathname;
  if (!(await page.locator('nav a[data-nav=cases]').count())) {
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await sleep(200);
    assert.equal(new URL(page.url()).pathname, before);
  }
  await page.keyboard.press('?');
  const dlg = page.locator('dialog[open]');
  await dlg.locator('#keys-help').waitFor();
  assert.equal(await dlg.locator('h2').textContent(), 'Keyboard shortcuts and search');
  const text = await dlg.textContent();
  for (const w of ['role:customer', 'rol:klant', 'Go to the search box', 'My day']) assert.ok(text.includes(w), `the help names ${w}`);
  await shots(page, 'keys-help-en');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog', { state: 'detached' });
  await context.close();
});

test('the manifest, its icons and the service worker load; offline the offline page shows', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  const href = await page.getAttribute('link[rel=manifest]', 'href');
  assert.equal(href, '/manifest.webmanifest');
  const r = await page.request.get(`${BASE}${href}`);
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /^application\/manifest\+json/);
  const m = await r.json();
  assert.equal(m.display, 'standalone');
  assert.equal(m.start_url, '/');
  assert.ok(m.theme_color);
  const sizes = m.icons.map((i) => i.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512') && sizes.includes('any'), sizes.join());
  for (const icon of m.icons) {
    const ir = await page.request.get(`${BASE}${icon.src}`);
    assert.equal(ir.status(), 200, icon.src);
    assert.equal(ir.headers()['content-type'], icon.type, icon.src);
    if (icon.type === 'image/png') {
      const png = await ir.body();
      const [w, h] = icon.sizes.split('x').map(Number);
      assert.equal(png.readUInt32BE(16), w, `${icon.src} width`);
      assert.equal(png.readUInt32BE(20), h, `${icon.src} height`);
    }
  }
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, `${BASE}/`);
  // the worker is in charge of the page once it has claimed it
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);

  await context.setOffline(true);
  try {
    await page.goto(`${BASE}/parties`);
    await page.waitForSelector('#offline-title');
    assert.equal(await page.textContent('#offline-title'), 'Je bent offline');
    assert.ok((await page.textContent('#offline')).includes('You are offline'));
    // styled from the cache: the card has its border
    assert.notEqual(await page.$eval('#offline', (el) => getComputedStyle(el).borderTopStyle), 'none');
    await shots(page, 'offline');
  } finally {
    await context.setOffline(false);
  }
  // back online the app comes back, and API answers were never cached
  await page.goto(`${BASE}/parties`);
  await page.waitForSelector('table.list tbody tr');
  const cached = await page.evaluate(async () => {
    const out = [];
    for (const key of await caches.keys()) {
      for (const req of await (await caches.open(key)).keys()) out.push(new URL(req.url).pathname);
    }
    return out;
  });
  assert.ok(cached.includes('/offline.html') && cached.includes('/app.css'), cached.join());
  assert.deepEqual(cached.filter((p) => p.startsWith('/api/')), []);
  await context.close();
});

test('print: no header, menu, search or buttons; the content and link texts stay', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  await go(page, '/parties');
  await page.waitForSelector('table.list tbody tr a');
  await page.emulateMedia({ media: 'print' });
  const shown = (sel) => page.$eval(sel, (el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0);
  assert.equal(await shown('header.topbar'), false);
  assert.equal(await shown('#nav'), false);
  assert.equal(await shown('#new-party'), false);
  assert.equal(await shown('h1#page-title'), true);
  assert.equal(await shown('table.list tbody tr a'), true);
  assert.equal(await page.$eval('table.list tbody tr a', (a) => getComputedStyle(a).textDecorationLine), 'none');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await shown('header.topbar'), true);
  await context.close();
});

test('long words wrap at their boundaries, a long e-mail address still fits at 390 px', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL', width: 390 });
  const name = `Gemeentelijke Gezondheidsdienst Hollands-Midden ${RUN}`;
  const email = `aanvragen.informatieverzoeken.${RUN}@gemeentelijkegezondheidsdiensthollandsmidden.example.nl`;
  const p = await api(page, 'POST', '/parties', { kind: 'organization', name, emails: [{ label: 'work', value: email }], roles: [{ type: 'customer' }] });
  await go(page, `/parties/${p.id}`);
  await page.waitForSelector(`h1#page-title:text-is(${JSON.stringify(name)})`);
  await page.waitForSelector(`a[href="mailto:${email}"]`);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `${over}px of horizontal scrolling at 390 px`);
  const mail = await page.$eval(`a[href="mailto:${email}"]`, (a) => a.getBoundingClientRect().right);
  assert.ok(mail <= 390, `the e-mail address ends at ${mail}px`);
  // every word of the heading lies on one line (a word broken in two has two boxes)
  const broken = await page.$eval('h1#page-title', (h1) => {
    const text = h1.firstChild;
    const out = [];
    const re = /\S+/g;
    let m;
    while ((m = re.exec(text.data))) {
      const r = document.createRange();
      r.setStart(text, m.index);
      r.setEnd(text, m.index + m[0].length);
      const lines = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
      if (lines.size > 1) out.push(m[0]);
    }
    return out;
  });
  assert.deepEqual(broken, []);
  // the party list at a tablet width: names in the table break between words only
  await page.setViewportSize({ width: 800, height: 900 });
  await go(page, `/parties?q=${encodeURIComponent(`"${RUN}"`)}`);
  const cell = page.locator(`table.list td a:text-is(${JSON.stringify(name)})`);
  await cell.waitFor();
  assert.equal(await cell.evaluate((a) => getComputedStyle(a.closest('td')).overflowWrap), 'break-word');
  await context.close();
});

test('no console errors or unexpected HTTP errors', () => assertClean());
