// Quotes and invoices: the live totals of the editors, with the same
// arithmetic as the server (the billing contract; src/domain/billing/vat.c):
// a line's net is quantity x unit price x (100 - discount %) / 100 rounded
// half away from zero to whole cents, computed exactly (quantity in
// thousandths, discount in hundredths of a percent, BigInt for the
// product); the totals have one VAT entry per rate present in the order 21,
// 9, 0, exempt, reverse_charge, whose base is the sum of its lines' nets and
// whose amount is base x rate / 100 rounded the same way (0 for the rates
// without VAT). Display only: the server's totals are authoritative and
// shown after every save. Pure functions, no DOM; the parsing of what a
// person types as a quantity or a percentage follows the app's language.

export const VAT_RATES = ['21', '9', '0', 'exempt', 'reverse_charge'];
const PERCENT = { 21: 21n, 9: 9n };

// num / den rounded half away from zero (BigInt, den > 0).
export function divRound(num, den) {
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
}

// A decimal number with at most `places` decimals as a BigInt of
// 10^-places units (1.5 with 3 places -> 1500n); null when it has more.
function scaled(v, places) {
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  const f = 10 ** places;
  const s = Math.round(n * f);
  if (Math.abs(s - n * f) > 1e-6 * Math.max(1, Math.abs(n * f))) return null;
  return BigInt(s);
}

// The net of one line in cents, or null when a part is missing or invalid.
export function lineNet(line) {
  if (!line) return null;
  const q = scaled(line.quantity, 3);
  const d = scaled(line.discount_pct ?? 0, 2);
  const p = Number(line.unit_price);
  if (q === null || d === null || !Number.isSafeInteger(p)) return null;
  return Number(divRound(q * BigInt(p) * (10000n - d), 1000n * 10000n));
}

// {net, vat: [{rate, base, amount}], gross} of the lines that have a net.
export function totals(lines) {
  const bases = new Map();
  for (const l of lines || []) {
    const net = lineNet(l);
    if (net === null || !VAT_RATES.includes(String(l.vat))) continue;
    const rate = String(l.vat);
    bases.set(rate, (bases.get(rate) || 0n) + BigInt(net));
  }
  let net = 0n;
  let gross = 0n;
  const vat = [];
  for (const rate of VAT_RATES) {
    if (!bases.has(rate)) continue;
    const base = bases.get(rate);
    const amount = PERCENT[rate] ? divRound(base * PERCENT[rate], 100n) : 0n;
    net += base;
    gross += base + amount;
    vat.push({ rate, base: Number(base), amount: Number(amount) });
  }
  return { net: Number(net), vat, gross: Number(gross) };
}

// What a person typed as a quantity or percentage -> a Number with at most
// `places` decimals, or NaN. Dutch writes "1,5" and English "1.5"; either
// mark is taken as the decimal one when it is the only mark, except a
// group of exactly three digits after the language's grouping mark
// ("1.000" in Dutch is a thousand).
export function parseDecimal(text, lang = 'nl', places = 3) {
  let s = String(text ?? '').replace(/[\s\u00a0%]/g, '');
  if (s === '') return NaN;
  const dec = lang === 'nl' ? ',' : '.';
  const grp = dec === ',' ? '.' : ',';
  if (!/^-?[0-9.,]+$/.test(s)) return NaN;
  if (s.includes(dec)) s = s.split(grp).join('');
  else if (new RegExp(`^-?\\d{1,3}(\\${grp}\\d{3})+$`).test(s)) s = s.split(grp).join('');
  s = s.replace(grp, '.').replace(dec, '.');
  if (!/^-?\d*(\.\d*)?$/.test(s) || s === '.' || s === '-') return NaN;
  const frac = s.split('.')[1] || '';
  if (frac.length > places) return NaN;
  return Number(s);
}
