/*
 * SQL of the retention module: its rules, and the scan of roles it decides
 * on. The declarations live in retention.c, the one caller.
 */
#include "domain/privacy/retention.h"
#include "domain/base/row.h"
#include "domain/privacy/retention-db.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define RULE_COLS                                                                                  \
    "id, name, domain, role_type, statuses, days, consent_purpose, consent_days, enabled, "        \
    "description, version"

static json_t *row_to_rule(struct xrm_stmt *s)
{
    json_t *r = json_object();
    json_object_set_new(r, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(r, "name", xrm_stmt_text(s, 1));
    xrm_json_set_str(r, "domain", xrm_stmt_text(s, 2));
    xrm_json_set_str(r, "role_type", xrm_stmt_text(s, 3));
    json_object_set_new(r, "statuses", xrm_json_load_stored(xrm_stmt_text(s, 4), true));
    json_object_set_new(r, "days", json_integer(xrm_stmt_int(s, 5)));
    xrm_json_set_str(r, "consent_purpose", xrm_stmt_text(s, 6));
    json_object_set_new(r, "consent_days",
                        xrm_stmt_is_null(s, 7) ? json_null() : json_integer(xrm_stmt_int(s, 7)));
    json_object_set_new(r, "enabled", json_boolean(xrm_stmt_int(s, 8) != 0));
    xrm_json_set_str(r, "description", xrm_stmt_text(s, 9));
    json_object_set_new(r, "version", json_integer(xrm_stmt_int(s, 10)));
    return r;
}

enum xrm_rc xrm_ret_db_rules(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " RULE_COLS " FROM retention_rules ORDER BY id", err);
    if (!s)
        return XRM_E_DB;
    json_t *items = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(items, row_to_rule(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(items);
        return XRM_E_DB;
    }
    *out = items;
    return XRM_OK;
}

enum xrm_rc xrm_ret_db_rule(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " RULE_COLS " FROM retention_rules WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, row_to_rule, "retention rule", id, out, err);
}

enum xrm_rc xrm_ret_db_rule_set(struct xrm_db *db, json_t *rule, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE retention_rules SET days = ?, consent_days = ?, "
                                        "enabled = ?, version = version + 1 WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, json_integer_value(json_object_get(rule, "days")));
    json_t *cd = json_object_get(rule, "consent_days");
    if (json_is_integer(cd))
        xrm_stmt_bind_int(s, 2, json_integer_value(cd));
    else
        xrm_stmt_bind_null(s, 2);
    xrm_stmt_bind_int(s, 3, json_is_true(json_object_get(rule, "enabled")));
    xrm_stmt_bind_int(s, 4, json_integer_value(json_object_get(rule, "id")));
    return xrm_rows_run(s, err);
}

/*
 * The roles of parties after..last (ids) as [id, party, type, domain, status,
 * until|null, ended statuses], by party, domain.
 */
enum xrm_rc xrm_ret_db_roles(struct xrm_db *db, int64_t after, int64_t last, json_t **out,
                             struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.id, r.party_id, r.type, r.domain, r.status, r.until, t.ended_statuses "
        "FROM roles r LEFT JOIN role_types t ON t.tenant = r.tenant AND t.name = r.type "
        "WHERE r.party_id > ? AND r.party_id <= ? ORDER BY r.party_id, r.domain, r.id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, after);
    xrm_stmt_bind_int(s, 2, last);
    json_t *rows = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        const char *until = xrm_stmt_text(s, 5);
        json_array_append_new(rows,
                              json_pack("[I, I, s, s, s, s?, o]", (json_int_t)xrm_stmt_int(s, 0),
                                        (json_int_t)xrm_stmt_int(s, 1), xrm_stmt_text(s, 2),
                                        xrm_stmt_text(s, 3), xrm_stmt_text(s, 4), until,
                                        xrm_json_load_stored(xrm_stmt_text(s, 6), true)));
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(rows);
        return XRM_E_DB;
    }
    *out = rows;
    return XRM_OK;
}

/* The highest party id that holds a role (0: none). */
enum xrm_rc xrm_ret_db_last_party(struct xrm_db *db, int64_t *out, struct xrm_err *err)
{
    return xrm_db_scalar_int(db, "SELECT coalesce(max(party_id), 0) FROM roles", out, err);
}

/* Roles of the party in domain that have not ended by today (an end date after today, or none). */
enum xrm_rc xrm_ret_db_open_roles(struct xrm_db *db, int64_t party, const char *domain,
                                  const char *today, int64_t *n, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT COUNT(*) FROM roles WHERE party_id = ? AND "
                                        "domain = ? AND (until IS NULL OR until > ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    xrm_stmt_bind_text(s, 2, domain);
    xrm_stmt_bind_text(s, 3, today);
    int r = xrm_stmt_step(s, err);
    *n = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r == 1 ? XRM_OK : XRM_E_DB;
}
