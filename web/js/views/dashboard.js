// The dashboard: key numbers, parties by role and by role combination (the
// XRM view: how many customers are also employees, partners, ...), and new
// parties and activities per week. Computed here from the API's lists.

import { h, fill, todayISO, debounce } from '../dom.js';
import { t, getLang, fmtNumber, word } from '../i18n.js';
import { api, qs, listAll, roleTypeMap } from '../api.js';
import { barList, columns } from '../chart.js';
import { pageHead, loading, errorBox, isActiveRole, roleLabel } from '../ui.js';
import { errorText } from '../forms.js';

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

export async function render(main, ctx) {
  ctx.setTitle(t('nav.dashboard'));
  const body = h('div', { class: 'dash' }, loading());
  fill(main, pageHead(t('dash.title')), body);
  const since = monday(new Date());
  since.setDate(since.getDate() - 7 * (WEEKS - 1));
  let parties;
  let acts;
  let rt;
  let tasks;
  try {
    [parties, acts, rt, tasks] = await Promise.all([
      listAll('/parties', {}, 5000),
      recentActivities(since),
      roleTypeMap(),
      listAll('/activities', { type: 'task', done: 'false', assignee: 'me' }, 2000),
    ]);
  } catch (e) {
    if (ctx.alive()) fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const list = parties.items;
  const { byRole, pairs } = roleStats(list);
  const today = todayISO();
  const overdue = tasks.items.filter((a) => a.due && a.due.slice(0, 10) < today).length;
  const week = acts.filter((a) => new Date(a.at) > new Date(Date.now() - 7 * 864e5) && new Date(a.at) <= new Date()).length;
  const multi = list.filter((p) => new Set((p.roles || []).filter(isActiveRole).map((r) => r.type)).size > 1).length;

  const colWidth = () => {
    const w = Math.min(main.clientWidth || 600, 1280);
    return w > 900 ? (w - 40) / 2 - 34 : w - 34;
  };
  const kpi = (value, text, href) => h(href ? 'a' : 'div', { class: 'kpi', href }, h('span', { class: 'kpi-value' }, fmtNumber(value)), h('span', { class: 'kpi-label' }, text));

  const roleData = [...byRole.entries()].sort((a, b) => b[1] - a[1])
    .map(([type, n]) => ({ label: roleLabel(rt, type), value: n, href: qs('/parties', { q: `role:${type}` }) }));
  const pairData = [...pairs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
    .map(([k, n]) => {
      const [a, b] = k.split('+');
      return { label: `${roleLabel(rt, a)} + ${roleLabel(rt, b)}`, value: n, href: qs('/parties', { q: `role:${a} role:${b}` }) };
    });
  const healthCount = new Map();
  for (const p of list) if (p.health?.status) healthCount.set(p.health.status, (healthCount.get(p.health.status) || 0) + 1);
  const healthData = ['good', 'watch', 'at_risk'].filter((k) => healthCount.has(k))
    .map((k) => ({ label: word('health', k), value: healthCount.get(k), href: qs('/parties', { q: `health:${k}` }), cls: `bar-${k}` }));
  const newParties = perWeek(list.map((p) => p.created_at));
  const actWeeks = perWeek(acts.map((a) => a.at));
  const sum = (arr) => arr.reduce((n, d) => n + d.value, 0);

  const newBox = h('section', { class: 'card', 'aria-labelledby': 'ch-new' });
  const actBox = h('section', { class: 'card', 'aria-labelledby': 'ch-acts' });
  fill(body,
    h('div', { class: 'kpis' },
      kpi(list.length, t('dash.parties'), '/parties'),
      kpi(multi, t('dash.multi_role')),
      kpi(tasks.items.length, t('dash.open_tasks'), '/tasks'),
      kpi(overdue, t('dash.overdue'), '/tasks'),
      kpi(week, t('dash.acts_week'))),
    parties.truncated ? h('p', { class: 'muted' }, t('dash.truncated', { n: list.length })) : null,
    h('div', { class: 'dash-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'ch-roles' }, h('h2', { id: 'ch-roles' }, t('dash.by_role')),
        roleData.length ? barList(roleData, { cls: 'chart-roles' }) : h('p', { class: 'empty' }, t('state.empty'))),
      h('section', { class: 'card', 'aria-labelledby': 'ch-combos' }, h('h2', { id: 'ch-combos' }, t('dash.by_combo')),
        h('p', { class: 'muted small-text' }, t('dash.by_combo_hint')),
        pairData.length ? barList(pairData, { cls: 'chart-combos' }) : h('p', { class: 'empty' }, t('dash.no_combos'))),
      newBox, actBox,
      healthData.length ? h('section', { class: 'card', 'aria-labelledby': 'ch-health' }, h('h2', { id: 'ch-health' }, t('dash.health')),
        h('p', { class: 'muted small-text' }, t('dash.health_hint')), barList(healthData, { cls: 'chart-health' })) : null));
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
