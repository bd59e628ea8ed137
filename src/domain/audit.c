/*
 * Audit rows, written in the same transaction as the change.
 */
#include "domain/audit.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_domains[] = {"sales", "hr", "partners", "purchasing", "pr", NULL};

bool xrm_domain_valid(const char *name)
{
    for (const char *const *d = xrm_domains; *d; d++)
        if (strcmp(*d, name) == 0)
            return true;
    return false;
}

enum xrm_rc xrm_audit_add(struct xrm_db *db, const struct xrm_user *user, const char *action,
                          const char *entity, int64_t entity_id, json_t *before, json_t *after,
                          struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    char *b = before ? xrm_json_dump(before) : NULL;
    char *a = after ? xrm_json_dump(after) : NULL;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO audit (at, user_id, action, entity, "
                                        "entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                        err);
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        xrm_now(now);
        xrm_stmt_bind_text(s, 1, now);
        if (user && user->id)
            xrm_stmt_bind_int(s, 2, user->id);
        else
            xrm_stmt_bind_null(s, 2);
        xrm_stmt_bind_text(s, 3, action);
        xrm_stmt_bind_text(s, 4, entity);
        xrm_stmt_bind_int(s, 5, entity_id);
        xrm_stmt_bind_text(s, 6, b);
        xrm_stmt_bind_text(s, 7, a);
        rc = xrm_stmt_step(s, err) < 0 ? XRM_E_DB : XRM_OK;
        xrm_stmt_done(s);
    }
    free(b);
    free(a);
    return rc;
}
