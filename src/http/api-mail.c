/*
 * HTTP handlers of e-mail sending: the template list and preview, the
 * outbox (administrators) and the mail settings. POST /api/v1/emails and
 * the template record routes use the shared handlers of api-misc.c.
 */
#include "http/api.h"
#include "domain/mail/email.h"
#include "domain/mail/outbox.h"
#include "domain/mail/template.h"

#include "core/banned.h"

void api_mail_templates_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_mail_template_list(&req->ctx, xrm_query_str(req, "key"),
                                            xrm_query_str(req, "lang"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_mail_template_preview(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_mail_template_preview(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_outbox_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc =
        xrm_outbox_list(&req->ctx, xrm_query_str(req, "status"), limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_mail_settings(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_mail_settings(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
