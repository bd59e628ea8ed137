// The invoices list (/invoices): filter by status (overdue included: open
// past its due date), party (picker), year and kind (invoice or credit
// note), newest first as the server lists them, with "more"; "new invoice"
// for sales writers. One invoice is invoice.js.

import { h, fill } from '../dom.js';
import { t, word } from '../i18n.js';
import { qs, hasEndpoint } from '../api.js';
import { field, errorText } from '../forms.js';
import { canWriteBilling } from '../access.js';
import { setNewAction } from '../keys.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { docTable, pagedList } from './billing-doc.js';
import { partyFilter } from './quotes.js';

export const INVOICE_STATUSES = ['draft', 'open', 'overdue', 'paid', 'credited'];

export async function render(main, ctx) {
  ctx.setTitle(t('nav.invoices'));
  if (!(await hasEndpoint('GET', '/invoices'))) {
    fill(main, pageHead(t('nav.invoices')), empty(t('feature.unavailable')));
    return;
  }
  const q = Object.fromEntries(['status', 'party', 'year', 'kind'].map((k) => [k, ctx.query.get(k) || '']));
  const go = (o) => ctx.navigate(qs('/invoices', { ...q, ...o }));
  const sel = (name, label, options) => {
    const f = field({ name, label, type: 'select', id: `invoices-${name}`, value: q[name], options });
    f.input.addEventListener('change', () => go({ [name]: f.input.value }));
    return f;
  };
  const thisYear = new Date().getFullYear();
  const years = [];
  for (let y = thisYear; y > thisYear - 8; y--) years.push([String(y), String(y)]);
  const statusF = sel('status', t('billing.status'), [['', t('billing.all_statuses')], ...INVOICE_STATUSES.map((s) => [s, word('invoice.status', s)])]);
  const yearF = sel('year', t('invoice.year'), [['', t('invoice.all_years')], ...years]);
  const kindF = sel('kind', t('invoice.kind_label'), [['', t('invoice.all_kinds')], ['invoice', word('invoice.kind', 'invoice')], ['credit_note', word('invoice.kind', 'credit_note')]]);
  const picker = await partyFilter('invoices-party', q.party, (p) => go({ party: p || '' }));
  if (!ctx.alive()) return;
  const newBtn = canWriteBilling() ? h('a', { class: 'button primary', href: '/invoices/new', id: 'new-invoice' }, t('invoice.new')) : null;
  if (newBtn) setNewAction(() => ctx.navigate('/invoices/new'));
  const list = h('div', { id: 'invoices-list' }, loading());
  fill(main, pageHead(t('nav.invoices'), newBtn),
    h('div', { class: 'filters bill-filters', role: 'group', 'aria-label': t('billing.filters') }, statusF, picker, yearF, kindF), list);
  try {
    await pagedList(list, '/invoices', q, (items) => (items.length
      ? docTable('invoice', items, { id: 'invoices-table' }) : empty(t('invoice.none'))));
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
  }
}
