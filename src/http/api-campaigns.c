/*
 * Campaigns: the list, the recipients (with their status filter), and the
 * public unsubscribe link of RFC 8058 (no login; its POST takes the
 * one-click form body, JSON or nothing: server.c lets the form through on
 * this route only). Unknown tokens are counted per client address and
 * throttled like the quote accept link. The plain record routes and the
 * send are the shared handlers of api-misc.c.
 */
#include "http/api.h"
#include "core/messages.h"
#include "domain/mail/campaign.h"
#include "domain/users/ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

void api_campaigns_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_campaign_list(&req->ctx, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

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

/* The unsubscribe link: failures are counted per client address, apart from logins'. */
#define UNSUB_LIMIT_NAME "unsubscribe-link"

static void link_addr(struct xrm_req *req, char *out, size_t n)
{
    snprintf(out, n, "unsubscribe %s", req->client);
}

static bool throttled(struct xrm_req *req, struct xrm_resp *resp)
{
    char addr[80];
    link_addr(req, addr, sizeof(addr));
    int64_t wait = xrm_login_wait(UNSUB_LIMIT_NAME, addr, (int64_t)time(NULL));
    if (wait <= 0)
        return false;
    char msg[120];
    snprintf(msg, sizeof(msg), xrm_msg("too many unknown links; try again in %lld seconds"),
             (long long)wait);
    resp->retry_after = (int)wait;
    xrm_resp_problem_code(resp, 429, "link_throttled", msg);
    return true;
}

static void reply(struct xrm_req *req, struct xrm_resp *resp, enum xrm_rc rc, struct xrm_err *err,
                  json_t *out)
{
    if (rc == XRM_E_NOTFOUND) {
        char addr[80];
        link_addr(req, addr, sizeof(addr));
        xrm_login_failed(UNSUB_LIMIT_NAME, addr, (int64_t)time(NULL));
    }
    api_reply(resp, rc, err, out, 200, NULL);
}

/* The token: the path segment {name} up to the next '/' or the end. */
static void token_of(struct xrm_req *req, char *out, size_t n)
{
    const char *p = req->name[0];
    size_t len = strcspn(p, "/");
    if (len >= n)
        len = 0;
    memcpy(out, p, len);
    out[len] = '\0';
}

void api_public_unsubscribe_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    char token[80];
    if (throttled(req, resp))
        return;
    token_of(req, token, sizeof(token));
    enum xrm_rc rc = xrm_campaign_unsubscribe_get(&req->ctx, token, &out, &err);
    reply(req, resp, rc, &err, out);
}

void api_public_unsubscribe(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    char token[80];
    if (throttled(req, resp))
        return;
    /* RFC 8058: the body is "List-Unsubscribe=One-Click"; any body (or none) unsubscribes */
    token_of(req, token, sizeof(token));
    enum xrm_rc rc = xrm_campaign_unsubscribe(&req->ctx, token, &out, &err);
    reply(req, resp, rc, &err, out);
}
