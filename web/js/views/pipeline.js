// The pipeline board: one column per stage with its deals and sums (count,
// amount, weighted by probability); move a deal by dragging it to another
// column or, from the keyboard or a phone, with its "move to" menu. Moving
// to a lost stage asks for the reason. A move shows at once and the toast
// offers "undo" (moves it back, with the version the move gave). Cards link
// to the deal page; "new deal" (deal-form.js) and the forecast are in the
// page head. Shown when the server has /api/v1/pipelines.

import { h, fill } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { fmtAmount } from '../format.js';
import { api, qs, hasEndpoint, listAll } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { canWriteDeals, canSeePipeline } from '../access.js';
import { openDealForm } from './deal-form.js';
import { setNewAction } from '../keys.js';

// Board data: {columns: [{stage, count, amount, weighted, deals, more}], totals, currency}.
async function board(p) {
  if (await hasEndpoint('GET', '/pipelines/{id}/board')) return api.get(`/pipelines/${p.id}/board`);
  const { items } = await listAll('/deals', { pipeline: p.id, status: 'open' }, 5000);
  const columns = (p.stages || []).map((stage) => {
    const deals = items.filter((d) => d.stage === stage.id);
    const amount = deals.reduce((n, d) => n + (d.amount || 0), 0);
    const weighted = deals.reduce((n, d) => n + Math.round(((d.amount || 0) * (d.probability ?? stage.probability ?? 0)) / 100), 0);
    return { stage, count: deals.length, amount, weighted, deals, more: false };
  });
  const open = columns.filter((c) => (c.stage.kind || 'open') === 'open');
  return {
    currency: 'EUR',
    columns,
    totals: { count: open.reduce((n, c) => n + c.count, 0), amount: open.reduce((n, c) => n + c.amount, 0), weighted: open.reduce((n, c) => n + c.weighted, 0) },
  };
}

