// Helpdesk cases: a list filtered with the cases query (active, SLA
// breached, mine) in urgency order (the server's sort=urgency: overdue
// first, then the earliest SLA due, then the highest priority; more pages
// with "show more"), each with a live SLA countdown, a status menu and a
// link to the ticket page, and a dialog to open a new case for a party
// (priority "automatic": the server takes it from the party's treatment).
// Shown when the server has /api/v1/cases.

import { h, fill, debounce } from '../dom.js';
import { partyPicker } from '../picker.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { slaReason } from './case.js';
import { setNewAction } from '../keys.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { writableDomains, canWriteRecord } from '../access.js';

const STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'top'];

// "3 h 20 min left" / "overdue by 2 h" for an SLA due time.
export function slaText(due, now = Date.now()) {
  if (!due) return { text: '', cls: '' };
  const ms = new Date(due).getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 864e5);
  const hr = Math.floor((abs % 864e5) / 36e5);
  const min = Math.floor((abs % 36e5) / 6e4);
  const span = d ? `${d} ${t('time.d')} ${hr} ${t('time.h')}` : hr ? `${hr} ${t('time.h')} ${min} ${t('time.min')}` : `${min} ${t('time.min')}`;
  if (ms < 0) return { text: t('cases.sla_over', { span }), cls: 'sla-breached' };
  return { text: t('cases.sla_left', { span }), cls: ms < 2 * 36e5 ? 'sla-soon' : '' };
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.cases'));
  if (!(await hasEndpoint('GET', '/cases'))) {
    fill(main, pageHead(t('nav.cases')), empty(t('feature.unavailable')));
    return;
  }
  const raw = ctx.query.get('q');
  const q = raw === null ? 'status:active' : raw.trim();
  const filters = [
    ['status:active', t('cases.f_active')],
    ['sla:breached', t('cases.f_breached')],
    ['assignee:me status:active', t('cases.f_mine')],
    ['', t('cases.f_all')],
  ];
  const list = h('div', { class: 'case-list', id: 'case-list' }, loading());
  const more = h('button', { type: 'button', id: 'cases-more', hidden: true, onclick: loadMore }, t('case.more'));
  // a new case only in a domain this user may write
  const domains = writableDomains();
  const newBtn = domains.length ? h('button', { type: 'button', class: 'primary', id: 'new-case', onclick: newCase }, t('cases.new')) : null;
  if (newBtn) setNewAction(newCase); // the 'n' key
  fill(main,
    pageHead(t('nav.cases'), newBtn),
    h('div', { class: 'quick-filters', role: 'group', 'aria-label': t('list.quick_filters') },
      filters.map(([fq, text]) => h('a', { class: ['chip', 'chip-link', fq === q && 'chip-on'], href: qs('/cases', { q: fq || ' ' }), 'aria-current': fq === q ? 'true' : null }, text))),
    list, h('p', { class: 'more-row' }, more));

  let cases = [];
  let next = null;
  const timers = [];
  function tick() {
    if (!ctx.alive()) {
      clearInterval(timer);
      return;
    }
    for (const [el, c] of timers) {
      const s = slaText(c.sla_due);
      el.textContent = s.text;
      el.className = `sla ${s.cls}`;
    }
  }
  const timer = setInterval(tick, 30000);

  async function load() {
    try {
      const r = await api.get(qs('/cases', { q, sort: 'urgency', limit: 50 }));
      cases = r.items || [];
      next = r.next;
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    draw();
  }

  async function loadMore() {
    try {
      const r = await api.get(qs('/cases', { q, sort: 'urgency', limit: 50, cursor: next }));
      cases = cases.concat(r.items || []);
      next = r.next;
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    if (ctx.alive()) draw();
  }

  function draw() {
    timers.length = 0;
    more.hidden = !next;
    if (!cases.length) {
      fill(list, empty(t('cases.none')));
      return;
    }
    fill(list, cases.map((c) => {
      const sla = h('span', { class: 'sla' });
      if (!['resolved', 'closed'].includes(c.status)) timers.push([sla, c]);
      const writable = canWriteRecord(c);
      const status = writable
        ? h('select', { 'aria-label': t('cases.status_of', { subject: c.subject }), class: 'case-status' }, STATUSES.map((s) => h('option', { value: s, selected: s === c.status }, word('case', s))))
        : h('span', { class: 'chip case-status-ro' }, word('case', c.status));
      if (writable) status.addEventListener('change', async () => {
        try {
          const nc = await api.patch(`/cases/${c.id}`, { status: status.value }, { version: c.version });
          Object.assign(c, nc);
          toast(t('action.saved'));
          draw();
        } catch (e) {
          status.value = c.status;
          toast(errorText(e), 'error');
        }
      });
      return h('article', { class: ['card', 'case', `prio-edge-${c.priority}`], 'data-case': c.id },
        h('div', { class: 'case-head' },
          h('h2', { class: 'h3' }, h('a', { href: `/cases/${c.id}`, class: 'case-link' }, c.subject)),
          h('span', { class: ['chip', `prio-${c.priority}`] }, `${t('treatment.priority')}: ${word('priority', c.priority)}`),
          c.sla_breached ? h('span', { class: 'chip prio-top' }, t('cases.breached')) : null,
          status),
        h('p', { class: 'muted small-text' },
          h('a', { href: `/parties/${c.party}` }, c.party_name || `#${c.party}`), ' \u00b7 ',
          `${t('cases.opened')} ${fmtDateTime(c.opened_at)}`, c.sla_due ? ` \u00b7 ${t('cases.sla_due')} ${fmtDateTime(c.sla_due)} ` : ' ', sla,
          c.assignee ? null : [' \u00b7 ', h('span', { class: 'muted' }, t('case.unassigned'))]),
        h('p', { class: 'muted small-text case-reason' }, `${t('case.why')} ${slaReason(c)}`),
        c.description ? h('p', { class: 'pre case-desc' }, c.description) : null);
    }));
    tick();
  }

  function newCase() {
    const err = formError();
    const party = partyPicker({ id: 'case-party', label: t('cases.party') });
    const subject = field({ name: 'subject', label: t('activity.subject'), required: true, id: 'case-subject' });
    const description = field({ name: 'description', label: t('activity.body'), type: 'textarea', id: 'case-description' });
    // empty = automatic: the server takes the priority (and the SLA) from the party's treatment
    const priority = field({ name: 'priority', label: t('treatment.priority'), type: 'select', value: '', id: 'case-priority',
      options: [['', t('case.prio_auto')], ...PRIORITIES.map((p) => [p, word('priority', p)])] });
    const domain = field({ name: 'domain', label: t('activity.domain'), type: 'select', value: domains.includes('sales') ? 'sales' : domains[0], id: 'case-domain', options: domains.map((d) => [d, word('domain', d)]) });
    // what "automatic" will give: the chosen party's treatment (priority, response time)
    const treat = h('p', { class: 'hint', id: 'case-treatment', 'aria-live': 'polite' });
    let shown = 0;
    const showTreatment = debounce(async () => {
      const pid = party.value();
      if (pid === shown) return;
      shown = pid;
      if (!pid) {
        treat.textContent = '';
        return;
      }
      try {
        const p = await api.get(`/parties/${pid}`);
        if (shown !== pid) return;
        const tr = p.treatment || {};
        treat.textContent = t('case.auto_gives', { priority: word('priority', tr.priority || 'normal').toLowerCase() }) +
          (tr.sla_hours ? ` ${t('treatment.sla', { n: tr.sla_hours })}` : '');
      } catch {
        treat.textContent = '';
      }
    }, 200);
    const form = h('form', { novalidate: true, id: 'case-form' }, err, party, subject, description, h('div', { class: 'grid-2' }, priority, domain),
      h('p', { class: 'hint' }, t('cases.sla_hint')), treat,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('cases.new'), form, { wide: true });
    form.addEventListener('input', showTreatment);
    form.addEventListener('change', showTreatment);
    new MutationObserver(showTreatment).observe(party, { subtree: true, childList: true, attributes: true });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { party: party.value() || undefined, subject: subject.input.value.trim(), domain: domain.input.value };
      if (priority.input.value) body.priority = priority.input.value;
      if (description.input.value.trim()) body.description = description.input.value.trim();
      if (!body.party) {
        showErrors(form, { errors: [{ field: 'party', message: t('error.required') }] });
        return;
      }
      busy(form, async () => {
        try {
          const nc = await api.post('/cases', body);
          dlg.close();
          toast(t('cases.created_prio', { priority: word('priority', nc.priority), reason: slaReason(nc) }));
          await load();
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  await load();
}
