/*
 * SQL for CalDAV (caldav.c): the activities behind a user's tasks and
 * meetings calendars, and the names and UIDs clients gave them
 * (dav_events). The task scan walks the index activities_due (assignee,
 * done, due).
 */
#include "domain/dav/caldav-db.h"
#include "domain/base/row.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

static json_t *member_row(struct xrm_stmt *s)
{
    return json_pack("[I, o, o]", (json_int_t)xrm_stmt_int(s, 0), xrm_row_text(s, 1),
                     xrm_row_text(s, 2));
}

enum xrm_rc xrm_caldav_db_members(struct xrm_db *db, int64_t user, bool meetings, const char *since,
                                  int n, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s;
    if (meetings) {
        s = xrm_db_prepare(db,
                           "SELECT a.id, e.name, e.uid FROM activities a "
                           "LEFT JOIN dav_events e ON e.activity_id = a.id "
                           "WHERE a.type = 'meeting' AND (a.assignee = ? OR a.created_by = ?) "
                           "AND a.due IS NOT NULL AND a.due >= ? ORDER BY a.id LIMIT ?",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, user);
        xrm_stmt_bind_int(s, 2, user);
        xrm_stmt_bind_text(s, 3, since);
        xrm_stmt_bind_int(s, 4, n);
    } else {
        s = xrm_db_prepare(db,
                           "SELECT a.id, e.name, e.uid FROM activities a "
                           "LEFT JOIN dav_events e ON e.activity_id = a.id "
                           "WHERE a.assignee = ? AND a.type = 'task' "
                           "AND (a.done = 0 OR a.updated_at >= ?) ORDER BY a.id LIMIT ?",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, user);
        xrm_stmt_bind_text(s, 2, since);
        xrm_stmt_bind_int(s, 3, n);
    }
    return xrm_rows_all(s, member_row, out, err);
}

static json_t *id_text_row(struct xrm_stmt *s)
{
    return json_pack("[I, o]", (json_int_t)xrm_stmt_int(s, 0), xrm_row_text(s, 1));
}

static json_t *pair_row(struct xrm_stmt *s)
{
    return json_pack("[o, o]", xrm_row_text(s, 0), xrm_row_text(s, 1));
}

enum xrm_rc xrm_caldav_db_by_name(struct xrm_db *db, const char *name, int64_t *id, char *uid,
                                  size_t uid_n, struct xrm_err *err)
{
    json_t *row = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT activity_id, uid FROM dav_events WHERE name = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    *id = 0;
    uid[0] = '\0';
    enum xrm_rc rc = xrm_rows_first(s, id_text_row, &row, err);
    if (!rc && row) {
        *id = json_integer_value(json_array_get(row, 0));
        xrm_strlcpy(uid, json_string_value(json_array_get(row, 1)), uid_n);
    }
    json_decref(row);
    return rc;
}

enum xrm_rc xrm_caldav_db_of(struct xrm_db *db, int64_t id, char *name, size_t name_n, char *uid,
                             size_t uid_n, struct xrm_err *err)
{
    json_t *row = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT name, uid FROM dav_events WHERE activity_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    name[0] = uid[0] = '\0';
    enum xrm_rc rc = xrm_rows_first(s, pair_row, &row, err);
    if (!rc && row) {
        xrm_strlcpy(name, json_string_value(json_array_get(row, 0)), name_n);
        xrm_strlcpy(uid, json_string_value(json_array_get(row, 1)), uid_n);
    }
    json_decref(row);
    return rc;
}

enum xrm_rc xrm_caldav_db_uid_used(struct xrm_db *db, const char *uid, bool *used,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM dav_events WHERE uid = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, uid);
    return xrm_rows_int(s, NULL, used, err);
}

enum xrm_rc xrm_caldav_db_link(struct xrm_db *db, int64_t id, const char *name, const char *uid,
                               struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "INSERT INTO dav_events (activity_id, name, uid) VALUES (?, ?, ?)", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    xrm_stmt_bind_text(s, 2, name);
    xrm_stmt_bind_text(s, 3, uid);
    return xrm_rows_run(s, err);
}
