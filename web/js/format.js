// People and money as people see them: amounts in euros with the language's
// formatting in and out (cents stay the API's unit), phone numbers written
// the national way, and the parsing that turns what a person types back into
// API values. Pure functions; the language comes from i18n.js.

import { getLang } from './i18n.js';

function locale() {
  return getLang() === 'nl' ? 'nl-NL' : 'en-GB';
}

// 348000 -> "€ 3.480,00" (nl) or "€3,480.00" (en). null/undefined -> ''.
export function fmtAmount(cents, currency = 'EUR') {
  if (cents === null || cents === undefined || cents === '') return '';
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: currency || 'EUR' }).format(Number(cents) / 100);
}

// The value to put in an amount input: 348000 -> "3.480,00" (nl) / "3,480.00" (en).
export function amountInput(cents) {
  if (cents === null || cents === undefined || cents === '') return '';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(cents) / 100);
}

// What a person typed as an amount -> cents, or NaN when it is not one.
// Accepts "€ 3.480,00", "3480", "3480,5", "3.480", "3,480.00", "-12,50".
// In Dutch a lone ',' is the decimal mark and '.' groups thousands; in
// English the other way round; a mark followed by exactly 3 digits with no
// other mark is read as a thousands separator.
export function parseAmount(text) {
  let s = String(text ?? '').replace(/[€\s\u00a0]|EUR/gi, '');
  if (s === '') return NaN;
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  }
  if (!/^[0-9.,]+$/.test(s)) return NaN;
  const dec = getLang() === 'nl' ? ',' : '.';
  const grp = dec === ',' ? '.' : ',';
  const lastDec = s.lastIndexOf(dec);
  const lastGrp = s.lastIndexOf(grp);
  let intPart;
  let frac = '';
  if (lastDec >= 0 && lastDec > lastGrp) {
    intPart = s.slice(0, lastDec);
    frac = s.slice(lastDec + 1);
  } else if (lastGrp >= 0 && lastDec < 0 && !/^\d{1,3}([.,]\d{3})+$/.test(s)) {
    // "12.5" typed in Dutch: the other mark used as a decimal point
    intPart = s.slice(0, lastGrp);
    frac = s.slice(lastGrp + 1);
  } else {
    intPart = s;
  }
  const grouped = new RegExp(`^\\d{1,3}(\\${grp}\\d{3})+$`);
  if (grouped.test(intPart)) intPart = intPart.split(grp).join('');
  if (!/^\d*$/.test(intPart) || !/^\d{0,2}$/.test(frac) || (intPart === '' && frac === '')) return NaN;
  const cents = Number(intPart || '0') * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(cents)) return NaN;
  return neg ? -cents : cents;
}

// Dutch two-digit area codes (after the 0); the rest have three.
const NL_AREA2 = new Set(['10', '13', '15', '20', '23', '24', '26', '30', '33', '35', '36', '38', '40', '43',
  '45', '46', '50', '53', '55', '58', '70', '71', '72', '73', '74', '75', '76', '77', '78', '79']);

// "+31201234567" -> "020 123 4567", "+31612345678" -> "06 1234 5678",
// "+3225551234" -> "+32 2555 1234". What is not E.164 is returned as it is.
export function fmtPhone(v) {
  if (!v) return '';
  const s = String(v).replace(/[\s()-]/g, '');
  const nl = /^\+31(\d{9})$/.exec(s);
  if (nl) {
    const n = nl[1];
    if (n.startsWith('6')) return `06 ${n.slice(1, 5)} ${n.slice(5)}`;
    if (n.startsWith('800') || n.startsWith('900') || n.startsWith('90')) return `0${n.slice(0, 3)} ${n.slice(3)}`;
    if (NL_AREA2.has(n.slice(0, 2))) return `0${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5)}`;
    return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  }
  const intl = /^\+(\d{1,3})(\d{4,})$/.exec(s);
  if (intl) {
    const cc = ['1', '7'].includes(intl[1][0]) ? intl[1][0] : intl[1].slice(0, 2);
    const rest = s.slice(1 + cc.length);
    return `+${cc} ${rest.replace(/(\d{4})(?=\d)/g, '$1 ')}`;
  }
  return String(v);
}

// tel: link target for a phone value (digits and a leading +).
export function telHref(v) {
  return `tel:${String(v || '').replace(/[^\d+]/g, '')}`;
}
