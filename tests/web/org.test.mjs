// Browser tests of the organisation (HR): the org chart folds, unfolds and
// finds people by name or job (hr, Dutch, 1280 px); departments are made,
// changed and deleted on /departments (hr); an employee's department is
// chosen with the department picker on the role and shown by name; the
// employment history panel shows salary lines to hr (full) and plans a
// change (English, 390 px), and shows no salary and no controls to
// hr-assistent (read); a 4th fixed-term contract in a row warns of the
// chain rule in the agreement dialog; verkoop has no Organisation menu and
// no org chart. Screenshots of each screen. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, go, api, allow, shots, assertClean, close, T, RUN, dayNL } from './lib.mjs';

after(close);

const ids = {};

// An employee of this run, made through the API as the page's user.
async function makeEmployee(page, family, attributes = {}) {
  const p = await api(page, 'POST', '/parties', {
    kind: 'person', given_name: 'Test', family_name: family,
    roles: [{ type: 'employee', status: 'active', since: '2024-01-01', attributes }],
  });
  return p;
}

test('hr folds, unfolds and searches the org chart (Dutch, 1280 px)', T, async () => {
  const { context, page } = await session('hr');
  try {
    await page.click('#nav a[data-nav=org]');
    await page.waitForSelector('#org-tree details.org-node');
    assert.equal(await page.textContent('h1#page-title'), 'Organogram');
    const top = page.locator('#org-tree > details.org-node').first();
    assert.match(await top.locator(':scope > summary').textContent(), /Directie/);
    // fold everything, then find the calculators: their departments open again
    await page.click('#org-collapse');
    assert.equal(await page.locator('#org-tree details[open]').count(), 0);
    await page.fill('#org-search', 'calculator');
    await page.waitForSelector('#org-search-status:has-text("Gevonden")');
    const hits = page.locator('.org-member.org-hit');
    assert.ok(await hits.count() >= 2, 'both calculators are found');
    assert.ok(await hits.first().isVisible(), 'a match is shown, its departments unfolded');
    assert.match(await page.textContent('#org-search-status'), /Gevonden: \d+/);
    await page.click('#org-expand');
    assert.equal(await page.locator('#org-tree details:not([open])').count(), 0);
    // every department has its manager
    const heads = await page.locator('#org-tree summary .org-head').count();
    assert.ok(heads >= 8, `managers shown: ${heads}`);
    await shots(page, 'org-chart');
  } finally {
    await context.close();
  }
});

