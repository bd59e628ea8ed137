// Shared pieces of the screens: role badges, treatment chips, links, loading
// and empty states.

import { h } from './dom.js';
import { t, label, word, has } from './i18n.js';

export const DOMAINS = ['sales', 'hr', 'partners', 'purchasing', 'pr'];
export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'task', 'complaint', 'survey', 'press_release', 'letter'];

export function roleLabel(rtMap, type) {
  const rt = rtMap && rtMap.get(type);
  return rt ? label(rt.label, type) : word('role', type);
}

export function isActiveRole(r) {
  if (typeof r.active === 'boolean') return r.active;
  return !r.until || r.until >= new Date().toISOString().slice(0, 10);
}

// Badges for a party's roles: active ones in their domain colour, ended ones
// muted (all=true); a status other than "active" is named in the badge.
export function roleBadges(roles, rtMap, { all = true } = {}) {
  const seen = new Set();
  const out = [];
  const sorted = [...(roles || [])].sort((a, b) => Number(isActiveRole(b)) - Number(isActiveRole(a)));
  for (const r of sorted) {
    const active = isActiveRole(r);
    if (!active && !all) continue;
    if (seen.has(r.type)) continue;
    seen.add(r.type);
    const name = roleLabel(rtMap, r.type);
    const text = r.status && r.status !== 'active' ? `${name} \u00b7 ${word('status', r.status).toLowerCase()}` : name;
    out.push(h('span', {
      class: ['badge', active ? `dom-${r.domain || 'x'}` : 'badge-ended'],
      title: `${name} \u2013 ${word('status', r.status)}`,
    }, text));
  }
  return h('span', { class: 'badges' }, out);
}

export function priorityChip(priority) {
  if (!priority || priority === 'normal') return null;
  return h('span', { class: ['chip', `prio-${priority}`] }, `${t('treatment.priority')}: ${word('priority', priority)}`);
}

export function healthChip(health) {
  if (!health || !health.status) return null;
  return h('span', { class: ['chip', `health-${health.status}`], title: t('health.title') }, `${t('health.title')}: ${word('health', health.status)}`);
}

export function treatmentBadges(tr) {
  if (!tr || !Array.isArray(tr.badges)) return null;
  return tr.badges.map((b) => h('span', { class: 'badge badge-treat' }, typeof b === 'string' ? b : label(b)));
}

export function partyLink(p) {
  return h('a', { href: `/parties/${p.id}` }, p.name || `#${p.id}`);
}

export function kindLabel(kind) {
  return word('kind', kind);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('state.loading'));
}

export function empty(msg) {
  return h('p', { class: 'empty' }, msg || t('state.empty'));
}

export function errorBox(msg) {
  return h('p', { class: 'error-box', role: 'alert' }, msg);
}

export function pageHead(title, ...actions) {
  return h('div', { class: 'page-head' }, h('h1', { id: 'page-title' }, title), h('div', { class: 'actions' }, actions));
}

export function city(p) {
  const a = (p.addresses || [])[0];
  return a ? a.city || '' : '';
}

// The built-in rules carry English names and descriptions in the database;
// the app names them in the reader's language (rule.builtin.* keys, by the
// stored name). Rules people made keep the name they gave them.
function ruleKey(name) {
  return String(name || '').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

export function ruleName(name) {
  const key = `rule.builtin.${ruleKey(name)}`;
  return has(key) ? t(key) : name;
}

export function ruleDescription(r) {
  const key = `rule.builtin_desc.${ruleKey(r?.name)}`;
  return r?.builtin && has(key) ? t(key) : r?.description || '';
}
