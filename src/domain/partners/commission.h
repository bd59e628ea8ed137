/*
 * Partners: commissions. A commission line per won deal that carries a
 * partner: the deal amount at the win (base) x the partner's commission
 * percentage at that moment: the partner role's `commission_pct`, else the
 * default of the role's tier (partner_tier_levels, tier.h), else the bronze
 * default. The line is kept as it was made, so a later change of the
 * percentage or the tier never rewrites history.
 *
 * The deal listener (xrm_commission_deal_changed, set in domain/hooks.c)
 * keeps lines in step with deals inside the deal's write:
 *   - a deal that becomes won with a partner gets an open line;
 *   - a won deal whose amount or currency changes updates its open line
 *     (same percentage);
 *   - a deal that is no longer won (reopened, lost, deleted) or loses or
 *     changes its partner cancels its open or approved line; a paid line
 *     stays (money went out; correcting it is a person's job), and a new
 *     partner gets a new line.
 *
 * Status: open -> approved (partners write), approved -> open (undo,
 * partners write), approved -> paid (partners full: who pays out; admins);
 * cancelled only by the deal. Lines are partners records: read with
 * partners read, which also sees the deal's title, party and amount the
 * line was made of (a statement's basis), not the deal itself.
 *
 * commission JSON: {"id", "partner", "partner_name", "deal", "deal_title",
 * "party", "party_name", "won_on" (date), "base" (cents), "currency",
 * "commission_pct" (number), "pct_source" ("partner" | "tier"), "amount"
 * (cents), "status", "approved_by", "approved_at", "paid_at",
 * "cancelled_at", "created_by", "version", "created_at", "updated_at"}.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_COMMISSION_H
#define XRM_DOMAIN_COMMISSION_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/period.h"
#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_commission_kind;

/* The filter's period: core/period.h (shared with the accountant's export of billing). */

/* Filters of a statement; zero / NULL fields do not filter. */
struct xrm_commission_filter {
    int64_t partner;
    const char *period; /* a field error "period" when not a period */
    const char *status; /* open | approved | paid | cancelled */
};

/*
 * A statement, lines by win date: {"items", "next": null, "period": {"from",
 * "to"} | null, "totals": [{"currency", "count", "base", "open", "approved",
 * "paid", "cancelled", "total"}]} (total: all but cancelled). Needs partners
 * read (XRM_E_DENIED otherwise).
 */
enum xrm_rc xrm_commission_list(struct xrm_ctx *ctx, const struct xrm_commission_filter *f,
                                json_t **out, struct xrm_err *err);
/* The same statement as CSV for Dutch Excel (io/csv.h) into b. */
enum xrm_rc xrm_commission_csv(struct xrm_ctx *ctx, const struct xrm_commission_filter *f,
                               struct xrm_buf *b, struct xrm_err *err);

enum xrm_rc xrm_commission_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);
/* PATCH {"status"} with the transitions above. */
enum xrm_rc xrm_commission_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                  json_t *patch, json_t **out, struct xrm_err *err);

/* The deal listener (deal.h xrm_deal_listener_fn). */
enum xrm_rc xrm_commission_deal_changed(struct xrm_db *db, const struct xrm_user *user,
                                        json_t *before, json_t *after, struct xrm_err *err);

/*
 * The percentage partner_id earns now: *pct (a new JSON number) and its
 * source "partner" | "tier"; *role the partner role (new reference, NULL
 * when it holds none current).
 */
enum xrm_rc xrm_commission_pct(struct xrm_db *db, int64_t partner_id, json_t **pct,
                               const char **source, json_t **role, struct xrm_err *err);

#endif
