/*
 * Press releases and neighbour letters: activities of type press_release or
 * letter (domain pr) with an `embargo` time and a `segment` of recipients
 * (activity.h; who sees them before the embargo: domain/base/access.h).
 *
 * Sending (POST /activities/{id}/send, pr write): once the embargo has
 * passed (the business clock, core/clock.h), every member of the segment
 * whose may_email is true gets the release logged on their timeline (an
 * activity of the same type, domain pr, subject and time of sending, with
 * that party only); the others are skipped with reason "may_email". Each
 * recipient's outcome is kept (press_sends), and the release's `sent_at`
 * is the time of sending. Each of them that has an e-mail address also
 * gets the release by mail (the press_release template, queued in the
 * outbox in the same write, recorded against that log activity) through
 * the mail hook below; the recipients can still be exported for a mail
 * merge (CSV), for letters on paper. A release is sent once.
 *
 * Recipient JSON: {"party", "name", "status" (pending | sent | skipped),
 * "reason" (null | "may_email"), "at" (null until sent)}.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_PRESS_H
#define XRM_DOMAIN_PRESS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "core/buf.h"

/* The most recipients a release is sent to. */
#define XRM_PRESS_RECIPIENTS_MAX 5000

/*
 * e-mail sending: the mail of a release to one recipient, called inside the
 * send write for each recipient that gets it (log_activity: the release's
 * log on the party's timeline); *queued false when the party has no
 * address. after_commit runs once after a send that queued mail (wakes the
 * outbox worker). Set by domain/hooks.c (pr may not call mail); sending
 * fails (XRM_E_INTERNAL) while it is not set.
 */
typedef enum xrm_rc (*xrm_press_mail_fn)(struct xrm_db *db, const struct xrm_user *user,
                                         json_t *release, int64_t party, int64_t log_activity,
                                         bool *queued, struct xrm_err *err);
void xrm_press_mail_set(xrm_press_mail_fn fn, void (*after_commit)(void));

/* {"sent", "skipped", "at"}. */
enum xrm_rc xrm_press_send(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * {"items": [recipient], "next": null, "sent", "skipped", "pending"}: after
 * sending, the outcome per recipient; before, who would get it (pending)
 * and who would be skipped.
 */
enum xrm_rc xrm_press_recipients(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                 struct xrm_err *err);

/*
 * The recipients as a CSV file for a mail merge (Dutch Excel: UTF-8 with
 * BOM, ';'): name, email, street, house_number, postcode, city, status,
 * reason; out is initialised here, the caller releases it.
 */
enum xrm_rc xrm_press_recipients_csv(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *out,
                                     struct xrm_err *err);

#endif
