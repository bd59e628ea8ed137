// The xrm web app: shell (header with search, navigation, language switch
// and logout), the client-side router and the login screen. Screens live in
// views/*.js and are loaded on first use.

import { h, clear, fill } from './dom.js';
import { t, initI18n, setLang, getLang, otherLang } from './i18n.js';
import { getSession, login, logout, restore, hasEndpoint } from './api.js';
import { searchBox } from './search.js';
import { field, formError, showErrors, busy, errorText } from './forms.js';
import { canAdmin, canSeePipeline, canSeeCases, canImport, canSeeDuplicates } from './access.js';
// tickets and agreements
import { canSeeAgreements } from './access.js';
import { canSeeAbsence } from './access.js'; // HR absence
// partners: the commission statement and tier proposals
import { canSeeCommissions } from './access.js';
// suppliers and public relations: projects and press releases
import { canSeePR } from './access.js';
import { canSeePurchaseInvoices } from './access.js'; // purchase invoices
// feel: keyboard shortcuts and their help ('?'), the service worker
import { initKeys, clearNewAction } from './keys.js';
// HR, the organisation: the org chart and the departments
import { canSeeOrg } from './access.js';
// HR: recruitment and on- and offboarding checklists
import { canSeeRecruitment, canSeeChecklists } from './access.js';
// quotes and invoices: quotes, invoices and debtors for readers of sales
import { canSeeBilling } from './access.js';
// e-mail: campaigns and the review list of mail from unknown senders
import { canSeeCampaigns, canSeeMailReview } from './access.js';

const routes = [
  { re: /^\/$/, view: 'dashboard', nav: 'dashboard' },
  { re: /^\/parties$/, view: 'parties', nav: 'parties' },
  { re: /^\/parties\/(\d+)$/, view: 'party', nav: 'parties' },
  { re: /^\/tasks$/, view: 'tasks', nav: 'tasks' },
  { re: /^\/pipeline$/, view: 'pipeline', nav: 'pipeline', allow: canSeePipeline },
  { re: /^\/cases$/, view: 'cases', nav: 'cases', allow: canSeeCases },
  // tickets and agreements: the ticket page, the agreements list
  { re: /^\/cases\/(\d+)$/, view: 'case', nav: 'cases', allow: canSeeCases },
  { re: /^\/agreements$/, view: 'agreements', nav: 'agreements', allow: canSeeAgreements },
  // data in and out: the import wizard, the duplicates list and the merge screen
  { re: /^\/import$/, view: 'import', nav: 'import', allow: canImport },
  { re: /^\/duplicates$/, view: 'duplicates', nav: 'duplicates', allow: canSeeDuplicates },
  { re: /^\/merge$/, view: 'merge', nav: 'duplicates', allow: canSeeDuplicates },
  // deals: the deal page and the forecast
  { re: /^\/deals\/(\d+)$/, view: 'deal', nav: 'pipeline', allow: canSeePipeline },
  { re: /^\/forecast$/, view: 'forecast', nav: 'forecast', allow: canSeePipeline },
  // partners: the commission statement and tier proposals
  { re: /^\/commissions$/, view: 'commissions', nav: 'commissions', allow: canSeeCommissions },
  // administration (tabs in views/admin.js and admin-*.js) and every user's own settings
  { re: /^\/admin(?:\/(users|role-types|rules|relationship-types|pipelines|automations|retention|audit|poortwachter))?$/, view: 'admin', nav: 'admin', allow: canAdmin },
  { re: /^\/settings$/, view: 'settings', nav: 'settings' },
  // HR, the organisation: the org chart and the departments
  { re: /^\/org-chart$/, view: 'org-chart', nav: 'org', allow: canSeeOrg },
  { re: /^\/departments$/, view: 'departments', nav: 'org', allow: canSeeOrg },
  // HR absence: who is away, leave requests, sick reports, sickness %
  { re: /^\/absence$/, view: 'absence', nav: 'absence', allow: canSeeAbsence },
  // HR: recruitment (vacancies, applicants), on- and offboarding checklists, their templates in admin
  { re: /^\/recruitment$/, view: 'recruitment', nav: 'recruitment', allow: canSeeRecruitment },
  { re: /^\/checklists$/, view: 'checklists', nav: 'recruitment', allow: canSeeChecklists },
  { re: /^\/admin\/(checklists)$/, view: 'admin', nav: 'admin', allow: canAdmin },
  // background jobs: the admin tab of what the server runs daily and monthly
  { re: /^\/admin\/(jobs)$/, view: 'admin', nav: 'admin', allow: canAdmin },
  // public relations: projects with their stakeholder grid, press releases and letters
  { re: /^\/projects$/, view: 'projects', nav: 'projects', allow: canSeePR },
  { re: /^\/projects\/(\d+)$/, view: 'project', nav: 'projects', allow: canSeePR },
  { re: /^\/press$/, view: 'press', nav: 'press', allow: canSeePR },
  // quotes and invoices: lists, one document (new or existing), debtors, the company details in admin
  { re: /^\/quotes$/, view: 'quotes', nav: 'quotes', allow: canSeeBilling },
  { re: /^\/quotes\/(new|\d+)$/, view: 'quote', nav: 'quotes', allow: canSeeBilling },
  { re: /^\/invoices$/, view: 'invoices', nav: 'invoices', allow: canSeeBilling },
  { re: /^\/invoices\/(new|\d+)$/, view: 'invoice', nav: 'invoices', allow: canSeeBilling },
  { re: /^\/debtors$/, view: 'debtors', nav: 'debtors', allow: canSeeBilling },
  { re: /^\/admin\/(company)$/, view: 'admin', nav: 'admin', allow: canAdmin },
  // purchase invoices: the list with the upload, one invoice
  { re: /^\/purchase-invoices(?:\/(\d+))?$/, view: 'purchase-invoices', nav: 'purchase-invoices', allow: canSeePurchaseInvoices },
  // e-mail: campaigns (list, wizard, report), the review list, the admin tabs (templates, mailboxes, outbox)
  { re: /^\/campaigns$/, view: 'campaigns', nav: 'campaigns', allow: canSeeCampaigns },
  { re: /^\/campaigns\/(new|\d+)$/, view: 'campaign-wizard', nav: 'campaigns', allow: canSeeCampaigns },
  { re: /^\/mail-review$/, view: 'mail-review', nav: 'mail-review', allow: canSeeMailReview },
  { re: /^\/admin\/(mail-templates|mailboxes|outbox)$/, view: 'admin', nav: 'admin', allow: canAdmin },
  // sync and webhooks: the webhooks admin tab, every user's "phone and calendar" page (CardDAV/CalDAV)
  { re: /^\/admin\/(webhooks)$/, view: 'admin', nav: 'admin', allow: canAdmin },
  { re: /^\/sync$/, view: 'sync', nav: 'sync' },
  // operations: the admin tab of the server's health, queues and backups
  { re: /^\/admin\/(system)$/, view: 'admin', nav: 'admin', allow: canAdmin },
];

