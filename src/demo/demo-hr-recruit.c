/*
 * The demo's recruitment and on- and offboarding: three vacancies (two
 * open, one filled) whose applicants stand in every stage (the demo's own
 * applicants get their vacancy and stage; a few more apply), the rejected
 * calculator (retention: four weeks), the onboarding checklist of the
 * newest employee half ticked off, and an offboarding checklist started by
 * giving a temporary contract its end date next month.
 *
 * Everything goes through the public calls of the HR and party modules, so
 * the role listener starts the checklists as it does for users. Dates are
 * offsets from today; choices by index, so every run makes the same data.
 */
#include "demo/demo-hr-recruit.h"
#include "domain/base/record.h"
#include "domain/hr/checklist.h"
#include "domain/hr/vacancy.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "core/clock.h"
#include "core/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void date_in(int days, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, days, out);
}

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const struct {
    const char *title, *status, *description;
    int hours, opened, closes; /* days from today */
} vacancies[] = {
    {"Werkvoorbereider", "open",
     "Maakt werkplannen, planningen en bestellingen voor de projecten van De Kade en verder.", 38,
     -45, 21},
    {"Monteur elektrotechniek", "open",
     "Installeert en onderhoudt elektrotechnische installaties in woningbouw en utiliteit; VCA "
     "en NEN 3140 zijn een pré.",
     40, -30, 30},
    {"Calculator", "filled", "Maakt begrotingen en offertes voor nieuwbouw en renovatie.", 38, -90,
     -30},
};

/* Applicants who apply for the demo's vacancies (vacancy index, stage). */
static const struct {
    const char *given, *prefix, *family, *email, *phone;
    int vacancy;
    const char *stage;
} newcomers[] = {
    {"Sanne", NULL, "Kuipers", "sanne.kuipers@example.nl", "0612345001", 0, "new"},
    {"Mehmet", NULL, "Yilmaz", "m.yilmaz@example.nl", "0612345002", 0, "offer"},
    {"Lotte", "van", "Wijk", "lotte.vanwijk@example.nl", "0612345003", 1, "interview"},
    {"Daan", "de", "Boer", "daan.deboer@example.nl", "0612345004", 1, "new"},
};

/* The demo's parties of query q (at most max), as full parties. */
static enum xrm_rc parties_of(struct xrm_ctx *ctx, const char *q, int max, json_t **out,
                              struct xrm_err *err)
{
    json_t *page = NULL, *all = json_array(), *p;
    size_t i;
    enum xrm_rc rc = xrm_party_list(ctx, q, max, NULL, &page, err);
    json_array_foreach(json_object_get(page, "items"), i, p)
    {
        json_t *full = NULL;
        if (!rc)
            rc = xrm_party_get(ctx, json_integer_value(json_object_get(p, "id")), &full, err);
        if (full)
            json_array_append_new(all, full);
    }
    json_decref(page);
    if (rc) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return XRM_OK;
}

/* The party's employee role (borrowed), or NULL. */
static json_t *employee_role(json_t *party)
{
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        if (strcmp(str_of(r, "type"), "employee") == 0)
            return r;
    }
    return NULL;
}

static enum xrm_rc set_attrs(struct xrm_ctx *ctx, json_t *role, json_t *attrs, struct xrm_err *err)
{
    json_t *patch = json_pack("{s:o}", "attributes", attrs), *out = NULL;
    enum xrm_rc rc =
        xrm_role_update(ctx, json_integer_value(json_object_get(role, "id")), 0, patch, &out, err);
    json_decref(patch);
    json_decref(out);
    return rc;
}

static enum xrm_rc load_vacancies(struct xrm_ctx *ctx, int64_t ids[], int *napplicants,
                                  struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char opened[XRM_DATE_LEN], closes[XRM_DATE_LEN], since[XRM_DATE_LEN];
    json_t *old = NULL;
    for (int i = 0; !rc && i < COUNT(vacancies); i++) {
        json_t *v = NULL;
        date_in(vacancies[i].opened, opened);
        date_in(vacancies[i].closes, closes);
        json_t *in =
            json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "title", vacancies[i].title, "status",
                      vacancies[i].status, "description", vacancies[i].description, "hours",
                      vacancies[i].hours, "opened", opened, "closes", closes);
        rc = xrm_record_op_create(ctx, &xrm_vacancy_ops, in, &v, err);
        ids[i] = json_integer_value(json_object_get(v, "id"));
        json_decref(in);
        json_decref(v);
    }
    /* the demo's own applicants (by the job they applied for) get their vacancy and stage */
    if (!rc)
        rc = parties_of(ctx, "status:employee=applicant", 20, &old, err);
    json_t *more = NULL;
    if (!rc)
        rc = parties_of(ctx, "status:employee=rejected", 20, &more, err);
    if (!rc)
        json_array_extend(old, more);
    json_decref(more);
    size_t k;
    json_t *p;
    json_array_foreach(old, k, p)
    {
        json_t *role = employee_role(p);
        const char *job = str_of(json_object_get(role, "attributes"), "job_title");
        int vi = -1;
        for (int i = 0; job && i < COUNT(vacancies); i++)
            if (strcasecmp(job, vacancies[i].title) == 0)
                vi = i;
        if (rc || vi < 0)
            continue;
        const char *stage = strcmp(str_of(role, "status"), "rejected") == 0 ? "rejected"
                            : vi == 0                                       ? "interview"
                                                                            : "offer";
        rc =
            set_attrs(ctx, role,
                      json_pack("{s:I, s:s}", "vacancy", (json_int_t)ids[vi], "stage", stage), err);
        *napplicants += !rc;
    }
    json_decref(old);
    for (int i = 0; !rc && i < COUNT(newcomers); i++) {
        json_t *out = NULL;
        date_in(-3 - i * 4, since);
        json_t *in = json_pack(
            "{s:s, s:s, s:s?, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}], s:[{s:s, s:s, s:s, s:{s:I, "
            "s:s, s:s}}]}",
            "kind", "person", "given_name", newcomers[i].given, "family_prefix",
            newcomers[i].prefix, "family_name", newcomers[i].family, "emails", "label", "privé",
            "value", newcomers[i].email, "phones", "label", "mobiel", "value", newcomers[i].phone,
            "roles", "type", "employee", "status", "applicant", "since", since, "attributes",
            "vacancy", (json_int_t)ids[newcomers[i].vacancy], "stage", newcomers[i].stage,
            "job_title", vacancies[newcomers[i].vacancy].title);
        rc = xrm_party_create(ctx, in, &out, err);
        json_decref(in);
        json_decref(out);
        *napplicants += !rc;
    }
    return rc;
}

