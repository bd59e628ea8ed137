// E-mail: the compose dialog (composeMail) and the "E-mail sturen" button
// (mailButton) that the party page, a ticket, a quote, an invoice and a press
// release place with one call each. The dialog has the recipients as party
// chips (more added with the party picker; a party without an e-mail
// address is shown as skipped, as the server will skip it), a template in
// the app's language (choosing one fills subject and body), subject and
// text with the placeholders as insertable chips, a note that the PDF goes
// along for a quote or invoice, and sends with POST /emails. The server
// renders the placeholders per recipient, queues the mail in its outbox and
// logs it as an `email` activity on each recipient's timeline (and on the
// ticket for record "case:N"). Field errors appear next to their inputs.

import { h, fill, nextId } from '../dom.js';
import { t, word, getLang } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { partyPicker } from '../picker.js';
import { field, formError, showErrors, clearErrors, openDialog, toast, busy } from '../forms.js';
import { canWrite, writableDomains } from '../access.js';

export const PLACEHOLDERS = ['salutation', 'name', 'first_name', 'company', 'sender', 'link', 'number', 'title', 'amount', 'due', 'accept_url', 'release', 'unsubscribe_url'];

// The placeholders the server fills for what the mail is about (it refuses
// a mail with one it cannot fill).
function placeholdersFor(record) {
  const kind = String(record || '').split(':')[0];
  const base = ['salutation', 'name', 'first_name', 'company', 'sender'];
  if (kind === 'quote') return [...base, 'number', 'amount', 'due', 'accept_url', 'link'];
  if (kind === 'invoice') return [...base, 'number', 'amount', 'due', 'link'];
  if (kind === 'case') return [...base, 'number', 'title', 'link'];
  if (kind === 'activity') return [...base, 'title', 'release', 'link'];
  return base;
}

