// Browser tests of the xrm web app: Playwright (playwright-core) driving
// Debian's Chromium against a real `xrm serve` on the demo data, started by
// scripts/test-web.sh (XRM_WEB_URL, XRM_WEB_USER, XRM_WEB_PASSWORD). The
// tests walk one session in order: log in, search, the party page (note,
// role, IBAN error), lists, my day, dashboard, admin, language, phone width,
// logout. Screenshots of the main pages at 1280 and 390 px go to
// $XRM_SCREENSHOTS (build/screenshots) when XRM_SHOTS=1. Any console error or uncaught
// exception fails the run, except HTTP errors a step expects (401, 422).
// The shared helpers (browser, watch, allow, shots, go, has) are tests/web/lib.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  BASE, ADMIN as USER, ADMIN_PASSWORD as PASSWORD, T, TZ, problems, launch, close, watch, allow, picture,
  shots as shotsOf, go as goOn, has, assertClean,
} from './lib.mjs';

let context;
let page;

// A step that expects these HTTP error statuses (lib.mjs allow(), for each of them).
async function expectHttpError(statuses, fn) {
  const [first, ...rest] = statuses;
  return allow(first, null, rest.length ? () => expectHttpError(rest, fn) : fn);
}

// One screenshot at the current width when XRM_SHOTS=1 (no accessibility check; shots() does both
// widths with it). The toast is cleared either way, so later steps see the same page.
async function shot(name) {
  await page.evaluate(() => document.getElementById('toast')?.replaceChildren());
  await picture(page, `${name}-${page.viewportSize().width}.png`, { fullPage: true });
}

const shots = (name, ready) => shotsOf(page, name, ready);
const go = (url) => goOn(page, url);

before(async () => {
  const browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: TZ, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  watch(page, USER);
  // besides lib.mjs's watch: a request that failed outright (not one superseded by a newer search)
  page.on('requestfailed', (r) => {
    const f = r.failure()?.errorText || '';
    if (f.includes('ERR_ABORTED')) return;
    problems.push(`request failed: ${r.url()} ${f}`);
  });
});

after(async () => {
  await context?.close();
  await close();
});

test('the login page speaks Dutch to a Dutch browser', T, async () => {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-title');
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.textContent('#login-title'), 'Inloggen bij xrm');
  assert.equal(new URL(page.url()).pathname, '/login');
  await shots('login');
});

test('a wrong password shows an error and keeps the user out', T, async () => {
  await page.fill('input[name=user]', USER);
  await page.fill('input[name=password]', 'not-the-password');
  await expectHttpError([401], async () => {
    await page.click('form button[type=submit]');
    await page.waitForSelector('.form-error:not([hidden])');
  });
  assert.match(await page.textContent('.form-error'), /Onjuiste gebruikersnaam of wachtwoord/);
});

test('log in and land on the dashboard', T, async () => {
  await page.fill('input[name=user]', USER);
  await page.fill('input[name=password]', PASSWORD);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') &&
    r.request().method() === 'POST');
  await page.click('form button[type=submit]');
  const login = await (await answer).json();
  await page.waitForSelector('.kpis');
  assert.equal(new URL(page.url()).pathname, '/');
  // cookie session: an HttpOnly cookie plus a CSRF token; no bearer token was
  // even handed out, and no credential sits where a page script can read it
  assert.ok(login.csrf && !('token' in login), 'cookie login without a bearer token');
  const cookies = await context.cookies(BASE);
  const c = cookies.find((x) => x.name === 'xrm_session');
  assert.ok(c && c.httpOnly, 'HttpOnly session cookie');
  const readable = await page.evaluate(() => JSON.stringify({
    session: Object.entries(sessionStorage), local: Object.entries(localStorage),
    cookie: document.cookie,
  }));
  assert.ok(!readable.includes(c.value), 'the session id is readable by page scripts');
  assert.ok(!/xrm_[A-Za-z0-9_-]{20}/.test(readable), `a token in page storage: ${readable}`);
  // a new tab (nothing in memory) picks the cookie session up again
  const tab = await context.newPage();
  watch(tab);
  await tab.goto(`${BASE}/tasks`);
  await tab.waitForSelector('#nav a[data-nav=tasks][aria-current=page]');
  await tab.close();
  assert.equal(await page.textContent('#nav a[aria-current=page]'), 'Dashboard');
});

