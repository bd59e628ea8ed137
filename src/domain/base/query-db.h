/*
 * The query language as SQL: the translation of parsed query terms
 * (domain/base/query.h) into conditions on a party row aliased `p`, written
 * with the SQL builder of domain/base/sql.h. Used by the party search
 * (party-db.c), segments and treatment rules (segment-membership
 * conditions), so that one query text means the same everywhere.
 *
 * Terms on the party itself (role:, tag:, city:, kind:, attributes,
 * status:, has:, idle:) are translated here. Terms whose meaning belongs
 * to a module above this layer (may:, health:, priority:, badge:, deal:,
 * case:, agreement:, revenue) are translated by the handler that module
 * has for it in the term table (xrm_query_term_set), filled at start-up by
 * domain/hooks.c, so that a filter and the value shown on a party agree.
 *
 * Every value a user typed is a bound parameter; the SQL text is made of
 * fixed fragments only (column names come from whitelists).
 */
#ifndef XRM_DOMAIN_QUERY_DB_H
#define XRM_DOMAIN_QUERY_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"
#include "domain/base/query.h"
#include "domain/base/sql.h"
#include "store/store.h"

/* Nesting cap: a rule's segment condition inside a query inside a segment ... */
#define XRM_QUERY_MAX_DEPTH 3

/*
 * A term handler: appends the positive condition of term t (its kind is
 * the one it was set for; a negated term is wrapped in NOT by the caller)
 * for viewer (NULL: the system) on party alias p to out, with depth as for
 * xrm_query_sql_filters. Errors name field "q".
 */
typedef enum xrm_rc (*xrm_query_term_fn)(struct xrm_db *db, const struct xrm_user *viewer,
                                         const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                                         struct xrm_err *err);

/*
 * Sets the handler of the terms of kind (at start-up, before any query
 * runs; domain/hooks.c). A term of a kind without a handler fails with
 * XRM_E_INTERNAL.
 */
void xrm_query_term_set(enum xrm_qterm_kind kind, xrm_query_term_fn fn);

/*
 * Scopes q to ctx->user (q->viewer, borrowed for q's life): the derived
 * terms (health:, idle:) then read only activities of domains the user
 * may read, and role: and status: terms skip roles hidden from the user.
 * Refuses (XRM_E_DENIED, field "q"), negated or not, terms on records of
 * a domain the user may not read (xrm_query_term_domain) and attribute
 * terms it may not use (xrm_access_attr_refused, domain/base/access.h),
 * so results never depend on values it may not see.
 */
enum xrm_rc xrm_query_check_access(struct xrm_ctx *ctx, struct xrm_query *q, struct xrm_err *err);

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

/*
 * For a count of the parties that match q's filter terms (no free words):
 * appends "p.id IN (<the parties of one term>) AND " for the term that
 * likely passes the fewest parties (the first city term, else the first
 * attribute or tag term, else
 * the positive role: or status: term of the type with the fewest roles,
 * when it has at most a quarter of all roles; none otherwise),
 * so the count starts from that term's index instead of walking every
 * party; *driven tells whether it did (the caller, writing a WHERE, then
 * writes its own conditions on p.tenant and p.archived after it so that
 * they do not drive, as "+p.tenant"). The condition is implied by the term, which stays in the
 * filter: the rows counted are the same. With out NULL it only tells
 * (*driven) whether a count of q would have a driver.
 */
enum xrm_rc xrm_query_sql_driver(struct xrm_db *db, const struct xrm_query *q, bool *driven,
                                 struct xrm_sql *out, struct xrm_err *err);

/* *match tells whether the non-archived party id matches q (one query). */
enum xrm_rc xrm_query_match_party(struct xrm_db *db, const struct xrm_query *q, int64_t party_id,
                                  int depth, bool *match, struct xrm_err *err);

/* True when q has terms that depend on treatment rules (priority:, badge:). */
bool xrm_query_uses_treatment(const struct xrm_query *q);

#endif
