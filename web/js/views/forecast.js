// The forecast (/forecast): open deals by month of expected close and by
// owner (GET /api/v1/forecast), with counts, amounts and amounts weighted
// by probability in euros, a column chart of the weighted amount per month
// and a pipeline choice when there are several. Deals without an expected
// close date are their own row, last.

import { h, fill } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { fmtAmount } from '../format.js';
import { field, errorText } from '../forms.js';
import { columns } from '../chart.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';

function monthName(m) {
  if (!m) return t('forecast.no_date');
  const [y, mo] = m.split('-').map(Number);
  return new Intl.DateTimeFormat(getLang() === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', year: 'numeric' }).format(new Date(y, mo - 1, 1));
}

function monthShort(m) {
  if (!m) return t('forecast.no_date_short');
  const [y, mo] = m.split('-').map(Number);
  return new Intl.DateTimeFormat(getLang() === 'nl' ? 'nl-NL' : 'en-GB', { month: 'short', year: '2-digit' }).format(new Date(y, mo - 1, 1));
}

function table(id, caption, first, rows, cur) {
  return h('div', { class: 'table-wrap' },
    h('h2', { class: 'h4', id: `${id}-title` }, caption),
    h('table', { class: 'list compact forecast-table', id, 'aria-labelledby': `${id}-title` },
      h('thead', h('tr',
        h('th', { scope: 'col' }, first),
        h('th', { scope: 'col', class: 'num' }, t('forecast.count')),
        h('th', { scope: 'col', class: 'num' }, t('forecast.amount')),
        h('th', { scope: 'col', class: 'num' }, t('forecast.weighted')))),
      h('tbody', rows.map((r) => h('tr', { 'data-key': r.key ?? '' },
        h('th', { scope: 'row' }, r.label),
        h('td', { class: 'num', 'data-label': t('forecast.count') }, String(r.count)),
        h('td', { class: 'num', 'data-label': t('forecast.amount') }, fmtAmount(r.amount, cur)),
        h('td', { class: 'num', 'data-label': t('forecast.weighted') }, fmtAmount(r.weighted, cur)))))));
}

export async function render(main, ctx) {
  ctx.setTitle(t('forecast.title'));
  if (!(await hasEndpoint('GET', '/forecast'))) {
    fill(main, pageHead(t('forecast.title')), empty(t('feature.unavailable')));
    return;
  }
  const pipelines = (await api.get('/pipelines').catch(() => ({ items: [] }))).items || [];
  if (!ctx.alive()) return;
  const wanted = ctx.query.get('pipeline') || '';
  const picker = pipelines.length > 1 ? field({
    name: 'pipeline', label: t('pipeline.choose'), type: 'select', id: 'forecast-pipeline', value: wanted,
    options: [['', t('forecast.all_pipelines')], ...pipelines.map((p) => [String(p.id), p.name])],
  }) : null;
  picker?.input.addEventListener('change', () => ctx.navigate(qs('/forecast', { pipeline: picker.input.value })));
  const body = h('div', { id: 'forecast' }, loading());
  fill(main, pageHead(t('forecast.title'), h('a', { href: qs('/pipeline', { pipeline: wanted }), class: 'button' }, t('forecast.to_board'))),
    h('p', { class: 'muted' }, t('forecast.intro')), picker, body);

  let data;
  try {
    data = await api.get(qs('/forecast', { pipeline: wanted }));
  } catch (e) {
    if (ctx.alive()) fill(body, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const cur = data.currency || 'EUR';
  const months = data.months || [];
  if (!months.length) {
    fill(body, empty(t('forecast.none')));
    return;
  }
  const tot = data.total || { count: 0, amount: 0, weighted: 0 };
  const width = body.clientWidth || 600;
  // in thousands of euros, so the axis labels stay short
  const chartData = months.map((m) => ({ label: monthShort(m.month), value: Math.round((m.weighted || 0) / 100000) }));
  fill(body,
    h('div', { class: 'kpis forecast-kpis' },
      h('div', { class: 'kpi' }, h('strong', { class: 'kpi-value', id: 'forecast-count' }, String(tot.count)), h('span', { class: 'kpi-label' }, t('forecast.total_count'))),
      h('div', { class: 'kpi' }, h('strong', { class: 'kpi-value', id: 'forecast-amount' }, fmtAmount(tot.amount, cur)), h('span', { class: 'kpi-label' }, t('forecast.total_amount'))),
      h('div', { class: 'kpi' }, h('strong', { class: 'kpi-value', id: 'forecast-weighted' }, fmtAmount(tot.weighted, cur)), h('span', { class: 'kpi-label' }, t('forecast.total_weighted')))),
    h('section', { class: 'card' },
      columns(chartData, { caption: t('forecast.chart', { cur }), width, desc: months.map((m) => `${monthName(m.month)} ${fmtAmount(m.weighted, cur)}`).join(', ') })),
    h('section', { class: 'card' },
      table('forecast-months', t('forecast.by_month'), t('forecast.month'),
        months.map((m) => ({ key: m.month, label: monthName(m.month), count: m.count, amount: m.amount, weighted: m.weighted })), cur)),
    h('section', { class: 'card' },
      table('forecast-owners', t('forecast.by_owner'), t('deal.owner'),
        (data.owners || []).map((o) => ({ key: o.owner, label: o.owner_name || (o.owner ? `#${o.owner}` : t('forecast.no_owner')), count: o.count, amount: o.amount, weighted: o.weighted })), cur)));
}
