// Debtors (/debtors): the open amount per customer with its ageing (not yet
// due, 0-30, 31-60, 61-90 and over 90 days past due), the number of open invoices
// and the oldest due date, with the totals; and for the accountant the
// journal (CSV) and the ZIP of the journal with the UBL files of a period
// chosen as a year, a quarter or a month.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, fmtNumber } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { fmtAmount } from '../format.js';
import { field, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';

// The period the accountant asks for: "2026", "2026-Q4" or "2026-11".
export function periodOf(year, kind, part) {
  if (kind === 'quarter') return `${year}-Q${part}`;
  if (kind === 'month') return `${year}-${String(part).padStart(2, '0')}`;
  return String(year);
}

// The ageing buckets of a debtor and of the totals (GET /debtors), in cents.
const BUCKETS = ['not_due', 'days_0_30', 'days_31_60', 'days_61_90', 'days_over_90'];

function periodPicker(onChange) {
  const now = new Date();
  const year = now.getFullYear();
  const years = [];
  for (let y = year; y > year - 8; y--) years.push([String(y), String(y)]);
  const yearF = field({ name: 'year', label: t('debtor.year'), type: 'select', id: 'export-year', value: String(year), options: years });
  const kindF = field({ name: 'kind', label: t('debtor.period_kind'), type: 'select', id: 'export-kind', value: 'quarter',
    options: [['year', t('debtor.whole_year')], ['quarter', t('debtor.quarter')], ['month', t('debtor.month')]] });
  const partF = field({ name: 'part', label: t('debtor.part'), type: 'select', id: 'export-part', options: [] });
  const monthName = new Intl.DateTimeFormat(document.documentElement.lang === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long' });
  function parts() {
    const k = kindF.input.value;
    partF.hidden = k === 'year';
    const cur = k === 'quarter' ? Math.floor(now.getMonth() / 3) + 1 : now.getMonth() + 1;
    const opts = k === 'quarter' ? [1, 2, 3, 4].map((q) => [q, `Q${q}`])
      : k === 'month' ? Array.from({ length: 12 }, (_, i) => [i + 1, monthName.format(new Date(2026, i, 1))]) : [];
    fill(partF.input, opts.map(([v, text]) => h('option', { value: v, selected: v === cur }, text)));
  }
  const period = () => periodOf(yearF.input.value, kindF.input.value, partF.input.value);
  kindF.input.addEventListener('change', () => {
    parts();
    onChange(period());
  });
  yearF.input.addEventListener('change', () => onChange(period()));
  partF.input.addEventListener('change', () => onChange(period()));
  parts();
  return { el: h('div', { class: 'filters', role: 'group', 'aria-label': t('debtor.period') }, yearF, kindF, partF), period };
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.debtors'));
  if (!(await hasEndpoint('GET', '/debtors'))) {
    fill(main, pageHead(t('nav.debtors')), empty(t('feature.unavailable')));
    return;
  }
  const [hasCsv, hasZip] = await Promise.all([hasEndpoint('GET', '/accounting/journal.csv'), hasEndpoint('GET', '/accounting/export.zip')]);
  if (!ctx.alive()) return;
  const list = h('div', { id: 'debtors-list' }, loading());
  let exportCard = null;
  if (hasCsv || hasZip) {
    const csv = h('a', { class: 'button', id: 'export-journal', download: '' }, t('debtor.journal_csv'));
    const zip = h('a', { class: 'button', id: 'export-zip', download: '' }, t('debtor.export_zip'));
    const setLinks = (p) => {
      csv.href = qs('/api/v1/accounting/journal.csv', { period: p });
      csv.setAttribute('download', `journaal-${p}.csv`);
      zip.href = qs('/api/v1/accounting/export.zip', { period: p });
      zip.setAttribute('download', `export-${p}.zip`);
      status.textContent = t('debtor.period_chosen', { period: p });
    };
    const status = h('p', { class: 'muted small-text', id: 'export-period', role: 'status' });
    const picker = periodPicker(setLinks);
    exportCard = h('section', { class: 'card', id: 'accountant-export', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title' }, t('debtor.export_title')),
      h('p', { class: 'muted' }, t('debtor.export_intro')),
      picker.el, status,
      h('div', { class: 'form-actions' }, hasCsv ? csv : null, hasZip ? zip : null));
    setLinks(picker.period());
  }
  fill(main, pageHead(t('nav.debtors')), h('section', { class: 'card', 'aria-labelledby': 'debtors-title' },
    h('h2', { id: 'debtors-title' }, t('debtor.open_title')), list), exportCard);
  let r;
  try {
    r = await api.get('/debtors');
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const items = r.items || [];
  if (!items.length) {
    fill(list, empty(t('debtor.none')));
    return;
  }
  const keys = BUCKETS;
  const th = (text, cls) => h('th', { scope: 'col', class: cls }, text);
  const amountOf = (o, k) => o?.[k] || 0;
  const tot = r.totals || {};
  fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'list debtor-table', id: 'debtors-table' },
    h('caption', { class: 'sr-only' }, t('debtor.open_title')),
    h('thead', h('tr', th(t('billing.party')), th(t('debtor.count'), 'num'), th(t('debtor.oldest_due')),
      keys.map((k) => th(word('debtor.bucket', k), 'num')), th(t('debtor.open'), 'num'))),
    h('tbody', items.map((d) => h('tr', { 'data-party': d.party },
      h('td', { class: 'c-name' }, h('a', { href: qs('/invoices', { party: d.party, status: '' }) }, d.party_name || `#${d.party}`),
        d.debtor_number ? h('span', { class: 'muted small-text' }, ` ${d.debtor_number}`) : null),
      h('td', { class: 'num', 'data-label': t('debtor.count') }, fmtNumber(d.count ?? 0)),
      h('td', { 'data-label': t('debtor.oldest_due') }, fmtDate(d.oldest_due)),
      keys.map((k) => h('td', { class: 'num', 'data-label': word('debtor.bucket', k) }, amountOf(d, k) ? fmtAmount(amountOf(d, k)) : '')),
      h('td', { class: 'num strong', 'data-label': t('debtor.open') }, fmtAmount(d.open))))),
    h('tfoot', h('tr', { class: 'debtor-total', id: 'debtors-total' },
      h('th', { scope: 'row' }, t('debtor.total')),
      h('td', { class: 'num', 'data-label': t('debtor.count') }, fmtNumber(tot.count ?? 0)),
      h('td', ''),
      keys.map((k) => h('td', { class: 'num', 'data-label': word('debtor.bucket', k) }, fmtAmount(amountOf(tot, k)))),
      h('td', { class: 'num strong', 'data-label': t('debtor.open') }, fmtAmount(tot.open)))))),
    tot.collection_costs ? h('p', { class: 'muted', id: 'debtors-costs' }, t('debtor.collection_costs', { amount: fmtAmount(tot.collection_costs) })) : null);
}
