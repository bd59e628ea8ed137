/*
 * /api/v1/parties/{id}/view: the 360° view of a party (domain/view.h).
 */
#include "http/api-rules.h"
#include "http/api.h"
#include "domain/party/view.h"

#include "core/banned.h"

void api_party_view(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_view_party(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
