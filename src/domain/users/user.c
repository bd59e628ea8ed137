/*
 * Users and their per-domain access. Every change runs in one transaction
 * with its audit row (never a password or hash in it) and then empties the
 * token cache of auth.c, so the next request of that user sees the new
 * access.
 */
#include "domain/users/user.h"
#include "domain/base/row.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/users/auth.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DISPLAY_MAX 100
#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

json_t *xrm_user_access_parse(const char *text, struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    if (!err)
        err = &local;
    json_t *out = json_object();
    char *copy = xrm_strdup(text ? text : ""), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        char *eq = strchr(item, '=');
        enum xrm_level l;
        if (!eq) {
            xrm_err_field(err, XRM_E_INVALID, "access", "'%.40s' is not DOMAIN=LEVEL", item);
            continue;
        }
        *eq = '\0';
        if (xrm_domain_index(item) < 0)
            xrm_err_field(err, XRM_E_INVALID, "access",
                          "'%.40s' is not a domain (sales, hr, partners, purchasing, pr)", item);
        else if (!xrm_level_parse(eq + 1, &l))
            xrm_err_field(err, XRM_E_INVALID, "access",
                          "'%.40s' is not a level (none, read, write, full)", eq + 1);
        else
            json_object_set_new(out, item, json_string(eq + 1));
    }
    free(copy);
    if (err->rc) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Checks an access object; field errors name "access.<domain>". */
