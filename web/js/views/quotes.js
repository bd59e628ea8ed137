// The quotes list (/quotes): filter by status and party (picker), newest
// first as the server lists them, with "more"; "new quote" for sales
// writers. One quote and its editor is quote.js.

import { h, fill } from '../dom.js';
import { t, word } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, errorText } from '../forms.js';
import { partyPicker } from '../picker.js';
import { canWriteBilling } from '../access.js';
import { setNewAction } from '../keys.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { docTable, pagedList } from './billing-doc.js';

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired'];

// The party filter: a picker preset with the party of the address, and a way back to all.
export async function partyFilter(id, partyId, onPick) {
  const picker = partyPicker({ id, label: t('billing.party'), fieldName: 'party', required: false });
  const search = picker.querySelector('input');
  const list = picker.querySelector('select');
  if (partyId) {
    const p = await api.get(`/parties/${partyId}`).catch(() => null);
    if (p) {
      search.value = p.name;
      fill(list, h('option', { value: p.id, selected: true }, p.name));
    }
  }
  list.addEventListener('change', () => onPick(picker.value() || null));
  list.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onPick(picker.value() || null);
    }
  });
  list.addEventListener('click', () => onPick(picker.value() || null));
  search.addEventListener('search', () => {
    if (!search.value) onPick(null);
  });
  return picker;
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.quotes'));
  if (!(await hasEndpoint('GET', '/quotes'))) {
    fill(main, pageHead(t('nav.quotes')), empty(t('feature.unavailable')));
    return;
  }
  const status = ctx.query.get('status') || '';
  const party = ctx.query.get('party') || '';
  const go = (o) => ctx.navigate(qs('/quotes', { status, party, ...o }));
  const statusF = field({ name: 'status', label: t('billing.status'), type: 'select', id: 'quotes-status', value: status,
    options: [['', t('billing.all_statuses')], ...QUOTE_STATUSES.map((s) => [s, word('quote.status', s)])] });
  statusF.input.addEventListener('change', () => go({ status: statusF.input.value }));
  const picker = await partyFilter('quotes-party', party, (p) => go({ party: p || '' }));
  if (!ctx.alive()) return;
  const newBtn = canWriteBilling() ? h('a', { class: 'button primary', href: '/quotes/new', id: 'new-quote' }, t('quote.new')) : null;
  if (newBtn) setNewAction(() => ctx.navigate('/quotes/new'));
  const list = h('div', { id: 'quotes-list' }, loading());
  fill(main, pageHead(t('nav.quotes'), newBtn),
    h('div', { class: 'filters bill-filters', role: 'group', 'aria-label': t('billing.filters') }, statusF, picker), list);
  try {
    await pagedList(list, '/quotes', { status, party }, (items) => (items.length
      ? docTable('quote', items, { id: 'quotes-table' }) : empty(t('quote.none'))));
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
  }
}
