// Recruitment (/recruitment): the vacancies, open ones first, each with its
// applicants as a small board by stage (new, interview, offer, hired,
// rejected). hr=write moves an applicant to another stage, hires her (with
// a start date: the employee role becomes active and onboarding starts) or
// rejects her with a reason (the application ends today; the data is kept
// four weeks, or a year with consent); she also opens and edits vacancies
// and enters new applicants (name, e-mail, phone, vacancy) with the same
// duplicate check as a new party. hr=read sees the same without controls.
// Applicants are visible only with hr read (the server hides them from
// everyone else), so the screen is for HR only.

import { h, fill, todayISO } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, qs } from '../api.js';
import { field, formError, showErrors, openDialog, toast, busy, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { canWrite } from '../access.js';
import { fmtPhone } from '../format.js';
import { scoreChip, reasonsText } from './duplicates.js';
import { departmentPicker } from './departments.js'; // the vacancy's department
import { confirmDialog } from './admin.js';

const STAGES = ['new', 'interview', 'offer', 'hired', 'rejected'];
const VSTATUS = ['open', 'closed', 'filled'];
const stageText = (s) => t(`vacancy.stage_${s}`);

function formOf(id, fields, submitText) {
  const err = formError();
  const form = h('form', { class: 'form', id, novalidate: true }, err, fields,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, submitText)));
  return form;
}

// New or changed vacancy.
function vacancyDialog(v, onSaved) {
  const f = {
    title: field({ name: 'title', id: 'vac-title', label: t('vacancy.f_title'), value: v?.title, required: true }),
    department: departmentPicker({ id: 'vac-department', label: t('vacancy.f_department'), fieldName: 'department', value: v?.department ?? null }),
    hours: field({ name: 'hours', id: 'vac-hours', label: t('vacancy.f_hours'), type: 'number', value: v?.hours ?? '', attrs: { min: 1, max: 80 } }),
    status: field({ name: 'status', id: 'vac-status', label: t('vacancy.f_status'), type: 'select', value: v?.status || 'open', options: VSTATUS.map((s) => [s, t(`vacancy.status_${s}`)]) }),
    opened: field({ name: 'opened', id: 'vac-opened', label: t('vacancy.f_opened'), type: 'date', value: v?.opened || todayISO() }),
    closes: field({ name: 'closes', id: 'vac-closes', label: t('vacancy.f_closes'), type: 'date', value: v?.closes || '' }),
    description: field({ name: 'description', id: 'vac-description', label: t('vacancy.f_description'), type: 'textarea', value: v?.description || '', rows: 4 }),
  };
  const form = formOf('vacancy-form', Object.values(f), v ? t('action.save') : t('vacancy.create'));
  const dlg = openDialog(v ? t('vacancy.edit_title') : t('vacancy.new_title'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      title: f.title.input.value.trim(),
      department: f.department.value(),
      hours: f.hours.input.value ? Number(f.hours.input.value) : null,
      status: f.status.input.value,
      opened: f.opened.input.value || undefined,
      closes: f.closes.input.value || null,
      description: f.description.input.value.trim() || null,
    };
    await busy(form, async () => {
      try {
        if (v) await api.patch(`/vacancies/${v.id}`, body, { version: v.version });
        else await api.post('/vacancies', body);
      } catch (ex) {
        showErrors(form, ex);
        return;
      }
      dlg.close();
      toast(t('vacancy.saved', { title: body.title }));
      onSaved();
    });
  });
}

