/*
 * Mailboxes: the IMAP mailboxes xrm polls for mail received, one domain
 * each (administrators' routes). A record kind (domain/base/record.h):
 *
 * mailbox JSON: {"id", "name", "domain", "imap_url" (imap://host:port/FOLDER
 * or imaps://), "username", "password" (request only: write-only, never in
 * a response), "has_password", "folder" (default INBOX; a path in imap_url
 * overrides it), "bcc_address" (mail delivered to it is a user's own
 * outgoing mail, logged on the recipients), "enabled", "last_uid",
 * "last_poll", "last_error", "created_by", "version", "created_at",
 * "updated_at"}.
 *
 * The password is stored as given (the IMAP login needs it) in
 * mailboxes.password; only xrm_mailbox_credentials reads it back.
 *
 * Polling (mailbox-imap.c, libcurl): UID SEARCH UID last_uid+1:* (a changed
 * UIDVALIDITY starts over from 1), FETCH each new message by UID
 * (BODY.PEEK[], so nothing is marked read), delivers it
 * (domain/mail/inbound.h: a Message-ID seen before is ignored, so a
 * re-poll never stores twice) and remembers the last UID after each
 * message. A poller thread of `xrm serve` polls every enabled mailbox each
 * XRM_MAIL_POLL_SECONDS (default 60).
 *
 * Ownership: *out values are new references; inputs are borrowed.
 */
#ifndef XRM_DOMAIN_MAIL_MAILBOX_H
#define XRM_DOMAIN_MAIL_MAILBOX_H

#include <jansson.h>
#include <stdint.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
struct xrm_record_ops;
extern const struct xrm_record_kind xrm_mailbox_kind;
extern const struct xrm_record_ops xrm_mailbox_ops;

/* All mailboxes by id (administrators): {"items", "next": null}. */
xrm_record_list_t xrm_mailbox_list;

/*
 * Polls mailbox id now (administrators): {"fetched", "stored", "review",
 * "duplicates"}; an IMAP failure is XRM_E_UNAVAILABLE-like XRM_E_IO with the
 * server's word, and is also kept in last_error.
 */
enum xrm_rc xrm_mailbox_poll(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Polls every enabled mailbox with an imap_url once, as the system (the
 * poller thread and `xrm mail poll`); *out (may be NULL) {"mailboxes",
 * "fetched", "stored", "review", "errors"}.
 */
enum xrm_rc xrm_mailbox_poll_all(struct xrm_store *st, json_t **out, struct xrm_err *err);

/* The poller thread of `xrm serve` (interval from XRM_MAIL_POLL_SECONDS, default 60). */
void xrm_mailbox_poller_start(struct xrm_store *st);
void xrm_mailbox_poller_stop(void);

#endif
