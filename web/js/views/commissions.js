// Partners: the commission statement (/commissions) per partner and period
// (a year 2026, a quarter 2026-Q4 or a month 2026-11; the API's field error
// shows next to the period box), with totals per currency, the CSV download
// for Excel (and, once one partner is chosen, the statement as PDF), and the
// status buttons for those allowed (approve and back to open: partners write;
// paid: partners full). Below it the tier proposals waiting for a decision
// (accept / reject: partners write; "evaluate now" makes new ones) and the
// tiers' thresholds. The party page's partner panel (party-partner.js) uses
// the line, totals and proposal parts.

import { h, fill } from '../dom.js';
import { t, word, fmtDate } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { fmtAmount, amountInput, parseAmount } from '../format.js';
import { canApproveCommission, canPayCommission, canDecideTiers, isAdmin } from '../access.js';

function pct(v) {
  return `${Number(v).toLocaleString(document.documentElement.lang || 'nl', { maximumFractionDigits: 2 })}%`;
}

// The day before an exclusive end date: the period's last day.
function lastDay(to) {
  const d = new Date(`${to}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

// The quarter of today, "2026-Q4".
export function thisQuarter() {
  const d = new Date();
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
}

// One commission line with its status buttons; onChange() after a change.
export function lineCard(l, { onChange, showPartner = true } = {}) {
  const buttons = [];
  const set = (status, text, id) => h('button', {
    type: 'button', class: 'small', 'data-status': status, id,
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        await api.patch(`/commissions/${l.id}`, { status }, { version: l.version });
        toast(t('commission.changed', { status: word('commission', `s_${status}`) }));
        if (onChange) await onChange();
      } catch (ex) {
        e.target.disabled = false;
        toast(errorText(ex), 'error');
      }
    },
  }, text);
  if (l.status === 'open' && canApproveCommission()) buttons.push(set('approved', t('commission.approve'), `commission-approve-${l.id}`));
  if (l.status === 'approved' && canPayCommission()) buttons.push(set('paid', t('commission.pay'), `commission-pay-${l.id}`));
  if (l.status === 'approved' && canApproveCommission()) buttons.push(set('open', t('commission.reopen'), `commission-reopen-${l.id}`));
  return h('article', { class: ['comm-line', `comm-${l.status}`], 'data-id': l.id },
    h('div', { class: 'comm-main' },
      h('p', { class: 'comm-title' },
        l.deal_title || t('commission.deal_gone'),
        l.party_name ? h('span', { class: 'muted' }, ` \u2013 ${l.party_name}`) : null),
      h('p', { class: 'muted' },
        [fmtDate(l.won_on), showPartner ? l.partner_name : null,
          `${fmtAmount(l.base, l.currency)} \u00d7 ${pct(l.commission_pct)}`,
          word('commission', `src_${l.pct_source}`)].filter(Boolean).join(' \u00b7 '))),
    h('div', { class: 'comm-side' },
      h('strong', { class: 'comm-amount' }, fmtAmount(l.amount, l.currency)),
      h('span', { class: ['chip', `comm-chip-${l.status}`] }, word('commission', `s_${l.status}`)),
      buttons.length ? h('div', { class: 'comm-actions' }, buttons) : null));
}

// Totals per currency.
export function totalsBox(totals) {
  if (!totals?.length) return null;
  return h('dl', { class: 'comm-totals', id: 'commission-totals' }, totals.flatMap((x) => [
    h('div', { class: 'comm-total' }, h('dt', t('commission.total_open')), h('dd', fmtAmount(x.open, x.currency))),
    h('div', { class: 'comm-total' }, h('dt', t('commission.total_approved')), h('dd', fmtAmount(x.approved, x.currency))),
    h('div', { class: 'comm-total' }, h('dt', t('commission.total_paid')), h('dd', fmtAmount(x.paid, x.currency))),
    h('div', { class: 'comm-total comm-total-all' }, h('dt', t('commission.total', { n: x.count })), h('dd', fmtAmount(x.total, x.currency))),
  ]));
}

// One tier proposal with accept / reject for partners writers.
export function proposalCard(p, { onChange, showParty = true } = {}) {
  const decide = (status, text) => h('button', {
    type: 'button', class: ['small', status === 'accepted' && 'primary'], id: `proposal-${status}-${p.id}`,
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        await api.patch(`/tier-proposals/${p.id}`, { status }, { version: p.version });
        toast(t(status === 'accepted' ? 'partner.proposal_accepted' : 'partner.proposal_rejected'));
        if (onChange) await onChange();
      } catch (ex) {
        e.target.disabled = false;
        toast(errorText(ex), 'error');
      }
    },
  }, text);
  const move = t(p.direction === 'up' ? 'partner.proposal_up' : 'partner.proposal_down', {
    from: word('partner', `tier_${p.from_tier || 'none'}`), to: word('partner', `tier_${p.to_tier}`),
  });
  return h('article', { class: 'tier-proposal', 'data-id': p.id },
    h('p', showParty ? h('a', { href: `/parties/${p.party}` }, p.party_name) : null, showParty ? ': ' : null, h('strong', move)),
    h('p', { class: 'muted' }, t('partner.criteria', { revenue: fmtAmount(p.revenue), n: p.certified }), ' \u00b7 ', fmtDate(p.created_at)),
    p.status === 'pending' && canDecideTiers()
      ? h('div', { class: 'comm-actions' }, decide('accepted', t('partner.accept')), decide('rejected', t('partner.reject')))
      : null);
}

// The thresholds and default commission of one tier (administrators).
function editLevel(l, done) {
  const err = formError();
  const rev = field({ name: 'min_revenue', label: t('partner.min_revenue'), id: 'tier-min-revenue', value: amountInput(l.min_revenue), attrs: { inputmode: 'decimal' } });
  const cert = field({ name: 'min_certified', label: t('partner.min_certified'), id: 'tier-min-certified', type: 'number', value: String(l.min_certified), attrs: { min: '0', inputmode: 'numeric' } });
  const pctF = field({ name: 'commission_pct', label: t('partner.default_pct'), id: 'tier-pct', value: String(l.commission_pct).replace('.', document.documentElement.lang === 'en' ? '.' : ','), attrs: { inputmode: 'decimal' } });
  const form = h('form', { novalidate: true, id: 'tier-form' }, err, rev, cert, pctF,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('partner.tier_edit_of', { tier: word('partner', `tier_${l.tier}`) }), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const cents = parseAmount(rev.input.value);
    const p = Number(pctF.input.value.trim().replace(',', '.'));
    const patch = {
      min_revenue: Number.isNaN(cents) ? rev.input.value : cents,
      min_certified: cert.input.value === '' ? null : Number(cert.input.value),
      commission_pct: pctF.input.value.trim() === '' || Number.isNaN(p) ? pctF.input.value : p,
    };
    busy(form, async () => {
      try {
        const nl = await api.patch(`/partner-tiers/${l.id}`, patch, { version: l.version });
        dlg.close();
        toast(t('action.saved'));
        done(nl);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

async function proposalsSection() {
  const list = h('div', { id: 'tier-proposals' }, loading());
  const status = h('p', { class: 'muted', role: 'status' });
  async function load() {
    try {
      const r = await api.get(qs('/tier-proposals', { status: 'pending' }));
      fill(list, r.items.length ? r.items.map((p) => proposalCard(p, { onChange: load })) : empty(t('partner.no_proposals')));
    } catch (e) {
      fill(list, errorBox(errorText(e)));
    }
  }
  const evaluate = canDecideTiers() ? h('button', {
    type: 'button', class: 'small', id: 'tiers-evaluate',
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        const r = await api.post('/partner-tiers/evaluate');
        status.textContent = t('partner.evaluated', { n: r.evaluated, m: r.items.length });
        await load();
      } catch (ex) {
        toast(errorText(ex), 'error');
      }
      e.target.disabled = false;
    },
  }, t('partner.evaluate')) : null;
  // The tiers' thresholds: a table that becomes one card per tier on a phone (table.list), with
  // an edit dialog per tier for administrators (PATCH /partner-tiers/{id}).
  const levels = h('div', { class: 'tier-levels' });
  const showLevels = (items) => fill(levels, h('table', { class: 'list compact', id: 'tier-levels' },
    h('caption', t('partner.levels')),
    h('thead', h('tr', h('th', { scope: 'col' }, t('partner.tier')), h('th', { scope: 'col' }, t('partner.min_revenue')),
      h('th', { scope: 'col' }, t('partner.min_certified')), h('th', { scope: 'col' }, t('partner.default_pct')),
      isAdmin() ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('partner.tier_edit'))) : null)),
    h('tbody', items.map((l) => h('tr', { 'data-tier': l.tier },
      h('td', { class: 'c-name' }, word('partner', `tier_${l.tier}`)),
      h('td', { 'data-label': t('partner.min_revenue') }, fmtAmount(l.min_revenue)),
      h('td', { 'data-label': t('partner.min_certified') }, String(l.min_certified)),
      h('td', { 'data-label': t('partner.default_pct') }, pct(l.commission_pct)),
      isAdmin() ? h('td', h('button', {
        type: 'button', class: 'small', id: `tier-edit-${l.tier}`,
        'aria-label': t('partner.tier_edit_label', { tier: word('partner', `tier_${l.tier}`) }),
        onclick: () => editLevel(l, (nl) => showLevels(items.map((x) => (x.id === nl.id ? nl : x)))),
      }, t('admin.edit'))) : null)))));
  api.get('/partner-tiers').then((r) => showLevels(r.items)).catch(() => {});
  await load();
  return h('section', { class: 'card', 'aria-labelledby': 'tiers-title' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'tiers-title' }, t('partner.proposals')), evaluate),
    status, list, levels);
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.commissions'));
  if (!(await hasEndpoint('GET', '/commissions'))) {
    fill(main, pageHead(t('nav.commissions')), empty(t('feature.unavailable')));
    return;
  }
  const partner = ctx.query.get('partner') || '';
  const period = ctx.query.has('period') ? ctx.query.get('period') : thisQuarter();
  let partners = [];
  try {
    partners = (await api.get(qs('/parties', { q: 'role:partner', limit: 200, sort: 'name', total: false }))).items || [];
  } catch {
    partners = [];
  }
  const err = formError();
  const pf = field({ name: 'partner', label: t('commission.partner'), type: 'select', id: 'commission-partner', value: partner,
    options: [['', t('commission.all_partners')], ...partners.map((p) => [String(p.id), p.name])] });
  const per = field({ name: 'period', label: t('commission.period'), id: 'commission-period', value: period, hint: t('commission.period_hint') });
  const form = h('form', { class: 'comm-filter', id: 'commission-filter', novalidate: true },
    err, h('div', { class: 'grid-2' }, pf, per),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('commission.show'))));
  const csv = h('a', { class: 'button', id: 'commission-csv', download: 'commissies.csv',
    href: qs('/api/v1/commissions.csv', { partner, period }) }, t('commission.csv'));
  // the statement as PDF is per partner: offered once one is chosen
  const pdf = partner
    ? h('a', { class: 'button', id: 'commission-pdf', download: `${t('commission.pdf_file')}-${partner}.pdf`,
      href: qs('/api/v1/commissions.pdf', { partner, period }) }, t('commission.pdf'))
    : null;
  const head = h('div', { id: 'commission-head' });
  const list = h('div', { class: 'comm-list', id: 'commission-lines' }, loading());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(qs('/commissions', { partner: pf.input.value, period: per.input.value.trim() || undefined }));
  });
  fill(main, pageHead(t('nav.commissions'), csv, ...(pdf ? [pdf] : [])), form, head, list);

  async function load() {
    let r;
    try {
      r = await api.get(qs('/commissions', { partner, period }));
    } catch (e) {
      if (!ctx.alive()) return;
      if (e.status === 400 || e.status === 422) {
        showErrors(form, e);
        fill(list, '');
      } else fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    fill(head,
      h('h2', { id: 'commission-statement' }, r.period
        ? t('commission.statement_period', { from: fmtDate(r.period.from), to: fmtDate(lastDay(r.period.to)) })
        : t('commission.statement_all')),
      totalsBox(r.totals));
    fill(list, r.items.length ? r.items.map((l) => lineCard(l, { onChange: load })) : empty(t('commission.none')));
  }
  await load();
  if (ctx.alive()) main.append(await proposalsSection());
}