let renderSeq = 0;
let shell = null;
let optional = { pipeline: false, cases: false, imports: false, duplicates: false };

export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  render();
}

function setTitle(title) {
  document.title = title ? `${title} \u2013 xrm` : 'xrm';
}

function buildShell() {
  const navItems = [
    ['dashboard', '/', t('nav.dashboard')],
    ['parties', '/parties', t('nav.parties')],
    ['tasks', '/tasks', t('nav.tasks')],
    optional.pipeline && canSeePipeline() && ['pipeline', '/pipeline', t('nav.pipeline')],
    // deals: the forecast, for users who may read sales
    optional.pipeline && canSeePipeline() && ['forecast', '/forecast', t('nav.forecast')],
    optional.cases && canSeeCases() && ['cases', '/cases', t('nav.cases')],
    // tickets and agreements
    optional.cases && canSeeAgreements() && ['agreements', '/agreements', t('nav.agreements')],
    // partners: the commission statement and tier proposals
    canSeeCommissions() && ['commissions', '/commissions', t('nav.commissions')],
    optional.imports && canImport() && ['import', '/import', t('nav.import')],
    optional.duplicates && canSeeDuplicates() && ['duplicates', '/duplicates', t('nav.duplicates')],
    canSeeOrg() && ['org', '/org-chart', t('nav.org')], // HR, the organisation
    optional.absence && canSeeAbsence() && ['absence', '/absence', t('nav.absence')], // HR absence
    // HR: recruitment (its screen links to the on- and offboarding checklists), for users who may read hr
    optional.hr && canSeeRecruitment() && ['recruitment', '/recruitment', t('vacancy.nav')],
    // public relations: projects and press releases
    canSeePR() && ['projects', '/projects', t('nav.projects')],
    canSeePR() && ['press', '/press', t('nav.press')],
    // quotes and invoices, for users who may read sales
    optional.billing && canSeeBilling() && ['quotes', '/quotes', t('nav.quotes')],
    optional.billing && canSeeBilling() && ['invoices', '/invoices', t('nav.invoices')],
    optional.debtors && canSeeBilling() && ['debtors', '/debtors', t('nav.debtors')],
    canSeePurchaseInvoices() && ['purchase-invoices', '/purchase-invoices', t('purchase.nav')], // purchase invoices
    // e-mail: campaigns, and the review list of mail from unknown senders
    optional.campaigns && canSeeCampaigns() && ['campaigns', '/campaigns', t('campaign.nav')],
    optional.mailReview && canSeeMailReview() && ['mail-review', '/mail-review', t('mailbox.review_nav')],
    canAdmin() && ['admin', '/admin', t('nav.admin')],
    optional.dav && ['sync', '/sync', t('sync.nav')], // sync: phone and calendar, in the user's part of the menu
    ['settings', '/settings', t('settings.title')], // settings: in the menu where the header hides the user's name
  ].filter(Boolean);
  const nav = h('nav', { id: 'nav', class: 'nav', 'aria-label': t('nav.label') },
    h('ul', navItems.map(([key, href, text]) => (key === 'settings'
      ? h('li', { class: 'nav-settings' }, h('a', { href, id: 'nav-settings' }, text)) // not a data-nav menu entry: the header's name links there too
      : key === 'sync' ? h('li', { class: 'nav-settings' }, h('a', { href, id: 'nav-sync', 'data-user-nav': key }, text)) // sync: the user's own, next to settings (which links it too)
      : h('li', h('a', { href, 'data-nav': key }, text))))));
  const menu = h('button', {
    type: 'button',
    class: 'menu-btn',
    'aria-expanded': 'false',
    'aria-controls': 'nav',
    'aria-label': t('nav.menu'),
    onclick: () => {
      const openNow = menu.getAttribute('aria-expanded') !== 'true';
      menu.setAttribute('aria-expanded', String(openNow));
      nav.classList.toggle('open', openNow);
    },
  }, h('span', { class: 'menu-icon', 'aria-hidden': 'true' }));
  const search = searchBox(navigate);
  const user = getSession()?.user?.name || '';
  const langBtn = h('button', {
    type: 'button',
    class: 'lang-btn',
    id: 'lang-switch',
    lang: otherLang(),
    'aria-label': `${otherLang().toUpperCase()} \u2013 ${t('lang.switch')}`,
    onclick: async () => {
      await setLang(otherLang());
      shell = null;
      render();
    },
  }, otherLang().toUpperCase());
  const logoutBtn = h('button', {
    type: 'button',
    class: 'link-btn',
    id: 'logout',
    onclick: async () => {
      await logout();
      shell = null;
      navigate('/login');
    },
  }, t('auth.logout'));
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '/', 'aria-label': t('nav.home') }, 'xrm'),
    search,
    menu,
    nav,
    // the user's name opens their settings (language, calendar feed, API tokens)
    h('div', { class: 'tools' }, h('a', { class: 'user', href: '/settings', id: 'settings-link', title: t('settings.open') }, user), langBtn, logoutBtn));
  return { header, nav, search, menu };
}

