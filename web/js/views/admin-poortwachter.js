// Admin tab: the Poortwachter table, the steps of the Wet verbetering
// poortwachter that a sick report turns into dated tasks for HR. Each step:
// a code, the week of sickness it falls in (due on the last day of that
// week: first sick day + 7 x week - 1 days), optionally again every N weeks
// up to a week, and its title in Dutch and English. Saving replaces the
// table (PUT); reports made before keep their tasks.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, request } from '../api.js';
import { field, formError, showErrors, busy, toast, errorText } from '../forms.js';
import { errorBox } from '../ui.js';

export async function render(body, ctx) {
  let steps;
  try {
    steps = (await api.get('/poortwachter-steps')).items || [];
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const err = formError();
  const rows = h('div', { class: 'pw-rows', id: 'pw-rows' });
  const rowOf = (s, i) => {
    const p = `items[${i}].`;
    const num = (name, label, v, min, max) => field({ name: `${name}-${i}`, field: `${p}${name}`, label, type: 'number', value: v ?? '', attrs: { min, max, inputmode: 'numeric' } });
    const code = field({ name: `code-${i}`, field: `${p}code`, label: t('poortwachter.code'), value: s.code || '' });
    const week = num('week', t('poortwachter.week'), s.week, 1, 156);
    const every = num('every_weeks', t('poortwachter.every'), s.every_weeks || '', 0, 52);
    const until = num('until_week', t('poortwachter.until'), s.until_week, 1, 156);
    const nl = field({ name: `nl-${i}`, field: `${p}title.nl`, label: t('poortwachter.title_nl'), value: s.title?.nl || '' });
    const en = field({ name: `en-${i}`, field: `${p}title.en`, label: t('poortwachter.title_en'), value: s.title?.en || '' });
    const row = h('fieldset', { class: 'card pw-step', 'data-step': i },
      h('legend', t('poortwachter.step_n', { n: i + 1 })),
      h('div', { class: 'grid-3' }, code, week, every), h('div', { class: 'grid-3' }, until, nl, en),
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'small pw-remove', onclick: () => fill(rows, [...rows.children].filter((r) => r !== row).map((r) => r.read()).map(rowOf)) }, t('poortwachter.remove'))));
    row.read = () => {
      const o = { code: code.input.value.trim(), week: Number(week.input.value), title: { en: en.input.value.trim(), nl: nl.input.value.trim() } };
      if (every.input.value !== '' && Number(every.input.value) > 0) o.every_weeks = Number(every.input.value);
      if (until.input.value !== '') o.until_week = Number(until.input.value);
      return o;
    };
    return row;
  };
  fill(rows, steps.map(rowOf));
  const form = h('form', { novalidate: true, id: 'pw-form' },
    h('p', { class: 'muted' }, t('poortwachter.intro')),
    err, rows,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', id: 'pw-add', onclick: () => rows.append(rowOf({}, rows.children.length)) }, t('poortwachter.add')),
      h('button', { type: 'submit', class: 'primary', id: 'pw-save' }, t('action.save'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const items = [...rows.children].map((r) => r.read());
    busy(form, async () => {
      try {
        const saved = await request('PUT', '/poortwachter-steps', { body: { items } });
        fill(rows, saved.items.map(rowOf));
        toast(t('action.saved'));
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  fill(body, form);
}
