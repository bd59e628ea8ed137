// The employment history panel of a party page (HR): the dated records of
// job, department, hours, contract and salary (salary lines only when the
// API sent them: hr=full), newest first, planned ones marked, the terms as
// of today, and "plan a change" for users who may write HR. Shown to users
// who may read HR, on parties with an employee role. Also the chain rule's
// warning after a new employment contract (chainWarning, agreements.js).

import { h, fill, todayISO } from '../dom.js';
import { t, word, fmtDate, fmtNumber } from '../i18n.js';
import { api, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { fmtAmount, amountInput, parseAmount } from '../format.js';
import { canSeeOrg, canEditOrg, canSeeSalary } from '../access.js';
import { empty, errorBox } from '../ui.js';
import { departmentPicker } from './departments.js';

export { departmentName, departmentPicker } from './departments.js';

const CONTRACTS = ['permanent', 'temporary', 'freelance', 'intern', 'zero_hours'];

function terms(r) {
  return [
    r.job_title ? [t('employment.job_title'), r.job_title] : null,
    r.department ? [t('employment.department'), r.department_name || `#${r.department}`] : null,
    r.hours_per_week !== null && r.hours_per_week !== undefined ? [t('employment.hours'), fmtNumber(r.hours_per_week)] : null,
    r.contract_type ? [t('employment.contract_type'), word('value', r.contract_type)] : null,
    r.salary !== null && r.salary !== undefined ? [t('employment.salary'), fmtAmount(r.salary)] : null,
  ].filter(Boolean);
}

const dl = (pairs) => h('dl', { class: 'props props-tight' }, pairs.map(([k, v]) => [h('dt', k), h('dd', v)]));

function planDialog(party, onSaved) {
  const err = formError();
  const eff = field({ name: 'effective', label: t('employment.effective'), type: 'date', id: 'emp-effective', value: todayISO(), required: true });
  const job = field({ name: 'job_title', label: t('employment.job_title'), id: 'emp-job' });
  const dept = departmentPicker({ id: 'emp-department', label: t('employment.department'), fieldName: 'department' });
  const hours = field({ name: 'hours_per_week', label: t('employment.hours'), type: 'number', id: 'emp-hours', attrs: { min: 0, max: 80, step: 'any', inputmode: 'decimal' } });
  const contract = field({ name: 'contract_type', label: t('employment.contract_type'), type: 'select', id: 'emp-contract', value: '',
    options: [['', '\u2014'], ...CONTRACTS.map((c) => [c, word('value', c)])] });
  const salary = canSeeSalary() ? field({ name: 'salary', label: t('employment.salary'), id: 'emp-salary', value: amountInput(null), attrs: { inputmode: 'decimal' }, hint: t('party.money_hint') }) : null;
  const note = field({ name: 'note', label: t('employment.note'), type: 'textarea', id: 'emp-note' });
  const form = h('form', { novalidate: true, id: 'employment-form' }, err, eff,
    h('p', { class: 'hint' }, t('employment.plan_hint')),
    h('div', { class: 'grid-2' }, job, dept, hours, contract, salary), note,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('employment.plan'), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { effective: eff.input.value };
    const errors = [];
    if (job.input.value.trim()) body.job_title = job.input.value.trim();
    if (dept.value()) body.department = dept.value();
    if (hours.input.value !== '') body.hours_per_week = Number(hours.input.value);
    if (contract.input.value) body.contract_type = contract.input.value;
    if (salary && salary.input.value.trim()) {
      const c = parseAmount(salary.input.value);
      if (Number.isNaN(c)) errors.push({ field: 'salary', message: t('agreement.value_bad') });
      else body.salary = c;
    }
    if (note.input.value.trim()) body.note = note.input.value.trim();
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    busy(form, async () => {
      try {
        const saved = await api.post(`/parties/${party.id}/employment`, body);
        dlg.close();
        toast(saved.planned ? t('employment.planned_saved') : t('action.saved'));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

export function employmentPanel(party) {
  const sec = h('section', { class: 'card emp-panel', id: 'employment-panel', 'aria-labelledby': 'emp-panel-title', hidden: true });
  const employed = (party.roles || []).some((r) => r.type === 'employee' && !['applicant', 'rejected'].includes(r.status));
  if (!employed || !canSeeOrg()) return sec;
  const body = h('div', { class: 'emp-body' });
  async function load() {
    let hist;
    try {
      hist = await api.get(`/parties/${party.id}/employment`);
    } catch (e) {
      fill(body, errorBox(errorText(e)));
      return;
    }
    const items = [...hist.items].reverse();
    const now = terms(hist.current);
    fill(body,
      now.length ? h('div', { class: 'emp-current' }, h('h3', t('employment.current')), dl(now)) : null,
      items.length ? h('ol', { class: 'emp-list', 'aria-label': t('employment.history') }, items.map((r) => h('li', { class: ['emp-rec', r.planned && 'emp-planned'], 'data-effective': r.effective },
        h('p', { class: 'emp-date' }, h('strong', fmtDate(r.effective)),
          r.planned ? h('span', { class: 'chip chip-planned' }, t('employment.planned')) : null),
        dl(terms(r)),
        r.note ? h('p', { class: 'muted pre' }, r.note) : null))) : empty(t('employment.none')));
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/parties/{id}/employment'))) return;
    sec.hidden = false;
    fill(sec,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'emp-panel-title' }, t('employment.panel')),
        canEditOrg() && !party.archived ? h('button', { type: 'button', class: 'small', id: 'employment-plan', onclick: () => planDialog(party, load) }, t('employment.plan')) : null),
      body);
    await load();
  })();
  return sec;
}

// After an agreement was created: the chain rule's warnings, if the API gave any.
export function chainWarning(saved) {
  const warnings = saved?.warnings || [];
  if (!warnings.length) return null;
  const dlg = openDialog(t('employment.chain_title'), h('div', { class: 'chain-warning', id: 'chain-warning', role: 'alert' },
    warnings.map((w) => h('p', { 'data-code': w.code }, w.message)),
    h('p', { class: 'muted' }, t('employment.chain_hint')),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'primary', id: 'chain-ok', onclick: () => dlg.close() }, t('action.close')))));
  return dlg;
}
