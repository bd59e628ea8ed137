// Admin screens: users (create, edit access, reset password, disable, their
// API tokens), role types with their attribute schemas, treatment rules with
// a simulate button (own rules deleted, built-in ones switched off), and
// the tabs of admin-*.js (relationship types, pipelines, automations,
// retention, audit trail), each shown when the server has its API.

import { h, clear, fill } from '../dom.js';
import { t, label, word, fmtDateTime } from '../i18n.js';
import { api, qs, roleTypes, forget, hasEndpoint, isAdmin, partyName } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { DOMAINS, pageHead, loading, empty, errorBox, ruleName, ruleDescription } from '../ui.js';
import { canDisableUser } from '../access.js';

const ACCESS = ['none', 'read', 'write', 'full'];
const ATTR_TYPES = ['string', 'text', 'integer', 'number', 'boolean', 'date', 'enum', 'user', 'party'];

// The tabs that live in their own modules (admin-*.js), each shown when the
// server lists its API: [tab, label key, method, path].
const MODULE_TABS = [
  ['relationship-types', 'admin.rel_types', 'POST', '/relationship-types', 'admin-reltypes'],
  ['pipelines', 'admin.pipelines', 'POST', '/pipelines', 'admin-pipelines'],
  ['automations', 'admin.automations', 'POST', '/automations', 'admin-automations'],
  ['retention', 'admin.retention', 'GET', '/retention/rules', 'admin-retention'],
  ['audit', 'admin.audit', 'GET', '/audit', 'admin-audit'],
  ['poortwachter', 'poortwachter.tab', 'PUT', '/poortwachter-steps', 'admin-poortwachter'], // HR absence
  ['checklists', 'checklist.templates', 'GET', '/checklist-templates', 'admin-checklists'], // HR: on- and offboarding templates
  ['jobs', 'jobs.tab', 'GET', '/jobs', 'admin-jobs'], // background jobs: what the server runs daily and monthly
  ['company', 'billing.company_tab', 'PUT', '/settings/company', 'billing-settings'], // quotes and invoices: the company details
  // e-mail: templates, mailboxes (IMAP, BCC address), the outbox with the mail settings
  ['mail-templates', 'mail.templates', 'GET', '/mail-templates', 'admin-mail'],
  ['mailboxes', 'mailbox.tab', 'GET', '/mailboxes', 'admin-mailboxes'],
  ['outbox', 'mail.outbox_tab', 'GET', '/outbox', 'admin-outbox'],
  ['webhooks', 'webhook.tab', 'GET', '/webhooks', 'admin-webhooks'], // sync and webhooks: where xrm posts its events
  ['system', 'system.tab', 'GET', '/system', 'admin-system'], // operations: is the server healthy, its queues, backups
];

export async function render(main, ctx) {
  const [usersList, rules, ...mods] = await Promise.all([hasEndpoint('GET', '/users'), hasEndpoint('GET', '/rules'),
    ...MODULE_TABS.map(([, , m, p]) => hasEndpoint(m, p))]);
  if (!ctx.alive()) return;
  const tabs = [
    ['role-types', t('admin.role_types')],
    ['users', t('admin.users')],
    rules && ['rules', t('admin.rules')],
    ...MODULE_TABS.filter((_, i) => mods[i]).map(([k, key]) => [k, t(key)]),
  ].filter(Boolean);
  let tab = ctx.params[0] || 'role-types';
  if (!tabs.some(([k]) => k === tab)) tab = 'role-types';
  ctx.setTitle(`${t('nav.admin')} \u2013 ${tabs.find(([k]) => k === tab)[1]}`);
  const body = h('div', { class: 'admin-body', id: `admin-${tab}` }, loading());
  fill(main,
    pageHead(t('nav.admin')),
    h('nav', { class: 'tabs admin-tabs', 'aria-label': t('admin.sections') },
      tabs.map(([k, text]) => h('a', { href: `/admin/${k}`, class: 'tab', 'data-tab': k, 'aria-current': k === tab ? 'page' : null }, text))),
    body);
  if (!isAdmin() && tab !== 'role-types') {
    fill(body, errorBox(t('error.forbidden')));
    return;
  }
  const mod = MODULE_TABS.find(([k]) => k === tab);
  if (mod) {
    const m = await import(`./${mod[4]}.js`);
    if (!ctx.alive()) return;
    await m.render(body, ctx);
  } else if (tab === 'users') await usersTab(body, usersList, ctx);
  else if (tab === 'rules') await rulesTab(body, ctx);
  else await roleTypesTab(body);
}

