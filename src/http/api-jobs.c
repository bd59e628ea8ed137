/*
 * HTTP handler of the background jobs (GET /api/v1/jobs, administrators):
 * what the scheduler of `xrm serve` runs, when it last ran and with what
 * result, and when it runs next (domain/base/jobs.h).
 */
#include "http/api.h"
#include "domain/base/jobs.h"

#include "core/banned.h"

void api_jobs_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_jobs_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
