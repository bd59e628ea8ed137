/*
 * Roles (/parties/{id}/roles, /roles/{id}) and role types (/role-types):
 * thin handlers over domain/role.h.
 */
#include "http/api.h"
#include "domain/party/role.h"

#include <stdio.h>

#include "core/banned.h"

void api_party_roles_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_role_create(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/roles/");
}

void api_role_types_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_role_type_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_role_types_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_role_type_get(&req->ctx, req->name[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* Role types are named, not numbered: Location is built here from the name. */
void api_role_types_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_role_type_create(&req->ctx, in, &out, &err);
    json_decref(in);
    if (!rc)
        snprintf(resp->location, sizeof(resp->location), "/api/v1/role-types/%s",
                 json_string_value(json_object_get(out, "name")));
    api_reply(resp, rc, &err, out, 201, NULL);
}
