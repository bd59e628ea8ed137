/*
 * The webhooks' durable outbox: one delivery per change and subscription
 * that wants it, written in the same transaction as the change (a
 * rolled-back change sends nothing, a committed one is never lost), and
 * POSTed afterwards by a worker thread of `xrm serve`.
 *
 * Queuing (xrm_webhooks_observe, the audit observer domain/hooks.c sets):
 * every audited change of a party, role, activity, deal, case, agreement or
 * invoice is an event "<entity>.<created|updated|deleted>" (a party's
 * archive and erasure are party.deleted; imports' summaries, merges and
 * other actions are no event). Its domain is the record's ("sales" for
 * deals and invoices; none for a party). For each enabled subscription
 * that wants the event (webhook.h), in its domains or for an event of no
 * domain:
 *   - the reader is the subscription's owner as the users table has them
 *     now, narrowed to the subscription's domains when it names any (the
 *     other domains: no access); a removed or disabled owner gets nothing;
 *   - an event of a domain the reader may not read is not queued;
 *   - the body's data is the record as that reader gets it from the
 *     domain's own get (party, role, activity, deal, case, agreement,
 *     invoice), read on the transaction's connection so the change is
 *     seen; a record the reader may not see is not queued; a deleted
 *     record is {"id": n} (not queued for a recruitment role hidden from
 *     the reader);
 *   - body {"id": event uuid, "type", "at" (now, UTC), "domain" or null,
 *     "data"} is stored as sent, status pending, due now.
 * One event has one uuid for all its subscriptions. A write that no
 * subscription wants costs no statement.
 *
 * The worker (xrm_webhooks_start/stop; woken by xrm_webhooks_kick, else it
 * looks every minute):
 *   - claims one due delivery at a time (pending, next_at <= now, of an
 *     enabled subscription) in a write of its own: sending, attempts + 1;
 *   - POSTs it outside any transaction (io/http-post.h: 10 s, no redirects)
 *     with Content-Type: application/json, User-Agent: xrm-webhooks/1,
 *     X-Xrm-Event, X-Xrm-Delivery (the delivery id), X-Xrm-Event-Id and
 *     X-Xrm-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 with the
 *     secret as key over "<t>.<body>">;
 *   - 2xx: delivered; anything else: pending again after base * 2^(attempts
 *     - 1) seconds (base 30, env XRM_WEBHOOK_RETRY_SECONDS; at most 2 hours
 *     per wait, and never past the retry window), or dead when the window
 *     (24 hours from created_at, env XRM_WEBHOOK_WINDOW_SECONDS) is over;
 *   - delivered and dead deliveries older than 30 days are removed (hourly);
 *     erasing a party removes the deliveries about it (privacy/gdpr-db.c);
 *   - at start, deliveries left `sending` (the process died between the
 *     claim and the outcome) are pending again: such a delivery may arrive
 *     twice, with the same X-Xrm-Event-Id, which receivers deduplicate by.
 * Times (next_at, created_at, delivered_at, "at") are the real clock, not
 * the business clock of tests (XRM_NOW).
 *
 * Webhook URLs may point anywhere the server can reach, 127.0.0.1 and the
 * local network included: only administrators set them.
 *
 * Ownership: inputs borrowed; *out new references.
 */
#ifndef XRM_DOMAIN_WEBHOOKS_OUTBOX_H
#define XRM_DOMAIN_WEBHOOKS_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The audit observer (domain/base/audit.h) that queues deliveries; see above. */
enum xrm_rc xrm_webhooks_observe(struct xrm_db *db, const struct xrm_user *user, const char *action,
                                 const char *entity, int64_t entity_id, json_t *before,
                                 json_t *after, struct xrm_err *err);

/* Starts the worker (no-op when started); stop joins it. */
enum xrm_rc xrm_webhooks_start(struct xrm_store *st, struct xrm_err *err);
void xrm_webhooks_stop(void);
/* Operations (GET /metrics): deliveries pending or being sent. */
enum xrm_rc xrm_webhooks_depth(struct xrm_db *db, int64_t *n, struct xrm_err *err);

/* Wakes the worker; harmless when it is not running. */
void xrm_webhooks_kick(void);

/*
 * GET /api/v1/webhooks/{id}/deliveries?status= (administrators): {"items":
 * [{id, event, event_id, status, attempts, next_at, last_status,
 * last_error, created_at, delivered_at}], "next"}, newest first; status
 * NULL: all (pending also lists those being sent).
 */
enum xrm_rc xrm_webhook_deliveries(struct xrm_ctx *ctx, int64_t webhook, const char *status,
                                   int limit, const char *cursor, json_t **out,
                                   struct xrm_err *err);

/*
 * POST /api/v1/webhooks/{id}/deliveries/{id2}/replay (administrators): the
 * delivery is pending again, due now, attempts 0, its retry window from
 * now; *out the delivery. XRM_E_CONFLICT while it is being sent.
 */
enum xrm_rc xrm_webhook_replay(struct xrm_ctx *ctx, int64_t webhook, int64_t delivery, json_t **out,
                               struct xrm_err *err);

/* POST /api/v1/webhooks/{id}/replay {"status": "dead"}: every dead one as above; {"replayed"}. */
enum xrm_rc xrm_webhook_replay_all(struct xrm_ctx *ctx, int64_t webhook, json_t *in, json_t **out,
                                   struct xrm_err *err);

/*
 * POST /api/v1/webhooks/{id}/test (administrators): a delivery of event
 * "ping" ({"webhook": id} as data) queued now, also for a disabled
 * subscription (sent once it is enabled); *out the delivery.
 */
enum xrm_rc xrm_webhook_test(struct xrm_ctx *ctx, int64_t webhook, json_t **out,
                             struct xrm_err *err);

#endif
