/*
 * SQL of campaigns (campaign-db.c), private to campaign.c. A recipient row
 * crosses this seam as {"id", "party", "name", "email", "status" (queued |
 * sent | bounced | skipped, from the row and its outbox row), "reason",
 * "detail"}.
 */
#ifndef XRM_DOMAIN_CAMPAIGN_DB_H
#define XRM_DOMAIN_CAMPAIGN_DB_H

#include <jansson.h>

#include "store/store.h"

/* Up to n campaigns whose domain is one of dom (xrm_access_readable), newest first. */
enum xrm_rc xrm_campaign_db_list(struct xrm_db *db, const char *const *dom, int n,
                                 int64_t before_id, json_t **out, struct xrm_err *err);

/* One recipient row written at sending (strings borrowed; NULL stores NULL). */
struct xrm_campaign_row {
    int64_t campaign, party;
    const char *email, *status, *reason, *token_hash, *at;
};
enum xrm_rc xrm_campaign_db_add(struct xrm_db *db, const struct xrm_campaign_row *r, int64_t *id,
                                struct xrm_err *err);
enum xrm_rc xrm_campaign_db_set_outbox(struct xrm_db *db, int64_t id, int64_t outbox,
                                       struct xrm_err *err);

/* Whether the campaign has a recipient row for party already. */
enum xrm_rc xrm_campaign_db_has(struct xrm_db *db, int64_t campaign, int64_t party, bool *has,
                                struct xrm_err *err);

/* draft -> sending (the send has begun: rows are written batch by batch); version + 1. */
enum xrm_rc xrm_campaign_db_mark_sending(struct xrm_db *db, int64_t id, const char *now,
                                         struct xrm_err *err);

/* sending -> sent with its report (JSON text) and sent_at = now; version + 1. */
enum xrm_rc xrm_campaign_db_mark_sent(struct xrm_db *db, int64_t id, const char *report,
                                      const char *now, struct xrm_err *err);

/*
 * Up to n recipient rows of the campaign with id above after_id, by id,
 * whose outcome is status (NULL: any; an outcome no stored row has: none).
 */
enum xrm_rc xrm_campaign_db_recipients(struct xrm_db *db, int64_t campaign, const char *status,
                                       int64_t after_id, int n, json_t **out, struct xrm_err *err);

/* [{"status" (outcome), "reason", "n"}]: the rows counted per outcome and reason. */
enum xrm_rc xrm_campaign_db_counts(struct xrm_db *db, int64_t campaign, json_t **out,
                                   struct xrm_err *err);

/*
 * The recipient of an unsubscribe token's SHA-256 (hex): {"id", "campaign",
 * "party", "unsubscribed_at", "campaign_name"}, or *out NULL.
 */
enum xrm_rc xrm_campaign_db_by_token(struct xrm_db *db, const char *hash, json_t **out,
                                     struct xrm_err *err);
enum xrm_rc xrm_campaign_db_unsubscribed(struct xrm_db *db, int64_t id, const char *now,
                                         struct xrm_err *err);

#endif
