// Browser tests of HR absence. An employee made through the API with this
// run's suffix is reported sick by hr (full access) on the party page in
// Dutch: the dialog says never to record a diagnosis, the report shows with
// its Poortwachter steps; hr requests leave for her. hr-assistent (read
// only, English, 390 px) sees both on the absence screen without any
// approve, recover or edit control and without the sick note. hr approves
// the request and reports recovery on the absence screen (English); the
// request leaves the list. The HR cards of the dashboard, the Poortwachter
// tab of admin (saved unchanged), and verkoop who sees no absence at all.
// Screenshots of each screen at 1280 and 390 px. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, has, shots, assertClean, close, RUN, T } from './lib.mjs';

const NAME = `Verzuimtest ${RUN}`;
const DEPT = `Testafdeling ${RUN}`;
let deptId = null;
let party = null;
const pages = [];

after(async () => {
  for (const s of pages) await s.context.close().catch(() => {});
  await close();
});

async function as(user, opts) {
  const s = await session(user, opts);
  pages.push(s);
  return s.page;
}

function day(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// A working day of this year near today (the panel shows this year's balance).
function leaveDay() {
  const year = new Date().getFullYear();
  for (const off of [3, 4, 5, 6, 7, 8, 9, 10, -3, -4, -5, -6, -7, -8, -9, -10]) {
    const d = new Date();
    d.setDate(d.getDate() + off);
    if (d.getFullYear() === year && d.getDay() > 0 && d.getDay() < 6) return day(off);
  }
  return day(-3);
}

test('setup: an employee of this run', T, async () => {
  assert.ok(await has('GET', '/absence/overview'), 'the server has the absence API');
  const page = await as(undefined);
  // the employee role's department holds a department id
  deptId = (await api(page, 'POST', '/departments', { name: DEPT })).id;
  party = await api(page, 'POST', '/parties', {
    kind: 'person', given_name: 'Vera', family_name: NAME,
    roles: [{ type: 'employee', attributes: { hours_per_week: 32, start_date: '2024-01-01', department: deptId } }],
  });
});

test('hr reports sick and requests leave on the party page (Dutch)', T, async () => {
  const page = await as('hr');
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#abs-panel:not([hidden]) #leave-balance');
  // 4 x 32 hours a year, nothing taken yet
  await page.waitForSelector('#leave-statutory dd:text("128 uur")');
  await page.click('#party-report-sick');
  await page.waitForSelector('#abs-no-diagnosis:text("Leg nooit een diagnose")');
  assert.equal(await page.inputValue('#abs-kind'), 'sick');
  await page.fill('#abs-from', day(-3));
  await page.fill('#abs-note', 'Belt maandag terug');
  await page.click('#absence-form button[type=submit]');
  await page.waitForSelector('#toast:has-text("Ziekmelding vastgelegd")');
  const sick = page.locator('#abs-panel li[data-kind=sick]');
  await sick.waitFor();
  assert.match(await sick.textContent(), /Belt maandag terug/);
  await sick.locator('summary').click();
  await sick.locator('.pw-tasks li:has-text("Poortwachter week 1:")').waitFor();
  assert.match(await sick.locator('.pw-tasks').textContent(), /week 104/);
  // leave: a working day, 6.4 hours of a 32-hour week
  await page.click('#party-request-leave');
  await page.fill('#abs-from', leaveDay());
  await page.fill('#abs-until', leaveDay());
  await page.click('#absence-form button[type=submit]');
  await page.waitForSelector('#toast:has-text("Afwezigheid vastgelegd")');
  await page.waitForSelector('#abs-panel li[data-kind=leave] .abs-requested:text("Aangevraagd")');
  await page.waitForSelector('#leave-requested dd:text("6,4 uur")');
  await shots(page, 'absence-party', () => page.waitForSelector('#abs-panel li[data-kind=leave]'));
});

test('hr-assistent reads the absence screen: no controls, no sick note (English, 390 px)', T, async () => {
  const page = await as('hr-assistent', { locale: 'en-GB', width: 390 });
  await go(page, `/absence?department=${deptId}`);
  await page.waitForSelector(`#abs-requests li:has-text("${NAME}")`);
  await page.waitForSelector(`#abs-sick li:has-text("${NAME}")`);
  const sick = await page.locator('#abs-sick').textContent();
  assert.match(sick, /week 1 .* next step: Poortwachter week 1/);
  assert.doesNotMatch(sick, /Belt maandag/);
  assert.equal(await page.locator('#absence-new, .abs-approve, .abs-recover, .abs-edit').count(), 0);
  await page.waitForSelector('#abs-stats-table tbody tr');
  await shots(page, 'absence-screen-read', () => page.waitForSelector('#abs-stats-table'));
  // the party page: the panel without its buttons, no note
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#abs-panel:not([hidden]) li[data-kind=sick]');
  assert.equal(await page.locator('#party-report-sick').count(), 0);
  assert.doesNotMatch(await page.locator('#abs-panel').textContent(), /Belt maandag/);
});

test('hr approves the leave and reports recovery on the absence screen (English)', T, async () => {
  const page = await as('hr', { locale: 'en-GB' });
  await go(page, `/absence?department=${deptId}`);
  await page.waitForSelector(`#abs-requests li:has-text("${NAME}")`);
  await shots(page, 'absence-screen', () => page.waitForSelector('#abs-requests'));
  await page.click(`#abs-requests button[aria-label="Approve: ${party.name}"]`);
  await page.waitForSelector('#toast:has-text("Leave approved")');
  await page.waitForSelector('#abs-requests .empty');
  await page.click(`#abs-sick button[aria-label="Report recovery: ${party.name}"]`);
  await page.fill('#abs-recover-date', day(-1));
  await page.click('#absence-recover button[type=submit]');
  await page.waitForSelector('#toast:has-text("Recovery recorded")');
  await page.waitForSelector('#abs-sick .empty');
  const bal = await api(page, 'GET', `/parties/${party.id}/leave`);
  assert.equal(bal.planned + bal.taken, 6.4);
  assert.equal(bal.requested, 0);
  // the dashboard's HR cards
  await go(page, '/');
  await page.waitForSelector('#hr-dash:not([hidden]) #kpi-absent');
  await page.waitForSelector('#hr-contracts');
  await page.waitForSelector('#hr-sick li:has-text("next step")');
  await shots(page, 'dashboard-hr', () => page.waitForSelector('#hr-dash'));
});

test('admin sees and saves the Poortwachter table', T, async () => {
  const page = await as(undefined);
  await go(page, '/admin/poortwachter');
  await page.waitForSelector('#pw-rows .pw-step');
  assert.equal(await page.inputValue('#pw-rows .pw-step[data-step="3"] input[data-field="items[3].every_weeks"]'), '6');
  await page.click('#pw-save');
  await page.waitForSelector('#toast:has-text("Opgeslagen")');
  await shots(page, 'admin-poortwachter');
});

test('verkoop sees no absence', T, async () => {
  const page = await as('verkoop');
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#page-title');
  assert.equal(await page.locator('#abs-panel:not([hidden])').count(), 0);
  assert.equal(await page.locator('#hr-dash').count(), 0);
  assert.equal(await page.locator('a[data-nav=absence], #nav a[href="/absence"]').count(), 0);
  await go(page, '/absence');
  await page.waitForSelector('#no-access');
});

test('no console errors', () => assertClean());
