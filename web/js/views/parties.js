// Lists of parties by query (the search box's query language) or saved view
// (a segment: a query with a sort): columns sorted by the server (name,
// city), the list's total, paging that reaches every row, bulk actions on
// the selected rows (tag, role, export, archive) with a summary of what was
// done and what the server refused, CSV export of the whole list, quick
// filters per role, and a dialog to create a party. A saved view opens by
// its id (a shared link); its owner renames, describes and shares it or
// deletes it; its members download as CSV made by the server.

import { h, fill } from '../dom.js';
import { t, label, getLang, word, fmtNumber } from '../i18n.js';
import { api, qs, roleTypes, roleTypeMap, listAll, rememberName, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { roleBadges, kindLabel, city, pageHead, loading, errorBox, isActiveRole, roleLabel } from '../ui.js';
import { toCSV, download } from '../csv.js';
import { fmtPhone } from '../format.js';
import { canCreateParty, canWriteRole, canEditSegment, canWriteAny } from '../access.js';
import { setNewAction } from '../keys.js';
import { newPartyDialog } from './party-new.js';
import { foundIn } from '../search.js';

const PAGE = 50;
// the sorts the server knows for the columns the list shows
const SORTABLE = { name: 'name', city: 'city' };

// "56 relaties", or "meer dan 10.000 relaties" when the server stopped counting.
export function totalText(total, capped) {
  return capped ? t('list.total_capped', { n: fmtNumber(total) }) : t('list.count', { n: fmtNumber(total) });
}

export async function render(main, ctx) {
  const q = ctx.query.get('q') || '';
  const segId = ctx.query.get('segment') || '';
  ctx.setTitle(t('nav.parties'));
  const [rt, types, segOn] = await Promise.all([roleTypeMap(), roleTypes(), hasEndpoint('GET', '/segments')]);
  if (!ctx.alive()) return;
  let segments = [];
  if (segOn) segments = (await api.get('/segments').catch(() => ({ items: [] }))).items || [];
  // a saved view opened by its id (a link someone shared): read as it is now
  // (GET /segments/{id}), also when it is not in my list
  let segment = null;
  if (segOn && segId) {
    segment = await api.get(`/segments/${encodeURIComponent(segId)}`).catch(() => null);
    if (!ctx.alive()) return;
    if (segment && !segments.some((s) => s.id === segment.id)) segments.push(segment);
  }
  const source = segment ? { path: `/segments/${segment.id}/members`, params: {} } : { path: '/parties', params: { q } };

  // the sort: from the address (?sort=-city), else the saved view's, else the list's own (name)
  const sortParam = ctx.query.get('sort') || segment?.sort || '';
  const state = { items: [], next: null, total: null, capped: false, sort: sortParam.replace(/^-/, '') || null, dir: sortParam.startsWith('-') ? -1 : 1, selected: new Map() };
  const tbody = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', id: 'list-count' });
  const more = h('button', { type: 'button', class: 'more', id: 'list-more', hidden: true, onclick: () => load(false) }, t('list.more'));
  const exportBtn = h('button', { type: 'button', id: 'export-csv', onclick: exportCSV }, t('list.export'));
  // a new party needs write access somewhere; its first role only a type this user may give
  const newBtn = canCreateParty() ? h('button', { type: 'button', id: 'new-party', class: 'primary', onclick: newParty }, t('party.new')) : null;
  if (newBtn) setNewAction(newParty); // the 'n' key
  const givable = types.filter((x) => canWriteRole(x));

  const cols = [
    ['name', t('field.name'), (p) => [h('a', { href: `/parties/${p.id}` }, p.name), foundIn(p)]],
    ['kind', t('field.kind'), (p) => kindLabel(p.kind)],
    ['roles', t('party.roles'), (p) => roleBadges(p.roles, rt)],
    ['city', t('field.city'), (p) => city(p)],
    ['email', t('field.email'), (p) => p.emails?.[0]?.value || ''],
    ['phone', t('field.phone'), (p) => fmtPhone(p.phones?.[0]?.value || '')],
  ];

  function sortString() {
    return state.sort ? `${state.dir < 0 ? '-' : ''}${state.sort}` : '';
  }

  // select all on this page: the header checkbox
  const allBox = h('input', { type: 'checkbox', id: 'select-page', 'aria-label': t('list.select_page'), onchange: () => {
    for (const p of state.items) {
      if (allBox.checked) state.selected.set(p.id, p);
      else state.selected.delete(p.id);
    }
    draw();
  } });
  const selectPage = h('label', { class: 'select-page', for: 'select-page' }, allBox, ` ${t('list.select_page')}`);
  allBox.removeAttribute('aria-label');
  const headRow = h('tr', h('th', { scope: 'col', class: 'c-select' }, h('span', { class: 'sr-only' }, t('list.select'))), cols.map(([key, text]) => {
    if (!SORTABLE[key]) return h('th', { scope: 'col', 'data-col': key }, text);
    const btn = h('button', { type: 'button', class: 'sort-btn', id: `sort-${key}`, onclick: () => sortBy(key) }, text);
    return h('th', { scope: 'col', 'data-col': key }, btn);
  }));

  // the same sorts as a select: the column headers are not shown on a phone
  const sortPick = field({
    name: 'sort', label: t('list.sort'), type: 'select', id: 'sort-pick', value: sortString(),
    options: [['', t('list.sort_default')], ['name', t('list.sort_name')], ['-name', t('list.sort_name_desc')],
      ['city', t('list.sort_city')], ['-city', t('list.sort_city_desc')], ['-created', t('list.sort_newest')],
      ['created', t('list.sort_oldest')], ['-updated', t('list.sort_changed')]],
  });
  sortPick.input.addEventListener('change', () => {
    const v = sortPick.input.value;
    state.sort = v.replace(/^-/, '') || null;
    state.dir = v.startsWith('-') ? -1 : 1;
    applySort();
  });

  function markSort() {
    sortPick.input.value = sortString();
    for (const th of headRow.children) {
      if (!th.dataset.col || !SORTABLE[th.dataset.col]) continue;
      if (th.dataset.col === state.sort) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.setAttribute('aria-sort', 'none');
    }
  }

  // the server sorts: page one again in the new order, and the address keeps it
  function sortBy(key) {
    state.dir = state.sort === key ? -state.dir : 1;
    state.sort = key;
    applySort();
  }

  function applySort() {
    markSort();
    const u = new URL(window.location.href);
    u.searchParams.set('sort', sortString());
    window.history.replaceState(window.history.state, '', `${u.pathname}${u.search}`);
    load(true);
  }

  function rowBox(p) {
    const box = h('input', { type: 'checkbox', class: 'row-select', 'data-id': p.id, 'aria-label': t('list.select_row', { name: p.name }), checked: state.selected.has(p.id) });
    box.addEventListener('change', () => {
      if (box.checked) state.selected.set(p.id, p);
      else state.selected.delete(p.id);
      drawBulk();
    });
    return box;
  }

  function draw() {
    const rows = state.items;
    fill(tbody, rows.map((p) => h('tr', { 'data-party': p.id },
      h('td', { class: 'c-select' }, rowBox(p)),
      cols.map(([key, text, cell]) => h('td', { 'data-label': text, class: `c-${key}` }, cell(p))))));
    if (!rows.length) tbody.append(h('tr', h('td', { colspan: cols.length + 1, class: 'empty' }, t('list.none'))));
    count.textContent = state.total === null ? '' : [totalText(state.total, state.capped),
      state.next ? t('list.shown', { n: fmtNumber(state.items.length) }) : ''].filter(Boolean).join(' \u00b7 ');
    more.hidden = !state.next;
    drawBulk();
  }

  async function load(reset) {
    if (reset) {
      fill(tbody, h('tr', h('td', { colspan: cols.length + 1 }, loading())));
      more.hidden = true;
    }
    try {
      // the total comes with the first page; a later page of /parties need not count again
      const again = !reset && source.path === '/parties' ? { total: false } : {};
      const r = await api.get(qs(source.path, { ...source.params, ...again, sort: sortString(), limit: PAGE, cursor: reset ? null : state.next }));
      if (!ctx.alive()) return;
      r.items.forEach((p) => rememberName(p.id, p.name));
      if (reset) state.items = [];
      state.items.push(...r.items);
      state.next = r.next;
      if (typeof r.total === 'number') {
        state.total = r.total;
        state.capped = !!r.total_capped;
      }
      draw();
    } catch (e) {
      fill(tbody, h('tr', h('td', { colspan: cols.length + 1 }, errorBox(errorText(e)))));
    }
  }

  // Bulk actions on the selected rows: each party its own request, so the
  // server checks every one; the summary says what was done and what refused.
  const bulkCount = h('span', { class: 'bulk-count', id: 'bulk-count', role: 'status' });
  const tagOn = canWriteAny();
  const bulkBar = h('div', { class: 'bulk-bar', id: 'bulk-bar', role: 'group', 'aria-label': t('list.bulk'), hidden: true },
    bulkCount,
    tagOn ? h('button', { type: 'button', id: 'bulk-tag', onclick: bulkTag }, t('list.bulk_tag')) : null,
    givable.length ? h('button', { type: 'button', id: 'bulk-role', onclick: bulkRole }, t('list.bulk_role')) : null,
    h('button', { type: 'button', id: 'bulk-export', onclick: bulkExport }, t('list.bulk_export')),
    tagOn ? h('button', { type: 'button', id: 'bulk-archive', class: 'danger-line', onclick: bulkArchive }, t('list.bulk_archive')) : null,
    h('button', { type: 'button', id: 'bulk-clear', onclick: () => { state.selected.clear(); draw(); } }, t('list.bulk_clear')));

  function drawBulk() {
    const n = state.selected.size;
    bulkBar.hidden = n === 0; // export of the selection is for every reader
    bulkCount.textContent = t('list.selected', { n: fmtNumber(n) });
    const onPage = state.items.filter((p) => state.selected.has(p.id)).length;
    allBox.checked = state.items.length > 0 && onPage === state.items.length;
    allBox.indeterminate = onPage > 0 && onPage < state.items.length;
  }

  // Runs fn on every selected party, one at a time; then shows the summary.
  async function runBulk(title, fn) {
    const chosen = [...state.selected.values()];
    const done = [];
    const refused = [];
    for (const p of chosen) {
      try {
        await fn(p);
        done.push(p);
      } catch (e) {
        refused.push({ p, why: errorText(e) });
      }
    }
    const box = h('div', { id: 'bulk-summary' },
      h('p', { role: 'status' }, t('list.bulk_done', { done: done.length, refused: refused.length })),
      refused.length ? h('ul', { class: 'bulk-refused plain' }, refused.map(({ p, why }) => h('li', { 'data-party': p.id }, h('strong', p.name), ': ', why))) : null,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'primary', onclick: () => dlg.close() }, t('action.close'))));
    const dlg = openDialog(title, box);
    state.selected.clear();
    await load(true);
  }

  function askText(title, fieldOpts, act) {
    const err = formError();
    const f = field(fieldOpts);
    const form = h('form', { novalidate: true, id: 'bulk-form' }, err, h('p', t('list.selected', { n: fmtNumber(state.selected.size) })), f,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('list.apply')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(title, form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = f.input.value.trim();
      if (!v) {
        showErrors(form, { errors: [{ field: fieldOpts.field || fieldOpts.name, message: t('list.required') }] });
        return;
      }
      dlg.close();
      act(v);
    });
  }

  function bulkTag() {
    askText(t('list.bulk_tag'), { name: 'tag', field: 'tags', label: t('list.tag'), id: 'bulk-tag-input', required: true }, (tag) =>
      runBulk(t('list.bulk_tag'), async (p) => {
        const cur = await api.get(`/parties/${p.id}`);
        if ((cur.tags || []).includes(tag)) return;
        await api.patch(`/parties/${p.id}`, { tags: [...(cur.tags || []), tag] }, { version: cur.version });
      }));
  }

  function bulkRole() {
    askText(t('list.bulk_role'), { name: 'type', label: t('role.type'), type: 'select', id: 'bulk-role-input', options: [['', '\u2014'], ...givable.map((x) => [x.name, label(x.label, x.name)])] }, (type) =>
      runBulk(t('list.bulk_role'), async (p) => {
        if ((p.roles || []).some((r) => r.type === type && isActiveRole(r))) return;
        await api.post(`/parties/${p.id}/roles`, { type });
      }));
  }

  function bulkArchive() {
    const n = state.selected.size;
    const form = h('form', { novalidate: true, id: 'bulk-archive-form' },
      h('p', t('list.bulk_archive_intro', { n: fmtNumber(n) })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary danger' }, t('list.bulk_archive')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('list.bulk_archive'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      dlg.close();
      runBulk(t('list.bulk_archive'), (p) => api.del(`/parties/${p.id}`, { version: p.version }));
    });
  }

  function csvRows(items) {
    const header = ['id', 'name', 'kind', 'roles', 'email', 'phone', 'street', 'house_number', 'postcode', 'city', 'country', 'kvk', 'vat', 'iban', 'tags'];
    return [header, ...items.map((p) => {
      const a = p.addresses?.[0] || {};
      return [p.id, p.name, p.kind, (p.roles || []).map((r) => `${r.type}:${r.status}`).join(' '),
        p.emails?.[0]?.value, p.phones?.[0]?.value, a.street, a.house_number, a.postcode, a.city, a.country,
        p.kvk, p.vat, p.iban, (p.tags || []).join(' ')];
    })];
  }

  // the selected rows as the list shows them (what this user may see)
  function bulkExport() {
    const items = [...state.selected.values()];
    download('xrm-selection.csv', toCSV(csvRows(items), getLang() === 'nl' ? ';' : ','));
    toast(t('list.exported', { n: items.length }));
  }

  async function exportCSV() {
    exportBtn.disabled = true;
    exportBtn.textContent = t('list.exporting');
    try {
      const { items } = await listAll(source.path, { ...source.params, sort: sortString() || undefined }, 100000);
      download(`xrm-${segment ? `segment-${segment.id}` : 'parties'}.csv`, toCSV(csvRows(items), getLang() === 'nl' ? ';' : ','));
      toast(t('list.exported', { n: items.length }));
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      exportBtn.disabled = false;
      exportBtn.textContent = exportMenu ? t('export.list_csv') : t('list.export');
    }
  }

  function newParty() {
    newPartyDialog(ctx, givable);
  }


  const chips = h('div', { class: 'quick-filters', role: 'group', 'aria-label': t('list.quick_filters') },
    [...rt.values()].map((x) => h('a', { class: ['chip', 'chip-link', q === `role:${x.name}` && 'chip-on'], href: qs('/parties', { q: `role:${x.name}` }), 'aria-current': q === `role:${x.name}` ? 'true' : null }, roleLabel(rt, x.name))),
    h('a', { class: ['chip', 'chip-link', q === 'kind:organization' && 'chip-on'], href: qs('/parties', { q: 'kind:organization' }) }, word('kind', 'organization')),
    q || segment ? h('a', { class: 'chip chip-link', href: '/parties' }, t('list.clear')) : null);

  // Saved views: the query and the sort of this list, as a segment.
  const canSave = segOn && !segment && (await hasEndpoint('POST', '/segments'));
  const saveBtn = canSave ? h('button', { type: 'button', id: 'save-segment', onclick: saveSegment }, t('list.save_segment')) : null;
  function saveSegment() {
    const err = formError();
    const name = field({ name: 'name', label: t('list.segment_name'), required: true, id: 'seg-name' });
    const sortNow = sortString();
    const form = h('form', { novalidate: true, id: 'segment-form' }, err, name,
      h('p', q ? h('code', q) : t('list.all_parties'), sortNow ? ` \u00b7 ${t('list.sorted_by', { col: sortLabel(sortNow) })}` : ''),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('list.save_segment'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const body = { name: name.input.value.trim(), query: q };
          if (sortNow) body.sort = sortNow;
          const sgm = await api.post('/segments', body);
          dlg.close();
          toast(t('list.segment_saved', { name: sgm.name }));
          ctx.navigate(qs('/parties', { segment: sgm.id }));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }
  function sortLabel(v) {
    return [...sortPick.input.options].find((o) => o.value === v)?.textContent || v;
  }

  const segPicker = segments.length ? field({
    name: 'segment', label: t('list.segment'), type: 'select', id: 'segment-pick', value: segId,
    options: [['', t('list.no_segment')], ...segments.map((s) => [String(s.id), s.name])],
  }) : null;
  segPicker?.input.addEventListener('change', () => ctx.navigate(qs('/parties', { segment: segPicker.input.value })));

  // only its owner (or an admin) deletes a segment
  const delSeg = segment && canEditSegment(segment) && (await hasEndpoint('DELETE', '/segments/{id}'))
    ? h('button', { type: 'button', id: 'delete-segment', class: 'danger-line', onclick: deleteSegment }, t('list.delete_segment')) : null;
  // the owner (or an admin) renames, describes and shares a saved view
  const editSeg = segment && canEditSegment(segment) && (await hasEndpoint('PATCH', '/segments/{id}'))
    ? h('button', { type: 'button', id: 'edit-segment', onclick: editSegment }, t('gaps.segment_edit')) : null;
  function editSegment() {
    const err = formError();
    const name = field({ name: 'name', label: t('list.segment_name'), required: true, id: 'seg-edit-name', value: segment.name });
    const desc = field({ name: 'description', label: t('gaps.segment_description'), type: 'textarea', rows: 2, id: 'seg-edit-description', value: segment.description || '' });
    const shared = field({ name: 'shared', label: t('gaps.segment_shared'), type: 'checkbox', id: 'seg-edit-shared', value: !!segment.shared, hint: t('gaps.segment_shared_hint') });
    const form = h('form', { novalidate: true, id: 'segment-edit-form' }, err, name, desc, shared,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('gaps.segment_edit_title', { name: segment.name }), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const body = { name: name.input.value.trim(), description: desc.input.value.trim() || null, shared: shared.input.checked };
          const sgm = await api.patch(`/segments/${segment.id}`, body, { version: segment.version });
          dlg.close();
          toast(t('action.saved'));
          ctx.navigate(qs('/parties', { segment: sgm.id }));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  function deleteSegment() {
    const err = formError();
    const form = h('form', { novalidate: true, id: 'delete-segment-form' }, err,
      h('p', t('list.delete_segment_intro', { name: segment.name })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary danger' }, t('list.delete_segment')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('list.delete_segment'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          await api.del(`/segments/${segment.id}`, { version: segment.version });
          dlg.close();
          toast(t('list.segment_deleted', { name: segment.name }));
          ctx.navigate('/parties');
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  // Exports made by the server (all fields, what this user may see): CSV
  // for Excel with headers in the UI language, vCard, NDJSON of this list.
  const [expCsv, expVcf, expNd] = await Promise.all(['csv', 'vcf', 'ndjson'].map((x) => hasEndpoint('GET', `/parties/export.${x}`)));
  const expQ = segment ? segment.query || null : q;
  const expLinks = [
    expCsv && ['csv', qs('/api/v1/parties/export.csv', { ...(segment ? { segment: segment.id } : { q }), headers: getLang() }), t('export.csv')],
    expVcf && (!segment || expQ) && ['vcf', qs('/api/v1/parties/export.vcf', { q: expQ }), t('export.vcf')],
    expNd && (!segment || expQ) && ['ndjson', qs('/api/v1/parties/export.ndjson', { q: expQ }), t('export.ndjson')],
  ].filter(Boolean);
  // a saved view's members as CSV, made by the server (every member, not just the loaded page)
  if (segment && (await hasEndpoint('GET', '/segments/{id}/members.csv'))) expLinks.push(['members-csv', qs(`/api/v1/segments/${segment.id}/members.csv`, { lang: getLang() }), t('gaps.segment_members_csv')]);
  const base = segment ? `xrm-segment-${segment.id}` : 'xrm-parties';
  const exportMenu = expLinks.length ? h('details', { class: 'menu-pop', id: 'export-menu' },
    h('summary', { class: 'button' }, t('export.menu')),
    h('ul', { class: 'menu-list' }, expLinks.map(([ext, href, text]) => h('li',
      h('a', { href, download: ext === 'members-csv' ? `${base}-members.csv` : `${base}.${ext}`, 'data-format': ext }, text))))) : null;
  if (exportMenu) exportBtn.textContent = t('export.list_csv');

  fill(main,
    pageHead(t('nav.parties'), saveBtn, editSeg, delSeg, exportMenu, exportBtn, newBtn),
    h('div', { class: 'list-tools' },
      h('p', { class: 'query-line' }, segment ? `${t('list.segment')}: ${segment.name}` : q ? [`${t('list.query')}: `, h('code', q)] : t('list.all_hint')),
      segPicker),
    chips,
    h('div', { class: 'list-bar' }, count, sortPick, selectPage),
    bulkBar,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'party-table' }, h('caption', { class: 'sr-only' }, t('nav.parties')), h('thead', headRow), tbody)),
    more);
  markSort();
  await load(true);
}
