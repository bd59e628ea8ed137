/*
 * Response cache for side-effect-free GET routes (struct xrm_route.cache).
 *
 * One cache for the process, under a lock. An entry is the serialised 200
 * response of one user for one URL (path and query), valid while the
 * database has not changed (its data version, read before the request's
 * snapshot began; see xrm_store_data_version) and for about
 * XRM_RCACHE_TTL_MS (at most twice that while a new one is being made),
 * because some fields follow the clock (health, SLA, idle). The user is part of the key: what one
 * user may see is never answered to another. Engines that cannot report a data version (PostgreSQL,
 * where other nodes write too) are never cached.
 */
#ifndef XRM_HTTP_RCACHE_H
#define XRM_HTTP_RCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XRM_RCACHE_TTL_MS 2000
#define XRM_RCACHE_BYTES (4u << 20)       /* for the process */
#define XRM_RCACHE_ENTRY_MAX (256u << 10) /* larger responses are not kept */
#define XRM_RCACHE_KEY_MAX 2048           /* longer URLs are not kept */

struct xrm_rcache_hit {
    const char *body; /* the entry's bytes, not a copy: valid until xrm_rcache_release(ref) */
    void *ref;        /* the caller's reference to the entry */
    size_t len;
    char etag[40];
    const char *cache_control; /* a static string or NULL */
};

/* Turns the cache on or off for the whole process (serve --response-cache). */
void xrm_rcache_enable(bool on);
bool xrm_rcache_enabled(void);

/*
 * Looks up key (any bytes) at data version ver. True with the entry's body in
 * hit, held for the caller, who gives it back with xrm_rcache_release(hit->ref)
 * once it has been sent (from any thread; the entry may be dropped meanwhile).
 */
bool xrm_rcache_get(const char *key, size_t klen, uint64_t ver, struct xrm_rcache_hit *hit);

/* Gives back the entry of a hit; NULL is a no-op. */
void xrm_rcache_release(void *ref);

/* Keeps a copy of a 200 response made at data version ver. */
void xrm_rcache_put(const char *key, size_t klen, uint64_t ver, const char *body, size_t len,
                    const char *etag, const char *cache_control);

#endif
