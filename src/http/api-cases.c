/*
 * HTTP handlers for helpdesk cases (/api/v1/cases[/{id}[/messages]]) and
 * agreements (/api/v1/agreements[/{id}[/activities]]); the rules live in
 * domain/case.c and agreement.c.
 *
 * Query parameters: cases: q (sla:breached status:open priority:high
 * assignee:me party:ID domain:sales words), sort (newest | urgency); agreements: party, kind,
 * domain, status (upcoming | active | ended), expiring (days).
 */
#include "http/api-sales.h"
#include "http/api.h"
#include "core/util.h"
#include "domain/base/record.h"
#include "domain/records/agreement.h"
#include "domain/records/case.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

void api_cases_message_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_case_add_message(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/activities/");
}

void api_agreements_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_agreement_filter f = {.kind = xrm_query_str(req, "kind"),
                                     .domain = xrm_query_str(req, "domain"),
                                     .status = xrm_query_str(req, "status")};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    int64_t v = 0;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_int(req, "expiring", 1, 3650, "a number of days", &v, &err);
    f.expiring = (int)v;
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_agreement_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_agreements_activities(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *a = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_record_op_get(&req->ctx, &xrm_agreement_ops, req->id[0], &a, &err);
    json_decref(a);
    if (!rc)
        rc = xrm_records_activities(&req->ctx, "agreement", req->id[0], limit, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
