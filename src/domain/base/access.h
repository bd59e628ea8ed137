/*
 * Per-domain access: the one place that decides what a user may see and
 * change. A user has, per domain (sales, hr, partners, purchasing, pr), the
 * level none, read, write or full (full = also sensitive attributes such as
 * salary); administrators and the system (a NULL user or user id 0) have
 * full everywhere.
 *
 * Everyone sees every party and which roles it holds (so nobody pitches a
 * sale to a colleague). A role's attributes, the activities and the records
 * of a domain need read access to it; sensitive attributes need full.
 * Writes need write access to the domain of the record (403), and writing
 * a sensitive attribute needs full. What may not be seen is absent: the
 * filters here run where data leaves the domain layer (role reads, the
 * party decoration, activity SQL, audit entries, search terms), and a
 * single read of a record the user may not see answers 404, as if it did
 * not exist.
 *
 * Filters change the JSON they are given in place; json arguments are
 * borrowed unless said otherwise.
 */
#ifndef XRM_DOMAIN_ACCESS_H
#define XRM_DOMAIN_ACCESS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

/* "none", "read", "write", "full". */
const char *xrm_level_name(enum xrm_level l);
bool xrm_level_parse(const char *s, enum xrm_level *out);

/* Index of domain in xrm_domains, or -1. */
int xrm_domain_index(const char *domain);

/* The level of u in domain; an unknown domain gives none (full for admins and the system). */
enum xrm_level xrm_access_level(const struct xrm_user *u, const char *domain);

/* True when u has full access everywhere (nothing to filter). */
bool xrm_access_all(const struct xrm_user *u);

/* True when u may write in at least one domain. */
bool xrm_access_writer(const struct xrm_user *u);

/*
 * The domains u may read, for SQL filters written as XRM_ACCESS_MATCH:
 * out[i] is xrm_domains[i] when readable, else NULL (bind NULL: it matches
 * nothing).
 */
void xrm_access_readable(const struct xrm_user *u, const char *out[XRM_NDOMAINS]);

/*
 * For SQL of other modules that lists records of a domain (activities,
 * cases, agreements): write XRM_ACCESS_MATCH("x.domain") and bind the
 * reader's domains from parameter `first` on; returns the next parameter.
 * Five equalities rather than "IN (?, ?, ?, ?, ?)": SQLite builds a
 * temporary table for an IN list of more than two parameters on every run
 * of the statement, which cost a 360° view a sixth of its instructions.
 */
#define XRM_ACCESS_MATCH(col)                                                                      \
    "(" col " = ? OR " col " = ? OR " col " = ? OR " col " = ? OR " col " = ?)"
int xrm_access_bind(struct xrm_stmt *s, int first, const struct xrm_user *u);
struct xrm_sql;
/*
 * Appends the five parameters of an XRM_ACCESS_MATCH below the
 * caller wrote: the domains u may read (NULL, matching nothing, for the others).
 */
void xrm_sql_readable(struct xrm_sql *q, const struct xrm_user *u);

/*
 * Press releases and letters under embargo: an activity whose `embargo`
 * (RFC 3339 UTC) is later than the business clock's now (core/clock.h) is
 * seen only by users who may write pr; from the embargo on, by every
 * reader of its domain. XRM_ACCESS_EMBARGO(a) is SQL on an activities row
 * aliased a with two parameters, now and whether u writes pr (1 / 0):
 * xrm_access_embargo_now gives both. xrm_access_embargoed: true when u may
 * not see the activity act (its API JSON) yet.
 */
#define XRM_ACCESS_EMBARGO(a) "(" a ".embargo IS NULL OR " a ".embargo <= ? OR ? = 1)"
int xrm_access_embargo_now(const struct xrm_user *u, char now[21]);
bool xrm_access_embargoed(const struct xrm_user *u, json_t *act);

/*
 * True when u may read every domain: values derived from records of all
 * domains (health, last contact, idle:) need no filter for u, nor do
 * recruitment roles. Admins, the system and users with at least read
 * access everywhere.
 */
bool xrm_access_reads_all(const struct xrm_user *u);

/*
 * Recruitment: a role with status `applicant` or `rejected` (an employee's
 * recruitment; any role type with those statuses) is visible only to users
 * with read access to its domain. To others the party simply does not hold
 * it: it is left out of role lists, a single read answers 404, and role:
 * and status: search terms do not match on it.
 *
 * xrm_access_role_hidden: true when u may not see role (its API JSON).
 * XRM_ACCESS_NOT_RECRUITMENT(r): SQL on a roles row aliased r, true when
 * its status is not a recruitment one; add it for a role type of a domain
 * the reader may not read.
 */
bool xrm_access_role_hidden(const struct xrm_user *u, json_t *role);
#define XRM_ACCESS_NOT_RECRUITMENT(r) "(" r ".status <> 'applicant' AND " r ".status <> 'rejected')"

/* {"sales": "write", ...} for every domain; new reference. */
json_t *xrm_access_json(const struct xrm_user *u);

/*
 * Read gate for one record of domain: XRM_E_NOTFOUND "no <what> <id>" when
 * u may not read it (the answer a missing record gets), else XRM_OK.
 */
