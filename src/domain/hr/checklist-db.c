/*
 * Checklist templates and checklists: their descriptions and SQL. A
 * checklist keeps the plan it was made from (its template's items: title,
 * who, offset_days) in the column items; the state of each item is its task
 * (an hr activity), linked in record_activities with kind "item.<n>".
 */
#include "domain/hr/checklist-db.h"
#include "domain/base/row.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_checklist_kinds[] = {"onboarding", "offboarding", NULL};
static const char *const statuses[] = {"open", "done", NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

/* Every record of HR says so, for the audit trail's filter by domain. */
static void hr_row(json_t *o)
{
    json_object_set_new(o, "domain", json_string("hr"));
}

static const struct xrm_field template_fields[] = {
    XRM_FIELD_ID("t"),
    {.name = "name",
     .column = "t.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "kind",
     .column = "t.kind",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .max = 20,
     .values = xrm_checklist_kinds},
    {.name = "items",
     .column = "t.items",
     .type = XRM_FT_JSON,
     .flags = XRM_FF_REQUIRED,
     .doc = "[{title, who: hr | manager | it | employee | a user id, offset_days}]"},
    {.name = "auto_start",
     .column = "t.auto_start",
     .type = XRM_FT_BOOL,
     .dflt = "true",
     .doc = "Started by itself when an employee role starts (onboarding) or ends (offboarding)"},
    XRM_FIELDS_STAMPS("t"),
    {.name = "domain", .type = XRM_FT_DOMAIN, .col = XRM_FC_NONE, .flags = RO},
};

const struct xrm_record_kind xrm_checklist_template_kind = {
    .name = "checklist_template",
    .table = "checklist_templates",
    .alias = "t",
    .from = " FROM checklist_templates t",
    .title = "ChecklistTemplate",
    .fields = template_fields,
    .nfields = sizeof(template_fields) / sizeof(template_fields[0]),
    .row = hr_row,
};

static const struct xrm_field checklist_fields[] = {
    XRM_FIELD_ID("c"),
    XRM_FIELD_PARTY("c"),
    {.name = "role",
     .column = "c.role_id",
     .type = XRM_FT_INT,
     .flags = NUL,
     .min = 1,
     .doc = "The employee role it follows"},
    {.name = "template",
     .column = "c.template_id",
     .type = XRM_FT_INT,
     .flags = XRM_FF_REQUIRED | NUL,
     .min = 1},
    {.name = "kind",
     .column = "c.kind",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .max = 20,
     .values = xrm_checklist_kinds},
    {.name = "name", .column = "c.name", .type = XRM_FT_TEXT, .flags = RO, .max = 200},
    {.name = "anchor_date",
     .column = "c.anchor_date",
     .type = XRM_FT_DATE,
     .doc = "The start or end date the items' due dates count from (default: the role's)"},
    {.name = "plan", .column = "c.items", .type = XRM_FT_JSON, .flags = XRM_FF_HIDDEN},
    XRM_FIELDS_STAMPS("c"),
    {.name = "domain", .type = XRM_FT_DOMAIN, .col = XRM_FC_NONE, .flags = RO},
    {.name = "items", .type = XRM_FT_JSON, .col = XRM_FC_NONE, .flags = RO},
    {.name = "progress", .type = XRM_FT_JSON, .col = XRM_FC_NONE, .flags = RO},
    {.name = "status", .type = XRM_FT_ENUM, .col = XRM_FC_NONE, .flags = RO, .values = statuses},
};

const struct xrm_record_kind xrm_checklist_kind = {
    .name = "checklist",
    .table = "checklists",
    .alias = "c",
    .from = " FROM checklists c JOIN parties p ON p.id = c.party_id",
    .title = "Checklist",
    .fields = checklist_fields,
    .nfields = sizeof(checklist_fields) / sizeof(checklist_fields[0]),
    .has_links = true,
    .row = hr_row,
};

enum xrm_rc xrm_chk_db_auto_templates(struct xrm_db *db, const char *kind, json_t **out,
                                      struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM checklist_templates WHERE kind = ? AND auto_start = 1 ORDER BY id",
        err);
    if (s)
        xrm_stmt_bind_text(s, 1, kind);
    return xrm_rows_all(s, xrm_row_id, out, err);
}

enum xrm_rc xrm_chk_db_role_has(struct xrm_db *db, int64_t role_id, const char *kind, bool *found,
                                struct xrm_err *err)
{
    int64_t n = 0;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COUNT(*) FROM checklists WHERE role_id = ? AND kind = ?", err);
    if (s) {
        xrm_stmt_bind_int(s, 1, role_id);
        xrm_stmt_bind_text(s, 2, kind);
    }
    enum xrm_rc rc = xrm_rows_int(s, &n, NULL, err);
    *found = n > 0;
    return rc;
}

