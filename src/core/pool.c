/*
 * The per-thread block cache of pool.h. Size classes are multiples of 16
 * bytes up to XRM_POOL_MAX_SMALL; a cached block is a singly linked list
 * node in its own (freed) payload.
 */
#include "core/pool.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/banned.h"

#define HDR 16 /* keeps the payload 16-byte aligned, as malloc's */
#define STEP 16
#define NCLASS (XRM_POOL_MAX_SMALL / STEP)
#define BIG UINT32_MAX

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer every free is real, so use after free stays visible. */
static size_t budget = 0;
#else
static size_t budget = (size_t)2 << 20; /* bytes cached per thread */
#endif

struct block {
    struct block *next;
};

struct cache {
    struct block *head[NCLASS];
    size_t bytes;
    bool registered;
};

static __thread struct cache tc;
static pthread_key_t cache_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

/* Releases the ending thread's cache (a pthread key destructor). */
static void cache_release(void *unused)
{
    (void)unused;
    for (int c = 0; c < NCLASS; c++) {
        while (tc.head[c]) {
            struct block *b = tc.head[c];
            tc.head[c] = b->next;
            free((char *)b - HDR);
        }
    }
    tc.bytes = 0;
    tc.registered = false;
}

static void key_init(void)
{
    if (pthread_key_create(&cache_key, cache_release) != 0)
        abort();
}

void *xrm_pool_malloc(size_t n)
{
    uint32_t cls = n <= XRM_POOL_MAX_SMALL ? (uint32_t)(n ? (n - 1) / STEP : 0) : BIG;
    if (cls != BIG && tc.head[cls]) {
        struct block *b = tc.head[cls];
        tc.head[cls] = b->next;
        tc.bytes -= (cls + 1) * STEP;
        return b;
    }
    size_t payload = cls == BIG ? n : (cls + 1) * STEP;
    if (payload > SIZE_MAX - HDR)
        return NULL;
    char *h = malloc(HDR + payload);
    if (!h)
        return NULL;
    *(uint32_t *)h = cls;
    return h + HDR;
}

void xrm_pool_free(void *p)
{
    if (!p)
        return;
    char *h = (char *)p - HDR;
    uint32_t cls = *(uint32_t *)h;
    size_t size = (size_t)(cls + 1) * STEP;
    if (cls == BIG || tc.bytes + size > budget) {
        free(h);
        return;
    }
    if (!tc.registered) {
        pthread_once(&key_once, key_init);
        /* any non-NULL value makes the destructor run at thread exit */
        if (pthread_setspecific(cache_key, &tc) != 0) {
            free(h);
            return;
        }
        tc.registered = true;
    }
    struct block *b = p;
    b->next = tc.head[cls];
    tc.head[cls] = b;
    tc.bytes += size;
}

void xrm_pool_set_budget(size_t bytes)
{
    budget = bytes;
}

size_t xrm_pool_cached_bytes(void)
{
    return tc.bytes;
}

void xrm_pool_install_json(void)
{
    json_set_alloc_funcs(xrm_pool_malloc, xrm_pool_free);
}
