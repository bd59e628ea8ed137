/*
 * The response cache (rcache.h).
 *
 * A small open hash table of entries, each one allocation holding key and
 * body. When an entry has outlived XRM_RCACHE_TTL_MS (the data unchanged),
 * the first request to find it makes a new one while the others are still
 * answered from it, for at most another XRM_RCACHE_TTL_MS, so that many
 * connections asking the same thing do not all compute it at once. Room is bounded by bytes: when a
 * new entry does not fit, entries are dropped in slot order from a rotating hand until it does,
 * which approximates dropping the oldest at no bookkeeping cost. A hit is not copied: the
 * entry is reference-counted and a dropped entry lives until the last response sending it is
 * done (so the room can be exceeded by what connections are still sending).
 */
#include "http/rcache.h"
#include "core/mem.h"
#include "core/metrics.h"
#include "core/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define SLOTS 1024 /* power of two */
#define PROBE 8    /* slots tried per key */

struct entry {
    uint64_t hash, ver;
    int64_t born_ms;
    size_t klen, len;
    char etag[40];
    const char *cache_control;
    bool refreshing;  /* past its time; one request is making a new one */
    atomic_uint refs; /* the table's reference and one per response being sent */
    char data[];      /* key, then body */
};

struct rcache {
    struct entry *slot[SLOTS];
    size_t bytes;
    unsigned hand;
};

static atomic_bool enabled = true;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct rcache cache;

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

static void unref(struct entry *e)
{
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
        free(e);
}

void xrm_rcache_release(void *ref)
{
    if (ref)
        unref(ref);
}

static void drop(struct rcache *c, unsigned i)
{
    if (c->slot[i]) {
        c->bytes -= sizeof(struct entry) + c->slot[i]->klen + c->slot[i]->len;
        unref(c->slot[i]); /* freed now, or when the last response using it is sent */
        c->slot[i] = NULL;
    }
}

/* The slot holding key, or where it would go (linear probing, PROBE tries). */
static int find(struct rcache *c, uint64_t h, const char *key, size_t klen, bool *found)
{
    int free_at = -1;
    for (unsigned i = 0; i < PROBE; i++) {
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
    struct rcache *c = &cache;
    uint64_t h = hash_of(key, klen);
    bool found, ok = false;
    int64_t now = now_ms();
    pthread_mutex_lock(&lock);
    int s = find(c, h, key, klen, &found);
    if (found) {
        struct entry *e = c->slot[s];
        int64_t age = now - e->born_ms;
        bool stale = age > XRM_RCACHE_TTL_MS;
        if (e->ver != ver || age > 2 * XRM_RCACHE_TTL_MS) {
            drop(c, (unsigned)s);
        } else if (stale && !e->refreshing) {
            e->refreshing = true; /* this caller makes the new one */
        } else {
            /* no copy: the response sends the entry's bytes and then releases it */
            atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
            hit->body = e->data + e->klen;
            hit->ref = e;
            hit->len = e->len;
            memcpy(hit->etag, e->etag, sizeof(hit->etag));
            hit->cache_control = e->cache_control;
            ok = true;
        }
    }
    pthread_mutex_unlock(&lock);
    xrm_metric_add(ok ? XRM_M_RCACHE_HITS : XRM_M_RCACHE_MISSES, 1); /* GET /metrics */
    return ok;
}

void xrm_rcache_put(const char *key, size_t klen, uint64_t ver, const char *body, size_t len,
                    const char *etag, const char *cache_control)
{
    if (!xrm_rcache_enabled() || klen > XRM_RCACHE_KEY_MAX || len > XRM_RCACHE_ENTRY_MAX)
        return;
    struct rcache *c = &cache;
    uint64_t h = hash_of(key, klen);
    bool found;
    size_t need = sizeof(struct entry) + klen + len;
    struct entry *e = xrm_malloc(need);
    e->hash = h;
    e->ver = ver;
    e->born_ms = now_ms();
    e->klen = klen;
    e->len = len;
    xrm_strlcpy(e->etag, etag ? etag : "", sizeof(e->etag));
    e->cache_control = cache_control;
    e->refreshing = false;
    atomic_init(&e->refs, 1);
    memcpy(e->data, key, klen);
    memcpy(e->data + klen, body, len);
    pthread_mutex_lock(&lock);
    int s = find(c, h, key, klen, &found);
    drop(c, (unsigned)s);
    for (unsigned n = 0; c->bytes + need > XRM_RCACHE_BYTES && n < SLOTS; n++) {
        drop(c, c->hand);
        c->hand = (c->hand + 1) & (SLOTS - 1);
    }
    c->slot[s] = e;
    c->bytes += need;
    pthread_mutex_unlock(&lock);
}
