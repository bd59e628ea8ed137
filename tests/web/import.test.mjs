// Browser tests of the import wizard (/import): as admin in Dutch with the
// Dutch spreadsheet export tests/data/import/nl-spreadsheet.csv (';',
// Windows-1252): the dry run detects format, separator and encoding, maps
// Voornaam to given_name and shows the first values decoded; the dry-run
// counts are what the real import then does; the progress bar reaches the
// end; the parties exist; a second run matching on e-mail updates them
// instead of creating them again. In English: a file dropped on the page,
// one column mapped by hand ("check again" sends the mapping), a bad row in
// the error list and in errors.csv. hr-assistent (hr read only) gets no
// import menu entry and a "no access" page at /import. Started by
// scripts/test-web.sh (XRM_WEB_URL, XRM_WEB_USER/XRM_WEB_PASSWORD).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN, ADMIN_PASSWORD, DEMO_PASSWORD, T, RUN, close, session as sessionOf, go, api, has, shots, assertClean } from './lib.mjs';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../data/import/nl-spreadsheet.csv');

// A signed-in page (lib.mjs session(): every page watched for errors).
const session = (user, password, locale = 'nl-NL') => sessionOf(user, { password, locale });

// The app's own API client (session cookie and CSRF token) from the page.
const apiGet = (page, p) => api(page, 'GET', p);

async function menu(page) {
  return page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
}

// The counts a result box shows: {created, updated, skipped, errors}.
async function counts(page, sel) {
  const out = {};
  for (const k of ['created', 'updated', 'skipped', 'errors']) {
    out[k] = Number((await page.textContent(`${sel} [data-count=${k}] dd`)).replace(/\D/g, ''));
  }
  return out;
}

// The fixture's parties by e-mail: a search for each family name, kept
// when the party has that e-mail address.
const FIXTURE_PEOPLE = { 'rene@berginstallatie.example': 'Berg', 'noel.jansen@example.nl': 'Jansen', 'chloe@drukkerijdewit.example': 'Wit', 'juergen@example.de': 'Müller' };
async function fixtureParties(page) {
  const found = {};
  for (const [e, family] of Object.entries(FIXTURE_PEOPLE)) {
    const r = await apiGet(page, `/parties?q=${encodeURIComponent(family)}&limit=500`);
    found[e] = r.items.filter((p) => (p.emails || []).some((x) => x.value.toLowerCase() === e)).map((p) => p.id);
  }
  return found;
}

after(close);

