/*
 * Users and tokens. Only hashes are stored; comparison of token hashes is by
 * database lookup on the hash, so no secret-dependent timing on the token.
 */
#include "domain/users/auth.h"
#include "domain/base/row.h"
#include "domain/base/audit.h"
#include "domain/base/access.h"
#include "core/mem.h"
#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

struct user_new {
    const char *name;
    const char *hash;
    bool admin;
    int64_t id;
};

static enum xrm_rc user_insert(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct user_new *u = arg;
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO users (name, display_name, password_hash, "
                                        "is_admin, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, u->name);
    xrm_stmt_bind_text(s, 2, u->name);
    xrm_stmt_bind_text(s, 3, u->hash);
    xrm_stmt_bind_int(s, 4, u->admin);
    xrm_stmt_bind_text(s, 5, now);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        u->id = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0) {
        if (err && err->rc == XRM_E_CONFLICT)
            return xrm_errf(err, XRM_E_CONFLICT, "user '%s' already exists", u->name);
        return XRM_E_DB;
    }
    json_t *after = json_pack("{s:s, s:b}", "name", u->name, "admin", u->admin);
    enum xrm_rc rc = xrm_audit_add(db, NULL, "create", "user", u->id, NULL, after, err);
    json_decref(after);
    return rc;
}

bool xrm_user_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '@'))
            return false;
    }
    return true;
}

enum xrm_rc xrm_user_create(struct xrm_store *st, const char *name, const char *password,
                            bool admin, int64_t *id_out, struct xrm_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    struct user_new u = {.name = name, .admin = admin};

    if (!xrm_user_name_valid(name))
        return xrm_err_field(err, XRM_E_INVALID, "name",
                             "user name must be 1-63 characters of a-z, 0-9, . _ - @");
    if (password) {
        if (strlen(password) < 8)
            return xrm_err_field(err, XRM_E_INVALID, "password",
                                 "password must be at least 8 characters");
        if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return xrm_errf(err, XRM_E_INTERNAL, "cannot hash password: out of memory");
        u.hash = hash;
    }
    enum xrm_rc rc = xrm_store_write(st, user_insert, &u, err);
    if (!rc && id_out)
        *id_out = u.id;
    return rc;
}

enum xrm_rc xrm_user_load_access(struct xrm_db *db, struct xrm_user *u, struct xrm_err *err)
{
    memset(u->level, u->admin ? XRM_LEVEL_FULL : XRM_LEVEL_NONE, sizeof(u->level));
    if (u->admin)
        return XRM_OK;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT domain, level FROM user_access WHERE user_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, u->id);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        int i = xrm_domain_index(xrm_stmt_text(s, 0));
        enum xrm_level l;
        if (i >= 0 && xrm_level_parse(xrm_stmt_text(s, 1), &l))
            u->level[i] = (unsigned char)l;
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

static void fill_user(struct xrm_stmt *s, struct xrm_user *out)
{
    memset(out, 0, sizeof(*out));
    out->id = xrm_stmt_int(s, 0);
    xrm_strlcpy(out->name, xrm_stmt_text(s, 1) ? xrm_stmt_text(s, 1) : "", sizeof(out->name));
    out->admin = xrm_stmt_int(s, 2) != 0;
}

enum xrm_rc xrm_user_find(struct xrm_db *db, const char *name, struct xrm_user *out,
                          struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id, name, is_admin FROM users WHERE name = ? AND disabled = 0", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_OK;
    if (r == 1)
        fill_user(s, out);
    else if (r == 0)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no user '%s'", name);
    else
        rc = XRM_E_DB;
    xrm_stmt_done(s);
    if (!rc)
        rc = xrm_user_load_access(db, out, err);
    return rc;
}

