/*
 * SQL for deals and their stage history. deal.c validates; these functions
 * trust their arguments. The stage history keeps the stage names as they
 * were, so it still reads right after a stage is renamed or removed.
 *
 * xrm_deal_db_role_activate is the one write here outside the deal tables:
 * winning a deal activates the party's customer role. It changes the status
 * only (attributes and their role_attrs index stay as they are); deal.c
 * writes the audit row and touches the party.
 */
#include "domain/records/deal-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define DEAL_COLS                                                                                  \
    "d.id, d.party_id, p.name, d.pipeline_id, d.stage_id, s.name, d.title, d.amount, "             \
    "d.currency, d.probability, s.probability, d.expected_close, d.owner, d.status, "              \
    "d.lost_reason, d.closed_at, d.created_by, d.version, d.created_at, d.updated_at"
#define DEAL_FROM                                                                                  \
    " FROM deals d JOIN parties p ON p.id = d.party_id "                                           \
    "JOIN pipeline_stages s ON s.id = d.stage_id"

static json_t *deal_json(struct xrm_stmt *s)
{
    json_t *o = json_object();
    const char *status = xrm_stmt_text(s, 13);
    int64_t prob = xrm_stmt_is_null(s, 9) ? xrm_stmt_int(s, 10) : xrm_stmt_int(s, 9);
    const char *source = xrm_stmt_is_null(s, 9) ? "stage" : "deal";
    if (status && strcmp(status, "won") == 0) {
        prob = 100;
        source = "status";
    } else if (status && strcmp(status, "lost") == 0) {
        prob = 0;
        source = "status";
    }
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 1)));
    xrm_json_set_str(o, "party_name", xrm_stmt_text(s, 2));
    json_object_set_new(o, "pipeline", json_integer(xrm_stmt_int(s, 3)));
    json_object_set_new(o, "stage", json_integer(xrm_stmt_int(s, 4)));
    xrm_json_set_str(o, "stage_name", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "title", xrm_stmt_text(s, 6));
    json_object_set_new(o, "amount", json_integer(xrm_stmt_int(s, 7)));
    xrm_json_set_str(o, "currency", xrm_stmt_text(s, 8));
    json_object_set_new(o, "probability", json_integer(prob));
    json_object_set_new(o, "probability_source", json_string(source));
    xrm_json_set_str(o, "expected_close", xrm_stmt_text(s, 11));
    json_object_set_new(o, "owner", xrm_row_int(s, 12));
    xrm_json_set_str(o, "status", status);
    xrm_json_set_str(o, "lost_reason", xrm_stmt_text(s, 14));
    xrm_json_set_str(o, "closed_at", xrm_stmt_text(s, 15));
    json_object_set_new(o, "created_by", xrm_row_int(s, 16));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 17)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 18));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 19));
    return o;
}

enum xrm_rc xrm_deal_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT " DEAL_COLS DEAL_FROM " WHERE d.id = ?", err);
    json_t *o = NULL;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        o = deal_json(s);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no deal %lld", (long long)id);
    *out = o;
    return XRM_OK;
}

/* Binds the twelve record columns party .. closed_at to 1..12 in table order. */
static void bind_record(struct xrm_stmt *s, json_t *rec)
{
    xrm_row_bind_int(s, 1, rec, "party");
    xrm_row_bind_int(s, 2, rec, "pipeline");
    xrm_row_bind_int(s, 3, rec, "stage");
    xrm_row_bind_str(s, 4, rec, "title");
    xrm_row_bind_int(s, 5, rec, "amount");
    xrm_row_bind_str(s, 6, rec, "currency");
    xrm_row_bind_int(s, 7, rec, "probability");
    xrm_row_bind_str(s, 8, rec, "expected_close");
    xrm_row_bind_int(s, 9, rec, "owner");
    xrm_row_bind_str(s, 10, rec, "status");
    xrm_row_bind_str(s, 11, rec, "lost_reason");
    xrm_row_bind_str(s, 12, rec, "closed_at");
}

enum xrm_rc xrm_deal_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                               int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO deals (party_id, pipeline_id, stage_id, title, amount, "
                       "currency, probability, expected_close, owner, status, lost_reason, "
                       "closed_at, created_by, version, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    if (created_by)
        xrm_stmt_bind_int(s, 13, created_by);
    else
        xrm_stmt_bind_null(s, 13);
    xrm_stmt_bind_text(s, 14, now);
    xrm_stmt_bind_text(s, 15, now);
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    return *id ? XRM_OK : xrm_errf(err, XRM_E_DB, "insert into deals returned no id");
}

