/*
 * Party SQL: the parties row, its tag and city index rows, its full-text
 * entry, and the query-language search.
 *
 * Search SQL is assembled from fixed fragments chosen by the parsed terms
 * (filter terms by query-db.c); every value is a bound parameter, never
 * text in the statement. Without
 * free words, results are in name order (sort_name, id); with free words
 * (matched in the party's own text and in its records' text,
 * fulltext-db.h) results come newest first (id descending).
 */
#include "domain/party/party-db.h"
#include "domain/party/party.h"
#include "domain/party/keys.h"
#include "domain/party/fulltext-db.h"
#include "domain/base/query-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define PARTY_COLS                                                                                 \
    "p.id, p.uid, p.kind, p.name, p.given_name, p.family_prefix, p.family_name, p.legal_name, "    \
    "p.trade_name, p.emails, p.phones, p.websites, p.addresses, p.kvk, p.vat, p.iban, p.tags, "    \
    "p.custom, p.owner, p.archived, p.version, p.created_at, p.updated_at, p.sort_name, "          \
    "p.external_id, p.merged_into"

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void set_text(json_t *o, const char *key, struct xrm_stmt *s, int col)
{
    json_object_set_new(o, key, xrm_row_text(s, col));
}

static json_t *row_to_party(struct xrm_stmt *s)
{
    json_t *p = json_object();
    json_object_set_new_nocheck(p, "id", json_integer(xrm_stmt_int(s, 0)));
    set_text(p, "uid", s, 1);
    set_text(p, "kind", s, 2);
    set_text(p, "name", s, 3);
    set_text(p, "given_name", s, 4);
    set_text(p, "family_prefix", s, 5);
    set_text(p, "family_name", s, 6);
    set_text(p, "legal_name", s, 7);
    set_text(p, "trade_name", s, 8);
    json_object_set_new_nocheck(p, "emails", xrm_json_load_stored(xrm_stmt_text(s, 9), true));
    json_object_set_new_nocheck(p, "phones", xrm_json_load_stored(xrm_stmt_text(s, 10), true));
    json_object_set_new_nocheck(p, "websites", xrm_json_load_stored(xrm_stmt_text(s, 11), true));
    json_object_set_new_nocheck(p, "addresses", xrm_json_load_stored(xrm_stmt_text(s, 12), true));
    set_text(p, "kvk", s, 13);
    set_text(p, "vat", s, 14);
    set_text(p, "iban", s, 15);
    json_object_set_new_nocheck(p, "tags", xrm_json_load_stored(xrm_stmt_text(s, 16), true));
    json_object_set_new_nocheck(p, "custom", xrm_json_load_stored(xrm_stmt_text(s, 17), false));
    json_object_set_new_nocheck(
        p, "owner", xrm_stmt_is_null(s, 18) ? json_null() : json_integer(xrm_stmt_int(s, 18)));
    json_object_set_new_nocheck(p, "archived", json_boolean(xrm_stmt_int(s, 19) != 0));
    json_object_set_new_nocheck(p, "version", json_integer(xrm_stmt_int(s, 20)));
    set_text(p, "created_at", s, 21);
    set_text(p, "updated_at", s, 22);
    set_text(p, "external_id", s, 24);
    if (!xrm_stmt_is_null(s, 25)) /* merged away: the survivor's id */
        json_object_set_new_nocheck(p, "merged_into", json_integer(xrm_stmt_int(s, 25)));
    return p;
}

/* Text for the full-text index: names (without family prefix), contact data, places. */
static char *search_text(json_t *norm)
{
    struct xrm_buf b = XRM_BUF_INIT;
    static const char *const name_keys[] = {"given_name", "family_name", "legal_name", "trade_name",
                                            NULL};
    if (strcmp(str_of(norm, "kind"), "organization") == 0)
        xrm_buf_adds(&b, str_of(norm, "name"));
    for (const char *const *k = name_keys; *k; k++)
        xrm_buf_add_word(&b, str_of(norm, *k));
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(norm, "emails"), i, it)
    {
        xrm_buf_add_word(&b, str_of(it, "value"));
    }
    json_array_foreach(json_object_get(norm, "phones"), i, it)
    {
        const char *ph = str_of(it, "value");
        xrm_buf_add_word(&b, ph + 1);
        if (strncmp(ph, "+31", 3) == 0) { /* national form, as people type it */
            xrm_buf_add(&b, " 0", 2);
            xrm_buf_adds(&b, ph + 3);
        }
    }
    json_array_foreach(json_object_get(norm, "addresses"), i, it)
    {
        const char *city = str_of(it, "city"), *pc = str_of(it, "postcode"),
                   *street = str_of(it, "street");
        xrm_buf_add_word(&b, city);
        xrm_buf_add_word(&b, street);
        if (pc) {
            char compact[20];
            size_t n = 0;
            for (const char *c = pc; *c && n < sizeof(compact) - 1; c++)
                if (*c != ' ')
                    compact[n++] = *c;
            compact[n] = '\0';
            xrm_buf_add_word(&b, compact);
        }
    }
    xrm_buf_add_word(&b, str_of(norm, "kvk"));
    return xrm_buf_detach(&b, NULL);
}

