// Purchase invoices (purchasing): the list (/purchase-invoices) with the
// upload of a supplier's UBL e-invoice (an .xml file) and filters by status,
// one invoice (/purchase-invoices/ID) with its lines, VAT and totals, the
// supplier it was matched to (or linking an unmatched one with the party
// picker), the status change (received, approved, paid) and the original
// XML; and purchaseInvoicesPanel(party), the short list on a supplier's
// party page. Readers of purchasing see them; writers upload and change.

import { h, fill } from '../dom.js';
import { t, word, fmtDate, getLang } from '../i18n.js';
import { api, qs, hasEndpoint, getSession, ApiError } from '../api.js';
import { field, formError, showErrors, toast, busy, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { fmtAmount } from '../format.js';
import { partyPicker } from '../picker.js';
import { canRead, canWrite } from '../access.js';

const STATUSES = ['received', 'approved', 'paid'];

// POSTs the file's bytes as they are (the API takes the XML itself, not JSON).
async function upload(file) {
  const headers = { 'Content-Type': 'application/xml', Accept: 'application/json', 'Accept-Language': getLang() };
  const csrf = getSession()?.csrf;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch('/api/v1/purchase-invoices', { method: 'POST', headers, body: await file.arrayBuffer(), credentials: 'same-origin' });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

function statusChip(s) {
  return h('span', { class: ['chip', `pi-chip-${s}`] }, t(`purchase.status_${s}`));
}

function matchText(inv) {
  return inv.party ? t(`purchase.match_${inv.match}`) : t('purchase.match_none');
}

function row(inv) {
  return h('li', { class: 'pi-row', 'data-id': inv.id },
    h('a', { href: `/purchase-invoices/${inv.id}`, class: 'pi-link' },
      h('strong', inv.number), ' ',
      h('span', { class: 'muted' }, inv.party_name || inv.supplier_name || t('purchase.unknown_supplier'))),
    h('span', { class: 'pi-meta muted' }, [fmtDate(inv.date), inv.kind === 'credit_note' ? t('purchase.credit_note') : null].filter(Boolean).join(' \u00b7 ')),
    h('span', { class: 'pi-amount' }, fmtAmount(inv.gross, inv.currency)),
    statusChip(inv.status));
}

function uploadForm(onDone) {
  const err = formError();
  const file = field({ name: 'body', label: t('purchase.file'), type: 'file', id: 'pi-file', hint: t('purchase.file_hint'), attrs: { accept: '.xml,application/xml,text/xml' } });
  const form = h('form', { class: 'pi-upload', id: 'pi-upload', novalidate: true }, err, file,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'pi-upload-submit' }, t('purchase.upload'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = file.input.files?.[0];
    if (!f) {
      showErrors(form, new ApiError(422, { errors: [{ field: 'body', message: t('purchase.choose_file') }] }));
      return;
    }
    busy(form, async () => {
      try {
        const inv = await upload(f);
        toast(inv.party ? t('purchase.uploaded_matched', { name: inv.party_name }) : t('purchase.uploaded_unmatched'));
        await onDone(inv);
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return form;
}

async function renderList(main, ctx) {
  const status = ctx.query.get('status') || '';
  const sf = field({ name: 'status', label: t('purchase.status'), type: 'select', id: 'pi-status', value: status,
    options: [['', t('purchase.all')], ...STATUSES.map((s) => [s, t(`purchase.status_${s}`)])] });
  sf.input.addEventListener('change', () => ctx.navigate(qs('/purchase-invoices', { status: sf.input.value })));
  const list = h('div', { id: 'pi-list' }, loading());
  fill(main, pageHead(t('purchase.title')),
    canWrite('purchasing') ? h('section', { class: 'card', 'aria-labelledby': 'pi-upload-title' },
      h('h2', { id: 'pi-upload-title' }, t('purchase.upload_title')),
      uploadForm((inv) => ctx.navigate(`/purchase-invoices/${inv.id}`))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'pi-list-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'pi-list-title' }, t('purchase.list')), sf),
      list));
  try {
    const r = await api.get(qs('/purchase-invoices', { status, limit: 200 }));
    if (!ctx.alive()) return;
    fill(list, r.items.length ? h('ul', { class: 'pi-list' }, r.items.map(row)) : empty(t('purchase.none')));
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
  }
}

function vatRate(v) {
  if (v === 'exempt') return t('purchase.vat_exempt');
  if (v === 'reverse_charge') return t('purchase.vat_reverse_charge');
  return v == null ? '' : `${v}%`;
}

function linesTable(inv) {
  return h('div', { class: 'pi-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('purchase.lines') },
    h('table', { class: 'table pi-lines', id: 'pi-lines' },
      h('caption', { class: 'sr-only' }, t('purchase.lines')),
      h('thead', h('tr',
        h('th', { scope: 'col' }, t('purchase.description')),
        h('th', { scope: 'col', class: 'num' }, t('purchase.quantity')),
        h('th', { scope: 'col', class: 'num' }, t('purchase.price')),
        h('th', { scope: 'col', class: 'num' }, t('purchase.vat')),
        h('th', { scope: 'col', class: 'num' }, t('purchase.net')))),
      h('tbody', inv.lines.map((l) => h('tr',
        h('td', l.description || ''),
        h('td', { class: 'num' }, String(l.quantity)),
        h('td', { class: 'num' }, fmtAmount(l.unit_price, inv.currency)),
        h('td', { class: 'num' }, vatRate(l.vat)),
        h('td', { class: 'num' }, fmtAmount(l.net, inv.currency)))))));
}

function totalsList(inv) {
  const tt = inv.totals || {};
  return h('dl', { class: 'pi-totals', id: 'pi-totals' },
    h('div', h('dt', t('purchase.net')), h('dd', fmtAmount(inv.net, inv.currency))),
    (tt.vat || []).map((v) => h('div', h('dt', t('purchase.vat_line', { rate: vatRate(v.rate), base: fmtAmount(v.base, inv.currency) })),
      h('dd', fmtAmount(v.amount, inv.currency)))),
    h('div', { class: 'pi-total' }, h('dt', t('purchase.gross')), h('dd', fmtAmount(inv.gross, inv.currency))));
}

async function renderOne(main, ctx, id) {
  fill(main, loading());
  let inv;
  try {
    inv = await api.get(`/purchase-invoices/${id}`);
  } catch (e) {
    if (ctx.alive()) fill(main, pageHead(t('purchase.title')), errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  ctx.setTitle(t('purchase.one', { number: inv.number }));
  const write = canWrite('purchasing');
  const err = formError();
  const controls = [];
  if (write) {
    const sf = field({ name: 'status', label: t('purchase.status'), type: 'select', id: 'pi-set-status', value: inv.status,
      options: STATUSES.map((s) => [s, t(`purchase.status_${s}`)]) });
    const picker = partyPicker({ label: t('purchase.link_supplier'), id: 'pi-party', fieldName: 'party', required: false });
    const form = h('form', { id: 'pi-change', class: 'pi-change', novalidate: true }, err, h('div', { class: 'grid-2' }, sf, picker),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'pi-save' }, t('action.save'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { status: sf.input.value };
      const party = picker.value();
      if (party) body.party = Number(party);
      busy(form, async () => {
        try {
          await api.patch(`/purchase-invoices/${inv.id}`, body, { version: inv.version });
          toast(t('purchase.saved'));
          ctx.rerender();
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
    controls.push(h('section', { class: 'card', 'aria-labelledby': 'pi-change-title' }, h('h2', { id: 'pi-change-title' }, t('purchase.change')), form));
  }
  const xml = h('a', { class: 'button', id: 'pi-xml', href: `/api/v1/purchase-invoices/${inv.id}.xml`, download: `${inv.number}.xml` }, t('purchase.download_xml'));
  fill(main,
    pageHead(t('purchase.one', { number: inv.number }), xml),
    h('section', { class: 'card pi-head', 'aria-labelledby': 'pi-supplier-title' },
      h('h2', { id: 'pi-supplier-title' }, t('purchase.supplier')),
      h('p', { id: 'pi-supplier' }, inv.party ? h('a', { href: `/parties/${inv.party}` }, inv.party_name) : h('strong', inv.supplier_name || t('purchase.unknown_supplier')),
        ' ', h('span', { class: ['chip', inv.party ? 'chip-on' : 'chip-warn'], id: 'pi-match' }, matchText(inv))),
      h('p', { class: 'muted' }, [inv.supplier_vat && `${t('purchase.vat_id')} ${inv.supplier_vat}`, inv.supplier_kvk && `${t('purchase.kvk')} ${inv.supplier_kvk}`].filter(Boolean).join(' \u00b7 ')),
      h('p', [`${t('purchase.date')} ${fmtDate(inv.date)}`, inv.due ? `${t('purchase.due')} ${fmtDate(inv.due)}` : null, inv.kind === 'credit_note' ? t('purchase.credit_note') : null].filter(Boolean).join(' \u00b7 '), ' ', statusChip(inv.status))),
    h('section', { class: 'card', 'aria-labelledby': 'pi-lines-title' },
      h('h2', { id: 'pi-lines-title' }, t('purchase.lines')), linesTable(inv), totalsList(inv)),
    controls);
}

export async function render(main, ctx) {
  ctx.setTitle(t('purchase.title'));
  if (!(await hasEndpoint('GET', '/purchase-invoices'))) {
    fill(main, pageHead(t('purchase.title')), empty(t('feature.unavailable')));
    return;
  }
  if (ctx.params[0]) await renderOne(main, ctx, ctx.params[0]);
  else await renderList(main, ctx);
}

// The party page's panel of a supplier: its latest purchase invoices.
export function purchaseInvoicesPanel(party) {
  const sec = h('section', { class: 'card', id: 'pi-panel', 'aria-labelledby': 'pi-panel-title', hidden: true });
  const isSupplier = (party.roles || []).some((r) => r.type === 'supplier');
  if (!isSupplier || !canRead('purchasing')) return sec;
  (async () => {
    if (!(await hasEndpoint('GET', '/purchase-invoices'))) return;
    sec.hidden = false;
    const body = h('div', loading());
    fill(sec, h('div', { class: 'panel-head' }, h('h2', { id: 'pi-panel-title' }, t('purchase.title')),
      h('a', { href: '/purchase-invoices', class: 'small' }, t('purchase.all_link'))), body);
    try {
      const r = await api.get(qs('/purchase-invoices', { party: party.id, limit: 5 }));
      fill(body, r.items.length ? h('ul', { class: 'pi-list' }, r.items.map(row)) : empty(t('purchase.none')));
    } catch (e) {
      fill(body, errorBox(errorText(e)));
    }
  })();
  return sec;
}
