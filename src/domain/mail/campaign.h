/*
 * Campaigns: a newsletter or a neighbour letter sent by e-mail to the
 * members of a segment whose may_email is true at the moment of sending
 * (consent, the 3-year customer rule, the non-mailing tag, staff, treatment
 * suppressions: domain/privacy/consent.h, the same value the party page
 * shows its reader), one mail per recipient through the outbox
 * (domain/mail/outbox.h), each with its own unsubscribe link and the
 * List-Unsubscribe / List-Unsubscribe-Post headers of RFC 8058; a one-click
 * unsubscribe withdraws the party's e-mail consent.
 *
 * campaign JSON (a record kind, domain/base/record.h): {"id", "name",
 * "segment" (id), "segment_name", "subject", "body", "domain" (sales | hr |
 * partners | purchasing | pr), "status" (draft | sending | sent), "report"
 * (null until sent), "sent_at", "created_by", "version", "created_at",
 * "updated_at"}. Reading needs read access to the domain (else 404), writing
 * write access there (403); PATCH and DELETE only while draft (409).
 *
 * report: {"sent" (accepted by the SMTP server), "queued" (still in the
 * outbox), "bounced" (refused for good: the outbox row failed), "skipped",
 * "recipients", "reasons": {"<reason>": n}}, computed when read from the
 * recipients and their outbox rows.
 *
 * Recipient JSON: {"party", "name", "email", "status" (pending | queued |
 * sent | skipped | bounced), "reason" (null or why skipped: no_email, or
 * the consent rule's reason: no_basis, withdrawn, non_mailing, suppressed,
 * staff, erased), "detail" (the consent rule's explanation, or null)}.
 *
 * Subject and body may hold {{salutation}}, {{name}}, {{first_name}},
 * {{company}} (domain/mail/email.h xrm_email_party_vars, in the sender's
 * language), {{email}} and {{unsubscribe_url}}, filled per recipient; a
 * body without {{unsubscribe_url}} gets the link appended.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_CAMPAIGN_H
#define XRM_DOMAIN_CAMPAIGN_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The most members a campaign's segment may have (422 on "segment" above). */
#define XRM_CAMPAIGN_RECIPIENTS_MAX 100000

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_campaign_kind;

/* The plain operations (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_campaign_ops;

/* {"items", "next"}: the campaigns of the domains the reader may read, newest first. */
xrm_record_list_t xrm_campaign_list;

/*
 * GET /campaigns/{id}/recipients: {"items": [recipient], "next", "counts":
 * {"pending", "queued", "sent", "skipped", "bounced"}, "reasons": {...}}.
 * A draft: who would get it now (pending) and who is skipped with the
 * reason; sent: the outcome per recipient. status (NULL: all) filters the
 * items, not the counts; limit 1..500 and cursor page them.
 */
enum xrm_rc xrm_campaign_recipients(struct xrm_ctx *ctx, int64_t id, const char *status, int limit,
                                    const char *cursor, json_t **out, struct xrm_err *err);

/*
 * POST /campaigns/{id}/send: queues one mail per recipient whose may_email
 * is true now and who has an address, records the others as skipped, and
 * marks the campaign sent: {"sent" (mails queued), "skipped", "report"}.
 * Written in batches (XRM_CAMPAIGN_BATCH members, default 1,000), the
 * campaign "sending" in between; on a campaign left "sending" (the process
 * stopped) it resumes with the members that have no row yet. The counts
 * are the whole campaign's. 409 when sent; 422 on "segment" when a draft's
 * is gone, empty or larger than XRM_CAMPAIGN_RECIPIENTS_MAX.
 */
enum xrm_rc xrm_campaign_send(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * The public unsubscribe link (no login). get: {"campaign" (its name),
 * "done" (already unsubscribed)}; post: withdraws the party's e-mail
 * consent (consent.h, audited as the system naming the campaign) once:
 * {"unsubscribed": true}. XRM_E_NOTFOUND for a malformed or unknown token.
 */
enum xrm_rc xrm_campaign_unsubscribe_get(struct xrm_ctx *ctx, const char *token, json_t **out,
                                         struct xrm_err *err);
enum xrm_rc xrm_campaign_unsubscribe(struct xrm_ctx *ctx, const char *token, json_t **out,
                                     struct xrm_err *err);

#endif
