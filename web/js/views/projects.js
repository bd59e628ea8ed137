// PR projects (/projects): the list of projects (a building project and its
// neighbours, say) with their number of stakeholders, and the new-project
// dialog for pr writers. One project's page with its grid is project.js.

import { h, fill } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canWrite } from '../access.js';
import { setNewAction } from '../keys.js';
import { empty, errorBox, loading, pageHead } from '../ui.js';

// New project (no project) or edit one.
export function projectDialog({ project = null, onSaved } = {}) {
  const p = project || {};
  const err = formError();
  const name = field({ name: 'name', label: t('project.name'), id: 'project-name', value: p.name || '', required: true });
  const address = field({ name: 'address', label: t('project.address'), id: 'project-address', value: p.address || '' });
  const postcode = field({ name: 'postcode', label: t('project.postcode'), id: 'project-postcode', value: p.postcode || '', hint: t('project.postcode_hint') });
  const start = field({ name: 'start', label: t('project.start'), type: 'date', id: 'project-start', value: p.start || '' });
  const end = field({ name: 'end', label: t('project.end'), type: 'date', id: 'project-end', value: p.end || '' });
  const description = field({ name: 'description', label: t('project.description'), type: 'textarea', id: 'project-description', value: p.description || '' });
  const form = h('form', { novalidate: true, id: 'project-form' }, err, name,
    h('div', { class: 'grid-2' }, address, postcode), h('div', { class: 'grid-2' }, start, end), description,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, project ? t('action.save') : t('action.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(project ? t('project.edit') : t('project.new'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      name: name.input.value.trim(),
      address: address.input.value.trim() || null,
      postcode: postcode.input.value.trim() || null,
      start: start.input.value || null,
      end: end.input.value || null,
      description: description.input.value.trim() || null,
    };
    busy(form, async () => {
      try {
        const saved = project
          ? await api.patch(`/projects/${p.id}`, body, { version: p.version })
          : await api.post('/projects', body);
        dlg.close();
        toast(project ? t('action.saved') : t('project.created'));
        if (onSaved) await onSaved(saved);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return dlg;
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.projects'));
  if (!(await hasEndpoint('GET', '/projects'))) {
    fill(main, pageHead(t('nav.projects')), empty(t('feature.unavailable')));
    return;
  }
  const list = h('div', { class: 'project-list', id: 'project-list' }, loading());
  const open = () => projectDialog({ onSaved: (p) => ctx.navigate(`/projects/${p.id}`) });
  const newBtn = canWrite('pr') ? h('button', { type: 'button', class: 'primary', id: 'new-project', onclick: open }, t('project.new')) : null;
  if (newBtn) setNewAction(open);
  fill(main, pageHead(t('nav.projects'), newBtn), list);
  let r;
  try {
    r = await api.get(qs('/projects', { limit: 100 }));
  } catch (e) {
    fill(list, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const items = r.items || [];
  fill(list, items.length
    ? h('ul', { class: 'cards' }, items.map((p) => h('li', { class: 'card project-card' },
      h('h2', h('a', { href: `/projects/${p.id}` }, p.name)),
      h('p', { class: 'muted' }, [p.address, p.postcode].filter(Boolean).join(' \u00b7 ')),
      h('p', p.start || p.end ? `${p.start ? fmtDate(p.start) : '\u2026'} \u2013 ${p.end ? fmtDate(p.end) : '\u2026'}` : null,
        ' ', h('span', { class: 'chip' }, t('project.stakeholders_n', { n: p.stakeholders }))))))
    : empty(t('project.none')));
}
