// Campaigns (/campaigns): newsletters and neighbour letters to a segment.
// The list shows each campaign's status (draft, sending, sent), its segment,
// domain and the report's numbers (sent, skipped, bounced); a click opens
// the wizard (a draft) or the report (sent). "Nieuwe campagne" starts the
// wizard (views/campaign-wizard.js) for users who write a domain.

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { errorText } from '../forms.js';
import { canSeeCampaigns } from '../access.js';
import { setNewAction } from '../keys.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';

export function campaignStatus(s) {
  return h('span', { class: ['chip', 'campaign-status', s === 'sent' ? 'status-on' : s === 'sending' ? 'chip-warn' : null], 'data-status': s }, word('campaign.status', s));
}

// Segment names by id (GET /segments), for lists that carry only the id.
export async function segmentNames() {
  try {
    const r = await api.get('/segments');
    return new Map((r.items || []).map((s) => [Number(s.id), s.name]));
  } catch {
    return new Map();
  }
}

export async function render(main, ctx) {
  ctx.setTitle(t('campaign.title'));
  const newBtn = canSeeCampaigns() ? h('a', { class: 'button primary', href: '/campaigns/new', id: 'campaign-new' }, t('campaign.new')) : null;
  if (newBtn) setNewAction(() => ctx.navigate('/campaigns/new'));
  const list = h('div', { id: 'campaign-list' }, loading());
  const more = h('button', { type: 'button', id: 'campaign-more', hidden: true, onclick: () => load(false) }, t('campaign.more'));
  fill(main, pageHead(t('campaign.title'), newBtn), h('p', { class: 'muted' }, t('campaign.intro')), list, more);
  const segs = await segmentNames();
  let rows = [];
  let next = null;
  const tbody = h('tbody');
  const row = (c) => {
    const r = c.report || null;
    return h('tr', { 'data-campaign': c.id },
      h('th', { scope: 'row' }, h('a', { href: `/campaigns/${c.id}` }, c.name)),
      h('td', { 'data-label': t('campaign.status') }, campaignStatus(c.status)),
      h('td', { 'data-label': t('campaign.segment') }, segs.get(Number(c.segment)) || (c.segment ? `#${c.segment}` : '')),
      h('td', { 'data-label': t('campaign.domain') }, word('domain', c.domain)),
      h('td', { 'data-label': t('campaign.sent'), class: 'num' }, r ? String(r.sent ?? 0) : '\u2013',
        r?.queued ? h('span', { class: 'muted' }, ` (+${t('campaign.queued_n', { n: r.queued })})`) : null),
      h('td', { 'data-label': t('campaign.skipped'), class: 'num' }, r ? String(r.skipped ?? 0) : '\u2013'),
      h('td', { 'data-label': t('campaign.bounced'), class: 'num' }, r ? String(r.bounced ?? 0) : '\u2013'),
      h('td', { 'data-label': t('campaign.sent_at') }, c.sent_at ? fmtDateTime(c.sent_at) : ''));
  };
  async function load(reset) {
    let r;
    try {
      r = await api.get(qs('/campaigns', { limit: 50, cursor: reset ? null : next }));
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    if (reset) rows = [];
    rows.push(...(r.items || []));
    next = r.next || null;
    more.hidden = !next;
    fill(tbody, rows.map(row));
    fill(list, rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'campaign-table' },
      h('caption', { class: 'sr-only' }, t('campaign.title')),
      h('thead', h('tr', ['campaign.name', 'campaign.status', 'campaign.segment', 'campaign.domain', 'campaign.sent', 'campaign.skipped', 'campaign.bounced', 'campaign.sent_at']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      tbody)) : empty(t('campaign.none')));
  }
  await load(true);
}
