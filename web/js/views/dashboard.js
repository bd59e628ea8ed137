// The dashboard: key numbers, parties by role and by role combination (the
// XRM view: how many customers are also employees, partners, ...), and new
// parties and activities per week. Each number that opens a list is that
// list's total (the same query, counted by the server for this reader).

import { h, fill, debounce } from '../dom.js';
import { t, getLang, fmtNumber, word } from '../i18n.js';
import { api, qs, roleTypeMap } from '../api.js';
import { barList, columns } from '../chart.js';
import { pageHead, loading, errorBox, isActiveRole, roleLabel } from '../ui.js';
import { errorText } from '../forms.js';
import { readableDomains } from '../access.js';
import { hrDashboard } from './dashboard-hr.js'; // HR: absence, sickness, contracts ending
import { revenueCard } from './dashboard-billing.js'; // quotes and invoices: revenue per month

const WEEKS = 12;

function monday(d) {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7));
  return x;
}

// Counts per week (oldest first) of the dates given, over the last n weeks.
export function perWeek(dates, n = WEEKS, now = new Date()) {
  const start = monday(now);
  start.setDate(start.getDate() - 7 * (n - 1));
  const counts = new Array(n).fill(0);
  for (const v of dates) {
    if (!v) continue;
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || d > now) continue;
    const idx = Math.floor((monday(d) - start) / (7 * 864e5) + 0.01);
    if (idx >= 0 && idx < n) counts[idx] += 1;
  }
  const fmt = new Intl.DateTimeFormat(getLang() === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'short' });
  return counts.map((value, i) => {
    const d = new Date(start);
    d.setDate(d.getDate() + 7 * i);
    return { label: fmt.format(d), value };
  });
}

// {byRole: Map(type -> n), pairs: Map("a+b" -> n)} over active roles.
export function roleStats(parties) {
  const byRole = new Map();
  const pairs = new Map();
  for (const p of parties) {
    const types = [...new Set((p.roles || []).filter(isActiveRole).map((r) => r.type))].sort();
    for (const x of types) byRole.set(x, (byRole.get(x) || 0) + 1);
    for (let i = 0; i < types.length; i++) {
      for (let j = i + 1; j < types.length; j++) {
        const k = `${types[i]}+${types[j]}`;
        pairs.set(k, (pairs.get(k) || 0) + 1);
      }
    }
  }
  return { byRole, pairs };
}

async function recentActivities(since) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 20; page++) {
    const r = await api.get(qs('/activities', { limit: 500, cursor }));
    items.push(...r.items);
    cursor = r.next;
    const last = r.items[r.items.length - 1];
    if (!cursor || (last && new Date(last.at) < since)) break;
  }
  return items;
}

// Lists: the total of a party list (GET /parties answers it, counted with
// the same filter and for this reader), null when the filter is refused.
async function partyTotal(q) {
  try {
    const r = await api.get(qs('/parties', { q, limit: 1 }));
    return { n: r.total, capped: !!r.total_capped };
  } catch {
    return null;
  }
}

