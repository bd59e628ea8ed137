// Admin tab "Postvakken" (GET /mailboxes): the IMAP mailboxes xrm polls, each
// in a domain (mail received there becomes an `email` activity of that
// domain), with its IMAP URL, user name, password (write-only: the server
// never sends it back, so the field stays empty and only a new one is sent),
// the BCC address (users put it in BCC to log mail they send from their own
// client), on/off, the last poll and the last error. "Nu ophalen" polls at
// once and says what came in (fetched, stored, to review).

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { DOMAINS, empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/mailboxes')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const list = h('div', { id: 'mailbox-list' });
  const result = h('p', { class: 'mail-poll-result', id: 'mailbox-poll-result', role: 'status' });
  const save = (mb) => {
    const i = items.findIndex((x) => x.id === mb.id);
    if (i >= 0) items[i] = mb;
    else items.push(mb);
    draw();
  };
  async function poll(mb, btn) {
    btn.disabled = true;
    result.textContent = t('mailbox.polling', { name: mb.name });
    try {
      const r = await api.post(`/mailboxes/${mb.id}/poll`);
      result.textContent = t('mailbox.poll_result', { name: mb.name, fetched: r.fetched ?? 0, stored: r.stored ?? 0, review: r.review ?? 0 });
    } catch (e) {
      result.textContent = `${mb.name}: ${errorText(e)}`;
    }
    try {
      save(await api.get(`/mailboxes/${mb.id}`));
    } catch {
      btn.disabled = false;
    }
  }
  async function remove(mb) {
    if (!(await confirmDialog(t('mailbox.delete'), t('mailbox.delete_text', { name: mb.name }), t('mailbox.delete')))) return;
    try {
      await api.del(`/mailboxes/${mb.id}`);
      items = items.filter((x) => x.id !== mb.id);
      draw();
      toast(t('mailbox.deleted'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  function draw() {
    fill(list, items.length ? h('ul', { class: 'cards mailbox-cards' }, items.map((mb) => {
      const pollBtn = h('button', { type: 'button', class: 'small', 'data-act': 'poll', onclick: () => poll(mb, pollBtn) }, t('mailbox.poll'));
      return h('li', { class: 'card mailbox-card', 'data-mailbox': mb.id },
        h('h3', { class: 'h4' }, mb.name, ' ', h('span', { class: ['chip', mb.enabled ? 'status-on' : 'status-off'] }, mb.enabled ? t('mailbox.enabled') : t('mailbox.disabled'))),
        h('dl', { class: 'props' },
          h('dt', t('mailbox.domain')), h('dd', word('domain', mb.domain)),
          h('dt', t('mailbox.imap_url')), h('dd', h('code', { class: 'mail-addr' }, mb.imap_url || '')),
          h('dt', t('mailbox.username')), h('dd', mb.username || ''),
          mb.bcc_address ? [h('dt', t('mailbox.bcc_address')), h('dd', h('code', { class: 'mail-addr' }, mb.bcc_address))] : null,
          h('dt', t('mailbox.last_poll')), h('dd', mb.last_poll ? fmtDateTime(mb.last_poll) : t('mailbox.never')),
          mb.last_error ? [h('dt', t('mailbox.last_error')), h('dd', { class: 'mailbox-error' }, mb.last_error)] : null),
        h('div', { class: 'form-actions' },
          pollBtn,
          h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => editMailbox(mb, save) }, t('admin.edit')),
          h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete', onclick: () => remove(mb) }, t('mailbox.delete'))));
    })) : empty(t('mailbox.none')));
  }
  draw();
  fill(body, h('section', { class: 'card', 'aria-labelledby': 'mailbox-title' },
    h('div', { class: 'mail-head' },
      h('h2', { id: 'mailbox-title' }, t('mailbox.tab')),
      h('button', { type: 'button', class: 'primary', id: 'mailbox-new', onclick: () => editMailbox(null, save) }, t('mailbox.new'))),
    h('p', { class: 'muted' }, t('mailbox.intro')), result, list));
}

function editMailbox(mb, onSaved) {
  const err = formError();
  const name = field({ name: 'name', label: t('mailbox.name'), id: 'mb-name', value: mb?.name || '', required: true });
  const domain = field({ name: 'domain', label: t('mailbox.domain'), type: 'select', id: 'mb-domain', value: mb?.domain || 'sales', options: DOMAINS.map((d) => [d, word('domain', d)]) });
  const url = field({ name: 'imap_url', label: t('mailbox.imap_url'), id: 'mb-imap-url', value: mb?.imap_url || '', required: true, hint: t('mailbox.imap_hint'), attrs: { inputmode: 'url', autocapitalize: 'none', spellcheck: 'false' } });
  const user = field({ name: 'username', label: t('mailbox.username'), id: 'mb-username', value: mb?.username || '', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const pw = field({ name: 'password', label: t('mailbox.password'), type: 'password', id: 'mb-password', autocomplete: 'new-password', hint: mb ? t('mailbox.password_keep') : t('mailbox.password_hint') });
  const bcc = field({ name: 'bcc_address', label: t('mailbox.bcc_address'), type: 'email', id: 'mb-bcc', value: mb?.bcc_address || '', hint: t('mailbox.bcc_hint') });
  const enabled = field({ name: 'enabled', label: t('mailbox.enabled'), type: 'checkbox', id: 'mb-enabled', value: mb ? !!mb.enabled : true });
  const form = h('form', { novalidate: true, id: 'mailbox-form' }, err,
    h('div', { class: 'grid-2' }, name, domain), url, h('div', { class: 'grid-2' }, user, pw), bcc, enabled,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(mb ? t('mailbox.edit', { name: mb.name }) : t('mailbox.new'), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const b = {
      name: name.input.value.trim(), domain: domain.input.value, imap_url: url.input.value.trim(),
      username: user.input.value.trim(), bcc_address: bcc.input.value.trim() || null, enabled: enabled.input.checked,
    };
    if (pw.input.value) b.password = pw.input.value;
    const missing = ['name', 'imap_url'].filter((k) => !b[k]);
    if (missing.length) {
      showErrors(form, { errors: missing.map((f) => ({ field: f, message: t('error.required') })) });
      return;
    }
    busy(form, async () => {
      try {
        const r = mb ? await api.patch(`/mailboxes/${mb.id}`, b, mb.version ? { version: mb.version } : {}) : await api.post('/mailboxes', b);
        dlg.close();
        onSaved(r);
        toast(t('action.saved'));
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}
