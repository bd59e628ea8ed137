/*
 * The leave balance: entitlements per year with their expiry, used by
 * approved leave day by day, the one expiring first first.
 */
#include "domain/hr/leave.h"
#include "domain/hr/absence.h"
#include "domain/hr/absence-db.h"
#include "domain/base/access.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define YEARS_BACK 5

struct bucket {
    int year;
    const char *kind; /* statutory | extra */
    double hours, used;
    char expires[XRM_DATE_LEN]; /* first day it may no longer be used */
};

struct use {
    char date[XRM_DATE_LEN];
    double hours;
    bool approved;
};

static double r2(double v)
{
    return round(v * 100.0) / 100.0;
}

static json_t *num(double v)
{
    v = r2(v);
    if (v == floor(v) && fabs(v) < 1e12)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static int year_of(const char *d)
{
    int y = 0;
    for (int i = 0; d && i < 4 && d[i] >= '0' && d[i] <= '9'; i++)
        y = y * 10 + (d[i] - '0');
    return y; /* of a stored date "YYYY-..." */
}

/* Days of [a, b] inside year y (0 when none). */
static int64_t days_in(int y, const char *a, const char *b)
{
    char ys[XRM_DATE_LEN], ye[XRM_DATE_LEN];
    snprintf(ys, sizeof(ys), "%04d-01-01", y);
    snprintf(ye, sizeof(ye), "%04d-12-31", y);
    const char *s = a && strcmp(a, ys) > 0 ? a : ys;
    const char *e = b && strcmp(b, ye) < 0 ? b : ye;
    int64_t n = 0;
    if (!xrm_date_diff(s, e, &n) || n < 0)
        return 0;
    return n + 1;
}

static int by_date(const void *a, const void *b)
{
    const struct use *x = a, *y = b;
    return strcmp(x->date, y->date);
}

static int by_expiry(const void *a, const void *b)
{
    const struct bucket *x = a, *y = b;
    int c = strcmp(x->expires, y->expires);
    return c ? c : x->year - y->year;
}

/* Spreads absence a's hours over its working days into uses (grown as needed). */
static void spread(json_t *a, bool approved, struct use **uses, size_t *n, size_t *cap)
{
    const char *from = json_string_value(json_object_get(a, "from"));
    const char *until = json_string_value(json_object_get(a, "until"));
    json_t *h = json_object_get(a, "hours");
    if (!from || !until || !json_is_number(h))
        return;
    int64_t wd = xrm_absence_weekdays(from, until), len = 0;
    if (!xrm_date_diff(from, until, &len) || len < 0 || len > 3660)
        return;
    double per = wd > 0 ? json_number_value(h) / (double)wd : json_number_value(h);
    char day[XRM_DATE_LEN];
    xrm_strlcpy(day, from, sizeof(day));
    for (int64_t i = 0; i <= len; i++) {
        bool work = wd == 0 ? i == 0 : xrm_absence_weekdays(day, day) == 1;
        if (work) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 64;
                *uses = xrm_realloc(*uses, *cap * sizeof(**uses));
            }
            struct use *u = &(*uses)[(*n)++];
            xrm_strlcpy(u->date, day, sizeof(u->date));
            u->hours = per;
            u->approved = approved;
        }
        xrm_date_add_days(day, 1, day);
    }
}

