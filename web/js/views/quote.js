// One quote (/quotes/ID) and a new one (/quotes/new?party=&deal=): a draft
// in the editor (billing-doc.js: party, deal, dates, lines with live totals,
// note; save, delete), then "send" (the quote is fixed and the answer holds
// the customer's accept link once: shown to copy), "accept" / "decline" in
// the app, and "create invoice" from an accepted quote. A sent or decided
// quote shows its lines and totals read-only. The preview (page 1 as PNG)
// with links to the PDF. Controls only for sales writers (access.js).

import { h, fill } from '../dom.js';
import { t, fmtDate, fmtDateTime } from '../i18n.js';
import { api, hasEndpoint } from '../api.js';
import { fmtAmount } from '../format.js';
import { showErrors, openDialog, toast, errorText, busy } from '../forms.js';
import { canWriteBilling } from '../access.js';
import { loading, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';
import { documentsOnPage } from './documents.js'; // documents
import { docEditor, statusChip, totalsTable, linesTable, previewBlock } from './billing-doc.js';
import { mailButton } from './compose.js'; // e-mail: send the quote

// The accept link of a quote just sent (the API answers it once): kept for this page's life.
const links = new Map();

export function acceptLinkDialog(url) {
  const full = new URL(url, location.origin).href;
  const input = h('input', { type: 'text', readonly: true, value: full, id: 'quote-accept-url', class: 'mono', 'aria-describedby': 'quote-accept-hint' });
  const copy = h('button', { type: 'button', class: 'primary', id: 'quote-copy-link', onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(full);
      toast(t('quote.link_copied'));
    } catch {
      toast(t('quote.link_select'));
    }
  } }, t('quote.copy_link'));
  const dlg = openDialog(t('quote.sent_title'), h('div', { class: 'accept-link' },
    h('p', { id: 'quote-accept-hint' }, t('quote.sent_text')),
    h('label', { for: 'quote-accept-url' }, t('quote.accept_link')), input,
    h('div', { class: 'form-actions' }, copy, h('button', { type: 'button', onclick: () => dlg.close() }, t('action.close')))));
  input.select();
  return dlg;
}

