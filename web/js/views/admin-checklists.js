// Admin tab: the on- and offboarding checklist templates. Each template has
// a name, a kind (onboarding: from the start date; offboarding: from the
// end date), whether it starts by itself when an employee role starts or
// ends, and its items: a title, who does it (HR, the manager, IT, the
// employee) and the day relative to the start or end date. Templates can be
// added, changed and deleted; a checklist already started keeps its items.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

const WHO = ['hr', 'manager', 'it', 'employee'];
const KINDS = ['onboarding', 'offboarding'];

function itemRow(prefix, i, it, onRemove) {
  const title = field({ name: `${prefix}-title-${i}`, field: `items[${i}].title`, label: t('checklist.item_title'), value: it.title || '', required: true });
  const who = field({ name: `${prefix}-who-${i}`, field: `items[${i}].who`, label: t('checklist.item_who'), type: 'select',
    value: typeof it.who === 'string' ? it.who : 'hr', options: WHO.map((w) => [w, t(`checklist.who_${w}`)]) });
  const days = field({ name: `${prefix}-days-${i}`, field: `items[${i}].offset_days`, label: t('checklist.item_days'), type: 'number',
    value: String(it.offset_days ?? 0), attrs: { min: '-365', max: '365', inputmode: 'numeric' } });
  const row = h('li', { class: 'chk-tpl-item' }, title, who, days,
    h('button', { type: 'button', class: 'small danger-line', 'aria-label': t('checklist.item_remove', { n: i + 1 }), onclick: onRemove }, t('action.remove')));
  row.read = () => ({ title: title.input.value.trim(), who: typeof it.who === 'number' ? it.who : who.input.value, offset_days: Number(days.input.value || 0) });
  return row;
}

function templateForm(tpl, reload) {
  const prefix = tpl ? `tpl-${tpl.id}` : 'tpl-new';
  const name = field({ name: `${prefix}-name`, field: 'name', label: t('checklist.tpl_name'), value: tpl?.name || '', required: true });
  const kind = field({ name: `${prefix}-kind`, field: 'kind', label: t('checklist.tpl_kind'), type: 'select', value: tpl?.kind || 'onboarding',
    options: KINDS.map((k) => [k, t(`checklist.kind_${k}`)]) });
  const auto = field({ name: `${prefix}-auto`, field: 'auto_start', label: t('checklist.tpl_auto'), type: 'checkbox', value: tpl ? tpl.auto_start : true });
  let items = (tpl?.items || [{ title: '', who: 'hr', offset_days: 0 }]).map((x) => ({ ...x }));
  const list = h('ol', { class: 'chk-tpl-items', 'data-field': 'items' });
  const err = formError();
  function drawItems() {
    const rows = items.map((it, i) => itemRow(prefix, i, it, () => {
      items = rows.map((r) => r.read());
      items.splice(i, 1);
      drawItems();
    }));
    list.rows = rows;
    fill(list, rows);
  }
  drawItems();
  const add = h('button', { type: 'button', class: 'small', onclick: () => {
    items = list.rows.map((r) => r.read());
    items.push({ title: '', who: 'hr', offset_days: 0 });
    drawItems();
    list.lastElementChild?.querySelector('input')?.focus();
  } }, t('checklist.item_add'));
  const del = tpl ? h('button', { type: 'button', class: 'small danger-line', onclick: async () => {
    if (!(await confirmDialog(t('checklist.tpl_delete_title'), t('checklist.tpl_delete_question', { name: tpl.name }), t('checklist.tpl_delete')))) return;
    try {
      await api.del(`/checklist-templates/${tpl.id}`, { version: tpl.version });
      toast(t('checklist.tpl_deleted', { name: tpl.name }));
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  } }, t('checklist.tpl_delete')) : null;
  const form = h('form', { class: 'card chk-tpl', novalidate: true, 'data-template': tpl?.id || 'new', 'aria-label': tpl?.name || t('checklist.tpl_new') },
    h('h3', tpl ? tpl.name : t('checklist.tpl_new')),
    err, h('div', { class: 'grid-3' }, name, kind, auto),
    h('h4', t('checklist.items')), list, add,
    h('div', { class: 'form-actions' }, del, h('button', { type: 'submit', class: 'small primary' }, tpl ? t('action.save') : t('action.create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { name: name.input.value.trim(), kind: kind.input.value, auto_start: auto.input.checked, items: list.rows.map((r) => r.read()) };
    busy(form, async () => {
      try {
        if (tpl) await api.patch(`/checklist-templates/${tpl.id}`, body, { version: tpl.version });
        else await api.post('/checklist-templates', body);
      } catch (ex) {
        showErrors(form, ex);
        return;
      }
      toast(t('checklist.tpl_saved', { name: body.name }));
      reload();
    });
  });
  return form;
}

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/checklist-templates')).items;
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const reload = () => render(body, ctx);
  fill(body,
    h('p', { class: 'muted' }, t('checklist.tpl_intro')),
    items.length ? items.map((x) => templateForm(x, reload)) : empty(t('checklist.tpl_none')),
    h('h2', t('checklist.tpl_new')),
    templateForm(null, reload));
}
