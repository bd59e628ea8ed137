// Browser tests of recruitment and on- and offboarding. With this run's own
// data (a vacancy and an applicant made through the API): hr moves the
// applicant to an interview and hires her on the recruitment board (Dutch,
// 1280 px), which starts her onboarding checklist; hr ticks its first item
// off on the checklists screen (English, 390 px) and sees the progress on
// her person page; hr adds a new applicant through the dialog. hr-assistent
// (hr=read) sees the board and the checklist without any control; verkoop
// has no recruitment menu and is refused the screen. hr deletes a vacancy
// made by mistake (Dutch, 390 px; only a vacancy without applicants offers
// it). The templates tab of admin. Screenshots of each screen at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, has, shots, assertClean, close, RUN, T, dayNL } from './lib.mjs';

const pages = [];
let vacancy = null;
let applicant = null;
let role = null;
let checklist = null;
let admin = null;
let hr = null;

after(async () => {
  for (const s of pages) await s.context.close().catch(() => {});
  await close();
});

async function as(user, opts) {
  const s = await session(user, opts);
  pages.push(s);
  return s.page;
}

function isoIn(days) {
  return dayNL(days); /* the company's date, as the server counts */
}

test('setup: a vacancy and an applicant of this run', T, async () => {
  assert.ok(await has('GET', '/vacancies'), 'the server has vacancies');
  const page = await as(undefined);
  admin = page;
  vacancy = await api(page, 'POST', '/vacancies', { title: `Uitvoerder ${RUN}`, hours: 40, closes: isoIn(30), description: 'Leidt de bouwplaats.' });
  applicant = await api(page, 'POST', '/parties', {
    kind: 'person', given_name: 'Fleur', family_name: `Kandidaat ${RUN}`,
    emails: [{ label: 'privé', value: `fleur.${RUN}@example.nl` }],
    roles: [{ type: 'employee', status: 'applicant', attributes: { vacancy: vacancy.id, stage: 'new' } }],
  });
  role = applicant.roles[0].id;
});

test('hr moves the applicant to an interview and hires her: onboarding starts (NL, 1280)', T, async () => {
  const page = await as('hr');
  hr = page;
  assert.ok(await page.isVisible('a[data-nav="recruitment"]'), 'hr has the recruitment menu');
  await go(page, '/recruitment');
  const card = `[data-vacancy="${vacancy.id}"]`;
  await page.waitForSelector(`${card} .rec-col-new li[data-role="${role}"]`);
  await page.selectOption(`#move-${role}`, 'interview');
  await page.waitForSelector('#toast:has-text("staat nu bij Gesprek")');
  await page.waitForSelector(`${card} .rec-col-interview li[data-role="${role}"]`);
  await page.selectOption(`#move-${role}`, 'hired');
  await page.waitForSelector('#decide-form');
  await page.fill('#app-start', isoIn(7));
  await page.click('#decide-form button[type=submit]');
  await page.waitForSelector('#toast:has-text("aangenomen")');
  await page.waitForSelector(`${card} .rec-col-hired li[data-role="${role}"]`);
  const r = await api(page, 'GET', `/roles/${role}`);
  assert.equal(r.status, 'active');
  assert.equal(r.attributes.start_date, isoIn(7));
  const list = await api(page, 'GET', `/checklists?party=${applicant.id}`);
  assert.equal(list.items.length, 1);
  checklist = list.items[0];
  assert.equal(checklist.kind, 'onboarding');
  await shots(page, 'recruitment', () => page.waitForSelector(`${card} .rec-col-hired li[data-role="${role}"]`));

  // a new applicant through the dialog, for this vacancy
  await page.click(`${card} button:has-text("Nieuwe sollicitant")`);
  await page.waitForSelector('#applicant-form');
  await page.fill('#app-given', 'Bram');
  await page.fill('#app-family', `Nieuw ${RUN}`);
  await page.fill('#app-email', `bram.${RUN}@example.nl`);
  await shots(page, 'recruitment-applicant-dialog');
  await page.click('#applicant-form button[type=submit]');
  await page.waitForSelector(`${card} .rec-col-new li:has-text("Bram Nieuw ${RUN}")`);
});

