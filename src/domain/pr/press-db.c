/*
 * SQL of press releases and letters: the members of a segment's query and
 * the outcome per recipient (press_sends). press.c decides; these trust
 * their arguments.
 */
#include "domain/pr/press-db.h"
#include "domain/base/query-db.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"

#include "core/banned.h"

static json_t *member_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "name", xrm_row_text(s, 1));
    return o;
}

enum xrm_rc xrm_press_db_members(struct xrm_db *db, const struct xrm_query *q, int n, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_sql sql;
    xrm_sql_init(&sql);
    xrm_sql_add(&sql, "SELECT p.id, p.name FROM parties p WHERE p.archived = 0");
    enum xrm_rc rc = xrm_query_sql_where(db, q, 0, &sql, err);
    if (!rc) {
        xrm_sql_add(&sql, " ORDER BY p.id LIMIT ?");
        xrm_sql_int(&sql, n);
        rc = xrm_rows_all(xrm_sql_prepare(db, &sql, err), member_row, out, err);
    }
    xrm_sql_release(&sql);
    return rc;
}

enum xrm_rc xrm_press_db_add(struct xrm_db *db, int64_t activity, int64_t party, const char *status,
                             const char *reason, const char *at, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO press_sends (activity_id, party_id, status, "
                                        "reason, at) VALUES (?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, activity);
    xrm_stmt_bind_int(s, 2, party);
    xrm_stmt_bind_text(s, 3, status);
    xrm_stmt_bind_text(s, 4, reason);
    xrm_stmt_bind_text(s, 5, at);
    return xrm_rows_run(s, err);
}

static json_t *send_row(struct xrm_stmt *s)
{
    json_t *o = member_row(s);
    json_object_set_new(o, "status", xrm_row_text(s, 2));
    json_object_set_new(o, "reason", xrm_row_text(s, 3));
    json_object_set_new(o, "at", xrm_row_text(s, 4));
    return o;
}

enum xrm_rc xrm_press_db_sends(struct xrm_db *db, int64_t activity, json_t **out,
                               struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT x.party_id, p.name, x.status, x.reason, x.at FROM "
                                        "press_sends x JOIN parties p ON p.id = x.party_id WHERE "
                                        "x.activity_id = ? ORDER BY p.sort_name, x.id",
                                        err);
    if (s)
        xrm_stmt_bind_int(s, 1, activity);
    return xrm_rows_all(s, send_row, out, err);
}
