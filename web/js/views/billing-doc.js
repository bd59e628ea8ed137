// Quotes and invoices: the parts their screens share. The editor of a draft
// (party by picker, a deal of that party, dates, the lines table with add,
// remove and move up/down, live totals per VAT rate from billing-calc.js,
// the note; API field errors such as lines[2].vat next to that row's input),
// the read-only lines and totals of a sent or issued document, the status
// chip and the PDF preview (the server's PNG of page 1 and links to the PDF
// and, for invoices, the UBL file). The server's totals are the real ones:
// after a save the page shows what it answered.

import { h, fill, nextId, todayISO } from '../dom.js';
import { t, word, has, fmtDate, fmtNumber, getLang } from '../i18n.js';
import { api, listAll, hasEndpoint, qs } from '../api.js';
import { fmtAmount, amountInput, parseAmount } from '../format.js';
import { field, formError } from '../forms.js';
import { partyPicker } from '../picker.js';
import { totals as calcTotals, lineNet, parseDecimal, VAT_RATES } from '../billing-calc.js';

// "draft" -> a chip in the status's colour (quote.status.* / invoice.status.*).
export function statusChip(kind, status) {
  const group = kind === 'quote' ? 'quote.status' : 'invoice.status';
  return h('span', { class: ['chip', `bill-status-${status}`], 'data-status': status }, word(group, status));
}

export function vatName(rate) {
  return word('billing.vat', rate);
}

// A quantity or percentage as it is typed back in the editor (no grouping).
function decInput(v, places) {
  if (v === null || v === undefined || v === '') return '';
  return new Intl.NumberFormat(getLang() === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: places, useGrouping: false }).format(Number(v));
}

// "Btw 21% over € 212,50", "Btw verlegd: € 200,00" (billing.total_vat.<rate>).
function vatLine(rate, base) {
  const key = `billing.total_vat.${rate}`;
  return has(key) ? t(key, { base }) : `${vatName(rate)} ${base}`;
}

export function fmtQty(v) {
  return fmtNumber(Number(v), { maximumFractionDigits: 3 });
}

// The totals: net, per VAT rate its base and amount, gross.
export function totalsTable(tot, { id = 'bill-totals', caption = null, negative = false } = {}) {
  const sign = negative ? -1 : 1;
  const money = (c) => fmtAmount(sign * (c || 0));
  return h('table', { class: 'bill-totals', id },
    caption ? h('caption', caption) : null,
    h('tbody',
      h('tr', { class: 'bt-net' }, h('th', { scope: 'row' }, t('billing.net')), h('td', { 'data-total': 'net' }, money(tot?.net))),
      (tot?.vat || []).map((v) => h('tr', { class: 'bt-vat', 'data-rate': v.rate },
        h('th', { scope: 'row' }, vatLine(v.rate, money(v.base))),
        h('td', money(v.amount)))),
      h('tr', { class: 'bt-gross' }, h('th', { scope: 'row' }, t('billing.gross')), h('td', { 'data-total': 'gross' }, money(tot?.gross)))));
}

// The lines of a document that can no longer change.
export function linesTable(lines, { negative = false } = {}) {
  const sign = negative ? -1 : 1;
  const th = (text, cls) => h('th', { scope: 'col', class: cls }, text);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list bill-lines-table', id: 'bill-lines-table' },
    h('caption', { class: 'sr-only' }, t('billing.lines')),
    h('thead', h('tr', th(t('billing.description')), th(t('billing.quantity'), 'num'), th(t('billing.unit_price'), 'num'),
      th(t('billing.discount'), 'num'), th(t('billing.vat'), 'num'), th(t('billing.line_net'), 'num'))),
    h('tbody', (lines || []).map((l) => h('tr',
      h('td', { class: 'c-desc' }, l.description),
      h('td', { class: 'num', 'data-label': t('billing.quantity') }, [fmtQty(l.quantity), l.unit ? ` ${l.unit}` : ''].join('')),
      h('td', { class: 'num', 'data-label': t('billing.unit_price') }, fmtAmount(l.unit_price)),
      h('td', { class: 'num', 'data-label': t('billing.discount') }, Number(l.discount_pct) ? `${fmtNumber(Number(l.discount_pct), { maximumFractionDigits: 2 })}%` : ''),
      h('td', { class: 'num', 'data-label': t('billing.vat') }, vatName(l.vat)),
      h('td', { class: 'num', 'data-label': t('billing.line_net') }, fmtAmount(sign * (l.net ?? lineNet(l) ?? 0))))))));
}

