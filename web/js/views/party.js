// The party 360° page: header with name, kind and treatment (priority,
// badges, "why"), contact details, roles as one panel per domain, relation-
// ships (add, end, remove), consent and contactability, the audit trail,
// one timeline with filters and quick add of a note, call or task (and
// delete, confirmed); dialogs to edit the party and to add, change, end or
// remove a role; archive with undo and
// restore; GDPR export and erase for administrators. The page is built of
// panels (sections) placed in one layout at the end of render(), so other
// screens' panels plug in with one call each.

import { h, clear, fill, add, todayISO } from '../dom.js';
import { t, label, word, fmtDate, fmtDateTime, fmtMoney } from '../i18n.js';
import { api, qs, roleTypeMap, rememberName, partyName, hasEndpoint, cached } from '../api.js';
import { partyPicker, userPicker, users } from '../picker.js';
import { field, formError, showErrors, clearErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canUpdateParty, canArchiveParty, canRestoreParty, canWriteRole, canEditAttribute, canWriteRelType, canRecordConsent, canWriteAny, writableDomains, readableDomains, canWriteRecord } from '../access.js';
import { confirmDialog } from './admin.js';
import { fmtPhone, telHref, fmtAmount, amountInput, parseAmount } from '../format.js';
import { consentPanel, consentDialog, gdprActions, auditPanel } from './party-privacy.js';
import { duplicatePanel } from './duplicates.js';
import { agreementsPanel } from './party-agreements.js';
import { absencePanel } from './party-absence.js'; // HR absence
import { checklistsPanel } from './party-checklists.js'; // HR: on- and offboarding
import { partyDeals } from './party-deals.js';
import { documentsPanel } from './documents.js'; // documents
// HR, the organisation: the employment history panel; department attributes by name and picker
import { employmentPanel, departmentName, departmentPicker } from './party-employment.js';
import { partnerPanel } from './party-partner.js'; // partners
import { supplierPanel } from './party-supplier.js'; // suppliers: the scorecard
import { billingPanel } from './party-billing.js'; // quotes and invoices: open items, quotes, invoices
import { purchaseInvoicesPanel } from './purchase-invoices.js'; // purchase invoices of a supplier
import { mailButton } from './compose.js'; // e-mail: compose to this party
import { partyAvatar, photoDialog } from './party-photo.js'; // the party's photo or initials
import { DOMAINS, ACTIVITY_TYPES, roleLabel, isActiveRole, priorityChip, treatmentBadges, healthChip, kindLabel, loading, empty, errorBox, ruleName } from '../ui.js';

