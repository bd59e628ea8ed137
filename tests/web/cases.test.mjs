// Browser tests of tickets and agreements. A gold partner who is also a
// customer (created through the API with this run's suffix) gets a ticket
// from verkoop through the new-ticket dialog with priority "automatic": the
// ticket page shows priority high, the 4-hour SLA with its reason (the
// treatment rule), and takes a reply, an assignment and closing, each in
// the conversation / history. The list is in urgency order (overdue first,
// then the SLA due, then priority). The partners user creates, edits,
// renews and ends a partner agreement (value in euros) on the agreements
// screen and sees it on the party page. hr-assistent cannot open a sales
// ticket and sees an hr ticket without edit controls. Once in English.
// Screenshots of the ticket page, the list and the agreement screens at
// 1280 and 390 px. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, allow, has, shots, assertClean, close, RUN, T, dayNL } from './lib.mjs';

const NAME = `Goudpartner Installatie ${RUN} B.V.`;
let party = null;
let plain = null;
const pages = [];

after(async () => {
  for (const s of pages) await s.context.close().catch(() => {});
  await close();
});

async function as(user, opts) {
  const s = await session(user, opts);
  pages.push(s);
  return s.page;
}

function hoursAgo(h) {
  return new Date(Date.now() - h * 36e5).toISOString().replace(/\.\d+Z$/, 'Z');
}

test('setup: a gold partner customer and a plain customer', T, async () => {
  assert.ok(await has('GET', '/cases'), 'the server has cases');
  const page = await as(undefined);
  party = await api(page, 'POST', '/parties', {
    kind: 'organization', name: NAME,
    roles: [{ type: 'customer', status: 'active' }, { type: 'partner', attributes: { tier: 'gold' } }],
  });
  assert.equal(party.treatment.sla_hours, 4);
  plain = await api(page, 'POST', '/parties', { kind: 'organization', name: `Gewone klant ${RUN} B.V.`, roles: [{ type: 'customer', status: 'active' }] });
});

test('verkoop opens a ticket: priority high from the treatment, 4 h SLA with its reason; reply, assign, close', T, async () => {
  const page = await as('verkoop');
  await go(page, '/cases');
  await page.click('#new-case');
  await page.fill('#case-party-search', NAME);
  await page.waitForSelector(`#case-party option:text("${NAME}")`, { state: 'attached' });
  await page.fill('#case-subject', `Storing warmtepomp ${RUN}`);
  assert.equal(await page.inputValue('#case-priority'), '', 'priority starts automatic');
  await page.waitForSelector('#case-treatment:text("Automatisch: prioriteit hoog. Reactie binnen 4 uur")');
  await page.click('#case-form button[type=submit]');
  // the toast tells the priority and SLA the treatment gave; the list links to the ticket
  await page.waitForSelector('#toast:has-text("Ticket geopend met prioriteit Hoog (4 uur: Strategische partner")');
  await page.click(`#case-list .case-link:text("Storing warmtepomp ${RUN}")`);
  await page.waitForSelector('#case-facts');
  assert.match(page.url(), /\/cases\/\d+$/);
  assert.equal((await page.textContent('#case-priority')).trim(), 'Hoog');
  assert.match(await page.textContent('#case-sla-reason'), /Waarom: 4 uur: Strategische partner \(behandelregel Strategic partner customer\)/);
  assert.match(await page.textContent('#case-sla-live'), /^nog [34] u \d+ min$/);
  assert.equal(await page.textContent('#case-party-link'), NAME);
  await shots(page, 'case-page');

  // reply: the first answer opens the ticket
  await page.fill('#case-reply', 'Onze monteur komt vandaag om 14:00.');
  await page.click('#case-reply-form button[type=submit]');
  await page.waitForSelector('#case-convo .msg:has-text("Onze monteur komt vandaag")');
  await page.waitForSelector('#case-status:text("Open")');
  // an internal note
  await page.fill('#case-reply', 'Klant is gold partner: extra aandacht.');
  await page.check('#case-internal');
  await page.click('#case-reply-form button[type=submit]');
  await page.waitForSelector('#case-convo .msg-note:has-text("extra aandacht")');

  // assign to verkoop herself
  await page.waitForSelector('#case-assignee-input option:text("Sanne de Wit (verkoop)")', { state: 'attached' });
  await page.selectOption('#case-assignee-input', { label: 'Sanne de Wit (verkoop)' });
  await page.click('#case-edit button[type=submit]');
  await page.waitForSelector('#case-assignee:text("Sanne de Wit (verkoop)")');
  await page.waitForSelector('#case-history li:has-text("Behandelaar: Niemand \u2192 Sanne de Wit (verkoop)")');

  // close
  await page.click('#case-close');
  await page.waitForSelector('#case-status:text("Gesloten")');
  await page.waitForSelector('#case-reopen');
  await page.waitForSelector('#case-history li:has-text("Status: Open \u2192 Gesloten")');
  assert.equal(await page.$('#case-sla-live'), null, 'no countdown on a closed ticket');
  await shots(page, 'case-page-worked');
});