// The preview: page 1 as the server renders it (PNG) and the documents to
// open or download. pngUrl/pdfUrl/xmlUrl are written out by the caller.
export function previewBlock({ pngUrl, pdfUrl, xmlUrl = null, name, showPng = true }) {
  const img = showPng ? h('img', { src: pngUrl, class: 'bill-preview-img', id: 'bill-preview-img', alt: t('billing.preview_alt', { name }), width: 595, height: 842 }) : null;
  return h('section', { class: 'card bill-preview', id: 'bill-preview', 'aria-labelledby': 'bill-preview-title' },
    h('h2', { id: 'bill-preview-title' }, t('billing.preview')),
    h('div', { class: 'bill-preview-links' },
      h('a', { class: 'button', href: pdfUrl, target: '_blank', rel: 'noopener', id: 'bill-open-pdf' }, t('billing.open_pdf')),
      h('a', { class: 'button', href: pdfUrl, download: `${name}.pdf`, id: 'bill-download-pdf' }, t('billing.download_pdf')),
      xmlUrl ? h('a', { class: 'button', href: xmlUrl, download: `${name}.xml`, id: 'bill-download-xml' }, t('billing.download_ubl')) : null),
    img ? h('div', { class: 'bill-preview-frame' }, img) : null);
}

// The editor's line rows. read() -> {lines, errors} (errors: unreadable
// quantities, prices and discounts, by the API's field names).
function linesEditor(initial, onChange) {
  const box = h('div', { class: 'bill-lines', id: 'bill-lines', role: 'group', 'aria-label': t('billing.lines') });
  let rows = (initial || []).map((l) => ({
    description: l.description || '',
    quantity: decInput(l.quantity, 3),
    unit: l.unit || '',
    unit_price: l.unit_price === undefined || l.unit_price === null ? '' : amountInput(l.unit_price),
    discount_pct: Number(l.discount_pct) ? decInput(l.discount_pct, 2) : '',
    vat: l.vat === undefined || l.vat === null ? '21' : String(l.vat),
  }));
  let els = [];

  const blank = () => ({ description: '', quantity: '1', unit: '', unit_price: '', discount_pct: '', vat: '21' });

  function rawRows() {
    return els.map((r) => Object.fromEntries(Object.entries(r.inputs).map(([k, f]) => [k, f.input.value])));
  }

  function parsed() {
    const lang = getLang();
    const errors = [];
    const lines = rawRows().map((r, i) => {
      const q = parseDecimal(r.quantity, lang, 3);
      const p = parseAmount(r.unit_price);
      const d = r.discount_pct.trim() === '' ? 0 : parseDecimal(r.discount_pct, lang, 2);
      if (Number.isNaN(q)) errors.push({ field: `lines[${i}].quantity`, message: t('billing.bad_number') });
      if (Number.isNaN(p)) errors.push({ field: `lines[${i}].unit_price`, message: r.unit_price.trim() ? t('billing.bad_amount') : t('error.required') });
      if (Number.isNaN(d)) errors.push({ field: `lines[${i}].discount_pct`, message: t('billing.bad_number') });
      const line = { description: r.description.trim(), quantity: q, unit_price: p, discount_pct: d, vat: r.vat };
      if (r.unit.trim()) line.unit = r.unit.trim();
      return line;
    });
    return { lines, errors };
  }

  function recalc() {
    const { lines } = parsed();
    lines.forEach((l, i) => {
      const net = lineNet(l);
      els[i].net.textContent = net === null ? '\u2013' : fmtAmount(net);
    });
    onChange(calcTotals(lines));
  }

  function draw() {
    const n = rows.length;
    els = rows.map((r, i) => {
      const p = `lines[${i}].`;
      const f = (name, label, extra = {}) => field({ name: `line-${i}-${name}`, id: `line-${i}-${name}`, field: `${p}${name}`, label, value: r[name], ...extra });
      const inputs = {
        description: f('description', t('billing.description'), { required: true }),
        quantity: f('quantity', t('billing.quantity'), { attrs: { inputmode: 'decimal' } }),
        unit: f('unit', t('billing.unit'), { attrs: { maxlength: 20, list: 'bill-units' } }),
        unit_price: f('unit_price', t('billing.unit_price'), { attrs: { inputmode: 'decimal' } }),
        discount_pct: f('discount_pct', t('billing.discount_pct'), { attrs: { inputmode: 'decimal', placeholder: '0' } }),
        vat: f('vat', t('billing.vat'), { type: 'select', options: VAT_RATES.map((v) => [v, vatName(v)]) }),
      };
      const net = h('output', { class: 'bl-net', id: `line-${i}-net`, for: `line-${i}-quantity line-${i}-unit_price line-${i}-discount_pct` }, '');
      const move = (to) => {
        const cur = rawRows();
        const [x] = cur.splice(i, 1);
        cur.splice(to, 0, x);
        rows = cur;
        draw();
        box.querySelector(`#line-${to}-description`)?.focus();
      };
      const el = h('fieldset', { class: 'bill-line', 'data-line': i },
        h('legend', { class: 'bl-legend' }, t('billing.line_n', { n: i + 1 })),
        h('div', { class: 'bl-fields' },
          h('div', { class: 'bl-desc' }, inputs.description),
          h('div', { class: 'bl-nums' }, inputs.quantity, inputs.unit, inputs.unit_price, inputs.discount_pct, inputs.vat,
            h('div', { class: 'field bl-net-field' }, h('span', { class: 'bl-net-label', 'aria-hidden': 'true' }, t('billing.line_net')), net))),
        h('div', { class: 'bl-tools' },
          h('button', { type: 'button', class: 'small icon-btn bl-up', disabled: i === 0, 'aria-label': t('billing.line_up', { n: i + 1 }), onclick: () => move(i - 1) }, '\u2191'),
          h('button', { type: 'button', class: 'small icon-btn bl-down', disabled: i === n - 1, 'aria-label': t('billing.line_down', { n: i + 1 }), onclick: () => move(i + 1) }, '\u2193'),
          h('button', { type: 'button', class: 'small icon-btn bl-remove', 'aria-label': t('billing.line_remove', { n: i + 1 }), onclick: () => {
            const cur = rawRows();
            cur.splice(i, 1);
            rows = cur;
            draw();
            (box.querySelector(`#line-${Math.min(i, rows.length - 1)}-description`) || addBtn).focus();
          } }, '\u00d7')));
      return { el, inputs, net };
    });
    fill(box, els.map((r) => r.el), h('datalist', { id: 'bill-units' }, t('billing.units').split(',').map((u) => h('option', { value: u.trim() }))));
    recalc();
  }

  const addBtn = h('button', { type: 'button', class: 'small', id: 'bill-add-line', onclick: () => {
    rows = [...rawRows(), blank()];
    draw();
    box.querySelector(`#line-${rows.length - 1}-description`)?.focus();
  } }, t('billing.add_line'));
  box.addEventListener('input', recalc);
  box.addEventListener('change', recalc);
  if (!rows.length) rows = [blank()];
  const wrap = h('div', { class: 'bill-lines-wrap' }, h('h2', { class: 'h3', id: 'bill-lines-title' }, t('billing.lines')), box, addBtn);
  return { el: wrap, read: parsed, draw };
}

