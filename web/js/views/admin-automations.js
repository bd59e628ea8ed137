// Admin tab: automations. The list says per automation its trigger and
// actions in words, on or off; the form below creates or edits one with
// the trigger and each action as form fields (no JSON). "Run now" runs
// every automation once and shows what fired; the status line says whether
// the scheduler runs and when it last did.

import { h, fill, clear } from '../dom.js';
import { t, word, fmtDateTime, label } from '../i18n.js';
import { api, roleTypes } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { userPicker } from '../picker.js';
import { DOMAINS, empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

const TRIGGERS = ['deal_stage', 'customer_idle', 'agreement_ending', 'case_sla_breached', 'role_started', 'role_ended'];
const ACTIONS = ['create_task', 'add_note', 'add_tag', 'set_field'];
// which trigger fields each trigger type has
const TRIGGER_FIELDS = {
  deal_stage: ['stage', 'pipeline'],
  customer_idle: ['days'],
  agreement_ending: ['days', 'kind', 'domain'],
  case_sla_breached: [],
  role_started: ['role', 'within_days'],
  role_ended: ['role', 'within_days'],
};
const ACTION_FIELDS = {
  create_task: ['subject', 'body', 'due_days', 'assignee', 'domain'],
  add_note: ['subject', 'body', 'domain'],
  add_tag: ['tag'],
  set_field: ['field', 'value'],
};

function triggerText(tr, pipes, types) {
  const parts = [word('admin.trg', tr.type)];
  if (tr.stage) parts.push(`${t('admin.stage')}: ${tr.stage}`);
  if (tr.stage_id) {
    const st = pipes.flatMap((p) => p.stages).find((s) => s.id === tr.stage_id);
    parts.push(`${t('admin.stage')}: ${st ? st.name : `#${tr.stage_id}`}`);
  }
  if (tr.pipeline) parts.push(`${t('admin.pipeline')}: ${pipes.find((p) => p.id === tr.pipeline)?.name || `#${tr.pipeline}`}`);
  if (tr.days) parts.push(t('admin.n_days', { n: tr.days }));
  if (tr.kind) parts.push(`${t('admin.au_kind')}: ${tr.kind}`);
  if (tr.domain) parts.push(word('domain', tr.domain));
  if (tr.role) parts.push(`${t('admin.au_role')}: ${label(types.find((rt) => rt.name === tr.role)?.label, tr.role)}`);
  if (tr.within_days) parts.push(t('admin.within_n_days', { n: tr.within_days }));
  return parts.join(' \u00b7 ');
}

function actionText(a) {
  const parts = [word('admin.act', a.type)];
  if (a.subject) parts.push(`\u201c${a.subject}\u201d`);
  if (a.due_days !== undefined && a.type === 'create_task') parts.push(t('admin.due_in_days', { n: a.due_days }));
  if (a.tag) parts.push(a.tag);
  if (a.field) parts.push(`${a.field} = ${JSON.stringify(a.value)}`);
  return parts.join(' ');
}

export async function render(body, ctx) {
  let items;
  let pipes = [];
  let status = null;
  let types = [];
  try {
    [items, pipes, status, types] = await Promise.all([
      api.get('/automations').then((r) => r.items || []),
      api.get('/pipelines').then((r) => r.items || []).catch(() => []),
      api.get('/automations/status').catch(() => null),
      roleTypes().catch(() => []),
    ]);
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  let editing = null;
  const list = h('div', { class: 'rule-list', id: 'automation-list' });
  const statusEl = h('p', { class: 'muted', id: 'automation-status' });
  const runResult = h('div', { id: 'run-result', 'aria-live': 'polite' });
  const drawStatus = () => {
    if (!status) return;
    const parts = [status.scheduler ? t('admin.sched_on', { n: Math.round((status.interval || 0) / 60) }) : t('admin.sched_off')];
    if (status.last_run) parts.push(t('admin.last_run', { at: fmtDateTime(status.last_run.at), n: status.last_run.fired }));
    statusEl.textContent = parts.join(' \u00b7 ');
  };
  const draw = () => fill(list, items.length ? items.map((a) => h('article', { class: ['card', 'rule', !a.enabled && 'item-off'], 'data-automation': a.name },
    h('div', { class: 'role-head' }, h('h3', a.name),
      a.builtin ? h('span', { class: 'chip' }, t('admin.builtin')) : null,
      h('span', { class: ['chip', a.enabled ? 'status-on' : 'status-off'] }, a.enabled ? t('admin.enabled') : t('admin.disabled'))),
    h('p', h('strong', `${t('admin.trigger')}: `), triggerText(a.trigger || {}, pipes, types)),
    h('ul', { class: 'au-actions' }, (a.actions || []).map((x) => h('li', actionText(x)))),
    h('div', { class: 'role-actions' },
      h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => load(a) }, t('admin.edit')),
      h('button', { type: 'button', class: 'small', 'data-act': 'toggle', onclick: () => toggle(a) }, a.enabled ? t('admin.disable') : t('admin.enable')),
      a.builtin ? null : h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete', onclick: () => remove(a) }, t('admin.delete'))))) : empty(t('admin.no_automations')));

  async function toggle(a) {
    try {
      const na = await api.patch(`/automations/${a.id}`, { enabled: !a.enabled }, { version: a.version });
      Object.assign(a, na);
      draw();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  async function remove(a) {
    if (!(await confirmDialog(t('admin.au_delete_title'), t('admin.au_delete_question', { name: a.name }), t('admin.delete')))) return;
    try {
      await api.del(`/automations/${a.id}`, { version: a.version });
      items = items.filter((x) => x.id !== a.id);
      if (editing?.id === a.id) load(null);
      draw();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  async function runNow(btn) {
    btn.disabled = true;
    fill(runResult, h('p', { class: 'loading', role: 'status' }, t('state.loading')));
    try {
      const r = await api.post('/automations/run');
      fill(runResult, h('div', { class: 'card run-report' },
        h('p', { id: 'run-summary' }, t('admin.run_summary', { fired: r.fired, errors: r.errors, renewed: r.renewed })),
        (r.automations || []).length ? h('ul', r.automations.map((x) => h('li', `${x.name}: ${t('admin.run_fired', { n: x.fired })}${x.errors ? `, ${t('admin.run_errors', { n: x.errors })}` : ''}`))) : null));
      status = await api.get('/automations/status').catch(() => status);
      drawStatus();
    } catch (e) {
      fill(runResult, errorBox(errorText(e)));
    } finally {
      btn.disabled = false;
    }
  }

  // ---- the form: trigger fields and action rows
  const err = formError();
  const heading = h('h2', { id: 'au-form-title' }, t('admin.new_automation'));
  const fName = field({ name: 'name', label: t('field.name'), required: true, id: 'au-name' });
  const fEnabled = field({ name: 'enabled', label: t('admin.enabled'), type: 'checkbox', value: true, id: 'au-enabled' });
  const fType = field({ name: 'trigger-type', field: 'trigger.type', label: t('admin.trigger_type'), type: 'select', id: 'au-trigger', options: TRIGGERS.map((x) => [x, word('admin.trg', x)]) });
  const tf = {
    stage: field({ name: 'trigger-stage', field: 'trigger.stage', label: t('admin.stage'), id: 'au-stage', hint: t('admin.au_stage_hint') }),
    pipeline: field({ name: 'trigger-pipeline', field: 'trigger.pipeline', label: t('admin.pipeline'), type: 'select', id: 'au-pipeline', options: [['', t('admin.any_pipeline')], ...pipes.map((p) => [p.id, p.name])] }),
    days: field({ name: 'trigger-days', field: 'trigger.days', label: t('admin.days'), type: 'number', id: 'au-days', value: '30', attrs: { min: '1', inputmode: 'numeric' } }),
    kind: field({ name: 'trigger-kind', field: 'trigger.kind', label: t('admin.au_kind'), id: 'au-kind' }),
    domain: field({ name: 'trigger-domain', field: 'trigger.domain', label: t('activity.domain'), type: 'select', id: 'au-domain', options: [['', t('admin.any_domain')], ...DOMAINS.map((d) => [d, word('domain', d)])] }),
    role: field({ name: 'trigger-role', field: 'trigger.role', label: t('admin.au_role'), type: 'select', id: 'au-role', options: types.map((rt) => [rt.name, label(rt.label, rt.name)]) }),
    within_days: field({ name: 'trigger-within', field: 'trigger.within_days', label: t('admin.within_days'), type: 'number', id: 'au-within', value: '7', attrs: { min: '1', max: '365', inputmode: 'numeric' } }),
  };
  const showTrigger = () => {
    const want = TRIGGER_FIELDS[fType.input.value] || [];
    for (const [k, f] of Object.entries(tf)) f.hidden = !want.includes(k);
  };
  fType.input.addEventListener('change', showTrigger);
  const rows = h('div', { class: 'rows', id: 'action-rows' });
  let n = 0;
  const reindex = () => [...rows.children].forEach((row, i) => {
    for (const el of row.querySelectorAll('[data-col]')) el.dataset.field = `actions[${i}].${el.dataset.col}`;
  });
  function addAction(a = { type: 'create_task', due_days: 3 }) {
    n += 1;
    const k = n;
    const col = (c) => ({ 'data-col': c });
    const typeF = field({ name: `ac-type-${k}`, label: t('admin.action'), type: 'select', value: a.type, options: ACTIONS.map((x) => [x, word('admin.act', x)]), attrs: col('type') });
    const assignee = userPicker({ id: `ac-assignee-${k}`, label: t('admin.assignee'), fieldName: `ac-assignee-${k}`, value: typeof a.assignee === 'number' ? a.assignee : null });
    assignee.input.dataset.col = 'assignee';
    assignee.input.options[0].textContent = t('admin.assignee_owner');
    const fs = {
      subject: field({ name: `ac-subject-${k}`, label: t('admin.subject'), value: a.subject || '', attrs: col('subject') }),
      body: field({ name: `ac-body-${k}`, label: t('admin.au_body'), type: 'textarea', rows: 2, value: a.body || '', attrs: col('body') }),
      due_days: field({ name: `ac-due-${k}`, label: t('admin.due_days'), type: 'number', value: String(a.due_days ?? 3), attrs: { ...col('due_days'), min: '0', inputmode: 'numeric' } }),
      assignee,
      domain: field({ name: `ac-domain-${k}`, label: t('activity.domain'), type: 'select', value: a.domain || '', options: [['', t('admin.domain_of_subject')], ...DOMAINS.map((d) => [d, word('domain', d)])], attrs: col('domain') }),
      tag: field({ name: `ac-tag-${k}`, label: t('admin.tag'), value: a.tag || '', attrs: col('tag') }),
      field: field({ name: `ac-field-${k}`, label: t('admin.au_field'), value: a.field || '', hint: t('admin.au_field_hint'), attrs: col('field') }),
      value: field({ name: `ac-value-${k}`, label: t('admin.au_value'), value: a.value === undefined ? '' : String(a.value), attrs: col('value') }),
    };
    const show = () => {
      const want = ACTION_FIELDS[typeF.input.value] || [];
      for (const [c, f] of Object.entries(fs)) f.hidden = !want.includes(c);
    };
    typeF.input.addEventListener('change', show);
    const row = h('fieldset', { class: 'le-row action-row' }, h('legend', { class: 'sr-only' }, t('admin.action')), typeF, Object.values(fs),
      h('button', { type: 'button', class: 'icon-btn le-remove', 'aria-label': t('action.remove'), onclick: () => { row.remove(); reindex(); } }, '\u00d7'));
    row.read = () => {
      const type = typeF.input.value;
      const o = { type };
      for (const c of ACTION_FIELDS[type]) {
        if (c === 'assignee') {
          o.assignee = assignee.value() ?? 'owner';
          continue;
        }
        const v = fs[c].input.value.trim();
        if (c === 'due_days') o.due_days = Number(v || 0);
        else if (c === 'value') o.value = /^-?\d+$/.test(v) ? Number(v) : v;
        else if (v) o[c] = v;
      }
      return o;
    };
    show();
    rows.append(row);
    reindex();
  }
  function load(a) {
    editing = a;
    heading.textContent = a ? t('admin.edit_automation', { name: a.name }) : t('admin.new_automation');
    fName.input.value = a ? a.name : '';
    fEnabled.input.checked = a ? !!a.enabled : true;
    const tr = a?.trigger || { type: 'deal_stage' };
    fType.input.value = tr.type;
    tf.stage.input.value = tr.stage || (tr.stage_id ? pipes.flatMap((p) => p.stages).find((s) => s.id === tr.stage_id)?.name || '' : '');
    tf.pipeline.input.value = tr.pipeline ? String(tr.pipeline) : '';
    tf.days.input.value = String(tr.days ?? 30);
    tf.kind.input.value = tr.kind || '';
    tf.domain.input.value = tr.domain || '';
    if (tr.role) tf.role.input.value = tr.role;
    tf.within_days.input.value = String(tr.within_days ?? 7);
    showTrigger();
    clear(rows);
    for (const x of a ? a.actions : [undefined]) addAction(x);
    clearErrors(form);
    if (a) {
      form.scrollIntoView({ block: 'start' });
      fName.input.focus();
    }
  }
  const form = h('form', { class: 'card', novalidate: true, id: 'automation-form', 'aria-labelledby': 'au-form-title' },
    heading, err, h('div', { class: 'grid-2' }, fName, fEnabled),
    h('fieldset', h('legend', t('admin.trigger')), h('div', { class: 'grid-3' }, fType, Object.values(tf))),
    h('fieldset', { class: 'list-editor' }, h('legend', t('admin.actions_legend')), h('span', { 'data-field': 'actions', id: 'au-actions', hidden: true }),
      h('p', { class: 'field-error', id: 'au-actions-error', hidden: true, role: 'alert' }), rows,
      h('button', { type: 'button', class: 'small', id: 'add-action', onclick: () => addAction() }, t('admin.add_action'))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => load(null) }, t('admin.new_automation'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const type = fType.input.value;
    const trigger = { type };
    for (const k of TRIGGER_FIELDS[type]) {
      const v = tf[k].input.value.trim();
      if (!v) continue;
      trigger[k] = ['days', 'within_days', 'pipeline'].includes(k) ? Number(v) : v;
    }
    const payload = { name: fName.input.value.trim(), enabled: fEnabled.input.checked, trigger, actions: [...rows.children].map((r) => r.read()) };
    busy(form, async () => {
      try {
        if (editing) {
          const na = await api.patch(`/automations/${editing.id}`, payload, { version: editing.version });
          items = items.map((x) => (x.id === na.id ? na : x));
        } else {
          items.push(await api.post('/automations', payload));
        }
        toast(t('action.saved'));
        draw();
        load(null);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  load(null);
  drawStatus();
  draw();
  const runBtn = h('button', { type: 'button', id: 'run-automations', onclick: () => runNow(runBtn) }, t('admin.run_now'));
  fill(body,
    h('section', { class: 'card', 'aria-labelledby': 'au-status-title' }, h('h2', { id: 'au-status-title' }, t('admin.au_status')), statusEl,
      h('div', { class: 'form-actions' }, runBtn), runResult),
    form, h('h2', t('admin.automations')), list);
}
