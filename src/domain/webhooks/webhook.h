/*
 * Webhook subscriptions: an administrator asks xrm to POST each change of
 * some kinds of record (events) in some domains to a URL, signed with a
 * secret. A record kind (domain/base/record.h) on administrators' routes:
 *
 * webhook JSON: {"id", "url" (http:// or https://, at most 2048 bytes),
 * "events" (names of xrm_webhook_events, or ["*"]: all), "domains" (of
 * xrm_domains; []: every domain the owner may read), "secret" (request
 * only: write-only, never in an answer but the create's that generated
 * it), "secret_set", "enabled", "description", "owner" ({id, name}: the
 * administrator who made it; the bodies are the records as this user may
 * see them, narrowed to "domains"), "version", "created_at", "updated_at",
 * "stats" ({delivered, pending, failed}: deliveries per outcome; pending
 * counts those being sent, failed the dead ones)}.
 *
 * The secret is stored as given (signing needs it, so it cannot be hashed). A create without one
 * gets 32 random bytes as 64 hex digits (libsodium), answered once as "secret" in the create's
 * answer. The HMAC key is the secret's bytes as text.
 *
 * The enabled subscriptions are kept in memory (xrm_webhooks_matching), so
 * a write that no subscription wants costs no statement: the list is read
 * again after a subscription changes in this process, and at least every
 * minute (a subscription changed by another process or server).
 *
 * Ownership: *out values are new references; inputs are borrowed.
 */
#ifndef XRM_DOMAIN_WEBHOOKS_WEBHOOK_H
#define XRM_DOMAIN_WEBHOOKS_WEBHOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

#define XRM_WEBHOOK_URL_MAX 2048
#define XRM_WEBHOOK_SECRET_MIN 16
#define XRM_WEBHOOK_SECRET_MAX 256
#define XRM_WEBHOOKS_MAX 100 /* subscriptions per database */

struct xrm_record_kind;
struct xrm_record_ops;
extern const struct xrm_record_kind xrm_webhook_kind;
extern const struct xrm_record_ops xrm_webhook_ops;

/* The event names a subscription may ask for (NULL-terminated): "party.created", ... */
extern const char *const xrm_webhook_events[];

/* The subscriptions, newest first (administrators): {"items", "next"}. */
xrm_record_list_t xrm_webhook_list;

/* One enabled subscription as the outbox needs it. */
struct xrm_webhook_sub {
    int64_t id;
    int64_t owner;    /* user id; 0: none (the owner was removed) */
    unsigned domains; /* bit i: xrm_domains[i]; 0: every domain the owner may read */
};

/*
 * The enabled subscriptions that want event in domain (NULL: an event of
 * no domain, e.g. a party's), copied into *out (malloc'd, *n of them; NULL
 * when none). Reads the list on db when the memory copy is stale (db may
 * be a writer inside its transaction).
 */
enum xrm_rc xrm_webhooks_matching(struct xrm_db *db, const char *event, const char *domain,
                                  struct xrm_webhook_sub **out, size_t *n, struct xrm_err *err);

/* The memory copy of the subscriptions is stale (a subscription changed). */
void xrm_webhooks_changed(void);

/*
 * The signing secret of subscription id (malloc'd, wipe with xrm_wipe
 * before free); XRM_E_NOTFOUND when there is none.
 */
enum xrm_rc xrm_webhook_secret(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err);

#endif
