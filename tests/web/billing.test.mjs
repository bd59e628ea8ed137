// Browser tests of quotes and invoices. The administrator in English fills
// the company details (a mistyped IBAN is answered next to its box) and
// uploads a logo that shows as its preview. verkoop (sales write) in Dutch
// opens a deal of a customer of this run, makes a quote from the deal page,
// types lines at 21 %, 9 % and exempt (a discount, a decimal quantity) and
// sees the live totals per VAT rate; an empty line is answered next to its
// description box by the server; after saving, the server's totals stand.
// Sending shows the accept link; the customer opens it without an account
// (the public page at 390 px) and accepts, which wins the deal. verkoop
// makes the invoice from the accepted quote, issues it after the warning
// that it can no longer change, sees the preview (page 1 as PNG) and the PDF
// and UBL links, registers a partial and then the full payment (status
// paid). In English on a phone verkoop accepts a second quote in the app,
// reads the lists with their filters, the party's open items, the debtors
// with the accountant's export links and the revenue card, sends a reminder
// and credits the invoice (the credit note and the invoice link to each
// other). inkoop (sales read) reads them without controls; hr (no sales
// access) gets no menu entries, no data on /invoices and no request for
// any of it. Screenshots of every screen at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN, BASE, TZ, dayNL, session, go, api, allow, has, shots, close, assertClean, watch } from './lib.mjs';

const NBSP = /[\u00a0\u202f]/g;
const text = async (page, sel) => ((await page.textContent(sel)) || '').replace(NBSP, ' ');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const state = {};
const TT = { timeout: 300000 }; // the journey is long on a busy machine
// screenshots of the whole page from its top (the sticky header stays where it belongs)
const snap = async (page, name) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shots(page, name);
};

after(async () => {
  await close();
});

test('the administrator fills the company details and uploads the logo', TT, async () => {
  const { context, page } = await session(undefined, { locale: 'en-GB' });
  await go(page, '/admin/company');
  await page.waitForSelector('#company-form #company-legal-name');
  assert.equal(await page.getAttribute('a.tab[data-tab=company]', 'aria-current'), 'page');
  const values = {
    'legal-name': 'Voorbeeld Installaties B.V.', kvk: '12345678', vat: 'NL000099998B57', email: 'facturen@voorbeeld.example',
    phone: '+31201234567', street: 'Keizersgracht', 'house-number': '100', postcode: '1015 AA', city: 'Amsterdam', country: 'NL',
    bic: 'ABNANL2A', 'payment-days': '14',
  };
  for (const [k, v] of Object.entries(values)) await page.fill(`#company-${k}`, v);
  // a mistyped IBAN is answered next to its box, and nothing is saved
  await page.fill('#company-iban', 'NL00 ABNA 0000 0000 00');
  await allow(422, /\/settings\/company$/, async () => {
    await page.click('#company-save');
    await page.waitForSelector('#company-iban-error:not([hidden])');
  });
  assert.equal((await api(page, 'GET', '/settings/company')).legal_name === values['legal-name'], false, 'bad input changes nothing');
  await page.fill('#company-iban', 'NL91 ABNA 0417 1643 00');
  await page.click('#company-save');
  await page.waitForSelector('#company-iban-error[hidden]', { state: 'attached' });
  await page.waitForFunction(() => /saved/.test(document.getElementById('toast')?.textContent || ''));
  const s = await api(page, 'GET', '/settings/company');
  assert.equal(s.legal_name, values['legal-name']);
  assert.equal(s.payment_days, 14);
  assert.match(s.iban, /^NL91\s?ABNA/);

  await page.setInputFiles('#company-logo-file', path.join(ROOT, 'web/icons/icon-192.png'));
  await page.click('#company-logo-upload');
  await page.waitForSelector('#company-logo-img');
  await page.waitForFunction(() => document.getElementById('company-logo-img')?.naturalWidth > 0);
  assert.equal((await api(page, 'GET', '/settings/company')).has_logo, true);
  await snap(page, 'billing-company');
  await context.close();
});

