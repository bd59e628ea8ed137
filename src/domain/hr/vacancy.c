/*
 * Recruitment (see vacancy.h): vacancy validation, the applicants of a
 * vacancy with their stage and retention date, and moving an applicant
 * through the stages.
 */
#include "domain/hr/vacancy.h"
#include "domain/hr/vacancy-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/privacy/consent.h"
#include "domain/privacy/retention.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/messages.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define REASON_MAX 1000

static const char *const stages[] = {"new", "interview", "offer", "hired", "rejected", NULL};

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int stage_index(const char *s)
{
    for (int i = 0; s && stages[i]; i++)
        if (strcmp(stages[i], s) == 0)
            return i;
    return 0;
}

/* Vacancies */

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"title", "hours", "status", "closes", "description", NULL};
    const struct xrm_record_kind *K = &xrm_vacancy_kind;
    json_t *in = w->in, *rec = json_object();
    enum xrm_rc rc = XRM_OK;
    char today[XRM_DATE_LEN];

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    if (!xrm_record_read(K, "opened", in, before, rec, err)) {
        xrm_clock_today(today);
        json_object_set_new(rec, "opened", json_string(today));
    }
    const char *opened = str_of(rec, "opened"), *closes = str_of(rec, "closes");
    if (opened && closes && strcmp(closes, opened) < 0)
        xrm_err_field(err, XRM_E_INVALID, "closes", "must not be before opened (%s)", opened);
    if (xrm_record_read(K, "department", in, before, rec, err)) {
        bool found = false;
        int64_t d = json_integer_value(json_object_get(rec, "department"));
        rc = xrm_vac_db_department(db, d, &found, err);
        if (rc)
            goto out;
        if (!found)
            xrm_err_field(err, XRM_E_INVALID, "department", "no department %lld", (long long)d);
    }
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* The stage an application is in: its attribute, or what its role's status says. */
static const char *stage_of(json_t *a)
{
    const char *st = str_of(a, "status"),
               *stage = str_of(json_object_get(a, "attributes"), "stage");
    if (is(st, "rejected"))
        return "rejected";
    if (!is(st, "applicant"))
        return "hired";
    return stage && !is(stage, "hired") && !is(stage, "rejected") ? stage : "new";
}

/* Sets "applicants" (counts per stage) on vacancy v. */
static enum xrm_rc count_applicants(struct xrm_db *db, json_t *v, struct xrm_err *err)
{
    json_t *rows = NULL, *a;
    size_t i;
    int64_t n[5] = {0};
    enum xrm_rc rc =
        xrm_vac_db_applicants(db, json_integer_value(json_object_get(v, "id")), &rows, err);
    if (rc)
        return rc;
    json_array_foreach(rows, i, a) n[stage_index(stage_of(a))]++;
    json_decref(rows);
    json_object_set_new(v, "applicants",
                        json_pack("{s:I, s:I, s:I, s:I, s:I}", "new", (json_int_t)n[0], "interview",
                                  (json_int_t)n[1], "offer", (json_int_t)n[2], "hired",
                                  (json_int_t)n[3], "rejected", (json_int_t)n[4]));
    return XRM_OK;
}

/* What a reader gets: the vacancy with its applicants counted per stage. */
static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)w;
    (void)action;
    return count_applicants(ctx->db, *rec, err);
}

/* A vacancy with applicants is closed, not deleted (checked before the write gate). */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    json_t *v = NULL, *rows = NULL;
    if (strcmp(action, "delete") != 0)
        return XRM_OK;
    enum xrm_rc rc = xrm_record_get(ctx, w->ops, w->id, &v, err);
    if (!rc)
        rc = xrm_vac_db_applicants(ctx->db, w->id, &rows, err);
    if (!rc && json_array_size(rows) > 0)
        rc = xrm_errf(err, XRM_E_CONFLICT,
                      "vacancy %lld has %zu applicants; close it instead of deleting it",
                      (long long)w->id, json_array_size(rows));
    json_decref(v);
    json_decref(rows);
    return rc;
}

const struct xrm_record_ops xrm_vacancy_ops = {
    .kind = &xrm_vacancy_kind,
    .domain = "hr",
    .validate = validate,
    .begin = begin,
    .view = view,
};

