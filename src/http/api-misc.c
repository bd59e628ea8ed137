/*
 * Health, the OpenAPI document, login sessions, tokens and users.
 */
#include "http/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/auth.h"
#include "http/openapi.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define SESSION_TTL (12 * 3600)

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

void api_health(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_db *db;
    int64_t one = 0;
    if (xrm_store_reader(req->ctx.store, &db, &err) || xrm_db_scalar_int(db, "SELECT 1", &one, &err)) {
        xrm_resp_json(resp, 503, json_pack("{s:s, s:s}", "status", "unavailable", "detail",
                                           "database not reachable"));
        return;
    }
    xrm_resp_json(resp, 200,
                  json_pack("{s:s, s:s}", "status", "ok", "engine",
                            xrm_store_engine(req->ctx.store)));
}

void api_openapi(struct xrm_req *req, struct xrm_resp *resp)
{
    (void)req;
    resp->status = 200;
    resp->raw = xrm_strdup(xrm_openapi_text());
    resp->raw_len = strlen(resp->raw);
    resp->content_type = "application/json; charset=utf-8";
}

void api_session_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = xrm_req_json(req, resp);
    const char *user = NULL, *password = NULL;
    struct xrm_user u;
    char token[XRM_TOKEN_MAX];

    if (!in)
        return;
    xrm_json_get_str(in, NULL, "user", 63, true, &user, &err);
    xrm_json_get_str(in, NULL, "password", 1024, true, &password, &err);
    if (err.rc) {
        json_decref(in);
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_user_login(req->ctx.db, user, password, &u, &err);
    if (!rc)
        rc = xrm_token_create(req->ctx.store, u.id, "session", "login", SESSION_TTL, token, NULL,
                              &err);
    json_decref(in);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    xrm_resp_json(resp, 201,
                  json_pack("{s:s, s:{s:I, s:s, s:b}, s:i}", "token", token, "user", "id",
                            (json_int_t)u.id, "name", u.name, "admin", u.admin, "expires_in",
                            SESSION_TTL));
    xrm_wipe(token, sizeof(token));
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
        rc = xrm_token_create(req->ctx.store, req->ctx.user.id, "api", name, 0, token, &id,
                              &err);
    if (rc) {
        json_decref(in);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    snprintf(resp->location, sizeof(resp->location), "/api/v1/tokens/%lld", (long long)id);
    xrm_resp_json(resp, 201,
                  json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "token", token, "name",
                            name));
    json_decref(in);
    xrm_wipe(token, sizeof(token));
}

void api_tokens_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_token_revoke(&req->ctx, req->id[0], &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

void api_users_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *name = NULL, *password = NULL;
    bool admin = false;
    int64_t id = 0;
    json_t *in = xrm_req_json(req, resp);
    if (!in)
        return;
    static const char *const keys[] = {"name", "password", "admin", NULL};
    xrm_json_only_keys(in, NULL, keys, &err);
    xrm_json_get_str(in, NULL, "name", 63, true, &name, &err);
    xrm_json_get_str(in, NULL, "password", 1024, false, &password, &err);
    xrm_json_get_bool(in, NULL, "admin", false, &admin, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_user_create(req->ctx.store, name, password, admin, &id, &err);
    json_t *out = rc ? NULL : json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "name", name,
                                        "admin", admin);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/users/");
}
