/*
 * Public links (no login): a quote's accept link (api-billing.c) and a
 * campaign's unsubscribe link (api-campaigns.c) share this handler.
 * - The token is the path's {name} up to the next '/' (a longer one is
 *   empty, so unknown).
 * - Unknown tokens are counted per client address under the link's own
 *   limiter name, apart from the logins' (the address key starts "link "):
 *   a failed link never locks a login from the same address, nor the
 *   reverse. Past the limit every request of that address is answered 429
 *   link_throttled with Retry-After, before the token is looked at.
 * - An expired link (err code "expired") is 410; the rest as api_reply.
 */
#include "http/api.h"
#include "core/messages.h"
#include "domain/users/ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static void link_addr(const struct xrm_req *req, char *out, size_t n)
{
    snprintf(out, n, "link %s", req->client);
}

static bool link_throttled(struct xrm_req *req, struct xrm_resp *resp, const char *limit_name)
{
    char addr[80];
    link_addr(req, addr, sizeof(addr));
    int64_t wait = xrm_login_wait(limit_name, addr, (int64_t)time(NULL));
    if (wait <= 0)
        return false;
    char msg[120];
    snprintf(msg, sizeof(msg), xrm_msg("too many unknown links; try again in %lld seconds"),
             (long long)wait);
    resp->retry_after = (int)wait;
    xrm_resp_problem_code(resp, 429, "link_throttled", msg);
    return true;
}

void api_public_link(struct xrm_req *req, struct xrm_resp *resp, const char *limit_name,
                     api_link_fn fn)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    char token[80];
    if (link_throttled(req, resp, limit_name))
        return;
    const char *p = req->name[0];
    size_t len = strcspn(p, "/");
    if (len >= sizeof(token))
        len = 0;
    memcpy(token, p, len);
    token[len] = '\0';
    enum xrm_rc rc = fn(&req->ctx, token, &out, &err);
    if (rc == XRM_E_NOTFOUND && strcmp(err.code, "expired") == 0) {
        xrm_resp_problem_code(resp, 410, "expired", err.message);
        json_decref(out);
        return;
    }
    if (rc == XRM_E_NOTFOUND) {
        char addr[80];
        link_addr(req, addr, sizeof(addr));
        xrm_login_failed(limit_name, addr, (int64_t)time(NULL));
    }
    api_reply(resp, rc, &err, out, 200, NULL);
}
