/*
 * The descriptions of a project and a stakeholder and their SQL: the stance
 * history, the stakeholders of a project, and the party ids of a query for
 * a bulk add. project.c validates; these trust their arguments. The date
 * columns are start_date / end_date (END is an SQL keyword).
 */
#include "domain/pr/project-db.h"
#include "domain/base/query-db.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"
#include "domain/pr/project.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const struct xrm_field project_fields[] = {
    XRM_FIELD_ID("j"),
    {.name = "name",
     .column = "j.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "address",
     .column = "j.address",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_TRIM,
     .max = 300,
     .doc = "Street, number and place, as one text"},
    {.name = "postcode",
     .column = "j.postcode",
     .type = XRM_FT_TEXT,
     .flags = NUL,
     .max = 7,
     .doc = "Dutch postcode (1234 AB); its 4 digits give the neighbours' area"},
    {.name = "start", .column = "j.start_date", .type = XRM_FT_DATE, .flags = NUL},
    {.name = "end", .column = "j.end_date", .type = XRM_FT_DATE, .flags = NUL},
    {.name = "description",
     .column = "j.description",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_TRIM,
     .max = 65536},
    {.name = "stakeholders",
     .column = "(SELECT COUNT(*) FROM project_stakeholders c WHERE c.project_id = j.id)",
     .type = XRM_FT_INT,
     .col = XRM_FC_JOINED,
     .flags = RO,
     .doc = "How many stakeholders the project has"},
    XRM_FIELDS_STAMPS("j"),
};

const struct xrm_record_kind xrm_project_kind = {
    .name = "project",
    .table = "projects",
    .alias = "j",
    .from = " FROM projects j",
    .title = "Project",
    .fields = project_fields,
    .nfields = sizeof(project_fields) / sizeof(project_fields[0]),
    .delete_first = {"DELETE FROM stakeholder_stance_history WHERE project_id = ?",
                     "DELETE FROM project_stakeholders WHERE project_id = ?"},
};

static const char *const stances[] = {"supporter", "neutral", "critic", NULL};
static const char *const quadrants[] = {"manage_closely", "keep_satisfied", "keep_informed",
                                        "monitor", NULL};

static const struct xrm_field stakeholder_fields[] = {
    XRM_FIELD_ID("s"),
    {.name = "project",
     .column = "s.project_id",
     .type = XRM_FT_REF,
     .flags = RO,
     .min = 1,
     .doc = "The project (from the path)"},
    XRM_FIELD_PARTY("s"),
    {.name = "influence",
     .column = "s.influence",
     .type = XRM_FT_INT,
     .flags = XRM_FF_REQUIRED,
     .min = 1,
     .max = 5},
    {.name = "interest",
     .column = "s.interest",
     .type = XRM_FT_INT,
     .flags = XRM_FF_REQUIRED,
     .min = 1,
     .max = 5},
    {.name = "stance",
     .column = "s.stance",
     .type = XRM_FT_ENUM,
     .max = 20,
     .values = stances,
     .dflt = "neutral"},
    {.name = "note",
     .column = "s.note",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_TRIM | XRM_FF_SENSITIVE,
     .max = 4000},
    {.name = "quadrant",
     .type = XRM_FT_ENUM,
     .col = XRM_FC_NONE,
     .flags = RO,
     .values = quadrants,
     .doc = "The grid's quadrant: influence and interest against 3"},
    XRM_FIELDS_STAMPS("s"),
};

const struct xrm_record_kind xrm_stakeholder_kind = {
    .name = "stakeholder",
    .table = "project_stakeholders",
    .alias = "s",
    .from = " FROM project_stakeholders s JOIN parties p ON p.id = s.party_id",
    .title = "Stakeholder",
    .fields = stakeholder_fields,
    .nfields = sizeof(stakeholder_fields) / sizeof(stakeholder_fields[0]),
    .delete_first = {"DELETE FROM stakeholder_stance_history WHERE stakeholder_id = ?"},
};

enum xrm_rc xrm_project_db_exists(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err)
{
    int64_t v = 0;
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT id FROM projects WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, &v, found, err);
}

enum xrm_rc xrm_project_db_stakeholder_of(struct xrm_db *db, int64_t project, int64_t party,
                                          int64_t *id, struct xrm_err *err)
{
    bool found = false;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM project_stakeholders WHERE project_id = ? AND party_id = ?", err);
    if (s) {
        xrm_stmt_bind_int(s, 1, project);
        xrm_stmt_bind_int(s, 2, party);
    }
    *id = 0;
    enum xrm_rc rc = xrm_rows_int(s, id, &found, err);
    if (!found)
        *id = 0;
    return rc;
}

enum xrm_rc xrm_project_db_stakeholders(struct xrm_db *db, int64_t project, json_t **out,
                                        struct xrm_err *err)
{
    struct xrm_record_cond c = {.sql = "s.project_id = ?"};
    xrm_record_cond_num(&c, project);
    return xrm_record_db_list(db, &xrm_stakeholder_kind, &c, 1, "p.sort_name, s.id", 100000, 0, out,
                              err);
}

enum xrm_rc xrm_project_db_stance_add(struct xrm_db *db, int64_t stakeholder, int64_t project,
                                      int64_t party, const char *from, const char *to, int64_t user,
                                      const char *at, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO stakeholder_stance_history (stakeholder_id, "
                                        "project_id, party_id, from_stance, to_stance, user_id, "
                                        "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, stakeholder);
    xrm_stmt_bind_int(s, 2, project);
    xrm_stmt_bind_int(s, 3, party);
    xrm_stmt_bind_text(s, 4, from);
    xrm_stmt_bind_text(s, 5, to);
    if (user)
        xrm_stmt_bind_int(s, 6, user);
    else
        xrm_stmt_bind_null(s, 6);
    xrm_stmt_bind_text(s, 7, at);
    return xrm_rows_run(s, err);
}

static json_t *stance_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "from", xrm_row_text(s, 0));
    json_object_set_new(o, "to", xrm_row_text(s, 1));
    json_object_set_new(o, "user", xrm_row_int(s, 2));
    json_object_set_new(o, "at", xrm_row_text(s, 3));
    return o;
}

enum xrm_rc xrm_project_db_stances(struct xrm_db *db, int64_t stakeholder, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT from_stance, to_stance, user_id, at FROM "
                                        "stakeholder_stance_history WHERE stakeholder_id = ? "
                                        "ORDER BY id",
                                        err);
    if (s)
        xrm_stmt_bind_int(s, 1, stakeholder);
    return xrm_rows_all(s, stance_row, out, err);
}

enum xrm_rc xrm_project_db_query_ids(struct xrm_db *db, const struct xrm_query *q, int n,
                                     json_t **out, struct xrm_err *err)
{
    struct xrm_sql sql;
    xrm_sql_init(&sql);
    xrm_sql_add(&sql, "SELECT p.id FROM parties p WHERE p.archived = 0");
    enum xrm_rc rc = xrm_query_sql_where(db, q, 0, &sql, err);
    if (!rc) {
        xrm_sql_add(&sql, " ORDER BY p.id LIMIT ?");
        xrm_sql_int(&sql, n);
        rc = xrm_rows_all(xrm_sql_prepare(db, &sql, err), xrm_row_id, out, err);
    }
    xrm_sql_release(&sql);
    return rc;
}
