// Browser tests of duplicates and merge: two parties that are one person
// (same e-mail in other case; a customer and a supplier) are created through
// the API; the new-party dialog answers an exact duplicate with the
// candidates and "open"; the duplicates list shows the pair with its score
// and reasons; the merge screen previews (conflicting given name
// highlighted, chosen from the other party by radio button, the supplier
// role listed as moving); the merge leaves the survivor with both roles and
// the other party archived with "merged into"; undo restores both. verkoop
// (sales write) sees no merge button for a pair where one party holds only
// an hr role, and a typed merge link tells her she may not. Started by
// scripts/test-web.sh (XRM_WEB_URL, XRM_WEB_USER/XRM_WEB_PASSWORD).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, ADMIN, ADMIN_PASSWORD, DEMO_PASSWORD, T, RUN, close, session as sessionOf, watch, go, api, has, allow, a11y, shots, assertClean,
} from './lib.mjs';

// A signed-in page (lib.mjs session(): every page watched for errors).
const session = (user, password, locale = 'nl-NL') => sessionOf(user, { password, locale });

// The duplicates list at min_score 100, paged until the pair's row is there.
async function findPair(page, a, b) {
  await go(page, '/duplicates?min_score=100');
  const row = page.locator(`#dup-table tr[data-pair="${a}-${b}"]`);
  await page.waitForSelector('#dup-table tbody tr:not(:has(.loading))');
  for (let i = 0; i < 40 && !(await row.count()); i++) {
    if (await page.locator('button.more').isHidden()) break;
    const n = await page.locator('#dup-table tbody tr').count();
    await page.click('button.more');
    await page.waitForFunction((k) => document.querySelectorAll('#dup-table tbody tr').length > k, n);
  }
  assert.equal(await row.count(), 1, `pair ${a}-${b} in the duplicates list`);
  await row.locator('.c-actions[data-checked]').waitFor();
  return row;
}

const roleTypes = (p) => (p.roles || []).map((r) => r.type).sort();
const parties = {};

after(close);

const ready = async () => (await has('GET', '/duplicates')) && (await has('POST', '/parties/{id}/merge'));

test('duplicates list, merge preview with a choice, merge, undo (admin, Dutch)', T, async (t) => {
  if (!(await ready())) {
    t.skip('the server has no duplicates or merge endpoints');
    return;
  }
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD);
  try {
    const family = `Dubbeltest${RUN}`;
    const email = `merel.${RUN}@example.nl`;
    const a = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Merel', family_name: family, emails: [{ label: 'work', value: email }], roles: [{ type: 'customer' }] });
    const b = await api(page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Mirjam', family_name: family, emails: [{ label: 'home', value: email.toUpperCase() }], phones: [{ label: 'mobile', value: '06-12345678' }], roles: [{ type: 'supplier' }] });
    assert.ok(a.id < b.id);
    Object.assign(parties, { a: a.id, b: b.id, family, email });

    // a weaker match (the name, no e-mail) is created, with a notice
    await go(page, '/parties');
    await page.click('#new-party');
    await page.fill('#np-given_name', 'Merel');
    await page.fill('#np-family_name', family);
    await page.click('#new-party-form button[type=submit]');
    await page.locator('.toast-warn', { hasText: 'mogelijke dubbelen' }).waitFor();
    await page.waitForSelector(`h1#page-title:text-is("Merel ${family}")`);
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator(`#dup-panel li[data-party="${a.id}"]`).count(), 1, 'the new party names its look-alike');
    const weak = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(weak > b.id);

    // creating it again with the e-mail: the candidates, with "open"
    await go(page, '/parties');
    await page.click('#new-party');
    await page.fill('#np-given_name', 'Merel');
    await page.fill('#np-family_name', family);
    await page.fill('#np-email', email);
    await allow(409, /\/api\/v1\/parties$/, async () => {
      await page.click('#new-party-form button[type=submit]');
      await page.waitForSelector('#dup-candidates:not([hidden])');
    });
    assert.match(await page.textContent('#dup-candidates'), /bestaat waarschijnlijk al/);
    assert.equal(await page.locator(`#dup-candidates li[data-party="${a.id}"]`).count(), 1);
    assert.match(await page.textContent(`#dup-candidates li[data-party="${a.id}"]`), /E-mail/);
    assert.equal(await page.locator('#create-anyway').count(), 1);
    await a11y(page, 'new-party-duplicate');
    await page.click(`#dup-candidates li[data-party="${a.id}"] a`);
    await page.waitForSelector(`h1#page-title:text-is("Merel ${family}")`);
    // the party page's panel names the other one
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator(`#dup-panel li[data-party="${b.id}"]`).count(), 1);
    assert.equal(await page.locator(`#dup-panel li[data-party="${b.id}"] .merge-btn`).count(), 1);
    await page.waitForSelector('#timeline:not([aria-busy])');
    await shots(page, 'party-duplicates');

    // the duplicates list: the pair, its score and reasons, "merge"
    const row = await findPair(page, a.id, b.id);
    assert.match(await row.locator('.c-score').textContent(), /100/);
    assert.match(await row.locator('.c-reasons').textContent(), new RegExp(`E-mail: ${email}`, 'i'));
    await shots(page, 'duplicates');
    await row.locator('.merge-btn').click();
    await page.waitForURL(new RegExp(`/merge\\?into=${a.id}&from=${b.id}$`));

    // the preview: the given names conflict; take the other party's
    await page.waitForSelector('#merge-fields tr[data-field=given_name]');
    assert.equal(await page.locator('#merge-fields tr.conflict[data-field=given_name]').count(), 1);
    assert.equal(await page.isChecked(`#choose-given_name-${a.id}`), true);
    assert.equal(await page.textContent('#merge-moves [data-move=roles] dd'), '1');
    await shots(page, 'merge-preview');
    await page.check(`#choose-given_name-${b.id}`);
    await page.waitForSelector(`#merge-body:not([aria-busy]) #choose-given_name-${b.id}:checked`);
    const preview = await page.textContent('#merge-fields');
    assert.match(preview, /Mirjam/);
    assert.deepEqual(roleTypes(await api(page, 'GET', `/parties/${a.id}`)), ['customer'], 'a preview changes nothing');

    // the merge: the survivor has both roles, the other is archived and says where it went
    await page.click('#merge-confirm');
    await page.waitForSelector('#merge-result');
    assert.match(await page.textContent('#merge-result'), /Samengevoegd/);
    await shots(page, 'merge-result');
    const survivor = await api(page, 'GET', `/parties/${a.id}`);
    assert.deepEqual(roleTypes(survivor), ['customer', 'supplier']);
    assert.equal(survivor.given_name, 'Mirjam', 'the chosen given name');
    const merged = await api(page, 'GET', `/parties/${b.id}`);
    assert.equal(merged.archived, true);
    assert.equal(Number(merged.merged_into), a.id);
    const other = await context.newPage();
    watch(other, 'admin (second tab)');
    await other.goto(`${BASE}/parties/${a.id}`);
    await other.waitForSelector('article[data-role-type=supplier]');
    assert.equal(await other.locator('article[data-role-type=customer]').count(), 1);
    await other.goto(`${BASE}/parties/${b.id}`);
    await other.waitForSelector('#dup-panel #merged-into');
    assert.equal(await other.getAttribute('#merged-into', 'href'), `/parties/${a.id}`);
    await other.close();

    // undo: both as they were
    await page.click('#merge-undo');
    await page.waitForSelector('#merge-undone');
    const a2 = await api(page, 'GET', `/parties/${a.id}`);
    const b2 = await api(page, 'GET', `/parties/${b.id}`);
    assert.deepEqual(roleTypes(a2), ['customer']);
    assert.equal(a2.given_name, 'Merel');
    assert.deepEqual(roleTypes(b2), ['supplier']);
    assert.ok(!b2.archived, 'the merged party is back');
    assert.ok(!b2.merged_into);
    assert.equal(await page.locator(`#merge-undone a[href="/parties/${b.id}"]`).count(), 1);
  } finally {
    await context.close();
  }
});

