// The service worker of the xrm web app (registered by js/app.js, scope /).
// - The shell (styles, the core modules, the dictionaries, icons and
//   offline.html) is cached at install; every other file of the app is
//   cached when it is fetched.
// - Files of the app come from the network first, so a new version shows at
//   once; the cache answers only when the network does not.
// - A page opened while the network is down gets offline.html.
// - API answers (/api/...) are never cached and never touched: they go to
//   the network as if there were no worker, whoever the user is.

const CACHE = 'xrm-shell-v1';
const OFFLINE = '/offline.html';
const SHELL = [
  OFFLINE,
  '/app.css',
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/js/app.js',
  '/js/api.js',
  '/js/dom.js',
  '/js/i18n.js',
  '/js/forms.js',
  '/js/keys.js',
  '/js/search.js',
  '/js/access.js',
  '/js/ui.js',
  '/i18n/nl.json',
  '/i18n/en.json',
];

self.addEventListener('install', (e) => {
  e.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.add(OFFLINE); // without it the worker is of no use: fail the install
    // the rest as far as it comes (a module renamed on the server fails alone)
    await Promise.all(SHELL.filter((u) => u !== OFFLINE).map((u) => cache.add(u).catch(() => null)));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

async function fromNetwork(req) {
  const r = await fetch(req);
  if (r.ok && r.type === 'basic') {
    const copy = r.clone();
    caches.open(CACHE).then((c) => c.put(req, copy)).catch(() => null);
  }
  return r;
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // pages are the app's index.html (never stored: it may change with every release)
    e.respondWith(fetch(req).catch(async () => (await caches.match(OFFLINE)) || Response.error()));
    return;
  }
  e.respondWith(fromNetwork(req).catch(async () => (await caches.match(req)) || Response.error()));
});