/*
 * A hash of a random password with the parameters of every stored one: a
 * login for an unknown name (or a user without a password) checks against
 * it, so it costs the same argon2 work as a wrong password of a real user
 * and its answer time does not tell which names exist.
 */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    char pw[32];
    randombytes_buf(pw, sizeof(pw));
    if (crypto_pwhash_str(dummy_hash, pw, sizeof(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
    xrm_wipe(pw, sizeof(pw));
}

enum xrm_rc xrm_user_login(struct xrm_db *db, const char *name, const char *password,
                           struct xrm_user *out, struct xrm_err *err)
{
    pthread_once(&dummy_once, dummy_init);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, name, is_admin, password_hash FROM users "
                                        "WHERE name = ? AND disabled = 0",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_E_UNAUTH;
    const char *hash = r == 1 ? xrm_stmt_text(s, 3) : NULL;
    bool real = hash != NULL;
    if (!hash)
        hash = dummy_hash;
    if (r >= 0 && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && real) {
        fill_user(s, out);
        rc = XRM_OK;
    } else if (r < 0) {
        rc = XRM_E_DB;
    }
    xrm_stmt_done(s);
    if (rc == XRM_E_UNAUTH)
        xrm_errf(err, rc, "wrong user name or password");
    else if (!rc)
        rc = xrm_user_load_access(db, out, err);
    return rc;
}

struct token_new {
    int64_t user_id;
    const char *kind;
    const char *name;
    const char *hash;
    char expires[XRM_TIME_LEN];
    int64_t login_id; /* the session token of the same login, or 0 */
    int64_t id;
};

static enum xrm_rc token_insert(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct token_new *t = arg;
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO tokens (user_id, hash, name, kind, "
                                        "created_at, expires_at, login_id) VALUES (?, ?, ?, ?, "
                                        "?, ?, ?) RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_int(s, 1, t->user_id);
    xrm_stmt_bind_text(s, 2, t->hash);
    xrm_stmt_bind_text(s, 3, t->name);
    xrm_stmt_bind_text(s, 4, t->kind);
    xrm_stmt_bind_text(s, 5, now);
    xrm_stmt_bind_text(s, 6, t->expires[0] ? t->expires : NULL);
    if (t->login_id)
        xrm_stmt_bind_int(s, 7, t->login_id);
    else
        xrm_stmt_bind_null(s, 7);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        t->id = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    json_t *after = json_pack("{s:I, s:s, s:s?}", "user", (json_int_t)t->user_id, "kind", t->kind,
                              "name", t->name);
    enum xrm_rc rc = xrm_audit_add(db, NULL, "create", "token", t->id, NULL, after, err);
    json_decref(after);
    return rc;
}

/* Fills t for a new token of user_id and writes its secret to token_out. */
static void token_new_init(struct token_new *t, int64_t user_id, const char *kind, const char *name,
                           int64_t ttl_seconds, char *token_out, char hash[65])
{
    unsigned char raw[32];
    char enc[64];

    memset(t, 0, sizeof(*t));
    t->user_id = user_id;
    t->kind = kind;
    t->name = name;
    t->hash = hash;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(enc, sizeof(enc), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    xrm_wipe(raw, sizeof(raw));
    snprintf(token_out, XRM_TOKEN_MAX, "xrm_%s", enc);
    xrm_wipe(enc, sizeof(enc));
    xrm_token_hash(token_out, hash);
    if (ttl_seconds > 0) {
        time_t exp = time(NULL) + (time_t)ttl_seconds;
        struct tm tm;
        gmtime_r(&exp, &tm);
        strftime(t->expires, sizeof(t->expires), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
}

enum xrm_rc xrm_token_create(struct xrm_store *st, int64_t user_id, const char *kind,
                             const char *name, int64_t ttl_seconds, char *token_out,
                             int64_t *id_out, struct xrm_err *err)
{
    char hash[65];
    struct token_new t;

    token_new_init(&t, user_id, kind, name, ttl_seconds, token_out, hash);
    enum xrm_rc rc = xrm_store_write(st, token_insert, &t, err);
    if (rc)
        xrm_wipe(token_out, XRM_TOKEN_MAX);
    else if (id_out)
        *id_out = t.id;
    return rc;
}

struct login_new {
    struct token_new cookie, bearer;
    bool with_bearer;
};

static enum xrm_rc login_insert(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct login_new *l = arg;
    enum xrm_rc rc = token_insert(db, &l->cookie, err);
    if (!rc && l->with_bearer) {
        l->bearer.login_id = l->cookie.id;
        rc = token_insert(db, &l->bearer, err);
    }
    return rc;
}

enum xrm_rc xrm_login_tokens(struct xrm_store *st, int64_t user_id, int64_t ttl_seconds,
                             char *cookie_out, char *bearer_out, struct xrm_err *err)
{
    char hc[65], hb[65];
    struct login_new l = {.with_bearer = bearer_out != NULL};

    token_new_init(&l.cookie, user_id, "session", "browser", ttl_seconds, cookie_out, hc);
    if (bearer_out)
        token_new_init(&l.bearer, user_id, "session", "login", ttl_seconds, bearer_out, hb);
    enum xrm_rc rc = xrm_store_write(st, login_insert, &l, err);
    if (rc) {
        xrm_wipe(cookie_out, XRM_TOKEN_MAX);
        if (bearer_out)
            xrm_wipe(bearer_out, XRM_TOKEN_MAX);
    }
    return rc;
}

/*
 * A small per-thread cache of verified tokens, so a request costs no token
 * query. An entry holds for at most TOKEN_CACHE_SECONDS and never past the
 * token's own expiry; revoking any token bumps token_gen, which empties
 * every thread's cache at once in this process. (Other server processes on
 * the same database see a revocation within TOKEN_CACHE_SECONDS.)
 */
#define TOKEN_CACHE_SLOTS 256
#define TOKEN_CACHE_SECONDS 30

struct token_entry {
    char hash[65];
    struct xrm_user user;
    time_t valid_until;
    unsigned gen;
};

static _Atomic unsigned token_gen = 1;
static __thread struct token_entry token_cache[TOKEN_CACHE_SLOTS];

static struct token_entry *cache_slot(const char *hash)
{
    unsigned h = 0;
    for (int i = 0; i < 8; i++)
        h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return &token_cache[h % TOKEN_CACHE_SLOTS];
}

static time_t parse_utc(const char *s)
{
    struct tm tm = {0};
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return 0;
    return timegm(&tm);
}

enum xrm_rc xrm_token_verify(struct xrm_db *db, const char *token, struct xrm_user *out,
                             struct xrm_err *err)
{
    char hash[65], now[XRM_TIME_LEN];
    time_t t_now = time(NULL);
    if (strncmp(token, "xrm_", 4) != 0 || strlen(token) > XRM_TOKEN_MAX)
        return xrm_errf(err, XRM_E_UNAUTH, "invalid token");
    xrm_token_hash(token, hash);
    struct token_entry *e = cache_slot(hash);
    if (e->gen == token_gen && t_now < e->valid_until && strcmp(e->hash, hash) == 0) {
        *out = e->user;
        return XRM_OK;
    }
    unsigned gen = token_gen;
    xrm_now(now);
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT u.id, u.name, u.is_admin, t.expires_at FROM tokens t JOIN users u ON "
        "u.id = t.user_id WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0 "
        "AND (t.expires_at IS NULL OR t.expires_at > ?)",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, hash);
    xrm_stmt_bind_text(s, 2, now);
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_OK;
    time_t until = t_now + TOKEN_CACHE_SECONDS;
    if (r == 1) {
        fill_user(s, out);
        time_t exp = parse_utc(xrm_stmt_text(s, 3));
        if (exp && exp < until)
            until = exp;
    } else if (r == 0) {
        rc = xrm_errf(err, XRM_E_UNAUTH, "invalid token");
    } else {
        rc = XRM_E_DB;
    }
    xrm_stmt_done(s);
    if (!rc)
        rc = xrm_user_load_access(db, out, err);
    if (!rc) { /* the cached user carries its access levels */
        memcpy(e->hash, hash, sizeof(e->hash));
        e->user = *out;
        e->valid_until = until;
        e->gen = gen;
    }
    return rc;
}

void xrm_token_cache_clear(void)
{
    token_gen++;
}

unsigned xrm_token_cache_gen(void)
{
    return token_gen;
}

struct token_rev {
    const struct xrm_user *user;
    int64_t id;
};

static enum xrm_rc token_revoke_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct token_rev *t = arg;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE tokens SET revoked = 1 WHERE id = ? AND (user_id = ? OR ? = 1) RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, t->id);
    xrm_stmt_bind_int(s, 2, t->user->id);
    xrm_stmt_bind_int(s, 3, t->user->admin);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no token %lld", (long long)t->id);
    return xrm_audit_add(db, t->user, "revoke", "token", t->id, NULL, NULL, err);
}

enum xrm_rc xrm_token_revoke(struct xrm_ctx *ctx, int64_t id, struct xrm_err *err)
{
    struct token_rev t = {.user = &ctx->user, .id = id};
    enum xrm_rc rc = xrm_store_write(ctx->store, token_revoke_tx, &t, err);
    xrm_token_cache_clear();
    return rc;
}

enum xrm_rc xrm_token_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(ctx->db,
                                        "SELECT id, name, kind, created_at, expires_at FROM "
                                        "tokens WHERE user_id = ? AND revoked = 0 ORDER BY id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, ctx->user.id);
    json_t *items = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *t = json_object();
        json_object_set_new(t, "id", json_integer(xrm_stmt_int(s, 0)));
        json_object_set_new(t, "name",
                            xrm_stmt_text(s, 1) ? json_string(xrm_stmt_text(s, 1)) : json_null());
        json_object_set_new(t, "kind", json_string(xrm_stmt_text(s, 2)));
        json_object_set_new(t, "created_at", json_string(xrm_stmt_text(s, 3)));
        json_object_set_new(t, "expires_at",
                            xrm_stmt_text(s, 4) ? json_string(xrm_stmt_text(s, 4)) : json_null());
        json_array_append_new(items, t);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(items);
        return XRM_E_DB;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

void xrm_session_csrf(const char *token, char out[XRM_CSRF_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"xrm-csrf:", 9);
    crypto_hash_sha256_update(&st, (const unsigned char *)token, strlen(token));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2base64(out, XRM_CSRF_LEN, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool xrm_session_csrf_ok(const char *token, const char *presented)
{
    char want[XRM_CSRF_LEN];
    if (!token || !presented || strlen(presented) >= XRM_CSRF_LEN)
        return false;
    xrm_session_csrf(token, want);
    char got[XRM_CSRF_LEN] = {0};
    memcpy(got, presented, strlen(presented));
    bool ok = strlen(want) == strlen(presented) && sodium_memcmp(want, got, XRM_CSRF_LEN) == 0;
    xrm_wipe(want, sizeof(want));
    return ok;
}

struct token_secret {
    const char *hash;
};

/*
 * Revokes the token with this hash and every token of the same login: the
 * session token a bearer token was made with (login_id) and the bearer
 * tokens made with a session token.
 */
static enum xrm_rc revoke_secret_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct token_secret *t = arg;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id, user_id, login_id FROM tokens WHERE hash = ? AND revoked = 0", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, t->hash);
    int r = xrm_stmt_step(s, err);
    int64_t id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    struct xrm_user u = {.id = r == 1 ? xrm_stmt_int(s, 1) : 0};
    int64_t login = r == 1 && !xrm_stmt_is_null(s, 2) ? xrm_stmt_int(s, 2) : id;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_UNAUTH, "invalid token");
    s = xrm_db_prepare(db,
                       "UPDATE tokens SET revoked = 1 WHERE revoked = 0 AND user_id = ? AND "
                       "(id = ? OR id = ? OR login_id = ?) RETURNING id",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, u.id);
    xrm_stmt_bind_int(s, 2, id);
    xrm_stmt_bind_int(s, 3, login);
    xrm_stmt_bind_int(s, 4, login);
    int64_t ids[8];
    int n = 0;
    while ((r = xrm_stmt_step(s, err)) == 1)
        if (n < 8)
            ids[n++] = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    enum xrm_rc rc = XRM_OK;
    for (int i = 0; i < n && !rc; i++)
        rc = xrm_audit_add(db, &u, "revoke", "token", ids[i], NULL, NULL, err);
    return rc;
}

enum xrm_rc xrm_token_revoke_secret(struct xrm_store *st, const char *token, struct xrm_err *err)
{
    char hash[65];
    if (strncmp(token, "xrm_", 4) != 0 || strlen(token) > XRM_TOKEN_MAX)
        return xrm_errf(err, XRM_E_UNAUTH, "invalid token");
    xrm_token_hash(token, hash);
    struct token_secret t = {hash};
    enum xrm_rc rc = xrm_store_write(st, revoke_secret_tx, &t, err);
    xrm_token_cache_clear();
    return rc;
}

enum xrm_rc xrm_token_end_other_logins(struct xrm_db *db, int64_t user_id, const char *keep_token,
                                       struct xrm_err *err)
{
    int64_t keep = -1, login = -1;
    struct xrm_stmt *s = NULL;
    if (keep_token && strncmp(keep_token, "xrm_", 4) == 0 && strlen(keep_token) <= XRM_TOKEN_MAX) {
        char hash[65];
        xrm_token_hash(keep_token, hash);
        s = xrm_db_prepare(db, "SELECT id, login_id FROM tokens WHERE hash = ? AND user_id = ?",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_text(s, 1, hash);
        xrm_stmt_bind_int(s, 2, user_id);
        int r = xrm_stmt_step(s, err);
        if (r == 1) {
            keep = xrm_stmt_int(s, 0);
            login = xrm_stmt_is_null(s, 1) ? keep : xrm_stmt_int(s, 1);
        }
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    s = xrm_db_prepare(db,
                       "UPDATE tokens SET revoked = 1 WHERE revoked = 0 AND user_id = ? AND "
                       "kind = 'session' AND id <> ? AND id <> ? AND "
                       "(login_id IS NULL OR login_id <> ?)",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, user_id);
    xrm_stmt_bind_int(s, 2, keep);
    xrm_stmt_bind_int(s, 3, login);
    xrm_stmt_bind_int(s, 4, login);
    return xrm_rows_run(s, err);
}
