/*
 * Demo data of the organisation: the departments of the installation
 * company (the names the staff table of demo.c uses) as a tree under
 * Directie, each with a manager found from the reporting lines (the one
 * member whose manager is outside the department, else the manager most
 * of the department's heads report to); a few dated changes of employment
 * (a promotion with a raise, fewer hours, a raise, a raise planned ahead);
 * and three fixed-term employment contracts in a row for one employee.
 * Dates are relative to the demo's today (core/clock.h).
 */
#include "demo/demo-hr-org.h"
#include "domain/base/record.h"
#include "domain/hr/department.h"
#include "domain/hr/employment.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/records/agreement.h"
#include "core/clock.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static struct {
    const char *name, *parent, *cost_centre;
    int64_t id;
} depts[] = {
    {"Directie", NULL, "100", 0},
    {"Bedrijfsbureau", "Directie", "110", 0},
    {"Inkoop", "Directie", "120", 0},
    {"Calculatie", "Directie", "130", 0},
    {"Projecten", "Directie", "200", 0},
    {"Bouwplaats", "Projecten", "210", 0},
    {"Installatietechniek", "Directie", "300", 0},
    {"Service en onderhoud", "Directie", "400", 0},
};
#define NDEPTS (sizeof(depts) / sizeof(depts[0]))

int64_t xrm_demo_hr_org_department(const char *name)
{
    for (size_t i = 0; i < NDEPTS; i++)
        if (strcmp(depts[i].name, name) == 0)
            return depts[i].id;
    return 0;
}

enum xrm_rc xrm_demo_hr_org_departments(struct xrm_db *db, const struct xrm_user *user,
                                        struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (size_t i = 0; i < NDEPTS && !rc; i++) {
        json_t *in = json_pack("{s:s, s:s}", "name", depts[i].name, "cost_centre",
                               depts[i].cost_centre),
               *out = NULL;
        if (depts[i].parent)
            json_object_set_new(in, "parent",
                                json_integer(xrm_demo_hr_org_department(depts[i].parent)));
        rc = xrm_record_create_in(db, &xrm_department_ops, user, in, &out, err);
        depts[i].id = json_integer_value(json_object_get(out, "id"));
        json_decref(in);
        json_decref(out);
    }
    return rc;
}

/* The head of a department node of the org chart (party id), or 0. */
static int64_t head_of(json_t *node)
{
    json_t *members = json_object_get(node, "members"), *m, *n;
    int64_t head = 0, best = 0;
    int heads = 0, best_n = 0;
    size_t i, j;
    json_array_foreach(members, i, m)
    {
        int64_t mgr = json_integer_value(json_object_get(m, "manager"));
        bool inside = false;
        json_array_foreach(members, j, n) inside |=
            json_integer_value(json_object_get(n, "id")) == mgr;
        if (!inside) {
            heads++;
            head = json_integer_value(json_object_get(m, "id"));
        }
    }
    if (heads <= 1)
        return head;
    /* several heads: the manager most of them report to */
    json_array_foreach(members, i, m)
    {
        int64_t mgr = json_integer_value(json_object_get(m, "manager"));
        int c = 0;
        json_array_foreach(members, j, n) c +=
            json_integer_value(json_object_get(n, "manager")) == mgr;
        if (mgr && c > best_n) {
            best_n = c;
            best = mgr;
        }
    }
    return best;
}

struct mgr_arg {
    const struct xrm_user *user;
    json_t *nodes;
};

static enum xrm_rc managers_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct mgr_arg *a = arg;
    json_t *node;
    size_t i;
    enum xrm_rc rc = XRM_OK;
    json_array_foreach(a->nodes, i, node)
    {
        int64_t head = head_of(node);
        if (!head)
            continue;
        json_t *patch = json_pack("{s:I}", "manager", (json_int_t)head);
        rc = xrm_record_update_in(
            db, &xrm_department_ops, a->user,
            json_integer_value(json_object_get(json_object_get(node, "department"), "id")), patch,
            NULL, err);
        json_decref(patch);
        if (rc)
            break;
    }
    return rc;
}

/* Every node of the chart below nodes, flat, into out. */
static void flatten(json_t *nodes, json_t *out)
{
    size_t i;
    json_t *n;
    json_array_foreach(nodes, i, n)
    {
        json_array_append(out, n);
        flatten(json_object_get(n, "children"), out);
    }
}

/* The party id of the employee with number no ("VD0015"), or 0. */
static enum xrm_rc staff_id(struct xrm_ctx *ctx, const char *no, int64_t *id, struct xrm_err *err)
{
    char q[64];
    json_t *page = NULL;
    snprintf(q, sizeof(q), "employee.employee_number:%s", no);
    enum xrm_rc rc = xrm_party_list(ctx, q, 1, NULL, &page, err);
    *id = rc ? 0
             : json_integer_value(
                   json_object_get(json_array_get(json_object_get(page, "items"), 0), "id"));
    json_decref(page);
    return rc;
}

