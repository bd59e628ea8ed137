/*
 * SQL for tasks as people work from them (open tasks by due date, the
 * calendar feed's tasks and meetings) and for the calendar_feeds table.
 * Both task scans walk the index activities_due (assignee, done, due).
 */
#include "domain/records/task-db.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static enum xrm_rc ids(struct xrm_stmt *s, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(s, xrm_row_id, out, err);
}

enum xrm_rc xrm_task_db_open(struct xrm_db *db, int64_t assignee, int n, json_t **out,
                             struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id FROM activities WHERE assignee = ? AND "
                                        "done = 0 AND type = 'task' ORDER BY "
                                        "CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, id "
                                        "LIMIT ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, assignee);
    xrm_stmt_bind_int(s, 2, n);
    return ids(s, out, err);
}

enum xrm_rc xrm_task_db_feed(struct xrm_db *db, int64_t user, const char *since, int n,
                             json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT id FROM activities WHERE due IS NOT NULL AND (done = 0 OR due >= ?) AND "
        "((type = 'task' AND assignee = ?) OR (type = 'meeting' AND (assignee = ? OR "
        "created_by = ?))) ORDER BY due, id LIMIT ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, since);
    xrm_stmt_bind_int(s, 2, user);
    xrm_stmt_bind_int(s, 3, user);
    xrm_stmt_bind_int(s, 4, user);
    xrm_stmt_bind_int(s, 5, n);
    return ids(s, out, err);
}

enum xrm_rc xrm_task_db_feed_replace(struct xrm_db *db, int64_t user, const char *hash,
                                     const char *now, struct xrm_err *err)
{
    int n = 0;
    enum xrm_rc rc = xrm_task_db_feed_revoke(db, user, &n, err);
    if (rc)
        return rc;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "INSERT INTO calendar_feeds (user_id, hash, created_at) VALUES (?, ?, ?)", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    xrm_stmt_bind_text(s, 2, hash);
    xrm_stmt_bind_text(s, 3, now);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_task_db_feed_revoke(struct xrm_db *db, int64_t user, int *n, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE calendar_feeds SET revoked = 1 WHERE user_id = ? "
                                        "AND revoked = 0 RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    int r;
    *n = 0;
    while ((r = xrm_stmt_step(s, err)) == 1)
        (*n)++;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_task_db_feed_get(struct xrm_db *db, int64_t user, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT created_at, last_used_at FROM calendar_feeds "
                                        "WHERE user_id = ? AND revoked = 0 ORDER BY id DESC "
                                        "LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user);
    int r = xrm_stmt_step(s, err);
    *out = NULL;
    if (r == 1) {
        *out = json_object();
        xrm_json_set_str(*out, "created_at", xrm_stmt_text(s, 0));
        xrm_json_set_str(*out, "last_used_at", xrm_stmt_text(s, 1));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_task_db_feed_owner(struct xrm_db *db, const char *hash, char *name, size_t n,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT u.name FROM calendar_feeds f JOIN users u ON "
                                        "u.id = f.user_id WHERE f.hash = ? AND f.revoked = 0 "
                                        "AND u.disabled = 0",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, hash);
    int r = xrm_stmt_step(s, err);
    name[0] = '\0';
    if (r == 1 && xrm_stmt_text(s, 0))
        xrm_strlcpy(name, xrm_stmt_text(s, 0), n);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_task_db_party_names(struct xrm_db *db, const struct xrm_batch *b, json_t *out,
                                    struct xrm_err *err)
{
    struct xrm_sql q;
    char key[24];
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT id, name FROM parties WHERE id IN ");
    xrm_batch_sql_in(b, &q);
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        snprintf(key, sizeof(key), "%lld", (long long)xrm_stmt_int(s, 0));
        json_object_set_new(out, key, json_string(xrm_stmt_text(s, 1) ? xrm_stmt_text(s, 1) : ""));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_task_db_record_links(struct xrm_db *db, const struct xrm_batch *b, json_t *out,
                                     struct xrm_err *err)
{
    struct xrm_sql q;
    char key[24];
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT activity_id, entity, entity_id FROM record_activities "
                    "WHERE entity IN ('deal', 'case') AND activity_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " ORDER BY activity_id, entity DESC, entity_id");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        snprintf(key, sizeof(key), "%lld", (long long)xrm_stmt_int(s, 0));
        if (!json_object_get(out, key))
            json_object_set_new(
                out, key, json_pack("[s, I]", xrm_stmt_text(s, 1), (json_int_t)xrm_stmt_int(s, 2)));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
