// Browser tests of lists that tell the truth: the party list sorted by the
// server over more than one page (column header and, on a phone, the sort
// select), its total, "load more" to the last row; a saved view keeps query
// and sort and opens again from the view picker; bulk tagging with a summary
// that shows what the server refused; a Dutch query; dashboard numbers equal
// the totals of the lists they open; "Mijn dag" reaches every task. Dutch and
// English, 1280 and 390 px. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, allow, shots, close, assertClean, RUN, T } from './lib.mjs';

const TAG = `l${RUN}`;
const MIXED = `m${RUN}`;
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];
const N = 60;

after(async () => {
  await close();
});

const num = (text) => Number(String(text).replace(/[^\d]/g, ''));

async function rowCities(page) {
  return page.$$eval('#party-table tbody tr td.c-city', (tds) => tds.map((td) => td.textContent.trim()));
}

async function rowCount(page) {
  return page.$$eval('#party-table tbody tr[data-party]', (trs) => trs.length);
}

test('party list: server sort by city over two pages, total, saved view, bulk tag (nl, 1280)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'nl-NL', width: 1280 });
  for (let i = 0; i < N; i++) {
    await api(page, 'POST', '/parties?force=true', {
      kind: 'person', given_name: 'Lijst', family_name: `Proef ${RUN} ${String((i * 37) % N).padStart(2, '0')}`,
      tags: [TAG], addresses: [{ city: `Lijststad ${LETTERS[i % LETTERS.length]}${RUN}`, country: 'NL' }],
    });
  }
  await go(page, `/parties?q=${encodeURIComponent(`tag:${TAG}`)}`);
  await page.waitForFunction(() => /60 relaties/.test(document.getElementById('list-count')?.textContent || ''));
  assert.equal(await rowCount(page), 50, 'one page of 50');

  // sort by city: the server orders, page one again
  await page.click('#sort-city');
  await page.waitForSelector('th[data-col=city][aria-sort=ascending]');
  await page.waitForFunction((first) => document.querySelector('#party-table tbody td.c-city')?.textContent === first,
    `Lijststad A${RUN}`);
  assert.match(page.url(), /sort=city/);
  await page.click('#list-more');
  await page.waitForFunction((n) => document.querySelectorAll('#party-table tbody tr[data-party]').length === n, N);
  assert.equal(await page.isHidden('#list-more'), true, 'no more pages after the last row');
  const cities = await rowCities(page);
  assert.deepEqual(cities, [...cities].sort(), 'cities ascending over both pages');
  const ids = await page.$$eval('#party-table tbody tr[data-party]', (trs) => trs.map((tr) => tr.dataset.party));
  assert.equal(new Set(ids).size, N, 'every party exactly once');

  await page.click('#sort-city');
  await page.waitForSelector('th[data-col=city][aria-sort=descending]');
  await page.waitForFunction((first) => document.querySelector('#party-table tbody td.c-city')?.textContent === first,
    `Lijststad F${RUN}`);
  await shots(page, 'lists-parties', () => page.waitForSelector('#party-table tbody tr[data-party]'));

  // save the query and sort as a view; it opens sorted, and again from the picker
  await page.click('#save-segment');
  await page.fill('#seg-name', `Weergave ${RUN}`);
  await page.click('#segment-form button[type=submit]');
  await page.waitForURL(/segment=\d+/);
  const segId = new URL(page.url()).searchParams.get('segment');
  await page.waitForSelector('th[data-col=city][aria-sort=descending]');
  await page.waitForFunction(() => /60 relaties/.test(document.getElementById('list-count')?.textContent || ''));
  const seg = await api(page, 'GET', `/segments/${segId}`);
  assert.equal(seg.query, `tag:${TAG}`);
  assert.equal(seg.sort, '-city');
  await go(page, '/parties');
  await page.waitForSelector('#segment-pick');
  await page.selectOption('#segment-pick', { label: `Weergave ${RUN}` });
  await page.waitForURL(new RegExp(`segment=${segId}`));
  await page.waitForFunction((first) => document.querySelector('#party-table tbody td.c-city')?.textContent === first,
    `Lijststad F${RUN}`);
  assert.equal(await page.getAttribute('th[data-col=city]', 'aria-sort'), 'descending');

  // bulk: tag two rows, the summary counts them
  const boxes = await page.$$('#party-table tbody input.row-select');
  await boxes[0].check();
  await boxes[1].check();
  await page.waitForFunction(() => /2 geselecteerd/.test(document.getElementById('bulk-count')?.textContent || ''));
  await page.click('#bulk-tag');
  await page.fill('#bulk-tag-input', `b${RUN}`);
  await page.click('#bulk-form button[type=submit]');
  await page.waitForSelector('#bulk-summary');
  assert.match(await page.textContent('#bulk-summary'), /2 gelukt, 0 geweigerd/);
  const tagged = await api(page, 'GET', `/parties?q=${encodeURIComponent(`tag:b${RUN}`)}`);
  assert.equal(tagged.total, 2);
  await page.click('#bulk-summary button.primary');

  // delete the view (its owner may)
  await page.click('#delete-segment');
  await page.click('#delete-segment-form button[type=submit]');
  await page.waitForURL((u) => !/segment=/.test(u.toString()));
  await context.close();
});