static void date_in(int days, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, days, out);
}

/*
 * A dated change of staff member no, days from today (negative: past);
 * a past one is also written to the employee role, as HR would.
 */
static enum xrm_rc change(struct xrm_ctx *ctx, const char *no, int days, json_t *terms,
                          const char *note, struct xrm_err *err)
{
    char date[XRM_DATE_LEN];
    int64_t party = 0;
    json_t *out = NULL, *roles = NULL, *role;
    size_t i;
    enum xrm_rc rc = staff_id(ctx, no, &party, err);
    if (rc || !party)
        goto out;
    date_in(days, date);
    json_t *in = json_deep_copy(terms);
    json_object_set_new(in, "effective", json_string(date));
    json_object_set_new(in, "note", json_string(note));
    rc = xrm_employment_add(ctx, party, in, &out, err);
    json_decref(in);
    if (rc || days > 0)
        goto out;
    rc = xrm_role_array_for_party(ctx->db, party, &roles, err);
    json_array_foreach(roles, i, role)
    {
        const char *type = json_string_value(json_object_get(role, "type"));
        if (rc || !type || strcmp(type, "employee") != 0)
            continue;
        json_t *patch = json_pack("{s:O}", "attributes", terms), *after = NULL;
        rc = xrm_role_update(ctx, json_integer_value(json_object_get(role, "id")), 0, patch, &after,
                             err);
        json_decref(patch);
        json_decref(after);
    }
out:
    json_decref(out);
    json_decref(roles);
    return rc;
}

/* Three fixed-term contracts in a row (6, 6 and 12 months) ending ahead of today. */
static enum xrm_rc fixed_terms(struct xrm_ctx *ctx, const char *no, struct xrm_err *err)
{
    static const struct {
        int start, end;
        const char *title;
    } terms[] = {
        {-380, -200, "Arbeidsovereenkomst bepaalde tijd (1e)"},
        {-199, -20, "Arbeidsovereenkomst bepaalde tijd (2e)"},
        {-19, 345, "Arbeidsovereenkomst bepaalde tijd (3e)"},
    };
    char start[XRM_DATE_LEN], end[XRM_DATE_LEN];
    int64_t party = 0;
    enum xrm_rc rc = staff_id(ctx, no, &party, err);
    for (size_t i = 0; !rc && party && i < sizeof(terms) / sizeof(terms[0]); i++) {
        json_t *out = NULL;
        date_in(terms[i].start, start);
        date_in(terms[i].end, end);
        json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "party", (json_int_t)party, "kind",
                               "employment_contract", "title", terms[i].title, "start", start,
                               "end", end, "notice_days", 30);
        rc = xrm_record_op_create(ctx, &xrm_agreement_ops, in, &out, err);
        json_decref(in);
        json_decref(out);
    }
    return rc;
}

enum xrm_rc xrm_demo_hr_org_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    json_t *chart = NULL, *nodes = json_array();
    enum xrm_rc rc = xrm_org_chart(ctx, &chart, err);
    if (!rc) {
        flatten(json_object_get(chart, "items"), nodes);
        struct mgr_arg a = {.user = &ctx->user, .nodes = nodes};
        rc = xrm_store_write(ctx->store, managers_tx, &a, err);
    }
    /* a promotion with a raise, fewer hours, a raise, and a raise planned ahead */
    json_t *t = json_pack("{s:s, s:i}", "job_title", "senior werkvoorbereider", "salary", 430000);
    if (!rc)
        rc = change(ctx, "VD0015", -420, t, "Promotie na beoordeling", err);
    json_decref(t);
    t = json_pack("{s:i}", "hours_per_week", 32);
    if (!rc)
        rc = change(ctx, "VD0030", -150, t, "Ouderschapsverlof: 4 dagen per week", err);
    json_decref(t);
    t = json_pack("{s:i}", "salary", 455000);
    if (!rc)
        rc = change(ctx, "VD0010", -200, t, "Jaarlijkse verhoging", err);
    json_decref(t);
    t = json_pack("{s:i}", "salary", 540000);
    if (!rc)
        rc = change(ctx, "VD0013", 60, t, "Verhoging per 1e van de maand, afgesproken", err);
    json_decref(t);
    if (!rc) /* the temporary electrician: a 4th fixed-term contract would warn */
        rc = fixed_terms(ctx, "VD0031", err);
    if (!rc && progress)
        fprintf(progress, "demo: %zu departments, employment history, a fixed-term chain\n",
                NDEPTS);
    json_decref(chart);
    json_decref(nodes);
    return rc;
}
