/*
 * The statement loops of row.h.
 */
#include "domain/base/row.h"

#include "core/banned.h"

enum xrm_rc xrm_rows_all(struct xrm_stmt *s, xrm_row_fn row, json_t **out, struct xrm_err *err)
{
    if (!s)
        return XRM_E_DB;
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, row(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return xrm_rows_step_rc(err);
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_rows_one(struct xrm_stmt *s, xrm_row_fn row, const char *what, int64_t id,
                         json_t **out, struct xrm_err *err)
{
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = row(s);
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", what, (long long)id);
    return XRM_OK;
}

enum xrm_rc xrm_rows_run(struct xrm_stmt *s, struct xrm_err *err)
{
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        ;
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_rows_int(struct xrm_stmt *s, int64_t *value, bool *found, struct xrm_err *err)
{
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1 && value)
        *value = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (found)
        *found = r == 1;
    else if (r == 0)
        return xrm_errf(err, XRM_E_DB, "the statement returned no row");
    return XRM_OK;
}

enum xrm_rc xrm_rows_first(struct xrm_stmt *s, xrm_row_fn row, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = row(s);
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(*out);
        *out = NULL;
        return xrm_rows_step_rc(err);
    }
    return XRM_OK;
}

enum xrm_rc xrm_rows_exec_id(struct xrm_db *db, const char *sql, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_run(s, err);
}
