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
#include "domain/records/deal.h"
#include "domain/records/pipeline.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

/* A query parameter, NULL when absent or empty. */
static const char *param(struct xrm_req *req, const char *key)
{
    const char *v = xrm_req_query(req, key);
    return v && *v ? v : NULL;
}

/* An id parameter (or "me" when me is set); 0 when absent; a field error when bad. */
static int64_t id_param(struct xrm_req *req, const char *key, bool me, struct xrm_err *err)
{
    const char *v = param(req, key);
    int64_t id = 0;
    if (!v)
        return 0;
    if (me && strcmp(v, "me") == 0)
        return req->ctx.user.id;
    if (!xrm_parse_int(v, 1, INT64_MAX, &id))
        xrm_err_field(err, XRM_E_MALFORMED, key,
                      me ? "must be a user id or \"me\"" : "must be an id");
    return id;
}

void api_pipelines_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_pipeline_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_pipelines_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_pipeline_create(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/pipelines/");
}

void api_pipelines_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_pipeline_get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_pipelines_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_pipeline_update(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_pipelines_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_pipeline_delete(&req->ctx, req->id[0], req->if_match, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_pipelines_board(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_board_opts o = {.currency = param(req, "currency")};
    json_t *out = NULL;
    int64_t v = 0;
    const char *s = param(req, "limit");
    if (s && !xrm_parse_int(s, 1, XRM_LIST_MAX, &v))
        xrm_err_field(&err, XRM_E_MALFORMED, "limit", "must be an integer from 1 to %d",
                      XRM_LIST_MAX);
    o.limit = (int)v;
    v = 0;
    s = param(req, "closed_days");
    if (s && !xrm_parse_int(s, 1, 3650, &v))
        xrm_err_field(&err, XRM_E_MALFORMED, "closed_days", "must be a number of days, 1 to 3650");
    o.closed_days = (int)v;
    o.owner = id_param(req, "owner", true, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_pipeline_board(&req->ctx, req->id[0], &o, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_forecast(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_forecast_opts o = {
        .currency = param(req, "currency"), .from = param(req, "from"), .to = param(req, "to")};
    json_t *out = NULL;
    o.pipeline = id_param(req, "pipeline", false, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_forecast(&req->ctx, &o, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_deal_filter f = {.status = param(req, "status")};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    f.party = id_param(req, "party", false, &err);
    f.pipeline = id_param(req, "pipeline", false, &err);
    f.stage = id_param(req, "stage", false, &err);
    f.owner = id_param(req, "owner", true, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_deal_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_deal_create(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/deals/");
}

void api_deals_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_deal_get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_deal_update(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_deals_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_deal_delete(&req->ctx, req->id[0], req->if_match, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_deals_history(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_deal_history(&req->ctx, req->id[0], &out, &err);
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
    enum xrm_rc rc = xrm_deal_get(&req->ctx, req->id[0], &deal, &err);
    json_decref(deal);
    if (!rc)
        rc = xrm_records_activities(&req->ctx, "deal", req->id[0], limit, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
