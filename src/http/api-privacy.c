/*
 * The audit trail (GET /api/v1/audit?party=&user=&entity=&entity_id=),
 * consent (/api/v1/parties/{id}/consents), the data-subject export and
 * erasure (/api/v1/parties/{id}/export, /erase) and retention rules and
 * runs (/api/v1/retention/...). The rules live in domain/audit-list.c,
 * consent.c, gdpr.c and retention.c.
 */
#include "http/api-privacy.h"
#include "http/api.h"
#include "core/json.h"
#include "core/util.h"
#include "domain/base/audit-list.h"
#include "domain/privacy/consent.h"
#include "domain/privacy/gdpr.h"
#include "domain/privacy/retention.h"

#include <string.h>

#include "core/banned.h"

void api_audit_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_audit_filter f = {0};
    json_t *out = NULL;
    int limit;
    const char *cursor;
    xrm_query_page(req, XRM_LIST_MAX, &limit, &cursor, &err);
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_id(req, "entity_id", false, &f.entity_id, &err);
    xrm_query_id(req, "user", true, &f.user, &err);
    f.entity = xrm_query_str(req, "entity");
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_audit_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_party_consents_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_consent_record(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, NULL);
}

void api_retention_rules_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_retention_rules(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_retention_rules_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc =
        xrm_retention_rule_update(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_retention_run(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = NULL;
    bool dry = false;
    if (req->body_len) {
        static const char *const keys[] = {"dry_run", NULL};
        in = xrm_req_json(req, resp);
        if (!in)
            return;
        xrm_json_only_keys(in, NULL, keys, &err);
        xrm_json_get_bool(in, NULL, "dry_run", false, &dry, &err);
    }
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_retention_run(req->ctx.store, &req->ctx.user, dry, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
