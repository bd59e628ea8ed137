// Admin tab: retention rules (how long a domain keeps a party's data after
// its role ended) with their days, consent days and on/off editable per
// rule, and a run: first a preview (dry run) that lists what would be
// removed, then the run itself after a confirmation; the report shows the
// counts and the parties.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, label } from '../i18n.js';
import { api, partyName, roleTypes } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

export async function render(body, ctx) {
  let items;
  let types = [];
  try {
    [items, types] = await Promise.all([api.get('/retention/rules').then((r) => r.items || []), roleTypes().catch(() => [])]);
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const report = h('div', { id: 'retention-report', 'aria-live': 'polite' });

  const ruleCard = (r) => {
    const err = formError();
    const days = field({ name: `days-${r.id}`, field: 'days', label: t('admin.ret_days'), type: 'number', value: String(r.days), attrs: { min: '1', inputmode: 'numeric' } });
    const cdays = r.consent_purpose
      ? field({ name: `cdays-${r.id}`, field: 'consent_days', label: t('admin.ret_consent_days', { purpose: word('purpose', r.consent_purpose) }), type: 'number', value: r.consent_days == null ? '' : String(r.consent_days), attrs: { min: '1', inputmode: 'numeric' } })
      : null;
    const enabled = field({ name: `enabled-${r.id}`, field: 'enabled', label: t('admin.enabled'), type: 'checkbox', value: !!r.enabled });
    const form = h('form', { class: ['card', 'rule', !r.enabled && 'item-off'], novalidate: true, 'data-retention': r.name, 'aria-label': r.name },
      h('div', { class: 'role-head' }, h('h3', r.name), h('span', { class: ['chip', r.enabled ? 'status-on' : 'status-off'] }, r.enabled ? t('admin.enabled') : t('admin.disabled'))),
      h('p', { class: 'muted' }, r.description),
      h('p', { class: 'muted' }, `${word('domain', r.domain)} \u00b7 ${label(types.find((rt) => rt.name === r.role_type)?.label, r.role_type)} \u00b7 ${t('admin.statuses')}: ${(r.statuses || []).length ? r.statuses.map((s) => word('status', s)).join(', ') : t('admin.ret_ended_roles')}`),
      err, h('div', { class: 'grid-3' }, days, cdays, enabled),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'small primary' }, t('action.save'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const patch = { days: Number(days.input.value), enabled: enabled.input.checked };
      if (cdays) patch.consent_days = cdays.input.value === '' ? null : Number(cdays.input.value);
      busy(form, async () => {
        try {
          const nr = await api.patch(`/retention/rules/${r.id}`, patch, { version: r.version });
          items = items.map((x) => (x.id === nr.id ? nr : x));
          form.replaceWith(ruleCard(nr));
          toast(t('action.saved'));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
    return form;
  };

  async function run(dry, btn) {
    if (!dry && !(await confirmDialog(t('admin.ret_run_title'), t('admin.ret_run_question'), t('admin.ret_run')))) return;
    btn.disabled = true;
    fill(report, h('p', { class: 'loading', role: 'status' }, t('state.loading')));
    try {
      const r = await api.post('/retention/run', { dry_run: dry });
      const list = r.items || [];
      const sum = (k) => list.reduce((n, x) => n + (Number(x[k]) || 0), 0);
      fill(report, h('section', { class: 'card run-report', 'aria-labelledby': 'ret-report-title' },
        h('h3', { id: 'ret-report-title' }, r.dry_run ? t('admin.ret_preview_title') : t('admin.ret_done_title')),
        h('p', { id: 'retention-counts' }, t(r.dry_run ? 'admin.ret_counts_dry' : 'admin.ret_counts', { parties: list.length, roles: sum('roles'), activities: sum('activities'), today: fmtDate(r.today) })),
        list.length ? h('ul', { class: 'ret-items' }, list.slice(0, 200).map((x) => {
          const link = h('a', { href: `/parties/${x.party}` }, `#${x.party}`);
          if (r.dry_run) partyName(x.party).then((nm) => { link.textContent = nm; });
          return h('li', link, ` \u00b7 ${word('domain', x.domain)} \u00b7 ${t('admin.ret_expired', { date: fmtDate(x.expired_on) })}`);
        })) : empty(t('admin.ret_nothing'))));
    } catch (e) {
      fill(report, errorBox(errorText(e)));
    } finally {
      btn.disabled = false;
    }
  }
  const dryBtn = h('button', { type: 'button', id: 'retention-preview', class: 'primary', onclick: () => run(true, dryBtn) }, t('admin.ret_preview'));
  const runBtn = h('button', { type: 'button', id: 'retention-run', class: 'danger-line', onclick: () => run(false, runBtn) }, t('admin.ret_run'));
  fill(body,
    h('section', { class: 'card', 'aria-labelledby': 'ret-run-title' }, h('h2', { id: 'ret-run-title' }, t('admin.ret_run_head')),
      h('p', { class: 'muted' }, t('admin.ret_intro')), h('div', { class: 'form-actions' }, dryBtn, runBtn), report),
    h('h2', t('admin.retention')),
    items.length ? h('div', { class: 'rule-list' }, items.map(ruleCard)) : empty());
}
