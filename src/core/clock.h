/*
 * The business clock: what time it is for automations, SLAs, task grouping
 * and agreement status, and calendar arithmetic on ISO-8601 texts.
 *
 * Tests move time with the environment variable XRM_NOW, an RFC 3339 time
 * such as XRM_NOW="2027-01-15T09:00:00Z": when it is set (and valid) the
 * clock stands still at that moment, in every thread, for the whole
 * process. Without it the clock is the system's UTC clock. Stored time
 * stamps of ordinary writes (created_at, audit) keep using xrm_now().
 *
 * Local dates ("today", "due today") are those of the Netherlands
 * (Europe/Amsterdam: CET, with the EU summer time from the last Sunday of
 * March to the last Sunday of October, changing at 01:00 UTC).
 *
 * Times are seconds since the epoch (int64_t) or texts "YYYY-MM-DDTHH:MM:SSZ"
 * (XRM_TIME_LEN) and dates "YYYY-MM-DD" (XRM_DATE_LEN). No allocation.
 */
#ifndef XRM_CORE_CLOCK_H
#define XRM_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/util.h"

#define XRM_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */
#define XRM_DAY_SECONDS 86400

/* Now, in seconds since the epoch: XRM_NOW when set, else the system clock. */
int64_t xrm_clock_now_t(void);
/* Now as "YYYY-MM-DDTHH:MM:SSZ". */
void xrm_clock_now(char out[XRM_TIME_LEN]);
/* Today's date in the Netherlands. */
void xrm_clock_today(char out[XRM_DATE_LEN]);
/* True when XRM_NOW holds the clock still (for logs and diagnostics). */
bool xrm_clock_is_fake(void);

/*
 * Parses "YYYY-MM-DDTHH:MM:SSZ" (as stored) or a date "YYYY-MM-DD" (its
 * midnight UTC) into seconds since the epoch; false on anything else.
 */
bool xrm_time_parse(const char *s, int64_t *out);
void xrm_time_format(int64_t t, char out[XRM_TIME_LEN]);
/* The UTC date of t, and the Dutch local date of t. */
void xrm_date_utc(int64_t t, char out[XRM_DATE_LEN]);
void xrm_date_local(int64_t t, char out[XRM_DATE_LEN]);
/* Offset of Dutch local time from UTC at t, in seconds (3600 or 7200). */
int64_t xrm_local_offset(int64_t t);

/* date + days into out; false when date is not a date. */
bool xrm_date_add_days(const char *date, int64_t days, char out[XRM_DATE_LEN]);
/* date + months (day clamped to the month's end, 31 Jan + 1 month = 28/29 Feb). */
bool xrm_date_add_months(const char *date, int64_t months, char out[XRM_DATE_LEN]);
/* *out = to - from in whole days; false when either is not a date. */
bool xrm_date_diff(const char *from, const char *to, int64_t *out);

#endif
