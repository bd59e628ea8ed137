/*
 * SQL of what follows an issued invoice: the invoices as the journal, the
 * debtors, the open items, the overdue scan and the reminders read them,
 * straight from the tables of migration 23 (invoices, invoice_payments,
 * invoice_reminders). Stored status is draft | open | paid | credited;
 * "overdue" is derived: open with due < today.
 *
 * An item is {"id", "kind", "number", "party", "party_name", "date", "due",
 * "currency", "net", "vat_total", "gross", "paid", "credited" (the gross of
 * the issued credit notes that refer to it), "open" (gross - paid -
 * credited, for an invoice; 0 for a credit note), "buyer" (the snapshot,
 * an object or null), "seller" (likewise), "totals" (object), "status"
 * (stored), "reminder_level", "collection_costs", "last_reminder", "task",
 * "created_by", "issued_by", "version"}.
 *
 * Ownership: *out new references.
 */
#ifndef XRM_DOMAIN_BILLING_LEDGER_DB_H
#define XRM_DOMAIN_BILLING_LEDGER_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

#define XRM_LEDGER_ROWS_MAX 100000 /* invoices of one journal or one debtors list */

/* Issued invoices and credit notes with from <= date < to, by date then id: an array of items. */
enum xrm_rc xrm_ledger_db_journal(struct xrm_db *db, const char *from, const char *to, json_t **out,
                                  struct xrm_err *err);

/* Open invoices (stored status open), of party (0: of all), by due date then id. */
enum xrm_rc xrm_ledger_db_open(struct xrm_db *db, int64_t party, json_t **out, struct xrm_err *err);

/* Open invoices with due < today and no overdue task yet (task null), by due date then id. */
enum xrm_rc xrm_ledger_db_overdue_untasked(struct xrm_db *db, const char *today, json_t **out,
                                           struct xrm_err *err);

/* One invoice or credit note as an item; XRM_E_NOTFOUND "no invoice ID" when there is none. */
enum xrm_rc xrm_ledger_db_item(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Net invoiced per month from from (inclusive) to to (exclusive): rows
 * {"month": "YYYY-MM", "kind", "net", "count"} of issued documents.
 */
enum xrm_rc xrm_ledger_db_revenue(struct xrm_db *db, const char *from, const char *to, json_t **out,
                                  struct xrm_err *err);

/* Whether user id exists and is not disabled (an assignee that can act). */
enum xrm_rc xrm_ledger_db_user_active(struct xrm_db *db, int64_t id, bool *active,
                                      struct xrm_err *err);

/* Notes the overdue task of invoice id (invoices.task_id). */
enum xrm_rc xrm_ledger_db_set_task(struct xrm_db *db, int64_t id, int64_t task, const char *now,
                                   struct xrm_err *err);

#endif
