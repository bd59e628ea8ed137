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
      const r = await api.get(qs('/parties', { q: v, limit: 8 }));
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
