/*
 * SQL of webhook subscriptions (webhook-db.h).
 */
#include "domain/webhooks/webhook-db.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdlib.h>

#include "core/banned.h"

static json_t *enabled_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "owner", xrm_row_int(s, 1));
    json_object_set_new(o, "events", xrm_json_load_stored(xrm_stmt_text(s, 2), true));
    json_object_set_new(o, "domains", xrm_json_load_stored(xrm_stmt_text(s, 3), true));
    return o;
}

enum xrm_rc xrm_webhook_db_enabled(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(xrm_db_prepare(db,
                                       "SELECT id, owner_id, events, domains FROM webhooks "
                                       "WHERE enabled = 1 ORDER BY id",
                                       err),
                        enabled_row, out, err);
}

enum xrm_rc xrm_webhook_db_secret(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT secret FROM webhooks WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        *out = xrm_strdup(xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_webhook_db_count(struct xrm_db *db, int64_t *n, struct xrm_err *err)
{
    return xrm_rows_int(xrm_db_prepare(db, "SELECT COUNT(*) FROM webhooks", err), n, NULL, err);
}
