/*
 * The description of a campaign and the SQL of its recipients: the rows
 * written at sending, their outcome read with their outbox rows, the counts
 * per outcome and reason, and the unsubscribe tokens. campaign.c decides;
 * these trust their arguments.
 */
#include "domain/mail/campaign-db.h"
#include "domain/mail/campaign.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const char *const statuses[] = {"draft", "sending", "sent", NULL};

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("m"),
    {.name = "name",
     .column = "m.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "segment",
     .column = "m.segment_id",
     .type = XRM_FT_REF,
     .flags = XRM_FF_REQUIRED,
     .min = 1,
     .doc = "The segment whose members get the mail (those whose may_email holds when sent)"},
    {.name = "segment_name",
     .column = "(SELECT s.name FROM segments s WHERE s.id = m.segment_id)",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .doc = "null when the segment was deleted"},
    {.name = "subject",
     .column = "m.subject",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 300,
     .doc = "May hold {{salutation}}, {{name}}, {{first_name}}, {{company}}, {{email}}, "
            "{{unsubscribe_url}}"},
    {.name = "body",
     .column = "m.body",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED,
     .max = 100000,
     .doc = "Plain text; placeholders as the subject; without {{unsubscribe_url}} the link is "
            "appended"},
    {.name = "domain",
     .column = "m.domain",
     .type = XRM_FT_DOMAIN,
     .flags = XRM_FF_REQUIRED,
     .max = 32,
     .doc = "Reading needs read access here, writing and sending write access"},
    {.name = "status",
     .column = "m.status",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = statuses,
     .dflt = "draft"},
    {.name = "report",
     .column = "m.report",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "null until sent; {sent, queued, bounced, skipped, recipients, reasons: {reason: n}}"},
    {.name = "sent_at", .column = "m.sent_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    XRM_FIELDS_STAMPS("m"),
};

const struct xrm_record_kind xrm_campaign_kind = {
    .name = "campaign",
    .table = "campaigns",
    .alias = "m",
    .from = " FROM campaigns m",
    .title = "Campaign",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .delete_first = {"DELETE FROM campaign_recipients WHERE campaign_id = ?"},
};

enum xrm_rc xrm_campaign_db_list(struct xrm_db *db, const char *const *dom, int n,
                                 int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[1] = {{0}};
    c[0].sql = "(m.domain = ? OR m.domain = ? OR m.domain = ? OR m.domain = ? OR m.domain = ?)";
    for (int k = 0; k < XRM_NDOMAINS; k++)
        xrm_record_cond_text(&c[0], dom[k]);
    return xrm_record_db_list(db, &xrm_campaign_kind, c, 1, NULL, n, before_id, out, err);
}

enum xrm_rc xrm_campaign_db_add(struct xrm_db *db, const struct xrm_campaign_row *r, int64_t *id,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO campaign_recipients (campaign_id, party_id, email, status, reason, "
        "token_hash, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, r->campaign);
    xrm_stmt_bind_int(s, 2, r->party);
    xrm_stmt_bind_text(s, 3, r->email);
    xrm_stmt_bind_text(s, 4, r->status);
    xrm_stmt_bind_text(s, 5, r->reason);
    xrm_stmt_bind_text(s, 6, r->token_hash);
    xrm_stmt_bind_text(s, 7, r->at);
    return xrm_rows_int(s, id, NULL, err);
}

enum xrm_rc xrm_campaign_db_set_outbox(struct xrm_db *db, int64_t id, int64_t outbox,
                                       struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE campaign_recipients SET outbox_id = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, outbox);
    xrm_stmt_bind_int(s, 2, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_campaign_db_has(struct xrm_db *db, int64_t campaign, int64_t party, bool *has,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT COUNT(*) FROM campaign_recipients WHERE party_id = ? AND campaign_id = ?", err);
    int64_t n = 0;
    *has = false;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    xrm_stmt_bind_int(s, 2, campaign);
    enum xrm_rc rc = xrm_rows_int(s, &n, NULL, err);
    *has = n > 0;
    return rc;
}

enum xrm_rc xrm_campaign_db_mark_sending(struct xrm_db *db, int64_t id, const char *now,
                                         struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE campaigns SET status = 'sending', "
                                        "version = version + 1, updated_at = ? "
                                        "WHERE id = ? AND status = 'draft'",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_int(s, 2, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_campaign_db_mark_sent(struct xrm_db *db, int64_t id, const char *report,
                                      const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE campaigns SET status = 'sent', report = ?, "
                                        "sent_at = ?, version = version + 1, updated_at = ? "
                                        "WHERE id = ? AND status = 'sending'",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, report);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_text(s, 3, now);
    xrm_stmt_bind_int(s, 4, id);
    return xrm_rows_run(s, err);
}

/* The outcome of a recipient row from its own status and its outbox row's. */
static const char *outcome(const char *status, const char *outbox)
{
    if (status && strcmp(status, "skipped") == 0)
        return "skipped";
    if (outbox && strcmp(outbox, "sent") == 0)
        return "sent";
    if (outbox && strcmp(outbox, "failed") == 0)
        return "bounced";
    return "queued";
}

#define RECIPIENT_FROM                                                                             \
    " FROM campaign_recipients r JOIN parties p ON p.id = r.party_id"                              \
    " LEFT JOIN mail_outbox o ON o.id = r.outbox_id WHERE r.campaign_id = ?"

static json_t *recipient_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 1)));
    json_object_set_new(o, "name", xrm_row_text(s, 2));
    json_object_set_new(o, "email", xrm_row_text(s, 3));
    json_object_set_new(o, "status",
                        json_string(outcome(xrm_stmt_text(s, 4), xrm_stmt_text(s, 6))));
    json_object_set_new(o, "reason", xrm_row_text(s, 5));
    json_object_set_new(o, "detail", json_null());
    return o;
}

