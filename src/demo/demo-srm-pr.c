/*
 * The supplier and PR part of the demo data set:
 *   - evaluations of the active suppliers for the last four quarters, so
 *     their scorecards have a rating and a history;
 *   - the project "Nieuwbouw De Kade" with the demo's stakeholders of it
 *     (the parties whose stakeholder role names the project) on the grid,
 *     high / low influence and interest as 4 / 2, and one neighbour whose
 *     stance turned critical;
 *   - a media list (the segment "Media: pers", role:press), a press release
 *     sent after its embargo and one scheduled with an embargo in three days.
 * Everything goes through the public calls of the domain, so the demo passes
 * the rules typed-in data passes. Choices are made by index and dates are
 * offsets from today (core/clock.h), so the data is the same on every run.
 */
#include "demo/demo-srm-pr.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/pr/press.h"
#include "domain/pr/project.h"
#include "domain/rules/segment.h"
#include "domain/srm/supplier.h"
#include "core/clock.h"
#include "core/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define PROJECT "Nieuwbouw De Kade"

/* Every party of q (query language), at most max, as list items. */
static enum xrm_rc parties_of(struct xrm_ctx *ctx, const char *q, int max, json_t **out,
                              struct xrm_err *err)
{
    json_t *page = NULL;
    enum xrm_rc rc = xrm_party_list(ctx, q, max, NULL, &page, err);
    if (rc)
        return rc;
    *out = json_incref(json_object_get(page, "items"));
    json_decref(page);
    return XRM_OK;
}

static json_t *role_of(json_t *party, const char *type)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        const char *t = json_string_value(json_object_get(r, "type"));
        if (t && strcmp(t, type) == 0)
            return r;
    }
    return NULL;
}

/* The quarter of today minus back quarters, as "2026-Q4". */
static void quarter(int back, char out[8])
{
    char today[XRM_DATE_LEN];
    int y = 0, m = 0;
    xrm_clock_today(today);
    sscanf(today, "%4d-%2d", &y, &m);
    int q = (y * 4 + (m - 1) / 3) - back;
    snprintf(out, 8, "%04d-Q%d", q / 4 % 10000, q % 4 + 1);
}

/* The evaluations to write, in one transaction (one commit, not one per evaluation). */
struct evals {
    const struct xrm_user *user;
    json_t *items;
    int n;
};

static enum xrm_rc evals_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct evals *e = arg;
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *in;
    json_array_foreach(e->items, i, in)
    {
        rc = xrm_record_create_in(db, &xrm_supplier_evaluation_ops, e->user, in, NULL, err);
        if (rc)
            break;
        e->n++;
    }
    return rc;
}

static enum xrm_rc load_evaluations(struct xrm_ctx *ctx, int *n, struct xrm_err *err)
{
    static const char *const notes[] = {NULL, "Levering een week te laat", NULL,
                                        "Prima meegedacht over alternatieven"};
    json_t *suppliers = NULL;
    struct evals e = {.user = &ctx->user, .items = json_array()};
    enum xrm_rc rc = parties_of(ctx, "supplier.status:active", 200, &suppliers, err);
    size_t i;
    json_t *p;
    json_array_foreach(suppliers, i, p)
    {
        for (int back = 3; back >= 0; back--) {
            char period[8];
            int k = (int)i + back;
            quarter(back, period);
            json_t *in =
                json_pack("{s:O, s:s, s:i, s:i, s:i, s:i}", "party", json_object_get(p, "id"),
                          "period", period, "quality", 3 + k % 3, "delivery", 2 + (k * 7) % 4,
                          "price", 2 + k % 4, "communication", 3 + (k * 5) % 3);
            if (notes[k % 4])
                json_object_set_new(in, "note", json_string(notes[k % 4]));
            json_array_append_new(e.items, in);
        }
    }
    if (!rc)
        rc = xrm_store_write(ctx->store, evals_tx, &e, err);
    *n = e.n;
    json_decref(e.items);
    json_decref(suppliers);
    return rc;
}

static int level(json_t *attrs, const char *key)
{
    const char *v = json_string_value(json_object_get(attrs, key));
    return v && strcmp(v, "high") == 0 ? 4 : 2;
}

static const char *stance(json_t *attrs)
{
    const char *v = json_string_value(json_object_get(attrs, "stance"));
    if (v && strcmp(v, "supportive") == 0)
        return "supporter";
    if (v && strcmp(v, "opposed") == 0)
        return "critic";
    return "neutral";
}

/* The stakeholders to add, in one transaction; the first neutral one turns critical. */
struct shs {
    const struct xrm_user *user;
    int64_t project;
    json_t *items;
    int n;
};

