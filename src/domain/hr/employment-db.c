/*
 * Employment SQL: the dated records and the party's fixed-term employment
 * contracts (agreements of kind employment_contract in hr with an end).
 */
#include "domain/hr/employment-db.h"
#include "domain/base/row.h"
#include "core/util.h"

#include "core/banned.h"

enum xrm_rc xrm_emp_db_insert(struct xrm_db *db, json_t *rec, bool entry, int64_t created_by,
                              int64_t *id, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO employment (party_id, effective, job_title, department_id, hours_per_week,"
        " contract_type, salary, planned, note, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (s) {
        json_t *h = json_object_get(rec, "hours_per_week");
        xrm_now(now);
        xrm_row_bind_int(s, 1, rec, "party");
        xrm_row_bind_str(s, 2, rec, "effective");
        xrm_row_bind_str(s, 3, rec, "job_title");
        xrm_row_bind_int(s, 4, rec, "department");
        if (json_is_number(h))
            xrm_stmt_bind_double(s, 5, json_number_value(h));
        else
            xrm_stmt_bind_null(s, 5);
        xrm_row_bind_str(s, 6, rec, "contract_type");
        xrm_row_bind_int(s, 7, rec, "salary");
        xrm_stmt_bind_int(s, 8, entry ? 1 : 0);
        xrm_row_bind_str(s, 9, rec, "note");
        if (created_by)
            xrm_stmt_bind_int(s, 10, created_by);
        else
            xrm_stmt_bind_null(s, 10);
        xrm_stmt_bind_text(s, 11, now);
    }
    *id = 0;
    return xrm_rows_int(s, id, NULL, err);
}

static json_t *hours_of(struct xrm_stmt *s, int col)
{
    if (xrm_stmt_is_null(s, col))
        return json_null();
    double v = xrm_stmt_double(s, col);
    return v == (double)(int64_t)v ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *record_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "party", xrm_row_int(s, 1));
    json_object_set_new(o, "effective", xrm_row_text(s, 2));
    json_object_set_new(o, "job_title", xrm_row_text(s, 3));
    json_object_set_new(o, "department", xrm_row_int(s, 4));
    json_object_set_new(o, "department_name", xrm_row_text(s, 5));
    json_object_set_new(o, "hours_per_week", hours_of(s, 6));
    json_object_set_new(o, "contract_type", xrm_row_text(s, 7));
    json_object_set_new(o, "salary", xrm_row_int(s, 8));
    json_object_set_new(o, "note", xrm_row_text(s, 9));
    json_object_set_new(o, "created_at", xrm_row_text(s, 10));
    return o;
}

#define RECORD_SELECT                                                                              \
    "SELECT e.id, e.party_id, e.effective, e.job_title, e.department_id, d.name,"                  \
    " e.hours_per_week, e.contract_type, e.salary, e.note, e.created_at FROM employment e"         \
    " LEFT JOIN departments d ON d.id = e.department_id"

enum xrm_rc xrm_emp_db_list(struct xrm_db *db, int64_t party, int64_t id, json_t **out,
                            struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       id ? RECORD_SELECT " WHERE e.id = ?"
                          : RECORD_SELECT " WHERE e.party_id = ? ORDER BY e.effective, e.id",
                       err);
    if (s)
        xrm_stmt_bind_int(s, 1, id ? id : party);
    return xrm_rows_all(s, record_row, out, err);
}

static json_t *term_row(struct xrm_stmt *s)
{
    return json_pack("{s:o, s:o, s:o}", "id", xrm_row_int(s, 0), "start", xrm_row_text(s, 1), "end",
                     xrm_row_text(s, 2));
}

enum xrm_rc xrm_emp_db_fixed_terms(struct xrm_db *db, int64_t party, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT id, start_date, end_date FROM agreements WHERE party_id = ?"
        " AND kind = 'employment_contract' AND domain = 'hr' AND end_date IS NOT NULL"
        " ORDER BY start_date, id",
        err);
    if (s)
        xrm_stmt_bind_int(s, 1, party);
    return xrm_rows_all(s, term_row, out, err);
}
