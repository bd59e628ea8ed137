// Unit tests of web/js/billing-calc.js, the live totals of the quote and
// invoice editors, against totals computed by hand (the billing contract's
// arithmetic: line nets and VAT rounded half away from zero per rate), and
// of the parsing of quantities and discounts as people type them. Node only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineNet, totals, parseDecimal, divRound } from '../../web/js/billing-calc.js';

test('a line\'s net: quantity x price less the discount, rounded half away from zero', () => {
  assert.equal(lineNet({ quantity: 1, unit_price: 10000, discount_pct: 0 }), 10000);
  assert.equal(lineNet({ quantity: 2.5, unit_price: 8500 }), 21250, '2,5 uur x € 85,00');
  // 3 x € 3,33 = 999 cents less 33,33 % = 666,0333 -> 666
  assert.equal(lineNet({ quantity: 3, unit_price: 333, discount_pct: 33.33 }), 666);
  // half a cent goes up: 1 x 5 cents less 50 % = 2,5 -> 3; 0,5 x 1 cent = 0,5 -> 1
  assert.equal(lineNet({ quantity: 1, unit_price: 5, discount_pct: 50 }), 3);
  assert.equal(lineNet({ quantity: 0.5, unit_price: 1 }), 1);
  // just under half goes down: 0,499 x 1 cent -> 0
  assert.equal(lineNet({ quantity: 0.499, unit_price: 1 }), 0);
  // 0,333 x € 0,10 = 3,33 -> 3; 100 % discount -> 0
  assert.equal(lineNet({ quantity: 0.333, unit_price: 10 }), 3);
  assert.equal(lineNet({ quantity: 7, unit_price: 12345, discount_pct: 100 }), 0);
  // big amounts stay exact: 1.000 x € 100.000.000,00
  assert.equal(lineNet({ quantity: 1000, unit_price: 10000000000 }), 10000000000000);
  // what cannot be computed yet gives no net
  assert.equal(lineNet({ quantity: 1.0001, unit_price: 100 }), null, 'four decimals');
  assert.equal(lineNet({ quantity: 1, unit_price: NaN }), null);
  assert.equal(divRound(-5n, 2n), -3n, 'away from zero below zero too');
});

test('totals per VAT rate in the contract\'s order, VAT rounded per rate', () => {
  const lines = [
    { quantity: 1, unit_price: 20000, vat: 'reverse_charge' },
    { quantity: 1, unit_price: 500, vat: 'exempt' },
    { quantity: 2.5, unit_price: 8500, vat: '21' },
    { quantity: 1, unit_price: 150, vat: '9' },
    { quantity: 1, unit_price: 10000, vat: '21' },
    { quantity: 4, unit_price: 250, vat: '0' },
  ];
  // 21 %: 21250 + 10000 = 31250, VAT 6562,5 -> 6563; 9 %: 150, VAT 13,5 -> 14
  assert.deepEqual(totals(lines), {
    net: 52900,
    vat: [
      { rate: '21', base: 31250, amount: 6563 },
      { rate: '9', base: 150, amount: 14 },
      { rate: '0', base: 1000, amount: 0 },
      { rate: 'exempt', base: 500, amount: 0 },
      { rate: 'reverse_charge', base: 20000, amount: 0 },
    ],
    gross: 59477,
  });
  // VAT per rate, not per line: three lines of 50 cents at 21 % = 150 -> 31,5 -> 32 (per line it would be 3 x 11 = 33)
  const small = totals([1, 2, 3].map(() => ({ quantity: 1, unit_price: 50, vat: '21' })));
  assert.deepEqual(small, { net: 150, vat: [{ rate: '21', base: 150, amount: 32 }], gross: 182 });
  assert.deepEqual(totals([]), { net: 0, vat: [], gross: 0 });
  // a line still being typed (no price yet) is left out
  assert.equal(totals([{ quantity: 1, unit_price: NaN, vat: '21' }, { quantity: 1, unit_price: 100, vat: '9' }]).gross, 109);
});

test('quantities and percentages as Dutch and English people type them', () => {
  for (const [typed, v] of [['1,5', 1.5], ['2', 2], ['0,333', 0.333], ['1.000', 1000], ['1.000,25', 1000.25], ['2.5', 2.5], [' 12 ', 12], ['33,33%', 33.33]]) {
    assert.equal(parseDecimal(typed, 'nl'), v, `nl ${typed}`);
  }
  for (const [typed, v] of [['1.5', 1.5], ['1,000', 1000], ['1,000.5', 1000.5], ['2,5', 2.5], ['0.125', 0.125]]) {
    assert.equal(parseDecimal(typed, 'en'), v, `en ${typed}`);
  }
  for (const bad of ['', 'abc', '1,2345', '1,2,3', '.', '1e3']) assert.ok(Number.isNaN(parseDecimal(bad, 'nl')), `nl ${bad}`);
  assert.ok(Number.isNaN(parseDecimal('12,345', 'nl', 2)), 'a discount has at most 2 decimals');
});
