/*
 * SQL of mailboxes (mailbox.c, mailbox-imap.c). Strings given back are
 * malloc'd (the caller frees; the password wiped first).
 */
#ifndef XRM_DOMAIN_MAIL_MAILBOX_DB_H
#define XRM_DOMAIN_MAIL_MAILBOX_DB_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* What a poll needs of a mailbox. */
struct xrm_mailbox_conn {
    int64_t id;
    char *domain, *imap_url, *username, *password, *folder, *bcc_address;
    int64_t last_uid, uidvalidity;
    int enabled;
};
void xrm_mailbox_conn_release(struct xrm_mailbox_conn *c);

/* The stored password of mailbox id into *out (NULL when none). */
enum xrm_rc xrm_mailbox_db_password(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err);
/* Mailbox id's connection data; XRM_E_NOTFOUND "no mailbox ID". */
enum xrm_rc xrm_mailbox_db_conn(struct xrm_db *db, int64_t id, struct xrm_mailbox_conn *out,
                                struct xrm_err *err);
/* The ids of enabled mailboxes with an imap_url, as a JSON array. */
enum xrm_rc xrm_mailbox_db_pollable(struct xrm_db *db, json_t **out, struct xrm_err *err);
/* Remembers where a poll is: last_uid, uidvalidity. */
enum xrm_rc xrm_mailbox_db_progress(struct xrm_db *db, int64_t id, int64_t last_uid,
                                    int64_t uidvalidity, struct xrm_err *err);
/* last_poll = now, last_error = error (NULL: none). */
enum xrm_rc xrm_mailbox_db_polled(struct xrm_db *db, int64_t id, const char *now, const char *error,
                                  struct xrm_err *err);

#endif
