/*
 * Employment history: the records of the employee role's changes and of
 * dated entries, what a reader may see of them, the fold as of today, and
 * the chain rule for fixed-term employment contracts.
 */
#include "domain/hr/employment.h"
#include "domain/hr/employment-db.h"
#include "domain/hr/department.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/party-ref.h"
#include "domain/party/role.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/messages.h"
#include "core/validate.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define JOB_TITLE_MAX 500
#define NOTE_MAX 1000

/* The five terms of employment a record may hold, in API order. */
static const char *const terms[] = {"job_title",     "department", "hours_per_week",
                                    "contract_type", "salary",     NULL};
static const char *const contract_types[] = {"permanent", "temporary",  "freelance",
                                             "intern",    "zero_hours", NULL};

static bool recruitment(const char *status)
{
    return !status || strcmp(status, "applicant") == 0 || strcmp(status, "rejected") == 0;
}

static bool is_employee(json_t *role)
{
    const char *type = json_string_value(json_object_get(role, "type"));
    return type && strcmp(type, "employee") == 0;
}

/* *out: the terms of party as of date (every record up to date, later ones winning). */
static enum xrm_rc fold(struct xrm_db *db, int64_t party, const char *date, json_t **out,
                        struct xrm_err *err)
{
    json_t *all = NULL, *r;
    size_t i;
    enum xrm_rc rc = xrm_emp_db_list(db, party, 0, &all, err);
    if (rc)
        return rc;
    *out = json_object();
    json_array_foreach(all, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "effective")), date) > 0)
            break;
        for (size_t k = 0; terms[k]; k++) {
            json_t *v = json_object_get(r, terms[k]);
            if (v && !json_is_null(v))
                json_object_set(*out, terms[k], v);
        }
    }
    json_decref(all);
    return XRM_OK;
}

enum xrm_rc xrm_employment_role_changed(struct xrm_db *db, const struct xrm_user *user,
                                        json_t *before, json_t *after, struct xrm_err *err)
{
    const char *st = json_string_value(json_object_get(after, "status"));
    if (!is_employee(after) || recruitment(st))
        return XRM_OK;
    json_t *na = json_object_get(after, "attributes");
    json_t *oa = before && !recruitment(json_string_value(json_object_get(before, "status")))
                     ? json_object_get(before, "attributes")
                     : NULL;
    json_t *rec = json_pack("{s:O}", "party", json_object_get(after, "party")), *cur = NULL;
    char today[XRM_DATE_LEN];
    int changed = 0;
    int64_t id = 0;
    enum xrm_rc rc = XRM_OK;
    xrm_clock_today(today);
    /* a change the history already holds (a dated entry made first) is not recorded twice */
    if (oa)
        rc = fold(db, json_integer_value(json_object_get(after, "party")), today, &cur, err);
    if (rc)
        goto out;
    for (size_t i = 0; terms[i]; i++) {
        json_t *v = json_object_get(na, terms[i]);
        if (!v || json_is_null(v))
            continue;
        if (oa && (json_equal(v, json_object_get(oa, terms[i])) ||
                   json_equal(v, json_object_get(cur, terms[i]))))
            continue;
        json_object_set(rec, terms[i], v);
        changed++;
    }
    if (!changed)
        goto out;
    const char *eff = today;
    if (!oa) { /* a new contract: from its start */
        const char *sd = json_string_value(json_object_get(na, "start_date"));
        const char *since = json_string_value(json_object_get(after, "since"));
        eff = sd ? sd : since ? since : today;
    }
    json_object_set_new(rec, "effective", json_string(eff));
    rc = xrm_emp_db_insert(db, rec, false, user ? user->id : 0, &id, err);
out:
    json_decref(rec);
    json_decref(cur);
    return rc;
}

/* What reader u may see of record r: salary only for full; false when nothing is left. */
static bool visible(const struct xrm_user *u, json_t *r)
{
    if (xrm_access_level(u, "hr") >= XRM_LEVEL_FULL)
        return true;
    json_object_del(r, "salary");
    for (size_t i = 0; terms[i]; i++)
        if (!json_is_null(json_object_get(r, terms[i])) && json_object_get(r, terms[i]))
            return true;
    return false;
}

static enum xrm_rc hr_level(const struct xrm_user *u, enum xrm_level need, struct xrm_err *err)
{
    if (xrm_access_level(u, "hr") >= need)
        return XRM_OK;
    if (need == XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "no read access to domain '%s'", "hr");
    return xrm_errf(err, XRM_E_DENIED, "no write access to domain '%s'", "hr");
}

