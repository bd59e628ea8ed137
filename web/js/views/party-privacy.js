// The party page's privacy panels: contactability (may we e-mail, may we
// call, and why (not)), the current consent per purpose with "give" and
// "withdraw" for users who may record consent (sales or pr write), the
// consent history; and the GDPR actions for administrators: export (the
// JSON of everything held, downloaded) and erase (with a confirmation that
// names what goes and what stays).

import { h, fill } from '../dom.js';
import { t, word, has, fmtDate, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { users } from '../picker.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canRecordConsent, isAdmin } from '../access.js';
import { download } from '../csv.js';
import { errorBox } from '../ui.js';

export const PURPOSES = ['newsletter', 'marketing_email', 'phone_marketing', 'applicant_pool'];

async function userNames() {
  try {
    return new Map((await users()).map((u) => [u.id, u.display_name || u.name]));
  } catch {
    return new Map();
  }
}

// consentPanel(section, party, reload): fills section; reload() reads the party again.
export async function consentPanel(section, p, reload) {
  const may = (chan, ok) => {
    const c = p.contactability?.[chan] || {};
    return h('div', { class: ['may', ok ? 'may-yes' : 'may-no'], id: `may-${chan}`, 'data-may': String(!!ok) },
      h('span', { class: 'may-what' }, t(`party.may_${chan}`)),
      h('span', { class: ['chip', ok ? 'status-on' : 'status-off'] }, ok ? t('value.yes') : t('value.no')),
      c.reason ? h('span', { class: 'muted small-text may-why' }, word('party.why', c.reason)) : null);
  };
  const canRecord = canRecordConsent() && !p.archived && !p.erased;
  const title = h('h2', { id: 'consent-title' }, t('party.consent'));
  fill(section, title, h('div', { class: 'may-list' }, may('email', p.may_email), may('call', p.may_call)));
  let data;
  try {
    data = await api.get(`/parties/${p.id}/consents`);
  } catch (e) {
    section.append(errorBox(errorText(e)));
    return;
  }
  const names = await userNames();
  const current = new Map((data.items || []).map((c) => [c.purpose, c]));
  const rows = PURPOSES.map((purpose) => {
    const c = current.get(purpose);
    const state = !c ? t('party.consent_no') : c.granted ? t('party.consent_given_on', { date: fmtDate(c.at) }) : t('party.consent_withdrawn_on', { date: fmtDate(c.at) });
    const wname = word('purpose', purpose);
    return h('li', { class: 'consent-row', 'data-purpose': purpose, 'data-granted': c ? String(c.granted) : 'none' },
      h('span', { class: 'consent-purpose' }, wname),
      h('span', { class: 'muted consent-state' }, state),
      canRecord ? h('span', { class: 'consent-actions' },
        !c?.granted ? h('button', { type: 'button', class: 'small', 'data-action': 'grant', 'aria-label': `${t('party.consent_grant')}: ${wname}`, onclick: () => consentDialog(p, purpose, true, reload) }, t('party.consent_grant')) : null,
        c?.granted ? h('button', { type: 'button', class: 'small', 'data-action': 'withdraw', 'aria-label': `${t('party.consent_withdraw')}: ${wname}`, onclick: () => consentDialog(p, purpose, false, reload) }, t('party.consent_withdraw')) : null) : null);
  });
  const hist = data.history || [];
  section.append(
    h('ul', { class: 'plain consent-list', 'aria-label': t('party.consent_current') }, rows),
    h('details', { class: 'consent-history', id: 'consent-history' },
      h('summary', t('party.consent_history', { n: hist.length })),
      hist.length ? h('ol', { class: 'plain hist-list' }, hist.map((c) => h('li',
        h('time', { datetime: c.at }, fmtDate(c.at)), ' \u00b7 ',
        h('strong', word('purpose', c.purpose)), ' ',
        c.granted ? t('consent.given') : t('consent.withdrawn'),
        c.source ? h('span', { class: 'muted' }, ` \u00b7 ${c.source}`) : null,
        c.recorded_by ? h('span', { class: 'muted' }, ` \u00b7 ${t('party.recorded_by', { name: names.get(c.recorded_by) || `#${c.recorded_by}` })}`) : null,
        c.wording ? h('p', { class: 'muted small-text pre' }, c.wording) : null)))
        : h('p', { class: 'empty small-text' }, t('party.consent_none'))));
}

// Records consent given or withdrawn for a purpose (preset by the caller).
export function consentDialog(p, purpose, granted, reload) {
  const err = formError();
  const purposeF = field({ name: 'purpose', label: t('consent.purpose'), type: 'select', id: 'consent-purpose', value: purpose || PURPOSES[0], options: PURPOSES.map((x) => [x, word('purpose', x)]) });
  const grantedF = field({ name: 'granted', label: t('consent.granted'), type: 'select', id: 'consent-granted', value: String(granted !== false), options: [['true', t('consent.given')], ['false', t('consent.withdrawn')]] });
  const source = field({ name: 'source', label: t('consent.source'), id: 'consent-source', hint: t('consent.source_hint'), required: true });
  const wording = field({ name: 'wording', label: t('consent.wording'), type: 'textarea', rows: 2, id: 'consent-wording' });
  const form = h('form', { novalidate: true, id: 'consent-form' }, err,
    h('div', { class: 'grid-2' }, purposeF, grantedF), source, wording,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('consent.title', { name: p.name }), form, { wide: true });
  if (purpose) source.input.focus();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { purpose: purposeF.input.value, granted: grantedF.input.value === 'true', source: source.input.value.trim() };
    if (wording.input.value.trim()) body.wording = wording.input.value.trim();
    busy(form, async () => {
      try {
        await api.post(`/parties/${p.id}/consents`, body);
        dlg.close();
        toast(t('consent.recorded'));
        await reload();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

// GDPR buttons (administrators only; the server checks again): export and erase.
export function gdprActions(p, reload) {
  if (!isAdmin()) return null;
  const exportBtn = h('button', { type: 'button', id: 'gdpr-export', onclick: exportParty }, t('party.gdpr_export'));
  async function exportParty() {
    exportBtn.disabled = true;
    try {
      const doc = await api.get(`/parties/${p.id}/export`);
      download(`xrm-party-${p.id}.json`, JSON.stringify(doc, null, 2), 'application/json;charset=utf-8');
      toast(t('party.gdpr_exported', { name: p.name }));
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      exportBtn.disabled = false;
    }
  }
  const eraseBtn = p.erased ? null : h('button', { type: 'button', id: 'gdpr-erase', class: 'danger-line', onclick: eraseDialog }, t('party.gdpr_erase'));
  function eraseDialog() {
    const err = formError();
    const confirmF = field({ name: 'confirm', label: t('party.gdpr_confirm_label', { name: p.name }), id: 'erase-confirm', required: true });
    const goes = ['names', 'contact', 'ids', 'attributes', 'texts', 'consents', 'elsewhere'];
    const form = h('form', { novalidate: true, id: 'erase-form' }, err,
      h('p', t('party.gdpr_erase_intro', { name: p.name })),
      h('h3', { class: 'h4' }, t('party.gdpr_goes')),
      h('ul', { class: 'erase-goes' }, goes.map((k) => h('li', t(`party.gdpr_goes_${k}`)))),
      h('h3', { class: 'h4' }, t('party.gdpr_stays')),
      h('p', { class: 'muted' }, t('party.gdpr_stays_text')),
      confirmF,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary danger' }, t('party.gdpr_erase_now')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('party.gdpr_erase_title', { name: p.name }), form, { wide: true });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (confirmF.input.value.trim() !== p.name) {
        showErrors(form, { errors: [{ field: 'confirm', message: t('party.gdpr_confirm_mismatch') }] });
        return;
      }
      busy(form, async () => {
        try {
          await api.post(`/parties/${p.id}/erase`, {});
          dlg.close();
          toast(t('party.gdpr_erased'));
          await reload();
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }
  return [exportBtn, eraseBtn];
}

// The audit trail of a party (GET /audit?party=ID), what this user may read:
// a closed panel that loads when opened, newest first, 20 at a time.
export function auditPanel(partyId) {
  const list = h('ol', { class: 'plain audit-list', id: 'audit-list' });
  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => load(false) }, t('list.more'));
  let next = null;
  let loaded = false;
  let names = null;
  const changed = (e) => {
    const b = e.before || {};
    const a = e.after || {};
    const skip = new Set(['version', 'updated_at', 'created_at', 'id', 'uid']);
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((k) => !skip.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => (has(`field.${k}`) ? t(`field.${k}`) : word('party.fld', k)));
  };
  async function load(reset) {
    list.setAttribute('aria-busy', 'true');
    try {
      names = names || await userNames();
      const r = await api.get(`/audit?party=${partyId}&limit=20${!reset && next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      if (reset) list.replaceChildren();
      for (const e of r.items || []) {
        const fields = e.action === 'update' ? changed(e) : [];
        list.append(h('li', { class: 'audit-item', 'data-action': e.action, 'data-entity': e.entity },
          h('time', { datetime: e.at }, fmtDateTime(e.at)), ' \u00b7 ',
          h('strong', e.user ? (names.get(e.user.id) || e.user.name || `#${e.user.id}`) : t('party.audit_system')), ' ',
          `${word('party.act', e.action)} \u00b7 ${word('party.ent', e.entity)}`,
          fields.length ? h('span', { class: 'muted' }, `: ${fields.join(', ')}`) : null));
      }
      if (!list.children.length) list.append(h('li', { class: 'empty' }, t('party.audit_empty')));
      next = r.next;
      more.hidden = !next;
    } catch (e) {
      list.replaceChildren(h('li', errorBox(errorText(e))));
    } finally {
      list.removeAttribute('aria-busy');
    }
  }
  const det = h('details', { class: 'card audit-card', id: 'audit-panel' },
    h('summary', h('h2', { class: 'summary-title' }, t('party.audit'))),
    list, more);
  det.addEventListener('toggle', () => {
    if (det.open && !loaded) {
      loaded = true;
      load(true);
    }
  });
  return det;
}
