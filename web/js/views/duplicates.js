// Possible duplicates: the list of pairs (GET /duplicates, best score
// first) with score, reasons and a "merge" button where this user may merge
// one of the two into the other; and the panel on the party page
// (duplicatePanel, GET /parties/{id}/duplicates).

import { h, fill } from '../dom.js';
import { t, has, fmtNumber } from '../i18n.js';
import { api, qs, hasEndpoint, rememberName } from '../api.js';
import { errorText } from '../forms.js';
import { pageHead, loading, errorBox } from '../ui.js';
import { canMergeInto, canSeeDuplicates } from '../access.js';

const PAGE = 25;
const MIN_SCORES = [40, 60, 80, 100];

export function keyLabel(key) {
  return has(`dupkey.${key}`) ? t(`dupkey.${key}`) : key;
}

// "E-mail: jan@example.nl · Naam: berg jan"
export function reasonsText(reasons) {
  return (reasons || []).map((r) => (r.value ? `${keyLabel(r.key)}: ${r.value}` : keyLabel(r.key))).join(' \u00b7 ');
}

export function scoreChip(c) {
  return h('span', { class: ['chip', 'score', c.exact ? 'score-exact' : c.score >= 80 ? 'score-high' : 'score-mid'], title: c.exact ? t('dup.exact') : t('dup.score') },
    `${fmtNumber(c.score)}${c.exact ? ` \u00b7 ${t('dup.exact')}` : ''}`);
}

// Parties by id with their `can` (lists carry only {id, name}); the merge
// button needs to know who may change and archive which.
const partyCache = new Map();
function fullParty(id) {
  if (!partyCache.has(id)) partyCache.set(id, api.get(`/parties/${id}`).catch(() => null));
  return partyCache.get(id);
}

// The merge link for a pair: the first one that may survive, or null.
export function mergeHref(a, b) {
  if (canMergeInto(a, b)) return qs('/merge', { into: a.id, from: b.id });
  if (canMergeInto(b, a)) return qs('/merge', { into: b.id, from: a.id });
  return null;
}

export async function render(main, ctx) {
  ctx.setTitle(t('dup.title'));
  if (!(await hasEndpoint('GET', '/duplicates'))) {
    fill(main, pageHead(t('dup.title')), errorBox(t('dup.unavailable')));
    return;
  }
  if (!ctx.alive()) return;
  partyCache.clear();
  const min = MIN_SCORES.includes(Number(ctx.query.get('min_score'))) ? Number(ctx.query.get('min_score')) : 40;
  const state = { items: [], next: null };
  const tbody = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', id: 'dup-count' });
  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => load(false) }, t('list.more'));
  const minSel = h('select', { id: 'dup-min', name: 'min_score' },
    MIN_SCORES.map((s) => h('option', { value: String(s), selected: s === min }, t('dup.min_n', { n: s }))));
  minSel.addEventListener('change', () => ctx.navigate(qs('/duplicates', { min_score: minSel.value })));
  const cols = [t('dup.party'), t('dup.duplicate'), t('dup.score'), t('dup.reasons'), t('dup.actions')];

  function row(p) {
    const act = h('td', { class: 'c-actions', 'data-label': cols[4] });
    Promise.all([fullParty(p.party.id), fullParty(p.duplicate.id)]).then(([a, b]) => {
      const href = a && b ? mergeHref(a, b) : null;
      if (href && ctx.alive()) act.append(h('a', { href, class: 'button small merge-btn', 'aria-label': `${t('dup.merge')}: ${p.party.name} + ${p.duplicate.name}` }, t('dup.merge')));
      act.dataset.checked = '1'; // the access check is done (tests wait for it)
    });
    return h('tr', { 'data-pair': `${p.party.id}-${p.duplicate.id}` },
      h('td', { 'data-label': cols[0], class: 'c-party' }, h('a', { href: `/parties/${p.party.id}` }, p.party.name || `#${p.party.id}`)),
      h('td', { 'data-label': cols[1], class: 'c-dup' }, h('a', { href: `/parties/${p.duplicate.id}` }, p.duplicate.name || `#${p.duplicate.id}`)),
      h('td', { 'data-label': cols[2], class: 'c-score' }, scoreChip(p)),
      h('td', { 'data-label': cols[3], class: 'c-reasons' }, reasonsText(p.reasons)),
      act);
  }

  async function load(reset) {
    try {
      const r = await api.get(qs('/duplicates', { min_score: min, limit: PAGE, cursor: reset ? null : state.next }));
      if (!ctx.alive()) return;
      if (reset) {
        state.items = [];
        fill(tbody);
      }
      const items = r.items || [];
      for (const p of items) {
        rememberName(p.party.id, p.party.name);
        rememberName(p.duplicate.id, p.duplicate.name);
        tbody.append(row(p));
      }
      state.items.push(...items);
      state.next = r.next;
      if (!state.items.length) tbody.append(h('tr', h('td', { colspan: cols.length, class: 'empty' }, t('dup.none'))));
      count.textContent = state.next ? t('dup.count_more', { n: state.items.length }) : t('dup.count', { n: state.items.length });
      more.hidden = !state.next;
    } catch (e) {
      fill(tbody, h('tr', h('td', { colspan: cols.length }, errorBox(errorText(e)))));
    }
  }

  fill(main,
    pageHead(t('dup.title')),
    h('div', { class: 'list-tools' },
      h('p', { class: 'query-line' }, t('dup.intro')),
      h('div', { class: 'field' }, h('label', { for: 'dup-min' }, t('dup.min_score')), minSel)),
    count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'dup-table' },
      h('caption', { class: 'sr-only' }, t('dup.title')),
      h('thead', h('tr', cols.map((c) => h('th', { scope: 'col' }, c)))),
      tbody)),
    more);
  tbody.append(h('tr', h('td', { colspan: cols.length }, loading())));
  await load(true);
}

