// Quotes and invoices on the party page (for readers of sales only; no
// request at all for anyone else): the open items (open amount, due date,
// an "overdue" badge), the latest quotes and invoices with links to them
// and to the filtered lists, and "new quote" / "new invoice" for sales
// writers. Hidden until it has something to show.

import { h, fill } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { fmtAmount } from '../format.js';
import { errorText } from '../forms.js';
import { canSeeBilling, canWriteBilling } from '../access.js';
import { errorBox } from '../ui.js';
import { statusChip } from './billing-doc.js';

const RECENT = 5;

function openItems(items, total) {
  if (!items.length) return null;
  return h('div', { class: 'pb-open', id: 'party-open-items' },
    h('h3', t('billing.open_items')),
    h('p', { class: 'pb-open-total', id: 'party-open-total' }, t('billing.open_total', { amount: fmtAmount(total) })),
    h('ul', { class: 'plain rec-list' }, items.map((i) => {
      const overdue = i.status === 'overdue';
      return h('li', { class: ['pb-item', overdue && 'pb-overdue'], 'data-id': i.id },
        h('a', { href: `/invoices/${i.id}` }, i.number), ' ',
        h('strong', fmtAmount(i.open)),
        h('span', { class: 'muted small-text' }, ` \u00b7 ${t('billing.due_on', { date: fmtDate(i.due) })}`), ' ',
        overdue ? h('span', { class: 'chip bill-status-overdue' }, t('billing.days_overdue', { n: i.days_overdue ?? '' })) : null);
    })));
}

function recent(kind, items, more) {
  const base = kind === 'quote' ? '/quotes' : '/invoices';
  return h('div', { class: 'pb-recent', id: `party-${kind}s` },
    h('h3', kind === 'quote' ? t('nav.quotes') : t('nav.invoices')),
    h('ul', { class: 'plain rec-list' }, items.map((d) => h('li', { 'data-id': d.id },
      h('a', { href: `${base}/${d.id}` }, d.number || t('invoice.draft_number')), ' ',
      statusChip(kind, d.status),
      h('span', { class: 'muted small-text' }, ` \u00b7 ${fmtAmount((d.kind === 'credit_note' ? -1 : 1) * (d.totals?.gross ?? 0))}`)))),
    more ? h('p', { class: 'small-text' }, h('a', { href: more }, t('billing.all_of_party'))) : null);
}

export function billingPanel(party) {
  const sec = h('section', { class: 'card party-billing', id: 'party-billing', 'aria-labelledby': 'party-billing-title', hidden: true });
  (async () => {
    if (!canSeeBilling()) return;
    const [hasQ, hasI, hasOpen] = await Promise.all([hasEndpoint('GET', '/quotes'), hasEndpoint('GET', '/invoices'), hasEndpoint('GET', '/parties/{id}/open-items')]);
    if (!hasQ && !hasI) return;
    let quotes = { items: [] };
    let invoices = { items: [] };
    let open = { items: [] };
    try {
      [quotes, invoices, open] = await Promise.all([
        hasQ ? api.get(qs('/quotes', { party: party.id, limit: RECENT })) : quotes,
        hasI ? api.get(qs('/invoices', { party: party.id, limit: RECENT })) : invoices,
        hasOpen ? api.get(`/parties/${party.id}/open-items`) : open,
      ]);
    } catch (e) {
      fill(sec, h('h2', { id: 'party-billing-title' }, t('billing.panel')), errorBox(errorText(e)));
      sec.hidden = false;
      return;
    }
    const write = canWriteBilling() && !party.archived;
    const head = h('div', { class: 'card-head' }, h('h2', { id: 'party-billing-title' }, t('billing.panel')),
      write ? h('div', { class: 'pb-actions' },
        hasQ ? h('a', { class: 'button small', href: qs('/quotes/new', { party: party.id }), id: 'party-new-quote' }, t('quote.new')) : null,
        hasI ? h('a', { class: 'button small', href: qs('/invoices/new', { party: party.id }), id: 'party-new-invoice' }, t('invoice.new')) : null) : null);
    const q = quotes.items || [];
    const i = invoices.items || [];
    const o = open.items || [];
    if (!q.length && !i.length && !o.length && !write) return;
    fill(sec, head,
      openItems(o, open.open ?? 0),
      q.length ? recent('quote', q, quotes.next || q.length >= RECENT ? qs('/quotes', { party: party.id }) : null) : null,
      i.length ? recent('invoice', i, invoices.next || i.length >= RECENT ? qs('/invoices', { party: party.id }) : null) : null,
      !q.length && !i.length && !o.length ? h('p', { class: 'empty small-text' }, t('billing.party_none')) : null);
    sec.hidden = false;
  })();
  return sec;
}