test('the list is in urgency order: overdue first, then the SLA due, then priority', T, async () => {
  const admin = pages[0].page;
  const mk = (body) => api(admin, 'POST', '/cases', { party: plain.id, ...body });
  const low = await mk({ subject: `Laag ${RUN}`, priority: 'low' });
  const top = await mk({ subject: `Hoogste ${RUN}`, priority: 'top' });
  const normal = await mk({ subject: `Normaal ${RUN}` });
  const late = await mk({ subject: `Te laat ${RUN}`, opened_at: hoursAgo(30) });
  const page = await as('verkoop');
  await go(page, `/cases?q=${encodeURIComponent(`party:${plain.id}`)}`);
  await page.waitForSelector('#case-list [data-case]');
  const order = await page.$$eval('#case-list [data-case]', (els) => els.map((e) => Number(e.dataset.case)));
  assert.deepEqual(order, [late.id, top.id, normal.id, low.id]);
  assert.match(await page.textContent(`[data-case="${late.id}"]`), /te laat/);
  assert.match(await page.textContent(`[data-case="${normal.id}"]`), /Waarom: 24 uur: prioriteit normaal/);
  await go(page, '/cases');
  await page.waitForSelector('#case-list [data-case]');
  await shots(page, 'cases-list');
  // rows link to the ticket page
  await go(page, `/cases?q=${encodeURIComponent(`party:${plain.id}`)}`);
  await page.click(`[data-case="${top.id}"] .case-link`);
  await page.waitForSelector('#case-facts');
  assert.equal(await page.textContent('#page-title'), `Hoogste ${RUN}`);
});

test('partners creates, edits, renews and ends an agreement', T, async () => {
  const page = await as('partners');
  await go(page, '/agreements');
  await page.waitForSelector('#agreement-list');
  await page.click('#new-agreement');
  await page.fill('#agr-party-search', NAME);
  await page.waitForSelector(`#agr-party option:text("${NAME}")`, { state: 'attached' });
  assert.equal(await page.inputValue('#agr-kind'), 'partner_agreement');
  assert.equal(await page.inputValue('#agr-domain'), 'partners');
  await page.fill('#agr-title', `Partnerovereenkomst ${RUN}`);
  await page.fill('#agr-start', '2026-01-01');
  await page.fill('#agr-end', '2026-12-31');
  await page.fill('#agr-value', 'twaalf');
  await page.click('#agreement-form button[type=submit]');
  await page.waitForSelector('#agr-value[aria-invalid=true]');
  await page.fill('#agr-value', '12.500,50');
  await shots(page, 'agreement-dialog');
  await page.click('#agreement-form button[type=submit]');
  const card = `.agreement:has-text("Partnerovereenkomst ${RUN}")`;
  await page.waitForSelector(card);
  assert.match(await page.textContent(card), /€\s?12\.500,50/);
  const created = (await api(page, 'GET', `/agreements?party=${party.id}`)).items[0];
  assert.equal(created.value, 1250050, 'the value is sent in cents');

  // edit: notice period and value
  await page.click(`${card} .agr-edit`);
  assert.equal(await page.inputValue('#agr-value'), '12.500,50');
  await page.fill('#agr-notice', '60');
  await page.fill('#agr-value', '15000');
  await page.click('#agreement-form button[type=submit]');
  await page.waitForSelector(`${card}:has-text("15.000,00")`);
  // the notice date (end - 60 days) is already past, so it is not shown
  assert.doesNotMatch(await page.textContent(card), /opzeggen/);

  // renew: one term (12 months) further by default
  await page.click(`${card} .agr-renew`);
  assert.equal(await page.inputValue('#agr-renew-end'), '2027-12-31');
  await shots(page, 'agreement-renew');
  await page.click('#agreement-renew button[type=submit]');
  await page.waitForSelector(`${card}:has-text("31 dec 2027")`);
  await page.waitForSelector(`${card}:has-text("opzeggen vóór 1 nov 2027")`);
  await shots(page, 'agreements-list');

  // end today: the company's today, as the server counts it (Dutch time)
  const today = dayNL();
  await page.click(`${card} .agr-end`); /* the dialog proposes today (the browser's, Dutch) */
  await page.click('#agreement-end button[type=submit]');
  await page.waitForSelector(`#toast:has-text("Overeenkomst eindigt op")`);
  const ended = await api(page, 'GET', `/agreements/${created.id}`);
  assert.equal(ended.end, today);
  assert.equal(ended.auto_renew, false);

  // the party page shows it in its agreements panel
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector(`#agr-panel ${card}`);
  assert.match(await page.textContent(`#agr-panel ${card}`), /eindigt vandaag/);
  await shots(page, 'party-agreements');
});

