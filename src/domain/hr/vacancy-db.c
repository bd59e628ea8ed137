/*
 * Vacancies and their applicants: the description and the SQL.
 */
#include "domain/hr/vacancy-db.h"
#include "domain/base/row.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_vacancy_statuses[] = {"open", "closed", "filled", NULL};

static void hr_row(json_t *o)
{
    json_object_set_new(o, "domain", json_string("hr"));
}

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("v"),
    {.name = "title",
     .column = "v.title",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "department",
     .column = "v.department_id",
     .type = XRM_FT_REF,
     .flags = XRM_FF_NULLABLE,
     .min = 1,
     .doc = "A department's id"},
    {.name = "department_name",
     .column = "d.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE},
    {.name = "hours",
     .column = "v.hours",
     .type = XRM_FT_INT,
     .flags = XRM_FF_NULLABLE,
     .min = 1,
     .max = 80,
     .doc = "Hours per week"},
    {.name = "status",
     .column = "v.status",
     .type = XRM_FT_ENUM,
     .max = 20,
     .values = xrm_vacancy_statuses,
     .dflt = "open"},
    {.name = "opened", .column = "v.opened", .type = XRM_FT_DATE, .doc = "Default: today"},
    {.name = "closes", .column = "v.closes", .type = XRM_FT_DATE, .flags = XRM_FF_NULLABLE},
    {.name = "description",
     .column = "v.description",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE,
     .max = 10000},
    XRM_FIELDS_STAMPS("v"),
    {.name = "domain", .type = XRM_FT_DOMAIN, .col = XRM_FC_NONE, .flags = XRM_FF_READONLY},
    {.name = "applicants",
     .type = XRM_FT_JSON,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_READONLY,
     .doc = "Applicants per stage: {new, interview, offer, hired, rejected}"},
};

const struct xrm_record_kind xrm_vacancy_kind = {
    .name = "vacancy",
    .table = "vacancies",
    .alias = "v",
    .from = " FROM vacancies v LEFT JOIN departments d ON d.id = v.department_id",
    .title = "Vacancy",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .row = hr_row,
};

static json_t *applicant_row(struct xrm_stmt *s)
{
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "role",
                          (json_int_t)xrm_stmt_int(s, 0), "party", (json_int_t)xrm_stmt_int(s, 1),
                          "party_name", xrm_row_text(s, 2), "status", xrm_row_text(s, 3), "since",
                          xrm_row_text(s, 4), "until", xrm_row_text(s, 5), "attributes",
                          xrm_json_load_stored(xrm_stmt_text(s, 6), false), "version",
                          (json_int_t)xrm_stmt_int(s, 7));
    json_object_set_new(o, "emails", xrm_json_load_stored(xrm_stmt_text(s, 8), true));
    json_object_set_new(o, "phones", xrm_json_load_stored(xrm_stmt_text(s, 9), true));
    return o;
}

enum xrm_rc xrm_vac_db_applicants(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)id);
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.id, r.party_id, p.name, r.status, r.since, r.until, r.attributes, r.version,"
        " p.emails, p.phones"
        " FROM role_attrs a JOIN roles r ON r.id = a.role_id JOIN parties p ON p.id = r.party_id"
        " WHERE a.name = 'employee.vacancy' AND a.value = ? AND r.type = 'employee'"
        " AND p.archived = 0 ORDER BY r.since, r.id",
        err);
    if (s)
        xrm_stmt_bind_text(s, 1, value);
    return xrm_rows_all(s, applicant_row, out, err);
}

enum xrm_rc xrm_vac_db_department(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT id FROM departments WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, NULL, found, err);
}

enum xrm_rc xrm_vac_db_exists(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT id FROM vacancies WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, NULL, found, err);
}

enum xrm_rc xrm_vac_db_list(struct xrm_db *db, const char *status, json_t **out,
                            struct xrm_err *err)
{
    struct xrm_record_cond c[1] = {{0}};
    int nc = 0;
    if (status) {
        c[nc].sql = "v.status = ?";
        xrm_record_cond_text(&c[nc++], status);
    }
    return xrm_record_db_list(
        db, &xrm_vacancy_kind, c, nc,
        "CASE WHEN v.status = 'open' THEN 0 ELSE 1 END, v.opened DESC, v.id DESC", XRM_LIST_MAX, 0,
        out, err);
}
