// Browser tests of the party page and the new-party dialog, walked as the
// demo users: verkoop (sales write) creates a person with Dutch data and sees
// the server's Dutch errors next to the postcode, IBAN and KvK inputs, then
// an organization; adds a role and a relationship between them, ends it and
// removes it; records consent (newsletter) and sees "may e-mail" change, and
// withdraws it; archives with undo and restores; hr (full) gives a salary in
// euros; the admin exports and erases a party made for the test;
// hr-assistent (read) is offered no edit controls; once in English at 390 px.
// Screenshots of the page (every panel open) and the dialogs at 1280 and
// 390 px. Started by scripts/test-web.sh.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { session, go, api, allow, shots, picture, assertClean, close, T, RUN, ADMIN } from './lib.mjs';

after(close);

// Unique Dutch data per run (the server's duplicate check knows phones, IBANs and KvK numbers).
const seed = parseInt(RUN.slice(-6), 36);
const digits = (n, k) => String(n).padStart(k, '0').slice(-k);
const mobile = `06${digits(seed % 100000000, 8)}`;
const kvk = digits((seed * 7) % 100000000, 8);
function nlIban(account) {
  // NLkk BANK 0123456789: check digits from mod 97 of BANK + account + NL00
  const bban = `ABNA${account}`;
  const num = [...`${bban}NL00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  let r = 0;
  for (const ch of num) r = (r * 10 + Number(ch)) % 97;
  return `NL${digits(98 - r, 2)}${bban}`;
}
const iban = nlIban(digits((seed * 13) % 10000000000, 10));
const family = `Proef${RUN}`;
const orgName = `Proefbedrijf ${RUN} B.V.`;
const ids = {};

const idFromUrl = (page) => Number(new URL(page.url()).pathname.split('/').pop());

async function openParty(page, id, name) {
  await go(page, `/parties/${id}`);
  await page.waitForSelector(`h1#page-title:text-is(${JSON.stringify(name)})`);
  await page.waitForSelector('#consent-panel .consent-list');
}

async function newPartyDialog(page) {
  await go(page, '/parties');
  await page.click('#new-party');
  await page.waitForSelector('#new-party-form');
}

test('verkoop creates a person with Dutch data; Dutch errors sit next to their inputs', T, async () => {
  const { context, page } = await session('verkoop');
  try {
    await newPartyDialog(page);
    await page.fill('#np-given_name', 'Sanne');
    await page.fill('#np-family_name', family);
    await page.fill('#np-email', `sanne.${RUN}@example.nl`);
    await page.fill('#np-phone', mobile);
    await page.fill('#np-street', 'Oudegracht');
    await page.fill('#np-house_number', '12');
    await page.fill('#np-postcode', '12345');
    await page.fill('#np-city', 'Utrecht');
    await page.fill('#np-iban', 'NL00BANK0123456789');
    await allow(422, /\/api\/v1\/parties$/, async () => {
      await page.click('#new-party-form button[type=submit]');
      await page.waitForSelector('#np-postcode-error:not([hidden])');
    });
    assert.match(await page.textContent('#np-postcode-error'), /geen Nederlandse postcode/);
    assert.match(await page.textContent('#np-iban-error'), /geen geldig IBAN/);
    assert.equal(await page.getAttribute('#np-postcode', 'aria-invalid'), 'true');
    assert.equal(await page.isVisible('#np-email-error'), false, 'no error on a good e-mail address');
    await shots(page, 'party-new-errors');
    await page.fill('#np-postcode', '3511 AB');
    await page.fill('#np-iban', iban);
    await page.click('#new-party-form button[type=submit]');
    await page.waitForSelector(`h1#page-title:text-is("Sanne ${family}")`);
    ids.person = idFromUrl(page);
    // the phone number the national way, dialled as E.164
    const tel = page.locator('a[href^="tel:"]');
    assert.equal(await tel.textContent(), `06 ${mobile.slice(2, 6)} ${mobile.slice(6)}`);
    assert.equal(await tel.getAttribute('href'), `tel:+316${mobile.slice(2)}`);
    assert.match(await page.textContent('#contact-title + dl'), /3511 AB Utrecht/);

    // an organization: a bad KvK number first
    await newPartyDialog(page);
    await page.selectOption('#np-kind', 'organization');
    await page.fill('#np-legal_name', orgName);
    await page.fill('#np-kvk', '123');
    await allow(422, /\/api\/v1\/parties$/, async () => {
      await page.click('#new-party-form button[type=submit]');
      await page.waitForSelector('#np-kvk-error:not([hidden])');
    });
    assert.equal(await page.textContent('#np-kvk-error'), 'een KvK-nummer heeft precies 8 cijfers');
    await page.fill('#np-kvk', kvk);
    await page.selectOption('#np-role', 'customer');
    await shots(page, 'party-new');
    await page.click('#new-party-form button[type=submit]');
    await page.waitForSelector(`h1#page-title:text-is(${JSON.stringify(orgName)})`);
    ids.org = idFromUrl(page);
    assert.ok(await page.isVisible('.role[data-role-type=customer]'), 'the first role given in the dialog');
  } finally {
    await context.close();
  }
});

test('verkoop adds a role and a relationship, ends and removes it', T, async () => {
  const { context, page } = await session('verkoop');
  try {
    await openParty(page, ids.person, `Sanne ${family}`);
    await page.click('#add-role');
    await page.selectOption('#role-new-type', 'customer');
    await page.selectOption('#role-new-status', 'prospect');
    // the account manager is chosen by name, and shown by name
    await page.waitForSelector('#role-new-attr-account_manager option:nth-child(2)', { state: 'attached' });
    const am = await page.locator('#role-new-attr-account_manager option').nth(1);
    const amName = await am.textContent();
    await page.selectOption('#role-new-attr-account_manager', await am.getAttribute('value'));
    await page.click('#role-form button[type=submit]');
    const cust = page.locator('.role[data-role-type=customer]');
    await cust.waitFor();
    await cust.locator('dd', { hasText: amName }).waitFor();

    await page.click('#add-rel');
    await page.selectOption('#rel-type', 'f:works_at');
    await page.fill('#rel-party-search', orgName);
    await page.waitForSelector(`#rel-party option:text-is(${JSON.stringify(orgName)})`);
    await page.click('#rel-form button[type=submit]');
    const rel = page.locator('li.rel', { hasText: orgName });
    await rel.waitFor();
    assert.match(await rel.textContent(), /werkt bij/);
    // the other side sees it the other way round
    await openParty(page, ids.org, orgName);
    assert.match(await page.locator('li.rel', { hasText: family }).textContent(), /heeft in dienst/);

    await openParty(page, ids.person, `Sanne ${family}`);
    await rel.locator('button[data-action=end]').click();
    await page.waitForSelector('#end-rel-form');
    await page.click('#end-rel-form button[type=submit]');
    await rel.locator('.chip', { hasText: 'beëindigd' }).waitFor();
    assert.equal(await rel.locator('button[data-action=end]').count(), 0, 'an ended relationship cannot be ended again');
    await rel.locator('button[data-action=remove]').click();
    await page.waitForSelector('#remove-rel-form');
    await page.click('#remove-rel-form button[type=submit]');
    await rel.waitFor({ state: 'detached' });
    await page.waitForSelector('#rels-title ~ .empty, #rels-title >> xpath=../.. >> .empty');
  } finally {
    await context.close();
  }
});

test('verkoop records consent and may_email changes; the audit trail shows it', T, async () => {
  const { context, page } = await session('verkoop');
  try {
    await openParty(page, ids.person, `Sanne ${family}`);
    // a prospect, no consent: no e-mail
    assert.equal(await page.getAttribute('#may-email', 'data-may'), 'false');
    assert.match(await page.textContent('#may-email'), /geen toestemming/);
    await page.click('li[data-purpose=newsletter] button[data-action=grant]');
    await page.waitForSelector('#consent-form');
    assert.equal(await page.inputValue('#consent-purpose'), 'newsletter');
    await page.fill('#consent-source', 'telefoongesprek');
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#may-email[data-may=true]');
    assert.match(await page.textContent('#may-email'), /toestemming gegeven/);
    assert.equal(await page.getAttribute('li[data-purpose=newsletter]', 'data-granted'), 'true');

    await page.click('li[data-purpose=newsletter] button[data-action=withdraw]');
    await page.waitForSelector('#consent-form');
    assert.equal(await page.inputValue('#consent-granted'), 'false');
    await page.fill('#consent-source', 'e-mail van Sanne');
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#may-email[data-may=false]');
    await page.click('#consent-history summary');
    assert.equal(await page.locator('#consent-history li').count(), 2);
    assert.match(await page.textContent('#consent-history'), /vastgelegd door/);

    await page.click('#audit-panel summary');
    await page.waitForSelector('#audit-list .audit-item');
    const audit = await page.textContent('#audit-list');
    assert.match(audit, /aangemaakt/);
    assert.match(audit, /toestemming ingetrokken/);
    assert.match(audit, /verkoop|Verkoop/);
    // printed: no header, menu or buttons; the cards in full
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('.topbar'), false, 'no header in print');
    assert.equal(await page.isVisible('#archive-party'), false, 'no buttons in print');
    assert.ok(await page.isVisible('#consent-history li'), 'the consent history in print');
    assert.ok(await page.isVisible('#contact-title'), 'the contact card in print');
    await picture(page, 'party-print.png', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await shots(page, 'party-page', async () => {
      await page.waitForSelector('#audit-list .audit-item');
    });
  } finally {
    await context.close();
  }
});

test('verkoop archives with undo, then restores', T, async () => {
  const { context, page } = await session('verkoop');
  try {
    await openParty(page, ids.person, `Sanne ${family}`);
    await page.click('#archive-party');
    await page.waitForSelector('.head-meta .chip-warn');
    await page.click('#undo-archive');
    await page.waitForSelector('#archive-party');
    assert.equal(await page.locator('.head-meta .chip-warn').count(), 0, 'undo brings it back');
    let p = await api(page, 'GET', `/parties/${ids.person}`);
    assert.equal(p.archived, false);

    await page.click('#archive-party');
    await page.waitForSelector('#restore-party');
    p = await api(page, 'GET', `/parties/${ids.person}`);
    assert.equal(p.archived, true);
    await page.click('#restore-party');
    await page.waitForSelector('#archive-party');
    p = await api(page, 'GET', `/parties/${ids.person}`);
    assert.equal(p.archived, false);
  } finally {
    await context.close();
  }
});

test('hr gives a salary in euros and a manager by name', T, async () => {
  const { context, page } = await session('hr');
  try {
    await openParty(page, ids.person, `Sanne ${family}`);
    await page.click('#add-role');
    await page.selectOption('#role-new-type', 'employee');
    await page.fill('#role-new-attr-salary', 'drieduizend');
    await page.click('#role-form button[type=submit]');
    await page.waitForSelector('#role-new-attr-salary-error:not([hidden])');
    assert.equal(await page.textContent('#role-new-attr-salary-error'), "Geen bedrag in euro's");
    await page.fill('#role-new-attr-salary', '3.480,50');
    // the manager is a party chosen by name, and shown by name
    const boss = (await api(page, 'GET', '/parties?q=role:employee&limit=1')).items[0];
    await page.fill('#role-new-attr-manager-search', boss.name);
    await page.waitForSelector(`#role-new-attr-manager option:text-is(${JSON.stringify(boss.name)})`);
    await page.click('#role-form button[type=submit]');
    const emp = page.locator('.role[data-role-type=employee]');
    await emp.waitFor();
    assert.match(await emp.textContent(), /€\s?3\.480,50/);
    await emp.locator(`dd a:text-is(${JSON.stringify(boss.name)})`).waitFor();
    const p = await api(page, 'GET', `/parties/${ids.person}`);
    assert.equal(p.roles.find((r) => r.type === 'employee').attributes.salary, 348050);
  } finally {
    await context.close();
  }
});

test('hr-assistent (read) is offered no edit controls on the party page', T, async () => {
  const { context, page } = await session('hr-assistent');
  try {
    await openParty(page, ids.person, `Sanne ${family}`);
    const controls = '#edit-party, #add-role, #archive-party, #restore-party, #add-rel, #record-consent, .consent-actions, .rel-actions, .role-actions, #gdpr-export, #gdpr-erase, .quick-add';
    assert.equal(await page.locator(controls).count(), 0);
    assert.ok(await page.isVisible('#audit-panel'), 'the audit trail is there to read');
  } finally {
    await context.close();
  }
});

test('admin exports and erases a party made for the test', T, async () => {
  const { context, page } = await session(ADMIN);
  try {
    const name = `Wisproef ${RUN}`;
    const p = await api(page, 'POST', '/parties', { kind: 'person', given_name: 'Wisproef', family_name: RUN, emails: [{ label: 'home', value: `wis.${RUN}@example.nl` }] });
    await openParty(page, p.id, name);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#gdpr-export')]);
    assert.equal(dl.suggestedFilename(), `xrm-party-${p.id}.json`);
    const doc = JSON.parse(fs.readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.equal(doc.party.id, p.id);
    assert.equal(doc.party.emails[0].value, `wis.${RUN}@example.nl`);

    await page.click('#gdpr-erase');
    await page.waitForSelector('#erase-form');
    assert.match(await page.textContent('#erase-form'), /e-mailadressen, telefoonnummers/);
    await shots(page, 'party-erase');
    await page.fill('#erase-confirm', 'iemand anders');
    await page.click('#erase-form button[type=submit]');
    await page.waitForSelector('#erase-confirm-error:not([hidden])');
    await page.fill('#erase-confirm', name);
    await page.click('#erase-form button[type=submit]');
    await page.waitForSelector('h1#page-title:text-is("[erased]")');
    const after_ = await api(page, 'GET', `/parties/${p.id}`);
    assert.equal(after_.emails.length, 0);
    assert.equal(await page.locator('#gdpr-erase').count(), 0, 'erased once');
  } finally {
    await context.close();
  }
});

test('in English at 390 px: the page and the dialog in English', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  try {
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await openParty(page, ids.person, `Sanne ${family}`);
    assert.match(await page.textContent('#may-email'), /May e-mail/);
    assert.equal(await page.textContent('#consent-title'), 'Consent and contact');
    await shots(page, 'party-page-en');
    await newPartyDialog(page);
    await page.fill('#np-family_name', `Engels${RUN}`);
    await page.fill('#np-postcode', '99');
    await allow(422, /\/api\/v1\/parties$/, async () => {
      await page.click('#new-party-form button[type=submit]');
      await page.waitForSelector('#np-postcode-error:not([hidden])');
    });
    assert.match(await page.textContent('#np-postcode-error'), /is not a Dutch postcode/);
    await shots(page, 'party-new-en');
  } finally {
    await context.close();
  }
});

test('no console errors, uncaught exceptions or HTTP errors', () => {
  assertClean();
});
