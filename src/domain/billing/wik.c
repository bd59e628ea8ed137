/*
 * Billing: the WIK collection-cost scale (see wik.h). The brackets are in
 * cents and the rates in tenths of a percent, so the sum is exact in
 * thousandths of a cent before the one rounding at the end.
 */
#include "domain/billing/wik.h"

#include <stddef.h>

#include "core/banned.h"

static const struct {
    int64_t upto; /* cents: the bracket's upper bound, cumulative; 0: no bound */
    int64_t rate; /* tenths of a percent */
} brackets[] = {
    {250000, 150},  /* 15% of the first 2,500 */
    {500000, 100},  /* 10% of the next 2,500 */
    {1000000, 50},  /* 5% of the next 5,000 */
    {20000000, 10}, /* 1% of the next 190,000 */
    {0, 5},         /* 0.5% of the rest */
};

int64_t xrm_wik_costs(int64_t principal)
{
    if (principal <= 0)
        return 0;
    /* The maximum is reached long before an int64 could overflow: stop there. */
    if (principal > 100000000000LL)
        return XRM_WIK_MAX;
    int64_t milli = 0, below = 0; /* thousandths of a cent; the previous bound */
    for (size_t i = 0; i < sizeof(brackets) / sizeof(brackets[0]); i++) {
        int64_t top = brackets[i].upto ? brackets[i].upto : principal;
        if (top > principal)
            top = principal;
        if (top > below)
            milli += (top - below) * brackets[i].rate;
        if (!brackets[i].upto || principal <= brackets[i].upto)
            break;
        below = brackets[i].upto;
    }
    int64_t cents = (milli + 500) / 1000;
    if (cents < XRM_WIK_MIN)
        cents = XRM_WIK_MIN;
    if (cents > XRM_WIK_MAX)
        cents = XRM_WIK_MAX;
    return cents;
}

bool xrm_wik_pay_by(const char *sent, char out[XRM_DATE_LEN])
{
    return sent && xrm_date_add_days(sent, 1 + XRM_WIK_TERM_DAYS, out);
}
