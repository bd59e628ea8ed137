// Admin tab "Systeem" (GET /system): is the server healthy? A badge for the
// overall status (ok or degraded) and each check of /healthz with a label
// (database, storage, disk space, read replica); the version, database
// engine and schema version, since when the server runs, its memory, the
// database's size (SQLite) and the free disk space, the mail and webhook
// queues, the requests answered and the server errors since the start; and
// how to make backups (docs/OPERATIONS.md). "Vernieuwen" asks again.

import { h, fill } from '../dom.js';
import { t, word, fmtDateTime, fmtNumber } from '../i18n.js';
import { api } from '../api.js';
import { errorText } from '../forms.js';
import { errorBox, loading } from '../ui.js';

const CHECKS = ['database', 'storage', 'disk', 'replica'];

// Bytes in human units: "1,2 MB" in Dutch, "1.2 MB" in English.
export function fmtBytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n) || 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fmtNumber(v, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

function badge(ok, text, attrs = {}) {
  return h('span', { class: ['chip', ok ? 'status-on' : 'chip-warn'], ...attrs }, text);
}

// A text with `code` parts (the commands of the backup help).
function withCode(text) {
  return text.split('`').map((part, i) => (i % 2 ? h('code', part) : part));
}

function overview(s) {
  const ok = s.status === 'ok';
  const checks = CHECKS.filter((c) => s.checks?.[c] !== undefined);
  const row = (key, value, id) => [h('dt', t(key)), h('dd', id ? { id } : {}, value)];
  return [
    h('section', { class: 'card', id: 'system-health', 'aria-labelledby': 'system-health-title' },
      h('h2', { id: 'system-health-title' }, t('system.health')),
      h('p', { id: 'system-status' }, badge(ok, word('system.status', s.status), { 'data-status': s.status })),
      h('dl', { class: 'props', id: 'system-checks' },
        checks.map((c) => {
          const v = s.checks[c];
          return [h('dt', t(`system.check.${c}`)),
            h('dd', badge(v === 'ok' || v === 'n/a', word('system.value', v), { 'data-check': c, 'data-value': v }))];
        }))),
    h('section', { class: 'card', id: 'system-facts', 'aria-labelledby': 'system-facts-title' },
      h('h2', { id: 'system-facts-title' }, t('system.server')),
      h('dl', { class: 'props' },
        row('system.version', h('code', s.version), 'system-version'),
        row('system.engine', word('system.engine', s.engine), 'system-engine'),
        row('system.schema_version', String(s.schema_version), 'system-schema'),
        row('system.started_at', fmtDateTime(s.started_at), 'system-started'),
        row('system.memory', t('system.memory_value', { rss: fmtBytes(s.memory?.rss), anon: fmtBytes(s.memory?.anon) }), 'system-memory'),
        s.database ? row('system.database_size', fmtBytes(s.database.size), 'system-db-size') : null,
        s.disk ? row('system.disk_free', t('system.disk_value', { free: fmtBytes(s.disk.free), size: fmtBytes(s.disk.size) }), 'system-disk') : null,
        row('system.queue_mail', fmtNumber(s.outbox?.mail ?? 0), 'system-queue-mail'),
        row('system.queue_webhook', fmtNumber(s.outbox?.webhook ?? 0), 'system-queue-webhook'),
        row('system.requests', fmtNumber(s.requests?.total ?? 0), 'system-requests'),
        row('system.errors', fmtNumber(s.requests?.errors_5xx ?? 0), 'system-errors'))),
    h('section', { class: 'card', id: 'system-backup', 'aria-labelledby': 'system-backup-title' },
      h('h2', { id: 'system-backup-title' }, t('system.backup')),
      h('p', withCode(t('system.backup_help')))),
  ];
}

export async function render(body, ctx) {
  const box = h('div', { id: 'system-overview', 'aria-live': 'polite' }, loading());
  const refresh = h('button', { type: 'button', id: 'system-refresh', onclick: () => load() }, t('system.refresh'));
  async function load() {
    refresh.disabled = true;
    try {
      const s = await api.get('/system');
      if (!ctx.alive()) return;
      fill(box, overview(s));
    } catch (e) {
      if (ctx.alive()) fill(box, errorBox(errorText(e)));
    } finally {
      refresh.disabled = false;
    }
  }
  fill(body, h('div', { class: 'form-actions' }, refresh), box);
  await load();
}
