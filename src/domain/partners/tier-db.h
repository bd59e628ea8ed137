/*
 * SQL seam of tier.c (private to it and tier-db.c): the criteria of a
 * partner and the partners to evaluate. Arguments are trusted.
 */
#ifndef XRM_DOMAIN_TIER_DB_H
#define XRM_DOMAIN_TIER_DB_H

#include <jansson.h>

#include "domain/partners/tier.h"

/* Won deals carrying partner_id closed at or after since (a time text): the sum of amounts. */
enum xrm_rc xrm_tier_db_revenue(struct xrm_db *db, int64_t partner_id, const char *since,
                                int64_t *out, struct xrm_err *err);
/* Persons tagged certified with a current works_at / contact_for link to partner_id. */
enum xrm_rc xrm_tier_db_certified(struct xrm_db *db, int64_t partner_id, const char *today,
                                  int64_t *out, struct xrm_err *err);
/* [{"party", "role", "tier"}] of every current active partner role. */
enum xrm_rc xrm_tier_db_partners(struct xrm_db *db, const char *today, json_t **out,
                                 struct xrm_err *err);
/* Whether party_id has a pending proposal. */
enum xrm_rc xrm_tier_db_pending(struct xrm_db *db, int64_t party_id, bool *out,
                                struct xrm_err *err);

#endif
