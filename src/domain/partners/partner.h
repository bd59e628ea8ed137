/*
 * Partners: the partner page's data (GET /parties/{id}/partner), for readers
 * of partners: the partner's current tier and commission percentage, the
 * tier criteria now, its pipeline (the deals carrying it, newest first, at
 * most 50, each as {"id", "title", "party", "party_name", "stage_name",
 * "status", "amount", "currency", "expected_close", "closed_at",
 * "partner_source"}: what a partners reader may see of a deal even without
 * sales read), its latest commission lines (20) with the totals of all its
 * lines, and its pending tier proposals.
 *
 * {"party", "role" (id) , "tier", "commission_pct", "pct_source",
 *  "revenue_12m", "certified", "deals": [...], "commissions": {"items",
 *  "totals"}, "proposals": [...]}. XRM_E_NOTFOUND when the party holds no
 * current partner role or the reader may not read partners.
 */
#ifndef XRM_DOMAIN_PARTNER_H
#define XRM_DOMAIN_PARTNER_H

#include <jansson.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_partner_summary(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                                struct xrm_err *err);

#endif