test('hr-assistent: no sales ticket, an hr ticket without edit controls', T, async () => {
  const admin = pages[0].page;
  const sales = await api(admin, 'POST', '/cases', { party: plain.id, subject: `Verkoopvraag ${RUN}` });
  const hr = await api(admin, 'POST', '/cases', { party: plain.id, subject: `Personeelsvraag ${RUN}`, domain: 'hr' });
  const page = await as('hr-assistent');
  await go(page, `/cases?q=${encodeURIComponent(`party:${plain.id} status:active`)}`);
  await page.waitForSelector(`[data-case="${hr.id}"]`);
  assert.equal(await page.$(`[data-case="${sales.id}"]`), null, 'the sales ticket is not listed');
  assert.equal(await page.$('#new-case'), null);
  assert.equal(await page.$(`[data-case="${hr.id}"] select`), null, 'no status menu');
  await go(page, `/cases/${hr.id}`);
  await page.waitForSelector('#case-facts');
  for (const sel of ['#case-edit', '#case-reply-form', '#case-close']) assert.equal(await page.$(sel), null, `${sel} not offered`);
  await allow(404, new RegExp(`/api/v1/cases/${sales.id}$`), async () => {
    await go(page, `/cases/${sales.id}`);
    await page.waitForSelector('.error-box');
  });
  assert.equal(await page.$('#case-facts'), null);
  assert.equal(await page.textContent('body').then((s) => s.includes(`Verkoopvraag ${RUN}`)), false);
});

test('in English: the ticket page and the agreements screen', T, async () => {
  const admin = pages[0].page;
  const c = await api(admin, 'POST', '/cases', { party: party.id, subject: `Leaking roof ${RUN}` });
  const page = await as('verkoop', { locale: 'en-GB' });
  await go(page, `/cases/${c.id}`);
  await page.waitForSelector('#case-facts');
  assert.equal((await page.textContent('#case-priority')).trim(), 'High');
  assert.match(await page.textContent('#case-sla-reason'), /Why: 4 hours: Strategic partner \(treatment rule Strategic partner customer\)/);
  assert.match(await page.textContent('#case-sla-live'), /left/);
  await shots(page, 'case-page-en');
  await go(page, '/agreements?f=all');
  await page.waitForSelector('#agreement-list');
  assert.equal(await page.textContent('#page-title'), 'Agreements');
  assert.match(await page.textContent('#agreement-list'), /Partner agreement/);
  await shots(page, 'agreements-list-en');
  // the 'n' key opens "new agreement" for a user who may write somewhere
  await page.locator('#page-title').focus();
  await page.keyboard.press('n');
  await page.waitForSelector('#agreement-form');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#agreement-form', { state: 'detached' });
  assertClean();
});
