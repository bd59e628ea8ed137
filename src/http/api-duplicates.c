/*
 * Duplicates: the candidates of one party (GET /api/v1/parties/{id}/duplicates)
 * and the scan of all pairs (GET /api/v1/duplicates?min_score=&limit=&cursor=).
 */
#include "http/api.h"
#include "domain/party/duplicate.h"

#include "core/banned.h"

#define SCAN_PAGE_MAX 1000

void api_duplicates_scan(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int64_t min_score = 50;
    int limit = 0;
    const char *cursor = NULL;
    bool ok = xrm_query_int(req, "min_score", 0, 100, "a score", &min_score, &err);
    ok = xrm_query_page(req, SCAN_PAGE_MAX, &limit, &cursor, &err) && ok;
    if (!ok) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_duplicates_scan(&req->ctx, (int)min_score, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
