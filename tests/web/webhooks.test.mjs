// Browser tests of the admin tab "Webhooks" (views/admin-webhooks.js):
// - admin in Dutch at 1280 px makes a webhook to a receiver this test runs
//   (a tiny node http server on 127.0.0.1) for two party events in sales; the
//   generated secret shows once (gone after a reload, never in the API's
//   answer); "Test" queues a ping that the delivery log lists and that the
//   receiver gets, signed with that secret (X-Xrm-Signature); "Opnieuw
//   versturen" sends a delivered one again (the receiver sees the same
//   delivery id twice); a party made reaches it as party.created; editing
//   to "alle gebeurtenissen" shows on the card.
// - dead deliveries: a receiver path answering 500 until the server gives
//   up (scripts/test-web.sh shortens the retry window to 20 s): the log
//   shows them dead with HTTP 500; one is sent again from its row, the
//   other with "alle mislukte opnieuw versturen"; both arrive.
// - admin in English at 390 px: the tab, the dialog and its own validation
//   in English; delete asks first.
// - verkoop (no admin) sees no Webhooks tab and gets the no-access page.
// Screenshots of each screen at 1280 and 390 px with the axe check.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { T, RUN, session, go, api, has, allow, shots, close, assertClean } from './lib.mjs';

const received = []; // {path, headers, body, ok: answered 200}
let receiver = null;
let receiverUrl = '';
const failing = new Set(); // paths the receiver answers with 500

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const no = failing.has(req.url);
      received.push({ path: req.url, headers: req.headers, body, ok: !no });
      res.writeHead(no ? 500 : 200, { 'Content-Type': 'text/plain' });
      res.end(no ? 'nee' : 'ok');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
});

after(async () => {
  await close();
  await new Promise((r) => (receiver ? receiver.close(r) : r()));
});

const shared = {};

