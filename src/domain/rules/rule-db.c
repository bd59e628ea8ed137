/*
 * Rules SQL: the rules table (conditions and effects kept as JSON text),
 * the reads the rule engine needs from role types, users, parties and
 * roles, and rule conditions written as SQL on a party row `p` for the
 * priority: and badge: filters. The SQL conditions mirror
 * xrm_crule_match in rule-eval.c term by term: a role is held when its
 * status is not one of its type's ended statuses; attribute conditions
 * read role_attrs (one row per attribute value, as text: numbers compare
 * after a cast, dates and strings as text).
 */
#include "domain/rules/rule-db.h"
#include "domain/base/row.h"
#include "domain/base/record.h"
#include "domain/rules/rule-eval.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY

static const char *const rule_kinds[] = {"treatment", "constraint", NULL};

/*
 * The stored part of a rule (rule.c adds what is computed: suspended,
 * restricted). Built-in rules come from the migrations; builtin is never
 * written here.
 */
static const struct xrm_field fields[] = {
    XRM_FIELD_ID("r"),
    {.name = "name",
     .column = "r.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED,
     .max = XRM_RULE_NAME_MAX},
    {.name = "kind",
     .column = "r.kind",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .values = rule_kinds},
    {.name = "description",
     .column = "r.description",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE},
    {.name = "when", .column = "r.conditions", .type = XRM_FT_JSON, .flags = XRM_FF_REQUIRED},
    {.name = "then", .column = "r.effects", .type = XRM_FT_JSON, .flags = XRM_FF_REQUIRED},
    {.name = "enabled", .column = "r.enabled", .type = XRM_FT_BOOL, .dflt = "true"},
    {.name = "builtin",
     .column = "r.builtin",
     .type = XRM_FT_BOOL,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "version",
     .column = "r.version",
     .type = XRM_FT_INT,
     .col = XRM_FC_VERSION,
     .flags = RO,
     .min = 1},
    {.name = "created_at",
     .column = "r.created_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_CREATED_AT,
     .flags = RO},
    {.name = "updated_at",
     .column = "r.updated_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_UPDATED_AT,
     .flags = RO},
};

static const struct xrm_record_kind rule_kind = {
    .name = "rule",
    .table = "rules",
    .alias = "r",
    .from = " FROM rules r",
    .title = "Rule",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

enum xrm_rc xrm_rule_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    const struct xrm_record_cond tenant = {.sql = "r.tenant = 1"};
    return xrm_record_db_list(db, &rule_kind, &tenant, 1, "r.id", XRM_RULES_ROWS_MAX, 0, out, err);
}

enum xrm_rc xrm_rule_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_db_load(db, &rule_kind, id, out, err);
}

enum xrm_rc xrm_rule_db_insert(struct xrm_db *db, json_t *rule, int64_t *id_out,
                               struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_record_db_insert(db, &rule_kind, rule, 0, now, id_out, err);
}

enum xrm_rc xrm_rule_db_update(struct xrm_db *db, int64_t id, json_t *rule, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_record_db_update(db, &rule_kind, id, rule, now, err);
}

enum xrm_rc xrm_rule_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return xrm_record_db_delete(db, &rule_kind, id, err);
}

enum xrm_rc xrm_rule_db_name_used(struct xrm_db *db, const char *name, int64_t except_id,
                                  int64_t *id_out, struct xrm_err *err)
{
    return xrm_record_db_taken(db, &rule_kind, "name", name, except_id, id_out, err);
}

enum xrm_rc xrm_rule_db_count(struct xrm_db *db, int64_t *out, struct xrm_err *err)
{
    return xrm_record_db_count(db, &rule_kind, out, err);
}

enum xrm_rc xrm_rule_db_role_types(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT name, statuses, ended_statuses, attributes, domain FROM role_types WHERE "
        "tenant = 1 ORDER BY id",
        err);
    if (!s)
        return XRM_E_DB;
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(
            arr, json_pack("{s:s, s:o, s:o, s:o, s:s?}", "name", xrm_stmt_text(s, 0), "statuses",
                           xrm_json_load_stored(xrm_stmt_text(s, 1), true), "ended_statuses",
                           xrm_json_load_stored(xrm_stmt_text(s, 2), true), "attributes",
                           xrm_json_load_stored(xrm_stmt_text(s, 3), true), "domain",
                           xrm_stmt_text(s, 4)));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return xrm_rows_step_rc(err);
    }
    *out = arr;
    return XRM_OK;
}

static json_t *tags_row(struct xrm_stmt *s)
{
    return xrm_json_load_stored(xrm_stmt_text(s, 0), true);
}

