// The on- and offboarding panel of a person's page: her checklists with
// their progress and items (ticked off here by hr=write), and "start a
// checklist" from a template for hr=write. Shown to users who may read hr
// when the server has checklists and the person has one (or may get one).

import { h, fill, todayISO } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { canRead, canWrite } from '../access.js';
import { checklistCard } from './checklists.js';

function startDialog(party, onSaved) {
  const tpl = field({ name: 'template', id: 'chk-start-template', label: t('checklist.template'), type: 'select', options: [], required: true });
  const date = field({ name: 'anchor_date', id: 'chk-start-date', label: t('checklist.anchor_date'), type: 'date', value: todayISO(), required: true });
  const err = formError();
  const form = h('form', { class: 'form', id: 'chk-start-form', novalidate: true }, err, tpl, date,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('checklist.start'))));
  const dlg = openDialog(t('checklist.start_title'), form);
  api.get('/checklist-templates').then((r) => {
    fill(tpl.input, r.items.map((x) => h('option', { value: x.id }, `${x.name} (${t(`checklist.kind_${x.kind}`)})`)));
  }).catch((e) => showErrors(form, e));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy(form, async () => {
      try {
        await api.post('/checklists', { party: party.id, template: Number(tpl.input.value), anchor_date: date.input.value });
      } catch (ex) {
        showErrors(form, ex);
        return;
      }
      dlg.close();
      toast(t('checklist.started'));
      onSaved();
    });
  });
}

export function checklistsPanel(party) {
  const sec = h('section', { class: 'card chk-panel', id: 'checklist-panel', 'aria-labelledby': 'checklist-panel-title', hidden: true });
  if (!canRead('hr') || party.kind !== 'person') return sec;
  const list = h('div', { class: 'chk-panel-list' });
  const canStart = canWrite('hr') && !party.archived;
  async function load() {
    let items = [];
    try {
      items = (await api.get(qs('/checklists', { party: party.id, limit: 50 }))).items || [];
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    const employee = (party.roles || []).some((r) => r.type === 'employee');
    if (!items.length && !(canStart && employee)) {
      sec.hidden = true;
      return;
    }
    sec.hidden = false;
    fill(list, items.length ? items.map((c) => checklistCard(c, { showParty: false })) : empty(t('checklist.none_party')));
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/checklists'))) return;
    fill(sec,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'checklist-panel-title' }, t('checklist.panel')),
        canStart ? h('button', { type: 'button', class: 'small', id: 'checklist-start', onclick: () => startDialog(party, load) }, t('checklist.start')) : null),
      list);
    await load();
  })();
  return sec;
}
