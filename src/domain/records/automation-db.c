/*
 * SQL for automations: their rows, the ledger of fired occurrences and the
 * scans behind the time-based triggers. The ledger's unique key (tenant,
 * automation, subject, occurrence) is what makes an occurrence fire once:
 * the claim is an INSERT ... ON CONFLICT DO NOTHING RETURNING id inside the
 * transaction that carries out the actions.
 */
#include "domain/records/automation-db.h"
#include "core/json.h"
#include "domain/base/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define AUTOMATIONS_MAX 100000 /* no page: all of them */

#define RO XRM_FF_READONLY

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("a"),
    {.name = "name",
     .column = "a.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "trigger",
     .column = "a.trigger_def",
     .type = XRM_FT_JSON,
     .flags = XRM_FF_REQUIRED,
     .doc = "{\"type\": deal_stage | customer_idle | agreement_ending | case_sla_breached | "
            "role_started | role_ended, ...}"},
    {.name = "actions",
     .column = "a.actions",
     .type = XRM_FT_JSON,
     .flags = XRM_FF_REQUIRED,
     .dflt = "[]",
     .doc = "1 to 10 of {\"type\": create_task | add_note | add_tag | set_field, ...}"},
    {.name = "enabled", .column = "a.enabled", .type = XRM_FT_BOOL, .dflt = "true"},
    {.name = "builtin",
     .column = "a.builtin",
     .type = XRM_FT_BOOL,
     .col = XRM_FC_JOINED,
     .flags = RO},
    XRM_FIELDS_STAMPS("a"),
};

const struct xrm_record_kind xrm_automation_kind = {
    .name = "automation",
    .table = "automations",
    .alias = "a",
    .from = " FROM automations a",
    .title = "Automation",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .delete_first = {"DELETE FROM automation_fired WHERE automation_id = ?"},
};