static json_t *item_row(struct xrm_stmt *s)
{
    const char *kind = xrm_stmt_text(s, 0);
    int64_t n = kind && strncmp(kind, "item.", 5) == 0 ? strtoll(kind + 5, NULL, 10) : -1;
    json_t *row = json_array();
    json_array_append_new(row, json_integer(n));
    for (int c = 1; c <= 9; c++) {
        if (xrm_stmt_is_null(s, c))
            json_array_append_new(row, json_null());
        else if (c == 1 || c == 4 || c == 5 || c == 8)
            json_array_append_new(row, json_integer(xrm_stmt_int(s, c)));
        else
            json_array_append_new(row, json_string(xrm_stmt_text(s, c)));
    }
    return row;
}

enum xrm_rc xrm_chk_db_items(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT ra.kind, a.id, a.subject, a.due, a.done, a.assignee,"
                       " COALESCE(u.display_name, u.name), a.updated_at, w.user_id,"
                       " COALESCE(wu.display_name, wu.name)"
                       " FROM record_activities ra JOIN activities a ON a.id = ra.activity_id"
                       " LEFT JOIN users u ON u.id = a.assignee"
                       " LEFT JOIN audit w ON w.id = (SELECT MAX(x.id) FROM audit x"
                       "  WHERE x.entity = 'activity' AND x.entity_id = a.id)"
                       " LEFT JOIN users wu ON wu.id = w.user_id"
                       " WHERE ra.entity = 'checklist' AND ra.entity_id = ?",
                       err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_all(s, item_row, out, err);
}

enum xrm_rc xrm_chk_db_item_activity(struct xrm_db *db, int64_t id, int n, int64_t *activity,
                                     struct xrm_err *err)
{
    char kind[32];
    snprintf(kind, sizeof(kind), "item.%d", n);
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT activity_id FROM record_activities"
                       " WHERE entity = 'checklist' AND entity_id = ? AND kind = ?",
                       err);
    if (s) {
        xrm_stmt_bind_int(s, 1, id);
        xrm_stmt_bind_text(s, 2, kind);
    }
    bool found = false;
    *activity = 0;
    return xrm_rows_int(s, activity, &found, err);
}

#define OPEN_ITEM                                                                                  \
    "EXISTS (SELECT 1 FROM record_activities ra JOIN activities a ON a.id = ra.activity_id"        \
    " WHERE ra.entity = 'checklist' AND ra.entity_id = c.id AND a.done = 0)"

static int conds_of(struct xrm_record_cond *c, const char *status, const char *kind, int64_t party)
{
    int nc = 0;
    if (status && strcmp(status, "open") == 0)
        c[nc++].sql = OPEN_ITEM;
    else if (status)
        c[nc++].sql = "NOT " OPEN_ITEM;
    if (kind) {
        c[nc].sql = "c.kind = ?";
        xrm_record_cond_text(&c[nc++], kind);
    }
    if (party) {
        c[nc].sql = "c.party_id = ?";
        xrm_record_cond_num(&c[nc++], party);
    }
    return nc;
}

enum xrm_rc xrm_chk_db_list(struct xrm_db *db, const char *status, const char *kind, int64_t party,
                            int n, int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[3] = {{0}};
    int nc = conds_of(c, status, kind, party);
    return xrm_record_db_list(db, &xrm_checklist_kind, c, nc, NULL, n, before_id, out, err);
}

enum xrm_rc xrm_chk_db_count(struct xrm_db *db, const char *status, const char *kind, int64_t party,
                             int64_t *out, struct xrm_err *err)
{
    /* fixed fragments only: the values are bound */
    char text[600];
    const char *st = !status ? "1 = 1" : strcmp(status, "open") == 0 ? OPEN_ITEM : "NOT " OPEN_ITEM;
    snprintf(text, sizeof(text), "SELECT COUNT(*) FROM checklists c WHERE %s%s%s", st,
             kind ? " AND c.kind = ?" : "", party ? " AND c.party_id = ?" : "");
    struct xrm_stmt *s = xrm_db_prepare(db, text, err);
    int i = 1;
    if (s && kind)
        xrm_stmt_bind_text(s, i++, kind);
    if (s && party)
        xrm_stmt_bind_int(s, i, party);
    *out = 0;
    return xrm_rows_int(s, out, NULL, err);
}