// Creation dates of the parties made since `since`, newest first, for the
// weekly chart: the list sorted by creation, walked until it is older.
async function createdSince(since) {
  const dates = [];
  let cursor = null;
  for (let page = 0; page < 40; page++) {
    const r = await api.get(qs('/parties', { sort: '-created', limit: 500, cursor, total: false }));
    for (const p of r.items || []) {
      if (new Date(p.created_at) < since) return dates;
      dates.push(p.created_at);
    }
    cursor = r.next;
    if (!cursor) break;
  }
  return dates;
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.dashboard'));
  const body = h('div', { class: 'dash' }, loading());
  fill(main, pageHead(t('dash.title')), body);
  const since = monday(new Date());
  since.setDate(since.getDate() - 7 * (WEEKS - 1));
  let all;
  let acts;
  let rt;
  let tasks;
  let created;
  try {
    [all, acts, rt, tasks, created] = await Promise.all([
      partyTotal(''),
      recentActivities(since),
      roleTypeMap(),
      api.get(qs('/tasks', { mine: 1, limit: 1 })),
      createdSince(since),
    ]);
  } catch (e) {
    if (ctx.alive()) fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  // every number is the total of the list it opens: the same query, for this reader
  const readable = readableDomains();
  const types = [...rt.values()].filter((x) => !x.domain || readable.includes(x.domain)).map((x) => x.name);
  const roleTotals = await Promise.all(types.map((type) => partyTotal(`role:${type}`)));
  const present = types.filter((type, i) => roleTotals[i]?.n > 0);
  const pairs = [];
  for (let i = 0; i < present.length; i++) for (let j = i + 1; j < present.length; j++) pairs.push([present[i], present[j]]);
  const pairTotals = await Promise.all(pairs.map(([a, b]) => partyTotal(`role:${a} role:${b}`)));
  // customer health is sales data: asked only by readers of sales
  const healthKeys = readable.includes('sales') ? ['good', 'watch', 'at_risk'] : [];
  const healthTotals = await Promise.all(healthKeys.map((k) => partyTotal(`health:${k}`)));
  if (!ctx.alive()) return;
  const week = acts.filter((a) => new Date(a.at) > new Date(Date.now() - 7 * 864e5) && new Date(a.at) <= new Date()).length;

  const colWidth = () => {
    const w = Math.min(main.clientWidth || 600, 1280);
    return w > 900 ? (w - 40) / 2 - 34 : w - 34;
  };
  const shown = (tot) => (tot.capped ? t('list.dash_capped', { n: fmtNumber(tot.n) }) : fmtNumber(tot.n));
  const kpi = (tot, text, href, id) => h(href ? 'a' : 'div', { class: 'kpi', href, id }, h('span', { class: 'kpi-value' }, shown(tot)), h('span', { class: 'kpi-label' }, text));

  const roleData = types.map((type, i) => [type, roleTotals[i]]).filter(([, tot]) => tot?.n > 0).sort((a, b) => b[1].n - a[1].n)
    .map(([type, tot]) => ({ label: roleLabel(rt, type), value: tot.n, href: qs('/parties', { q: `role:${type}` }) }));
  const pairData = pairs.map((pr, i) => [pr, pairTotals[i]]).filter(([, tot]) => tot?.n > 0).sort((a, b) => b[1].n - a[1].n).slice(0, 10)
    .map(([[a, b], tot]) => ({ label: `${roleLabel(rt, a)} + ${roleLabel(rt, b)}`, value: tot.n, href: qs('/parties', { q: `role:${a} role:${b}` }) }));
  const healthData = healthKeys.map((k, i) => [k, healthTotals[i]]).filter(([, tot]) => tot?.n > 0)
    .map(([k, tot]) => ({ label: word('health', k), value: tot.n, href: qs('/parties', { q: `health:${k}` }), cls: `bar-${k}` }));
  const newParties = perWeek(created);
  const actWeeks = perWeek(acts.map((a) => a.at));
  const sum = (arr) => arr.reduce((n, d) => n + d.value, 0);
  const taskTotal = { n: tasks.total ?? 0, capped: !!tasks.total_capped };

  const newBox = h('section', { class: 'card', 'aria-labelledby': 'ch-new' });
  const actBox = h('section', { class: 'card', 'aria-labelledby': 'ch-acts' });
  fill(body,
    h('div', { class: 'kpis' },
      kpi(all || { n: 0 }, t('dash.parties'), '/parties', 'kpi-parties'),
      kpi(taskTotal, t('dash.open_tasks'), '/tasks', 'kpi-tasks'),
      kpi({ n: tasks.counts?.overdue ?? 0 }, t('dash.overdue'), '/tasks', 'kpi-overdue'),
      kpi({ n: week }, t('dash.acts_week'))),
    h('div', { class: 'dash-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'ch-roles' }, h('h2', { id: 'ch-roles' }, t('dash.by_role')),
        roleData.length ? barList(roleData, { cls: 'chart-roles' }) : h('p', { class: 'empty' }, t('state.empty'))),
      h('section', { class: 'card', 'aria-labelledby': 'ch-combos' }, h('h2', { id: 'ch-combos' }, t('dash.by_combo')),
        h('p', { class: 'muted small-text' }, t('dash.by_combo_hint')),
        pairData.length ? barList(pairData, { cls: 'chart-combos' }) : h('p', { class: 'empty' }, t('dash.no_combos'))),
      newBox, actBox,
      healthData.length ? h('section', { class: 'card', 'aria-labelledby': 'ch-health' }, h('h2', { id: 'ch-health' }, t('dash.health')),
        h('p', { class: 'muted small-text' }, t('dash.health_hint')), barList(healthData, { cls: 'chart-health' })) : null));
  body.querySelector('.dash-grid')?.append(revenueCard(ctx) || ''); // quotes and invoices: revenue per month (sales readers)
  body.append(hrDashboard(ctx) || ''); // HR cards (dashboard-hr.js)
  // the column charts are drawn for the width they get, again when it changes
  let drawnFor = 0;
  function drawColumns() {
    const w = colWidth();
    if (Math.abs(w - drawnFor) < 8) return;
    drawnFor = w;
    fill(newBox, h('h2', { id: 'ch-new' }, t('dash.new_parties')),
      columns(newParties, { caption: t('dash.per_week'), width: w, desc: t('dash.total_n', { n: sum(newParties) }) }));
    fill(actBox, h('h2', { id: 'ch-acts' }, t('dash.activities')),
      columns(actWeeks, { caption: t('dash.per_week'), width: w, desc: t('dash.total_n', { n: sum(actWeeks) }) }));
  }
  drawColumns();
  const onResize = debounce(() => {
    if (!ctx.alive() || !main.contains(newBox)) {
      window.removeEventListener('resize', onResize);
      return;
    }
    drawColumns();
  }, 100);
  window.addEventListener('resize', onResize);
}
