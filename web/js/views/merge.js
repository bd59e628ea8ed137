// The merge screen (/merge?into=ID&from=ID): the preview of the survivor
// (POST /parties/{into}/merge with preview: every field with the value it
// gets and, where the parties differ, the alternatives as radio buttons that
// set `choose`; conflicts highlighted; what moves, with counts), then the
// merge itself and its result with "undo" (POST /merges/{id}/undo) and a
// link to the survivor. "Swap" lets the other party survive when this user
// may merge that way round.

import { h, fill } from '../dom.js';
import { t, has, word, fmtNumber, fmtDateTime } from '../i18n.js';
import { api, qs, hasEndpoint, rememberName } from '../api.js';
import { errorText, toast } from '../forms.js';
import { pageHead, errorBox, loading, partyLink } from '../ui.js';
import { canMergeInto } from '../access.js';

const MOVES = ['roles', 'relationships', 'activities', 'deals', 'cases', 'agreements', 'consents', 'tags'];

function fieldLabel(f) {
  if (has(`field.${f}`)) return t(`field.${f}`);
  if (f.startsWith('custom.')) return word('custom', f.slice(7));
  return word('mergef', f);
}

// A field's value as text: lists of contact points and addresses, tags,
// objects; "—" for nothing.
export function valueText(v) {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return '\u2014';
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (x === null || typeof x !== 'object') return String(x);
      if ('value' in x) return String(x.value);
      if ('street' in x || 'city' in x || 'postcode' in x) {
        return [[x.street, x.house_number].filter(Boolean).join(' '), [x.postcode, x.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
      }
      return JSON.stringify(x);
    }).join('; ');
  }
  if (typeof v === 'boolean') return v ? t('value.yes') : t('value.no');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export async function render(main, ctx) {
  ctx.setTitle(t('merge.title'));
  if (!(await hasEndpoint('POST', '/parties/{id}/merge'))) {
    fill(main, pageHead(t('merge.title')), errorBox(t('merge.unavailable')));
    return;
  }
  const intoId = Number(ctx.query.get('into'));
  const fromId = Number(ctx.query.get('from'));
  if (!Number.isInteger(intoId) || !Number.isInteger(fromId) || intoId <= 0 || fromId <= 0 || intoId === fromId) {
    fill(main, pageHead(t('merge.title')), errorBox(t('merge.bad_link')));
    return;
  }
  main.append(loading());
  const [into, from] = await Promise.all([api.get(`/parties/${intoId}`), api.get(`/parties/${fromId}`)]);
  if (!ctx.alive()) return;
  rememberName(into.id, into.name);
  rememberName(from.id, from.name);
  const names = { [into.id]: into.name, [from.id]: from.name };
  const choose = {};
  const body = h('div', { id: 'merge-body' });
  const status = h('p', { class: 'muted', role: 'status', id: 'merge-status' });

  const swap = canMergeInto(from, into)
    ? h('a', { href: qs('/merge', { into: from.id, from: into.id }), class: 'button', id: 'merge-swap' }, t('merge.swap')) : null;
  const who = h('div', { class: 'merge-who card' },
    h('p', h('span', { class: 'muted' }, `${t('merge.survivor')}: `), h('strong', partyLink(into)), ` (#${into.id})`),
    h('p', h('span', { class: 'muted' }, `${t('merge.merged')}: `), partyLink(from), ` (#${from.id})`),
    h('p', { class: 'hint' }, t('merge.explain')),
    swap);
  fill(main, pageHead(t('merge.title_names', { a: into.name, b: from.name })), who, status, body);

  if (into.archived || from.archived) {
    fill(body, errorBox(t('merge.archived')));
    return;
  }
  if (!canMergeInto(into, from)) {
    fill(body, errorBox(t('merge.not_allowed')));
    return;
  }

  async function preview() {
    status.textContent = t('merge.previewing');
    body.setAttribute('aria-busy', 'true');
    try {
      const r = await api.post(`/parties/${into.id}/merge`, { from: [from.id], preview: true, choose });
      if (!ctx.alive()) return;
      status.textContent = '';
      drawPreview(r);
    } catch (e) {
      if (!ctx.alive()) return;
      status.textContent = '';
      fill(body, errorBox(errorText(e)));
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  function movesList(moves, id) {
    const keys = MOVES.filter((k) => moves && k in moves);
    for (const k of Object.keys(moves || {})) if (!keys.includes(k)) keys.push(k);
    return h('dl', { class: 'counts', id },
      keys.map((k) => h('div', { class: 'count-box', 'data-move': k },
        h('dt', word('move', k)), h('dd', fmtNumber(Number(moves[k]) || 0)))));
  }

  function drawPreview(r) {
    const conflicts = new Set(r.conflicts || []);
    const rows = (r.fields || []).map((f) => {
      const alts = (f.alternatives || []).filter((a) => a && a.party !== undefined);
      const isConflict = conflicts.has(f.field);
      let choice = h('span', { class: 'merge-value' }, valueText(f.value));
      if (alts.length) {
        const name = `choose-${f.field}`;
        const isList = Array.isArray(f.value) || alts.some((a) => Array.isArray(a.value));
        const opts = [{ value: f.value, party: f.from }, ...alts];
        const seen = new Set();
        choice = h('fieldset', { class: 'merge-choice' },
          h('legend', { class: 'sr-only' }, t('merge.choose_for', { field: fieldLabel(f.field) })),
          opts.filter((o) => {
            const k = String(o.party);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          }).map((o, i) => {
            const id = `${name}-${o.party}`;
            // a list field's value is the union of both; an alternative is one party's list alone
            const whose = names[o.party] || `#${o.party}`;
            const note = isList ? (i === 0 ? t('merge.union') : t('merge.only', { name: whose })) : whose;
            const input = h('input', { type: 'radio', name, id, value: String(o.party), checked: String(o.party) === String(f.from) });
            input.addEventListener('change', () => {
              choose[f.field] = Number(o.party);
              preview();
            });
            return h('div', { class: 'field-check' }, input,
              h('label', { for: id }, valueText(o.value), h('span', { class: 'muted' }, ` (${note})`)));
          }));
      }
      return h('tr', { class: [isConflict && 'conflict'], 'data-field': f.field },
        h('td', { class: 'c-field', 'data-label': t('merge.field') }, fieldLabel(f.field),
          isConflict ? h('span', { class: 'chip chip-warn' }, t('merge.conflict')) : null),
        h('td', { class: 'c-value', 'data-label': t('merge.value') }, choice));
    });
    fill(body,
      h('section', { class: 'card', 'aria-labelledby': 'merge-prev-title' },
        h('h2', { id: 'merge-prev-title' }, t('merge.preview')),
        (r.conflicts || []).length ? h('p', { class: 'conflict-note' }, t('merge.conflicts', { n: r.conflicts.length })) : null,
        h('div', { class: 'table-wrap' }, h('table', { class: 'list merge-fields', id: 'merge-fields' },
          h('caption', { class: 'sr-only' }, t('merge.preview')),
          h('thead', h('tr', h('th', { scope: 'col' }, t('merge.field')), h('th', { scope: 'col' }, t('merge.value')))),
          h('tbody', rows)))),
      h('section', { class: 'card', 'aria-labelledby': 'merge-moves-title' },
        h('h2', { id: 'merge-moves-title' }, t('merge.moves', { name: into.name })),
        movesList(r.moves, 'merge-moves')),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'primary', id: 'merge-confirm', onclick: confirm }, t('merge.confirm')),
        h('a', { href: `/parties/${into.id}`, class: 'button', id: 'merge-cancel' }, t('action.cancel'))));
  }

  async function confirm(e) {
    const btn = e.currentTarget;
    btn.disabled = true;
    status.textContent = t('merge.merging');
    try {
      const r = await api.post(`/parties/${into.id}/merge`, { from: [from.id], choose });
      if (!ctx.alive()) return;
      status.textContent = '';
      drawResult(r);
    } catch (ex) {
      if (!ctx.alive()) return;
      btn.disabled = false;
      status.textContent = '';
      body.prepend(errorBox(errorText(ex)));
    }
  }

  function drawResult(r) {
    const survivor = r.party || into;
    const undoBtn = h('button', { type: 'button', id: 'merge-undo', class: 'danger-line' }, t('merge.undo'));
    undoBtn.addEventListener('click', async () => {
      undoBtn.disabled = true;
      try {
        const u = await api.post(`/merges/${r.id}/undo`, {});
        if (!ctx.alive()) return;
        toast(t('merge.undone'));
        fill(body, h('section', { class: 'card', id: 'merge-undone', 'aria-labelledby': 'merge-undone-title' },
          h('h2', { id: 'merge-undone-title' }, t('merge.undone')),
          h('p', t('merge.undone_text')),
          h('ul', { class: 'plain' }, (u.parties || [into.id, from.id]).map((pid) => h('li', h('a', { href: `/parties/${pid}` }, names[pid] || `#${pid}`))))));
      } catch (ex) {
        undoBtn.disabled = false;
        body.prepend(errorBox(errorText(ex)));
      }
    });
    fill(body, h('section', { class: 'card', id: 'merge-result', 'aria-labelledby': 'merge-done-title' },
      h('h2', { id: 'merge-done-title' }, t('merge.done')),
      h('p', t('merge.done_text', { from: from.name, into: survivor.name })),
      movesList(r.moves, 'merge-moved'),
      r.undo_until ? h('p', { class: 'hint' }, t('merge.undo_until', { date: fmtDateTime(r.undo_until) })) : null,
      h('div', { class: 'form-actions' },
        h('a', { href: `/parties/${survivor.id}`, class: 'button primary', id: 'merge-survivor' }, t('merge.to_survivor', { name: survivor.name })),
        undoBtn)));
    toast(t('merge.done'));
  }

  await preview();
}
