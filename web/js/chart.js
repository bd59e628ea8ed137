// A tiny SVG chart module: horizontal bars (one row per category, readable
// on a phone) and columns over time. Each chart has a title and an
// accessible description; values are also in <title> elements for hover.

import { h, s } from './dom.js';
import { fmtNumber } from './i18n.js';

// data: [{label, value, href?, cls?}]
export function barList(data, { caption, cls = '' } = {}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return h('figure', { class: ['chart', 'bars', cls] },
    caption ? h('figcaption', caption) : null,
    h('ul', { class: 'bar-rows' }, data.map((d) => {
      const pct = Math.max(0.5, (d.value / max) * 100);
      const lab = d.href ? h('a', { href: d.href }, d.label) : d.label;
      return h('li', { class: ['bar-row', d.cls] },
        h('span', { class: 'bar-label' }, lab),
        s('svg', { class: 'bar-svg', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
          s('rect', { x: 0, y: 0, width: pct.toFixed(2), height: 10, rx: 1, class: 'bar-fill' })),
        h('span', { class: 'bar-value' }, fmtNumber(d.value)));
    })));
}

// data: [{label, value}] in order; width in px of the space it gets.
export function columns(data, { caption, width = 600, height = 200, desc = '' } = {}) {
  const padL = 34;
  const padB = 22;
  const padT = 12;
  const w = Math.max(260, Math.round(width));
  const max = Math.max(1, ...data.map((d) => d.value));
  const nice = niceMax(max);
  const plotW = w - padL - 4;
  const plotH = height - padB - padT;
  const step = plotW / Math.max(1, data.length);
  const barW = Math.max(4, step * 0.65);
  const every = Math.ceil(data.length / Math.max(1, Math.floor(plotW / 44)));
  const grid = [0, 0.5, 1].map((f) => {
    const y = padT + plotH - f * plotH;
    return s('g', { class: 'grid' },
      s('line', { x1: padL, x2: w - 4, y1: y, y2: y }),
      s('text', { x: padL - 4, y: y + 4, 'text-anchor': 'end', class: 'axis', text: fmtNumber(Math.round(nice * f)) }));
  });
  const bars = data.map((d, i) => {
    const bh = (d.value / nice) * plotH;
    const x = padL + i * step + (step - barW) / 2;
    return s('g', {},
      s('rect', { x: x.toFixed(1), y: (padT + plotH - bh).toFixed(1), width: barW.toFixed(1), height: Math.max(0, bh).toFixed(1), class: 'col-fill' },
        s('title', { text: `${d.label}: ${fmtNumber(d.value)}` })),
      i % every === 0 ? s('text', { x: (x + barW / 2).toFixed(1), y: height - 6, 'text-anchor': 'middle', class: 'axis', text: d.label }) : null);
  });
  const svg = s('svg', { class: 'col-svg', viewBox: `0 0 ${w} ${height}`, width: '100%', role: 'img', 'aria-label': `${caption || ''}${desc ? `: ${desc}` : ''}` },
    grid, bars);
  return h('figure', { class: 'chart columns' }, caption ? h('figcaption', caption) : null, svg);
}

function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
