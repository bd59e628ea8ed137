// One PR project (/projects/ID): its details and the stakeholder grid,
// influence x interest in four quadrants (manage closely, keep satisfied,
// keep informed, monitor; the threshold is 3 on both). pr writers drag a
// stakeholder to another quadrant (which sets influence and interest to
// that quadrant's values, 4 or 2) or, without a mouse, choose the quadrant
// in the card's "move to" list; they change a stance, see its history, add
// a stakeholder and add the neighbours of a postcode range in one step.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { partyPicker } from '../picker.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { canWrite } from '../access.js';
import { empty, errorBox, loading, pageHead } from '../ui.js';
import { projectDialog } from './projects.js';
import { confirmDialog } from './admin.js';

export const QUADRANTS = {
  manage_closely: { influence: 4, interest: 4 },
  keep_satisfied: { influence: 4, interest: 2 },
  keep_informed: { influence: 2, interest: 4 },
  monitor: { influence: 2, interest: 2 },
};
const STANCES = ['supporter', 'neutral', 'critic'];

function historyDialog(s) {
  const body = h('div', { id: 'stance-history' }, loading());
  openDialog(t('project.history_title', { name: s.party_name }), body);
  api.get(`/stakeholders/${s.id}/history`).then((r) => {
    fill(body, r.items.length
      ? h('ol', { class: 'stance-history' }, r.items.map((x) => h('li',
        x.from ? `${word('stance', x.from)} \u2192 ${word('stance', x.to)}` : word('stance', x.to),
        h('span', { class: 'muted' }, ` ${fmtDateTime(x.at)}`))))
      : t('project.no_history'));
  }).catch((e) => fill(body, errorBox(errorText(e))));
}

