// Browser tests of suppliers and public relations:
// - inkoop (purchasing write) in Dutch evaluates a new supplier on its party
//   page: the scorecard shows the rating and the evaluation; a wrong month
//   is answered next to its field. verkoop (no purchasing) gets no scorecard.
// - communicatie (pr write) in English drags a stakeholder on the project
//   grid from "monitor" to "manage closely" and moves another with the
//   keyboard list; the grid of the server agrees. The demo's De Kade
//   project shows its stakeholders; once in Dutch at 390 px.
// - inkoop in English on a phone corrects an evaluation on the scorecard
//   (the rating follows) and deletes it after a confirmation; communicatie
//   in Dutch removes a stakeholder from a project's grid and deletes an
//   empty project made by mistake.
// - communicatie in Dutch schedules a press release with an embargo and the
//   media list as recipients; verkoop (pr read) does not see it before the
//   embargo. Screenshots of each screen at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, RUN, session, go, api, allow, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

test('inkoop fills a supplier evaluation and sees it on the scorecard', T, async () => {
  const { context, page } = await session('inkoop', { locale: 'nl-NL' });
  const party = await api(page, 'POST', '/parties', { kind: 'organization', legal_name: `Leverancier ${RUN} BV`, roles: [{ type: 'supplier', attributes: { category: `Tegels ${RUN}` } }] });
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector('#supplier-panel #supplier-evaluate');
  assert.match(await page.textContent('#supplier-panel'), /nog geen beoordeling/);
  await page.click('#supplier-evaluate');
  await page.waitForSelector('#evaluation-form');
  // a month in the future is refused next to the month field
  const d = new Date();
  const future = `${d.getFullYear() + 1}-01`;
  await page.evaluate((v) => { document.getElementById('eval-period').removeAttribute('max'); document.getElementById('eval-period').value = v; }, future);
  await page.selectOption('#eval-quality', '5');
  await page.selectOption('#eval-delivery', '4');
  await page.selectOption('#eval-price', '4');
  await page.selectOption('#eval-communication', '5');
  await page.fill('#eval-note', 'Snel geleverd');
  await allow(422, /supplier-evaluations/, async () => {
    await page.click('#evaluation-form button[type=submit]');
    await page.waitForSelector('#eval-period-error:not([hidden])');
  });
  assert.match(await page.textContent('#eval-period-error'), /toekomst/);
  const month = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  await page.fill('#eval-period', month);
  await shots(page, 'supplier-evaluation');
  await page.click('#evaluation-form button[type=submit]');
  await page.waitForSelector('#evaluation-form', { state: 'detached' });
  await page.waitForSelector('#supplier-panel .rating');
  const panel = await page.textContent('#supplier-panel');
  assert.match(panel, /5 van 5|★★★★★/);
  assert.match(panel, /Snel geleverd/);
  const card = await api(page, 'GET', `/parties/${party.id}/scorecard`);
  assert.equal(card.rating, 5, '(5+4+4+5)/4 = 4.5 rounds to 5');
  await shots(page, 'supplier-scorecard');
  await context.close();

  const v = await session('verkoop', { locale: 'nl-NL' });
  await go(v.page, `/parties/${party.id}`);
  await v.page.waitForSelector('#page-title');
  await v.page.waitForTimeout(300);
  assert.equal(await v.page.isHidden('#supplier-panel'), true, 'no scorecard without purchasing access');
  await v.context.close();
});