// The party page's panel: "merged into" for a party merged away, and the
// possible duplicates of this party when there are any. Returns a section
// (hidden until it has something to show) that fills itself.
export function duplicatePanel(party) {
  const sec = h('section', { class: 'card dup-panel', id: 'dup-panel', 'aria-labelledby': 'dup-panel-title', hidden: true });
  (async () => {
    if (party.merged_into) {
      fill(sec, h('h2', { id: 'dup-panel-title' }, t('dup.merged_title')),
        h('p', t('dup.merged_into'), ' ', h('a', { href: `/parties/${party.merged_into}`, id: 'merged-into' }, `#${party.merged_into}`)));
      sec.hidden = false;
      api.get(`/parties/${party.merged_into}`).then((p) => { sec.querySelector('#merged-into').textContent = p.name; }).catch(() => {});
      return;
    }
    if (party.archived || !(await hasEndpoint('GET', '/parties/{id}/duplicates'))) return;
    let items = [];
    try {
      items = (await api.get(`/parties/${party.id}/duplicates`)).items || [];
    } catch {
      return;
    }
    if (!items.length) return;
    const checks = [];
    const list = h('ul', { class: 'dup-list plain' }, items.map((c) => {
      const act = h('span', { class: 'dup-act' });
      checks.push(api.get(`/parties/${c.party.id}`).then((other) => {
        const href = mergeHref(party, other);
        if (href) act.append(h('a', { href, class: 'button small merge-btn', 'aria-label': `${t('dup.merge')}: ${c.party.name}` }, t('dup.merge')));
      }).catch(() => {}));
      return h('li', { 'data-party': c.party.id },
        h('div', { class: 'dup-line' }, h('a', { href: `/parties/${c.party.id}` }, c.party.name || `#${c.party.id}`), ' ', scoreChip(c), act),
        h('p', { class: 'muted small-text' }, reasonsText(c.reasons)));
    }));
    fill(sec, h('h2', { id: 'dup-panel-title' }, t('dup.panel_title'), h('span', { class: 'count' }, ` ${items.length}`)), list,
      canSeeDuplicates() ? h('p', { class: 'small-text' }, h('a', { href: '/duplicates' }, t('dup.all'))) : null);
    sec.hidden = false;
    await Promise.all(checks);
    sec.dataset.ready = '1'; // every merge button decided (tests wait for it)
  })();
  return sec;
}