function presetParty(picker, party) {
  const search = picker.querySelector('input');
  const list = picker.querySelector('select');
  search.value = party.name || `#${party.id}`;
  fill(list, h('option', { value: party.id, selected: true }, party.name || `#${party.id}`));
  list.hidden = false;
}

/*
 * The editor of a draft quote or invoice.
 * docEditor({kind: 'quote'|'invoice', doc (the saved draft or null), party
 * ({id, name} preset for a new one), deal (id preset), onSubmit(body, form)})
 * -> {form, totalsBox, read()}; onSubmit gets the request body (lines in
 * the API's units) once the typed values could be read.
 */
export function docEditor({ kind, doc = null, party = null, deal = null, onSubmit, actions = [] }) {
  const err = formError();
  const picker = partyPicker({ id: 'bill-party', label: t('billing.party'), fieldName: 'party' });
  const p0 = doc ? { id: doc.party, name: doc.party_name } : party;
  if (p0) presetParty(picker, p0);
  const dealF = field({ name: 'deal', label: t('billing.deal'), type: 'select', id: 'bill-deal', options: [['', t('billing.no_deal')]] });
  const date = field({ name: 'date', label: t('billing.date'), type: 'date', id: 'bill-date',
    value: doc ? doc.date || '' : (kind === 'quote' ? todayISO() : ''), required: kind === 'quote',
    hint: kind === 'invoice' ? t('invoice.date_hint') : null });
  let valid = null;
  if (kind === 'quote') {
    const d = new Date();
    d.setDate(d.getDate() + 30);
    valid = field({ name: 'valid_until', label: t('quote.valid_until'), type: 'date', id: 'bill-valid-until', value: doc ? doc.valid_until || '' : todayISO(d) });
  }
  const note = field({ name: 'note', label: t('billing.note'), type: 'textarea', id: 'bill-note', rows: 2, value: doc?.note || '' });
  const totalsBox = h('div', { class: 'bill-live', id: 'bill-live', 'aria-live': 'polite' });
  const showTotals = (tot, saved) => fill(totalsBox,
    h('p', { class: 'muted small-text', id: 'bill-totals-state' }, saved ? t('billing.totals_saved') : t('billing.totals_live')),
    totalsTable(tot));
  const editor = linesEditor(doc?.lines || [], (tot) => showTotals(tot, false));

  let dealsFor = null;
  async function loadDeals(selected) {
    const pid = picker.value();
    if (pid === dealsFor) return;
    dealsFor = pid;
    const keep = selected ?? dealF.input.value;
    let items = [];
    if (pid && await hasEndpoint('GET', '/deals')) {
      try {
        items = (await listAll('/deals', { party: pid }, 500)).items;
      } catch {
        items = [];
      }
    }
    if (dealsFor !== pid) return;
    fill(dealF.input, h('option', { value: '' }, t('billing.no_deal')),
      items.map((d) => h('option', { value: d.id, selected: String(d.id) === String(keep) }, `${d.title} (${word('deal.state', d.status)})`)));
  }
  picker.addEventListener('change', () => loadDeals());
  picker.addEventListener('focusout', () => loadDeals());

  const form = h('form', { class: 'bill-form', id: `${kind}-form`, novalidate: true },
    err, h('div', { class: 'grid-2' }, picker, dealF),
    h('div', { class: 'grid-2' }, date, valid),
    editor.el, note,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'bill-save' }, t('action.save')), actions));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { lines, errors } = editor.read();
    const pid = picker.value();
    if (!pid) errors.unshift({ field: 'party', message: t('error.required') });
    if (kind === 'quote' && !date.input.value) errors.push({ field: 'date', message: t('error.required') });
    if (errors.length) {
      onSubmit(null, form, { errors, status: 422 });
      return;
    }
    const body = { party: pid, deal: dealF.input.value ? Number(dealF.input.value) : null, lines, note: note.input.value.trim() || null };
    if (date.input.value) body.date = date.input.value;
    else if (kind === 'invoice') body.date = null;
    if (valid) body.valid_until = valid.input.value || null;
    onSubmit(body, form, null);
  });
  editor.draw();
  if (doc?.totals) showTotals(doc.totals, true);
  loadDeals(doc ? doc.deal : deal);
  return { form, totalsBox, showSaved: (d) => showTotals(d.totals, true) };
}