/* The SQL condition of one outcome (see outcome()), or NULL for one no stored row has. */
static const char *outcome_sql(const char *status)
{
    if (!status)
        return "";
    if (strcmp(status, "skipped") == 0)
        return " AND r.status = 'skipped'";
    if (strcmp(status, "sent") == 0)
        return " AND r.status = 'queued' AND o.status = 'sent'";
    if (strcmp(status, "bounced") == 0)
        return " AND r.status = 'queued' AND o.status = 'failed'";
    if (strcmp(status, "queued") == 0)
        return " AND r.status = 'queued' AND (o.status IS NULL OR o.status NOT IN ('sent', "
               "'failed'))";
    return NULL;
}

enum xrm_rc xrm_campaign_db_recipients(struct xrm_db *db, int64_t campaign, const char *status,
                                       int64_t after_id, int n, json_t **out, struct xrm_err *err)
{
    const char *cond = outcome_sql(status);
    if (!cond) {
        *out = json_array();
        return XRM_OK;
    }
    struct xrm_sql sql;
    xrm_sql_init(&sql);
    xrm_sql_add(
        &sql,
        "SELECT r.id, r.party_id, p.name, r.email, r.status, r.reason, o.status" RECIPIENT_FROM);
    xrm_sql_int(&sql, campaign);
    xrm_sql_add(&sql, cond);
    xrm_sql_add(&sql, " AND r.id > ? ORDER BY r.id LIMIT ?");
    xrm_sql_int(&sql, after_id);
    xrm_sql_int(&sql, n);
    enum xrm_rc rc = xrm_rows_all(xrm_sql_prepare(db, &sql, err), recipient_row, out, err);
    xrm_sql_release(&sql);
    return rc;
}

static json_t *count_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "status",
                        json_string(outcome(xrm_stmt_text(s, 0), xrm_stmt_text(s, 2))));
    json_object_set_new(o, "reason", xrm_row_text(s, 1));
    json_object_set_new(o, "n", json_integer(xrm_stmt_int(s, 3)));
    return o;
}

enum xrm_rc xrm_campaign_db_counts(struct xrm_db *db, int64_t campaign, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT r.status, r.reason, o.status, COUNT(*) FROM campaign_recipients r"
                       " LEFT JOIN mail_outbox o ON o.id = r.outbox_id WHERE r.campaign_id = ?"
                       " GROUP BY r.status, r.reason, o.status",
                       err);
    if (s)
        xrm_stmt_bind_int(s, 1, campaign);
    return xrm_rows_all(s, count_row, out, err);
}

static json_t *token_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "campaign", json_integer(xrm_stmt_int(s, 1)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 2)));
    json_object_set_new(o, "unsubscribed_at", xrm_row_text(s, 3));
    json_object_set_new(o, "campaign_name", xrm_row_text(s, 4));
    return o;
}

enum xrm_rc xrm_campaign_db_by_token(struct xrm_db *db, const char *hash, json_t **out,
                                     struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.id, r.campaign_id, r.party_id, r.unsubscribed_at, m.name FROM "
        "campaign_recipients r JOIN campaigns m ON m.id = r.campaign_id WHERE r.token_hash = ?",
        err);
    if (s)
        xrm_stmt_bind_text(s, 1, hash);
    *out = NULL;
    return xrm_rows_first(s, token_row, out, err);
}

enum xrm_rc xrm_campaign_db_unsubscribed(struct xrm_db *db, int64_t id, const char *now,
                                         struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE campaign_recipients SET unsubscribed_at = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_int(s, 2, id);
    return xrm_rows_run(s, err);
}
