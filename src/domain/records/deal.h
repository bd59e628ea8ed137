/*
 * Deals: sales opportunities of a party moving through the stages of a
 * pipeline. Domain: sales.
 *
 * deal JSON: {"id", "party", "party_name", "pipeline", "stage", "stage_name",
 * "title", "amount" (integer cents), "currency" (ISO 4217, default EUR),
 * "probability" (effective: the deal's own, else its stage's; won 100,
 * lost 0), "probability_source" ("deal" | "stage"), "expected_close"
 * (date), "owner" (user), "status" ("open" | "won" | "lost"),
 * "lost_reason", "closed_at", "partner" (a party holding a partner role, or
 * null), "partner_name", "partner_source" ("given" | "referral" | null),
 * "created_by", "version", "created_at", "updated_at"}.
 *
 * Partners: left out of a create, the partner is the one who referred the
 * party (referred_by); a user with write access to partners and not to
 * sales may create (register) an open deal that carries a partner.
 *
 * Stage and status move together: a stage of kind won / lost makes the deal
 * won / lost, and a status alone moves the deal to the pipeline's won or
 * lost stage (or, when reopened, its first open stage). Lost needs a
 * lost_reason. Changing the stage drops a deal's own probability unless the
 * same change sets one. Every stage change is kept (who, when, from, to).
 *
 * Winning a deal makes the party's customer role active: an open lead or
 * prospect customer role is activated, else a new active customer role is
 * added. The party's lifetime revenue is the sum of its won deals (see
 * records.h), so it follows won, reopened and changed deals by itself.
 * After a deal enters a stage, the functions registered for that deal event
 * run (automation.c registers its deal_stage triggers).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_DEAL_H
#define XRM_DOMAIN_DEAL_H

#include <jansson.h>

#include "domain/base/ctx.h"
#include "domain/base/record.h"

/* The description of a deal: fields, table, JSON Schema (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_deal_kind;

/* The plain operations of deals (domain/base/record.h): the route table's .ops. */
extern const struct xrm_record_ops xrm_deal_ops;

/* The stage history of a deal, oldest first: {"items": [{"id", "from", "from_name", "to",
 * "to_name", "user", "at"}]}. */
enum xrm_rc xrm_deal_history(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * A note, call, meeting or e-mail about deal id, written by the user: in
 * {"type" (note | call | meeting | email, default note), "subject", "body"?}.
 * The activity is a sales activity of the deal's party, linked to the deal
 * (it shows in GET /deals/{id}/activities with "link": "note"). Needs read
 * access to the deal and write access to sales. *out: the activity.
 */
enum xrm_rc xrm_deal_add_activity(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                  struct xrm_err *err);

/* Filters of xrm_deal_list; zero / NULL fields do not filter. */
struct xrm_deal_filter {
    int64_t party;
    int64_t pipeline;
    int64_t stage;
    int64_t owner;
    const char *status;       /* open | won | lost */
    const char *closed_since; /* won / lost deals closed at or after this time */
};

/* Deals newest first: {"items", "next"}. */
enum xrm_rc xrm_deal_list(struct xrm_ctx *ctx, const struct xrm_deal_filter *f, int limit,
                          const char *cursor, json_t **out, struct xrm_err *err);

/*
 * Inside a write transaction (automation actions), xrm_record_update_in
 * with xrm_deal_ops applies a patch with the same rules as PATCH
 * /deals/{id}; the caller runs stage automations afterwards if it wants
 * them.
 */
/*
 * Deal events. After a deal entered a stage (it was created, or moved) and
 * its write committed, each registered function runs with the deal's id,
 * in the order registered; a failure is logged and the write stands. The
 * answer of the write is the deal as it is after them. Registering the
 * same function again does nothing; at most four.
 */
typedef enum xrm_rc (*xrm_deal_event_fn)(struct xrm_ctx *ctx, int64_t deal_id, struct xrm_err *err);
void xrm_deal_on_stage_entered(xrm_deal_event_fn fn);

/*
 * Partners: listeners told of every deal write inside its transaction, after
 * the row is stored (a failure rolls the write back): before is NULL for a
 * new deal, after NULL for a deleted one; both the deal as API JSON
 * (unfiltered). Added at start-up by domain/hooks.c (commissions); at most 4.
 */
typedef enum xrm_rc (*xrm_deal_listener_fn)(struct xrm_db *db, const struct xrm_user *user,
                                            json_t *before, json_t *after, struct xrm_err *err);
void xrm_deal_listener_add(xrm_deal_listener_fn fn);

/* The deal as API JSON on db. */
enum xrm_rc xrm_deal_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

#endif
