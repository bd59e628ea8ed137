/*
 * The outbox's SQL (outbox-db.h).
 */
#include "domain/mail/outbox-db.h"
#include "domain/mail/outbox.h" /* xrm_outbox_depth */
#include "domain/base/row.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static void bind_id_or_null(struct xrm_stmt *s, int idx, int64_t v)
{
    if (v)
        xrm_stmt_bind_int(s, idx, v);
    else
        xrm_stmt_bind_null(s, idx);
}

enum xrm_rc xrm_outbox_db_insert(struct xrm_db *db, const struct xrm_outbox_row *r, int64_t *id,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO mail_outbox (message_id, mail_from, rcpt, message, status, attempts, "
        "next_at, campaign_id, created_by, created_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, "
        "?) "
        "RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, r->message_id);
    xrm_stmt_bind_text(s, 2, r->mail_from);
    xrm_stmt_bind_text(s, 3, r->rcpt);
    xrm_stmt_bind_text(s, 4, r->message);
    xrm_stmt_bind_text(s, 5, r->now);
    bind_id_or_null(s, 6, r->campaign);
    bind_id_or_null(s, 7, r->created_by);
    xrm_stmt_bind_text(s, 8, r->now);
    return xrm_rows_int(s, id, NULL, err);
}

enum xrm_rc xrm_outbox_db_message(struct xrm_db *db, const struct xrm_mail_message_row *r,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO mail_messages (message_id, direction, activity_id, entity, entity_id, "
        "in_reply_to, from_addr, to_addrs, subject, outbox_id, mailbox_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, r->message_id);
    xrm_stmt_bind_text(s, 2, r->direction);
    bind_id_or_null(s, 3, r->activity);
    xrm_stmt_bind_text(s, 4, r->entity);
    if (r->entity)
        xrm_stmt_bind_int(s, 5, r->entity_id);
    else
        xrm_stmt_bind_null(s, 5);
    xrm_stmt_bind_text(s, 6, r->in_reply_to);
    xrm_stmt_bind_text(s, 7, r->from_addr);
    xrm_stmt_bind_text(s, 8, r->to_addrs);
    xrm_stmt_bind_text(s, 9, r->subject);
    bind_id_or_null(s, 10, r->outbox);
    bind_id_or_null(s, 11, r->mailbox);
    xrm_stmt_bind_text(s, 12, r->at);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_outbox_db_requeue(struct xrm_db *db, const char *now, int64_t *n,
                                  struct xrm_err *err)
{
    *n = 0;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sending'", err);
    enum xrm_rc rc = xrm_rows_int(s, n, NULL, err);
    if (rc || *n == 0)
        return rc;
    s = xrm_db_prepare(db,
                       "UPDATE mail_outbox SET status = 'queued', next_at = ? "
                       "WHERE status = 'sending'",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    return xrm_rows_run(s, err);
}

void xrm_outbox_claim_free(struct xrm_outbox_claim *c)
{
    free(c->mail_from);
    free(c->rcpt);
    free(c->message);
    memset(c, 0, sizeof(*c));
}

static char *dup_text(struct xrm_stmt *s, int col)
{
    const char *t = xrm_stmt_text(s, col);
    return strdup(t ? t : "");
}

enum xrm_rc xrm_outbox_db_claim(struct xrm_db *db, const char *now, struct xrm_outbox_claim *c,
                                bool *found, struct xrm_err *err)
{
    int64_t id = 0;
    *found = false;
    memset(c, 0, sizeof(*c));
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id FROM mail_outbox WHERE status = 'queued' AND "
                                        "next_at <= ? ORDER BY next_at, id LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    bool any = false;
    enum xrm_rc rc = xrm_rows_int(s, &id, &any, err);
    if (rc || !any)
        return rc;
    /* The status check makes a claim another server won first a no-op. */
    s = xrm_db_prepare(db,
                       "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1 "
                       "WHERE id = ? AND status = 'queued' "
                       "RETURNING id, attempts, mail_from, rcpt, message",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        c->id = xrm_stmt_int(s, 0);
        c->attempts = xrm_stmt_int(s, 1);
        c->mail_from = dup_text(s, 2);
        c->rcpt = dup_text(s, 3);
        c->message = dup_text(s, 4);
        *found = c->mail_from && c->rcpt && c->message;
        while (r == 1)
            r = xrm_stmt_step(s, err);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        xrm_outbox_claim_free(c);
        *found = false;
        return xrm_rows_step_rc(err);
    }
    return XRM_OK;
}

enum xrm_rc xrm_outbox_db_finish(struct xrm_db *db, int64_t id, const char *status,
                                 const char *next_at, const char *last_error, const char *sent_at,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE mail_outbox SET status = ?, "
                                        "next_at = COALESCE(?, next_at), last_error = ?, "
                                        "sent_at = COALESCE(?, sent_at) WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, status);
    xrm_stmt_bind_text(s, 2, next_at);
    xrm_stmt_bind_text(s, 3, last_error);
    xrm_stmt_bind_text(s, 4, sent_at);
    xrm_stmt_bind_int(s, 5, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_outbox_db_next_due(struct xrm_db *db, char *out, size_t n, struct xrm_err *err)
{
    out[0] = '\0';
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT MIN(next_at) FROM mail_outbox WHERE status = 'queued'", err);
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        xrm_strlcpy(out, xrm_stmt_text(s, 0), n);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

#define LIST_COLS                                                                                  \
    "o.id, o.message_id, o.rcpt, (SELECT m.subject FROM mail_messages m WHERE m.outbox_id = o.id " \
    "ORDER BY m.id LIMIT 1), o.status, o.attempts, o.next_at, o.last_error, o.created_at, "        \
    "o.sent_at, o.campaign_id"

static json_t *list_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "message_id", xrm_row_text(s, 1));
    json_object_set_new(o, "to", xrm_row_text(s, 2));
    json_object_set_new(o, "subject", xrm_row_text(s, 3));
    json_object_set_new(o, "status", xrm_row_text(s, 4));
    json_object_set_new(o, "attempts", xrm_row_int(s, 5));
    json_object_set_new(o, "next_at", xrm_row_text(s, 6));
    json_object_set_new(o, "last_error", xrm_row_text(s, 7));
    json_object_set_new(o, "created_at", xrm_row_text(s, 8));
    json_object_set_new(o, "sent_at", xrm_row_text(s, 9));
    json_object_set_new(o, "campaign", xrm_row_int(s, 10));
    return o;
}

enum xrm_rc xrm_outbox_db_list(struct xrm_db *db, const char *status, int64_t before, int limit,
                               json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT " LIST_COLS " FROM mail_outbox o "
                                        "WHERE (? = '' OR o.status = ?) AND (? = 0 OR o.id < ?) "
                                        "ORDER BY o.id DESC LIMIT ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, status ? status : "");
    xrm_stmt_bind_text(s, 2, status ? status : "");
    xrm_stmt_bind_int(s, 3, before);
    xrm_stmt_bind_int(s, 4, before);
    xrm_stmt_bind_int(s, 5, limit);
    return xrm_rows_all(s, list_row, out, err);
}

enum xrm_rc xrm_outbox_db_retry(struct xrm_db *db, int64_t id, const char *now, json_t **out,
                                struct xrm_err *err)
{
    json_t *row = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " LIST_COLS " FROM mail_outbox o WHERE o.id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    enum xrm_rc rc = xrm_rows_one(s, list_row, "outbox mail", id, &row, err);
    if (rc)
        return rc;
    const char *status = json_string_value(json_object_get(row, "status"));
    if (strcmp(status, "sent") == 0 || strcmp(status, "sending") == 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "the mail is %s already",
                      strcmp(status, "sent") == 0 ? "sent" : "being sent");
        json_decref(row);
        return rc;
    }
    json_decref(row);
    s = xrm_db_prepare(db,
                       "UPDATE mail_outbox SET status = 'queued', next_at = ? WHERE id = ? "
                       "AND status IN ('queued', 'failed')",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_int(s, 2, id);
    if ((rc = xrm_rows_run(s, err)))
        return rc;
    s = xrm_db_prepare(db, "SELECT " LIST_COLS " FROM mail_outbox o WHERE o.id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, list_row, "outbox mail", id, out, err);
}

enum xrm_rc xrm_outbox_db_last_message(struct xrm_db *db, const char *entity, int64_t entity_id,
                                       char *out, size_t n, struct xrm_err *err)
{
    out[0] = '\0';
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT message_id FROM mail_messages WHERE entity = ? "
                                        "AND entity_id = ? ORDER BY at DESC, id DESC LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, entity);
    xrm_stmt_bind_int(s, 2, entity_id);
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        xrm_strlcpy(out, xrm_stmt_text(s, 0), n);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* Operations (GET /metrics): mails waiting to be sent, or being sent. */
enum xrm_rc xrm_outbox_depth(struct xrm_db *db, int64_t *n, struct xrm_err *err)
{
    *n = 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT COUNT(*) FROM mail_outbox WHERE status IN ('queued', 'sending')", err);
    return xrm_rows_int(s, n, NULL, err);
}
