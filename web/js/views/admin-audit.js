// Admin tab: the audit trail (who changed what, newest first), filtered by
// user, kind of record and party, a page at a time with "more".

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { errorText } from '../forms.js';
import { userPicker, partyPicker } from '../picker.js';
import { empty, errorBox } from '../ui.js';

const ENTITIES = ['party', 'role', 'relationship', 'activity', 'deal', 'case', 'agreement', 'consent', 'user', 'token',
  'pipeline', 'automation', 'rule', 'segment', 'retention_rule', 'relationship_type', 'role_type', 'calendar_feed'];
const PAGE = 50;

// The fields whose value differs between before and after.
function changed(e) {
  const b = e.before || {};
  const a = e.after || {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !['version', 'updated_at', 'created_at'].includes(k));
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

function show(v) {
  if (v === undefined || v === null) return '\u2013';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export async function render(body, ctx) {
  const fUser = userPicker({ id: 'audit-user', label: t('admin.audit_user'), fieldName: 'user' });
  fUser.input.options[0].textContent = t('admin.audit_all');
  const fEntity = h('div', { class: 'field' }, h('label', { for: 'audit-entity' }, t('admin.audit_entity')),
    h('select', { id: 'audit-entity', name: 'entity' }, h('option', { value: '' }, t('admin.audit_all')), ENTITIES.map((x) => h('option', { value: x }, word('admin.ent', x)))));
  const fParty = partyPicker({ id: 'audit-party', label: t('admin.audit_party'), fieldName: 'party', required: false });
  const tbody = h('tbody');
  const status = h('p', { class: 'muted', id: 'audit-count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, t('admin.audit_more'));
  let next = null;
  let shown = 0;
  let seq = 0;

  const row = (e) => {
    const keys = changed(e);
    return h('tr', { 'data-entity': e.entity, 'data-action': e.action },
      h('td', { 'data-label': t('admin.audit_at') }, fmtDateTime(e.at)),
      h('td', { 'data-label': t('admin.audit_user') }, e.user ? e.user.name : t('admin.audit_system')),
      h('td', { 'data-label': t('admin.audit_action') }, word('admin.aud', e.action)),
      h('td', { 'data-label': t('admin.audit_entity') }, e.entity === 'party' && e.entity_id
        ? h('a', { href: `/parties/${e.entity_id}` }, `${word('admin.ent', e.entity)} #${e.entity_id}`)
        : `${word('admin.ent', e.entity)}${e.entity_id ? ` #${e.entity_id}` : ''}`),
      h('td', { 'data-label': t('admin.audit_changes') }, keys.length
        ? h('details', h('summary', keys.slice(0, 4).join(', ') + (keys.length > 4 ? ` +${keys.length - 4}` : '')),
          h('dl', { class: 'audit-diff' }, keys.map((k) => [h('dt', k), h('dd', h('span', { class: 'audit-before' }, show(e.before?.[k])), ' \u2192 ', h('span', show(e.after?.[k])))])))
        : ''));
  };

  async function load(reset) {
    const my = ++seq;
    if (reset) {
      next = null;
      shown = 0;
      fill(tbody);
    }
    more.disabled = true;
    try {
      const r = await api.get(qs('/audit', { user: fUser.value(), entity: fEntity.querySelector('select').value, party: fParty.value() || null, limit: PAGE, cursor: next }));
      if (my !== seq || !ctx.alive()) return;
      const list = r.items || [];
      tbody.append(...list.map(row));
      shown += list.length;
      next = r.next || null;
      more.hidden = !next;
      status.textContent = shown ? t(next ? 'admin.audit_shown_more' : 'admin.audit_shown', { n: shown }) : t('admin.audit_none');
    } catch (e) {
      status.textContent = errorText(e);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  const form = h('form', { class: 'card filters', id: 'audit-filters', role: 'search', 'aria-label': t('admin.audit_filters') },
    h('div', { class: 'grid-3' }, fUser, fEntity, fParty),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('admin.audit_apply'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load(true);
  });
  fill(body, form,
    h('section', { class: 'card', 'aria-labelledby': 'audit-title' }, h('h2', { id: 'audit-title' }, t('admin.audit')), status,
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'audit-table' },
        h('thead', h('tr', [t('admin.audit_at'), t('admin.audit_user'), t('admin.audit_action'), t('admin.audit_entity'), t('admin.audit_changes')].map((x) => h('th', { scope: 'col' }, x)))),
        tbody)), more));
  await load(true);
  if (!ctx.alive()) return;
  if (!tbody.children.length && !next) fill(tbody, h('tr', h('td', { colspan: 5 }, empty())));
}
