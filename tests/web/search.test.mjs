// Browser tests of the search finding what people remember: a customer is
// found by a word (and a prefix) of a note written about it, in the search
// box and in the party list, each with "gevonden in: notitie ‘…’" / "found
// in: note"; a word of an HR note finds nothing for verkoop (sales) and its
// text never reaches her page, while hr finds it. In Dutch and English, at
// 1280 and 390 px. Started by scripts/test-web.sh (XRM_WEB_URL, XRM_WEB_USER/
// XRM_WEB_PASSWORD).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RUN, T, session, go, api, shots, close, assertClean } from './lib.mjs';

const NAME = `Keukenhof ${RUN}`;
const WORD = `kr${RUN}renovatie`;
const PREFIX = `kr${RUN}reno`;
const HRWORD = `hr${RUN}verzuim`;
let party;

after(close);

async function search(page, text) {
  await page.fill('#search', text);
  await page.waitForSelector(`#search-results[data-q="${text}"]:not([hidden])`);
  return page.locator('#search-results');
}

test('set-up: a customer with a sales note and an HR note', T, async () => {
  const { context, page } = await session();
  party = await api(page, 'POST', '/parties', {
    kind: 'organization', name: NAME,
    roles: [{ type: 'customer' }],
  });
  assert.ok(party.id);
  await api(page, 'POST', '/activities', {
    type: 'note', domain: 'sales', subject: 'Bezoek showroom', parties: [party.id],
    body: `Mevrouw wil de ${WORD} van de achterkeuken nog dit jaar; offerte sturen na de bouwvak.`,
  });
  await api(page, 'POST', '/activities', {
    type: 'note', domain: 'hr', subject: 'Vertrouwelijk', parties: [party.id],
    body: `Contactpersoon meldt ${HRWORD}, niet delen met verkoop.`,
  });
  await context.close();
});

test('verkoop finds the customer by a word of its note, in Dutch, box and list', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL', width: 1280 });
  const list = await search(page, PREFIX);
  const opt = list.locator('.search-opt', { hasText: NAME });
  await opt.waitFor();
  const found = opt.locator('.found-in');
  assert.match(await found.innerText(), /^gevonden in: notitie/);
  assert.match(await found.locator('q').innerText(), new RegExp(WORD));
  await shots(page, 'search-found-nl', async () => {
    if (await page.locator('#search-results').isHidden()) await search(page, PREFIX);
  });
  // Enter opens the full list for the query; the row says where the word was found.
  await page.locator('#search').press('Enter');
  const row = page.locator('tbody tr', { hasText: NAME });
  await row.waitFor();
  assert.match(await row.locator('.found-in').innerText(), /gevonden in: notitie .*achterkeuken/);
  await shots(page, 'search-list-found-nl', () => row.waitFor());
  await context.close();
});

test('an HR note finds nothing for verkoop, and hr finds it', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL', width: 390 });
  const list = await search(page, HRWORD);
  await list.locator('.search-msg', { hasText: 'Niets gevonden' }).waitFor();
  assert.equal(await list.locator('.search-opt', { hasText: NAME }).count(), 0);
  // Found by its name, the customer shows nothing of the HR note.
  await go(page, `/parties?q=${encodeURIComponent(NAME)}`);
  const row = page.locator('tbody tr', { hasText: NAME });
  await row.waitFor();
  assert.equal(await row.locator('.found-in').count(), 0);
  assert.ok(!(await page.locator('main').innerText()).includes(HRWORD));
  await context.close();

  const hr = await session('hr', { locale: 'nl-NL', width: 1280 });
  const hrList = await search(hr.page, HRWORD);
  const opt = hrList.locator('.search-opt', { hasText: NAME });
  await opt.waitFor();
  assert.match(await opt.locator('.found-in').innerText(), new RegExp(`gevonden in: notitie .*${HRWORD}`));
  await hr.context.close();
});

test('in English on a phone: found in: note', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  const list = await search(page, WORD);
  const opt = list.locator('.search-opt', { hasText: NAME });
  await opt.waitFor();
  assert.match(await opt.locator('.found-in').innerText(), /^found in: note/);
  await shots(page, 'search-found-en', async () => {
    if (await page.locator('#search-results').isHidden()) await search(page, WORD);
  });
  await go(page, `/parties?q=${encodeURIComponent(WORD)}`);
  const row = page.locator('tbody tr', { hasText: NAME });
  await row.waitFor();
  assert.match(await row.locator('.found-in').innerText(), /found in: note/);
  await shots(page, 'search-list-found-en', () => row.waitFor());
  await context.close();
});

test('no console errors', () => assertClean());