function stakeholderDialog(project, onSaved) {
  const err = formError();
  const party = partyPicker({ id: 'sh-party', label: t('project.party') });
  const num = (name, value) => field({ name, label: t(`project.${name}`), type: 'select', id: `sh-${name}`, value, options: [1, 2, 3, 4, 5].map((n) => [n, String(n)]) });
  const influence = num('influence', 3);
  const interest = num('interest', 3);
  const stance = field({ name: 'stance', label: t('project.stance'), type: 'select', id: 'sh-stance', value: 'neutral', options: STANCES.map((x) => [x, word('stance', x)]) });
  const form = h('form', { novalidate: true, id: 'stakeholder-form' }, err, party,
    h('div', { class: 'grid-3' }, influence, interest, stance),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('project.add_stakeholder'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = party.value();
    if (!id) {
      showErrors(form, { errors: [{ field: 'party', message: t('error.required') }] });
      return;
    }
    const body = { party: id, influence: Number(influence.input.value), interest: Number(interest.input.value), stance: stance.input.value };
    busy(form, async () => {
      try {
        await api.post(`/projects/${project.id}/stakeholders`, body);
        dlg.close();
        toast(t('project.stakeholder_added'));
        await onSaved();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

// Neighbours by postcode: every party with an address in the range becomes a stakeholder.
function neighboursDialog(project, onSaved) {
  const err = formError();
  const pc = (project.postcode || '').slice(0, 4);
  const range = field({ name: 'q', label: t('project.postcode_range'), id: 'nb-range', value: pc ? `${pc}-${pc}` : '', required: true, hint: t('project.postcode_range_hint') });
  const form = h('form', { novalidate: true, id: 'neighbours-form' }, err, range,
    h('p', { class: 'muted' }, t('project.neighbours_text')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('project.add_neighbours')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('project.neighbours'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = range.input.value.trim().replace(/\s+/g, '');
    busy(form, async () => {
      try {
        const r = await api.post(`/projects/${project.id}/stakeholders/bulk`, { q: `postcode:${v}` });
        dlg.close();
        toast(t('project.neighbours_added', { added: r.added, skipped: r.skipped }));
        await onSaved();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);
  let project;
  try {
    project = await api.get(`/projects/${id}`);
  } catch (e) {
    fill(main, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  ctx.setTitle(project.name);
  const writer = canWrite('pr');
  const grid = h('div', { class: 'sh-grid', id: 'sh-grid' }, loading());
  const live = h('p', { class: 'sr-only', 'aria-live': 'polite', id: 'sh-live' });

  async function move(s, quadrant) {
    if (s.quadrant === quadrant) return;
    try {
      await api.patch(`/stakeholders/${s.id}`, QUADRANTS[quadrant], { version: s.version });
      live.textContent = t('project.moved', { name: s.party_name, quadrant: t(`project.q_${quadrant}`) });
      toast(live.textContent);
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  async function setStance(s, stance) {
    try {
      await api.patch(`/stakeholders/${s.id}`, { stance }, { version: s.version });
      toast(t('project.stance_set', { name: s.party_name, stance: word('stance', stance) }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  // Removes a stakeholder from the project (its stance history goes with it) after a confirmation.
  async function removeStakeholder(s) {
    if (!(await confirmDialog(t('project.remove_title'), t('project.remove_question', { name: s.party_name }), t('project.remove')))) return;
    try {
      await api.del(`/stakeholders/${s.id}`, { version: s.version });
      toast(t('project.removed', { name: s.party_name }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  function cardOf(s) {
    const li = h('li', { class: ['sh-card', `stance-${s.stance}`], 'data-id': s.id, draggable: writer ? 'true' : null },
      h('a', { href: `/parties/${s.party}` }, s.party_name),
      h('span', { class: 'sh-meta' }, `${t('project.influence')} ${s.influence} \u00b7 ${t('project.interest')} ${s.interest}`, ' ',
        h('span', { class: ['chip', `chip-${s.stance}`] }, word('stance', s.stance))),
      h('div', { class: 'sh-actions' },
        writer ? h('select', { class: 'sh-move', 'aria-label': t('project.move_label', { name: s.party_name }), onchange: (e) => move(s, e.target.value) },
          Object.keys(QUADRANTS).map((q) => h('option', { value: q, selected: q === s.quadrant }, t(`project.q_${q}`)))) : null,
        writer ? h('select', { class: 'sh-stance', 'aria-label': t('project.stance_label', { name: s.party_name }), onchange: (e) => setStance(s, e.target.value) },
          STANCES.map((x) => h('option', { value: x, selected: x === s.stance }, word('stance', x)))) : null,
        h('button', { type: 'button', class: 'link-btn sh-history', onclick: () => historyDialog(s) }, t('project.history')),
        writer ? h('button', { type: 'button', class: 'link-btn sh-remove', 'aria-label': t('project.remove_of', { name: s.party_name }), onclick: () => removeStakeholder(s) }, t('project.remove')) : null));
    if (writer) li.addEventListener('dragstart', (e) => e.dataTransfer.setData('text/plain', String(s.id)));
    return li;
  }

  let byId = new Map();
  async function load() {
    let g;
    try {
      g = await api.get(`/projects/${id}/grid`);
    } catch (e) {
      fill(grid, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    byId = new Map();
    fill(grid, Object.keys(QUADRANTS).map((q) => {
      for (const s of g[q]) byId.set(s.id, s);
      const zone = h('section', { class: ['sh-quadrant', `q-${q}`], id: `q-${q}`, 'data-quadrant': q, 'aria-labelledby': `q-${q}-title` },
        h('h2', { id: `q-${q}-title` }, t(`project.q_${q}`), ' ', h('span', { class: 'muted' }, `(${g[q].length})`)),
        h('p', { class: 'muted sh-rule' }, t(`project.q_${q}_rule`)),
        g[q].length ? h('ul', { class: 'sh-list' }, g[q].map(cardOf)) : empty(t('project.q_empty')));
      if (writer) {
        zone.addEventListener('dragover', (e) => {
          e.preventDefault();
          zone.classList.add('drop-on');
        });
        zone.addEventListener('dragleave', () => zone.classList.remove('drop-on'));
        zone.addEventListener('drop', (e) => {
          e.preventDefault();
          zone.classList.remove('drop-on');
          const s = byId.get(Number(e.dataTransfer.getData('text/plain')));
          if (s) move(s, q);
        });
      }
      return zone;
    }));
  }

  const actions = writer ? [
    h('button', { type: 'button', id: 'project-add-stakeholder', onclick: () => stakeholderDialog(project, load) }, t('project.add_stakeholder')),
    h('button', { type: 'button', id: 'project-neighbours', onclick: () => neighboursDialog(project, load) }, t('project.neighbours')),
    h('button', { type: 'button', id: 'project-edit', onclick: () => projectDialog({ project, onSaved: () => ctx.rerender() }) }, t('project.edit')),
    // a project made by mistake: only without stakeholders (the server keeps a project that has them)
    !project.stakeholders && h('button', {
      type: 'button', id: 'project-delete', class: 'danger-line',
      onclick: async () => {
        if (!(await confirmDialog(t('project.delete_title'), t('project.delete_question', { name: project.name }), t('project.delete')))) return;
        try {
          await api.del(`/projects/${project.id}`, { version: project.version });
          toast(t('project.deleted', { name: project.name }));
          ctx.navigate('/projects');
        } catch (e) {
          toast(errorText(e), 'error');
        }
      },
    }, t('project.delete')),
  ].filter(Boolean) : [];
  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '/projects' }, t('nav.projects'))),
    pageHead(project.name, ...actions),
    h('p', { class: 'muted' }, [project.address, project.postcode].filter(Boolean).join(' \u00b7 '),
      project.start || project.end ? ` \u00b7 ${project.start ? fmtDate(project.start) : '\u2026'} \u2013 ${project.end ? fmtDate(project.end) : '\u2026'}` : ''),
    project.description ? h('p', { class: 'pre' }, project.description) : null,
    h('p', { class: 'muted' }, writer ? t('project.grid_help') : t('project.grid_help_read')),
    live, grid);
  await load();
}
