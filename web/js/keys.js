// Keyboard shortcuts of the whole app, and their help on '?':
//   /        focus the search box
//   n        the current screen's "new" (a view registers it with setNewAction)
//   g d      dashboard      g p  parties      g t  tasks
//   g c      tickets        g l  pipeline     (when the menu offers them)
//   ?        this help, with the query language in English and Dutch words
//   Escape   closes the open dialog or menu
// Never while typing in an input, a text area, a select or editable text,
// and none but Escape while a dialog is open.

import { h } from './dom.js';
import { t } from './i18n.js';
import { openDialog } from './forms.js';

const GO = { d: ['dashboard', '/'], p: ['parties', '/parties'], t: ['tasks', '/tasks'], c: ['cases', '/cases'], l: ['pipeline', '/pipeline'] };
const G_WAIT_MS = 1500;

let newAction = null;
let gPressed = 0;
let navigateFn = null;

// A view offers its "new" action to the 'n' key; app.js clears it on every render.
export function setNewAction(fn) {
  newAction = typeof fn === 'function' ? fn : null;
}

export function clearNewAction() {
  newAction = null;
}

function typing(el) {
  if (!el || !(el instanceof Element)) return false;
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
}

function openDialogs() {
  return [...document.querySelectorAll('dialog[open]')];
}

function closeMenus() {
  let closed = false;
  const menu = document.querySelector('.menu-btn[aria-expanded="true"]');
  if (menu) {
    menu.click();
    menu.focus();
    closed = true;
  }
  for (const d of document.querySelectorAll('details.menu-pop[open]')) {
    d.open = false;
    d.querySelector('summary')?.focus();
    closed = true;
  }
  return closed;
}

function kbd(...keys) {
  const out = [];
  keys.forEach((k, i) => {
    if (i) out.push(' ');
    out.push(h('kbd', k));
  });
  return out;
}

// [English example, Dutch example, key of the explanation]: the server knows both words
const TERMS = [
  ['role:customer', 'rol:klant', 'keys.q.role'],
  ['-role:supplier', '-rol:leverancier', 'keys.q.not'],
  ['tag:vip', 'label:vip', 'keys.q.tag'],
  ['city:Utrecht', 'plaats:Utrecht  stad:Utrecht', 'keys.q.city'],
  ['kind:person', 'soort:persoon', 'keys.q.kind'],
  ['priority:high', 'prioriteit:hoog', 'keys.q.priority'],
  ['health:at_risk', 'gezondheid:risico', 'keys.q.health'],
  ['has:email', 'heeft:telefoon', 'keys.q.has'],
  ['may:email', 'mag:bellen', 'keys.q.may'],
  ['idle:90d', 'stil:90d', 'keys.q.idle'],
  ['deal:won', 'deal:gewonnen', 'keys.q.deal'],
  ['case:open', 'zaak:verlopen  ticket:open', 'keys.q.case'],
  ['agreement:expiring', 'contract:aflopend  overeenkomst:actief', 'keys.q.agreement'],
  ['revenue>100000', 'omzet>100000', 'keys.q.revenue'],
  ['"de vries"', '"de vries"', 'keys.q.phrase'],
];

export function openHelp() {
  const shortcuts = [
    [kbd('/'), t('keys.search')],
    [kbd('n'), t('keys.new')],
    [kbd('g', 'd'), t('nav.dashboard')],
    [kbd('g', 'p'), t('nav.parties')],
    [kbd('g', 't'), t('nav.tasks')],
    [kbd('g', 'c'), t('nav.cases')],
    [kbd('g', 'l'), t('nav.pipeline')],
    [kbd('?'), t('keys.help')],
    [kbd('Esc'), t('keys.escape')],
  ];
  const body = h('div', { class: 'keys-help', id: 'keys-help' },
    h('p', { class: 'muted' }, t('keys.intro')),
    h('table', { class: 'keys-table' },
      h('caption', t('keys.shortcuts')),
      h('thead', h('tr', h('th', { scope: 'col' }, t('keys.key')), h('th', { scope: 'col' }, t('keys.does')))),
      h('tbody', shortcuts.map(([k, text]) => h('tr', h('td', k), h('td', text))))),
    h('table', { class: 'keys-table keys-query' },
      h('caption', t('keys.query')),
      h('thead', h('tr',
        h('th', { scope: 'col' }, t('keys.english')),
        h('th', { scope: 'col' }, t('keys.dutch')),
        h('th', { scope: 'col' }, t('keys.means')))),
      h('tbody', TERMS.map(([en, nl, key]) => h('tr',
        h('td', h('code', { lang: 'en' }, en)),
        h('td', nl.split('  ').map((w, i) => [i ? ' ' : '', h('code', { lang: 'nl' }, w)])),
        h('td', t(key)))))),
    h('p', { class: 'muted' }, t('keys.q.combine')));
  return openDialog(t('keys.title'), body, { wide: true });
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (e.key === 'Escape') {
    const dlgs = openDialogs();
    if (dlgs.length) {
      // modal dialogs close by themselves; a dialog opened without showModal() does not
      const last = dlgs[dlgs.length - 1];
      if (!last.matches(':modal')) {
        e.preventDefault();
        last.close();
      }
      return;
    }
    if (closeMenus()) e.preventDefault();
    return;
  }
  if (typing(e.target) || openDialogs().length) return;
  if (!document.querySelector('header.topbar')) return; // signed out: the login form only
  const key = e.key;
  if (gPressed && Date.now() - gPressed < G_WAIT_MS && GO[key.toLowerCase()]) {
    gPressed = 0;
    const [nav, href] = GO[key.toLowerCase()];
    // only where the menu goes: a screen the user may not use is no shortcut
    if (!document.querySelector(`nav a[data-nav="${nav}"]`)) return;
    e.preventDefault();
    navigateFn(href);
    return;
  }
  gPressed = 0;
  if (key === 'g' || key === 'G') {
    gPressed = Date.now();
    return;
  }
  if (key === '/') {
    const search = document.getElementById('search');
    if (search) {
      e.preventDefault();
      search.focus();
      search.select();
    }
    return;
  }
  if (key === '?') {
    e.preventDefault();
    openHelp();
    return;
  }
  if ((key === 'n' || key === 'N') && newAction) {
    e.preventDefault();
    newAction();
  }
}

// Installs the shortcuts once; navigate(href) is the app's router.
export function initKeys(navigate) {
  navigateFn = navigate;
  document.addEventListener('keydown', onKey);
}