static void check_access(json_t *access, struct xrm_err *err)
{
    const char *key;
    json_t *v;
    char f[64];
    if (!access || json_is_null(access))
        return;
    if (!json_is_object(access)) {
        xrm_err_field(err, XRM_E_MALFORMED, "access",
                      "must be an object such as {\"sales\": \"write\"}");
        return;
    }
    json_object_foreach(access, key, v)
    {
        enum xrm_level l;
        snprintf(f, sizeof(f), "access.%.40s", key);
        if (xrm_domain_index(key) < 0)
            xrm_err_field(err, XRM_E_INVALID, f,
                          "unknown domain (sales, hr, partners, purchasing, pr)");
        else if (!json_is_string(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
        else if (!xrm_level_parse(json_string_value(v), &l))
            xrm_err_field(err, XRM_E_INVALID, f, "must be none, read, write or full");
    }
}

static void hash_password(const char *pw, char hash[crypto_pwhash_STRBYTES], struct xrm_err *err);

/* Reads and hashes "password" when present; *hash empty when absent. */
static void read_password(json_t *in, char hash[crypto_pwhash_STRBYTES], struct xrm_err *err)
{
    const char *pw = NULL;
    hash[0] = '\0';
    if (!xrm_json_get_str(in, NULL, "password", PASSWORD_MAX, false, &pw, err))
        return;
    hash_password(pw, hash, err);
}

/* Hashes a new password pw into hash, after checking its length. */
static void hash_password(const char *pw, char hash[crypto_pwhash_STRBYTES], struct xrm_err *err)
{
    hash[0] = '\0';
    if (strlen(pw) > PASSWORD_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "password", "must be 1 to %d characters", PASSWORD_MAX);
        return;
    }
    if (strlen(pw) < PASSWORD_MIN) {
        xrm_err_field(err, XRM_E_INVALID, "password", "password must be at least %d characters",
                      PASSWORD_MIN);
        return;
    }
    if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        xrm_errf(err, XRM_E_INTERNAL, "cannot hash password: out of memory");
}

/* The user as API JSON (new reference); XRM_E_NOTFOUND when absent. */
static enum xrm_rc load_user(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, name, display_name, is_admin, disabled, "
                                        "created_at FROM users WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    struct xrm_user u = {0};
    json_t *o = NULL;
    if (r == 1) {
        u.id = xrm_stmt_int(s, 0);
        u.admin = xrm_stmt_int(s, 3) != 0;
        o = json_pack("{s:I, s:s, s:s?, s:b, s:b, s:s?}", "id", (json_int_t)u.id, "name",
                      xrm_stmt_text(s, 1), "display_name", xrm_stmt_text(s, 2), "admin", u.admin,
                      "disabled", xrm_stmt_int(s, 4) != 0, "created_at", xrm_stmt_text(s, 5));
    }
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no user %lld", (long long)id);
    enum xrm_rc rc = xrm_user_load_access(db, &u, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "access", xrm_access_json(&u));
    *out = o;
    return XRM_OK;
}

/* Writes the levels of access (an object as checked) for user id. */
static enum xrm_rc write_access(struct xrm_db *db, int64_t id, json_t *access, struct xrm_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(access, key, v)
    {
        bool none = strcmp(json_string_value(v), "none") == 0;
        struct xrm_stmt *s = xrm_db_prepare(
            db,
            none ? "DELETE FROM user_access WHERE user_id = ? AND domain = ?"
                 : "INSERT INTO user_access (user_id, domain, level) VALUES (?, ?, ?) "
                   "ON CONFLICT (user_id, domain) DO UPDATE SET level = excluded.level",
            err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        xrm_stmt_bind_text(s, 2, key);
        if (!none)
            xrm_stmt_bind_text(s, 3, json_string_value(v));
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

struct add_arg {
    const struct xrm_user *user;
    const char *name, *display, *hash;
    bool admin;
    json_t *access;
    json_t *out;
};

static enum xrm_rc add_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct add_arg *a = arg;
    char now[XRM_TIME_LEN];
    int64_t id = 0;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO users (name, display_name, password_hash, "
                                        "is_admin, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, a->name);
    xrm_stmt_bind_text(s, 2, a->display ? a->display : a->name);
    xrm_stmt_bind_text(s, 3, a->hash && *a->hash ? a->hash : NULL);
    xrm_stmt_bind_int(s, 4, a->admin);
    xrm_stmt_bind_text(s, 5, now);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        id = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r != 1) {
        if (err->rc == XRM_E_CONFLICT)
            return xrm_errf(err, XRM_E_CONFLICT, "user '%s' already exists", a->name);
        return XRM_E_DB;
    }
    enum xrm_rc rc = a->access ? write_access(db, id, a->access, err) : XRM_OK;
    if (!rc)
        rc = load_user(db, id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "user", id, NULL, a->out, err);
    return rc;
}

enum xrm_rc xrm_user_add(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"name", "password", "display_name", "admin", "access", NULL};
    char hash[crypto_pwhash_STRBYTES];
    struct add_arg a = {.user = &ctx->user};

    if (!ctx->user.admin && ctx->user.id)
        return xrm_errf(err, XRM_E_DENIED, "adding users needs an administrator");
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "name", 63, true, &a.name, err) && !xrm_user_name_valid(a.name))
        xrm_err_field(err, XRM_E_INVALID, "name",
                      "user name must be 1-63 characters of a-z, 0-9, . _ - @");
    xrm_json_get_str(in, NULL, "display_name", DISPLAY_MAX, false, &a.display, err);
    xrm_json_get_bool(in, NULL, "admin", false, &a.admin, err);
    a.access = json_object_get(in, "access");
    check_access(a.access, err);
    if (json_is_null(a.access))
        a.access = NULL;
    if (err->rc)
        return err->rc;
    read_password(in, hash, err);
    if (err->rc)
        return err->rc;
    a.hash = hash;
    enum xrm_rc rc = xrm_store_write(ctx->store, add_tx, &a, err);
    xrm_wipe(hash, sizeof(hash));
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}

enum xrm_rc xrm_user_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *ids = NULL, *items = json_array();
    enum xrm_rc rc = xrm_rows_all(
        xrm_db_prepare(ctx->db, "SELECT id FROM users ORDER BY name", err), xrm_row_id, &ids, err);
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        json_t *u = NULL;
        if (rc)
            break;
        rc = xrm_user_get(ctx, json_integer_value(id), &u, err);
        if (!rc)
            json_array_append_new(items, u);
    }
    json_decref(ids);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

enum xrm_rc xrm_user_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *u = NULL;
    enum xrm_rc rc = load_user(ctx->db, id, &u, err);
    if (rc)
        return rc;
    if (!ctx->user.admin && ctx->user.id && ctx->user.id != id) {
        /* Colleagues see who someone is (assignees, owners), not their access. */
        json_t *brief = json_pack("{s:O, s:O, s:O}", "id", json_object_get(u, "id"), "name",
                                  json_object_get(u, "name"), "display_name",
                                  json_object_get(u, "display_name"));
        json_decref(u);
        u = brief;
    }
    *out = u;
    return XRM_OK;
}

