// The settings page of the signed-in user (/settings, from the user name in
// the header): the app's language, the private calendar feed (its address
// is shown once, when it is made, with a copy button; making a new one
// replaces the old; revoking ends it), personal API tokens (the secret shown
// once on creation) and, when the server offers it, a new password.

import { h, fill } from '../dom.js';
import { t, getLang, setLang, fmtDateTime } from '../i18n.js';
import { api, getSession, hasEndpoint } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText } from '../forms.js';
import { pageHead, empty, errorBox } from '../ui.js';
import { confirmDialog } from './admin.js';

// A read-only text with a copy button (falls back to selecting the text).
export function secretBox(id, labelText, value) {
  const input = h('input', { id, type: 'text', readonly: true, value, class: 'mono secret', 'aria-describedby': `${id}-note` });
  const note = h('p', { class: 'hint', id: `${id}-note`, 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'small', 'data-copy': id, onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
      note.textContent = t('settings.copied');
    } catch {
      note.textContent = t('settings.copy_manually');
    }
  } }, t('settings.copy'));
  return h('div', { class: 'field secret-box' }, h('label', { for: id }, labelText), h('div', { class: 'copy-row' }, input, copy), note);
}

export async function render(main, ctx) {
  ctx.setTitle(t('settings.title'));
  const [feedApi, tokensApi, pwApi, davApi] = await Promise.all([hasEndpoint('GET', '/calendar-feed'), hasEndpoint('GET', '/tokens'), hasEndpoint('POST', '/session/password'),
    hasEndpoint('GET', '/dav')]);
  if (!ctx.alive()) return;
  const user = getSession()?.user || {};
  fill(main, pageHead(t('settings.title')),
    h('p', { class: 'muted' }, t('settings.signed_in_as', { name: user.name || '' })),
    languageCard(),
    davApi ? syncCard() : null, // sync: the phone and calendar page
    feedApi ? await feedCard(ctx) : null,
    tokensApi ? await tokensCard(ctx) : null,
    pwApi ? passwordCard(ctx) : null);
  // sync: the phone and calendar page links its cards (#calendar-feed, #api-tokens)
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

// sync: where to set up a phone, a tablet or Thunderbird (views/sync.js).
function syncCard() {
  return h('section', { class: 'card', id: 'settings-sync', 'aria-labelledby': 'set-sync-title' },
    h('h2', { id: 'set-sync-title' }, t('sync.title')),
    h('p', { class: 'muted' }, t('sync.settings_text')),
    h('p', h('a', { href: '/sync', id: 'settings-sync-link' }, t('sync.open'))));
}

function languageCard() {
  const sel = field({ name: 'lang', label: t('settings.language'), type: 'select', id: 'settings-lang', value: getLang(),
    options: [['nl', 'Nederlands'], ['en', 'English']] });
  sel.input.addEventListener('change', async () => {
    await setLang(sel.input.value);
    location.reload(); // header and every screen in the new language
  });
  return h('section', { class: 'card', 'aria-labelledby': 'set-lang-title' }, h('h2', { id: 'set-lang-title' }, t('settings.language')), sel);
}

async function feedCard(ctx) {
  const box = h('div', { id: 'feed-box' });
  const card = h('section', { class: 'card', id: 'calendar-feed', 'aria-labelledby': 'set-feed-title' },
    h('h2', { id: 'set-feed-title' }, t('settings.feed')), h('p', { class: 'muted' }, t('settings.feed_intro')), box);
  const draw = (f, url) => {
    const make = h('button', { type: 'button', class: f.active ? null : 'primary', id: 'feed-create', onclick: () => create(make) }, f.active ? t('settings.feed_renew') : t('settings.feed_create'));
    const revoke = f.active ? h('button', { type: 'button', class: 'danger-line', id: 'feed-revoke', onclick: () => remove(revoke) }, t('settings.feed_revoke')) : null;
    fill(box,
      h('p', { id: 'feed-state' }, f.active
        ? t('settings.feed_active', { at: fmtDateTime(f.created_at) }) + (f.last_used_at ? ` ${t('settings.feed_used', { at: fmtDateTime(f.last_used_at) })}` : '')
        : t('settings.feed_none')),
      url ? [secretBox('feed-url', t('settings.feed_url'), url), h('p', { class: 'hint' }, t('settings.feed_once'))] : null,
      h('div', { class: 'form-actions' }, make, revoke));
  };
  async function create(btn) {
    if ((await api.get('/calendar-feed')).active && !(await confirmDialog(t('settings.feed_renew'), t('settings.feed_renew_question'), t('settings.feed_renew')))) return;
    btn.disabled = true;
    try {
      const f = await api.post('/calendar-feed');
      draw(f, new URL(f.url, location.origin).href);
      toast(t('settings.feed_created'));
    } catch (e) {
      toast(errorText(e), 'error');
      btn.disabled = false;
    }
  }
  async function remove(btn) {
    if (!(await confirmDialog(t('settings.feed_revoke'), t('settings.feed_revoke_question'), t('settings.feed_revoke')))) return;
    btn.disabled = true;
    try {
      await api.del('/calendar-feed');
      draw({ active: false });
      toast(t('settings.feed_revoked'));
    } catch (e) {
      toast(errorText(e), 'error');
      btn.disabled = false;
    }
  }
  try {
    draw(await api.get('/calendar-feed'));
  } catch (e) {
    fill(box, errorBox(errorText(e)));
  }
  return card;
}

async function tokensCard(ctx) {
  let items = [];
  const tbody = h('tbody');
  const created = h('div', { id: 'token-created', 'aria-live': 'polite' });
  const sessions = h('p', { class: 'muted', id: 'token-sessions' });
  const draw = () => {
    const api_ = items.filter((x) => x.kind === 'api');
    const n = items.length - api_.length;
    sessions.textContent = t('settings.sessions', { n });
    fill(tbody, api_.length ? api_.map((x) => h('tr', { 'data-token': x.name || '' },
      h('td', { 'data-label': t('field.name') }, x.name || t('settings.token_unnamed')),
      h('td', { 'data-label': t('settings.token_created') }, fmtDateTime(x.created_at)),
      h('td', { 'data-label': t('settings.token_expires') }, x.expires_at ? fmtDateTime(x.expires_at) : t('settings.never')),
      h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'small danger-line', 'data-act': 'revoke', onclick: () => revoke(x) }, t('settings.token_revoke')))))
      : h('tr', h('td', { colspan: 4 }, empty(t('settings.no_tokens')))));
  };
  async function reload() {
    items = (await api.get('/tokens')).items || [];
    draw();
  }
  async function revoke(x) {
    if (!(await confirmDialog(t('settings.token_revoke'), t('settings.token_revoke_question', { name: x.name || t('settings.token_unnamed') }), t('settings.token_revoke')))) return;
    try {
      await api.del(`/tokens/${x.id}`);
      toast(t('settings.token_revoked'));
      fill(created);
      await reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  const err = formError();
  const name = field({ name: 'name', label: t('settings.token_name'), id: 'token-name', hint: t('settings.token_name_hint') });
  const form = h('form', { novalidate: true, id: 'token-form', class: 'inline-form' }, err, name,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('settings.token_create'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const body = name.input.value.trim() ? { name: name.input.value.trim() } : {};
        const tok = await api.post('/tokens', body);
        form.reset();
        clearErrors(form);
        fill(created, h('div', { class: 'card secret-card' }, secretBox('token-secret', t('settings.token_secret', { name: tok.name || t('settings.token_unnamed') }), tok.token),
          h('p', { class: 'hint' }, t('settings.token_once'))));
        await reload();
      } catch (ex) {
        showErrors(form, ex);
      }
    });
  });
  try {
    await reload();
  } catch (e) {
    return h('section', { class: 'card' }, errorBox(errorText(e)));
  }
  return h('section', { class: 'card', id: 'api-tokens', 'aria-labelledby': 'set-tok-title' },
    h('h2', { id: 'set-tok-title' }, t('settings.tokens')), h('p', { class: 'muted' }, t('settings.tokens_intro')),
    form, created,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'token-table' },
      h('thead', h('tr', [t('field.name'), t('settings.token_created'), t('settings.token_expires')].map((x) => h('th', { scope: 'col' }, x)),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('admin.actions'))))),
      tbody)), sessions);
}

function passwordCard(ctx) {
  const err = formError();
  const cur = field({ name: 'current_password', label: t('settings.pw_current'), type: 'password', required: true, id: 'pw-current', autocomplete: 'current-password' });
  const pw = field({ name: 'password', label: t('settings.pw_new'), type: 'password', required: true, id: 'pw-new', autocomplete: 'new-password', hint: t('admin.password_hint') });
  const form = h('form', { class: 'card', novalidate: true, id: 'password-form', 'aria-labelledby': 'set-pw-title' },
    h('h2', { id: 'set-pw-title' }, t('settings.password')), h('p', { class: 'muted' }, t('settings.pw_intro')), err,
    h('div', { class: 'grid-2' }, cur, pw),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('settings.pw_change'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await api.post('/session/password', { current_password: cur.input.value, password: pw.input.value });
        form.reset();
        clearErrors(form);
        toast(t('settings.pw_changed'));
      } catch (ex) {
        cur.input.value = '';
        showErrors(form, ex);
      }
    });
  });
  return form;
}
