// One invoice (/invoices/ID) and a new one (/invoices/new?party=&deal=).
// A draft is edited like a quote (billing-doc.js) and issued after a
// confirmation (it gets its number and can no longer change). An issued
// invoice or credit note shows its number, status, dates, the buyer as
// issued, lines and totals, what is paid and open, the preview (PNG of page
// 1) with the PDF and UBL (.xml) downloads, the payments with "register a
// payment", the reminders (the next one; the WIK 14-day letter and
// collection costs as the API states them), a full credit with its
// confirmation, and links between a credit note and the invoice it credits.
// Controls only for sales writers (access.js).

import { h, fill, todayISO } from '../dom.js';
import { t, word, fmtDate, fmtDateTime } from '../i18n.js';
import { api, hasEndpoint, listAll } from '../api.js';
import { fmtAmount, amountInput, parseAmount } from '../format.js';
import { field, formError, showErrors, clearErrors, toast, errorText, busy } from '../forms.js';
import { canWriteBilling } from '../access.js';
import { loading, empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';
import { documentsOnPage } from './documents.js'; // documents
import { docEditor, statusChip, totalsTable, linesTable, previewBlock } from './billing-doc.js';
import { mailButton } from './compose.js'; // e-mail: send the invoice

function docName(inv) {
  return inv.kind === 'credit_note' ? t('invoice.credit_title_n', { number: inv.number }) : t('invoice.title_n', { number: inv.number });
}

// The payments of an issued invoice and the form to register one.
function paymentsCard(inv, onChange) {
  const list = (inv.payments || []).length
    ? h('ul', { class: 'plain bill-payments', id: 'invoice-payments' }, inv.payments.map((p) => h('li', { 'data-id': p.id },
      h('strong', fmtAmount(p.amount)), ` \u00b7 ${fmtDate(p.date)}`, p.note ? h('span', { class: 'muted' }, ` \u00b7 ${p.note}`) : null)))
    : empty(t('invoice.no_payments'));
  let form = null;
  if (canWriteBilling() && inv.kind === 'invoice' && (inv.status === 'open' || inv.status === 'overdue')) {
    const err = formError();
    const amount = field({ name: 'amount', label: t('invoice.pay_amount'), id: 'pay-amount', value: amountInput(inv.open), required: true, attrs: { inputmode: 'decimal' } });
    const date = field({ name: 'date', label: t('invoice.pay_date'), type: 'date', id: 'pay-date', value: todayISO(), required: true, attrs: { max: todayISO() } });
    const note = field({ name: 'note', label: t('invoice.pay_note'), id: 'pay-note' });
    form = h('form', { class: 'bill-pay-form', id: 'payment-form', novalidate: true },
      h('h3', t('invoice.register_payment')), err, h('div', { class: 'grid-3' }, amount, date, note),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'pay-submit' }, t('invoice.register'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors(form);
      const cents = parseAmount(amount.input.value);
      const errors = [];
      if (Number.isNaN(cents)) errors.push({ field: 'amount', message: amount.input.value.trim() ? t('billing.bad_amount') : t('error.required') });
      if (!date.input.value) errors.push({ field: 'date', message: t('error.required') });
      if (errors.length) {
        showErrors(form, { errors });
        return;
      }
      const body = { amount: cents, date: date.input.value };
      if (note.input.value.trim()) body.note = note.input.value.trim();
      busy(form, async () => {
        try {
          const r = await api.post(`/invoices/${inv.id}/payments`, body);
          toast(t('invoice.payment_registered', { amount: fmtAmount(cents) }));
          await onChange(r);
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }
  return h('section', { class: 'card', id: 'invoice-payments-card', 'aria-labelledby': 'invoice-payments-title' },
    h('h2', { id: 'invoice-payments-title' }, t('invoice.payments')),
    h('dl', { class: 'props bill-paid' },
      h('dt', t('invoice.paid')), h('dd', { id: 'invoice-paid' }, fmtAmount(inv.paid || 0)),
      h('dt', t('invoice.open')), h('dd', { id: 'invoice-open' }, fmtAmount(inv.open ?? 0))),
    list, form);
}

// The reminders of an open invoice (GET /invoices/{id}/reminders): what was
// sent (a reminder, the WIK 14-day letter with its pay-by date and the
// collection costs it states, the costs charged), the next one, and whether
// collection costs may be charged now or from when.
async function remindersCard(inv, onChange) {
  if (inv.kind !== 'invoice' || inv.status === 'draft' || !(await hasEndpoint('GET', '/invoices/{id}/reminders'))) return null;
  let r;
  try {
    r = await api.get(`/invoices/${inv.id}/reminders`);
  } catch (e) {
    return h('section', { class: 'card', id: 'invoice-reminders' }, errorBox(errorText(e)));
  }
  const items = r.items || [];
  const col = r.collection || {};
  const open = inv.status === 'open' || inv.status === 'overdue';
  const can = canWriteBilling() && open && (await hasEndpoint('POST', '/invoices/{id}/reminders'));
  const send = (kind, idAttr, text, cls) => h('button', { type: 'button', id: idAttr, class: cls, onclick: async (e) => {
    e.target.disabled = true;
    try {
      const x = await api.post(`/invoices/${inv.id}/reminders`, { kind });
      toast(t('invoice.reminder_sent', { kind: word('invoice.reminder_kind', x?.kind || kind) }));
      await onChange();
    } catch (ex) {
      e.target.disabled = false;
      toast(errorText(ex), 'error');
    }
  } }, text);
  let colText = null;
  if (open && col.costs && !r.collection_costs) {
    colText = col.allowed ? t('invoice.collection_allowed', { amount: fmtAmount(col.costs) })
      : col.from ? t('invoice.collection_from', { amount: fmtAmount(col.costs), date: fmtDate(col.from) }) : null;
  }
  return h('section', { class: 'card', id: 'invoice-reminders', 'aria-labelledby': 'invoice-reminders-title' },
    h('h2', { id: 'invoice-reminders-title' }, t('invoice.reminders')),
    items.length ? h('ol', { class: 'bill-reminders', id: 'invoice-reminder-list' }, items.map((x) => h('li', { 'data-kind': x.kind },
      h('strong', word('invoice.reminder_kind', x.kind)), ` \u00b7 ${fmtDate(x.date)}`,
      x.pay_by ? h('span', ` \u00b7 ${t('invoice.pay_by', { date: fmtDate(x.pay_by) })}`) : null,
      x.costs ? h('span', { class: 'bill-costs' }, ` \u00b7 ${t(x.kind === 'collection' ? 'invoice.costs_charged' : 'invoice.costs_stated', { amount: fmtAmount(x.costs) })}`) : null,
      x.activity ? [' \u00b7 ', h('a', { href: `/parties/${inv.party}` }, t('invoice.letter_on_timeline'))] : null)))
      : empty(t('invoice.no_reminders')),
    r.collection_costs ? h('p', { id: 'invoice-collection-costs' }, t('invoice.collection_total', { amount: fmtAmount(r.collection_costs) })) : null,
    colText ? h('p', { class: 'muted', id: 'invoice-collection-when' }, colText) : null,
    can ? h('div', { class: 'form-actions' },
      send('reminder', 'invoice-remind', t('invoice.send_reminder'), 'primary'),
      col.allowed && !r.collection_costs ? send('collection', 'invoice-collection', t('invoice.charge_collection'), 'danger-line') : null) : null);
}

export async function render(main, ctx) {
  const isNew = ctx.params[0] === 'new';
  const id = isNew ? null : Number(ctx.params[0]);
  main.append(loading());
  let inv = null;
  let preset = null;
  if (isNew) {
    const pid = Number(ctx.query.get('party')) || null;
    if (pid) {
      const p = await api.get(`/parties/${pid}`);
      preset = { id: p.id, name: p.name };
    }
  } else {
    inv = await api.get(`/invoices/${id}`);
  }
  if (!ctx.alive()) return;
  const writable = canWriteBilling();
  const [hasPng, hasXml] = await Promise.all([hasEndpoint('GET', '/invoices/{id}.png'), hasEndpoint('GET', '/invoices/{id}.xml')]);
  if (!ctx.alive()) return;
  documentsOnPage(main, ctx, inv && { kind: 'invoice', id }, { domain: 'sales', canWrite: writable }, '.bill-grid > .col-side'); // documents
  const draft = !inv || inv.status === 'draft';
  const title = !inv ? t('invoice.new') : draft ? t('invoice.draft_title') : docName(inv);
  ctx.setTitle(title);

  async function issue() {
    if (!(await confirmDialog(t('invoice.issue_title'), t('invoice.issue_text'), t('invoice.issue')))) return;
    try {
      const r = await api.post(`/invoices/${id}/issue`, undefined, { version: inv.version });
      toast(t('invoice.issued', { number: r.number }));
      await ctx.rerender();
    } catch (ex) {
      // what is missing to issue (company details, an address, a BTW-id) comes back as field errors
      const form = document.getElementById('invoice-form');
      if (form && ex.errors?.length) showErrors(form, ex);
      else toast(errorText(ex), 'error');
    }
  }

  async function remove() {
    if (!(await confirmDialog(t('invoice.delete_title'), t('invoice.delete_text'), t('invoice.delete')))) return;
    try {
      await api.del(`/invoices/${id}`, { version: inv.version });
      toast(t('invoice.deleted'));
      ctx.navigate('/invoices');
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  async function credit() {
    if (!(await confirmDialog(t('invoice.credit_title'), t('invoice.credit_text', { number: inv.number }), t('invoice.credit')))) return;
    try {
      const r = await api.post(`/invoices/${id}/credit`, undefined, { version: inv.version });
      toast(t('invoice.credited', { number: inv.number }));
      if (r?.kind === 'credit_note' && r.id !== id) ctx.navigate(`/invoices/${r.id}`);
      else await ctx.rerender();
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  const btn = (idAttr, text, fn, cls) => h('button', { type: 'button', id: idAttr, class: cls, onclick: fn }, text);
  const actions = [];
  if (writable && inv) {
    if (draft) actions.push(btn('invoice-issue', t('invoice.issue'), issue, 'primary'), btn('invoice-delete', t('invoice.delete'), remove, 'danger-line'));
    else if (inv.kind === 'invoice' && inv.status !== 'credited') actions.push(btn('invoice-credit', t('invoice.credit'), credit, 'danger-line'));
  }
  const head = h('div', { class: 'page-head bill-head' },
    h('div', { class: 'title-block' },
      h('h1', { id: 'page-title' }, title),
      inv ? h('div', { class: 'head-meta' }, statusChip('invoice', inv.status),
        h('a', { href: `/parties/${inv.party}`, id: 'invoice-party-link' }, inv.party_name || `#${inv.party}`),
        inv.quote ? h('a', { href: `/quotes/${inv.quote}`, id: 'invoice-quote-link' }, t('invoice.to_quote')) : null,
        inv.deal ? h('a', { href: `/deals/${inv.deal}` }, t('billing.to_deal')) : null,
        h('a', { href: '/invoices' }, t('invoice.to_list'))) : null),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
  mailButton(head, inv && !draft && { parties: [inv.party], record: `invoice:${inv.id}`, domain: 'sales', template: inv.status === 'overdue' ? 'reminder' : 'invoice', id: 'invoice-mail', onSent: () => ctx.rerender() }); // e-mail: the issued invoice with its PDF

  const name = inv?.number || (inv ? `${t('invoice.draft_file')}-${inv.id}` : '');
  const preview = inv && hasPng ? previewBlock({
    pngUrl: `/api/v1/invoices/${inv.id}.png?v=${inv.version}`,
    pdfUrl: `/api/v1/invoices/${inv.id}.pdf`,
    xmlUrl: !draft && hasXml ? `/api/v1/invoices/${inv.id}.xml` : null,
    name,
  }) : null;

  if (draft && writable) {
    const ed = docEditor({
      kind: 'invoice', doc: inv, party: preset, deal: Number(ctx.query.get('deal')) || null,
      onSubmit: (body, form, localErr) => {
        if (localErr) {
          showErrors(form, localErr);
          return;
        }
        busy(form, async () => {
          try {
            const r = inv ? await api.patch(`/invoices/${id}`, body, { version: inv.version }) : await api.post('/invoices', body);
            toast(t('invoice.saved'));
            if (!inv) {
              ctx.navigate(`/invoices/${r.id}`, { replace: true });
              return;
            }
            await ctx.rerender();
          } catch (ex) {
            if (ex.status === 412) ex.errors = [];
            showErrors(form, ex);
          }
        });
      },
    });
    fill(main, head, inv ? h('p', { class: 'bill-note', id: 'invoice-draft-note' }, t('invoice.draft_note')) : null, h('div', { class: 'bill-grid' },
      h('div', { class: 'col-main' }, h('section', { class: 'card', 'aria-labelledby': 'page-title' }, ed.form)),
      h('div', { class: 'col-side' },
        h('section', { class: 'card', 'aria-labelledby': 'bill-totals-title' }, h('h2', { id: 'bill-totals-title' }, t('billing.totals')), ed.totalsBox),
        preview)));
    return;
  }
  if (!inv) {
    fill(main, head, errorBox(t('error.forbidden')));
    return;
  }

  // the credit notes of this invoice, or the invoice a credit note corrects
  let creditLinks = null;
  if (inv.kind === 'credit_note' && inv.credit_of) {
    creditLinks = h('p', { id: 'invoice-credit-of' }, t('invoice.credits'), ' ', h('a', { href: `/invoices/${inv.credit_of}` }, inv.credit_of_number || `#${inv.credit_of}`));
  } else if (inv.kind === 'invoice' && !draft) {
    try {
      const notes = (await listAll('/invoices', { party: inv.party, kind: 'credit_note' }, 500)).items.filter((c) => Number(c.credit_of) === inv.id);
      if (notes.length) {
        creditLinks = h('p', { id: 'invoice-credit-notes' }, t('invoice.credited_by'), ' ',
          notes.map((c, i) => [i ? ', ' : '', h('a', { href: `/invoices/${c.id}` }, c.number)]));
      }
    } catch {
      creditLinks = null;
    }
  }
  if (!ctx.alive()) return;
  const negative = inv.kind === 'credit_note';
  const buyer = inv.buyer || {};
  const buyerText = [buyer.name, [buyer.street, buyer.house_number].filter(Boolean).join(' '), [buyer.postcode, buyer.city].filter(Boolean).join(' '),
    buyer.country && buyer.country !== 'NL' ? buyer.country : null].filter(Boolean);
  const rows = [
    [t('billing.number'), inv.number],
    [t('invoice.kind_label'), word('invoice.kind', inv.kind)],
    [t('billing.party'), h('a', { href: `/parties/${inv.party}` }, inv.party_name || `#${inv.party}`)],
    [t('invoice.buyer'), buyerText.length ? h('span', { class: 'pre' }, buyerText.join('\n')) : ''],
    [t('invoice.debtor_number'), buyer.debtor_number || ''],
    [t('invoice.buyer_vat'), buyer.vat || ''],
    [t('billing.date'), fmtDate(inv.date)],
    [t('invoice.due'), inv.kind === 'invoice' ? fmtDate(inv.due) : ''],
    [t('invoice.issued_at'), fmtDateTime(inv.issued_at)],
    [t('billing.note'), inv.note || ''],
  ].filter(([, v]) => v);
  const reminders = await remindersCard(inv, () => ctx.rerender());
  if (!ctx.alive()) return;
  fill(main, head, creditLinks, h('div', { class: 'bill-grid' },
    h('div', { class: 'col-main' },
      h('section', { class: 'card', 'aria-labelledby': 'bill-facts-title' }, h('h2', { id: 'bill-facts-title' }, t('billing.details')),
        h('dl', { class: 'props', id: 'invoice-props' }, rows.map(([k, v]) => [h('dt', k), h('dd', v)]))),
      h('section', { class: 'card', 'aria-labelledby': 'bill-lines-title' }, h('h2', { id: 'bill-lines-title' }, t('billing.lines')),
        linesTable(inv.lines, { negative }), totalsTable(inv.totals, { negative })),
      inv.kind === 'invoice' ? paymentsCard(inv, () => ctx.rerender()) : null,
      reminders),
    h('div', { class: 'col-side' }, preview)));
}