export async function render(main, ctx) {
  ctx.setTitle(t('nav.pipeline'));
  if (!(await hasEndpoint('GET', '/pipelines'))) {
    fill(main, pageHead(t('nav.pipeline')), empty(t('feature.unavailable')));
    return;
  }
  const pipelines = (await api.get('/pipelines')).items || [];
  if (!ctx.alive()) return;
  if (!pipelines.length) {
    fill(main, pageHead(t('nav.pipeline')), empty(t('pipeline.none')));
    return;
  }
  const wanted = ctx.query.get('pipeline');
  const pipeline = pipelines.find((p) => String(p.id) === wanted) || pipelines.find((p) => p.default) || pipelines[0];
  const picker = pipelines.length > 1 ? field({
    name: 'pipeline', label: t('pipeline.choose'), type: 'select', id: 'pipeline-pick', value: String(pipeline.id),
    options: pipelines.map((p) => [String(p.id), p.name]),
  }) : null;
  picker?.input.addEventListener('change', () => ctx.navigate(qs('/pipeline', { pipeline: picker.input.value })));
  const totals = h('p', { class: 'muted', id: 'board-totals', role: 'status' });
  const cols = h('div', { class: 'board', id: 'board' }, loading());
  const newBtn = canWriteDeals() ? h('button', { type: 'button', class: 'primary', id: 'new-deal',
    onclick: () => openDealForm({ pipeline: pipeline.id, onSaved: () => load() }) }, t('deal.new')) : null;
  const fcLink = canSeePipeline() && (await hasEndpoint('GET', '/forecast'))
    ? h('a', { href: qs('/forecast', { pipeline: pipeline.id }), class: 'button', id: 'to-forecast' }, t('forecast.title')) : null;
  if (!ctx.alive()) return;
  if (newBtn) setNewAction(() => newBtn.click()); // the 'n' key
  fill(main, pageHead(`${t('nav.pipeline')}: ${pipeline.name}`, newBtn, fcLink), picker, totals, cols);

  let data;
  let dragging = null;
  // deals are sales records: moving one needs write access to sales
  const movable = canWriteDeals();
  async function load() {
    try {
      data = await board(pipeline);
    } catch (e) {
      fill(cols, errorBox(errorText(e)));
      return;
    }
    if (!ctx.alive()) return;
    draw();
  }

  function move(deal, stage) {
    if (stage.id === deal.stage) return;
    if (stage.kind === 'lost') {
      lostDialog(deal, stage);
      return;
    }
    save(deal, { stage: stage.id });
  }

  // Shows deal in the column of stageId at once (sums follow), before the server answers.
  function moveLocally(deal, stageId) {
    const from = data.columns.find((c) => c.deals.some((d) => d.id === deal.id));
    const to = data.columns.find((c) => c.stage.id === stageId);
    if (!from || !to || from === to) return;
    const w = (c) => Math.round(((deal.amount || 0) * (c.stage.kind === 'won' ? 100 : c.stage.kind === 'lost' ? 0 : c.stage.probability ?? 0)) / 100);
    from.deals = from.deals.filter((d) => d.id !== deal.id);
    from.count -= 1;
    from.amount -= deal.amount || 0;
    from.weighted -= w(from);
    to.deals = [{ ...deal, stage: stageId }, ...to.deals];
    to.count += 1;
    to.amount += deal.amount || 0;
    to.weighted += w(to);
    draw();
  }

  async function save(deal, patch, form, { undo = true } = {}) {
    const back = deal.stage;
    moveLocally(deal, patch.stage);
    try {
      const moved = await api.patch(`/deals/${deal.id}`, patch, { version: deal.version });
      const undoBtn = undo ? h('button', { type: 'button', class: 'link-btn deal-undo', id: 'undo-move',
        onclick: () => save(moved, { stage: back }, null, { undo: false }) }, t('deal.undo')) : null;
      toast([t(undo ? 'pipeline.moved' : 'deal.move_undone', { deal: deal.title }), ' ', undoBtn]);
      await load();
      return true;
    } catch (e) {
      if (form) showErrors(form, e);
      else toast(errorText(e), 'error');
      await load();
      return false;
    }
  }

  function lostDialog(deal, stage) {
    const err = formError();
    const reason = field({ name: 'lost_reason', label: t('pipeline.lost_reason'), required: true, id: 'lost-reason' });
    const form = h('form', { novalidate: true, id: 'lost-form' }, err, reason,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('pipeline.lost_title', { deal: deal.title }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        if (await save(deal, { stage: stage.id, lost_reason: reason.input.value.trim() }, form)) dlg.close();
      });
    });
  }

  function dealCard(deal, stages) {
    if (!movable) {
      return h('article', { class: 'deal deal-ro', 'data-deal': deal.id },
        h('strong', h('a', { href: `/deals/${deal.id}` }, deal.title)),
        h('div', h('a', { href: `/parties/${deal.party}` }, deal.party_name || `#${deal.party}`)),
        h('div', { class: 'muted small-text' }, [fmtAmount(deal.amount, deal.currency), deal.probability !== undefined && deal.probability !== null ? `${deal.probability}%` : '', deal.expected_close ? fmtDate(deal.expected_close) : ''].filter(Boolean).join(' \u00b7 ')));
    }
    const sel = h('select', { 'aria-label': t('pipeline.move_to', { deal: deal.title }), class: 'move-select' },
      stages.map((s) => h('option', { value: s.id, selected: s.id === deal.stage }, s.name)));
    sel.addEventListener('change', () => {
      const st = stages.find((s) => String(s.id) === sel.value);
      sel.value = deal.stage;
      if (st) move(deal, st);
    });
    const card = h('article', { class: 'deal', draggable: 'true', 'data-deal': deal.id },
      h('strong', h('a', { href: `/deals/${deal.id}`, draggable: 'false' }, deal.title)),
      h('div', h('a', { href: `/parties/${deal.party}`, draggable: 'false' }, deal.party_name || `#${deal.party}`)),
      h('div', { class: 'muted small-text' }, [fmtAmount(deal.amount, deal.currency), deal.probability !== undefined && deal.probability !== null ? `${deal.probability}%` : '', deal.expected_close ? fmtDate(deal.expected_close) : ''].filter(Boolean).join(' \u00b7 ')),
      sel);
    card.addEventListener('dragstart', (e) => {
      dragging = deal;
      card.classList.add('dragging');
      e.dataTransfer.setData('text/plain', String(deal.id));
      e.dataTransfer.effectAllowed = 'move';
    });
    card.addEventListener('dragend', () => {
      card.classList.remove('dragging');
      setTimeout(() => { dragging = null; }, 0);
    });
    return card;
  }

  function draw() {
    const stages = data.columns.map((c) => c.stage);
    const cur = data.currency || 'EUR';
    totals.textContent = t('pipeline.totals', { n: data.totals?.count ?? 0, amount: fmtAmount(data.totals?.amount || 0, cur), weighted: fmtAmount(data.totals?.weighted || 0, cur) });
    fill(cols, data.columns.map((c) => {
      const col = h('section', { class: ['stage', `stage-${c.stage.kind || 'open'}`], 'aria-label': c.stage.name, 'data-stage': c.stage.id },
        h('h2', h('span', c.stage.name), h('span', { class: 'muted small-text' }, `${c.stage.probability ?? ''}%`)),
        h('p', { class: 'small-text stage-sum' }, t('pipeline.column_sum', { n: c.count, amount: fmtAmount(c.amount, cur), weighted: fmtAmount(c.weighted, cur) })),
        c.deals.length ? c.deals.map((d) => dealCard(d, stages)) : h('p', { class: 'empty small-text' }, t('pipeline.no_deals')),
        c.more ? h('p', { class: 'muted small-text' }, t('pipeline.more', { n: c.count - c.deals.length })) : null);
      if (!movable) return col;
      col.addEventListener('dragover', (e) => {
        e.preventDefault();
        col.classList.add('drop');
      });
      col.addEventListener('dragleave', () => col.classList.remove('drop'));
      col.addEventListener('drop', (e) => {
        e.preventDefault();
        col.classList.remove('drop');
        const id = Number(e.dataTransfer.getData('text/plain'));
        const deal = dragging || data.columns.flatMap((x) => x.deals).find((d) => d.id === id);
        if (deal) move(deal, c.stage);
      });
      return col;
    }));
  }
  await load();
}
