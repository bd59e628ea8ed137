// Browser tests of the admin tab "Systeem" (views/admin-system.js, GET /system):
// - admin in Dutch at 1280 px: the tab, the "In orde" badge, each check with
//   its Dutch label, version, engine, schema version, up since, database size
//   in Dutch units, the queues and counters, the backup help; "Vernieuwen"
//   asks the server again (the request counter moves).
// - admin in English at 390 px: the same labels in English.
// - verkoop (no admin): no admin menu, no System tab, the no-access page,
//   and the API answers 403.
// Screenshots at 1280 and 390 px with the axe check.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, session, go, api, has, allow, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

async function openSystem(page) {
  await go(page, '/admin');
  await page.waitForSelector('.admin-tabs a[data-tab=system]');
  await page.click('.admin-tabs a[data-tab=system]');
  await page.waitForSelector('#system-status [data-status]');
}

async function checkLabels(page) {
  return page.locator('#system-checks dt').allTextContents();
}

test('admin (nl): the system screen, its checks and the refresh button', T, async (t) => {
  const { page } = await session();
  if (!(await has('GET', '/system'))) {
    t.skip('this server has no system API');
    return;
  }
  await openSystem(page);
  assert.equal((await page.textContent('.admin-tabs a[data-tab=system]')).trim(), 'Systeem');
  assert.equal(await page.getAttribute('#system-status [data-status]', 'data-status'), 'ok');
  assert.equal((await page.textContent('#system-status')).trim(), 'In orde');
  const s = await api(page, 'GET', '/system');
  const labels = await checkLabels(page);
  assert.deepEqual(labels.slice(0, 3), ['Database', 'Opslag', 'Schijfruimte']);
  assert.equal(labels.length, s.checks.replica ? 4 : 3);
  if (s.checks.replica) assert.equal(labels[3], 'Leesreplica');
  assert.equal((await page.textContent('[data-check=database]')).trim(), 'In orde');
  assert.equal((await page.textContent('#system-version')).trim(), s.version);
  assert.equal((await page.textContent('#system-engine')).trim(), s.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL');
  assert.equal((await page.textContent('#system-schema')).trim(), String(s.schema_version));
  assert.match(await page.textContent('#system-started'), /\d{4}/);
  const facts = await page.textContent('#system-facts');
  assert.match(facts, /In bedrijf sinds/);
  assert.match(facts, /Wachtrij e-mail/);
  assert.match(facts, /Serverfouten sinds start/);
  if (s.database) assert.match(await page.textContent('#system-db-size'), /^\d+(,\d)? (B|KB|MB|GB)$/);
  assert.match(await page.textContent('#system-memory'), /\d+(,\d)? (KB|MB|GB) \(/);
  assert.match(await page.textContent('#system-backup'), /Maak dagelijks een back-up met xrm backup/);
  assert.match(await page.textContent('#system-backup'), /docs\/OPERATIONS\.md/);
  await shots(page, 'admin-system-nl');
  // "Vernieuwen": the overview is asked again, so the request counter grows
  const num = async () => Number((await page.textContent('#system-requests')).replace(/\D/g, ''));
  const before = await num();
  const answered = page.waitForResponse((r) => /\/api\/v1\/system$/.test(r.url()));
  await page.click('#system-refresh');
  await answered;
  await page.waitForFunction((n) => Number(document.getElementById('system-requests')?.textContent.replace(/\D/g, '')) > n, before);
  assert.ok((await num()) > before);
});

test('admin (en, 390 px): the labels in English', T, async (t) => {
  const { page } = await session(undefined, { locale: 'en-GB', width: 390 });
  if (!(await has('GET', '/system'))) {
    t.skip('this server has no system API');
    return;
  }
  await openSystem(page);
  assert.equal((await page.textContent('.admin-tabs a[data-tab=system]')).trim(), 'System');
  assert.equal((await page.textContent('#system-status')).trim(), 'OK');
  assert.deepEqual((await checkLabels(page)).slice(0, 3), ['Database', 'Storage', 'Disk space']);
  const facts = await page.textContent('#system-facts');
  assert.match(facts, /Up since/);
  assert.match(facts, /Database engine/);
  assert.match(facts, /Mail queue/);
  assert.match(facts, /Server errors since start/);
  assert.match(await page.textContent('#system-backup'), /Back up daily with xrm backup/);
  assert.equal((await page.textContent('#system-refresh')).trim(), 'Refresh');
  await shots(page, 'admin-system-en');
});

test('verkoop (no admin) sees no System tab and gets the no-access page', T, async (t) => {
  const { page } = await session('verkoop');
  if (!(await has('GET', '/system'))) {
    t.skip('this server has no system API');
    return;
  }
  assert.equal(await page.locator('nav a[data-nav=admin]').count(), 0);
  await go(page, '/admin/system');
  await page.waitForSelector('#no-access');
  assert.equal(await page.locator('a[data-tab=system]').count(), 0);
  await allow(403, /\/api\/v1\/system$/, async () => {
    const status = await page.evaluate(async () => (await fetch('/api/v1/system', { credentials: 'same-origin', headers: { Accept: 'application/json' } })).status);
    assert.equal(status, 403);
  });
});

test('no unexpected errors', () => {
  assertClean();
});
