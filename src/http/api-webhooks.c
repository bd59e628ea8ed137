/*
 * HTTP handlers of webhooks: a subscription's delivery log, replaying one
 * delivery or every dead one, a test delivery. The subscriptions
 * themselves are a record kind on the shared handlers (routes.c: .ops =
 * &xrm_webhook_ops); the rules live in domain/webhooks/.
 */
#include "http/api.h"
#include "domain/webhooks/outbox.h"

#include "core/banned.h"

void api_webhook_deliveries(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_webhook_deliveries(&req->ctx, req->id[0], xrm_query_str(req, "status"),
                                            limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_webhook_replay(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_webhook_replay(&req->ctx, req->id[0], req->id[1], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_webhook_replay_all(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_webhook_replay_all(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_webhook_test(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_webhook_test(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 201, NULL);
}
