// Browser tests of user administration, the admin tabs and the settings
// page. As admin in Dutch: create a user (RUN suffix) with sales=read, who
// then sees the menus that access gives; edit their access; reset their
// password (the old one is refused, the new one works); disable them (login
// refused) and enable again; one's own account has no disable control. Every
// admin tab renders: a relationship type and a pipeline are created (the
// pipeline edited and deleted), an automation created and deleted, the
// retention preview shows its counts, the audit trail shows the user
// creation. As verkoop: the settings page (from the header's name) makes a
// calendar link whose URL answers text/calendar, then revokes it; an API
// token is created (secret shown once) and revoked; no admin menu, and a
// typed /admin says no access. Once in English. Screenshots of every tab
// and the settings page at 1280 and 390 px (shots() also runs axe-core).
// Started by scripts/test-web.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, RUN, TZ, launch, close, session, go, api, allow, has, shots, assertClean } from './lib.mjs';

let browser;
const TT = { timeout: 300000 }; // password hashing is slow on a shared machine
const NAME = `adm${RUN}`;
const PW1 = `eerste-${RUN}-pw`;
const PW2 = `tweede-${RUN}-pw`;

async function menu(page) {
  return page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
}

// A login attempt on a fresh page; true when the app opened (dashboard), false when refused.
async function tryLogin(user, password) {
  const context = await browser.newContext({ locale: 'nl-NL', timezoneId: TZ, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-title');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  const ok = await allow(401, /\/api\/v1\/session$/, async () => {
    await page.click('form button[type=submit]');
    return Promise.race([
      page.waitForSelector('.kpis').then(() => true),
      page.waitForSelector('.form-error:not([hidden])').then(() => false),
    ]);
  });
  await context.close();
  return ok;
}

async function openTab(page, tab) {
  await go(page, `/admin/${tab}`);
  await page.waitForSelector(`#admin-${tab} :is(form, section, .card, table)`);
  assert.equal(await page.getAttribute(`.admin-tabs a[data-tab="${tab}"]`, 'aria-current'), 'page');
}

before(async () => {
  browser = await launch();
});
after(async () => {
  await close();
});

