/*
 * Customer health: for a party with an active customer role, how the
 * relationship is doing, from its timeline (CRM goals: keep customers,
 * raise satisfaction). Three signals:
 *
 *   open complaints   complaint activities of the last 30 days that are not
 *                     done (complaints carry no done flag yet, so every
 *                     complaint counts as open for 30 days);
 *   last contact      the latest call, e-mail or meeting (not in the future);
 *   survey score      the score of the latest survey (0-10).
 *
 * and one outcome:
 *
 *   at_risk  an open complaint, or a latest survey score of 5 or less, or a
 *            last contact more than 180 days ago;
 *   watch    otherwise, a latest survey score of 7 or less, or no contact in
 *            the last 90 days (or never);
 *   good     otherwise.
 *
 * Parties that are not active customers have no health (JSON null).
 *
 * Health is computed per viewer: only activities of domains the viewer may
 * read count (a complaint logged by HR does not make a colleague who is
 * also a customer at risk for sales, and a user learns nothing, not even a
 * date, of a domain it may not read). A NULL viewer is the system: every
 * activity counts, as it does for users who may read every domain. The
 * same definition is written twice, once in C for party responses and once
 * in SQL for the health: search filter; both take their time limits from
 * struct xrm_health_clock so they agree.
 */
#ifndef XRM_DOMAIN_HEALTH_H
#define XRM_DOMAIN_HEALTH_H

#include <jansson.h>
#include <stdbool.h>

#include "core/util.h"
#include "domain/base/query-db.h"
#include "store/store.h"

#define XRM_HEALTH_COMPLAINT_DAYS 30
#define XRM_HEALTH_WATCH_DAYS 90
#define XRM_HEALTH_RISK_DAYS 180
#define XRM_HEALTH_RISK_SCORE 5
#define XRM_HEALTH_WATCH_SCORE 7

/* Now and the limits, as ISO-8601 UTC text (comparable with activity times). */
struct xrm_health_clock {
    char now[XRM_TIME_LEN];
    char complaint_since[XRM_TIME_LEN];
    char watch_before[XRM_TIME_LEN];
    char risk_before[XRM_TIME_LEN];
};

void xrm_health_clock_now(struct xrm_health_clock *c);

/* The signals of one party; score -1 and last_contact "" when there are none. */
struct xrm_health_signals {
    int open_complaints;
    int score;
    char last_contact[XRM_TIME_LEN];
};

/* "good", "watch" or "at_risk" for the signals at clock c. */
const char *xrm_health_classify(const struct xrm_health_signals *s,
                                const struct xrm_health_clock *c);

/* True when party (API JSON with "roles") holds a customer role with status active. */
bool xrm_health_applies(json_t *party);

/*
 * The health of every object of items (a JSON array of parties with
 * "roles", whose ids b holds): out[i] (new reference) gets JSON null when
 * items[i] is not an active customer, else {"status", "open_complaints",
 * "last_contact", "days_since_contact", "survey_score", "reasons"}. One
 * statement for all the active customers of the page, none without any.
 */
struct xrm_batch;
struct xrm_user;
enum xrm_rc xrm_health_page(struct xrm_db *db, const struct xrm_user *viewer,
                            const struct xrm_batch *b, json_t *items, json_t **out,
                            struct xrm_err *err);

/*
 * The party decoration step (domain/party/party.h): "health" as
 * xrm_health_page gives it on every party of items, for ctx->user. One
 * statement per page. On failure err->rc is set.
 */
struct xrm_ctx;
enum xrm_rc xrm_health_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                     bool full, struct xrm_err *err);

/* Appends the SQL condition on alias p for health:status (good, watch, at_risk) for viewer. */
void xrm_health_sql(const struct xrm_user *viewer, const char *status, struct xrm_sql *out);

/* health-db.c: the signals of every party of b at clock c for viewer (out[i] for b->ids[i]). */
enum xrm_rc xrm_health_db_signals_page(struct xrm_db *db, const struct xrm_user *viewer,
                                       const struct xrm_batch *b, const struct xrm_health_clock *c,
                                       struct xrm_health_signals *out, struct xrm_err *err);

#endif
