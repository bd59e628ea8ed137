/*
 * SQL of reminders (see reminder.h): the reminders of an invoice with their
 * letter, a new one, and the invoice's raised level and costs.
 *
 * Ownership: *out new references.
 */
#ifndef XRM_DOMAIN_BILLING_REMINDER_DB_H
#define XRM_DOMAIN_BILLING_REMINDER_DB_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* The reminders of invoice, oldest first, as reminder.h's JSON. */
enum xrm_rc xrm_reminder_db_list(struct xrm_db *db, int64_t invoice, json_t **out,
                                 struct xrm_err *err);

/* Inserts rec {invoice, level, kind, date, pay_by, costs, activity}; *id the new row's. */
enum xrm_rc xrm_reminder_db_insert(struct xrm_db *db, json_t *rec, int64_t user, const char *now,
                                   int64_t *id, struct xrm_err *err);

/* One reminder by id. */
enum xrm_rc xrm_reminder_db_get(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * The invoice after a reminder: reminder_level = level, last_reminder =
 * date, collection_costs + add_costs, version + 1.
 */
enum xrm_rc xrm_reminder_db_raise(struct xrm_db *db, int64_t invoice, int64_t level,
                                  const char *date, int64_t add_costs, const char *now,
                                  struct xrm_err *err);

#endif
