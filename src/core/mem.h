/*
 * Allocation wrappers that abort on exhaustion, so callers need no
 * out-of-memory branch (as git's wrapper.c). Memory from these is freed
 * with free().
 */
#ifndef XRM_CORE_MEM_H
#define XRM_CORE_MEM_H

#include <stddef.h>

void *xrm_malloc(size_t n);
void *xrm_calloc(size_t n, size_t size);
void *xrm_realloc(void *p, size_t n);
char *xrm_strdup(const char *s);
char *xrm_strndup(const char *s, size_t n);

/* Zeroes n bytes at p in a way the compiler keeps; for secrets. */
void xrm_wipe(void *p, size_t n);

#endif
