/*
 * Sick leave after the Wet verbetering poortwachter: the steps table and
 * the tasks of a sick report.
 */
#include "domain/hr/poortwachter.h"
#include "domain/hr/poortwachter-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define WEEK_MAX 156

enum xrm_rc xrm_poortwachter_steps(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED,
                        "the Poortwachter steps need read access to domain 'hr'");
    enum xrm_rc rc = xrm_pw_db_steps(ctx->db, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 40 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* One step of a PUT into *out (validated), field errors under items[i]. */
static void read_step(json_t *it, size_t i, json_t *out, struct xrm_err *err)
{
    static const char *const keys[] = {"code", "week", "every_weeks", "until_week", "title", NULL};
    static const char *const tkeys[] = {"en", "nl", NULL};
    char prefix[32], tprefix[48];
    const char *code = NULL, *en = NULL, *nl = NULL;
    int64_t week = 0, every = 0, until = 0;
    snprintf(prefix, sizeof(prefix), "items[%zu].", i);
    if (!json_is_object(it)) {
        xrm_err_field(err, XRM_E_INVALID, "items", "must be a list of steps");
        return;
    }
    xrm_json_only_keys(it, prefix, keys, err);
    char f[64];
    snprintf(f, sizeof(f), "%scode", prefix);
    if (xrm_json_get_str(it, prefix, "code", 40, true, &code, err) && !code_ok(code))
        xrm_err_field(err, XRM_E_INVALID, f,
                      "code must be lower-case letters, digits and _ (at most 40)");
    xrm_json_get_int(it, prefix, "week", 1, WEEK_MAX, true, &week, err);
    xrm_json_get_int(it, prefix, "every_weeks", 0, 52, false, &every, err);
    bool has_until = xrm_json_get_int(it, prefix, "until_week", 1, WEEK_MAX, false, &until, err);
    if (every > 0 && !has_until)
        until = week;
    snprintf(f, sizeof(f), "%suntil_week", prefix);
    if (has_until && until < week)
        xrm_err_field(err, XRM_E_INVALID, f, "until_week must not be before week");
    json_t *title = json_object_get(it, "title");
    snprintf(tprefix, sizeof(tprefix), "%stitle.", prefix);
    if (!json_is_object(title)) {
        snprintf(f, sizeof(f), "%stitle", prefix);
        xrm_err_field(err, XRM_E_INVALID, f, "must be an object {en, nl}");
    } else {
        xrm_json_only_keys(title, tprefix, tkeys, err);
        xrm_json_get_str(title, tprefix, "en", 200, true, &en, err);
        xrm_json_get_str(title, tprefix, "nl", 200, true, &nl, err);
    }
    json_object_set_new(out, "code", json_string(code ? code : ""));
    json_object_set_new(out, "week", json_integer(week));
    json_object_set_new(out, "every_weeks", json_integer(every));
    json_object_set_new(out, "until_week",
                        every > 0 || has_until ? json_integer(until) : json_null());
    json_object_set_new(out, "title",
                        json_pack("{s:s, s:s}", "en", en ? en : "", "nl", nl ? nl : ""));
}

struct put_arg {
    const struct xrm_user *user;
    json_t *items;
};

static enum xrm_rc put_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct put_arg *a = arg;
    json_t *before = NULL, *after = NULL;
    enum xrm_rc rc = xrm_pw_db_steps(db, &before, err);
    if (!rc)
        rc = xrm_pw_db_steps_replace(db, a->items, err);
    if (!rc)
        rc = xrm_pw_db_steps(db, &after, err);
    if (!rc) {
        json_t *b = json_pack("{s:O}", "items", before), *f = json_pack("{s:O}", "items", after);
        rc = xrm_audit_add(db, a->user, "update", "poortwachter_steps", 0, b, f, err);
        json_decref(b);
        json_decref(f);
    }
    json_decref(before);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_poortwachter_steps_put(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                       struct xrm_err *err)
{
    static const char *const keys[] = {"items", "next", NULL};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "changing the Poortwachter steps", err);
    if (rc)
        return rc;
    json_t *items = json_object_get(in, "items");
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_json_only_keys(in, NULL, keys, err);
    if (!json_is_array(items) || json_array_size(items) > XRM_PW_STEPS_MAX)
        xrm_err_field(err, XRM_E_INVALID, "items", "must be a list of at most %d steps",
                      XRM_PW_STEPS_MAX);
    json_t *clean = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *o = json_object();
        read_step(it, i, o, err);
        json_array_append_new(clean, o);
    }
    if (err && err->rc) {
        json_decref(clean);
        return err->rc;
    }
    struct put_arg a = {.user = &ctx->user, .items = clean};
    rc = xrm_store_write(ctx->store, put_tx, &a, err);
    json_decref(clean);
    if (!rc) {
        json_t *steps = NULL;
        rc = xrm_pw_db_steps(ctx->db, &steps, err);
        if (!rc)
            *out = json_pack("{s:o, s:n}", "items", steps, "next");
    }
    return rc;
}