const PAGE = 50;

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);
  main.append(loading());
  const [party, rt] = await Promise.all([api.get(`/parties/${id}`), roleTypeMap()]);
  if (!ctx.alive()) return;
  rememberName(party.id, party.name);
  const state = { party, rt, items: [], next: null, domain: '', type: '' };
  // the "add relationship" button only when some type is open to this user
  state.relOk = canWriteAny() && (await relTypes()).length > 0;
  state.photoApi = await hasEndpoint('PUT', '/parties/{id}/photo'); // the party's photo: upload for writers
  if (!ctx.alive()) return;

  const head = h('section', { class: 'party-head', 'aria-labelledby': 'page-title' });
  const contact = h('section', { class: 'card', 'aria-labelledby': 'contact-title' });
  const roles = h('section', { class: 'roles', 'aria-labelledby': 'roles-title' });
  const rels = h('section', { class: 'card', 'aria-labelledby': 'rels-title' });
  const records = h('section', { class: 'card records', 'aria-labelledby': 'records-title', hidden: true });
  const consent = h('section', { class: 'card consent-card', id: 'consent-panel', 'aria-labelledby': 'consent-title' });
  const reload = async () => refresh(await api.get(`/parties/${id}`));

  function refresh(p) {
    state.party = p;
    rememberName(p.id, p.name);
    ctx.setTitle(p.name);
    renderHead();
    renderContact();
    renderRoles();
    renderRels();
    consentPanel(consent, p, reload);
  }

  // Why the health is what it is, from its signals (translated here).
  function healthReasons(hl) {
    const out = [];
    if (hl.open_complaints > 0) out.push(t('health.complaints', { n: hl.open_complaints }));
    if (hl.survey_score !== null && hl.survey_score !== undefined && hl.survey_score <= 7) out.push(t('health.survey', { n: hl.survey_score }));
    if (hl.days_since_contact === null || hl.days_since_contact === undefined) out.push(t('health.never'));
    else if (hl.days_since_contact > 90) out.push(t('health.no_contact', { n: hl.days_since_contact }));
    return out.length ? out : (hl.reasons || []).map((r) => (typeof r === 'string' ? r : label(r)));
  }

  function renderHead() {
    const p = state.party;
    const tr = p.treatment;
    const health = p.health && p.health.status && p.health.status !== 'good' ? p.health : null;
    const why = (tr && (tr.because?.length || tr.notes?.length || tr.suppress?.length || tr.sla_hours)) || health;
    const whyPanel = why ? h('div', { id: 'why-panel', class: 'why-panel', hidden: true },
      h('h2', { class: 'h3' }, t('treatment.why_title')),
      health ? h('p', { class: 'health-why' }, `${t('health.title')}: ${word('health', health.status)} \u2013 ${healthReasons(health).join('; ')}`) : null,
      tr?.because?.length ? h('ul', { class: 'because' }, tr.because.map((b) => h('li', typeof b === 'string' ? ruleName(b) : ruleName(b.name || b.rule) || JSON.stringify(b)))) : null,
      tr?.notes?.length ? h('div', h('h3', { class: 'h4' }, t('treatment.notes')), h('ul', tr.notes.map((n) => h('li', label(n))))) : null,
      tr?.suppress?.length ? h('p', `${t('treatment.suppress')}: `, tr.suppress.map((s) => word('suppress', s)).join(', ')) : null,
      tr?.sla_hours ? h('p', t('treatment.sla', { n: tr.sla_hours })) : null) : null;
    const whyBtn = why ? h('button', {
      type: 'button', class: 'link-btn why-btn', 'aria-expanded': 'false', 'aria-controls': 'why-panel',
      onclick: () => {
        const openNow = whyPanel.hidden;
        whyPanel.hidden = !openNow;
        whyBtn.setAttribute('aria-expanded', String(openNow));
      },
    }, t('treatment.why')) : null;
    fill(head,
      h('div', { class: 'page-head' },
        partyAvatar(p),
        h('div', { class: 'title-block' },
          h('h1', { id: 'page-title' }, p.name),
          h('div', { class: 'head-meta' },
            h('span', { class: 'chip' }, kindLabel(p.kind)),
            p.archived ? h('span', { class: 'chip chip-warn' }, t('party.archived')) : null,
            tr ? priorityChip(tr.priority) : null,
            healthChip(p.health),
            tr ? treatmentBadges(tr) : null,
            whyBtn)),
        h('div', { class: 'actions' },
          canUpdateParty(p) ? h('button', { type: 'button', id: 'edit-party', onclick: editParty }, t('party.edit')) : null,
          state.photoApi && canUpdateParty(p) && !p.archived ? h('button', { type: 'button', id: 'party-photo-edit', onclick: () => photoDialog(p, reload) }, p.photo ? t('photo.change') : t('photo.add')) : null,
          addableRoleTypes().length ? h('button', { type: 'button', id: 'add-role', onclick: () => roleDialog(null) }, t('role.add')) : null,
          canRecordConsent() && !p.archived ? h('button', { type: 'button', id: 'record-consent', onclick: () => consentDialog(p, null, true, reload) }, t('consent.record')) : null,
          canArchiveParty(p) ? h('button', { type: 'button', id: 'archive-party', class: 'danger-line', onclick: archiveNow }, t('party.archive')) : null,
          canRestoreParty(p) ? h('button', { type: 'button', id: 'restore-party', onclick: restoreNow }, t('party.restore')) : null,
          gdprActions(p, reload))),
      whyPanel);
  }

  function dl(rows) {
    const items = rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
    if (!items.length) return empty(t('party.no_contact'));
    return h('dl', { class: 'props' }, items.map(([k, v]) => [h('dt', k), h('dd', v)]));
  }

  function renderContact() {
    const p = state.party;
    const list = (arr, fmt) => (arr || []).length ? h('ul', { class: 'plain' }, arr.map((x) => h('li', fmt(x)))) : null;
    const lbl = (x) => x.label ? h('span', { class: 'muted' }, ` (${word('label', x.label)})`) : null;
    fill(contact,
      h('h2', { id: 'contact-title' }, t('party.contact')),
      dl([
        [t('field.emails'), list(p.emails, (x) => [h('a', { href: `mailto:${x.value}` }, x.value), lbl(x)])],
        [t('field.phones'), list(p.phones, (x) => [h('a', { href: telHref(x.value), class: 'nowrap' }, fmtPhone(x.value)), lbl(x)])],
        [t('field.websites'), list(p.websites, (x) => [h('a', { href: /^https?:/.test(x.value) ? x.value : `https://${x.value}`, rel: 'noopener noreferrer', target: '_blank' }, x.value), lbl(x)])],
        [t('field.addresses'), list(p.addresses, (a) => [
          [[a.street, a.house_number].filter(Boolean).join(' '), [a.postcode, a.city].filter(Boolean).join(' '), a.country && a.country !== 'NL' ? a.country : ''].filter(Boolean).join(', '), lbl(a)])],
        [t('field.kvk'), p.kvk],
        [t('field.vat'), p.vat],
        [t('field.iban'), p.iban],
        [t('field.tags'), (p.tags || []).length ? h('span', { class: 'badges' }, p.tags.map((x) => h('a', { class: 'tag', href: qs('/parties', { q: `tag:${x}` }) }, x))) : null],
        ...Object.entries(p.custom || {}).map(([k, v]) => [word('custom', k), typeof v === 'object' ? JSON.stringify(v) : String(v)]),
      ]));
  }

  function attrValue(def, v) {
    if (v === null || v === undefined || v === '') return null;
    const type = def?.type;
    if (type === 'boolean') return v ? t('value.yes') : t('value.no');
    if (type === 'date') return fmtDate(v);
    if (type === 'enum') return word('value', v);
    if (type === 'party') {
      const a = h('a', { href: `/parties/${v}` }, `#${v}`);
      partyName(v).then((n) => { a.textContent = n; });
      return a;
    }
    if (type === 'money') return fmtAmount(v);
    if (type === 'department') return departmentName(v); // HR, the organisation
    if (type === 'user') {
      const sp = h('span', `${t('field.user')} #${v}`);
      users().then((list) => {
        const u = list.find((x) => x.id === Number(v));
        if (u) sp.textContent = u.display_name || u.name;
      }).catch(() => {});
      return sp;
    }
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  // Role types this user may give: write in their domain.
  function addableRoleTypes() {
    return [...rt.values()].filter((x) => canWriteRole(x));
  }
  const roleDomain = (r) => r.domain || rt.get(r.type)?.domain;

  function renderRoles() {
    const p = state.party;
    const byDomain = new Map();
    for (const r of p.roles || []) {
      const d = r.domain || rt.get(r.type)?.domain || 'other';
      if (!byDomain.has(d)) byDomain.set(d, []);
      byDomain.get(d).push(r);
    }
    const order = [...DOMAINS, ...[...byDomain.keys()].filter((d) => !DOMAINS.includes(d))];
    const panels = order.filter((d) => byDomain.has(d)).map((d) => h('section', { class: ['card', 'role-panel', `dom-edge-${d}`], 'aria-label': word('domain', d) },
      h('h3', { class: 'domain-title' }, word('domain', d)),
      byDomain.get(d).map((r) => {
        const def = rt.get(r.type);
        const active = isActiveRole(r);
        const attrs = Object.entries(r.attributes || {}).map(([k, v]) => {
          const ad = def?.attributes?.find((a) => a.name === k);
          return [ad ? label(ad.label, k) : word('attr', k), attrValue(ad, v)];
        });
        return h('article', { class: ['role', !active && 'role-ended'], 'data-role-type': r.type },
          h('div', { class: 'role-head' },
            h('h4', roleLabel(rt, r.type)),
            h('span', { class: ['chip', `status-${active ? 'on' : 'off'}`] }, word('status', r.status)),
            h('span', { class: 'muted' }, [r.since && `${t('role.since')} ${fmtDate(r.since)}`, r.until && `${t('role.until')} ${fmtDate(r.until)}`].filter(Boolean).join(' \u00b7 '))),
          attrs.some(([, v]) => v !== null) ? h('dl', { class: 'props props-tight' }, attrs.filter(([, v]) => v !== null).map(([k, v]) => [h('dt', k), h('dd', v)])) : null,
          canWriteRole(roleDomain(r)) ? h('div', { class: 'role-actions' },
            h('button', { type: 'button', class: 'small', onclick: () => roleDialog(r), 'aria-label': `${t('role.change')}: ${roleLabel(rt, r.type)}` }, t('role.change')),
            active ? h('button', { type: 'button', class: 'small', onclick: () => endRoleDialog(r), 'aria-label': `${t('role.end')}: ${roleLabel(rt, r.type)}` }, t('role.end')) : null,
            h('button', { type: 'button', class: 'small danger-line', 'data-action': 'remove-role', onclick: () => removeRole(r), 'aria-label': `${t('gaps.role_remove')}: ${roleLabel(rt, r.type)}` }, t('gaps.role_remove'))) : null);
      })));
    fill(roles, h('h2', { id: 'roles-title' }, t('party.roles')), panels.length ? panels : empty(t('party.no_roles')));
  }

  // Active cases and agreements, when the server has them (deals: party-deals.js).
  async function loadRecords() {
    const [cases, agreements] = await Promise.all([hasEndpoint('GET', '/cases'), hasEndpoint('GET', '/agreements')]);
    if (!cases && !agreements) return;
    const get = (on, path) => (on ? api.get(path).then((r) => r.items || []).catch(() => null) : Promise.resolve(null));
    const [c, a] = await Promise.all([
      get(cases, qs('/cases', { q: `party:${id} status:active` })),
      get(agreements, qs('/agreements', { party: id })),
    ]);
    if (!ctx.alive()) return;
    const block = (title, items, row, key) => (items === null ? null : h('div', { class: 'rec-block', 'data-records': key },
      h('h3', { class: 'h4' }, title, h('span', { class: 'count' }, ` ${items.length}`)),
      items.length ? h('ul', { class: 'plain rec-list' }, items.map((x) => h('li', row(x)))) : h('p', { class: 'empty small-text' }, t('state.empty'))));
    fill(records,
      h('h2', { id: 'records-title' }, t('party.records')),
      block(t('party.active_cases'), c, (x) => [h('a', { href: '/cases' }, x.subject), h('span', { class: ['muted', x.sla_breached && 'sla-breached'] }, ` \u00b7 ${word('case', x.status)}${x.sla_breached ? ` \u00b7 ${t('cases.breached')}` : ''}`)], 'cases'),
      block(t('party.agreements'), a, (x) => [h('span', x.title || word('agreement', x.kind)), h('span', { class: 'muted' }, ` \u00b7 ${word('agreement', x.kind)}${x.end ? ` \u00b7 ${t('role.until')} ${fmtDate(x.end)}` : ''}${x.status ? ` \u00b7 ${word('agrstatus', x.status)}` : ''}`)], 'agreements'));
    records.hidden = false;
  }

  // Adds a relationship from this party's point of view: "<this> is <label> <other>".
  async function relTypes() {
    return ((await cached('/relationship-types')).items || []).filter(canWriteRelType);
  }

  async function relDialog() {
    const types = await relTypes();
    const opts = [];
    for (const rt of types) {
      opts.push([`f:${rt.name}`, label(rt.label, rt.name)]);
      if (rt.reverse && rt.reverse !== rt.name) opts.push([`r:${rt.name}`, label(rt.reverse_label, rt.reverse)]);
    }
    opts.sort((a, b) => a[1].localeCompare(b[1]));
    const err = formError();
    const typeF = field({ name: 'type', label: t('rel.type', { name: state.party.name }), type: 'select', id: 'rel-type', options: opts, required: true });
    const other = partyPicker({ id: 'rel-party', label: t('rel.other'), fieldName: 'to', exclude: state.party.id });
    const since = field({ name: 'since', label: t('role.since'), type: 'date', id: 'rel-since' });
    const form = h('form', { novalidate: true, id: 'rel-form' }, err, typeF, other, since,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('rel.add')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('rel.add_title', { name: state.party.name }), form, { wide: true });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const otherId = other.value();
      if (!otherId) {
        showErrors(form, { errors: [{ field: 'to', message: t('error.required') }] });
        return;
      }
      const [dir, name] = typeF.input.value.split(/:(.*)/s);
      const forward = dir === 'f';
      const body = { type: name, from: forward ? state.party.id : otherId, to: forward ? otherId : state.party.id };
      if (since.input.value) body.since = since.input.value;
      busy(form, async () => {
        try {
          await api.post('/relationships', body);
          dlg.close();
          refresh(await api.get(`/parties/${state.party.id}`));
          toast(t('rel.added'));
        } catch (ex) {
          if (ex.errors) ex.errors = ex.errors.map((x) => ({ ...x, field: x.field === 'from' ? 'to' : x.field }));
          showErrors(form, ex);
        }
      });
    });
  }

  function renderRels() {
    const list = state.party.relationships || [];
    const today = todayISO();
    fill(rels,
      h('div', { class: 'card-head' }, h('h2', { id: 'rels-title' }, t('party.relationships')),
        state.relOk && !state.party.archived ? h('button', { type: 'button', class: 'small', id: 'add-rel', onclick: relDialog }, t('rel.add')) : null),
      list.length ? h('ul', { class: 'rel-list' }, list.map((r) => {
        const ended = r.until && r.until <= today;
        const who = r.party ? (r.party.name || `#${r.party.id}`) : '';
        const mayWrite = canWriteRelType({ domain: r.domain });
        return h('li', { class: ['rel', ended && 'rel-ended'], 'data-rel': r.id },
          h('span', { class: 'muted' }, label(r.label, word('rel', r.type))), ' ',
          r.party ? h('a', { href: `/parties/${r.party.id}` }, who) : '',
          r.since || r.until ? h('span', { class: 'muted small-text' }, ` (${[r.since && `${t('role.since')} ${fmtDate(r.since)}`, r.until && `${t('role.until')} ${fmtDate(r.until)}`].filter(Boolean).join(' \u2013 ')})`) : null,
          ended ? h('span', { class: 'chip status-off' }, t('party.rel_ended')) : null,
          mayWrite ? h('span', { class: 'rel-actions' },
            !ended ? h('button', { type: 'button', class: 'small', 'data-action': 'end', 'aria-label': `${t('party.rel_end')}: ${who}`, onclick: () => endRelDialog(r) }, t('party.rel_end')) : null,
            h('button', { type: 'button', class: 'small danger-line', 'data-action': 'remove', 'aria-label': `${t('party.rel_remove')}: ${who}`, onclick: () => removeRelDialog(r) }, t('party.rel_remove'))) : null);
      }))
        : empty(t('party.no_relationships')));
  }

  function endRelDialog(r) {
    const err = formError();
    const untilF = field({ name: 'until', label: t('party.rel_end_date'), type: 'date', id: 'rel-until', value: todayISO(), required: true });
    const form = h('form', { novalidate: true, id: 'end-rel-form' }, err,
      h('p', t('party.rel_end_intro', { rel: label(r.label, word('rel', r.type)), name: r.party?.name || '' })), untilF,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, t('party.rel_end')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('party.rel_end_title'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!untilF.input.value) {
        showErrors(form, { errors: [{ field: 'until', message: t('error.required') }] });
        return;
      }
      busy(form, async () => {
        try {
          const cur = await api.get(`/relationships/${r.id}`);
          await api.patch(`/relationships/${r.id}`, { until: untilF.input.value }, { version: cur.version });
          dlg.close();
          await reload();
          toast(t('party.rel_ended_toast'));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  function removeRelDialog(r) {
    const err = formError();
    const form = h('form', { novalidate: true, id: 'remove-rel-form' }, err,
      h('p', t('party.rel_remove_intro', { rel: label(r.label, word('rel', r.type)), name: r.party?.name || '' })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary danger' }, t('party.rel_remove')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('party.rel_remove_title'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const cur = await api.get(`/relationships/${r.id}`);
          await api.del(`/relationships/${r.id}`, { version: cur.version });
          dlg.close();
          await reload();
          toast(t('party.rel_removed'));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  // Removing a role (given by mistake; ending one keeps its history): after
  // a confirmation, with the role's current version (GET /roles/{id}).
  async function removeRole(r) {
    const name = roleLabel(rt, r.type);
    if (!(await confirmDialog(t('gaps.role_remove_title', { role: name }), t('gaps.role_remove_question', { role: name, name: state.party.name }), t('gaps.role_remove')))) return;
    try {
      const cur = await api.get(`/roles/${r.id}`);
      await api.del(`/roles/${r.id}`, { version: cur.version });
      await reload();
      toast(t('gaps.role_removed', { role: name }));
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  // ---- timeline -------------------------------------------------------
  const tlList = h('ol', { class: 'timeline', id: 'timeline', 'aria-live': 'polite' });
  const moreBtn = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => loadTimeline(false) }, t('list.more'));
  const fDomain = field({ name: 'tl-domain', label: t('timeline.domain'), type: 'select', options: [['', t('filter.all_domains')], ...readableDomains().map((d) => [d, word('domain', d)])] });
  const fType = field({ name: 'tl-type', label: t('timeline.type'), type: 'select', options: [['', t('filter.all_types')], ...ACTIVITY_TYPES.map((x) => [x, word('activity', x)])] });
  // filter what is loaded at once, then load again from the start (servers
  // that filter the timeline themselves fill the page with matching items)
  fDomain.input.addEventListener('change', () => { state.domain = fDomain.input.value; renderTimeline(); loadTimeline(true); });
  fType.input.addEventListener('change', () => { state.type = fType.input.value; renderTimeline(); loadTimeline(true); });

  function matches(a) {
    return (!state.domain || a.domain === state.domain) && (!state.type || a.type === state.type);
  }

  function activityItem(a) {
    const body = a.body ? (a.body.length > 240
      ? h('details', h('summary', `${a.body.slice(0, 200)}\u2026`), h('p', { class: 'pre' }, a.body))
      : h('p', { class: 'pre' }, a.body)) : null;
    const others = (a.parties || []).filter((x) => x !== state.party.id);
    const links = others.map((pid) => {
      const link = h('a', { href: `/parties/${pid}` }, `#${pid}`);
      partyName(pid).then((n) => { link.textContent = n; });
      return link;
    });
    return h('li', { class: ['tl-item', `tl-${a.type}`], 'data-activity': a.id },
      h('div', { class: 'tl-meta' },
        h('span', { class: ['chip', `act-${a.type}`] }, word('activity', a.type)),
        h('span', { class: ['badge', `dom-${a.domain}`] }, word('domain', a.domain)),
        h('time', { datetime: a.at }, fmtDateTime(a.at))),
      h('p', { class: 'tl-subject' }, a.subject),
      body,
      a.type === 'task' ? h('p', { class: 'muted small-text' },
        [a.due && `${t('task.due')}: ${fmtDateTime(a.due)}`, a.done ? t('task.done') : t('task.open')].filter(Boolean).join(' \u00b7 ')) : null,
      a.type === 'survey' && a.score !== null ? h('p', { class: 'muted small-text' }, `${t('activity.score')}: ${a.score}`) : null,
      links.length ? h('p', { class: 'muted small-text' }, `${t('timeline.with')} `, links.flatMap((l, i) => (i ? [', ', l] : [l]))) : null,
      canWriteRecord(a) ? h('div', { class: 'tl-actions' },
        h('button', { type: 'button', class: 'small danger-line', 'data-action': 'delete-activity', 'aria-label': `${t('gaps.activity_delete')}: ${a.subject}`, onclick: () => deleteActivity(a) }, t('gaps.activity_delete'))) : null);
  }

  // Deleting a note, call, ... after a confirmation, with its current
  // version (GET /activities/{id}); write access to its domain.
  async function deleteActivity(a) {
    if (!(await confirmDialog(t('gaps.activity_delete_title'), t('gaps.activity_delete_question', { type: word('activity', a.type), subject: a.subject }), t('gaps.activity_delete')))) return;
    try {
      const cur = await api.get(`/activities/${a.id}`);
      await api.del(`/activities/${a.id}`, { version: cur.version });
      state.items = state.items.filter((x) => x.id !== a.id);
      renderTimeline();
      toast(t('gaps.activity_deleted', { type: word('activity', a.type) }));
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  function renderTimeline() {
    const shown = state.items.filter(matches);
    fill(tlList, shown.length ? shown.map(activityItem) : h('li', { class: 'empty' }, t('timeline.empty')));
    moreBtn.hidden = !state.next;
  }

  let tlSeq = 0;
  async function loadTimeline(reset) {
    const my = ++tlSeq;
    tlList.setAttribute('aria-busy', 'true');
    try {
      const r = await api.get(qs(`/parties/${id}/timeline`, { limit: PAGE, cursor: reset ? null : state.next, domain: state.domain, type: state.type }));
      if (!ctx.alive() || my !== tlSeq) return;
      if (reset) state.items = [];
      state.items.push(...r.items);
      state.next = r.next;
      renderTimeline();
    } catch (e) {
      if (my === tlSeq) fill(tlList, h('li', errorBox(errorText(e))));
    } finally {
      if (my === tlSeq) tlList.removeAttribute('aria-busy');
    }
  }

  // ---- quick add ------------------------------------------------------
  // Only the domains this user may write; no form at all without one.
  function quickAdd() {
    const domains = writableDomains();
    if (!domains.length) return null;
    const roleDomains = (state.party.roles || []).filter(isActiveRole).map(roleDomain);
    const defDomain = roleDomains.find((d) => domains.includes(d)) || domains[0];
    let kind = 'note';
    const kinds = ['note', 'call', 'task'];
    const tabs = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('quick.kind') },
      kinds.map((k) => h('label', { class: 'seg' },
        h('input', { type: 'radio', name: 'qa-kind', value: k, checked: k === kind, onchange: () => { kind = k; due.hidden = k !== 'task'; } }),
        h('span', word('activity', k)))));
    const subject = field({ name: 'subject', label: t('activity.subject'), required: true, id: 'qa-subject' });
    const body = field({ name: 'body', label: t('activity.body'), type: 'textarea', rows: 2, id: 'qa-body' });
    const domain = field({ name: 'domain', label: t('activity.domain'), type: 'select', value: defDomain, options: domains.map((d) => [d, word('domain', d)]), id: 'qa-domain' });
    const due = field({ name: 'due', label: t('task.due'), type: 'date', id: 'qa-due', value: todayISO() });
    due.hidden = true;
    const err = formError();
    const form = h('form', { class: 'quick-add', novalidate: true, 'aria-labelledby': 'qa-title' },
      h('h3', { id: 'qa-title', class: 'h4' }, t('quick.title')),
      tabs, err, subject, body, h('div', { class: 'row' }, domain, due),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('quick.add'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!subject.input.value.trim()) {
        showErrors(form, { errors: [{ field: 'subject', message: t('error.required') }] });
        return;
      }
      const payload = { type: kind, domain: domain.input.value, subject: subject.input.value.trim(), parties: [state.party.id] };
      if (body.input.value.trim()) payload.body = body.input.value.trim();
      if (kind === 'task' && due.input.value) payload.due = due.input.value;
      busy(form, async () => {
        try {
          const a = await api.post('/activities', payload);
          state.items.unshift(a);
          renderTimeline();
          subject.input.value = '';
          body.input.value = '';
          toast(t('quick.added', { type: word('activity', kind) }));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
    return form;
  }

  // ---- edit party -----------------------------------------------------
  function listEditor(name, rows, cols) {
    const wrap = h('fieldset', { class: 'list-editor', 'data-list': name });
    const body = h('div', { class: 'rows' });
    const err = h('p', { class: 'field-error', id: `le-${name}-error`, hidden: true, role: 'alert' });
    const marker = h('span', { id: `le-${name}`, 'data-field': name, hidden: true });
    function reindex() {
      [...body.children].forEach((row, i) => {
        for (const inp of row.querySelectorAll('[data-col]')) inp.dataset.field = `${name}[${i}].${inp.dataset.col}`;
      });
    }
    function addRow(v = {}) {
      const row = h('div', { class: 'le-row' });
      for (const c of cols) {
        const f = field({ name: `${name}-${c.key}`, label: c.label, value: v[c.key] ?? '', type: c.type, options: c.options, attrs: { 'data-col': c.key } });
        f.classList.add(`col-${c.key}`);
        row.append(f);
      }
      row.append(h('button', { type: 'button', class: 'icon-btn le-remove', 'aria-label': `${t('action.remove')}: ${wrap.querySelector('legend')?.textContent || name}`, onclick: () => { row.remove(); reindex(); } }, '\u00d7'));
      body.append(row);
      reindex();
    }
    wrap.append(h('legend', t(`field.${name}`)), marker, err, body,
      h('button', { type: 'button', class: 'small', onclick: () => addRow() }, t('action.add_row')));
    (rows || []).forEach((r) => addRow(r));
    wrap.read = () => {
      for (const row of [...body.children]) {
        const empty_ = [...row.querySelectorAll('[data-col]')].every((i) => !i.value.trim() || i.dataset.col === 'label' || i.dataset.col === 'country');
        if (empty_) row.remove();
      }
      reindex();
      return [...body.children].map((row) => {
        const o = {};
        for (const i of row.querySelectorAll('[data-col]')) {
          const v = i.value.trim();
          if (v || !['label', 'country'].includes(i.dataset.col)) o[i.dataset.col] = v || null;
        }
        return o;
      });
    };
    return wrap;
  }

  function editParty() {
    const p = state.party;
    const err = formError();
    const fields = {};
    const f = (name, o = {}) => {
      fields[name] = field({ name, label: t(`field.${name}`), value: p[name] ?? '', id: `edit-${name}`, ...o });
      return fields[name];
    };
    const labelOpts = (kinds) => kinds.map((k) => [k, word('label', k)]);
    const emails = listEditor('emails', p.emails, [{ key: 'label', label: t('field.label'), type: 'select', options: labelOpts(['work', 'home', 'other']) }, { key: 'value', label: t('field.email'), type: 'email' }]);
    const phones = listEditor('phones', p.phones, [{ key: 'label', label: t('field.label'), type: 'select', options: labelOpts(['mobile', 'work', 'home', 'other']) }, { key: 'value', label: t('field.phone'), type: 'tel' }]);
    const addresses = listEditor('addresses', p.addresses, [
      { key: 'label', label: t('field.label'), type: 'select', options: labelOpts(['visit', 'postal', 'home', 'work', 'invoice', 'other']) },
      { key: 'street', label: t('field.street') }, { key: 'house_number', label: t('field.house_number') },
      { key: 'postcode', label: t('field.postcode') }, { key: 'city', label: t('field.city') },
      { key: 'country', label: t('field.country') }]);
    const names = p.kind === 'organization'
      ? [f('legal_name', { required: true }), f('trade_name')]
      : [f('given_name'), f('family_prefix'), f('family_name', { required: true })];
    const tags = f('tags', { value: (p.tags || []).join(', '), hint: t('field.tags_hint') });
    const form = h('form', { class: 'edit-form', novalidate: true, id: 'party-form' },
      err,
      h('div', { class: 'grid-2' }, names),
      emails, phones, addresses,
      h('div', { class: 'grid-3' }, f('kvk', { attrs: { inputmode: 'numeric' } }), f('vat'), f('iban', { attrs: { autocapitalize: 'characters' } })),
      tags,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, t('action.save')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('party.edit_title', { name: p.name }), form, { wide: true });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const patch = {};
      for (const [name, fl] of Object.entries(fields)) {
        let v = fl.input.value.trim();
        if (name === 'tags') {
          v = v ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
          if (JSON.stringify(v) !== JSON.stringify(p.tags || [])) patch.tags = v;
          continue;
        }
        v = v || null;
        if (v !== (p[name] ?? null)) patch[name] = v;
      }
      for (const [name, ed] of [['emails', emails], ['phones', phones], ['addresses', addresses]]) {
        const v = ed.read();
        const norm = (arr) => JSON.stringify((arr || []).map((o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== null && x !== ''))));
        if (norm(v) !== norm(p[name])) patch[name] = v;
      }
      if (!Object.keys(patch).length) {
        dlg.close();
        return;
      }
      busy(form, async () => {
        try {
          const np = await api.patch(`/parties/${p.id}`, patch, { version: p.version });
          dlg.close();
          refresh(np);
          toast(t('action.saved'));
        } catch (ex) {
          if (ex.status === 412) ex.errors = [];
          showErrors(form, ex);
        }
      });
    });
  }

  // ---- archive and restore -------------------------------------------
  // Archiving is done at once; the toast offers "undo" for 10 seconds
  // (the same restore as the button on an archived party).
  let undoTimer = null;
  function undoToast(msg, undo) {
    const area = document.getElementById('toast');
    if (!area) return;
    const btn = h('button', { type: 'button', class: 'small toast-undo', id: 'undo-archive' }, t('party.undo'));
    btn.addEventListener('click', async () => {
      clearTimeout(undoTimer);
      area.replaceChildren();
      await undo();
    });
    fill(area, h('div', { class: 'toast toast-ok toast-with-action' }, h('span', msg), ' ', btn));
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => { if (area.contains(btn)) area.replaceChildren(); }, 10000);
  }

  async function archiveNow() {
    const p = state.party;
    try {
      await api.del(`/parties/${p.id}`, { version: p.version });
      await reload();
      undoToast(t('party.archived_toast', { name: p.name }), restoreNow);
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  async function restoreNow() {
    const p = await api.get(`/parties/${id}`);
    try {
      refresh(await api.patch(`/parties/${id}`, { archived: false }, { version: p.version }));
      toast(t('party.restored', { name: p.name }));
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  // ---- roles ----------------------------------------------------------
  function attrField(def, value, idp) {
    const name = `attributes.${def.name}`;
    const common = { name: `attr-${def.name}`, field: name, label: label(def.label, def.name), required: def.required, id: `${idp}-attr-${def.name}` };
    switch (def.type) {
      case 'enum':
        return field({ ...common, type: 'select', value: value ?? '', options: [['', '\u2014'], ...(def.values || []).map((v) => [v, word('value', v)])] });
      case 'boolean':
        return field({ ...common, type: 'select', value: value === true ? 'true' : value === false ? 'false' : '', options: [['', '\u2014'], ['true', t('value.yes')], ['false', t('value.no')]] });
      case 'money':
        return field({ ...common, value: amountInput(value), attrs: { inputmode: 'decimal' }, hint: t('party.money_hint') });
      case 'user':
        return userPicker({ id: common.id, label: common.label, fieldName: name, value: value ?? null, required: !!def.required });
      case 'department': // HR, the organisation
        return departmentPicker({ id: common.id, label: common.label, fieldName: name, value: value ?? null, required: !!def.required });
      case 'party': {
        const pp = partyPicker({ id: common.id, label: common.label, fieldName: name, required: !!def.required, exclude: state.party.id });
        pp.current = value ?? null;
        if (value) {
          const cur = h('p', { class: 'hint' }, `${t('party.current')}: #${value}`);
          partyName(value).then((n) => { cur.textContent = `${t('party.current')}: ${n}`; });
          pp.append(cur);
        }
        return pp;
      }
      case 'integer': case 'number':
        return field({ ...common, type: 'number', value: value ?? '', attrs: { step: def.type === 'number' ? 'any' : '1', min: def.min, max: def.max } });
      case 'date':
        return field({ ...common, type: 'date', value: value ?? '' });
      case 'text':
        return field({ ...common, type: 'textarea', value: value ?? '', rows: 2 });
      default:
        return field({ ...common, value: value ?? '' });
    }
  }

  // The API value of an attribute field; undefined when it is not one (an amount that is no amount).
  function readAttr(def, f) {
    if (def.type === 'user' || def.type === 'department') return f.value();
    if (def.type === 'party') return f.value() || f.current || null;
    const v = f.input.value.trim();
    if (v === '') return null;
    if (def.type === 'money') {
      const c = parseAmount(v);
      return Number.isNaN(c) ? undefined : c;
    }
    if (def.type === 'boolean') return v === 'true';
    if (['integer', 'user', 'party'].includes(def.type)) return Number.isInteger(Number(v)) ? Number(v) : v;
    if (def.type === 'number') return Number.isFinite(Number(v)) ? Number(v) : v;
    return v;
  }

  function roleDialog(role) {
    const types = addableRoleTypes();
    const editing = !!role;
    const idp = editing ? `role-${role.id}` : 'role-new';
    const err = formError();
    const typeF = field({ name: 'type', label: t('role.type'), type: 'select', id: `${idp}-type`, value: role?.type || '',
      options: [['', t('role.choose_type')], ...(editing ? [rt.get(role.type) || { name: role.type }] : types).map((x) => [x.name, `${label(x.label, x.name)} (${word('domain', x.domain)})`])], required: true });
    if (editing) typeF.input.disabled = true;
    const dyn = h('div', { class: 'role-dyn' });
    let statusF; let sinceF; let untilF; let attrFs = [];
    function build() {
      const def = rt.get(typeF.input.value);
      clear(dyn);
      attrFs = [];
      if (!def) return;
      statusF = field({ name: 'status', label: t('role.status'), type: 'select', id: `${idp}-status`, value: role?.status || def.default_status || def.statuses[0], options: def.statuses.map((s) => [s, word('status', s)]) });
      sinceF = field({ name: 'since', label: t('role.since'), type: 'date', id: `${idp}-since`, value: role ? role.since || '' : todayISO() });
      untilF = field({ name: 'until', label: t('role.until'), type: 'date', id: `${idp}-until`, value: role?.until || '' });
      // sensitive attributes (salary) only with full access to the domain
      attrFs = (def.attributes || []).filter((a) => canEditAttribute(def.domain, a)).map((a) => [a, attrField(a, role?.attributes?.[a.name], idp)]);
      add(dyn, h('div', { class: 'grid-3' }, statusF, sinceF, untilF),
        attrFs.length ? h('fieldset', { class: 'attrs' }, h('legend', t('role.attributes')), h('div', { class: 'grid-2' }, attrFs.map(([, f]) => f))) : null);
    }
    typeF.input.addEventListener('change', build);
    build();
    const form = h('form', { class: 'role-form', novalidate: true, id: 'role-form' }, err, typeF, dyn,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, editing ? t('action.save') : t('role.add')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(editing ? t('role.change_title', { role: roleLabel(rt, role.type) }) : t('role.add_title', { name: state.party.name }), form, { wide: true });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const def = rt.get(typeF.input.value);
      if (!def) {
        showErrors(form, { errors: [{ field: 'type', message: t('error.required') }] });
        return;
      }
      const attributes = {};
      const bad = attrFs.filter(([a, f]) => readAttr(a, f) === undefined);
      if (bad.length) {
        showErrors(form, { errors: bad.map(([a]) => ({ field: `attributes.${a.name}`, message: t('party.money_bad') })) });
        return;
      }
      for (const [a, f] of attrFs) {
        const v = readAttr(a, f);
        if (v !== null) attributes[a.name] = v;
        else if (editing && role.attributes && a.name in role.attributes) attributes[a.name] = null;
      }
      const body = { status: statusF.input.value, since: sinceF.input.value || null, until: untilF.input.value || null, attributes };
      busy(form, async () => {
        try {
          if (editing) await api.patch(`/roles/${role.id}`, body, { version: role.version });
          else await api.post(`/parties/${state.party.id}/roles`, { type: def.name, ...body, since: body.since || undefined, until: body.until || undefined });
          dlg.close();
          refresh(await api.get(`/parties/${state.party.id}`));
          toast(editing ? t('action.saved') : t('role.added', { role: label(def.label, def.name) }));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  function endRoleDialog(role) {
    const def = rt.get(role.type);
    const ended = def?.ended_statuses?.length ? def.ended_statuses : def?.statuses || [role.status];
    const err = formError();
    const statusF = field({ name: 'status', label: t('role.status'), type: 'select', id: 'end-status', value: ended[ended.length - 1], options: ended.map((s) => [s, word('status', s)]) });
    const untilF = field({ name: 'until', label: t('role.until'), type: 'date', id: 'end-until', value: todayISO(), required: true });
    const form = h('form', { novalidate: true, id: 'end-role-form' }, err,
      h('p', t('role.end_intro', { role: roleLabel(rt, role.type), name: state.party.name })),
      h('div', { class: 'grid-2' }, statusF, untilF),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary danger' }, t('role.end')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('role.end_title', { role: roleLabel(rt, role.type) }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await api.patch(`/roles/${role.id}`, { status: statusF.input.value, until: untilF.input.value }, { version: role.version });
          dlg.close();
          refresh(await api.get(`/parties/${state.party.id}`));
          toast(t('role.ended'));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  fill(main,
    head,
    h('div', { class: 'party-grid' },
      h('div', { class: 'col-side' }, duplicatePanel(party), contact, consent, roles, employmentPanel(party), partyDeals(party), partnerPanel(party), records, agreementsPanel(party), supplierPanel(party), purchaseInvoicesPanel(party), absencePanel(party), checklistsPanel(party), rels),
      h('div', { class: 'col-main' },
        h('section', { class: 'card timeline-card', 'aria-labelledby': 'tl-title' },
          h('h2', { id: 'tl-title' }, t('party.timeline')),
          quickAdd(),
          h('div', { class: 'filters', role: 'group', 'aria-label': t('timeline.filters') }, fDomain, fType),
          tlList, moreBtn),
        auditPanel(id))));
  main.querySelector('#party-deals')?.after(billingPanel(party)); // quotes and invoices: after the deals panel
  mailButton(main.querySelector('#tl-title'), { parties: [party], id: 'party-mail', onSent: () => loadTimeline(true) }); // e-mail: compose, then the timeline shows it
  refresh(party);
  main.querySelector('#agr-panel')?.after(documentsPanel({ kind: 'party', id }, { canWrite: !party.archived && writableDomains().length > 0 })); // documents: after the agreements
  await Promise.all([loadTimeline(true), loadRecords()]);
}