enum xrm_rc xrm_leave_balance(struct xrm_ctx *ctx, int64_t party, int year, json_t **out,
                              struct xrm_err *err)
{
    json_t *role = NULL, *leave = NULL;
    struct use *uses = NULL;
    size_t nuse = 0, cap = 0;
    struct bucket b[2 * (YEARS_BACK + 1)];
    int nb = 0;
    char today[XRM_DATE_LEN], as_of[XRM_DATE_LEN], ystart[XRM_DATE_LEN], yend[XRM_DATE_LEN];
    enum xrm_rc rc = XRM_OK;

    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "the leave balance needs read access to domain 'hr'");
    if (year < 1900 || year > 2199)
        return xrm_err_field(err, XRM_E_MALFORMED, "year", "must be a year from 1900 to 2199");
    rc = xrm_abs_db_employee(ctx->db, party, &role, err);
    if (rc)
        goto out;
    if (!role) {
        rc = xrm_errf(err, XRM_E_NOTFOUND, "party %lld is not an employee", (long long)party);
        goto out;
    }
    struct xrm_abs_filter f = {.party = party, .kind = "leave"};
    rc = xrm_abs_db_list(ctx->db, &f, 100000, 0, &leave, err);
    if (rc)
        goto out;

    xrm_clock_today(today);
    snprintf(ystart, sizeof(ystart), "%04d-01-01", year);
    snprintf(yend, sizeof(yend), "%04d-12-31", year);
    int ty = year_of(today);
    if (year == ty)
        xrm_strlcpy(as_of, today, sizeof(as_of));
    else if (year < ty)
        xrm_strlcpy(as_of, yend, sizeof(as_of));
    else /* a later year: as of the day before it starts, nothing taken yet */
        xrm_date_add_days(ystart, -1, as_of);

    json_t *attrs = json_object_get(role, "attributes");
    const char *start = json_string_value(json_object_get(attrs, "start_date"));
    const char *end = json_string_value(json_object_get(attrs, "end_date"));
    if (!start)
        start = json_string_value(json_object_get(role, "since"));
    if (!end)
        end = json_string_value(json_object_get(role, "until"));
    json_t *hv = json_object_get(attrs, "hours_per_week");
    json_t *xv = json_object_get(attrs, "extra_leave_hours");
    double week = json_is_number(hv) ? json_number_value(hv) : 0;
    double extra = json_is_number(xv) ? json_number_value(xv) : 0;

    int y0 = year;
    if (start && year_of(start) < year)
        y0 = year_of(start) > year - YEARS_BACK ? year_of(start) : year - YEARS_BACK;
    for (int y = y0; y <= year; y++) {
        int64_t in = days_in(y, start, end), all = days_in(y, NULL, NULL);
        if (in <= 0 || all <= 0)
            continue;
        double frac = (double)in / (double)all;
        struct bucket *s = &b[nb++];
        *s = (struct bucket){.year = y, .kind = "statutory", .hours = r2(4.0 * week * frac)};
        snprintf(s->expires, sizeof(s->expires), "%04d-07-01", y + 1);
        struct bucket *x = &b[nb++];
        *x = (struct bucket){.year = y, .kind = "extra", .hours = r2(extra * frac)};
        snprintf(x->expires, sizeof(x->expires), "%04d-01-01", y + YEARS_BACK + 1);
    }
    qsort(b, (size_t)nb, sizeof(b[0]), by_expiry);

    size_t i;
    json_t *a;
    json_array_foreach(leave, i, a)
    {
        const char *st = json_string_value(json_object_get(a, "status"));
        if (st && strcmp(st, "rejected") != 0)
            spread(a, strcmp(st, "approved") == 0, &uses, &nuse, &cap);
    }
    if (nuse)
        qsort(uses, nuse, sizeof(uses[0]), by_date);

    char y0start[XRM_DATE_LEN];
    snprintf(y0start, sizeof(y0start), "%04d-01-01", y0);
    double taken = 0, planned = 0, requested = 0, deficit = 0, carried = -1;
    for (size_t k = 0; k <= nuse; k++) {
        struct use *u = k < nuse ? &uses[k] : NULL;
        if (carried < 0 && (!u || strcmp(u->date, ystart) >= 0)) {
            carried = 0;
            for (int j = 0; j < nb; j++)
                if (b[j].year < year && strcmp(b[j].expires, ystart) > 0)
                    carried += b[j].hours - b[j].used;
        }
        if (!u)
            break;
        if (strcmp(u->date, y0start) < 0 || strcmp(u->date, yend) > 0)
            continue;
        if (!u->approved) {
            if (year_of(u->date) == year)
                requested += u->hours;
            continue;
        }
        if (year_of(u->date) == year) {
            if (strcmp(u->date, as_of) <= 0)
                taken += u->hours;
            else
                planned += u->hours;
        }
        double need = u->hours;
        for (int j = 0; j < nb && need > 1e-9; j++) {
            if (b[j].year > year_of(u->date) || strcmp(b[j].expires, u->date) <= 0)
                continue;
            double take = b[j].hours - b[j].used;
            if (take <= 0)
                continue;
            if (take > need)
                take = need;
            b[j].used += take;
            need -= take;
        }
        deficit += need;
    }

    double remaining = -deficit, expired = 0, stat_y = 0, extra_y = 0;
    json_t *ents = json_array(), *expiring = json_array();
    for (int j = 0; j < nb; j++) {
        double left = b[j].hours - b[j].used;
        bool gone = strcmp(b[j].expires, as_of) <= 0;
        if (!gone)
            remaining += left;
        else if (strcmp(b[j].expires, ystart) > 0) /* lost this year */
            expired += left;
        if (b[j].year == year) {
            if (strcmp(b[j].kind, "statutory") == 0)
                stat_y = b[j].hours;
            else
                extra_y = b[j].hours;
        }
        if (!gone && r2(left) > 0) {
            json_t *last = json_array_get(expiring, json_array_size(expiring) - 1);
            char lastday[XRM_DATE_LEN];
            xrm_date_add_days(b[j].expires, -1, lastday);
            if (last && strcmp(json_string_value(json_object_get(last, "date")), lastday) == 0)
                json_object_set_new(last, "hours",
                                    num(json_number_value(json_object_get(last, "hours")) + left));
            else
                json_array_append_new(expiring,
                                      json_pack("{s:s, s:o}", "date", lastday, "hours", num(left)));
        }
        if (b[j].hours > 0 || b[j].used > 0)
            json_array_append_new(ents, json_pack("{s:i, s:s, s:o, s:o, s:o, s:s}", "year",
                                                  b[j].year, "kind", b[j].kind, "hours",
                                                  num(b[j].hours), "used", num(b[j].used), "left",
                                                  num(left), "expires", b[j].expires));
    }
    *out = json_pack("{s:I, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "party", (json_int_t)party, "year", year, "as_of", as_of, "hours_per_week",
                     num(week), "statutory_hours", num(stat_y), "extra_hours", num(extra_y),
                     "carried_over", num(carried < 0 ? 0 : carried), "taken", num(taken), "planned",
                     num(planned), "requested", num(requested), "remaining", num(remaining),
                     "expired", num(expired), "expiring", expiring, "entitlements", ents);
out:
    free(uses);
    json_decref(role);
    json_decref(leave);
    return rc;
}
