/*
 * The per-thread block cache of pool.h. A cached block is a singly linked
 * list node in its own (freed) payload.
 */
#include "core/pool.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/banned.h"

/*
 * No header: a block's class comes from its usable size (malloc_usable_size).
 * glibc's small chunks have usable sizes 24, 40, 56, ... (16 c + 8); class c
 * holds blocks of usable size 16 c + 8, and a request of n bytes is served
 * from class ceil((n - 8) / 16), which is the chunk glibc itself would give,
 * so the cache costs no memory per block beyond what malloc does.
 */
#define NCLASS ((XRM_POOL_MAX_SMALL - 8) / 16 + 1)
#define CLASS_SIZE(c) ((size_t)(c)*16 + 8)

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
            free(b);
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
    if (n > XRM_POOL_MAX_SMALL)
        return malloc(n);
    size_t c = n <= 24 ? 1 : (n - 8 + 15) / 16;
    if (tc.head[c]) {
        struct block *b = tc.head[c];
        tc.head[c] = b->next;
        tc.bytes -= CLASS_SIZE(c);
        return b;
    }
    return malloc(CLASS_SIZE(c));
}

void xrm_pool_free(void *p)
{
    if (!p)
        return;
    size_t u = malloc_usable_size(p);
    if (u < CLASS_SIZE(1) || u > CLASS_SIZE(NCLASS - 1) || (u - 8) % 16 != 0 ||
        tc.bytes + u > budget) {
        free(p);
        return;
    }
    if (!tc.registered) {
        pthread_once(&key_once, key_init);
        /* any non-NULL value makes the destructor run at thread exit */
        if (pthread_setspecific(cache_key, &tc) != 0) {
            free(p);
            return;
        }
        tc.registered = true;
    }
    size_t c = (u - 8) / 16;
    struct block *b = p;
    b->next = tc.head[c];
    tc.head[c] = b;
    tc.bytes += u;
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
