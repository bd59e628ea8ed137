// Browser tests of the last API capabilities that got a screen: on the party
// page deleting a timeline activity and removing a role (with a
// confirmation; offered only to who may write the domain), deleting a rule
// of one's own (built-in rules not), a user's API tokens in the admin's user
// dialog (revoke), and a saved view: edit and share, its members as CSV, and
// opened by its id by a colleague (who may not change it). Dutch and English,
// 1280 and 390 px. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, allow, shots, close, assertClean, RUN, T, BASE } from './lib.mjs';

after(async () => {
  await close();
});

async function openParty(page, id, name) {
  await go(page, `/parties/${id}`);
  await page.waitForSelector(`h1#page-title:text-is(${JSON.stringify(name)})`);
  await page.waitForSelector('#timeline [data-activity], #timeline .empty');
}

test('party page: delete a note and remove a role as verkoop; communicatie gets no controls (nl, 1280)', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL', width: 1280 });
  const name = `Gatproef ${RUN}`;
  const p = await api(page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Gatproef', family_name: RUN });
  await api(page, 'POST', `/parties/${p.id}/roles`, { type: 'customer' });
  const keep = await api(page, 'POST', '/activities', { type: 'call', domain: 'sales', subject: `Blijft ${RUN}`, parties: [p.id] });
  const gone = await api(page, 'POST', '/activities', { type: 'note', domain: 'sales', subject: `Weg ${RUN}`, parties: [p.id] });

  await openParty(page, p.id, name);
  const item = `#timeline [data-activity="${gone.id}"]`;
  await page.waitForSelector(`${item} [data-action=delete-activity]`);
  await shots(page, 'gaps-party-controls', () => page.waitForSelector(`${item} [data-action=delete-activity]`));

  // cancel keeps it; yes deletes it
  await page.click(`${item} [data-action=delete-activity]`);
  await page.waitForSelector('dialog #confirm-yes');
  assert.match(await page.textContent('dialog .confirm p'), new RegExp(`Notitie "Weg ${RUN}" verwijderen\\?`));
  await shots(page, 'gaps-activity-confirm');
  await page.click('dialog #confirm-no');
  await page.waitForSelector('dialog', { state: 'detached' });
  assert.equal(await page.isVisible(item), true, 'cancel keeps the note');
  await page.click(`${item} [data-action=delete-activity]`);
  await page.click('dialog #confirm-yes');
  await page.waitForSelector(item, { state: 'detached' });
  assert.match(await page.textContent('#toast'), /Notitie verwijderd/);
  assert.equal(await page.isVisible(`#timeline [data-activity="${keep.id}"]`), true, 'the other call stays');
  await allow(404, /\/activities\//, async () => {
    await assert.rejects(api(page, 'GET', `/activities/${gone.id}`), /bestaat niet/);
  });
  // after a reload too
  await openParty(page, p.id, name);
  assert.equal(await page.$(item), null, 'the note stays deleted');

  // the role: remove after a confirmation
  const role = '.role[data-role-type=customer]';
  await page.click(`${role} [data-action=remove-role]`);
  await page.waitForSelector('dialog #confirm-yes');
  assert.match(await page.textContent('dialog .confirm p'), /helemaal weghalen/);
  await page.click('dialog #confirm-yes');
  await page.waitForSelector(role, { state: 'detached' });
  assert.match(await page.textContent('#toast'), /weggehaald/);
  const fresh = await api(page, 'GET', `/parties/${p.id}`);
  assert.equal((fresh.roles || []).filter((r) => r.type === 'customer').length, 0, 'the server has no customer role left');
  // a customer again, for the colleague below
  await api(page, 'POST', `/parties/${p.id}/roles`, { type: 'customer' });
  await context.close();

  // communicatie reads sales but may not write it: no delete, no remove
  const c = await session('communicatie', { locale: 'nl-NL', width: 1280 });
  await openParty(c.page, p.id, name);
  await c.page.waitForSelector(`#timeline [data-activity="${keep.id}"]`);
  await c.page.waitForSelector('.role[data-role-type=customer]');
  assert.equal(await c.page.$('[data-action=delete-activity]'), null, 'no delete without write in sales');
  assert.equal(await c.page.$('[data-action=remove-role]'), null, 'no remove without write in sales');
  await c.context.close();
});

