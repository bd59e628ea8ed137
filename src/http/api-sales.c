/*
 * HTTP handlers for pipelines (/api/v1/pipelines[/{id}[/board]]), deals
 * (/api/v1/deals[/{id}[/history|/activities]]) and the weighted forecast
 * (/api/v1/forecast); the rules live in domain/pipeline.c and deal.c.
 *
 * Query parameters: deals: party, pipeline, stage, owner (id or "me"),
 * status; board: currency, limit (deals per column), closed_days, owner;
 * forecast: currency, pipeline, from, to (YYYY-MM).
 */
#include "http/api-sales.h"
#include "http/api.h"
#include "core/util.h"
#include "domain/base/record.h"
#include "domain/records/deal.h"
#include "domain/records/pipeline.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

void api_pipelines_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_pipeline_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_pipelines_board(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_board_opts o = {.currency = xrm_query_str(req, "currency")};
    json_t *out = NULL;
    int64_t limit = 0, closed_days = 0;
    xrm_query_int(req, "limit", 1, XRM_LIST_MAX, NULL, &limit, &err);
    xrm_query_int(req, "closed_days", 1, 3650, "a number of days", &closed_days, &err);
    o.limit = (int)limit;
    o.closed_days = (int)closed_days;
    xrm_query_id(req, "owner", true, &o.owner, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_pipeline_board(&req->ctx, req->id[0], &o, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_forecast(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_forecast_opts o = {.currency = xrm_query_str(req, "currency"),
                                  .from = xrm_query_str(req, "from"),
                                  .to = xrm_query_str(req, "to")};
    json_t *out = NULL;
    xrm_query_id(req, "pipeline", false, &o.pipeline, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_forecast(&req->ctx, &o, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_deal_filter f = {.status = xrm_query_str(req, "status")};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_id(req, "pipeline", false, &f.pipeline, &err);
    xrm_query_id(req, "stage", false, &f.stage, &err);
    xrm_query_id(req, "owner", true, &f.owner, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_deal_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_activities(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *deal = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_record_op_get(&req->ctx, &xrm_deal_ops, req->id[0], &deal, &err);
    json_decref(deal);
    if (!rc)
        rc = xrm_records_activities(&req->ctx, "deal", req->id[0], limit, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_activity_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_deal_add_activity(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/activities/");
}
