// Form fields with labels and error slots, dialogs and toasts. Field errors
// from the API (problem+json errors[].field, e.g. "iban", "emails[0].value",
// "attributes.salary") are shown next to the input whose data-field matches,
// or the closest enclosing one; the rest go to the form's error line.

import { h, clear, fill, nextId } from './dom.js';
import { t } from './i18n.js';

// field({name, label, type, value, options: [[value, text]], required, hint})
export function field(o) {
  const id = o.id || nextId('f');
  const errId = `${id}-error`;
  let input;
  const common = {
    id,
    name: o.name,
    'data-field': o.field || o.name,
    required: o.required,
    'aria-describedby': o.hint ? `${errId} ${id}-hint` : errId,
    ...(o.attrs || {}),
  };
  if (o.type === 'select') {
    input = h('select', common,
      (o.options || []).map(([v, text]) => h('option', { value: v, selected: String(v) === String(o.value ?? '') }, text)));
  } else if (o.type === 'textarea') {
    input = h('textarea', { ...common, rows: o.rows || 3 });
    input.defaultValue = o.value ?? '';
    input.value = o.value ?? '';
  } else if (o.type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: !!o.value });
  } else {
    input = h('input', { ...common, type: o.type || 'text', value: o.value ?? '', autocomplete: o.autocomplete || 'off' });
  }
  const labelEl = h('label', { for: id }, o.label, o.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  const wrap = h('div', { class: ['field', o.type === 'checkbox' && 'field-check', o.wide && 'wide'] },
    o.type === 'checkbox' ? [input, labelEl] : [labelEl, input],
    o.hint ? h('p', { class: 'hint', id: `${id}-hint` }, o.hint) : null,
    h('p', { class: 'field-error', id: errId, hidden: true, role: 'alert' }));
  wrap.input = input;
  return wrap;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  const top = form.querySelector('.form-error');
  if (top) {
    top.textContent = '';
    top.hidden = true;
  }
}

function findInput(form, name) {
  const all = [...form.querySelectorAll('[data-field]')];
  let f = name;
  while (f) {
    const hit = all.find((el) => el.dataset.field === f);
    if (hit) return hit;
    // "emails[0].value" -> "emails[0]" -> "emails"; "attributes.salary" -> "attributes"
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) break;
    f = f.slice(0, cut);
  }
  // a list editor row: "emails[0]" matches the first input of that row
  return all.find((el) => el.dataset.field.startsWith(`${name}.`) || el.dataset.field.startsWith(`${name}[`)) || null;
}

// Shows an ApiError (or any Error) on the form. Returns true when handled.
export function showErrors(form, err) {
  clearErrors(form);
  const rest = [];
  let first = null;
  for (const e of err.errors || []) {
    const input = e.field ? findInput(form, e.field) : null;
    const slot = input && document.getElementById(`${input.id}-error`);
    if (!slot) {
      rest.push(e.field ? `${e.field}: ${e.message}` : e.message);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
    slot.hidden = false;
    first = first || input;
  }
  const top = form.querySelector('.form-error');
  if (top && (rest.length || !first)) {
    top.textContent = rest.length ? rest.join('; ') : errorText(err);
    top.hidden = false;
  }
  (first || top)?.focus?.();
  return true;
}

export function errorText(err) {
  if (!err) return t('error.generic');
  if (err.status === 412) return t('error.stale');
  if (err.status === 403) return t('error.forbidden');
  if (err.status === 404) return t('error.notfound');
  if (err.status === 429) return t('error.ratelimit');
  if (err.name === 'TypeError') return t('error.network');
  return err.message || t('error.generic');
}

export function formError() {
  return h('p', { class: 'form-error', hidden: true, role: 'alert', tabindex: '-1' });
}

// A modal dialog with a title, body and close button; removed on close.
export function openDialog(title, body, { wide } = {}) {
  const titleId = nextId('dlg');
  const dlg = h('dialog', { class: ['dialog', wide && 'dialog-wide'], 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' },
      h('h2', { id: titleId }, title),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('action.close'), onclick: () => dlg.close() }, '\u00d7')),
    body);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  const first = dlg.querySelector('input:not([type=hidden]), select, textarea');
  if (first) first.focus();
  return dlg;
}

let toastTimer = null;
export function toast(msg, kind = 'ok') {
  const el = document.getElementById('toast');
  if (!el) return;
  fill(el, h('div', { class: `toast toast-${kind}` }, msg));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => clear(el), 4000);
}

// Disables a form's buttons while fn runs.
export async function busy(form, fn) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    form.removeAttribute('aria-busy');
  }
}
