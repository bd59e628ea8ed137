/*
 * HTTP handlers of mail received: polling a mailbox, delivering one raw
 * message into it, and the review list of mail from unknown senders. The
 * mailboxes themselves are a record kind on the shared handlers
 * (routes.c: .ops = &xrm_mailbox_ops); the rules live in
 * domain/mail/inbound.c and mailbox.c.
 */
#include "http/api.h"
#include "domain/mail/inbound.h"
#include "domain/mail/mailbox.h"

#include <string.h>
#include <strings.h>

#include "core/banned.h"

void api_mailboxes_poll(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_mailbox_poll(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* message/rfc822 (any parameters), or no Content-Type at all. */
static bool rfc822_type(const char *t)
{
    if (!t)
        return true;
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, "; \t");
    return n == 14 && strncasecmp(t, "message/rfc822", 14) == 0;
}

void api_mailboxes_message(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    if (!rfc822_type(xrm_req_header(req, "Content-Type"))) {
        xrm_resp_problem(resp, 415,
                         "the request body must be one mail message: send Content-Type: "
                         "message/rfc822");
        return;
    }
    enum xrm_rc rc = xrm_mail_deliver(req->ctx.store, &req->ctx.user, NULL, req->id[0],
                                      req->body ? req->body : "", req->body_len, &out, &err);
    api_reply(resp, rc, &err, out, 201, NULL);
}

void api_mail_review_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_mail_review_list(&req->ctx, xrm_query_str(req, "status"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_mail_review_assign(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_mail_review_assign(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_mail_review_discard(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_mail_review_discard(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
