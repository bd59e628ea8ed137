/*
 * SQL for helpdesk cases. case.c validates and parses the case query into
 * fixed condition fragments; this file only joins them and binds.
 */
#include "domain/records/case-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define CASE_COLS                                                                                  \
    "c.id, c.party_id, p.name, c.domain, c.subject, c.description, c.status, c.priority, "         \
    "c.sla_hours, c.sla_source, c.sla_due, c.opened_at, c.resolved_at, c.assignee, "               \
    "c.source_activity, c.created_by, c.version, c.created_at, c.updated_at"
#define CASE_FROM " FROM cases c JOIN parties p ON p.id = c.party_id"

static json_t *case_json(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 1)));
    xrm_json_set_str(o, "party_name", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 3));
    xrm_json_set_str(o, "subject", xrm_stmt_text(s, 4));
    xrm_json_set_str(o, "description", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "status", xrm_stmt_text(s, 6));
    xrm_json_set_str(o, "priority", xrm_stmt_text(s, 7));
    json_object_set_new(o, "sla_hours", xrm_row_int(s, 8));
    xrm_json_set_str(o, "sla_source", xrm_stmt_text(s, 9));
    xrm_json_set_str(o, "sla_due", xrm_stmt_text(s, 10));
    xrm_json_set_str(o, "opened_at", xrm_stmt_text(s, 11));
    xrm_json_set_str(o, "resolved_at", xrm_stmt_text(s, 12));
    json_object_set_new(o, "assignee", xrm_row_int(s, 13));
    json_object_set_new(o, "source_activity", xrm_row_int(s, 14));
    json_object_set_new(o, "created_by", xrm_row_int(s, 15));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 16)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 17));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 18));
    return o;
}

enum xrm_rc xrm_case_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT " CASE_COLS CASE_FROM " WHERE c.id = ?", err);
    json_t *o = NULL;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        o = case_json(s);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no case %lld", (long long)id);
    *out = o;
    return XRM_OK;
}

/* Binds the thirteen record columns party .. source_activity to 1..13 in table order. */
static void bind_record(struct xrm_stmt *s, json_t *rec)
{
    xrm_row_bind_int(s, 1, rec, "party");
    xrm_row_bind_str(s, 2, rec, "domain");
    xrm_row_bind_str(s, 3, rec, "subject");
    xrm_row_bind_str(s, 4, rec, "description");
    xrm_row_bind_str(s, 5, rec, "status");
    xrm_row_bind_str(s, 6, rec, "priority");
    xrm_row_bind_int(s, 7, rec, "sla_hours");
    xrm_row_bind_str(s, 8, rec, "sla_source");
    xrm_row_bind_str(s, 9, rec, "sla_due");
    xrm_row_bind_str(s, 10, rec, "opened_at");
    xrm_row_bind_str(s, 11, rec, "resolved_at");
    xrm_row_bind_int(s, 12, rec, "assignee");
    xrm_row_bind_int(s, 13, rec, "source_activity");
}

enum xrm_rc xrm_case_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                               int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO cases (party_id, domain, subject, description, status, "
                       "priority, sla_hours, sla_source, sla_due, opened_at, resolved_at, "
                       "assignee, source_activity, created_by, version, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    if (created_by)
        xrm_stmt_bind_int(s, 14, created_by);
    else
        xrm_stmt_bind_null(s, 14);
    xrm_stmt_bind_text(s, 15, now);
    xrm_stmt_bind_text(s, 16, now);
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    return *id ? XRM_OK : xrm_errf(err, XRM_E_DB, "insert into cases returned no id");
}

enum xrm_rc xrm_case_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                               struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "UPDATE cases SET party_id = ?, domain = ?, subject = ?, description = ?, "
                       "status = ?, priority = ?, sla_hours = ?, sla_source = ?, sla_due = ?, "
                       "opened_at = ?, resolved_at = ?, assignee = ?, source_activity = ?, "
                       "version = version + 1, updated_at = ? WHERE id = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    xrm_stmt_bind_text(s, 14, now);
    xrm_stmt_bind_int(s, 15, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_case_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM record_activities WHERE entity = 'case' AND entity_id = ?",
        "DELETE FROM cases WHERE id = ?"};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
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

enum xrm_rc xrm_case_db_list(struct xrm_db *db, const struct xrm_case_cond *conds, int nconds,
                             int n, int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_adds(&sql, "SELECT " CASE_COLS CASE_FROM " WHERE 1 = 1");
    for (int i = 0; i < nconds; i++) {
        xrm_buf_adds(&sql, " AND ");
        xrm_buf_adds(&sql, conds[i].sql);
    }
    if (before_id)
        xrm_buf_adds(&sql, " AND c.id < ?");
    xrm_buf_adds(&sql, " ORDER BY c.id DESC LIMIT ?");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int idx = 1;
    for (int i = 0; i < nconds; i++)
        for (int k = 0; k < conds[i].nparams; k++) {
            if (conds[i].is_num[k])
                xrm_stmt_bind_int(s, idx++, conds[i].num[k]);
            else
                xrm_stmt_bind_text(s, idx++, conds[i].text[k]);
        }
    if (before_id)
        xrm_stmt_bind_int(s, idx++, before_id);
    xrm_stmt_bind_int(s, idx, n);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, case_json(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}
