/*
 * Agreements: dated contracts with a party in any domain.
 *
 * agreement JSON: {"id", "party", "party_name", "kind", "domain", "title",
 * "start", "end" (null: open-ended), "notice_days", "notice_by" (end -
 * notice_days), "value" (integer cents or null), "currency", "auto_renew",
 * "renew_months", "owner", "notes", "status" ("upcoming" | "active" |
 * "ended", as of today), "ends_in_days" (null when open-ended),
 * "created_by", "version", "created_at", "updated_at", "warnings" (null
 * but in the answer to a create that the chain rule warns about)}.
 *
 * Kinds and the domain each defaults to: customer_contract (sales),
 * employment_contract (hr), partner_agreement (partners),
 * supplier_contract (purchasing), nda and other (sales; give "domain" for
 * another). "Today" comes from core/clock.h.
 *
 * Auto-renewing agreements roll into their next term (end + renew_months)
 * once their end date has passed, when automations run
 * (xrm_agreement_renew_due).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_AGREEMENT_H
#define XRM_DOMAIN_AGREEMENT_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The description of an agreement: fields, table, JSON Schema (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_agreement_kind;

/* The plain operations of agreements (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_agreement_ops;

/* Filters of xrm_agreement_list; zero / NULL fields do not filter. */
struct xrm_agreement_filter {
    int64_t party;
    const char *kind;
    const char *domain;
    const char *status; /* upcoming | active | ended */
    int expiring;       /* > 0: active agreements ending within N days, soonest first */
};

/* {"items", "next"}: newest first, or soonest end first with expiring. */
enum xrm_rc xrm_agreement_list(struct xrm_ctx *ctx, const struct xrm_agreement_filter *f, int limit,
                               const char *cursor, json_t **out, struct xrm_err *err);

enum xrm_rc xrm_agreement_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Active agreements ending within days of today (end between today and
 * today + days), soonest first, at most limit: an array of agreements.
 * Optional kind / domain filters (NULL: any).
 */
enum xrm_rc xrm_agreement_ending(struct xrm_db *db, int days, const char *kind, const char *domain,
                                 int limit, json_t **out, struct xrm_err *err);

/*
 * HR: warnings on a new agreement (the chain rule of fixed-term employment
 * contracts, domain/hr/employment.h), set by domain/hooks.c: fn gets the
 * stored agreement (with "id") inside the create's write and sets
 * *warnings to an array (new reference) or leaves it NULL. An agreement
 * created through xrm_record_op_create (POST /agreements) answers them
 * as "warnings".
 */
typedef enum xrm_rc (*xrm_agreement_warnings_fn)(struct xrm_db *db, json_t *a, json_t **warnings,
                                                 struct xrm_err *err);
void xrm_agreement_warnings_set(xrm_agreement_warnings_fn fn);

/* Rolls every auto-renewing agreement whose end has passed into its next term; *n renewed. */
enum xrm_rc xrm_agreement_renew_due(struct xrm_ctx *ctx, int *n, struct xrm_err *err);

#endif
