/*
 * The sales part of the demo data set: deals in every stage of the default
 * pipeline for the demo's customers, helpdesk cases (one for the strategic
 * partner who is also a customer, which gets its treatment's SLA), and
 * agreements in every domain (maintenance contracts, partner agreements,
 * supplier contracts, employment contracts, NDAs), some ending within two
 * months so the renewal automation has work.
 *
 * Everything goes through the public calls of deal.h, case.h and
 * agreement.h, so the demo passes exactly the rules typed-in data passes
 * (and winning a deal activates its customer, as it does for users).
 * Choices are made by index, so the data is the same on every run; dates
 * are offsets from today.
 */
#include "demo/demo-sales.h"
#include "domain/base/record.h"
#include "domain/records/agreement.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "domain/party/party.h"
#include "domain/records/pipeline.h"
#include "core/clock.h"
#include "core/util.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const deal_titles[] = {
    "Renovatie kantoorpand",   "Nieuwbouw bedrijfshal",   "Installatie warmtepomp",
    "Onderhoudscontract 2027", "Zonnepanelen op het dak", "Verbouwing keuken",
    "Badkamerrenovatie",       "Dakisolatie en goten",    "Elektra vervangen",
    "Airco in de werkplaats",  "Uitbouw woning",          "Laadpalen parkeerterrein",
};

static const char *const lost_reasons[] = {"Te duur", "Gekozen voor een concurrent",
                                           "Project uitgesteld", "Geen budget dit jaar"};

static const char *const case_subjects[] = {
    "Lekkage na oplevering",    "Factuur klopt niet",         "Monteur niet verschenen",
    "Warmtepomp maakt lawaai",  "Planning loopt uit",         "Schade aan gevel",
    "Vraag over garantie",      "Offerte nog niet ontvangen", "Storing in de groepenkast",
    "Klacht over communicatie",
};

/* Up to max party ids matching q (query language), in list order. */
static enum xrm_rc ids_of(struct xrm_ctx *ctx, const char *q, int max, json_t **out,
                          struct xrm_err *err)
{
    json_t *page = NULL;
    enum xrm_rc rc = xrm_party_list(ctx, q, max, NULL, &page, err);
    if (rc)
        return rc;
    json_t *ids = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(page, "items"), i, p)
        json_array_append(ids, json_object_get(p, "id"));
    json_decref(page);
    *out = ids;
    return XRM_OK;
}

static int64_t id_at(json_t *ids, int i)
{
    return json_integer_value(json_array_get(ids, (size_t)i));
}

static void date_in(int days, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, days, out);
}

static enum xrm_rc load_deals(struct xrm_ctx *ctx, json_t *customers, int *n, struct xrm_err *err)
{
    json_t *pl = NULL;
    int64_t pid = 0;
    enum xrm_rc rc = xrm_pipeline_default(ctx->db, &pid, err);
    if (!rc && pid)
        rc = xrm_pipeline_load(ctx->db, pid, &pl, err);
    if (rc || !pl)
        return rc;
    json_t *stages = json_object_get(pl, "stages");
    int nstages = (int)json_array_size(stages);
    int ncust = (int)json_array_size(customers);
    for (int i = 0; i < ncust && i < 48 && !rc; i++) {
        json_t *stage = json_array_get(stages, (size_t)((i * 7) % nstages));
        const char *kind = json_string_value(json_object_get(stage, "kind"));
        char close[XRM_DATE_LEN];
        date_in((i % 6) * 21 - 20, close);
        json_t *in =
            json_pack("{s:I, s:I, s:O, s:s, s:I, s:s}", "party", (json_int_t)id_at(customers, i),
                      "pipeline", (json_int_t)pid, "stage", json_object_get(stage, "id"), "title",
                      deal_titles[i % COUNT(deal_titles)], "amount",
                      (json_int_t)(250000 + ((i * 7919) % 40) * 125000), "expected_close", close);
        if (strcmp(kind, "lost") == 0)
            json_object_set_new(in, "lost_reason",
                                json_string(lost_reasons[i % COUNT(lost_reasons)]));
        json_t *out = NULL;
        rc = xrm_record_op_create(ctx, &xrm_deal_ops, in, &out, err);
        json_decref(in);
        json_decref(out);
        *n += !rc;
    }
    json_decref(pl);
    return rc;
}

static enum xrm_rc add_case(struct xrm_ctx *ctx, int64_t party, const char *subject, int i, int *n,
                            struct xrm_err *err)
{
    static const char *const statuses[] = {"new", "open", "waiting", "resolved", "closed"};
    static const char *const priorities[] = {"normal", "high", "normal", "low", "top"};
    static const int hours_ago[] = {0, 2, 30, 5, 50}; /* the waiting ones are past their SLA */
    char opened[XRM_TIME_LEN];
    xrm_time_format(xrm_clock_now_t() - (int64_t)hours_ago[i % 5] * 3600, opened);
    json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:s}", "party", (json_int_t)party, "subject",
                           subject, "status", statuses[i % 5], "opened_at", opened, "description",
                           "Gemeld via de telefoon; klant wil graag snel een reactie.");
    if (i > 0)
        json_object_set_new(in, "priority", json_string(priorities[i % 5]));
    json_t *out = NULL;
    enum xrm_rc rc = xrm_record_op_create(ctx, &xrm_case_ops, in, &out, err);
    json_decref(in);
    json_decref(out);
    *n += !rc;
    return rc;
}

