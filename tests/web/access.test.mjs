// Browser tests of what the web app offers each demo user (DESIGN.md
// "Domains and access"): per user, on the demo's employee who is also a
// customer and on a plain customer, which edit, archive, role, consent,
// relationship and activity controls are there and which are not, which
// domains the quick add offers, which menu entries exist, and that admin
// screens typed by URL show a "no access" page. hr-assistent (hr=read only)
// must see no create or edit control at all. Started by scripts/test-web.sh
// (XRM_WEB_URL, XRM_WEB_USER/XRM_WEB_PASSWORD for the admin); the demo
// users' password is xrm-demo-2026. Each user gets a fresh browser context.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, ADMIN_PASSWORD, DEMO_PASSWORD, T, launch, close, picture, session as sessionOf, go, has, assertClean } from './lib.mjs';

const parties = {}; // employee (also a customer), customer (nothing else)

// A signed-in page (lib.mjs session(): every page watched for errors).
const session = (user, password, locale = 'nl-NL') => sessionOf(user, { password, locale });

// The party page with its head, roles and first timeline page drawn.
async function openParty(page, id) {
  await go(page, `/parties/${id}`);
  await page.waitForSelector(`h1#page-title:text-is(${JSON.stringify(parties.names[id])})`);
  await page.waitForSelector('#timeline:not([aria-busy]) > li');
  await page.waitForSelector('#rels-title');
}

const count = (page, sel) => page.locator(sel).count();
const present = async (page, sel) => (await count(page, sel)) > 0;

async function menu(page) {
  return page.locator('#nav a[data-nav]').evaluateAll((els) => els.map((e) => e.dataset.nav));
}

// What a user should be offered, from the demo users' access
// (verkoop sales=write,partners=read,pr=read; hr hr=full; hr-assistent hr=read;
// inkoop purchasing=write,sales=read; partners partners=write,sales=read;
// communicatie pr=write,sales=read,partners=read) and the rules: changing base
// data needs write in a domain where the party has a role, archiving write in
// every such domain, consent write in sales or pr, a role write in its domain.
const USERS = {
  verkoop: {
    menu: ['dashboard', 'parties', 'tasks', 'pipeline', 'cases', 'agreements'],
    domains: ['sales'],
    employee: { edit: true, archive: false, employeeRole: false, customerRole: true },
    customer: { edit: true, archive: true, customerRole: true },
    consent: true, create: true,
  },
  hr: {
    menu: ['dashboard', 'parties', 'tasks', 'cases', 'agreements'],
    domains: ['hr'],
    employee: { edit: true, archive: false, employeeRole: true, customerRole: false },
    customer: { edit: false, archive: false, customerRole: false },
    consent: false, create: true,
  },
  'hr-assistent': {
    menu: ['dashboard', 'parties', 'tasks', 'cases', 'agreements'],
    domains: [],
    employee: { edit: false, archive: false, employeeRole: false, customerRole: false },
    customer: { edit: false, archive: false, customerRole: false },
    consent: false, create: false,
  },
  inkoop: {
    menu: ['dashboard', 'parties', 'tasks', 'pipeline', 'cases', 'agreements'],
    domains: ['purchasing'],
    employee: { edit: false, archive: false, employeeRole: false, customerRole: false },
    customer: { edit: false, archive: false, customerRole: false },
    consent: false, create: true,
  },
  partners: {
    menu: ['dashboard', 'parties', 'tasks', 'pipeline', 'cases', 'agreements'],
    domains: ['partners'],
    employee: { edit: false, archive: false, employeeRole: false, customerRole: false },
    customer: { edit: false, archive: false, customerRole: false },
    consent: false, create: true,
  },
  communicatie: {
    menu: ['dashboard', 'parties', 'tasks', 'pipeline', 'cases', 'agreements'],
    domains: ['pr'],
    employee: { edit: false, archive: false, employeeRole: false, customerRole: false },
    customer: { edit: false, archive: false, customerRole: false },
    consent: true, create: true,
  },
};
USERS[ADMIN] = {
  menu: ['dashboard', 'parties', 'tasks', 'pipeline', 'cases', 'agreements', 'admin'],
  domains: ['sales', 'hr', 'partners', 'purchasing', 'pr'],
  employee: { edit: true, archive: true, employeeRole: true, customerRole: true },
  customer: { edit: true, archive: true, customerRole: true },
  consent: true, create: true, admin: true,
};

