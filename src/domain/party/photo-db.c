/*
 * Party photos in SQL (photo-db.h): one row per party in party_photos,
 * the bytes in a BLOB (BYTEA) column.
 */
#include "domain/party/photo-db.h"
#include "domain/base/batch.h"
#include "domain/base/row.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

enum xrm_rc xrm_photo_db_get(struct xrm_db *db, int64_t party_id, char **media_type,
                             unsigned char **data, size_t *len, char sha256[65], bool *found,
                             struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       data ? "SELECT media_type, sha256, data FROM party_photos WHERE party_id = ?"
                            : "SELECT media_type, sha256 FROM party_photos WHERE party_id = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    int r = xrm_stmt_step(s, err);
    *found = r == 1;
    if (r == 1) {
        if (media_type)
            *media_type = xrm_strdup(xrm_stmt_text(s, 0));
        if (sha256)
            xrm_strlcpy(sha256, xrm_stmt_text(s, 1) ? xrm_stmt_text(s, 1) : "", 65);
        if (data) {
            size_t n = 0;
            *data = xrm_stmt_blob(s, 2, &n);
            if (len)
                *len = n;
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_photo_db_put(struct xrm_db *db, int64_t party_id, const char *media_type,
                             const void *data, size_t len, const char *sha256, const char *now,
                             struct xrm_err *err)
{
    bool removed = false;
    enum xrm_rc rc = xrm_photo_db_delete(db, party_id, &removed, err);
    if (rc)
        return rc;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO party_photos (party_id, media_type, data,"
                                        " sha256, updated_at) VALUES (?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_text(s, 2, media_type);
    xrm_stmt_bind_blob(s, 3, data, len);
    xrm_stmt_bind_text(s, 4, sha256);
    xrm_stmt_bind_text(s, 5, now);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_photo_db_delete(struct xrm_db *db, int64_t party_id, bool *removed,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM party_photos WHERE party_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    *removed = r == 1;
    if (r != 1)
        return r < 0 ? XRM_E_DB : XRM_OK;
    s = xrm_db_prepare(db, "DELETE FROM party_photos WHERE party_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_photo_db_which(struct xrm_db *db, const struct xrm_batch *b, bool *has,
                               struct xrm_err *err)
{
    for (size_t i = 0; i < b->n; i++)
        has[i] = false;
    if (!b->n)
        return XRM_OK;
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT party_id FROM party_photos WHERE party_id IN ");
    xrm_batch_sql_in(b, &q);
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            has[pos] = true;
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
