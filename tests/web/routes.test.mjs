// Route coverage: every operation of the OpenAPI document (method + path) is
// used by some screen of the web app, or listed with its reason in
// tests/web/route-exceptions.json ("METHOD /api/v1/path": "why no screen").
// No browser: the app's modules (web/js/**/*.js) are read as text and the
// API paths they call collected:
//   api.get/post/patch/del(PATH), request('METHOD', PATH), fetch(PATH,
//   {method}), listAll(PATH), cached(PATH), qs(PATH, ...) and links to
//   /api/v1/... (downloads), PATH a '...' string or `...` template whose
//   ${...} parts stand for {param} segments; a query (?...) is dropped.
// A path written elsewhere (e.g. { path: `/segments/${id}/members` } handed
// to a call later) counts as a read (GET).
// The document comes from XRM_WEB_URL (scripts/test-web.sh) or, without it,
// from build/xrm (XRM_BIN) started on a fresh database.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXCEPTIONS = path.join(ROOT, 'tests/web/route-exceptions.json');
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

let doc = null;
let server = null;
let tmp = null;

async function startServer() {
  const bin = path.resolve(ROOT, process.env.XRM_BIN || 'build/xrm');
  assert.ok(fs.existsSync(bin), `${bin} not found: run make build/xrm or set XRM_WEB_URL`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xrm-routes-'));
  const db = path.join(tmp, 'r.db');
  execFileSync(bin, ['init', '--db', db], { env: { ...process.env, XRM_ADMIN_PASSWORD: 'routes-test-password' }, stdio: 'ignore' });
  server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('xrm serve did not start')), 30000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`xrm serve exited (${code})`)));
  });
}

before(async () => {
  const base = process.env.XRM_WEB_URL || (await startServer());
  const r = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(r.status, 200);
  doc = await r.json();
});

after(() => {
  if (server) server.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function jsFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

// The string or template literal starting at src[i] (a quote): [text, end].
function literal(src, i) {
  const q = src[i];
  let j = i + 1;
  let depth = 0;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (q === '`' && c === '$' && src[j + 1] === '{') {
      depth += 1;
      j += 2;
      continue;
    }
    if (q === '`' && depth && c === '}') depth -= 1;
    else if (c === q && !depth) break;
    j += 1;
  }
  return [src.slice(i + 1, j), j + 1];
}

// The text of a call's arguments from the '(' at src[i]: up to the matching ')'.
function args(src, i) {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === "'" || c === '"' || c === '`') {
      j = literal(src, j)[1];
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if (c === ')' || c === '}' || c === ']') {
      depth -= 1;
      if (!depth) return src.slice(i + 1, j);
    }
    j += 1;
  }
  return src.slice(i + 1);
}

// "/parties/${id}/roles?x=${y}" -> "/api/v1/parties/{}/roles"; null when it is no API path.
function apiPath(text) {
  if (!text.startsWith('/')) return null;
  let p = text.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '{}');
  p = p.split('?')[0];
  if (!p.startsWith('/api/')) p = `/api/v1${p}`;
  if (!p.startsWith('/api/v1/') || p.length <= 8) return null;
  return p.replace(/\/$/, '');
}