enum xrm_rc xrm_rule_db_party_tags(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT tags FROM parties WHERE id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, tags_row, "party", id, out, err);
}

/* Adds the roles of parties (id -> party) with ids in [lo, hi]. */
static enum xrm_rc add_roles(struct xrm_db *db, json_t *by_id, int64_t lo, int64_t hi,
                             struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.party_id, r.type, r.status, r.attributes, t.ended_statuses FROM roles r "
        "LEFT JOIN role_types t ON t.tenant = r.tenant AND t.name = r.type "
        "WHERE r.party_id >= ? AND r.party_id <= ? ORDER BY r.party_id, r.id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, lo);
    xrm_stmt_bind_int(s, 2, hi);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)xrm_stmt_int(s, 0));
        json_t *p = json_object_get(by_id, key);
        if (!p)
            continue; /* archived */
        const char *status = xrm_stmt_text(s, 2);
        json_t *ended = xrm_json_load_stored(xrm_stmt_text(s, 4), true);
        json_array_append_new(json_object_get(p, "roles"),
                              json_pack("{s:s, s:s, s:o, s:b}", "type", xrm_stmt_text(s, 1),
                                        "status", status, "attributes",
                                        xrm_json_load_stored(xrm_stmt_text(s, 3), false), "active",
                                        !xrm_json_has_str(ended, status)));
        json_decref(ended);
    }
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_rule_db_parties(struct xrm_db *db, int64_t after_id, int limit, json_t **out,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, name, tags FROM parties WHERE tenant = 1 AND "
                                        "archived = 0 AND id > ? ORDER BY id LIMIT ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, after_id);
    xrm_stmt_bind_int(s, 2, limit);
    json_t *arr = json_array(), *by_id = json_object();
    int r;
    int64_t lo = 0, hi = 0;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        int64_t id = xrm_stmt_int(s, 0);
        json_t *p =
            json_pack("{s:I, s:s, s:o, s:[]}", "id", (json_int_t)id, "name", xrm_stmt_text(s, 1),
                      "tags", xrm_json_load_stored(xrm_stmt_text(s, 2), true), "roles");
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)id);
        json_object_set(by_id, key, p);
        json_array_append_new(arr, p);
        if (!lo)
            lo = id;
        hi = id;
    }
    xrm_stmt_done(s);
    enum xrm_rc rc = r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
    if (!rc && lo)
        rc = add_roles(db, by_id, lo, hi, err);
    json_decref(by_id);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return XRM_OK;
}

/* Conditions as SQL. */

/*
 * " AND r.status NOT IN (?, ...)" for the ended statuses of a type and the
 * statuses a held role never has (applicant, rejected: see rule-eval.h).
 */
static void not_ended(struct xrm_sql *out, json_t *ended)
{
    size_t i;
    json_t *v;
    xrm_sql_add(out, " AND r.status NOT IN ('applicant', 'rejected'");
    json_array_foreach(ended, i, v)
    {
        xrm_sql_add(out, ", ?");
        xrm_sql_str(out, json_string_value(v));
    }
    xrm_sql_add(out, ")");
}

static void held_sql(struct xrm_sql *out, const char *type, json_t *ended)
{
    xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?");
    xrm_sql_str(out, type);
    not_ended(out, ended);
    xrm_sql_add(out, ")");
}

static void roles_sql(const struct xrm_cond *c, struct xrm_sql *out)
{
    const char *join = c->kind == XRM_C_ALL_ROLES ? " AND " : " OR ";
    size_t i;
    json_t *n;
    xrm_sql_add(out, c->kind == XRM_C_NONE_ROLES ? "NOT (" : "(");
    json_array_foreach(c->names, i, n)
    {
        const char *type = json_string_value(n);
        if (i)
            xrm_sql_add(out, join);
        held_sql(out, type, json_object_get(c->ended, type));
    }
    xrm_sql_add(out, ")");
}

/* The operand as role_attrs stores values of its kind. */
static void operand_param(const struct xrm_cond *c, json_t *v, struct xrm_sql *out)
{
    if (c->numeric)
        xrm_sql_double(out, json_number_value(v));
    else if (json_is_boolean(v))
        xrm_sql_str(out, json_is_true(v) ? "true" : "false");
    else
        xrm_sql_str(out, json_string_value(v));
}