test('hr makes, changes and deletes a department; picks it on a role', T, async () => {
  const { context, page } = await session('hr');
  try {
    await go(page, '/departments');
    await page.waitForSelector('#department-list .dept-row');
    await page.click('#new-department');
    await page.waitForSelector('#department-form');
    const name = `Testafdeling ${RUN}`;
    await page.fill('#dept-name', name);
    await page.waitForSelector('#dept-parent option:has-text("Directie")', { state: 'attached' });
    const directie = await page.locator('#dept-parent option', { hasText: /^Directie$/ }).getAttribute('value');
    await page.selectOption('#dept-parent', directie);
    await page.fill('#dept-cost', '990');
    await page.click('#department-form button[type=submit]');
    const row = page.locator('.dept-row', { hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /Kostenplaats: 990/);
    // the same name again under Directie: the server's message sits at the name
    await page.click('#new-department');
    await page.fill('#dept-name', name);
    await page.waitForSelector('#dept-parent option:has-text("Directie")', { state: 'attached' });
    await page.selectOption('#dept-parent', directie);
    await allow(409, /\/api\/v1\/departments$/, async () => {
      await page.click('#department-form button[type=submit]');
      await page.waitForSelector('#dept-name[aria-invalid=true]');
    });
    assert.match(await page.textContent('#department-form .field-error:not([hidden])'), /bestaat al/);
    await shots(page, 'department-dialog');
    await page.keyboard.press('Escape');
    await shots(page, 'departments');

    // an employee placed in it with the department picker on the role
    const emp = await makeEmployee(page, `Afdeling${RUN}`, { job_title: 'planner' });
    ids.emp = emp.id;
    await go(page, `/parties/${emp.id}`);
    const role = page.locator('article.role[data-role-type=employee]');
    await role.locator('button', { hasText: 'Wijzigen' }).click();
    const sel = `#role-${emp.roles[0].id}-attr-department`;
    await page.waitForSelector(`${sel} option:has-text("${name}")`, { state: 'attached' });
    const value = await page.locator(`${sel} option`, { hasText: name }).getAttribute('value');
    await page.selectOption(sel, value);
    await page.click('#role-form button[type=submit]');
    await page.waitForSelector(`article.role[data-role-type=employee] .dept-name:has-text("Directie / ${name}")`);

    // it has a member now: deleting it is refused with the reason
    await go(page, '/departments');
    await row.waitFor();
    await allow(409, /\/api\/v1\/departments\/\d+$/, async () => {
      await row.locator('[data-action=delete-dept]').click();
      await page.click('#confirm-yes');
      await page.waitForSelector('.toast-error');
    });
    assert.match(await page.textContent('.toast-error'), /medewerkers/);
    await api(page, 'PATCH', `/roles/${emp.roles[0].id}`, { attributes: { department: null } });
    await row.locator('[data-action=delete-dept]').click();
    await page.click('#confirm-yes');
    await row.waitFor({ state: 'detached' });
  } finally {
    await context.close();
  }
});

test('hr sees salary lines and plans a change (English, 390 px)', T, async () => {
  const { context, page } = await session('hr', { locale: 'en-GB', width: 390 });
  try {
    const found = await api(page, 'GET', '/parties?q=employee.employee_number:VD0015');
    const p = found.items[0];
    await go(page, `/parties/${p.id}`);
    await page.waitForSelector('#employment-panel .emp-rec');
    const panel = page.locator('#employment-panel');
    assert.match(await panel.textContent(), /senior werkvoorbereider/);
    assert.match(await panel.textContent(), /Salary/);
    assert.match(await panel.locator('h2').textContent(), /Employment/);
    // plan a change on an employee of this run
    const emp = await makeEmployee(page, `Plan${RUN}`, { job_title: 'monteur', hours_per_week: 40, salary: 300000 });
    await go(page, `/parties/${emp.id}`);
    await page.waitForSelector('#employment-panel .emp-rec');
    await page.click('#employment-plan');
    await page.waitForSelector('#employment-form');
    const next = dayNL(60);
    await page.fill('#emp-effective', next);
    await page.fill('#emp-hours', '32');
    await page.fill('#emp-salary', '3150');
    await shots(page, 'employment-dialog');
    await page.click('#employment-form button[type=submit]');
    await page.waitForSelector('#employment-panel .emp-planned');
    const planned = page.locator('#employment-panel .emp-planned');
    assert.match(await planned.textContent(), /planned/);
    assert.match(await planned.textContent(), /32/);
    // as of today the hours are still 40
    assert.match(await page.textContent('#employment-panel .emp-current'), /40/);
    await shots(page, 'employment-panel', () => page.locator('#employment-panel').scrollIntoViewIfNeeded());
    ids.planned = emp.id;
  } finally {
    await context.close();
  }
});

test('hr-assistent reads the history without salary and changes nothing', T, async () => {
  const { context, page } = await session('hr-assistent');
  try {
    await page.waitForSelector('#nav a[data-nav=org]', { state: 'attached' });
    await go(page, `/parties/${ids.planned}`);
    await page.waitForSelector('#employment-panel .emp-rec');
    const text = await page.textContent('#employment-panel');
    assert.doesNotMatch(text, /Salaris/);
    assert.doesNotMatch(text, /3[.,]150/);
    assert.equal(await page.locator('#employment-plan').count(), 0);
    await go(page, '/departments');
    await page.waitForSelector('#department-list .dept-row');
    assert.equal(await page.locator('#new-department, [data-action=edit-dept]').count(), 0);
    await go(page, '/org-chart');
    await page.waitForSelector('#org-tree details.org-node');
    await shots(page, 'org-chart-read');
  } finally {
    await context.close();
  }
});

test('a 4th fixed-term contract warns of the chain rule in the agreement dialog', T, async () => {
  const { context, page } = await session('hr');
  try {
    const emp = await makeEmployee(page, `Keten${RUN}`, { job_title: 'monteur' });
    for (const [start, end] of [['2024-01-01', '2024-06-30'], ['2024-07-01', '2024-12-31'], ['2025-01-01', '2025-06-30']]) {
      const a = await api(page, 'POST', '/agreements', { party: emp.id, kind: 'employment_contract', start, end });
      assert.equal(a.warnings, null);
    }
    await go(page, `/parties/${emp.id}`);
    await page.waitForSelector('#party-new-agreement');
    await page.click('#party-new-agreement');
    await page.waitForSelector('#agreement-form');
    await page.selectOption('#agr-kind', 'employment_contract');
    await page.fill('#agr-start', '2025-07-01');
    await page.fill('#agr-end', '2025-12-31');
    await page.click('#agreement-form button[type=submit]');
    await page.waitForSelector('#chain-warning');
    const text = await page.textContent('#chain-warning');
    assert.match(text, /ketenregeling/);
    assert.match(text, /4e tijdelijke contract/);
    await shots(page, 'chain-warning');
    await page.click('#chain-ok');
    await page.waitForSelector('#chain-warning', { state: 'detached' });
  } finally {
    await context.close();
  }
});

test('verkoop has no Organisation menu and no org chart', T, async () => {
  const { context, page } = await session('verkoop', { width: 390 });
  try {
    assert.equal(await page.locator('#nav a[data-nav=org]').count(), 0);
    await go(page, '/org-chart');
    await page.waitForSelector('#no-access');
    await go(page, '/departments');
    await page.waitForSelector('#no-access');
  } finally {
    await context.close();
  }
  assertClean();
});
