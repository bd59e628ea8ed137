// Admin tab: sales pipelines and their stages. Each pipeline is listed with
// its stages (probability, open / won / lost); "edit" loads it into the form
// below, which also creates new ones. A stage keeps its id when edited, so
// its deals stay in it; the server refuses to drop a stage or pipeline that
// still holds deals, and says so.

import { h, fill, clear } from '../dom.js';
import { t, word } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

const KINDS = ['open', 'won', 'lost'];
const START = [
  { name: '', probability: 10, kind: 'open' },
  { name: '', probability: 100, kind: 'won' },
  { name: '', probability: 0, kind: 'lost' },
];

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/pipelines')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const list = h('div', { class: 'pipe-list' });
  let editing = null;

  const draw = () => fill(list, items.length ? items.map((p) => h('article', { class: 'card pipe', 'data-pipeline': p.name },
    h('div', { class: 'role-head' }, h('h3', p.name), p.default ? h('span', { class: 'chip' }, t('admin.pipe_default')) : null),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
      h('thead', h('tr', [t('admin.stage'), t('admin.probability'), t('admin.stage_kind')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', [...p.stages].sort((a, b) => a.position - b.position).map((s) => h('tr',
        h('td', { 'data-label': t('admin.stage') }, s.name),
        h('td', { 'data-label': t('admin.probability') }, `${s.probability}%`),
        h('td', { 'data-label': t('admin.stage_kind') }, word('admin.stk', s.kind))))))),
    h('div', { class: 'role-actions' },
      h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => load(p) }, t('admin.edit')),
      h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete', onclick: () => remove(p) }, t('admin.delete'))))) : empty());

  async function remove(p) {
    if (!(await confirmDialog(t('admin.pipe_delete_title'), t('admin.pipe_delete_question', { name: p.name }), t('admin.delete')))) return;
    try {
      await api.del(`/pipelines/${p.id}`, { version: p.version });
      items = items.filter((x) => x.id !== p.id);
      if (editing?.id === p.id) load(null);
      draw();
      toast(t('admin.pipe_deleted', { name: p.name }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  const err = formError();
  const heading = h('h2', { id: 'pipe-form-title' }, t('admin.new_pipeline'));
  const fName = field({ name: 'name', label: t('field.name'), required: true, id: 'pipe-name' });
  const fDefault = field({ name: 'default', label: t('admin.pipe_default'), type: 'checkbox', id: 'pipe-default' });
  const rows = h('div', { class: 'rows', id: 'stage-rows' });
  let n = 0;
  const reindex = () => [...rows.children].forEach((row, i) => {
    for (const el of row.querySelectorAll('[data-col]')) el.dataset.field = `stages[${i}].${el.dataset.col}`;
  });
  function addStage(s = { name: '', probability: 50, kind: 'open' }) {
    n += 1;
    const k = n;
    const row = h('div', { class: 'le-row stage-row', 'data-id': s.id || '' },
      field({ name: `st-name-${k}`, label: t('admin.stage'), value: s.name, attrs: { 'data-col': 'name' } }),
      field({ name: `st-prob-${k}`, label: t('admin.probability'), type: 'number', value: String(s.probability ?? 0), attrs: { 'data-col': 'probability', min: '0', max: '100', inputmode: 'numeric' } }),
      field({ name: `st-kind-${k}`, label: t('admin.stage_kind'), type: 'select', value: s.kind, options: KINDS.map((x) => [x, word('admin.stk', x)]), attrs: { 'data-col': 'kind' } }),
      h('button', { type: 'button', class: 'icon-btn le-remove', 'aria-label': t('action.remove'), onclick: () => { row.remove(); reindex(); } }, '\u00d7'));
    rows.append(row);
    reindex();
  }
  function load(p) {
    editing = p;
    heading.textContent = p ? t('admin.edit_pipeline', { name: p.name }) : t('admin.new_pipeline');
    fName.input.value = p ? p.name : '';
    fDefault.input.checked = !!p?.default;
    clear(rows);
    for (const s of p ? [...p.stages].sort((a, b) => a.position - b.position) : START) addStage(s);
    clearErrors(form);
    if (p) {
      form.scrollIntoView({ block: 'start' });
      fName.input.focus();
    }
  }
  const form = h('form', { class: 'card', novalidate: true, id: 'pipeline-form', 'aria-labelledby': 'pipe-form-title' },
    heading, err, h('div', { class: 'grid-2' }, fName, fDefault),
    h('fieldset', { class: 'list-editor' }, h('legend', t('admin.stages')), h('span', { 'data-field': 'stages', id: 'pipe-stages', hidden: true }),
      h('p', { class: 'field-error', id: 'pipe-stages-error', hidden: true, role: 'alert' }),
      h('p', { class: 'hint' }, t('admin.stages_hint')), rows,
      h('button', { type: 'button', class: 'small', id: 'add-stage', onclick: () => addStage() }, t('admin.add_stage'))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => load(null) }, t('admin.new_pipeline'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const stages = [...rows.children].map((row, i) => {
      const v = (c) => row.querySelector(`[data-col="${c}"]`).value;
      const s = { name: v('name').trim(), probability: Number(v('probability') || 0), kind: v('kind'), position: i };
      if (row.dataset.id) s.id = Number(row.dataset.id);
      return s;
    });
    const payload = { name: fName.input.value.trim(), default: fDefault.input.checked, stages };
    busy(form, async () => {
      try {
        if (editing) {
          const np = await api.patch(`/pipelines/${editing.id}`, payload, { version: editing.version });
          items = items.map((x) => (x.id === np.id ? np : x));
        } else {
          items.push(await api.post('/pipelines', payload));
        }
        if (payload.default) items = items.map((x) => (x.name === payload.name ? x : { ...x, default: false }));
        toast(t('action.saved'));
        draw();
        load(null);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  load(null);
  draw();
  fill(body, form, h('h2', t('admin.pipelines')), list);
}
