// Browser tests of deals: verkoop (sales write) in Dutch creates a party
// through the API, opens its page and creates a deal of "12.500,00" in the
// new-deal dialog (a mistyped amount is answered next to the field, in
// Dutch), sees "€ 12.500,00" on the party page and the board, opens the
// deal page from the board card, marks it won, and sees the won deal still
// on the party page and the win in the deal's history. A second deal made
// from the board with an expected close next month shows in the forecast's
// amounts; a move on the board shows at once and "undo" moves it back; a
// deal made by mistake is deleted from its page.
// inkoop (sales read) gets no "new deal" button, hr-assistent no pipeline or
// forecast in the menu; once in English. Screenshots of the deal page, the
// dialog and the forecast at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, RUN, session, go, api, allow, shots, close, assertClean } from './lib.mjs';

const NBSP = /[\u00a0\u202f]/g;
const text = async (page, sel) => ((await page.textContent(sel)) || '').replace(NBSP, ' ');
const nextMonth = () => {
  const d = new Date();
  const n = new Date(d.getFullYear(), d.getMonth() + 1, 15);
  const p = (x) => String(x).padStart(2, '0');
  return { month: `${n.getFullYear()}-${p(n.getMonth() + 1)}`, date: `${n.getFullYear()}-${p(n.getMonth() + 1)}-15` };
};
const euros = (cents) => new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(NBSP, ' ');

const state = {};

after(async () => {
  await close();
});

test('verkoop creates a deal on the party page, wins it on the deal page, and it stays in sight', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  const party = await api(page, 'POST', '/parties', { kind: 'organization', legal_name: `Dealhuis ${RUN} BV`, roles: [{ type: 'customer' }] });
  state.party = party;
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#party-deals #party-new-deal');
  assert.match(await text(page, '#party-deals'), /Nog geen deals/);

  await page.click('#party-new-deal');
  await page.waitForSelector('#deal-form');
  // the party is preset
  assert.equal(await page.inputValue('#deal-party-search'), party.name);
  await page.fill('#deal-title', `Vloeren ${RUN}`);
  await page.fill('#deal-amount', '12,5,0x');
  await page.click('#deal-form button[type=submit]');
  await page.waitForSelector('#deal-amount-error:not([hidden])');
  assert.match(await page.textContent('#deal-amount-error'), /Geen bedrag/);
  assert.equal(await page.getAttribute('#deal-amount', 'aria-invalid'), 'true');
  await page.fill('#deal-amount', '12.500,00');
  assert.equal(await page.isHidden('#deal-amount-error'), true, 'a corrected amount loses its error');
  await shots(page, 'deal-dialog');
  await page.click('#deal-form button[type=submit]');
  await page.waitForSelector('#deal-form', { state: 'detached' });
  await page.waitForSelector(`#party-deals li.deal-row-open:has-text("Vloeren ${RUN}")`);
  assert.match(await text(page, '#party-deals'), /€ 12\.500,00/);
  const deals = await api(page, 'GET', `/deals?party=${party.id}`);
  assert.equal(deals.items.length, 1);
  const deal = deals.items[0];
  assert.equal(deal.amount, 1250000, 'typed euros arrive as cents');
  state.deal = deal;

  // the board shows the card with the amount and links to the deal page
  await go(page, `/pipeline?pipeline=${deal.pipeline}`);
  const card = page.locator(`#board article[data-deal="${deal.id}"]`);
  await card.waitFor();
  assert.match(((await card.textContent()) || '').replace(NBSP, ' '), /€ 12\.500,00/);
  await card.locator(`a[href="/deals/${deal.id}"]`).click();
  await page.waitForSelector('#deal-props');
  assert.equal(new URL(page.url()).pathname, `/deals/${deal.id}`);
  assert.equal((await page.textContent('#page-title')).trim(), `Vloeren ${RUN}`);
  assert.match(await text(page, '#deal-amount-value'), /€ 12\.500,00/);
  assert.equal(await page.locator('#deal-history li').count(), 1);
  await shots(page, 'deal-page');

  // change it (the dialog sends If-Match), and a note on the deal
  await page.click('#deal-edit');
  await page.waitForSelector('#deal-form');
  assert.equal(await page.inputValue('#deal-amount'), '12.500,00');
  await page.fill('#deal-probability', '60');
  await page.click('#deal-form button[type=submit]');
  await page.waitForSelector('#deal-form', { state: 'detached' });
  await page.waitForFunction(() => /60%/.test(document.getElementById('deal-props').textContent));
  assert.match(await text(page, '#deal-props'), /€ 7\.500,00/, 'weighted follows the probability');
  await page.click('#deal-add-activity');
  await page.waitForSelector('#deal-act-form');
  await page.selectOption('#deal-act-type', 'call');
  await page.fill('#deal-act-subject', `Prijs besproken ${RUN}`);
  await page.click('#deal-act-form button[type=submit]');
  await page.waitForSelector(`#deal-activities li:has-text("Prijs besproken ${RUN}")`);
  assert.match(await page.textContent('#deal-activities li'), /Telefoongesprek/);

  // won: the status, the history and the party page follow
  const pipeline = await api(page, 'GET', `/pipelines/${deal.pipeline}`);
  const wonStage = pipeline.stages.find((s) => s.kind === 'won');
  await page.click('#deal-won');
  await page.waitForSelector('#deal-reopen');
  assert.match(await page.textContent('.head-meta .chip'), /Gewonnen/);
  await page.waitForFunction(() => document.querySelectorAll('#deal-history li').length === 2);
  const latest = await page.textContent('#deal-history li:first-child');
  assert.ok(latest.includes(`→ ${wonStage.name}`), `history shows the win: ${latest}`);
  assert.ok(latest.includes('verkoop') || /Verkoop/i.test(latest), `history names who: ${latest}`);
  await page.click('#deal-party-link');
  await page.waitForSelector(`#party-deals li.deal-row-won[data-deal="${deal.id}"]`);
  const row = await text(page, `#party-deals li[data-deal="${deal.id}"]`);
  assert.match(row, /Gewonnen/);
  assert.match(row, /€ 12\.500,00/);
  await shots(page, 'party-deals');
  await context.close();
});

