// The dialog that creates a party: a person (given name, prefix, family
// name) or an organization (legal and trade name, KvK number, BTW-id), with
// the Dutch data people have at hand: e-mail, phone, visiting address with
// postcode, IBAN, and a first role of a type the user may give. Every input
// carries the API's field name (data-field), so the server's errors (in the
// app's language) land next to the input they are about. An exact duplicate
// answers 409 with its candidates: shown with "open" and "create anyway".

import { h, fill } from '../dom.js';
import { t, label } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast } from '../forms.js';
import { kindLabel } from '../ui.js';
import { scoreChip, reasonsText } from './duplicates.js';

// newPartyDialog(ctx, givable): givable are the role types this user may give.
export function newPartyDialog(ctx, givable) {
  const err = formError();
  const f = (name, o = {}) => field({ name, label: t(`field.${name}`), id: `np-${name}`, ...o });
  const kind = f('kind', { type: 'select', value: 'person', options: [['person', kindLabel('person')], ['organization', kindLabel('organization')]] });
  const person = h('div', { class: 'grid-3', 'data-kind': 'person' },
    f('given_name', { autocomplete: 'given-name' }), f('family_prefix'), f('family_name', { required: true, autocomplete: 'family-name' }));
  const org = h('div', { 'data-kind': 'organization', hidden: true },
    h('div', { class: 'grid-2' }, f('legal_name', { required: true }), f('trade_name')),
    h('div', { class: 'grid-2' },
      f('kvk', { attrs: { inputmode: 'numeric' }, hint: t('party.kvk_hint') }),
      f('vat', { attrs: { autocapitalize: 'characters' }, hint: t('party.vat_hint') })));
  const email = f('email', { field: 'emails[0].value', type: 'email', autocomplete: 'email' });
  const phone = f('phone', { field: 'phones[0].value', type: 'tel', autocomplete: 'tel', hint: t('party.phone_hint') });
  const street = f('street', { field: 'addresses[0].street' });
  const houseNo = f('house_number', { field: 'addresses[0].house_number' });
  const postcode = f('postcode', { field: 'addresses[0].postcode', hint: t('party.postcode_hint'), attrs: { autocapitalize: 'characters' } });
  const cityF = f('city', { field: 'addresses[0].city' });
  const iban = f('iban', { attrs: { autocapitalize: 'characters' }, hint: t('party.iban_hint') });
  const role = f('role', { field: 'roles[0].type', label: t('role.type'), type: 'select', options: [['', '\u2014'], ...givable.map((x) => [x.name, label(x.label, x.name)])] });
  kind.input.addEventListener('change', () => {
    person.hidden = kind.input.value !== 'person';
    org.hidden = kind.input.value === 'person';
  });
  const address = h('fieldset', { class: 'np-address' }, h('legend', t('party.address')),
    h('div', { class: 'grid-2' }, street, houseNo), h('div', { class: 'grid-2' }, postcode, cityF));
  const form = h('form', { novalidate: true, id: 'new-party-form' }, err, kind, person, org,
    h('div', { class: 'grid-2' }, email, phone), address, iban, role,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(t('party.new'), form, { wide: true });
  const val = (fl) => fl.input.value.trim() || undefined;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { kind: kind.input.value };
    const names = body.kind === 'person' ? ['given_name', 'family_prefix', 'family_name'] : ['legal_name', 'trade_name', 'kvk', 'vat'];
    for (const n of names) {
      const v = form.querySelector(`[name="${n}"]`).value.trim();
      if (v) body[n] = n === 'kvk' ? v.replace(/[\s.]/g, '') : v;
    }
    if (val(email)) body.emails = [{ label: 'work', value: val(email) }];
    if (val(phone)) body.phones = [{ label: body.kind === 'person' ? 'mobile' : 'work', value: val(phone) }];
    const adr = { street: val(street), house_number: val(houseNo), postcode: val(postcode), city: val(cityF) };
    if (Object.values(adr).some(Boolean)) {
      body.addresses = [{ label: body.kind === 'person' ? 'home' : 'visit', country: 'NL',
        ...Object.fromEntries(Object.entries(adr).filter(([, v]) => v)) }];
    }
    if (val(iban)) body.iban = val(iban).replace(/\s/g, '').toUpperCase();
    if (val(role)) body.roles = [{ type: val(role) }];
    busy(form, () => create(body, false));
  });

  // An exact duplicate answers 409 with its candidates: show them, with
  // "open" and "create anyway" (force); weaker matches come with the 201.
  const dupBox = h('div', { class: 'dup-candidates', id: 'dup-candidates', role: 'alert', hidden: true });
  err.after(dupBox);
  async function create(body, force) {
    if (!force) dupBox.hidden = true;
    try {
      const p = await api.post(force ? '/parties?force=true' : '/parties', body);
      dlg.close();
      if (Array.isArray(p.duplicates) && p.duplicates.length) toast(t('dup.created_warn', { name: p.name, n: p.duplicates.length }), 'warn');
      else toast(t('party.created', { name: p.name }));
      ctx.navigate(`/parties/${p.id}`);
    } catch (ex) {
      if (ex.status === 409 && ex.problem?.code === 'duplicate') {
        const cands = Array.isArray(ex.problem.candidates) ? ex.problem.candidates : [];
        fill(dupBox,
          h('p', { class: 'dup-head' }, t('dup.exists')),
          h('ul', { class: 'dup-list plain' }, cands.map((c) => h('li', { 'data-party': c.party.id },
            h('div', { class: 'dup-line' }, h('strong', c.party.name || `#${c.party.id}`), ' ', scoreChip(c), ' ',
              h('a', { href: `/parties/${c.party.id}`, class: 'button small', 'aria-label': `${t('dup.open')}: ${c.party.name}` }, t('dup.open'))),
            h('p', { class: 'muted small-text' }, reasonsText(c.reasons))))),
          h('button', { type: 'button', id: 'create-anyway', onclick: () => busy(form, () => create(body, true)) }, t('dup.create_anyway')));
        dupBox.hidden = false;
        dupBox.querySelector('a, button')?.focus();
        return;
      }
      // a name error of an organization belongs to its legal name
      if (ex.errors && body.kind === 'organization') ex.errors = ex.errors.map((x) => (x.field === 'name' ? { ...x, field: 'legal_name' } : x));
      showErrors(form, ex);
    }
  }
  return dlg;
}
