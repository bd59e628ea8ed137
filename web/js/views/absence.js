// Absence (/absence, HR readers): who is away today and this week, leave
// requests waiting for approval, open sick reports with their week of
// sickness and the next Poortwachter step, the sickness percentage per
// month, all filtered by department; "report absence" for HR writers. The
// pieces other screens use live here too: absenceDialog (report sick,
// request leave, special or parental leave), absenceLine (one absence with
// approve / reject / recover / delete where the user may write hr) and
// fmtHours. No diagnosis is ever asked for: the dialog says so, and the
// note of sick leave is offered only to users with full HR access (the
// server leaves it out for others).

import { h, fill, todayISO } from '../dom.js';
import { t, word, fmtDate, fmtNumber, getLang } from '../i18n.js';
import { api, qs } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { partyPicker, userPicker } from '../picker.js';
import { canWrite, canFull } from '../access.js';
import { setNewAction } from '../keys.js';
import { confirmDialog } from './admin.js';

export const KINDS = ['sick', 'leave', 'special', 'parental'];

export function fmtHours(v) {
  if (v === null || v === undefined) return '';
  return t('absence.hours_n', { n: fmtNumber(v, { maximumFractionDigits: 2 }) });
}

function period(a) {
  if (!a.until) return t('absence.since', { date: fmtDate(a.from) });
  if (a.until === a.from) return fmtDate(a.from);
  return `${fmtDate(a.from)} \u2013 ${fmtDate(a.until)}`;
}

function statusChip(a) {
  if (a.kind === 'sick') {
    return h('span', { class: ['chip', a.until ? 'status-off' : 'abs-sick'] }, a.until ? t('absence.recovered') : t('absence.open_sick'));
  }
  return h('span', { class: ['chip', `abs-${a.status}`] }, word('absence.status', a.status));
}

