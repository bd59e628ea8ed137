// The JSON API client. Logging in sets an HttpOnly session cookie that page
// scripts cannot read; the app keeps only the user and the session's CSRF
// token, in memory (never in sessionStorage or localStorage), and adds
// "X-CSRF-Token" to every state-changing request. After a reload or in a new
// tab, GET /api/v1/session tells whether the cookie still holds and gives the
// CSRF token again; localStorage keeps only the flag "xrm.cookie" (this
// browser logged in before), so a first visit asks nothing. No bearer token
// is ever asked for.
// Errors come back as ApiError with the problem+json fields (status, title,
// detail, errors[{field, message}]).

import { getLang, t } from './i18n.js';

let session = null; // {user, csrf}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export function getSession() {
  return session;
}

export function isAdmin() {
  return !!session?.user?.admin;
}

function save(s) {
  session = s;
}

// The loading indicator: requests in flight are counted; when one has taken
// over 200 ms a thin bar (role=progressbar) shows at the top of the page and
// main is aria-busy, until the last one has ended.
const SLOW_MS = 200;
let inflight = 0;
let slowTimer = null;

function loadingBar() {
  let bar = document.getElementById('loading-bar');
  if (!bar) {
    bar = document.createElement('div');
    bar.id = 'loading-bar';
    bar.className = 'loading-bar';
    bar.setAttribute('role', 'progressbar');
    bar.hidden = true;
    document.body.prepend(bar);
  }
  return bar;
}

function showLoading(on) {
  const bar = loadingBar();
  bar.setAttribute('aria-label', t('state.loading'));
  bar.hidden = !on;
  const main = document.getElementById('main');
  if (on) main?.setAttribute('aria-busy', 'true');
  else main?.removeAttribute('aria-busy');
}

function started() {
  inflight += 1;
  if (inflight === 1) slowTimer = setTimeout(() => showLoading(true), SLOW_MS);
}

function ended() {
  inflight = Math.max(0, inflight - 1);
  if (inflight) return;
  clearTimeout(slowTimer);
  slowTimer = null;
  showLoading(false);
}

export async function request(method, path, opts = {}) {
  started();
  try {
    return await send(method, path, opts);
  } finally {
    ended();
  }
}

async function send(method, path, { body, version, signal, raw } = {}) {
  // The server answers errors in the language the user chose in the app, not the browser's.
  const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session?.csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = session.csrf;
  if (version) headers['If-Match'] = `"${version}"`;
  const url = path.startsWith('/api/') ? path : `/api/v1${path}`;
  const r = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (r.status === 401 && path !== '/session' && session) {
    save(null);
    window.dispatchEvent(new CustomEvent('xrm:unauthorized'));
  }
  if (r.status === 204) return null;
  const type = r.headers.get('Content-Type') || '';
  let data = null;
  if (raw && r.ok) return r.text();
  if (type.includes('json')) data = await r.json().catch(() => null);
  else await r.text().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const api = {
  get: (p, o) => request('GET', p, o),
  post: (p, body, o = {}) => request('POST', p, { ...o, body }),
  patch: (p, body, o = {}) => request('PATCH', p, { ...o, body }),
  del: (p, o) => request('DELETE', p, o),
};

// Builds "/parties?q=..&limit=.." leaving out empty values.
export function qs(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `${path}?${s}` : path;
}

// The server sets the HttpOnly cookie; the answer's CSRF token stays in memory.
export async function login(user, password) {
  const r = await request('POST', '/session', { body: { user, password } });
  const s = { user: r.user || { name: user }, csrf: r.csrf };
  save(s);
  localStorage.setItem('xrm.cookie', '1');
  return s;
}

// After a reload (memory is empty): ask the server whether the cookie
// session still holds, and take its CSRF token again.
export async function restore() {
  if (session) return true;
  if (localStorage.getItem('xrm.cookie') !== '1') return false;
  try {
    const r = await request('GET', '/session');
    if (r && r.csrf) save({ user: r.user, csrf: r.csrf });
  } catch {
    localStorage.removeItem('xrm.cookie'); /* expired: the login screen follows */
  }
  return !!session;
}

export async function logout() {
  try {
    await request('DELETE', '/session');
  } catch {
    /* the session ends here whatever the server says */
  }
  save(null);
  localStorage.removeItem('xrm.cookie');
  cache.clear();
  names.clear();
}

// Which endpoints this server has, from its OpenAPI document (so screens for
// APIs that other parts of xrm add appear once those exist, without probing
// with requests that would fail).
let features = null;
async function features_() {
  if (features) return features;
  const doc = await request('GET', '/api/v1/openapi.json');
  const f = {};
  for (const [p, ops] of Object.entries(doc.paths || {})) {
    for (const m of Object.keys(ops)) f[`${m.toUpperCase()} ${p}`] = true;
  }
  features = f;
  return f;
}
export async function hasEndpoint(method, path) {
  try {
    return !!(await features_())[`${method} /api/v1${path}`];
  } catch {
    return false;
  }
}

// Read-mostly lookups kept for the session.
const cache = new Map();
export async function cached(path) {
  if (!cache.has(path)) {
    cache.set(path, api.get(path).catch((e) => {
      cache.delete(path);
      throw e;
    }));
  }
  return cache.get(path);
}
export function forget(path) {
  cache.delete(path);
}

export async function roleTypes() {
  const r = await cached('/role-types');
  return r.items || [];
}

export async function roleTypeMap() {
  const m = new Map();
  for (const rt of await roleTypes()) m.set(rt.name, rt);
  return m;
}

// Walks every page of a list (limit 500 each) up to max items.
export async function listAll(path, params = {}, max = 5000) {
  const items = [];
  let cursor = null;
  do {
    const r = await api.get(qs(path, { ...params, limit: 500, cursor }));
    items.push(...(r.items || []));
    cursor = r.next;
  } while (cursor && items.length < max);
  return { items, truncated: !!cursor };
}

// Party names by id, for tasks and activities that carry only ids.
const names = new Map();
export function rememberName(id, name) {
  names.set(Number(id), name);
}
export async function partyName(id) {
  id = Number(id);
  if (!names.has(id)) {
    names.set(id, api.get(`/parties/${id}`).then((p) => p.name).catch(() => `#${id}`));
  }
  return names.get(id);
}
