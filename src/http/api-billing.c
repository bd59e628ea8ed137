/*
 * Quotes and invoices over HTTP: the company settings and logo, the lists
 * with their filters, the moves that take a body (issue, credit,
 * payments), and the public accept link of a quote (no login; unknown
 * tokens count towards the client address's failure limit). The plain
 * record routes use api-misc.c.
 */
#include "http/api.h"
#include "core/messages.h"
#include "core/util.h"
#include "domain/billing/company.h"
#include "domain/billing/invoice.h"
#include "domain/billing/quote.h"
#include "domain/billing/render.h"
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void api_company_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_company_get(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_company_put(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_company_put(&req->ctx, req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_company_logo_put(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    const char *type = xrm_req_header(req, "Content-Type");
    enum xrm_rc rc = xrm_company_logo_put(&req->ctx, type, req->body ? req->body : "",
                                          req->body_len, &out, &err);
    if (rc == XRM_E_INVALID && strcmp(err.code, "unsupported_media_type") == 0) {
        xrm_resp_problem_code(resp, 415, "unsupported_media_type",
                              "the logo must be a PNG or SVG image");
        return;
    }
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_company_logo_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    unsigned char *data = NULL;
    size_t len = 0;
    const char *type = NULL;
    enum xrm_rc rc = xrm_company_logo_get(&req->ctx, &data, &len, &type, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = (char *)data; /* owned by resp now */
    resp->raw_len = len;
    resp->content_type = type;
}

void api_company_logo_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_company_logo_delete(&req->ctx, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_quotes_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_quote_filter f = {.status = xrm_query_str(req, "status")};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_id(req, "deal", false, &f.deal, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_quote_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_invoices_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_invoice_filter f = {.status = xrm_query_str(req, "status"),
                                   .kind = xrm_query_str(req, "kind")};
    json_t *out = NULL;
    int64_t year = 0;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_int(req, "year", 1900, 9999, "a year", &year, &err);
    f.year = (int)year;
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_invoice_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

typedef enum xrm_rc (*body_move)(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                 struct xrm_err *err);

/* A move of invoice {id} whose body is optional JSON. */
static void invoice_move(struct xrm_req *req, struct xrm_resp *resp, body_move fn, int status)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = NULL;
    if (req->body_len) {
        in = xrm_req_json(req, resp);
        if (!in)
            return;
    }
    enum xrm_rc rc = fn(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, status, status == 201 ? "/api/v1/invoices/" : NULL);
}

void api_invoices_issue(struct xrm_req *req, struct xrm_resp *resp)
{
    invoice_move(req, resp, xrm_invoice_issue, 200);
}

void api_invoices_credit(struct xrm_req *req, struct xrm_resp *resp)
{
    invoice_move(req, resp, xrm_invoice_credit, 201);
}

void api_invoices_pay(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_invoice_pay(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, NULL);
}

/* The accept link (api-public.c): failures are counted per client address. */
#define LINK_LIMIT_NAME "quote-accept-link"

void api_public_quote_get(struct xrm_req *req, struct xrm_resp *resp)
{
    api_public_link(req, resp, LINK_LIMIT_NAME, xrm_quote_public_get);
}

void api_public_quote_accept(struct xrm_req *req, struct xrm_resp *resp)
{
    api_public_link(req, resp, LINK_LIMIT_NAME, xrm_quote_public_accept);
}

/* The files of a quote or invoice: PDF, PNG preview, UBL. */
static void render(struct xrm_req *req, struct xrm_resp *resp, bool is_quote,
                   enum xrm_render_format format)
{
    static const char *const types[] = {"application/pdf", "image/png", "application/xml"};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    char name[96];
    const char *lang = xrm_lang_get() == XRM_LANG_NL ? "nl" : "en";
    enum xrm_rc rc = xrm_billing_render(&req->ctx, is_quote, req->id[0], format, lang, &b, name,
                                        sizeof(name), &err);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw_len = b.len;
    resp->raw = b.s; /* owned by resp now */
    resp->content_type = types[format];
    snprintf(resp->disposition, sizeof(resp->disposition), "inline; filename=\"%s\"", name);
}

void api_quotes_pdf(struct xrm_req *req, struct xrm_resp *resp)
{
    render(req, resp, true, XRM_RENDER_PDF);
}

void api_quotes_png(struct xrm_req *req, struct xrm_resp *resp)
{
    render(req, resp, true, XRM_RENDER_PNG);
}

void api_invoices_pdf(struct xrm_req *req, struct xrm_resp *resp)
{
    render(req, resp, false, XRM_RENDER_PDF);
}

void api_invoices_png(struct xrm_req *req, struct xrm_resp *resp)
{
    render(req, resp, false, XRM_RENDER_PNG);
}

void api_invoices_xml(struct xrm_req *req, struct xrm_resp *resp)
{
    render(req, resp, false, XRM_RENDER_XML);
}