enum xrm_rc xrm_vacancy_list(struct xrm_ctx *ctx, const char *status, json_t **out,
                             struct xrm_err *err)
{
    json_t *items = NULL, *v;
    size_t i;
    if (status && !xrm_str_in(xrm_vacancy_statuses, status))
        return xrm_err_field(err, XRM_E_MALFORMED, "status", "must be open, closed or filled");
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ) {
        *out = json_pack("{s:[], s:n}", "items", "next");
        return XRM_OK;
    }
    enum xrm_rc rc = xrm_vac_db_list(ctx->db, status, &items, err);
    json_array_foreach(items, i, v)
    {
        if (!rc)
            rc = count_applicants(ctx->db, v, err);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

/* Applicants */

/* The retention rule of an ended employee role of status (as retention.c picks it). */
static json_t *rule_for(json_t *rules, const char *status)
{
    json_t *general = NULL, *r;
    size_t i;
    json_array_foreach(rules, i, r)
    {
        if (!json_is_true(json_object_get(r, "enabled")) || !is(str_of(r, "domain"), "hr") ||
            !is(str_of(r, "role_type"), "employee"))
            continue;
        json_t *st = json_object_get(r, "statuses");
        if (json_array_size(st) == 0 && !general)
            general = r;
        else if (xrm_json_has_str(st, status))
            return r;
    }
    return general;
}

/* An applicant row as the API gives it, with the day retention removes it (rules: may be NULL). */
static enum xrm_rc applicant_json(struct xrm_db *db, json_t *row, json_t *rules, json_t **out,
                                  struct xrm_err *err)
{
    json_t *attrs = json_object_get(row, "attributes");
    const char *until = str_of(row, "until"), *status = str_of(row, "status");
    json_t *o = json_pack(
        "{s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:n}", "role", json_object_get(row, "role"),
        "party", json_object_get(row, "party"), "party_name", json_object_get(row, "party_name"),
        "vacancy", json_object_get(attrs, "vacancy"), "stage", stage_of(row), "status",
        json_object_get(row, "status"), "since", json_object_get(row, "since"), "until",
        json_object_get(row, "until"), "version", json_object_get(row, "version"), "keep_until");
    json_t *e = json_object_get(json_array_get(json_object_get(row, "emails"), 0), "value");
    json_t *p = json_object_get(json_array_get(json_object_get(row, "phones"), 0), "value");
    json_object_set(o, "email", e ? e : json_null());
    json_object_set(o, "phone", p ? p : json_null());
    if (!json_object_get(o, "vacancy"))
        json_object_set_new(o, "vacancy", json_null());
    json_t *rule = until && (is(status, "rejected") || is(status, "applicant"))
                       ? rule_for(rules, status)
                       : NULL;
    if (rule) {
        int64_t days = json_integer_value(json_object_get(rule, "days"));
        const char *purpose = str_of(rule, "consent_purpose");
        bool granted = false;
        if (purpose && json_is_integer(json_object_get(rule, "consent_days"))) {
            enum xrm_rc rc = xrm_consent_granted(
                db, json_integer_value(json_object_get(row, "party")), purpose, &granted, err);
            if (rc) {
                json_decref(o);
                return rc;
            }
            if (granted)
                days = json_integer_value(json_object_get(rule, "consent_days"));
        }
        char keep[XRM_DATE_LEN];
        if (xrm_date_add_days(until, days, keep))
            json_object_set_new(o, "keep_until", json_string(keep));
    }
    *out = o;
    return XRM_OK;
}

static int by_stage(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int d = stage_index(str_of(x, "stage")) - stage_index(str_of(y, "stage"));
    if (d)
        return d;
    json_int_t i = json_integer_value(json_object_get(x, "role")),
               j = json_integer_value(json_object_get(y, "role"));
    return (i > j) - (i < j);
}

enum xrm_rc xrm_vacancy_applicants(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                   struct xrm_err *err)
{
    json_t *v = NULL, *rows = NULL, *rules = NULL, *row, *items = json_array();
    size_t i;
    enum xrm_rc rc = xrm_record_get(ctx, &xrm_vacancy_ops, id, &v, err);
    if (!rc)
        rc = xrm_vac_db_applicants(ctx->db, id, &rows, err);
    if (!rc)
        rc = xrm_retention_rules(ctx, &rules, err);
    json_array_foreach(rows, i, row)
    {
        json_t *a = NULL;
        if (!rc)
            rc = applicant_json(ctx->db, row, json_object_get(rules, "items"), &a, err);
        if (a)
            json_array_append_new(items, a);
    }
    json_decref(v);
    json_decref(rows);
    json_decref(rules);
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t n = json_array_size(items);
    if (n > 1) {
        json_t **arr = calloc(n, sizeof(*arr));
        for (i = 0; i < n; i++)
            arr[i] = json_incref(json_array_get(items, i));
        qsort(arr, n, sizeof(*arr), by_stage);
        json_array_clear(items);
        for (i = 0; i < n; i++)
            json_array_append_new(items, arr[i]);
        free(arr);
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

/* The applicant whose role is role_id, as the list gives it. */
static enum xrm_rc applicant_get(struct xrm_ctx *ctx, json_t *role, json_t **out,
                                 struct xrm_err *err)
{
    json_t *rules = NULL, *party = NULL;
    enum xrm_rc rc = xrm_retention_rules(ctx, &rules, err);
    json_t *row = json_pack(
        "{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "role", json_object_get(role, "id"), "party",
        json_object_get(role, "party"), "status", json_object_get(role, "status"), "since",
        json_object_get(role, "since"), "until", json_object_get(role, "until"), "attributes",
        json_object_get(role, "attributes"), "version", json_object_get(role, "version"));
    if (!rc)
        rc = xrm_party_get(ctx, json_integer_value(json_object_get(role, "party")), &party, err);
    if (!rc) {
        json_object_set(row, "party_name", json_object_get(party, "name"));
        json_object_set(row, "emails", json_object_get(party, "emails"));
        json_object_set(row, "phones", json_object_get(party, "phones"));
        rc = applicant_json(ctx->db, row, json_object_get(rules, "items"), out, err);
    }
    json_decref(rules);
    json_decref(party);
    json_decref(row);
    return rc;
}

enum xrm_rc xrm_applicant_move(struct xrm_ctx *ctx, int64_t role_id, int64_t if_version, json_t *in,
                               json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"stage", "start_date", "reason", NULL};
    const char *stage = NULL, *start = NULL, *reason = NULL;
    json_t *role = NULL, *after = NULL, *patch = NULL;
    char today[XRM_DATE_LEN];
    enum xrm_rc rc;

    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "stage", 20, true, &stage, err) && !xrm_str_in(stages, stage))
        xrm_err_field(err, XRM_E_INVALID, "stage",
                      "must be one of new, interview, offer, hired, rejected");
    if (xrm_json_get_str(in, NULL, "start_date", 10, false, &start, err) && !xrm_valid_date(start))
        xrm_err_field(err, XRM_E_INVALID, "start_date", "must be a date (YYYY-MM-DD)");
    else if (is(stage, "hired") && !start)
        xrm_err_field(err, XRM_E_INVALID, "start_date", "is required to hire");
    xrm_json_get_str(in, NULL, "reason", REASON_MAX, false, &reason, err);
    if (err->rc)
        return err->rc;
    rc = xrm_role_get(ctx, role_id, &role, err);
    if (!rc && !is(str_of(role, "type"), "employee"))
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no applicant %lld", (long long)role_id);
    if (!rc)
        rc = xrm_access_write(&ctx->user, "hr", err);
    if (!rc && !is(str_of(role, "status"), "applicant"))
        rc = xrm_errf(err, XRM_E_CONFLICT, "role %lld is not an application in progress (%s)",
                      (long long)role_id, str_of(role, "status"));
    if (rc)
        goto out;
    xrm_clock_today(today);
    if (is(stage, "hired"))
        patch = json_pack("{s:s, s:s, s:{s:s, s:s}}", "status", "active", "since", start,
                          "attributes", "stage", stage, "start_date", start);
    else if (is(stage, "rejected"))
        patch = json_pack("{s:s, s:s, s:{s:s}}", "status", "rejected", "until", today, "attributes",
                          "stage", stage);
    else
        patch = json_pack("{s:{s:s}}", "attributes", "stage", stage);
    rc = xrm_role_update(ctx, role_id, if_version, patch, &after, err);
    if (!rc && is(stage, "rejected") && reason && reason[0]) {
        json_t *note = json_pack("{s:s, s:s, s:s, s:s, s:[O]}", "type", "note", "domain", "hr",
                                 "subject", xrm_msg("Application rejected"), "body", reason,
                                 "parties", json_object_get(role, "party")),
               *act = NULL;
        rc = xrm_activity_create(ctx, note, &act, err);
        json_decref(note);
        json_decref(act);
    }
    if (!rc)
        rc = applicant_get(ctx, after, out, err);
out:
    json_decref(role);
    json_decref(after);
    json_decref(patch);
    return rc;
}

enum xrm_rc xrm_vacancy_on_role(struct xrm_db *db, const struct xrm_user *user, json_t *before,
                                json_t *after, struct xrm_err *err)
{
    json_t *v = after ? json_object_get(json_object_get(after, "attributes"), "vacancy") : NULL;
    json_t *was = before ? json_object_get(json_object_get(before, "attributes"), "vacancy") : NULL;
    bool found = false;
    if (!json_is_integer(v) || json_equal(v, was))
        return XRM_OK;
    enum xrm_rc rc = xrm_vac_db_exists(db, json_integer_value(v), &found, err);
    if (!rc && !found)
        rc = xrm_err_field(err, XRM_E_INVALID, "attributes.vacancy", "no vacancy %lld",
                           (long long)json_integer_value(v));
    return rc;
}
