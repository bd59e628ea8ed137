/*
 * String builder. Invariant: b->s points at xrm_buf_empty or at a heap block
 * of b->cap bytes holding b->len bytes plus a NUL.
 */
#include "core/buf.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char xrm_buf_empty[1];

void xrm_buf_init(struct xrm_buf *b, size_t hint)
{
    b->s = xrm_buf_empty;
    b->len = 0;
    b->cap = 0;
    if (hint)
        xrm_buf_grow(b, hint);
}

void xrm_buf_release(struct xrm_buf *b)
{
    if (b->cap)
        free(b->s);
    xrm_buf_init(b, 0);
}

char *xrm_buf_detach(struct xrm_buf *b, size_t *len)
{
    char *s;
    if (!b->cap)
        xrm_buf_grow(b, 1);
    s = b->s;
    if (len)
        *len = b->len;
    xrm_buf_init(b, 0);
    return s;
}

void xrm_buf_reset(struct xrm_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->s[0] = '\0';
}

void xrm_buf_grow(struct xrm_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap) {
        b->s = xrm_realloc(b->s, cap);
    } else {
        b->s = xrm_malloc(cap);
        b->s[0] = '\0';
    }
    b->cap = cap;
}

void xrm_buf_add(struct xrm_buf *b, const void *data, size_t n)
{
    xrm_buf_grow(b, n);
    memcpy(b->s + b->len, data, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void xrm_buf_adds(struct xrm_buf *b, const char *s)
{
    xrm_buf_add(b, s, strlen(s));
}

void xrm_buf_vaddf(struct xrm_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)

        return;
    xrm_buf_grow(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void xrm_buf_addf(struct xrm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xrm_buf_vaddf(b, fmt, ap);
    va_end(ap);
}