test('admin creates a user, edits access, resets the password, disables and enables', TT, async () => {
  const { context, page } = await session(ADMIN);
  await page.click('#nav a[data-nav=admin]');
  await page.waitForSelector('.admin-body');
  await page.click('.admin-tabs a[data-tab=users]');
  await page.waitForSelector('#users-table');
  assert.equal(await page.textContent('h1'), 'Beheer');
  // one's own account cannot be disabled: no button, and the edit dialog says why
  const me = await page.locator('#users-table tr[data-user="admin"]');
  assert.equal(await me.locator('[data-act=disable]').count(), 0);
  await me.locator('[data-act=edit]').click();
  assert.ok(await page.isDisabled('#eu-disabled'));
  assert.match(await page.textContent('#eu-disabled-hint'), /eigen account niet uitschakelen/);
  await page.click('dialog .dialog-head button');

  // the server refuses it too, in Dutch
  const adminId = (await api(page, 'GET', '/session')).user.id;
  const refused = await allow(409, /\/users\//, () => page.evaluate(async (id) => {
    const m = await import('/js/api.js');
    try {
      await m.api.patch(`/users/${id}`, { disabled: true });
      return null;
    } catch (e) {
      return e.errors[0];
    }
  }, adminId));
  assert.equal(refused.field, 'disabled');
  assert.match(refused.message, /eigen account/);

  // create: user name, password, sales=read
  await page.fill('#nu-name', NAME);
  await page.fill('#nu-display', `Test ${RUN}`);
  await page.fill('#nu-password', PW1);
  await page.selectOption('#nu-access-sales', 'read');
  await page.click('#user-form button[type=submit]');
  const row = page.locator(`#users-table tr[data-user="${NAME}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Verkoop: lezen/i);
  await shots(page, 'admin-tab-users');

  // the new user sees what sales=read gives: the pipeline, no import, no admin
  const u = await session(NAME, { password: PW1 });
  const m = await menu(u.page);
  if (await has('GET', '/pipelines')) assert.ok(m.includes('pipeline'), m.join());
  assert.ok(!m.includes('admin') && !m.includes('import'), m.join());
  await u.context.close();

  // edit access: partners read as well
  await row.locator('[data-act=edit]').click();
  await page.selectOption('#eu-access-partners', 'read');
  await page.fill('#eu-display', `Test ${RUN} bewerkt`);
  await shots(page, 'admin-user-edit');
  await page.click('#user-edit button[type=submit]');
  await page.waitForSelector('#user-edit', { state: 'detached' });
  assert.match(await row.textContent(), /Partners: lezen/);
  assert.match(await row.textContent(), /bewerkt/);

  // reset the password: the old one is refused, the new one works
  await row.locator('[data-act=password]').click();
  await page.fill('#rp-password', PW2);
  await page.click('#reset-password button[type=submit]');
  await page.waitForSelector('#reset-password', { state: 'detached' });
  assert.equal(await tryLogin(NAME, PW1), false);
  assert.equal(await tryLogin(NAME, PW2), true);

  // disable after confirmation: login refused; enable again: login works
  await row.locator('[data-act=disable]').click();
  await page.waitForSelector('#confirm-yes');
  await shots(page, 'admin-user-disable');
  await page.click('#confirm-yes');
  await row.locator('[data-act=enable]').waitFor();
  assert.match(await row.textContent(), /Uitgeschakeld/);
  assert.equal(await tryLogin(NAME, PW2), false);
  await row.locator('[data-act=enable]').click();
  await row.locator('[data-act=disable]').waitFor();
  assert.equal(await tryLogin(NAME, PW2), true);
  await context.close();
});

test('every admin tab renders and works', TT, async () => {
  const { context, page } = await session(ADMIN);
  await openTab(page, 'role-types');
  await shots(page, 'admin-tab-role-types');
  if (await has('GET', '/rules')) {
    await openTab(page, 'rules');
    await shots(page, 'admin-tab-rules');
  }

  // relationship types: create one
  await openTab(page, 'relationship-types');
  await page.fill('#rel-name', `buddy_${RUN}`);
  await page.fill('#rel-reverse', `buddy_of_${RUN}`);
  await page.fill('#rel-label-en', 'buddy of');
  await page.fill('#rel-label-nl', 'maatje van');
  await page.fill('#rel-reverse_label-en', 'has buddy');
  await page.fill('#rel-reverse_label-nl', 'heeft maatje');
  await page.click('#reltype-form button[type=submit]');
  await page.locator(`#reltype-table tr[data-rel-type="buddy_${RUN}"]`).waitFor();
  assert.match(await page.textContent(`#reltype-table tr[data-rel-type="buddy_${RUN}"]`), /maatje van/);
  // a bad name is answered next to the field, in Dutch
  await page.fill('#rel-name', 'Met Spaties!');
  await allow(422, /relationship-types/, async () => {
    await page.click('#reltype-form button[type=submit]');
    await page.waitForSelector('#rel-name[aria-invalid=true]');
  });
  await shots(page, 'admin-tab-relationship-types');

  // pipelines: create with three stages, rename a stage, delete
  await openTab(page, 'pipelines');
  const pipe = `Pijplijn ${RUN}`;
  await page.fill('#pipe-name', pipe);
  const names = page.locator('#stage-rows [data-col=name]');
  await names.nth(0).fill('Kennismaking');
  await names.nth(1).fill('Gewonnen');
  await names.nth(2).fill('Verloren');
  await page.click('#pipeline-form button[type=submit]');
  const card = page.locator(`article[data-pipeline="${pipe}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Kennismaking.*Gewonnen.*Verloren/s);
  await card.locator('[data-act=edit]').click();
  await page.locator('#stage-rows [data-col=name]').nth(0).fill('Eerste gesprek');
  await page.click('#add-stage');
  await shots(page, 'admin-tab-pipelines');
  await page.locator('#stage-rows .stage-row').last().locator('.le-remove').click();
  await page.click('#pipeline-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelector(`article[data-pipeline="${n}"]`)?.textContent.includes('Eerste gesprek'), pipe);
  await card.locator('[data-act=delete]').click();
  await page.click('#confirm-yes');
  await card.waitFor({ state: 'detached' });
  const left = (await api(page, 'GET', '/pipelines')).items.map((p) => p.name);
  assert.ok(!left.includes(pipe));

  // automations: create one (off) with a task action, see it in words, delete it
  await openTab(page, 'automations');
  const au = `Opvolgen ${RUN}`;
  await page.fill('#au-name', au);
  await page.uncheck('#au-enabled');
  await page.selectOption('#au-trigger', 'customer_idle');
  assert.ok(await page.isVisible('#au-days'));
  assert.ok(!(await page.isVisible('#au-stage')));
  await page.fill('#au-days', '45');
  await page.locator('#action-rows [data-col=subject]').first().fill('Even bellen');
  await page.click('#automation-form button[type=submit]');
  const auCard = page.locator(`article[data-automation="${au}"]`);
  await auCard.waitFor();
  assert.match(await auCard.textContent(), /45 dagen/);
  assert.match(await auCard.textContent(), /Taak aanmaken/);
  assert.match(await page.textContent('#automation-status'), /planner/i);
  await shots(page, 'admin-tab-automations');
  await auCard.locator('[data-act=delete]').click();
  await page.click('#confirm-yes');
  await auCard.waitFor({ state: 'detached' });

  // retention: the preview shows counts and changes nothing
  await openTab(page, 'retention');
  await page.click('#retention-preview');
  await page.waitForSelector('#retention-counts');
  assert.match(await page.textContent('#retention-counts'), /\d+ relaties.*niets gewijzigd/);
  await shots(page, 'admin-tab-retention');

  // audit: the user created in the first test (or now) shows up, filtered to users
  await openTab(page, 'audit');
  await page.waitForSelector('#audit-count');
  await page.selectOption('#audit-entity', 'user');
  await page.click('#audit-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#audit-table tbody tr[data-entity=user]'));
  const created = page.locator('#audit-table tr[data-entity=user][data-action=create]', { hasText: NAME });
  assert.ok(await created.count() >= 1, 'the audit trail shows the user creation');
  await shots(page, 'admin-tab-audit');
  await context.close();
});

test('verkoop: settings page with calendar link and API token, no admin', TT, async () => {
  const { context, page } = await session('verkoop', { width: 390 });
  // no admin in the menu; a typed /admin says no access
  assert.ok(!(await menu(page)).includes('admin'));
  await go(page, '/admin');
  await page.waitForSelector('#no-access');
  // the settings page from the menu (the header's name is the link at wider screens)
  await page.click('.menu-btn');
  await page.click('#nav-settings');
  await page.waitForSelector('#calendar-feed #feed-state');
  assert.equal(await page.textContent('h1'), 'Instellingen');

  // calendar feed: create, the URL answers text/calendar, revoke
  await page.click('#feed-create');
  if (await page.locator('#confirm-yes').count()) await page.click('#confirm-yes');
  await page.waitForSelector('#feed-url');
  const url = await page.inputValue('#feed-url');
  assert.match(url, /^http:\/\/.+\/api\/v1\/ical\//);
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  assert.match(await r.text(), /BEGIN:VCALENDAR/);
  await page.click('[data-copy=feed-url]');
  await page.waitForFunction(() => document.getElementById('feed-url-note').textContent !== '');

  // a token: the secret once, then revoked
  await page.fill('#token-name', `koppeling ${RUN}`);
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector('#token-secret');
  const secret = await page.inputValue('#token-secret');
  assert.match(secret, /^xrm_/);
  const tr = page.locator(`#token-table tr[data-token="koppeling ${RUN}"]`);
  await tr.waitFor();
  const who = await fetch(`${BASE}/api/v1/session`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal((await who.json()).user.name, 'verkoop');
  await shots(page, 'settings');
  await tr.locator('[data-act=revoke]').click();
  await page.click('#confirm-yes');
  await tr.waitFor({ state: 'detached' });
  const gone = await fetch(`${BASE}/api/v1/session`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(gone.status, 401);
  assert.equal(await page.locator('#token-secret').count(), 0, 'the secret is not shown after the revoke');

  await page.click('#feed-revoke');
  await page.click('#confirm-yes');
  await page.waitForSelector('#feed-url', { state: 'detached' });
  assert.ok([401, 404].includes((await fetch(url)).status), 'a revoked calendar link answers nothing');
  await context.close();
});

test('in English: the settings page, own password and an admin tab', TT, async () => {
  // a user of this run changes their own password on the settings page
  const admin = await session(ADMIN, { locale: 'en-GB' });
  const pw = `engels-${RUN}-pw`;
  const name = `eng${RUN}`;
  await api(admin.page, 'POST', '/users', { name, password: pw, access: { pr: 'read' } });
  await go(admin.page, '/admin/audit');
  await admin.page.waitForSelector('#audit-count');
  assert.equal(await admin.page.textContent('.admin-tabs a[aria-current=page]'), 'Audit trail');
  await shots(admin.page, 'admin-tab-audit-en');
  await admin.context.close();

  const { context, page } = await session(name, { password: pw, locale: 'en-GB' });
  await page.click('#settings-link');
  await page.waitForSelector('#calendar-feed');
  assert.equal(await page.textContent('h1'), 'Settings');
  if (await has('POST', '/session/password')) {
    await page.fill('#pw-current', 'not-the-password');
    await page.fill('#pw-new', `${pw}-2`);
    await allow(422, /session\/password/, async () => {
      await page.click('#password-form button[type=submit]');
      await page.waitForSelector('#pw-current[aria-invalid=true]');
    });
    assert.match(await page.textContent('#pw-current-error'), /current password is wrong/);
    await page.fill('#pw-current', pw);
    await page.fill('#pw-new', `${pw}-2`);
    await page.click('#password-form button[type=submit]');
    await page.waitForSelector('.toast');
    assert.match(await page.textContent('.toast'), /Password changed/);
    assert.equal(await tryLogin(name, `${pw}-2`), true);
  }
  await shots(page, 'settings-en');
  // the language choice switches the whole app
  await page.selectOption('#settings-lang', 'nl');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Instellingen');
  await context.close();
  assertClean();
});