test('verkoop makes a quote from a deal with live totals, sends it, and the customer accepts it through the link', TT, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  const party = await api(page, 'POST', '/parties', {
    kind: 'organization', legal_name: `Bakkerij Übel ${RUN} B.V.`, roles: [{ type: 'customer' }],
    emails: [{ label: 'work', value: `inkoop-${RUN}@bakkerij.example` }],
    addresses: [{ label: 'billing', street: 'Dorpsstraat', house_number: '7', postcode: '3511 AB', city: 'Utrecht', country: 'NL' }],
  });
  const deal = await api(page, 'POST', '/deals', { party: party.id, title: `Nieuwe oven ${RUN}`, amount: 3086000 });
  state.party = party;
  state.deal = deal;
  await go(page, `/deals/${deal.id}`);
  await page.click('#deal-new-quote');
  await page.waitForSelector('#quote-form #line-0-description');
  assert.match(page.url(), new RegExp(`/quotes/new\\?party=${party.id}&deal=${deal.id}$`));
  await page.waitForSelector(`#bill-deal option[value="${deal.id}"]:checked`, { state: 'attached' });
  assert.equal(await page.inputValue('#bill-party-search'), party.name);

  // three lines: 2,5 uur x 85,00 at 21 %, 1 x 1,50 less 10 % at 9 %, 50,00 exempt
  await page.fill('#line-0-description', 'Installatie oven');
  await page.fill('#line-0-quantity', '2,5');
  await page.fill('#line-0-unit', 'uur');
  await page.fill('#line-0-unit_price', '85,00');
  await page.click('#bill-add-line');
  await page.fill('#line-1-description', 'Reinigingsmiddel');
  await page.fill('#line-1-unit_price', '1,50');
  await page.fill('#line-1-discount_pct', '10');
  await page.selectOption('#line-1-vat', '9');
  await page.click('#bill-add-line');
  await page.fill('#line-2-description', 'Keuring (vrijgesteld)');
  await page.fill('#line-2-unit_price', '50');
  await page.selectOption('#line-2-vat', 'exempt');
  // live: 21 %: 212,50 -> 44,625 -> 44,63; 9 %: 1,35 -> 0,12; exempt 50,00; total 308,60
  await page.waitForFunction(() => /308,60/.test(document.querySelector('#bill-live [data-total=gross]')?.textContent || ''));
  const live = await text(page, '#bill-live');
  assert.match(live, /Subtotaal excl\. btw€ 263,85/);
  assert.match(live, /Btw 21% over € 212,50€ 44,63/);
  assert.match(live, /Btw 9% over € 1,35€ 0,12/);
  assert.match(live, /Vrijgesteld van btw: € 50,00€ 0,00/);
  assert.equal(await text(page, '#line-1-net'), '€ 1,35');
  // a line left empty: the server's error shows next to that line's description
  await page.click('#bill-add-line');
  await page.fill('#line-3-unit_price', '1');
  await allow(422, /\/api\/v1\/quotes$/, async () => {
    await page.click('#bill-save');
    await page.waitForSelector('#line-3-description-error:not([hidden])');
  });
  assert.equal(await page.getAttribute('#line-3-description', 'aria-invalid'), 'true');
  await page.click('fieldset[data-line="3"] .bl-remove');
  // move the exempt line up and back: the order follows
  await page.click('fieldset[data-line="2"] .bl-up');
  assert.equal(await page.inputValue('#line-1-description'), 'Keuring (vrijgesteld)');
  await page.click('fieldset[data-line="1"] .bl-down');
  assert.equal(await page.inputValue('#line-2-description'), 'Keuring (vrijgesteld)');
  await snap(page, 'billing-quote-editor');

  await page.click('#bill-save');
  await page.waitForURL(/\/quotes\/\d+$/);
  await page.waitForSelector('#quote-send');
  const id = Number(page.url().split('/').pop());
  const q = await api(page, 'GET', `/quotes/${id}`);
  assert.equal(q.totals.gross, 30860);
  assert.deepEqual(q.totals.vat.map((v) => [v.rate, v.base, v.amount]), [['21', 21250, 4463], ['9', 135, 12], ['exempt', 5000, 0]]);
  assert.equal(q.deal, deal.id);
  assert.match(await text(page, '#bill-totals-state'), /Zoals opgeslagen/);
  assert.match(await text(page, '#bill-live [data-total=gross]'), /€ 308,60/);
  state.quote = q;

  // send: the quote is fixed and the accept link shows once
  await page.click('#quote-send');
  await page.waitForSelector('#quote-accept-url');
  const link = await page.inputValue('#quote-accept-url');
  assert.match(link, new RegExp(`^${BASE}/accept/[^/]+$`));
  await page.click('dialog .form-actions button:not(.primary)');
  await page.waitForSelector('.chip[data-status=sent]');
  assert.equal(await page.locator('#quote-form').count(), 0, 'a sent quote is no longer edited');
  await page.waitForSelector('#quote-accept');
  await snap(page, 'billing-quote-sent');

  // the customer: no account, no menu
  const browser = context.browser();
  const pub = await browser.newContext({ locale: 'nl-NL', timezoneId: TZ, viewport: { width: 390, height: 844 } });
  const cp = await pub.newPage();
  watch(cp, 'customer');
  await cp.goto(link);
  await cp.waitForSelector('#accept-button');
  assert.equal(await cp.locator('header.topbar, #nav').count(), 0);
  assert.match(await text(cp, 'main'), new RegExp(`Offerte ${q.number}`));
  assert.match(await text(cp, 'main'), /Voorbeeld Installaties B\.V\./);
  assert.match(await text(cp, 'main'), /€ 308,60/);
  await snap(cp, 'billing-accept-page');
  await cp.click('#accept-button');
  await cp.waitForSelector('#accept-done');
  assert.match(await text(cp, '#accept-done'), /geaccepteerd/);
  await pub.close();

  assert.equal((await api(page, 'GET', `/quotes/${id}`)).status, 'accepted');
  assert.equal((await api(page, 'GET', `/deals/${deal.id}`)).status, 'won', 'accepting the quote wins its deal');
  await context.close();
});

