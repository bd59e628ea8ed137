/*
 * Failed-login counters (see ratelimit.h): one small table of entries keyed
 * by "p:" + address + " " + name (a name holds no space) or "a:" + address, guarded by one mutex
 * (logins are rare and each already costs an argon2 hash, so contention does not matter).
 */
#include "domain/users/ratelimit.h"
#include "core/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define SLOTS 4096
#define KEY_MAX 128

struct entry {
    char key[KEY_MAX];
    int failures;
    int64_t last;         /* time of the last failure */
    int64_t locked_until; /* 0: not locked */
};

static struct entry table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void make_key(char out[KEY_MAX], char kind, const char *s)
{
    snprintf(out, KEY_MAX, "%c:%s", kind, s ? s : "");
}

static void pair_key(char out[KEY_MAX], const char *user, const char *addr)
{
    snprintf(out, KEY_MAX, "p:%s %s", addr ? addr : "", user ? user : "");
}

static bool expired(const struct entry *e, int64_t now)
{
    return e->key[0] && e->locked_until <= now && now - e->last > XRM_LOGIN_WINDOW;
}

/* The entry of key, or NULL when there is none (and create is false). */
static struct entry *find(const char *key, bool create, int64_t now)
{
    struct entry *oldest = NULL, *free_slot = NULL;
    for (int i = 0; i < SLOTS; i++) {
        struct entry *e = &table[i];
        if (expired(e, now))
            memset(e, 0, sizeof(*e));
        if (!e->key[0]) {
            if (!free_slot)
                free_slot = e;
            continue;
        }
        if (strcmp(e->key, key) == 0)
            return e;
        if (!oldest || e->last < oldest->last)
            oldest = e;
    }
    if (!create)
        return NULL;
    struct entry *e = free_slot ? free_slot : oldest;
    memset(e, 0, sizeof(*e));
    xrm_strlcpy(e->key, key, sizeof(e->key));
    return e;
}

static int64_t wait_of(const char *key, int64_t now)
{
    struct entry *e = find(key, false, now);
    return e && e->locked_until > now ? e->locked_until - now : 0;
}

int64_t xrm_login_wait(const char *user, const char *addr, int64_t now)
{
    char ku[KEY_MAX], ka[KEY_MAX];
    pair_key(ku, user, addr);
    make_key(ka, 'a', addr);
    pthread_mutex_lock(&lock);
    int64_t w = wait_of(ku, now), wa = wait_of(ka, now);
    pthread_mutex_unlock(&lock);
    return w > wa ? w : wa;
}

static void fail(const char *key, int free_tries, int64_t now)
{
    struct entry *e = find(key, true, now);
    e->failures++;
    e->last = now;
    if (e->failures >= free_tries) {
        int64_t lock_s = XRM_LOGIN_LOCK_MIN;
        for (int i = free_tries; i < e->failures && lock_s < XRM_LOGIN_LOCK_MAX; i++)
            lock_s *= 2;
        if (lock_s > XRM_LOGIN_LOCK_MAX)
            lock_s = XRM_LOGIN_LOCK_MAX;
        e->locked_until = now + lock_s;
    }
}

void xrm_login_failed(const char *user, const char *addr, int64_t now)
{
    char ku[KEY_MAX], ka[KEY_MAX];
    pair_key(ku, user, addr);
    make_key(ka, 'a', addr);
    pthread_mutex_lock(&lock);
    fail(ku, XRM_LOGIN_FREE_USER, now);
    fail(ka, XRM_LOGIN_FREE_ADDR, now);
    pthread_mutex_unlock(&lock);
}

void xrm_login_succeeded(const char *user, const char *addr, int64_t now)
{
    char ku[KEY_MAX];
    pair_key(ku, user, addr);
    pthread_mutex_lock(&lock);
    struct entry *e = find(ku, false, now);
    if (e)
        memset(e, 0, sizeof(*e));
    pthread_mutex_unlock(&lock);
}

void xrm_login_limit_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(table, 0, sizeof(table));
    pthread_mutex_unlock(&lock);
}
