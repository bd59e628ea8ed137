// The supplier scorecard panel of a party page (suppliers only, for readers
// of purchasing): the rating of the last 12 months with its history as a
// chart, the averages per criterion, the latest evaluations, the supplier
// contracts (expiring ones flagged) and the flag of a supplier who is also a
// customer. Purchasing writers evaluate here (the evaluation dialog), and
// correct (the same dialog, PATCH) or delete (after a confirmation) an
// evaluation of the list; the rating follows on the server.

import { h, fill } from '../dom.js';
import { t, label, fmtDate, fmtDateTime } from '../i18n.js';
import { api, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canRead, canWrite } from '../access.js';
import { barList, columns } from '../chart.js';
import { empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

const CRITERIA = ['quality', 'delivery', 'price', 'communication'];

function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

// The evaluation dialog: a month, four scores 1-5 and a note; with an
// evaluation (ev) it changes that one.
export function evaluationDialog(party, onSaved, ev) {
  const err = formError();
  const month = !ev || /^\d{4}-\d{2}$/.test(ev.period); // a quarter ("2026-Q4") is typed
  const period = field({ name: 'period', label: t('supplier.period'), type: month ? 'month' : 'text', id: 'eval-period', value: ev ? ev.period : thisMonth(), required: true, hint: t('supplier.period_hint'), attrs: month ? { max: thisMonth() } : {} });
  const scores = CRITERIA.map((c) => field({
    name: c,
    label: t(`supplier.${c}`),
    type: 'select',
    id: `eval-${c}`,
    value: ev ? ev[c] : 3,
    options: [1, 2, 3, 4, 5].map((n) => [n, t(`supplier.score_${n}`)]),
  }));
  const note = field({ name: 'note', label: t('supplier.note'), type: 'textarea', id: 'eval-note', value: ev?.note || '' });
  const form = h('form', { novalidate: true, id: 'evaluation-form' }, err, period,
    h('div', { class: 'grid-2' }, scores), note,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(ev ? t('supplier.edit_title', { period: ev.period }) : t('supplier.evaluate_title', { name: party.name }), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = ev ? { period: period.input.value } : { party: party.id, period: period.input.value };
    for (const [i, c] of CRITERIA.entries()) body[c] = Number(scores[i].input.value);
    if (note.input.value.trim()) body.note = note.input.value.trim();
    else if (ev?.note) body.note = null;
    busy(form, async () => {
      try {
        if (ev) await api.patch(`/supplier-evaluations/${ev.id}`, body, { version: ev.version });
        else await api.post('/supplier-evaluations', body);
        dlg.close();
        toast(t('supplier.evaluated'));
        if (onSaved) await onSaved();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

function stars(n) {
  return n ? h('span', { class: 'rating', 'aria-label': t('supplier.rating_of', { n }) }, '\u2605'.repeat(n) + '\u2606'.repeat(5 - n)) : h('span', { class: 'muted' }, t('supplier.no_rating'));
}

// Deletes an evaluation after a confirmation.
async function deleteEvaluation(ev, onChange) {
  if (!(await confirmDialog(t('supplier.delete_title'), t('supplier.delete_question', { period: ev.period }), t('supplier.delete')))) return;
  try {
    await api.del(`/supplier-evaluations/${ev.id}`, { version: ev.version });
    toast(t('supplier.deleted'));
    await onChange();
  } catch (ex) {
    toast(errorText(ex), 'error');
  }
}

// The edit and delete buttons of one evaluation (purchasing writers).
function evalActions(party, e, onChange) {
  if (!onChange) return null;
  return h('span', { class: 'sc-eval-actions' },
    h('button', { type: 'button', class: 'small', id: `eval-edit-${e.id}`, 'aria-label': t('supplier.edit_label', { period: e.period }), onclick: () => evaluationDialog(party, onChange, e) }, t('admin.edit')),
    h('button', { type: 'button', class: 'small danger-line', id: `eval-delete-${e.id}`, 'aria-label': t('supplier.delete_of', { period: e.period }), onclick: () => deleteEvaluation(e, onChange) }, t('supplier.delete')));
}

function card(sc, party, onChange) {
  const avg = sc.averages || {};
  const history = (sc.history || []).filter((x) => x.to);
  return [
    h('div', { class: 'sc-head' },
      h('p', { class: 'sc-rating' }, h('strong', t('supplier.rating')), ' ', stars(sc.rating)),
      sc.category ? h('p', h('span', { class: 'muted' }, `${t('supplier.category')}: `), sc.category) : null,
      sc.preferred ? h('span', { class: 'chip chip-on', id: 'sc-preferred' }, t('supplier.preferred')) : null),
    (sc.flags || []).map((f) => h('div', { class: 'sc-flag', role: 'note' },
      h('strong', t(`supplier.flag_${f.code}`)),
      (f.notes || []).map((n) => h('p', label(n))))),
    h('p', { class: 'muted' }, t('supplier.window', { from: sc.window.from, to: sc.window.to, n: sc.evaluated })),
    sc.evaluated ? barList(CRITERIA.map((c) => ({ label: t(`supplier.${c}`), value: avg[c] || 0 })), { caption: t('supplier.averages'), cls: 'sc-bars' }) : null,
    history.length ? columns(history.map((x) => ({ label: fmtDate(x.at), value: x.to })), { caption: t('supplier.history'), width: 320, height: 140, desc: history.map((x) => `${fmtDate(x.at)} ${x.to}`).join(', ') }) : null,
    h('h3', t('supplier.evaluations')),
    sc.evaluations.length
      ? h('ul', { class: 'sc-evals' }, sc.evaluations.slice(0, 5).map((e) => h('li', { 'data-eval': e.id },
        h('strong', e.period), ' ',
        CRITERIA.map((c) => `${t(`supplier.${c}`)} ${e[c]}`).join(' \u00b7 '),
        e.note ? h('p', { class: 'pre' }, e.note) : null,
        h('span', { class: 'muted' }, ` ${fmtDateTime(e.created_at)}`),
        evalActions(party, e, onChange))))
      : empty(t('supplier.no_evaluations')),
    h('h3', t('supplier.contracts')),
    sc.contracts.length
      ? h('ul', { class: 'sc-contracts' }, sc.contracts.map((c) => h('li',
        h('a', { href: '/agreements' }, c.title), ' ',
        h('span', { class: 'muted' }, c.end ? t('supplier.until', { date: fmtDate(c.end) }) : t('supplier.open_ended')),
        c.expiring ? [' ', h('span', { class: 'chip chip-warn' }, t('supplier.expiring', { n: c.ends_in_days }))] : null)))
      : empty(t('supplier.no_contracts')),
  ];
}

export function supplierPanel(party) {
  const sec = h('section', { class: 'card sc-panel', id: 'supplier-panel', 'aria-labelledby': 'sc-title', hidden: true });
  const isSupplier = (party.roles || []).some((r) => r.type === 'supplier');
  if (!isSupplier || !canRead('purchasing')) return sec;
  const body = h('div', { class: 'sc-body' });
  async function load() {
    try {
      const sc = await api.get(`/parties/${party.id}/scorecard`);
      fill(body, card(sc, party, canWrite('purchasing') && !party.archived ? load : null));
    } catch (e) {
      fill(body, errorBox(errorText(e)));
    }
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/parties/{id}/scorecard'))) return;
    sec.hidden = false;
    fill(sec,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'sc-title' }, t('supplier.scorecard')),
        canWrite('purchasing') && !party.archived ? h('button', { type: 'button', class: 'small', id: 'supplier-evaluate', onclick: () => evaluationDialog(party, load) }, t('supplier.evaluate')) : null),
      body);
    await load();
  })();
  return sec;
}
