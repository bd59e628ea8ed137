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

static bool read_filter(struct xrm_req *req, struct xrm_activity_filter *f, struct xrm_err *err)
{
    f->type = xrm_query_str(req, "type");
    f->domain = xrm_query_str(req, "domain");
    f->assignee = 0;
    f->done = -1;
    xrm_query_id(req, "assignee", true, &f->assignee, err);
    xrm_query_bool(req, "done", &f->done, err);
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