async function checkParty(page, user, which, want, exp) {
  const id = parties[which];
  await openParty(page, id);
  const ctx = `${user} on the ${which} #${id}`;
  assert.equal(await present(page, '#edit-party'), want.edit, `${ctx}: edit button`);
  assert.equal(await present(page, '#archive-party'), want.archive, `${ctx}: archive button`);
  assert.equal(await present(page, '#record-consent'), exp.consent, `${ctx}: consent button`);
  assert.equal(await present(page, '#add-role'), exp.domains.length > 0, `${ctx}: add role`);
  assert.equal(await present(page, '#add-rel'), exp.domains.length > 0, `${ctx}: add relationship`);
  assert.equal(await present(page, '.role[data-role-type=customer] .role-actions button'), want.customerRole, `${ctx}: change customer role`);
  if (which === 'employee') {
    assert.equal(await present(page, '.role[data-role-type=employee] .role-actions button'), want.employeeRole, `${ctx}: change employee role`);
  }
  // the quick add offers exactly the writable domains, and is absent without any
  if (exp.domains.length) {
    const offered = await page.locator('#qa-domain option').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(offered, exp.domains, `${ctx}: quick-add domains`);
  } else {
    assert.equal(await present(page, '.quick-add'), false, `${ctx}: quick add`);
  }
  if (exp.domains.length) {
    // the relationship dialog offers only types this user may write: a domain
    // one (manager_of: hr) with write there, a common one with write anywhere
    await page.click('#add-rel');
    const offered = await page.locator('#rel-type option').evaluateAll((els) => els.map((e) => e.value.replace(/^[fr]:/, '')));
    await page.click('dialog .dialog-head button');
    const relTypes = await page.evaluate(async () => {
      const m = await import('/js/api.js');
      return (await m.api.get('/relationship-types')).items.map((x) => [x.name, x.domain ?? null]);
    });
    for (const [n, d] of relTypes) {
      assert.equal(offered.includes(n), d === null || exp.domains.includes(d), `${ctx}: relationship type ${n} (${d})`);
    }
  }
  if (exp.domains.length) {
    // the role dialog offers only role types of writable domains
    await page.click('#add-role');
    const types = await page.locator('#role-new-type option').evaluateAll((els) => els.map((e) => e.value).filter(Boolean));
    await page.click('dialog .dialog-head button');
    const domainOf = await page.evaluate(async () => {
      const m = await import('/js/api.js');
      return Object.fromEntries((await m.roleTypes()).map((x) => [x.name, x.domain]));
    });
    assert.ok(types.length > 0, `${ctx}: some role type to give`);
    for (const x of types) assert.ok(exp.domains.includes(domainOf[x]), `${ctx}: role type ${x} (${domainOf[x]}) offered`);
  }
}

before(async () => {
  await launch();
  // find the demo's employee who is also a customer and a customer with no other role
  const { context, page } = await session(ADMIN, ADMIN_PASSWORD);
  const found = await page.evaluate(async () => {
    const m = await import('/js/api.js');
    const act = (p, type) => (p.roles || []).some((r) => r.type === type && r.status === 'active');
    const both = (await m.api.get('/parties?q=role:employee role:customer&limit=100')).items
      .find((p) => act(p, 'employee') && act(p, 'customer'));
    const plain = (await m.api.get('/parties?q=role:customer&limit=200')).items
      .find((p) => p.roles.length === 1 && act(p, 'customer'));
    return { both: both && [both.id, both.name], plain: plain && [plain.id, plain.name] };
  });
  assert.ok(found.both && found.plain, `demo parties: ${JSON.stringify(found)}`);
  parties.employee = found.both[0];
  parties.customer = found.plain[0];
  parties.names = { [found.both[0]]: found.both[1], [found.plain[0]]: found.plain[1] };
  await context.close();
});

after(close);

