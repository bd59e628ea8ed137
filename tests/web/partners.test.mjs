// Browser tests of partners (PRM): the partners user (partners write, sales
// read) in Dutch makes a partner of their own and a customer, opens the
// partner's page and registers a deal for the partner from its panel (the
// partner is filled in; the deal shows in the partner's pipeline). The
// administrator in English on a phone wins it, reads the commission
// statement of the partner for this year (the line, its 10 % and the
// totals), and gets a mistyped period answered next to the period box.
// Back in Dutch the partners user approves the line (no "paid" button:
// that needs partners full), evaluates the tiers and accepts the proposal
// that moves the partner up. verkoop (partners read) sees the statement
// without approve buttons. Screenshots of the panel, the statement and the
// proposals at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, RUN, session, go, api, allow, shots, close, assertClean } from './lib.mjs';

const NBSP = /[\u00a0\u202f]/g;
const text = async (page, sel) => ((await page.textContent(sel)) || '').replace(NBSP, ' ');
const state = {};

after(async () => {
  await close();
});

test('the partners user registers a deal for their partner from the partner panel', T, async () => {
  const { context, page } = await session('partners', { locale: 'nl-NL' });
  const partner = await api(page, 'POST', '/parties', {
    kind: 'organization', legal_name: `Partnerbureau ${RUN} BV`,
    roles: [{ type: 'partner', status: 'active', attributes: { tier: 'bronze', commission_pct: 10 } }],
  });
  const customer = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Klaas', family_name: `Klant${RUN}` });
  state.partner = partner;
  state.customer = customer;
  await go(page, `/parties/${partner.id}`);
  await page.waitForSelector('#partner-panel #partner-register-deal');
  assert.match(await text(page, '#partner-panel'), /Nog geen deals via deze partner/);
  assert.match(await text(page, '#partner-tier'), /Brons/);

  await page.click('#partner-register-deal');
  await page.waitForSelector('#deal-form');
  assert.equal(await page.inputValue('#deal-partner-search'), partner.name, 'the partner is filled in');
  await page.fill('#deal-party-search', `Klant${RUN}`);
  await page.waitForSelector(`#deal-party option[value="${customer.id}"]`, { state: 'attached' });
  await page.fill('#deal-title', `Warmtepomp ${RUN}`);
  await page.fill('#deal-amount', '30.000,00');
  await page.click('#deal-form button[type=submit]');
  await page.waitForSelector('#deal-form', { state: 'detached' });
  await page.waitForSelector(`#partner-deals li:has-text("Warmtepomp ${RUN}")`);
  assert.match(await text(page, '#partner-deals'), /€ 30\.000,00/);
  const deals = await api(page, 'GET', `/parties/${partner.id}/partner`);
  assert.equal(deals.deals.length, 1);
  assert.equal(deals.deals[0].amount, 3000000, 'typed euros arrive as cents');
  state.deal = deals.deals[0].id;
  await shots(page, 'partner-panel');
  await context.close();
});

test('the administrator reads the commission statement in English on a phone', T, async () => {
  const { context, page } = await session(undefined, { locale: 'en-GB', width: 390 });
  await api(page, 'PATCH', `/deals/${state.deal}`, { status: 'won' });
  const year = String(new Date().getFullYear());
  await go(page, `/commissions?partner=${state.partner.id}&period=${year}`);
  await page.waitForSelector(`#commission-lines article:has-text("Warmtepomp ${RUN}")`);
  const line = await text(page, '#commission-lines');
  assert.match(line, /€\s?3,000\.00/);
  assert.match(line, /10%/);
  assert.match(line, /open/);
  assert.match(await text(page, '#commission-totals'), /Total \(1\)/);
  assert.match(await text(page, '#commission-statement'), /Statement/);
  assert.equal(await page.getAttribute('#commission-csv', 'href'), `/api/v1/commissions.csv?partner=${state.partner.id}&period=${year}`);
  // the statement as PDF for this partner and period, next to the CSV
  assert.equal(await page.getAttribute('#commission-pdf', 'href'), `/api/v1/commissions.pdf?partner=${state.partner.id}&period=${year}`);
  assert.equal(await text(page, '#commission-pdf'), 'PDF');
  await shots(page, 'commissions');

  // a mistyped period is answered next to its box
  await allow(400, /\/api\/v1\/commissions/, async () => {
    await page.fill('#commission-period', `${year}-Q5`);
    await page.click('#commission-filter button[type=submit]');
    await page.waitForSelector('#commission-period-error:not([hidden])');
  });
  assert.match(await page.textContent('#commission-period-error'), /quarter/);
  await context.close();
});