test('communicatie drags a stakeholder on the grid of a project', T, async () => {
  const { context, page } = await session('communicatie', { locale: 'en-GB' });
  const project = await api(page, 'POST', '/projects', { name: `Nieuwbouw ${RUN}`, postcode: '3531 HK' });
  const a = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Anna', family_name: `Buur ${RUN}` });
  const b = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Bram', family_name: `Buur ${RUN}` });
  const sa = await api(page, 'POST', `/projects/${project.id}/stakeholders`, { party: a.id, influence: 1, interest: 1 });
  const sb = await api(page, 'POST', `/projects/${project.id}/stakeholders`, { party: b.id, influence: 1, interest: 2, stance: 'critic' });
  await go(page, '/projects');
  await page.waitForSelector(`#project-list a[href="/projects/${project.id}"]`);
  await page.click(`#project-list a[href="/projects/${project.id}"]`);
  await page.waitForSelector(`#q-monitor li[data-id="${sa.id}"]`);
  assert.match(await page.textContent('#q-manage_closely'), /Manage closely/);

  // drag Anna from "monitor" to "manage closely"
  await page.dragAndDrop(`#q-monitor li[data-id="${sa.id}"]`, '#q-manage_closely', { sourcePosition: { x: 3, y: 3 }, targetPosition: { x: 20, y: 10 } });
  await page.waitForSelector(`#q-manage_closely li[data-id="${sa.id}"]`);
  // move Bram with the keyboard list instead
  await page.selectOption(`li[data-id="${sb.id}"] .sh-move`, 'keep_informed');
  await page.waitForSelector(`#q-keep_informed li[data-id="${sb.id}"]`);
  const grid = await api(page, 'GET', `/projects/${project.id}/grid`);
  assert.deepEqual(grid.manage_closely.map((s) => [s.id, s.influence, s.interest]), [[sa.id, 4, 4]]);
  assert.deepEqual(grid.keep_informed.map((s) => [s.id, s.influence, s.interest]), [[sb.id, 2, 4]]);
  assert.deepEqual(grid.monitor, []);
  // a stance change shows in its history
  await page.selectOption(`li[data-id="${sb.id}"] .sh-stance`, 'neutral');
  await page.waitForSelector(`li[data-id="${sb.id}"] .chip-neutral`);
  await page.click(`li[data-id="${sb.id}"] .sh-history`);
  await page.waitForSelector('#stance-history li:nth-child(2)');
  assert.match(await page.textContent('#stance-history'), /Critic → Neutral/);
  await page.keyboard.press('Escape');
  await shots(page, 'project-grid');
  await context.close();

  // the demo's De Kade project in Dutch on a phone
  const nl = await session('communicatie', { locale: 'nl-NL', width: 390 });
  const projects = await api(nl.page, 'GET', '/projects?limit=100');
  const kade = projects.items.find((p) => p.name === 'Nieuwbouw De Kade');
  assert.ok(kade && kade.stakeholders > 10, 'the demo project has its neighbours');
  await go(nl.page, `/projects/${kade.id}`);
  await nl.page.waitForSelector('#q-manage_closely .sh-card');
  assert.match(await nl.page.textContent('#sh-grid'), /Nauw betrekken/);
  await shots(nl.page, 'project-kade');
  await nl.context.close();
});

test('inkoop corrects an evaluation on the scorecard and deletes another (EN, 390)', T, async () => {
  const { context, page } = await session('inkoop', { locale: 'en-GB', width: 390 });
  const party = await api(page, 'POST', '/parties', { kind: 'organization', legal_name: `Supplier ${RUN} Ltd`, roles: [{ type: 'supplier', attributes: { category: `Bricks ${RUN}` } }] });
  const d = new Date();
  const month = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  const ev = await api(page, 'POST', '/supplier-evaluations', { party: party.id, period: month, quality: 5, delivery: 5, price: 5, communication: 5, note: 'Typed in a hurry' });
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector(`#eval-edit-${ev.id}`);
  await page.click(`#eval-edit-${ev.id}`);
  await page.waitForSelector('#evaluation-form');
  assert.equal(await page.inputValue('#eval-note'), 'Typed in a hurry');
  await page.selectOption('#eval-quality', '1');
  await page.selectOption('#eval-delivery', '1');
  await page.fill('#eval-note', 'Late twice');
  await shots(page, 'supplier-evaluation-edit');
  await page.click('#evaluation-form button[type=submit]');
  await page.waitForSelector('#evaluation-form', { state: 'detached' });
  await page.waitForFunction(() => /Late twice/.test(document.querySelector('#supplier-panel')?.textContent || ''));
  let card = await api(page, 'GET', `/parties/${party.id}/scorecard`);
  assert.equal(card.rating, 3, '(1+1+5+5)/4 = 3 after the correction');
  await page.click(`#eval-delete-${ev.id}`);
  await page.waitForSelector('#confirm-yes');
  assert.match(await page.textContent('dialog'), new RegExp(month));
  await page.click('#confirm-yes');
  await page.waitForSelector(`li[data-eval="${ev.id}"]`, { state: 'detached' });
  assert.match(await page.textContent('#supplier-panel'), /No evaluations yet/);
  card = await api(page, 'GET', `/parties/${party.id}/scorecard`);
  assert.equal(card.rating, null, 'no evaluation left: no rating');
  await shots(page, 'supplier-evaluation-deleted');
  await context.close();
});

