// A party picker for forms: type part of a name (the query language works
// too) and choose from the matches. The chosen party's id is value().

import { h, fill, debounce, nextId } from './dom.js';
import { t } from './i18n.js';
import { api, qs } from './api.js';
import { field } from './forms.js';

export function partyPicker({ id = nextId('pp'), label, fieldName = 'party', required = true, exclude = null } = {}) {
  const search = field({ name: `${id}-search`, label, type: 'search', id: `${id}-search`, field: fieldName, required, hint: t('cases.party_hint') });
  const pick = h('select', { id, size: 5, 'aria-label': label, hidden: true, class: 'picker-list' });
  const find = debounce(async () => {
    const v = search.input.value.trim();
    if (!v) {
      pick.hidden = true;
      return;
    }
    try {
      const r = await api.get(qs('/parties', { q: v, limit: 8, total: false }));
      const items = r.items.filter((p) => p.id !== exclude);
      fill(pick, items.map((p, i) => h('option', { value: p.id, selected: i === 0 }, p.name)));
      pick.hidden = !items.length;
    } catch {
      pick.hidden = true;
    }
  }, 150);
  search.input.addEventListener('input', find);
  search.input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !pick.hidden) {
      e.preventDefault();
      pick.focus();
    }
  });
  const el = h('div', { class: 'picker' }, search, pick);
  el.value = () => Number(pick.hidden ? 0 : pick.value) || 0;
  return el;
}

// A user picker (account manager, manager, assignee): a select of the
// active users by display name, with "nobody" first unless required. The
// list is read once per page load (GET /users). value() is the chosen id or
// null; set(id) chooses one.
let usersPromise = null;
export function users() {
  if (!usersPromise) {
    usersPromise = api.get(qs('/users', { limit: 500 })).then((r) => (r.items || []).filter((u) => !u.disabled))
      .catch((e) => {
        usersPromise = null;
        throw e;
      });
  }
  return usersPromise;
}

export function userPicker({ id = nextId('up'), label, fieldName = 'owner', value = null, required = false } = {}) {
  const f = field({ name: fieldName, label, type: 'select', id, field: fieldName, required,
    options: [['', required ? '' : t('picker.nobody')]] });
  const sel = f.input;
  users().then((list) => {
    for (const u of list) sel.append(h('option', { value: u.id, selected: Number(value) === u.id }, u.display_name || u.name));
  }).catch(() => {});
  f.value = () => (sel.value ? Number(sel.value) : null);
  f.set = (v) => {
    sel.value = v ? String(v) : '';
  };
  return f;
}
