// Admin tab "Webhooks" (GET /webhooks): the addresses xrm posts its events to,
// each with its events (per record: created, updated, deleted; or all
// events), its domains (none: every domain its owner may read), on/off and
// what was delivered, is waiting and went dead. A new webhook's secret (the
// key of the X-Xrm-Signature HMAC) is shown once, with a copy button: the
// server never sends it back. "Test" queues a ping; "Afleveringen" opens the
// delivery log (filter by status) where a delivery, or every dead one, can be
// sent again.

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime } from '../i18n.js';
import { api, qs } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { DOMAINS, empty, errorBox, loading } from '../ui.js';
import { confirmDialog } from './admin.js';
import { secretBox } from './settings.js';

export const RECORDS = ['party', 'role', 'activity', 'deal', 'case', 'agreement', 'invoice'];
export const ACTIONS = ['created', 'updated', 'deleted'];
const STATUSES = ['pending', 'delivered', 'dead'];

function eventsText(events) {
  if (!events || !events.length || events.includes('*')) return t('webhook.all_events');
  return events.map((e) => {
    const [rec, act] = e.split('.');
    return act ? `${word('webhook.record', rec)} ${word('webhook.action', act).toLowerCase()}` : word('webhook.event', e);
  }).join(', ');
}

function domainsText(domains) {
  return domains && domains.length ? domains.map((d) => word('domain', d)).join(', ') : t('webhook.all_domains');
}

function statusChip(s) {
  const cls = s === 'delivered' ? 'status-on' : s === 'dead' ? 'chip-warn' : null;
  return h('span', { class: ['chip', 'delivery-status', cls], 'data-status': s }, word('webhook.status', s));
}

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get(qs('/webhooks', { limit: 500 }))).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const list = h('div', { id: 'webhook-list' });
  const created = h('div', { id: 'webhook-created', 'aria-live': 'polite' });
  const save = (w) => {
    const i = items.findIndex((x) => x.id === w.id);
    if (i >= 0) items[i] = w;
    else items.push(w);
    draw();
  };
  const refreshOne = async (w) => {
    try {
      save(await api.get(`/webhooks/${w.id}`));
    } catch {
      /* the list keeps what it had */
    }
  };
  async function remove(w) {
    if (!(await confirmDialog(t('webhook.delete'), t('webhook.delete_text', { url: w.url }), t('webhook.delete')))) return;
    try {
      await api.del(`/webhooks/${w.id}`);
      items = items.filter((x) => x.id !== w.id);
      fill(created);
      draw();
      toast(t('webhook.deleted'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  async function ping(w, btn) {
    btn.disabled = true;
    try {
      await api.post(`/webhooks/${w.id}/test`);
      toast(t('webhook.test_queued'));
      await refreshOne(w);
    } catch (e) {
      toast(errorText(e), 'error');
      btn.disabled = false;
    }
  }
  function draw() {
    fill(list, items.length ? h('ul', { class: 'cards webhook-cards' }, items.map((w) => {
      const testBtn = h('button', { type: 'button', class: 'small', 'data-act': 'test', onclick: () => ping(w, testBtn) }, t('webhook.test'));
      const st = w.stats || {};
      return h('li', { class: 'card webhook-card', 'data-webhook': w.id },
        h('h3', { class: 'h4 webhook-url' }, h('code', w.url), ' ',
          h('span', { class: ['chip', w.enabled ? 'status-on' : 'status-off'] }, w.enabled ? t('webhook.enabled') : t('webhook.disabled'))),
        w.description ? h('p', { class: 'muted' }, w.description) : null,
        h('dl', { class: 'props' },
          h('dt', t('webhook.events')), h('dd', { class: 'webhook-events' }, eventsText(w.events)),
          h('dt', t('webhook.domains')), h('dd', domainsText(w.domains)),
          w.owner ? [h('dt', t('webhook.owner')), h('dd', w.owner.name || `#${w.owner.id}`)] : null,
          h('dt', t('webhook.stats')), h('dd', { class: 'webhook-stats' },
            h('span', { class: 'chip status-on', 'data-stat': 'delivered' }, t('webhook.stat_delivered', { n: st.delivered ?? 0 })), ' ',
            h('span', { class: 'chip', 'data-stat': 'pending' }, t('webhook.stat_pending', { n: st.pending ?? 0 })), ' ',
            h('span', { class: ['chip', st.failed ? 'chip-warn' : null], 'data-stat': 'dead' }, t('webhook.stat_dead', { n: st.failed ?? 0 }))),
          h('dt', t('webhook.updated_at')), h('dd', fmtDateTime(w.updated_at || w.created_at))),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'small', 'data-act': 'deliveries', onclick: () => deliveries(w, () => refreshOne(w)) }, t('webhook.deliveries')),
          testBtn,
          h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => editWebhook(w, save) }, t('admin.edit')),
          h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete', onclick: () => remove(w) }, t('webhook.delete'))));
    })) : empty(t('webhook.none')));
  }
  const onCreated = (w, secret) => {
    save(w);
    fill(created, secret ? h('div', { class: 'card secret-card', id: 'webhook-secret-card' },
      secretBox('webhook-secret', t('webhook.secret_for', { url: w.url }), secret),
      h('p', { class: 'hint' }, t('webhook.secret_once'))) : null);
    created.querySelector('input')?.focus();
  };
  draw();
  fill(body, h('section', { class: 'card', 'aria-labelledby': 'webhook-title' },
    h('div', { class: 'mail-head' },
      h('h2', { id: 'webhook-title' }, t('webhook.tab')),
      h('button', { type: 'button', class: 'primary', id: 'webhook-new', onclick: () => editWebhook(null, onCreated) }, t('webhook.new'))),
    h('p', { class: 'muted' }, t('webhook.intro')), created, list));
}

