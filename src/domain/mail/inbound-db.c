/*
 * SQL of mail received (inbound-db.h).
 */
#include "domain/mail/inbound-db.h"
#include "domain/base/row.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

enum xrm_rc xrm_inbound_db_seen(struct xrm_db *db, const char *message_id, const char *domain,
                                bool *seen, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT 1 FROM mail_messages m LEFT JOIN activities a ON a.id = m.activity_id "
        "WHERE m.message_id = ? AND (a.domain = ? OR a.id IS NULL OR m.direction = 'out') "
        "UNION ALL SELECT 1 FROM mail_review WHERE message_id = ? AND domain = ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, message_id);
    xrm_stmt_bind_text(s, 2, domain);
    xrm_stmt_bind_text(s, 3, message_id);
    xrm_stmt_bind_text(s, 4, domain);
    return xrm_rows_int(s, NULL, seen, err);
}

enum xrm_rc xrm_inbound_db_case_of(struct xrm_db *db, const char *message_id, int64_t *case_id,
                                   struct xrm_err *err)
{
    *case_id = 0;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT entity_id FROM mail_messages WHERE message_id = ? "
                                        "AND entity = 'case' AND entity_id IS NOT NULL "
                                        "ORDER BY id DESC LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, message_id);
    bool found = false;
    return xrm_rows_int(s, case_id, &found, err);
}

enum xrm_rc xrm_inbound_db_parties(struct xrm_db *db, const char *key, json_t *arr,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT DISTINCT k.party_id FROM party_keys k JOIN parties p ON p.id = k.party_id "
        "WHERE k.kind = 'email' AND k.value = ? AND p.archived = 0 ORDER BY k.party_id LIMIT 20",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, key);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        int64_t id = xrm_stmt_int(s, 0);
        size_t i;
        json_t *v;
        bool have = false;
        json_array_foreach(arr, i, v) have = have || json_integer_value(v) == id;
        if (!have)
            json_array_append_new(arr, json_integer(id));
    }
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_inbound_db_user(struct xrm_db *db, const char *addr, int64_t *id,
                                struct xrm_err *err)
{
    *id = 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM users WHERE lower(name) = ? AND disabled = 0 ORDER BY id LIMIT 1", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, addr);
    bool found = false;
    return xrm_rows_int(s, id, &found, err);
}

static void bind_id(struct xrm_stmt *s, int idx, int64_t v)
{
    if (v)
        xrm_stmt_bind_int(s, idx, v);
    else
        xrm_stmt_bind_null(s, idx);
}

enum xrm_rc xrm_inbound_db_message_add(struct xrm_db *db, const struct xrm_inbound_row *r,
                                       struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO mail_messages (message_id, direction, activity_id, entity, entity_id, "
        "in_reply_to, from_addr, to_addrs, subject, mailbox_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, r->message_id);
    xrm_stmt_bind_text(s, 2, r->direction);
    bind_id(s, 3, r->activity_id);
    xrm_stmt_bind_text(s, 4, r->entity);
    bind_id(s, 5, r->entity_id);
    xrm_stmt_bind_text(s, 6, r->in_reply_to);
    xrm_stmt_bind_text(s, 7, r->from_addr);
    xrm_stmt_bind_text(s, 8, r->to_addrs);
    xrm_stmt_bind_text(s, 9, r->subject);
    bind_id(s, 10, r->mailbox_id);
    xrm_stmt_bind_text(s, 11, r->at);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_inbound_db_review_add(struct xrm_db *db, const struct xrm_review_row *r,
                                      int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO mail_review (mailbox_id, domain, message_id, from_addr, from_name, subject, "
        "text, raw, received_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'review') "
        "RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    bind_id(s, 1, r->mailbox_id);
    xrm_stmt_bind_text(s, 2, r->domain);
    xrm_stmt_bind_text(s, 3, r->message_id);
    xrm_stmt_bind_text(s, 4, r->from_addr);
    xrm_stmt_bind_text(s, 5, r->from_name);
    xrm_stmt_bind_text(s, 6, r->subject);
    xrm_stmt_bind_text(s, 7, r->text);
    xrm_stmt_bind_text(s, 8, r->raw);
    xrm_stmt_bind_text(s, 9, r->received_at);
    return xrm_rows_int(s, id, NULL, err);
}

#define REVIEW_COLS                                                                                \
    "SELECT id, mailbox_id, domain, from_addr, from_name, subject, text, received_at, status, "    \
    "activity_id, message_id, raw FROM mail_review "

static json_t *review_row(struct xrm_stmt *s)
{
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", xrm_row_int(s, 0),
        "mailbox", xrm_row_int(s, 1), "domain", xrm_row_text(s, 2), "from", xrm_row_text(s, 3),
        "from_name", xrm_row_text(s, 4), "subject", xrm_row_text(s, 5), "text", xrm_row_text(s, 6),
        "received_at", xrm_row_text(s, 7), "status", xrm_row_text(s, 8), "activity",
        xrm_row_int(s, 9), "message_id", xrm_row_text(s, 10), "raw", xrm_row_text(s, 11));
}

static json_t *review_row_public(struct xrm_stmt *s)
{
    json_t *o = review_row(s);
    json_object_del(o, "raw");
    json_object_del(o, "message_id");
    return o;
}

enum xrm_rc xrm_inbound_db_review_get(struct xrm_db *db, int64_t id, bool with_raw, json_t **out,
                                      struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, REVIEW_COLS "WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, with_raw ? review_row : review_row_public, "mail in review", id, out,
                        err);
}

enum xrm_rc xrm_inbound_db_review_list(struct xrm_db *db, const char *status,
                                       const char *const domains[5], int limit, json_t **out,
                                       struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, REVIEW_COLS "WHERE status = ? AND domain IN (?, ?, ?, ?, ?) ORDER BY id DESC LIMIT ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, status);
    for (int i = 0; i < 5; i++)
        xrm_stmt_bind_text(s, 2 + i, domains[i]);
    xrm_stmt_bind_int(s, 7, limit);
    return xrm_rows_all(s, review_row_public, out, err);
}

enum xrm_rc xrm_inbound_db_review_decide(struct xrm_db *db, int64_t id, const char *status,
                                         int64_t activity_id, int64_t user, const char *now,
                                         bool *done, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE mail_review SET status = ?, activity_id = ?, decided_by = ?, decided_at = ?, "
        "raw = NULL WHERE id = ? AND status = 'review' RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, status);
    bind_id(s, 2, activity_id);
    bind_id(s, 3, user);
    xrm_stmt_bind_text(s, 4, now);
    xrm_stmt_bind_int(s, 5, id);
    return xrm_rows_int(s, NULL, done, err);
}
