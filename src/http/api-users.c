/*
 * Login sessions and users.
 *
 * POST /api/v1/session checks a password (failed attempts are rate-limited
 * per user name and client address together, and per client address: 429
 * with Retry-After, see domain/ratelimit.h) and opens a browser session: an HttpOnly,
 * SameSite=Strict cookie "xrm_session" (Path=/; Secure only when the
 * request came through TLS: the server's own (--tls-cert) or a proxy's,
 * as it says with X-Forwarded-Proto: https, or XRM_COOKIE_SECURE=1; plain http://localhost works
 * without it) and the session's CSRF token in the body ("csrf"), which every POST, PATCH and DELETE
 * made with the cookie must send as X-CSRF-Token. An API client that asks for it ("bearer": true)
 * also gets a separate bearer token
 * ("token") in the body; a browser login gets none, so no page script can
 * read a credential. The cookie's session id itself is never in a body.
 * DELETE /api/v1/session logs out: it revokes every token that login
 * created (the session and its bearer token), whichever of them is used,
 * and clears the cookie. Passwords, tokens and session ids are never
 * logged.
 */
#include "http/api-users.h"
#include "http/api.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"
#include "domain/base/access.h"
#include "domain/users/auth.h"
#include "domain/users/ratelimit.h"
#include "domain/users/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define SESSION_TTL (12 * 3600)

static bool secure_request(struct xrm_req *req)
{
    const char *proto = xrm_req_header(req, "X-Forwarded-Proto");
    const char *force = getenv("XRM_COOKIE_SECURE");
    return xrm_server_tls() || (proto && strcasecmp(proto, "https") == 0) ||
           (force && strcmp(force, "1") == 0);
}

static void set_cookie(struct xrm_req *req, struct xrm_resp *resp, const char *value, int max_age)
{
    snprintf(resp->cookie, sizeof(resp->cookie),
             "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", XRM_SESSION_COOKIE, value,
             max_age, secure_request(req) ? "; Secure" : "");
}

static json_t *user_json(const struct xrm_user *u)
{
    return json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)u->id, "name", u->name, "admin",
                     u->admin, "access", xrm_access_json(u));
}

/*
 * True when user has failed to log in too often from this address lately
 * (ratelimit.h): then resp holds the 429 with its Retry-After.
 */
static bool throttled(struct xrm_req *req, struct xrm_resp *resp, const char *user, int64_t now)
{
    int64_t wait = xrm_login_wait(user, req->client, now);
    if (wait <= 0)
        return false;
    char msg[120];
    snprintf(msg, sizeof(msg), xrm_msg("too many failed logins; try again in %lld seconds"),
             (long long)wait);
    resp->retry_after = (int)wait;
    xrm_resp_problem_code(resp, 429, "login_throttled", msg);
    return true;
}

/* The secret the request signed in with: its session cookie or its bearer token. */
static const char *request_token(struct xrm_req *req)
{
    if (req->cookie_auth)
        return xrm_req_cookie(req, XRM_SESSION_COOKIE);
    const char *tok = xrm_req_header(req, "Authorization");
    tok = tok && strlen(tok) > 7 ? tok + 7 : "";
    while (*tok == ' ')
        tok++;
    return tok;
}

