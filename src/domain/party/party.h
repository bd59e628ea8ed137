/*
 * Parties: persons and organisations, one record per real-world party
 * whatever roles it holds. Input and output are jansson objects shaped as
 * the API's party (DESIGN.md, stable names); this module validates and
 * normalises input (names, contact points, KvK, BTW-id, IBAN, postcode,
 * tags, custom fields) and keeps the search index in step.
 *
 * Ownership: *out values are new references the caller releases with
 * json_decref. `in` and `patch` are borrowed.
 */
#ifndef XRM_DOMAIN_PARTY_H
#define XRM_DOMAIN_PARTY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/base/ctx.h"
#include "domain/party/party-ref.h" /* xrm_party_check, xrm_party_touch */

/*
 * Creates a party. `in` may carry "roles" (array of role inputs, as for
 * POST /parties/{id}/roles) created in the same transaction. Errors:
 * XRM_E_MALFORMED / XRM_E_INVALID with field errors.
 */
enum xrm_rc xrm_party_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err);

/* The party with its roles and relationships. XRM_E_NOTFOUND when absent. */
enum xrm_rc xrm_party_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Applies patch (fields replace, null clears) when if_version is 0 or equals
 * the stored version (else XRM_E_PRECONDITION). Archived parties can be
 * restored with {"archived": false}.
 */
enum xrm_rc xrm_party_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                             json_t **out, struct xrm_err *err);

/*
 * As xrm_party_update without a version check, inside the caller's write
 * transaction (import jobs updating the parties a file matches, merges):
 * checks access, validates, writes and audits as PATCH does (the caller may
 * batch the audit, domain/base/audit.h).
 */
enum xrm_rc xrm_party_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                json_t *patch, struct xrm_err *err);

/* Archives (DELETE): hidden from lists and search, kept with its history. */
enum xrm_rc xrm_party_archive(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                              struct xrm_err *err);

/*
 * Lists non-archived parties matching the query language text q (may be
 * NULL), limit 1..XRM_LIST_MAX, after cursor (NULL for the first page).
 * Gives {"items": [...], "next": cursor|null}; items embed their roles.
 */
enum xrm_rc xrm_party_list(struct xrm_ctx *ctx, const char *q, int limit, const char *cursor,
                           json_t **out, struct xrm_err *err);

/* Lists: totals are exact up to this many rows; beyond it "total_capped" is true. */
#define XRM_LIST_TOTAL_CAP 10000
/*
 * A query with free words (a search) counts up to this many: "more than
 * 1,000 found" says what a reader of a search needs (type more), and on
 * 1M parties counting a word's matches to 10,000 took ten times the page.
 */
#define XRM_SEARCH_TOTAL_CAP 1000

/*
 * Lists: as xrm_party_list, in the order of sort ("name", "city" (of the
 * first address), "created", "updated", each with a leading '-' for
 * descending; NULL: the list's own order), paged by a keyset cursor on
 * (sort value, id) so every party is on exactly one page; an unknown sort
 * is XRM_E_INVALID on field "sort". With with_total the answer also has
 * "total" (parties matching q, exact up to XRM_LIST_TOTAL_CAP, or
 * XRM_SEARCH_TOTAL_CAP when q has free words) and "total_capped" (more
 * than that).
 */
enum xrm_rc xrm_party_list_sorted(struct xrm_ctx *ctx, const char *q, const char *sort, int limit,
                                  const char *cursor, bool with_total, json_t **out,
                                  struct xrm_err *err);
/* Whether sort is one xrm_party_list_sorted knows (NULL is not). */
bool xrm_party_sort_valid(const char *sort);

/*
 * Validates `in` (as for create, including embedded "roles") and inserts the
 * party inside the caller's write transaction (used by create and bulk
 * import). *id_out gets the new id. With audit false the caller writes one
 * audit row for the whole batch instead of one per party.
 */
enum xrm_rc xrm_party_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                bool audit, int64_t *id_out, struct xrm_err *err);

/*
 * Bulk import: a party line checked and made ready on the calling (HTTP)
 * thread, before the write transaction, so the writer only runs SQL.
 * reader gives the role types. Never fails: a line that is wrong or needs
 * the database to be checked is kept as it is, and
 * xrm_party_insert_prepared_tx then runs xrm_party_insert_tx on it (same
 * answers, same errors). Otherwise the prepared insert does what
 * xrm_party_insert_tx does with audit false inside xrm_audit_batch. Freed
 * with xrm_party_new_free (NULL is a no-op).
 */
struct xrm_party_new;
struct xrm_party_new *xrm_party_prepare(struct xrm_db *reader, const struct xrm_user *user,
                                        json_t *in);
enum xrm_rc xrm_party_insert_prepared_tx(struct xrm_db *db, const struct xrm_user *user,
                                         struct xrm_party_new *p, int64_t *id_out,
                                         struct xrm_err *err);
void xrm_party_new_free(struct xrm_party_new *p);

/*
 * Import jobs: a prepared party inserted after xrm_party_defer_search gets
 * no full-text entry from xrm_party_insert_prepared_tx; the caller writes
 * it with xrm_party_search_tx(id) later in the same transaction, outside
 * the row savepoints (FTS5 writes its pending terms out at every savepoint
 * opened after a change to it, which made each row a segment of its own).
 * A party on the slow path is indexed as ever, and xrm_party_search_tx is
 * a no-op for it.
 */
void xrm_party_defer_search(struct xrm_party_new *p);
enum xrm_rc xrm_party_search_tx(struct xrm_db *db, const struct xrm_party_new *p, int64_t id,
                                struct xrm_err *err);

/* Merge: sets (survivor > 0) or clears (0) the read-only "merged_into" of a party. */
enum xrm_rc xrm_party_set_merged_into(struct xrm_db *db, int64_t id, int64_t survivor,
                                      struct xrm_err *err);

/* Reads the party row (no roles) on db; new reference. */
enum xrm_rc xrm_party_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Decoration of parties on their way out (xrm_party_get, xrm_party_list):
 * a page of parties (items, party objects with their roles; b their ids,
 * domain/base/batch.h; a single read is a page of one) passes every step
 * in order, then the access filter (domain/base/access.h), always last.
 * A step adds what other modules know of the parties (treatment, health,
 * records summary, contactability) for the whole page with a fixed number
 * of statements; `full` is false for list items (no latest records).
 * The steps are set once at start-up (domain/hooks.c, which also says
 * their order), before any read; until then a read fails (XRM_E_INTERNAL).
 */
struct xrm_batch;
typedef enum xrm_rc (*xrm_party_step_fn)(struct xrm_ctx *ctx, const struct xrm_batch *b,
                                         json_t *items, bool full, struct xrm_err *err);
#define XRM_PARTY_STEPS_MAX 8
void xrm_party_steps_set(const xrm_party_step_fn *steps, size_t n);

/*
 * xrm check: the full-text index against the parties. Every party has its
 * index row with the text the party's writes would index now (an erased
 * party has none), and no row is of a missing party. Counts the parties
 * without their row (*missing), with other text (*stale), and the rows of
 * no party (*orphans); *first is the smallest bad party id (0: none).
 * One pass over the parties in id order, reading from one snapshot.
 */
struct xrm_search_check {
    int64_t parties, missing, stale, orphans, first;
    /* record_text rows whose id is not in their party's range (SQLite, migration 34) */
    int64_t misplaced;
};
enum xrm_rc xrm_party_check_search(struct xrm_db *db, struct xrm_search_check *out,
                                   struct xrm_err *err);

#endif
