/*
 * The HR absence part of the demo data set: deterministic, dated relative
 * to today, written in one transaction (the three Poortwachter tasks done
 * after it, as the HR user would tick them off).
 */
#include "demo/demo-hr-absence.h"
#include "domain/base/record.h"
#include "domain/hr/absence.h"
#include "domain/hr/absence-db.h"
#include "domain/hr/poortwachter.h"
#include "domain/party/activity.h"
#include "domain/users/user.h"
#include "core/clock.h"
#include "core/messages.h"

#include <jansson.h>
#include <string.h>

#include "core/banned.h"

struct load {
    const struct xrm_user *user;
    json_t *staff; /* party ids of the active employees, by name */
    int64_t hr;    /* the demo user "hr" (0: none) */
    int64_t sick;  /* the long-term sick report */
    int n;
};

static void day(int offset, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, offset, out);
}

/* An absence of kind for staff member i from today + a to today + b (b < a: open). */
static enum xrm_rc add(struct xrm_db *db, struct load *l, int i, const char *kind, int a, int b,
                       const char *status, int64_t *id, struct xrm_err *err)
{
    char from[XRM_DATE_LEN], until[XRM_DATE_LEN];
    json_t *out = NULL;
    day(a, from);
    day(b, until);
    json_t *in = json_pack("{s:O, s:s, s:s}", "party", json_array_get(l->staff, (size_t)i), "kind",
                           kind, "from", from);
    if (b >= a)
        json_object_set_new(in, "until", json_string(until));
    if (l->hr && strcmp(kind, "sick") == 0)
        json_object_set_new(in, "assignee", json_integer(l->hr));
    enum xrm_rc rc = xrm_record_create_in(db, &xrm_absence_ops, l->user, in, &out, err);
    int64_t aid = json_integer_value(json_object_get(out, "id"));
    if (!rc && status && strcmp(kind, "leave") == 0)
        rc = xrm_absence_status_tx(db, l->user, aid, status, err);
    if (id)
        *id = aid;
    l->n += !rc;
    json_decref(in);
    json_decref(out);
    return rc;
}

static enum xrm_rc load_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct load *l = arg;
    int n = (int)json_array_size(l->staff);
    enum xrm_rc rc = XRM_OK;
    for (int i = 0; !rc && i < n; i++) {
        if (i % 4 == 3 || i == 2)
            continue; /* a quarter has no leave on record; 2 is sick for long */
        int taken = -(12 + (i * 17) % 128), planned = 6 + (i * 23) % 150;
        /* last summer's holiday, leave taken this year, leave planned */
        rc = add(db, l, i, "leave", -(150 + (i * 13) % 120), -(150 + (i * 13) % 120) + 11,
                 "approved", NULL, err);
        if (!rc)
            rc = add(db, l, i, "leave", taken, taken + 4, "approved", NULL, err);
        if (!rc)
            rc = add(db, l, i, "leave", planned, planned + 2 + i % 9, "approved", NULL, err);
    }
    /* away today and this week; requests waiting for approval */
    if (!rc && n > 8) {
        rc = add(db, l, 1, "leave", -2, 4, "approved", NULL, err);
        if (!rc)
            rc = add(db, l, 4, "special", 0, 0, NULL, NULL, err);
        if (!rc)
            rc = add(db, l, 6, "parental", 1, 1, NULL, NULL, err);
        for (int k = 0; !rc && k < 3; k++)
            rc = add(db, l, 7 + k * 5, "leave", 20 + k * 9, 24 + k * 9, NULL, NULL, err);
    }
    /* short sick reports in the past months, one of them still open */
    static const int short_sick[][3] = {{5, -25, 3},   {9, -48, 2},   {14, -80, 5},
                                        {20, -110, 1}, {27, -140, 4}, {11, -2, -1}};
    for (size_t k = 0; !rc && k < sizeof(short_sick) / sizeof(short_sick[0]); k++) {
        int i = short_sick[k][0] % (n ? n : 1), from = short_sick[k][1], len = short_sick[k][2];
        rc = add(db, l, i, "sick", from, len < 0 ? from - 1 : from + len - 1, NULL, NULL, err);
    }
    /* the long-term sick employee: week 10 of the sickness today */
    if (!rc && n > 2)
        rc = add(db, l, 2, "sick", -65, -66, NULL, &l->sick, err);
    return rc;
}

/* The demo user "hr", or 0. */
static int64_t hr_user(struct xrm_ctx *ctx)
{
    json_t *list = NULL;
    int64_t id = 0;
    if (xrm_user_list(ctx, &list, NULL))
        return 0;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(list, "items"), i, u)
    {
        const char *name = json_string_value(json_object_get(u, "name"));
        if (name && strcmp(name, "hr") == 0)
            id = json_integer_value(json_object_get(u, "id"));
    }
    json_decref(list);
    return id;
}

enum xrm_rc xrm_demo_hr_absence_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    json_t *emps = NULL, *tasks = NULL;
    struct load l = {.user = &ctx->user, .staff = json_array()};
    enum xrm_rc rc = xrm_abs_db_employees(ctx->db, &emps, err);
    size_t i;
    json_t *e;
    json_array_foreach(emps, i, e)
    {
        const char *st = json_string_value(json_object_get(e, "status"));
        if (st && strcmp(st, "active") == 0)
            json_array_append(l.staff, json_object_get(e, "party"));
    }
    l.hr = hr_user(ctx);
    /* the tasks speak the company's language */
    enum xrm_lang lang = xrm_lang_get();
    xrm_lang_set(XRM_LANG_NL);
    if (!rc)
        rc = xrm_store_write(ctx->store, load_tx, &l, err);
    xrm_lang_set(lang);
    /* weeks 1, 6 and 8 of the long-term sickness are done */
    if (!rc && l.sick)
        rc = xrm_poortwachter_tasks(ctx->db, l.sick, false, &tasks, err);
    for (i = 0; !rc && i < 3 && i < json_array_size(tasks); i++) {
        json_t *patch = json_pack("{s:b}", "done", true);
        rc = xrm_activity_update(
            ctx, json_integer_value(json_object_get(json_array_get(tasks, i), "id")), 0, patch,
            NULL, err);
        json_decref(patch);
    }
    if (!rc && progress)
        fprintf(progress, "demo: %d absences\n", l.n);
    json_decref(tasks);
    json_decref(emps);
    json_decref(l.staff);
    return rc;
}
