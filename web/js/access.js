// What the signed-in user may do, from the session's `admin` flag and
// `access` map ({sales: "write", hr: "read", ...}; a missing domain is
// "none"), following DESIGN.md "Domains and access". The screens ask these
// functions before they show an edit control, a menu entry or a domain to
// choose, so nobody is offered what the server would refuse. The server
// still checks every write; this only keeps the screens honest.

import { getSession } from './api.js';

export const DOMAINS = ['sales', 'hr', 'partners', 'purchasing', 'pr'];
const LEVELS = { none: 0, read: 1, write: 2, full: 3 };

function user() {
  return getSession()?.user || null;
}

export function isAdmin() {
  return !!user()?.admin;
}

// 0 none, 1 read, 2 write, 3 full.
export function level(domain) {
  if (isAdmin()) return LEVELS.full;
  const v = user()?.access?.[domain];
  return LEVELS[v] || 0;
}

export const canRead = (domain) => level(domain) >= LEVELS.read;
export const canWrite = (domain) => level(domain) >= LEVELS.write;
export const canFull = (domain) => level(domain) >= LEVELS.full;

export function writableDomains() {
  return DOMAINS.filter(canWrite);
}
export function readableDomains() {
  return DOMAINS.filter(canRead);
}
export const canWriteAny = () => writableDomains().length > 0;
export const canReadAny = () => readableDomains().length > 0;

// Party base data: create needs write somewhere; change and archive are
// decided by the server per party and viewer (party.can), missing = no.
export const canCreateParty = () => canWriteAny();
export const canUpdateParty = (p) => p?.can?.update === true;
export const canArchiveParty = (p) => p?.can?.archive === true && !p.archived;

// Roles: write in the role type's domain; a role type object or a domain name.
export function canWriteRole(typeOrDomain) {
  const d = typeof typeOrDomain === 'string' ? typeOrDomain : typeOrDomain?.domain;
  return !!d && canWrite(d);
}
// Sensitive attributes (salary) need full access to the domain.
export function canEditAttribute(domain, attr) {
  return attr?.sensitive ? canFull(domain) : canWrite(domain);
}

// Activities, deals, cases, agreements: write in their domain.
export function canWriteRecord(rec, fallback = 'sales') {
  return canWrite(rec?.domain || fallback);
}
export const canWriteDeals = () => canWrite('sales');

// Relationship types: a domain one needs write there; a common one (no
// domain) write in any domain.
export function canWriteRelType(rt) {
  return rt?.domain ? canWrite(rt.domain) : canWriteAny();
}

// Consent: write in sales or pr.
export const canRecordConsent = () => canWrite('sales') || canWrite('pr');

// Segments: only the owner or an admin changes or deletes one.
export function canEditSegment(s) {
  if (isAdmin()) return true;
  const me = user()?.id;
  const owner = s?.owner;
  return me !== undefined && me !== null && owner !== undefined && owner !== null && Number(owner) === Number(me);
}

// Menu entries and screens.
export const canSeePipeline = () => canRead('sales');
export const canSeeCases = () => canReadAny();
export const canAdmin = () => isAdmin();

// Data in and out. Import creates and changes parties: write access
// somewhere, like "new party". The duplicates list and the merge screen are
// for the same users (a merge changes parties). A merge needs the right to
// change the survivor and to archive the party merged away (the server also
// wants write in the domain of every record that moves).
export const canImport = () => canCreateParty();
export const canSeeDuplicates = () => canWriteAny();
export function canMergeInto(survivor, merged) {
  return !!survivor && !!merged && survivor.id !== merged.id && canUpdateParty(survivor) && canArchiveParty(merged);
}

// Party page (restore): an archived party comes back for those who may archive it.
export const canRestoreParty = (p) => p?.can?.archive === true && !!p.archived && !p.erased;

// Tickets and agreements: agreements live in every domain (customer
// contracts in sales, employment contracts in hr, ...), so the list is for
// whoever may read any domain; the server lists only readable ones.
export const canSeeAgreements = () => canReadAny();
// User administration (admin screens): only administrators manage users,
// and nobody disables their own account (the server refuses it too).
export const canManageUsers = () => isAdmin();
export function canDisableUser(u) {
  const me = user()?.id;
  return isAdmin() && !!u && me !== undefined && me !== null && Number(u.id) !== Number(me);
}

// HR, the organisation: the org chart and the departments for whoever may
// read HR (the server answers 403 to anyone else), changes for HR writers,
// salary lines of the employment history for HR with full access.
export const canSeeOrg = () => canRead('hr');
export const canEditOrg = () => canWrite('hr');
export const canSeeSalary = () => canFull('hr');
// HR absence: the absence screen for readers of hr (the server checks every
// write: approve, reject, recover and the sick note for full access).
export const canSeeAbsence = () => canRead('hr');
// HR recruitment and on- and offboarding: vacancies, applicants and checklists
// are for users who may read hr (applicants are hidden from everyone else);
// hr=write moves applicants, ticks checklist items and edits templates.
export const canSeeRecruitment = () => canRead('hr');
export const canSeeChecklists = () => canRead('hr');
// Partners: statements and the partner panel for readers of partners;
// approving a commission line (and back to open) and deciding tier
// proposals for partners writers; marking paid for partners full; a deal
// for a partner may be registered by sales writers and partners writers
// (the server requires the partner of the latter's deals).
export const canSeeCommissions = () => canRead('partners');
export const canApproveCommission = () => canWrite('partners');
export const canPayCommission = () => canFull('partners');
export const canDecideTiers = () => canWrite('partners');
export const canRegisterPartnerDeal = () => canWrite('sales') || canWrite('partners');
// Suppliers and public relations: the supplier scorecard for readers of
// purchasing (evaluating: write); projects, their grid and press releases
// for readers of pr (changing them: write).
export const canSeeScorecard = () => canRead('purchasing');
export const canSeePR = () => canRead('pr');
// Quotes and invoices: the quotes, invoices and debtors screens, the party
// page's billing panel and the revenue card for readers of sales; drafts,
// sending, accepting, issuing, payments, credit notes and reminders for
// sales writers (the server checks each again).
export const canSeeBilling = () => canRead('sales');
export const canWriteBilling = () => canWrite('sales');
// Purchase invoices: a supplier's UBL e-invoices for readers of purchasing
// (upload, status and linking the supplier: write).
export const canSeePurchaseInvoices = () => canRead('purchasing');
// E-mail: campaigns for users who may write a domain (the wizard offers only
// the domains they write; the server lists only readable campaigns and
// checks the domain on every write); the review list of mail from unknown
// senders for writers (the server lists the mailboxes of domains they write).
export const canSeeCampaigns = () => canWriteAny();
export const canWriteCampaign = (c) => canWrite(c?.domain || '');
export const canSeeMailReview = () => canWriteAny();
