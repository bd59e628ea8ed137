// Agreements (contracts): a list of the agreements in the domains the user
// may read, filtered by status or "ending within 90 days", and dialogs to
// create, edit, renew (a new end date, by default one term of renew_months
// further) and end (an end date, default today, no auto-renewal) an
// agreement. The value is typed and shown in euros (cents stay the API's
// unit). Controls only where the user may write the agreement's domain.
// The party page shows the same rows through party-agreements.js.

import { h, fill, todayISO } from '../dom.js';
import { partyPicker, userPicker } from '../picker.js';
import { t, word, fmtDate } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { fmtAmount, amountInput, parseAmount } from '../format.js';
import { writableDomains, canWriteRecord } from '../access.js';
// HR: the chain rule's warnings after a new employment contract
import { chainWarning } from './party-employment.js';
import { setNewAction } from '../keys.js';
import { documentButtons } from './documents.js'; // documents

export const KINDS = { customer_contract: 'sales', employment_contract: 'hr', partner_agreement: 'partners', supplier_contract: 'purchasing', nda: 'sales', other: 'sales' };

// "YYYY-MM-DD" plus months (end of month kept within the month).
export function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

function statusChip(a) {
  const soon = a.status === 'active' && a.ends_in_days !== null && a.ends_in_days !== undefined && a.ends_in_days <= 30;
  return h('span', { class: ['chip', `agr-${a.status}`, soon && 'sla-soon'] },
    soon ? (a.ends_in_days === 0 ? t('agreement.ends_today') : t('agreement.ends_in', { n: a.ends_in_days })) : word('agreement', `s_${a.status}`));
}

