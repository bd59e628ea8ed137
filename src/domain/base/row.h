/*
 * Between result rows or parameters and JSON records, for the domain's
 * *-db.c files: SQL NULL is JSON null (or an absent key).
 */
#ifndef XRM_DOMAIN_ROW_H
#define XRM_DOMAIN_ROW_H

#include <jansson.h>

#include "store/store.h"

/* The integer in column col, or null. */
static inline json_t *xrm_row_int(struct xrm_stmt *s, int col)
{
    return xrm_stmt_is_null(s, col) ? json_null() : json_integer(xrm_stmt_int(s, col));
}

/* The text in column col, or null. */
static inline json_t *xrm_row_text(struct xrm_stmt *s, int col)
{
    const char *t = xrm_stmt_text(s, col);
    return t ? json_string(t) : json_null();
}

/* Binds the string under key of rec to parameter idx (NULL when absent or not a string). */
static inline void xrm_row_bind_str(struct xrm_stmt *s, int idx, json_t *rec, const char *key)
{
    xrm_stmt_bind_text(s, idx, json_string_value(json_object_get(rec, key)));
}

/* Binds the integer under key of rec to parameter idx (NULL when absent or not an integer). */
static inline void xrm_row_bind_int(struct xrm_stmt *s, int idx, json_t *rec, const char *key)
{
    json_t *v = json_object_get(rec, key);
    if (json_is_integer(v))
        xrm_stmt_bind_int(s, idx, json_integer_value(v));
    else
        xrm_stmt_bind_null(s, idx);
}

#endif