enum xrm_rc xrm_employment_list(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                struct xrm_err *err)
{
    json_t *all = NULL, *items = json_array(), *cur = json_object(), *r;
    char today[XRM_DATE_LEN];
    size_t i;
    enum xrm_rc rc = hr_level(&ctx->user, XRM_LEVEL_READ, err);
    if (!rc)
        rc = xrm_party_check(ctx->db, party, "party", err);
    if (!rc)
        rc = xrm_emp_db_list(ctx->db, party, 0, &all, err);
    if (rc)
        goto out;
    xrm_clock_today(today);
    bool full = xrm_access_level(&ctx->user, "hr") >= XRM_LEVEL_FULL;
    for (i = 0; terms[i]; i++)
        if (full || strcmp(terms[i], "salary") != 0)
            json_object_set_new(cur, terms[i], json_null());
    json_object_set_new(cur, "department_name", json_null());
    json_array_foreach(all, i, r)
    {
        const char *eff = json_string_value(json_object_get(r, "effective"));
        bool planned = strcmp(eff, today) > 0;
        if (!visible(&ctx->user, r))
            continue;
        json_object_set_new(r, "planned", json_boolean(planned));
        json_array_append(items, r);
        if (planned)
            continue;
        for (size_t k = 0; terms[k]; k++) {
            json_t *v = json_object_get(r, terms[k]);
            if (v && !json_is_null(v))
                json_object_set(cur, terms[k], v);
        }
        if (!json_is_null(json_object_get(r, "department")))
            json_object_set(cur, "department_name", json_object_get(r, "department_name"));
    }
    *out = json_pack("{s:O, s:O}", "items", items, "current", cur);
out:
    json_decref(all);
    json_decref(items);
    json_decref(cur);
    return rc;
}

struct add_arg {
    const struct xrm_user *user;
    int64_t party;
    json_t *rec;
    json_t *out;
};

static enum xrm_rc add_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct add_arg *a = arg;
    json_t *roles = NULL, *role, *list = NULL, *audit = NULL;
    bool employee = false;
    int64_t id = 0;
    size_t i;
    enum xrm_rc rc = xrm_party_check(db, a->party, "party", err);
    if (!rc)
        rc = xrm_role_array_for_party(db, a->party, &roles, err);
    if (rc)
        goto out;
    json_array_foreach(roles, i, role)
    {
        if (is_employee(role) && !recruitment(json_string_value(json_object_get(role, "status"))))
            employee = true;
    }
    if (!employee) {
        rc = xrm_errf(err, XRM_E_INVALID, "party %lld has no employee role", (long long)a->party);
        goto out;
    }
    json_t *dep = json_object_get(a->rec, "department");
    if (json_is_integer(dep)) {
        bool exists = false;
        rc = xrm_department_exists(db, json_integer_value(dep), &exists, err);
        if (rc)
            goto out;
        if (!exists) {
            rc = xrm_err_field(err, XRM_E_INVALID, "department", "no department %lld",
                               (long long)json_integer_value(dep));
            goto out;
        }
    }
    json_object_set_new(a->rec, "party", json_integer(a->party));
    rc = xrm_emp_db_insert(db, a->rec, true, a->user ? a->user->id : 0, &id, err);
    if (!rc)
        rc = xrm_emp_db_list(db, 0, id, &list, err);
    if (rc)
        goto out;
    a->out = json_incref(json_array_get(list, 0));
    /* the audit trail never holds the salary: hr=read reads it */
    audit = json_deep_copy(a->out);
    json_object_del(audit, "salary");
    json_object_set_new(audit, "domain", json_string("hr"));
    rc = xrm_audit_add(db, a->user, "create", "employment", id, NULL, audit, err);
    if (!rc)
        rc = xrm_party_touch(db, a->party, err);
out:
    json_decref(roles);
    json_decref(list);
    json_decref(audit);
    return rc;
}

/* The entry's fields checked into a record (without party). */
static json_t *entry_of(json_t *in, struct xrm_err *err)
{
    static const char *const keys[] = {"effective",     "job_title", "department", "hours_per_week",
                                       "contract_type", "salary",    "note",       NULL};
    const char *s = NULL;
    int64_t n = 0;
    json_t *rec = json_object(), *v;
    int given = 0;
    if (!json_is_object(in)) {
        xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        return rec;
    }
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "effective", 10, true, &s, err)) {
        if (!xrm_valid_date(s))
            xrm_err_field(err, XRM_E_INVALID, "effective", "must be a date (YYYY-MM-DD)");
        else
            json_object_set_new(rec, "effective", json_string(s));
    }
    s = NULL;
    if (xrm_json_get_str(in, NULL, "job_title", JOB_TITLE_MAX, false, &s, err) && *s) {
        json_object_set_new(rec, "job_title", json_string(s));
        given++;
    }
    if (xrm_json_get_int(in, NULL, "department", 1, INT64_MAX, false, &n, err) && n) {
        json_object_set_new(rec, "department", json_integer(n));
        given++;
    }
    v = json_object_get(in, "hours_per_week");
    if (v && !json_is_null(v)) {
        if (!json_is_number(v))
            xrm_err_field(err, XRM_E_MALFORMED, "hours_per_week", "must be a number");
        else if (json_number_value(v) < 0 || json_number_value(v) > 80)
            xrm_err_field(err, XRM_E_INVALID, "hours_per_week", "must be between %s and %s", "0",
                          "80");
        else {
            json_object_set(rec, "hours_per_week", v);
            given++;
        }
    }
    s = NULL;
    if (xrm_json_get_str(in, NULL, "contract_type", 20, false, &s, err)) {
        if (!xrm_str_in(contract_types, s))
            xrm_err_field(err, XRM_E_INVALID, "contract_type", "must be one of: %s",
                          "permanent, temporary, freelance, intern, zero_hours");
        else {
            json_object_set_new(rec, "contract_type", json_string(s));
            given++;
        }
    }
    n = 0;
    if (xrm_json_get_int(in, NULL, "salary", 0, INT64_MAX, false, &n, err) &&
        json_is_integer(json_object_get(in, "salary"))) {
        json_object_set_new(rec, "salary", json_integer(n));
        given++;
    }
    s = NULL;
    if (xrm_json_get_str(in, NULL, "note", NOTE_MAX, false, &s, err) && *s)
        json_object_set_new(rec, "note", json_string(s));
    if (!given && !err->nfields)
        xrm_err_field(err, XRM_E_INVALID, "body",
                      "give at least one of job_title, department, hours_per_week, "
                      "contract_type, salary");
    return rec;
}