/* The newest employee's onboarding checklist, its first half ticked off. */
static enum xrm_rc load_onboarding(struct xrm_ctx *ctx, int64_t *who, int *nchecklists,
                                   struct xrm_err *err)
{
    json_t *staff = NULL, *newest = NULL, *p, *list = NULL, *tpls = NULL, *c = NULL;
    const char *best = NULL;
    size_t i;
    enum xrm_rc rc = parties_of(ctx, "status:employee=active", 100, &staff, err);
    json_array_foreach(staff, i, p)
    {
        json_t *r = employee_role(p);
        const char *start = str_of(json_object_get(r, "attributes"), "start_date");
        if (start && (!best || strcmp(start, best) > 0)) {
            best = start;
            newest = p;
        }
    }
    if (rc || !newest)
        goto out;
    *who = json_integer_value(json_object_get(newest, "id"));
    struct xrm_checklist_filter f = {.kind = "onboarding",
                                     .party = json_integer_value(json_object_get(newest, "id"))};
    rc = xrm_checklist_list(ctx, &f, 5, NULL, &list, err);
    c = json_incref(json_array_get(json_object_get(list, "items"), 0));
    if (!rc && !c) {
        rc = xrm_checklist_template_list(ctx, "onboarding", &tpls, err);
        json_t *t = json_array_get(json_object_get(tpls, "items"), 0);
        json_t *in = json_pack("{s:O, s:O, s:O, s:s}", "party", json_object_get(newest, "id"),
                               "template", json_object_get(t, "id"), "role",
                               json_object_get(employee_role(newest), "id"), "anchor_date", best);
        if (!rc && t)
            rc = xrm_record_op_create(ctx, &xrm_checklist_ops, in, &c, err);
        json_decref(in);
    }
    size_t n = json_array_size(json_object_get(c, "items"));
    for (size_t k = 1; !rc && c && k <= n / 2; k++) {
        json_t *tick = json_pack("{s:I, s:b}", "n", (json_int_t)k, "done", 1), *after = NULL;
        rc = xrm_checklist_tick(ctx, json_integer_value(json_object_get(c, "id")), tick, &after,
                                err);
        json_decref(tick);
        json_decref(after);
    }
    *nchecklists += c != NULL;
out:
    json_decref(staff);
    json_decref(list);
    json_decref(tpls);
    json_decref(c);
    return rc;
}

/*
 * A temporary contract (not the newest colleague's) ends next month: its end date starts the
 * offboarding checklist.
 */
static enum xrm_rc load_offboarding(struct xrm_ctx *ctx, int64_t newest, int *nchecklists,
                                    struct xrm_err *err)
{
    json_t *temps = NULL, *p = NULL, *t;
    char end[XRM_DATE_LEN];
    size_t i;
    enum xrm_rc rc = parties_of(ctx, "employee.contract_type:temporary", 5, &temps, err);
    json_array_foreach(temps, i, t)
    {
        if (!p && json_integer_value(json_object_get(t, "id")) != newest)
            p = t;
    }
    date_in(33, end);
    if (!rc && p) {
        rc = set_attrs(ctx, employee_role(p), json_pack("{s:s}", "end_date", end), err);
        *nchecklists += !rc;
    }
    json_decref(temps);
    return rc;
}

enum xrm_rc xrm_demo_hr_recruit_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    int64_t ids[COUNT(vacancies)] = {0};
    int napplicants = 0, nchecklists = 0;
    int64_t newest = 0;
    enum xrm_rc rc = load_vacancies(ctx, ids, &napplicants, err);
    if (!rc)
        rc = load_onboarding(ctx, &newest, &nchecklists, err);
    if (!rc)
        rc = load_offboarding(ctx, newest, &nchecklists, err);
    if (!rc && progress)
        fprintf(progress, "demo: %d vacancies, %d applicants, %d on- and offboarding checklists\n",
                COUNT(vacancies), napplicants, nchecklists);
    return rc;
}