test('communicatie removes a stakeholder and deletes a project made by mistake (NL, 1280)', T, async () => {
  const { context, page } = await session('communicatie', { locale: 'nl-NL' });
  const project = await api(page, 'POST', '/projects', { name: `Renovatie ${RUN}`, postcode: '3512 AB' });
  const p = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Cor', family_name: `Buur ${RUN}` });
  const sh = await api(page, 'POST', `/projects/${project.id}/stakeholders`, { party: p.id, influence: 2, interest: 2 });
  await go(page, `/projects/${project.id}`);
  await page.waitForSelector(`li[data-id="${sh.id}"] .sh-remove`);
  assert.equal(await page.locator('#project-delete').count(), 0, 'a project with stakeholders is not deleted');
  await page.click(`li[data-id="${sh.id}"] .sh-remove`);
  await page.waitForSelector('#confirm-yes');
  assert.match(await page.textContent('dialog'), /Cor Buur/);
  await page.click('#confirm-yes');
  await page.waitForSelector(`li[data-id="${sh.id}"]`, { state: 'detached' });
  const grid = await api(page, 'GET', `/projects/${project.id}/grid`);
  assert.deepEqual([...grid.manage_closely, ...grid.keep_satisfied, ...grid.keep_informed, ...grid.monitor], []);

  const oops = await api(page, 'POST', '/projects', { name: `Vergissing ${RUN}` });
  await go(page, `/projects/${oops.id}`);
  await page.waitForSelector('#project-delete');
  await page.click('#project-delete');
  await page.waitForSelector('#confirm-yes');
  await shots(page, 'project-delete');
  await page.click('#confirm-yes');
  await page.waitForSelector(`#project-list a[href="/projects/${project.id}"]`);
  assert.equal(await page.locator(`#project-list a[href="/projects/${oops.id}"]`).count(), 0);
  await context.close();
});

test('communicatie schedules a press release with an embargo that verkoop does not see yet', T, async () => {
  const { context, page } = await session('communicatie', { locale: 'nl-NL' });
  const about = await api(page, 'POST', '/parties', { kind: 'organization', legal_name: `Persproject ${RUN} BV` });
  await go(page, '/press');
  await page.waitForSelector('#new-press');
  await page.click('#new-press');
  await page.waitForSelector('#press-form');
  await page.fill('#press-subject', `Oplevering ${RUN}`);
  await page.fill('#press-body', 'De eerste bewoners krijgen de sleutel.');
  await page.fill('#press-party-search', `Persproject ${RUN}`);
  await page.waitForSelector('#press-party:not([hidden]) option');
  const d = new Date(Date.now() + 3 * 86400000);
  const p2 = (n) => String(n).padStart(2, '0');
  await page.fill('#press-embargo', `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T09:00`);
  await page.waitForSelector('#press-segment option:has-text("Media: pers")', { state: 'attached' });
  assert.match(await page.$eval('#press-segment', (s) => s.options[s.selectedIndex].text), /Media: pers/);
  await shots(page, 'press-editor');
  await page.click('#press-form button[type=submit]');
  await page.waitForSelector('#press-form', { state: 'detached' });
  const card = page.locator(`#press-list li:has-text("Oplevering ${RUN}")`);
  await card.waitFor();
  assert.match(await card.textContent(), /Embargo tot/);
  assert.equal(await card.locator('.press-send').count(), 0, 'no sending before the embargo');
  await card.locator('.press-recipients-btn').click();
  await page.waitForSelector('#press-recipients p');
  assert.match(await page.textContent('#press-recipients'), /te versturen/);
  await page.keyboard.press('Escape');
  await shots(page, 'press');
  const mine = await api(page, 'GET', '/activities?type=press_release&domain=pr&limit=500');
  const release = mine.items.find((x) => x.subject === `Oplevering ${RUN}`);
  assert.ok(release && release.embargo && release.segment, 'saved with embargo and recipients');
  assert.equal(release.parties[0], about.id);
  await context.close();

  const v = await session('verkoop', { locale: 'nl-NL' });
  const seen = await api(v.page, 'GET', '/activities?type=press_release&domain=pr&limit=500');
  assert.equal(seen.items.some((x) => x.id === release.id), false, 'sales does not see it before the embargo');
  await v.context.close();
  assertClean();
});
