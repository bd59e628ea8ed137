/*
 * SQL for parties (internal to the party module). Rows in and out are the
 * canonical party objects built by party.c.
 */
#ifndef XRM_DOMAIN_PARTY_DB_H
#define XRM_DOMAIN_PARTY_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/query.h"
#include "store/store.h"

enum xrm_rc xrm_party_db_insert(struct xrm_db *db, json_t *norm, int64_t *id_out,
                                struct xrm_err *err);
/*
 * The stored text of a new party (JSON columns, lower-case cities, search
 * text, its new uid), made from the canonical object without the database so that a
 * bulk import builds it before the write starts.
 */
struct xrm_party_text {
    char *json[6]; /* emails, phones, websites, addresses, tags, custom */
    char **cities;
    size_t ncities;
    char *search;
    json_t *keys; /* normalised keys (keys.h), written to party_keys */
    char uid[37];
    char *sort_city; /* lists: the first address's city, lowercased ("" without one) */
    bool no_search;  /* insert: leave the full-text entry (search) to the caller */
};
void xrm_party_db_text(json_t *norm, struct xrm_party_text *out);
void xrm_party_db_text_release(struct xrm_party_text *t);
/* As xrm_party_db_insert, with the text made beforehand from norm. */
enum xrm_rc xrm_party_db_insert_text(struct xrm_db *db, json_t *norm,
                                     const struct xrm_party_text *t, int64_t *id_out,
                                     struct xrm_err *err);
enum xrm_rc xrm_party_db_update(struct xrm_db *db, int64_t id, json_t *norm, struct xrm_err *err);
enum xrm_rc xrm_party_db_set_archived(struct xrm_db *db, int64_t id, bool archived,
                                      struct xrm_err *err);
/* Sets (survivor > 0) or clears (0) the party a merged-away party went into. */
enum xrm_rc xrm_party_db_set_merged_into(struct xrm_db *db, int64_t id, int64_t survivor,
                                         struct xrm_err *err);
/* The API object of the party (no roles); XRM_E_NOTFOUND when absent. */
enum xrm_rc xrm_party_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_party_db_user_exists(struct xrm_db *db, int64_t id, bool *found,
                                     struct xrm_err *err);
/* {"items": [...], "next": ...} of parties matching q (roles not embedded). */
enum xrm_rc xrm_party_db_search(struct xrm_db *db, const struct xrm_query *q, int limit,
                                const char *cursor, json_t **out, struct xrm_err *err);

/*
 * Lists (sorted party lists and their totals). As xrm_party_db_search, in
 * the order of sort ("name", "city", "created", "updated", a leading '-'
 * for descending; NULL: the search's own order), with a keyset cursor on
 * (sort value, id); an unknown sort is XRM_E_INVALID on field "sort".
 * With total (not NULL) on a first page (no cursor) of a query with free
 * words, the page's own walk goes on to count the matching parties up to
 * total_cap + 1 into *total (what xrm_party_db_count would say), so the
 * matches are gathered once. On a first page without free words the count
 * comes first (xrm_party_db_count) and, when all the matches fit on the
 * page, the page starts from the same selective term. *total is -1 when
 * neither counted.
 */
enum xrm_rc xrm_party_db_list(struct xrm_db *db, const struct xrm_query *q, const char *sort,
                              int limit, const char *cursor, int64_t total_cap, int64_t *total,
                              json_t **out, struct xrm_err *err);
/* Whether sort is one xrm_party_db_list knows. */
bool xrm_party_db_sort_valid(const char *sort);
/* *n: how many parties match q (the list's own filter), counted up to cap + 1. */
enum xrm_rc xrm_party_db_count(struct xrm_db *db, const struct xrm_query *q, int64_t cap,
                               int64_t *n, struct xrm_err *err);

#endif