test('verkoop invoices the accepted quote, issues it, sees the preview and registers payments', TT, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  await go(page, `/quotes/${state.quote.id}`);
  await page.waitForSelector('.chip[data-status=accepted]');
  await page.click('#quote-invoice');
  await page.waitForURL(/\/invoices\/\d+$/);
  await page.waitForSelector('#invoice-form #line-2-description');
  assert.equal(await page.inputValue('#line-0-description'), 'Installatie oven');
  assert.match(await text(page, '#bill-live [data-total=gross]'), /€ 308,60/);
  const id = Number(page.url().split('/').pop());

  // issue, after the warning
  await page.click('#invoice-issue');
  await page.waitForSelector('dialog .confirm');
  assert.match(await text(page, 'dialog .confirm'), /Na uitgifte kan de factuur niet meer worden gewijzigd/);
  await page.click('#confirm-yes');
  await page.waitForSelector('.chip[data-status=open]');
  const inv = await api(page, 'GET', `/invoices/${id}`);
  assert.match(inv.number, /^\d{4}-\d{4,}$/);
  assert.equal(await text(page, 'h1'), `Factuur ${inv.number}`);
  assert.equal(await page.locator('#invoice-form').count(), 0, 'an issued invoice is not edited');
  assert.match(await text(page, '#invoice-props'), /Bakkerij Übel/);
  assert.match(await text(page, '#invoice-open'), /€ 308,60/);
  if (await has('GET', '/invoices/{id}.png')) {
    await page.waitForFunction(() => document.getElementById('bill-preview-img')?.naturalWidth > 0, null, { timeout: 30000 });
    assert.equal(await page.getAttribute('#bill-download-pdf', 'href'), `/api/v1/invoices/${id}.pdf`);
    if (await has('GET', '/invoices/{id}.xml')) assert.equal(await page.getAttribute('#bill-download-xml', 'href'), `/api/v1/invoices/${id}.xml`);
  }
  await snap(page, 'billing-invoice-issued');

  // a partial payment, then the rest (the form offers the open amount)
  await page.fill('#pay-amount', '100,00');
  await page.click('#pay-submit');
  await page.waitForFunction(() => /208,60/.test(document.getElementById('invoice-open')?.textContent || ''));
  assert.match(await text(page, '#invoice-paid'), /€ 100,00/);
  assert.equal((await api(page, 'GET', `/invoices/${id}`)).status, 'open');
  assert.equal(await page.inputValue('#pay-amount'), '208,60');
  await page.click('#pay-submit');
  await page.waitForSelector('.chip[data-status=paid]');
  assert.equal(await page.locator('#payment-form').count(), 0, 'nothing left to pay');
  assert.equal((await page.locator('#invoice-payments li').count()), 2);
  const paid = await api(page, 'GET', `/invoices/${id}`);
  assert.equal(paid.status, 'paid');
  assert.equal(paid.paid, 30860);
  state.invoice = paid;
  await snap(page, 'billing-invoice-paid');
  await context.close();
});

