// The deals panel of the party page: the party's open deals first, then the
// won and lost ones (a won deal stays in sight), each linking to its deal
// page with stage, amount in euros and expected close; "new deal" for users
// who may write sales. Shown to users who may read sales when the server
// has /api/v1/deals.

import { h, fill } from '../dom.js';
import { t, word, fmtDate } from '../i18n.js';
import { hasEndpoint, listAll } from '../api.js';
import { fmtAmount } from '../format.js';
import { errorText } from '../forms.js';
import { canRead, canWriteDeals } from '../access.js';
import { loading, errorBox } from '../ui.js';
import { openDealForm } from './deal-form.js';

const ORDER = { open: 0, won: 1, lost: 2 };

// Returns the panel (a section, hidden until it knows it has something to show).
export function partyDeals(party) {
  const sec = h('section', { class: 'card party-deals', id: 'party-deals', 'aria-labelledby': 'party-deals-title', hidden: true });

  async function load() {
    if (!canRead('sales') || !(await hasEndpoint('GET', '/deals'))) return;
    const canNew = canWriteDeals() && !party.archived;
    const headEl = h('div', { class: 'card-head' },
      h('h2', { id: 'party-deals-title' }, t('deal.party_title')),
      canNew ? h('button', { type: 'button', class: 'small', id: 'party-new-deal',
        onclick: () => openDealForm({ party: { id: party.id, name: party.name }, onSaved: load }) }, t('deal.new')) : null);
    sec.hidden = false;
    fill(sec, headEl, loading());
    let items;
    try {
      ({ items } = await listAll('/deals', { party: party.id }, 1000));
    } catch (e) {
      fill(sec, headEl, errorBox(errorText(e)));
      return;
    }
    items.sort((a, b) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3) || String(b.updated_at).localeCompare(String(a.updated_at)));
    const open = items.filter((d) => d.status === 'open');
    const sum = open.reduce((n, d) => n + (d.currency === 'EUR' || !d.currency ? d.amount || 0 : 0), 0);
    fill(sec, headEl,
      items.length ? h('p', { class: 'muted small-text', id: 'party-deals-sum' }, t('deal.party_sum', { n: open.length, amount: fmtAmount(sum) })) : null,
      items.length ? h('ul', { class: 'plain rec-list deal-list' }, items.map((d) => h('li', { class: ['deal-row', `deal-row-${d.status}`], 'data-deal': d.id },
        h('a', { href: `/deals/${d.id}` }, d.title),
        ' ',
        h('span', { class: ['chip', `deal-status-${d.status}`] }, word('deal.state', d.status)),
        h('span', { class: 'muted small-text deal-row-meta' },
          [d.status === 'open' ? d.stage_name : null, fmtAmount(d.amount, d.currency), d.status === 'open' && d.expected_close ? fmtDate(d.expected_close) : null]
            .filter(Boolean).join(' \u00b7 ')))))
        : h('p', { class: 'empty small-text' }, t('deal.party_none')));
  }
  load();
  return sec;
}
