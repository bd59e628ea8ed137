/*
 * SQL seam of commission.c (used by it and partner.c): the
 * statement's lines and totals, the current line of a deal, and the
 * default percentage of a tier. Arguments are trusted (commission.c
 * validates).
 */
#ifndef XRM_DOMAIN_COMMISSION_DB_H
#define XRM_DOMAIN_COMMISSION_DB_H

#include <jansson.h>

#include "domain/partners/commission.h"

/* Lines matching f (period already parsed into p, may be NULL), by win date; at most n. */
enum xrm_rc xrm_commission_db_list(struct xrm_db *db, const struct xrm_commission_filter *f,
                                   const struct xrm_period *p, int n, json_t **out,
                                   struct xrm_err *err);
/* Totals per currency of the same lines (the shape of xrm_commission_list's "totals"). */
enum xrm_rc xrm_commission_db_totals(struct xrm_db *db, const struct xrm_commission_filter *f,
                                     const struct xrm_period *p, json_t **out, struct xrm_err *err);
/* The newest line of deal_id that is not cancelled, or *out NULL. */
enum xrm_rc xrm_commission_db_current(struct xrm_db *db, int64_t deal_id, json_t **out,
                                      struct xrm_err *err);
/* The stored default percentage of tier (a JSON number, text) into *out (NULL: none). */
enum xrm_rc xrm_commission_db_tier_pct(struct xrm_db *db, const char *tier, json_t **out,
                                       struct xrm_err *err);

#endif
