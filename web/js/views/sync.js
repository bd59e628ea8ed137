// "Telefoon en agenda" (/sync, from the user menu): how to see xrm's
// relations and calendars on a phone or in Thunderbird over CardDAV and
// CalDAV (GET /dav): the server address, the user name, the CardDAV and
// CalDAV addresses with copy buttons, short steps for iPhone, Android
// (DAVx⁵) and Thunderbird, an app password (an API token, POST /tokens,
// shown once: it is what the phone uses instead of the real password), the
// address books ("Alle relaties" and one per synced segment), the segments
// the user may read with a switch "op telefoon" (PUT / DELETE
// /dav/segments/{id}) and the two calendars (tasks, meetings). The private
// calendar feed of the settings page is linked for read-only calendars.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, request, hasEndpoint } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { pageHead, empty, errorBox, loading } from '../ui.js';
import { secretBox } from './settings.js';

// The host (and port) of a URL, for the phones' "server" field.
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url || '';
  }
}

export async function render(main, ctx) {
  ctx.setTitle(t('sync.title'));
  const [davApi, tokensApi, feedApi] = await Promise.all([hasEndpoint('GET', '/dav'), hasEndpoint('POST', '/tokens'), hasEndpoint('GET', '/calendar-feed')]);
  if (!ctx.alive()) return;
  if (!davApi) {
    fill(main, pageHead(t('sync.title')), errorBox(t('sync.unavailable')));
    return;
  }
  const box = h('div', { id: 'sync-body' }, loading());
  fill(main, pageHead(t('sync.title')), h('p', { class: 'muted' }, t('sync.intro')), box);
  let dav;
  try {
    dav = await api.get('/dav');
  } catch (e) {
    fill(box, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const books = h('section', { class: 'card', id: 'sync-books', 'aria-labelledby': 'sync-books-title' });
  const segments = h('section', { class: 'card', id: 'sync-segments', 'aria-labelledby': 'sync-seg-title' });
  const drawLists = (d) => {
    dav = d;
    drawBooks(books, d);
    drawSegments(segments, d, drawLists);
  };
  drawLists(dav);
  fill(box,
    accountCard(dav),
    tokensApi ? passwordCard() : null,
    howtoCard(dav),
    books,
    segments,
    calendarsCard(dav, feedApi));
}

function accountCard(dav) {
  return h('section', { class: 'card', id: 'sync-account', 'aria-labelledby': 'sync-account-title' },
    h('h2', { id: 'sync-account-title' }, t('sync.account')),
    h('dl', { class: 'props' },
      h('dt', t('sync.server')), h('dd', h('code', { id: 'sync-server' }, hostOf(dav.url))),
      h('dt', t('sync.username')), h('dd', h('code', { id: 'sync-username' }, dav.username || ''))),
    secretBox('sync-url', t('sync.url'), dav.url || ''),
    secretBox('sync-carddav', t('sync.carddav'), dav.carddav || ''),
    secretBox('sync-caldav', t('sync.caldav'), dav.caldav || ''));
}

// An app password: an API token named for the device, shown once.
function passwordCard() {
  const err = formError();
  const created = h('div', { id: 'sync-token-created', 'aria-live': 'polite' });
  const name = field({ name: 'name', label: t('sync.token_name'), id: 'sync-token-name', value: t('sync.token_default'), hint: t('sync.token_name_hint') });
  const form = h('form', { novalidate: true, id: 'sync-token-form', class: 'inline-form' }, err, name,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'sync-token-create' }, t('sync.token_create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const n = name.input.value.trim();
        const tok = await api.post('/tokens', n ? { name: n } : {});
        clearErrors(form);
        fill(created, h('div', { class: 'card secret-card' },
          secretBox('sync-token-secret', t('sync.token_secret', { name: tok.name || n || t('settings.token_unnamed') }), tok.token),
          h('p', { class: 'hint' }, t('sync.token_once'))));
        created.querySelector('input')?.focus();
        toast(t('sync.token_created'));
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  return h('section', { class: 'card', id: 'sync-password', 'aria-labelledby': 'sync-pw-title' },
    h('h2', { id: 'sync-pw-title' }, t('sync.password')),
    h('p', t('sync.password_intro')),
    form, created,
    h('p', { class: 'hint' }, h('a', { href: '/settings#api-tokens', id: 'sync-tokens-link' }, t('sync.tokens_manage'))));
}

function howtoCard(dav) {
  const server = hostOf(dav.url);
  const steps = (id, title, list) => h('details', { class: 'sync-howto', id },
    h('summary', title),
    h('ol', list.map((s) => h('li', s))));
  return h('section', { class: 'card', id: 'sync-howto', 'aria-labelledby': 'sync-howto-title' },
    h('h2', { id: 'sync-howto-title' }, t('sync.howto')),
    steps('howto-iphone', t('sync.iphone'), [
      t('sync.iphone_1'),
      t('sync.iphone_2', { server, user: dav.username || '' }),
      t('sync.iphone_3'),
      t('sync.iphone_4')]),
    steps('howto-android', t('sync.android'), [
      t('sync.android_1'),
      t('sync.android_2', { url: dav.url || '', user: dav.username || '' }),
      t('sync.android_3'),
      t('sync.android_4')]),
    steps('howto-thunderbird', t('sync.thunderbird'), [
      t('sync.thunderbird_1', { url: dav.carddav || '' }),
      t('sync.thunderbird_2', { url: dav.caldav || '' }),
      t('sync.thunderbird_3')]));
}

function drawBooks(card, dav) {
  const list = dav.address_books || [];
  fill(card,
    h('h2', { id: 'sync-books-title' }, t('sync.books')),
    h('p', { class: 'muted' }, t('sync.books_intro')),
    list.length ? h('ul', { class: 'plain sync-list', id: 'sync-book-list' }, list.map((b) => h('li', { 'data-book': b.name },
      h('strong', b.name === 'all' ? t('sync.book_all') : (b.displayname || b.segment?.name || b.name)),
      h('br'), h('code', { class: 'sync-url' }, b.url || '')))) : empty(t('sync.no_books')));
}

function drawSegments(card, dav, redraw) {
  const list = dav.segments || [];
  const result = h('p', { class: 'hint', id: 'sync-seg-result', role: 'status' });
  async function toggle(seg, input) {
    input.disabled = true;
    const on = input.checked;
    try {
      // PUT answers with the page's data; DELETE with nothing, so it is read again
      const r = on ? await request('PUT', `/dav/segments/${seg.id}`) : await api.del(`/dav/segments/${seg.id}`);
      redraw(r && r.segments ? r : await api.get('/dav'));
      document.getElementById('sync-seg-result').textContent = on ? t('sync.seg_on', { name: seg.name }) : t('sync.seg_off', { name: seg.name });
      document.getElementById(`sync-seg-${seg.id}`)?.focus();
    } catch (e) {
      input.checked = !on;
      input.disabled = false;
      result.textContent = errorText(e);
    }
  }
  fill(card,
    h('h2', { id: 'sync-seg-title' }, t('sync.segments')),
    h('p', { class: 'muted' }, t('sync.segments_intro')),
    result,
    list.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'sync-seg-table' },
      h('caption', { class: 'sr-only' }, t('sync.segments')),
      h('thead', h('tr', h('th', { scope: 'col' }, t('sync.segment')), h('th', { scope: 'col' }, t('sync.on_phone')))),
      h('tbody', list.map((s) => {
        const input = h('input', { type: 'checkbox', class: 'switch', id: `sync-seg-${s.id}`, checked: !!s.synced, 'data-segment': s.id,
          'aria-label': `${t('sync.on_phone')}: ${s.name}` });
        input.addEventListener('change', () => toggle(s, input));
        return h('tr', { 'data-segment': s.id },
          h('th', { scope: 'row' }, s.name),
          h('td', { 'data-label': t('sync.on_phone') }, input));
      })))) : empty(t('sync.no_segments')));
}

function calendarsCard(dav, feedApi) {
  const list = dav.calendars || [];
  return h('section', { class: 'card', id: 'sync-calendars', 'aria-labelledby': 'sync-cal-title' },
    h('h2', { id: 'sync-cal-title' }, t('sync.calendars')),
    h('p', { class: 'muted' }, t('sync.calendars_intro')),
    list.length ? h('ul', { class: 'plain sync-list', id: 'sync-cal-list' }, list.map((c) => h('li', { 'data-calendar': c.name },
      h('strong', c.name === 'tasks' ? t('sync.cal_tasks') : c.name === 'meetings' ? t('sync.cal_meetings') : (c.displayname || c.name)),
      h('br'), h('code', { class: 'sync-url' }, c.url || '')))) : empty(t('sync.no_calendars')),
    feedApi ? h('p', { class: 'hint' }, t('sync.feed_text'), ' ', h('a', { href: '/settings#calendar-feed', id: 'sync-feed-link' }, t('sync.feed_link'))) : null);
}
