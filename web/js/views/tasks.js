// "My day": the signed-in user's open tasks, grouped as overdue, today,
// upcoming and without a due date, each group with its count and a "load
// more" that reaches every task; tick a task off to mark it done. Uses
// GET /api/v1/tasks?mine=1 when the server has it, else groups
// GET /api/v1/activities?type=task&done=false&assignee=me here.

import { h, clear, fill, todayISO, localDate } from '../dom.js';
import { t, word, fmtDateTime, fmtDate, fmtNumber } from '../i18n.js';
import { api, qs, hasEndpoint, listAll, partyName } from '../api.js';
import { toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { canWriteRecord } from '../access.js';

const GROUPS = ['overdue', 'today', 'upcoming', 'nodue'];

export function groupTasks(items, today = todayISO()) {
  const g = { overdue: [], today: [], upcoming: [], nodue: [] };
  for (const a of items) {
    const d = localDate(a.due);
    if (!d) g.nodue.push(a);
    else if (d < today) g.overdue.push(a);
    else if (d === today) g.today.push(a);
    else g.upcoming.push(a);
  }
  const byDue = (a, b) => String(a.due).localeCompare(String(b.due));
  g.overdue.sort(byDue);
  g.today.sort(byDue);
  g.upcoming.sort(byDue);
  return g;
}

// Lists: the server's groups come with their counts (every open task, not
// just the first page) and a cursor per group for the rest.
async function fetchTasks() {
  if (await hasEndpoint('GET', '/tasks')) {
    const r = await api.get('/tasks?mine=1');
    if (r && Array.isArray(r.overdue)) {
      const counts = r.counts || {};
      return {
        overdue: r.overdue, today: r.today || [], upcoming: r.upcoming || [], nodue: r.no_due || r.nodue || [],
        counts: { overdue: counts.overdue, today: counts.today, upcoming: counts.upcoming },
        next: r.next || {}, total: r.total, capped: !!r.total_capped,
      };
    }
    if (r && Array.isArray(r.items)) return groupTasks(r.items.filter((a) => !a.done));
  }
  const { items } = await listAll('/activities', { type: 'task', done: 'false', assignee: 'me' }, 2000);
  return groupTasks(items.filter((a) => !a.done));
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.tasks'));
  const body = h('div', { class: 'task-groups' }, loading());
  fill(main, pageHead(t('tasks.title'), h('span', { class: 'muted' }, fmtDate(todayISO()))), body);
  let groups;
  try {
    groups = await fetchTasks();
  } catch (e) {
    if (ctx.alive()) fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  clear(body);
  const counts = groups.counts || {};
  const countOf = (key) => (typeof counts[key] === 'number' ? counts[key] : groups[key].length);
  const total = typeof groups.total === 'number' ? groups.total : GROUPS.reduce((n, k) => n + countOf(k), 0);
  if (!total) {
    body.append(empty(t('tasks.none')));
    return;
  }
  body.append(h('p', { class: 'muted', role: 'status', id: 'tasks-total' },
    groups.capped ? t('list.tasks_total_capped', { n: fmtNumber(total) }) : t('list.tasks_total', { n: fmtNumber(total) })));
  for (const key of GROUPS) {
    const list = groups[key];
    if (!list.length && key === 'nodue') continue;
    const ul = h('ul', { class: 'tasks' }, list.map(taskRow));
    const more = groups.next?.[key] ? h('button', { type: 'button', class: 'more', id: `tg-${key}-more` }, t('list.tasks_more')) : null;
    let cursor = groups.next?.[key] || null;
    more?.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const r = await api.get(qs('/tasks', { mine: 1, cursor }));
        if (!ctx.alive()) return;
        ul.append(...(r[key] || []).map(taskRow));
        cursor = r.next?.[key] || null;
        more.hidden = !cursor;
      } catch (e) {
        toast(errorText(e), 'error');
      } finally {
        more.disabled = false;
      }
    });
    body.append(h('section', { class: ['card', 'task-group', `tg-${key}`], 'aria-labelledby': `tg-${key}` },
      h('h2', { id: `tg-${key}` }, t(`tasks.${key}`), h('span', { class: 'count' }, ` ${fmtNumber(countOf(key))}`)),
      list.length ? [ul, more] : empty(t('tasks.group_empty'))));
  }

  function taskRow(a) {
    // ticking a task off changes it: only in a domain this user may write
    const writable = canWriteRecord(a);
    const cb = writable ? h('input', { type: 'checkbox', id: `task-${a.id}`, 'aria-describedby': `task-${a.id}-meta` }) : null;
    const partyLinks = (a.parties || []).map((pid) => {
      const link = h('a', { href: `/parties/${pid}` }, `#${pid}`);
      partyName(pid).then((n) => { link.textContent = n; });
      return link;
    });
    const li = h('li', { class: 'task' },
      cb,
      h('div', { class: 'task-body' },
        writable ? h('label', { for: `task-${a.id}`, class: 'task-subject' }, a.subject) : h('span', { class: 'task-subject' }, a.subject),
        h('p', { class: 'muted small-text', id: `task-${a.id}-meta` },
          [a.due ? `${t('task.due')}: ${fmtDateTime(a.due)}` : t('tasks.nodue'), word('domain', a.domain)].join(' \u00b7 '),
          partyLinks.length ? ' \u00b7 ' : '', partyLinks.flatMap((l, i) => (i ? [', ', l] : [l])))));
    if (cb) cb.addEventListener('change', async () => {
      cb.disabled = true;
      try {
        const r = await api.patch(`/activities/${a.id}`, { done: cb.checked }, { version: a.version });
        a.version = r.version;
        li.classList.toggle('done', cb.checked);
        toast(cb.checked ? t('tasks.marked_done') : t('tasks.marked_open'));
      } catch (e) {
        cb.checked = !cb.checked;
        toast(errorText(e), 'error');
      } finally {
        cb.disabled = false;
      }
    });
    return li;
  }
}
