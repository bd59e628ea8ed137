/*
 * What deals, cases and agreements (the "records" of a party) share:
 * currency codes, user references, the links between records and the
 * activities about them, id-ordered list pages, and the summary a party
 * response carries (counts, lifetime revenue, latest items).
 *
 * Ownership as elsewhere: *out values are new references, inputs borrowed.
 */
#ifndef XRM_DOMAIN_RECORDS_H
#define XRM_DOMAIN_RECORDS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/query.h"

struct xrm_sql;

#define XRM_CURRENCY_DEFAULT "EUR"
#define XRM_RECORDS_EXPIRING_DAYS 60 /* an active agreement ending this soon is expiring */

/* True when code is an active ISO 4217 currency code ("EUR", "USD", ...). */
bool xrm_currency_valid(const char *code);

/*
 * Reads an optional currency field into *out (default XRM_CURRENCY_DEFAULT
 * when absent); a field error names prefix + key otherwise.
 */
void xrm_records_currency(json_t *in, const char *key, const char **out, struct xrm_err *err);

/*
 * Optional user reference `key` of in: an active user's id. Sets *id (0 when
 * absent or null). Unknown users are a field error (XRM_E_INVALID); returns
 * non-OK only for a database failure.
 */
enum xrm_rc xrm_records_user(struct xrm_db *db, json_t *in, const char *key, int64_t *id,
                             struct xrm_err *err);

/* Party reference `key` (required): an existing party; a field error otherwise. */
enum xrm_rc xrm_records_party(struct xrm_db *db, json_t *in, const char *key, int64_t *id,
                              struct xrm_err *err);

/* The id of the first active administrator (fallback assignee), 0 when none. */
enum xrm_rc xrm_records_first_admin(struct xrm_db *db, int64_t *id, struct xrm_err *err);

/* A user's display name (or login name) into out; "" when unknown. */
enum xrm_rc xrm_records_user_name(struct xrm_db *db, int64_t id, char *out, size_t n,
                                  struct xrm_err *err);

/*
 * Links activity_id to record (entity "deal" | "case" | "agreement", id);
 * kind says why ("message", "note", "source", "task", "link").
 */
enum xrm_rc xrm_records_link(struct xrm_db *db, int64_t activity_id, const char *entity,
                             int64_t entity_id, const char *kind, struct xrm_err *err);

/*
 * The activities linked to a record, newest first, as {"items": [activity
 * + "link": kind]}; at most limit.
 */
enum xrm_rc xrm_records_activities(struct xrm_ctx *ctx, const char *entity, int64_t entity_id,
                                   int limit, json_t **out, struct xrm_err *err);

/*
 * Adds "records" to every party of a page on its way out (party.c; items
 * are party objects whose ids b holds): lifetime revenue of its won deals,
 * counts of open deals, open cases and active agreements, and (full) the
 * latest few of each. The counts cost three statements per page.
 */
struct xrm_batch;
enum xrm_rc xrm_records_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                      bool full, struct xrm_err *err);

/*
 * Paging of lists ordered by id, newest first: the cursor is [last id].
 * xrm_records_cursor reads it (0 for none; a field error "cursor" when it
 * is not one); xrm_records_page turns up to limit + 1 items into
 * {"items", "next"} (steals items).
 */
bool xrm_records_cursor(const char *cursor, int64_t *id, struct xrm_err *err);
json_t *xrm_records_page(json_t *items, int limit);
int xrm_records_limit(int limit);

/*
 * The record terms of the query language as a condition on party alias p, for
 * the term translation of query-db.c (domain/query.h parses them):
 *   deal:open | deal:won | deal:lost  the party has such a deal
 *   case:open | case:closed           a (sales) case new, open or waiting;
 *                                     one resolved or closed
 *   case:breached                     an open (sales) case past its SLA
 *   agreement:active | :expiring      a (sales) agreement in force today;
 *                                     one ending within XRM_RECORDS_EXPIRING_DAYS
 *   revenue>100000 (any comparison)   lifetime revenue of won EUR deals, in
 *                                     whole cents (as records.lifetime_revenue)
 * name is "deal", "case", "agreement" or "revenue"; op and value as the
 * parser gives them. Appends the condition (no leading AND) and its
 * parameters to out. Errors: field "q", XRM_E_INVALID for a value outside
 * the set.
 */
enum xrm_rc xrm_records_query_term(const char *name, enum xrm_qop op, const char *value,
                                   struct xrm_sql *out, struct xrm_err *err);

/* Checks an If-Match version against a record's "version". */
enum xrm_rc xrm_records_check_version(json_t *row, int64_t if_version, struct xrm_err *err);

/* A copy of s without leading and trailing white space (new reference). */
json_t *xrm_records_trimmed(const char *s);

#endif
