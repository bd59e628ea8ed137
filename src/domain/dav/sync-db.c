/*
 * SQL for sync tokens: the only code that reads or writes table dav_sync.
 * The declarations are in sync-db.h.
 */
#include "domain/dav/sync-db.h"
#include "core/mem.h"

#include <stdlib.h>

#include "core/banned.h"

enum xrm_rc xrm_dav_sync_db_latest(struct xrm_db *db, int64_t user, const char *collection,
                                   char **token, char **members, struct xrm_err *err)
{
    *token = *members = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT token, members FROM dav_sync WHERE user_id = ? "
                                        "AND collection = ? ORDER BY id DESC LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    xrm_stmt_bind_text(s, 2, collection);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        *token = xrm_strdup(xrm_stmt_text(s, 0));
        *members = xrm_strdup(xrm_stmt_text(s, 1));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_dav_sync_db_find(struct xrm_db *db, int64_t user, const char *collection,
                                 const char *token, char **members, struct xrm_err *err)
{
    *members = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT members FROM dav_sync WHERE token = ? AND "
                                        "user_id = ? AND collection = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, token);
    xrm_stmt_bind_int(s, 2, user);
    xrm_stmt_bind_text(s, 3, collection);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *members = xrm_strdup(xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_dav_sync_db_insert(struct xrm_db *db, int64_t user, const char *collection,
                                   const char *token, const char *members, const char *now,
                                   int keep, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO dav_sync (user_id, collection, token, "
                                        "members, at) VALUES (?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    xrm_stmt_bind_text(s, 2, collection);
    xrm_stmt_bind_text(s, 3, token);
    xrm_stmt_bind_text(s, 4, members);
    xrm_stmt_bind_text(s, 5, now);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    s = xrm_db_prepare(db,
                       "DELETE FROM dav_sync WHERE user_id = ? AND collection = ? AND id NOT IN "
                       "(SELECT id FROM dav_sync WHERE user_id = ? AND collection = ? ORDER BY "
                       "id DESC LIMIT ?)",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    xrm_stmt_bind_text(s, 2, collection);
    xrm_stmt_bind_int(s, 3, user);
    xrm_stmt_bind_text(s, 4, collection);
    xrm_stmt_bind_int(s, 5, keep);
    r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