test('search by a name prefix as you type, with role badges and keyboard navigation', T, async () => {
  await page.click('#search');
  await page.keyboard.type('Stefan Schi', { delay: 20 });
  const opt = page.locator('#search-results .search-opt', { hasText: 'Stefan Schipper' });
  await page.waitForSelector('#search-results[data-q="Stefan Schi"]:not([hidden])');
  assert.equal(await page.getAttribute('#search', 'aria-expanded'), 'true');
  assert.match(await opt.locator('.badge').first().textContent(), /Medewerker/);
  await shots('search', async () => {
    await page.fill('#search', '');
    await page.click('#search');
    await page.keyboard.type('Schipper', { delay: 10 });
    await page.waitForSelector('#search-results[data-q="Schipper"]:not([hidden])');
  });
  await page.fill('#search', '');
  await page.keyboard.type('Stefan Schi', { delay: 10 });
  await page.waitForSelector('#search-results[data-q="Stefan Schi"]:not([hidden])');
  assert.match(await page.textContent('#search-opt-0'), /Stefan Schipper/);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#search-opt-0', 'aria-selected'), 'true');
  assert.equal(await page.getAttribute('#search', 'aria-activedescendant'), 'search-opt-0');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/parties\/\d+$/);
  await page.waitForSelector('#timeline .tl-item');
  assert.equal(await page.textContent('h1'), 'Stefan Schipper');
});

test('the party page shows roles per domain, relationships and one timeline', T, async () => {
  await page.waitForSelector('.role-panel');
  assert.match(await page.textContent('.role-panel'), /HR/);
  assert.ok(await page.locator('.role[data-role-type=employee]').count() >= 1);
  assert.ok(await page.locator('.rel-list a').count() >= 1, 'relationships link to other parties');
  assert.ok(await page.locator('#timeline .tl-item').count() >= 1);
  await shots('party');
});

test('add a note and see it in the timeline (also after a reload)', T, async () => {
  const subject = `Browsertest notitie ${Date.now()}`;
  await page.fill('#qa-subject', subject);
  await page.fill('#qa-body', 'Gebeld over de planning; terugbellen volgende week.');
  await page.click('.quick-add button[type=submit]');
  await page.locator('#timeline .tl-item').first().filter({ hasText: subject }).waitFor();
  assert.equal(await page.inputValue('#qa-subject'), '');
  await page.reload();
  await page.locator('#timeline .tl-item', { hasText: subject }).waitFor();
  // a task from the quick add goes to my day
  await page.check('input[name=qa-kind][value=task]', { force: true });
  await page.fill('#qa-subject', `Terugbellen ${subject}`);
  await page.click('.quick-add button[type=submit]');
  await page.locator('#timeline .tl-task', { hasText: `Terugbellen ${subject}` }).waitFor();
});

test('filter the timeline by type and domain', T, async () => {
  await page.selectOption('#main select[name=tl-type]', 'note');
  await page.waitForSelector('#timeline:not([aria-busy])');
  const types = await page.locator('#timeline .tl-item').evaluateAll((els) => els.map((e) => e.className));
  assert.ok(types.length >= 1 && types.every((c) => c.includes('tl-note')), `only notes: ${types}`);
  await page.selectOption('#main select[name=tl-type]', '');
  await page.selectOption('#main select[name=tl-domain]', 'purchasing');
  await page.waitForSelector('#timeline:not([aria-busy]) .empty');
  await page.selectOption('#main select[name=tl-domain]', '');
  await page.waitForSelector('#timeline:not([aria-busy]) .tl-item');
});

