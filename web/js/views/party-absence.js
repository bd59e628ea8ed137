// The absence panel of a party page, for employees and users who may read
// hr: this year's leave balance (statutory and extra hours, taken, planned,
// remaining, what expires when), the employee's absences (newest first)
// with approve / reject / recover / edit, and "report sick" and "request
// leave" for HR writers. Hidden for everyone else and for parties without
// an employee role.

import { h, fill } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { canRead, canWrite } from '../access.js';
import { absenceDialog, absenceLine, fmtHours } from './absence.js';

function balanceBox(b) {
  const row = (key, v, id) => h('div', { class: 'leave-fig', id }, h('dt', t(key)), h('dd', fmtHours(v)));
  return h('div', { class: 'leave-balance', id: 'leave-balance' },
    h('h3', t('leave.balance_year', { year: b.year })),
    h('dl', { class: 'leave-figs' },
      row('leave.statutory', b.statutory_hours, 'leave-statutory'),
      b.extra_hours ? row('leave.extra', b.extra_hours, 'leave-extra') : null,
      b.carried_over ? row('leave.carried_over', b.carried_over, 'leave-carried') : null,
      row('leave.taken', b.taken, 'leave-taken'),
      row('leave.planned', b.planned, 'leave-planned'),
      b.requested ? row('leave.requested', b.requested, 'leave-requested') : null,
      row('leave.remaining', b.remaining, 'leave-remaining'),
      b.expired ? row('leave.expired', b.expired, 'leave-expired') : null),
    b.expiring.length ? h('ul', { class: 'leave-expiring muted small-text' },
      b.expiring.map((x) => h('li', t('leave.expires', { hours: fmtHours(x.hours), date: fmtDate(x.date) })))) : null);
}

export function absencePanel(party) {
  const sec = h('section', { class: 'card abs-panel', id: 'abs-panel', 'aria-labelledby': 'abs-panel-title', hidden: true });
  const isEmployee = (party.roles || []).some((r) => r.type === 'employee' && r.status !== 'applicant' && r.status !== 'rejected');
  if (!isEmployee || !canRead('hr')) return sec;
  const balance = h('div', { class: 'abs-balance' });
  const list = h('div', { class: 'abs-panel-list' });
  async function load() {
    try {
      const [b, r] = await Promise.all([
        api.get(`/parties/${party.id}/leave`),
        api.get(qs('/absences', { party: party.id, limit: 100 })),
      ]);
      fill(balance, balanceBox(b));
      fill(list, r.items.length ? h('ul', { class: 'abs-list' }, r.items.map((a) => absenceLine(a, { onChange: load, showParty: false, tasks: true }))) : empty(t('absence.none')));
    } catch (e) {
      fill(list, errorBox(errorText(e)));
    }
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/absences'))) return;
    const w = canWrite('hr') && !party.archived;
    sec.hidden = false;
    fill(sec,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'abs-panel-title' }, t('absence.panel')),
        w ? h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'small', id: 'party-report-sick', onclick: () => absenceDialog({ party: party.id, kind: 'sick', onSaved: load }) }, t('sick.report')),
          h('button', { type: 'button', class: 'small', id: 'party-request-leave', onclick: () => absenceDialog({ party: party.id, kind: 'leave', onSaved: load }) }, t('leave.request'))) : null),
      balance, list);
    await load();
  })();
  return sec;
}
