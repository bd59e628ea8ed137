/*
 * The durable outbox: every mail xrm sends is queued inside the write that
 * sends it (the same transaction as the action: a rolled-back action sends
 * nothing, a committed one is never lost), as the whole RFC 5322 message
 * built then (io/mail-out.h), and delivered afterwards by the outbox worker,
 * a thread of `xrm serve`, through SMTP (io/smtp.h).
 *
 * Queuing (xrm_mail_queue_tx) writes three things: the mail_outbox row
 * (status queued), the `email` activity on the recipient's timeline (domain,
 * subject, body = the text; linked to a case as a "message" in
 * record_activities when the mail is about a case) and the mail_messages row
 * (direction out, its Message-ID without <>, the activity, the record it is
 * about, the outbox row), by which replies are threaded.
 *
 * The worker (xrm_outbox_start/stop, woken by xrm_outbox_kick after a
 * commit, else it looks every minute):
 * - claims one due row at a time: queued and next_at <= now becomes sending,
 *   attempts + 1, in a write of its own whose UPDATE checks the status, so
 *   two servers on one database never claim one row;
 * - sends it: 2xx -> sent (sent_at); a 5xx answer -> failed (permanent:
 *   last_error keeps the server's answer; a campaign counts it bounced); any
 *   other failure -> queued again with next_at = now + base * 2^(attempts-1)
 *   (base 60 s, env XRM_MAIL_RETRY_SECONDS for tests; capped at 6 hours),
 *   failed after XRM_OUTBOX_MAX_ATTEMPTS;
 * - at start, rows left `sending` (the process died between the claim and
 *   the outcome) are queued again and sent again. That may deliver a mail
 *   twice (when the crash came after the server's 250 and before the row
 *   was marked sent), which is the lesser evil against losing it for good;
 *   the bytes, and so the Message-ID, are the ones stored, unchanged, so a
 *   receiver (and its mail client) recognises the duplicate.
 *   With more than one server on a database, start one at a time (a second
 *   server's start would re-queue the first one's in-flight row: the same
 *   duplicate, never a loss).
 * Without an SMTP URL the worker does not run and mails stay queued
 * (GET /api/v1/outbox shows them).
 *
 * Times in the outbox (next_at, created_at, sent_at) are the real clock,
 * not the business clock of tests (XRM_NOW), so back-off runs out.
 *
 * Ownership: inputs borrowed; *out new references.
 */
#ifndef XRM_DOMAIN_MAIL_OUTBOX_H
#define XRM_DOMAIN_MAIL_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

#define XRM_OUTBOX_MAX_ATTEMPTS 12

struct xrm_mail_attachment {
    const char *name;
    const char *type;
    const void *data;
    size_t len;
};

struct xrm_mail {
    const char *domain;  /* the email activity's domain (sales|hr|partners|purchasing|pr) */
    int64_t party;       /* the recipient party: the activity is on its timeline (0: none) */
    const char *to;      /* the recipient's address */
    const char *to_name; /* display name or NULL */
    const char *subject; /* UTF-8 */
    const char *text;    /* UTF-8 plain text */
    const char *entity;  /* the record the mail is about: "case", "quote", "invoice",
                            "activity" (press release), "campaign", or NULL */
    int64_t entity_id;
    const char *in_reply_to;     /* Message-ID (no <>) this answers, or NULL */
    const char *unsubscribe_url; /* non-NULL: List-Unsubscribe: <url> and
                                    List-Unsubscribe-Post: List-Unsubscribe=One-Click */
    int64_t campaign;            /* campaign id or 0 (mail_outbox.campaign_id) */
    const struct xrm_mail_attachment *att;
    size_t n_att;
    int64_t activity; /* an activity that logs this mail already (a press release's log on the
                         party's timeline): no new email activity; 0: a new one */
};

/*
 * Inside a write. Checks user may write m->domain (user NULL: the system).
 * Builds the message (From = XRM_MAIL_FROM, To, Subject, Date, Message-ID
 * <random@host-of-from>, In-Reply-To/References, text/plain utf-8
 * quoted-printable, attachments base64 in multipart/mixed), inserts
 * mail_outbox (queued), the `email` activity and mail_messages. out may be
 * NULL; else {"outbox": id, "message_id": "...", "activity": id (null when
 * m->party is 0)}. Call xrm_outbox_kick() after the commit (queuing marks
 * the worker; the kick wakes it).
 */
enum xrm_rc xrm_mail_queue_tx(struct xrm_db *db, const struct xrm_user *user,
                              const struct xrm_mail *m, json_t **out, struct xrm_err *err);

/* Mail configuration, set once by `xrm serve` before the worker starts (NULL: unchanged). */
struct xrm_mail_config {
    const char *smtp_url;      /* --smtp / XRM_SMTP_URL; NULL: nothing is sent */
    const char *smtp_user;     /* XRM_SMTP_USER */
    const char *smtp_password; /* XRM_SMTP_PASSWORD */
    const char *from;          /* --mail-from / XRM_MAIL_FROM: "addr" or "Name <addr>" */
    const char *public_url;    /* --public-url / XRM_PUBLIC_URL */
    const char *listen;        /* the listen address, for the default public URL */
    bool tls;                  /* the server speaks HTTPS (--tls-cert): https:// by default */
};
void xrm_mail_configure(const struct xrm_mail_config *c);

/*
 * The public base URL for links in mails (XRM_PUBLIC_URL / --public-url;
 * default http://<listen address>, https:// with TLS), no trailing slash.
 */
const char *xrm_mail_public_url(void);
/*
 * The public base URL only when it was given (--public-url /
 * XRM_PUBLIC_URL), else NULL: links shown in the app (the CardDAV address)
 * then follow the address the browser used.
 */
const char *xrm_public_url_given(void);

/* The sender: XRM_MAIL_FROM as configured (default "xrm@localhost"). */
const char *xrm_mail_from(void);

/* True when an SMTP URL is configured. */
bool xrm_mail_smtp_configured(void);

/* Starts the worker (no-op without an SMTP URL, or when started); stop joins it. */
enum xrm_rc xrm_outbox_start(struct xrm_store *st, struct xrm_err *err);
void xrm_outbox_stop(void);
/* Operations (GET /metrics): mails queued or being sent. */
enum xrm_rc xrm_outbox_depth(struct xrm_db *db, int64_t *n, struct xrm_err *err);

/* Wakes the worker (after a commit that queued mail); harmless when it is not running. */
void xrm_outbox_kick(void);

/*
 * GET /api/v1/outbox?status= (admins): {"items": [{id, message_id, to,
 * subject, status, attempts, next_at, last_error, created_at, sent_at}],
 * "next"} newest first; status NULL: all; the cursor is the last id.
 */
enum xrm_rc xrm_outbox_list(struct xrm_ctx *ctx, const char *status, int limit, const char *cursor,
                            json_t **out, struct xrm_err *err);

/* POST /api/v1/outbox/{id}/retry (admins): a failed or queued row is due now. */
enum xrm_rc xrm_outbox_retry(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/* GET /api/v1/settings/mail (admins): {smtp: bool, from, public_url}. */
enum xrm_rc xrm_mail_settings(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

#endif
