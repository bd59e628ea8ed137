/*
 * SQL of duplicates (duplicate.h): parties sharing a normalised key, found
 * on the index party_keys (tenant, kind, value, party_id).
 *
 * Visibility in SQL, so that a hidden party never reaches C: a party is a
 * candidate for a reader when it is not archived and holds no role, or at
 * least one role the reader may see (a recruitment role, status applicant
 * or rejected, of a domain the reader may not read is hidden:
 * domain/base/access.h). Readers who read every domain skip the test.
 */
#include "domain/party/duplicate-db.h"
#include "domain/base/access.h"
#include "domain/base/sql.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void xrm_dup_db_visible(struct xrm_sql *q, const char *alias, const struct xrm_user *user)
{
    if (xrm_access_reads_all(user))
        return;
    /* alias is one of the fixed aliases of this file, never input */
    xrm_sql_add(q, " AND (NOT EXISTS (SELECT 1 FROM roles r WHERE r.party_id = ");
    xrm_sql_add(q, alias);
    xrm_sql_add(q, ".id) OR EXISTS (SELECT 1 FROM roles r WHERE r.party_id = ");
    xrm_sql_add(q, alias);
    xrm_sql_add(
        q, ".id AND (" XRM_ACCESS_NOT_RECRUITMENT("r") " OR " XRM_ACCESS_MATCH("r.domain") ")))");
    xrm_sql_readable(q, user);
}

enum xrm_rc xrm_dup_db_lookup(struct xrm_db *db, const struct xrm_user *user, const char *kind,
                              const char *value, int limit, xrm_dup_row_fn fn, void *arg,
                              struct xrm_err *err)
{
    struct xrm_sql q;
    enum xrm_rc rc = XRM_OK;
    xrm_sql_init(&q);
    if (strcmp(kind, "uid") == 0) {
        xrm_sql_add(&q, "SELECT p.id, p.name FROM parties p WHERE p.uid = ?");
        xrm_sql_str(&q, value);
    } else {
        xrm_sql_add(&q, "SELECT p.id, p.name FROM party_keys k JOIN parties p ON p.id = "
                        "k.party_id WHERE k.tenant = 1 AND k.kind = ? AND k.value = ?");
        xrm_sql_str(&q, kind);
        xrm_sql_str(&q, value);
    }
    xrm_sql_add(&q, " AND p.archived = 0");
    if (user)
        xrm_dup_db_visible(&q, "p", user);
    xrm_sql_add(&q, " ORDER BY p.id LIMIT ?");
    xrm_sql_int(&q, limit);
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        xrm_sql_release(&q);
        return XRM_E_DB;
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        fn(arg, xrm_stmt_int(s, 0), xrm_stmt_text(s, 1));
    if (r < 0)
        rc = XRM_E_DB;
    xrm_stmt_done(s);
    xrm_sql_release(&q);
    return rc;
}

enum xrm_rc xrm_dup_db_shared(struct xrm_db *db, const struct xrm_user *user, const char *kind,
                              xrm_dup_key_fn fn, void *arg, struct xrm_err *err)
{
    struct xrm_sql q;
    enum xrm_rc rc = XRM_OK;
    xrm_sql_init(&q);
    /* A semi-join on the index: only values some other key row shares, in value order. */
    xrm_sql_add(&q, "SELECT a.value, a.party_id FROM party_keys a JOIN parties p ON p.id = "
                    "a.party_id WHERE a.tenant = 1 AND a.kind = ? AND p.archived = 0");
    xrm_sql_str(&q, kind);
    xrm_dup_db_visible(&q, "p", user);
    xrm_sql_add(&q, " AND EXISTS (SELECT 1 FROM party_keys b WHERE b.tenant = a.tenant AND "
                    "b.kind = a.kind AND b.value = a.value AND b.party_id <> a.party_id) "
                    "ORDER BY a.value, a.party_id");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        xrm_sql_release(&q);
        return XRM_E_DB;
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        fn(arg, xrm_stmt_text(s, 0), xrm_stmt_int(s, 1));
    if (r < 0)
        rc = XRM_E_DB;
    xrm_stmt_done(s);
    xrm_sql_release(&q);
    return rc;
}

enum xrm_rc xrm_dup_db_name(struct xrm_db *db, int64_t id, char **name, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT name FROM parties WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    *name = r == 1 ? xrm_strdup(xrm_stmt_text(s, 0) ? xrm_stmt_text(s, 0) : "") : NULL;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