// The list of a party's or everyone's documents as a table.
export function docTable(kind, items, { showParty = true, id } = {}) {
  const base = kind === 'quote' ? '/quotes' : '/invoices';
  const th = (text, cls) => h('th', { scope: 'col', class: cls }, text);
  const number = (d) => d.number || t('invoice.draft_number');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list bill-list', id },
    h('thead', h('tr', th(t('billing.number')), showParty ? th(t('billing.party')) : null, th(t('billing.date')),
      th(kind === 'quote' ? t('quote.valid_until') : t('invoice.due')), th(t('billing.gross'), 'num'),
      kind === 'invoice' ? th(t('invoice.open'), 'num') : null, th(t('billing.status')))),
    h('tbody', items.map((d) => h('tr', { 'data-id': d.id },
      h('td', { class: 'c-name' }, h('a', { href: `${base}/${d.id}` }, number(d)),
        d.kind === 'credit_note' ? [' ', h('span', { class: 'chip' }, t('invoice.kind.credit_note'))] : null),
      showParty ? h('td', { 'data-label': t('billing.party') }, h('a', { href: `/parties/${d.party}` }, d.party_name || `#${d.party}`)) : null,
      h('td', { 'data-label': t('billing.date') }, fmtDate(d.date)),
      h('td', { 'data-label': kind === 'quote' ? t('quote.valid_until') : t('invoice.due') }, fmtDate(kind === 'quote' ? d.valid_until : d.due)),
      h('td', { class: 'num', 'data-label': t('billing.gross') }, fmtAmount((d.kind === 'credit_note' ? -1 : 1) * (d.totals?.gross ?? 0))),
      kind === 'invoice' ? h('td', { class: 'num', 'data-label': t('invoice.open') }, d.status === 'draft' || d.kind === 'credit_note' ? '' : fmtAmount(d.open)) : null,
      h('td', { 'data-label': t('billing.status') }, statusChip(kind, d.status)))))));
}

// A page of a list with "more" (the API's cursor).
export async function pagedList(box, path, params, drawItems) {
  let cursor = null;
  const all = [];
  const more = h('button', { type: 'button', class: 'small', id: 'bill-more', hidden: true }, t('list.more'));
  async function next() {
    const r = await api.get(qs(path, { ...params, limit: 100, cursor }));
    all.push(...(r.items || []));
    cursor = r.next || null;
    fill(box, drawItems(all), more);
    more.hidden = !cursor;
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await next();
    } finally {
      more.disabled = false;
    }
  });
  await next();
}

export const uid = () => nextId('bill');