test('the administrator changes a tier\'s default commission in its dialog (EN, 1280)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'en-GB' });
  const before = (await api(page, 'GET', '/partner-tiers')).items.find((l) => l.tier === 'strategic');
  await go(page, '/commissions');
  await page.waitForSelector('#tier-edit-strategic');
  await page.click('#tier-edit-strategic');
  await page.waitForSelector('#tier-form');
  // a percentage above 100 is answered next to its box
  await page.fill('#tier-pct', '150');
  await allow(422, /partner-tiers/, async () => {
    await page.click('#tier-form button[type=submit]');
    await page.waitForSelector('#tier-form [data-field=commission_pct] ~ .field-error:not([hidden]), #tier-pct-error:not([hidden])');
  });
  const pct = before.commission_pct + 1.5;
  await page.fill('#tier-pct', String(pct));
  await shots(page, 'partner-tier-edit');
  await page.click('#tier-form button[type=submit]');
  await page.waitForSelector('#tier-form', { state: 'detached' });
  await page.waitForFunction((v) => (document.querySelector('#tier-levels tr[data-tier=strategic]')?.textContent || '').includes(v), `${pct}%`);
  const after = (await api(page, 'GET', '/partner-tiers')).items.find((l) => l.tier === 'strategic');
  assert.equal(after.commission_pct, pct);
  // back as it was, for the other steps and files
  await api(page, 'PATCH', `/partner-tiers/${after.id}`, { commission_pct: before.commission_pct });
  await context.close();

  // partners (no admin) sees the thresholds without edit buttons
  const p = await session('partners', { locale: 'nl-NL', width: 390 });
  await go(p.page, '/commissions');
  await p.page.waitForSelector('#tier-levels tr[data-tier=gold]');
  assert.equal(await p.page.locator('#tier-levels button').count(), 0);
  await shots(p.page, 'partner-tiers-phone');
  await p.context.close();
});

test('the partners user approves the line and accepts the tier proposal; verkoop only reads', T, async () => {
  const { context, page } = await session('partners', { locale: 'nl-NL' });
  await go(page, `/commissions?partner=${state.partner.id}&period=`);
  await page.waitForSelector('#commission-lines article');
  const st = await api(page, 'GET', `/commissions?partner=${state.partner.id}`);
  const id = st.items[0].id;
  assert.equal(await page.locator(`#commission-pay-${id}`).count(), 0, 'paying needs partners full');
  await page.click(`#commission-approve-${id}`);
  await page.waitForSelector(`#commission-lines article[data-id="${id}"].comm-approved`);
  assert.match(await text(page, `#commission-lines article[data-id="${id}"]`), /goedgekeurd/);

  // the tiers: 30.000 euro over 12 months earns silver
  await page.click('#tiers-evaluate');
  await page.waitForSelector('#tier-proposals article');
  await go(page, `/parties/${state.partner.id}`);
  await page.waitForSelector('#partner-panel .tier-proposal');
  assert.match(await text(page, '#partner-panel .tier-proposal'), /omhoog van Brons naar Zilver/);
  const props = await api(page, 'GET', `/tier-proposals?status=pending&party=${state.partner.id}`);
  await shots(page, 'partner-proposal');
  await page.click(`#proposal-accepted-${props.items[0].id}`);
  await page.waitForFunction(() => /Zilver/.test(document.querySelector('#partner-tier')?.textContent || ''));
  await context.close();

  const v = await session('verkoop', { locale: 'nl-NL' });
  await go(v.page, `/commissions?partner=${state.partner.id}&period=`);
  await v.page.waitForSelector('#commission-lines article');
  assert.equal(await v.page.locator('#commission-lines button').count(), 0, 'no status buttons for partners read');
  assert.equal(await v.page.locator('#tiers-evaluate').count(), 0);
  await v.context.close();
  assertClean();
});