function loginView(main) {
  setTitle(t('auth.title'));
  const user = field({ name: 'user', label: t('auth.user'), required: true, autocomplete: 'username', attrs: { autocapitalize: 'none' } });
  const pw = field({ name: 'password', label: t('auth.password'), type: 'password', required: true, autocomplete: 'current-password' });
  user.input.setAttribute('autocomplete', 'username');
  pw.input.setAttribute('autocomplete', 'current-password');
  const err = formError();
  const form = h('form', { class: 'card login-card', novalidate: true, 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('auth.title')),
    h('p', { class: 'muted' }, t('auth.intro')),
    err, user, pw,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('auth.login'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!user.input.value || !pw.input.value) {
      showErrors(form, { errors: [!user.input.value && { field: 'user', message: t('error.required') }, !pw.input.value && { field: 'password', message: t('error.required') }].filter(Boolean) });
      return;
    }
    await busy(form, async () => {
      try {
        await login(user.input.value.trim(), pw.input.value);
      } catch (ex) {
        showErrors(form, ex.status === 401 ? { errors: [], message: t('auth.failed') } : { errors: ex.errors || [], message: errorText(ex) });
        pw.input.value = '';
        return;
      }
      shell = null;
      const back = sessionStorage.getItem('xrm.after-login') || '/';
      sessionStorage.removeItem('xrm.after-login');
      navigate(back, { replace: true });
    });
  });
  const switcher = h('button', {
    type: 'button', class: 'link-btn', id: 'lang-switch', lang: otherLang(),
    onclick: async () => { await setLang(otherLang()); render(); },
  }, t('lang.other'));
  fill(main, h('div', { class: 'login-wrap' }, h('div', { class: 'login-brand' }, 'xrm'), form, switcher));
  user.input.focus();
}