static enum xrm_rc exec_bound(struct xrm_db *db, const char *sql, int64_t id, const char *text,
                              struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    if (text)
        xrm_stmt_bind_text_static(s, 2, text); /* done before return */
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/*
 * Writes the tag and city index rows and the full-text entry of a party
 * from its text; fresh for a new party, which has none to replace yet.
 */
static enum xrm_rc index_rows(struct xrm_db *db, int64_t id, json_t *norm,
                              const struct xrm_party_text *t, bool fresh, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (!fresh) {
        rc = exec_bound(db, "DELETE FROM party_tags WHERE party_id = ?", id, NULL, err);
        if (!rc)
            rc = exec_bound(db, "DELETE FROM party_cities WHERE party_id = ?", id, NULL, err);
        if (rc)
            return rc;
    }
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(norm, "tags"), i, it)
    {
        rc = exec_bound(db, "INSERT INTO party_tags (party_id, tag) VALUES (?, ?)", id,
                        json_string_value(it), err);
        if (rc)
            return rc;
    }
    for (i = 0; i < t->ncities; i++) {
        rc = exec_bound(db,
                        "INSERT INTO party_cities (party_id, city) VALUES (?, ?) "
                        "ON CONFLICT DO NOTHING",
                        id, t->cities[i], err);
        if (rc)
            return rc;
    }
    rc = xrm_party_keys_write(db, id, t->keys, fresh, err);
    if (rc || (fresh && t->no_search))
        return rc;
    return fresh ? xrm_db_search_add(db, id, t->search, err)
                 : xrm_db_search_set(db, id, t->search, err);
}

/*
 * Binds the canonical columns shared by insert and update, as ? 1 to 19,
 * without copies: norm and t outlive the statement's use in both.
 */
static void bind_columns(struct xrm_stmt *s, json_t *norm, const struct xrm_party_text *t)
{
    static const char *const text_keys[] = {"kind",       "name",          "sort_name",
                                            "given_name", "family_prefix", "family_name",
                                            "legal_name", "trade_name",    NULL};
    int c = 1;
    for (const char *const *k = text_keys; *k; k++)
        xrm_stmt_bind_text_static(s, c++, str_of(norm, *k));
    for (int k = 0; k < 4; k++) /* emails, phones, websites, addresses */
        xrm_stmt_bind_text_static(s, c++, t->json[k]);
    xrm_stmt_bind_text_static(s, c++, str_of(norm, "kvk"));
    xrm_stmt_bind_text_static(s, c++, str_of(norm, "vat"));
    xrm_stmt_bind_text_static(s, c++, str_of(norm, "iban"));
    xrm_stmt_bind_text_static(s, c++, t->json[4]); /* tags */
    xrm_stmt_bind_text_static(s, c++, t->json[5]); /* custom */
    json_t *owner = json_object_get(norm, "owner");
    if (json_is_integer(owner))
        xrm_stmt_bind_int(s, c++, json_integer_value(owner));
    else
        xrm_stmt_bind_null(s, c++);
    xrm_stmt_bind_int(s, c++, json_is_true(json_object_get(norm, "archived")));
}

