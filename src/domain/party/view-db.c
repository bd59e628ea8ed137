/*
 * SQL of the 360° view. Each list is two queries: the activities, then the
 * parties of all of them at once (an IN over their ids), so the number of
 * queries does not grow with the data. Activities are shaped as
 * activity.c shapes them: fields a type does not carry read as null.
 */
#include "domain/party/view.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "domain/base/access.h"
#include "domain/base/batch.h"

#include <string.h>

#include "core/banned.h"

#define ACT_COLS                                                                                   \
    "a.id, a.type, a.domain, a.subject, a.body, a.due, a.done, a.assignee, a.score, a.at, "        \
    "a.created_by, a.version, a.created_at, a.updated_at"

/*
 * Only activities of domains the reader may read (parameters 2-6), and no
 * press release or letter under embargo unless the reader writes pr
 * (parameters 7-8): bind_readable binds both.
 */
#define READABLE "ap.party_id = ? AND " XRM_ACCESS_MATCH("a.domain") " AND " XRM_ACCESS_EMBARGO("a")

static int bind_readable(struct xrm_stmt *s, int first, const struct xrm_user *u)
{
    char now[21];
    int next = xrm_access_bind(s, first, u);
    int writer = xrm_access_embargo_now(u, now);
    xrm_stmt_bind_text(s, next++, now);
    xrm_stmt_bind_int(s, next++, writer);
    return next;
}
#define TIMELINE                                                                                   \
    "SELECT " ACT_COLS " FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id "     \
    "WHERE " READABLE " ORDER BY ap.at DESC, ap.activity_id DESC LIMIT ?"

#define TASK_WHERE READABLE " AND a.type = 'task' AND a.done = 0"
#define TASKS                                                                                      \
    "SELECT " ACT_COLS " FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id "     \
    "WHERE " TASK_WHERE " ORDER BY CASE WHEN a.due IS NULL THEN 1 ELSE 0 END, a.due, a.id LIMIT ?"

static json_t *act_json(struct xrm_stmt *s)
{
    const char *type = xrm_stmt_text(s, 1);
    bool task = type && strcmp(type, "task") == 0;
    bool due = task || (type && strcmp(type, "meeting") == 0);
    bool survey = type && strcmp(type, "survey") == 0;
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(o, "type", type);
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "subject", xrm_stmt_text(s, 3));
    xrm_json_set_str(o, "body", xrm_stmt_text(s, 4));
    json_object_set_new_nocheck(o, "parties", json_array());
    json_object_set_new_nocheck(o, "links", json_array());
    xrm_json_set_str(o, "due", due ? xrm_stmt_text(s, 5) : NULL);
    json_object_set_new_nocheck(o, "done",
                                task ? json_boolean(xrm_stmt_int(s, 6) != 0) : json_null());
    json_object_set_new_nocheck(o, "assignee", xrm_row_int(s, 7));
    json_object_set_new_nocheck(o, "score", survey ? xrm_row_int(s, 8) : json_null());
    xrm_json_set_str(o, "at", xrm_stmt_text(s, 9));
    json_object_set_new_nocheck(o, "created_by", xrm_row_int(s, 10));
    json_object_set_new_nocheck(o, "version", json_integer(xrm_stmt_int(s, 11)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 12));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 13));
    return o;
}

/* Runs a bound activity statement into an array. */
static enum xrm_rc collect(struct xrm_stmt *s, json_t *arr, struct xrm_err *err)
{
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, act_json(s));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* Adds each (activity, party id, name) row to the listed activity it names (b: arr's ids). */
static enum xrm_rc links(struct xrm_stmt *s, const struct xrm_batch *b, json_t *arr,
                         struct xrm_err *err)
{
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            json_t *o = json_array_get(arr, pos), *link = json_object();
            json_array_append_new(json_object_get(o, "parties"), json_integer(xrm_stmt_int(s, 1)));
            json_object_set_new_nocheck(link, "id", json_integer(xrm_stmt_int(s, 1)));
            xrm_json_set_str(link, "name", xrm_stmt_text(s, 2));
            json_array_append_new(json_object_get(o, "links"), link);
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/*
 * Runs a bound activity list statement, then reads the parties of all
 * listed activities at once by their ids.
 */
static enum xrm_rc two_step(struct xrm_db *db, const struct xrm_user *u, const char *list_sql,
                            int64_t party_id, int n, json_t **out, struct xrm_err *err)
{
    json_t *arr = json_array();
    struct xrm_stmt *s = xrm_db_prepare(db, list_sql, err);
    enum xrm_rc rc = XRM_E_DB;
    if (!s)
        goto out;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_int(s, bind_readable(s, 2, u), n);
    rc = collect(s, arr, err);
    if (rc || json_array_size(arr) == 0)
        goto out;
    struct xrm_batch b;
    struct xrm_sql q;
    xrm_batch_init(&b, arr);
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT l.activity_id, p.id, p.name FROM activity_parties l JOIN parties p "
                    "ON p.id = l.party_id WHERE l.activity_id IN ");
    xrm_batch_sql_in(&b, &q);
    xrm_sql_add(&q, " ORDER BY l.activity_id, p.id");
    s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    rc = s ? links(s, &b, arr, err) : XRM_E_DB;
    xrm_batch_release(&b);
out:
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_view_db_timeline(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                                 int n, json_t **out, struct xrm_err *err)
{
    return two_step(db, u, TIMELINE, party_id, n, out, err);
}

enum xrm_rc xrm_view_db_open_tasks(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                                   int n, json_t **out, struct xrm_err *err)
{
    return two_step(db, u, TASKS, party_id, n, out, err);
}

enum xrm_rc xrm_view_db_counts(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                               json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT (SELECT COUNT(*) FROM activity_parties ap JOIN activities a ON "
        "a.id = ap.activity_id WHERE " READABLE "), "
        "(SELECT COUNT(*) FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id "
        "WHERE " TASK_WHERE ")",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    int next = bind_readable(s, 2, u);
    xrm_stmt_bind_int(s, next, party_id);
    bind_readable(s, next + 1, u);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = json_pack("{s:I, s:I}", "activities", (json_int_t)xrm_stmt_int(s, 0), "open_tasks",
                         (json_int_t)xrm_stmt_int(s, 1));
    xrm_stmt_done(s);
    if (r != 1)
        return r < 0 ? XRM_E_DB : xrm_errf(err, XRM_E_DB, "count query returned no row");
    return XRM_OK;
}
