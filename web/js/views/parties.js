// Lists of parties by query (the search box's query language) or segment:
// sortable columns, paging with the API's cursor, CSV export of the whole
// list, quick filters per role, and a dialog to create a party.

import { h, fill } from '../dom.js';
import { t, label, getLang, word } from '../i18n.js';
import { api, qs, roleTypes, roleTypeMap, listAll, rememberName, hasEndpoint } from '../api.js';
import { field, formError, showErrors, openDialog, busy, toast, errorText } from '../forms.js';
import { roleBadges, kindLabel, city, pageHead, loading, errorBox, isActiveRole, roleLabel } from '../ui.js';
import { toCSV, download } from '../csv.js';
import { canCreateParty, canWriteRole, canEditSegment } from '../access.js';
import { setNewAction } from '../keys.js';
import { newPartyDialog } from './party-new.js';

const PAGE = 50;

export async function render(main, ctx) {
  const q = ctx.query.get('q') || '';
  const segId = ctx.query.get('segment') || '';
  ctx.setTitle(t('nav.parties'));
  const [rt, types, segOn] = await Promise.all([roleTypeMap(), roleTypes(), hasEndpoint('GET', '/segments')]);
  if (!ctx.alive()) return;
  let segments = [];
  if (segOn) segments = (await api.get('/segments').catch(() => ({ items: [] }))).items || [];
  const segment = segments.find((s) => String(s.id) === segId);
  const source = segment ? { path: `/segments/${segment.id}/members`, params: {} } : { path: '/parties', params: { q } };

  const state = { items: [], next: null, sort: null, dir: 1 };
  const tbody = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', id: 'list-count' });
  const more = h('button', { type: 'button', class: 'more', hidden: true, onclick: () => load(false) }, t('list.more'));
  const exportBtn = h('button', { type: 'button', id: 'export-csv', onclick: exportCSV }, t('list.export'));
  // a new party needs write access somewhere; its first role only a type this user may give
  const newBtn = canCreateParty() ? h('button', { type: 'button', id: 'new-party', class: 'primary', onclick: newParty }, t('party.new')) : null;
  if (newBtn) setNewAction(newParty); // the 'n' key
  const givable = types.filter((x) => canWriteRole(x));

  const cols = [
    ['name', t('field.name'), (p) => h('a', { href: `/parties/${p.id}` }, p.name), (p) => sortName(p)],
    ['kind', t('field.kind'), (p) => kindLabel(p.kind), (p) => p.kind],
    ['roles', t('party.roles'), (p) => roleBadges(p.roles, rt), (p) => (p.roles || []).filter(isActiveRole).map((r) => r.type).sort().join(',')],
    ['city', t('field.city'), (p) => city(p), (p) => city(p).toLowerCase()],
    ['email', t('field.email'), (p) => p.emails?.[0]?.value || '', (p) => p.emails?.[0]?.value || ''],
    ['phone', t('field.phone'), (p) => p.phones?.[0]?.value || '', (p) => p.phones?.[0]?.value || ''],
  ];

  function sortName(p) {
    if (p.kind === 'person' && p.family_name) return `${p.family_name} ${p.given_name || ''}`.toLowerCase();
    return (p.name || '').toLowerCase();
  }

  const headRow = h('tr', cols.map(([key, text]) => {
    const btn = h('button', { type: 'button', class: 'sort-btn', onclick: () => sortBy(key) }, text);
    return h('th', { scope: 'col', 'data-col': key }, btn);
  }));

  function sortBy(key) {
    state.dir = state.sort === key ? -state.dir : 1;
    state.sort = key;
    for (const th of headRow.children) {
      if (th.dataset.col === key) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    draw();
  }

  function draw() {
    let rows = state.items;
    if (state.sort) {
      const getter = cols.find((c) => c[0] === state.sort)[3];
      const coll = new Intl.Collator(getLang());
      rows = [...rows].sort((a, b) => state.dir * coll.compare(String(getter(a)), String(getter(b))));
    }
    fill(tbody, rows.map((p) => h('tr', cols.map(([key, text, cell]) => h('td', { 'data-label': text, class: `c-${key}` }, cell(p))))));
    if (!rows.length) tbody.append(h('tr', h('td', { colspan: cols.length, class: 'empty' }, t('list.none'))));
    count.textContent = state.next ? t('list.count_more', { n: state.items.length }) : t('list.count', { n: state.items.length });
    more.hidden = !state.next;
  }

  async function load(reset) {
    try {
      const r = await api.get(qs(source.path, { ...source.params, limit: PAGE, cursor: reset ? null : state.next }));
      if (!ctx.alive()) return;
      r.items.forEach((p) => rememberName(p.id, p.name));
      if (reset) state.items = [];
      state.items.push(...r.items);
      state.next = r.next;
      draw();
    } catch (e) {
      fill(tbody, h('tr', h('td', { colspan: cols.length }, errorBox(errorText(e)))));
    }
  }

  async function exportCSV() {
    exportBtn.disabled = true;
    exportBtn.textContent = t('list.exporting');
    try {
      const { items } = await listAll(source.path, source.params, 100000);
      const header = ['id', 'name', 'kind', 'roles', 'email', 'phone', 'street', 'house_number', 'postcode', 'city', 'country', 'kvk', 'vat', 'iban', 'tags'];
      const rows = [header, ...items.map((p) => {
        const a = p.addresses?.[0] || {};
        return [p.id, p.name, p.kind, (p.roles || []).map((r) => `${r.type}:${r.status}`).join(' '),
          p.emails?.[0]?.value, p.phones?.[0]?.value, a.street, a.house_number, a.postcode, a.city, a.country,
          p.kvk, p.vat, p.iban, (p.tags || []).join(' ')];
      })];
      download(`xrm-${segment ? `segment-${segment.id}` : 'parties'}.csv`, toCSV(rows, getLang() === 'nl' ? ';' : ','));
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

  const canSave = segOn && q && !segment && (await hasEndpoint('POST', '/segments'));
  const saveBtn = canSave ? h('button', { type: 'button', id: 'save-segment', onclick: saveSegment }, t('list.save_segment')) : null;
  function saveSegment() {
    const err = formError();
    const name = field({ name: 'name', label: t('list.segment_name'), required: true, id: 'seg-name' });
    const form = h('form', { novalidate: true, id: 'segment-form' }, err, name, h('p', h('code', q)),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')), h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
    const dlg = openDialog(t('list.save_segment'), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const sgm = await api.post('/segments', { name: name.input.value.trim(), query: q });
          dlg.close();
          toast(t('list.segment_saved', { name: sgm.name }));
          ctx.navigate(qs('/parties', { segment: sgm.id }));
        } catch (ex) {
          showErrors(form, ex);
        }
      });
    });
  }

  const segPicker = segments.length ? field({
    name: 'segment', label: t('list.segment'), type: 'select', id: 'segment-pick', value: segId,
    options: [['', t('list.no_segment')], ...segments.map((s) => [String(s.id), s.name])],
  }) : null;
  segPicker?.input.addEventListener('change', () => ctx.navigate(qs('/parties', { segment: segPicker.input.value })));

  // only its owner (or an admin) deletes a segment
  const delSeg = segment && canEditSegment(segment) && (await hasEndpoint('DELETE', '/segments/{id}'))
    ? h('button', { type: 'button', id: 'delete-segment', class: 'danger-line', onclick: deleteSegment }, t('list.delete_segment')) : null;
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
  const base = segment ? `xrm-segment-${segment.id}` : 'xrm-parties';
  const exportMenu = expLinks.length ? h('details', { class: 'menu-pop', id: 'export-menu' },
    h('summary', { class: 'button' }, t('export.menu')),
    h('ul', { class: 'menu-list' }, expLinks.map(([ext, href, text]) => h('li',
      h('a', { href, download: `${base}.${ext}`, 'data-format': ext }, text))))) : null;
  if (exportMenu) exportBtn.textContent = t('export.list_csv');

  fill(main,
    pageHead(t('nav.parties'), saveBtn, delSeg, exportMenu, exportBtn, newBtn),
    h('div', { class: 'list-tools' },
      h('p', { class: 'query-line' }, segment ? `${t('list.segment')}: ${segment.name}` : q ? [`${t('list.query')}: `, h('code', q)] : t('list.all_hint')),
      segPicker),
    chips,
    count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'party-table' }, h('caption', { class: 'sr-only' }, t('nav.parties')), h('thead', headRow), tbody)),
    more);
  tbody.append(h('tr', h('td', { colspan: cols.length }, loading())));
  await load(true);
}
