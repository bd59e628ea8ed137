// Documents on a record (party, deal, ticket, agreement, quote, invoice):
// documentsPanel(record, {domain, canWrite}) lists the record's documents
// the reader may see (name with its type, size in kB/MB, who and when, a
// download link, a preview in a dialog for images and PDFs: the image
// itself, or the server's PNG of a PDF's first page with "open" for the
// whole PDF), uploads by a file input and by drag-and-drop (a progress bar
// per file; the server's 413 as "file too large (max. 25 MB)") and deletes
// after a confirmation where the user may write the document's domain.
// On a party the documents of every domain the reader may read are listed
// with a domain badge, and a writer of more than one domain chooses the
// domain of an upload. The panel appears only when the server has the
// documents API (hasEndpoint) and stays hidden for a reader when there is
// nothing to show. The server checks every read and write again.
//
// documentsOnPage(main, ctx, record, opts) puts the panel into the page's
// side column whenever the view draws it (quotes and invoices draw their
// page in more than one way); documentButtons(list, agreements) adds a
// "documents" button to every agreement card, opening the panel in a dialog.

import { h, fill, nextId } from '../dom.js';
import { t, word, fmtDateTime, fmtNumber, getLang } from '../i18n.js';
import { api, qs, hasEndpoint, getSession, ApiError } from '../api.js';
import { openDialog, toast, errorText } from '../forms.js';
import { users } from '../picker.js';
import { canWrite, writableDomains } from '../access.js';
import { confirmDialog } from './admin.js';
import { empty, errorBox } from '../ui.js';

const DEFAULT_MAX = 25 * 1024 * 1024; // the server's default upload limit (XRM_MAX_UPLOAD)
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

// "party:12" or {kind, id} -> {kind, id, key}
function parseRecord(record) {
  if (typeof record === 'string') {
    const [kind, id] = record.split(':');
    return { kind, id: Number(id), key: `${kind}:${Number(id)}` };
  }
  return { kind: record.kind, id: Number(record.id), key: `${record.kind}:${Number(record.id)}` };
}

// 1536 -> "1,5 kB" (Dutch) / "1.5 kB"; from 1 MB on in MB.
export function fmtSize(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1024 * 1024) {
    const mb = n / (1024 * 1024);
    return `${fmtNumber(mb, { maximumFractionDigits: mb < 10 ? 1 : 0 })} MB`;
  }
  const kb = n / 1024;
  return `${fmtNumber(kb, { maximumFractionDigits: kb < 10 ? 1 : 0, minimumFractionDigits: 0 })} kB`;
}

const contentUrl = (d, inline = false) => (inline ? `/api/v1/documents/${d.id}/content?inline=true` : `/api/v1/documents/${d.id}/content`);
const previewUrl = (d) => `/api/v1/documents/${d.id}/preview`;
const baseType = (d) => String(d.type || '').split(';')[0].trim().toLowerCase();
const isImage = (d) => IMAGE_TYPES.includes(baseType(d));
const isPdf = (d) => baseType(d) === 'application/pdf';

// The kind of file for its icon: pdf, image, sheet, text, doc, archive or file.
function fileKind(d) {
  const ty = baseType(d);
  const ext = extension(d.name);
  if (ty === 'application/pdf') return 'pdf';
  if (ty.startsWith('image/')) return 'image';
  if (/sheet|excel|csv/.test(ty) || ['xlsx', 'xls', 'ods', 'csv'].includes(ext)) return 'sheet';
  if (/word|opendocument\.text|rtf/.test(ty) || ['doc', 'docx', 'odt', 'rtf'].includes(ext)) return 'doc';
  if (/zip|compressed|tar|gzip/.test(ty)) return 'archive';
  if (ty.startsWith('text/')) return 'text';
  return 'file';
}

function extension(name) {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(String(name || ''));
  return m ? m[1].toLowerCase() : '';
}

function kindLabel(kind) {
  switch (kind) {
    case 'pdf': return t('doc.kind_pdf');
    case 'image': return t('doc.kind_image');
    case 'sheet': return t('doc.kind_sheet');
    case 'doc': return t('doc.kind_doc');
    case 'archive': return t('doc.kind_archive');
    case 'text': return t('doc.kind_text');
    default: return t('doc.kind_file');
  }
}

function typeIcon(d) {
  const kind = fileKind(d);
  const ext = extension(d.name) || (baseType(d).split('/')[1] || '').slice(0, 4);
  return h('span', { class: ['doc-icon', `doc-icon-${kind}`], role: 'img', 'aria-label': kindLabel(kind), title: d.type },
    (ext || '?').toUpperCase().slice(0, 4));
}

function userNameOf(list, who) {
  if (who === null || who === undefined) return t('doc.system');
  if (typeof who === 'object') return who.display_name || who.name || `#${who.id}`;
  const u = list.find((x) => x.id === Number(who));
  return u ? u.display_name || u.name : `#${who}`;
}

