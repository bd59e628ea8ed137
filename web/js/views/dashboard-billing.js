// The dashboard's revenue card, for readers of sales: net invoiced per
// month over the last 12 months (credit notes subtracted by the server) as
// columns in euros, with the year's total; a link to the invoices. Nothing,
// and no request, for users who may not read sales.

import { h, fill, debounce } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { columns } from '../chart.js';
import { fmtAmount } from '../format.js';
import { canSeeBilling } from '../access.js';

const MONTHS = 12;

function monthLabel(ym) {
  const [y, m] = String(ym).split('-').map(Number);
  if (!y || !m) return String(ym);
  return new Intl.DateTimeFormat(getLang() === 'nl' ? 'nl-NL' : 'en-GB', { month: 'short', year: '2-digit' }).format(new Date(y, m - 1, 1));
}

export function revenueCard(ctx) {
  if (!canSeeBilling()) return null;
  const sec = h('section', { class: 'card revenue-card', id: 'revenue-card', 'aria-labelledby': 'revenue-title', hidden: true });
  (async () => {
    if (!(await hasEndpoint('GET', '/revenue'))) return;
    let r;
    try {
      r = await api.get(qs('/revenue', { months: MONTHS }));
    } catch {
      return;
    }
    if (ctx && !ctx.alive()) return;
    const items = r.months || [];
    // in euros, or in thousands of euros (one decimal) when the axis would need five digits
    const k = Math.max(0, ...items.map((m) => m.net || 0)) > 500000;
    const data = items.map((m) => ({ label: monthLabel(m.month), value: k ? Math.round((m.net || 0) / 10000) / 10 : Math.round((m.net || 0) / 100) }));
    const total = r.net ?? 0;
    let drawnFor = 0;
    const draw = () => {
      const w = (sec.clientWidth || 600) - 34;
      if (Math.abs(w - drawnFor) < 8) return;
      drawnFor = w;
      fill(sec, h('div', { class: 'card-head' }, h('h2', { id: 'revenue-title' }, t('billing.revenue')),
        h('a', { href: '/invoices', class: 'small-text' }, t('billing.to_invoices'))),
      h('p', { class: 'muted small-text', id: 'revenue-total' }, t('billing.revenue_total', { n: MONTHS, amount: fmtAmount(total) })),
      columns(data, { caption: k ? t('billing.revenue_caption_k') : t('billing.revenue_caption'), width: w, desc: t('billing.revenue_total', { n: MONTHS, amount: fmtAmount(total) }) }));
    };
    sec.hidden = false;
    draw();
    const onResize = debounce(() => {
      if (!sec.isConnected) {
        window.removeEventListener('resize', onResize);
        return;
      }
      draw();
    }, 100);
    window.addEventListener('resize', onResize);
  })();
  return sec;
}
