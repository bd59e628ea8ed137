/*
 * User management with per-domain access (admins only, except reading
 * oneself). Passwords and tokens are handled by auth.h; this module adds
 * the access levels, which the session and token checks load into struct
 * xrm_user once per login (auth.c caches them with the token, and every
 * change here empties that cache).
 *
 * User JSON: {"id", "name", "display_name", "admin", "disabled", "access":
 * {"sales": "write", "hr": "none", ...}, "created_at"}; never a password or
 * its hash. Other users see only {"id", "name", "display_name"}.
 *
 * Access input is an object {"sales": "write", ...}; domains left out are
 * "none" on create and unchanged on update. As text (CLI):
 * "sales=write,hr=none,partners=read".
 */
#ifndef XRM_DOMAIN_USER_H
#define XRM_DOMAIN_USER_H

#include <jansson.h>

#include "domain/base/ctx.h"
#include "domain/users/auth.h" /* xrm_user_load_access */

/*
 * Parses "sales=write,hr=none" into {"sales": "write", "hr": "none"} (new
 * reference); NULL with a field error on "access" when it is not that.
 */
json_t *xrm_user_access_parse(const char *text, struct xrm_err *err);

/*
 * in: {"name", "password" (optional), "display_name", "admin", "access"}.
 * Only an administrator or the system (user id 0) may add users; anyone
 * else gets XRM_E_DENIED. The same holds for xrm_user_update.
 */
enum xrm_rc xrm_user_add(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err);
/* {"items": [...], "next": null}, all users by name. */
enum xrm_rc xrm_user_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_user_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);
/*
 * patch: {"display_name", "password", "admin", "disabled", "access"}. The
 * last enabled administrator cannot lose that (XRM_E_CONFLICT).
 */
enum xrm_rc xrm_user_update(struct xrm_ctx *ctx, int64_t id, json_t *patch, json_t **out,
                            struct xrm_err *err);
/*
 * The signed-in user changes their own password: current is the password
 * now, password the new one (hashed, never stored or logged as text). A
 * wrong current password is a field error on "current_password" with code
 * "wrong_password" (XRM_E_INVALID, not XRM_E_UNAUTH: the session stays
 * valid). The user's other logins end (xrm_token_end_other_logins with
 * keep_token, the secret of this request's session); API tokens stay.
 * Audited as an update of the user with {"password": "changed"}.
 */
enum xrm_rc xrm_user_change_password(struct xrm_ctx *ctx, const char *current, const char *password,
                                     const char *keep_token, struct xrm_err *err);
/* The user's tokens (admins: anyone's), as xrm_token_list. */
enum xrm_rc xrm_user_tokens(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

#endif
