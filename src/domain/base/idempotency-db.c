/*
 * SQL for idempotency keys: the only code that reads or writes the table
 * idempotency. The declarations are in idempotency-db.h.
 */
#include "domain/base/idempotency-db.h"
#include "core/mem.h"

#include <stdlib.h>

#include "core/banned.h"

static char *dup_or_null(const char *s)
{
    return s ? xrm_strdup(s) : NULL;
}

void xrm_idem_db_row_release(struct xrm_idem_row *row)
{
    free((char *)row->key);
    free((char *)row->method);
    free((char *)row->path);
    free((char *)row->request_hash);
    free((char *)row->body);
    free((char *)row->location);
    row->key = row->method = row->path = row->request_hash = row->body = row->location = NULL;
}

enum xrm_rc xrm_idem_db_load(struct xrm_db *db, int64_t user, const char *key,
                             struct xrm_idem_row *row, bool *found, struct xrm_err *err)
{
    *found = false;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT method, path, status, body, location, "
                                        "request_hash FROM idempotency WHERE user_id = ? AND "
                                        "key = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    xrm_stmt_bind_text(s, 2, key);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        *found = true;
        row->user = user;
        row->key = xrm_strdup(key);
        row->method = dup_or_null(xrm_stmt_text(s, 0));
        row->path = dup_or_null(xrm_stmt_text(s, 1));
        row->status = (int)xrm_stmt_int(s, 2);
        row->body = dup_or_null(xrm_stmt_text(s, 3));
        row->location = dup_or_null(xrm_stmt_text(s, 4));
        row->request_hash = dup_or_null(xrm_stmt_text(s, 5));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_idem_db_insert(struct xrm_db *db, const struct xrm_idem_row *row, const char *now,
                               struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO idempotency (user_id, key, method, path, "
                                        "status, body, location, created_at, request_hash) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, row->user);
    xrm_stmt_bind_text(s, 2, row->key);
    xrm_stmt_bind_text(s, 3, row->method);
    xrm_stmt_bind_text(s, 4, row->path);
    xrm_stmt_bind_int(s, 5, row->status);
    xrm_stmt_bind_text(s, 6, row->body);
    xrm_stmt_bind_text(s, 7, row->location);
    xrm_stmt_bind_text(s, 8, now);
    xrm_stmt_bind_text(s, 9, row->request_hash);
    enum xrm_rc rc = xrm_stmt_step(s, err) < 0 ? XRM_E_DB : XRM_OK;
    xrm_stmt_done(s);
    return rc;
}
