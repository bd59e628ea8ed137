// Admin tab: relationship types (the built-in ones and those added here),
// with a form to add one: its name, the name of the other direction, labels
// in English and Dutch both ways, and the domain it belongs to (none: common).

import { h, fill } from '../dom.js';
import { t, label, word } from '../i18n.js';
import { api } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { DOMAINS, errorBox } from '../ui.js';

export async function render(body, ctx) {
  let items;
  try {
    items = (await api.get('/relationship-types')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const tbody = h('tbody');
  const draw = () => fill(tbody, items.map((rt) => h('tr', { 'data-rel-type': rt.name },
    h('td', { 'data-label': t('admin.rt_name') }, h('code', rt.name)),
    h('td', { 'data-label': t('admin.label') }, label(rt.label, rt.name)),
    h('td', { 'data-label': t('admin.rt_reverse') }, label(rt.reverse_label, rt.reverse || ''), rt.reverse ? h('code', { class: 'muted' }, ` ${rt.reverse}`) : null),
    h('td', { 'data-label': t('activity.domain') }, rt.domain ? word('domain', rt.domain) : t('admin.rt_common')),
    h('td', { 'data-label': t('admin.flags') }, rt.builtin ? h('span', { class: 'chip' }, t('admin.builtin')) : ''))));
  draw();

  const err = formError();
  const f = (name, o = {}) => field({ name, id: `rel-${name.replace('.', '-')}`, ...o });
  const fName = f('name', { label: t('admin.rt_name'), required: true, hint: t('admin.name_hint') });
  const fReverse = f('reverse', { label: t('admin.rt_reverse_name'), hint: t('admin.rt_reverse_hint') });
  const fEn = f('label.en', { label: t('admin.f_label_en'), required: true });
  const fNl = f('label.nl', { label: t('admin.f_label_nl'), required: true });
  const fREn = f('reverse_label.en', { label: t('admin.rt_reverse_en'), required: true });
  const fRNl = f('reverse_label.nl', { label: t('admin.rt_reverse_nl'), required: true });
  const fDomain = f('domain', { label: t('activity.domain'), type: 'select', options: [['', t('admin.rt_common')], ...DOMAINS.map((d) => [d, word('domain', d)])] });
  const form = h('form', { class: 'card', novalidate: true, id: 'reltype-form', 'aria-labelledby': 'rel-title' },
    h('h2', { id: 'rel-title' }, t('admin.new_rel_type')), err,
    h('div', { class: 'grid-2' }, fName, fReverse, fEn, fNl, fREn, fRNl, fDomain),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (x) => x.input.value.trim();
    const payload = { name: v(fName), label: { en: v(fEn), nl: v(fNl) }, reverse_label: { en: v(fREn), nl: v(fRNl) } };
    if (v(fReverse)) payload.reverse = v(fReverse);
    if (fDomain.input.value) payload.domain = fDomain.input.value;
    busy(form, async () => {
      try {
        const rt = await api.post('/relationship-types', payload);
        items.push(rt);
        draw();
        form.reset();
        clearErrors(form);
        toast(t('admin.rel_type_created', { name: label(rt.label, rt.name) }));
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  fill(body, form,
    h('section', { class: 'card', 'aria-labelledby': 'rel-list-title' }, h('h2', { id: 'rel-list-title' }, t('admin.rel_types')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'reltype-table' },
        h('thead', h('tr', [t('admin.rt_name'), t('admin.label'), t('admin.rt_reverse'), t('activity.domain'), t('admin.flags')].map((x) => h('th', { scope: 'col' }, x)))),
        tbody))));
}
