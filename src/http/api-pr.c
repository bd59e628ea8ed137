/*
 * Public relations: the project list, adding a stakeholder to a project
 * (the project from the path), the bulk add of a query's parties and the
 * mail-merge CSV of a press release's recipients. The plain record routes
 * of projects and stakeholders use api-misc.c.
 */
#include "http/api.h"
#include "domain/pr/press.h"
#include "domain/pr/project.h"

#include <stdio.h>

#include "core/banned.h"

void api_projects_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_project_list(&req->ctx, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_projects_stakeholder_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_stakeholder_create(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/stakeholders/");
}

void api_projects_stakeholder_bulk(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_stakeholder_bulk(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_press_recipients_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b;
    enum xrm_rc rc = xrm_press_recipients_csv(&req->ctx, req->id[0], &b, &err);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw_len = b.len;
    resp->raw = b.s; /* owned by resp now */
    resp->content_type = "text/csv; charset=utf-8";
    snprintf(resp->disposition, sizeof(resp->disposition),
             "attachment; filename=\"xrm-recipients-%lld.csv\"", (long long)req->id[0]);
}
