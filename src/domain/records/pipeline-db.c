/*
 * SQL for pipelines and their stages, and the grouped sums of deals for the
 * board and the forecast. pipeline.c validates; these functions trust their
 * arguments. A deal's effective probability is its own when set, else its
 * stage's; won deals count 100 and lost deals 0.
 */
#include "domain/records/pipeline-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define EFFECTIVE_PROB                                                                             \
    "CASE WHEN d.status = 'won' THEN 100 WHEN d.status = 'lost' THEN 0 "                           \
    "ELSE COALESCE(d.probability, s.probability) END"

static enum xrm_rc run(struct xrm_stmt *s, struct xrm_err *err)
{
    return xrm_rows_run(s, err);
}

static enum xrm_rc load_stages(struct xrm_db *db, int64_t id, json_t *p, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, name, probability, kind, position FROM "
                                        "pipeline_stages WHERE pipeline_id = ? ORDER BY "
                                        "position, id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    json_t *arr = json_array();
    json_object_set_new(p, "stages", arr);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(
            arr,
            json_pack("{s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)xrm_stmt_int(s, 0), "name",
                      xrm_stmt_text(s, 1), "probability", (json_int_t)xrm_stmt_int(s, 2), "kind",
                      xrm_stmt_text(s, 3), "position", (json_int_t)xrm_stmt_int(s, 4)));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_pipe_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, name, is_default, version, created_at, "
                                        "updated_at FROM pipelines WHERE id = ?",
                                        err);
    json_t *p = NULL;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        p = json_pack("{s:I, s:s, s:b, s:I, s:s, s:s}", "id", (json_int_t)xrm_stmt_int(s, 0),
                      "name", xrm_stmt_text(s, 1), "default", xrm_stmt_int(s, 2) != 0, "version",
                      (json_int_t)xrm_stmt_int(s, 3), "created_at", xrm_stmt_text(s, 4),
                      "updated_at", xrm_stmt_text(s, 5));
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no pipeline %lld", (long long)id);
    enum xrm_rc rc = load_stages(db, id, p, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    *out = p;
    return XRM_OK;
}

enum xrm_rc xrm_pipe_db_ids(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(
        xrm_db_prepare(db, "SELECT id FROM pipelines ORDER BY is_default DESC, name, id", err),
        xrm_row_id, out, err);
}

