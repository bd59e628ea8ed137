// The HR dashboard's "checklists open" card: how many on- and offboarding
// checklists still have items to do, linking to exactly that list
// (/checklists, whose count is the same `total`). For users who may read
// hr; resolves to null for others or when the server has no checklists.
//
//   import { checklistsOpenCard } from './checklist-card.js';
//   const card = await checklistsOpenCard();  // an element or null

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { canRead } from '../access.js';

export async function checklistsOpenCard() {
  if (!canRead('hr') || !(await hasEndpoint('GET', '/checklists'))) return null;
  const [open, onboarding] = await Promise.all([
    api.get(qs('/checklists', { status: 'open', limit: 1 })),
    api.get(qs('/checklists', { status: 'open', kind: 'onboarding', limit: 1 })),
  ]);
  const n = open.total ?? open.items.length;
  const on = onboarding.total ?? onboarding.items.length;
  return h('a', { class: 'kpi chk-kpi', href: '/checklists', id: 'kpi-checklists' },
    h('span', { class: 'kpi-value' }, String(n)),
    h('span', { class: 'kpi-label' }, t('checklist.kpi')),
    h('span', { class: 'muted small-text' }, t('checklist.kpi_split', { on, off: n - on })));
}
