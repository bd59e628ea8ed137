// Press releases and neighbour letters (/press): the list (an embargoed one
// is shown to pr writers only; the server leaves it out for others), the
// editor (type, subject, text, the party it is about, the embargo and the
// recipients as a segment, e.g. the media list), the recipients with who
// will be skipped (may_email), sending once the embargo has passed, and the
// recipients as a CSV file for a mail merge.

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { partyPicker } from '../picker.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canWrite } from '../access.js';
import { setNewAction } from '../keys.js';
import { empty, errorBox, loading, pageHead } from '../ui.js';
import { mailButton } from './compose.js'; // e-mail: send a release to chosen parties

const TYPES = ['press_release', 'letter'];

// "2026-12-09T09:00" (local, from <input type=datetime-local>) -> RFC 3339 UTC.
function toUtc(local) {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function pressDialog(onSaved) {
  const err = formError();
  const type = field({ name: 'type', label: t('press.type'), type: 'select', id: 'press-type', value: 'press_release', options: TYPES.map((x) => [x, word('activity', x)]) });
  const subject = field({ name: 'subject', label: t('press.subject'), id: 'press-subject', required: true });
  const body = field({ name: 'body', label: t('press.body'), type: 'textarea', id: 'press-body', rows: 6 });
  const about = partyPicker({ id: 'press-party', label: t('press.about'), fieldName: 'parties' });
  const tomorrow = new Date(Date.now() + 86400000);
  tomorrow.setHours(9, 0, 0, 0);
  const embargo = field({ name: 'embargo', label: t('press.embargo'), type: 'datetime-local', id: 'press-embargo', value: localInput(tomorrow), hint: t('press.embargo_hint') });
  const segment = field({ name: 'segment', label: t('press.segment'), type: 'select', id: 'press-segment', options: [['', t('press.segment_none')]], hint: t('press.segment_hint') });
  api.get('/segments').then((r) => {
    fill(segment.input, h('option', { value: '' }, t('press.segment_none')),
      (r.items || []).map((s) => h('option', { value: s.id, selected: /role:press/.test(s.query) }, s.name)));
  }).catch(() => {});
  const form = h('form', { novalidate: true, id: 'press-form' }, err,
    h('div', { class: 'grid-2' }, type, embargo), subject, body, about, segment,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('press.schedule')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('press.new'), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const party = about.value();
    const rec = { type: type.input.value, domain: 'pr', subject: subject.input.value.trim(), parties: party ? [Number(party)] : [] };
    if (body.input.value.trim()) rec.body = body.input.value.trim();
    if (embargo.input.value) rec.embargo = toUtc(embargo.input.value);
    if (segment.input.value) rec.segment = Number(segment.input.value);
    if (!party) {
      showErrors(form, { errors: [{ field: 'parties', message: t('error.required') }] });
      return;
    }
    busy(form, async () => {
      try {
        await api.post('/activities', rec);
        dlg.close();
        toast(t('press.scheduled'));
        if (onSaved) await onSaved();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

function recipientsDialog(a) {
  const body = h('div', { id: 'press-recipients' }, loading());
  openDialog(t('press.recipients_title', { subject: a.subject }), body, { wide: true });
  api.get(`/activities/${a.id}/recipients`).then((r) => {
    fill(body,
      h('p', t('press.recipients_counts', { sent: r.sent, pending: r.pending, skipped: r.skipped })),
      h('p', h('a', { href: `/api/v1/activities/${a.id}/recipients.csv`, download: '', id: 'press-csv' }, t('press.csv'))),
      r.items.length
        ? h('ul', { class: 'press-recipients' }, r.items.map((x) => h('li',
          h('a', { href: `/parties/${x.party}` }, x.name), ' ',
          h('span', { class: ['chip', x.status === 'skipped' && 'chip-warn'] }, t(`press.status_${x.status}`)),
          x.reason ? h('span', { class: 'muted' }, ` ${t(`press.reason_${x.reason}`)}`) : null)))
        : empty(t('press.no_recipients')));
  }).catch((e) => fill(body, errorBox(errorText(e))));
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.press'));
  if (!(await hasEndpoint('POST', '/activities/{id}/send'))) {
    fill(main, pageHead(t('nav.press')), empty(t('feature.unavailable')));
    return;
  }
  const writer = canWrite('pr');
  const list = h('div', { id: 'press-list' }, loading());
  const newBtn = writer ? h('button', { type: 'button', class: 'primary', id: 'new-press', onclick: () => pressDialog(load) }, t('press.new')) : null;
  if (newBtn) setNewAction(() => pressDialog(load));
  fill(main, pageHead(t('nav.press'), newBtn), h('p', { class: 'muted' }, t('press.help')), list);

  async function send(a) {
    try {
      const r = await api.post(`/activities/${a.id}/send`);
      toast(t('press.sent_toast', { sent: r.sent, skipped: r.skipped }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  async function load() {
    let items = [];
    try {
      for (const type of TYPES) items = items.concat((await api.get(qs('/activities', { type, domain: 'pr', limit: 100 }))).items || []);
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    items.sort((x, y) => (y.embargo || y.at).localeCompare(x.embargo || x.at));
    // releases have recipients or an embargo; the copies logged on recipients' timelines have neither
    items = items.filter((a) => a.segment || a.embargo);
    const now = new Date().toISOString();
    fill(list, items.length
      ? h('ul', { class: 'cards press-cards' }, items.map((a) => {
        const under = a.embargo && a.embargo > now;
        return h('li', { class: 'card press-card', 'data-id': a.id },
          h('h2', a.subject),
          h('p', h('span', { class: 'chip' }, word('activity', a.type)), ' ',
            under ? h('span', { class: 'chip chip-warn' }, t('press.under_embargo', { at: fmtDateTime(a.embargo) }))
              : a.sent_at ? h('span', { class: 'chip chip-on' }, t('press.sent_at', { at: fmtDateTime(a.sent_at) }))
                : h('span', { class: 'chip' }, t('press.not_sent'))),
          a.body ? h('p', { class: 'pre' }, a.body) : null,
          h('div', { class: 'form-actions' },
            a.segment ? h('button', { type: 'button', class: 'press-recipients-btn', onclick: () => recipientsDialog(a) }, t('press.recipients')) : null,
            writer && a.segment && !a.sent_at && !under ? h('button', { type: 'button', class: 'primary press-send', onclick: () => send(a) }, t('press.send')) : null,
            under ? null : mailButton(null, { parties: [], record: `activity:${a.id}`, domain: 'pr', template: 'press_release', id: `press-mail-${a.id}` })));
      }))
      : empty(t('press.none')));
  }
  await load();
}