test('import wizard in Dutch: dry run, mapping, import with progress, then a second run updates', T, async (t) => {
  if (!(await has('POST', '/imports'))) {
    t.skip('the server has no POST /api/v1/imports');
    return;
  }
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD);
  try {
    assert.ok((await menu(page)).includes('import'), 'admin has the import menu entry');
    const before_ = await fixtureParties(page);
    assert.deepEqual(Object.values(before_).flat(), [], 'the fixture is not in the demo data');

    // step 1: the file, sent as a dry run at once
    await page.click('#nav a[data-nav=import]');
    await page.waitForSelector('#import-step[data-step=file] h2:text-is("Bestand")');
    assert.equal(await page.textContent('li[aria-current=step]'), '1Bestand');
    await shots(page, 'import-file');
    await page.setInputFiles('#import-step input[type=file]', FIXTURE);

    // step 2: what was detected and the column mapping
    await page.waitForSelector('#import-step[data-step=mapping] #imp-mapping');
    assert.equal(await page.getAttribute('#imp-format', 'data-value'), 'csv');
    assert.equal(await page.getAttribute('#imp-separator', 'data-value'), ';');
    assert.equal(await page.textContent('#imp-separator'), 'puntkomma (;)');
    assert.equal(await page.textContent('#imp-rows'), '4');
    const enc = await page.getAttribute('#imp-encoding', 'data-value');
    assert.match(enc, /1252/, `encoding ${enc}`);
    const mapped = async (header) => page.locator(`select[data-header="${header}"]`).inputValue();
    assert.equal(await mapped('Voornaam'), 'given_name');
    assert.equal(await mapped('Achternaam'), 'family_name');
    assert.equal(await mapped('Tussenvoegsel'), 'family_prefix');
    assert.equal(await mapped('E-mail'), 'email');
    assert.equal(await mapped('Postcode'), 'postcode');
    // the select's visible text is the Dutch label, the samples decoded from Windows-1252
    assert.equal(await page.locator('select[data-header="Voornaam"] option:checked').textContent(), 'Voornaam');
    assert.deepEqual(await page.locator('tr[data-header="Voornaam"] .samples li').allTextContents(), ['René', 'Noël', 'Chloë']);
    assert.equal(await page.locator('label[for=imp-match-email]').textContent(), 'E-mail');
    await shots(page, 'import-mapping');

    // step 3: the dry run; the fixture's two BTW-ids fail their check digit. (The
    // IBAN column is left out: app.test.mjs gives a demo party the fixture's
    // first IBAN, which would make that row an exact duplicate, skipped, or
    // not, depending on which test runs first.)
    await page.selectOption('select[data-header="IBAN"]', '');
    await page.click('#imp-check');
    await page.waitForSelector('#import-step[data-step=check] #imp-dry-counts');
    assert.deepEqual(await counts(page, '#imp-dry-counts'), { created: 2, updated: 0, skipped: 0, errors: 2 });
    const errs = await page.locator('#imp-errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.firstChild.textContent)));
    assert.deepEqual(errs, [['2', 'BTW-nummer', 'Ongeldige waarde'], ['4', 'BTW-nummer', 'Ongeldige waarde']]);
    assert.deepEqual(Object.values(await fixtureParties(page)).flat(), [], 'a dry run writes nothing');
    await shots(page, 'import-check');
    // back to the columns: leave the BTW-ids out and check again
    await page.click('#imp-back');
    await page.waitForSelector('#import-step[data-step=mapping] #imp-mapping');
    await page.selectOption('select[data-header="BTW-nummer"]', '');
    await page.click('#imp-check');
    await page.waitForSelector('#import-step[data-step=check] #imp-dry-counts');
    const dry = await counts(page, '#imp-dry-counts');
    assert.deepEqual(dry, { created: 4, updated: 0, skipped: 0, errors: 0 });
    assert.equal(await page.locator('#imp-errors').count(), 0);

    // step 4: the import, its progress bar at the end and the summary
    await page.click('#imp-run');
    await page.waitForSelector('#imp-summary[data-status=done]');
    assert.equal(await page.textContent('#imp-done-title'), 'Import klaar');
    const bar = page.locator('#imp-summary progress');
    assert.equal(await bar.evaluate((b) => b.value), await bar.evaluate((b) => b.max));
    assert.match(await page.textContent('#imp-summary'), /4 van 4 rijen verwerkt/);
    const real = await counts(page, '#imp-counts');
    assert.deepEqual(real, dry, 'the import did what the dry run said');
    await shots(page, 'import-done');

    // the parties exist, once each
    const after1 = await fixtureParties(page);
    const imported = Object.values(after1).filter((ids) => ids.length === 1).length;
    assert.equal(imported, real.created, `parties by e-mail ${JSON.stringify(after1)}`);
    await page.click('#imp-parties');
    await page.waitForSelector('#party-table tbody td.c-name a');
    await go(page, `/parties/${after1['chloe@drukkerijdewit.example'][0]}`);
    await page.waitForSelector('h1#page-title');
    assert.match(await page.textContent('h1#page-title'), /Chloë/);

    // a second run matching on e-mail updates instead of duplicating
    await go(page, '/import');
    await page.waitForSelector('#import-step[data-step=file]');
    await page.setInputFiles('#import-step input[type=file]', FIXTURE);
    await page.waitForSelector('#import-step[data-step=mapping] #imp-mapping');
    await page.check('#imp-match-email');
    await page.selectOption('select[data-header="BTW-nummer"]', '');
    await page.selectOption('select[data-header="IBAN"]', '');
    await page.click('#imp-check');
    await page.waitForSelector('#import-step[data-step=check] #imp-dry-counts');
    const dry2 = await counts(page, '#imp-dry-counts');
    assert.deepEqual(dry2, { created: 0, updated: 4, skipped: 0, errors: 0 }, 'the second run updates the four');
    await page.click('#imp-run');
    await page.waitForSelector('#imp-summary[data-status=done]');
    const real2 = await counts(page, '#imp-counts');
    assert.deepEqual(real2, dry2);
    assert.deepEqual(await fixtureParties(page), after1, 'the same parties, none twice');

    // both runs (not the dry runs) under "earlier imports"
    await page.click('#imp-again');
    await page.waitForSelector('#imp-history:not([hidden]) tbody tr');
    const hist = await page.locator('#imp-history tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(1).map((c) => c.textContent)));
    assert.deepEqual(hist.sort(), [['CSV', 'Klaar', '0', '4', '0', '0'], ['CSV', 'Klaar', '4', '0', '0', '0']]);
  } finally {
    await context.close();
  }
});

test('import wizard in English: a dropped file, a column mapped by hand, a bad row in the report', T, async (t) => {
  if (!(await has('POST', '/imports'))) {
    t.skip('the server has no POST /api/v1/imports');
    return;
  }
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD, 'en-GB');
  try {
    const run = RUN;
    const csv = [
      'given_name,Achtername,email,Shoe size,tags',
      `Ada,Lovelace${run},ada.${run}@example.org,38,web${run}`,
      `Alan,Turing${run},not-an-e-mail,44,web${run}`,
      `Grace,Hopper${run},grace.${run}@example.org,37,web${run}`,
    ].join('\r\n') + '\r\n';
    await page.click('#nav a[data-nav=import]');
    await page.waitForSelector('#import-step[data-step=file] h2:text-is("File")');
    // dropped on the page rather than chosen
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'people.csv', { type: 'text/csv' }));
      return d;
    }, csv);
    await page.dispatchEvent('#imp-drop', 'drop', { dataTransfer: dt });
    await page.waitForSelector('#import-step[data-step=mapping] #imp-mapping');
    assert.equal(await page.textContent('#imp-map-title'), 'Columns and options');
    assert.equal(await page.textContent('#imp-separator'), 'comma (,)');
    assert.equal(await page.locator('select[data-header="given_name"]').inputValue(), 'given_name');
    assert.equal(await page.locator('select[data-header="given_name"] option:checked').textContent(), 'Given name');
    // a header the server does not know: mapped by hand; the shoe size ignored
    await page.selectOption('select[data-header="Achtername"]', 'family_name');
    await page.selectOption('select[data-header="Shoe size"]', '');
    await page.click('#imp-check');
    await page.waitForSelector('#import-step[data-step=check] #imp-dry-counts');
    const dry = await counts(page, '#imp-dry-counts');
    assert.deepEqual(dry, { created: 2, updated: 0, skipped: 0, errors: 1 });
    const rows = await page.locator('#imp-errors tbody tr').allTextContents();
    assert.equal(rows.length, 1);
    assert.match(rows[0], /^3/, `the bad row is line 3: ${rows[0]}`);
    assert.match(rows[0], /Email/);
    await page.click('#imp-run');
    await page.waitForSelector('#imp-summary[data-status=done]');
    assert.equal(await page.textContent('#imp-done-title'), 'Import finished');
    assert.deepEqual(await counts(page, '#imp-counts'), dry);
    // the error report downloads as CSV with the bad line
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#imp-summary #imp-errors-csv')]);
    const report = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = report.trim().split(/\r?\n/);
    assert.equal(lines.length, 2, report);
    assert.match(lines[1], /^"?3"?;/, report);
    // the mapped family names arrived
    const found = await apiGet(page, `/parties?q=${encodeURIComponent(`Lovelace${run}`)}`);
    assert.deepEqual(found.items.map((p) => [p.given_name, p.family_name]), [['Ada', `Lovelace${run}`]]);
    const none = await apiGet(page, `/parties?q=${encodeURIComponent(`Turing${run}`)}`);
    assert.equal(none.items.length, 0, 'the bad row was skipped');
  } finally {
    await context.close();
  }
});