static enum xrm_rc add_agreement(struct xrm_ctx *ctx, int64_t party, const char *kind,
                                 const char *title, int start_days, int end_days, int notice,
                                 int64_t value, bool renew, int *n, struct xrm_err *err)
{
    char start[XRM_DATE_LEN], end[XRM_DATE_LEN];
    date_in(start_days, start);
    date_in(end_days, end);
    json_t *in =
        json_pack("{s:I, s:s, s:s, s:s, s:i, s:b}", "party", (json_int_t)party, "kind", kind,
                  "title", title, "start", start, "notice_days", notice, "auto_renew", renew);
    if (end_days)
        json_object_set_new(in, "end", json_string(end));
    if (value)
        json_object_set_new(in, "value", json_integer(value));
    json_t *out = NULL;
    enum xrm_rc rc = xrm_record_op_create(ctx, &xrm_agreement_ops, in, &out, err);
    json_decref(in);
    json_decref(out);
    *n += !rc;
    return rc;
}

static enum xrm_rc load_agreements(struct xrm_ctx *ctx, json_t *customers, int *n,
                                   struct xrm_err *err)
{
    json_t *partners = NULL, *suppliers = NULL, *staff = NULL;
    enum xrm_rc rc = ids_of(ctx, "role:partner", 20, &partners, err);
    if (!rc)
        rc = ids_of(ctx, "role:supplier", 20, &suppliers, err);
    if (!rc)
        rc = ids_of(ctx, "role:employee", 20, &staff, err);
    for (int i = 0; !rc && i < 12 && i < (int)json_array_size(customers); i++)
        rc = add_agreement(ctx, id_at(customers, i), "customer_contract", "Onderhoudscontract",
                           -300 - i * 30, 20 + i * 15, 30, 180000 + i * 12000, i % 3 == 0, n, err);
    for (int i = 0; !rc && i < (int)json_array_size(partners) && i < 8; i++)
        rc = add_agreement(ctx, id_at(partners, i), "partner_agreement", "Partnerovereenkomst",
                           -400, 45 + i * 40, 90, 0, false, n, err);
    for (int i = 0; !rc && i < (int)json_array_size(suppliers) && i < 8; i++)
        rc = add_agreement(ctx, id_at(suppliers, i), "supplier_contract", "Raamcontract levering",
                           -200, 30 + i * 60, 60, 2500000 + i * 500000, true, n, err);
    for (int i = 0; !rc && i < (int)json_array_size(staff) && i < 8; i++)
        rc = add_agreement(ctx, id_at(staff, i), "employment_contract",
                           i % 2 ? "Arbeidsovereenkomst bepaalde tijd"
                                 : "Arbeidsovereenkomst onbepaalde tijd",
                           -700 + i * 40, i % 2 ? 50 + i * 10 : 0, 30, 0, false, n, err);
    for (int i = 0; !rc && i < 2 && i < (int)json_array_size(partners); i++)
        rc = add_agreement(ctx, id_at(partners, i), "nda", "Geheimhoudingsverklaring", -100, 630, 0,
                           0, false, n, err);
    json_decref(partners);
    json_decref(suppliers);
    json_decref(staff);
    return rc;
}

enum xrm_rc xrm_demo_sales_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    json_t *customers = NULL, *vip = NULL;
    int ndeals = 0, ncases = 0, nagreements = 0;
    enum xrm_rc rc = ids_of(ctx, "role:customer", 200, &customers, err);
    if (!rc)
        rc = ids_of(ctx, "role:customer role:partner", 5, &vip, err);
    if (!rc)
        rc = load_deals(ctx, customers, &ndeals, err);
    /* The strategic partner who buys from us first: its treatment sets the SLA. */
    for (int i = 0; !rc && i < (int)json_array_size(vip) && i < 2; i++)
        rc = add_case(ctx, id_at(vip, i), "Storing installatie op locatie", 0, &ncases, err);
    for (int i = 0; !rc && i < COUNT(case_subjects) && i < (int)json_array_size(customers); i++)
        rc = add_case(ctx, id_at(customers, (i * 5 + 3) % (int)json_array_size(customers)),
                      case_subjects[i], i + 1, &ncases, err);
    if (!rc)
        rc = load_agreements(ctx, customers, &nagreements, err);
    if (!rc && progress)
        fprintf(progress, "demo: %d deals, %d cases, %d agreements\n", ndeals, ncases, nagreements);
    json_decref(customers);
    json_decref(vip);
    return rc;
}
