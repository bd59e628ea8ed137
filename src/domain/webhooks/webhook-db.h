/*
 * SQL of webhook subscriptions (webhook.h).
 * Ownership: inputs borrowed; *out malloc'd or new references as said.
 */
#ifndef XRM_DOMAIN_WEBHOOKS_WEBHOOK_DB_H
#define XRM_DOMAIN_WEBHOOKS_WEBHOOK_DB_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* The enabled subscriptions: [{"id", "owner", "events": [..], "domains": [..]}] by id. */
enum xrm_rc xrm_webhook_db_enabled(struct xrm_db *db, json_t **out, struct xrm_err *err);

/* The stored secret of id (malloc'd) or NULL when there is no such subscription. */
enum xrm_rc xrm_webhook_db_secret(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err);

/* The number of subscriptions. */
enum xrm_rc xrm_webhook_db_count(struct xrm_db *db, int64_t *n, struct xrm_err *err);

#endif
