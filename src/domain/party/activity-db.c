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
#include "domain/base/row.h"
#include "domain/base/access.h"
#include "core/buf.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define ACT_COLS                                                                                   \
    "a.id, a.type, a.domain, a.subject, a.body, a.due, a.done, a.assignee, a.score, a.at, "        \
    "a.created_by, a.version, a.created_at, a.updated_at"

/* The API JSON of the row at s (ACT_COLS), with an empty "parties" to be filled. */
static json_t *act_json(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(o, "type", xrm_stmt_text(s, 1));
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "subject", xrm_stmt_text(s, 3));
    xrm_json_set_str(o, "body", xrm_stmt_text(s, 4));
    json_object_set_new(o, "parties", json_array());
    xrm_json_set_str(o, "due", xrm_stmt_text(s, 5));
    json_object_set_new(o, "done", json_boolean(xrm_stmt_int(s, 6) != 0));
    json_object_set_new(o, "assignee", xrm_row_int(s, 7));
    json_object_set_new(o, "score", xrm_row_int(s, 8));
    xrm_json_set_str(o, "at", xrm_stmt_text(s, 9));
    json_object_set_new(o, "created_by", xrm_row_int(s, 10));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 11)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 12));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 13));
    return o;
}

/* Fills o's "parties" with the activity's party ids, lowest first. */
static enum xrm_rc load_parties(struct xrm_db *db, json_t *o, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT party_id FROM activity_parties WHERE activity_id = ? ORDER BY party_id", err);
    if (!s)
        return XRM_E_DB;
    json_t *arr = json_object_get(o, "parties");
    xrm_stmt_bind_int(s, 1, json_integer_value(json_object_get(o, "id")));
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, json_integer(xrm_stmt_int(s, 0)));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_act_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " ACT_COLS " FROM activities a WHERE a.id = ?", err);
    json_t *o = NULL;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        o = act_json(s);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no activity %lld", (long long)id);
    enum xrm_rc rc = load_parties(db, o, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return XRM_OK;
}

enum xrm_rc xrm_act_db_user_exists(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT 1 FROM users WHERE id = ? AND disabled = 0", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    *found = r == 1;
    return XRM_OK;
}

/* Binds the ten record columns type .. at to 1..9 (done as 0/1) in table order. */
static void bind_record(struct xrm_stmt *s, json_t *rec)
{
    xrm_row_bind_str(s, 1, rec, "type");
    xrm_row_bind_str(s, 2, rec, "domain");
    xrm_row_bind_str(s, 3, rec, "subject");
    xrm_row_bind_str(s, 4, rec, "body");
    xrm_row_bind_str(s, 5, rec, "due");
    xrm_stmt_bind_int(s, 6, json_is_true(json_object_get(rec, "done")));
    xrm_row_bind_int(s, 7, rec, "assignee");
    xrm_row_bind_int(s, 8, rec, "score");
    xrm_row_bind_str(s, 9, rec, "at");
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
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO activities (type, domain, subject, body, due, done, assignee, score, at, "
        "created_by, version, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    if (created_by)
        xrm_stmt_bind_int(s, 10, created_by);
    else
        xrm_stmt_bind_null(s, 10);
    xrm_stmt_bind_text(s, 11, now);
    xrm_stmt_bind_text(s, 12, now);
    int r = xrm_stmt_step(s, err);
    int64_t id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_DB, "insert into activities returned no id");
    *id_out = id;
    return write_parties(db, id, rec, false, err);
}

enum xrm_rc xrm_act_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                              struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE activities SET type = ?, domain = ?, subject = ?, body = ?, due = ?, done = ?, "
        "assignee = ?, score = ?, at = ?, version = version + 1, updated_at = ? WHERE id = ?",
        err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    xrm_stmt_bind_text(s, 10, now);
    xrm_stmt_bind_int(s, 11, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    return write_parties(db, id, rec, true, err);
}

