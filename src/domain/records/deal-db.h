/*
 * SQL seam of deal.c (private to deal.c and deal-db.c). A deal goes in as
 * a validated record {"party", "pipeline", "stage", "title", "amount",
 * "currency", "probability" (own or null), "expected_close", "owner",
 * "status", "lost_reason", "closed_at"} and comes out as its API JSON
 * (xrm_deal_kind, deal-db.c: its row hook derives the effective probability).
 */
#ifndef XRM_DOMAIN_DEAL_DB_H
#define XRM_DOMAIN_DEAL_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/record.h"
#include "domain/records/deal.h"

enum xrm_rc xrm_deal_db_history_add(struct xrm_db *db, int64_t deal_id, json_t *from, json_t *to,
                                    int64_t user_id, const char *at, struct xrm_err *err);
enum xrm_rc xrm_deal_db_history(struct xrm_db *db, int64_t deal_id, json_t **out,
                                struct xrm_err *err);
/* Up to n deals matching f with id below before_id (0: from the top), newest first. */
enum xrm_rc xrm_deal_db_list(struct xrm_db *db, const struct xrm_deal_filter *f, int n,
                             int64_t before_id, json_t **out, struct xrm_err *err);
/* Sets a customer role active (since kept, else today), bumping its version. */
enum xrm_rc xrm_deal_db_role_activate(struct xrm_db *db, int64_t role_id, const char *today,
                                      const char *now, struct xrm_err *err);

/* Partners: the partner (an active partner role) whose referred_by link from party_id is
 * current, the newest first, or 0; and whether party_id holds a current partner role. */
enum xrm_rc xrm_deal_db_referrer(struct xrm_db *db, int64_t party_id, const char *today,
                                 int64_t *out, struct xrm_err *err);
enum xrm_rc xrm_deal_db_is_partner(struct xrm_db *db, int64_t party_id, const char *today,
                                   bool *out, struct xrm_err *err);

#endif
