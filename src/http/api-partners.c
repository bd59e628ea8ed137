/*
 * HTTP handlers for partners: commission statements (/api/v1/commissions,
 * .csv; query partner, period, status), partner tiers (/api/v1/partner-tiers,
 * /evaluate) and tier proposals (/api/v1/tier-proposals; query status,
 * party). The plain record routes (GET/PATCH of one commission, tier or
 * proposal, and GET /parties/{id}/partner) use the shared handlers of
 * api-misc.c. The rules live in domain/partners/.
 */
#include "http/api.h"
#include "core/buf.h"
#include "core/mem.h"
#include "domain/partners/commission.h"
#include "domain/partners/tier.h"

#include <string.h>

#include "core/banned.h"

static bool read_filter(struct xrm_req *req, struct xrm_commission_filter *f, struct xrm_err *err)
{
    f->period = xrm_query_str(req, "period");
    f->status = xrm_query_str(req, "status");
    xrm_query_id(req, "partner", false, &f->partner, err);
    return !err->rc;
}

void api_commissions_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_commission_filter f = {0};
    json_t *out = NULL;
    enum xrm_rc rc =
        read_filter(req, &f, &err) ? xrm_commission_list(&req->ctx, &f, &out, &err) : err.rc;
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_commissions_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_commission_filter f = {0};
    struct xrm_buf b = XRM_BUF_INIT;
    enum xrm_rc rc =
        read_filter(req, &f, &err) ? xrm_commission_csv(&req->ctx, &f, &b, &err) : err.rc;
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = xrm_buf_detach(&b, &resp->raw_len);
    resp->content_type = "text/csv; charset=utf-8; header=present";
}

void api_partner_tiers_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_tier_level_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_partner_tiers_evaluate(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_tier_evaluate(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_tier_proposals_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int64_t party = 0;
    xrm_query_id(req, "party", false, &party, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_tier_proposal_list(&req->ctx, xrm_query_str(req, "status"), party, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
