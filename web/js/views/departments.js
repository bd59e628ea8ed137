// Departments (HR): the list at /departments with create, change and delete
// for users who may write HR, and the pieces other screens use for the
// employee role's `department` attribute (a department id): its name and a
// picker. The list is read once per page load and again after a change.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, cached, forget } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { partyPicker } from '../picker.js';
import { canSeeOrg, canEditOrg } from '../access.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

export async function departments() {
  return (await cached('/departments')).items || [];
}

function refreshList() {
  forget('/departments');
}

// "Projecten / Bouwplaats": a department's name under its parents.
export function pathName(d, byId) {
  const names = [];
  for (let x = d, n = 0; x && n < 50; x = byId.get(x.parent), n++) names.unshift(x.name);
  return names.join(' / ');
}

// The departments in tree order (parents first, children by name), each with its depth.
export function treeOrder(items) {
  const kids = new Map();
  for (const d of items) {
    const k = d.parent ?? 0;
    if (!kids.has(k)) kids.set(k, []);
    kids.get(k).push(d);
  }
  const out = [];
  const walk = (p, depth) => {
    for (const d of (kids.get(p) || []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length > items.length) return;
      out.push({ ...d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(0, 0);
  return out;
}

// The name of department id (a span filled in when the list is there).
export function departmentName(id) {
  const sp = h('span', { class: 'dept-name' }, `#${id}`);
  if (canSeeOrg()) {
    departments().then((list) => {
      const byId = new Map(list.map((d) => [d.id, d]));
      if (byId.has(Number(id))) sp.textContent = pathName(byId.get(Number(id)), byId);
    }).catch(() => {});
  }
  return sp;
}

// A select of the departments (tree order) for a form; value() the chosen id or null.
export function departmentPicker({ id, label, fieldName = 'department', value = null, required = false, exclude = null }) {
  const f = field({ name: fieldName.replace(/\W/g, '-'), field: fieldName, label, type: 'select', id, required,
    value: value ?? '', options: [['', '\u2014'], ...(value ? [[value, `#${value}`]] : [])] });
  departments().then((list) => {
    const byId = new Map(list.map((d) => [d.id, d]));
    const cur = f.input.value;
    fill(f.input, h('option', { value: '' }, '\u2014'),
      treeOrder(list).filter((d) => d.id !== exclude).map((d) => h('option', { value: d.id, selected: String(d.id) === String(cur) }, pathName(d, byId))));
  }).catch(() => {});
  f.value = () => (f.input.value ? Number(f.input.value) : null);
  return f;
}

function departmentDialog(d, onSaved) {
  const editing = !!d;
  const err = formError();
  const name = field({ name: 'name', label: t('org.dept_name'), id: 'dept-name', value: d?.name || '', required: true });
  const parent = departmentPicker({ id: 'dept-parent', label: t('org.dept_parent'), fieldName: 'parent', value: d?.parent ?? null, exclude: d?.id });
  const manager = partyPicker({ id: 'dept-manager', label: t('org.dept_manager'), fieldName: 'manager', required: false });
  if (d?.manager) {
    const cur = h('p', { class: 'hint' }, `${t('party.current')}: ${d.manager_name || `#${d.manager}`}`);
    manager.append(cur);
  }
  const clearMgr = d?.manager ? field({ name: 'clear-manager', label: t('org.dept_no_manager'), type: 'checkbox', id: 'dept-clear-manager' }) : null;
  const cost = field({ name: 'cost_centre', label: t('org.dept_cost_centre'), id: 'dept-cost', value: d?.cost_centre || '' });
  const form = h('form', { novalidate: true, id: 'department-form' }, err, name, parent, manager, clearMgr, cost,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, editing ? t('action.save') : t('action.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(editing ? t('org.dept_edit') : t('org.dept_new'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { name: name.input.value.trim(), parent: parent.value(), cost_centre: cost.input.value.trim() || null };
    const m = manager.value();
    if (m) body.manager = m;
    else if (clearMgr?.input.checked || !editing) body.manager = null;
    if (!body.name) {
      showErrors(form, { errors: [{ field: 'name', message: t('error.required') }] });
      return;
    }
    busy(form, async () => {
      try {
        const saved = editing ? await api.patch(`/departments/${d.id}`, body, { version: d.version }) : await api.post('/departments', body);
        refreshList();
        dlg.close();
        toast(editing ? t('action.saved') : t('org.dept_created'));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

export async function render(main, ctx) {
  ctx.setTitle(t('org.departments'));
  const list = h('div', { id: 'department-list' }, loading());
  const newBtn = canEditOrg() ? h('button', { type: 'button', class: 'primary', id: 'new-department', onclick: () => departmentDialog(null, load) }, t('org.dept_new')) : null;
  fill(main, pageHead(t('org.departments'), h('a', { href: '/org-chart', class: 'button', id: 'to-org-chart' }, t('org.chart')), newBtn), list);
  async function load() {
    let items;
    try {
      refreshList();
      items = await departments();
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    if (!items.length) {
      fill(list, empty(t('org.no_departments')));
      return;
    }
    const byId = new Map(items.map((d) => [d.id, d]));
    fill(list, h('ul', { class: 'dept-list' }, treeOrder(items).map((d) => h('li', { class: 'card dept-row', 'data-dept': d.id },
      h('div', { class: ['dept-main', `dept-depth-${Math.min(d.depth, 4)}`] },
        h('h2', { class: 'dept-title' }, d.name),
        h('p', { class: 'muted' },
          [d.parent ? `${t('org.dept_parent')}: ${pathName(byId.get(d.parent), byId)}` : t('org.dept_top'),
            d.cost_centre ? `${t('org.dept_cost_centre')}: ${d.cost_centre}` : null,
            t('org.dept_members', { n: d.members })].filter(Boolean).join(' \u00b7 ')),
        d.manager ? h('p', t('org.dept_manager'), ': ', h('a', { href: `/parties/${d.manager}` }, d.manager_name || `#${d.manager}`)) : null),
      canEditOrg() ? h('div', { class: 'role-actions' },
        h('button', { type: 'button', class: 'small', 'data-action': 'edit-dept', 'aria-label': `${t('org.edit')}: ${d.name}`, onclick: () => departmentDialog(d, load) }, t('org.edit')),
        h('button', { type: 'button', class: 'small danger-line', 'data-action': 'delete-dept', 'aria-label': `${t('org.delete')}: ${d.name}`, onclick: () => remove(d) }, t('org.delete'))) : null))));
  }
  async function remove(d) {
    if (!(await confirmDialog(t('org.dept_delete_title'), t('org.dept_delete_text', { name: d.name }), t('org.delete')))) return;
    try {
      await api.del(`/departments/${d.id}`, { version: d.version });
      toast(t('org.dept_deleted'));
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
    await load();
  }
  await load();
}