static enum xrm_rc shs_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct shs *a = arg;
    enum xrm_rc rc = XRM_OK;
    int64_t first = 0;
    size_t i;
    json_t *in;
    json_array_foreach(a->items, i, in)
    {
        json_t *sh = NULL;
        rc = xrm_stakeholder_insert_tx(db, a->user, a->project, in, &sh, err);
        if (rc)
            break;
        a->n++;
        if (!first && strcmp(json_string_value(json_object_get(sh, "stance")), "neutral") == 0)
            first = json_integer_value(json_object_get(sh, "id"));
        json_decref(sh);
    }
    if (!rc && first) {
        json_t *patch = json_pack("{s:s, s:s}", "stance", "critic", "note",
                                  "Bezwaar tegen de bouwtijden op zaterdag");
        rc = xrm_record_update_in(db, &xrm_stakeholder_ops, a->user, first, patch, NULL, err);
        json_decref(patch);
    }
    return rc;
}

static enum xrm_rc load_project(struct xrm_ctx *ctx, int *n, struct xrm_err *err)
{
    json_t *project = NULL, *people = NULL;
    char start[XRM_DATE_LEN], end[XRM_DATE_LEN], today[XRM_DATE_LEN];
    struct shs a = {.user = &ctx->user, .items = json_array()};
    xrm_clock_today(today);
    xrm_date_add_days(today, -240, start);
    xrm_date_add_days(today, 420, end);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", PROJECT, "address",
                           "Kanaalweg 2, Utrecht", "postcode", "3531 HK", "start", start, "end",
                           end, "description",
                           "86 woningen aan het water; omwonenden, gemeente en woningcorporatie "
                           "als belanghebbenden.");
    enum xrm_rc rc = xrm_record_op_create(ctx, &xrm_project_ops, in, &project, err);
    json_decref(in);
    if (!rc)
        rc = parties_of(ctx, "role:stakeholder", 500, &people, err);
    a.project = json_integer_value(json_object_get(project, "id"));
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p)
    {
        json_t *attrs = json_object_get(role_of(p, "stakeholder"), "attributes");
        const char *proj = json_string_value(json_object_get(attrs, "project"));
        if (!proj || strcmp(proj, PROJECT) != 0)
            continue;
        json_array_append_new(a.items,
                              json_pack("{s:O, s:i, s:i, s:s}", "party", json_object_get(p, "id"),
                                        "influence", level(attrs, "influence"), "interest",
                                        level(attrs, "interest"), "stance", stance(attrs)));
    }
    if (!rc)
        rc = xrm_store_write(ctx->store, shs_tx, &a, err);
    *n = a.n;
    json_decref(a.items);
    json_decref(people);
    json_decref(project);
    return rc;
}

static enum xrm_rc load_press(struct xrm_ctx *ctx, struct xrm_err *err)
{
    json_t *seg = NULL, *org = NULL, *sent = NULL, *done = NULL;
    char past[XRM_TIME_LEN], future[XRM_TIME_LEN];
    int64_t now = xrm_clock_now_t();
    xrm_time_format(now - 2 * XRM_DAY_SECONDS, past);
    xrm_time_format(now + 3 * XRM_DAY_SECONDS, future);
    json_t *in = json_pack("{s:s, s:s, s:s}", "name", "Media: pers", "query", "role:press",
                           "description", "Journalisten en redacties (medialijst)");
    enum xrm_rc rc = xrm_segment_create(ctx, in, &seg, err);
    json_decref(in);
    if (!rc)
        rc = parties_of(ctx, "tag:bouwproject-de-kade", 1, &org, err);
    if (rc)
        goto out;
    json_t *proj = json_object_get(json_array_get(org, 0), "id");
    in = json_pack("{s:s, s:s, s:s, s:s, s:[O], s:s, s:O, s:s}", "type", "press_release", "domain",
                   "pr", "subject", "Eerste paal De Kade geslagen", "body",
                   "Vandaag is de eerste paal geslagen voor 86 woningen aan de Kanaalweg.",
                   "parties", proj, "embargo", past, "segment", json_object_get(seg, "id"), "at",
                   past);
    rc = xrm_activity_create(ctx, in, &sent, err);
    json_decref(in);
    if (!rc)
        rc = xrm_press_send(ctx, json_integer_value(json_object_get(sent, "id")), &done, err);
    if (rc)
        goto out;
    in = json_pack("{s:s, s:s, s:s, s:s, s:[O], s:s, s:O}", "type", "press_release", "domain", "pr",
                   "subject", "Hoogste punt De Kade bereikt", "body",
                   "Onder embargo: het hoogste punt wordt feestelijk gevierd.", "parties", proj,
                   "embargo", future, "segment", json_object_get(seg, "id"));
    rc = xrm_activity_create(ctx, in, NULL, err);
    json_decref(in);
out:
    json_decref(seg);
    json_decref(org);
    json_decref(sent);
    json_decref(done);
    return rc;
}

enum xrm_rc xrm_demo_srm_pr_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    int evaluations = 0, stakeholders = 0;
    enum xrm_rc rc = load_evaluations(ctx, &evaluations, err);
    if (!rc)
        rc = load_project(ctx, &stakeholders, err);
    if (!rc)
        rc = load_press(ctx, err);
    if (!rc && progress)
        fprintf(progress,
                "demo: %d supplier evaluations, project " PROJECT
                " with %d stakeholders, 2 press releases\n",
                evaluations, stakeholders);
    return rc;
}
