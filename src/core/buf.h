/*
 * A growable string builder. A buffer is never NULL once initialised and is
 * always NUL-terminated. xrm_buf_detach hands the string to the caller, who
 * frees it with free(); xrm_buf_release frees it in place.
 */
#ifndef XRM_CORE_BUF_H
#define XRM_CORE_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct xrm_buf {
    char *s;
    size_t len;
    size_t cap;
};

#define XRM_BUF_INIT                                                                               \
    {                                                                                              \
        xrm_buf_empty, 0, 0                                                                        \
    }
extern char xrm_buf_empty[];

void xrm_buf_init(struct xrm_buf *b, size_t hint);
void xrm_buf_release(struct xrm_buf *b);
char *xrm_buf_detach(struct xrm_buf *b, size_t *len);
void xrm_buf_reset(struct xrm_buf *b);
void xrm_buf_grow(struct xrm_buf *b, size_t extra);
void xrm_buf_add(struct xrm_buf *b, const void *data, size_t n);
void xrm_buf_adds(struct xrm_buf *b, const char *s);

/* One byte; inline because JSON and SQL writers add bytes one at a time. */
static inline void xrm_buf_addc(struct xrm_buf *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->s[b->len++] = c;
        b->s[b->len] = '\0';
    } else {
        xrm_buf_add(b, &c, 1);
    }
}
/* A space, then s; nothing when s is NULL. */
static inline void xrm_buf_add_word(struct xrm_buf *b, const char *s)
{
    if (s) {
        xrm_buf_addc(b, ' ');
        xrm_buf_adds(b, s);
    }
}
void xrm_buf_addf(struct xrm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xrm_buf_vaddf(struct xrm_buf *b, const char *fmt, va_list ap);

#endif
