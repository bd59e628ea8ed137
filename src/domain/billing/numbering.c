/*
 * Document numbers (numbering.h): the formats and the gapless sequences.
 */
#include "domain/billing/numbering.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* At p a "{N...}" token: its digit count (0: none). */
static int n_token(const char *p)
{
    int k = 0;
    if (*p != '{')
        return 0;
    while (p[1 + k] == 'N')
        k++;
    return p[1 + k] == '}' ? k : 0;
}

bool xrm_number_format_valid(const char *fmt)
{
    int ns = 0, years = 0;
    if (!fmt || !fmt[0] || strlen(fmt) > XRM_NUMBER_FORMAT_MAX)
        return false;
    for (const char *p = fmt; *p; p++) {
        if (*p == '}')
            return false;
        if (*p != '{')
            continue;
        int k = n_token(p);
        if (k) {
            if (k < 3 || k > 10)
                return false;
            ns++;
            p += k + 1;
        } else if (strncmp(p, "{YYYY}", 6) == 0) {
            years++;
            p += 5;
        } else {
            return false;
        }
    }
    return ns == 1 && years <= 1;
}

bool xrm_number_format(const char *fmt, int year, int64_t no, char *out, size_t n)
{
    size_t used = 0;
    for (const char *p = fmt; *p; p++) {
        char piece[32];
        int k = n_token(p);
        if (k) {
            snprintf(piece, sizeof(piece), "%0*lld", k, (long long)no);
            p += k + 1;
        } else if (strncmp(p, "{YYYY}", 6) == 0) {
            snprintf(piece, sizeof(piece), "%04d", year);
            p += 5;
        } else {
            piece[0] = *p;
            piece[1] = '\0';
        }
        size_t len = strlen(piece);
        if (used + len + 1 > n)
            return false;
        memcpy(out + used, piece, len);
        used += len;
    }
    out[used] = '\0';
    return true;
}