test('add a role with attributes, then end it', T, async () => {
  await page.click('#add-role');
  await page.selectOption('#role-new-type', 'press');
  await page.fill('#role-new-attr-outlet', 'Bouwwereld');
  await page.fill('#role-new-attr-reach', '25000');
  await page.click('#role-form button[type=submit]');
  const role = page.locator('.role[data-role-type=press]');
  await role.waitFor();
  assert.match(await role.textContent(), /Pers/);
  assert.match(await role.textContent(), /Bouwwereld/);
  assert.match(await page.locator('.role-panel', { has: role }).locator('.domain-title').textContent(), /PR/);
  // a wrong attribute value shows next to its field
  await page.click('#add-role');
  await page.selectOption('#role-new-type', 'customer');
  await page.fill('#role-new-attr-satisfaction', '11');
  await expectHttpError([422], async () => {
    await page.click('#role-form button[type=submit]');
    await page.waitForSelector('#role-new-attr-satisfaction-error:not([hidden])');
  });
  await page.click('dialog .dialog-head button');
  // end the press role
  await role.locator('button', { hasText: 'Rol beëindigen' }).click();
  await page.click('#end-role-form button[type=submit]');
  await page.locator('.role-ended[data-role-type=press]').waitFor();
  assert.match(await page.locator('.role[data-role-type=press]').textContent(), /Voormalig/);
});

test('add a relationship to another party, chosen by name', T, async () => {
  await page.click('#add-rel');
  await page.selectOption('#rel-type', 'f:spouse_of');
  await page.fill('#rel-party-search', 'Linda Schip');
  await page.waitForSelector('#rel-party:not([hidden]) option');
  await page.selectOption('#rel-party', { label: 'Linda Schipper' });
  await page.click('#rel-form button[type=submit]');
  const rel = page.locator('.rel-list li', { hasText: 'Linda Schipper' });
  await rel.waitFor();
  assert.match(await rel.textContent(), /getrouwd met/);
  await rel.locator('a').click();
  await page.waitForSelector('h1:text-is("Linda Schipper")');
  await page.locator('.rel-list li', { hasText: 'Stefan Schipper' }).locator('a').click();
  await page.waitForSelector('h1:text-is("Stefan Schipper")');
});

test('a wrong IBAN shows the API error next to the IBAN field', T, async () => {
  await page.click('#edit-party');
  await page.fill('#edit-iban', 'NL00BANK0123456789');
  await expectHttpError([422], async () => {
    await page.click('#party-form button[type=submit]');
    await page.waitForSelector('#edit-iban-error:not([hidden])');
  });
  assert.match(await page.textContent('#edit-iban-error'), /IBAN/);
  assert.equal(await page.getAttribute('#edit-iban', 'aria-invalid'), 'true');
  const sameField = await page.evaluate(() => document.getElementById('edit-iban').closest('.field').contains(document.getElementById('edit-iban-error')));
  assert.ok(sameField, 'the error sits in the IBAN field');
  assert.match(await page.getAttribute('#edit-iban', 'aria-describedby'), /edit-iban-error/);
  await shots('party-edit-error', () => page.locator('#edit-iban').scrollIntoViewIfNeeded());
  await page.fill('#edit-iban', 'NL91ABNA0417164300');
  await page.click('#party-form button[type=submit]');
  await page.waitForSelector('dialog', { state: 'detached' });
  await page.locator('.props dd', { hasText: 'NL91ABNA0417164300' }).waitFor();
});

test('treatment: priority, badges and why, when the server has treatment rules', T, async (t) => {
  if (!(await has('GET', '/rules'))) {
    t.skip('no treatment rules on this server');
    return;
  }
  await page.fill('#search', 'Martijn ter H');
  await page.waitForSelector('#search-results[data-q="Martijn ter H"]:not([hidden])');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1:text("Martijn ter Haar")');
  assert.match(await page.textContent('.head-meta'), /Prioriteit: Hoog/);
  assert.match(await page.textContent('.head-meta .badge-treat'), /Pers/);
  assert.equal(await page.isVisible('#why-panel'), false);
  await page.click('.why-btn');
  assert.equal(await page.getAttribute('.why-btn', 'aria-expanded'), 'true');
  assert.match(await page.textContent('#why-panel'), /Pers en klant/);
  assert.match(await page.textContent('#why-panel'), /Journalist: klachten ook naar PR/);
  if (await has('GET', '/deals')) {
    // deals: the party's deals panel (party-deals.js)
    await page.waitForSelector('#party-deals .deal-list, #party-deals .empty');
    assert.match(await page.textContent('#party-deals h2'), /Deals/);
  }
  await shots('party-treatment');
});

