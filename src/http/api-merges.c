/*
 * Merging duplicate parties: POST /api/v1/parties/{id}/merge (with preview),
 * GET /api/v1/merges/{id} and POST /api/v1/merges/{id}/undo
 * (domain/merge/merge.h).
 */
#include "http/api.h"
#include "domain/merge/merge.h"

#include "core/banned.h"

void api_parties_merge(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_merge_parties(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
