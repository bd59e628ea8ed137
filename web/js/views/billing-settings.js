// Admin tab "Bedrijfsgegevens" / "Company details" (/admin/company): the
// company's details that quotes and invoices take when they are sent or
// issued (legal name, address, KvK, BTW-id, IBAN and BIC, e-mail and
// phone, the payment term, the number formats and the e-mail footer), and
// the logo (PNG or SVG, at most 1 MB) with its preview, replace and remove.
// API field errors show next to their input. A later change never changes
// a document already issued (the page says so).

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, request, getSession } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { errorBox } from '../ui.js';

const MAX_LOGO = 1024 * 1024;

const FIELDS = [
  ['legal_name', { required: true }],
  ['street'], ['house_number'], ['postcode'], ['city'],
  ['country', { hint: 'billing.country_hint', attrs: { maxlength: 2, autocapitalize: 'characters' } }],
  ['kvk', { attrs: { inputmode: 'numeric' } }], ['vat', { hint: 'billing.vat_id_hint' }],
  ['iban'], ['bic'],
  ['email', { type: 'email' }], ['phone', { type: 'tel' }],
  ['payment_days', { type: 'number', attrs: { min: 0, max: 365, inputmode: 'numeric' } }],
  ['quote_number_format', { hint: 'billing.format_hint' }],
  ['invoice_number_format', { hint: 'billing.format_hint' }],
  ['credit_number_format', { hint: 'billing.format_hint' }],
  ['email_footer', { type: 'textarea', wide: true }],
];

// The label of a settings field (billing.f_<name>).
function labelOf(name) {
  return t(`billing.f_${name}`);
}

async function putLogo(file) {
  const headers = { 'Content-Type': file.type, Accept: 'application/json' };
  const csrf = getSession()?.csrf;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch('/api/v1/settings/company/logo', { method: 'PUT', headers, body: file, credentials: 'same-origin' });
  if (!r.ok) {
    const p = await r.json().catch(() => ({}));
    const e = new Error(p.detail || p.title || `HTTP ${r.status}`);
    e.status = r.status;
    e.errors = p.errors || [];
    throw e;
  }
}

export async function render(body, ctx) {
  let s;
  try {
    s = await api.get('/settings/company');
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const err = formError();
  const fields = FIELDS.map(([name, o = {}]) => field({
    name, id: `company-${name.replace(/_/g, '-')}`, label: labelOf(name), type: o.type, required: o.required, wide: o.wide,
    value: s[name] ?? '', hint: o.hint ? t(o.hint) : null, attrs: o.attrs, rows: 3,
  }));
  const byName = Object.fromEntries(FIELDS.map(([name], i) => [name, fields[i]]));
  const group = (legend, names) => h('fieldset', h('legend', legend), h('div', { class: 'grid-2' }, names.map((n) => byName[n])));
  const form = h('form', { class: 'card company-form', id: 'company-form', novalidate: true },
    h('p', { class: 'muted' }, t('billing.company_intro')), err,
    group(t('billing.company_who'), ['legal_name', 'kvk', 'vat', 'email', 'phone']),
    group(t('billing.company_address'), ['street', 'house_number', 'postcode', 'city', 'country']),
    group(t('billing.company_bank'), ['iban', 'bic', 'payment_days']),
    group(t('billing.company_numbers'), ['quote_number_format', 'invoice_number_format', 'credit_number_format']),
    byName.email_footer,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'company-save' }, t('action.save'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const out = {};
    for (const [name] of FIELDS) {
      const v = byName[name].input.value.trim();
      if (name === 'payment_days') out[name] = v === '' ? null : Number(v);
      else if (name === 'country') out[name] = v.toUpperCase() || null;
      else out[name] = v || null;
    }
    if (!out.legal_name) {
      showErrors(form, { errors: [{ field: 'legal_name', message: t('error.required') }] });
      return;
    }
    for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
    busy(form, async () => {
      try {
        s = await request('PUT', '/settings/company', { body: out, version: s.version });
        toast(t('billing.company_saved'));
      } catch (ex) {
        if (ex.status === 412) ex.errors = [];
        showErrors(form, ex);
      }
    });
  });

  // the logo: preview, upload (PNG or SVG up to 1 MB), remove
  const logoErr = formError();
  const file = field({ name: 'logo', id: 'company-logo-file', label: t('billing.logo_file'), type: 'file', hint: t('billing.logo_hint'),
    attrs: { accept: 'image/png,image/svg+xml' } });
  const preview = h('div', { class: 'logo-preview', id: 'company-logo-preview' });
  let version = 0;
  const drawLogo = (has) => fill(preview, has
    ? h('img', { src: `/api/v1/settings/company/logo?v=${Date.now()}-${version}`, alt: t('billing.logo_alt'), id: 'company-logo-img' })
    : h('p', { class: 'muted', id: 'company-no-logo' }, t('billing.no_logo')));
  const removeBtn = h('button', { type: 'button', class: 'danger-line', id: 'company-logo-remove', hidden: !s.has_logo }, t('billing.logo_remove'));
  const logoForm = h('form', { class: 'card logo-form', id: 'company-logo-form', novalidate: true, 'aria-labelledby': 'company-logo-title' },
    h('h2', { id: 'company-logo-title' }, t('billing.logo')), logoErr, preview, file,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'company-logo-upload' }, t('billing.logo_upload')), removeBtn));
  logoForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(logoForm);
    const f = file.input.files?.[0];
    let msg = null;
    if (!f) msg = t('billing.logo_choose');
    else if (!['image/png', 'image/svg+xml'].includes(f.type)) msg = t('billing.logo_type');
    else if (f.size > MAX_LOGO) msg = t('billing.logo_size');
    if (msg) {
      showErrors(logoForm, { errors: [{ field: 'logo', message: msg }] });
      return;
    }
    busy(logoForm, async () => {
      try {
        await putLogo(f);
        version += 1;
        drawLogo(true);
        removeBtn.hidden = false;
        logoForm.reset();
        toast(t('billing.logo_saved'));
      } catch (ex) {
        showErrors(logoForm, { errors: ex.errors?.length ? ex.errors : [{ field: 'logo', message: errorText(ex) }] });
      }
    });
  });
  removeBtn.addEventListener('click', async () => {
    removeBtn.disabled = true;
    try {
      await api.del('/settings/company/logo');
      drawLogo(false);
      removeBtn.hidden = true;
      toast(t('billing.logo_removed'));
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
    removeBtn.disabled = false;
  });
  drawLogo(!!s.has_logo);
  fill(body, h('div', { class: 'company-grid' }, form, logoForm));
}
