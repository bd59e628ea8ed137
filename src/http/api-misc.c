/*
 * Health, the OpenAPI document and API tokens (sessions and users: api-users.c).
 */
#include "http/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/base/record.h"
#include "domain/users/auth.h"
#include "http/openapi.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void api_reply(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err, json_t *out,
               int ok_status, const char *location_prefix)
{
    if (rc) {
        json_decref(out);
        xrm_resp_error(resp, rc, err);
        return;
    }
    if (location_prefix && ok_status == 201) {
        json_t *id = json_object_get(out, "id");
        if (json_is_integer(id))
            snprintf(resp->location, sizeof(resp->location), "%s%lld", location_prefix,
                     (long long)json_integer_value(id));
    }
    if (out)
        xrm_resp_json(resp, ok_status, out);
    else
        xrm_resp_empty(resp, ok_status == 200 ? 204 : ok_status);
}

void api_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    const struct xrm_route *r = req->route;
    enum xrm_rc rc = r->ops ? xrm_record_op_get(&req->ctx, r->ops, req->id[0], &out, &err)
                            : r->get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    const struct xrm_route *r = req->route;
    enum xrm_rc rc = r->ops ? xrm_record_op_create(&req->ctx, r->ops, in, &out, &err)
                            : r->create(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, req->route->location);
}

void api_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    const struct xrm_route *r = req->route;
    enum xrm_rc rc =
        r->ops ? xrm_record_op_update(&req->ctx, r->ops, req->id[0], req->if_match, in, &out, &err)
               : r->update(&req->ctx, req->id[0], req->if_match, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const struct xrm_route *r = req->route;
    enum xrm_rc rc = r->ops
                         ? xrm_record_op_delete(&req->ctx, r->ops, req->id[0], req->if_match, &err)
                         : r->delete (&req->ctx, req->id[0], req->if_match, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_page page = {
        .id = req->id[0], .q = xrm_query_str(req, "q"), .sort = xrm_query_str(req, "sort")};
    json_t *out = NULL;
    if (!xrm_req_page(req, resp, &page.limit, &page.cursor))
        return;
    enum xrm_rc rc = req->route->list(&req->ctx, &page, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* Operations: the disk check: under 1% or 100 MB free is "low". */
#define DISK_LOW_BYTES (100ull * 1024 * 1024)

bool api_health_check(struct xrm_store *st, struct api_health *h, json_t **checks)
{
    struct xrm_err err = XRM_ERR_INIT;
    *h = (struct api_health){0};
    *checks = NULL;
    if (xrm_store_ping(st, &err))
        return false;
    /* Reads still work on a full disk, but the node cannot take writes: degraded. */
    h->full = xrm_store_full(st);
    /* So does a disk nearly full (SQLite: the database file's filesystem). */
    h->disk = xrm_store_disk(st, &h->free_bytes, &h->size_bytes);
    h->low = h->disk && (h->free_bytes < DISK_LOW_BYTES || h->free_bytes < h->size_bytes / 100);
    /* A replica that is down is no failure: reads fall back to the primary. */
    const char *replica = xrm_store_replica_state(st);
    h->degraded = h->full || h->low || (replica && strcmp(replica, "down") == 0);
    *checks =
        json_pack("{s:s, s:s, s:s}", "database", "ok", "storage", h->full ? "full" : "ok", "disk",
                  !h->disk ? "n/a"
                  : h->low ? "low"
                           : "ok");
    if (replica)
        json_object_set_new(*checks, "replica", json_string(replica));
    return true;
}

void api_health(struct xrm_req *req, struct xrm_resp *resp)
{
    struct api_health h;
    json_t *checks;
    if (!api_health_check(req->ctx.store, &h, &checks)) {
        xrm_resp_json(
            resp, 503,
            json_pack("{s:s, s:s}", "status", "unavailable", "detail", "database not reachable"));
        return;
    }
    json_t *out = json_pack("{s:s, s:s, s:o}", "status", h.degraded ? "degraded" : "ok", "engine",
                            xrm_store_engine(req->ctx.store), "checks", checks);
    if (h.disk)
        json_object_set_new(out, "disk",
                            json_pack("{s:I, s:I}", "free", (json_int_t)h.free_bytes, "size",
                                      (json_int_t)h.size_bytes));
    int64_t primary, rep_reads;
    if (xrm_store_read_stats(req->ctx.store, &primary, &rep_reads))
        json_object_set_new(out, "reads",
                            json_pack("{s:I, s:I}", "primary", (json_int_t)primary, "replica",
                                      (json_int_t)rep_reads));
    xrm_resp_json(resp, h.full || h.low ? 503 : 200, out);
}

/*
 * GET /readyz: may a load balancer send requests here? Not while the server
 * drains for a graceful stop, nor while the database does not answer.
 */
void api_ready(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *reason = NULL;
    if (xrm_server_draining())
        reason = "draining";
    else if (xrm_store_ping(req->ctx.store, &err))
        reason = "database not reachable";
    if (reason)
        xrm_resp_json(resp, 503, json_pack("{s:b, s:s}", "ready", 0, "reason", reason));
    else
        xrm_resp_json(resp, 200, json_pack("{s:b}", "ready", 1));
}

void api_openapi(struct xrm_req *req, struct xrm_resp *resp)
{
    (void)req;
    resp->status = 200;
    resp->raw = xrm_strdup(xrm_openapi_text());
    resp->raw_len = strlen(resp->raw);
    resp->content_type = "application/json; charset=utf-8";
}

void api_tokens_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_token_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_tokens_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    char token[XRM_TOKEN_MAX];
    const char *name = NULL;
    int64_t id = 0;
    json_t *in = NULL;

    if (req->body_len) {
        in = xrm_req_json(req, resp);
        if (!in)
            return;
        static const char *const keys[] = {"name", NULL};
        xrm_json_only_keys(in, NULL, keys, &err);
        xrm_json_get_str(in, NULL, "name", 100, false, &name, &err);
    }
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_token_create(req->ctx.store, req->ctx.user.id, "api", name, 0, token, &id, &err);
    if (rc) {
        json_decref(in);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    snprintf(resp->location, sizeof(resp->location), "/api/v1/tokens/%lld", (long long)id);
    xrm_resp_json(
        resp, 201,
        json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "token", token, "name", name));
    json_decref(in);
    xrm_wipe(token, sizeof(token));
}

void api_tokens_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_token_revoke(&req->ctx, req->id[0], &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}