async function render() {
  const seq = ++renderSeq;
  for (const d of document.querySelectorAll('dialog')) d.close();
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
  const path = location.pathname;
  const app = document.getElementById('app');
  const main = document.getElementById('main');
  // quotes and invoices: the customer's accept page (/accept/<token>) needs no session and shows no menu
  if (/^\/accept\/[^/]+$/.test(path)) return publicPage(main, app, seq, 'accept', path.split('/')[2]);
  // e-mail: a campaign's unsubscribe page (/unsubscribe/<token>) is public as well
  if (/^\/unsubscribe\/[^/]+$/.test(path)) return publicPage(main, app, seq, 'unsubscribe', path.split('/')[2]);
  if (!getSession()) {
    if (path !== '/login') sessionStorage.setItem('xrm.after-login', path + location.search);
    if (path !== '/login') history.replaceState(null, '', '/login');
    shell?.header.remove();
    shell = null;
    app.classList.add('logged-out');
    loginView(main);
    return;
  }
  if (path === '/login') {
    history.replaceState(null, '', '/');
    return render();
  }
  app.classList.remove('logged-out');
  if (!shell) {
    const [p, c, im, du] = await Promise.all([hasEndpoint('GET', '/pipelines'), hasEndpoint('GET', '/cases'),
      hasEndpoint('POST', '/imports'), hasEndpoint('GET', '/duplicates')]);
    optional = { pipeline: p, cases: c, imports: im, duplicates: du };
    optional.absence = await hasEndpoint('GET', '/absence/overview'); // HR absence
    optional.hr = await hasEndpoint('GET', '/vacancies'); // HR: recruitment and checklists
    // quotes and invoices: their menu entries once the server has them
    [optional.billing, optional.debtors] = await Promise.all([hasEndpoint('GET', '/invoices'), hasEndpoint('GET', '/debtors')]);
    // e-mail: campaigns and the review list once the server has them
    [optional.campaigns, optional.mailReview] = await Promise.all([hasEndpoint('GET', '/campaigns'), hasEndpoint('GET', '/mail-review')]);
    optional.dav = await hasEndpoint('GET', '/dav'); // sync: the phone and calendar page once the server has it
    if (seq !== renderSeq) return;
    document.querySelector('header.topbar')?.remove();
    shell = buildShell();
    app.prepend(shell.header);
  }
  shell.nav.classList.remove('open');
  shell.menu.setAttribute('aria-expanded', 'false');
  shell.search.close();
  const route = routes.find((r) => r.re.test(path));
  for (const a of shell.nav.querySelectorAll('a')) {
    if (route && (a.dataset.nav || a.dataset.userNav) === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const query = new URLSearchParams(location.search);
  shell.search.setQuery(route?.view === 'parties' ? query.get('q') || '' : '');
  clear(main);
  if (!route) {
    setTitle(t('error.notfound'));
    main.append(h('h1', t('error.notfound')), h('p', h('a', { href: '/' }, t('nav.home'))));
    return;
  }
  if (route.allow && !route.allow()) {
    // typed or bookmarked: say so plainly instead of showing controls that would fail
    setTitle(t('access.denied_title'));
    main.append(h('section', { class: 'card no-access', id: 'no-access', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title' }, t('access.denied_title')),
      h('p', t('access.denied_text')),
      h('p', h('a', { href: '/' }, t('nav.home')))));
    return;
  }
  clearNewAction(); // feel: the view registers its own 'n' again
  const params = route.re.exec(path).slice(1);
  const ctx = { params, query, alive: () => seq === renderSeq, setTitle, navigate, rerender: render };
  try {
    const mod = await import(`./views/${route.view}.js`);
    if (seq !== renderSeq) return;
    await mod.render(main, ctx);
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e.status === 401) return;
    fill(main, h('p', { class: 'error-box', role: 'alert' }, errorText(e)));
  }
  if (seq === renderSeq && document.activeElement === document.body) {
    // keep focus where the user is; otherwise a fresh page starts at its heading
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
}

// quotes and invoices: a page for people without an account (views/accept.js), without header or menu.
async function publicPage(main, app, seq, view, param) {
  document.querySelector('header.topbar')?.remove();
  shell = null;
  app.classList.add('logged-out');
  clear(main);
  try {
    const mod = await import(`./views/${view}.js`);
    if (seq !== renderSeq) return;
    await mod.render(main, { params: [decodeURIComponent(param)], alive: () => seq === renderSeq, setTitle, rerender: render });
  } catch (e) {
    if (seq === renderSeq) fill(main, h('p', { class: 'error-box', role: 'alert' }, errorText(e)));
  }
}

function onClick(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
  e.preventDefault();
  navigate(href);
}

async function start() {
  await initI18n();
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', render);
  window.addEventListener('xrm:unauthorized', () => {
    shell = null;
    render();
  });
  initKeys(navigate); // feel
  await restore();
  await render();
  document.documentElement.dataset.ready = '1';
  registerWorker(); // feel
}

// feel: the service worker keeps the shell for offline use and shows
// offline.html when the network is down (API answers are never cached).
function registerWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    /* no worker: the app works as before, only not offline */
  });
}

export function currentLang() {
  return getLang();
}

start();
