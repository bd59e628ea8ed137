/*
 * Partners: tiers with criteria. Each tier (bronze, silver, gold,
 * strategic) has thresholds, both of which a partner must meet: revenue
 * brought in over the last 12 months (the amounts of won deals carrying the
 * partner, closed in the 365 days up to today) and certified people (the
 * persons with a current works_at or contact_for relationship to the
 * partner that carry the tag `certified`); and a default commission
 * percentage for partners without their own (commission.h). Administrators
 * change the thresholds (PATCH /partner-tiers/{id}).
 *
 * An evaluation (monthly: POST /partner-tiers/evaluate, by a partners
 * writer or a scheduler) computes, for every party with an active partner
 * role, the highest tier whose thresholds it meets; where that differs from
 * the role's tier it proposes the move (up or down), unless a proposal of
 * the partner is still pending. Nothing is applied silently: a partners
 * writer accepts (the role's tier changes, as a role write of that user,
 * audited) or rejects a proposal.
 *
 * level JSON: {"id", "tier", "tier_order", "min_revenue" (cents),
 * "min_certified", "commission_pct" (number), "created_by", "version",
 * "created_at", "updated_at"}.
 * proposal JSON: {"id", "party", "party_name", "role", "from_tier",
 * "to_tier", "direction" (up | down), "revenue" (cents), "certified",
 * "status" (pending | accepted | rejected), "decided_by", "decided_at",
 * "created_by", "version", "created_at", "updated_at"}.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_TIER_H
#define XRM_DOMAIN_TIER_H

#include <jansson.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_tier_level_kind;
extern const struct xrm_record_kind xrm_tier_proposal_kind;

/* {"items": [levels, lowest first], "next": null}; partners read. */
enum xrm_rc xrm_tier_level_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
/*
 * The plain operations of tier levels (domain/base/record.h, the route
 * table's .ops): PATCH by administrators of min_revenue, min_certified,
 * commission_pct (0-100).
 */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_tier_level_ops;

/* {"evaluated": partners looked at, "items": [new proposals]}; partners write. */
enum xrm_rc xrm_tier_evaluate(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/* Proposals newest first, {"items", "next"}; status and party filter (0 / NULL: all). */
enum xrm_rc xrm_tier_proposal_list(struct xrm_ctx *ctx, const char *status, int64_t party,
                                   json_t **out, struct xrm_err *err);
/*
 * The plain operations of tier proposals (domain/base/record.h, the route
 * table's .ops): GET, and PATCH {"status"} (accepting changes the role's
 * tier first); PATCH {"status": "accepted" | "rejected"} of a pending
 * proposal needs partners write.
 */
extern const struct xrm_record_ops xrm_tier_proposal_ops;

/* The criteria of partner_id now: {"revenue_12m", "certified"}. */
enum xrm_rc xrm_tier_criteria(struct xrm_db *db, int64_t partner_id, json_t **out,
                              struct xrm_err *err);

#endif