// Waits until fn() returns something truthy (the delivery worker runs on its own).
async function until(fn, what, ms = 90000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    assert.ok(Date.now() < end, `waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// The HTTP status of a request made with the page's session.
async function statusOf(page, method, p) {
  return page.evaluate(async ([m, u]) => {
    const mod = await import('/js/api.js');
    const r = await fetch(`/api/v1${u}`, { method: m, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-CSRF-Token': mod.getSession()?.csrf || '' } });
    return r.status;
  }, [method, p]);
}

function verify(hit, secret) {
  const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hit.headers['x-xrm-signature'] || '');
  assert.ok(sig, `signature header: ${hit.headers['x-xrm-signature']}`);
  assert.ok(Math.abs(Date.now() / 1000 - Number(sig[1])) < 300, 'signature time within 5 minutes');
  const want = crypto.createHmac('sha256', secret).update(`${sig[1]}.${hit.body}`).digest('hex');
  assert.equal(sig[2], want, 'X-Xrm-Signature is the HMAC of the body with the secret');
}

test('admin (nl): create a webhook, the secret once, test ping in the log and at the receiver, send again, a party event, edit', T, async (t) => {
  const { page } = await session();
  if (!(await has('GET', '/webhooks'))) {
    t.skip('this server has no webhooks API');
    return;
  }
  await go(page, '/admin');
  await page.waitForSelector('.admin-tabs a[data-tab=webhooks]');
  assert.equal((await page.textContent('.admin-tabs a[data-tab=webhooks]')).trim(), 'Webhooks');
  await page.click('.admin-tabs a[data-tab=webhooks]');
  await page.waitForSelector('#webhook-new');
  await page.click('#webhook-new');
  await page.waitForSelector('dialog #webhook-form');
  assert.match(await page.textContent('dialog h2'), /Nieuwe webhook/);
  // every record with created / updated / deleted, and "alle gebeurtenissen" (on by default)
  assert.equal(await page.locator('#wh-event-grid input[type=checkbox]').count(), 21);
  assert.equal(await page.isChecked('#wh-events-all'), true);
  assert.equal(await page.isDisabled('#wh-ev-party-created'), true);
  await page.uncheck('#wh-events-all');
  // validation in the dialog: no event chosen, no http(s) address
  await page.fill('#wh-url', 'ftp://voorbeeld.nl/hook');
  await page.click('#webhook-form button[type=submit]');
  assert.match(await page.textContent('#wh-url-error'), /http:\/\/ of https:\/\//);
  assert.match(await page.textContent('#wh-events-all-error'), /minstens één gebeurtenis/);
  const url = `${receiverUrl}/hook-${RUN}`;
  await page.fill('#wh-url', url);
  await page.check('#wh-ev-party-created');
  await page.check('#wh-ev-party-updated');
  await page.check('#wh-dom-sales');
  await page.fill('#wh-description', `Webtest ${RUN}`);
  await shots(page, 'webhook-dialog-nl');
  await page.click('#webhook-form button[type=submit]');
  await page.waitForSelector('#webhook-secret');
  const secret = await page.inputValue('#webhook-secret');
  assert.ok(secret.length >= 16, `a generated secret is shown (${secret.length} characters)`);
  assert.match(await page.textContent('#webhook-secret-card'), /maar één keer/);
  // the copy button puts it on the clipboard
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.click('[data-copy=webhook-secret]');
  await page.waitForFunction(() => document.getElementById('webhook-secret-note')?.textContent.length > 0);
  assert.equal(await page.textContent('#webhook-secret-note'), 'Gekopieerd.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  const card = page.locator('.webhook-card', { hasText: `Webtest ${RUN}` });
  await card.waitFor();
  const id = Number(await card.getAttribute('data-webhook'));
  const text = await card.textContent();
  assert.match(text, /Relatie aangemaakt, Relatie gewijzigd/);
  assert.match(text, /Verkoop/);
  assert.match(text, /Aan/);
  // the secret is write-only: not in the API's answer, and gone from the page after a reload
  const hook = await api(page, 'GET', `/webhooks/${id}`);
  assert.equal(hook.secret, undefined);
  assert.equal(hook.secret_set, true);
  assert.deepEqual([...hook.events].sort(), ['party.created', 'party.updated']);
  assert.deepEqual(hook.domains, ['sales']);
  shared.id = id;
  shared.secret = secret;
  await shots(page, 'webhook-created-nl');
  await go(page, '/admin/webhooks');
  await page.waitForSelector(`.webhook-card[data-webhook="${id}"]`);
  assert.equal(await page.locator('#webhook-secret').count(), 0, 'the secret is shown only once');

  // "Test": a ping in the log and at the receiver, signed with the secret
  const cardNow = page.locator(`.webhook-card[data-webhook="${id}"]`);
  await cardNow.locator('button[data-act=test]').click();
  await page.waitForSelector('.toast', { state: 'attached' });
  const ping = await until(() => received.find((r) => r.path === `/hook-${RUN}` && r.headers['x-xrm-event'] === 'ping'), 'the ping at the receiver');
  verify(ping, secret);
  assert.match(ping.headers['content-type'] || '', /application\/json/);
  const pingBody = JSON.parse(ping.body);
  assert.equal(pingBody.type, 'ping');
  const deliveryId = ping.headers['x-xrm-delivery'];
  assert.ok(deliveryId, 'X-Xrm-Delivery header');
  await cardNow.locator('button[data-act=deliveries]').click();
  await page.waitForSelector('#delivery-table');
  const row = page.locator(`#delivery-table tr[data-delivery="${deliveryId}"]`);
  await until(async () => {
    await page.click('#delivery-refresh');
    await page.waitForSelector('#delivery-table, #delivery-list .empty');
    return (await row.count()) && (await row.getAttribute('data-status')) === 'delivered';
  }, 'the ping delivered in the log');
  assert.match(await row.textContent(), /ping/);
  assert.match(await row.textContent(), /Afgeleverd/);
  assert.match(await row.textContent(), /200/);
  // the status filter: only delivered ones, then none pending of this ping
  await page.selectOption('#wh-delivery-status', 'delivered');
  await page.waitForSelector(`#delivery-table tr[data-delivery="${deliveryId}"]`);
  await shots(page, 'webhook-deliveries-nl');
  // send again: the receiver gets the same delivery a second time
  const before_ = received.filter((r) => r.headers['x-xrm-delivery'] === deliveryId).length;
  await row.locator('button[data-act=replay]').click();
  await page.waitForFunction(() => document.getElementById('delivery-result')?.textContent.length > 0);
  assert.match(await page.textContent('#delivery-result'), /staat weer klaar/);
  await until(() => received.filter((r) => r.headers['x-xrm-delivery'] === deliveryId).length > before_, 'the replayed delivery at the receiver');
  // every dead one again: this webhook has none
  await page.click('#delivery-replay-dead');
  await page.waitForFunction(() => /\d/.test(document.getElementById('delivery-result')?.textContent || ''));
  assert.match(await page.textContent('#delivery-result'), /^Opnieuw klaargezet: 0$/);
  await page.click('dialog .icon-btn');

  // a party event reaches the receiver too (sales customer made through the API)
  const party = await api(page, 'POST', '/parties', { kind: 'organization', name: `Haakwerk ${RUN} B.V.`, roles: [{ type: 'customer' }] });
  const made = await until(() => received.find((r) => r.headers['x-xrm-event'] === 'party.created' && JSON.parse(r.body).data?.id === party.id), 'party.created at the receiver');
  verify(made, secret);

  // edit: all events
  await cardNow.locator('button[data-act=edit]').click();
  await page.waitForSelector('dialog #webhook-form');
  assert.equal(await page.inputValue('#wh-url'), url);
  assert.equal(await page.isChecked('#wh-ev-party-created'), true);
  await page.check('#wh-events-all');
  await page.click('#webhook-form button[type=submit]');
  await page.waitForFunction((i) => /Alle gebeurtenissen/.test(document.querySelector(`.webhook-card[data-webhook="${i}"] .webhook-events`)?.textContent || ''), id);
  assert.deepEqual((await api(page, 'GET', `/webhooks/${id}`)).events, ['*']);
  assert.equal(await page.locator('#webhook-secret').count(), 0, 'no secret after an edit');
});

