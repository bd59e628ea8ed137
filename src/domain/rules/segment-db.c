/*
 * Segment SQL: the segments table (a saved query text with a name).
 */
#include "domain/rules/segment-db.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/util.h"

#include "core/banned.h"

#define SEG_COLS                                                                                   \
    "id, name, query, description, created_by, version, created_at, updated_at, shared, list_sort"

static json_t *row_to_segment(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(o, "name", xrm_stmt_text(s, 1));
    xrm_json_set_str(o, "query", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "description", xrm_stmt_text(s, 3));
    json_t *owner = xrm_stmt_is_null(s, 4) ? json_null() : json_integer(xrm_stmt_int(s, 4));
    json_object_set(o, "owner", owner);
    json_object_set_new(o, "created_by", owner);
    json_object_set_new(o, "shared", json_boolean(xrm_stmt_int(s, 8) != 0));
    /* lists: the saved view's sort, null for the list's own order */
    if (xrm_stmt_is_null(s, 9))
        json_object_set_new(o, "sort", json_null());
    else
        xrm_json_set_str(o, "sort", xrm_stmt_text(s, 9));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 5)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 6));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 7));
    return o;
}

enum xrm_rc xrm_segment_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(
        xrm_db_prepare(db, "SELECT " SEG_COLS " FROM segments WHERE tenant = 1 ORDER BY name, id",
                       err),
        row_to_segment, out, err);
}

enum xrm_rc xrm_segment_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT " SEG_COLS " FROM segments WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, row_to_segment, "segment", id, out, err);
}

enum xrm_rc xrm_segment_db_insert(struct xrm_db *db, json_t *seg, int64_t created_by,
                                  int64_t *id_out, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO segments (name, query, description, "
                                        "created_by, created_at, updated_at, shared, list_sort) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, json_string_value(json_object_get(seg, "name")));
    xrm_stmt_bind_text(s, 2, json_string_value(json_object_get(seg, "query")));
    xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(seg, "description")));
    if (created_by)
        xrm_stmt_bind_int(s, 4, created_by);
    else
        xrm_stmt_bind_null(s, 4);
    xrm_stmt_bind_text(s, 5, now);
    xrm_stmt_bind_text(s, 6, now);
    xrm_stmt_bind_int(s, 7, json_is_true(json_object_get(seg, "shared")));
    xrm_stmt_bind_text(s, 8, json_string_value(json_object_get(seg, "sort")));
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *id_out = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (r == 0)
        return xrm_errf(err, XRM_E_DB, "insert into segments returned no id");
    return XRM_OK;
}

enum xrm_rc xrm_segment_db_update(struct xrm_db *db, int64_t id, json_t *seg, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE segments SET name = ?, query = ?, description = "
                                        "?, shared = ?, version = version + 1, updated_at = ?, "
                                        "list_sort = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, json_string_value(json_object_get(seg, "name")));
    xrm_stmt_bind_text(s, 2, json_string_value(json_object_get(seg, "query")));
    xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(seg, "description")));
    xrm_stmt_bind_int(s, 4, json_is_true(json_object_get(seg, "shared")));
    xrm_stmt_bind_text(s, 5, now);
    xrm_stmt_bind_text(s, 6, json_string_value(json_object_get(seg, "sort")));
    xrm_stmt_bind_int(s, 7, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_segment_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "DELETE FROM segments WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_segment_db_name_used(struct xrm_db *db, const char *name, int64_t except_id,
                                     int64_t *id_out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM segments WHERE tenant = 1 AND name = ? AND id <> ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_int(s, 2, except_id);
    int r = xrm_stmt_step(s, err);
    *id_out = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_segment_db_count(struct xrm_db *db, int64_t *out, struct xrm_err *err)
{
    return xrm_db_scalar_int(db, "SELECT COUNT(*) FROM segments WHERE tenant = 1", out, err);
}