test('lists by query with paging and CSV export of the whole list', T, async () => {
  await page.fill('#search', 'role:customer');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/parties\?q=role%3Acustomer/);
  await page.waitForSelector('#party-table tbody tr td.c-name a');
  assert.equal(await page.locator('#party-table tbody tr').count(), 50);
  await page.click('button.more');
  await page.waitForFunction(() => document.querySelectorAll('#party-table tbody tr').length > 50);
  const shown = await page.locator('#party-table tbody tr').count();
  // sort by name descending and back
  await page.click('th[data-col=name] .sort-btn');
  assert.equal(await page.getAttribute('th[data-col=name]', 'aria-sort'), 'ascending');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const file = await download.path();
  const csv = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split(/\r\n/);
  assert.match(lines[0], /^id;name;kind;roles/);
  assert.equal(lines.length - 1, shown, 'every customer exported');
  assert.ok(lines.slice(1).every((l) => /customer:/.test(l)));
  await shots('parties');
  if (await has('POST', '/segments')) {
    await page.click('#save-segment');
    await page.fill('#seg-name', 'Alle klanten');
    await page.click('#segment-form button[type=submit]');
    await page.waitForURL(/segment=\d+/);
    await page.waitForSelector('#party-table tbody td.c-name a');
    assert.match(await page.textContent('.query-line'), /Segment: Alle klanten/);
    assert.notEqual(await page.inputValue('#segment-pick'), '');
  }
});

test('my day groups open tasks as overdue, today and upcoming', T, async () => {
  await page.click('#nav a[data-nav=tasks]');
  await page.waitForSelector('.task-group');
  assert.ok(await page.locator('#tg-overdue').count() === 1);
  assert.ok(await page.locator('.task').count() >= 1);
  const grouped = await page.evaluate(async () => {
    const m = await import('/js/views/tasks.js');
    const g = m.groupTasks([{ id: 1, due: '2026-01-09' }, { id: 2, due: '2026-01-10T15:00:00' }, { id: 3, due: '2026-02-01' }, { id: 4, due: null }], '2026-01-10');
    return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v.map((a) => a.id)]));
  });
  assert.deepEqual(grouped, { overdue: [1], today: [2], upcoming: [3], nodue: [4] });
  const box = page.locator('.task input[type=checkbox]').first();
  await box.check();
  await page.waitForSelector('.task.done');
  await shots('tasks');
});

test('the dashboard shows parties by role and by role combination, and weekly charts', T, async () => {
  await page.click('#nav a[data-nav=dashboard]');
  await page.waitForSelector('.chart-roles .bar-row');
  assert.ok(await page.locator('.chart-roles .bar-row').count() >= 6);
  assert.match(await page.textContent('.chart-combos'), /Klant \+ Medewerker/);
  // the two weekly charts (quotes and invoices add the revenue card's chart for readers of sales)
  assert.equal(await page.locator('section:not(#revenue-card) > figure > svg.col-svg').count(), 2);
  await shots('dashboard', () => page.reload().then(() => page.waitForSelector('.chart-roles .bar-row')));
});