enum xrm_rc xrm_deal_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                               struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "UPDATE deals SET party_id = ?, pipeline_id = ?, stage_id = ?, title = ?, "
                       "amount = ?, currency = ?, probability = ?, expected_close = ?, owner = ?, "
                       "status = ?, lost_reason = ?, closed_at = ?, version = version + 1, "
                       "updated_at = ? WHERE id = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    xrm_stmt_bind_text(s, 13, now);
    xrm_stmt_bind_int(s, 14, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_deal_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM deal_stage_history WHERE deal_id = ?",
        "DELETE FROM record_activities WHERE entity = 'deal' AND entity_id = ?",
        "DELETE FROM deals WHERE id = ?"};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql[i], err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

enum xrm_rc xrm_deal_db_history_add(struct xrm_db *db, int64_t deal_id, json_t *from, json_t *to,
                                    int64_t user_id, const char *at, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO deal_stage_history (deal_id, from_stage, "
                                        "from_name, to_stage, to_name, user_id, at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, deal_id);
    if (from) {
        xrm_stmt_bind_int(s, 2, json_integer_value(json_object_get(from, "id")));
        xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(from, "name")));
    } else {
        xrm_stmt_bind_null(s, 2);
        xrm_stmt_bind_null(s, 3);
    }
    xrm_stmt_bind_int(s, 4, json_integer_value(json_object_get(to, "id")));
    xrm_stmt_bind_text(s, 5, json_string_value(json_object_get(to, "name")));
    if (user_id)
        xrm_stmt_bind_int(s, 6, user_id);
    else
        xrm_stmt_bind_null(s, 6);
    xrm_stmt_bind_text(s, 7, at);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_deal_db_history(struct xrm_db *db, int64_t deal_id, json_t **out,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, from_stage, from_name, to_stage, to_name, "
                                        "user_id, at FROM deal_stage_history WHERE deal_id = ? "
                                        "ORDER BY id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, deal_id);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
        json_object_set_new(o, "from", xrm_row_int(s, 1));
        xrm_json_set_str(o, "from_name", xrm_stmt_text(s, 2));
        json_object_set_new(o, "to", json_integer(xrm_stmt_int(s, 3)));
        xrm_json_set_str(o, "to_name", xrm_stmt_text(s, 4));
        json_object_set_new(o, "user", xrm_row_int(s, 5));
        xrm_json_set_str(o, "at", xrm_stmt_text(s, 6));
        json_array_append_new(arr, o);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_deal_db_list(struct xrm_db *db, const struct xrm_deal_filter *f, int n,
                             int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_adds(&sql, "SELECT " DEAL_COLS DEAL_FROM " WHERE 1 = 1");
    if (f->party)
        xrm_buf_adds(&sql, " AND d.party_id = ?");
    if (f->pipeline)
        xrm_buf_adds(&sql, " AND d.pipeline_id = ?");
    if (f->stage)
        xrm_buf_adds(&sql, " AND d.stage_id = ?");
    if (f->owner)
        xrm_buf_adds(&sql, " AND d.owner = ?");
    if (f->status)
        xrm_buf_adds(&sql, " AND d.status = ?");
    if (f->closed_since)
        xrm_buf_adds(&sql, " AND (d.status = 'open' OR d.closed_at >= ?)");
    if (before_id)
        xrm_buf_adds(&sql, " AND d.id < ?");
    xrm_buf_adds(&sql, " ORDER BY d.id DESC LIMIT ?");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    if (f->party)
        xrm_stmt_bind_int(s, i++, f->party);
    if (f->pipeline)
        xrm_stmt_bind_int(s, i++, f->pipeline);
    if (f->stage)
        xrm_stmt_bind_int(s, i++, f->stage);
    if (f->owner)
        xrm_stmt_bind_int(s, i++, f->owner);
    if (f->status)
        xrm_stmt_bind_text(s, i++, f->status);
    if (f->closed_since)
        xrm_stmt_bind_text(s, i++, f->closed_since);
    if (before_id)
        xrm_stmt_bind_int(s, i++, before_id);
    xrm_stmt_bind_int(s, i, n);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, deal_json(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_deal_db_role_activate(struct xrm_db *db, int64_t role_id, const char *today,
                                      const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE roles SET status = 'active', since = "
                                        "COALESCE(since, ?), version = version + 1, "
                                        "updated_at = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, today);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, role_id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
