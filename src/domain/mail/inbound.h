/*
 * Mail received: one message delivered into a domain, and the review list
 * of mail from unknown senders.
 *
 * Delivering one raw RFC 5322 message (io/mail-in.h parses it) in one
 * write:
 *   1. a Message-ID already received in the domain (or sent by xrm, or in
 *      review) is ignored: {"duplicate": true}; so an IMAP re-poll or a
 *      second `xrm mail deliver` never stores twice;
 *   2. threading: when In-Reply-To or References name a mail of ours about
 *      a case (mail_messages.entity "case"), the mail becomes a message on
 *      that case (an `email` activity in the case's domain on the case's
 *      party, linked "message") and a resolved, closed or waiting case is
 *      reopened (status open, through the case's record ops);
 *   3. a user's own outgoing mail: delivered to the mailbox's bcc_address
 *      (Delivered-To, X-Original-To, Envelope-To, To or Cc), or From a user
 *      of xrm (From equals a login name): logged on the parties of the To
 *      and Cc addresses, created by that user when known (direction out);
 *   4. else the parties whose e-mail address is the From address (archived
 *      parties left out): one `email` activity in the mailbox's domain on
 *      all of them (direction in);
 *   5. no party: the mail goes to the review list (mail_review), where a
 *      writer of the domain assigns it to a party (then it is stored as in
 *      4) or discards it.
 * Every stored mail gets its mail_messages row (message_id, direction,
 * activity, entity, from, to, subject, mailbox) and its attachments become
 * documents on the activity (domain/docs/document.h, as the system).
 *
 * Ownership: *out values are new references; inputs are borrowed.
 */
#ifndef XRM_DOMAIN_MAIL_INBOUND_H
#define XRM_DOMAIN_MAIL_INBOUND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/*
 * Delivers raw[0..len) into domain as user (NULL: the system; else user
 * must be an administrator or a writer of domain), for mailbox (0: none;
 * else its domain and bcc_address count, and domain may be NULL). In a
 * write of its own on st. *out: {"activity": id | null, "review": id |
 * null, "parties": [ids], "case": id | null, "duplicate": bool,
 * "message_id"}. Bad input: XRM_E_MALFORMED (not a mail message) or
 * XRM_E_LIMIT (larger than 25 MB), with code "bad_message" / "too_large".
 */
enum xrm_rc xrm_mail_deliver(struct xrm_store *st, const struct xrm_user *user, const char *domain,
                             int64_t mailbox, const void *raw, size_t len, json_t **out,
                             struct xrm_err *err);

/*
 * GET /mail-review?status=: {"items": [{id, mailbox, domain, from,
 * from_name, subject, text, received_at, status, activity}]}, newest first,
 * of the domains the reader may write (status default "review").
 */
enum xrm_rc xrm_mail_review_list(struct xrm_ctx *ctx, const char *status, json_t **out,
                                 struct xrm_err *err);
/* POST /mail-review/{id}/assign {party}: stores the mail on party: {"activity": id}. */
enum xrm_rc xrm_mail_review_assign(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                   struct xrm_err *err);
/* POST /mail-review/{id}/discard: the row after ({id, ..., status "discarded"}). */
enum xrm_rc xrm_mail_review_discard(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                    struct xrm_err *err);

#endif