void xrm_party_db_text(json_t *norm, struct xrm_party_text *out)
{
    static const char *const json_keys[] = {"emails", "phones", "websites", "addresses",
                                            "tags",   "custom", NULL};
    size_t i;
    json_t *it;

    struct xrm_buf b = XRM_BUF_INIT;
    memset(out, 0, sizeof(*out));
    for (int k = 0; json_keys[k]; k++)
        out->json[k] = xrm_json_dump_exact(&b, json_object_get(norm, json_keys[k]));
    xrm_buf_release(&b);
    out->cities =
        xrm_calloc(json_array_size(json_object_get(norm, "addresses")) + 1, sizeof(char *));
    json_array_foreach(json_object_get(norm, "addresses"), i, it)
    {
        const char *city = str_of(it, "city");
        if (!city)
            continue;
        char *low = xrm_strdup(city);
        xrm_ascii_lower(low);
        out->cities[out->ncities++] = low;
    }
    /* lists: the city the party list shows and sorts by */
    const char *first = str_of(json_array_get(json_object_get(norm, "addresses"), 0), "city");
    out->sort_city = xrm_strdup(first ? first : "");
    xrm_ascii_lower(out->sort_city);
    out->search = search_text(norm);
    out->keys = xrm_party_keys(norm);
    xrm_uuid(out->uid);
}

void xrm_party_db_text_release(struct xrm_party_text *t)
{
    for (size_t k = 0; k < sizeof(t->json) / sizeof(t->json[0]); k++)
        free(t->json[k]);
    for (size_t i = 0; i < t->ncities; i++)
        free(t->cities[i]);
    free(t->cities);
    free(t->search);
    free(t->sort_city);
    json_decref(t->keys);
    memset(t, 0, sizeof(*t));
}

enum xrm_rc xrm_party_db_insert_text(struct xrm_db *db, json_t *norm,
                                     const struct xrm_party_text *t, int64_t *id_out,
                                     struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO parties (kind, name, sort_name, given_name, family_prefix, family_name, "
        "legal_name, trade_name, emails, phones, websites, addresses, kvk, vat, iban, tags, "
        "custom, owner, archived, uid, created_at, updated_at, external_id, sort_city) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    bind_columns(s, norm, t);
    xrm_now(now);
    xrm_stmt_bind_text_static(s, 20, t->uid);
    xrm_stmt_bind_text_static(s, 21, now);
    xrm_stmt_bind_text_static(s, 22, now);
    xrm_stmt_bind_text_static(s, 23, str_of(norm, "external_id"));
    xrm_stmt_bind_text_static(s, 24, t->sort_city);
    int r = xrm_stmt_step(s, err);
    int64_t id = 0;
    if (r == 1)
        id = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r != 1)
        return XRM_E_DB;
    *id_out = id;

    return index_rows(db, id, norm, t, true, err);
}

enum xrm_rc xrm_party_db_insert(struct xrm_db *db, json_t *norm, int64_t *id_out,
                                struct xrm_err *err)
{
    struct xrm_party_text t;
    xrm_party_db_text(norm, &t);
    enum xrm_rc rc = xrm_party_db_insert_text(db, norm, &t, id_out, err);
    xrm_party_db_text_release(&t);
    return rc;
}

enum xrm_rc xrm_party_db_update(struct xrm_db *db, int64_t id, json_t *norm, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE parties SET kind = ?, name = ?, sort_name = ?, given_name = ?, "
        "family_prefix = ?, family_name = ?, legal_name = ?, trade_name = ?, emails = ?, "
        "phones = ?, websites = ?, addresses = ?, kvk = ?, vat = ?, iban = ?, tags = ?, "
        "custom = ?, owner = ?, archived = ?, updated_at = ?, external_id = ?, "
        "version = version + 1, sort_city = ? "
        "WHERE id = ?",
        err);
    if (!s)
        return XRM_E_DB;
    struct xrm_party_text t;
    xrm_party_db_text(norm, &t);
    xrm_now(now);
    bind_columns(s, norm, &t);
    xrm_stmt_bind_text(s, 20, now);
    xrm_stmt_bind_text_static(s, 21, str_of(norm, "external_id"));
    xrm_stmt_bind_text_static(s, 22, t.sort_city);
    xrm_stmt_bind_int(s, 23, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    enum xrm_rc rc = r < 0 ? XRM_E_DB : index_rows(db, id, norm, &t, false, err);
    xrm_party_db_text_release(&t);
    return rc;
}

