/*
 * Periods of statements and exports (see period.h): a year, a quarter or a
 * month as a half-open range of dates.
 */
#include "core/period.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* Four digits, then nothing, "-Qn" or "-MM". */
bool xrm_period_parse(const char *s, struct xrm_period *out)
{
    int y = 0, q = 0, m = 0;
    if (!s || strlen(s) < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1900 || y > 9998)
        return false;
    if (s[4] == '\0') {
        snprintf(out->from, sizeof(out->from), "%04d-01-01", y);
        snprintf(out->to, sizeof(out->to), "%04d-01-01", y + 1);
        return true;
    }
    if (s[4] != '-')
        return false;
    if ((s[5] == 'Q' || s[5] == 'q') && s[6] >= '1' && s[6] <= '4' && s[7] == '\0') {
        q = s[6] - '0';
        snprintf(out->from, sizeof(out->from), "%04d-%02d-01", y, (q - 1) * 3 + 1);
        if (q == 4)
            snprintf(out->to, sizeof(out->to), "%04d-01-01", y + 1);
        else
            snprintf(out->to, sizeof(out->to), "%04d-%02d-01", y, q * 3 + 1);
        return true;
    }
    if (s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9' && s[7] == '\0') {
        m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return false;
        snprintf(out->from, sizeof(out->from), "%04d-%02d-01", y, m);
        if (m == 12)
            snprintf(out->to, sizeof(out->to), "%04d-01-01", y + 1);
        else
            snprintf(out->to, sizeof(out->to), "%04d-%02d-01", y, m + 1);
        return true;
    }
    return false;
}
