/*
 * The leave balance of an employee for a year (GET
 * /api/v1/parties/{id}/leave?year=), for users with hr read access.
 *
 * Entitlement per calendar year, pro rata the days of the year within the
 * employment (start_date / end_date of the employee role, else its since /
 * until; without either, the year itself only and no carry-over):
 *   - statutory hours: 4 x hours_per_week; they expire on 1 July of the
 *     next year (usable through 30 June);
 *   - extra hours: the employee role's `extra_leave_hours` (per year, for
 *     the whole year); they expire 5 years after the end of their year.
 * Approved leave (kind leave) uses hours: an absence's hours spread evenly
 * over its working days (Monday to Friday), so leave over a year boundary
 * counts in each year for its own days. Each day's hours come from the
 * entitlement that expires first (of its own year or earlier); what no
 * entitlement covers makes the balance negative.
 *
 * The balance is as of today for this year, the last day of an earlier
 * year, the day before a later one starts ("as_of"). {"party", "year", "as_of",
 * "hours_per_week", "statutory_hours", "extra_hours" (this year's),
 * "carried_over" (left of earlier years at 1 January, not expired then),
 * "taken" (approved leave of this year up to as_of), "planned" (approved,
 * after as_of), "requested" (waiting for approval, this year), "remaining"
 * (everything not expired as of as_of, minus taken and planned), "expired"
 * (hours that expired unused this year, up to as_of), "expiring":
 * [{"date", "hours"}] (of remaining, what expires on each later date unless
 * used), "entitlements": [{"year", "kind", "hours", "used", "left",
 * "expires"}]}. Hours are rounded to two decimals.
 */
#ifndef XRM_DOMAIN_LEAVE_H
#define XRM_DOMAIN_LEAVE_H

#include <jansson.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_leave_balance(struct xrm_ctx *ctx, int64_t party, int year, json_t **out,
                              struct xrm_err *err);

#endif
