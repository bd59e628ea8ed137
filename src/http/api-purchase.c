/*
 * Purchase invoices: the upload of a supplier's UBL file (the body is the
 * XML itself), the filtered list and the original XML. Get and PATCH are
 * plain record routes (api-misc.c).
 */
#include "http/api.h"
#include "domain/srm/purchase-invoice.h"
#include "io/ubl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* application/xml or text/xml (parameters such as charset allowed). */
static bool xml_type(const char *t)
{
    if (!t)
        return false;
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, "; \t");
    return (n == 15 && strncasecmp(t, "application/xml", 15) == 0) ||
           (n == 8 && strncasecmp(t, "text/xml", 8) == 0);
}

void api_purchase_invoices_upload(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    if (!xml_type(xrm_req_header(req, "Content-Type"))) {
        xrm_resp_problem(resp, 415,
                         "the request body must be a UBL invoice: send Content-Type: "
                         "application/xml");
        return;
    }
    enum xrm_rc rc = xrm_purchase_invoice_upload(&req->ctx, req->body, req->body_len, &out, &err);
    api_reply(resp, rc, &err, out, 201, "/api/v1/purchase-invoices/");
}

void api_purchase_invoices_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    int64_t party = 0;
    int limit = 0;
    const char *cursor = NULL;
    json_t *out = NULL;
    bool ok = xrm_query_id(req, "party", false, &party, &err);
    ok = xrm_query_page(req, XRM_LIST_MAX, &limit, &cursor, &err) && ok;
    if (!ok) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_purchase_invoice_list(&req->ctx, party, xrm_query_str(req, "status"),
                                               limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_purchase_invoice_xml(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    char *xml = NULL;
    size_t len = 0;
    enum xrm_rc rc = xrm_purchase_invoice_xml(&req->ctx, req->id[0], &xml, &len, &err);
    if (rc) {
        free(xml);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = xml;
    resp->raw_len = len;
    resp->content_type = "application/xml";
    snprintf(resp->disposition, sizeof resp->disposition,
             "attachment; filename=\"purchase-invoice-%lld.xml\"", (long long)req->id[0]);
}
