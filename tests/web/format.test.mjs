// Unit tests of web/js/format.js (amounts, phone numbers) in both languages,
// run by node without a browser: the i18n module gets a stub document,
// localStorage and fetch.

import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.localStorage = { getItem: () => null, setItem: () => {} };
globalThis.document = { documentElement: {} };
globalThis.navigator = { languages: ['nl-NL'] };
globalThis.fetch = async () => ({ json: async () => ({}) });

const { setLang } = await import('../../web/js/i18n.js');
const f = await import('../../web/js/format.js');
const nbsp = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('Dutch amounts: shown as € 3.480,00 and read back from what people type', async () => {
  await setLang('nl', false);
  assert.equal(nbsp(f.fmtAmount(348000)), '€ 3.480,00');
  assert.equal(nbsp(f.fmtAmount(-1250)), '€ -12,50');
  assert.equal(f.fmtAmount(null), '');
  assert.equal(f.amountInput(348000), '3.480,00');
  for (const [typed, cents] of [['€ 3.480,00', 348000], ['3480', 348000], ['3480,5', 348050], ['3.480', 348000],
    ['1.234.567,89', 123456789], ['12.5', 1250], ['0,99', 99], ['-12,50', -1250], [' 7 ', 700]]) {
    assert.equal(f.parseAmount(typed), cents, typed);
  }
  for (const bad of ['', 'abc', '12,345', '1,2,3', '€', '3480,555', '--1']) assert.ok(Number.isNaN(f.parseAmount(bad)), bad);
});

test('English amounts: €3,480.00 and the English marks', async () => {
  await setLang('en', false);
  assert.equal(nbsp(f.fmtAmount(348000)), '€3,480.00');
  assert.equal(f.amountInput(348000), '3,480.00');
  assert.equal(f.parseAmount('3,480.00'), 348000);
  assert.equal(f.parseAmount('3,480'), 348000);
  assert.equal(f.parseAmount('12.5'), 1250);
  assert.equal(f.parseAmount('12,5'), 1250);
});

test('phone numbers are written the national way', () => {
  assert.equal(f.fmtPhone('+31201234567'), '020 123 4567');
  assert.equal(f.fmtPhone('+31612345678'), '06 1234 5678');
  assert.equal(f.fmtPhone('+31570123456'), '0570 123 456');
  assert.equal(f.fmtPhone('+3225551234'), '+32 2555 1234');
  assert.equal(f.fmtPhone('020-1234567'), '020-1234567');
  assert.equal(f.fmtPhone(''), '');
  assert.equal(f.telHref('+31 20 123 4567'), 'tel:+31201234567');
});