for (const [user, exp] of Object.entries(USERS)) {
  test(`${user}: menu, party controls and quick-add domains follow the access`, T, async () => {
    const { context, page } = await session(user, user === ADMIN ? ADMIN_PASSWORD : DEMO_PASSWORD);
    try {
      // data in and out (import, duplicates) for users who may create parties, once the server has them
      const dataIn = [exp.create && (await has('POST', '/imports')) && 'import', exp.create && (await has('GET', '/duplicates')) && 'duplicates'].filter(Boolean);
      // deals: the forecast follows the pipeline for users who may read sales
      const withForecastOnly = exp.menu.flatMap((m) => (m === 'pipeline' ? ['pipeline', 'forecast'] : [m]));
      // partners: the commission statement after the agreements, for readers of partners
      const commissions = ['verkoop', 'partners', 'communicatie', ADMIN].includes(user) && (await has('GET', '/commissions'));
      const withForecast = withForecastOnly.flatMap((m) => (m === 'agreements' && commissions ? [m, 'commissions'] : [m]));
      // HR: the org chart, absence and recruitment for users who may read HR
      const hrReader = ['hr', 'hr-assistent', ADMIN].includes(user);
      const hr = [
        hrReader && (await has('GET', '/org-chart')) && 'org',
        hrReader && (await has('GET', '/absence/overview')) && 'absence',
        hrReader && (await has('GET', '/vacancies')) && 'recruitment',
      ].filter(Boolean);
      // public relations: projects and press releases for users who may read pr
      const pr = ['verkoop', 'communicatie', ADMIN].includes(user) && (await has('GET', '/projects')) ? ['projects', 'press'] : [];
      // purchase invoices for users who may read purchasing
      const purchase = ['inkoop', ADMIN].includes(user) && (await has('GET', '/purchase-invoices')) ? ['purchase-invoices'] : [];
      // quotes and invoices: quotes, invoices and debtors for users who may read sales
      const billing = ['verkoop', 'inkoop', 'partners', 'communicatie', ADMIN].includes(user) ? [
        (await has('GET', '/invoices')) && 'quotes', (await has('GET', '/invoices')) && 'invoices', (await has('GET', '/debtors')) && 'debtors',
      ].filter(Boolean) : [];
      // e-mail: campaigns and the review list of mail from unknown senders for users who write a domain
      const mail = user !== 'hr-assistent' ? [(await has('GET', '/campaigns')) && 'campaigns', (await has('GET', '/mail-review')) && 'mail-review'].filter(Boolean) : [];
      const wantMenu = [...withForecast.filter((m) => m !== 'admin'), ...dataIn, ...hr, ...pr, ...billing, ...purchase, ...mail, ...withForecast.filter((m) => m === 'admin')];
      assert.deepEqual(await menu(page), wantMenu, `${user}: menu entries`);
      await checkParty(page, user, 'employee', exp.employee, exp);
      await checkParty(page, user, 'customer', exp.customer, exp);
      // the party list: "new party" only with write access somewhere
      await go(page, '/parties');
      await page.waitForSelector('#party-table tbody td.c-name a');
      assert.equal(await present(page, '#new-party'), exp.create, `${user}: new party`);
      // cases: "new case" only with a writable domain
      await go(page, '/cases');
      await page.waitForSelector('#case-list:not(:has(.loading))');
      assert.equal(await present(page, '#new-case'), exp.domains.length > 0, `${user}: new case`);
      // admin screens typed by URL
      for (const url of ['/admin', '/admin/users', '/admin/rules', '/admin/role-types']) {
        await go(page, url);
        if (exp.admin) {
          await page.waitForSelector('.admin-body');
          assert.equal(await present(page, '#no-access'), false);
        } else {
          await page.waitForSelector('#no-access h1:text-is("Geen toegang")');
          assert.equal(await present(page, '.admin-body'), false, `${user}: ${url} shows no admin screen`);
        }
      }
    } finally {
      await context.close();
    }
  });
}

test('hr-assistent (hr=read) sees no create or edit control anywhere', T, async () => {
  const { context, page } = await session('hr-assistent', DEMO_PASSWORD);
  // (saving a query as a segment of her own stays: segments belong to their owner, not to a domain)
  const controls = '#edit-party, #archive-party, #add-role, #add-rel, #record-consent, .quick-add, .role-actions, #new-party, #new-case, #delete-segment, .task input[type=checkbox], .case select, .deal select';
  try {
    for (const url of [`/parties/${parties.employee}`, `/parties/${parties.customer}`]) {
      await go(page, url);
      await page.waitForSelector('#timeline:not([aria-busy]) > li');
      assert.equal(await count(page, controls), 0, `${url}: no controls`);
    }
    await go(page, '/parties?q=role:employee');
    await page.waitForSelector('#party-table tbody td.c-name a');
    assert.equal(await count(page, controls), 0, 'party list: no controls');
    await go(page, '/tasks');
    await page.waitForSelector('.task-groups:not(:has(.loading))');
    assert.equal(await count(page, controls), 0, 'my day: no controls');
    await go(page, '/cases?q=+');
    await page.waitForSelector('#case-list:not(:has(.loading))');
    assert.equal(await count(page, controls), 0, 'cases: no controls');
    await go(page, '/pipeline');
    await page.waitForSelector('#no-access');
    await picture(page, 'access-no-access-1280.png');
  } finally {
    await context.close();
  }
});

test('segments: only the owner or an admin is offered delete', T, async () => {
  const admin = await session(ADMIN, ADMIN_PASSWORD);
  const name = `Beheerderssegment ${Date.now()}`;
  const seg = await admin.page.evaluate(async (n) => {
    const m = await import('/js/api.js');
    return m.api.post('/segments', { name: n, query: 'role:supplier', shared: true });
  }, name);
  await go(admin.page, `/parties?segment=${seg.id}`);
  await admin.page.waitForSelector('#party-table tbody td.c-name a');
  assert.equal(await present(admin.page, '#delete-segment'), true, 'admin: delete');
  await admin.context.close();
  const { context, page } = await session('hr-assistent', DEMO_PASSWORD);
  try {
    await go(page, `/parties?segment=${seg.id}`);
    await page.waitForSelector('#party-table tbody td.c-name a');
    assert.equal(await present(page, '#delete-segment'), false, 'someone else\'s segment: no delete');
    // her own segment she may delete
    await go(page, '/parties?q=role:partner');
    await page.waitForSelector('#party-table tbody td.c-name a');
    await page.click('#save-segment');
    await page.fill('#seg-name', `Mijn partners ${Date.now()}`);
    await page.click('#segment-form button[type=submit]');
    await page.waitForURL(/segment=\d+/);
    await page.waitForSelector('#delete-segment');
    await page.click('#delete-segment');
    await page.click('#delete-segment-form button[type=submit]');
    await page.waitForURL(/\/parties$/);
  } finally {
    await context.close();
  }
});

