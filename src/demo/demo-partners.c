/*
 * The partners part of the demo data set: two partners, the reseller
 * SolarDak Midden (its own 7.5 %) and the referral partner Domstad
 * Hypotheekadvies (1.5 %; bronze, its revenue earns a proposal up), each
 * with won and open deals; their won deals made
 * commission lines, of which SolarDak's first is approved and its second
 * paid. Then the tiers are evaluated once, so proposals wait for the
 * partners user (nothing is applied). Deals of customers that partners
 * referred (demo.c's referred_by links) carry their partner by referral
 * already, from the sales part of the demo.
 *
 * Everything goes through the public calls of deal.h, commission.h and
 * tier.h, so the demo passes the rules typed-in data passes. Choices are
 * made by index, so the data is the same on every run.
 */
#include "demo/demo-partners.h"
#include "domain/base/record.h"
#include "domain/partners/commission.h"
#include "domain/partners/tier.h"
#include "domain/party/party.h"
#include "domain/records/deal.h"
#include "core/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
    const char *query; /* finds the partner */
    const char *titles[5];
    int64_t amounts[5];
    int won; /* the first `won` deals are won */
} specs[] = {
    {"role:partner solardak",
     {"Zonnepanelen bedrijfsdak", "Zonnepanelen en omvormer", "Thuisbatterij met panelen",
      "Zonnepanelen carport", "Panelen op de schuur"},
     {1850000, 1240000, 960000, 2100000, 780000},
     3},
    {"role:partner domstad",
     {"Warmtepomp bij nieuwe hypotheek", "Isolatie na verhuizing", "Hybride warmtepomp",
      "Vloerverwarming bij verbouwing", "Energielabel A-plus pakket"},
     {1450000, 2250000, 690000, 1100000, 1600000},
     2},
};

static enum xrm_rc first_id(struct xrm_ctx *ctx, const char *q, int skip, int64_t *id,
                            struct xrm_err *err)
{
    json_t *page = NULL;
    enum xrm_rc rc = xrm_party_list(ctx, q, skip + 1, NULL, &page, err);
    if (rc)
        return rc;
    *id = json_integer_value(
        json_object_get(json_array_get(json_object_get(page, "items"), (size_t)skip), "id"));
    json_decref(page);
    return XRM_OK;
}

static enum xrm_rc set_status(struct xrm_ctx *ctx, int64_t line, const char *status,
                              struct xrm_err *err)
{
    json_t *in = json_pack("{s:s}", "status", status), *out = NULL;
    enum xrm_rc rc = xrm_record_op_update(ctx, &xrm_commission_ops, line, 0, in, &out, err);
    json_decref(in);
    json_decref(out);
    return rc;
}

/* SolarDak's statement: the first line approved, the second paid. */
static enum xrm_rc statement(struct xrm_ctx *ctx, int64_t partner, struct xrm_err *err)
{
    struct xrm_commission_filter f = {.partner = partner};
    json_t *st = NULL;
    enum xrm_rc rc = xrm_commission_list(ctx, &f, &st, err);
    json_t *items = json_object_get(st, "items");
    int64_t a = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    int64_t b = json_integer_value(json_object_get(json_array_get(items, 1), "id"));
    if (!rc && a)
        rc = set_status(ctx, a, "approved", err);
    if (!rc && b)
        rc = set_status(ctx, b, "approved", err);
    if (!rc && b)
        rc = set_status(ctx, b, "paid", err);
    json_decref(st);
    return rc;
}

enum xrm_rc xrm_demo_partners_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    int ndeals = 0;
    int64_t solardak = 0;
    for (int s = 0; !rc && s < COUNT(specs); s++) {
        int64_t partner = 0;
        rc = first_id(ctx, specs[s].query, 0, &partner, err);
        if (rc || !partner)
            continue;
        if (s == 0)
            solardak = partner;
        for (int i = 0; !rc && i < 5; i++) {
            int64_t customer = 0;
            rc = first_id(ctx, "role:customer kind:person -role:partner", 20 + s * 7 + i, &customer,
                          err);
            if (rc || !customer)
                continue;
            json_t *in = json_pack("{s:I, s:s, s:I, s:I}", "party", (json_int_t)customer, "title",
                                   specs[s].titles[i], "amount", (json_int_t)specs[s].amounts[i],
                                   "partner", (json_int_t)partner),
                   *out = NULL;
            if (i < specs[s].won)
                json_object_set_new(in, "status", json_string("won"));
            rc = xrm_record_op_create(ctx, &xrm_deal_ops, in, &out, err);
            ndeals += !rc;
            json_decref(in);
            json_decref(out);
        }
    }
    if (!rc && solardak)
        rc = statement(ctx, solardak, err);
    json_t *ev = NULL;
    if (!rc)
        rc = xrm_tier_evaluate(ctx, &ev, err);
    if (!rc && progress)
        fprintf(progress, "demo: %d partner deals, %zu tier proposals\n", ndeals,
                json_array_size(json_object_get(ev, "items")));
    json_decref(ev);
    return rc;
}
