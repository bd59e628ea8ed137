/*
 * SQL of the address books (carddav-db.h).
 */
#include "domain/dav/carddav-db.h"
#include "domain/base/access.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

static void copy_to(char *dst, size_t cap, const char *s)
{
    xrm_strlcpy(dst, s ? s : "", cap);
}

/* Runs q, calling fn with each row's position in b; releases q. */
static enum xrm_rc each_row(struct xrm_db *db, const struct xrm_batch *b, struct xrm_sql *q,
                            void (*fn)(struct xrm_stmt *s, struct xrm_card_meta *m),
                            struct xrm_card_meta *meta, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_sql_prepare(db, q, err);
    xrm_sql_release(q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos) fn(s, &meta[pos]);
    }
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

static void name_row(struct xrm_stmt *s, struct xrm_card_meta *m)
{
    copy_to(m->name, sizeof(m->name), xrm_stmt_text(s, 1));
    copy_to(m->uid, sizeof(m->uid), xrm_stmt_text(s, 2));
}

static void photo_row(struct xrm_stmt *s, struct xrm_card_meta *m)
{
    copy_to(m->photo, sizeof(m->photo), xrm_stmt_text(s, 1));
}

static void hidden_row(struct xrm_stmt *s, struct xrm_card_meta *m)
{
    m->hidden_only = true;
}

enum xrm_rc xrm_carddav_db_meta(struct xrm_db *db, const struct xrm_user *user,
                                const struct xrm_batch *b, struct xrm_card_meta *meta,
                                struct xrm_err *err)
{
    struct xrm_sql q;
    enum xrm_rc rc;
    memset(meta, 0, b->n * sizeof(*meta));
    if (b->n == 0)
        return XRM_OK;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT party_id, name, uid FROM dav_cards WHERE tenant = 1 AND party_id IN ");
    xrm_batch_sql_in(b, &q);
    if ((rc = each_row(db, b, &q, name_row, meta, err)))
        return rc;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT party_id, sha256 FROM party_photos WHERE party_id IN ");
    xrm_batch_sql_in(b, &q);
    if ((rc = each_row(db, b, &q, photo_row, meta, err)))
        return rc;
    if (xrm_access_reads_all(user))
        return XRM_OK;
    /* parties holding roles, none of which the reader sees (domain/base/access.h); CASE, as
     * the readable-domain parameters of a user without access are NULL */
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT r.party_id FROM roles r WHERE r.party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " GROUP BY r.party_id HAVING MAX(CASE WHEN " XRM_ACCESS_NOT_RECRUITMENT(
                        "r") " OR " XRM_ACCESS_MATCH("r.domain") " THEN 1 ELSE 0 END) = 0");
    xrm_sql_readable(&q, user);
    return each_row(db, b, &q, hidden_row, meta, err);
}

enum xrm_rc xrm_carddav_db_find(struct xrm_db *db, const char *name, int64_t *id,
                                struct xrm_err *err)
{
    bool found = false;
    *id = 0;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT party_id FROM dav_cards WHERE tenant = 1 AND name = ?", err);
    if (s)
        xrm_stmt_bind_text(s, 1, name);
    enum xrm_rc rc = xrm_rows_int(s, id, &found, err);
    if (rc || found)
        return rc;
    size_t n = strlen(name);
    if (n <= 4 || strcmp(name + n - 4, ".vcf") != 0)
        return XRM_OK;
    s = xrm_db_prepare(db,
                       "SELECT p.id FROM parties p WHERE p.tenant = 1 AND p.uid = ? AND NOT EXISTS "
                       "(SELECT 1 FROM dav_cards c WHERE c.party_id = p.id)",
                       err);
    if (s)
        xrm_stmt_bind_textn(s, 1, name, n - 4);
    return xrm_rows_int(s, id, &found, err);
}

enum xrm_rc xrm_carddav_db_set(struct xrm_db *db, int64_t id, const char *name, const char *uid,
                               struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO dav_cards (party_id, tenant, name, uid) VALUES (?, 1, ?, ?)"
        " ON CONFLICT (party_id) DO UPDATE SET name = excluded.name, uid = excluded.uid",
        err);
    if (s) {
        xrm_stmt_bind_int(s, 1, id);
        xrm_stmt_bind_text(s, 2, name);
        xrm_stmt_bind_text(s, 3, uid);
    }
    return xrm_rows_run(s, err);
}
