// The HR part of the dashboard, for users who may read hr: who is absent
// today, the sickness percentage this month, employment contracts ending
// within 60 days, open sick reports with their next Poortwachter step.
//
// Others add cards with addHrCard(fn): fn(data) returns an element (or null
// to show nothing, or a promise of one); data is {overview (GET
// /absence/overview), stats (GET /absence/stats)}, read once for all
// cards. Cards show in the order added, after the built-in ones.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, fmtNumber } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { canRead } from '../access.js';
import { empty } from '../ui.js';
import { nextStep } from './absence.js';
import { checklistsOpenCard } from './checklist-card.js'; // on- and offboarding

function card(id, title, ...body) {
  return h('section', { class: 'card hr-card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

function people(entries, extra) {
  return h('ul', { class: 'hr-list' }, entries.slice(0, 8).map((e) => h('li',
    h('a', { href: `/parties/${e.absence.party}` }, e.absence.party_name), extra ? [' \u00b7 ', extra(e)] : null)));
}

function absentToday({ overview }) {
  const n = overview.today.length;
  return card('hr-absent', t('hr.absent_today'),
    h('a', { class: 'kpi', href: '/absence', id: 'kpi-absent' }, h('span', { class: 'kpi-value' }, fmtNumber(n)), h('span', { class: 'kpi-label' }, t('hr.people_away'))),
    n ? people(overview.today, (e) => word('absence.kind', e.absence.kind)) : null);
}

function sicknessMonth({ stats }) {
  const m = stats.totals[stats.totals.length - 1];
  const v = m && m.percentage !== null ? `${fmtNumber(m.percentage, { maximumFractionDigits: 1 })}%` : '\u2013';
  return card('hr-sickness', t('hr.sickness_month'),
    h('a', { class: 'kpi', href: '/absence', id: 'kpi-sickness' }, h('span', { class: 'kpi-value' }, v), h('span', { class: 'kpi-label' }, t('hr.sickness_label'))));
}

async function contractsEnding() {
  if (!(await hasEndpoint('GET', '/agreements'))) return null;
  const r = await api.get(qs('/agreements', { kind: 'employment_contract', expiring: 60, limit: 20 }));
  return card('hr-contracts', t('hr.contracts_ending'),
    r.items.length ? h('ul', { class: 'hr-list' }, r.items.map((a) => h('li',
      h('a', { href: `/parties/${a.party}` }, a.party_name), ` \u00b7 ${t('hr.ends_on', { date: fmtDate(a.end) })}`))) : empty(t('hr.no_contracts_ending')));
}

function openSick({ overview }) {
  return card('hr-sick', t('sick.open'),
    overview.sick.length ? people(overview.sick, (e) => [t('sick.week_n', { n: e.sick_week ?? '?' }), ' \u00b7 ', nextStep(e)]) : empty(t('sick.none_open')));
}

// On- and offboarding checklists with items still to do (checklist-card.js).
async function checklistsOpen() {
  const kpi = await checklistsOpenCard();
  return kpi ? card('hr-checklists', t('checklist.title'), kpi) : null;
}

const cards = [absentToday, sicknessMonth, contractsEnding, openSick, checklistsOpen];

// Adds a card to the HR dashboard (see the top of this file).
export function addHrCard(fn) {
  cards.push(fn);
}

// The HR section of the dashboard, or null for users who may not read hr.
export function hrDashboard(ctx) {
  if (!canRead('hr')) return null;
  const sec = h('section', { class: 'hr-dash', id: 'hr-dash', 'aria-labelledby': 'hr-dash-title', hidden: true });
  (async () => {
    if (!(await hasEndpoint('GET', '/absence/overview'))) return;
    let data;
    try {
      const [overview, stats] = await Promise.all([api.get('/absence/overview'), api.get('/absence/stats')]);
      data = { overview, stats };
    } catch {
      return;
    }
    const els = await Promise.all(cards.map((fn) => Promise.resolve(fn(data)).catch(() => null)));
    if (ctx && !ctx.alive()) return;
    fill(sec, h('h2', { id: 'hr-dash-title', class: 'hr-dash-title' }, t('hr.dashboard')), h('div', { class: 'dash-grid hr-grid' }, els.filter(Boolean)));
    sec.hidden = false;
  })();
  return sec;
}
