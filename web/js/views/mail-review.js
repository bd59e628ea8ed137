// The review list (/mail-review): mail that arrived in a mailbox from an
// address no party has, for users who write the mailbox's domain (the
// server lists only those). Each message shows the sender, subject, an
// excerpt and the date; "Koppelen" assigns it to a party chosen with the
// party picker (it becomes an `email` activity on that party's timeline,
// POST /mail-review/{id}/assign), "Negeren" discards it.

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { partyPicker } from '../picker.js';
import { formError, showErrors, clearErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';

function excerpt(text, n = 240) {
  const s = String(text || '').replace(/\s+/g, ' ').trim();
  return s.length > n ? `${s.slice(0, n - 1)}\u2026` : s;
}

export async function render(main, ctx) {
  ctx.setTitle(t('mailbox.review_title'));
  const list = h('div', { id: 'review-list' }, loading());
  fill(main, pageHead(t('mailbox.review_title')), h('p', { class: 'muted' }, t('mailbox.review_intro')), list);
  let items = [];

  function draw() {
    fill(list, items.length ? h('ul', { class: 'cards review-cards' }, items.map((m) => h('li', { class: 'card review-card', 'data-review': m.id },
      h('h2', { class: 'h3 review-subject' }, m.subject || t('mailbox.no_subject')),
      h('p', { class: 'review-from' },
        h('strong', m.from_name || m.from || ''), m.from_name && m.from ? h('span', { class: 'muted mail-addr' }, ` <${m.from}>`) : null),
      h('p', { class: 'muted' }, fmtDateTime(m.received_at), m.domain ? ` \u00b7 ${word('domain', m.domain)}` : '', m.mailbox_name ? ` \u00b7 ${m.mailbox_name}` : ''),
      m.text ? h('p', { class: 'review-excerpt' }, excerpt(m.text)) : null,
      m.text && m.text.length > 240 ? h('details', h('summary', t('mailbox.whole_text')), h('p', { class: 'pre' }, m.text)) : null,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'primary', 'data-act': 'assign', onclick: () => assign(m) }, t('mailbox.assign')),
        h('button', { type: 'button', class: 'danger-line', 'data-act': 'discard', onclick: (e) => discard(m, e.target) }, t('mailbox.discard'))))))
      : empty(t('mailbox.review_none')));
  }

  function assign(m) {
    const err = formError();
    const picker = partyPicker({ id: 'review-party', label: t('mailbox.assign_to'), fieldName: 'party' });
    const form = h('form', { novalidate: true, id: 'review-assign-form' }, err,
      h('p', t('mailbox.assign_text', { from: m.from || '', subject: m.subject || '' })), picker,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, t('mailbox.assign')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('mailbox.assign_title'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors(form);
      const party = picker.value();
      if (!party) {
        showErrors(form, { errors: [{ field: 'party', message: t('error.required') }] });
        return;
      }
      busy(form, async () => {
        try {
          await api.post(`/mail-review/${m.id}/assign`, { party });
          dlg.close();
          items = items.filter((x) => x.id !== m.id);
          draw();
          toast(t('mailbox.assigned'));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  async function discard(m, btn) {
    btn.disabled = true;
    try {
      await api.post(`/mail-review/${m.id}/discard`);
      items = items.filter((x) => x.id !== m.id);
      draw();
      toast(t('mailbox.discarded'));
    } catch (e) {
      btn.disabled = false;
      toast(errorText(e), 'error');
    }
  }

  try {
    items = (await api.get(qs('/mail-review', { status: 'review' }))).items || [];
  } catch (e) {
    fill(list, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  draw();
}