// Inserts text at the caret of an input or textarea (replacing a selection).
export function insertAt(input, text) {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.value = input.value.slice(0, start) + text + input.value.slice(end);
  const at = start + text.length;
  input.focus();
  input.setSelectionRange?.(at, at);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

// The placeholder chips under a subject and a body: a click inserts
// "{{name}}" where the caret was in the field last used (the body at first).
export function placeholderChips(names, subjectInput, bodyInput, id = nextId('ph')) {
  let target = bodyInput;
  subjectInput.addEventListener('focus', () => { target = subjectInput; });
  bodyInput.addEventListener('focus', () => { target = bodyInput; });
  return h('div', { class: 'mail-placeholders', role: 'group', 'aria-labelledby': `${id}-label` },
    h('span', { class: 'muted', id: `${id}-label` }, t('mail.placeholders')),
    names.map((n) => h('button', {
      type: 'button', class: 'chip mail-ph', 'data-ph': n, title: t('mail.insert', { name: t(`mail.ph_${n}`) }),
      'aria-label': `{{${n}}} \u2013 ${t('mail.insert', { name: t(`mail.ph_${n}`) })}`,
      onclick: () => insertAt(target, `{{${n}}}`),
    }, `{{${n}}}`)));
}

// Templates in the app's language (all keys; key first when asked); none
// while the server has no templates.
export async function templates(key) {
  if (!(await hasEndpoint('GET', '/mail-templates'))) return [];
  const r = await api.get(qs('/mail-templates', { lang: getLang() }));
  const items = r.items || [];
  return key ? [...items.filter((x) => x.key === key), ...items.filter((x) => x.key !== key)] : items;
}

function firstEmail(p) {
  const e = (p.emails || []).find((x) => x && x.value);
  return e ? e.value : '';
}

// composeMail({parties: [id | {id, name}], record: "case:12"|"quote:3"|...,
// domain, template: key, onSent(answer)}): opens the dialog.
export function composeMail({ parties = [], record = null, domain = null, template = null, onSent = null } = {}) {
  const domains = writableDomains();
  const dom = domain && canWrite(domain) ? domain : domains[0];
  const recips = new Map(); // id -> {id, name, email}
  const chips = h('ul', { class: 'mail-recipients', id: 'mail-recipients', 'aria-live': 'polite' });
  const err = formError();

  function drawChips() {
    fill(chips, [...recips.values()].map((p) => h('li', { class: ['mail-recipient', !p.email && 'mail-skip'], 'data-party': p.id },
      h('span', { class: 'mail-r-name' }, p.name || `#${p.id}`),
      p.email ? h('span', { class: 'mail-r-addr' }, p.email)
        : h('span', { class: 'chip chip-warn mail-r-skip' }, t('mail.no_email_skipped')),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('mail.remove_recipient', { name: p.name || `#${p.id}` }),
        onclick: () => { recips.delete(p.id); drawChips(); } }, '\u00d7'))));
    if (!recips.size) chips.append(h('li', { class: 'muted' }, t('mail.no_recipients')));
  }

  async function addParty(x) {
    const id = Number(typeof x === 'object' ? x.id : x);
    if (!id || recips.has(id)) return;
    recips.set(id, { id, name: typeof x === 'object' ? x.name : '', email: '' });
    drawChips();
    try {
      const p = await api.get(`/parties/${id}`);
      if (recips.has(id)) recips.set(id, { id, name: p.name, email: firstEmail(p) });
    } catch {
      /* the server decides at send time */
    }
    drawChips();
  }

  const picker = partyPicker({ id: 'mail-add-party', label: t('mail.add_recipient'), fieldName: 'to', required: false });
  const addBtn = h('button', { type: 'button', id: 'mail-add-btn', onclick: async () => {
    const id = picker.value();
    if (!id) return;
    await addParty(id);
    const s = picker.querySelector('input');
    if (s) s.value = '';
    picker.querySelector('select').hidden = true;
  } }, t('mail.add'));
  picker.querySelector('select').addEventListener('dblclick', () => addBtn.click());
  picker.querySelector('select').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addBtn.click();
    }
  });

  const domainF = field({ name: 'domain', label: t('mail.domain'), type: 'select', id: 'mail-domain', value: dom,
    options: (domain && canWrite(domain) ? [domain] : domains).map((d) => [d, word('domain', d)]) });
  const tplF = field({ name: 'template', label: t('mail.template'), type: 'select', id: 'mail-template', options: [['', t('mail.template_none')]] });
  const subject = field({ name: 'subject', label: t('mail.subject'), id: 'mail-subject', required: true });
  const body = field({ name: 'body', label: t('mail.body'), type: 'textarea', id: 'mail-body', rows: 10, required: true, wide: true });
  const kind = String(record || '').split(':')[0];
  const note = kind === 'quote' || kind === 'invoice'
    ? h('p', { class: 'bill-note mail-attach-note', id: 'mail-attach-note' }, t(kind === 'quote' ? 'mail.pdf_attached_quote' : 'mail.pdf_attached_invoice')) : null;
  let tplList = [];
  const fillFrom = (tp) => {
    if (!tp) return;
    subject.input.value = tp.subject || '';
    body.input.value = tp.body || '';
  };
  templates(template).then((list) => {
    tplList = list;
    tplF.hidden = !list.length;
    fill(tplF.input, h('option', { value: '' }, t('mail.template_none')),
      list.map((x) => h('option', { value: x.id, selected: template && x.key === template && x === list[0] }, x.name || x.key)));
    if (template && list[0]?.key === template && !subject.input.value && !body.input.value) fillFrom(list[0]);
  }).catch(() => {});
  tplF.input.addEventListener('change', () => fillFrom(tplList.find((x) => String(x.id) === tplF.input.value)));

  const form = h('form', { novalidate: true, id: 'mail-form', class: 'mail-form' }, err,
    h('fieldset', { class: 'mail-to' }, h('legend', t('mail.to')), chips,
      h('div', { class: 'mail-add row' }, picker, addBtn)),
    h('div', { class: 'grid-2' }, tplF, domainF), note, subject, body,
    placeholderChips(placeholdersFor(record), subject.input, body.input, 'mail-ph'),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'mail-send' }, t('mail.send')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('mail.compose_title'), form, { wide: true });
  drawChips();
  for (const p of parties) addParty(p);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const to = [...recips.keys()];
    const errors = [];
    if (!to.length) errors.push({ field: 'to', message: t('mail.need_recipient') });
    if (!subject.input.value.trim()) errors.push({ field: 'subject', message: t('error.required') });
    if (!body.input.value.trim()) errors.push({ field: 'body', message: t('error.required') });
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    const payload = { to, subject: subject.input.value, body: body.input.value, domain: domainF.input.value, lang: getLang() };
    if (tplF.input.value) payload.template = Number(tplF.input.value);
    if (record) payload.record = record;
    busy(form, async () => {
      try {
        const r = await api.post('/emails', payload);
        dlg.close();
        const sent = (r.items || []).length;
        const skipped = (r.skipped || []).length;
        toast(skipped ? t('mail.sent_skipped', { n: sent, m: skipped }) : t('mail.sent', { n: sent }), skipped ? 'error' : 'ok');
        if (onSent) await onSent(r);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

// The "E-mail sturen" button: appended to container's .actions (or to the
// container), shown only when the server sends mail (POST /emails) and the
// user may write the mail's domain (any domain when none is given). opts are
// composeMail's, plus label (a t() key). Returns the button or null.
export function mailButton(container, opts) {
  if (!opts) return null;
  const dom = opts.domain;
  if (dom ? !canWrite(dom) : !writableDomains().length) return null;
  const btn = h('button', { type: 'button', class: ['mail-btn', opts.primary && 'primary'], id: opts.id || 'mail-compose', hidden: true,
    onclick: () => composeMail(opts) }, t(opts.label || 'mail.compose'));
  hasEndpoint('POST', '/emails').then((ok) => { btn.hidden = !ok; }).catch(() => {});
  if (container && /^H\d$/.test(container.tagName)) {
    container.after(h('div', { class: 'mail-head-actions' }, btn)); // under a card's heading
  } else if (container) {
    let target = container.querySelector(':scope > .actions') || container;
    if (target === container && container.classList.contains('page-head')) {
      target = h('div', { class: 'actions' });
      container.append(target);
    }
    target.append(btn);
  }
  return btn;
}