// Report sick / request leave / special or parental leave for an employee
// (party given, or chosen in the dialog), or change one (absence given).
export function absenceDialog({ party = null, kind = 'leave', absence = null, onSaved } = {}) {
  const a = absence || {};
  const err = formError();
  const partyField = absence || party ? null : partyPicker({ id: 'abs-party', label: t('absence.employee') });
  const kindField = field({ name: 'kind', label: t('absence.kind'), type: 'select', id: 'abs-kind', value: a.kind || kind, options: KINDS.map((k) => [k, word('absence.kind', k)]) });
  if (absence) kindField.input.disabled = true;
  const from = field({ name: 'from', label: t('absence.from'), type: 'date', id: 'abs-from', value: a.from || todayISO(), required: true });
  const until = field({ name: 'until', label: t('absence.until'), type: 'date', id: 'abs-until', value: a.until || '' });
  const hours = field({ name: 'hours', label: t('absence.hours'), type: 'number', id: 'abs-hours', value: a.hours ?? '', hint: t('absence.hours_hint'), attrs: { min: 0, step: '0.1', inputmode: 'decimal' } });
  const assignee = absence ? null : userPicker({ id: 'abs-assignee', label: t('sick.assignee'), fieldName: 'assignee' });
  const note = field({ name: 'note', label: t('absence.note'), type: 'textarea', id: 'abs-note', value: a.note || '' });
  const sickHint = h('p', { class: 'notice', id: 'abs-no-diagnosis', role: 'note' }, t('sick.no_diagnosis'));
  const sync = () => {
    const sick = kindField.input.value === 'sick';
    sickHint.hidden = !sick;
    until.querySelector('label').firstChild.textContent = sick ? t('absence.recovered_on') : t('absence.until');
    hours.hidden = sick;
    if (assignee) assignee.hidden = !sick;
    note.hidden = sick && !canFull('hr');
  };
  kindField.input.addEventListener('change', sync);
  const form = h('form', { novalidate: true, id: 'absence-form' }, err, partyField, kindField, sickHint,
    h('div', { class: 'grid-3' }, from, until, hours), assignee, note,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, absence ? t('action.save') : t('absence.save')),
      absence ? h('button', { type: 'button', class: 'danger', id: 'abs-delete', onclick: remove }, t('absence.delete')) : null,
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(absence ? t('absence.edit') : t('absence.new'), form, { wide: true });
  // an absence recorded by mistake (a sick report's open tasks go with it)
  async function remove() {
    if (!(await confirmDialog(t('absence.delete_title'), t('absence.delete_question'), t('absence.delete')))) return;
    try {
      await api.del(`/absences/${a.id}`, { version: a.version });
      dlg.close();
      toast(t('absence.deleted'));
      if (onSaved) await onSaved(null);
    } catch (ex) {
      showErrors(form, ex);
    }
  }
  sync();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const k = kindField.input.value;
    const body = { from: from.input.value };
    if (until.input.value) body.until = until.input.value;
    else if (absence) body.until = null;
    if (k !== 'sick' && hours.input.value !== '') body.hours = Number(hours.input.value);
    if (!note.hidden && (note.input.value.trim() || a.note)) body.note = note.input.value.trim() || null;
    if (!absence) {
      body.kind = k;
      body.party = party || partyField.value() || undefined;
      if (k === 'sick' && assignee.value()) body.assignee = assignee.value();
      if (!body.party) {
        showErrors(form, { errors: [{ field: 'party', message: t('error.required') }] });
        return;
      }
    }
    busy(form, async () => {
      try {
        const saved = absence
          ? await api.patch(`/absences/${a.id}`, body, { version: a.version })
          : await api.post('/absences', body);
        dlg.close();
        toast(absence ? t('action.saved') : t(`absence.created_${k === 'sick' ? 'sick' : 'other'}`));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

// Recovery of a sick absence on a date (today by default).
function recoverDialog(a, onSaved) {
  const err = formError();
  const date = field({ name: 'date', label: t('sick.recovered_date'), type: 'date', id: 'abs-recover-date', value: todayISO(), required: true });
  const form = h('form', { novalidate: true, id: 'absence-recover' }, err, date,
    h('p', { class: 'muted small-text' }, t('sick.recover_hint')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('sick.recover')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('sick.recover_title'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const saved = await api.post(`/absences/${a.id}/recover`, { date: date.input.value });
        dlg.close();
        toast(t('sick.recovered_toast'));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

async function act(call, msg, onChange) {
  try {
    await call();
    toast(msg);
    if (onChange) await onChange();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

// One absence: who (showParty), kind, period, hours, status, note; the
// actions a user who may write hr has.
// The Poortwachter tasks of a sick report, read when opened.
function sickTasks(a) {
  const list = h('ul', { class: 'pw-tasks' });
  const d = h('details', { class: 'pw-details' }, h('summary', t('sick.tasks')), list);
  d.addEventListener('toggle', async () => {
    if (!d.open || list.dataset.loaded) return;
    list.dataset.loaded = '1';
    try {
      const r = await api.get(`/absences/${a.id}/tasks`);
      fill(list, r.items.length ? r.items.map((x) => h('li', { class: x.done ? 'pw-done' : null },
        `${x.subject} \u00b7 ${fmtDate(x.due)}${x.done ? ` \u00b7 ${t('sick.task_done')}` : ''}`)) : h('li', t('sick.no_tasks')));
    } catch (e) {
      fill(list, h('li', errorText(e)));
    }
  });
  return d;
}

export function absenceLine(a, { onChange, showParty = true, extra = null, tasks = false } = {}) {
  const w = canWrite('hr');
  const name = a.party_name || `#${a.party}`;
  const actions = w ? h('div', { class: 'row-actions' },
    a.kind === 'leave' && a.status !== 'approved' ? h('button', { type: 'button', class: 'small primary abs-approve', 'aria-label': `${t('leave.approve')}: ${name}`, onclick: () => act(() => api.post(`/absences/${a.id}/approve`), t('leave.approved_toast'), onChange) }, t('leave.approve')) : null,
    a.kind === 'leave' && a.status !== 'rejected' ? h('button', { type: 'button', class: 'small abs-reject', 'aria-label': `${t('leave.reject')}: ${name}`, onclick: () => act(() => api.post(`/absences/${a.id}/reject`), t('leave.rejected_toast'), onChange) }, t('leave.reject')) : null,
    a.kind === 'sick' && !a.until ? h('button', { type: 'button', class: 'small primary abs-recover', 'aria-label': `${t('sick.recover')}: ${name}`, onclick: () => recoverDialog(a, onChange) }, t('sick.recover')) : null,
    h('button', { type: 'button', class: 'small abs-edit', 'aria-label': `${t('absence.change')}: ${name}`, onclick: () => absenceDialog({ absence: a, onSaved: onChange }) }, t('absence.change'))) : null;
  return h('li', { class: 'abs-line', 'data-absence': a.id, 'data-kind': a.kind },
    h('div', { class: 'abs-main' },
      showParty ? h('a', { href: `/parties/${a.party}`, class: 'abs-who' }, name) : null,
      h('span', { class: 'chip abs-kind' }, word('absence.kind', a.kind)),
      statusChip(a)),
    h('p', { class: 'muted small-text' }, period(a), a.hours !== null && a.hours !== undefined ? ` \u00b7 ${fmtHours(a.hours)}` : '', extra ? [' \u00b7 ', extra] : null),
    a.note ? h('p', { class: 'pre small-text' }, a.note) : null,
    tasks && a.kind === 'sick' ? sickTasks(a) : null,
    actions);
}

// The next Poortwachter step of an open sick report, as text.
export function nextStep(e) {
  if (!e.next_task) return t('sick.no_next');
  const late = e.next_task.due && e.next_task.due < todayISO();
  return h('span', { class: late ? 'abs-late' : null }, t('sick.next', { subject: e.next_task.subject, date: fmtDate(e.next_task.due) }));
}

function section(id, title, entries, render, emptyText) {
  return h('section', { class: 'card abs-section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title, ' ', h('span', { class: 'muted count' }, `(${entries.length})`)),
    entries.length ? h('ul', { class: 'abs-list' }, entries.map(render)) : empty(emptyText));
}

export async function render(main, ctx) {
  ctx.setTitle(t('absence.title'));
  const dept = new URLSearchParams(location.search).get('department') || '';
  const body = h('div', { class: 'abs-page' }, loading());
  const newBtn = canWrite('hr') ? h('button', { type: 'button', class: 'primary', id: 'absence-new', onclick: () => absenceDialog({ onSaved: load }) }, t('absence.new')) : null;
  fill(main, pageHead(t('absence.title'), newBtn), body);
  if (newBtn) setNewAction(() => absenceDialog({ onSaved: load }));
  async function load() {
    let o;
    let stats;
    try {
      [o, stats] = await Promise.all([
        api.get(qs('/absence/overview', { department: dept })),
        api.get(qs('/absence/stats', { department: dept })),
      ]);
    } catch (e) {
      if (ctx.alive()) fill(body, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    const filter = field({ name: 'department', label: t('absence.department'), type: 'select', id: 'abs-dept', value: dept,
      options: [['', t('absence.all_departments')], ...o.departments.map((d) => [d.department, d.name])] });
    filter.input.addEventListener('change', () => ctx.navigate(qs('/absence', { department: filter.input.value })));
    const line = (e) => absenceLine(e.absence, { onChange: load });
    const monthName = (m) => new Intl.DateTimeFormat(getLang() === 'en' ? 'en-GB' : 'nl-NL', { month: 'long' }).format(new Date(`${m}-01T00:00:00`));
    const pct = (v) => (v === null || v === undefined ? '\u2013' : `${fmtNumber(v, { maximumFractionDigits: 2 })}%`);
    fill(body,
      h('div', { class: 'abs-filter' }, filter),
      h('div', { class: 'abs-grid' },
        section('abs-today', t('absence.today', { date: fmtDate(o.date) }), o.today, line, t('absence.none_today')),
        section('abs-week', t('absence.week', { from: fmtDate(o.week_start), until: fmtDate(o.week_end) }), o.week, line, t('absence.none_week')),
        section('abs-requests', t('leave.requests'), o.requests, line, t('leave.no_requests')),
        section('abs-sick', t('sick.open'), o.sick, (e) => absenceLine(e.absence, { onChange: load, extra: [t('sick.week_n', { n: e.sick_week ?? '?' }), ' \u00b7 ', nextStep(e)] }), t('sick.none_open')),
        h('section', { class: 'card abs-section', id: 'abs-stats', 'aria-labelledby': 'abs-stats-title' },
          h('h2', { id: 'abs-stats-title' }, t('sick.percentage_year', { year: stats.year })),
          h('p', { class: 'muted small-text' }, t('sick.formula')),
          stats.totals.length ? h('table', { class: 'abs-table', id: 'abs-stats-table' },
            h('thead', h('tr', h('th', { scope: 'col' }, t('sick.month')), h('th', { scope: 'col' }, t('sick.sick_days')),
              h('th', { scope: 'col' }, t('sick.available_days')), h('th', { scope: 'col' }, t('sick.percentage')))),
            h('tbody', stats.totals.map((m) => h('tr', { 'data-month': m.month },
              h('th', { scope: 'row' }, monthName(m.month)), h('td', fmtNumber(m.sick_days)), h('td', fmtNumber(m.available_days)),
              h('td', { class: 'abs-pct' }, pct(m.percentage)))))) : empty(t('state.empty')))));
  }
  await load();
}
