/*
 * Users, passwords and API tokens. Passwords are stored only as argon2id
 * hashes (libsodium crypto_pwhash_str); tokens only as a SHA-256 hash of
 * the token, so a stolen database yields no usable credential.
 *
 * A token looks like "xrm_" followed by 43 base64url characters (256 bits).
 */
#ifndef XRM_DOMAIN_AUTH_H
#define XRM_DOMAIN_AUTH_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

#define XRM_TOKEN_MAX 128

/* A user name: 1 to 63 of a-z, 0-9, '.', '_', '-', '@'. */
bool xrm_user_name_valid(const char *name);

/* Creates a user; password may be NULL (cannot log in). */
enum xrm_rc xrm_user_create(struct xrm_store *st, const char *name, const char *password,
                            bool admin, int64_t *id_out, struct xrm_err *err);

/*
 * Fills u->level from user_access (all full for admins): the levels the
 * session and token checks load once per login (user.c changes them).
 */
enum xrm_rc xrm_user_load_access(struct xrm_db *db, struct xrm_user *u, struct xrm_err *err);

/* Looks up a user by name into out. XRM_E_NOTFOUND when absent. */
enum xrm_rc xrm_user_find(struct xrm_db *db, const char *name, struct xrm_user *out,
                          struct xrm_err *err);

/* Checks name and password; XRM_E_UNAUTH on any mismatch (same message for all). */
enum xrm_rc xrm_user_login(struct xrm_db *db, const char *name, const char *password,
                           struct xrm_user *out, struct xrm_err *err);

/*
 * Creates a token for user_id and writes it (NUL-terminated) to token_out,
 * which must hold XRM_TOKEN_MAX bytes. kind is "api" or "session";
 * ttl_seconds 0 means no expiry. id_out may be NULL.
 */
enum xrm_rc xrm_token_create(struct xrm_store *st, int64_t user_id, const char *kind,
                             const char *name, int64_t ttl_seconds, char *token_out,
                             int64_t *id_out, struct xrm_err *err);

/*
 * The tokens of one password login, in one transaction: a session token for
 * the browser's cookie (cookie_out) and, when bearer_out is not NULL, a
 * bearer token for an API client, linked to it so that logging out with
 * either revokes both. Both buffers hold XRM_TOKEN_MAX bytes; wiped on
 * failure.
 */
enum xrm_rc xrm_login_tokens(struct xrm_store *st, int64_t user_id, int64_t ttl_seconds,
                             char *cookie_out, char *bearer_out, struct xrm_err *err);

/* Resolves a presented token to its user; XRM_E_UNAUTH when unknown, revoked or expired. */
enum xrm_rc xrm_token_verify(struct xrm_db *db, const char *token, struct xrm_user *out,
                             struct xrm_err *err);

/* Forgets every cached token verification (after a revocation or user change). */
void xrm_token_cache_clear(void);
/*
 * The generation of that cache: it changes whenever xrm_token_cache_clear
 * runs (a token revoked, a user, their access or password changed), so
 * other in-memory credential caches (http/dav-auth.c) drop their entries too.
 */
unsigned xrm_token_cache_gen(void);

/* Revokes token id of user (admins: any). */
enum xrm_rc xrm_token_revoke(struct xrm_ctx *ctx, int64_t id, struct xrm_err *err);

/* Lists the caller's tokens (never their secrets) as {"items": [...]}. */
enum xrm_rc xrm_token_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/*
 * Browser sessions: the session token travels in an HttpOnly cookie, and
 * every state-changing request made with it carries this CSRF token (which
 * a page of another site cannot learn) in X-CSRF-Token. It is derived from
 * the session token, base64url of SHA-256("xrm-csrf:" + token), so nothing
 * more is stored and it cannot be turned back into the session token.
 */
#define XRM_CSRF_LEN 48
void xrm_session_csrf(const char *token, char out[XRM_CSRF_LEN]);
/* Constant-time comparison of a presented CSRF token with the session's. */
bool xrm_session_csrf_ok(const char *token, const char *presented);

/*
 * Logout: revokes the token whose secret is token and every other token of
 * the same login (xrm_login_tokens); XRM_E_UNAUTH when unknown.
 */
enum xrm_rc xrm_token_revoke_secret(struct xrm_store *st, const char *token, struct xrm_err *err);

/*
 * Inside a write transaction: revokes every session token of user_id except
 * those of the login that keep_token (a presented secret, may be NULL or
 * unknown: then all) belongs to. API tokens stay. The caller clears the
 * token cache after the commit.
 */
enum xrm_rc xrm_token_end_other_logins(struct xrm_db *db, int64_t user_id, const char *keep_token,
                                       struct xrm_err *err);

#endif