test('admin (nl): dead deliveries are sent again, one from its row and the rest at once', T, async (t) => {
  const { page } = await session();
  if (!(await has('GET', '/webhooks'))) {
    t.skip('this server has no webhooks API');
    return;
  }
  // a receiver path that answers 500: two pings go dead after the retry window
  // (scripts/test-web.sh starts the server with a window of 20 s instead of 24 h)
  const path = `/fail-${RUN}`;
  failing.add(path);
  const hook = await api(page, 'POST', '/webhooks', { url: `${receiverUrl}${path}`, events: ['agreement.deleted'], domains: ['pr'], enabled: true, description: `Dood ${RUN}` });
  const one = await api(page, 'POST', `/webhooks/${hook.id}/test`);
  const two = await api(page, 'POST', `/webhooks/${hook.id}/test`);
  assert.equal(one.event, 'ping');
  await until(async () => ((await api(page, 'GET', `/webhooks/${hook.id}/deliveries?status=dead`)).items || []).length === 2, 'two dead deliveries', 110000);
  failing.delete(path);
  await go(page, '/admin/webhooks');
  const card = page.locator(`.webhook-card[data-webhook="${hook.id}"]`);
  await card.waitFor();
  assert.match(await card.locator('[data-stat=dead]').textContent(), /2 mislukt/);
  await card.locator('button[data-act=deliveries]').click();
  await page.waitForSelector('#delivery-table');
  await page.selectOption('#wh-delivery-status', 'dead');
  await page.waitForFunction(() => document.querySelectorAll('#delivery-table tbody tr').length === 2 &&
    [...document.querySelectorAll('#delivery-table tbody tr')].every((r) => r.dataset.status === 'dead'));
  const row = page.locator(`#delivery-table tr[data-delivery="${one.id}"]`);
  assert.match(await row.textContent(), /Mislukt/);
  assert.match(await row.textContent(), /HTTP 500/);
  await shots(page, 'webhook-dead-nl');
  await row.locator('button[data-act=replay]').click();
  await page.waitForFunction(() => /staat weer klaar/.test(document.getElementById('delivery-result')?.textContent || ''));
  await until(() => received.find((r) => r.path === path && r.ok && r.headers['x-xrm-delivery'] === String(one.id)), 'the replayed dead delivery at the receiver');
  await page.click('#delivery-replay-dead');
  await page.waitForFunction(() => /Opnieuw klaargezet: 1/.test(document.getElementById('delivery-result')?.textContent || ''));
  await until(() => received.find((r) => r.path === path && r.ok && r.headers['x-xrm-delivery'] === String(two.id)), 'the other dead delivery at the receiver');
  await until(async () => {
    const ds = (await api(page, 'GET', `/webhooks/${hook.id}/deliveries?status=delivered`)).items || [];
    return ds.length === 2;
  }, 'both delivered');
  await page.click('dialog .icon-btn');
  await api(page, 'DELETE', `/webhooks/${hook.id}`);
});