test('admin: delete an own rule (built-in not); a user\'s API tokens, revoked (en)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'en-GB', width: 1280 });
  const ruleName = `Gap rule ${RUN}`;
  await api(page, 'POST', '/rules', { name: ruleName, kind: 'treatment', when: { all_roles: ['partner', 'customer'] }, then: { priority: 'high' }, enabled: false });
  await go(page, '/admin/rules');
  const mine = page.locator('article.rule', { hasText: ruleName });
  await mine.locator('[data-act=delete-rule]').waitFor();
  const builtin = page.locator('article.rule', { hasText: 'Staff customer' });
  await builtin.waitFor();
  assert.equal(await builtin.locator('[data-act=delete-rule]').count(), 0, 'a built-in rule has no delete');
  await shots(page, 'gaps-admin-rules');
  await mine.locator('[data-act=delete-rule]').click();
  await page.waitForSelector('dialog #confirm-yes');
  assert.match(await page.textContent('dialog .confirm p'), new RegExp(`Delete the rule "${ruleName}"`));
  await page.click('dialog #confirm-yes');
  await page.waitForFunction((n) => ![...document.querySelectorAll('article.rule h3')].some((x) => x.textContent === n), ruleName);
  assert.match(await page.textContent('#toast'), /deleted/);
  const left = (await api(page, 'GET', '/rules')).items.filter((r) => r.name === ruleName);
  assert.equal(left.length, 0, 'the server deleted the rule');

  // a user of this run with an API token of their own
  const login = `gap${RUN}`;
  const pw = `gaps-password-${RUN}-x`;
  await api(page, 'POST', '/users', { name: login, display_name: `Gap ${RUN}`, password: pw, access: { sales: 'read' } });
  const u = await session(login, { password: pw, locale: 'en-GB', width: 1280 });
  const tok = await api(u.page, 'POST', '/tokens', { name: `Excel ${RUN}` });
  assert.ok(tok.token);
  await u.context.close();

  await go(page, '/admin/users');
  await page.click(`#users-table tr[data-user="${login}"] [data-act=edit]`);
  await page.waitForSelector(`#user-tokens li[data-token="Excel ${RUN}"]`);
  assert.match(await page.textContent('#ut-sessions'), /Active logins: 1/);
  await shots(page, 'gaps-user-tokens', () => page.waitForSelector('#user-tokens li'));
  await page.click(`#user-tokens li[data-token="Excel ${RUN}"] [data-act=revoke]`);
  await page.waitForSelector('dialog .confirm #confirm-yes');
  assert.match(await page.textContent('dialog .confirm p'), new RegExp(`of Gap ${RUN}`));
  await page.click('dialog .confirm #confirm-yes');
  await page.waitForSelector('#ut-none');
  // the token no longer opens the API
  const r = await fetch(`${BASE}/api/v1/session`, { headers: { Authorization: `Bearer ${tok.token}` } });
  assert.equal(r.status, 401, 'a revoked token is refused');
  await context.close();
});

test('saved view: edit and share, members as CSV, opened by id by a colleague without edit (en, 390)', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  const tag = `g${RUN}`;
  const p = await api(page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Viewmember', family_name: RUN, tags: [tag] });
  await api(page, 'POST', `/parties/${p.id}/roles`, { type: 'customer' });
  const seg = await api(page, 'POST', '/segments', { name: `Gap view ${RUN}`, query: `tag:${tag}`, shared: false });
  await go(page, `/parties?segment=${seg.id}`);
  await page.waitForSelector('#edit-segment');
  await page.waitForSelector(`#party-table tr[data-party="${p.id}"]`);

  // the members as CSV, from the server
  await page.click('#export-menu summary');
  const href = await page.getAttribute('#export-menu a[data-format=members-csv]', 'href');
  assert.match(href, new RegExp(`/api/v1/segments/${seg.id}/members\\.csv\\?lang=en`));
  const csv = await page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).text(), href);
  assert.match(csv, new RegExp(`Viewmember ${RUN}`));
  await page.click('#export-menu summary');

  await page.click('#edit-segment');
  await page.waitForSelector('#segment-edit-form');
  await page.fill('#seg-edit-name', `Gap view shared ${RUN}`);
  await page.check('#seg-edit-shared');
  await shots(page, 'gaps-segment-edit');
  await page.click('#segment-edit-form button[type=submit]');
  await page.waitForFunction((n) => (document.querySelector('.query-line')?.textContent || '').includes(n), `Gap view shared ${RUN}`);
  const saved = await api(page, 'GET', `/segments/${seg.id}`);
  assert.equal(saved.name, `Gap view shared ${RUN}`);
  assert.equal(saved.shared, true);
  await shots(page, 'gaps-segment', () => page.waitForSelector(`#party-table tr[data-party="${p.id}"]`));
  await context.close();

  // a colleague opens the shared view by its link: the list, no edit or delete
  const c = await session('communicatie', { locale: 'nl-NL', width: 1280 });
  await go(c.page, `/parties?segment=${seg.id}`);
  await c.page.waitForFunction((n) => (document.querySelector('.query-line')?.textContent || '').includes(n), `Gap view shared ${RUN}`);
  await c.page.waitForSelector(`#party-table tr[data-party="${p.id}"]`);
  assert.equal(await c.page.$('#edit-segment'), null, 'not the owner: no edit');
  assert.equal(await c.page.$('#delete-segment'), null, 'not the owner: no delete');
  await c.context.close();
});

test('no console errors or unexpected HTTP errors', () => {
  assertClean();
});