test('hr ticks off the first onboarding item; the person page shows the progress (EN, 390)', T, async () => {
  // the same hr session, switched to English on a phone
  const page = hr;
  await page.click('#lang-switch');
  await page.waitForSelector('a[data-nav="recruitment"]:text("Recruitment")');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#to-checklists');
  const card = `[data-checklist="${checklist.id}"]`;
  await page.waitForSelector(card);
  const total = checklist.progress.total;
  await page.check(`${card} input[data-item="1"]`);
  await page.waitForSelector('#toast:has-text("Ticked off")');
  await page.waitForSelector(`${card} .chk-count:text("1 of ${total} done")`);
  const c = await api(page, 'GET', `/checklists?party=${applicant.id}`);
  assert.equal(c.items[0].progress.done, 1);
  assert.ok(c.items[0].items[0].done_by_name, 'who ticked it is kept');
  assert.ok(c.items[0].items[0].done);
  await shots(page, 'checklists', () => page.waitForSelector(card));
  await go(page, `/parties/${applicant.id}`);
  await page.waitForSelector(`#checklist-panel ${card} .chk-count:text("1 of ${total} done")`);
  await shots(page, 'party-checklists', () => page.waitForSelector('#checklist-panel'));
});

test('hr-assistent sees the board and the checklist without controls', T, async () => {
  const page = await as('hr-assistent', { width: 390 });
  await go(page, '/recruitment');
  await page.waitForSelector(`[data-vacancy="${vacancy.id}"] .rec-col-hired li[data-role="${role}"]`);
  assert.equal(await page.locator('#vacancy-new, #applicant-new, .rec-applicant select').count(), 0, 'no recruitment controls');
  await go(page, '/checklists');
  await page.waitForSelector(`[data-checklist="${checklist.id}"]`);
  assert.equal(await page.locator('.chk-item input[type=checkbox]').count(), 0, 'no ticking for hr=read');
  await shots(page, 'checklists-read');
});

test('verkoop has no recruitment: no menu entry, the screen is refused', T, async () => {
  const page = await as('verkoop');
  assert.equal(await page.locator('a[data-nav="recruitment"], a[data-nav="checklists"]').count(), 0);
  await go(page, '/recruitment');
  await page.waitForSelector('#no-access');
  const p = await api(page, 'GET', `/parties/${applicant.id}`);
  assert.deepEqual(p.roles.map((r) => r.status), ['active'], 'after hiring, sales sees the employee role');
});

test('hr deletes a vacancy made by mistake; one with applicants offers no delete (NL, 390)', T, async () => {
  const page = await as('hr', { locale: 'nl-NL', width: 390 });
  const oops = await api(page, 'POST', '/vacancies', { title: `Vergissing ${RUN}`, hours: 8 });
  await go(page, '/recruitment');
  await page.waitForSelector(`#vacancy-delete-${oops.id}`);
  assert.equal(await page.locator(`#vacancy-delete-${vacancy.id}`).count(), 0, 'the vacancy with an applicant is closed, not deleted');
  await page.click(`#vacancy-delete-${oops.id}`);
  await page.waitForSelector('#confirm-yes');
  assert.match(await page.textContent('dialog'), new RegExp(`Vergissing ${RUN}`));
  await shots(page, 'recruitment-vacancy-delete');
  await page.click('#confirm-yes');
  await page.waitForSelector(`section[data-vacancy="${oops.id}"]`, { state: 'detached' });
  const left = await api(page, 'GET', '/vacancies');
  assert.ok(!left.items.some((v) => v.id === oops.id), 'deleted on the server');
});

test('admin edits the checklist templates', T, async () => {
  const page = admin;
  await go(page, '/admin/checklists');
  await page.waitForSelector('form.chk-tpl[data-template="new"]');
  await page.fill('form.chk-tpl[data-template="new"] input[data-field="name"]', `Stage ${RUN}`);
  await page.fill('form.chk-tpl[data-template="new"] input[data-field="items[0].title"]', 'Stagecontract tekenen');
  await page.click('form.chk-tpl[data-template="new"] button[type=submit]');
  await page.waitForSelector(`form.chk-tpl[aria-label="Stage ${RUN}"]`);
  await shots(page, 'admin-checklists');
  assertClean();
});