// The text of an upload's failure: 413 -> "too large (max. N MB)".
function uploadError(err) {
  if (err instanceof ApiError && (err.status === 413 || err.problem.code === 'too_large')) {
    const p = err.problem || {};
    // the server names its limit in bytes in the detail ("larger than 26214400 bytes")
    const named = /(\d{4,})/.exec(String(p.detail || ''));
    const max = Number(p.max_size ?? p.limit ?? (named && named[1])) || DEFAULT_MAX;
    return t('doc.too_large', { max: fmtSize(max) });
  }
  if (err instanceof ApiError && err.errors.length) return err.errors.map((e) => e.message).join('; ');
  return errorText(err);
}

// POST the raw file with upload progress (fetch has none), the session's
// CSRF token and the app's language; resolves to the document JSON.
function sendFile(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', url);
    x.setRequestHeader('Accept', 'application/json');
    x.setRequestHeader('Accept-Language', getLang());
    x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    x.setRequestHeader('X-Filename', encodeURIComponent(file.name));
    const csrf = getSession()?.csrf;
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    x.addEventListener('load', () => {
      let data = null;
      try {
        data = x.responseText ? JSON.parse(x.responseText) : null;
      } catch {
        data = null;
      }
      if (x.status >= 200 && x.status < 300) resolve(data);
      else {
        if (x.status === 401) window.dispatchEvent(new CustomEvent('xrm:unauthorized'));
        reject(new ApiError(x.status, data));
      }
    });
    x.addEventListener('error', () => reject(new TypeError('network')));
    x.send(file);
  });
}

// The preview dialog: an image as it is; a PDF as the PNG of its first page
// with "open" (the whole PDF in a new tab) and download.
export function previewDialog(d) {
  const img = h('img', {
    class: 'doc-preview-img',
    src: isPdf(d) ? previewUrl(d) : contentUrl(d, true),
    alt: isPdf(d) ? t('doc.preview_alt_pdf', { name: d.name }) : t('doc.preview_alt', { name: d.name }),
  });
  const frame = h('div', { class: 'doc-preview-frame' }, img);
  img.addEventListener('error', () => fill(frame, h('p', { class: 'empty' }, t('doc.no_preview'))));
  const body = h('div', { class: 'doc-preview' },
    h('div', { class: 'doc-preview-links' },
      isPdf(d) ? h('a', { class: 'button', href: contentUrl(d, true), target: '_blank', rel: 'noopener', 'data-doc-open': d.id }, t('doc.open_pdf')) : null,
      h('a', { class: 'button', href: contentUrl(d), download: d.name, 'data-doc-save': d.id }, t('doc.download'))),
    frame);
  return openDialog(d.name, body, { wide: true });
}