test('verkoop gets no merge button where one party holds only an hr role', T, async (t) => {
  if (!(await ready())) {
    t.skip('the server has no duplicates or merge endpoints');
    return;
  }
  const admin = await session(ADMIN, ADMIN_PASSWORD);
  let c;
  let d;
  try {
    const email = `collega.${RUN}@example.nl`;
    c = await api(admin.page, 'POST', '/parties', { kind: 'person', given_name: 'Cor', family_name: `Collega${RUN}`, emails: [{ label: 'work', value: email }], roles: [{ type: 'employee' }] });
    d = await api(admin.page, 'POST', '/parties?force=true', { kind: 'person', given_name: 'Cor', family_name: `Collega${RUN}`, emails: [{ label: 'home', value: email }], roles: [{ type: 'customer' }] });
  } finally {
    await admin.context.close();
  }
  const { context, page } = await session('verkoop', DEMO_PASSWORD);
  try {
    for (const [self, otherId] of [[c.id, d.id], [d.id, c.id]]) {
      await go(page, `/parties/${self}`);
      await page.waitForSelector('#dup-panel[data-ready]');
      assert.equal(await page.locator(`#dup-panel li[data-party="${otherId}"]`).count(), 1, `panel of #${self}`);
      assert.equal(await page.locator('#dup-panel .merge-btn').count(), 0, `no merge button on #${self}`);
    }
    const row = await findPair(page, c.id, d.id);
    assert.equal(await row.locator('.merge-btn').count(), 0, 'no merge button in the list');
    await go(page, `/merge?into=${d.id}&from=${c.id}`);
    await page.waitForSelector('#merge-body .error-box');
    assert.match(await page.textContent('#merge-body'), /niet zo samenvoegen/);
    assert.equal(await page.locator('#merge-confirm, #merge-swap').count(), 0);
  } finally {
    await context.close();
  }
});

test('hr-assistent (hr read only) is offered no duplicates screen and no merge', T, async (t) => {
  if (!(await ready()) || !parties.a) {
    t.skip('needs the merge walk above');
    return;
  }
  const { context, page } = await session('hr-assistent', DEMO_PASSWORD);
  try {
    const nav = await page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
    assert.ok(!nav.includes('duplicates') && !nav.includes('import'), `menu ${nav}`);
    await go(page, `/parties/${parties.a}`);
    await page.waitForSelector('#dup-panel[data-ready]');
    assert.equal(await page.locator('#dup-panel .merge-btn').count(), 0);
    await go(page, '/duplicates');
    await page.waitForSelector('#no-access');
  } finally {
    await context.close();
  }
});

test('no console errors, uncaught exceptions or HTTP errors', () => {
  assertClean();
});
