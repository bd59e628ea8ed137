/*
 * SQL text with its bound parameters, built in pieces: the fixed text of a
 * statement is appended as it is written (never input), every value as a
 * parameter (the caller writes its '?'). Used where a statement's text
 * depends on its input: query terms (domain/base/query-db.h), the IN lists
 * of page batches (domain/base/batch.h), record filters.
 *
 * Ownership: a struct xrm_sql owns its text and copies of its parameters;
 * xrm_sql_release frees them.
 */
#ifndef XRM_DOMAIN_SQL_H
#define XRM_DOMAIN_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "store/store.h"

enum xrm_sql_kind { XRM_SQLP_INT, XRM_SQLP_DOUBLE, XRM_SQLP_TEXT };

struct xrm_sql_param {
    enum xrm_sql_kind kind;
    int64_t i;
    double d;
    char *s; /* owned */
};

/* SQL text and its parameters in order; parameters are copied in. */
struct xrm_sql {
    struct xrm_buf text;
    struct xrm_sql_param *params;
    size_t n, cap;
};

void xrm_sql_init(struct xrm_sql *q);
void xrm_sql_release(struct xrm_sql *q);
/* Appends fixed SQL text (never input). */
void xrm_sql_add(struct xrm_sql *q, const char *text);
/* Appends a parameter (the caller writes its '?'). */
void xrm_sql_str(struct xrm_sql *q, const char *v);
void xrm_sql_int(struct xrm_sql *q, int64_t v);
void xrm_sql_double(struct xrm_sql *q, double v);
/* Prepares q's text on db and binds its parameters from 1; NULL with err set on failure. */
struct xrm_stmt *xrm_sql_prepare(struct xrm_db *db, const struct xrm_sql *q, struct xrm_err *err);

#endif