test('the party list exports the current query from the server: CSV with Dutch headers, vCard', T, async (t) => {
  if (!(await has('GET', '/parties/export.csv')) || !(await has('POST', '/imports'))) {
    t.skip('the server has no GET /api/v1/parties/export.csv or no imports (the English walk makes the parties)');
    return;
  }
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD);
  try {
    // the two parties the English walk imported with its tag (no other test touches them)
    const q = `tag:web${RUN}`;
    await go(page, `/parties?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('#party-table tbody td.c-name a');
    const shown = await page.locator('#party-table tbody td.c-name a').allTextContents();
    assert.deepEqual(shown.sort(), [`Ada Lovelace${RUN}`, `Grace Hopper${RUN}`]);
    await page.click('#export-menu summary');
    const href = await page.getAttribute('#export-menu a[data-format=csv]', 'href');
    assert.equal(href, `/api/v1/parties/export.csv?q=${encodeURIComponent(q).replace(/%20/g, '+')}&headers=nl`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-menu a[data-format=csv]')]);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    assert.match(lines[0], /^ID;UID;Soort;Naam;Voornaam;Tussenvoegsel;Achternaam;E-mail;Telefoon;/);
    assert.equal(lines.length, 3, 'the header and the two parties');
    for (const name of shown) assert.ok(lines.some((l) => l.includes(name)), `${name} exported`);
    if (await has('GET', '/parties/export.vcf')) {
      await page.click('#export-menu summary');
      await page.click('#export-menu summary');
      const [vcf] = await Promise.all([page.waitForEvent('download'), page.click('#export-menu a[data-format=vcf]')]);
      const text = fs.readFileSync(await vcf.path(), 'utf8');
      assert.ok(text.trimStart().startsWith('BEGIN:VCARD'), text.slice(0, 80));
      assert.equal(text.match(/^BEGIN:VCARD/gm).length, 2, 'two vCards');
      assert.match(text, new RegExp(`Lovelace${RUN}`));
    }
  } finally {
    await context.close();
  }
});

test('hr-assistent (hr read only) is offered no import', T, async () => {
  const { context, page } = await session('hr-assistent', DEMO_PASSWORD);
  try {
    assert.ok(!(await menu(page)).includes('import'), 'no import menu entry');
    await go(page, '/import');
    await page.waitForSelector('#no-access h1:text-is("Geen toegang")');
    assert.equal(await page.locator('#import-step, input[type=file]').count(), 0);
  } finally {
    await context.close();
  }
});

test('no console errors, uncaught exceptions or HTTP errors', () => {
  assertClean();
});