enum xrm_rc xrm_employment_add(struct xrm_ctx *ctx, int64_t party, json_t *in, json_t **out,
                               struct xrm_err *err)
{
    struct add_arg a = {.user = &ctx->user, .party = party};
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = hr_level(&ctx->user, XRM_LEVEL_READ, err);
    if (!rc)
        rc = xrm_access_write(&ctx->user, "hr", err);
    if (rc)
        return rc;
    a.rec = entry_of(in, err);
    if (!err->nfields && json_object_get(a.rec, "salary") &&
        xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_FULL)
        rc = xrm_errf(err, XRM_E_DENIED, "a salary needs full access to domain '%s'", "hr");
    if (!rc && err->nfields)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (!rc)
        rc = xrm_store_write(ctx->store, add_fn, &a, err);
    if (!rc) {
        xrm_clock_today(today);
        json_object_set_new(
            a.out, "planned",
            json_boolean(strcmp(json_string_value(json_object_get(a.out, "effective")), today) >
                         0));
        visible(&ctx->user, a.out);
        *out = a.out;
        a.out = NULL;
    }
    json_decref(a.out);
    json_decref(a.rec);
    return rc;
}

/* Chain rule. */

static void warn(json_t *list, const char *code, const char *message)
{
    json_array_append_new(list, json_pack("{s:s, s:s}", "code", code, "message", message));
}

enum xrm_rc xrm_employment_chain_warnings(struct xrm_db *db, json_t *a, json_t **warnings,
                                          struct xrm_err *err)
{
    json_t *list = NULL, *t;
    int64_t id = json_integer_value(json_object_get(a, "id"));
    const char *kind = json_string_value(json_object_get(a, "kind"));
    const char *domain = json_string_value(json_object_get(a, "domain"));
    char lim[XRM_DATE_LEN], gap[XRM_DATE_LEN], msg[300];
    size_t i, first = 0;
    *warnings = NULL;
    if (!kind || strcmp(kind, "employment_contract") != 0 || !domain || strcmp(domain, "hr") != 0 ||
        !json_is_string(json_object_get(a, "end")))
        return XRM_OK;
    enum xrm_rc rc =
        xrm_emp_db_fixed_terms(db, json_integer_value(json_object_get(a, "party")), &list, err);
    if (rc)
        return rc;
    const char *prev_end = NULL;
    json_array_foreach(list, i, t)
    {
        const char *start = json_string_value(json_object_get(t, "start"));
        /* a gap of more than 6 months between two contracts starts a new chain */
        if (prev_end && xrm_date_add_months(prev_end, 6, gap) && xrm_date_add_days(gap, 1, lim) &&
            strcmp(start, lim) > 0)
            first = i;
        const char *end = json_string_value(json_object_get(t, "end"));
        if (!prev_end || strcmp(end, prev_end) > 0)
            prev_end = end;
        if (json_integer_value(json_object_get(t, "id")) != id)
            continue;
        json_t *out = json_array();
        size_t n = i - first + 1;
        const char *chain_start =
            json_string_value(json_object_get(json_array_get(list, first), "start"));
        if (n >= 4) {
            snprintf(msg, sizeof(msg),
                     xrm_msg("this is fixed-term contract %zu in a row: under the chain rule "
                             "the contract is permanent from its start"),
                     n);
            warn(out, "chain_fourth_contract", msg);
        }
        if (xrm_date_add_months(chain_start, 36, lim) && strcmp(end, lim) >= 0) {
            snprintf(msg, sizeof(msg),
                     xrm_msg("the fixed-term contracts since %s pass 3 years: under the chain "
                             "rule the contract is permanent from then"),
                     chain_start);
            warn(out, "chain_three_years", msg);
        }
        if (json_array_size(out))
            *warnings = out;
        else
            json_decref(out);
        break;
    }
    json_decref(list);
    return XRM_OK;
}
