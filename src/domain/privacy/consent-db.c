/*
 * Consent events: append-only rows in table consents (a withdrawal is a new
 * row with granted = 0, so the history stays), read back per party.
 */
#include "domain/privacy/consent-db.h"
#include "domain/base/row.h"
#include "domain/base/batch.h"
#include "core/json.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

#define EVENT_COLS                                                                                 \
    "id, party_id, purpose, granted, source, wording, given_at, recorded_at, recorded_by"

static json_t *row_to_event(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 1)));
    xrm_json_set_str(o, "purpose", xrm_stmt_text(s, 2));
    json_object_set_new(o, "granted", json_boolean(xrm_stmt_int(s, 3) != 0));
    xrm_json_set_str(o, "source", xrm_stmt_text(s, 4));
    xrm_json_set_str(o, "wording", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "at", xrm_stmt_text(s, 6));
    xrm_json_set_str(o, "recorded_at", xrm_stmt_text(s, 7));
    json_object_set_new(o, "recorded_by",
                        xrm_stmt_is_null(s, 8) ? json_null() : json_integer(xrm_stmt_int(s, 8)));
    return o;
}

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

enum xrm_rc xrm_consent_db_insert(struct xrm_db *db, json_t *ev, int64_t user_id,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO consents (party_id, purpose, granted, source, "
                                        "wording, given_at, recorded_at, recorded_by) VALUES (?, "
                                        "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, json_integer_value(json_object_get(ev, "party")));
    xrm_stmt_bind_text(s, 2, str_of(ev, "purpose"));
    xrm_stmt_bind_int(s, 3, json_is_true(json_object_get(ev, "granted")));
    xrm_stmt_bind_text(s, 4, str_of(ev, "source"));
    xrm_stmt_bind_text(s, 5, str_of(ev, "wording"));
    xrm_stmt_bind_text(s, 6, str_of(ev, "at"));
    xrm_stmt_bind_text(s, 7, str_of(ev, "recorded_at"));
    if (user_id)
        xrm_stmt_bind_int(s, 8, user_id);
    else
        xrm_stmt_bind_null(s, 8);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        json_object_set_new(ev, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_stmt_done(s);
    return r == 1 ? XRM_OK : XRM_E_DB;
}

enum xrm_rc xrm_consent_db_history(struct xrm_db *db, int64_t party_id, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT " EVENT_COLS " FROM consents WHERE party_id = ? ORDER BY given_at, id", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    json_t *items = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(items, row_to_event(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(items);
        return XRM_E_DB;
    }
    *out = items;
    return XRM_OK;
}

/* Events come in id order: the latest by the date it was given; on a tie the later record. */
static void take_event(json_t *state, json_t *ev)
{
    json_t *cur = json_object_get(state, str_of(ev, "purpose"));
    if (!cur || strcmp(str_of(ev, "at"), str_of(cur, "at")) >= 0)
        json_object_set(state, str_of(ev, "purpose"), ev);
}

enum xrm_rc xrm_consent_db_states(struct xrm_db *db, const struct xrm_batch *b, json_t **states,
                                  bool *erased, struct xrm_err *err)
{
    struct xrm_sql q;
    enum xrm_rc rc = XRM_OK;
    int r;

    for (size_t i = 0; i < b->n; i++) {
        states[i] = json_object();
        erased[i] = false;
    }
    if (b->n == 0)
        return XRM_OK;
    /* As xrm_consent_db_state: erasure markers (kind 0) first, then events in id order. */
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT 0, party_id, '', 0, NULL, NULL, erased_at, erased_at, NULL FROM "
                    "erasures WHERE party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " UNION ALL SELECT " EVENT_COLS " FROM consents WHERE party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " ORDER BY 1");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        bool marker = xrm_stmt_int(s, 0) == 0;
        json_t *ev = marker ? NULL : row_to_event(s);
        xrm_batch_foreach(b, xrm_stmt_int(s, 1), k, pos)
        {
            if (marker)
                erased[pos] = true;
            else
                take_event(states[pos], ev);
        }
        json_decref(ev);
    }
    xrm_stmt_done(s);
    if (r < 0)
        rc = XRM_E_DB;
out:
    if (rc) {
        for (size_t i = 0; i < b->n; i++) {
            json_decref(states[i]);
            states[i] = NULL;
        }
    }
    return rc;
}

enum xrm_rc xrm_consent_db_state(struct xrm_db *db, int64_t party_id, json_t **out, bool *erased,
                                 struct xrm_err *err)
{
    /* The erasure marker comes first (kind 0), then the events in time order. */
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT 0, party_id, '', 0, NULL, NULL, erased_at, erased_at, NULL FROM erasures "
        "WHERE party_id = ? UNION ALL SELECT " EVENT_COLS " FROM consents WHERE party_id = ? "
        "ORDER BY 1",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_int(s, 2, party_id);
    json_t *state = json_object();
    int r;
    *erased = false;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        if (xrm_stmt_int(s, 0) == 0) {
            *erased = true;
            continue;
        }
        json_t *ev = row_to_event(s);
        take_event(state, ev);
        json_decref(ev);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(state);
        return XRM_E_DB;
    }
    *out = state;
    return XRM_OK;
}

enum xrm_rc xrm_consent_db_erase(struct xrm_db *db, int64_t party_id, struct xrm_err *err)
{
    return xrm_rows_exec_id(db, "DELETE FROM consents WHERE party_id = ?", party_id, err);
}
