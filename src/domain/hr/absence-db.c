/*
 * The description of an absence and its SQL. The columns are from_date /
 * until_date and minutes; the API calls them from / until and hours.
 */
#include "domain/hr/absence-db.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_absence_kinds[] = {"sick", "leave", "special", "parental", NULL};
const char *const xrm_absence_statuses[] = {"requested", "approved", "rejected", NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

/* The column holds minutes; the API shows hours (two decimals at most). */
static void row_hook(json_t *o)
{
    json_t *m = json_object_get(o, "hours");
    if (json_is_integer(m)) {
        json_int_t v = json_integer_value(m);
        json_object_set_new(o, "hours",
                            v % 60 ? json_real((double)v / 60.0) : json_integer(v / 60));
    }
    json_object_set_new(o, "domain", json_string("hr"));
}

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("ab"),
    XRM_FIELD_PARTY("ab"),
    {.name = "kind",
     .column = "ab.kind",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .max = 20,
     .values = xrm_absence_kinds},
    {.name = "from", .column = "ab.from_date", .type = XRM_FT_DATE, .flags = XRM_FF_REQUIRED},
    {.name = "until",
     .column = "ab.until_date",
     .type = XRM_FT_DATE,
     .flags = NUL,
     .doc = "last day; null: sick and not recovered yet"},
    {.name = "hours", .column = "ab.minutes", .type = XRM_FT_INT, .flags = NUL, .max = 100000 * 60},
    {.name = "status",
     .column = "ab.status",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .max = 20,
     .values = xrm_absence_statuses},
    {.name = "note",
     .column = "ab.note",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_TRIM | XRM_FF_SENSITIVE,
     .max = 2000},
    {.name = "assignee",
     .type = XRM_FT_USER,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_INPUT | NUL,
     .min = 1},
    {.name = "domain", .type = XRM_FT_DOMAIN, .col = XRM_FC_NONE, .flags = RO},
    XRM_FIELDS_STAMPS("ab"),
};

const struct xrm_record_kind xrm_absence_kind = {
    .name = "absence",
    .table = "absences",
    .alias = "ab",
    .from = " FROM absences ab JOIN parties p ON p.id = ab.party_id",
    .title = "Absence",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .has_links = true,
    .row = row_hook,
};

enum xrm_rc xrm_abs_db_list(struct xrm_db *db, const struct xrm_abs_filter *f, int n,
                            int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[6] = {{0}};
    int nc = 0;
    if (f->party) {
        c[nc].sql = "ab.party_id = ?";
        xrm_record_cond_num(&c[nc++], f->party);
    }
    if (f->kind) {
        c[nc].sql = "ab.kind = ?";
        xrm_record_cond_text(&c[nc++], f->kind);
    }
    if (f->status) {
        c[nc].sql = "ab.status = ?";
        xrm_record_cond_text(&c[nc++], f->status);
    }
    if (f->from) {
        c[nc].sql = "(ab.until_date IS NULL OR ab.until_date >= ?)";
        xrm_record_cond_text(&c[nc++], f->from);
    }
    if (f->until) {
        c[nc].sql = "ab.from_date <= ?";
        xrm_record_cond_text(&c[nc++], f->until);
    }
    if (f->open)
        c[nc++].sql = "ab.until_date IS NULL";
    if (f->from || f->until || f->open)
        return xrm_record_db_list(db, &xrm_absence_kind, c, nc, "ab.from_date, ab.id", n, 0, out,
                                  err);
    return xrm_record_db_list(db, &xrm_absence_kind, c, nc, NULL, n, before_id, out, err);
}

enum xrm_rc xrm_abs_db_note(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT note FROM absences WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        *out = xrm_strdup(xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

/* One employee row: party, name, status, since, until, attributes (role id first). */
static json_t *employee_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "party", xrm_row_int(s, 1));
    json_object_set_new(o, "name", xrm_row_text(s, 2));
    json_object_set_new(o, "status", xrm_row_text(s, 3));
    json_object_set_new(o, "since", xrm_row_text(s, 4));
    json_object_set_new(o, "until", xrm_row_text(s, 5));
    json_t *a = xrm_stmt_is_null(s, 6) ? NULL : xrm_json_load_stored(xrm_stmt_text(s, 6), false);
    json_object_set_new(o, "attributes", json_is_object(a) ? a : json_object());
    if (a && !json_is_object(a))
        json_decref(a);
    return o;
}

#define EMPLOYEE_SQL                                                                               \
    "SELECT r.id, r.party_id, p.name, r.status, r.since, r.until, r.attributes FROM roles r "      \
    "JOIN parties p ON p.id = r.party_id WHERE r.type = 'employee' AND "                           \
    "r.status <> 'applicant' AND r.status <> 'rejected'"

enum xrm_rc xrm_abs_db_employee(struct xrm_db *db, int64_t party, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db, EMPLOYEE_SQL " AND r.party_id = ? ORDER BY r.status = 'former', r.id DESC LIMIT 1",
        err);
    if (s)
        xrm_stmt_bind_int(s, 1, party);
    return xrm_rows_first(s, employee_row, out, err);
}

enum xrm_rc xrm_abs_db_employees(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, EMPLOYEE_SQL " AND p.archived = 0 ORDER BY p.name, r.party_id, r.id", err);
    return xrm_rows_all(s, employee_row, out, err);
}

static json_t *dept_row(struct xrm_stmt *s)
{
    return json_pack("[I, s?]", (json_int_t)xrm_stmt_int(s, 0), xrm_stmt_text(s, 1));
}

enum xrm_rc xrm_abs_db_departments(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    json_t *rows = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT id, name FROM departments", err);
    enum xrm_rc rc = xrm_rows_all(s, dept_row, &rows, err);
    if (rc)
        return rc;
    json_t *map = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        char key[32];
        snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_array_get(r, 0)));
        json_object_set(map, key, json_array_get(r, 1));
    }
    json_decref(rows);
    *out = map;
    return XRM_OK;
}