enum xrm_rc xrm_party_db_set_archived(struct xrm_db *db, int64_t id, bool archived,
                                      struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE parties SET archived = ?, updated_at = ?, "
                                        "version = version + 1 WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_int(s, 1, archived);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_party_db_set_merged_into(struct xrm_db *db, int64_t id, int64_t survivor,
                                         struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "UPDATE parties SET merged_into = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    if (survivor)
        xrm_stmt_bind_int(s, 1, survivor);
    else
        xrm_stmt_bind_null(s, 1);
    xrm_stmt_bind_int(s, 2, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_party_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " PARTY_COLS " FROM parties p WHERE p.id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_OK;
    if (r == 1)
        *out = row_to_party(s);
    else if (r == 0)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no party %lld", (long long)id);
    else
        rc = XRM_E_DB;
    xrm_stmt_done(s);
    return rc;
}

static enum xrm_rc exists(struct xrm_db *db, const char *sql, int64_t id, bool *found,
                          struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    *found = r == 1;
    return XRM_OK;
}

enum xrm_rc xrm_party_db_user_exists(struct xrm_db *db, int64_t id, bool *found,
                                     struct xrm_err *err)
{
    return exists(db, "SELECT 1 FROM users WHERE id = ? AND disabled = 0", id, found, err);
}

/*
 * Search. Filter terms become conditions through query-db.c (the same
 * translation segments and rules use); this function adds the full-text
 * part, which drives the query when there are free words, and the keyset
 * pagination. Treatment terms (priority:, badge:) are translated from the
 * rules in memory into role conditions, so they filter in SQL like any
 * other term and the cursor stays a plain position in the sort order.
 */
/*
 * The FROM and WHERE of a party query (everything but order and paging),
 * shared by the page and its count; *fts tells whether free words search
 * the full-text indexes (the party's own text and its records', fulltext-db.h).
 */
static enum xrm_rc search_from(struct xrm_db *db, const struct xrm_query *qry, bool drive,
                               struct xrm_sql *q, bool *fts_out, struct xrm_err *err)
{
    bool fts = xrm_fulltext_has_words(qry), driven = false;
    *fts_out = fts;
    xrm_sql_add(q, " FROM parties p WHERE ");
    /*
     * A count without free words starts from the parties of its most
     * selective term (query-db.h xrm_query_sql_driver) instead of walking
     * every party until the cap: on 100k parties role:customer
     * role:partner partner.tier:gold counted in 14 ms of SQL instead of 112.
     */
    if (drive && !fts) {
        enum xrm_rc rc = xrm_query_sql_driver(db, qry, &driven, q, err);
        if (rc)
            return rc;
    }
    /*
     * With free words the id lists of the matches drive (unary + keeps
     * SQLite from walking the name index over every party and sorting);
     * so does a count's driver.
     */
    xrm_sql_add(q, fts || driven ? "+p.tenant = 1 AND +p.archived = 0"
                                 : "p.tenant = 1 AND p.archived = 0");
    /* Free words: the party's own text or its records' text the viewer may read. */
    xrm_fulltext_sql(db, qry, q);
    return xrm_query_sql_filters(db, qry, 0, q, err);
}

/* Sorts of the party list (lists): name, column, and the API's name for it. */
static const struct party_sort {
    const char *name, *column;
} party_sorts[] = {
    {"name", "p.sort_name"},
    {"city", "p.sort_city"},
    {"created", "p.created_at"},
    {"updated", "p.updated_at"},
};

static const struct party_sort *sort_of(const char *sort, bool *desc)
{
    *desc = sort && sort[0] == '-';
    if (!sort)
        return NULL;
    for (size_t i = 0; i < sizeof(party_sorts) / sizeof(party_sorts[0]); i++)
        if (strcmp(party_sorts[i].name, sort + *desc) == 0)
            return &party_sorts[i];
    return NULL;
}

bool xrm_party_db_sort_valid(const char *sort)
{
    bool desc;
    return sort_of(sort, &desc) != NULL;
}

/* A page being filled from rows of PARTY_COLS (and the sort's column). */
struct page {
    int limit;
    bool counting; /* rows past the page are counted (the total) */
    const char *sort;
    bool ps, fts;
    int key_col;
    json_t *items, *next;
    int count;
    int64_t rows, last_id;
    char *last_sort;
};

/* Takes the row s is at; false when the page needs no more rows. */
static bool page_row(struct page *pg, struct xrm_stmt *s)
{
    pg->rows++;
    if (pg->count == pg->limit) {
        if (pg->rows > pg->limit + 1)
            return true; /* counting: the rows after the page are only counted */
        json_t *key = pg->ps
                          ? json_pack("[s, s, I]", pg->sort, pg->last_sort, (json_int_t)pg->last_id)
                      : pg->fts ? json_pack("[I]", (json_int_t)pg->last_id)
                                : json_pack("[s, I]", pg->last_sort, (json_int_t)pg->last_id);
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        json_decref(pg->next);
        pg->next = json_string(c);
        free(c);
        return pg->counting;
    }
    json_array_append_new(pg->items, row_to_party(s));
    pg->last_id = xrm_stmt_int(s, 0);
    free(pg->last_sort);
    const char *k = xrm_stmt_text(s, pg->key_col);
    pg->last_sort = xrm_strdup(k ? k : "");
    pg->count++;
    return true;
}

/* Ids of the walk checked against the rest of the query per batch: the first fills a page. */
#define WALK_BATCH_MAX 1024

/*
 * A page (and its capped count) of a search without a sort, from the
 * matches of its words walked highest id first (fulltext-db.h): batches of
 * those ids are checked against the query's other terms until the page,
 * or the count, has its rows. Same rows, order and cursor as the query
 * that gathers all matches first.
 */
static enum xrm_rc page_walked(struct xrm_db *db, const struct xrm_query *qry,
                               struct xrm_fulltext_walk *wk, int64_t want, struct page *pg,
                               struct xrm_err *err)
{
    size_t n = pg->limit + 1 < 16 ? 16 : (size_t)pg->limit + 1;
    int64_t *ids = xrm_malloc(WALK_BATCH_MAX * sizeof(*ids));
    enum xrm_rc rc = XRM_OK;
    bool more = true;
    while (!rc && more) {
        size_t k = 0;
        int r = 0;
        while (k < n && (r = xrm_fulltext_walk_next(wk, &ids[k], err)) == 1)
            k++;
        if (r < 0) {
            rc = XRM_E_DB;
            break;
        }
        if (k == 0)
            break;
        more = r == 1;
        struct xrm_batch b;
        struct xrm_sql q;
        xrm_batch_init_ids(&b, ids, k);
        xrm_sql_init(&q);
        xrm_sql_add(&q, "SELECT " PARTY_COLS " FROM parties p WHERE p.id IN ");
        xrm_batch_sql_in(&b, &q);
        xrm_sql_add(&q, " AND +p.tenant = 1 AND +p.archived = 0");
        xrm_fulltext_sql_excluded(db, qry, &q);
        rc = xrm_query_sql_filters(db, qry, 0, &q, err);
        xrm_sql_add(&q, " ORDER BY p.id DESC");
        struct xrm_stmt *s = rc ? NULL : xrm_sql_prepare(db, &q, err);
        if (!rc && !s)
            rc = XRM_E_DB;
        while (s) {
            r = xrm_stmt_step(s, err);
            if (r < 0)
                rc = XRM_E_DB;
            if (r != 1)
                break;
            if (!page_row(pg, s) || pg->rows >= want) {
                more = false;
                break;
            }
        }
        xrm_stmt_done(s);
        xrm_sql_release(&q);
        xrm_batch_release(&b);
        n = n * 4 < WALK_BATCH_MAX ? n * 4 : WALK_BATCH_MAX;
    }
    free(ids);
    return rc;
}

enum xrm_rc xrm_party_db_list(struct xrm_db *db, const struct xrm_query *qry, const char *sort,
                              int limit, const char *cursor, int64_t total_cap, int64_t *total,
                              json_t **out, struct xrm_err *err)
{
    struct xrm_sql q;
    json_t *cur = NULL;
    struct xrm_stmt *s = NULL;
    struct xrm_fulltext_walk *wk = NULL;
    enum xrm_rc rc = XRM_OK;
    bool fts = xrm_fulltext_has_words(qry), desc = false;
    const struct party_sort *ps = sort_of(sort, &desc);
    struct page pg = {.limit = limit,
                      .sort = sort,
                      .ps = ps != NULL,
                      .fts = fts,
                      .key_col = ps ? 26 : 23}; /* the explicit sort's column follows PARTY_COLS */

    xrm_sql_init(&q);
    if (sort && !ps) {
        rc = xrm_err_field(err, XRM_E_INVALID, "sort",
                           "unknown sort '%s' (name, city, created or updated, '-' before it "
                           "for descending)",
                           sort);
        goto out;
    }
    /*
     * The total of a first page with free words: counted by the page's own
     * walk going on past the page, so the matches (the party's and its
     * records' text) are gathered once instead of twice. Without free words
     * the page walks the parties themselves and a count of the index alone
     * costs less (on 100k parties role:customer: 12 ms of CPU, 87 ms
     * counted by the page's walk, which reads every row it passes).
     */
    bool drive = false;
    if (total) {
        *total = -1;
        pg.counting = fts && !cursor && total_cap > 0;
        /*
         * A first page without free words counts first (from its most selective
         * term, xrm_party_db_count). When every match fits on the page, the page
         * starts from that term too: walking the name order would read every
         * party to the end to find no more (on 1M parties role:partner role:press,
         * which nobody holds, took 2.7 s; 0.2 s from the press roles).
         */
        if (!fts && !cursor && total_cap > 0) {
            rc = xrm_party_db_count(db, qry, total_cap, total, err);
            if (rc)
                goto out;
            drive = *total <= limit;
        }
    }
    /*
     * Cursors: [rowid] of the full-text order, [sort_name, id] of the name
     * order without a sort, [sort, value, id] of an explicit sort (a cursor
     * of another sort or query shape is refused, never misread).
     */
    if (cursor) {
        cur = xrm_cursor_decode(cursor);
        size_t n = ps ? 3 : fts ? 1 : 2;
        bool ok = cur && json_array_size(cur) == n && json_is_integer(json_array_get(cur, n - 1));
        if (ok && ps)
            ok = json_is_string(json_array_get(cur, 0)) &&
                 strcmp(json_string_value(json_array_get(cur, 0)), sort) == 0 &&
                 json_is_string(json_array_get(cur, 1));
        else if (ok && !fts)
            ok = json_is_string(json_array_get(cur, 0));
        if (!ok) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, "cursor",
                               "not a cursor of this list (use 'next' of the previous page "
                               "with the same q)");
            goto out;
        }
    }
    pg.items = json_array();
    pg.next = json_null();
    int64_t want = pg.counting && total_cap + 1 > limit + 1 ? total_cap + 1 : limit + 1;
    /* free words, newest first: the matches walked in order where the engine can */
    if (fts && !ps) {
        rc = xrm_fulltext_walk_open(
            db, qry, cur ? json_integer_value(json_array_get(cur, 0)) : INT64_MAX, &wk, err);
        if (!rc && wk)
            rc = page_walked(db, qry, wk, want, &pg, err);
        if (rc || wk)
            goto done;
    }
    xrm_sql_add(&q, "SELECT " PARTY_COLS);
    if (ps) {
        xrm_sql_add(&q, ", ");
        xrm_sql_add(&q, ps->column);
    }
    rc = search_from(db, qry, drive, &q, &fts, err);
    if (rc)
        goto out;
    if (ps) {
        const char *v = cur ? json_string_value(json_array_get(cur, 1)) : NULL;
        if (cur) {
            /* keyset on (value, id): every row once, whatever ties the value has */
            xrm_sql_add(&q, " AND (");
            xrm_sql_add(&q, ps->column);
            xrm_sql_add(&q, desc ? " < ? OR (" : " > ? OR (");
            xrm_sql_add(&q, ps->column);
            xrm_sql_add(&q, desc ? " = ? AND p.id < ?))" : " = ? AND p.id > ?))");
            xrm_sql_str(&q, v);
            xrm_sql_str(&q, v);
            xrm_sql_int(&q, json_integer_value(json_array_get(cur, 2)));
        }
        xrm_sql_add(&q, " ORDER BY ");
        xrm_sql_add(&q, ps->column);
        xrm_sql_add(&q, desc ? " DESC, p.id DESC LIMIT ?" : ", p.id LIMIT ?");
    } else if (fts) {
        if (cur) {
            xrm_sql_add(&q, " AND p.id < ?");
            xrm_sql_int(&q, json_integer_value(json_array_get(cur, 0)));
        }
        xrm_sql_add(&q, " ORDER BY p.id DESC LIMIT ?");
    } else {
        if (cur) {
            xrm_sql_add(&q, " AND (p.sort_name > ? OR (p.sort_name = ? AND p.id > ?))");
            xrm_sql_str(&q, json_string_value(json_array_get(cur, 0)));
            xrm_sql_str(&q, json_string_value(json_array_get(cur, 0)));
            xrm_sql_int(&q, json_integer_value(json_array_get(cur, 1)));
        }
        xrm_sql_add(&q, " ORDER BY p.sort_name, p.id LIMIT ?");
    }
    xrm_sql_int(&q, want);

    s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        if (!page_row(&pg, s))
            break;
    if (r < 0)
        rc = XRM_E_DB;
