// The org chart (HR): the departments as a tree that folds (each one a
// <details>), its manager, its people with their job and manager, and the
// employees without a department. A search by name or job unfolds the
// departments with a match and marks it; "print" unfolds everything and
// prints (the print style leaves out everything but the chart).

import { h, fill, debounce } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, errorText } from '../forms.js';
import { canEditOrg } from '../access.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';

function norm(s) {
  return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export async function render(main, ctx) {
  ctx.setTitle(t('org.chart'));
  const tree = h('div', { id: 'org-tree', class: 'org-tree' }, loading());
  const search = field({ name: 'org-search', label: t('org.search'), type: 'search', id: 'org-search' });
  const status = h('p', { class: 'muted', id: 'org-search-status', role: 'status' });
  const foldAll = (open) => { for (const d of tree.querySelectorAll('details')) d.open = open; };
  const actions = h('div', { class: 'org-actions' },
    h('button', { type: 'button', id: 'org-expand', onclick: () => foldAll(true) }, t('org.expand')),
    h('button', { type: 'button', id: 'org-collapse', onclick: () => foldAll(false) }, t('org.collapse')),
    h('button', { type: 'button', id: 'org-print', onclick: () => { foldAll(true); window.print(); } }, t('org.print')));
  fill(main, pageHead(t('org.chart'), h('a', { href: '/departments', class: 'button', id: 'to-departments' }, canEditOrg() ? t('org.manage') : t('org.departments'))),
    h('div', { class: 'org-tools' }, search, actions), status, tree);
  let chart;
  try {
    chart = await api.get('/org-chart');
  } catch (e) {
    fill(tree, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const names = new Map();
  const collect = (nodes) => {
    for (const n of nodes) {
      for (const m of n.members) names.set(m.id, m.name);
      collect(n.children);
    }
  };
  collect(chart.items);
  for (const m of chart.unplaced) names.set(m.id, m.name);

  const member = (m) => h('li', { class: 'org-member', 'data-name': norm(`${m.name} ${m.job_title || ''}`) },
    h('a', { href: `/parties/${m.id}` }, m.name),
    m.job_title ? h('span', { class: 'muted' }, ` \u00b7 ${m.job_title}`) : null,
    m.manager && names.has(m.manager) ? h('span', { class: 'muted org-reports' }, ` \u00b7 ${t('org.reports_to', { name: names.get(m.manager) })}`) : null);
  const node = (n, depth) => {
    const count = n.members.length;
    return h('details', { class: ['org-node', `org-depth-${Math.min(depth, 4)}`], open: depth < 2, 'data-dept': n.department.id },
      h('summary', h('span', { class: 'org-dept' }, n.department.name),
        h('span', { class: 'muted' }, ` \u00b7 ${t('org.people', { n: count })}`),
        n.manager ? h('span', { class: 'org-head' }, ` \u00b7 ${t('org.head')}: ${n.manager.name}`) : null),
      count ? h('ul', { class: 'org-members' }, n.members.map(member)) : null,
      n.children.length ? h('div', { class: 'org-children' }, n.children.map((c) => node(c, depth + 1))) : null);
  };
  const parts = chart.items.map((n) => node(n, 0));
  if (chart.unplaced.length) {
    parts.push(h('details', { class: 'org-node org-unplaced', open: true, id: 'org-unplaced' },
      h('summary', h('span', { class: 'org-dept' }, t('org.unplaced')), h('span', { class: 'muted' }, ` \u00b7 ${t('org.people', { n: chart.unplaced.length })}`)),
      h('ul', { class: 'org-members' }, chart.unplaced.map(member))));
  }
  fill(tree, parts.length ? parts : empty(t('org.no_departments')));

  const find = () => {
    const q = norm(search.input.value.trim());
    let hits = 0;
    for (const li of tree.querySelectorAll('.org-member')) {
      const hit = !!q && li.dataset.name.includes(q);
      li.classList.toggle('org-hit', hit);
      if (hit) {
        hits++;
        for (let d = li.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
      }
    }
    status.textContent = q ? t('org.found', { n: hits }) : '';
    if (q) tree.querySelector('.org-hit a')?.scrollIntoView({ block: 'center' });
  };
  search.input.addEventListener('input', debounce(find, 150));
}
