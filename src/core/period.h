/*
 * Periods of statements and exports: a year "2026", a quarter "2026-Q4" or
 * a month "2026-11", as the dates from (inclusive) and to (exclusive).
 * Used by the partners' commission statements and by billing's journal for
 * the accountant. No allocation.
 */
#ifndef XRM_CORE_PERIOD_H
#define XRM_CORE_PERIOD_H

#include <stdbool.h>

#include "core/clock.h"

struct xrm_period {
    char from[XRM_DATE_LEN], to[XRM_DATE_LEN];
};

/* Fills *out from s; false when s is none of the three forms. */
bool xrm_period_parse(const char *s, struct xrm_period *out);

#endif