enum xrm_rc xrm_access_read(const struct xrm_user *u, const char *domain, const char *what,
                            int64_t id, struct xrm_err *err);

/* Write gate: XRM_E_DENIED "no write access to domain 'hr'" unless u may write domain. */
enum xrm_rc xrm_access_write(const struct xrm_user *u, const char *domain, struct xrm_err *err);

/*
 * Activities. *act (an activity as activity.h gives it) is released and set
 * to NULL with XRM_E_NOTFOUND when u may not read its domain.
 * xrm_access_activity_write: `old` (the stored activity, may be NULL) must
 * be readable (404 otherwise) and writable (403); `new` (the validated
 * record, may be NULL) must be in a writable domain (403).
 */
enum xrm_rc xrm_access_activity_out(const struct xrm_user *u, json_t **act, struct xrm_err *err);
enum xrm_rc xrm_access_activity_write(const struct xrm_user *u, json_t *old, json_t *new,
                                      struct xrm_err *err);

/*
 * Roles. xrm_access_role_write: u must have write access to domain; when
 * type (the role type JSON) and in (the role input or patch) are given,
 * setting or clearing a sensitive attribute needs full access (403 with
 * the field prefix + "attributes.<name>").
 */
enum xrm_rc xrm_access_role_write(const struct xrm_user *u, const char *domain, json_t *type,
                                  json_t *in, const char *prefix, struct xrm_err *err);

/*
 * Strips from a role what ctx->user may not see: all attributes without
 * read access to its domain (the role gets "restricted": true), sensitive
 * attributes without full. Fails closed: when the role type cannot be read
 * every attribute is treated as sensitive.
 */
void xrm_access_filter_role(struct xrm_ctx *ctx, json_t *role);
void xrm_access_filter_roles(struct xrm_ctx *ctx, json_t *roles);

/*
 * Removes from roles (a party's "roles" array) the roles hidden from u
 * (xrm_access_role_hidden); true when it removed one. The party decoration
 * does this before contactability, and evaluates the treatment again for
 * a party that lost a role (domain/rules/rule.h), so that no badge, note
 * or suppression tells of it.
 */
bool xrm_access_drop_hidden_roles(const struct xrm_user *u, json_t *roles);

/*
 * The last step of a page of parties on its way out (party.c; items are
 * the party objects; a single party is a page of one), after every
 * decoration step: role attributes as above, and any embedded list of
 * records that carry a "domain" (activities, agreements, cases) loses the
 * items ctx->user may not read. Nothing to do for users who see all.
 */
void xrm_access_party_out_page(struct xrm_ctx *ctx, json_t *items);

/*
 * Search terms on role attributes (key "partner.tier"): true when u may
 * not use one, because it may not read the role type's domain or the
 * attribute is sensitive and u lacks full access there. A key of no known
 * type is not refused (the term matches nothing). domain/base/query-db.h
 * (xrm_query_check_access) refuses such terms.
 */
bool xrm_access_attr_refused(struct xrm_ctx *ctx, const char *key);

/*
 * An audit entry as the API shows it to ctx->user, filtered in place:
 * role before/after lose attributes as for role reads; false when the whole
 * entry must be left out (a record of a domain u may not read, a role u may
 * not see, someone else's private segment).
 */
bool xrm_access_filter_audit(struct xrm_ctx *ctx, json_t *entry);

/*
 * Party base data (names, contact points, identifiers, tags, custom).
 * roles is the party's every role as role.h gives them ("domain",
 * "active"), borrowed. Create needs write in at least one domain; change
 * needs write in at least one domain where the party holds a role (any
 * domain when it holds none); archive (and restore) needs write in every
 * domain where it holds an active role. XRM_E_DENIED otherwise.
 * xrm_access_party_can sets {"update": bool, "archive": bool} on party for
 * the web app, from the same rules.
 */
enum xrm_rc xrm_access_party_create(const struct xrm_user *u, struct xrm_err *err);
enum xrm_rc xrm_access_party_change(const struct xrm_user *u, json_t *roles, struct xrm_err *err);
enum xrm_rc xrm_access_party_archive(const struct xrm_user *u, json_t *roles, struct xrm_err *err);
void xrm_access_party_can(const struct xrm_user *u, json_t *party, json_t *roles);

/*
 * Segments (their API JSON; NULL allowed): the owner (and admins, the
 * system) may change one; everyone sees a shared one, only those a private
 * one. An audit entry without "shared" counts as shared.
 */
bool xrm_access_segment_owner(const struct xrm_user *u, json_t *seg);
bool xrm_access_segment_visible(const struct xrm_user *u, json_t *seg);

/* Administrators (and the system, user id 0 or NULL) only: XRM_E_DENIED "<what> needs an
 * administrator". */
enum xrm_rc xrm_access_admin(const struct xrm_user *u, const char *what, struct xrm_err *err);

/*
 * Writes that need write access in one of a list of domains (consent:
 * sales or pr; a common relationship type: any domain, domains NULL):
 * XRM_E_DENIED naming what was wanted.
 */
enum xrm_rc xrm_access_write_any(const struct xrm_user *u, const char *const *domains,
                                 const char *what, struct xrm_err *err);

#endif
