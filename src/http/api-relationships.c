/*
 * HTTP handlers for relationship types and relationships
 * (/api/v1/relationship-types, /api/v1/relationships/{id}); the rules live
 * in domain/relationship.c.
 */
#include "http/api.h"
#include "domain/party/relationship.h"

#include "core/banned.h"

void api_relationship_types_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_relationship_type_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_relationship_types_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_relationship_type_create(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, NULL);
}