enum xrm_rc xrm_act_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    static const char *const sql[] = {"DELETE FROM activity_parties WHERE activity_id = ?",
                                      "DELETE FROM activities WHERE id = ?"};
    for (size_t i = 0; i < 2; i++) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql[i], err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

/* Runs a prepared, bound list statement into a new array of activities with their parties. */
static enum xrm_rc collect(struct xrm_db *db, struct xrm_stmt *s, json_t **out, struct xrm_err *err)
{
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, act_json(s));
    xrm_stmt_done(s);
    enum xrm_rc rc = r < 0 ? XRM_E_DB : XRM_OK;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (rc)
            break;
        rc = load_parties(db, o, err);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return XRM_OK;
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
    struct xrm_buf sql = XRM_BUF_INIT;
    const char *dom[XRM_NDOMAINS]; /* issue 4: the reader's readable domains */
    xrm_access_readable(reader, dom);
    xrm_buf_adds(&sql, "SELECT " ACT_COLS " FROM activities a WHERE " XRM_ACCESS_MATCH("a.domain"));
    if (f->type)
        xrm_buf_adds(&sql, " AND a.type = ?");
    if (f->domain)
        xrm_buf_adds(&sql, " AND a.domain = ?");
    if (f->assignee)
        xrm_buf_adds(&sql, " AND a.assignee = ?");
    if (f->done >= 0)
        xrm_buf_adds(&sql, " AND a.done = ?");
    if (cursor_at)
        xrm_buf_adds(&sql, " AND a.at <= ? AND (a.at < ? OR a.id < ?)");
    xrm_buf_adds(&sql, " ORDER BY a.at DESC, a.id DESC LIMIT ?");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    for (int d = 0; d < XRM_NDOMAINS; d++)
        xrm_stmt_bind_text(s, i++, dom[d]);
    if (f->type)
        xrm_stmt_bind_text(s, i++, f->type);
    if (f->domain)
        xrm_stmt_bind_text(s, i++, f->domain);
    if (f->assignee)
        xrm_stmt_bind_int(s, i++, f->assignee);
    if (f->done >= 0)
        xrm_stmt_bind_int(s, i++, f->done);
    if (cursor_at) {
        xrm_stmt_bind_text(s, i++, cursor_at);
        xrm_stmt_bind_text(s, i++, cursor_at);
        xrm_stmt_bind_int(s, i++, cursor_id);
    }
    xrm_stmt_bind_int(s, i, n);
    return collect(db, s, out, err);
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
    struct xrm_stmt *s;
    const char *dom[XRM_NDOMAINS]; /* issue 4: the reader's readable domains, params 1-5 */
    xrm_access_readable(reader, dom);
    if (cursor_at) {
        s = xrm_db_prepare(db,
                           "SELECT " ACT_COLS " FROM activity_parties ap "
                           "JOIN activities a ON a.id = ap.activity_id "
                           "WHERE " XRM_ACCESS_MATCH(
                               "a.domain") " AND ap.party_id = ? AND ap.at <= ? "
                                           "AND (ap.at < ? OR ap.activity_id < ?) "
                                           "ORDER BY ap.at DESC, ap.activity_id DESC LIMIT ?",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 6, party_id);
        xrm_stmt_bind_text(s, 7, cursor_at);
        xrm_stmt_bind_text(s, 8, cursor_at);
        xrm_stmt_bind_int(s, 9, cursor_id);
        xrm_stmt_bind_int(s, 10, n);
    } else {
        s = xrm_db_prepare(db,
                           "SELECT " ACT_COLS " FROM activity_parties ap "
                           "JOIN activities a ON a.id = ap.activity_id WHERE " XRM_ACCESS_MATCH(
                               "a.domain") " AND ap.party_id = ? "
                                           "ORDER BY ap.at DESC, ap.activity_id DESC LIMIT ?",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 6, party_id);
        xrm_stmt_bind_int(s, 7, n);
    }
    for (int d = 0; d < XRM_NDOMAINS; d++)
        xrm_stmt_bind_text(s, d + 1, dom[d]);
    return collect(db, s, out, err);
}