done:
    if (rc)
        goto out;
    if (pg.counting)
        *total = pg.rows;
    *out = json_pack("{s:O, s:O}", "items", pg.items, "next", pg.next);
out:
    xrm_fulltext_walk_close(wk);
    xrm_stmt_done(s);
    json_decref(pg.items);
    json_decref(pg.next);
    json_decref(cur);
    xrm_sql_release(&q);
    free(pg.last_sort);
    return rc;
}

enum xrm_rc xrm_party_db_search(struct xrm_db *db, const struct xrm_query *qry, int limit,
                                const char *cursor, json_t **out, struct xrm_err *err)
{
    return xrm_party_db_list(db, qry, NULL, limit, cursor, 0, NULL, out, err);
}

enum xrm_rc xrm_party_db_count(struct xrm_db *db, const struct xrm_query *qry, int64_t cap,
                               int64_t *n, struct xrm_err *err)
{
    struct xrm_sql q;
    bool fts = false;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT COUNT(*) FROM (SELECT 1");
    enum xrm_rc rc = search_from(db, qry, true, &q, &fts, err);
    if (!rc) {
        xrm_sql_add(&q, " LIMIT ?) AS counted");
        xrm_sql_int(&q, cap + 1);
        struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
        if (!s) {
            rc = XRM_E_DB;
        } else {
            int r = xrm_stmt_step(s, err);
            if (r == 1)
                *n = xrm_stmt_int(s, 0);
            else
                rc = XRM_E_DB;
            xrm_stmt_done(s);
        }
    }
    xrm_sql_release(&q);
    return rc;
}

/* ---- xrm check: the search index against the data (party.h) ---- */

enum xrm_rc xrm_party_check_search(struct xrm_db *db, struct xrm_search_check *out,
                                   struct xrm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum xrm_rc rc = xrm_db_begin_snapshot(db, err);
    if (rc)
        return rc;
    /* the party as its row reads, and its index text; streamed in id order */
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT " PARTY_COLS ", f.body, f.rowid FROM parties p"
                                        " LEFT JOIN party_fts f ON f.rowid = p.id ORDER BY p.id",
                                        err);
    if (!s) {
        xrm_db_rollback(db);
        return XRM_E_DB;
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        int64_t id = xrm_stmt_int(s, 0);
        bool has_row = !xrm_stmt_is_null(s, 27);
        const char *body = xrm_stmt_text(s, 26);
        /* erased (gdpr-db.c anonymise): the index row went with the data */
        bool erased = strcmp(xrm_stmt_text(s, 23) ? xrm_stmt_text(s, 23) : "", "~erased") == 0;
        out->parties++;
        bool bad;
        if (erased) {
            bad = has_row;
            if (bad)
                out->stale++;
        } else {
            json_t *p = row_to_party(s);
            char *want = search_text(p);
            json_decref(p);
            if (!has_row && *want) {
                out->missing++;
                bad = true;
            } else {
                bad = strcmp(body ? body : "", want) != 0;
                if (bad)
                    out->stale++;
            }
            free(want);
        }
        if (bad && !out->first)
            out->first = id;
    }
    xrm_stmt_done(s);
    if (r >= 0)
        rc = xrm_db_scalar_int(db,
                               "SELECT COUNT(*) FROM party_fts f WHERE NOT EXISTS"
                               " (SELECT 1 FROM parties p WHERE p.id = f.rowid)",
                               &out->orphans, err);
    else
        rc = XRM_E_DB;
    /* where a search walks records party by party, each row in its party's range */
    if (!rc && xrm_db_stream_records(db))
        rc = xrm_db_scalar_int(db, "SELECT COUNT(*) FROM record_text WHERE id >> 24 <> party_id",
                               &out->misplaced, err);
    xrm_db_rollback(db);
    return rc;
}
