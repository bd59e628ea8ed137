// The deal page (/deals/ID): every field of the deal, its party, a stage
// select, "won" / "lost" (lost asks the reason) and "reopen", the change
// dialog (deal-form.js, If-Match of the version shown), the stage history
// (who moved it when, from which stage to which, won and lost included),
// the activities linked to the deal with "add a note or call", and delete
// (for a deal made by mistake). Controls only for users who may write
// sales; the server checks again.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, fmtDateTime } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { fmtAmount } from '../format.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { users } from '../picker.js';
import { canWriteDeals } from '../access.js';
import { loading, empty, errorBox } from '../ui.js';
import { openDealForm } from './deal-form.js';
import { dealQuoteButton } from './quote.js'; // quotes and invoices
import { documentsPanel } from './documents.js'; // documents

export function statusChip(status) {
  return h('span', { class: ['chip', `deal-status-${status}`] }, word('deal.state', status));
}

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);
  main.append(loading());
  let deal = await api.get(`/deals/${id}`);
  if (!ctx.alive()) return;
  const [pipeline, userList] = await Promise.all([
    api.get(`/pipelines/${deal.pipeline}`).catch(() => null),
    users().catch(() => []),
  ]);
  if (!ctx.alive()) return;
  const userName = (uid) => {
    if (uid === null || uid === undefined) return '';
    const u = userList.find((x) => x.id === Number(uid));
    return u ? u.display_name || u.name : `#${uid}`;
  };
  const writable = canWriteDeals();
  const stages = [...(pipeline?.stages || [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));

  const head = h('div', { class: 'page-head' });
  const details = h('section', { class: 'card', 'aria-labelledby': 'deal-details-title' });
  const histCard = h('section', { class: 'card', 'aria-labelledby': 'deal-history-title', id: 'deal-history' });
  const actCard = h('section', { class: 'card', 'aria-labelledby': 'deal-acts-title', id: 'deal-activities' });

  async function reload(d) {
    deal = d || await api.get(`/deals/${id}`);
    if (!ctx.alive()) return;
    draw();
    await Promise.all([loadHistory(), loadActivities()]);
  }

  async function save(patch, form) {
    try {
      const d = await api.patch(`/deals/${id}`, patch, { version: deal.version });
      toast(t('deal.saved_status', { deal: d.title, status: word('deal.state', d.status), stage: d.stage_name }));
      await reload(d);
      return true;
    } catch (e) {
      if (e.status === 412) e.errors = [];
      if (form) showErrors(form, e);
      else toast(errorText(e), 'error');
      return false;
    }
  }

  function lostDialog(stageId) {
    const err = formError();
    const reason = field({ name: 'lost_reason', label: t('pipeline.lost_reason'), required: true, id: 'deal-lost-reason', type: 'textarea', rows: 2 });
    const form = h('form', { novalidate: true, id: 'deal-lost-form' }, err, reason,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary danger' }, t('deal.mark_lost')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('pipeline.lost_title', { deal: deal.title }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const why = reason.input.value.trim();
      if (!why) {
        showErrors(form, { errors: [{ field: 'lost_reason', message: t('error.required') }] });
        return;
      }
      busy(form, async () => {
        const patch = stageId ? { stage: stageId, lost_reason: why } : { status: 'lost', lost_reason: why };
        if (await save(patch, form)) dlg.close();
      });
    });
  }

  // Deleting is for a deal made by mistake: it goes with its stage history.
  function deleteDialog() {
    const err = formError();
    const form = h('form', { novalidate: true, id: 'deal-delete-form' }, err,
      h('p', t('deal.delete_intro', { deal: deal.title })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary danger' }, t('deal.delete')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('deal.delete_title', { deal: deal.title }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await api.del(`/deals/${id}`, { version: deal.version });
          dlg.close();
          toast(t('deal.deleted', { deal: deal.title }));
          ctx.navigate(`/parties/${deal.party}`);
        } catch (ex) {
          if (ex.status === 412) ex.errors = [];
          showErrors(form, ex);
        }
      });
    });
  }

  function stageSelect() {
    const sel = h('select', { id: 'deal-stage-select', name: 'stage' },
      stages.map((s) => h('option', { value: s.id, selected: s.id === deal.stage }, `${s.name} (${word('deal.state', s.kind || 'open')})`)));
    sel.addEventListener('change', () => {
      const st = stages.find((s) => String(s.id) === sel.value);
      sel.value = String(deal.stage);
      if (!st || st.id === deal.stage) return;
      if (st.kind === 'lost') lostDialog(st.id);
      else save({ stage: st.id });
    });
    return h('div', { class: 'field deal-stage-field' }, h('label', { for: 'deal-stage-select' }, t('deal.move_stage')), sel);
  }

  function draw() {
    const d = deal;
    ctx.setTitle(d.title);
    const open = d.status === 'open';
    fill(head,
      h('div', { class: 'title-block' },
        h('h1', { id: 'page-title' }, d.title),
        h('div', { class: 'head-meta' },
          statusChip(d.status),
          h('a', { href: `/parties/${d.party}`, id: 'deal-party-link' }, d.party_name || `#${d.party}`),
          h('a', { href: qs('/pipeline', { pipeline: d.pipeline }) }, t('deal.to_board')))),
      writable ? h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'deal-edit', onclick: () => openDealForm({ deal, onSaved: (x) => reload(x) }) }, t('deal.edit')),
        open ? h('button', { type: 'button', id: 'deal-won', class: 'primary', onclick: () => save({ status: 'won' }) }, t('deal.mark_won')) : null,
        open ? h('button', { type: 'button', id: 'deal-lost', class: 'danger-line', onclick: () => lostDialog(null) }, t('deal.mark_lost')) : null,
        !open ? h('button', { type: 'button', id: 'deal-reopen', onclick: () => save({ status: 'open' }) }, t('deal.reopen')) : null,
        h('button', { type: 'button', id: 'deal-delete', class: 'danger-line', onclick: deleteDialog }, t('deal.delete'))) : null);
    dealQuoteButton(head, d); // quotes and invoices: "create quote" for this deal
    const probText = d.probability === null || d.probability === undefined ? ''
      : `${d.probability}%${d.probability_source === 'stage' ? ` (${t('deal.prob_from_stage')})` : ''}`;
    const weighted = Math.round(((d.amount || 0) * (d.probability || 0)) / 100);
    const rows = [
      [t('deal.party'), h('a', { href: `/parties/${d.party}` }, d.party_name || `#${d.party}`)],
      [t('deal.status'), word('deal.state', d.status)],
      [t('deal.pipeline'), pipeline?.name || `#${d.pipeline}`],
      [t('deal.stage'), d.stage_name],
      [t('deal.amount_shown'), h('span', { id: 'deal-amount-value' }, fmtAmount(d.amount, d.currency))],
      [t('deal.probability_shown'), probText],
      [t('deal.weighted'), open ? fmtAmount(weighted, d.currency) : ''],
      [t('deal.expected_close'), fmtDate(d.expected_close)],
      [t('deal.owner'), userName(d.owner)],
      // partners: the referring or co-selling partner, and whether a referral brought it
      [t('partner.panel'), d.partner ? [h('a', { href: `/parties/${d.partner}`, id: 'deal-partner' }, d.partner_name || `#${d.partner}`),
        d.partner_source === 'referral' ? ` (${t('partner.via_referral')})` : ''] : ''],
      [t('deal.lost_reason'), d.status === 'lost' ? d.lost_reason : ''],
      [t('deal.closed_at'), fmtDateTime(d.closed_at)],
      [t('deal.created_at'), [fmtDateTime(d.created_at), d.created_by ? userName(d.created_by) : ''].filter(Boolean).join(' \u00b7 ')],
    ].filter(([, v]) => v !== null && v !== undefined && v !== '');
    fill(details,
      h('h2', { id: 'deal-details-title' }, t('deal.details')),
      h('dl', { class: 'props', id: 'deal-props' }, rows.map(([k, v]) => [h('dt', k), h('dd', v)])),
      writable && stages.length ? stageSelect() : null);
  }

  async function loadHistory() {
    fill(histCard, h('h2', { id: 'deal-history-title' }, t('deal.history')), loading());
    try {
      const r = await api.get(`/deals/${id}/history`);
      if (!ctx.alive()) return;
      const items = [...(r.items || [])].reverse();
      const kindOf = (sid) => stages.find((s) => s.id === sid)?.kind || 'open';
      fill(histCard, h('h2', { id: 'deal-history-title' }, t('deal.history')),
        items.length ? h('ol', { class: 'deal-history' }, items.map((x) => h('li', { class: ['hist-item', `hist-${kindOf(x.to)}`] },
          h('time', { datetime: x.at, class: 'muted small-text' }, fmtDateTime(x.at)), ' ',
          h('span', x.from_name ? t('deal.hist_moved', { from: x.from_name, to: x.to_name }) : t('deal.hist_created', { to: x.to_name })),
          x.user ? h('span', { class: 'muted' }, ` \u00b7 ${userName(x.user)}`) : null)))
          : empty(t('deal.no_history')));
    } catch (e) {
      fill(histCard, h('h2', { id: 'deal-history-title' }, t('deal.history')), errorBox(errorText(e)));
    }
  }

  async function loadActivities() {
    fill(actCard, h('h2', { id: 'deal-acts-title' }, t('deal.activities')), loading());
    try {
      const r = await api.get(`/deals/${id}/activities`);
      if (!ctx.alive()) return;
      const items = r.items || [];
      fill(actCard, h('div', { class: 'card-head' }, h('h2', { id: 'deal-acts-title' }, t('deal.activities')),
        writable && await hasEndpoint('POST', '/deals/{id}/activities') ? h('button', { type: 'button', class: 'small', id: 'deal-add-activity', onclick: activityDialog }, t('deal.add_activity')) : null),
      items.length ? h('ol', { class: 'timeline' }, items.map((a) => h('li', { class: ['tl-item', `tl-${a.type}`], 'data-activity': a.id },
        h('div', { class: 'tl-meta' },
          h('span', { class: ['chip', `act-${a.type}`] }, word('activity', a.type)),
          h('time', { datetime: a.at }, fmtDateTime(a.at))),
        h('p', { class: 'tl-subject' }, a.subject),
        a.body ? h('p', { class: 'pre' }, a.body) : null)))
        : empty(t('timeline.empty')));
    } catch (e) {
      fill(actCard, h('h2', { id: 'deal-acts-title' }, t('deal.activities')), errorBox(errorText(e)));
    }
  }

  function activityDialog() {
    const err = formError();
    const type = field({ name: 'type', label: t('timeline.type'), type: 'select', id: 'deal-act-type', value: 'note',
      options: ['note', 'call', 'meeting', 'email'].map((x) => [x, word('activity', x)]) });
    const subject = field({ name: 'subject', label: t('activity.subject'), required: true, id: 'deal-act-subject' });
    const body = field({ name: 'body', label: t('activity.body'), type: 'textarea', rows: 3, id: 'deal-act-body' });
    const form = h('form', { novalidate: true, id: 'deal-act-form' }, err, type, subject, body,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, t('quick.add')),
        h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('deal.add_activity_title', { deal: deal.title }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!subject.input.value.trim()) {
        showErrors(form, { errors: [{ field: 'subject', message: t('error.required') }] });
        return;
      }
      const b = { type: type.input.value, subject: subject.input.value.trim() };
      if (body.input.value.trim()) b.body = body.input.value.trim();
      busy(form, async () => {
        try {
          await api.post(`/deals/${id}/activities`, b);
          dlg.close();
          toast(t('deal.activity_added'));
          await loadActivities();
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  fill(main, head, h('div', { class: 'deal-grid' },
    h('div', { class: 'col-side' }, details),
    h('div', { class: 'col-main' }, histCard, actCard)));
  main.querySelector('.deal-grid > .col-side')?.append(documentsPanel({ kind: 'deal', id }, { domain: deal.domain || 'sales', canWrite: writable })); // documents
  draw();
  await Promise.all([loadHistory(), loadActivities()]);
}
