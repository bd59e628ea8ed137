/*
 * SQL of mail received (inbound.c): duplicates, threading, matching
 * addresses to parties and users, mail_messages rows and the review list.
 * JSON given back is a new reference; strings are borrowed.
 */
#ifndef XRM_DOMAIN_MAIL_INBOUND_DB_H
#define XRM_DOMAIN_MAIL_INBOUND_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* *seen: message_id was received in domain before (stored or in review), or sent by xrm. */
enum xrm_rc xrm_inbound_db_seen(struct xrm_db *db, const char *message_id, const char *domain,
                                bool *seen, struct xrm_err *err);
/* The case a mail of ours with message_id is about (0: none). */
enum xrm_rc xrm_inbound_db_case_of(struct xrm_db *db, const char *message_id, int64_t *case_id,
                                   struct xrm_err *err);
/* Appends the ids of the (not archived) parties with e-mail key to arr, without repeats. */
enum xrm_rc xrm_inbound_db_parties(struct xrm_db *db, const char *key, json_t *arr,
                                   struct xrm_err *err);
/* The enabled user whose login name is addr (case-insensitive): *id (0: none). */
enum xrm_rc xrm_inbound_db_user(struct xrm_db *db, const char *addr, int64_t *id,
                                struct xrm_err *err);

struct xrm_inbound_row {
    const char *message_id, *direction, *entity, *in_reply_to, *from_addr, *to_addrs, *subject, *at;
    int64_t activity_id, entity_id, mailbox_id;
};
enum xrm_rc xrm_inbound_db_message_add(struct xrm_db *db, const struct xrm_inbound_row *r,
                                       struct xrm_err *err);

struct xrm_review_row {
    int64_t mailbox_id;
    const char *domain, *message_id, *from_addr, *from_name, *subject, *text, *raw, *received_at;
};
enum xrm_rc xrm_inbound_db_review_add(struct xrm_db *db, const struct xrm_review_row *r,
                                      int64_t *id, struct xrm_err *err);
/*
 * One review row: {id, mailbox, domain, from, from_name, subject, text,
 * received_at, status, activity} plus "raw" when with_raw; XRM_E_NOTFOUND.
 */
enum xrm_rc xrm_inbound_db_review_get(struct xrm_db *db, int64_t id, bool with_raw, json_t **out,
                                      struct xrm_err *err);
/* Rows of status in the domains given (NULL entries match nothing), newest first. */
enum xrm_rc xrm_inbound_db_review_list(struct xrm_db *db, const char *status,
                                       const char *const domains[5], int limit, json_t **out,
                                       struct xrm_err *err);
/* Decides a row still in review (status assigned | discarded); *done false when it was not. */
enum xrm_rc xrm_inbound_db_review_decide(struct xrm_db *db, int64_t id, const char *status,
                                         int64_t activity_id, int64_t user, const char *now,
                                         bool *done, struct xrm_err *err);

#endif