// One agreement as a card with its controls; onChange(newAgreement) after a write.
export function agreementCard(a, { onChange, showParty = true } = {}) {
  const writable = canWriteRecord(a);
  const period = a.end ? `${fmtDate(a.start)} \u2013 ${fmtDate(a.end)}` : `${t('agreement.from')} ${fmtDate(a.start)}`;
  // each dialog starts from the agreement as it is now (another user may have changed it)
  const fresh = (open) => async () => {
    try {
      open(await api.get(`/agreements/${a.id}`));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const actions = writable ? h('div', { class: 'actions agr-actions' },
    h('button', { type: 'button', class: 'agr-edit', onclick: fresh((cur) => agreementDialog({ agreement: cur, onSaved: onChange })) }, t('agreement.edit')),
    a.end && a.status !== 'ended' ? h('button', { type: 'button', class: 'agr-renew', onclick: fresh((cur) => renewDialog(cur, onChange)) }, t('agreement.renew')) : null,
    a.status !== 'ended' ? h('button', { type: 'button', class: 'agr-end', onclick: fresh((cur) => endDialog(cur, onChange)) }, t('agreement.end')) : null) : null;
  return h('article', { class: 'card agreement', 'data-agreement': a.id },
    h('div', { class: 'case-head' },
      h('h3', { class: 'h3' }, a.title || word('agreement', a.kind)),
      statusChip(a)),
    h('p', { class: 'muted small-text' },
      showParty ? [h('a', { href: `/parties/${a.party}` }, a.party_name || `#${a.party}`), ' \u00b7 '] : null,
      word('agreement', a.kind), ' \u00b7 ', period,
      a.value !== null && a.value !== undefined ? [' \u00b7 ', h('span', { class: 'agr-value' }, fmtAmount(a.value, a.currency))] : null,
      a.auto_renew ? [' \u00b7 ', t('agreement.auto_renews', { n: a.renew_months })] : null,
      a.notice_by && a.status !== 'ended' && a.notice_by >= todayISO() ? [' \u00b7 ', t('agreement.notice_by', { date: fmtDate(a.notice_by) })] : null),
    a.notes ? h('p', { class: 'pre' }, a.notes) : null,
    actions);
}

// Create (no agreement; party fixes the party) or edit an agreement.
export function agreementDialog({ agreement = null, party = null, onSaved } = {}) {
  const a = agreement || {};
  const domains = writableDomains();
  const kinds = Object.keys(KINDS).filter((k) => domains.includes(KINDS[k]) || k === 'nda' || k === 'other');
  const err = formError();
  const partyField = agreement || party ? null : partyPicker({ id: 'agr-party', label: t('cases.party') });
  const kind = field({ name: 'kind', label: t('agreement.kind'), type: 'select', id: 'agr-kind', value: a.kind || kinds[0], options: kinds.map((k) => [k, word('agreement', k)]) });
  const domain = field({ name: 'domain', label: t('activity.domain'), type: 'select', id: 'agr-domain', value: a.domain || KINDS[kind.input.value], options: (agreement ? [a.domain] : domains).map((d) => [d, word('domain', d)]) });
  if (agreement) domain.input.disabled = true;
  kind.input.addEventListener('change', () => {
    const d = KINDS[kind.input.value];
    if (domains.includes(d)) domain.input.value = d;
  });
  const title = field({ name: 'title', label: t('agreement.title'), id: 'agr-title', value: a.title || '' });
  const start = field({ name: 'start', label: t('agreement.start'), type: 'date', id: 'agr-start', value: a.start || todayISO(), required: true });
  const end = field({ name: 'end', label: t('agreement.end_date'), type: 'date', id: 'agr-end', value: a.end || '' });
  const notice = field({ name: 'notice_days', label: t('agreement.notice_days'), type: 'number', id: 'agr-notice', value: a.notice_days ?? 0, attrs: { min: 0, max: 3650, inputmode: 'numeric' } });
  const value = field({ name: 'value', label: t('agreement.value'), id: 'agr-value', value: amountInput(a.value), attrs: { inputmode: 'decimal' }, hint: t('agreement.value_hint') });
  const autoRenew = field({ name: 'auto_renew', label: t('agreement.auto_renew'), type: 'checkbox', id: 'agr-auto', value: !!a.auto_renew });
  const months = field({ name: 'renew_months', label: t('agreement.renew_months'), type: 'number', id: 'agr-months', value: a.renew_months ?? 12, attrs: { min: 1, max: 120, inputmode: 'numeric' } });
  const owner = userPicker({ id: 'agr-owner', label: t('agreement.owner'), fieldName: 'owner', value: a.owner });
  const notes = field({ name: 'notes', label: t('agreement.notes'), type: 'textarea', id: 'agr-notes', value: a.notes || '' });
  const form = h('form', { novalidate: true, id: 'agreement-form' }, err, partyField,
    h('div', { class: 'grid-2' }, kind, domain), title,
    h('div', { class: 'grid-3' }, start, end, notice),
    h('div', { class: 'grid-3' }, value, months, owner), autoRenew, notes,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, agreement ? t('action.save') : t('action.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(agreement ? t('agreement.edit_title') : t('agreement.new'), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      kind: kind.input.value,
      title: title.input.value.trim() || null,
      start: start.input.value,
      end: end.input.value || null,
      notice_days: Number(notice.input.value || 0),
      auto_renew: autoRenew.input.checked,
      renew_months: Number(months.input.value || 12),
      owner: owner.value(),
      notes: notes.input.value.trim() || null,
    };
    if (!agreement) body.domain = domain.input.value;
    const errors = [];
    if (value.input.value.trim() === '') body.value = null;
    else {
      const cents = parseAmount(value.input.value);
      if (Number.isNaN(cents)) errors.push({ field: 'value', message: t('agreement.value_bad') });
      else body.value = cents;
    }
    if (!agreement) {
      body.party = party || partyField.value() || undefined;
      if (!body.party) errors.push({ field: 'party', message: t('error.required') });
      if (!body.title) delete body.title;
      if (!body.notes) delete body.notes;
      if (!body.end) delete body.end;
      if (!body.owner) delete body.owner;
    }
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    busy(form, async () => {
      try {
        const saved = agreement
          ? await api.patch(`/agreements/${a.id}`, body, { version: a.version })
          : await api.post('/agreements', body);
        dlg.close();
        toast(agreement ? t('action.saved') : t('agreement.created'));
        if (!agreement) chainWarning(saved); // HR: the chain rule's warnings
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

// Renew: a new end date, one term further by default.
export function renewDialog(a, onSaved) {
  const err = formError();
  const months = a.renew_months || 12;
  const end = field({ name: 'end', label: t('agreement.new_end'), type: 'date', id: 'agr-renew-end', value: addMonths(a.end, months), required: true });
  const form = h('form', { novalidate: true, id: 'agreement-renew' }, err,
    h('p', t('agreement.renew_text', { date: fmtDate(a.end), n: months })), end,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('agreement.renew')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('agreement.renew_title'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const saved = await api.patch(`/agreements/${a.id}`, { end: end.input.value }, { version: a.version });
        dlg.close();
        toast(t('agreement.renewed', { date: fmtDate(saved.end) }));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

// End: an end date (today by default; not before the start) and no more renewals.
export function endDialog(a, onSaved) {
  const err = formError();
  const today = todayISO();
  const end = field({ name: 'end', label: t('agreement.end_on'), type: 'date', id: 'agr-end-on', value: a.start > today ? a.start : today, required: true });
  const form = h('form', { novalidate: true, id: 'agreement-end' }, err,
    h('p', t('agreement.end_text')), end,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('agreement.end')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('agreement.end_title'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const saved = await api.patch(`/agreements/${a.id}`, { end: end.input.value, auto_renew: false }, { version: a.version });
        dlg.close();
        toast(t('agreement.ended', { date: fmtDate(saved.end) }));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.agreements'));
  if (!(await hasEndpoint('GET', '/agreements'))) {
    fill(main, pageHead(t('nav.agreements')), empty(t('feature.unavailable')));
    return;
  }
  const f = ctx.query.get('f') || 'active';
  const filters = [
    ['active', t('agreement.f_active')],
    ['expiring', t('agreement.f_expiring')],
    ['upcoming', t('agreement.f_upcoming')],
    ['ended', t('agreement.f_ended')],
    ['all', t('agreement.f_all')],
  ];
  const list = h('div', { class: 'agreement-list', id: 'agreement-list' }, loading());
  const more = h('button', { type: 'button', id: 'agreements-more', hidden: true, onclick: () => load(true) }, t('case.more'));
  const newBtn = writableDomains().length ? h('button', { type: 'button', class: 'primary', id: 'new-agreement', onclick: () => agreementDialog({ onSaved: () => load() }) }, t('agreement.new')) : null;
  if (newBtn) setNewAction(() => agreementDialog({ onSaved: () => load() })); // the 'n' key
  fill(main,
    pageHead(t('nav.agreements'), newBtn),
    h('div', { class: 'quick-filters', role: 'group', 'aria-label': t('list.quick_filters') },
      filters.map(([key, text]) => h('a', { class: ['chip', 'chip-link', key === f && 'chip-on'], href: qs('/agreements', { f: key }), 'aria-current': key === f ? 'true' : null }, text))),
    list, h('p', { class: 'more-row' }, more));

  let items = [];
  let next = null;
  async function load(append = false) {
    const params = { limit: 50, cursor: append ? next : undefined };
    if (f === 'expiring') params.expiring = 90;
    else if (f !== 'all') params.status = f;
    try {
      const r = await api.get(qs('/agreements', params));
      items = append ? items.concat(r.items || []) : r.items || [];
      next = r.next;
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    more.hidden = !next;
    if (!items.length) fill(list, empty(t('agreement.none')));
    else fill(list, items.map((a) => agreementCard(a, { onChange: () => load() })));
    documentButtons(list, items); // documents: a button per agreement
  }
  await load();
}
