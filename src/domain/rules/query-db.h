/*
 * The query language as SQL: a small builder for SQL text with its bound
 * parameters, and the translation of parsed query terms (domain/query.h)
 * into conditions on a party row aliased `p`. Used by the party search
 * (party-db.c), segments and treatment rules (segment-membership
 * conditions), so that one query text means the same everywhere.
 *
 * Every value a user typed is a bound parameter; the SQL text is made of
 * fixed fragments only (column names come from whitelists).
 */
#ifndef XRM_DOMAIN_QUERY_DB_H
#define XRM_DOMAIN_QUERY_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/rules/query.h"
#include "store/store.h"

/* Nesting cap: a rule's segment condition inside a query inside a segment ... */
#define XRM_QUERY_MAX_DEPTH 3

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
/*
 * Appends the five parameters of an XRM_ACCESS_MATCH (domain/access.h) the
 * caller wrote: the domains u may read (NULL, matching nothing, for the others).
 */
void xrm_sql_readable(struct xrm_sql *q, const struct xrm_user *u);
/* Prepares q's text on db and binds its parameters from 1; NULL with err set on failure. */
struct xrm_stmt *xrm_sql_prepare(struct xrm_db *db, const struct xrm_sql *q, struct xrm_err *err);

/*
 * Appends " AND <condition>" on alias p for every filter term of q (all
 * terms but free words and phrases, which the caller searches with the
 * full-text index). depth counts nesting through segments (0 at the top).
 * Terms follow q->viewer's reading rights: health: and idle: count only
 * activities of domains the viewer may read, role: and status: skip roles
 * hidden from it (domain/access.h); a NULL viewer reads everything.
 * Errors (field "q", 422): a comparison on an unknown or non-comparable
 * attribute, may: (not available yet), treatment terms nested too deeply.
 */
enum xrm_rc xrm_query_sql_filters(struct xrm_db *db, const struct xrm_query *q, int depth,
                                  struct xrm_sql *out, struct xrm_err *err);

/* As xrm_query_sql_filters, and the free words and phrases as full-text conditions. */
enum xrm_rc xrm_query_sql_where(struct xrm_db *db, const struct xrm_query *q, int depth,
                                struct xrm_sql *out, struct xrm_err *err);

/* *match tells whether the non-archived party id matches q (one query). */
enum xrm_rc xrm_query_match_party(struct xrm_db *db, const struct xrm_query *q, int64_t party_id,
                                  int depth, bool *match, struct xrm_err *err);

/* True when q has terms that depend on treatment rules (priority:, badge:). */
bool xrm_query_uses_treatment(const struct xrm_query *q);

#endif