test('admin (en, 390 px): the tab and the dialog in English; delete asks first', T, async (t) => {
  const { page } = await session(undefined, { locale: 'en-GB', width: 390 });
  if (!(await has('GET', '/webhooks'))) {
    t.skip('this server has no webhooks API');
    return;
  }
  const made = await api(page, 'POST', '/webhooks', { url: `${receiverUrl}/en-${RUN}`, events: ['deal.created', 'invoice.deleted'], domains: [], enabled: false, description: `English ${RUN}` });
  assert.ok(made.secret, 'a generated secret comes back once on create');
  await go(page, '/admin/webhooks');
  const card = page.locator(`.webhook-card[data-webhook="${made.id}"]`);
  await card.waitFor();
  const text = await card.textContent();
  assert.match(text, /Deal created, Invoice deleted/);
  assert.match(text, /All domains of the owner/);
  assert.match(text, /Off/);
  assert.match(text, /0 delivered/);
  assert.match(await page.textContent('#webhook-title'), /Webhooks/);
  await shots(page, 'webhooks-en', () => card.waitFor());
  await page.click('#webhook-new');
  await page.waitForSelector('dialog #webhook-form');
  assert.match(await page.textContent('dialog h2'), /New webhook/);
  assert.match(await page.textContent('#wh-event-grid'), /Party.*Created.*Updated.*Deleted/s);
  await page.fill('#wh-url', 'not a url');
  await page.click('#webhook-form button[type=submit]');
  assert.match(await page.textContent('#wh-url-error'), /starts with http:\/\/ or https:\/\//);
  await shots(page, 'webhook-dialog-en');
  await page.click('dialog .icon-btn');
  // delete: asked first; "Cancel" keeps it, "Delete webhook" removes it
  await card.locator('button[data-act=delete]').click();
  await page.waitForSelector('#confirm-no');
  await page.click('#confirm-no');
  assert.equal(await card.count(), 1);
  await card.locator('button[data-act=delete]').click();
  await page.click('#confirm-yes');
  await card.waitFor({ state: 'detached' });
  await allow(404, /\/webhooks\//, async () => {
    assert.equal(await statusOf(page, 'GET', `/webhooks/${made.id}`), 404);
  });
  if (shared.id) await api(page, 'DELETE', `/webhooks/${shared.id}`);
});

test('verkoop (no admin) sees no Webhooks tab', T, async (t) => {
  const { page } = await session('verkoop');
  if (!(await has('GET', '/webhooks'))) {
    t.skip('this server has no webhooks API');
    return;
  }
  assert.equal(await page.locator('nav a[data-nav=admin]').count(), 0);
  await go(page, '/admin/webhooks');
  await page.waitForSelector('#no-access');
  assert.equal(await page.locator('a[data-tab=webhooks]').count(), 0);
  await allow(403, /\/webhooks/, async () => {
    assert.equal(await statusOf(page, 'GET', '/webhooks'), 403);
  });
});

test('no unexpected errors', () => {
  assertClean();
});
