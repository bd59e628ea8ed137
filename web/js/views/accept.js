// The customer's page of a quote (/accept/<token>, from the link the seller
// sent): no login and no menu (app.js shows it without a session). It shows
// what the customer needs - the seller, the quote's number, dates, lines and
// totals - and one button to accept it. A used, unknown or expired link is
// said plainly. The language follows the browser (switchable here).

import { h, fill } from '../dom.js';
import { t, fmtDate, fmtDateTime, otherLang, setLang } from '../i18n.js';
import { api } from '../api.js';
import { errorText } from '../forms.js';
import { loading } from '../ui.js';
import { statusChip, totalsTable, linesTable } from './billing-doc.js';

function problemText(e) {
  if (e.status === 404) return t('quote.public_unknown');
  if (e.status === 409) return t('quote.public_used');
  if (e.status === 410) return t('quote.public_expired');
  return errorText(e);
}

export async function render(main, ctx) {
  const token = ctx.params[0];
  ctx.setTitle(t('quote.public_title'));
  fill(main, loading());
  const lang = h('button', { type: 'button', class: 'link-btn', id: 'lang-switch', lang: otherLang(),
    onclick: async () => { await setLang(otherLang()); ctx.rerender(); } }, t('lang.other'));
  let q;
  try {
    q = await api.get(`/public/quotes/${encodeURIComponent(token)}`);
  } catch (e) {
    if (!ctx.alive()) return;
    fill(main, h('div', { class: 'public-wrap' }, h('section', { class: 'card public-card', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title' }, t('quote.public_title')), h('p', { class: 'error-box', role: 'alert', id: 'accept-problem' }, problemText(e))), lang));
    return;
  }
  if (!ctx.alive()) return;
  const seller = q.seller_name || q.seller?.legal_name || q.seller?.name || '';
  const buyer = q.buyer_name || q.buyer?.name || '';
  const status = h('div', { id: 'accept-status', role: 'status' });
  const err = h('p', { class: 'error-box', role: 'alert', id: 'accept-error', hidden: true });

  function drawStatus(cur) {
    if (cur.status === 'accepted') {
      fill(status, h('p', { class: 'public-done', id: 'accept-done' }, t('quote.public_accepted', { date: fmtDateTime(cur.accepted_at) || fmtDate(new Date().toISOString()) })));
    } else if (cur.status === 'sent') {
      const btn = h('button', { type: 'button', class: 'primary big', id: 'accept-button', onclick: async () => {
        btn.disabled = true;
        err.hidden = true;
        try {
          const r = await api.post(`/public/quotes/${encodeURIComponent(token)}/accept`);
          drawStatus({ ...q, ...(r || {}), status: 'accepted' });
        } catch (e) {
          btn.disabled = false;
          err.textContent = problemText(e);
          err.hidden = false;
        }
      } }, t('quote.public_accept'));
      fill(status, h('p', t('quote.public_accept_text', { seller })), btn);
    } else {
      fill(status, h('p', { id: 'accept-closed' }, t('quote.public_closed'), ' ', statusChip('quote', cur.status)));
    }
  }

  fill(main, h('div', { class: 'public-wrap' },
    h('section', { class: 'card public-card', 'aria-labelledby': 'page-title' },
      seller ? h('p', { class: 'public-seller' }, seller) : null,
      h('h1', { id: 'page-title' }, t('quote.title_n', { number: q.number })),
      h('dl', { class: 'props', id: 'accept-props' },
        buyer ? [h('dt', t('quote.public_for')), h('dd', buyer)] : null,
        h('dt', t('billing.date')), h('dd', fmtDate(q.date)),
        q.valid_until ? [h('dt', t('quote.valid_until')), h('dd', fmtDate(q.valid_until))] : null),
      h('h2', { class: 'h3', id: 'bill-lines-title' }, t('billing.lines')),
      linesTable(q.lines || []),
      totalsTable(q.totals),
      err, status),
    lang));
  drawStatus(q);
}