test('a second deal from the board shows in the forecast; a board move can be undone', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  const nm = nextMonth();
  const before = await api(page, 'GET', '/forecast');
  const beforeMonth = (before.months || []).find((m) => m.month === nm.month) || { amount: 0, count: 0 };

  await go(page, '/pipeline');
  await page.waitForSelector('#new-deal');
  await page.waitForSelector('#board article');
  await page.keyboard.press('n'); // the board's "new" key opens the new-deal dialog
  await page.waitForSelector('#deal-form');
  await page.fill('#deal-party-search', `Dealhuis ${RUN}`);
  await page.waitForSelector(`#deal-party option[value="${state.party.id}"]`);
  await page.fill('#deal-title', `Onderhoud ${RUN}`);
  await page.fill('#deal-amount', '3.000');
  await page.fill('#deal-close', nm.date);
  await page.click('#deal-form button[type=submit]');
  await page.waitForSelector('#deal-form', { state: 'detached' });
  const card = page.locator('#board article', { hasText: `Onderhoud ${RUN}` });
  await card.waitFor();
  assert.match(((await card.textContent()) || '').replace(NBSP, ' '), /€ 3\.000,00/);
  const id = Number(await card.getAttribute('data-deal'));

  // move to the next open stage: at once, and "undo" moves it back
  const startStage = await card.evaluate((el) => el.closest('section.stage').dataset.stage);
  const target = await card.locator('select.move-select option').evaluateAll((os, cur) => {
    const i = os.findIndex((o) => o.value === cur);
    return os[i + 1]?.value;
  }, startStage);
  await card.locator('select.move-select').selectOption(target);
  await page.waitForSelector(`#board section.stage[data-stage="${target}"] article[data-deal="${id}"]`);
  await page.click('#undo-move');
  await page.waitForSelector(`#board section.stage[data-stage="${startStage}"] article[data-deal="${id}"]`);
  const back = await api(page, 'GET', `/deals/${id}`);
  assert.equal(String(back.stage), startStage, 'undo put the deal back in its stage');

  // the forecast: next month's row grew by the new deal
  await page.click('#to-forecast');
  await page.waitForSelector('#forecast-months');
  const rowText = await text(page, `#forecast-months tr[data-key="${nm.month}"]`);
  assert.ok(rowText.includes(euros(beforeMonth.amount + 300000)), `forecast row ${rowText} has ${euros(beforeMonth.amount + 300000)}`);
  assert.ok(rowText.includes(String(beforeMonth.count + 1)));
  assert.ok(await page.locator('#forecast svg.col-svg').count() === 1, 'a chart');
  await shots(page, 'forecast');

  // a deal made by mistake is deleted from its page, and gone from the party page
  const oops = await api(page, 'POST', '/deals', { party: state.party.id, title: `Vergissing ${RUN}` });
  await go(page, `/deals/${oops.id}`);
  await page.click('#deal-delete');
  await page.waitForSelector('#deal-delete-form');
  await page.click('#deal-delete-form button[type=submit]');
  await page.waitForURL(new RegExp(`/parties/${state.party.id}$`));
  await page.waitForSelector(`#party-deals li[data-deal="${id}"]`);
  assert.equal(await page.locator(`#party-deals li[data-deal="${oops.id}"]`).count(), 0);
  await allow(404, /\/api\/v1\/deals\//, async () => {
    await assert.rejects(api(page, 'GET', `/deals/${oops.id}`));
  });
  await context.close();
});

test('inkoop (sales read) sees deals but no "new deal"; hr-assistent has no pipeline or forecast', T, async () => {
  const { context, page } = await session('inkoop', { locale: 'nl-NL' });
  await go(page, `/parties/${state.party.id}`);
  await page.waitForSelector(`#party-deals li[data-deal="${state.deal.id}"]`);
  assert.equal(await page.locator('#party-new-deal').count(), 0);
  await go(page, `/deals/${state.deal.id}`);
  await page.waitForSelector('#deal-props');
  assert.equal(await page.locator('#deal-edit, #deal-reopen, #deal-delete, #deal-stage-select').count(), 0);
  await go(page, '/pipeline');
  await page.waitForSelector('#board article');
  assert.equal(await page.locator('#new-deal').count(), 0);
  const nav = await page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
  assert.ok(nav.includes('forecast'));
  await context.close();

  const hr = await session('hr-assistent', { locale: 'nl-NL' });
  const hrNav = await hr.page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
  assert.ok(!hrNav.includes('pipeline') && !hrNav.includes('forecast'), `menu: ${hrNav}`);
  await go(hr.page, '/forecast');
  await hr.page.waitForSelector('#no-access');
  await hr.context.close();
});

test('in English on a phone: the deal page and the forecast', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  await go(page, `/deals/${state.deal.id}`);
  await page.waitForSelector('#deal-props');
  assert.match(await page.textContent('.head-meta .chip'), /Won/);
  assert.match(await text(page, '#deal-amount-value'), /€12,500\.00/);
  assert.match(await page.textContent('#deal-history-title'), /History/);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, 'no horizontal scrolling');
  await go(page, '/forecast');
  await page.waitForSelector('#forecast-months');
  assert.equal((await page.textContent('#page-title')).trim(), 'Forecast');
  await shots(page, 'forecast-en');
  await context.close();
  assertClean();
});