void api_session_create(struct xrm_req *req, struct xrm_resp *resp)
{
    static const char *const keys[] = {"user", "password", "bearer", NULL};
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = NULL;
    const char *user = NULL, *password = NULL;
    bool bearer = false;
    struct xrm_user u;
    char cookie_tok[XRM_TOKEN_MAX] = "", bearer_tok[XRM_TOKEN_MAX] = "", csrf[XRM_CSRF_LEN];
    int64_t now = xrm_now_ms() / 1000;

    /* Parse errors are not echoed: the body holds a password. */
    if (!req->body || xrm_json_parse(req->body, req->body_len, true, &in, NULL)) {
        xrm_err_field(&err, XRM_E_MALFORMED, "body",
                      "must be a JSON object {\"user\": ..., \"password\": ...}");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    xrm_json_only_keys(in, NULL, keys, &err);
    xrm_json_get_str(in, NULL, "user", 63, true, &user, &err);
    xrm_json_get_str(in, NULL, "password", 1024, true, &password, &err);
    xrm_json_get_bool(in, NULL, "bearer", false, &bearer, &err);
    if (err.rc)
        goto out;
    if (throttled(req, resp, user, now))
        goto wipe;
    if (xrm_user_login(req->ctx.db, user, password, &u, &err)) {
        if (err.rc == XRM_E_UNAUTH)
            xrm_login_failed(user, req->client, now);
        goto out;
    }
    xrm_login_succeeded(user, req->client, now);
    if (xrm_login_tokens(req->ctx.store, u.id, SESSION_TTL, cookie_tok, bearer ? bearer_tok : NULL,
                         &err))
        goto out;
    xrm_session_csrf(cookie_tok, csrf);
    set_cookie(req, resp, cookie_tok, SESSION_TTL);
    json_t *body = json_pack("{s:o, s:s, s:i}", "user", user_json(&u), "csrf", csrf, "expires_in",
                             SESSION_TTL);
    if (bearer)
        json_object_set_new(body, "token", json_string(bearer_tok));
    xrm_resp_json(resp, 201, body);
out:
    if (err.rc)
        xrm_resp_error(resp, err.rc, &err);
wipe:
    if (password)
        xrm_wipe((char *)password, strlen(password));
    json_decref(in);
    xrm_wipe(cookie_tok, sizeof(cookie_tok));
    xrm_wipe(bearer_tok, sizeof(bearer_tok));
    xrm_wipe(csrf, sizeof(csrf));
}

void api_session_get(struct xrm_req *req, struct xrm_resp *resp)
{
    json_t *out = json_pack("{s:o, s:s}", "user", user_json(&req->ctx.user), "auth",
                            req->cookie_auth ? "cookie" : "bearer");
    if (req->cookie_auth) {
        char csrf[XRM_CSRF_LEN];
        xrm_session_csrf(xrm_req_cookie(req, XRM_SESSION_COOKIE), csrf);
        json_object_set_new(out, "csrf", json_string(csrf));
        xrm_wipe(csrf, sizeof(csrf));
    }
    xrm_resp_json(resp, 200, out);
}

void api_session_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_token_revoke_secret(req->ctx.store, request_token(req), &err);
    if (req->cookie_auth || xrm_req_cookie(req, XRM_SESSION_COOKIE))
        set_cookie(req, resp, "", 0);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

/*
 * {"current_password", "password"}: a new password for the signed-in user.
 * Wrong current passwords count as failed logins of the user from this
 * address (ratelimit.h), so a stolen session cannot guess the password
 * faster than the login form. The body is not echoed in errors; both
 * passwords are wiped. This login stays; the user's other logins end.
 */
void api_session_password(struct xrm_req *req, struct xrm_resp *resp)
{
    static const char *const keys[] = {"current_password", "password", NULL};
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = NULL;
    const char *current = NULL, *password = NULL;
    int64_t now = xrm_now_ms() / 1000;

    if (!req->body || xrm_json_parse(req->body, req->body_len, true, &in, NULL)) {
        xrm_err_field(&err, XRM_E_MALFORMED, "body",
                      "must be a JSON object {\"current_password\": ..., \"password\": ...}");
        goto out;
    }
    xrm_json_only_keys(in, NULL, keys, &err);
    xrm_json_get_str(in, NULL, "current_password", 1024, false, &current, &err);
    xrm_json_get_str(in, NULL, "password", 1024, false, &password, &err);
    if (err.rc)
        goto out;
    if (throttled(req, resp, req->ctx.user.name, now))
        goto wipe;
    if (xrm_user_change_password(&req->ctx, current, password, request_token(req), &err)) {
        if (strcmp(err.code, "wrong_password") == 0)
            xrm_login_failed(req->ctx.user.name, req->client, now);
        goto out;
    }
    xrm_resp_empty(resp, 204);
out:
    if (err.rc)
        xrm_resp_error(resp, err.rc, &err);
wipe:
    if (current)
        xrm_wipe((char *)current, strlen(current));
    if (password)
        xrm_wipe((char *)password, strlen(password));
    json_decref(in);
}

void api_users_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_user_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_users_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_user_add(&req->ctx, in, &out, &err);
    json_t *pw = json_object_get(in, "password");
    if (json_is_string(pw))
        xrm_wipe((char *)json_string_value(pw), json_string_length(pw));
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, "/api/v1/users/");
}

void api_users_update(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_user_update(&req->ctx, req->id[0], in, &out, &err);
    json_t *pw = json_object_get(in, "password");
    if (json_is_string(pw))
        xrm_wipe((char *)json_string_value(pw), json_string_length(pw));
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
