// The deal dialog: a new deal (from the pipeline board, the party page or
// anywhere else that imports it) or a change to one (the deal page). Party
// by picker (preset when opened from a party), title, pipeline and stage,
// the amount typed in euros (parseAmount; the API takes cents), the
// probability, the expected close date and the owner (user picker, "me" by
// default). API field errors appear next to their input; a change is sent
// with If-Match of the version the dialog was opened with.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, getSession } from '../api.js';
import { amountInput, parseAmount } from '../format.js';
import { field, formError, showErrors, clearErrors, openDialog, busy, toast } from '../forms.js';
import { partyPicker, userPicker } from '../picker.js';

// Presets the party picker with one party (its name in the box, chosen in the list).
function presetParty(picker, party) {
  const search = picker.querySelector('input');
  const list = picker.querySelector('select');
  search.value = party.name || `#${party.id}`;
  fill(list, h('option', { value: party.id, selected: true }, party.name || `#${party.id}`));
  list.hidden = false;
}

// Open stages of a pipeline in their order (a new deal starts open).
function openStages(p) {
  return [...(p?.stages || [])].filter((s) => (s.kind || 'open') === 'open').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/*
 * openDealForm({party: {id, name}?, pipeline: id?, deal?, onSaved(deal)?})
 * deal given: change that deal (PATCH of the changed fields only);
 * otherwise create one. Returns the dialog element.
 */
export async function openDealForm({ party = null, pipeline = null, deal = null, onSaved = null, partner = null } = {}) {
  const editing = !!deal;
  const pipelines = editing ? [] : ((await api.get('/pipelines')).items || []);
  const err = formError();
  const picker = partyPicker({ id: 'deal-party', label: t('deal.party'), fieldName: 'party' });
  const p0 = editing ? { id: deal.party, name: deal.party_name } : party;
  if (p0) presetParty(picker, p0);
  // partners: the deal's partner (optional; left empty on a new deal, the server fills in the
  // partner who referred the party and says so)
  const partnerPick = partyPicker({ id: 'deal-partner', label: t('partner.field'), fieldName: 'partner', required: false });
  const pa0 = editing ? (deal.partner ? { id: deal.partner, name: deal.partner_name } : null) : partner;
  if (pa0) presetParty(partnerPick, pa0);
  const partnerValue = () => (partnerPick.querySelector('input').value.trim() ? partnerPick.value() || null : null);
  const title = field({ name: 'title', label: t('deal.title'), required: true, id: 'deal-title', value: deal?.title || '' });
  let pipeF = null;
  let stageF = null;
  if (!editing) {
    const chosen = pipelines.find((p) => String(p.id) === String(pipeline)) || pipelines.find((p) => p.default) || pipelines[0];
    pipeF = field({ name: 'pipeline', label: t('deal.pipeline'), type: 'select', id: 'deal-pipeline', value: chosen ? String(chosen.id) : '',
      options: pipelines.map((p) => [String(p.id), p.name]) });
    stageF = field({ name: 'stage', label: t('deal.stage'), type: 'select', id: 'deal-stage', options: [] });
    const fillStages = () => {
      const p = pipelines.find((x) => String(x.id) === pipeF.input.value);
      fill(stageF.input, openStages(p).map((s) => h('option', { value: s.id }, s.probability !== undefined && s.probability !== null ? `${s.name} (${s.probability}%)` : s.name)));
    };
    pipeF.input.addEventListener('change', fillStages);
    fillStages();
  }
  const amount = field({ name: 'amount', label: t('deal.amount'), id: 'deal-amount', value: deal ? amountInput(deal.amount) : '',
    hint: t('deal.amount_hint'), attrs: { inputmode: 'decimal' } });
  const ownProb = deal && deal.probability_source === 'deal' ? deal.probability : '';
  const prob = field({ name: 'probability', label: t('deal.probability'), type: 'number', id: 'deal-probability', value: ownProb ?? '',
    hint: t('deal.probability_hint'), attrs: { min: 0, max: 100, step: 1, inputmode: 'numeric' } });
  const close = field({ name: 'expected_close', label: t('deal.expected_close'), type: 'date', id: 'deal-close', value: deal?.expected_close || '' });
  const me = getSession()?.user?.id ?? null;
  const owner = userPicker({ id: 'deal-owner', label: t('deal.owner'), fieldName: 'owner', value: editing ? deal.owner : me });
  const form = h('form', { class: 'deal-form', novalidate: true, id: 'deal-form' },
    err, picker, title, partnerPick,
    pipeF ? h('div', { class: 'grid-2' }, pipeF, stageF) : null,
    h('div', { class: 'grid-2' }, amount, prob),
    h('div', { class: 'grid-2' }, close, owner),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, editing ? t('action.save') : t('deal.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  // a corrected field loses its error at once
  form.addEventListener('input', (e) => {
    const el = e.target;
    if (el.getAttribute?.('aria-invalid') !== 'true') return;
    el.removeAttribute('aria-invalid');
    const slot = document.getElementById(`${el.id}-error`);
    if (slot) {
      slot.textContent = '';
      slot.hidden = true;
    }
  });
  const dlg = openDialog(editing ? t('deal.edit_title', { deal: deal.title }) : t('deal.new_title'), form, { wide: true });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const errors = [];
    const partyId = picker.value();
    if (!partyId) errors.push({ field: 'party', message: t('deal.party_required') });
    if (!title.input.value.trim()) errors.push({ field: 'title', message: t('error.required') });
    const typed = amount.input.value.trim();
    const cents = typed === '' ? 0 : parseAmount(typed);
    if (Number.isNaN(cents)) errors.push({ field: 'amount', message: t('deal.amount_invalid') });
    else if (cents < 0) errors.push({ field: 'amount', message: t('deal.amount_negative') });
    const pv = prob.input.value.trim();
    const pn = pv === '' ? null : Number(pv);
    if (pn !== null && (!Number.isInteger(pn) || pn < 0 || pn > 100)) errors.push({ field: 'probability', message: t('deal.probability_invalid') });
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    const values = {
      party: partyId,
      title: title.input.value.trim(),
      amount: cents,
      expected_close: close.input.value || null,
      owner: owner.value(),
      partner: partnerValue(), // partners
    };
    let body;
    if (editing) {
      body = {};
      for (const [k, v] of Object.entries(values)) if (v !== (deal[k] ?? null)) body[k] = v;
      if (pn !== (deal.probability_source === 'deal' ? deal.probability : null)) body.probability = pn;
      if (!Object.keys(body).length) {
        dlg.close();
        return;
      }
    } else {
      body = { ...values, pipeline: Number(pipeF.input.value) || undefined, stage: Number(stageF.input.value) || undefined };
      if (pn !== null) body.probability = pn;
      if (!body.expected_close) delete body.expected_close;
      if (body.owner === null) delete body.owner;
      if (body.partner === null) delete body.partner; // partners: the referral, if any, applies
    }
    busy(form, async () => {
      try {
        const saved = editing
          ? await api.patch(`/deals/${deal.id}`, body, { version: deal.version })
          : await api.post('/deals', body);
        dlg.close();
        toast(editing ? t('action.saved') : saved.partner_source === 'referral' // partners
          ? t('partner.deal_via_referral', { deal: saved.title, partner: saved.partner_name })
          : t('deal.created', { deal: saved.title }));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        if (ex.status === 412) ex.errors = [];
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}
