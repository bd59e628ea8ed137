// The import wizard: (1) choose a file (input or drag and drop); it is sent
// at once as a dry run (POST /imports?dry_run=true with the file's content
// type, then GET /imports/{id} until done); (2) the detected format,
// separator and encoding and, for CSV, the column mapping (per column its
// header, a select of target fields and its first values) with the options
// (match keys, what to do on a bad row); "check again" runs another dry run
// with that mapping; (3) the dry run's result (what would be created,
// updated, skipped, the errors) and "import"; (4) the real run with a
// progress bar, then a summary with the error report and the party list.
// The file stays in the page's memory and is sent again for every run.

import { h, fill, nextId } from '../dom.js';
import { t, has, word, fmtNumber, fmtDateTime, getLang } from '../i18n.js';
import { api, qs, getSession, hasEndpoint, ApiError } from '../api.js';
import { errorText } from '../forms.js';
import { pageHead, errorBox, loading } from '../ui.js';

// Target fields of the mapping (contract: import jobs), in the order offered.
export const TARGETS = ['kind', 'name', 'given_name', 'family_prefix', 'family_name', 'organization',
  'email', 'email_work', 'email_home', 'phone', 'mobile', 'phone_work', 'phone_home',
  'street', 'house_number', 'postcode', 'city', 'country', 'kvk', 'vat', 'iban', 'website',
  'tags', 'role', 'note', 'external_id', 'uid', 'birthday'];
const MATCH_KEYS = ['email', 'kvk', 'vat', 'iban', 'phone', 'external_id', 'uid'];
const POLL_MS = 300;

// The field's label in the UI language; custom.NAME keeps its name.
export function targetLabel(f) {
  if (!f) return t('imp.ignore');
  // a party field path from an error ("emails[0].value", "addresses[0].postcode")
  const m = /^(emails|phones|websites|addresses)(?:\[\d+\])?(?:\.(\w+))?$/.exec(f);
  if (m) f = m[1] === 'addresses' ? m[2] || 'street' : m[1].slice(0, -1);
  if (f.startsWith('custom.')) return t('imp.custom', { name: f.slice(7) });
  return has(`impf.${f}`) ? t(`impf.${f}`) : f;
}

// The content type the server reads: from the name first (browsers differ
// on .vcf and give nothing for .ndjson), else what the browser says.
function contentType(file) {
  const n = (file.name || '').toLowerCase();
  if (n.endsWith('.csv') || n.endsWith('.txt') || n.endsWith('.tsv')) return 'text/csv';
  if (n.endsWith('.vcf') || n.endsWith('.vcard')) return 'text/vcard';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return 'application/x-ndjson';
  if (/vcard/.test(file.type)) return 'text/vcard';
  if (/json/.test(file.type)) return 'application/x-ndjson';
  return 'text/csv';
}

