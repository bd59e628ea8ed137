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
 * is the time of sending. Until e-mail is sent by the system, the
 * recipients are exported for a mail merge (CSV). A release is sent once.
 *
 * Recipient JSON: {"party", "name", "status" (pending | sent | skipped),
 * "reason" (null | "may_email"), "at" (null until sent)}.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_PRESS_H
#define XRM_DOMAIN_PRESS_H

#include <jansson.h>

#include "domain/base/ctx.h"
#include "core/buf.h"

/* The most recipients a release is sent to. */
#define XRM_PRESS_RECIPIENTS_MAX 5000

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
