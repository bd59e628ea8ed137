/*
 * Customer health: the classification of the signals (health.h has the
 * definition) and the JSON shown on party responses. The SQL lives in
 * health-db.c.
 */
#include "domain/rules/health.h"
#include "domain/base/batch.h"
#include "domain/base/ctx.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static void iso(time_t t, char out[XRM_TIME_LEN])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, XRM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void xrm_health_clock_now(struct xrm_health_clock *c)
{
    time_t now = time(NULL);
    iso(now, c->now);
    iso(now - (time_t)XRM_HEALTH_COMPLAINT_DAYS * 86400, c->complaint_since);
    iso(now - (time_t)XRM_HEALTH_WATCH_DAYS * 86400, c->watch_before);
    iso(now - (time_t)XRM_HEALTH_RISK_DAYS * 86400, c->risk_before);
}

static bool at_risk(const struct xrm_health_signals *s, const struct xrm_health_clock *c)
{
    return s->open_complaints > 0 || (s->score >= 0 && s->score <= XRM_HEALTH_RISK_SCORE) ||
           (s->last_contact[0] && strcmp(s->last_contact, c->risk_before) < 0);
}

/* An empty last_contact (never) sorts before every time: no contact in 90 days. */
static bool watch(const struct xrm_health_signals *s, const struct xrm_health_clock *c)
{
    return (s->score >= 0 && s->score <= XRM_HEALTH_WATCH_SCORE) ||
           strcmp(s->last_contact, c->watch_before) < 0;
}

const char *xrm_health_classify(const struct xrm_health_signals *s,
                                const struct xrm_health_clock *c)
{
    if (at_risk(s, c))
        return "at_risk";
    if (watch(s, c))
        return "watch";
    return "good";
}

bool xrm_health_applies(json_t *party)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        const char *type = json_string_value(json_object_get(r, "type"));
        const char *status = json_string_value(json_object_get(r, "status"));
        if (type && status && strcmp(type, "customer") == 0 && strcmp(status, "active") == 0)
            return true;
    }
    return false;
}

/* Whole days between two ISO times (a before b). */
static long days_between(const char *a, const char *b)
{
    struct tm ta = {0}, tb = {0};
    if (!strptime(a, "%Y-%m-%dT%H:%M:%SZ", &ta) || !strptime(b, "%Y-%m-%dT%H:%M:%SZ", &tb))
        return 0;
    long d = (long)((timegm(&tb) - timegm(&ta)) / 86400);
    return d < 0 ? 0 : d;
}

static json_t *reasons(const struct xrm_health_signals *s, const struct xrm_health_clock *c,
                       long days)
{
    json_t *a = json_array();
    char msg[120];

    if (s->open_complaints > 0) {
        snprintf(msg, sizeof(msg), "%d complaint(s) in the last %d days", s->open_complaints,
                 XRM_HEALTH_COMPLAINT_DAYS);
        json_array_append_new(a, json_string(msg));
    }
    if (s->score >= 0 && s->score <= XRM_HEALTH_WATCH_SCORE) {
        snprintf(msg, sizeof(msg), "latest survey score %d", s->score);
        json_array_append_new(a, json_string(msg));
    }
    if (!s->last_contact[0]) {
        json_array_append_new(a, json_string("no contact yet"));
    } else if (strcmp(s->last_contact, c->watch_before) < 0) {
        snprintf(msg, sizeof(msg), "no contact for %ld days", days);
        json_array_append_new(a, json_string(msg));
    }
    return a;
}

static json_t *health_json(const struct xrm_health_signals *s, const struct xrm_health_clock *c)
{
    long days = s->last_contact[0] ? days_between(s->last_contact, c->now) : 0;
    json_t *h = json_object();
    json_object_set_new(h, "status", json_string(xrm_health_classify(s, c)));
    json_object_set_new(h, "open_complaints", json_integer(s->open_complaints));
    json_object_set_new(h, "last_contact",
                        s->last_contact[0] ? json_string(s->last_contact) : json_null());
    json_object_set_new(h, "days_since_contact",
                        s->last_contact[0] ? json_integer(days) : json_null());
    json_object_set_new(h, "survey_score", s->score >= 0 ? json_integer(s->score) : json_null());
    json_object_set_new(h, "reasons", reasons(s, c, days));
    return h;
}

enum xrm_rc xrm_health_page(struct xrm_db *db, const struct xrm_user *viewer,
                            const struct xrm_batch *b, json_t *items, json_t **out,
                            struct xrm_err *err)
{
    struct xrm_health_clock c;
    struct xrm_batch customers;
    int64_t *ids = xrm_calloc(b->n ? b->n : 1, sizeof(*ids));
    size_t *at = xrm_calloc(b->n ? b->n : 1, sizeof(*at));
    size_t n = 0;

    for (size_t i = 0; i < b->n; i++) {
        out[i] = NULL;
        if (xrm_health_applies(json_array_get(items, i))) {
            ids[n] = b->ids[i];
            at[n++] = i;
        }
    }
    xrm_health_clock_now(&c);
    xrm_batch_init_ids(&customers, ids, n);
    struct xrm_health_signals *sig = xrm_calloc(n ? n : 1, sizeof(*sig));
    enum xrm_rc rc = xrm_health_db_signals_page(db, viewer, &customers, &c, sig, err);
    for (size_t j = 0; !rc && j < n; j++)
        out[at[j]] = health_json(&sig[j], &c);
    for (size_t i = 0; i < b->n; i++)
        if (!rc && !out[i])
            out[i] = json_null();
    xrm_batch_release(&customers);
    free(sig);
    free(ids);
    free(at);
    return rc;
}

enum xrm_rc xrm_health_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                     bool full, struct xrm_err *err)
{
    size_t n = b->n;
    json_t **h = xrm_calloc(n ? n : 1, sizeof(*h));
    (void)full;
    enum xrm_rc rc = xrm_health_page(ctx->db, &ctx->user, b, items, h, err);
    for (size_t i = 0; !rc && i < n; i++) {
        json_object_set_new(json_array_get(items, i), "health", h[i]);
        h[i] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        json_decref(h[i]);
    free(h);
    if (rc && !err->rc)
        err->rc = rc;
    return rc;
}
