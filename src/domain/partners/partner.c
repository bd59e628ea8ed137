/*
 * Partners: the partner page's data (partner.h), put together from the
 * deals (generic list of the deal descriptor), commissions and tiers.
 */
#include "domain/partners/partner.h"
#include "domain/partners/commission.h"
#include "domain/partners/commission-db.h"
#include "domain/partners/tier.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/records/deal.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define PIPELINE_MAX 50
#define LINES_MAX 20

/* What a partners reader sees of a deal carrying the partner. */
static json_t *deal_view(json_t *d)
{
    static const char *const keys[] = {
        "id",     "title",    "party",          "party_name", "stage_name",     "status",
        "amount", "currency", "expected_close", "closed_at",  "partner_source", NULL};
    json_t *o = json_object();
    for (size_t i = 0; keys[i]; i++) {
        json_t *v = json_object_get(d, keys[i]);
        json_object_set(o, keys[i], v ? v : json_null());
    }
    return o;
}

enum xrm_rc xrm_partner_summary(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                                struct xrm_err *err)
{
    json_t *pct = NULL, *role = NULL, *crit = NULL, *deals = NULL, *lines = NULL, *totals = NULL,
           *proposals = NULL, *o = NULL;
    const char *source = NULL;
    struct xrm_commission_filter f = {.partner = party_id};
    enum xrm_rc rc = xrm_access_read(&ctx->user, "partners", "partner", party_id, err);
    if (!rc)
        rc = xrm_commission_pct(ctx->db, party_id, &pct, &source, &role, err);
    if (!rc && !role)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no partner %lld", (long long)party_id);
    if (!rc)
        rc = xrm_tier_criteria(ctx->db, party_id, &crit, err);
    if (!rc) {
        struct xrm_record_cond c[1] = {{.sql = "d.partner_id = ?"}};
        xrm_record_cond_num(&c[0], party_id);
        rc = xrm_record_db_list(ctx->db, &xrm_deal_kind, c, 1, NULL, PIPELINE_MAX, 0, &deals, err);
    }
    if (!rc) {
        struct xrm_record_cond c[1] = {{.sql = "c.partner_id = ?"}};
        xrm_record_cond_num(&c[0], party_id);
        rc = xrm_record_db_list(ctx->db, &xrm_commission_kind, c, 1, "c.won_on DESC, c.id DESC",
                                LINES_MAX, 0, &lines, err);
    }
    if (!rc)
        rc = xrm_commission_db_totals(ctx->db, &f, NULL, &totals, err);
    if (!rc)
        rc = xrm_tier_proposal_list(ctx, "pending", party_id, &proposals, err);
    if (rc)
        goto out;
    json_t *attrs = json_object_get(role, "attributes");
    json_t *tier = json_object_get(attrs, "tier");
    json_t *pipeline = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(deals, i, d) json_array_append_new(pipeline, deal_view(d));
    o = json_pack("{s:I, s:O, s:O, s:O, s:s, s:O, s:O, s:o, s:{s:O, s:O}, s:O}", "party",
                  (json_int_t)party_id, "role", json_object_get(role, "id"), "tier",
                  json_is_string(tier) ? tier : json_null(), "commission_pct", pct, "pct_source",
                  source, "revenue_12m", json_object_get(crit, "revenue_12m"), "certified",
                  json_object_get(crit, "certified"), "deals", pipeline, "commissions", "items",
                  lines, "totals", totals, "proposals", json_object_get(proposals, "items"));
    *out = o;
out:
    json_decref(pct);
    json_decref(role);
    json_decref(crit);
    json_decref(deals);
    json_decref(lines);
    json_decref(totals);
    json_decref(proposals);
    return rc;
}