export function documentsPanel(record, { domain = null, canWrite: writable = false, title = null } = {}) {
  const rec = parseRecord(record);
  const isParty = rec.kind === 'party';
  const titleId = nextId('doc-title');
  const sec = h('section', { class: 'card doc-panel', 'data-record': rec.key, 'aria-labelledby': titleId, hidden: true });
  const list = h('ul', { class: 'doc-list plain', 'aria-labelledby': titleId });
  const status = h('div', { class: 'doc-uploads', role: 'status', 'aria-live': 'polite' });
  const domains = isParty ? writableDomains() : [];
  const mayUpload = writable && (!isParty || domains.length > 0);
  let userList = [];
  let items = [];

  // the domain of a party's upload: chosen when there is more than one (the
  // first the user may write is the server's default too)
  let domainSel = null;
  if (isParty && mayUpload && domains.length > 1) {
    const id = nextId('doc-domain');
    domainSel = h('div', { class: 'field doc-domain' },
      h('label', { for: id }, t('doc.domain')),
      h('select', { id, name: 'domain', 'data-field': 'domain' },
        domains.map((d) => h('option', { value: d, selected: d === (domain || domains[0]) }, word('domain', d)))));
  }
  const uploadDomain = () => (isParty ? domainSel?.querySelector('select').value || domains[0] : null);

  function row(d) {
    const who = userNameOf(userList, d.created_by);
    const canDelete = canWrite(d.domain || domain);
    const previewable = isImage(d) || isPdf(d);
    return h('li', { class: 'doc-item', 'data-doc': d.id, 'data-name': d.name },
      typeIcon(d),
      h('div', { class: 'doc-main' },
        h('a', { class: 'doc-name', href: contentUrl(d), download: d.name }, d.name, h('span', { class: 'sr-only' }, ` (${t('doc.download')})`)),
        h('span', { class: 'doc-meta muted small-text' },
          isParty && d.domain ? [h('span', { class: ['badge', `dom-${d.domain}`] }, word('domain', d.domain)), ' '] : null,
          [fmtSize(d.size), who, fmtDateTime(d.created_at)].filter(Boolean).join(' \u00b7 '))),
      previewable || canDelete ? h('div', { class: 'doc-actions' },
        previewable ? h('button', { type: 'button', class: 'small doc-preview-btn', 'aria-label': t('doc.preview_of', { name: d.name }), onclick: () => previewDialog(d) }, t('doc.preview')) : null,
        canDelete ? h('button', { type: 'button', class: 'small danger-line doc-delete', 'aria-label': t('doc.delete_of', { name: d.name }), onclick: () => remove(d) }, t('doc.delete')) : null) : null);
  }

  function draw() {
    sec.hidden = !items.length && !mayUpload;
    fill(list, items.length ? items.map(row) : h('li', empty(t('doc.none'))));
  }

  async function load() {
    try {
      const r = await api.get(qs('/documents', { record: rec.key }));
      items = r.items || [];
    } catch (e) {
      fill(list, h('li', errorBox(errorText(e))));
      sec.hidden = false;
      return;
    }
    draw();
  }

  async function remove(d) {
    if (!(await confirmDialog(t('doc.delete_title'), t('doc.delete_confirm', { name: d.name }), t('doc.delete')))) return;
    try {
      await api.del(`/documents/${d.id}`);
      toast(t('doc.deleted', { name: d.name }));
    } catch (e) {
      toast(errorText(e), 'error');
    }
    await load();
  }

  async function uploadOne(file) {
    const bar = h('progress', { max: 100, value: 0, 'aria-label': t('doc.uploading', { name: file.name }) });
    const msg = h('span', { class: 'doc-up-msg' }, t('doc.uploading', { name: file.name }));
    const line = h('div', { class: 'doc-up' }, msg, bar);
    status.append(line);
    const params = { record: rec.key };
    if (isParty) params.domain = uploadDomain();
    try {
      await sendFile(qs('/api/v1/documents', params), file, (p) => { bar.value = Math.round(p * 100); });
      line.remove();
      toast(t('doc.uploaded', { name: file.name }));
      return true;
    } catch (e) {
      bar.remove();
      line.classList.add('doc-up-failed');
      fill(msg, h('strong', file.name), ': ', uploadError(e));
      line.setAttribute('role', 'alert');
      return false;
    }
  }

  async function upload(files) {
    if (!files?.length) return;
    for (const el of status.querySelectorAll('.doc-up-failed')) el.remove();
    for (const f of files) await uploadOne(f);
    await load();
  }

  let dropZone = null;
  if (mayUpload) {
    const inputId = nextId('doc-file');
    const input = h('input', { type: 'file', id: inputId, class: 'doc-file', multiple: true, name: 'file' });
    input.addEventListener('change', async () => {
      const files = [...input.files];
      input.value = '';
      await upload(files);
    });
    dropZone = h('div', { class: 'doc-drop' },
      domainSel,
      // the file input itself is hidden behind its label, a button in the app's language
      h('div', { class: 'doc-pick' }, input, h('label', { for: inputId, class: 'button doc-pick-btn' }, t('doc.choose'))),
      h('p', { class: 'hint doc-drop-hint' }, t('doc.drop_hint')));
    let depth = 0;
    const over = (on) => dropZone.classList.toggle('doc-drop-over', on);
    sec.addEventListener('dragenter', (e) => {
      if (!e.dataTransfer?.types?.includes('Files')) return;
      e.preventDefault();
      depth += 1;
      over(true);
    });
    sec.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types?.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    sec.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (!depth) over(false);
    });
    sec.addEventListener('drop', (e) => {
      if (!e.dataTransfer?.files?.length) return;
      e.preventDefault();
      depth = 0;
      over(false);
      upload([...e.dataTransfer.files]);
    });
  }

  (async () => {
    if (!(await hasEndpoint('GET', '/documents'))) return;
    userList = await users().catch(() => []);
    fill(sec,
      h('div', { class: 'card-head' }, h('h2', { id: titleId }, title || t('doc.panel'))),
      list, dropZone, status);
    await load();
  })();
  return sec;
}

// For views that draw their page more than once (a quote or invoice as a
// draft editor or as a sent document, again after every change): puts the
// panel into the element matching selector each time the view fills main,
// as long as this rendering is the current one (ctx.alive()).
export function documentsOnPage(main, ctx, record, opts, selector = '.col-side') {
  if (!record) return;
  const put = () => {
    if (!ctx.alive()) {
      obs.disconnect();
      return;
    }
    const side = main.querySelector(selector);
    if (side && !side.querySelector(':scope > .doc-panel')) side.append(documentsPanel(record, opts));
  };
  const obs = new MutationObserver(put);
  obs.observe(main, { childList: true });
  put();
}

// A "documents" button on each agreement card of a list (the agreements
// screen, the party's agreements panel): the panel in a dialog.
export async function documentButtons(list, agreements) {
  if (!(await hasEndpoint('GET', '/documents'))) return;
  for (const a of agreements || []) {
    const card = list.querySelector(`[data-agreement="${Number(a.id)}"]`);
    if (!card || card.querySelector('.doc-open')) continue;
    let actions = card.querySelector('.agr-actions');
    if (!actions) {
      actions = h('div', { class: 'actions agr-actions' });
      card.append(actions);
    }
    const name = a.title || word('agreement', a.kind);
    actions.append(h('button', {
      type: 'button',
      class: 'doc-open',
      'aria-label': t('doc.of', { name }),
      onclick: () => openDialog(t('doc.of', { name }),
        documentsPanel({ kind: 'agreement', id: a.id }, { domain: a.domain, canWrite: canWrite(a.domain), title: t('doc.panel') }), { wide: true }),
    }, t('doc.panel')));
  }
}