test('admin: create a role type with an attribute schema and use it', T, async () => {
  await page.click('#nav a[data-nav=admin]');
  await page.waitForSelector('.rt-list .rt');
  await page.fill('#rt-name', 'volunteer');
  await page.selectOption('#rt-domain', 'hr');
  await page.fill('#rt-label_en', 'Volunteer');
  await page.fill('#rt-label_nl', 'Vrijwilliger');
  await page.click('#add-attr');
  await page.fill('.attr-row [data-col=name]', 'hours');
  await page.selectOption('.attr-row [data-col=type]', 'integer');
  await page.fill('.attr-row [data-col="label.nl"]', 'Uren per maand');
  await page.click('#role-type-form button[type=submit]');
  await page.locator('.rt[data-role-type=volunteer]').waitFor();
  assert.equal(await page.inputValue('#rt-statuses'), 'active, former', 'the form is back at its defaults');
  // a bad name shows next to the name field
  await page.fill('#rt-name', 'Bad Name');
  await expectHttpError([422], async () => {
    await page.click('#role-type-form button[type=submit]');
    await page.waitForSelector('#rt-name-error:not([hidden])');
  });
  await shots('admin-role-types');
  await page.click('.tabs a[href="/admin/users"]');
  await page.waitForSelector('#user-form');
  await page.fill('#nu-name', 'jansen');
  await page.fill('#nu-password', 'een-lang-wachtwoord');
  await page.click('#user-form button[type=submit]');
  await page.locator('.toast', { hasText: 'jansen' }).waitFor();
  if (await has('GET', '/users')) await page.locator('#main td', { hasText: 'jansen' }).waitFor();
  await shots('admin-users');
  // the new role type can be given to a party right away
  await go('/parties/5');
  await page.click('#add-role');
  await page.selectOption('#role-new-type', 'volunteer');
  await page.fill('#role-new-attr-hours', '12');
  await page.click('#role-form button[type=submit]');
  await page.locator('.role[data-role-type=volunteer]', { hasText: 'Uren per maand' }).waitFor();
});

test('admin: treatment rules with a simulate button, when the server has them', T, async (t) => {
  if (!(await has('POST', '/rules/simulate'))) {
    t.skip('no rules API on this server');
    return;
  }
  await go('/admin/rules');
  await page.waitForSelector('.rule-list .rule');
  await page.fill('#rule-name', 'Partner en klant');
  await page.fill('#rule-when', JSON.stringify({ all_roles: ['partner', 'customer'] }));
  await page.fill('#rule-then', JSON.stringify({ priority: 'top', badges: ['Topklant'] }));
  await page.click('#simulate');
  await page.waitForSelector('#sim-count');
  assert.match(await page.textContent('#sim-result'), /Linthorst/);
  assert.match(await page.textContent('#sim-result'), /Hoogste/);
  // a wrong role type comes back as a field error next to "when"
  await page.fill('#rule-when', JSON.stringify({ all_roles: ['astronaut'] }));
  await expectHttpError([422], async () => {
    await page.click('#simulate');
    await page.waitForSelector('#rule-when-error:not([hidden]), .form-error:not([hidden])');
  });
  await page.fill('#rule-when', '{not json');
  await page.click('#simulate');
  await page.waitForSelector('#rule-when-error:not([hidden])');
  assert.match(await page.textContent('#rule-when-error'), /JSON/);
  await page.fill('#rule-when', JSON.stringify({ all_roles: ['partner', 'customer'] }));
  await page.click('#simulate');
  await page.waitForSelector('#sim-count');
  await shots('admin-rules');
});

test('pipeline board: drag a deal to another stage, or move it from its menu', T, async (t) => {
  if (!(await has('GET', '/pipelines'))) {
    t.skip('no pipelines on this server');
    return;
  }
  await page.click('#nav a[data-nav=pipeline]');
  await page.waitForSelector('#board .stage .deal');
  assert.ok(await page.locator('#board .stage').count() >= 3);
  assert.match(await page.textContent('#board-totals'), /Open:/);
  await shots('pipeline');
  const stages = page.locator('#board .stage');
  const first = stages.nth(0);
  const second = stages.nth(1);
  const before = await second.locator('.deal').count();
  const deal = first.locator('.deal').first();
  const id = await deal.getAttribute('data-deal');
  await deal.locator('strong').dragTo(second.locator('h2'));
  await page.locator(`#board .stage[data-stage="${await second.getAttribute('data-stage')}"] .deal[data-deal="${id}"]`).waitFor();
  assert.equal(await second.locator('.deal').count(), before + 1);
  // the same by keyboard: the deal's "move to" menu
  const other = first.locator('.deal').first();
  const oid = await other.getAttribute('data-deal');
  const target = await stages.nth(2).getAttribute('data-stage');
  await other.locator('select').selectOption(target);
  await page.locator(`#board .stage[data-stage="${target}"] .deal[data-deal="${oid}"]`).waitFor();
});

