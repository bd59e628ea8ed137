/*
 * SQL of the webhooks' outbox (outbox.h): webhook_deliveries rows.
 * Ownership: inputs borrowed; *out new references / malloc'd as said.
 */
#ifndef XRM_DOMAIN_WEBHOOKS_OUTBOX_DB_H
#define XRM_DOMAIN_WEBHOOKS_OUTBOX_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

struct xrm_whd_row {
    int64_t webhook;
    const char *event, *event_id, *domain, *body;
    int64_t party;   /* the party the event is about, 0: none */
    const char *now; /* created_at and next_at */
};
/* Inserts a pending delivery when the subscription exists; *id 0 when it does not. */
enum xrm_rc xrm_whd_insert(struct xrm_db *db, const struct xrm_whd_row *r, int64_t *id,
                           struct xrm_err *err);

/* Deliveries left `sending` become pending, due at now; *n how many. */
enum xrm_rc xrm_whd_requeue(struct xrm_db *db, const char *now, int64_t *n, struct xrm_err *err);

/* A claimed delivery with what sending it needs (malloc'd strings; xrm_whd_claim_free). */
struct xrm_whd_claim {
    int64_t id, attempts, webhook;
    char *event, *event_id, *body, *created_at, *url, *secret;
};
void xrm_whd_claim_free(struct xrm_whd_claim *c);

/*
 * Claims the first due delivery (pending, next_at <= now, of an enabled
 * subscription): sending, attempts + 1. *found false when none is due (or
 * another server claimed it first).
 */
enum xrm_rc xrm_whd_claim(struct xrm_db *db, const char *now, struct xrm_whd_claim *c, bool *found,
                          struct xrm_err *err);

/* The outcome of a claimed delivery: status delivered|pending|dead. */
struct xrm_whd_outcome {
    int64_t id;
    const char *status, *next_at, *last_error, *delivered_at;
    long last_status; /* 0: none (no answer) */
};
enum xrm_rc xrm_whd_finish(struct xrm_db *db, const struct xrm_whd_outcome *o, struct xrm_err *err);

/* The earliest next_at of a pending delivery of an enabled subscription ("" when none). */
enum xrm_rc xrm_whd_next_due(struct xrm_db *db, char *out, size_t n, struct xrm_err *err);

/* A page of webhook's deliveries, newest first (id < before when before > 0). */
enum xrm_rc xrm_whd_list(struct xrm_db *db, int64_t webhook, const char *status, int64_t before,
                         int limit, json_t **out, struct xrm_err *err);

/* Delivery id of webhook; XRM_E_NOTFOUND. */
enum xrm_rc xrm_whd_get(struct xrm_db *db, int64_t webhook, int64_t id, json_t **out,
                        struct xrm_err *err);

/* Delivery id (or every dead one when id is 0) pending again, due now; *n how many. */
enum xrm_rc xrm_whd_replay(struct xrm_db *db, int64_t webhook, int64_t id, const char *now,
                           int64_t *n, struct xrm_err *err);

/* Delivered and dead deliveries created before `before` go; *n how many. */
enum xrm_rc xrm_whd_prune(struct xrm_db *db, const char *before, int64_t *n, struct xrm_err *err);

/* The active user id (name, admin flag, access levels) into u; *found false when absent/disabled.
 */
enum xrm_rc xrm_whd_owner(struct xrm_db *db, int64_t id, struct xrm_user *u, bool *found,
                          struct xrm_err *err);

#endif
