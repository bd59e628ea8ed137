// Admin tab "E-mailsjablonen" (GET /mail-templates): the templates per key
// and language (the built-in ones - general, case_reply, quote, invoice,
// reminder, press_release, newsletter, in Dutch and English - can be edited
// but not deleted), the editor of subject and text with the placeholders as
// insertable chips, and a preview against a party (POST
// /mail-templates/{id}/preview: the server fills the placeholders the way
// it will when sending). New templates for admins.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { partyPicker } from '../picker.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';
import { placeholderChips, PLACEHOLDERS } from './compose.js';

const LANGS = ['nl', 'en'];

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/mail-templates')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const tbody = h('tbody');
  const draw = () => {
    items.sort((a, b) => String(a.key).localeCompare(String(b.key)) || String(a.lang).localeCompare(String(b.lang)) || a.id - b.id);
    fill(tbody, items.map((tp) => h('tr', { 'data-template': tp.id, 'data-key': tp.key, 'data-lang': tp.lang },
      h('th', { scope: 'row' }, tp.name || tp.key),
      h('td', { 'data-label': t('mail.tpl_key') }, h('code', tp.key)),
      h('td', { 'data-label': t('mail.tpl_lang') }, tp.lang === 'nl' ? t('mail.lang_nl') : t('mail.lang_en')),
      h('td', { 'data-label': t('mail.subject') }, tp.subject || ''),
      h('td', { 'data-label': t('mail.tpl_kind') }, h('span', { class: 'chip' }, tp.builtin ? t('mail.tpl_builtin') : t('mail.tpl_own'))),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => editTemplate(tp, save) }, t('admin.edit')),
        tp.builtin ? null : h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete', onclick: () => remove(tp) }, t('mail.tpl_delete'))))));
  };
  const save = (tp) => {
    const i = items.findIndex((x) => x.id === tp.id);
    if (i >= 0) items[i] = tp;
    else items.push(tp);
    draw();
  };
  async function remove(tp) {
    if (!(await confirmDialog(t('mail.tpl_delete'), t('mail.tpl_delete_text', { name: tp.name || tp.key }), t('mail.tpl_delete')))) return;
    try {
      await api.del(`/mail-templates/${tp.id}`);
      items = items.filter((x) => x.id !== tp.id);
      draw();
      toast(t('mail.tpl_deleted'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  draw();
  fill(body, h('section', { class: 'card', 'aria-labelledby': 'mail-tpl-title' },
    h('div', { class: 'mail-head' },
      h('h2', { id: 'mail-tpl-title' }, t('mail.templates')),
      h('button', { type: 'button', class: 'primary', id: 'mail-tpl-new', onclick: () => editTemplate(null, save) }, t('mail.tpl_new'))),
    h('p', { class: 'muted' }, t('mail.templates_intro')),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'mail-tpl-table' },
      h('caption', { class: 'sr-only' }, t('mail.templates')),
      h('thead', h('tr', ['mail.tpl_name', 'mail.tpl_key', 'mail.tpl_lang', 'mail.subject', 'mail.tpl_kind'].map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('admin.actions'))))),
      tbody)) : empty(t('mail.tpl_none'))));
}

function editTemplate(tp, onSaved) {
  const err = formError();
  const name = field({ name: 'name', label: t('mail.tpl_name'), id: 'tpl-name', value: tp?.name || '', required: true });
  const key = field({ name: 'key', label: t('mail.tpl_key'), id: 'tpl-key', value: tp?.key || '', required: true, hint: t('mail.tpl_key_hint') });
  const lang = field({ name: 'lang', label: t('mail.tpl_lang'), type: 'select', id: 'tpl-lang', value: tp?.lang || 'nl', options: LANGS.map((l) => [l, t(`mail.lang_${l}`)]) });
  if (tp) {
    key.input.disabled = true;
    lang.input.disabled = true;
  }
  const subject = field({ name: 'subject', label: t('mail.subject'), id: 'tpl-subject', value: tp?.subject || '', required: true });
  const text = field({ name: 'body', label: t('mail.body'), type: 'textarea', id: 'tpl-body', rows: 10, value: tp?.body || '', required: true });
  const previewBox = h('div', { class: 'mail-preview', id: 'tpl-preview', 'aria-live': 'polite' });
  const who = partyPicker({ id: 'tpl-preview-party', label: t('mail.preview_party'), fieldName: 'party', required: false });
  const previewBtn = h('button', { type: 'button', id: 'tpl-preview-btn', onclick: () => preview() }, t('mail.preview'));
  const form = h('form', { novalidate: true, id: 'tpl-form' }, err,
    h('div', { class: 'grid-3' }, name, key, lang), subject, text,
    placeholderChips(PLACEHOLDERS, subject.input, text.input, 'tpl-ph'),
    tp ? h('fieldset', { class: 'mail-preview-set' }, h('legend', t('mail.preview')),
      h('p', { class: 'muted' }, t('mail.preview_intro')),
      h('div', { class: 'row' }, who, previewBtn), previewBox) : null,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(tp ? t('mail.tpl_edit', { name: tp.name || tp.key }) : t('mail.tpl_new'), form, { wide: true });

  async function preview() {
    clearErrors(form);
    const party = who.value();
    if (!party) {
      showErrors(form, { errors: [{ field: 'party', message: t('mail.preview_pick') }] });
      return;
    }
    try {
      // the text as it stands in the editor is saved first, so the preview shows it
      await saveNow(false);
      const r = await api.post(`/mail-templates/${tp.id}/preview`, { party });
      fill(previewBox, h('p', { class: 'mail-preview-subject' }, h('strong', `${t('mail.subject')}: `), r.subject || ''),
        h('pre', { class: 'pre mail-preview-body' }, r.body || ''));
    } catch (e) {
      showErrors(form, e);
    }
  }

  function changes() {
    const b = { name: name.input.value.trim(), subject: subject.input.value, body: text.input.value };
    if (!tp) Object.assign(b, { key: key.input.value.trim(), lang: lang.input.value });
    return b;
  }

  async function saveNow(close) {
    const b = changes();
    const missing = ['name', 'subject', 'body', ...(tp ? [] : ['key'])].filter((k) => !String(b[k] || '').trim());
    if (missing.length) {
      const e = new Error(t('error.required'));
      e.errors = missing.map((f) => ({ field: f, message: t('error.required') }));
      throw e;
    }
    if (tp && b.name === (tp.name || '') && b.subject === (tp.subject || '') && b.body === (tp.body || '')) {
      if (close) dlg.close();
      return tp;
    }
    const r = tp ? await api.patch(`/mail-templates/${tp.id}`, b, tp.version ? { version: tp.version } : {}) : await api.post('/mail-templates', b);
    if (tp) Object.assign(tp, r);
    onSaved(r);
    if (close) {
      dlg.close();
      toast(t('action.saved'));
    }
    return r;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await saveNow(true);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