test('the salary input only with full hr access (hr=write sees the rest of the employee role)', T, async () => {
  // an hr=write user, made by the admin through the app's own API client
  const admin = await session(ADMIN, ADMIN_PASSWORD);
  const name = `hr-schrijf-${Date.now()}`;
  const pw = 'een-lang-wachtwoord-2026';
  await admin.page.evaluate(async ([n, p]) => {
    const m = await import('/js/api.js');
    await m.api.post('/users', { name: n, password: p, access: { hr: 'write' } });
  }, [name, pw]);
  await admin.context.close();
  for (const [user, password, salary] of [['hr', DEMO_PASSWORD, true], [name, pw, false]]) {
    const { context, page } = await session(user, password);
    try {
      await openParty(page, parties.employee);
      assert.equal(await present(page, '#edit-party'), true, `${user}: edit`);
      await page.locator('.role[data-role-type=employee] .role-actions button').first().click();
      await page.waitForSelector('#role-form [data-field="attributes.job_title"]');
      assert.equal(await present(page, '#role-form [data-field="attributes.salary"]'), salary, `${user}: salary input`);
      await page.click('dialog .dialog-head button');
    } finally {
      await context.close();
    }
  }
});

test('English: the same controls and the no-access page in English', T, async () => {
  const { context, page } = await session('verkoop', DEMO_PASSWORD, 'en-GB');
  try {
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await openParty(page, parties.customer);
    assert.equal(await page.textContent('#edit-party'), 'Edit');
    assert.equal(await page.textContent('#archive-party'), 'Archive');
    assert.equal(await page.textContent('#record-consent'), 'Record consent');
    assert.deepEqual(await page.locator('#qa-domain option').allTextContents(), ['Sales']);
    await page.click('#record-consent');
    await page.waitForSelector('#consent-form');
    assert.deepEqual(await page.locator('#consent-purpose option').allTextContents(),
      ['Newsletter', 'Marketing e-mail', 'Phone marketing', 'Applicant pool (kept a year)']);
    await page.click('dialog .dialog-head button');
    await go(page, '/admin/users');
    await page.waitForSelector('#no-access h1:text-is("No access")');
    assert.match(await page.textContent('#no-access'), /Ask an administrator/);
    await page.click('#lang-switch');
    await page.waitForSelector('#no-access h1:text-is("Geen toegang")');
    await go(page, `/parties/${parties.customer}`);
    await page.waitForSelector('#record-consent:text-is("Toestemming vastleggen")');
    assert.equal(await page.textContent('#archive-party'), 'Archiveren');
  } finally {
    await context.close();
  }
});

test('consent and archive work for the user who is offered them', T, async () => {
  const { context, page } = await session('verkoop', DEMO_PASSWORD);
  try {
    await openParty(page, parties.customer);
    await page.click('#record-consent');
    await page.selectOption('#consent-purpose', 'newsletter');
    await page.fill('#consent-source', 'webformulier');
    await page.click('#consent-form button[type=submit]');
    await page.locator('.toast', { hasText: 'Toestemming vastgelegd' }).waitFor();
    const events = await page.evaluate(async (id) => {
      const m = await import('/js/api.js');
      return (await m.api.get(`/parties/${id}/consents`)).items.map((e) => [e.purpose, e.granted, e.source]);
    }, parties.customer);
    assert.ok(events.some(([p, g, s]) => p === 'newsletter' && g === true && s === 'webformulier'), JSON.stringify(events));
    // a party of her own without roles (so no other list changes): she may archive it
    await go(page, '/parties');
    await page.click('#new-party');
    const family = `Archieftest${Date.now()}`;
    await page.fill('#np-family_name', family);
    await page.click('#new-party-form button[type=submit]');
    await page.waitForSelector(`h1:text-is("${family}")`);
    await page.click('#archive-party');
    await page.waitForSelector('.head-meta .chip-warn');
    assert.equal(await present(page, '#archive-party'), false, 'no archive button on an archived party');
  } finally {
    await context.close();
  }
});

test('no console errors, uncaught exceptions or HTTP errors', () => {
  assertClean();
});
