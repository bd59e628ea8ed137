/*
 * SQL of the webhooks' outbox (outbox-db.h).
 */
#include "domain/webhooks/outbox-db.h"
#include "domain/webhooks/outbox.h" /* xrm_webhooks_depth */
#include "domain/base/row.h"
#include "domain/users/auth.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

enum xrm_rc xrm_whd_insert(struct xrm_db *db, const struct xrm_whd_row *r, int64_t *id,
                           struct xrm_err *err)
{
    *id = 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO webhook_deliveries (webhook_id, event, event_id, domain, party_id, body, "
        "status, attempts, next_at, created_at) SELECT id, ?, ?, ?, ?, ?, 'pending', 0, ?, ? "
        "FROM webhooks WHERE id = ? RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, r->event);
    xrm_stmt_bind_text(s, 2, r->event_id);
    xrm_stmt_bind_text(s, 3, r->domain);
    if (r->party)
        xrm_stmt_bind_int(s, 4, r->party);
    else
        xrm_stmt_bind_null(s, 4);
    xrm_stmt_bind_text(s, 5, r->body);
    xrm_stmt_bind_text(s, 6, r->now);
    xrm_stmt_bind_text(s, 7, r->now);
    xrm_stmt_bind_int(s, 8, r->webhook);
    return xrm_rows_int(s, id, NULL, err);
}

enum xrm_rc xrm_whd_requeue(struct xrm_db *db, const char *now, int64_t *n, struct xrm_err *err)
{
    *n = 0;
    enum xrm_rc rc = xrm_rows_int(
        xrm_db_prepare(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'sending'", err),
        n, NULL, err);
    if (rc || *n == 0)
        return rc;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE webhook_deliveries SET status = 'pending', "
                                        "next_at = ? WHERE status = 'sending'",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    return xrm_rows_run(s, err);
}

void xrm_whd_claim_free(struct xrm_whd_claim *c)
{
    free(c->event);
    free(c->event_id);
    free(c->body);
    free(c->created_at);
    free(c->url);
    if (c->secret)
        xrm_wipe(c->secret, strlen(c->secret));
    free(c->secret);
    memset(c, 0, sizeof(*c));
}

static char *dup_text(struct xrm_stmt *s, int col)
{
    const char *t = xrm_stmt_text(s, col);
    return xrm_strdup(t ? t : "");
}

enum xrm_rc xrm_whd_claim(struct xrm_db *db, const char *now, struct xrm_whd_claim *c, bool *found,
                          struct xrm_err *err)
{
    int64_t id = 0;
    bool any = false;
    *found = false;
    memset(c, 0, sizeof(*c));
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT d.id FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id "
        "WHERE d.status = 'pending' AND d.next_at <= ? AND h.enabled = 1 "
        "ORDER BY d.next_at, d.id LIMIT 1",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    enum xrm_rc rc = xrm_rows_int(s, &id, &any, err);
    if (rc || !any)
        return rc;
    /* The status check makes a claim another server won first a no-op. */
    s = xrm_db_prepare(db,
                       "UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1 "
                       "WHERE id = ? AND status = 'pending' "
                       "RETURNING id, attempts, webhook_id, event, event_id, body, created_at",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        c->id = xrm_stmt_int(s, 0);
        c->attempts = xrm_stmt_int(s, 1);
        c->webhook = xrm_stmt_int(s, 2);
        c->event = dup_text(s, 3);
        c->event_id = dup_text(s, 4);
        c->body = dup_text(s, 5);
        c->created_at = dup_text(s, 6);
        while (r == 1)
            r = xrm_stmt_step(s, err);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        xrm_whd_claim_free(c);
        return xrm_rows_step_rc(err);
    }
    if (!c->id)
        return XRM_OK;
    s = xrm_db_prepare(db, "SELECT url, secret FROM webhooks WHERE id = ?", err);
    if (!s) {
        xrm_whd_claim_free(c);
        return XRM_E_DB;
    }
    xrm_stmt_bind_int(s, 1, c->webhook);
    r = xrm_stmt_step(s, err);
    if (r == 1) {
        c->url = dup_text(s, 0);
        c->secret = dup_text(s, 1);
    }
    xrm_stmt_done(s);
    if (r != 1) {
        xrm_whd_claim_free(c);
        return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
    }
    *found = true;
    return XRM_OK;
}

enum xrm_rc xrm_whd_finish(struct xrm_db *db, const struct xrm_whd_outcome *o, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "UPDATE webhook_deliveries SET status = ?, next_at = COALESCE(?, next_at), "
                       "last_status = ?, last_error = ?, delivered_at = COALESCE(?, delivered_at) "
                       "WHERE id = ? AND status = 'sending'",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, o->status);
    xrm_stmt_bind_text(s, 2, o->next_at);
    if (o->last_status)
        xrm_stmt_bind_int(s, 3, o->last_status);
    else
        xrm_stmt_bind_null(s, 3);
    xrm_stmt_bind_text(s, 4, o->last_error);
    xrm_stmt_bind_text(s, 5, o->delivered_at);
    xrm_stmt_bind_int(s, 6, o->id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_whd_next_due(struct xrm_db *db, char *out, size_t n, struct xrm_err *err)
{
    out[0] = '\0';
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT MIN(d.next_at) FROM webhook_deliveries d JOIN webhooks h ON "
                       "h.id = d.webhook_id WHERE d.status = 'pending' AND h.enabled = 1",
                       err);
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        xrm_strlcpy(out, xrm_stmt_text(s, 0), n);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

#define COLS                                                                                       \
    "id, event, event_id, status, attempts, next_at, last_status, last_error, created_at, "        \
    "delivered_at"

static json_t *delivery_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "event", xrm_row_text(s, 1));
    json_object_set_new(o, "event_id", xrm_row_text(s, 2));
    json_object_set_new(o, "status", xrm_row_text(s, 3));
    json_object_set_new(o, "attempts", xrm_row_int(s, 4));
    json_object_set_new(o, "next_at", xrm_row_text(s, 5));
    json_object_set_new(o, "last_status", xrm_row_int(s, 6));
    json_object_set_new(o, "last_error", xrm_row_text(s, 7));
    json_object_set_new(o, "created_at", xrm_row_text(s, 8));
    json_object_set_new(o, "delivered_at", xrm_row_text(s, 9));
    return o;
}

enum xrm_rc xrm_whd_list(struct xrm_db *db, int64_t webhook, const char *status, int64_t before,
                         int limit, json_t **out, struct xrm_err *err)
{
    /* pending lists the ones being sent too: to the reader both are still on their way */
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT " COLS " FROM webhook_deliveries WHERE webhook_id = ? AND (? = '' OR status = ? "
        "OR (? = 'pending' AND status = 'sending')) AND (? = 0 OR id < ?) ORDER BY id DESC "
        "LIMIT ?",
        err);
    if (!s)
        return XRM_E_DB;
    const char *st = status ? status : "";
    xrm_stmt_bind_int(s, 1, webhook);
    xrm_stmt_bind_text(s, 2, st);
    xrm_stmt_bind_text(s, 3, st);
    xrm_stmt_bind_text(s, 4, st);
    xrm_stmt_bind_int(s, 5, before);
    xrm_stmt_bind_int(s, 6, before);
    xrm_stmt_bind_int(s, 7, limit);
    return xrm_rows_all(s, delivery_row, out, err);
}

enum xrm_rc xrm_whd_get(struct xrm_db *db, int64_t webhook, int64_t id, json_t **out,
                        struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT " COLS " FROM webhook_deliveries WHERE id = ? AND webhook_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    xrm_stmt_bind_int(s, 2, webhook);
    return xrm_rows_one(s, delivery_row, "webhook delivery", id, out, err);
}

enum xrm_rc xrm_whd_replay(struct xrm_db *db, int64_t webhook, int64_t id, const char *now,
                           int64_t *n, struct xrm_err *err)
{
    json_t *ids = NULL;
    *n = 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = ?, "
        "created_at = ?, last_error = NULL, last_status = NULL, delivered_at = NULL "
        "WHERE webhook_id = ? AND ((? = 0 AND status = 'dead') OR (id = ? AND status <> "
        "'sending')) "
        "RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, webhook);
    xrm_stmt_bind_int(s, 4, id);
    xrm_stmt_bind_int(s, 5, id);
    enum xrm_rc rc = xrm_rows_all(s, xrm_row_id, &ids, err);
    if (!rc)
        *n = (int64_t)json_array_size(ids);
    json_decref(ids);
    return rc;
}

enum xrm_rc xrm_whd_prune(struct xrm_db *db, const char *before, int64_t *n, struct xrm_err *err)
{
    json_t *ids = NULL;
    *n = 0;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "DELETE FROM webhook_deliveries WHERE status IN "
                                        "('delivered', 'dead') AND created_at < ? RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, before);
    enum xrm_rc rc = xrm_rows_all(s, xrm_row_id, &ids, err);
    if (!rc)
        *n = (int64_t)json_array_size(ids);
    json_decref(ids);
    return rc;
}

enum xrm_rc xrm_whd_owner(struct xrm_db *db, int64_t id, struct xrm_user *u, bool *found,
                          struct xrm_err *err)
{
    *found = false;
    memset(u, 0, sizeof(*u));
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT name, is_admin FROM users WHERE id = ? AND disabled = 0", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        u->id = id;
        xrm_strlcpy(u->name, xrm_stmt_text(s, 0) ? xrm_stmt_text(s, 0) : "", sizeof(u->name));
        u->admin = xrm_stmt_int(s, 1) != 0;
        *found = true;
    }
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    return *found ? xrm_user_load_access(db, u, err) : XRM_OK;
}

/* Operations (GET /metrics): deliveries waiting to be sent, or being sent. */
enum xrm_rc xrm_webhooks_depth(struct xrm_db *db, int64_t *n, struct xrm_err *err)
{
    *n = 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT COUNT(*) FROM webhook_deliveries WHERE status IN ('pending', 'sending')", err);
    return xrm_rows_int(s, n, NULL, err);
}