enum xrm_rc xrm_pipe_db_default(struct xrm_db *db, int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT id FROM pipelines ORDER BY is_default DESC, id LIMIT 1", err);
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_pipe_db_name_taken(struct xrm_db *db, const char *name, int64_t except_id,
                                   bool *taken, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT 1 FROM pipelines WHERE LOWER(name) = LOWER(?) AND id <> ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_int(s, 2, except_id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    *taken = r == 1;
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_pipe_db_insert(struct xrm_db *db, const char *name, bool is_default,
                               const char *now, int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO pipelines (name, is_default, version, "
                                        "created_at, updated_at) VALUES (?, ?, 1, ?, ?) "
                                        "RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_int(s, 2, is_default);
    xrm_stmt_bind_text(s, 3, now);
    xrm_stmt_bind_text(s, 4, now);
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    return *id ? XRM_OK : xrm_errf(err, XRM_E_DB, "insert into pipelines returned no id");
}

enum xrm_rc xrm_pipe_db_update(struct xrm_db *db, int64_t id, const char *name, bool is_default,
                               const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE pipelines SET name = ?, is_default = ?, "
                                        "version = version + 1, updated_at = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_int(s, 2, is_default);
    xrm_stmt_bind_text(s, 3, now);
    xrm_stmt_bind_int(s, 4, id);
    return run(s, err);
}

enum xrm_rc xrm_pipe_db_only_default(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE pipelines SET is_default = 0 WHERE id <> ? AND is_default = 1", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return run(s, err);
}

enum xrm_rc xrm_pipe_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    static const char *const sql[] = {"DELETE FROM pipeline_stages WHERE pipeline_id = ?",
                                      "DELETE FROM pipelines WHERE id = ?"};
    for (size_t i = 0; i < 2; i++) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql[i], err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        if (run(s, err))
            return XRM_E_DB;
    }
    return XRM_OK;
}

enum xrm_rc xrm_pipe_db_stage_insert(struct xrm_db *db, int64_t pipeline_id, int position,
                                     const char *name, int probability, const char *kind,
                                     int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO pipeline_stages (pipeline_id, position, "
                                        "name, probability, kind) VALUES (?, ?, ?, ?, ?) "
                                        "RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, pipeline_id);
    xrm_stmt_bind_int(s, 2, position);
    xrm_stmt_bind_text(s, 3, name);
    xrm_stmt_bind_int(s, 4, probability);
    xrm_stmt_bind_text(s, 5, kind);
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_pipe_db_stage_update(struct xrm_db *db, int64_t id, int position, const char *name,
                                     int probability, const char *kind, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE pipeline_stages SET position = ?, name = ?, "
                                        "probability = ?, kind = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, position);
    xrm_stmt_bind_text(s, 2, name);
    xrm_stmt_bind_int(s, 3, probability);
    xrm_stmt_bind_text(s, 4, kind);
    xrm_stmt_bind_int(s, 5, id);
    return run(s, err);
}

enum xrm_rc xrm_pipe_db_stage_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "DELETE FROM pipeline_stages WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return run(s, err);
}

enum xrm_rc xrm_pipe_db_deal_count(struct xrm_db *db, int64_t pipeline_id, int64_t stage_id,
                                   int64_t *n, struct xrm_err *err)
{
    struct xrm_stmt *s =
        stage_id ? xrm_db_prepare(db, "SELECT COUNT(*) FROM deals WHERE stage_id = ?", err)
                 : xrm_db_prepare(db, "SELECT COUNT(*) FROM deals WHERE pipeline_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, stage_id ? stage_id : pipeline_id);
    int r = xrm_stmt_step(s, err);
    *n = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_pipe_db_board_sums(struct xrm_db *db, int64_t pipeline_id, const char *currency,
                                   const char *closed_since, int64_t owner, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_adds(&sql, "SELECT d.stage_id, d.currency, COUNT(*), SUM(d.amount), "
                       "SUM(d.amount * " EFFECTIVE_PROB ") FROM deals d "
                       "JOIN pipeline_stages s ON s.id = d.stage_id WHERE d.pipeline_id = ? "
                       "AND (d.status = 'open' OR d.closed_at >= ?)");
    if (owner)
        xrm_buf_adds(&sql, " AND d.owner = ?");
    xrm_buf_adds(&sql, " GROUP BY d.stage_id, d.currency");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, pipeline_id);
    xrm_stmt_bind_text(s, 2, closed_since);
    if (owner)
        xrm_stmt_bind_int(s, 3, owner);
    json_t *res = json_object();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)xrm_stmt_int(s, 0));
        json_t *o = json_object_get(res, key);
        if (!o) {
            o = json_pack("{s:i, s:i, s:i}", "count", 0, "amount", 0, "weighted_x100", 0);
            json_object_set_new(res, key, o);
        }
        json_object_set_new(
            o, "count",
            json_integer(json_integer_value(json_object_get(o, "count")) + xrm_stmt_int(s, 2)));
        const char *cur = xrm_stmt_text(s, 1);
        if (cur && strcmp(cur, currency) == 0) {
            json_object_set_new(o, "amount", json_integer(xrm_stmt_int(s, 3)));
            json_object_set_new(o, "weighted_x100", json_integer(xrm_stmt_int(s, 4)));
        }
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(res);
        return XRM_E_DB;
    }
    *out = res;
    return XRM_OK;
}

enum xrm_rc xrm_pipe_db_forecast(struct xrm_db *db, const char *currency, int64_t pipeline,
                                 const char *from, const char *to, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_adds(&sql, "SELECT substr(d.expected_close, 1, 7), d.owner, "
                       "COALESCE(u.display_name, u.name), COUNT(*), SUM(d.amount), "
                       "SUM(d.amount * " EFFECTIVE_PROB ") FROM deals d "
                       "JOIN pipeline_stages s ON s.id = d.stage_id "
                       "LEFT JOIN users u ON u.id = d.owner "
                       "WHERE d.status = 'open' AND d.currency = ?");
    if (pipeline)
        xrm_buf_adds(&sql, " AND d.pipeline_id = ?");
    if (from)
        xrm_buf_adds(&sql, " AND substr(d.expected_close, 1, 7) >= ?");
    if (to)
        xrm_buf_adds(&sql, " AND substr(d.expected_close, 1, 7) <= ?");
    xrm_buf_adds(&sql, " GROUP BY substr(d.expected_close, 1, 7), d.owner, "
                       "COALESCE(u.display_name, u.name)");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    xrm_stmt_bind_text(s, i++, currency);
    if (pipeline)
        xrm_stmt_bind_int(s, i++, pipeline);
    if (from)
        xrm_stmt_bind_text(s, i++, from);
    if (to)
        xrm_stmt_bind_text(s, i++, to);
    json_t *rows = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *row = json_array();
        json_array_append_new(row, xrm_stmt_is_null(s, 0) ? json_null()
                                                          : json_string(xrm_stmt_text(s, 0)));
        json_array_append_new(row, xrm_stmt_is_null(s, 1) ? json_null()
                                                          : json_integer(xrm_stmt_int(s, 1)));
        json_array_append_new(row, xrm_stmt_is_null(s, 2) ? json_null()
                                                          : json_string(xrm_stmt_text(s, 2)));
        for (int c = 3; c <= 5; c++)
            json_array_append_new(row, json_integer(xrm_stmt_int(s, c)));
        json_array_append_new(rows, row);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(rows);
        return XRM_E_DB;
    }
    *out = rows;
    return XRM_OK;
}