// ---- users --------------------------------------------------------------
// The list of users with their access, and per user: edit (display name,
// admin, access per domain), reset password, disable / enable. Nobody may
// disable their own account (the server refuses it too).
function accessText(u) {
  if (u.admin) return t('admin.all_access');
  const parts = DOMAINS.filter((d) => (u.access?.[d] || 'none') !== 'none').map((d) => `${word('domain', d)}: ${word('access', u.access[d])}`);
  return parts.length ? parts.join(', ') : t('admin.no_access');
}

function accessFields(prefix, current) {
  return DOMAINS.map((d) => field({ name: `${prefix}-access-${d}`, id: `${prefix}-access-${d}`, field: `access.${d}`, label: word('domain', d), type: 'select',
    value: current?.[d] || 'none', options: ACCESS.map((a) => [a, word('access', a)]) }));
}

// A yes/no question in a dialog; resolves true on yes.
export function confirmDialog(title, text, yes) {
  return new Promise((resolve) => {
    let answer = false;
    const dlg = openDialog(title, h('div', { class: 'confirm' }, h('p', text),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'primary', id: 'confirm-yes', onclick: () => { answer = true; dlg.close(); } }, yes),
        h('button', { type: 'button', id: 'confirm-no', onclick: () => dlg.close() }, t('action.cancel')))));
    dlg.addEventListener('close', () => resolve(answer));
  });
}

async function usersTab(body, canList, ctx) {
  let users = null;
  if (canList) {
    try {
      users = (await api.get(qs('/users', { limit: 500 }))).items || [];
    } catch {
      users = null;
    }
  }
  if (!ctx.alive()) return;
  const tbody = h('tbody');
  const replace = (u) => {
    const i = users.findIndex((x) => x.id === u.id);
    if (i >= 0) users[i] = u;
    else users.push(u);
    drawUsers();
  };
  const drawUsers = () => {
    fill(tbody, (users || []).map((u) => h('tr', { 'data-user': u.name, class: u.disabled ? 'user-off' : null },
      h('th', { scope: 'row' }, u.display_name || u.name),
      h('td', { 'data-label': t('admin.login_name') }, h('code', u.name)),
      h('td', { 'data-label': t('admin.access') }, accessText(u)),
      h('td', { 'data-label': t('admin.status') }, h('span', { class: ['chip', u.disabled ? 'status-off' : 'status-on'] }, u.disabled ? t('admin.user_disabled') : t('admin.user_active'))),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small', 'data-act': 'edit', onclick: () => editUser(u, replace) }, t('admin.edit')),
        h('button', { type: 'button', class: 'small', 'data-act': 'password', onclick: () => resetPassword(u) }, t('admin.reset_password')),
        !canDisableUser(u) ? null : h('button', { type: 'button', class: 'small', 'data-act': u.disabled ? 'enable' : 'disable', onclick: () => toggleUser(u, replace) },
          u.disabled ? t('admin.enable') : t('admin.disable'))))));
  };
  const err = formError();
  const name = field({ name: 'name', label: t('admin.login_name'), required: true, id: 'nu-name', attrs: { autocapitalize: 'none' } });
  const display = field({ name: 'display_name', label: t('admin.display_name'), id: 'nu-display' });
  const pw = field({ name: 'password', label: t('auth.password'), type: 'password', required: true, id: 'nu-password', autocomplete: 'new-password', hint: t('admin.password_hint') });
  const admin = field({ name: 'admin', label: t('admin.admin'), type: 'checkbox', id: 'nu-admin' });
  const access = accessFields('nu', {});
  const form = h('form', { class: 'card', novalidate: true, id: 'user-form', 'aria-labelledby': 'nu-title' },
    h('h2', { id: 'nu-title' }, t('admin.new_user')), err,
    h('div', { class: 'grid-3' }, name, display, pw), admin,
    h('fieldset', h('legend', t('admin.access')), h('div', { class: 'grid-3' }, access)),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const payload = { name: name.input.value.trim(), password: pw.input.value, admin: admin.input.checked,
      access: Object.fromEntries(DOMAINS.map((d, i) => [d, access[i].input.value])) };
    if (display.input.value.trim()) payload.display_name = display.input.value.trim();
    busy(form, async () => {
      try {
        const u = await api.post('/users', payload);
        toast(t('admin.user_created', { name: u.name || payload.name }));
        form.reset();
        clearErrors(form);
        if (users) replace(u);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  drawUsers();
  fill(body,
    users ? h('section', { class: 'card', 'aria-labelledby': 'users-title' }, h('h2', { id: 'users-title' }, t('admin.users')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'users-table' },
        h('thead', h('tr', [t('admin.display_name'), t('admin.login_name'), t('admin.access'), t('admin.status')].map((x) => h('th', { scope: 'col' }, x)),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('admin.actions'))))),
        tbody))) : h('p', { class: 'muted' }, t('admin.users_nolist')),
    form);
}

