/*
 * HTTP handlers of HR's on- and offboarding checklists and recruitment
 * (domain/hr/checklist.h, vacancy.h) that are more than the plain record
 * routes: the lists with their filters, ticking a checklist item, moving an
 * applicant to another stage.
 */
#include "http/api.h"
#include "domain/hr/checklist.h"
#include "domain/hr/vacancy.h"

#include "core/banned.h"

void api_checklist_templates_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_checklist_template_list(&req->ctx, xrm_query_str(req, "kind"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_checklists_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_checklist_filter f = {.status = xrm_query_str(req, "status"),
                                     .kind = xrm_query_str(req, "kind")};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_checklist_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_checklist_tick(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_checklist_tick(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_vacancies_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_vacancy_list(&req->ctx, xrm_query_str(req, "status"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_applicant_stage(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_applicant_move(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
