/*
 * The description of an agreement and its list SQL (agreement-db.c). An
 * agreement goes in as a validated record {"party", "kind", "domain",
 * "title", "start", "end", "notice_days", "value", "currency",
 * "auto_renew", "renew_months", "owner", "notes"} and comes out as its API
 * JSON with the fields that depend on today null (agreement.c sets them).
 */
#ifndef XRM_DOMAIN_AGREEMENT_DB_H
#define XRM_DOMAIN_AGREEMENT_DB_H

#include <jansson.h>

#include "domain/base/record.h"
#include "domain/records/agreement.h"

/* The kinds of agreement, NULL-terminated, in the order of agreement.c's defaults. */
extern const char *const xrm_agreement_kinds[];

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