// A new applicant: a person with an employee role of status applicant for a vacancy.
function applicantDialog(vacancies, preset, onSaved) {
  const f = {
    given: field({ name: 'given_name', id: 'app-given', label: t('vacancy.f_given_name'), required: true }),
    prefix: field({ name: 'family_prefix', id: 'app-prefix', label: t('vacancy.f_family_prefix') }),
    family: field({ name: 'family_name', id: 'app-family', label: t('vacancy.f_family_name'), required: true }),
    email: field({ name: 'email', id: 'app-email', field: 'emails[0].value', label: t('vacancy.f_email'), type: 'email' }),
    phone: field({ name: 'phone', id: 'app-phone', field: 'phones[0].value', label: t('vacancy.f_phone'), type: 'tel' }),
    vacancy: field({ name: 'vacancy', id: 'app-vacancy', field: 'attributes.vacancy', label: t('vacancy.f_vacancy'), type: 'select', value: preset, required: true,
      options: vacancies.map((v) => [v.id, v.title]) }),
  };
  const form = formOf('applicant-form', Object.values(f), t('vacancy.applicant_create'));
  const dupBox = h('div', { class: 'dup-candidates', id: 'dup-candidates', role: 'alert', hidden: true });
  form.querySelector('.form-error').after(dupBox);
  const dlg = openDialog(t('vacancy.applicant_new'), form);
  async function create(body, force) {
    if (!force) dupBox.hidden = true;
    try {
      await api.post(force ? '/parties?force=true' : '/parties', body);
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
      if (ex.errors) ex.errors = ex.errors.map((x) => ({ ...x, field: x.field.replace(/^roles\[0\]\./, '') }));
      showErrors(form, ex);
      return;
    }
    dlg.close();
    toast(t('vacancy.applicant_created', { name: `${body.given_name} ${body.family_name}` }));
    onSaved();
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const val = (x) => x.input.value.trim();
    const body = { kind: 'person', given_name: val(f.given), family_name: val(f.family),
      roles: [{ type: 'employee', status: 'applicant', since: todayISO(), attributes: { vacancy: Number(f.vacancy.input.value), stage: 'new' } }] };
    if (val(f.prefix)) body.family_prefix = val(f.prefix);
    if (val(f.email)) body.emails = [{ label: 'privé', value: val(f.email) }];
    if (val(f.phone)) body.phones = [{ label: 'mobiel', value: val(f.phone) }];
    busy(form, () => create(body, false));
  });
}

// Hire (start date) or reject (reason): the two moves that end an application.
function decideDialog(a, stage, onSaved) {
  const hire = stage === 'hired';
  const input = hire
    ? field({ name: 'start_date', id: 'app-start', label: t('vacancy.f_start_date'), type: 'date', required: true, value: todayISO() })
    : field({ name: 'reason', id: 'app-reason', label: t('vacancy.f_reason'), type: 'textarea', rows: 3, hint: t('vacancy.reason_hint') });
  const form = formOf('decide-form', [h('p', hire ? t('vacancy.hire_text', { name: a.party_name }) : t('vacancy.reject_text', { name: a.party_name })), input],
    hire ? t('vacancy.hire') : t('vacancy.reject'));
  const dlg = openDialog(hire ? t('vacancy.hire_title') : t('vacancy.reject_title'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { stage };
    if (hire) body.start_date = input.input.value;
    else if (input.input.value.trim()) body.reason = input.input.value.trim();
    await busy(form, async () => {
      try {
        await api.post(`/applicants/${a.role}/stage`, body, { version: a.version });
      } catch (ex) {
        showErrors(form, ex);
        return;
      }
      dlg.close();
      toast(hire ? t('vacancy.hired', { name: a.party_name }) : t('vacancy.rejected', { name: a.party_name }));
      onSaved();
    });
  });
}

