/*
 * SQL seam of agreement.c (private to agreement.c and agreement-db.c). An
 * agreement goes in as a validated record {"party", "kind", "domain",
 * "title", "start", "end", "notice_days", "value", "currency",
 * "auto_renew", "renew_months", "owner", "notes"} and comes out as its API
 * JSON without the fields that depend on today (agreement.c adds them).
 */
#ifndef XRM_DOMAIN_AGREEMENT_DB_H
#define XRM_DOMAIN_AGREEMENT_DB_H

#include <jansson.h>

#include "domain/records/agreement.h"

enum xrm_rc xrm_agr_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_agr_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                              int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_agr_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                              struct xrm_err *err);
enum xrm_rc xrm_agr_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

/*
 * Up to n agreements matching f as of today, of the domains in dom
 * (XRM_NDOMAINS entries, NULL for a domain left out). Without f->expiring:
 * newest first, id below before_id (0: top). With it: active ones ending by
 * `until`, soonest end first (before_id ignored).
 */
enum xrm_rc xrm_agr_db_list(struct xrm_db *db, const struct xrm_agreement_filter *f,
                            const char *const *dom, const char *today, const char *until, int n,
                            int64_t before_id, json_t **out, struct xrm_err *err);
/* Ids of auto-renewing agreements whose end date is before today. */
enum xrm_rc xrm_agr_db_renew_due(struct xrm_db *db, const char *today, json_t **out,
                                 struct xrm_err *err);

#endif