test('in English on a phone: a quote accepted in the app, the lists, open items, debtors and revenue', TT, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  const today = dayNL();
  const lines = [{ description: 'Service visit', quantity: 1, unit_price: 12100, vat: '21' }];
  const q2 = await api(page, 'POST', '/quotes', { party: state.party.id, date: today, lines });
  await api(page, 'POST', `/quotes/${q2.id}/send`);
  await go(page, `/quotes/${q2.id}`);
  await page.click('#quote-accept');
  await page.waitForSelector('.chip[data-status=accepted]');
  assert.match(await text(page, '#quote-props'), /Accepted at/);
  // an open invoice for the party's open items
  const inv2 = await api(page, 'POST', '/invoices', { quote: q2.id });
  const issued = await api(page, 'POST', `/invoices/${inv2.id}/issue`);

  await go(page, `/quotes?party=${state.party.id}`);
  await page.waitForSelector('#quotes-table');
  assert.equal(await page.locator('#quotes-table tbody tr').count(), 2);
  await snap(page, 'billing-quotes');
  await go(page, `/invoices?party=${state.party.id}&status=paid`);
  await page.waitForSelector('#invoices-table');
  assert.equal(await page.locator('#invoices-table tbody tr').count(), 1);
  assert.match(await text(page, '#invoices-table'), new RegExp(state.invoice.number));
  await page.selectOption('#invoices-status', 'open');
  await page.waitForSelector(`#invoices-table tr[data-id="${inv2.id}"]`);
  await snap(page, 'billing-invoices');

  await go(page, `/parties/${state.party.id}`);
  await page.waitForSelector('#party-billing:not([hidden]) #party-invoices');
  if (await has('GET', '/parties/{id}/open-items')) {
    await page.waitForSelector(`#party-open-items li[data-id="${inv2.id}"]`);
    assert.match(await text(page, '#party-open-total'), /€146\.41/);
  }
  await snap(page, 'billing-party-panel');

  if (await has('GET', '/debtors')) {
    await go(page, '/debtors');
    await page.waitForSelector(`#debtors-table tr[data-party="${state.party.id}"]`);
    assert.match(await text(page, `#debtors-table tr[data-party="${state.party.id}"]`), /€146\.41/);
    await page.selectOption('#export-kind', 'year');
    const year = issued.date.slice(0, 4);
    await page.selectOption('#export-year', year);
    assert.equal(await page.getAttribute('#export-journal', 'href'), `/api/v1/accounting/journal.csv?period=${year}`);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), await page.getAttribute('#export-journal', 'href'));
    assert.match(csv, new RegExp(issued.number));
    await snap(page, 'billing-debtors');
  }
  if (await has('GET', '/revenue')) {
    await go(page, '/');
    await page.waitForSelector('#revenue-card:not([hidden]) svg');
    await snap(page, 'billing-revenue-card');
  }

  // a reminder for the open invoice (a business: the costs that may follow are stated), then a full credit
  await go(page, `/invoices/${inv2.id}`);
  if (await has('POST', '/invoices/{id}/reminders')) {
    await page.click('#invoice-remind');
    await page.waitForSelector('#invoice-reminder-list li[data-kind=reminder]');
    assert.match(await text(page, '#invoice-reminder-list'), /Payment reminder/);
    await snap(page, 'billing-reminders');
  }
  await page.click('#invoice-credit');
  await page.click('#confirm-yes');
  await page.waitForSelector('#invoice-credit-of a');
  assert.equal(await text(page, '#invoice-credit-of a'), issued.number);
  assert.match(await text(page, 'h1'), /^Credit note /);
  assert.match(await text(page, '#bill-totals'), /-€146\.41/, 'a credit note reads negative');
  await page.click('#invoice-credit-of a');
  await page.waitForSelector('.chip[data-status=credited]');
  assert.equal(await page.locator('#invoice-credit, #payment-form').count(), 0, 'nothing to pay or credit any more');
  await page.waitForSelector('#invoice-credit-notes a');
  await context.close();
});

test('inkoop (sales read) reads quotes and invoices without any control to change them', TT, async () => {
  const { context, page } = await session('inkoop', { locale: 'nl-NL' });
  await go(page, '/invoices');
  await page.waitForSelector(`#invoices-table tr[data-id="${state.invoice.id}"]`);
  assert.equal(await page.locator('#new-invoice').count(), 0);
  await go(page, `/invoices/${state.invoice.id}`);
  await page.waitForSelector('#invoice-props');
  assert.equal(await page.locator('#invoice-credit, #payment-form, #invoice-remind').count(), 0);
  await go(page, `/quotes/${state.quote.id}`);
  await page.waitForSelector('#quote-props');
  assert.equal(await page.locator('#quote-invoice, #quote-accept, #quote-send').count(), 0);
  await go(page, `/deals/${state.deal.id}`);
  await page.waitForSelector('#deal-props');
  assert.equal(await page.locator('#deal-new-quote').count(), 0);
  await context.close();
});

test('hr (no sales access) sees no quotes or invoices and asks for none', TT, async () => {
  const { context, page } = await session('hr', { locale: 'nl-NL' });
  const asked = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/(quotes|invoices|debtors|revenue|parties\/\d+\/open-items)/.test(r.url())) asked.push(r.url());
  });
  assert.equal(await page.locator('#nav a[data-nav=quotes], #nav a[data-nav=invoices], #nav a[data-nav=debtors]').count(), 0);
  await go(page, '/invoices');
  await page.waitForSelector('#no-access');
  assert.equal(await page.locator('#invoices-table').count(), 0);
  const someone = (await api(page, 'GET', '/parties?limit=1')).items[0];
  await go(page, `/parties/${someone.id}`);
  await page.waitForSelector('#page-title');
  await go(page, '/');
  await page.waitForSelector('.kpis');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#party-billing:not([hidden]), #revenue-card:not([hidden])').count(), 0);
  assert.deepEqual(asked, [], 'no request for billing data');
  await context.close();
  assertClean();
});
