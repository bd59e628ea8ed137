/*
 * Sending e-mail to parties (POST /api/v1/emails), the template preview
 * and the press-release mail of pr's sending hook. Each mail goes through
 * the outbox (outbox.h) inside one write: every recipient's mail and email
 * activity, or none.
 *
 * POST /api/v1/emails {to: [party ids] (1..100), subject?, body?, domain,
 * template?, record?: "case:12" | "quote:3" | "invoice:4" | "activity:9",
 * lang?: "nl" | "en" (default: the template's language, else the request's)} -> {items: [{party,
 * to, message_id, activity, outbox}], skipped: [{party, reason:
 * "no_email"}]}. subject and body come from the template where absent
 * (one of the two is needed). Write access on the domain (403); every
 * recipient must be a party the sender may read; the record too (404).
 *   case:N      the mail answers the case: In-Reply-To/References its last
 *               mail (sent or received), the activity linked as a message;
 *   quote:N     its PDF attached; a draft quote is sent first (its accept
 *               link goes in {{accept_url}}), a declined one is refused (409);
 *   invoice:N   its PDF attached; a draft (not issued) is refused (409
 *               code "draft");
 *   activity:N  a press release or letter (domain pr): {{title}} and
 *               {{release}} are its subject and text.
 * attachments: up to XRM_EMAIL_ATTACHMENTS_MAX document ids the sender may
 * read (domain/docs/document.h; 422 on "attachments" for one it may not),
 * each attached with its name and type after the record's PDF, at most
 * XRM_EMAIL_ATTACHMENTS_BYTES together (413, code too_large).
 *
 * A placeholder the mail cannot fill (an {{amount}} without an invoice, a
 * typo) is refused (422 on subject or body), as is a sent quote's
 * {{accept_url}} (409: only sending the draft answers its link). The
 * preview leaves such placeholders as written.
 * Placeholders, rendered per recipient:
 *   {{salutation}} "Geachte heer Jansen," / "Geachte mevrouw De Vries," /
 *                  "Beste Jan," (informal) / "Geachte Jan Jansen," (no
 *                  gender known) / "Geachte heer, mevrouw," (an
 *                  organisation); in English "Dear Mr Jansen," / "Dear Ms
 *                  De Vries," / "Dear Jan," / "Dear Jan Jansen," / "Dear Sir
 *                  or Madam,". Gender and the informal form come from the
 *                  party's custom fields `gender` (male|female|m|f|man|vrouw)
 *                  and `informal` (true): the party model has no such fields.
 *   {{name}} {{first_name}} {{company}} (an organisation's own name, a
 *   person's works_at organisation), {{sender}} (the sending user's name),
 *   {{link}} (the record in the app; a quote's accept link), {{number}},
 *   {{title}}, {{amount}} (gross, "€ 1.250,00" / "€1,250.00"), {{due}} (an
 *   invoice's due date, a quote's valid_until, as 15-01-2027 / 2027-01-15),
 *   {{accept_url}}, {{unsubscribe_url}} (campaigns fill it), {{release}}.
 *
 * Ownership: inputs borrowed; *out new references.
 */
#ifndef XRM_DOMAIN_MAIL_EMAIL_H
#define XRM_DOMAIN_MAIL_EMAIL_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_EMAIL_RECIPIENTS_MAX 100
#define XRM_EMAIL_ATTACHMENTS_MAX 10
#define XRM_EMAIL_ATTACHMENTS_BYTES (20 * 1024 * 1024)

/* POST /api/v1/emails. */
xrm_record_create_t xrm_email_send;

/*
 * POST /api/v1/mail-templates/{id}/preview {party, record?, lang?}: the
 * template's {subject, body} rendered for that party (any signed-in user
 * who may read the party and the record).
 */
enum xrm_rc xrm_mail_template_preview(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                      struct xrm_err *err);

/*
 * The placeholders of party p (party JSON) in lang ("nl" | "en") into vars
 * (salutation, name, first_name, company): for campaigns.
 */
void xrm_email_party_vars(json_t *p, const char *lang, json_t *vars);

/*
 * pr's hook (set by domain/hooks.c): inside the press release's send write,
 * one mail of the press_release template (Dutch) to party when it has an
 * e-mail address; log_activity is the release's log on the party's
 * timeline, which the mail is recorded against. *queued says whether one
 * was queued.
 */
enum xrm_rc xrm_email_press_tx(struct xrm_db *db, const struct xrm_user *user, json_t *release,
                               int64_t party, int64_t log_activity, bool *queued,
                               struct xrm_err *err);

#endif