// The first path literal in a text (the first argument of a call).
function firstPath(text) {
  const m = /['"`]\//.exec(text);
  if (!m) return null;
  return apiPath(literal(text, m.index)[0]);
}

// [{method, path, file}] the app calls; method null: a path written elsewhere (taken as GET).
export function collect(files) {
  const uses = [];
  for (const file of files) {
    const src = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    const seen = new Set(); // literal positions inside recognised calls
    const calls = /\b(api\.get|api\.post|api\.patch|api\.del|request|fetch|listAll|cached|hasEndpoint)\s*\(/g;
    let m;
    while ((m = calls.exec(src))) {
      const open = m.index + m[0].length - 1;
      const a = args(src, open);
      const at = open + 1;
      // mark every path literal of these arguments as used by this call
      for (const lm of a.matchAll(/['"`]\//g)) seen.add(at + lm.index);
      let method;
      let p;
      const fn = m[1];
      if (fn === 'hasEndpoint') continue; // asks whether a route exists; uses nothing
      if (fn === 'request') {
        const mm = /^\s*['"](\w+)['"]\s*,([\s\S]*)$/.exec(a);
        if (!mm) continue; // request(method, path) inside api.js itself
        method = mm[1].toUpperCase();
        p = firstPath(mm[2]);
      } else if (fn === 'fetch') {
        p = firstPath(a);
        const mm = /method\s*:\s*['"](\w+)['"]/.exec(a);
        method = mm ? mm[1].toUpperCase() : 'GET';
      } else {
        method = { 'api.get': 'GET', 'api.post': 'POST', 'api.patch': 'PATCH', 'api.del': 'DELETE', listAll: 'GET', cached: 'GET' }[fn];
        p = firstPath(a);
      }
      if (p) uses.push({ method, path: p, file: rel });
    }
    // every other path literal: a link (href) or a path handed to a call later
    for (const lm of src.matchAll(/['"`]\//g)) {
      if (seen.has(lm.index)) continue;
      const p = apiPath(literal(src, lm.index)[0]);
      if (p && !/\.(js|css|json|svg|png|html|webmanifest)$/.test(p)) uses.push({ method: null, path: p, file: rel });
    }
  }
  return uses;
}

// Does the app path (with {} for ${...}) name the document's path (with {param})?
function matches(appPath, docPath) {
  const a = appPath.split('/');
  const d = docPath.split('/');
  if (a.length !== d.length) return false;
  return d.every((seg, i) => {
    if (seg === a[i]) return true;
    if (/^\{\w+\}$/.test(seg)) return a[i].includes('{}'); // a parameter: a ${...} in the app
    // "{name}.ics" against "${secret}.ics"
    const re = new RegExp(`^${seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.+')}$`);
    return a[i].includes('{}') && re.test(a[i].replaceAll('{}', 'x'));
  });
}

function operations() {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) if (METHODS.includes(m.toUpperCase())) ops.push(`${m.toUpperCase()} ${p}`);
  }
  return ops.sort();
}

function usedOps(uses) {
  const used = new Map(); // "METHOD path" -> files
  for (const op of operations()) {
    const [method, p] = op.split(' ');
    for (const u of uses) {
      if ((u.method || 'GET') === method && matches(u.path, p)) {
        if (!used.has(op)) used.set(op, new Set());
        used.get(op).add(u.file);
      }
    }
  }
  return used;
}

test('the scanner finds the calls it must (a check of the check)', () => {
  const uses = collect(jsFiles(path.join(ROOT, 'web/js')));
  const used = usedOps(uses);
  for (const op of ['GET /api/v1/parties', 'POST /api/v1/parties', 'GET /api/v1/parties/{id}', 'PATCH /api/v1/parties/{id}',
    'POST /api/v1/session', 'DELETE /api/v1/session', 'GET /api/v1/openapi.json']) {
    assert.ok(used.has(op), `the scanner misses ${op}`);
  }
  // the kinds of calls, on a module written for the purpose
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xrm-scan-'));
  const f = path.join(dir, 'x.js');
  fs.writeFileSync(f, [
    "if (await hasEndpoint('GET', '/probe-only')) {}",
    'await api.post(`/parties/${p.id}/roles`, { type });',
    "await fetch(qs('/api/v1/imports', params(x)), { method: 'POST', body });",
    'const source = { path: `/segments/${seg.id}/members`, params: {} };',
    "await request('DELETE', `/tasks/${t.id}?force=${f}`);",
    "h('a', { href: `/api/v1/imports/${j.id}/errors.csv` });",
  ].join('\n'));
  const got = collect([f]).map((u) => `${u.method} ${u.path}`);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(got.sort(), [
    'DELETE /api/v1/tasks/{}',
    'POST /api/v1/imports',
    'POST /api/v1/parties/{}/roles',
    'null /api/v1/imports/{}/errors.csv',
    'null /api/v1/segments/{}/members',
  ]);
});

test('every route of the OpenAPI document is used by a screen or listed as an exception with a reason', () => {
  const exceptions = JSON.parse(fs.readFileSync(EXCEPTIONS, 'utf8'));
  const ops = operations();
  assert.ok(ops.length > 50, `only ${ops.length} operations in the document`);
  const used = usedOps(collect(jsFiles(path.join(ROOT, 'web/js'))));
  const missing = ops.filter((op) => !used.has(op) && !(op in exceptions));
  assert.deepEqual(missing, [], 'routes no screen uses: build a screen, or list them in tests/web/route-exceptions.json with a reason');
  for (const [op, reason] of Object.entries(exceptions)) {
    assert.ok(typeof reason === 'string' && reason.trim().length >= 8, `${op}: an exception needs a reason`);
  }
  const unknown = Object.keys(exceptions).filter((op) => !ops.includes(op));
  assert.deepEqual(unknown, [], 'exceptions for routes the document does not have (renamed or removed?)');
  const stale = Object.keys(exceptions).filter((op) => used.has(op)).map((op) => `${op} (used in ${[...used.get(op)].join(', ')})`);
  assert.deepEqual(stale, [], 'exceptions for routes a screen now uses: remove them from tests/web/route-exceptions.json');
});
