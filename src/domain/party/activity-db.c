/*
 * SQL for activities: the only code that reads or writes the tables
 * activities and activity_parties. activity.c validates; these functions
 * trust their arguments. An activity crosses the seam as a normalised
 * record {"type", "domain", "subject", "body", "parties", "due", "done",
 * "assignee", "score", "at"} going in and as its API JSON (activity.h)
 * coming out. The declarations live in activity.c (the one caller).
 *
 * activity_parties carries a copy of the activity's `at`, so that a party's
 * timeline is one backward walk of the index activity_parties_timeline
 * (party_id, at, activity_id); every write keeps the copy in step.
 */
#include "domain/party/activity.h"
#include "domain/party/activity-db.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/base/access.h"
#include "core/buf.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

static const char *const types[] = {"note",      "call",   "email",         "meeting", "task",
                                    "complaint", "survey", "press_release", "letter",  NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("a"),
    {.name = "type",
     .column = "a.type",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .values = types},
    {.name = "domain", .column = "a.domain", .type = XRM_FT_DOMAIN, .flags = XRM_FF_REQUIRED},
    {.name = "subject",
     .column = "a.subject",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM | XRM_FF_SENSITIVE,
     .max = 500},
    {.name = "body",
     .column = "a.body",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_SENSITIVE,
     .max = 65536},
    {.name = "parties",
     .type = XRM_FT_JSON,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_REQUIRED,
     .doc = "1 to 50 distinct party ids; a task or meeting may have none"},
    {.name = "due",
     .column = "a.due",
     .type = XRM_FT_TEXT,
     .flags = NUL,
     .max = 64,
     .doc = "meeting and task: a date (YYYY-MM-DD) or an RFC 3339 date-time"},
    {.name = "done", .column = "a.done", .type = XRM_FT_BOOL, .flags = NUL, .doc = "task only"},
    {.name = "assignee",
     .column = "a.assignee",
     .type = XRM_FT_USER,
     .flags = NUL,
     .min = 1,
     .doc = "Default for a task: its creator"},
    {.name = "score",
     .column = "a.score",
     .type = XRM_FT_INT,
     .flags = NUL,
     .max = 10,
     .doc = "survey only"},
    {.name = "at", .column = "a.at", .type = XRM_FT_DATETIME, .doc = "Default: now"},
    /* press releases and letters: embargo, recipients, when sent */
    {.name = "embargo",
     .column = "a.embargo",
     .type = XRM_FT_DATETIME,
     .flags = NUL,
     .doc = "press_release and letter (domain pr): until then only pr writers see it"},
    {.name = "segment",
     .column = "a.segment_id",
     .type = XRM_FT_REF,
     .flags = NUL,
     .min = 1,
     .doc = "press_release and letter: the segment of recipients"},
    {.name = "sent_at",
     .column = "(SELECT MIN(x.at) FROM press_sends x WHERE x.activity_id = a.id)",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .doc = "When it was sent to its segment (POST /activities/{id}/send)"},
    /* e-mail: the mail an email activity logs (mail_messages, migration 28) */
    {.name = "message_id",
     .column = "(SELECT MIN(m.message_id) FROM mail_messages m WHERE m.activity_id = a.id)",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .doc = "email: the Message-ID (without <>) of the mail it logs, sent or received"},
    {.name = "direction",
     .column = "(SELECT MIN(m.direction) FROM mail_messages m WHERE m.activity_id = a.id)",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .doc = "email: out (sent by xrm or logged through the BCC address) or in (received)"},
    XRM_FIELDS_STAMPS("a"),
};

/* "parties" starts empty; load_parties fills it. */
static void act_row(json_t *o)
{
    json_object_set_new(o, "parties", json_array());
}

const struct xrm_record_kind xrm_activity_kind = {
    .name = "activity",
    .table = "activities",
    .alias = "a",
    .from = " FROM activities a",
    .title = "Activity",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .delete_first = {"DELETE FROM activity_parties WHERE activity_id = ?"},
    .row = act_row,
};

/* Fills o's "parties" with the activity's party ids, lowest first. */
static enum xrm_rc load_parties(struct xrm_db *db, json_t *o, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT party_id FROM activity_parties WHERE activity_id = ? ORDER BY party_id", err);
    json_t *arr = NULL;
    if (s)
        xrm_stmt_bind_int(s, 1, json_integer_value(json_object_get(o, "id")));
    enum xrm_rc rc = xrm_rows_all(s, xrm_row_id, &arr, err);
    if (!rc)
        json_object_set_new(o, "parties", arr);
    return rc;
}

enum xrm_rc xrm_act_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *o = NULL;
    enum xrm_rc rc = xrm_record_db_load(db, &xrm_activity_kind, id, &o, err);
    if (!rc)
        rc = load_parties(db, o, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return XRM_OK;
}