async function editUser(listed, done) {
  // the user as stored now (another administrator may have changed it)
  let u = listed;
  try {
    u = await api.get(`/users/${listed.id}`);
  } catch (e) {
    toast(errorText(e), 'error');
    return;
  }
  const err = formError();
  const display = field({ name: 'display_name', label: t('admin.display_name'), value: u.display_name || '', id: 'eu-display' });
  const admin = field({ name: 'admin', label: t('admin.admin'), type: 'checkbox', value: !!u.admin, id: 'eu-admin' });
  const disabled = field({ name: 'disabled', label: t('admin.user_disabled'), type: 'checkbox', value: !!u.disabled, id: 'eu-disabled',
    hint: canDisableUser(u) ? null : t('admin.no_self_disable'), attrs: { disabled: !canDisableUser(u) } });
  const access = accessFields('eu', u.access);
  const form = h('form', { class: 'user-edit', novalidate: true, id: 'user-edit' }, err,
    h('p', h('code', u.name)), display, admin, disabled,
    h('fieldset', h('legend', t('admin.access')), h('div', { class: 'grid-3' }, access)),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))),
    userTokens(u));
  const dlg = openDialog(t('admin.edit_user', { name: u.display_name || u.name }), form, { wide: true });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const patch = { display_name: display.input.value.trim(), admin: admin.input.checked,
      access: Object.fromEntries(DOMAINS.map((d, i) => [d, access[i].input.value])) };
    if (canDisableUser(u)) patch.disabled = disabled.input.checked;
    busy(form, async () => {
      try {
        const nu = await api.patch(`/users/${u.id}`, patch);
        toast(t('action.saved'));
        dlg.close();
        done(nu);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

// The user's API tokens (GET /users/{id}/tokens) in the edit dialog: name,
// created, expires, revoke (DELETE /tokens/{id}); sign-in sessions counted.
function userTokens(u) {
  const box = h('section', { class: 'user-tokens', id: 'user-tokens', 'aria-labelledby': 'ut-title' },
    h('h3', { id: 'ut-title', class: 'h4' }, t('gaps.user_tokens')), loading());
  let items = [];
  const draw = () => {
    const toks = items.filter((x) => x.kind === 'api');
    fill(box, h('h3', { id: 'ut-title', class: 'h4' }, t('gaps.user_tokens')),
      toks.length ? h('ul', { class: 'plain token-list' }, toks.map((x) => h('li', { 'data-token': x.name || '' },
        h('strong', x.name || t('settings.token_unnamed')),
        h('span', { class: 'muted' }, ` \u00b7 ${t('settings.token_created')} ${fmtDateTime(x.created_at)} \u00b7 ${t('settings.token_expires')} ${x.expires_at ? fmtDateTime(x.expires_at) : t('settings.never')} `),
        h('button', { type: 'button', class: 'small danger-line', 'data-act': 'revoke', 'aria-label': `${t('settings.token_revoke')}: ${x.name || t('settings.token_unnamed')}`, onclick: () => revoke(x) }, t('settings.token_revoke')))))
        : h('p', { class: 'muted', id: 'ut-none' }, t('gaps.user_no_tokens')),
      h('p', { class: 'muted', id: 'ut-sessions' }, t('settings.sessions', { n: items.length - toks.length })));
  };
  const reload = async () => {
    try {
      items = (await api.get(`/users/${u.id}/tokens`)).items || [];
      draw();
    } catch (e) {
      fill(box, errorBox(errorText(e)));
    }
  };
  async function revoke(x) {
    const name = x.name || t('settings.token_unnamed');
    if (!(await confirmDialog(t('settings.token_revoke'), t('gaps.user_token_revoke_question', { name, user: u.display_name || u.name }), t('settings.token_revoke')))) return;
    try {
      await api.del(`/tokens/${x.id}`);
      toast(t('settings.token_revoked'));
      await reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  reload();
  return box;
}

function resetPassword(u) {
  const err = formError();
  const pw = field({ name: 'password', label: t('admin.new_password'), type: 'password', required: true, id: 'rp-password', autocomplete: 'new-password', hint: t('admin.password_hint') });
  const form = h('form', { novalidate: true, id: 'reset-password' }, err,
    h('p', t('admin.reset_intro', { name: u.display_name || u.name })), pw,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('admin.reset_password'))));
  const dlg = openDialog(t('admin.reset_password'), form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await api.patch(`/users/${u.id}`, { password: pw.input.value });
        pw.input.value = '';
        toast(t('admin.password_reset', { name: u.display_name || u.name }));
        dlg.close();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
}

async function toggleUser(u, done) {
  const off = !u.disabled;
  if (off && !(await confirmDialog(t('admin.disable_title'), t('admin.disable_question', { name: u.display_name || u.name }), t('admin.disable')))) return;
  try {
    done(await api.patch(`/users/${u.id}`, { disabled: off }));
    toast(off ? t('admin.user_now_disabled', { name: u.name }) : t('admin.user_now_enabled', { name: u.name }));
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

// ---- role types ---------------------------------------------------------
async function roleTypesTab(body) {
  forget('/role-types');
  const types = await roleTypes();
  const list = h('div', { class: 'rt-list' });
  const draw = (items) => fill(list, items.map((rt) => h('article', { class: ['card', 'rt', `dom-edge-${rt.domain}`], 'data-role-type': rt.name },
    h('h3', label(rt.label, rt.name), ' ', h('code', { class: 'muted' }, rt.name), rt.builtin ? h('span', { class: 'chip' }, t('admin.builtin')) : null),
    h('p', { class: 'muted' }, `${t('activity.domain')}: ${word('domain', rt.domain)} \u00b7 ${t('admin.statuses')}: `,
      rt.statuses.map((s) => `${word('status', s)}${(rt.ended_statuses || []).includes(s) ? ` (${t('admin.ended')})` : ''}`).join(', ')),
    rt.attributes?.length ? h('details', h('summary', t('admin.attr_count', { n: rt.attributes.length })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
        h('thead', h('tr', [t('field.name'), t('admin.label'), t('admin.type'), t('admin.flags')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', rt.attributes.map((a) => h('tr',
          h('td', { 'data-label': t('field.name') }, h('code', a.name)),
          h('td', { 'data-label': t('admin.label') }, label(a.label, a.name)),
          h('td', { 'data-label': t('admin.type') }, word('attrtype', a.type), a.values ? `: ${a.values.join(', ')}` : '', a.min !== undefined || a.max !== undefined ? ` [${a.min ?? ''}\u2013${a.max ?? ''}]` : ''),
          h('td', { 'data-label': t('admin.flags') }, [a.required && t('admin.required'), a.sensitive && t('admin.sensitive')].filter(Boolean).join(', ')))))))) : h('p', { class: 'muted' }, t('admin.no_attrs')))));
  draw(types);

  // the create form, with one row per attribute
  const err = formError();
  const f = (name, o = {}) => field({ name, label: t(`admin.f_${name}`), id: `rt-${name}`, ...o });
  const fName = f('name', { required: true, hint: t('admin.name_hint') });
  const fDomain = f('domain', { type: 'select', options: DOMAINS.map((d) => [d, word('domain', d)]) });
  const fEn = f('label_en', { field: 'label.en' });
  const fNl = f('label_nl', { field: 'label.nl' });
  const fStatuses = f('statuses', { required: true, value: 'active, former', hint: t('admin.list_hint') });
  const fDefault = f('default_status', { value: 'active' });
  const fEnded = f('ended_statuses', { value: 'former', hint: t('admin.list_hint') });
  const rows = h('div', { class: 'rows' });
  const reindex = () => [...rows.children].forEach((row, i) => {
    for (const el of row.querySelectorAll('[data-col]')) el.dataset.field = el.dataset.col.startsWith('label.') ? `attributes[${i}].${el.dataset.col}` : `attributes[${i}].${el.dataset.col}`;
  });
  let n = 0;
  function addAttr() {
    n += 1;
    const k = n;
    const typeF = field({ name: `a-type-${k}`, label: t('admin.type'), type: 'select', options: ATTR_TYPES.map((x) => [x, word('attrtype', x)]), attrs: { 'data-col': 'type' } });
    const valuesF = field({ name: `a-values-${k}`, label: t('admin.values'), hint: t('admin.list_hint'), attrs: { 'data-col': 'values' } });
    valuesF.hidden = true;
    typeF.input.addEventListener('change', () => { valuesF.hidden = typeF.input.value !== 'enum'; });
    const row = h('div', { class: 'le-row attr-row' },
      field({ name: `a-name-${k}`, label: t('field.name'), attrs: { 'data-col': 'name' } }),
      typeF,
      field({ name: `a-en-${k}`, label: t('admin.f_label_en'), attrs: { 'data-col': 'label.en' } }),
      field({ name: `a-nl-${k}`, label: t('admin.f_label_nl'), attrs: { 'data-col': 'label.nl' } }),
      valuesF,
      field({ name: `a-req-${k}`, label: t('admin.required'), type: 'checkbox', attrs: { 'data-col': 'required' } }),
      field({ name: `a-sens-${k}`, label: t('admin.sensitive'), type: 'checkbox', attrs: { 'data-col': 'sensitive' } }),
      h('button', { type: 'button', class: 'icon-btn le-remove', 'aria-label': t('action.remove'), onclick: () => { row.remove(); reindex(); } }, '\u00d7'));
    rows.append(row);
    reindex();
  }
  const words_ = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const form = h('form', { class: 'card', novalidate: true, id: 'role-type-form', 'aria-labelledby': 'rt-title' },
    h('h2', { id: 'rt-title' }, t('admin.new_role_type')), err,
    h('div', { class: 'grid-2' }, fName, fDomain, fEn, fNl),
    h('div', { class: 'grid-3' }, fStatuses, fDefault, fEnded),
    h('fieldset', { class: 'list-editor' }, h('legend', t('role.attributes')), h('span', { 'data-field': 'attributes', id: 'rt-attrs', hidden: true }),
      h('p', { class: 'field-error', id: 'rt-attrs-error', hidden: true, role: 'alert' }), rows,
      h('button', { type: 'button', class: 'small', id: 'add-attr', onclick: addAttr }, t('admin.add_attr'))),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const row of [...rows.children]) if (!row.querySelector('[data-col="name"]').value.trim()) row.remove();
    reindex();
    const payload = {
      name: fName.input.value.trim(),
      domain: fDomain.input.value,
      label: { en: fEn.input.value.trim() || undefined, nl: fNl.input.value.trim() || undefined },
      statuses: words_(fStatuses.input.value),
      ended_statuses: words_(fEnded.input.value),
      attributes: [...rows.children].map((row) => {
        const v = (c) => row.querySelector(`[data-col="${c}"]`);
        const a = { name: v('name').value.trim(), type: v('type').value, required: v('required').checked, sensitive: v('sensitive').checked };
        const en = v('label.en').value.trim();
        const nl = v('label.nl').value.trim();
        if (en || nl) a.label = { en: en || undefined, nl: nl || undefined };
        if (a.type === 'enum') a.values = words_(v('values').value);
        return a;
      }),
    };
    if (fDefault.input.value.trim()) payload.default_status = fDefault.input.value.trim();
    if (!payload.label.en && !payload.label.nl) delete payload.label;
    busy(form, async () => {
      try {
        const rt = await api.post('/role-types', payload);
        toast(t('admin.role_type_created', { name: label(rt.label, rt.name) }));
        form.reset();
        clear(rows);
        forget('/role-types');
        draw(await roleTypes());
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  fill(body, isAdmin() ? form : null, h('h2', t('admin.role_types')), list);
}

// ---- rules --------------------------------------------------------------
async function rulesTab(body, ctx) {
  let rules;
  try {
    rules = (await api.get('/rules')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const list = h('div', { class: 'rule-list' });
  const result = h('div', { class: 'sim-result', 'aria-live': 'polite', id: 'sim-result' });
  let editing = null;
  let sim = null;
  const pretty = (v) => JSON.stringify(v ?? {}, null, 2);
  const draw = () => fill(list, rules.length ? rules.map((r) => h('article', { class: ['card', 'rule', !r.enabled && 'rule-off'] },
    h('div', { class: 'role-head' },
      h('h3', ruleName(r.name)),
      h('span', { class: 'chip' }, word('rulekind', r.kind)),
      h('span', { class: ['chip', r.enabled ? 'status-on' : 'status-off'] }, r.enabled ? t('admin.enabled') : t('admin.disabled'))),
    ruleDescription(r) ? h('p', { class: 'muted' }, ruleDescription(r)) : null,
    h('details', h('summary', t('admin.rule_details')),
      h('div', { class: 'grid-2' }, h('div', h('h4', t('admin.when')), h('pre', pretty(r.when))), h('div', h('h4', t('admin.then')), h('pre', pretty(r.then))))),
    h('div', { class: 'role-actions' },
      h('button', { type: 'button', class: 'small', onclick: () => load(r) }, t('admin.edit_rule')),
      h('button', { type: 'button', class: 'small', onclick: () => toggle(r) }, r.enabled ? t('admin.disable') : t('admin.enable')),
      r.builtin ? null : h('button', { type: 'button', class: 'small danger-line', 'data-act': 'delete-rule', 'aria-label': `${t('admin.delete')}: ${r.name}`, onclick: () => removeRule(r) }, t('admin.delete'))))) : empty(t('admin.no_rules')));

  // Deleting a rule of one's own after a confirmation, with its current
  // version (GET /rules/{id}); built-in rules are switched off instead.
  async function removeRule(r) {
    if (!(await confirmDialog(t('gaps.rule_delete_title'), t('gaps.rule_delete_question', { name: r.name }), t('admin.delete')))) return;
    try {
      const cur = await api.get(`/rules/${r.id}`);
      await api.del(`/rules/${r.id}`, { version: cur.version });
      rules = rules.filter((x) => x.id !== r.id);
      if (editing?.id === r.id) load(null);
      draw();
      toast(t('gaps.rule_deleted', { name: r.name }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function toggle(r) {
    try {
      const nr = await api.patch(`/rules/${r.id}`, { enabled: !r.enabled }, { version: r.version });
      Object.assign(r, nr || { enabled: !r.enabled });
      draw();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  const err = formError();
  const fName = field({ name: 'name', label: t('field.name'), required: true, id: 'rule-name' });
  const fKind = field({ name: 'kind', label: t('admin.kind'), type: 'select', id: 'rule-kind', options: ['treatment', 'constraint'].map((k) => [k, word('rulekind', k)]) });
  const fWhen = field({ name: 'when', label: t('admin.when'), type: 'textarea', rows: 6, id: 'rule-when', value: pretty({ all_roles: ['partner', 'customer'] }), attrs: { class: 'mono', spellcheck: 'false' } });
  const fThen = field({ name: 'then', label: t('admin.then'), type: 'textarea', rows: 6, id: 'rule-then', value: pretty({ priority: 'high', badges: ['Partner + klant'] }), attrs: { class: 'mono', spellcheck: 'false' } });
  const fEnabled = field({ name: 'enabled', label: t('admin.enabled'), type: 'checkbox', id: 'rule-enabled', value: true });
  const heading = h('h2', { id: 'rule-form-title' }, t('admin.new_rule'));
  const form = h('form', { class: 'card', novalidate: true, id: 'rule-form', 'aria-labelledby': 'rule-form-title' },
    heading, err, h('div', { class: 'grid-2' }, fName, fKind), h('div', { class: 'grid-2' }, fWhen, fThen), fEnabled,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', id: 'simulate', onclick: simulate }, t('admin.simulate')),
      h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => load(null) }, t('admin.new_rule'))),
    result);

  function load(r) {
    editing = r;
    heading.textContent = r ? t('admin.edit_rule_title', { name: r.name }) : t('admin.new_rule');
    fName.input.value = r ? r.name : '';
    fKind.input.value = r ? r.kind : 'treatment';
    fWhen.input.value = pretty(r ? r.when : {});
    fThen.input.value = pretty(r ? r.then : {});
    fEnabled.input.checked = r ? !!r.enabled : true;
    clearErrors(form);
    clear(result);
    form.scrollIntoView({ block: 'start' });
    fName.input.focus();
  }

  function draft() {
    const errors = [];
    const parse = (f, key) => {
      try {
        return JSON.parse(f.input.value || '{}');
      } catch (e) {
        errors.push({ field: key, message: t('admin.bad_json', { msg: e.message }) });
        return null;
      }
    };
    const rule = { name: fName.input.value.trim(), kind: fKind.input.value, when: parse(fWhen, 'when'), then: parse(fThen, 'then'), enabled: fEnabled.input.checked };
    if (errors.length) {
      showErrors(form, { errors });
      return null;
    }
    return rule;
  }

  // Scans every party page by page (up to 40 pages per click) and lists the changes.
  async function simulate(cursor) {
    const rule = draft();
    if (!rule) return;
    if (editing) rule.id = editing.id;
    clearErrors(form);
    const more = typeof cursor === 'string';
    if (!more) {
      sim = { scanned: 0, items: [], next: null };
      fill(result, loading());
    }
    try {
      let next = more ? cursor : null;
      for (let page = 0; page < 40; page++) {
        const r = await api.post(qs('/rules/simulate', { cursor: next, limit: 500 }), rule);
        sim.scanned += r.scanned || 0;
        sim.items.push(...(r.items || []));
        next = r.next || null;
        if (!next) break;
      }
      sim.next = next;
      fill(result, simResult(sim, (n) => h('button', { type: 'button', class: 'small', onclick: () => simulate(n) }, t('admin.sim_more'))));
    } catch (e) {
      clear(result);
      showErrors(form, e);
    }
  }

  // {"rule", "scanned", "next", "items": [{"party": {id, name}, "before": {treatment, broken}, "after": {...}}]}
  function simResult(r, cursorBtn) {
    const items = Array.isArray(r) ? r : r.items || [];
    const out = [h('h3', t('admin.sim_title'))];
    if (r.scanned !== undefined) out.push(h('p', { class: 'muted' }, t('admin.sim_scanned', { n: r.scanned })));
    out.push(h('p', { id: 'sim-count' }, t('admin.sim_count', { n: items.length })));
    const tr = (x) => x?.treatment || x || {};
    const badges = (x) => (tr(x).badges || []).map((b) => label(b));
    const desc = (x) => {
      const parts = [word('priority', tr(x).priority || 'normal')];
      const b = badges(x);
      if (b.length) parts.push(b.join(', '));
      if (x?.broken?.length) parts.push(`${t('admin.breaks')}: ${x.broken.join(', ')}`);
      return parts.join(' \u00b7 ');
    };
    if (items.length) {
      out.push(h('ul', { class: 'sim-list' }, items.map((it) => {
        const p = it.party && typeof it.party === 'object' ? it.party : { id: it.party ?? it.id, name: it.name };
        const link = h('a', { href: `/parties/${p.id}` }, p.name || `#${p.id}`);
        if (!p.name && p.id) partyName(p.id).then((nm) => { link.textContent = nm; });
        return h('li', link, h('span', { class: 'muted' }, ` ${desc(it.before)} \u2192 `), h('strong', desc(it.after)));
      })));
    }
    if (r.next && cursorBtn) out.push(cursorBtn(r.next));
    return out;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const rule = draft();
    if (!rule) return;
    busy(form, async () => {
      try {
        if (editing) {
          const nr = await api.patch(`/rules/${editing.id}`, rule, { version: editing.version });
          Object.assign(editing, nr || rule);
        } else {
          rules.push(await api.post('/rules', rule));
        }
        toast(t('action.saved'));
        draw();
        load(null);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  draw();
  fill(body, isAdmin() ? form : null, h('h2', t('admin.rules')), list);
}