function separatorName(sep) {
  if (sep === ';') return t('imp.sep_semicolon');
  if (sep === ',') return t('imp.sep_comma');
  if (sep === '\t') return t('imp.sep_tab');
  return sep || '';
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

export async function render(main, ctx) {
  ctx.setTitle(t('imp.title'));
  if (!(await hasEndpoint('POST', '/imports'))) {
    fill(main, pageHead(t('imp.title')), errorBox(t('imp.unavailable')));
    return;
  }
  if (!ctx.alive()) return;

  const state = {
    file: null, type: '', job: null, // the last dry run
    mapping: null, match: [], onError: 'skip', force: false,
  };
  const STEPS = ['file', 'mapping', 'check', 'run'];
  const stepList = h('ol', { class: 'steps', 'aria-label': t('imp.steps') },
    STEPS.map((s, i) => h('li', { 'data-step': s }, h('span', { class: 'step-no', 'aria-hidden': 'true' }, String(i + 1)), t(`imp.step_${s}`))));
  const body = h('div', { class: 'import-body', id: 'import-step' });
  const status = h('p', { class: 'muted', role: 'status', id: 'imp-status' });

  function step(name, ...content) {
    for (const li of stepList.children) {
      if (li.dataset.step === name) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    body.dataset.step = name;
    fill(body, ...content);
    const head = body.querySelector('h2');
    if (head) {
      head.setAttribute('tabindex', '-1');
      head.focus({ preventScroll: false });
    }
  }

  // ---- talking to the server ---------------------------------------------
  function params(dryRun) {
    const p = { dry_run: dryRun ? 'true' : 'false', on_error: state.onError };
    if (state.match.length) p.match = state.match.join(',');
    if (state.mapping) p.mapping = JSON.stringify(state.mapping);
    if (state.force) p.force = 'true';
    return p;
  }

  // The body is the file itself, not JSON, so this is fetch rather than api.post.
  async function startJob(dryRun) {
    const headers = { 'Content-Type': state.type, Accept: 'application/json', 'Accept-Language': getLang() };
    const csrf = getSession()?.csrf;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const r = await fetch(qs('/api/v1/imports', params(dryRun)), { method: 'POST', headers, body: state.file, credentials: 'same-origin' });
    const data = await r.json().catch(() => null);
    if (r.status === 401) window.dispatchEvent(new CustomEvent('xrm:unauthorized'));
    if (!r.ok) throw new ApiError(r.status, data);
    return data;
  }

  // Asks for the job until it is done or failed; onTick(job) after each answer.
  async function follow(job, onTick) {
    let j = job;
    onTick?.(j);
    while (j && (j.status === 'queued' || j.status === 'running')) {
      await sleep(POLL_MS);
      if (!ctx.alive()) return null;
      j = await api.get(`/imports/${j.id}`);
      onTick?.(j);
    }
    return j;
  }

  async function dryRun() {
    const j = await follow(await startJob(true));
    if (!j || !ctx.alive()) return null;
    if (j.status === 'failed') throw new Error(j.message || t('imp.failed'));
    return j;
  }

  // ---- step 1: the file ---------------------------------------------------
  function fileStep(message) {
    const inputId = nextId('imp-file');
    const input = h('input', {
      type: 'file', id: inputId, name: 'file', class: 'file-input',
      accept: '.csv,.txt,.tsv,.vcf,.vcard,.ndjson,.jsonl,text/csv,text/vcard,text/x-vcard,application/x-ndjson',
      'aria-describedby': `${inputId}-hint`,
    });
    const drop = h('div', { class: 'drop-zone', id: 'imp-drop' },
      h('label', { for: inputId, class: 'drop-label' }, t('imp.choose')),
      input,
      h('p', { class: 'hint', id: `${inputId}-hint` }, t('imp.formats')),
      h('p', { class: 'muted drop-text', 'aria-hidden': 'true' }, t('imp.drop')));
    input.addEventListener('change', () => {
      if (input.files && input.files[0]) chosen(input.files[0]);
    });
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('drag');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('drag'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('drag');
      const f = e.dataTransfer?.files?.[0];
      if (f) chosen(f);
    });
    const history_ = h('section', { class: 'card', id: 'imp-history', 'aria-labelledby': 'imp-history-title', hidden: true });
    step('file',
      h('section', { class: 'card', 'aria-labelledby': 'imp-file-title' },
        h('h2', { id: 'imp-file-title' }, t('imp.step_file')),
        h('p', t('imp.intro')),
        message ? errorBox(message) : null,
        drop),
      history_);
    recent(history_);
  }

  // Earlier imports (not the dry runs) of this user (an admin: everyone's).
  async function recent(sec) {
    if (!(await hasEndpoint('GET', '/imports'))) return;
    let items = [];
    try {
      items = ((await api.get(qs('/imports', { limit: 50 }))).items || []).filter((j) => !j.dry_run).slice(0, 10);
    } catch {
      return;
    }
    if (!items.length || !ctx.alive() || !sec.isConnected) return;
    const cols = ['when', 'format', 'status', 'created', 'updated', 'skipped', 'errors'];
    fill(sec, h('h2', { id: 'imp-history-title' }, t('imp.history')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
        h('caption', { class: 'sr-only' }, t('imp.history')),
        h('thead', h('tr', cols.map((c) => h('th', { scope: 'col' }, t(`imp.h_${c}`))))),
        h('tbody', items.map((j) => h('tr', { 'data-import': j.id },
          h('td', { 'data-label': t('imp.h_when') }, fmtDateTime(j.created_at)),
          h('td', { 'data-label': t('imp.h_format') }, t(`imp.format_${j.format}`)),
          h('td', { 'data-label': t('imp.h_status') }, word('impstatus', j.status)),
          ['created', 'updated', 'skipped'].map((k) => h('td', { 'data-label': t(`imp.h_${k}`) }, fmtNumber(j[k] || 0))),
          h('td', { 'data-label': t('imp.h_errors') }, j.errors
            ? h('a', { href: `/api/v1/imports/${j.id}/errors.csv`, download: `import-${j.id}-errors.csv`, 'aria-label': `${t('imp.errors_csv')}: ${fmtNumber(j.errors)}` }, fmtNumber(j.errors))
            : '0')))))));
    sec.hidden = false;
  }

  async function chosen(file) {
    state.file = file;
    state.type = contentType(file);
    state.mapping = null;
    state.match = [];
    state.onError = 'skip';
    state.force = false;
    step('file', h('section', { class: 'card', 'aria-labelledby': 'imp-file-title' },
      h('h2', { id: 'imp-file-title' }, t('imp.step_file')),
      h('p', { class: 'file-name' }, file.name),
      h('p', { class: 'loading', role: 'status' }, t('imp.reading'))));
    try {
      const j = await dryRun();
      if (!j) return;
      state.job = j;
      state.match = Array.isArray(j.match) ? [...j.match] : [];
      if (j.on_error) state.onError = j.on_error;
      if (Array.isArray(j.columns)) state.mapping = Object.fromEntries(j.columns.map((c) => [c.header, c.field || '']));
      mappingStep();
    } catch (e) {
      if (!ctx.alive()) return;
      fileStep(errorText(e));
    }
  }

  // ---- step 2: columns and options ---------------------------------------
  function mappingStep(message) {
    const j = state.job;
    const selects = [];
    const detected = h('dl', { class: 'props detected', id: 'imp-detected' },
      h('dt', t('imp.file')), h('dd', state.file.name),
      h('dt', t('imp.format')), h('dd', { id: 'imp-format', 'data-value': j.format || '' }, t(`imp.format_${j.format}`)),
      j.separator ? [h('dt', t('imp.separator')), h('dd', { id: 'imp-separator', 'data-value': j.separator }, separatorName(j.separator))] : null,
      j.encoding ? [h('dt', t('imp.encoding')), h('dd', { id: 'imp-encoding', 'data-value': j.encoding }, j.encoding)] : null,
      h('dt', t('imp.rows')), h('dd', { id: 'imp-rows' }, fmtNumber(j.total || 0)));
    let table = null;
    if (Array.isArray(j.columns) && j.columns.length) {
      const known = new Set(TARGETS);
      table = h('div', { class: 'table-wrap' }, h('table', { class: 'list mapping', id: 'imp-mapping' },
        h('caption', { class: 'sr-only' }, t('imp.mapping')),
        h('thead', h('tr',
          h('th', { scope: 'col' }, t('imp.column')),
          h('th', { scope: 'col' }, t('imp.target')),
          h('th', { scope: 'col' }, t('imp.samples')))),
        h('tbody', j.columns.map((c, i) => {
          const cur = state.mapping?.[c.header] ?? c.field ?? '';
          const extra = cur && !known.has(cur) ? [cur] : [];
          const id = `imp-map-${i}`;
          const sel = h('select', { id, 'data-header': c.header, name: `map-${i}` },
            h('option', { value: '', selected: cur === '' }, t('imp.ignore')),
            [...TARGETS, ...extra].map((f) => h('option', { value: f, selected: f === cur }, targetLabel(f))));
          selects.push(sel);
          return h('tr', { 'data-header': c.header },
            h('th', { scope: 'row', class: 'c-header', 'data-label': t('imp.column') }, c.header || h('span', { class: 'muted' }, t('imp.no_header'))),
            h('td', { class: 'c-target', 'data-label': t('imp.target') },
              h('label', { for: id, class: 'sr-only' }, t('imp.target_for', { column: c.header })), sel),
            h('td', { class: 'c-samples', 'data-label': t('imp.samples') },
              (c.samples || []).length ? h('ul', { class: 'samples' }, c.samples.map((v) => h('li', v === '' ? '\u2014' : v))) : h('span', { class: 'muted' }, '\u2014')));
        }))));
    }
    const matchBoxes = MATCH_KEYS.map((k) => {
      const id = `imp-match-${k}`;
      return h('div', { class: 'field-check' },
        h('input', { type: 'checkbox', id, name: 'match', value: k, checked: state.match.includes(k) }),
        h('label', { for: id }, t(`dupkey.${k}`)));
    });
    const errRadios = ['skip', 'abort'].map((v) => {
      const id = `imp-onerror-${v}`;
      return h('div', { class: 'field-check' },
        h('input', { type: 'radio', id, name: 'on_error', value: v, checked: state.onError === v }),
        h('label', { for: id }, t(`imp.on_error_${v}`)));
    });
    const forceId = 'imp-force';
    const form = h('form', { id: 'imp-options', novalidate: true },
      table,
      h('div', { class: 'options-grid' },
        h('fieldset', { class: 'checks' }, h('legend', t('imp.match')), h('p', { class: 'hint' }, t('imp.match_hint')), matchBoxes),
        h('fieldset', { class: 'checks' }, h('legend', t('imp.on_error')), errRadios,
          h('div', { class: 'field-check' },
            h('input', { type: 'checkbox', id: forceId, name: 'force', checked: state.force }),
            h('label', { for: forceId }, t('imp.force'))))),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary', id: 'imp-check' }, t('imp.check')),
        h('button', { type: 'button', id: 'imp-other', onclick: () => fileStep() }, t('imp.other_file'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (selects.length) state.mapping = Object.fromEntries(selects.map((s) => [s.dataset.header, s.value]));
      state.match = [...form.querySelectorAll('input[name=match]:checked')].map((x) => x.value);
      state.onError = form.querySelector('input[name=on_error]:checked')?.value || 'skip';
      state.force = form.querySelector(`#${forceId}`).checked;
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      form.setAttribute('aria-busy', 'true');
      status.textContent = t('imp.checking');
      try {
        const jj = await dryRun();
        if (!jj) return;
        state.job = jj;
        status.textContent = '';
        checkStep();
      } catch (ex) {
        if (!ctx.alive()) return;
        status.textContent = '';
        mappingStep(errorText(ex));
      }
    });
    step('mapping',
      h('section', { class: 'card', 'aria-labelledby': 'imp-map-title' },
        h('h2', { id: 'imp-map-title' }, t('imp.step_mapping')),
        message ? errorBox(message) : null,
        detected,
        table ? h('p', { class: 'hint' }, t('imp.mapping_hint')) : null,
        form));
  }

  // ---- step 3: what a real run would do ------------------------------------
  function counts(j, id) {
    const items = [['created', j.created], ['updated', j.updated], ['skipped', j.skipped], ['errors', j.errors]];
    return h('dl', { class: 'counts', id },
      items.map(([k, v]) => h('div', { class: ['count-box', `count-${k}`], 'data-count': k },
        h('dt', t(`imp.n_${k}`)), h('dd', fmtNumber(v || 0)))));
  }

  function errorList(j) {
    const list = j.error_list || [];
    if (!list.length) return null;
    return h('div', { class: 'table-wrap' }, h('table', { class: 'list errors', id: 'imp-errors' },
      h('caption', t('imp.error_list', { n: fmtNumber(j.errors || list.length) })),
      h('thead', h('tr', ['line', 'field', 'message'].map((c) => h('th', { scope: 'col' }, t(`imp.err_${c}`))))),
      h('tbody', list.map((x) => h('tr',
        h('td', { 'data-label': t('imp.err_line') }, String(x.line ?? '')),
        h('td', { 'data-label': t('imp.err_field') }, x.field ? targetLabel(x.field) : ''),
        // the reason by its code in the UI language, the server's detail (English) below it
        h('td', { 'data-label': t('imp.err_message') }, has(`imperr.${x.code}`) ? t(`imperr.${x.code}`) : x.code || '',
          x.message ? h('span', { class: 'muted small-text err-detail', lang: 'en' }, x.message) : null))))));
  }

  function errorsLink(j) {
    if (!j.errors) return null;
    return h('a', { href: `/api/v1/imports/${j.id}/errors.csv`, download: `import-${j.id}-errors.csv`, class: 'button', id: 'imp-errors-csv' }, t('imp.errors_csv'));
  }

  function checkStep() {
    const j = state.job;
    const abortWarn = j.errors && state.onError === 'abort';
    step('check',
      h('section', { class: 'card', 'aria-labelledby': 'imp-check-title' },
        h('h2', { id: 'imp-check-title' }, t('imp.step_check')),
        h('p', t('imp.dry_intro', { n: fmtNumber(j.total || 0) })),
        counts(j, 'imp-dry-counts'),
        abortWarn ? h('p', { class: 'error-box', role: 'alert' }, t('imp.abort_warn')) : null,
        errorList(j),
        h('div', { class: 'form-actions' },
          h('button', { type: 'button', class: 'primary', id: 'imp-run', onclick: run }, t('imp.run')),
          h('button', { type: 'button', id: 'imp-back', onclick: () => mappingStep() }, t('imp.back')),
          errorsLink(j))));
  }

  // ---- step 4: the real run ------------------------------------------------
  async function run() {
    const bar = h('progress', { id: 'imp-progress', max: '1', value: '0', 'aria-labelledby': 'imp-run-title' });
    const line = h('p', { id: 'imp-progress-text', 'aria-live': 'polite' }, t('imp.starting'));
    step('run', h('section', { class: 'card', 'aria-labelledby': 'imp-run-title' },
      h('h2', { id: 'imp-run-title' }, t('imp.running')), bar, line));
    let j;
    try {
      j = await follow(await startJob(false), (x) => {
        const total = Math.max(x.total || 0, x.done || 0);
        bar.max = total || 1;
        bar.value = x.done || 0;
        line.textContent = t('imp.progress', { done: fmtNumber(x.done || 0), total: fmtNumber(total) });
      });
    } catch (e) {
      if (!ctx.alive()) return;
      fill(body.firstChild, h('h2', { id: 'imp-run-title' }, t('imp.failed')), errorBox(errorText(e)),
        h('div', { class: 'form-actions' }, h('button', { type: 'button', onclick: () => checkStep() }, t('imp.back'))));
      return;
    }
    if (!j || !ctx.alive()) return;
    const failed = j.status === 'failed';
    step('run', h('section', { class: 'card', 'aria-labelledby': 'imp-done-title', id: 'imp-summary', 'data-status': j.status },
      h('h2', { id: 'imp-done-title' }, failed ? t('imp.failed') : t('imp.done')),
      failed && j.message ? errorBox(j.message) : null,
      h('progress', { max: String(Math.max(j.total || 0, 1)), value: String(j.done || 0), 'aria-label': t('imp.progress', { done: fmtNumber(j.done || 0), total: fmtNumber(j.total || 0) }) }),
      h('p', t('imp.progress', { done: fmtNumber(j.done || 0), total: fmtNumber(j.total || 0) })),
      counts(j, 'imp-counts'),
      errorList(j),
      h('div', { class: 'form-actions' },
        h('a', { href: '/parties', class: 'button primary', id: 'imp-parties' }, t('imp.to_parties')),
        errorsLink(j),
        h('button', { type: 'button', id: 'imp-again', onclick: () => fileStep() }, t('imp.again')))));
  }

  fill(main,
    pageHead(t('imp.title')),
    stepList,
    status,
    body);
  body.append(loading());
  fileStep();
}