/* Replaces the activity's rows in activity_parties by rec's parties at rec's at. */
static enum xrm_rc write_parties(struct xrm_db *db, int64_t id, json_t *rec, bool replace,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s;
    int r;
    if (replace) {
        s = xrm_db_prepare(db, "DELETE FROM activity_parties WHERE activity_id = ?", err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    const char *at = json_string_value(json_object_get(rec, "at"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(rec, "parties"), i, p)
    {
        s = xrm_db_prepare(
            db, "INSERT INTO activity_parties (activity_id, party_id, at) VALUES (?, ?, ?)", err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        xrm_stmt_bind_int(s, 2, json_integer_value(p));
        xrm_stmt_bind_text(s, 3, at);
        r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

enum xrm_rc xrm_act_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                              int64_t *id_out, struct xrm_err *err)
{
    enum xrm_rc rc =
        xrm_record_db_insert(db, &xrm_activity_kind, rec, created_by, now, id_out, err);
    return rc ? rc : write_parties(db, *id_out, rec, false, err);
}

enum xrm_rc xrm_act_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                              struct xrm_err *err)
{
    enum xrm_rc rc = xrm_record_db_update(db, &xrm_activity_kind, id, rec, now, err);
    return rc ? rc : write_parties(db, id, rec, true, err);
}

enum xrm_rc xrm_act_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return xrm_record_db_delete(db, &xrm_activity_kind, id, err);
}

/* The parties of every activity of a list (new array *out, steals items). */
static enum xrm_rc with_parties(struct xrm_db *db, enum xrm_rc rc, json_t *items, json_t **out,
                                struct xrm_err *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if (rc)
            break;
        rc = load_parties(db, o, err);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return XRM_OK;
}

/* The reader's readable domains as the first condition (XRM_ACCESS_MATCH). */
static void readable(struct xrm_record_cond *c, const struct xrm_user *reader,
                     const char *dom[XRM_NDOMAINS])
{
    xrm_access_readable(reader, dom);
    c->sql = XRM_ACCESS_MATCH("a.domain");
    for (int d = 0; d < XRM_NDOMAINS; d++)
        xrm_record_cond_text(c, dom[d]);
}

/* Press releases and letters under embargo: only pr writers see them before the time. */
static void embargo(struct xrm_record_cond *c, const struct xrm_user *reader, char now[21])
{
    int writer = xrm_access_embargo_now(reader, now);
    c->sql = XRM_ACCESS_EMBARGO("a");
    xrm_record_cond_text(c, now);
    xrm_record_cond_num(c, writer);
}

enum xrm_rc xrm_act_db_segment_exists(struct xrm_db *db, int64_t id, bool *found,
                                      struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT id FROM segments WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, NULL, found, err);
}

/*
 * Up to n activities matching f, newest first by (at, id), after the
 * cursor position (cursor_at NULL: from the start). The SQL text is made of
 * fixed fragments only.
 */
enum xrm_rc xrm_act_db_list(struct xrm_db *db, const struct xrm_user *reader,
                            const struct xrm_activity_filter *f, int n, const char *cursor_at,
                            int64_t cursor_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[7] = {{0}};
    const char *dom[XRM_NDOMAINS];
    char now[21];
    json_t *items = NULL;
    int nc = 0;
    readable(&c[nc++], reader, dom);
    embargo(&c[nc++], reader, now);
    if (f->type) {
        c[nc].sql = "a.type = ?";
        xrm_record_cond_text(&c[nc++], f->type);
    }
    if (f->domain) {
        c[nc].sql = "a.domain = ?";
        xrm_record_cond_text(&c[nc++], f->domain);
    }
    if (f->assignee) {
        c[nc].sql = "a.assignee = ?";
        xrm_record_cond_num(&c[nc++], f->assignee);
    }
    if (f->done >= 0) {
        c[nc].sql = "a.done = ?";
        xrm_record_cond_num(&c[nc++], f->done);
    }
    if (cursor_at) {
        c[nc].sql = "a.at <= ? AND (a.at < ? OR a.id < ?)";
        xrm_record_cond_text(&c[nc], cursor_at);
        xrm_record_cond_text(&c[nc], cursor_at);
        xrm_record_cond_num(&c[nc++], cursor_id);
    }
    enum xrm_rc rc = xrm_record_db_query(db, &xrm_activity_kind, NULL, c, nc,
                                         "a.at DESC, a.id DESC", n, &items, err);
    return with_parties(db, rc, items, out, err);
}

/*
 * Up to n activities of the party, newest first by (at, id), after the
 * cursor position. Both forms seek in activity_parties_timeline and walk it
 * backwards: `at <= ?` bounds the range, the OR only skips the few rows that
 * share the cursor's `at`, and no OFFSET is ever used.
 */
enum xrm_rc xrm_act_db_timeline(struct xrm_db *db, const struct xrm_user *reader, int64_t party_id,
                                int n, const char *cursor_at, int64_t cursor_id, json_t **out,
                                struct xrm_err *err)
{
    struct xrm_record_cond c[4] = {{0}};
    const char *dom[XRM_NDOMAINS];
    char now[21];
    json_t *items = NULL;
    int nc = 0;
    readable(&c[nc++], reader, dom);
    embargo(&c[nc++], reader, now);
    c[nc].sql = "ap.party_id = ?";
    xrm_record_cond_num(&c[nc++], party_id);
    if (cursor_at) {
        c[nc].sql = "ap.at <= ? AND (ap.at < ? OR ap.activity_id < ?)";
        xrm_record_cond_text(&c[nc], cursor_at);
        xrm_record_cond_text(&c[nc], cursor_at);
        xrm_record_cond_num(&c[nc++], cursor_id);
    }
    enum xrm_rc rc =
        xrm_record_db_query(db, &xrm_activity_kind,
                            " FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id",
                            c, nc, "ap.at DESC, ap.activity_id DESC", n, &items, err);
    return with_parties(db, rc, items, out, err);
}
