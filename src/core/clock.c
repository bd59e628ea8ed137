/*
 * The business clock (XRM_NOW for tests) and civil-calendar arithmetic.
 *
 * Dates are converted with Howard Hinnant's days-from-civil algorithm on the
 * proleptic Gregorian calendar, so no libc time zone state (TZ, localtime)
 * is touched and every function is thread-safe. Dutch summer time follows
 * the EU rule, which has been the same since 1996.
 */
#include "core/clock.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

/* Days since 1970-01-01 of the civil date y-m-d. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static bool digits(const char *s, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days since the epoch of a valid "YYYY-MM-DD" (the first 10 bytes of s). */
static bool date_days(const char *s, int64_t *days)
{
    char d[XRM_DATE_LEN];
    int64_t y, m, dd;
    if (strlen(s) < 10)
        return false;
    memcpy(d, s, 10);
    d[10] = '\0';
    if (!xrm_valid_date(d) || !digits(d, 4, &y) || !digits(d + 5, 2, &m) || !digits(d + 8, 2, &dd))
        return false;
    *days = days_from_civil(y, m, dd);
    return true;
}

static void format_days(int64_t days, char out[XRM_DATE_LEN])
{
    int64_t y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, XRM_DATE_LEN, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
}

bool xrm_time_parse(const char *s, int64_t *out)
{
    int64_t days, hh, mm, ss;
    if (!s || !date_days(s, &days))
        return false;
    if (s[10] == '\0') {
        *out = days * XRM_DAY_SECONDS;
        return true;
    }
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mm) || !digits(s + 17, 2, &ss) || hh > 23 ||
        mm > 59 || ss > 60)
        return false;
    *out = days * XRM_DAY_SECONDS + hh * 3600 + mm * 60 + ss;
    return true;
}

void xrm_time_format(int64_t t, char out[XRM_TIME_LEN])
{
    int64_t days = floor_div(t, XRM_DAY_SECONDS), rem = t - days * XRM_DAY_SECONDS;
    char d[XRM_DATE_LEN];
    format_days(days, d);
    snprintf(out, XRM_TIME_LEN, "%sT%02lld:%02lld:%02lldZ", d, (long long)(rem / 3600),
             (long long)(rem / 60 % 60), (long long)(rem % 60));
}

void xrm_date_utc(int64_t t, char out[XRM_DATE_LEN])
{
    format_days(floor_div(t, XRM_DAY_SECONDS), out);
}

/* 01:00 UTC on the last Sunday of month m (March or October) of year y. */
static int64_t last_sunday_0100(int64_t y, int64_t m)
{
    int64_t last = days_from_civil(y, m, 31);
    int64_t wday = ((last + 4) % 7 + 7) % 7; /* 0 = Sunday; 1970-01-01 was a Thursday */
    return (last - wday) * XRM_DAY_SECONDS + 3600;
}

int64_t xrm_local_offset(int64_t t)
{
    int64_t y, m, d;
    civil_from_days(floor_div(t, XRM_DAY_SECONDS), &y, &m, &d);
    (void)m;
    (void)d;
    bool summer = t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10);
    return summer ? 7200 : 3600;
}

void xrm_date_local(int64_t t, char out[XRM_DATE_LEN])
{
    xrm_date_utc(t + xrm_local_offset(t), out);
}

/* XRM_NOW as seconds, or false when unset or not an RFC 3339 time. */
static bool fake_now(int64_t *out)
{
    const char *s = getenv("XRM_NOW");
    char norm[XRM_TIME_LEN];
    if (!s || !*s || !xrm_norm_datetime(s, norm, sizeof(norm)))
        return false;
    return xrm_time_parse(norm, out);
}

bool xrm_clock_is_fake(void)
{
    int64_t t;
    return fake_now(&t);
}

int64_t xrm_clock_now_t(void)
{
    int64_t t;
    if (fake_now(&t))
        return t;
    return (int64_t)time(NULL);
}

void xrm_clock_now(char out[XRM_TIME_LEN])
{
    xrm_time_format(xrm_clock_now_t(), out);
}

void xrm_clock_today(char out[XRM_DATE_LEN])
{
    xrm_date_local(xrm_clock_now_t(), out);
}

bool xrm_date_add_days(const char *date, int64_t days, char out[XRM_DATE_LEN])
{
    int64_t d;
    if (!date || strlen(date) != 10 || !date_days(date, &d))
        return false;
    format_days(d + days, out);
    return true;
}

bool xrm_date_add_months(const char *date, int64_t months, char out[XRM_DATE_LEN])
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t x, y, m, d;
    if (!date || strlen(date) != 10 || !date_days(date, &x))
        return false;
    civil_from_days(x, &y, &m, &d);
    int64_t idx = y * 12 + (m - 1) + months;
    y = floor_div(idx, 12);
    m = idx - y * 12 + 1;
    int64_t max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    if (d > max)
        d = max;
    format_days(days_from_civil(y, m, d), out);
    return true;
}

bool xrm_date_diff(const char *from, const char *to, int64_t *out)
{
    int64_t a, b;
    if (!from || !to || strlen(from) != 10 || strlen(to) != 10 || !date_days(from, &a) ||
        !date_days(to, &b))
        return false;
    *out = b - a;
    return true;
}
