/*
 * The outbox's SQL (outbox.h): mail_outbox and mail_messages rows.
 * Ownership: inputs borrowed; *out new references / malloc'd as said.
 */
#ifndef XRM_DOMAIN_MAIL_OUTBOX_DB_H
#define XRM_DOMAIN_MAIL_OUTBOX_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct xrm_outbox_row {
    const char *message_id, *mail_from, *rcpt, *message;
    int64_t campaign, created_by;
    const char *now; /* created_at and next_at */
};
enum xrm_rc xrm_outbox_db_insert(struct xrm_db *db, const struct xrm_outbox_row *r, int64_t *id,
                                 struct xrm_err *err);

struct xrm_mail_message_row {
    const char *message_id, *direction;
    int64_t activity; /* 0: NULL */
    const char *entity;
    int64_t entity_id;
    const char *in_reply_to, *from_addr, *to_addrs, *subject;
    int64_t outbox, mailbox; /* 0: NULL */
    const char *at;
};
enum xrm_rc xrm_outbox_db_message(struct xrm_db *db, const struct xrm_mail_message_row *r,
                                  struct xrm_err *err);

/* Rows left `sending` become queued, due at now; *n how many. */
enum xrm_rc xrm_outbox_db_requeue(struct xrm_db *db, const char *now, int64_t *n,
                                  struct xrm_err *err);

/* A claimed row (malloc'd strings; xrm_outbox_claim_free). */
struct xrm_outbox_claim {
    int64_t id, attempts;
    char *mail_from, *rcpt, *message;
};
void xrm_outbox_claim_free(struct xrm_outbox_claim *c);

/*
 * Claims the first due row (queued, next_at <= now): status sending,
 * attempts + 1. *found false when none is due (or another claimed it first).
 */
enum xrm_rc xrm_outbox_db_claim(struct xrm_db *db, const char *now, struct xrm_outbox_claim *c,
                                bool *found, struct xrm_err *err);

/* The outcome of a claimed row: status sent|queued|failed. */
enum xrm_rc xrm_outbox_db_finish(struct xrm_db *db, int64_t id, const char *status,
                                 const char *next_at, const char *last_error, const char *sent_at,
                                 struct xrm_err *err);

/* The earliest next_at of a queued row into out ("" when none). */
enum xrm_rc xrm_outbox_db_next_due(struct xrm_db *db, char *out, size_t n, struct xrm_err *err);

/* A page of rows, newest first (id < before when before > 0). */
enum xrm_rc xrm_outbox_db_list(struct xrm_db *db, const char *status, int64_t before, int limit,
                               json_t **out, struct xrm_err *err);

/* A failed or queued row due at now, attempts kept; XRM_E_NOTFOUND / XRM_E_CONFLICT (sent). */
enum xrm_rc xrm_outbox_db_retry(struct xrm_db *db, int64_t id, const char *now, json_t **out,
                                struct xrm_err *err);

/* The newest outgoing or incoming Message-ID about entity:id into out ("" when none). */
enum xrm_rc xrm_outbox_db_last_message(struct xrm_db *db, const char *entity, int64_t entity_id,
                                       char *out, size_t n, struct xrm_err *err);

#endif
