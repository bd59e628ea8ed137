// Admin tab: background jobs ("Taken op de achtergrond"), what the server runs
// by itself (GET /jobs): per job its period, the last run with its result and
// duration (a failed run's error below it), and the next run. Daily jobs run at
// 03:00 Dutch time, monthly ones on the 1st at 03:00; a failed job is tried
// again at its next run. A small table; on a phone its rows become cards
// (table.list).

import { h, fill } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';

// The jobs this app knows by name; another job shows its own name.
const NAMES = {
  retention: () => t('jobs.job_retention'),
  'partner-tiers': () => t('jobs.job_partner_tiers'),
};

function resultChip(j) {
  if (j.running) return h('span', { class: 'chip' }, t('jobs.running'));
  if (!j.result) return h('span', { class: 'muted' }, t('jobs.never'));
  return h('span', { class: ['chip', j.result === 'ok' ? 'status-on' : 'chip-warn'] }, t(j.result === 'ok' ? 'jobs.ok' : 'jobs.failed'));
}

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/jobs')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const row = (j) => h('tr', { 'data-job': j.name },
    h('td', { class: 'c-name' }, NAMES[j.name] ? NAMES[j.name]() : j.name),
    h('td', { 'data-label': t('jobs.period') }, t(j.period === 'monthly' ? 'jobs.monthly' : 'jobs.daily')),
    h('td', { 'data-label': t('jobs.last_run') }, j.last_run ? fmtDateTime(j.last_run) : t('jobs.never')),
    h('td', { 'data-label': t('jobs.result'), class: 'job-result' }, resultChip(j),
      j.result === 'failed' && j.message ? h('div', { class: 'muted job-message' }, j.message) : null),
    h('td', { 'data-label': t('jobs.duration') }, j.duration_ms == null ? '' : t('jobs.ms', { n: j.duration_ms })),
    h('td', { 'data-label': t('jobs.next_run') }, j.next_run ? fmtDateTime(j.next_run) : ''));
  fill(body,
    h('section', { class: 'card', 'aria-labelledby': 'jobs-title' },
      h('h2', { id: 'jobs-title' }, t('jobs.tab')),
      h('p', { class: 'muted' }, t('jobs.intro')),
      items.length
        ? h('table', { class: 'list compact', id: 'jobs-table' },
          h('caption', { class: 'sr-only' }, t('jobs.tab')),
          h('thead', h('tr', ['jobs.name', 'jobs.period', 'jobs.last_run', 'jobs.result', 'jobs.duration', 'jobs.next_run']
            .map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', items.map(row)))
        : empty(t('jobs.none'))));
}