static int by_due(const void *a, const void *b)
{
    json_t *const *x = a, *const *y = b;
    const char *dx = json_string_value(json_object_get(*x, "due"));
    const char *dy = json_string_value(json_object_get(*y, "due"));
    return strcmp(dx ? dx : "", dy ? dy : "");
}

json_t *xrm_poortwachter_plan(json_t *steps, const char *from)
{
    json_t *plan = json_array();
    size_t i;
    json_t *st;
    json_array_foreach(steps, i, st)
    {
        int64_t week = json_integer_value(json_object_get(st, "week"));
        int64_t every = json_integer_value(json_object_get(st, "every_weeks"));
        int64_t until = json_integer_value(json_object_get(st, "until_week"));
        if (every <= 0 || until < week)
            until = week;
        if (every <= 0)
            every = 1;
        for (int64_t w = week; w <= until && w <= WEEK_MAX; w += every) {
            char due[XRM_DATE_LEN];
            if (!xrm_date_add_days(from, 7 * w - 1, due))
                continue;
            json_array_append_new(
                plan, json_pack("{s:O, s:I, s:s, s:O}", "code", json_object_get(st, "code"), "week",
                                (json_int_t)w, "due", due, "title", json_object_get(st, "title")));
        }
    }
    /* stable order by due date: a small insertion sort keeps equal dates in table order */
    size_t n = json_array_size(plan);
    json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
    for (i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(plan, i));
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && by_due(&v[b - 1], &v[b]) > 0; b--) {
            json_t *t = v[b - 1];
            v[b - 1] = v[b];
            v[b] = t;
        }
    json_array_clear(plan);
    for (i = 0; i < n; i++)
        json_array_append_new(plan, v[i]);
    free(v);
    return plan;
}

enum xrm_rc xrm_poortwachter_report_tx(struct xrm_db *db, const struct xrm_user *user,
                                       int64_t absence, int64_t party, const char *from,
                                       int64_t assignee, struct xrm_err *err)
{
    json_t *steps = NULL, *plan = NULL;
    bool nl = xrm_lang_get() == XRM_LANG_NL;
    enum xrm_rc rc = xrm_pw_db_steps(db, &steps, err);
    if (rc)
        return rc;
    if (!assignee)
        assignee = user ? user->id : 0;
    if (!assignee)
        rc = xrm_records_first_admin(db, &assignee, err);
    plan = xrm_poortwachter_plan(steps, from);
    size_t i;
    json_t *p;
    json_array_foreach(plan, i, p)
    {
        if (rc)
            break;
        char subject[300];
        const char *title =
            json_string_value(json_object_get(json_object_get(p, "title"), nl ? "nl" : "en"));
        snprintf(subject, sizeof(subject), "Poortwachter week %lld: %s",
                 (long long)json_integer_value(json_object_get(p, "week")), title ? title : "");
        json_t *in = json_pack("{s:s, s:s, s:s, s:[I], s:O, s:b}", "type", "task", "domain", "hr",
                               "subject", subject, "parties", (json_int_t)party, "due",
                               json_object_get(p, "due"), "done", false);
        if (assignee)
            json_object_set_new(in, "assignee", json_integer(assignee));
        json_t *act = NULL;
        rc = xrm_activity_insert_tx(db, user, in, NULL, &act, err);
        json_decref(in);
        if (!rc)
            rc = xrm_records_link(db, json_integer_value(json_object_get(act, "id")), "absence",
                                  absence, "poortwachter", err);
        json_decref(act);
    }
    json_decref(plan);
    json_decref(steps);
    return rc;
}

enum xrm_rc xrm_poortwachter_recover_tx(struct xrm_db *db, const struct xrm_user *user,
                                        int64_t absence, const char *until, struct xrm_err *err)
{
    json_t *open = NULL;
    enum xrm_rc rc = xrm_pw_db_tasks(db, absence, true, &open, err);
    size_t i;
    json_t *t;
    json_array_foreach(open, i, t)
    {
        if (rc)
            break;
        const char *due = json_string_value(json_object_get(t, "due"));
        if (due && strncmp(due, until, 10) <= 0)
            continue;
        int64_t id = json_integer_value(json_object_get(t, "id"));
        json_t *before = NULL;
        rc = xrm_record_db_load(db, &xrm_activity_kind, id, &before, err);
        if (!rc)
            rc = xrm_record_db_delete(db, &xrm_activity_kind, id, err);
        if (!rc)
            rc = xrm_audit_add(db, user, "delete", "activity", id, before, NULL, err);
        json_decref(before);
    }
    json_decref(open);
    return rc;
}

enum xrm_rc xrm_poortwachter_tasks(struct xrm_db *db, int64_t absence, bool open_only, json_t **out,
                                   struct xrm_err *err)
{
    return xrm_pw_db_tasks(db, absence, open_only, out, err);
}
