/*
 * Allocation wrappers: abort on exhaustion with a message.
 */
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

static void oom(size_t n)
{
    fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xrm_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xrm_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrm_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xrm_strdup(const char *s)
{
    return xrm_strndup(s, strlen(s));
}

char *xrm_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xrm_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void xrm_wipe(void *p, size_t n)
{
    if (p)
        sodium_memzero(p, n);
}