test('cases: list with SLA countdown, change a status, open a new case', T, async (t) => {
  if (!(await has('GET', '/cases'))) {
    t.skip('no cases on this server');
    return;
  }
  await page.click('#nav a[data-nav=cases]');
  await page.waitForSelector('#case-list .case');
  assert.ok(await page.locator('#case-list .sla').count() >= 1);
  assert.match(await page.locator('#case-list .sla').first().textContent(), /nog|te laat/);
  await shots('cases');
  await page.click('#new-case');
  await page.fill('#case-party-search', 'Linthorst');
  await page.waitForSelector('#case-party:not([hidden]) option');
  await page.selectOption('#case-party', { label: 'Architectenbureau Linthorst & De Wit' });
  await page.fill('#case-subject', 'Browsertest: lekkage dakkapel');
  await page.selectOption('#case-priority', 'high');
  await page.click('#case-form button[type=submit]');
  const card = page.locator('#case-list .case', { hasText: 'Browsertest: lekkage dakkapel' });
  await card.waitFor();
  // a strategic partner who is also a customer gets the 4-hour SLA from its treatment
  assert.match(await card.textContent(), /nog [34] u/);
  await card.locator('select').selectOption('open');
  await page.locator('.toast', { hasText: 'Opgeslagen' }).waitFor();
});

test('switch the language to English: every label follows', T, async () => {
  await go('/parties?q=role:partner');
  await page.waitForSelector('#party-table tbody td.c-name a');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForSelector('#nav a[data-nav=parties]:text-is("Parties")');
  await page.waitForSelector('h1:text-is("Parties")');
  await page.waitForSelector('#party-table tbody td.c-name a');
  assert.equal(await page.textContent('#nav a[data-nav=parties]'), 'Parties');
  assert.equal(await page.textContent('h1'), 'Parties');
  assert.equal(await page.textContent('#logout'), 'Log out');
  assert.match(await page.textContent('#party-table tbody tr .badge'), /Partner/);
  assert.equal(await page.getAttribute('#search', 'placeholder'), 'Search: name, role:customer, city:Utrecht…');
  const text = await page.textContent('body');
  for (const nl of ['Relaties', 'Uitloggen', 'Meer laden', 'Zoek:']) assert.ok(!text.includes(nl), `no Dutch "${nl}" left`);
  assert.equal(await page.evaluate(() => localStorage.getItem('xrm.lang')), 'en');
  await go('/');
  await page.waitForSelector('#ch-roles:text-is("Parties by role")');
  await shot('dashboard-en');
  await page.click('#lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'nl');
  await page.waitForSelector('#nav a[data-nav=parties]:text-is("Relaties")');
  await page.waitForSelector('#ch-roles:text-is("Relaties per rol")');
});

test('phone width: the menu opens from a button and nothing scrolls sideways', T, async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await go('/');
  await page.waitForSelector('.chart-roles .bar-row');
  assert.equal(await page.isVisible('#nav'), false);
  await page.click('.menu-btn');
  assert.equal(await page.isVisible('#nav a[data-nav=tasks]'), true);
  await shot('menu');
  await page.click('#nav a[data-nav=parties]');
  await page.waitForSelector('#party-table tbody td.c-name a');
  assert.equal(await page.isVisible('#nav'), false);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0);
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('log out ends the session', T, async () => {
  await page.click('#logout');
  await page.waitForSelector('#login-title');
  const c = (await context.cookies(BASE)).find((x) => x.name === 'xrm_session');
  assert.ok(!c || !c.value, 'session cookie cleared');
  await page.reload();
  await page.waitForSelector('#login-title');
  await go('/tasks');
  await page.waitForSelector('#login-title');
});

test('no console errors, uncaught exceptions or unexpected HTTP errors', () => assertClean());
