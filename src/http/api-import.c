/*
 * /api/v1/import/{parties,relationships,activities}: bulk NDJSON import.
 */
#include "http/api.h"
#include "domain/party/import.h"

#include "core/banned.h"

static void import(struct xrm_req *req, struct xrm_resp *resp, enum xrm_import_kind kind)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc =
        xrm_import_ndjson(&req->ctx, kind, req->body ? req->body : "", req->body_len, &out, &err);
    api_reply(resp, rc, &err, out, 201, NULL);
}

void api_import_parties(struct xrm_req *req, struct xrm_resp *resp)
{
    import(req, resp, XRM_IMPORT_PARTIES);
}

void api_import_relationships(struct xrm_req *req, struct xrm_resp *resp)
{
    import(req, resp, XRM_IMPORT_RELATIONSHIPS);
}

void api_import_activities(struct xrm_req *req, struct xrm_resp *resp)
{
    import(req, resp, XRM_IMPORT_ACTIVITIES);
}