struct update_arg {
    const struct xrm_user *user;
    int64_t id;
    json_t *patch;
    const char *hash;
    json_t *out;
};

static enum xrm_rc count_admins(struct xrm_db *db, int64_t except, int64_t *n, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT COUNT(*) FROM users WHERE is_admin = 1 AND disabled = 0 AND id <> ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, except);
    int r = xrm_stmt_step(s, err);
    *n = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r == 1 ? XRM_OK : XRM_E_DB;
}

static enum xrm_rc exec_id(struct xrm_db *db, const char *sql, int64_t id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_run(s, err);
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct update_arg *a = arg;
    json_t *before = NULL, *p = a->patch;
    enum xrm_rc rc = load_user(db, a->id, &before, err);
    if (rc)
        return rc;
    bool admin = json_is_true(json_object_get(before, "admin"));
    bool disabled = json_is_true(json_object_get(before, "disabled"));
    const char *display = str_of(before, "display_name");
    if (json_is_boolean(json_object_get(p, "admin")))
        admin = json_is_true(json_object_get(p, "admin"));
    if (json_is_boolean(json_object_get(p, "disabled")))
        disabled = json_is_true(json_object_get(p, "disabled"));
    if (json_is_string(json_object_get(p, "display_name")))
        display = str_of(p, "display_name");
    if (json_is_true(json_object_get(before, "admin")) && (!admin || disabled)) {
        int64_t others = 0;
        rc = count_admins(db, a->id, &others, err);
        if (!rc && others == 0)
            rc = xrm_errf(err, XRM_E_CONFLICT,
                          "user %lld is the last administrator; make another user administrator "
                          "first",
                          (long long)a->id);
        if (rc)
            goto out;
    }
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE users SET display_name = ?, is_admin = ?, "
                                        "disabled = ? WHERE id = ?",
                                        err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    xrm_stmt_bind_text(s, 1, display);
    xrm_stmt_bind_int(s, 2, admin);
    xrm_stmt_bind_int(s, 3, disabled);
    xrm_stmt_bind_int(s, 4, a->id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0) {
        rc = XRM_E_DB;
        goto out;
    }
    if (a->hash && *a->hash) {
        s = xrm_db_prepare(db, "UPDATE users SET password_hash = ? WHERE id = ?", err);
        if (!s) {
            rc = XRM_E_DB;
            goto out;
        }
        xrm_stmt_bind_text(s, 1, a->hash);
        xrm_stmt_bind_int(s, 2, a->id);
        r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        /* A new password ends the sessions opened with the old one. */
        rc = r < 0 ? XRM_E_DB
                   : exec_id(db,
                             "UPDATE tokens SET revoked = 1 WHERE user_id = ? AND "
                             "kind = 'session'",
                             a->id, err);
        if (rc)
            goto out;
    }
    json_t *access = json_object_get(p, "access");
    if (json_is_object(access))
        rc = write_access(db, a->id, access, err);
    if (!rc)
        rc = load_user(db, a->id, &a->out, err);
    if (!rc) {
        json_t *after = json_deep_copy(a->out);
        if (a->hash && *a->hash)
            json_object_set_new(after, "password", json_string("changed"));
        rc = xrm_audit_add(db, a->user, "update", "user", a->id, before, after, err);
        json_decref(after);
    }
out:
    json_decref(before);
    return rc;
}

enum xrm_rc xrm_user_update(struct xrm_ctx *ctx, int64_t id, json_t *patch, json_t **out,
                            struct xrm_err *err)
{
    static const char *const keys[] = {"display_name", "password",   "admin",
                                       "disabled",     "access",     "id",
                                       "name",         "created_at", NULL};
    char hash[crypto_pwhash_STRBYTES];
    const char *display = NULL;
    bool b;
    struct update_arg a = {.user = &ctx->user, .id = id, .patch = patch};

