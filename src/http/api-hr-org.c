/*
 * HR, the organisation: the list of departments, the org chart and dated
 * employment entries (the plain department routes and the employment
 * history use the shared handlers of api-misc.c).
 */
#include "http/api.h"
#include "domain/hr/department.h"
#include "domain/hr/employment.h"

#include "core/banned.h"

void api_departments_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_department_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_org_chart(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_org_chart(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_party_employment_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_employment_add(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, NULL);
}
