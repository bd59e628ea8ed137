/*
 * Quotes (offertes): a party's priced offer, optionally for a deal; domain
 * sales (read sees, write changes).
 *
 * quote JSON: {id, number ("OFF-2026-0001", given at creation), party,
 * party_name, deal, date, valid_until, status (draft | sent | accepted |
 * declined | expired: a sent quote past valid_until, derived when read),
 * currency, lines, totals (vat.h; computed by the server on every write),
 * note, seller, buyer (snapshots taken when sent; null on a draft),
 * sent_at, accepted_at, accepted_by (a user's name or "customer"), owner,
 * created_by, version, created_at, updated_at}.
 *
 * Only a draft is changed or deleted (409 code "not_draft" otherwise).
 * Sending takes the snapshots and makes the accept link; accepting (in the
 * app or by the link) wins the quote's deal in the same write.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_QUOTE_H
#define XRM_DOMAIN_QUOTE_H

#include <jansson.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_quote_kind;

xrm_record_create_t xrm_quote_create;
xrm_record_get_t xrm_quote_get;
xrm_record_update_t xrm_quote_update;
xrm_record_delete_t xrm_quote_delete;

/* Filters of xrm_quote_list; zero / NULL do not filter. */
struct xrm_quote_filter {
    int64_t party;
    int64_t deal;
    const char *status; /* expired: sent ones past valid_until */
};
/* {"items", "next"}, newest first; XRM_E_DENIED without sales read access. */
enum xrm_rc xrm_quote_list(struct xrm_ctx *ctx, const struct xrm_quote_filter *f, int limit,
                           const char *cursor, json_t **out, struct xrm_err *err);

/*
 * POST /quotes/{id}/send: draft -> sent with the snapshots; *out the quote
 * plus "accept_url" ("/accept/<token>"), answered this once (only the
 * token's hash is stored).
 */
xrm_record_get_t xrm_quote_send;
/* POST /quotes/{id}/accept (sales write): sent -> accepted; the deal is won. */
xrm_record_get_t xrm_quote_accept;
/* POST /quotes/{id}/decline (sales write): sent -> declined. */
xrm_record_get_t xrm_quote_decline;

/*
 * The public page of an accept link (no login): {number, date,
 * valid_until, status, currency, seller: {name}, buyer: {name}, lines,
 * totals}. An unknown token: XRM_E_NOTFOUND.
 */
enum xrm_rc xrm_quote_public_get(struct xrm_ctx *ctx, const char *token, json_t **out,
                                 struct xrm_err *err);
/*
 * The customer accepts by the link: as xrm_quote_accept, accepted_by
 * "customer". Unknown token XRM_E_NOTFOUND; already accepted or declined
 * XRM_E_CONFLICT (code "used"); past valid_until XRM_E_NOTFOUND with code
 * "expired" (answered 410).
 */
enum xrm_rc xrm_quote_public_accept(struct xrm_ctx *ctx, const char *token, json_t **out,
                                    struct xrm_err *err);

/* Inside a write (demo data), as user: create, and the moves send / accept / decline. */
enum xrm_rc xrm_quote_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                json_t **out, struct xrm_err *err);
enum xrm_rc xrm_quote_move_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                              const char *to, json_t **out, struct xrm_err *err);

/* The quote as API JSON on db (status derived), no access check. */
enum xrm_rc xrm_quote_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

#endif