static void attr_sql(const struct xrm_cond *c, struct xrm_sql *out)
{
    const char *val = c->numeric ? " AND CAST(a.value AS DOUBLE PRECISION) " : " AND a.value ";
    bool negate = c->op == XRM_AOP_EXISTS && json_is_false(c->operand);
    size_t i;
    json_t *v;

    xrm_sql_add(out, negate ? "NOT EXISTS (" : "EXISTS (");
    xrm_sql_add(out, "SELECT 1 FROM role_attrs a JOIN roles r ON r.id = a.role_id "
                     "WHERE a.party_id = p.id AND a.name = ? AND r.type = ?");
    xrm_sql_str(out, c->key);
    xrm_sql_str(out, c->type);
    not_ended(out, json_object_get(c->ended, c->type));
    switch (c->op) {
    case XRM_AOP_EQ:
    case XRM_AOP_GT:
    case XRM_AOP_LT:
        xrm_sql_add(out, val);
        xrm_sql_add(out, c->op == XRM_AOP_EQ ? "= ?" : c->op == XRM_AOP_GT ? "> ?" : "< ?");
        operand_param(c, c->operand, out);
        break;
    case XRM_AOP_IN:
        xrm_sql_add(out, val);
        xrm_sql_add(out, "IN (");
        json_array_foreach(c->operand, i, v)
        {
            xrm_sql_add(out, i ? ", ?" : "?");
            operand_param(c, v, out);
        }
        xrm_sql_add(out, ")");
        break;
    case XRM_AOP_EXISTS:
        break;
    }
    xrm_sql_add(out, ")");
}

static void tags_sql(const struct xrm_cond *c, struct xrm_sql *out)
{
    size_t i;
    json_t *n;
    if (c->kind == XRM_C_TAGS) {
        xrm_sql_add(out, "(");
        json_array_foreach(c->names, i, n)
        {
            xrm_sql_add(out, i ? " AND EXISTS" : "EXISTS");
            xrm_sql_add(out, " (SELECT 1 FROM party_tags t WHERE t.party_id = p.id AND t.tag = ?)");
            xrm_sql_str(out, json_string_value(n));
        }
        xrm_sql_add(out, ")");
        return;
    }
    xrm_sql_add(out,
                "NOT EXISTS (SELECT 1 FROM party_tags t WHERE t.party_id = p.id AND t.tag IN (");
    json_array_foreach(c->names, i, n)
    {
        xrm_sql_add(out, i ? ", ?" : "?");
        xrm_sql_str(out, json_string_value(n));
    }
    xrm_sql_add(out, "))");
}

static enum xrm_rc cond_sql(struct xrm_db *db, const struct xrm_cond *c, int depth,
                            struct xrm_sql *out, struct xrm_err *err)
{
    size_t i;
    json_t *n;
    switch (c->kind) {
    case XRM_C_ALL_ROLES:
    case XRM_C_ANY_ROLES:
    case XRM_C_NONE_ROLES:
        roles_sql(c, out);
        return XRM_OK;
    case XRM_C_STATUS:
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ? "
                         "AND r.status IN (");
        xrm_sql_str(out, c->type);
        json_array_foreach(c->names, i, n)
        {
            xrm_sql_add(out, i ? ", ?" : "?");
            xrm_sql_str(out, json_string_value(n));
        }
        xrm_sql_add(out, "))");
        return XRM_OK;
    case XRM_C_ATTR:
        attr_sql(c, out);
        return XRM_OK;
    case XRM_C_TAGS:
    case XRM_C_NONE_TAGS:
        tags_sql(c, out);
        return XRM_OK;
    case XRM_C_SEGMENT:
        if (!c->has_query) {
            xrm_sql_add(out, "1 = 0");
            return XRM_OK;
        }
        /* Inside the subquery p is the inner party row: the segment's terms refer to it. */
        xrm_sql_add(out, "p.id IN (SELECT p.id FROM parties p WHERE p.archived = 0");
        enum xrm_rc rc = xrm_query_sql_where(db, &c->query, depth + 1, out, err);
        xrm_sql_add(out, ")");
        return rc;
    }
    return XRM_OK;
}

enum xrm_rc xrm_rule_db_cond_sql(struct xrm_db *db, const struct xrm_crule *r, int depth,
                                 struct xrm_sql *out, struct xrm_err *err)
{
    if (r->nconds == 0) {
        xrm_sql_add(out, "(1 = 1)");
        return XRM_OK;
    }
    xrm_sql_add(out, "(");
    for (size_t i = 0; i < r->nconds; i++) {
        if (i)
            xrm_sql_add(out, " AND ");
        enum xrm_rc rc = cond_sql(db, &r->conds[i], depth, out, err);
        if (rc)
            return rc;
    }
    xrm_sql_add(out, ")");
    return XRM_OK;
}