// The create / edit dialog. onSaved(webhook, secret) gets the generated
// secret (create only) to show once.
function editWebhook(w, onSaved) {
  const err = formError();
  const url = field({ name: 'url', label: t('webhook.url'), id: 'wh-url', value: w?.url || '', required: true, hint: t('webhook.url_hint'),
    attrs: { inputmode: 'url', autocapitalize: 'none', spellcheck: 'false', maxlength: '2048' } });
  const all = !w || !w.events?.length || w.events.includes('*');
  const allBox = field({ name: 'events_all', field: 'events', label: t('webhook.all_events'), type: 'checkbox', id: 'wh-events-all', value: all });
  const boxes = [];
  const grid = h('div', { class: 'webhook-event-grid', id: 'wh-event-grid' }, RECORDS.map((rec) => h('fieldset', { class: 'webhook-rec' },
    h('legend', word('webhook.record', rec)),
    ACTIONS.map((act) => {
      const ev = `${rec}.${act}`;
      const f = field({ name: `ev-${ev}`, field: 'events', label: word('webhook.action', act), type: 'checkbox', id: `wh-ev-${rec}-${act}`,
        value: !all && (w?.events || []).includes(ev) });
      f.input.dataset.event = ev;
      boxes.push(f.input);
      return f;
    }))));
  const syncAll = () => {
    for (const b of boxes) b.disabled = allBox.input.checked;
    grid.classList.toggle('is-off', allBox.input.checked);
  };
  allBox.input.addEventListener('change', syncAll);
  syncAll();
  const doms = DOMAINS.map((d) => field({ name: `dom-${d}`, field: 'domains', label: word('domain', d), type: 'checkbox', id: `wh-dom-${d}`,
    value: (w?.domains || []).includes(d) }));
  const desc = field({ name: 'description', label: t('webhook.description'), id: 'wh-description', value: w?.description || '', type: 'textarea', rows: 2 });
  const secret = field({ name: 'secret', label: w ? t('webhook.secret_new') : t('webhook.secret'), type: 'password', id: 'wh-secret',
    autocomplete: 'new-password', hint: w ? t('webhook.secret_keep') : t('webhook.secret_hint') });
  const enabled = field({ name: 'enabled', label: t('webhook.enabled'), type: 'checkbox', id: 'wh-enabled', value: w ? !!w.enabled : true });
  const form = h('form', { novalidate: true, id: 'webhook-form' }, err, url,
    h('fieldset', { class: 'webhook-events-set' }, h('legend', t('webhook.events')), allBox, grid),
    h('fieldset', { class: 'checks webhook-domains-set' }, h('legend', t('webhook.domains')), h('p', { class: 'hint' }, t('webhook.domains_hint')), h('div', { class: 'webhook-dom-grid' }, doms)),
    desc, secret, enabled,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, w ? t('action.save') : t('action.create')),
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(w ? t('webhook.edit') : t('webhook.new'), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const events = allBox.input.checked ? ['*'] : boxes.filter((b) => b.checked).map((b) => b.dataset.event);
    const b = {
      url: url.input.value.trim(), events,
      domains: DOMAINS.filter((d, i) => doms[i].input.checked),
      description: desc.input.value.trim(), enabled: enabled.input.checked,
    };
    if (secret.input.value) b.secret = secret.input.value;
    const errors = [];
    if (!b.url) errors.push({ field: 'url', message: t('error.required') });
    else if (!/^https?:\/\/[^\s/]+/i.test(b.url)) errors.push({ field: 'url', message: t('webhook.url_bad') });
    if (!events.length) errors.push({ field: 'events', message: t('webhook.events_none') });
    if (errors.length) {
      showErrors(form, { errors });
      return;
    }
    busy(form, async () => {
      try {
        const r = w ? await api.patch(`/webhooks/${w.id}`, b, w.version ? { version: w.version } : {}) : await api.post('/webhooks', b);
        dlg.close();
        const { secret: once, ...hook } = r;
        onSaved(hook, w ? null : (b.secret ? null : once));
        toast(w ? t('action.saved') : t('webhook.created'));
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

// The delivery log of one webhook in a dialog: status filter, paged; "Opnieuw
// versturen" per delivery and for every dead one.
function deliveries(w, onChange) {
  const status = field({ name: 'status', label: t('webhook.status_filter'), type: 'select', id: 'wh-delivery-status', value: '',
    options: [['', t('webhook.status_all')], ...STATUSES.map((s) => [s, word('webhook.status', s)])] });
  const tbody = h('tbody');
  const cols = ['webhook.d_event', 'webhook.d_status', 'webhook.d_attempts', 'webhook.d_last', 'webhook.d_when'];
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'delivery-table' },
    h('caption', { class: 'sr-only' }, t('webhook.deliveries')),
    h('thead', h('tr', cols.map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('admin.actions'))))),
    tbody));
  const box = h('div', { id: 'delivery-list' }, loading());
  const more = h('button', { type: 'button', id: 'delivery-more', hidden: true, onclick: () => load(false) }, t('mail.outbox_more'));
  const replayAll = h('button', { type: 'button', id: 'delivery-replay-dead', onclick: () => replayDead() }, t('webhook.replay_dead'));
  const result = h('p', { class: 'hint', id: 'delivery-result', role: 'status' });
  let rows = [];
  let next = null;

  const row = (d) => h('tr', { 'data-delivery': d.id, 'data-status': d.status },
    h('td', { 'data-label': t('webhook.d_event') }, h('code', d.event || '')),
    h('td', { 'data-label': t('webhook.d_status') }, statusChip(d.status)),
    h('td', { 'data-label': t('webhook.d_attempts') }, String(d.attempts ?? 0)),
    h('td', { 'data-label': t('webhook.d_last'), class: 'delivery-last' },
      d.last_status === null || d.last_status === undefined ? null : h('span', { class: 'delivery-code' }, t('webhook.d_http', { code: d.last_status })),
      d.last_error && d.last_error !== `HTTP ${d.last_status}` ? h('span', { class: 'outbox-error' }, d.last_error) : null),
    h('td', { 'data-label': t('webhook.d_when'), class: 'delivery-when' },
      h('span', t('webhook.d_created_at', { at: fmtDateTime(d.created_at) })),
      d.delivered_at ? h('span', t('webhook.d_delivered_at', { at: fmtDateTime(d.delivered_at) })) : null,
      d.status === 'pending' && d.next_at ? h('span', t('webhook.d_next_at', { at: fmtDateTime(d.next_at) })) : null),
    h('td', { class: 'row-actions' }, d.status === 'dead' || d.status === 'delivered'
      ? h('button', { type: 'button', class: 'small', 'data-act': 'replay', onclick: (e) => replay(d, e.target) }, t('webhook.replay')) : null));

  async function replay(d, btn) {
    btn.disabled = true;
    try {
      const r = await api.post(`/webhooks/${w.id}/deliveries/${d.id}/replay`);
      const i = rows.findIndex((x) => x.id === d.id);
      if (i >= 0) rows[i] = r && r.id ? r : { ...d, status: 'pending', attempts: 0 };
      fill(tbody, rows.map(row));
      result.textContent = t('webhook.replayed_one');
      onChange();
    } catch (e) {
      btn.disabled = false;
      result.textContent = errorText(e);
    }
  }
  async function replayDead() {
    replayAll.disabled = true;
    try {
      const r = await api.post(`/webhooks/${w.id}/replay`, { status: 'dead' });
      result.textContent = t('webhook.replayed', { n: r?.replayed ?? 0 });
      onChange();
      await load(true);
    } catch (e) {
      result.textContent = errorText(e);
    } finally {
      replayAll.disabled = false;
    }
  }
  async function load(reset) {
    let r;
    try {
      r = await api.get(qs(`/webhooks/${w.id}/deliveries`, { status: status.input.value, limit: 50, cursor: reset ? null : next }));
    } catch (e) {
      fill(box, errorBox(errorText(e)));
      return;
    }
    if (reset) rows = [];
    rows.push(...(r.items || []));
    next = r.next || null;
    more.hidden = !next;
    fill(tbody, rows.map(row));
    fill(box, rows.length ? table : empty(t('webhook.no_deliveries')));
  }
  status.input.addEventListener('change', () => load(true));
  const refresh = h('button', { type: 'button', id: 'delivery-refresh', onclick: () => load(true) }, t('webhook.refresh'));
  openDialog(t('webhook.deliveries_of', { url: w.url }), h('div', { class: 'webhook-deliveries' },
    h('div', { class: 'filters' }, status, h('div', { class: 'form-actions' }, refresh, replayAll)), result, box, more), { wide: true });
  load(true);
}
