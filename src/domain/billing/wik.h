/*
 * Billing: the Dutch collection-cost scale (WIK, Wet normering
 * buitengerechtelijke incassokosten, and the Besluit vergoeding voor
 * buitengerechtelijke incassokosten). Pure arithmetic, no database.
 *
 * The costs are a percentage of the principal sum (the open amount of the
 * invoice), per bracket:
 *   15%  of the first        EUR   2,500
 *   10%  of the next         EUR   2,500
 *    5%  of the next         EUR   5,000
 *    1%  of the next         EUR 190,000
 *  0.5%  of the rest
 * at least EUR 40 and at most EUR 6,775. The scale binds for consumers; for
 * business buyers xrm applies the same scale (with the same minimum of
 * EUR 40) unless a contract says otherwise.
 *
 * VAT: a creditor who can deduct VAT (a VAT-registered business) may not
 * add VAT to the collection costs; xrm never adds it. A creditor who cannot
 * deduct it could add 21%; that is left to a person.
 *
 * The 14-day letter ("14-dagenbrief", article 6:96 lid 6 BW): a consumer
 * may be charged these costs only after a reminder that gives them 14 days,
 * counted from the day after the letter is received (xrm counts from the
 * day after sending), to pay without them.
 */
#ifndef XRM_DOMAIN_BILLING_WIK_H
#define XRM_DOMAIN_BILLING_WIK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/clock.h"

#define XRM_WIK_MIN 4000     /* cents: EUR 40 */
#define XRM_WIK_MAX 677500   /* cents: EUR 6,775 */
#define XRM_WIK_TERM_DAYS 14 /* days to pay after the 14-day letter */

/*
 * The collection costs in cents for a principal sum in cents (a principal
 * <= 0 gives 0: nothing to collect). Rounded half up to whole cents, then
 * held between XRM_WIK_MIN and XRM_WIK_MAX.
 */
int64_t xrm_wik_costs(int64_t principal);

/*
 * The pay-by date of a 14-day letter sent on date sent ("YYYY-MM-DD"): 14
 * days after the day after sending, i.e. sent + 15 days. False when sent is
 * not a date.
 */
bool xrm_wik_pay_by(const char *sent, char out[XRM_DATE_LEN]);

#endif
