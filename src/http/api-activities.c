/*
 * HTTP handlers for activities (/api/v1/activities[/{id}]) and a party's
 * timeline (/api/v1/parties/{id}/timeline); the rules live in
 * domain/activity.c. List filters arrive as query parameters: type, domain,
 * assignee (a user id, or "me") and done (true / false).
 */
#include "http/api.h"
#include "core/util.h"
#include "domain/party/activity.h"

#include <string.h>

#include "core/banned.h"

/* A query parameter, NULL when absent or empty. */
static const char *param(struct xrm_req *req, const char *key)
{
    const char *v = xrm_req_query(req, key);
    return v && *v ? v : NULL;
}

static bool read_filter(struct xrm_req *req, struct xrm_activity_filter *f, struct xrm_err *err)
{
    const char *a = param(req, "assignee"), *d = param(req, "done");
    f->type = param(req, "type");
    f->domain = param(req, "domain");
    f->assignee = 0;
    f->done = -1;
    if (a) {
        if (strcmp(a, "me") == 0)
            f->assignee = req->ctx.user.id;
        else if (!xrm_parse_int(a, 1, INT64_MAX, &f->assignee))
            xrm_err_field(err, XRM_E_MALFORMED, "assignee", "must be a user id or \"me\"");
    }
    if (d) {
        if (strcmp(d, "true") == 0 || strcmp(d, "1") == 0)
            f->done = 1;
        else if (strcmp(d, "false") == 0 || strcmp(d, "0") == 0)
            f->done = 0;
        else
            xrm_err_field(err, XRM_E_MALFORMED, "done", "must be true or false");
    }
    return err->rc == XRM_OK;
}

void api_activities_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_activity_filter f;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    if (!read_filter(req, &f, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_activity_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_activities_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_activity_create(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/activities/");
}

void api_activities_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_activity_get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_activities_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_activity_update(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_activities_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_activity_delete(&req->ctx, req->id[0], req->if_match, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_party_timeline(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    enum xrm_rc rc = xrm_activity_timeline(&req->ctx, req->id[0], limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
