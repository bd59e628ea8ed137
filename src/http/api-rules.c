/*
 * /api/v1/rules: treatment rules and constraints (everyone reads, with the
 * conditions on domains they cannot read left out; admins write), and
 * /api/v1/rules/simulate: what a draft rule would change.
 * Thin handlers over domain/rule.h.
 */
#include "http/api-rules.h"
#include "http/api.h"
#include "core/util.h"
#include "domain/rules/rule.h"

#include "core/banned.h"

void api_rules_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_rule_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* limit counts parties scanned (default and most XRM_SIMULATE_MAX), not parties changed. */
void api_rules_simulate(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *cursor = xrm_query_str(req, "cursor");
    int64_t limit = XRM_SIMULATE_MAX;
    json_t *out = NULL, *in;

    if (!xrm_query_int(req, "limit", 1, XRM_SIMULATE_MAX, "a number of parties to scan", &limit,
                       &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_rule_simulate(&req->ctx, in, (int)limit, cursor, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
