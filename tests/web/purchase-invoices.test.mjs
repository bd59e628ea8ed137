// Browser tests of purchase invoices:
// - inkoop (purchasing write) in Dutch uploads a UBL e-invoice made here from
//   a demo supplier's BTW-id: the invoice page shows it matched to that
//   supplier ("gevonden op btw-nummer") with its lines and totals; a file that
//   is not an invoice is answered next to the file field; the status becomes
//   "Goedgekeurd"; the supplier's party page lists the invoice.
// - inkoop in English at 390 px: the list with the upload form.
// - verkoop (sales only) gets no menu entry.
// Screenshots of each screen at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, RUN, session, go, api, allow, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A supplier's UBL 2.1 invoice: 3 x 12,50 at 21% and 1 x 29,95 at 9%.
function ubl(number, supplier, vat) {
  const line = (i, name, qty, price, net, pct) => `<cac:InvoiceLine><cbc:ID>${i}</cbc:ID>`
    + `<cbc:InvoicedQuantity unitCode="H87">${qty}</cbc:InvoicedQuantity>`
    + `<cbc:LineExtensionAmount currencyID="EUR">${net}</cbc:LineExtensionAmount>`
    + `<cac:Item><cbc:Name>${esc(name)}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID>`
    + `<cbc:Percent>${pct}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>`
    + '</cac:ClassifiedTaxCategory></cac:Item>'
    + `<cac:Price><cbc:PriceAmount currencyID="EUR">${price}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`;
  const sub = (base, tax, pct) => `<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">${base}</cbc:TaxableAmount>`
    + `<cbc:TaxAmount currencyID="EUR">${tax}</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID>`
    + `<cbc:Percent>${pct}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`;
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
    + ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
    + ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    + '<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>'
    + `<cbc:ID>${number}</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate><cbc:DueDate>2026-12-20</cbc:DueDate>`
    + '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>'
    + '<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cbc:CityName>Utrecht</cbc:CityName>'
    + '<cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>'
    + `<cac:PartyTaxScheme><cbc:CompanyID>${vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`
    + `<cac:PartyLegalEntity><cbc:RegistrationName>${esc(supplier)}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>`
    + '<cac:AccountingCustomerParty><cac:Party><cac:PostalAddress><cbc:CityName>Utrecht</cbc:CityName>'
    + '<cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>'
    + '<cac:PartyLegalEntity><cbc:RegistrationName>Bouwgroep Van Dijk B.V.</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>'
    + `<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">10.57</cbc:TaxAmount>${sub('37.50', '7.88', 21)}${sub('29.95', '2.70', 9)}</cac:TaxTotal>`
    + '<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">67.45</cbc:LineExtensionAmount>'
    + '<cbc:TaxExclusiveAmount currencyID="EUR">67.45</cbc:TaxExclusiveAmount>'
    + '<cbc:TaxInclusiveAmount currencyID="EUR">78.02</cbc:TaxInclusiveAmount>'
    + '<cbc:PayableAmount currencyID="EUR">78.02</cbc:PayableAmount></cac:LegalMonetaryTotal>'
    + `${line(1, 'Bouten M12 (doos)', 3, '12.50', '37.50', 21)}${line(2, 'Vakboek bouwkunde', 1, '29.95', '29.95', 9)}</Invoice>\n`;
}

test('inkoop uploads a supplier e-invoice and sees it matched to the demo supplier', T, async () => {
  const { context, page } = await session('inkoop', { locale: 'nl-NL' });
  const suppliers = (await api(page, 'GET', '/parties?q=role%3Asupplier&limit=100')).items;
  const sup = suppliers.find((p) => p.vat);
  assert.ok(sup, 'the demo has a supplier with a BTW-id');
  await page.waitForSelector('a[data-nav="purchase-invoices"]');
  await page.click('a[data-nav="purchase-invoices"]');
  await page.waitForSelector('#pi-upload');
  // not an invoice: the message sits next to the file field
  await page.setInputFiles('#pi-file', { name: 'brief.xml', mimeType: 'application/xml', buffer: Buffer.from('<brief>hallo</brief>') });
  await allow(422, /purchase-invoices/, async () => {
    await page.click('#pi-upload-submit');
    await page.waitForSelector('#pi-file-error:not([hidden])');
  });
  assert.match(await page.textContent('#pi-file-error'), /geen UBL-factuur/);
  // a real one, with the BTW-id written with spaces as suppliers do
  const vat = `${sup.vat.slice(0, 2)} ${sup.vat.slice(2)}`;
  await page.setInputFiles('#pi-file', { name: 'factuur.xml', mimeType: 'application/xml', buffer: Buffer.from(ubl(`INK-${RUN}`, sup.name, vat)) });
  await page.click('#pi-upload-submit');
  await page.waitForSelector('#pi-lines');
  assert.equal(await page.textContent('#pi-supplier a'), sup.name);
  assert.match(await page.textContent('#pi-match'), /gevonden op btw-nummer/);
  const lines = await page.textContent('#pi-lines');
  assert.match(lines, /Bouten M12/);
  assert.match(lines, /Vakboek bouwkunde/);
  const totals = await page.textContent('#pi-totals');
  assert.match(totals, /67,45/);
  assert.match(totals, /78,02/);
  await shots(page, 'purchase-invoice');
  // approve it
  await page.selectOption('#pi-set-status', 'approved');
  await page.click('#pi-save');
  await page.waitForFunction(() => document.querySelector('.pi-head')?.textContent.includes('Goedgekeurd'));
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  assert.equal((await api(page, 'GET', `/purchase-invoices/${id}`)).status, 'approved');
  // the supplier's party page lists it
  await go(page, `/parties/${sup.id}`);
  await page.waitForSelector(`#pi-panel .pi-row[data-id="${id}"]`);
  await context.close();
});

test('the list in English on a phone; verkoop has no menu entry', T, async () => {
  const { context, page } = await session('inkoop', { locale: 'en-GB', width: 390 });
  await go(page, '/purchase-invoices');
  await page.waitForSelector('#pi-list .pi-row');
  assert.match(await page.textContent('#pi-upload-title'), /Read an e-invoice/);
  await shots(page, 'purchase-invoices');
  await context.close();

  const v = await session('verkoop', { locale: 'nl-NL' });
  await v.page.waitForSelector('#nav');
  assert.equal(await v.page.$('a[data-nav="purchase-invoices"]'), null, 'no purchase invoices in the menu without purchasing access');
  await v.context.close();
  assertClean();
});
