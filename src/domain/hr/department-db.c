/*
 * Department SQL: the walk up the tree, unique names under a parent, what
 * keeps a department from being deleted, and the rows the org chart is
 * built from. Every value is a bound parameter.
 */
#include "domain/hr/department-db.h"
#include "domain/base/row.h"

#include <stdio.h>

#include "core/banned.h"

enum xrm_rc xrm_dept_db_parent(struct xrm_db *db, int64_t id, int64_t *parent, bool *found,
                               struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COALESCE(parent_id, 0) FROM departments WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    *parent = 0;
    return xrm_rows_int(s, parent, found, err);
}

enum xrm_rc xrm_dept_db_taken(struct xrm_db *db, int64_t parent, const char *name, int64_t except,
                              int64_t *other, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        parent ? "SELECT id FROM departments WHERE parent_id = ? AND name = ? AND id <> ?"
               : "SELECT id FROM departments WHERE parent_id IS NULL AND name = ? AND id <> ?",
        err);
    int i = 1;
    if (s) {
        if (parent)
            xrm_stmt_bind_int(s, i++, parent);
        xrm_stmt_bind_text(s, i++, name);
        xrm_stmt_bind_int(s, i, except);
    }
    bool found = false;
    *other = 0;
    return xrm_rows_int(s, other, &found, err);
}

enum xrm_rc xrm_dept_db_usage(struct xrm_db *db, int64_t id, int64_t *children, int64_t *members,
                              struct xrm_err *err)
{
    char text[24];
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COUNT(*) FROM departments WHERE parent_id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    enum xrm_rc rc = xrm_rows_int(s, children, NULL, err);
    if (rc)
        return rc;
    snprintf(text, sizeof(text), "%lld", (long long)id);
    s = xrm_db_prepare(db,
                       "SELECT COUNT(*) FROM role_attrs a JOIN roles r ON r.id = a.role_id"
                       " WHERE a.name = 'employee.department' AND a.value = ?"
                       " AND r.status NOT IN ('former', 'rejected')",
                       err);
    if (s)
        xrm_stmt_bind_text(s, 1, text);
    return xrm_rows_int(s, members, NULL, err);
}

static json_t *dept_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "name", xrm_row_text(s, 1));
    json_object_set_new(o, "parent", xrm_row_int(s, 2));
    json_object_set_new(o, "manager", xrm_row_int(s, 3));
    json_object_set_new(o, "manager_name", xrm_row_text(s, 4));
    json_object_set_new(o, "cost_centre", xrm_row_text(s, 5));
    json_object_set_new(o, "version", xrm_row_int(s, 6));
    json_object_set_new(o, "created_at", xrm_row_text(s, 7));
    json_object_set_new(o, "updated_at", xrm_row_text(s, 8));
    json_object_set_new(o, "members", xrm_row_int(s, 9));
    return o;
}

enum xrm_rc xrm_dept_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT d.id, d.name, d.parent_id, d.manager_id, p.name, d.cost_centre, d.version,"
        " d.created_at, d.updated_at, (SELECT COUNT(*) FROM role_attrs a JOIN roles r"
        " ON r.id = a.role_id WHERE a.name = 'employee.department'"
        " AND a.value = CAST(d.id AS TEXT) AND r.status NOT IN ('former', 'rejected'))"
        " FROM departments d LEFT JOIN parties p ON p.id = d.manager_id ORDER BY d.name, d.id",
        err);
    return xrm_rows_all(s, dept_row, out, err);
}

static json_t *staff_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "name", xrm_row_text(s, 1));
    json_object_set_new(o, "job_title", xrm_row_text(s, 2));
    json_object_set_new(o, "department", xrm_row_text(s, 3));
    json_object_set_new(o, "manager", xrm_row_text(s, 4));
    return o;
}

enum xrm_rc xrm_dept_db_staff(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.party_id, p.name, jt.value, dp.value, mg.value FROM roles r"
        " JOIN parties p ON p.id = r.party_id"
        " LEFT JOIN role_attrs jt ON jt.role_id = r.id AND jt.name = 'employee.job_title'"
        " LEFT JOIN role_attrs dp ON dp.role_id = r.id AND dp.name = 'employee.department'"
        " LEFT JOIN role_attrs mg ON mg.role_id = r.id AND mg.name = 'employee.manager'"
        " WHERE r.type = 'employee' AND r.status IN ('active', 'on_leave') AND p.archived = 0"
        " ORDER BY p.sort_name, p.id",
        err);
    return xrm_rows_all(s, staff_row, out, err);
}
