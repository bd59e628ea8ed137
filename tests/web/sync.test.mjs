// Browser tests of the page "Telefoon en agenda" (views/sync.js) and the
// party photo (views/party-photo.js):
// - verkoop (sales write) in Dutch at 390 px opens the page from the menu:
//   server, user name, the CardDAV and CalDAV addresses, the address book
//   "Alle relaties", the calendars; a segment of this run switched "op
//   telefoon" is saved (GET /dav says synced, an address book of its own,
//   still on after a reload) and switched off again; an app password is
//   made and shown once, and it opens the API as verkoop.
// - hr-assistent in English at 1280 px reaches it from the settings page;
//   every demo user gets the page with their own user name.
// - the party photo: verkoop uploads a PNG on a party of this run (the
//   picture shows, loaded with the session cookie), is told off for a text
//   file and for a file over 1 MB, replaces it and removes it (initials
//   again); hr-assistent (hr read) sees a photo on an employee but gets no
//   upload button.
// Screenshots of each screen at 1280 and 390 px with the axe check.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, RUN, BASE, session, go, api, has, allow, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

// 1x1 pixel images.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

// PUT /parties/{id}/photo with the page's session.
async function putPhoto(page, id, type, bytes) {
  return page.evaluate(async ([i, ty, b]) => {
    const mod = await import('/js/api.js');
    const r = await fetch(`/api/v1/parties/${i}/photo`, { method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': ty, 'X-CSRF-Token': mod.getSession().csrf, Accept: 'application/json' }, body: new Uint8Array(b) });
    return r.status;
  }, [id, type, [...bytes]]);
}

async function imgLoaded(page, sel) {
  await page.waitForFunction((s) => {
    const img = document.querySelector(s);
    return img && img.complete && img.naturalWidth > 0;
  }, sel);
}

test('verkoop (nl, 390 px): the page from the menu, a segment on the phone, an app password', T, async (t) => {
  const { page } = await session('verkoop', { width: 390 });
  if (!(await has('GET', '/dav'))) {
    t.skip('this server has no /dav API');
    return;
  }
  const seg = await api(page, 'POST', '/segments', { name: `Telefoonlijst ${RUN}`, query: 'role:customer', shared: false });
  await page.click('.menu-btn');
  await page.waitForSelector('#nav-sync', { state: 'visible' });
  assert.equal((await page.textContent('#nav-sync')).trim(), 'Telefoon en agenda');
  await page.click('#nav-sync');
  await page.waitForSelector('#sync-account');
  assert.equal(await page.textContent('h1'), 'Telefoon en agenda');
  assert.equal(await page.evaluate(() => location.pathname), '/sync');
  const host = new URL(BASE).host;
  assert.equal(await page.textContent('#sync-server'), host);
  assert.equal(await page.textContent('#sync-username'), 'verkoop');
  assert.equal(await page.inputValue('#sync-carddav'), `${BASE}/dav/addressbooks/verkoop/`);
  assert.equal(await page.inputValue('#sync-caldav'), `${BASE}/dav/calendars/verkoop/`);
  assert.match(await page.inputValue('#sync-url'), /\/dav\/$/);
  assert.match(await page.textContent('#sync-book-list li[data-book=all]'), /Alle relaties/);
  assert.match(await page.textContent('#sync-cal-list li[data-calendar=tasks]'), /Taken.*\/dav\/calendars\/verkoop\/tasks\//s);
  assert.match(await page.textContent('#sync-cal-list li[data-calendar=meetings]'), /Afspraken.*\/dav\/calendars\/verkoop\/meetings\//s);
  assert.match(await page.textContent('#sync-howto'), /DAVx⁵/);
  assert.match(await page.textContent('#sync-howto'), /Thunderbird/);

  // the segment: off, switched on (saved), still on after a reload, off again
  const box = `#sync-seg-${seg.id}`;
  assert.equal(await page.isChecked(box), false);
  await page.check(box);
  await page.waitForFunction(() => /staat nu op je telefoon/.test(document.getElementById('sync-seg-result')?.textContent || ''));
  let dav = await api(page, 'GET', '/dav');
  assert.equal(dav.segments.find((s) => s.id === seg.id).synced, true);
  assert.ok(dav.address_books.some((b) => b.segment && b.segment.id === seg.id), 'an address book for the segment');
  await page.waitForSelector(`#sync-book-list li:has-text("Telefoonlijst ${RUN}")`);
  await shots(page, 'sync-nl', () => page.waitForSelector('#sync-account'));
  await page.reload();
  await page.waitForSelector(box);
  assert.equal(await page.isChecked(box), true);
  await page.uncheck(box);
  await page.waitForFunction(() => /niet meer op je telefoon/.test(document.getElementById('sync-seg-result')?.textContent || ''));
  dav = await api(page, 'GET', '/dav');
  assert.equal(dav.segments.find((s) => s.id === seg.id).synced, false);
  assert.ok(!dav.address_books.some((b) => b.segment && b.segment.id === seg.id));

  // an app password, shown once; it opens the API as verkoop
  await page.fill('#sync-token-name', `iPhone ${RUN}`);
  await page.click('#sync-token-create');
  await page.waitForSelector('#sync-token-secret');
  const token = await page.inputValue('#sync-token-secret');
  assert.ok(token.length >= 16);
  const r = await fetch(`${BASE}/api/v1/session`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).user.name, 'verkoop');
  // on a server with the WebDAV side (/.well-known/carddav redirects), the shown address
  // answers the app password: a phone's first PROPFIND
  const known = await fetch(`${BASE}/.well-known/carddav`, { redirect: 'manual' });
  if (known.status === 301) {
    const carddav = await page.inputValue('#sync-carddav');
    const pf = await fetch(carddav, { method: 'PROPFIND', headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`verkoop:${token}`).toString('base64')}` } });
    assert.equal(pf.status, 207, 'PROPFIND on the CardDAV address with the app password');
  } else {
    t.diagnostic('this server has no WebDAV side: the CardDAV address is not tried');
  }
  await page.reload();
  await page.waitForSelector('#sync-account');
  assert.equal(await page.locator('#sync-token-secret').count(), 0, 'the app password shows once');
  const toks = (await api(page, 'GET', '/tokens')).items;
  assert.ok(toks.some((x) => x.name === `iPhone ${RUN}`));
  await api(page, 'DELETE', `/segments/${seg.id}`);
});

test('hr-assistent (en): from the settings page, in English; every demo user gets their own page', T, async (t) => {
  const { page } = await session('hr-assistent', { locale: 'en-GB' });
  if (!(await has('GET', '/dav'))) {
    t.skip('this server has no /dav API');
    return;
  }
  await page.click('#settings-link');
  await page.waitForSelector('#settings-sync-link');
  await page.click('#settings-sync-link');
  await page.waitForSelector('#sync-account');
  assert.equal(await page.textContent('h1'), 'Phone and calendar');
  assert.equal(await page.textContent('#sync-username'), 'hr-assistent');
  assert.match(await page.textContent('#sync-account'), /CardDAV address \(contacts\)/);
  assert.match(await page.textContent('#sync-book-list'), /All parties/);
  assert.match(await page.textContent('#sync-cal-list'), /Tasks/);
  assert.match(await page.textContent('#sync-segments'), /On phone|no segments you may see/);
  assert.match(await page.textContent('#sync-password'), /Create app password/);
  await page.click('#howto-iphone summary');
  assert.match(await page.textContent('#howto-iphone'), /Add CalDAV Account/);
  await shots(page, 'sync-en', () => page.waitForSelector('#sync-account'));
  // read-only calendars: the link to the calendar feed on the settings page
  await page.click('#sync-feed-link');
  await page.waitForSelector('#calendar-feed');
  assert.equal(await page.evaluate(() => location.pathname + location.hash), '/settings#calendar-feed');
  await page.context().close();
  for (const user of ['verkoop', 'hr', 'inkoop', 'partners', 'communicatie', 'admin']) {
    const { page: p, context } = await session(user);
    await go(p, '/sync');
    await p.waitForSelector('#sync-username');
    assert.equal(await p.textContent('#sync-username'), user);
    assert.equal(await p.inputValue('#sync-carddav'), `${BASE}/dav/addressbooks/${user}/`);
    await context.close();
  }
});

test('party photo: verkoop uploads, replaces and removes it; bad files are refused', T, async (t) => {
  const { page } = await session('verkoop');
  if (!(await has('PUT', '/parties/{id}/photo'))) {
    t.skip('this server has no party photos');
    return;
  }
  const party = await api(page, 'POST', '/parties', { kind: 'person', given_name: `Fleur${RUN}`, family_name: 'Fotograaf', roles: [{ type: 'customer' }] });
  assert.equal(party.photo, false);
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#party-initials');
  assert.equal(await page.textContent('#party-initials'), 'FF');
  assert.equal((await page.textContent('#party-photo-edit')).trim(), 'Foto toevoegen');
  await page.click('#party-photo-edit');
  await page.waitForSelector('#photo-form');
  // the app's own checks: not an image, larger than 1 MB
  await page.setInputFiles('#photo-file', { name: 'notitie.txt', mimeType: 'text/plain', buffer: Buffer.from('geen foto') });
  await page.click('#photo-upload');
  assert.match(await page.textContent('#photo-file-error'), /JPEG-, PNG-, GIF- of WebP-afbeelding/);
  const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 10)]);
  await page.setInputFiles('#photo-file', { name: 'groot.png', mimeType: 'image/png', buffer: big });
  await page.click('#photo-upload');
  assert.match(await page.textContent('#photo-file-error'), /groter dan 1 MB/);
  // the server's check: a file called PNG that is not one is refused in words, nothing stored
  await allow(400, /\/photo$/, async () => allow(422, /\/photo$/, async () => {
    await page.setInputFiles('#photo-file', { name: 'nep.png', mimeType: 'image/png', buffer: Buffer.from('dit is geen afbeelding') });
    await page.click('#photo-upload');
    await page.waitForFunction(() => /geen png-afbeelding/.test(document.getElementById('photo-file-error')?.textContent || ''));
  }));
  assert.equal((await api(page, 'GET', `/parties/${party.id}`)).photo, false);
  await page.setInputFiles('#photo-file', { name: 'fleur.png', mimeType: 'image/png', buffer: PNG });
  await imgLoaded(page, '#photo-preview-img'); // the preview before uploading
  await shots(page, 'photo-dialog-nl');
  await page.click('#photo-upload');
  await page.waitForSelector('#party-photo');
  await imgLoaded(page, '#party-photo');
  assert.equal((await api(page, 'GET', `/parties/${party.id}`)).photo, true);
  assert.equal(await page.getAttribute('#party-photo', 'alt'), `Foto van ${party.name}`);
  await shots(page, 'party-photo-nl', () => imgLoaded(page, '#party-photo'));
  // replace with a GIF: the server keeps the new type
  await page.click('#party-photo-edit');
  await page.waitForSelector('#photo-remove');
  await page.setInputFiles('#photo-file', { name: 'fleur.gif', mimeType: 'image/gif', buffer: GIF });
  await page.click('#photo-upload');
  await page.waitForSelector('dialog', { state: 'detached' });
  await imgLoaded(page, '#party-photo');
  const type = await page.evaluate(async (i) => (await fetch(`/api/v1/parties/${i}/photo`, { credentials: 'same-origin' })).headers.get('Content-Type'), party.id);
  assert.match(type, /image\/gif/);
  // remove, confirmed: the initials again
  await page.click('#party-photo-edit');
  await page.click('#photo-remove');
  await page.click('#confirm-yes');
  await page.waitForSelector('#party-initials');
  assert.equal((await api(page, 'GET', `/parties/${party.id}`)).photo, false);
});

test('party photo: a read-only user sees it but may not change it', T, async (t) => {
  const { page: admin } = await session();
  if (!(await has('PUT', '/parties/{id}/photo'))) {
    t.skip('this server has no party photos');
    return;
  }
  const { page } = await session('hr-assistent', { width: 390 });
  const list = (await api(page, 'GET', '/parties?limit=10')).items || [];
  let p = null;
  for (const x of list) {
    const full = await api(page, 'GET', `/parties/${x.id}`);
    if (full.can?.update === false) {
      p = full;
      break;
    }
  }
  assert.ok(p, 'hr-assistent sees a party it may not change');
  assert.ok([200, 201, 204].includes(await putPhoto(admin, p.id, 'image/png', PNG)));
  await go(page, `/parties/${p.id}`);
  await page.waitForSelector('#party-photo');
  await imgLoaded(page, '#party-photo');
  assert.equal(await page.locator('#party-photo-edit').count(), 0, 'no upload for a reader');
  await shots(page, 'party-photo-reader', () => imgLoaded(page, '#party-photo'));
  await api(admin, 'DELETE', `/parties/${p.id}/photo`);
});

test('no unexpected errors', () => {
  assertClean();
});
