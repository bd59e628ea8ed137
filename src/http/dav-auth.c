/*
 * Who is asking, on /dav/ (dav.h): Basic with a password or an API token,
 * or Bearer; successful password logins remembered briefly under a keyed
 * hash so that a sync of many requests pays the password hash once.
 */
#include "http/dav.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"
#include "domain/users/auth.h"
#include "domain/users/ratelimit.h"
#include "http/dav-xml.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define LOGIN_SLOTS 256
#define BASIC_MAX 1024 /* bytes of a decoded "name:password" */

/*
 * One remembered login: the keyed hash of "name\0password" and the user it
 * gave. Valid until `until`, and only while the token cache's generation
 * is still gen (nothing revoked or changed since).
 */
struct login_entry {
    unsigned char key[crypto_generichash_BYTES];
    struct xrm_user user;
    time_t until;
    unsigned gen;
    bool used;
};

static pthread_mutex_t login_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t login_once = PTHREAD_ONCE_INIT;
static unsigned char login_hash_key[crypto_generichash_KEYBYTES];
static struct login_entry logins[LOGIN_SLOTS];

static void login_init(void)
{
    randombytes_buf(login_hash_key, sizeof(login_hash_key));
}

static void login_key(const char *name, const char *password, unsigned char out[])
{
    crypto_generichash_state st;
    pthread_once(&login_once, login_init);
    crypto_generichash_init(&st, login_hash_key, sizeof(login_hash_key), crypto_generichash_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)name, strlen(name) + 1);
    crypto_generichash_update(&st, (const unsigned char *)password, strlen(password));
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

static bool login_remembered(const unsigned char key[], struct xrm_user *out)
{
    bool hit = false;
    time_t now = time(NULL);
    pthread_mutex_lock(&login_lock);
    struct login_entry *e = &logins[key[0] % LOGIN_SLOTS];
    if (e->used && e->gen == xrm_token_cache_gen() && now < e->until &&
        sodium_memcmp(e->key, key, crypto_generichash_BYTES) == 0) {
        *out = e->user;
        hit = true;
    }
    pthread_mutex_unlock(&login_lock);
    return hit;
}

static void login_remember(const unsigned char key[], const struct xrm_user *u, unsigned gen)
{
    pthread_mutex_lock(&login_lock);
    struct login_entry *e = &logins[key[0] % LOGIN_SLOTS];
    memcpy(e->key, key, crypto_generichash_BYTES);
    e->user = *u;
    e->until = time(NULL) + XRM_DAV_LOGIN_CACHE;
    e->gen = gen;
    e->used = true;
    pthread_mutex_unlock(&login_lock);
}

static bool unauthorized(struct xrm_resp *resp, const char *msg)
{
    resp->www_auth = "Basic realm=\"xrm\", charset=\"UTF-8\"";
    xrm_dav_error(resp, 401, NULL, NULL, xrm_msg(msg));
    return false;
}

/* Checks name and secret (a password or an API token) into *u; *checked: not from memory. */
static enum xrm_rc basic_login(struct xrm_req *req, const char *name, const char *secret,
                               struct xrm_user *u, bool *checked, struct xrm_err *err)
{
    *checked = true;
    if (strncmp(secret, "xrm_", 4) == 0) { /* an API token as the password: its own cache */
        enum xrm_rc rc = xrm_token_verify(req->ctx.db, secret, u, err);
        if (!rc && strcmp(u->name, name) != 0)
            rc = xrm_errf(err, XRM_E_UNAUTH, "wrong user name or password");
        return rc;
    }
    unsigned char key[crypto_generichash_BYTES];
    login_key(name, secret, key);
    if (login_remembered(key, u)) {
        *checked = false;
        return XRM_OK;
    }
    unsigned gen = xrm_token_cache_gen(); /* before the check: a change during it is not missed */
    enum xrm_rc rc = xrm_user_login(req->ctx.db, name, secret, u, err);
    if (!rc)
        login_remember(key, u, gen);
    return rc;
}

static bool basic(struct xrm_req *req, struct xrm_resp *resp, const char *b64)
{
    char dec[BASIC_MAX + 1];
    size_t len = 0;
    struct xrm_err err = XRM_ERR_INIT;
    while (*b64 == ' ')
        b64++;
    if (sodium_base642bin((unsigned char *)dec, BASIC_MAX, b64, strlen(b64), " ", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return unauthorized(resp, "the Basic credentials are not valid base64");
    dec[len] = '\0';
    char *colon = memchr(dec, ':', len);
    if (!colon || strlen(dec) != len || colon == dec || colon - dec > 63) {
        xrm_wipe(dec, sizeof(dec));
        return unauthorized(resp, "wrong user name or password");
    }
    *colon = '\0';
    const char *name = dec, *secret = colon + 1;
    int64_t now = xrm_now_ms() / 1000;
    int64_t wait = xrm_login_wait(name, req->client, now);
    if (wait > 0) {
        char msg[120];
        snprintf(msg, sizeof(msg), xrm_msg("too many failed logins; try again in %lld seconds"),
                 (long long)wait);
        resp->retry_after = (int)wait;
        xrm_dav_error(resp, 429, NULL, NULL, msg);
        xrm_wipe(dec, sizeof(dec));
        return false;
    }
    bool checked = false;
    enum xrm_rc rc = basic_login(req, name, secret, &req->ctx.user, &checked, &err);
    if (rc == XRM_E_UNAUTH)
        xrm_login_failed(name, req->client, now);
    else if (!rc && checked)
        xrm_login_succeeded(name, req->client, now);
    xrm_wipe(dec, sizeof(dec));
    if (rc == XRM_E_UNAUTH)
        return unauthorized(resp, "wrong user name or password");
    if (rc) {
        xrm_dav_error(resp, xrm_status_for(rc), NULL, NULL, err.message);
        return false;
    }
    return true;
}

bool xrm_dav_authenticate(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *h = xrm_req_header(req, "Authorization");
    if (h && strncasecmp(h, "Basic ", 6) == 0)
        return basic(req, resp, h + 6);
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        h += 7;
        while (*h == ' ')
            h++;
        if (xrm_token_verify(req->ctx.db, h, &req->ctx.user, &err))
            return unauthorized(resp, "invalid token");
        return true;
    }
    return unauthorized(resp, "authentication required: log in with your user name and "
                              "password or an app password (API token)");
}
