/*
 * Suppliers (SRM): evaluations, the rating they give, preferred suppliers
 * per category and the scorecard. Domain purchasing: read sees, write adds.
 *
 * supplier evaluation JSON: {"id", "party", "party_name", "period" (a month
 * "2026-11" or a quarter "2026-Q4"), "quality", "delivery", "price",
 * "communication" (each 1-5), "note", "created_by", "version",
 * "created_at", "updated_at"}. Only a party with a supplier role is
 * evaluated.
 *
 * The rating: after every evaluation written, changed or deleted, the
 * supplier role's `rating` attribute becomes the mean of every score of the
 * evaluations whose period lies (at least partly) in the last 12 months,
 * this month included, rounded half up (no such evaluation: no rating); each
 * change of it adds a row to the rating history. Months come from the
 * business clock (core/clock.h, XRM_NOW).
 *
 * Preferred suppliers: at most one supplier per category is preferred. A
 * role write that makes a second supplier of a category preferred is
 * refused (409 on attributes.preferred, naming the preferred one): the user
 * unsets the old one first, so nothing changes behind their back.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_SUPPLIER_H
#define XRM_DOMAIN_SUPPLIER_H

#include <jansson.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_supplier_evaluation_kind;

enum xrm_rc xrm_supplier_evaluation_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                           struct xrm_err *err);
enum xrm_rc xrm_supplier_evaluation_get(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                        struct xrm_err *err);
enum xrm_rc xrm_supplier_evaluation_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                           json_t *patch, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_supplier_evaluation_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                           struct xrm_err *err);
/* {"items", "next": null}: the party's evaluations, newest period first (at most 500). */
enum xrm_rc xrm_supplier_evaluation_list(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                         struct xrm_err *err);

/* Inside a write transaction (demo data): an evaluation as user. out may be NULL. */
enum xrm_rc xrm_supplier_evaluation_insert_tx(struct xrm_db *db, const struct xrm_user *user,
                                              json_t *in, json_t **out, struct xrm_err *err);

/*
 * GET /parties/{id}/scorecard (purchasing read; 404 otherwise and for a
 * party without a supplier role): {"party": {id, name}, "rating",
 * "category", "preferred", "window": {from, to} (months), "averages":
 * {quality, delivery, price, communication, overall} (one decimal; null
 * without evaluations), "history" (rating changes, oldest first),
 * "evaluations" (newest first, at most 50), "contracts" (the party's
 * supplier agreements in purchasing, "expiring" when active and ending
 * within 90 days), "flags": [{code "supplier_customer", rule, notes}] when
 * the built-in rule "Supplier customer" treats the party (offsetting and
 * conflict of interest)}.
 */
enum xrm_rc xrm_supplier_scorecard(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                   struct xrm_err *err);

/*
 * After a merge or its undo (domain/merge/ calls it inside its write):
 * party's rating computed again from the evaluations it holds now (the
 * last 12 months), with a row in its rating history when it changed.
 * Written as the system (the rating is derived data; the merge checked the
 * user's access to what moved). Nothing for a party without a supplier role.
 */
enum xrm_rc xrm_supplier_rerate_tx(struct xrm_db *db, int64_t party, struct xrm_err *err);

/*
 * The role listener (party/role.h; added by domain/hooks.c): refuses a
 * second preferred supplier in a category.
 */
enum xrm_rc xrm_supplier_role_changed(struct xrm_db *db, const struct xrm_user *user,
                                      json_t *before, json_t *after, struct xrm_err *err);

#endif
