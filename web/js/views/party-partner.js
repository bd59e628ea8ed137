// Partners: the partner panel of a party page, for parties with a partner
// role and readers of partners (GET /parties/{id}/partner): tier and
// commission percentage, the tier criteria now (revenue over 12 months,
// certified people), the partner's pipeline (the deals carrying it; a link
// to the deal for readers of sales), the latest commission lines with the
// totals and a link to the full statement, and the tier proposals waiting
// (accept / reject for partners writers). "Register deal" opens the deal
// dialog with this partner filled in, for sales writers and partners
// writers (the server lets a partners writer create an open deal that
// carries a partner).

import { h, fill } from '../dom.js';
import { t, word, fmtDate } from '../i18n.js';
import { api, hasEndpoint } from '../api.js';
import { errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { fmtAmount } from '../format.js';
import { canRead, canSeeCommissions, canRegisterPartnerDeal } from '../access.js';
import { lineCard, totalsBox, proposalCard } from './commissions.js';
import { openDealForm } from './deal-form.js';

function hasPartnerRole(party) {
  return (party.roles || []).some((r) => r.type === 'partner');
}

function dealRow(d) {
  const title = canRead('sales') ? h('a', { href: `/deals/${d.id}` }, d.title) : d.title;
  return h('li', { class: 'partner-deal' },
    h('span', { class: 'partner-deal-title' }, title,
      h('span', { class: 'muted' }, ` \u2013 ${d.party_name}`),
      d.partner_source === 'referral' ? h('span', { class: 'chip' }, t('partner.via_referral')) : null),
    h('span', { class: 'partner-deal-side' },
      h('span', { class: ['chip', `deal-${d.status}`] }, d.status === 'open' ? d.stage_name : word('partner', `deal_${d.status}`)),
      ' ', fmtAmount(d.amount, d.currency),
      d.expected_close && d.status === 'open' ? h('span', { class: 'muted' }, ` \u00b7 ${fmtDate(d.expected_close)}`) : null));
}

export function partnerPanel(party) {
  const sec = h('section', { class: 'card partner-panel', id: 'partner-panel', 'aria-labelledby': 'partner-panel-title', hidden: true });
  if (!hasPartnerRole(party) || !canSeeCommissions()) return sec;
  const body = h('div');
  async function load() {
    let p;
    try {
      p = await api.get(`/parties/${party.id}/partner`);
    } catch (e) {
      if (e.status === 404) {
        sec.hidden = true; // no current partner role
        return;
      }
      fill(body, errorBox(errorText(e)));
      return;
    }
    sec.hidden = false;
    const register = canRegisterPartnerDeal() && !party.archived ? h('button', {
      type: 'button', class: 'small', id: 'partner-register-deal',
      onclick: () => openDealForm({ partner: { id: party.id, name: party.name }, onSaved: load }),
    }, t('partner.register_deal')) : null;
    const open = p.deals.filter((d) => d.status === 'open');
    const closed = p.deals.filter((d) => d.status !== 'open');
    fill(body,
      h('dl', { class: 'partner-facts' },
        h('div', h('dt', t('partner.tier')), h('dd', { id: 'partner-tier' }, p.tier ? word('partner', `tier_${p.tier}`) : '\u2013')),
        h('div', h('dt', t('partner.commission_pct')), h('dd', `${p.commission_pct}% `, h('span', { class: 'muted' }, word('commission', `src_${p.pct_source}`)))),
        h('div', h('dt', t('partner.revenue_12m')), h('dd', fmtAmount(p.revenue_12m))),
        h('div', h('dt', t('partner.certified')), h('dd', String(p.certified)))),
      h('div', { class: 'panel-head' }, h('h3', t('partner.pipeline')), register),
      p.deals.length ? h('ul', { class: 'partner-deals', id: 'partner-deals' }, [...open, ...closed].map(dealRow)) : empty(t('partner.no_deals')),
      h('div', { class: 'panel-head' }, h('h3', t('partner.commissions')),
        h('a', { href: `/commissions?partner=${party.id}&period=`, id: 'partner-statement' }, t('partner.statement'))),
      totalsBox(p.commissions.totals),
      p.commissions.items.length
        ? h('div', { class: 'comm-list', id: 'partner-lines' }, p.commissions.items.map((l) => lineCard(l, { onChange: load, showPartner: false })))
        : empty(t('commission.none')),
      p.proposals.length ? h('h3', t('partner.proposals')) : null,
      p.proposals.map((x) => proposalCard(x, { onChange: load, showParty: false })));
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/parties/{id}/partner'))) return;
    fill(sec, h('h2', { id: 'partner-panel-title' }, t('partner.panel')), body);
    await load();
  })();
  return sec;
}