export async function render(main, ctx) {
  const isNew = ctx.params[0] === 'new';
  const id = isNew ? null : Number(ctx.params[0]);
  main.append(loading());
  let quote = null;
  let preset = null;
  if (isNew) {
    const pid = Number(ctx.query.get('party')) || null;
    if (pid) {
      const p = await api.get(`/parties/${pid}`);
      preset = { id: p.id, name: p.name };
    }
  } else {
    quote = await api.get(`/quotes/${id}`);
  }
  if (!ctx.alive()) return;
  const writable = canWriteBilling();
  const [hasPng, hasDelete] = await Promise.all([hasEndpoint('GET', '/quotes/{id}.png'), hasEndpoint('DELETE', '/quotes/{id}')]);
  if (!ctx.alive()) return;
  documentsOnPage(main, ctx, quote && { kind: 'quote', id }, { domain: 'sales', canWrite: writable }, '.bill-grid > .col-side'); // documents

  async function act(call, okKey) {
    try {
      const q = await call();
      toast(t(okKey, { number: q.number }));
      return q;
    } catch (e) {
      toast(errorText(e), 'error');
      return null;
    }
  }

  async function send() {
    const q = await act(() => api.post(`/quotes/${id}/send`, undefined, { version: quote.version }), 'quote.sent');
    if (!q) return;
    if (q.accept_url) links.set(id, q.accept_url);
    await ctx.rerender();
    if (q.accept_url) acceptLinkDialog(q.accept_url);
  }

  async function accept() {
    if (await act(() => api.post(`/quotes/${id}/accept`, undefined, { version: quote.version }), 'quote.accepted')) await ctx.rerender();
  }

  async function decline() {
    if (!(await confirmDialog(t('quote.decline_title'), t('quote.decline_text', { number: quote.number }), t('quote.decline')))) return;
    if (await act(() => api.post(`/quotes/${id}/decline`, undefined, { version: quote.version }), 'quote.declined')) await ctx.rerender();
  }

  async function toInvoice(e) {
    e.target.disabled = true;
    try {
      const inv = await api.post('/invoices', { quote: id });
      toast(t('invoice.created_from_quote', { number: quote.number }));
      ctx.navigate(`/invoices/${inv.id}`);
    } catch (ex) {
      e.target.disabled = false;
      toast(errorText(ex), 'error');
    }
  }

  async function remove() {
    if (!(await confirmDialog(t('quote.delete_title'), t('quote.delete_text', { number: quote.number }), t('quote.delete')))) return;
    try {
      await api.del(`/quotes/${id}`, { version: quote.version });
      toast(t('quote.deleted', { number: quote.number }));
      ctx.navigate('/quotes');
    } catch (ex) {
      toast(errorText(ex), 'error');
    }
  }

  const title = quote ? t('quote.title_n', { number: quote.number }) : t('quote.new');
  ctx.setTitle(title);
  const status = quote?.status || 'draft';
  const btn = (idAttr, text, fn, cls) => h('button', { type: 'button', id: idAttr, class: cls, onclick: fn }, text);
  const actions = [];
  if (writable && quote) {
    if (status === 'draft') actions.push(btn('quote-send', t('quote.send'), send, 'primary'));
    if (status === 'sent' || status === 'expired') actions.push(btn('quote-accept', t('quote.accept'), accept, 'primary'), btn('quote-decline', t('quote.decline'), decline, 'danger-line'));
    if (status === 'accepted') actions.push(btn('quote-invoice', t('quote.create_invoice'), toInvoice, 'primary'));
    if (status === 'draft' && hasDelete) actions.push(btn('quote-delete', t('quote.delete'), remove, 'danger-line'));
  }
  const head = h('div', { class: 'page-head bill-head' },
    h('div', { class: 'title-block' },
      h('h1', { id: 'page-title' }, title),
      quote ? h('div', { class: 'head-meta' }, statusChip('quote', status),
        h('a', { href: `/parties/${quote.party}`, id: 'quote-party-link' }, quote.party_name || `#${quote.party}`),
        quote.deal ? h('a', { href: `/deals/${quote.deal}`, id: 'quote-deal-link' }, t('billing.to_deal')) : null,
        h('a', { href: '/quotes' }, t('quote.to_list'))) : null),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
  mailButton(head, quote && { parties: [quote.party], record: `quote:${quote.id}`, domain: 'sales', template: 'quote', id: 'quote-mail', onSent: () => ctx.rerender() }); // e-mail: the quote with its PDF

  const link = quote && links.get(id);
  const linkBox = link && status === 'sent' ? h('p', { class: 'bill-note', id: 'quote-link-box' },
    t('quote.link_again'), ' ', h('button', { type: 'button', class: 'link-btn', id: 'quote-show-link', onclick: () => acceptLinkDialog(link) }, t('quote.show_link'))) : null;

  // a draft in the editor (for writers); otherwise read-only
  if ((isNew || status === 'draft') && writable) {
    const ed = docEditor({
      kind: 'quote', doc: quote, party: preset, deal: Number(ctx.query.get('deal')) || null,
      onSubmit: (body, form, localErr) => {
        if (localErr) {
          showErrors(form, localErr);
          return;
        }
        busy(form, async () => {
          try {
            const q = quote ? await api.patch(`/quotes/${id}`, body, { version: quote.version }) : await api.post('/quotes', body);
            toast(t('quote.saved', { number: q.number }));
            if (!quote) {
              ctx.navigate(`/quotes/${q.id}`, { replace: true });
              return;
            }
            quote = q;
            ed.showSaved(q);
            await ctx.rerender();
          } catch (ex) {
            if (ex.status === 412) ex.errors = [];
            showErrors(form, ex);
          }
        });
      },
    });
    const side = h('div', { class: 'col-side' },
      h('section', { class: 'card', 'aria-labelledby': 'bill-totals-title' }, h('h2', { id: 'bill-totals-title' }, t('billing.totals')), ed.totalsBox),
      quote && hasPng ? previewBlock({ pngUrl: `/api/v1/quotes/${quote.id}.png?v=${quote.version}`, pdfUrl: `/api/v1/quotes/${quote.id}.pdf`, name: quote.number }) : null);
    fill(main, head, h('div', { class: 'bill-grid' },
      h('div', { class: 'col-main' }, h('section', { class: 'card', 'aria-labelledby': 'page-title' }, ed.form)), side));
    return;
  }
  if (!quote) {
    fill(main, head, errorBox(t('error.forbidden')));
    return;
  }
  const rows = [
    [t('billing.number'), quote.number],
    [t('billing.party'), h('a', { href: `/parties/${quote.party}` }, quote.party_name || `#${quote.party}`)],
    [t('billing.date'), fmtDate(quote.date)],
    [t('quote.valid_until'), fmtDate(quote.valid_until)],
    [t('quote.sent_at'), fmtDateTime(quote.sent_at)],
    [t('quote.accepted_at'), quote.accepted_at ? `${fmtDateTime(quote.accepted_at)}${quote.accepted_by ? ` \u00b7 ${quote.accepted_by === 'customer' ? t('quote.by_customer') : quote.accepted_by}` : ''}` : ''],
    [t('billing.gross'), fmtAmount(quote.totals?.gross)],
    [t('billing.note'), quote.note || ''],
  ].filter(([, v]) => v);
  fill(main, head, linkBox, h('div', { class: 'bill-grid' },
    h('div', { class: 'col-main' },
      h('section', { class: 'card', 'aria-labelledby': 'bill-facts-title' }, h('h2', { id: 'bill-facts-title' }, t('billing.details')),
        h('dl', { class: 'props', id: 'quote-props' }, rows.map(([k, v]) => [h('dt', k), h('dd', v)]))),
      h('section', { class: 'card', 'aria-labelledby': 'bill-lines-title' }, h('h2', { id: 'bill-lines-title' }, t('billing.lines')),
        linesTable(quote.lines), totalsTable(quote.totals))),
    h('div', { class: 'col-side' },
      hasPng ? previewBlock({ pngUrl: `/api/v1/quotes/${quote.id}.png?v=${quote.version}`, pdfUrl: `/api/v1/quotes/${quote.id}.pdf`, name: quote.number }) : null)));
}

// "Create quote" on the deal page (deal.js calls this after drawing its
// head): opens a new quote for the deal's party and the deal.
export function dealQuoteButton(head, deal) {
  if (!canWriteBilling()) return;
  hasEndpoint('POST', '/quotes').then((ok) => {
    if (!ok || head.querySelector('#deal-new-quote')) return;
    let actions = head.querySelector('.actions');
    if (!actions) {
      actions = h('div', { class: 'actions' });
      head.append(actions);
    }
    actions.prepend(h('a', { class: 'button', id: 'deal-new-quote', href: `/quotes/new?party=${deal.party}&deal=${deal.id}` }, t('quote.create_for_deal')));
  });
}
