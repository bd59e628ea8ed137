/*
 * Per-thread response cache (rcache.h).
 *
 * A small open hash table of entries, each one allocation holding key and
 * body. Room is bounded by bytes: when a new entry does not fit, entries
 * are dropped in slot order from a rotating hand until it does, which
 * approximates dropping the oldest at no bookkeeping cost.
 */
#include "http/rcache.h"
#include "core/mem.h"
#include "core/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define SLOTS 256 /* power of two */

struct entry {
    uint64_t hash, ver;
    int64_t born_ms;
    size_t klen, len;
    char etag[40];
    const char *cache_control;
    char data[]; /* key, then body */
};

struct rcache {
    struct entry *slot[SLOTS];
    size_t bytes;
    unsigned hand;
};

static atomic_bool enabled = true;
static pthread_key_t tkey;
static pthread_once_t tonce = PTHREAD_ONCE_INIT;

static void free_cache(void *p)
{
    struct rcache *c = p;
    for (int i = 0; i < SLOTS; i++)
        free(c->slot[i]);
    free(c);
}

static void make_key(void)
{
    pthread_key_create(&tkey, free_cache);
}

static struct rcache *mine(void)
{
    pthread_once(&tonce, make_key);
    struct rcache *c = pthread_getspecific(tkey);
    if (!c) {
        c = xrm_calloc(1, sizeof(*c));
        pthread_setspecific(tkey, c);
    }
    return c;
}

void xrm_rcache_enable(bool on)
{
    atomic_store(&enabled, on);
}

bool xrm_rcache_enabled(void)
{
    return atomic_load_explicit(&enabled, memory_order_relaxed);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t hash_of(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
    return h;
}

static void drop(struct rcache *c, unsigned i)
{
    if (c->slot[i]) {
        c->bytes -= sizeof(struct entry) + c->slot[i]->klen + c->slot[i]->len;
        free(c->slot[i]);
        c->slot[i] = NULL;
    }
}

/* The slot holding key, or where it would go (linear probing, SLOTS/8 tries). */
static int find(struct rcache *c, uint64_t h, const char *key, size_t klen, bool *found)
{
    int free_at = -1;
    for (unsigned i = 0; i < SLOTS / 8; i++) {
        unsigned s = (unsigned)(h + i) & (SLOTS - 1);
        struct entry *e = c->slot[s];
        if (!e) {
            if (free_at < 0)
                free_at = (int)s;
            continue;
        }
        if (e->hash == h && e->klen == klen && memcmp(e->data, key, klen) == 0) {
            *found = true;
            return (int)s;
        }
    }
    *found = false;
    return free_at >= 0 ? free_at : (int)(h & (SLOTS - 1));
}

bool xrm_rcache_get(const char *key, size_t klen, uint64_t ver, struct xrm_rcache_hit *hit)
{
    if (!xrm_rcache_enabled() || klen > XRM_RCACHE_KEY_MAX)
        return false;
    struct rcache *c = mine();
    uint64_t h = hash_of(key, klen);
    bool found;
    int s = find(c, h, key, klen, &found);
    if (!found)
        return false;
    struct entry *e = c->slot[s];
    if (e->ver != ver || now_ms() - e->born_ms > XRM_RCACHE_TTL_MS) {
        drop(c, (unsigned)s);
        return false;
    }
    hit->body = xrm_malloc(e->len ? e->len : 1);
    memcpy(hit->body, e->data + e->klen, e->len);
    hit->len = e->len;
    memcpy(hit->etag, e->etag, sizeof(hit->etag));
    hit->cache_control = e->cache_control;
    return true;
}

void xrm_rcache_put(const char *key, size_t klen, uint64_t ver, const char *body, size_t len,
                    const char *etag, const char *cache_control)
{
    if (!xrm_rcache_enabled() || klen > XRM_RCACHE_KEY_MAX || len > XRM_RCACHE_ENTRY_MAX)
        return;
    struct rcache *c = mine();
    uint64_t h = hash_of(key, klen);
    bool found;
    int s = find(c, h, key, klen, &found);
    drop(c, (unsigned)s);
    size_t need = sizeof(struct entry) + klen + len;
    for (unsigned n = 0; c->bytes + need > XRM_RCACHE_BYTES && n < SLOTS; n++) {
        drop(c, c->hand);
        c->hand = (c->hand + 1) & (SLOTS - 1);
    }
    struct entry *e = xrm_malloc(need);
    e->hash = h;
    e->ver = ver;
    e->born_ms = now_ms();
    e->klen = klen;
    e->len = len;
    xrm_strlcpy(e->etag, etag ? etag : "", sizeof(e->etag));
    e->cache_control = cache_control;
    memcpy(e->data, key, klen);
    memcpy(e->data + klen, body, len);
    c->slot[s] = e;
    c->bytes += need;
}
