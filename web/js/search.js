// The search box on every page: takes the query language (role:customer
// tag:vip "de vries" ...), shows results as you type (debounced 150 ms) in a
// listbox (ARIA combobox pattern): arrows move, Enter opens, Escape closes.
// Enter with nothing selected opens the full list for the query.

import { h, clear, fill, debounce } from './dom.js';
import { t, word } from './i18n.js';
import { api, qs, roleTypeMap, rememberName } from './api.js';
import { roleBadges, kindLabel, city } from './ui.js';
import { errorText } from './forms.js';

export function searchBox(navigate) {
  const input = h('input', {
    id: 'search',
    type: 'search',
    class: 'search-input',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'search-results',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t('search.placeholder'),
  });
  const list = h('ul', { id: 'search-results', role: 'listbox', class: 'search-results', 'aria-label': t('search.results'), hidden: true });
  const status = h('span', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const box = h('div', { class: 'search', role: 'search' },
    h('label', { for: 'search', class: 'sr-only' }, t('search.label')), input, list, status);

  let options = [];
  let active = -1;
  let ctl = null;
  let seq = 0;

  function open(yes) {
    list.hidden = !yes;
    input.setAttribute('aria-expanded', String(yes));
    if (!yes) setActive(-1);
  }

  function setActive(i) {
    options.forEach((o, k) => o.el.setAttribute('aria-selected', String(k === i)));
    active = i;
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', options[i].el.id);
      options[i].el.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function choose(i) {
    const o = options[i];
    if (!o) return;
    open(false);
    navigate(o.href);
  }

  function option(i, href, ...content) {
    const el = h('li', { id: `search-opt-${i}`, role: 'option', 'aria-selected': 'false', class: 'search-opt' }, content);
    el.addEventListener('mousedown', (e) => e.preventDefault());
    el.addEventListener('click', () => choose(i));
    return { el, href };
  }

  async function run() {
    const q = input.value.trim();
    const my = ++seq;
    if (ctl) ctl.abort();
    if (!q) {
      clear(list);
      delete list.dataset.q;
      options = [];
      open(false);
      return;
    }
    ctl = new AbortController();
    let r;
    let rt;
    try {
      [r, rt] = await Promise.all([api.get(qs('/parties', { q, limit: 8, total: false }), { signal: ctl.signal }), roleTypeMap()]);
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      fill(list, h('li', { class: 'search-msg', role: 'presentation' }, errorText(e)));
      options = [];
      open(true);
      return;
    }
    if (my !== seq) return;
    clear(list);
    options = [];
    r.items.forEach((p, i) => {
      rememberName(p.id, p.name);
      const o = option(i, `/parties/${p.id}`,
        h('span', { class: 'opt-main' }, h('span', { class: 'opt-name' }, p.name), h('span', { class: 'opt-meta' }, [kindLabel(p.kind), city(p)].filter(Boolean).join(' \u00b7 '))),
        roleBadges(p.roles, rt), foundIn(p));
      options.push(o);
    });
    if (!r.items.length) list.append(h('li', { class: 'search-msg', role: 'presentation' }, t('search.none')));
    const all = option(options.length, qs('/parties', { q }), h('span', { class: 'opt-all' }, t('search.all')));
    options.push(all);
    options.forEach((o) => list.append(o.el));
    list.dataset.q = q;
    status.textContent = t('search.count', { n: r.items.length });
    open(true);
  }
  const later = debounce(run, 150);

  input.addEventListener('input', later);
  input.addEventListener('focus', () => {
    if (options.length && input.value.trim()) open(true);
  });
  input.addEventListener('blur', () => setTimeout(() => open(false), 100));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (list.hidden && input.value.trim()) { later.cancel(); run(); return; }
      if (options.length) setActive((active + 1) % options.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && !list.hidden) choose(active);
      else if (input.value.trim()) {
        later.cancel();
        open(false);
        navigate(qs('/parties', { q: input.value.trim() }));
      }
    } else if (e.key === 'Escape') {
      if (!list.hidden) {
        e.preventDefault();
        open(false);
      }
    }
  });

  box.setQuery = (q) => {
    input.value = q || '';
  };
  box.close = () => open(false);
  return box;
}

// Where the words of a search were found in a party's records (the API's
// `found`: only records the user may read, with the words around the
// match): "gevonden in: notitie ‘…keukenrenovatie…’". Null when the party
// was found by its own data. Used by the search box and the party list.
export function foundIn(p) {
  if (!p.found?.length) return null;
  const what = (f) => {
    if (f.kind === 'activity') return word('activity', f.type);
    if (f.kind === 'agreement') return word('agreement', f.type);
    return t(`search.found_kind.${f.kind}`);
  };
  const parts = [];
  p.found.forEach((f, i) => {
    if (i) parts.push('; ');
    parts.push(h('span', { class: 'found-what' }, what(f).toLowerCase()), ' ', h('q', { class: 'found-excerpt' }, f.excerpt));
  });
  return h('span', { class: 'found-in', 'data-found': p.found.map((f) => `${f.kind}:${f.id}`).join(' ') }, `${t('search.found_in')}: `, ...parts);
}
