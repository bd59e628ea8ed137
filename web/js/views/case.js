// One ticket (/cases/ID): subject, party, status, priority and assignee,
// the SLA due time with a live "due in / overdue" and why it is what it is
// (the treatment rule that set it, or the priority), the conversation with
// a reply box (a message to the party or an internal note), close and
// reopen, and the history of changes from the audit trail. Changes are
// sent with If-Match; controls only for users who may write the case's
// domain (the server checks again).

import { h, fill } from '../dom.js';
import { userPicker, users } from '../picker.js';
import { t, word, fmtDateTime, getLang } from '../i18n.js';
import { api, qs } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { canWriteRecord } from '../access.js';
import { documentsPanel } from './documents.js'; // documents
import { slaText } from './cases.js';
import { mailButton } from './compose.js'; // e-mail: reply by e-mail

const STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'top'];
const TRACKED = ['status', 'priority', 'assignee', 'sla_due', 'subject'];

// The SLA reason in the app's language: the server's sentence, else one made here.
export function slaReason(c) {
  const r = c.sla_reason;
  if (r && typeof r === 'object' && r[getLang()]) return r[getLang()];
  if (c.sla_source === 'input') return t('case.reason_input');
  if (c.sla_source === 'treatment') return t('case.reason_treatment', { n: c.sla_hours });
  return t('case.reason_priority', { n: c.sla_hours, priority: word('priority', c.priority).toLowerCase() });
}

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);
  fill(main, loading());
  let c;
  try {
    c = await api.get(`/cases/${id}`);
  } catch (e) {
    fill(main, pageHead(t('nav.cases')), errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const writable = canWriteRecord(c);
  let userNames = new Map();
  try {
    userNames = new Map((await users()).map((u) => [u.id, u.display_name || u.name]));
  } catch {
    // names stay numbers
  }
  const userName = (uid) => (uid ? userNames.get(Number(uid)) || `#${uid}` : t('case.nobody'));

  const head = h('div');
  const facts = h('dl', { class: 'case-facts', id: 'case-facts' });
  const slaBox = h('div', { class: 'case-sla', id: 'case-sla' });
  const controls = h('div', { class: 'case-controls', id: 'case-controls' });
  const convo = h('ol', { class: 'case-convo', id: 'case-convo', 'aria-label': t('case.conversation') });
  const history = h('ol', { class: 'case-history', id: 'case-history' });
  const live = h('span', { class: 'sla', id: 'case-sla-live', role: 'status' });

  function drawHead() {
    ctx.setTitle(c.subject);
    const closeBtn = writable && !['closed'].includes(c.status)
      ? h('button', { type: 'button', id: 'case-close', onclick: () => save({ status: 'closed' }, t('case.closed_toast')) }, t('case.close'))
      : writable ? h('button', { type: 'button', id: 'case-reopen', onclick: () => save({ status: 'open' }, t('case.reopened')) }, t('case.reopen')) : null;
    fill(head, pageHead(c.subject, closeBtn),
      h('p', { class: 'crumbs' }, h('a', { href: '/cases' }, t('nav.cases')), ' \u203a ', `#${c.id}`));
    fill(facts,
      h('div', h('dt', t('cases.party')), h('dd', h('a', { href: `/parties/${c.party}`, id: 'case-party-link' }, c.party_name || `#${c.party}`))),
      h('div', h('dt', t('case.status')), h('dd', h('span', { class: 'chip', id: 'case-status' }, word('case', c.status)))),
      h('div', h('dt', t('treatment.priority')), h('dd', h('span', { class: ['chip', `prio-${c.priority}`], id: 'case-priority' }, word('priority', c.priority)))),
      h('div', h('dt', t('case.assignee')), h('dd', { id: 'case-assignee' }, userName(c.assignee))),
      h('div', h('dt', t('activity.domain')), h('dd', word('domain', c.domain))),
      h('div', h('dt', t('cases.opened')), h('dd', fmtDateTime(c.opened_at))),
      c.resolved_at ? h('div', h('dt', t('case.resolved_at')), h('dd', fmtDateTime(c.resolved_at))) : null);
    fill(slaBox,
      h('h2', { class: 'h3' }, t('case.sla')),
      c.sla_due ? h('p', h('strong', fmtDateTime(c.sla_due)), ['resolved', 'closed'].includes(c.status) ? null : [' \u00b7 ', live]) : h('p', t('case.no_sla')),
      h('p', { class: 'case-sla-reason', id: 'case-sla-reason' }, `${t('case.why')} `, slaReason(c)),
      c.sla_breached ? h('p', h('span', { class: 'chip prio-top' }, t('cases.breached'))) : null);
    tick();
    drawControls();
  }

  function tick() {
    if (['resolved', 'closed'].includes(c.status)) {
      live.textContent = '';
      live.className = 'sla';
      return;
    }
    const s = slaText(c.sla_due);
    live.textContent = s.text;
    live.className = `sla ${s.cls}`;
  }
  const timer = setInterval(() => {
    if (!ctx.alive()) clearInterval(timer);
    else tick();
  }, 30000);

  function drawControls() {
    if (!writable) {
      fill(controls);
      return;
    }
    const err = formError();
    const status = field({ name: 'status', label: t('case.status'), type: 'select', value: c.status, id: 'case-status-input', options: STATUSES.map((s) => [s, word('case', s)]) });
    const priority = field({ name: 'priority', label: t('treatment.priority'), type: 'select', value: c.priority, id: 'case-priority-input', options: PRIORITIES.map((p) => [p, word('priority', p)]) });
    const assignee = userPicker({ id: 'case-assignee-input', label: t('case.assignee'), fieldName: 'assignee', value: c.assignee });
    const form = h('form', { novalidate: true, id: 'case-edit', class: 'card' },
      h('h2', { class: 'h3' }, t('case.change')), err,
      h('div', { class: 'grid-3' }, status, priority, assignee),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const patch = {};
      if (status.input.value !== c.status) patch.status = status.input.value;
      if (priority.input.value !== c.priority) patch.priority = priority.input.value;
      if ((assignee.value() || null) !== (c.assignee || null)) patch.assignee = assignee.value();
      if (!Object.keys(patch).length) {
        toast(t('case.nothing_changed'));
        return;
      }
      busy(form, () => save(patch, t('action.saved'), form));
    });
    fill(controls, form);
  }

  async function save(patch, msg, form = null) {
    try {
      c = await api.patch(`/cases/${c.id}`, patch, { version: c.version });
      toast(msg);
      drawHead();
      await loadHistory();
    } catch (e) {
      if (form) showErrors(form, e);
      else toast(errorText(e), 'error');
      if (e.status === 412) {
        c = await api.get(`/cases/${c.id}`);
        drawHead();
      }
    }
  }

  async function loadConvo() {
    let items;
    try {
      items = (await api.get(qs(`/cases/${c.id}/messages`, { limit: 200 }))).items || [];
    } catch (e) {
      fill(convo, h('li', errorBox(errorText(e))));
      return;
    }
    if (!ctx.alive()) return;
    // oldest first, as a conversation reads
    items.sort((a, b) => String(a.at).localeCompare(String(b.at)) || a.id - b.id);
    const first = c.description ? [h('li', { class: 'msg msg-first' },
      h('p', { class: 'msg-head' }, h('strong', c.party_name || t('cases.party')), ' \u00b7 ', fmtDateTime(c.opened_at)),
      h('p', { class: 'pre' }, c.description))] : [];
    // a mail received (direction in) is the customer's: their name, not a user's
    const incoming = (a) => a.type === 'email' && a.direction === 'in';
    const rest = items.map((a) => h('li', { class: ['msg', a.type === 'note' && 'msg-note', incoming(a) && 'msg-in'], 'data-activity': a.id },
      h('p', { class: 'msg-head' },
        h('strong', a.type === 'note' ? t('case.internal_note') : incoming(a) ? t('case.mail_in')
          : a.type === 'email' ? t('case.message') : word('activity', a.type)),
        ' \u00b7 ', incoming(a) ? (c.party_name || t('cases.party')) : userName(a.created_by), ' \u00b7 ', fmtDateTime(a.at)),
      a.subject ? h('p', { class: 'msg-subject' }, a.subject) : null,
      h('p', { class: 'pre' }, a.body || '')));
    if (!first.length && !rest.length) fill(convo, h('li', empty(t('case.no_messages'))));
    else fill(convo, first, rest);
  }

  function replyBox() {
    if (!writable) return null;
    const err = formError();
    const body = field({ name: 'body', label: t('case.reply'), type: 'textarea', id: 'case-reply', rows: 4, required: true });
    const internal = field({ name: 'internal', label: t('case.internal'), type: 'checkbox', id: 'case-internal' });
    const form = h('form', { novalidate: true, id: 'case-reply-form', class: 'card' }, err, body, internal,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('case.send'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = body.input.value.trim();
      if (!text) {
        showErrors(form, { errors: [{ field: 'body', message: t('error.required') }] });
        return;
      }
      busy(form, async () => {
        try {
          await api.post(`/cases/${c.id}/messages`, { body: text, internal: internal.input.checked });
          body.input.value = '';
          internal.input.checked = false;
          toast(t('case.sent'));
          c = await api.get(`/cases/${c.id}`);
          drawHead();
          await Promise.all([loadConvo(), loadHistory()]);
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
    return form;
  }

  // "Status: Open -> Gesloten; Behandelaar: Niemand -> Sanne" of an update ('' for a create)
  function change(e) {
    if (e.action !== 'update' || !e.before || !e.after) return '';
    const parts = [];
    const b = e.before;
    const a = e.after;
    const show = (k, v) => {
      if (k === 'assignee') return userName(v);
      if (v === null || v === undefined) return '\u2013';
      if (k === 'status') return word('case', v);
      if (k === 'priority') return word('priority', v);
      if (k === 'sla_due') return fmtDateTime(v);
      return String(v);
    };
    for (const k of TRACKED) {
      if (!(k in a) || JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null)) continue;
      parts.push(`${t(`case.f_${k}`)}: ${show(k, b[k])} \u2192 ${show(k, a[k])}`);
    }
    return parts.join('; ');
  }

  async function loadHistory() {
    let items;
    try {
      items = (await api.get(qs('/audit', { party: c.party, entity: 'case', entity_id: c.id, limit: 100 }))).items || [];
    } catch {
      fill(history, h('li', empty(t('case.no_history'))));
      return;
    }
    if (!ctx.alive()) return;
    const rows = items.map((e) => [e, change(e)]).filter(([e, text]) => text || e.action !== 'update');
    if (!rows.length) {
      fill(history, h('li', empty(t('case.no_history'))));
      return;
    }
    fill(history, rows.map(([e, text]) => h('li',
      h('span', { class: 'muted' }, fmtDateTime(e.at)), ' ',
      h('strong', e.user ? userNames.get(e.user.id) || e.user.name : t('case.system')), ' ',
      t(`case.a_${['create', 'update', 'delete'].includes(e.action) ? e.action : 'other'}`), text ? ` \u2013 ${text}` : '')));
  }

  // phone: facts, SLA, conversation, changes, history; wide: the conversation left, the rest right
  fill(main, head,
    h('div', { class: 'case-page' },
      h('section', { class: 'card case-a-facts', 'aria-label': t('case.facts') }, facts),
      h('section', { class: 'card case-a-sla' }, slaBox),
      h('div', { class: 'case-a-main' },
        h('section', { class: 'card', 'aria-labelledby': 'case-convo-title' },
          h('h2', { class: 'h3', id: 'case-convo-title' }, t('case.conversation')), convo),
        replyBox()),
      h('div', { class: 'case-a-controls' }, controls),
      h('section', { class: 'card case-a-history', 'aria-labelledby': 'case-history-title' },
        h('h2', { class: 'h3', id: 'case-history-title' }, t('case.history')), history)));
  main.querySelector('.case-page')?.append(documentsPanel({ kind: 'case', id }, { domain: c.domain, canWrite: writable })); // documents
  drawHead();
  mailButton(main.querySelector('#case-convo-title'), { parties: [c.party], record: `case:${c.id}`, domain: c.domain, template: 'case_reply', label: 'mail.reply_case', id: 'case-mail', onSent: () => ctx.rerender() }); // e-mail: reply by e-mail, threaded on the ticket
  await Promise.all([loadConvo(), loadHistory()]);
}
