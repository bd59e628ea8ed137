// Admin tab "Uitgaande e-mail": the mail settings as the server has them
// (GET /settings/mail: an SMTP server configured or not - without one mails
// stay queued -, the from address, the public URL used in links) and the
// outbox (GET /outbox?status=): every mail with its recipient, subject,
// status, attempts, next try and last error, newest first, paged; a queued
// or failed mail can be tried again now (POST /outbox/{id}/retry).

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, toast, errorText } from '../forms.js';
import { empty, errorBox, loading } from '../ui.js';

const STATUSES = ['queued', 'sending', 'sent', 'failed'];

function statusChip(s) {
  return h('span', { class: ['chip', 'outbox-status', s === 'sent' ? 'status-on' : s === 'failed' ? 'chip-warn' : null], 'data-status': s }, word('mail.outbox', s));
}

async function settingsCard() {
  const card = h('section', { class: 'card', id: 'mail-settings', 'aria-labelledby': 'mail-settings-title' },
    h('h2', { id: 'mail-settings-title' }, t('mail.settings')));
  if (!(await hasEndpoint('GET', '/settings/mail'))) return null;
  try {
    const s = await api.get('/settings/mail');
    card.append(h('dl', { class: 'props' },
      h('dt', t('mail.smtp')), h('dd', h('span', { class: ['chip', s.smtp ? 'status-on' : 'chip-warn'], id: 'mail-smtp' }, s.smtp ? t('mail.smtp_on') : t('mail.smtp_off'))),
      h('dt', t('mail.from')), h('dd', h('code', { class: 'mail-addr' }, s.from || '\u2013')),
      h('dt', t('mail.public_url')), h('dd', h('code', { class: 'mail-addr' }, s.public_url || '\u2013'))),
    s.smtp ? null : h('p', { class: 'muted' }, t('mail.smtp_off_help')));
  } catch (e) {
    card.append(errorBox(errorText(e)));
  }
  return card;
}

export async function render(body, ctx) {
  const status = field({ name: 'status', label: t('mail.outbox_status'), type: 'select', id: 'outbox-status', value: ctx.query?.get('status') || '',
    options: [['', t('mail.outbox_all')], ...STATUSES.map((s) => [s, word('mail.outbox', s)])] });
  const tbody = h('tbody');
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'outbox-table' },
    h('caption', { class: 'sr-only' }, t('mail.outbox_tab')),
    h('thead', h('tr', ['mail.outbox_to', 'mail.subject', 'mail.outbox_status', 'mail.outbox_attempts', 'mail.outbox_next_at', 'mail.outbox_last_error', 'mail.outbox_created_at', 'mail.outbox_sent_at']
      .map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('admin.actions'))))),
    tbody));
  const box = h('div', { id: 'outbox-list' }, loading());
  const more = h('button', { type: 'button', id: 'outbox-more', hidden: true, onclick: () => load(false) }, t('mail.outbox_more'));
  let next = null;
  let rows = [];

  const row = (m) => h('tr', { 'data-outbox': m.id },
    h('td', { 'data-label': t('mail.outbox_to'), class: 'mail-addr' }, m.to || ''),
    h('td', { 'data-label': t('mail.subject') }, m.subject || ''),
    h('td', { 'data-label': t('mail.outbox_status') }, statusChip(m.status)),
    h('td', { 'data-label': t('mail.outbox_attempts') }, String(m.attempts ?? 0)),
    h('td', { 'data-label': t('mail.outbox_next_at') }, m.status === 'queued' && m.next_at ? fmtDateTime(m.next_at) : ''),
    h('td', { 'data-label': t('mail.outbox_last_error'), class: 'outbox-error' }, m.last_error || ''),
    h('td', { 'data-label': t('mail.outbox_created_at') }, fmtDateTime(m.created_at)),
    h('td', { 'data-label': t('mail.outbox_sent_at') }, m.sent_at ? fmtDateTime(m.sent_at) : ''),
    h('td', { class: 'row-actions' }, m.status === 'failed' || m.status === 'queued'
      ? h('button', { type: 'button', class: 'small', 'data-act': 'retry', onclick: (e) => retry(m, e.target) }, t('mail.outbox_retry')) : null));

  async function retry(m, btn) {
    btn.disabled = true;
    try {
      const r = await api.post(`/outbox/${m.id}/retry`);
      const i = rows.findIndex((x) => x.id === m.id);
      if (i >= 0 && r && r.id) rows[i] = r;
      else if (i >= 0) rows[i] = { ...m, status: 'queued', last_error: null };
      fill(tbody, rows.map(row));
      toast(t('mail.outbox_retried'));
    } catch (e) {
      btn.disabled = false;
      toast(errorText(e), 'error');
    }
  }

  async function load(reset) {
    let r;
    try {
      r = await api.get(qs('/outbox', { status: status.input.value, limit: 50, cursor: reset ? null : next }));
    } catch (e) {
      fill(box, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    if (reset) rows = [];
    rows.push(...(r.items || []));
    next = r.next || null;
    more.hidden = !next;
    fill(tbody, rows.map(row));
    fill(box, rows.length ? table : empty(t('mail.outbox_none')));
  }
  status.input.addEventListener('change', () => load(true));

  const settings = await settingsCard();
  if (!ctx.alive()) return;
  fill(body, settings,
    h('section', { class: 'card', 'aria-labelledby': 'outbox-title' },
      h('h2', { id: 'outbox-title' }, t('mail.outbox_tab')),
      h('p', { class: 'muted' }, t('mail.outbox_intro')),
      h('div', { class: 'filters' }, status), box, more));
  await load(true);
}
