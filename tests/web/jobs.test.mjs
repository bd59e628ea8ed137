// Browser tests of the background jobs tab: the administrator opens
// Beheer > Taken op de achtergrond in Dutch and sees the scheduler's jobs
// (retention daily, the partner tier evaluation monthly) with when they run
// next; in English on a phone the same table is readable as cards. verkoop
// has no admin: the tab is refused. Screenshots at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { T, session, go, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

test('the administrator reads the background jobs (NL 1280, EN 390)', T, async () => {
  const { context, page } = await session(undefined, { locale: 'nl-NL' });
  await go(page, '/admin/jobs');
  await page.waitForSelector('#jobs-table');
  assert.equal(await page.textContent('.admin-tabs [aria-current=page]'), 'Taken op de achtergrond');
  const retention = await page.textContent('#jobs-table tr[data-job=retention]');
  assert.match(retention, /Bewaartermijnen toepassen/);
  assert.match(retention, /Dagelijks/);
  const tiers = await page.textContent('#jobs-table tr[data-job=partner-tiers]');
  assert.match(tiers, /Partnerniveaus beoordelen/);
  assert.match(tiers, /Maandelijks/);
  // the next run of the monthly job is on the 1st
  assert.match(tiers, /niet\s*1 [a-z]{3}/);
  await shots(page, 'admin-jobs');
  await context.close();

  const en = await session(undefined, { locale: 'en-GB', width: 390 });
  await go(en.page, '/admin/jobs');
  await en.page.waitForSelector('#jobs-table');
  assert.match(await en.page.textContent('#jobs-table tr[data-job=partner-tiers]'), /Evaluate partner tiers.*Monthly/s);
  // on a phone the rows are cards: no header row, each value with its label
  assert.equal(await en.page.isHidden('#jobs-table thead'), true);
  assert.equal(await en.page.getAttribute('#jobs-table tr[data-job=partner-tiers] td:last-child', 'data-label'), 'Next run');
  await shots(en.page, 'admin-jobs-en');
  await en.context.close();
});

test('verkoop has no admin: the jobs tab is not offered', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  assert.equal(await page.locator('a[href="/admin"]').count(), 0);
  await context.close();
  assertClean();
});
