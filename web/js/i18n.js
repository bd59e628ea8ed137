// Dutch and English labels. The dictionaries live in /i18n/nl.json and
// /i18n/en.json with the same keys (a test checks that every key used in
// the code exists in both). Dutch is the default when the browser prefers it;
// the choice is kept in localStorage.

const LANGS = ['nl', 'en'];
const dicts = {};
let lang = 'en';

function preferred() {
  const saved = localStorage.getItem('xrm.lang');
  if (LANGS.includes(saved)) return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return nav.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

async function load(code) {
  if (dicts[code]) return;
  const r = await fetch(`/i18n/${code}.json`, { headers: { Accept: 'application/json' } });
  dicts[code] = await r.json();
}

export async function initI18n() {
  await setLang(preferred(), false);
}

export async function setLang(code, save = true) {
  if (!LANGS.includes(code)) code = 'en';
  await load(code);
  lang = code;
  if (save) localStorage.setItem('xrm.lang', code);
  document.documentElement.lang = code;
}

export function getLang() {
  return lang;
}

export function otherLang() {
  return lang === 'nl' ? 'en' : 'nl';
}

// t('party.roles') or t('list.count', {n: 3}); unknown keys show the key itself.
export function t(key, vars) {
  let str = dicts[lang]?.[key];
  if (str === undefined) str = key;
  if (vars) str = str.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return str;
}

// True when the dictionary has the key (used for optional value labels).
export function has(key) {
  return dicts[lang]?.[key] !== undefined;
}

// A {en, nl} label object from the API in the current language.
export function label(obj, fallback = '') {
  if (!obj) return fallback;
  if (typeof obj === 'string') return obj;
  return obj[lang] || obj.en || obj.nl || fallback;
}

function humanize(v) {
  const s = String(v).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// A status, activity type, domain or enum value: translated when known.
export function word(group, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `${group}.${value}`;
  return has(key) ? t(key) : humanize(value);
}

export function fmtDate(v) {
  if (!v) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00`) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium' }).format(d);
}

export function fmtDateTime(v) {
  if (!v) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

export function fmtNumber(n, opts) {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', opts).format(n);
}

export function fmtMoney(cents, currency = 'EUR') {
  return fmtNumber((cents || 0) / 100, { style: 'currency', currency, maximumFractionDigits: 0 });
}
