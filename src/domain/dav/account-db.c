/*
 * dav_segments in SQL (account-db.h).
 */
#include "domain/dav/account-db.h"
#include "domain/base/row.h"

#include "core/banned.h"

enum xrm_rc xrm_dav_db_marked(struct xrm_db *db, int64_t user_id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT segment_id FROM dav_segments WHERE user_id = ? ORDER BY segment_id", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user_id);
    json_t *ids = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(ids, json_integer(xrm_stmt_int(s, 0)));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(ids);
        return XRM_E_DB;
    }
    *out = ids;
    return XRM_OK;
}

enum xrm_rc xrm_dav_db_mark(struct xrm_db *db, int64_t user_id, int64_t segment_id, bool on,
                            struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        on ? "INSERT INTO dav_segments (user_id, segment_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
           : "DELETE FROM dav_segments WHERE user_id = ? AND segment_id = ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user_id);
    xrm_stmt_bind_int(s, 2, segment_id);
    return xrm_rows_run(s, err);
}
