/*
 * /api/v1/parties: list and search, create, read, update, archive.
 */
#include "http/api.h"
#include "domain/party/party.h"
#include "domain/party/duplicate.h"

#include "core/banned.h"

void api_parties_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    /*
     * lists: server-side sort and the total of the same filter. Counting is
     * most of a list's cost on a large database (up to 10,001 matches walked
     * per request), so a client that shows no total (the search box, the
     * pickers) says total=false and nothing is counted.
     */
    int with_total = 1;
    if (!xrm_query_bool(req, "total", &with_total, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc =
        xrm_party_list_sorted(&req->ctx, xrm_query_str(req, "q"), xrm_query_str(req, "sort"), limit,
                              cursor, with_total != 0, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_parties_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *candidates = NULL, *in = NULL;
    bool force = false;
    if (!xrm_query_flag(req, "force", &force, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_party_create_checked(&req->ctx, in, force, &out, &candidates, &err);
    json_decref(in);
    if (rc && candidates)
        xrm_resp_error_with(resp, rc, &err, "candidates", candidates);
    else
        api_reply(resp, rc, &err, out, 201, "/api/v1/parties/");
    json_decref(candidates);
}