async function move(a, stage, onSaved) {
  if (stage === 'hired' || stage === 'rejected') {
    decideDialog(a, stage, onSaved);
    return;
  }
  try {
    await api.post(`/applicants/${a.role}/stage`, { stage }, { version: a.version });
    toast(t('vacancy.moved', { name: a.party_name, stage: stageText(stage) }));
    onSaved();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

function applicantCard(a, onSaved) {
  const open = a.status === 'applicant';
  const sel = open && canWrite('hr') ? h('select', { id: `move-${a.role}`, 'aria-label': t('vacancy.move_label', { name: a.party_name }) },
    h('option', { value: '' }, t('vacancy.move')),
    STAGES.filter((s) => s !== a.stage).map((s) => h('option', { value: s }, stageText(s)))) : null;
  sel?.addEventListener('change', () => {
    const s = sel.value;
    sel.value = '';
    if (s) move(a, s, onSaved);
  });
  return h('li', { class: 'rec-applicant', 'data-role': a.role },
    h('a', { href: `/parties/${a.party}` }, a.party_name),
    a.email ? h('span', { class: 'muted small-text rec-contact' }, a.email) : null,
    a.phone ? h('span', { class: 'muted small-text' }, fmtPhone(a.phone)) : null,
    a.keep_until ? h('span', { class: 'muted small-text' }, t('vacancy.keep_until', { date: fmtDate(a.keep_until) })) : null,
    sel);
}

// How many applicants a vacancy has (its "applicants": how many per stage).
function applicantCount(v) {
  return Object.values(v.applicants || {}).reduce((n, x) => n + (Number(x) || 0), 0);
}

async function deleteVacancy(v, reload) {
  if (!(await confirmDialog(t('vacancy.delete_title'), t('vacancy.delete_question', { title: v.title }), t('vacancy.delete')))) return;
  try {
    await api.del(`/vacancies/${v.id}`, { version: v.version });
    toast(t('vacancy.deleted', { title: v.title }));
    await reload();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

function vacancyCard(v, vacancies, reload) {
  const board = h('div', { class: 'rec-board', id: `board-${v.id}` }, loading());
  const writable = canWrite('hr');
  const card = h('section', { class: 'card rec-vacancy', 'data-vacancy': v.id, 'aria-labelledby': `vac-${v.id}-title` },
    h('div', { class: 'panel-head' },
      h('h2', { id: `vac-${v.id}-title` }, v.title),
      h('span', { class: `chip rec-status rec-${v.status}` }, t(`vacancy.status_${v.status}`)),
      writable ? h('button', { type: 'button', class: 'small', 'aria-label': t('vacancy.edit_label', { title: v.title }), onclick: () => vacancyDialog(v, reload) }, t('vacancy.edit')) : null,
      // a vacancy made by mistake: deleted only while nobody applied (else it is closed)
      writable && !applicantCount(v) ? h('button', { type: 'button', class: 'small danger-line', id: `vacancy-delete-${v.id}`, 'aria-label': t('vacancy.delete_label', { title: v.title }), onclick: () => deleteVacancy(v, reload) }, t('vacancy.delete')) : null,
      writable && v.status === 'open' ? h('button', { type: 'button', class: 'small', 'aria-label': t('vacancy.applicant_new_for', { title: v.title }), onclick: () => applicantDialog(vacancies, v.id, reload) }, t('vacancy.applicant_new')) : null),
    h('p', { class: 'muted' }, [
      v.department_name,
      v.hours ? t('vacancy.hours', { n: v.hours }) : null,
      t('vacancy.opened_on', { date: fmtDate(v.opened) }),
      v.closes ? t('vacancy.closes_on', { date: fmtDate(v.closes) }) : null,
    ].filter(Boolean).join(' \u00b7 ')),
    v.description ? h('p', v.description) : null,
    board);
  api.get(`/vacancies/${v.id}/applicants`).then((r) => {
    fill(board, STAGES.map((s) => {
      const inStage = r.items.filter((a) => a.stage === s);
      return h('div', { class: `rec-col rec-col-${s}`, 'data-stage': s },
        h('h3', `${stageText(s)} (${inStage.length})`),
        inStage.length ? h('ul', { class: 'rec-list plain' }, inStage.map((a) => applicantCard(a, reload))) : h('p', { class: 'muted small-text' }, '\u2013'));
    }));
  }).catch((e) => fill(board, errorBox(errorText(e))));
  return card;
}

export async function render(main, ctx) {
  ctx.setTitle(t('vacancy.title'));
  const list = h('div', { class: 'rec-vacancies', id: 'vacancy-list' }, loading());
  const reload = () => ctx.rerender();
  let vacancies = [];
  const newBtn = canWrite('hr') ? h('button', { type: 'button', class: 'primary', id: 'vacancy-new', onclick: () => vacancyDialog(null, reload) }, t('vacancy.new')) : null;
  const appBtn = canWrite('hr') ? h('button', { type: 'button', id: 'applicant-new', onclick: () => applicantDialog(vacancies.filter((v) => v.status === 'open'), null, reload) }, t('vacancy.applicant_new')) : null;
  const checklists = h('a', { href: '/checklists', class: 'button', id: 'to-checklists' }, t('checklist.title'));
  fill(main, pageHead(t('vacancy.title'), checklists, appBtn, newBtn), h('p', { class: 'muted' }, t('vacancy.intro')), list);
  try {
    vacancies = (await api.get(qs('/vacancies', {}))).items;
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  fill(list, vacancies.length ? vacancies.map((v) => vacancyCard(v, vacancies.filter((x) => x.status === 'open'), reload)) : empty(t('vacancy.none')));
}
