/*
 * Campaigns: the recipients (with their status filter), and the
 * public unsubscribe link of RFC 8058 (no login; its POST takes the
 * one-click form body, JSON or nothing: server.c lets the form through on
 * this route only). Unknown tokens are counted per client address and
 * throttled like the quote accept link (api-public.c). The plain record
 * routes, the list and the send are the shared handlers of api-misc.c.
 */
#include "http/api.h"
#include "domain/mail/campaign.h"

#include "core/banned.h"

void api_campaign_recipients(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_campaign_recipients(&req->ctx, req->id[0], xrm_query_str(req, "status"),
                                             limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* The unsubscribe link (api-public.c): failures are counted per client address. */
#define UNSUB_LIMIT_NAME "unsubscribe-link"

void api_public_unsubscribe_get(struct xrm_req *req, struct xrm_resp *resp)
{
    api_public_link(req, resp, UNSUB_LIMIT_NAME, xrm_campaign_unsubscribe_get);
}

/* RFC 8058: the body is "List-Unsubscribe=One-Click"; any body (or none) unsubscribes. */
void api_public_unsubscribe(struct xrm_req *req, struct xrm_resp *resp)
{
    api_public_link(req, resp, UNSUB_LIMIT_NAME, xrm_campaign_unsubscribe);
}
