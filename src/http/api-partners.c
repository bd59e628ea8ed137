/*
 * HTTP handlers for partners: commission statements (/api/v1/commissions,
 * .csv; query partner, period, status), partner tiers (/api/v1/partner-tiers,
 * /evaluate) and tier proposals (/api/v1/tier-proposals; query status,
 * party). The plain record routes (GET/PATCH of one commission, tier or
 * proposal, and GET /parties/{id}/partner) use the shared handlers of
 * api-misc.c. The rules live in domain/partners/. The statement as PDF
 * (.pdf, partner required) puts the statement of domain/partners and the
 * company's seller block and logo of domain/billing together for io/pdf.c.
 */
#include "http/api.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/messages.h"
#include "domain/billing/company.h"
#include "domain/party/party.h"
#include "domain/partners/commission.h"
#include "domain/partners/tier.h"
#include "io/pdf.h"

#include <stdio.h>
#include <stdlib.h>
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

/*
 * GET /commissions.pdf: the lines of the CSV for one partner, drawn with the company's seller
 * block and logo as the invoices are, in the request's language.
 */
void api_commissions_pdf(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_commission_filter f = {0};
    struct xrm_buf b = XRM_BUF_INIT;
    json_t *page = NULL, *settings = NULL, *doc = NULL, *party = NULL;
    unsigned char *logo = NULL;
    size_t logo_len = 0;
    const char *logo_type = NULL;
    char msg[256] = "";
    const char *lang = xrm_lang_get() == XRM_LANG_NL ? "nl" : "en";
    enum xrm_rc rc = read_filter(req, &f, &err) ? XRM_OK : err.rc;
    if (!rc && f.partner == 0)
        rc = xrm_err_field(&err, XRM_E_MALFORMED, "partner", "is required");
    if (!rc)
        rc = xrm_commission_list(&req->ctx, &f, &page, &err);
    if (!rc)
        rc = xrm_company_get(&req->ctx, &settings, &err);
    if (rc)
        goto out;
    if (xrm_company_logo_get(&req->ctx, &logo, &logo_len, &logo_type, &err) != XRM_OK) {
        xrm_err_clear(&err); /* no logo: left out */
        logo = NULL;
        logo_len = 0;
        logo_type = NULL;
    }
    json_t *items = json_object_get(page, "items");
    const char *partner_name =
        json_string_value(json_object_get(json_array_get(items, 0), "partner_name"));
    char fallback[32];
    if (!partner_name) { /* no lines: the party's own name, as the reader may see it */
        struct xrm_err perr = XRM_ERR_INIT;
        if (xrm_party_get(&req->ctx, f.partner, &party, &perr) == XRM_OK)
            partner_name = json_string_value(json_object_get(party, "name"));
        xrm_err_clear(&perr);
    }
    if (!partner_name) {
        snprintf(fallback, sizeof(fallback), "#%lld", (long long)f.partner);
        partner_name = fallback;
    }
    doc = json_pack(
        "{s:o, s:s, s:s, s:O, s:O}", "seller", xrm_company_seller(settings), "partner_name",
        partner_name, "period", f.period ? f.period : "", "lines", items ? items : json_null(),
        "totals", json_object_get(page, "totals") ? json_object_get(page, "totals") : json_null());
    struct xrm_pdf_opts o = {
        .lang = lang, .logo = logo, .logo_len = logo_len, .logo_type = logo_type};
    if (!doc || xrm_pdf_statement(doc, &o, &b, msg, sizeof(msg)) != 0)
        rc = xrm_errf(&err, XRM_E_INTERNAL, "cannot draw the commission statement: %s", msg);
out:
    json_decref(page);
    json_decref(settings);
    json_decref(doc);
    json_decref(party);
    free(logo);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = xrm_buf_detach(&b, &resp->raw_len);
    resp->content_type = "application/pdf";
    snprintf(resp->disposition, sizeof(resp->disposition), "inline; filename=\"%s-%lld%s%s.pdf\"",
             lang[0] == 'e' ? "commission" : "commissie", (long long)f.partner, f.period ? "-" : "",
             f.period ? f.period : "");
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
