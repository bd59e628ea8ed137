// The party's photo on its page: the picture (GET /parties/{id}/photo, an
// <img> that the session cookie authorises) when the party JSON says
// `photo: true`, otherwise the initials of the name. Users who may edit the
// party get a dialog to upload or replace it (PUT with the file's own media
// type: JPEG, PNG, GIF or WebP up to 1 MB, checked here and by the server:
// 413 too large, 415 not an image) and to remove it (DELETE).

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, getSession } from '../api.js';
import { field, formError, showErrors, clearErrors, busy, toast, errorText, openDialog } from '../forms.js';
import { confirmDialog } from './admin.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
export const PHOTO_MAX = 1024 * 1024;

// Bumped on every change on this page, so the browser does not show the old picture.
const stamps = new Map();

function initials(name) {
  const words = String(name || '').replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);
  const pick = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return pick.map((w) => w[0].toUpperCase()).join('').slice(0, 2) || '?';
}

function photoUrl(p) {
  return `/api/v1/parties/${p.id}/photo?v=${encodeURIComponent(stamps.get(p.id) || p.updated_at || p.version || '')}`;
}

// The picture or the initials (the name is the page's heading next to it).
export function partyAvatar(p) {
  if (p.photo) return h('img', { class: 'party-avatar', id: 'party-photo', src: photoUrl(p), alt: t('photo.alt', { name: p.name }), width: 72, height: 72 });
  return h('span', { class: 'party-avatar party-initials', id: 'party-initials', 'aria-hidden': 'true' }, initials(p.name));
}

// The server's refusal in words a user can act on.
function photoError(e) {
  if (e.status === 413) return t('photo.too_large');
  if (e.status === 415) return t('photo.bad_type');
  return errorText(e);
}

async function putPhoto(id, file) {
  const headers = { 'Content-Type': file.type, Accept: 'application/json' };
  const csrf = getSession()?.csrf;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(`/api/v1/parties/${id}/photo`, { method: 'PUT', headers, body: file, credentials: 'same-origin' });
  if (!r.ok) {
    const p = await r.json().catch(() => ({}));
    const e = new Error(p.detail || p.title || `HTTP ${r.status}`);
    e.status = r.status;
    e.errors = [];
    throw e;
  }
}

// The upload / replace / remove dialog; onChange() reloads the party.
export function photoDialog(p, onChange) {
  const err = formError();
  const file = field({ name: 'photo', id: 'photo-file', label: p.photo ? t('photo.replace_file') : t('photo.file'), type: 'file', hint: t('photo.hint'),
    attrs: { accept: PHOTO_TYPES.join(',') } });
  const preview = h('div', { class: 'photo-preview', id: 'photo-preview' }, partyAvatar(p));
  const remove = p.photo ? h('button', { type: 'button', class: 'danger-line', id: 'photo-remove' }, t('photo.remove')) : null;
  const form = h('form', { novalidate: true, id: 'photo-form' }, err, preview, file,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'photo-upload' }, t('photo.upload')),
      remove,
      h('button', { type: 'button', onclick: () => dlg.close() }, t('action.cancel'))));
  const dlg = openDialog(p.photo ? t('photo.change') : t('photo.add'), form);
  file.input.addEventListener('change', () => {
    clearErrors(form);
    const f = file.input.files[0];
    if (f && PHOTO_TYPES.includes(f.type) && f.size <= PHOTO_MAX) {
      // a data: URL (the Content-Security-Policy allows data: images, not blob:)
      const reader = new FileReader();
      reader.addEventListener('load', () => fill(preview, h('img', { class: 'party-avatar', id: 'photo-preview-img', alt: t('photo.preview'), src: reader.result, width: 72, height: 72 })));
      reader.readAsDataURL(f);
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = file.input.files[0];
    let msg = null;
    if (!f) msg = t('photo.choose');
    else if (!PHOTO_TYPES.includes(f.type)) msg = t('photo.bad_type');
    else if (f.size > PHOTO_MAX) msg = t('photo.too_large');
    if (msg) {
      showErrors(form, { errors: [{ field: 'photo', message: msg }] });
      return;
    }
    busy(form, async () => {
      try {
        await putPhoto(p.id, f);
        stamps.set(p.id, Date.now());
        dlg.close();
        toast(t('photo.saved'));
        onChange();
      } catch (ex) {
        showErrors(form, { errors: [{ field: 'photo', message: photoError(ex) }] });
      }
    });
  });
  remove?.addEventListener('click', async () => {
    dlg.close();
    if (!(await confirmDialog(t('photo.remove'), t('photo.remove_question', { name: p.name }), t('photo.remove')))) return;
    try {
      await api.del(`/parties/${p.id}/photo`);
      stamps.set(p.id, Date.now());
      toast(t('photo.removed'));
      onChange();
    } catch (ex) {
      toast(photoError(ex), 'error');
    }
  });
}