    if (!ctx->user.admin && ctx->user.id)
        return xrm_errf(err, XRM_E_DENIED, "changing users needs an administrator");
    if (!json_is_object(patch))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_json_only_keys(patch, NULL, keys, err);
    xrm_json_get_str(patch, NULL, "display_name", DISPLAY_MAX, false, &display, err);
    xrm_json_get_bool(patch, NULL, "admin", false, &b, err);
    xrm_json_get_bool(patch, NULL, "disabled", false, &b, err);
    check_access(json_object_get(patch, "access"), err);
    /* An administrator who disables their own account locks themselves out. */
    if (json_is_true(json_object_get(patch, "disabled")) && ctx->user.id && id == ctx->user.id) {
        xrm_err_field(err, XRM_E_CONFLICT, "disabled", "you cannot disable your own account");
        xrm_err_code(err, "disable_self");
    }
    json_t *name = json_object_get(patch, "name");
    if (name && !json_is_null(name)) {
        json_t *cur = NULL;
        if (!load_user(ctx->db, id, &cur, NULL) && !json_equal(name, json_object_get(cur, "name")))
            xrm_err_field(err, XRM_E_INVALID, "name", "a user name cannot be changed");
        json_decref(cur);
    }
    if (err->rc)
        return err->rc;
    read_password(patch, hash, err);
    if (err->rc)
        return err->rc;
    a.hash = hash;
    enum xrm_rc rc = xrm_store_write(ctx->store, update_tx, &a, err);
    xrm_wipe(hash, sizeof(hash));
    xrm_token_cache_clear();
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}

struct own_password_arg {
    const struct xrm_user *user;
    const char *current;
    const char *hash;
    const char *keep;
};

static enum xrm_rc own_password_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct own_password_arg *a = arg;
    json_t *after = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT password_hash FROM users WHERE id = ? AND disabled = 0", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, a->user->id);
    int r = xrm_stmt_step(s, err);
    const char *stored = r == 1 ? xrm_stmt_text(s, 0) : NULL;
    bool right = stored && crypto_pwhash_str_verify(stored, a->current, strlen(a->current)) == 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (!right) {
        xrm_err_field(err, XRM_E_INVALID, "current_password", "the current password is wrong");
        return xrm_err_code(err, "wrong_password");
    }
    s = xrm_db_prepare(db, "UPDATE users SET password_hash = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, a->hash);
    xrm_stmt_bind_int(s, 2, a->user->id);
    enum xrm_rc rc = xrm_rows_run(s, err);
    if (!rc)
        rc = xrm_token_end_other_logins(db, a->user->id, a->keep, err);
    if (!rc) {
        after = json_pack("{s:s}", "password", "changed");
        rc = xrm_audit_add(db, a->user, "update", "user", a->user->id, NULL, after, err);
    }
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_user_change_password(struct xrm_ctx *ctx, const char *current, const char *password,
                                     const char *keep_token, struct xrm_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    enum xrm_rc rc;
    if (!ctx->user.id)
        return xrm_errf(err, XRM_E_INVALID, "only a signed-in user has a password to change");
    hash[0] = '\0';
    if (!current || !*current)
        xrm_err_field(err, XRM_E_INVALID, "current_password", "is required");
    if (!password)
        xrm_err_field(err, XRM_E_INVALID, "password", "is required");
    else
        hash_password(password, hash, err);
    if (err->rc)
        return err->rc;
    struct own_password_arg a = {
        .user = &ctx->user, .current = current, .hash = hash, .keep = keep_token};
    rc = xrm_store_write(ctx->store, own_password_tx, &a, err);
    xrm_wipe(hash, sizeof(hash));
    xrm_token_cache_clear();
    return rc;
}

enum xrm_rc xrm_user_tokens(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *u = NULL;
    if (!ctx->user.admin && ctx->user.id != id)
        return xrm_errf(err, XRM_E_NOTFOUND, "no user %lld", (long long)id);
    enum xrm_rc rc = load_user(ctx->db, id, &u, err);
    json_decref(u);
    if (rc)
        return rc;
    struct xrm_ctx other = *ctx;
    other.user.id = id;
    return xrm_token_list(&other, out, err);
}
