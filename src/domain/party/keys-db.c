/*
 * SQL of the normalised keys (keys.h): the party_keys rows of a party,
 * written on every party write, and the one-time fill of databases made
 * before the keys existed. Migration 10 cannot normalise in SQL, so it
 * lists every party then present in party_keys_pending; the fill
 * (xrm_party_keys_backfill, run by cli_open after the migrations, beside
 * the seeding of role types) works that list off in batches and empties
 * it, so later opens cost one lookup of an empty table.
 */
#include "domain/party/keys.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define BACKFILL_BATCH 500

static enum xrm_rc exec_id(struct xrm_db *db, const char *sql, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_party_keys_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return exec_id(db, "DELETE FROM party_keys WHERE party_id = ?", id, err);
}

enum xrm_rc xrm_party_keys_write(struct xrm_db *db, int64_t id, json_t *keys, bool fresh,
                                 struct xrm_err *err)
{
    enum xrm_rc rc = fresh ? XRM_OK : xrm_party_keys_delete(db, id, err);
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        const char *kind = json_string_value(json_object_get(k, "kind"));
        if (rc)
            break;
        if (strcmp(kind, "uid") == 0)
            continue;
        struct xrm_stmt *s = xrm_db_prepare(
            db, "INSERT INTO party_keys (party_id, kind, value) VALUES (?, ?, ?)", err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        xrm_stmt_bind_text_static(s, 2, kind);
        xrm_stmt_bind_text_static(s, 3, json_string_value(json_object_get(k, "value")));
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            rc = XRM_E_DB;
    }
    return rc;
}

/* The stored columns keys are made of, as a party JSON. */
static json_t *stored_party(struct xrm_stmt *s)
{
    json_t *p = json_object();
    static const char *const text_cols[] = {
        "kind",       "name", "given_name", "family_prefix", "family_name", "legal_name",
        "trade_name", "kvk",  "vat",        "iban",          "external_id", NULL};
    int c = 1;
    for (const char *const *k = text_cols; *k; k++, c++)
        if (!xrm_stmt_is_null(s, c))
            json_object_set_new(p, *k, json_string(xrm_stmt_text(s, c)));
    json_object_set_new(p, "emails", xrm_json_load_stored(xrm_stmt_text(s, c++), true));
    json_object_set_new(p, "phones", xrm_json_load_stored(xrm_stmt_text(s, c++), true));
    json_object_set_new(p, "addresses", xrm_json_load_stored(xrm_stmt_text(s, c++), true));
    return p;
}

static enum xrm_rc backfill_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    int64_t *done = arg;
    int64_t ids[BACKFILL_BATCH];
    json_t *parties[BACKFILL_BATCH];
    size_t n = 0;
    enum xrm_rc rc = XRM_OK;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT k.party_id, p.kind, p.name, p.given_name, p.family_prefix, p.family_name, "
        "p.legal_name, p.trade_name, p.kvk, p.vat, p.iban, p.external_id, p.emails, p.phones, "
        "p.addresses FROM party_keys_pending k LEFT JOIN parties p ON p.id = k.party_id "
        "ORDER BY k.party_id LIMIT ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, BACKFILL_BATCH);
    int r;
    while (n < BACKFILL_BATCH && (r = xrm_stmt_step(s, err)) == 1) {
        ids[n] = xrm_stmt_int(s, 0);
        parties[n++] = xrm_stmt_is_null(s, 1) ? NULL : stored_party(s);
    }
    xrm_stmt_done(s);
    if (r < 0)
        rc = XRM_E_DB;
    for (size_t i = 0; !rc && i < n; i++) {
        if (parties[i]) {
            json_t *keys = xrm_party_keys(parties[i]);
            rc = xrm_party_keys_write(db, ids[i], keys, false, err);
            json_decref(keys);
        }
        if (!rc)
            rc = exec_id(db, "DELETE FROM party_keys_pending WHERE party_id = ?", ids[i], err);
    }
    for (size_t i = 0; i < n; i++)
        json_decref(parties[i]);
    *done = rc ? 0 : (int64_t)n;
    return rc;
}

enum xrm_rc xrm_party_keys_backfill(struct xrm_store *st, int64_t *filled, struct xrm_err *err)
{
    int64_t total = 0, n = 0;
    enum xrm_rc rc = XRM_OK;
    do {
        rc = xrm_store_write(st, backfill_tx, &n, err);
        total += n;
    } while (!rc && n == BACKFILL_BATCH);
    if (filled)
        *filled = total;
    return rc;
}