test('a Dutch query lists what the API counts (nl)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'nl-NL', width: 1280 });
  const qtext = 'rol:klant plaats:Utrecht';
  const want = await api(page, 'GET', `/parties?q=${encodeURIComponent(qtext)}&limit=1`);
  assert.ok(want.total > 0, 'the demo has customers in Utrecht');
  await go(page, `/parties?q=${encodeURIComponent(qtext)}`);
  await page.waitForFunction((n) => (document.getElementById('list-count')?.textContent || '').startsWith(`${n} relaties`), want.total);
  const cities = await rowCities(page);
  assert.ok(cities.length > 0 && cities.every((c) => c === 'Utrecht'), cities.join(', '));
  await context.close();
});

test('dashboard numbers are the totals of the lists they open (en, verkoop)', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 1280 });
  await page.waitForSelector('#kpi-parties');
  const parties = num(await page.textContent('#kpi-parties .kpi-value'));
  await page.waitForSelector('.chart-roles a[href="/parties?q=role%3Acustomer"]');
  const customers = num(await page.$eval('.chart-roles a[href="/parties?q=role%3Acustomer"]',
    (a) => a.closest('li').querySelector('.bar-value').textContent));
  await shots(page, 'lists-dashboard', () => page.waitForSelector('#kpi-parties'));

  await page.click('#kpi-parties');
  await page.waitForFunction(() => /parties/.test(document.getElementById('list-count')?.textContent || ''));
  assert.equal(num((await page.textContent('#list-count')).split('\u00b7')[0]), parties, 'dashboard = list total');
  await go(page, '/');
  await page.click('.chart-roles a[href="/parties?q=role%3Acustomer"]');
  await page.waitForFunction(() => /parties/.test(document.getElementById('list-count')?.textContent || ''));
  assert.equal(num((await page.textContent('#list-count')).split('\u00b7')[0]), customers, 'customers bar = list total');
  const api56 = await api(page, 'GET', '/parties?q=role%3Acustomer&limit=1');
  assert.equal(api56.total, customers);
  await context.close();
});

test('Mijn dag reaches every task, with the count per group (nl)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'nl-NL', width: 1280 });
  const me = (await api(page, 'GET', '/session')).user.id;
  const party = await api(page, 'POST', '/parties?force=true', { kind: 'organization', legal_name: `Takenproef ${RUN} B.V.` });
  for (let i = 0; i < 55; i++) {
    await api(page, 'POST', '/activities', {
      type: 'task', domain: 'sales', subject: `Bellen ${RUN} ${i}`, due: `2026-0${1 + (i % 9)}-1${i % 10}`,
      assignee: me, parties: [party.id],
    });
  }
  await go(page, '/tasks');
  await page.waitForSelector('#tg-overdue');
  const count = num(await page.textContent('#tg-overdue .count'));
  assert.ok(count >= 55, `overdue count ${count}`);
  assert.match(await page.textContent('#tasks-total'), /open taken/);
  while (await page.isVisible('#tg-overdue-more')) {
    const before = await page.$$eval('section.tg-overdue li.task', (l) => l.length);
    await page.click('#tg-overdue-more');
    await page.waitForFunction((b) => document.querySelectorAll('section.tg-overdue li.task').length > b, before);
  }
  assert.equal(await page.$$eval('section.tg-overdue li.task', (l) => l.length), count, 'every overdue task is listed');
  await shots(page, 'lists-tasks', () => page.waitForSelector('#tg-overdue'));
  await context.close();
});

test('bulk action refusals are shown; the phone sorts with the select (en, 390, verkoop)', T, async () => {
  const admin = await session(undefined, { locale: 'en-GB', width: 1280 });
  await api(admin.page, 'POST', '/parties?force=true', { kind: 'person', family_name: `Klantrij ${RUN}`, tags: [MIXED], roles: [{ type: 'customer' }], addresses: [{ city: 'Arnhem', country: 'NL' }] });
  await api(admin.page, 'POST', '/parties?force=true', { kind: 'person', family_name: `Personeelrij ${RUN}`, tags: [MIXED], roles: [{ type: 'employee' }], addresses: [{ city: 'Zwolle', country: 'NL' }] });
  await admin.context.close();

  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  await go(page, `/parties?q=${encodeURIComponent(`tag:${MIXED}`)}`);
  await page.waitForFunction(() => /^2 parties/.test(document.getElementById('list-count')?.textContent || ''));
  await page.selectOption('#sort-pick', '-city');
  await page.waitForFunction(() => document.querySelector('#party-table tbody td.c-city')?.textContent === 'Zwolle');
  await page.selectOption('#sort-pick', 'city');
  await page.waitForFunction(() => document.querySelector('#party-table tbody td.c-city')?.textContent === 'Arnhem');
  await page.check('#select-page');
  await page.waitForFunction(() => /2 selected/.test(document.getElementById('bulk-count')?.textContent || ''));
  await page.click('#bulk-tag');
  await page.fill('#bulk-tag-input', `r${RUN}`);
  await allow(403, /\/api\/v1\/parties\/\d+$/, async () => {
    await page.click('#bulk-form button[type=submit]');
    await page.waitForSelector('#bulk-summary');
  });
  assert.match(await page.textContent('#bulk-summary'), /1 succeeded, 1 refused/);
  assert.match(await page.textContent('#bulk-summary .bulk-refused'), new RegExp(`Personeelrij ${RUN}`));
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `${over}px of horizontal scrolling`);
  await context.close();
});

test('no console errors', () => {
  assertClean();
});
