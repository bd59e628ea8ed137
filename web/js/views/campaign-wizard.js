// The campaign wizard (/campaigns/new, /campaigns/ID of a draft) and the
// report of a sent campaign (/campaigns/ID):
//   1 name, domain (only those the user writes), segment, template;
//   2 subject and text (filled from the template, placeholders insertable;
//     "Volgende" saves the draft: POST /campaigns or PATCH);
//   3 recipients: how many will get it and who is skipped, grouped by the
//     reason (no e-mail address, no consent, withdrawn, non-mailing, ...)
//     with their parties (GET /campaigns/{id}/recipients) - the server
//     decides again at send time;
//   4 send after a confirmation (POST /campaigns/{id}/send), then the report:
//     sent, skipped (with reasons) and bounced.

import { h, fill, add } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { canWrite, writableDomains, canWriteCampaign } from '../access.js';
import { pageHead, loading, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';
import { placeholderChips, templates } from './compose.js';
import { campaignStatus, segmentNames } from './campaigns.js';

const STEPS = ['basics', 'message', 'recipients', 'send'];
const PH = ['salutation', 'name', 'first_name', 'company', 'sender', 'unsubscribe_url'];

export function reasonText(r) {
  return word('campaign.reason', r || 'unknown');
}

// All recipients with this status (pages of 500, at most max).
async function recipients(id, status, max = 2000) {
  const items = [];
  let cursor = null;
  let counts = null;
  do {
    const r = await api.get(qs(`/campaigns/${id}/recipients`, { status, limit: 500, cursor }));
    items.push(...(r.items || []));
    counts = counts || r.counts || null;
    cursor = r.next;
  } while (cursor && items.length < max);
  return { items, counts, more: !!cursor };
}

function reasonGroups(items, idPrefix) {
  const groups = new Map();
  for (const x of items) {
    const k = x.reason || (x.status === 'bounced' ? 'bounced' : 'unknown');
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(x);
  }
  return h('div', { class: 'campaign-reasons', id: `${idPrefix}-reasons` },
    [...groups.entries()].sort((a, b) => b[1].length - a[1].length).map(([k, list]) => h('details', { class: 'campaign-reason', 'data-reason': k },
      h('summary', h('strong', reasonText(k)), ' ', h('span', { class: 'chip' }, String(list.length))),
      h('ul', { class: 'plain campaign-parties' }, list.map((x) => h('li', { 'data-party': x.party },
        h('a', { href: `/parties/${x.party}` }, x.name || `#${x.party}`),
        x.email ? h('span', { class: 'muted mail-addr' }, ` ${x.email}`) : null))))));
}

function reportView(c, segs) {
  const r = c.report || {};
  return h('section', { class: 'card', id: 'campaign-report', 'aria-labelledby': 'campaign-report-title' },
    h('h2', { id: 'campaign-report-title' }, t('campaign.report')),
    h('dl', { class: 'props' },
      h('dt', t('campaign.segment')), h('dd', segs.get(Number(c.segment)) || `#${c.segment}`),
      h('dt', t('campaign.domain')), h('dd', word('domain', c.domain)),
      h('dt', t('mail.subject')), h('dd', c.subject || ''),
      c.sent_at ? [h('dt', t('campaign.sent_at')), h('dd', fmtDateTime(c.sent_at))] : null),
    h('ul', { class: 'kpis campaign-kpis' },
      ['sent', 'queued', 'skipped', 'bounced'].map((k) => h('li', { class: 'kpi', 'data-kpi': k },
        h('span', { class: 'kpi-value', id: `campaign-${k}` }, String(r[k] ?? 0)), h('span', { class: 'kpi-label' }, t(`campaign.${k}`))))));
}

export async function render(main, ctx) {
  const isNew = ctx.params[0] === 'new';
  let c = null;
  main.append(loading());
  if (!isNew) c = await api.get(`/campaigns/${Number(ctx.params[0])}`);
  if (!ctx.alive()) return;
  const segs = await segmentNames();
  if (!ctx.alive()) return;
  const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '/campaigns' }, t('campaign.title')), ' \u203a ', c ? c.name : t('campaign.new'));

  // sends the campaign (or the rest of an interrupted send) and shows the report
  async function post(btn) {
    btn.disabled = true;
    try {
      const r = await api.post(`/campaigns/${c.id}/send`);
      toast(t('campaign.sent_toast', { sent: r.sent ?? 0, skipped: r.skipped ?? 0 }));
      await ctx.rerender();
    } catch (e) {
      btn.disabled = false;
      toast(errorText(e), 'error');
    }
  }

  // sent (or being sent), or a draft the user may not change: the report / the facts
  if (c && (c.status !== 'draft' || !canWriteCampaign(c))) {
    ctx.setTitle(c.name);
    const body = h('div', { id: 'campaign-report-recipients' });
    fill(main, pageHead(c.name, campaignStatus(c.status)), crumbs, reportView(c, segs), body);
    // a send that stopped half-way (the server stopped) stays "sending": sending again writes
    // the rest, and nobody who has a message already gets a second one
    if (c.status === 'sending' && canWriteCampaign(c)) {
      const btn = h('button', { type: 'button', class: 'primary', id: 'campaign-resume', onclick: () => post(btn) }, t('campaign.resume'));
      add(body, h('section', { class: 'card', id: 'campaign-interrupted', 'aria-labelledby': 'campaign-interrupted-title' },
        h('h2', { id: 'campaign-interrupted-title' }, t('campaign.interrupted')), h('p', t('campaign.interrupted_text')), btn));
    }
    if (c.status !== 'draft') {
      try {
        const [bounced, skipped] = await Promise.all([recipients(c.id, 'bounced', 500), recipients(c.id, 'skipped', 500)]);
        if (!ctx.alive()) return;
        const all = [...skipped.items, ...bounced.items];
        if (all.length) {
          add(body, h('section', { class: 'card', 'aria-labelledby': 'campaign-not-sent-title' },
            h('h2', { id: 'campaign-not-sent-title' }, t('campaign.not_sent')), reasonGroups(all, 'campaign-report')));
        }
      } catch (e) {
        add(body, errorBox(errorText(e)));
      }
    }
    return;
  }

  ctx.setTitle(c ? c.name : t('campaign.new'));
  const domains = writableDomains();
  const stepList = h('ol', { class: 'steps', 'aria-label': t('campaign.steps') },
    STEPS.map((s, i) => h('li', { 'data-step': s }, h('span', { class: 'step-no', 'aria-hidden': 'true' }, String(i + 1)), t(`campaign.step_${s}`))));
  const err = formError();
  const name = field({ name: 'name', label: t('campaign.name'), id: 'campaign-name', value: c?.name || '', required: true });
  const domain = field({ name: 'domain', label: t('campaign.domain'), type: 'select', id: 'campaign-domain', value: c?.domain || (canWrite('pr') ? 'pr' : domains[0]),
    options: domains.map((d) => [d, word('domain', d)]) });
  const segment = field({ name: 'segment', label: t('campaign.segment'), type: 'select', id: 'campaign-segment', required: true,
    options: [['', t('campaign.segment_choose')], ...[...segs.entries()].map(([id, n]) => [id, n])], value: c?.segment || '', hint: t('campaign.segment_hint') });
  const tpl = field({ name: 'template', label: t('mail.template'), type: 'select', id: 'campaign-template', options: [['', t('mail.template_none')]] });
  const subject = field({ name: 'subject', label: t('mail.subject'), id: 'campaign-subject', value: c?.subject || '', required: true });
  const text = field({ name: 'body', label: t('mail.body'), type: 'textarea', id: 'campaign-body', rows: 12, value: c?.body || '', required: true });
  let tplList = [];
  templates('newsletter').then((list) => {
    tplList = list;
    tpl.hidden = !list.length;
    fill(tpl.input, h('option', { value: '' }, t('mail.template_none')), tplList.map((x) => h('option', { value: x.id }, x.name || x.key)));
  }).catch(() => {});

  const secBasics = h('section', { class: 'card', 'data-step': 'basics', 'aria-labelledby': 'cw-basics-title' },
    h('h2', { id: 'cw-basics-title' }, t('campaign.step_basics')), name, h('div', { class: 'grid-2' }, domain, segment), tpl,
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'primary', id: 'campaign-next-1', onclick: () => toMessage() }, t('campaign.next'))));
  const secMessage = h('section', { class: 'card', 'data-step': 'message', 'aria-labelledby': 'cw-message-title' },
    h('h2', { id: 'cw-message-title' }, t('campaign.step_message')),
    h('p', { class: 'muted' }, t('campaign.message_help')), subject, text, placeholderChips(PH, subject.input, text.input, 'cw-ph'),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'campaign-next-2' }, t('campaign.save_next')),
      h('button', { type: 'button', id: 'campaign-back-1', onclick: () => show('basics') }, t('campaign.back'))));
  const form = h('form', { novalidate: true, id: 'campaign-form' }, err, secBasics, secMessage);
  const secRecipients = h('section', { class: 'card', 'data-step': 'recipients', id: 'campaign-recipients', 'aria-labelledby': 'cw-recipients-title' });
  const secSend = h('section', { class: 'card', 'data-step': 'send', id: 'campaign-send-step', 'aria-labelledby': 'cw-send-title' });
  const delBtn = h('button', { type: 'button', class: 'danger-line', id: 'campaign-delete', hidden: !c, onclick: () => removeDraft() }, t('campaign.delete'));
  const head = pageHead(c ? c.name : t('campaign.new'), delBtn);
  fill(main, head, crumbs, stepList, form, secRecipients, secSend);

  function show(step) {
    for (const li of stepList.children) {
      if (li.dataset.step === step) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    for (const s of [secBasics, secMessage, secRecipients, secSend]) s.hidden = s.dataset.step !== step;
    const hd = main.querySelector(`section[data-step="${step}"] h2`);
    if (hd) {
      hd.setAttribute('tabindex', '-1');
      hd.focus({ preventScroll: false });
    }
  }

  function toMessage() {
    clearErrors(form);
    const errors = [];
    if (!name.input.value.trim()) errors.push({ field: 'name', message: t('error.required') });
    if (!segment.input.value) errors.push({ field: 'segment', message: t('error.required') });
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    const tp = tplList.find((x) => String(x.id) === tpl.input.value);
    if (tp && (!subject.input.value.trim() || !text.input.value.trim() || tp.id !== Number(form.dataset.tpl))) {
      subject.input.value = tp.subject || '';
      text.input.value = tp.body || '';
      form.dataset.tpl = String(tp.id);
    }
    show('message');
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const b = { name: name.input.value.trim(), domain: domain.input.value, segment: Number(segment.input.value) || null, subject: subject.input.value, body: text.input.value };
    const errors = [];
    if (!b.subject.trim()) errors.push({ field: 'subject', message: t('error.required') });
    if (!b.body.trim()) errors.push({ field: 'body', message: t('error.required') });
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    busy(form, async () => {
      try {
        c = c ? await api.patch(`/campaigns/${c.id}`, b, c.version ? { version: c.version } : {}) : await api.post('/campaigns', b);
        history.replaceState(null, '', `/campaigns/${c.id}`);
        delBtn.hidden = false;
        fill(head.querySelector('h1'), c.name);
        fill(crumbs, h('a', { href: '/campaigns' }, t('campaign.title')), ' \u203a ', c.name);
        toast(t('campaign.saved'));
        await recipientsStep();
      } catch (ex) {
        showErrors(form, ex);
        const bad = form.querySelector('[aria-invalid="true"]');
        if (bad && secBasics.contains(bad)) {
          show('basics');
          bad.focus();
        }
      }
    });
  });

  async function recipientsStep() {
    fill(secRecipients, h('h2', { id: 'cw-recipients-title' }, t('campaign.step_recipients')), loading());
    show('recipients');
    let pending;
    let skipped;
    try {
      [pending, skipped] = await Promise.all([recipients(c.id, 'pending', 500), recipients(c.id, 'skipped')]);
    } catch (e) {
      add(secRecipients, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    const counts = pending.counts || skipped.counts || {};
    const willGet = counts.pending ?? pending.items.length;
    const skipN = counts.skipped ?? skipped.items.length;
    fill(secRecipients,
      h('h2', { id: 'cw-recipients-title', tabindex: '-1' }, t('campaign.step_recipients')),
      h('p', { class: 'campaign-count', id: 'campaign-will-get' }, h('strong', String(willGet)), ' ', t('campaign.will_get')),
      pending.items.length ? h('details', { class: 'campaign-pending' },
        h('summary', t('campaign.show_recipients')),
        h('ul', { class: 'plain campaign-parties' }, pending.items.map((x) => h('li', { 'data-party': x.party },
          h('a', { href: `/parties/${x.party}` }, x.name || `#${x.party}`), x.email ? h('span', { class: 'muted mail-addr' }, ` ${x.email}`) : null)))) : null,
      h('p', { class: 'campaign-count', id: 'campaign-skip-count' }, h('strong', String(skipN)), ' ', t('campaign.will_skip')),
      skipped.items.length ? reasonGroups(skipped.items, 'campaign-skip') : null,
      h('p', { class: 'muted' }, t('campaign.decided_at_send')),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'primary', id: 'campaign-next-3', disabled: !willGet, onclick: () => sendStep(willGet) }, t('campaign.next')),
        h('button', { type: 'button', id: 'campaign-back-2', onclick: () => show('message') }, t('campaign.back'))));
    secRecipients.querySelector('h2').focus();
  }

  function sendStep(n) {
    const btn = h('button', { type: 'button', class: 'primary', id: 'campaign-send', onclick: () => send(n, btn) }, t('campaign.send'));
    fill(secSend, h('h2', { id: 'cw-send-title' }, t('campaign.step_send')),
      h('dl', { class: 'props' },
        h('dt', t('campaign.name')), h('dd', c.name),
        h('dt', t('campaign.segment')), h('dd', segs.get(Number(c.segment)) || `#${c.segment}`),
        h('dt', t('mail.subject')), h('dd', c.subject)),
      h('p', t('campaign.send_text', { n })),
      h('div', { class: 'form-actions' }, btn, h('button', { type: 'button', id: 'campaign-back-3', onclick: () => show('recipients') }, t('campaign.back'))));
    show('send');
  }

  async function removeDraft() {
    if (!(await confirmDialog(t('campaign.delete'), t('campaign.delete_text', { name: c.name }), t('campaign.delete')))) return;
    try {
      await api.del(`/campaigns/${c.id}`, c.version ? { version: c.version } : {});
      toast(t('campaign.deleted'));
      ctx.navigate('/campaigns');
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function send(n, btn) {
    if (!(await confirmDialog(t('campaign.confirm_title'), t('campaign.confirm_text', { n, name: c.name }), t('campaign.send')))) return;
    await post(btn);
  }

  // a draft opens at its recipients
  if (c) await recipientsStep();
  else show('basics');
}