static enum xrm_rc collect(struct xrm_stmt *s, json_t *(*row)(struct xrm_stmt *), json_t **out,
                           struct xrm_err *err)
{
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, row(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_auto_db_all(struct xrm_db *db, bool enabled_only, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c = {.sql = "a.enabled = 1"};
    return xrm_record_db_list(db, &xrm_automation_kind, &c, enabled_only ? 1 : 0, "a.id",
                              AUTOMATIONS_MAX, 0, out, err);
}

static enum xrm_rc exists(struct xrm_stmt *s, bool *found, struct xrm_err *err)
{
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    *found = r == 1;
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_auto_db_stage_exists(struct xrm_db *db, int64_t id, bool *found,
                                     struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM pipeline_stages WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return exists(s, found, err);
}

enum xrm_rc xrm_auto_db_role_type_exists(struct xrm_db *db, const char *name, bool *found,
                                         struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM role_types WHERE name = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    return exists(s, found, err);
}

enum xrm_rc xrm_auto_db_fired(struct xrm_db *db, int64_t automation, const char *subject_type,
                              int64_t subject_id, const char *occurrence, bool *fired,
                              struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT 1 FROM automation_fired WHERE tenant = 1 AND "
                                        "automation_id = ? AND subject_type = ? AND "
                                        "subject_id = ? AND occurrence = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, automation);
    xrm_stmt_bind_text(s, 2, subject_type);
    xrm_stmt_bind_int(s, 3, subject_id);
    xrm_stmt_bind_text(s, 4, occurrence);
    return exists(s, fired, err);
}

enum xrm_rc xrm_auto_db_claim(struct xrm_db *db, int64_t automation, const char *subject_type,
                              int64_t subject_id, const char *occurrence, const char *at,
                              bool *claimed, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO automation_fired (automation_id, "
                                        "subject_type, subject_id, occurrence, at) VALUES "
                                        "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, automation);
    xrm_stmt_bind_text(s, 2, subject_type);
    xrm_stmt_bind_int(s, 3, subject_id);
    xrm_stmt_bind_text(s, 4, occurrence);
    xrm_stmt_bind_text(s, 5, at);
    return exists(s, claimed, err);
}

static json_t *pair_int_int(struct xrm_stmt *s)
{
    return json_pack("[I, I]", (json_int_t)xrm_stmt_int(s, 0), (json_int_t)xrm_stmt_int(s, 1));
}

static json_t *pair_int_text(struct xrm_stmt *s)
{
    return json_pack("[I, s]", (json_int_t)xrm_stmt_int(s, 0), xrm_stmt_text(s, 1));
}

static json_t *idle_row(struct xrm_stmt *s)
{
    json_t *row = json_array();
    json_array_append_new(row, json_integer(xrm_stmt_int(s, 0)));
    json_array_append_new(row,
                          xrm_stmt_is_null(s, 1) ? json_null() : json_string(xrm_stmt_text(s, 1)));
    json_array_append_new(row,
                          xrm_stmt_is_null(s, 2) ? json_null() : json_string(xrm_stmt_text(s, 2)));
    return row;
}

static json_t *role_row(struct xrm_stmt *s)
{
    return json_pack("[I, I, s]", (json_int_t)xrm_stmt_int(s, 0), (json_int_t)xrm_stmt_int(s, 1),
                     xrm_stmt_text(s, 2));
}

enum xrm_rc xrm_auto_db_deals_in_stage(struct xrm_db *db, const char *stage_name, int64_t stage_id,
                                       int64_t pipeline, int64_t deal_id, const char *since,
                                       json_t **out, struct xrm_err *err)
{
    /* Four fixed texts: by stage id or name, for one deal or all. */
    static const char *const sql[2][2] = {
        {"SELECT d.id, MAX(h.id) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id "
         "JOIN deal_stage_history h ON h.deal_id = d.id AND h.to_stage = d.stage_id "
         "WHERE LOWER(s.name) = LOWER(?) AND (? = 0 OR d.pipeline_id = ?) AND h.at >= ? "
         "GROUP BY d.id",
         "SELECT d.id, MAX(h.id) FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id "
         "JOIN deal_stage_history h ON h.deal_id = d.id AND h.to_stage = d.stage_id "
         "WHERE LOWER(s.name) = LOWER(?) AND (? = 0 OR d.pipeline_id = ?) AND h.at >= ? "
         "AND d.id = ? GROUP BY d.id"},
        {"SELECT d.id, MAX(h.id) FROM deals d "
         "JOIN deal_stage_history h ON h.deal_id = d.id AND h.to_stage = d.stage_id "
         "WHERE d.stage_id = ? AND (? = 0 OR d.pipeline_id = ?) AND h.at >= ? GROUP BY d.id",
         "SELECT d.id, MAX(h.id) FROM deals d "
         "JOIN deal_stage_history h ON h.deal_id = d.id AND h.to_stage = d.stage_id "
         "WHERE d.stage_id = ? AND (? = 0 OR d.pipeline_id = ?) AND h.at >= ? AND d.id = ? "
         "GROUP BY d.id"}};
    struct xrm_stmt *s = xrm_db_prepare(db, sql[stage_id ? 1 : 0][deal_id ? 1 : 0], err);
    if (!s)
        return XRM_E_DB;
    if (stage_id)
        xrm_stmt_bind_int(s, 1, stage_id);
    else
        xrm_stmt_bind_text(s, 1, stage_name);
    xrm_stmt_bind_int(s, 2, pipeline);
    xrm_stmt_bind_int(s, 3, pipeline);
    xrm_stmt_bind_text(s, 4, since);
    if (deal_id)
        xrm_stmt_bind_int(s, 5, deal_id);
    return collect(s, pair_int_int, out, err);
}

enum xrm_rc xrm_auto_db_idle_customers(struct xrm_db *db, const char *today, const char *now,
                                       const char *cutoff, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.party_id, MIN(COALESCE(r.since, substr(r.created_at, 1, 10))), "
        "(SELECT MAX(ap.at) FROM activity_parties ap WHERE ap.party_id = r.party_id "
        "AND ap.at <= ?) "
        "FROM roles r JOIN parties p ON p.id = r.party_id "
        "WHERE r.type = 'customer' AND r.status = 'active' AND (r.until IS NULL OR r.until >= ?) "
        "AND p.archived = 0 AND NOT EXISTS (SELECT 1 FROM activity_parties ap2 "
        "WHERE ap2.party_id = r.party_id AND ap2.at > ? AND ap2.at <= ?) "
        "GROUP BY r.party_id ORDER BY r.party_id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_text(s, 2, today);
    xrm_stmt_bind_text(s, 3, cutoff);
    xrm_stmt_bind_text(s, 4, now);
    return collect(s, idle_row, out, err);
}

enum xrm_rc xrm_auto_db_breached_cases(struct xrm_db *db, const char *now, json_t **out,
                                       struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, sla_due FROM cases WHERE status IN ('new', "
                                        "'open', 'waiting') AND sla_due IS NOT NULL AND "
                                        "sla_due < ? ORDER BY id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    return collect(s, pair_int_text, out, err);
}

enum xrm_rc xrm_auto_db_roles_dated(struct xrm_db *db, const char *type, bool ended,
                                    const char *from, const char *to, json_t **out,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s =
        ended ? xrm_db_prepare(db,
                               "SELECT id, party_id, until FROM roles WHERE type = ? AND "
                               "until IS NOT NULL AND until >= ? AND until <= ? ORDER BY id",
                               err)
              : xrm_db_prepare(db,
                               "SELECT id, party_id, since FROM roles WHERE type = ? AND "
                               "since IS NOT NULL AND since >= ? AND since <= ? ORDER BY id",
                               err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, type);
    xrm_stmt_bind_text(s, 2, from);
    xrm_stmt_bind_text(s, 3, to);
    return collect(s, role_row, out, err);
}
