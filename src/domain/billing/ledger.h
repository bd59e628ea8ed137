/*
 * Billing: the ledger of issued invoices, as the accountant, the debtors
 * list, the party page and the dashboard read it. All of it needs sales
 * read (XRM_E_DENIED otherwise): invoices are sales records.
 *
 * Amounts are integer cents. An invoice's open amount is gross - paid -
 * the gross of the issued credit notes that refer to it; collection costs
 * charged after a reminder (reminder.h) are shown beside it, not in it.
 *
 * Journal (CSV for Dutch Excel, io/csv.h): one row per issued invoice and
 * credit note whose date is in the period ("2026", "2026-Q4", "2026-11",
 * core/period.h), by date: number;date;kind;debtor_number;customer;
 * customer_vat;net;then per VAT rate present in the period base_R (and
 * vat_R for 21 and 9), in the order 21, 9, 0, exempt, reverse_charge;
 * gross. Credit notes are negative. Customer, debtor number and BTW-id come
 * from the buyer snapshot taken at issue.
 *
 * Debtors: {"today", "items": [{"party", "party_name", "debtor_number",
 * "count", "open", "not_due", "days_0_30", "days_31_60", "days_61_90",
 * "days_over_90", "oldest_due", "collection_costs"}], "totals": {the same
 * amounts over all}}: open invoices per party, the ageing buckets by days
 * past the due date (not_due: not yet due), largest open amount first.
 *
 * Open items of a party: {"party", "items": [{"id", "number", "date",
 * "due", "currency", "gross", "paid", "credited", "open", "status" ("open"
 * | "overdue"), "days_overdue", "reminder_level", "collection_costs"}],
 * "open"}.
 *
 * Revenue: {"months": [{"month": "YYYY-MM", "invoiced", "credited", "net",
 * "count"}], "net"}: net invoiced per month (credit notes subtracted) over
 * the last `months` months up to and including this one, oldest first.
 *
 * Ownership: *out new references; b is the caller's.
 */
#ifndef XRM_DOMAIN_BILLING_LEDGER_H
#define XRM_DOMAIN_BILLING_LEDGER_H

#include <jansson.h>

#include "core/buf.h"
#include "domain/base/ctx.h"

#define XRM_REVENUE_MONTHS_MAX 60

/* Whether u may read invoices (sales read); XRM_E_DENIED with a message otherwise. */
enum xrm_rc xrm_ledger_read_check(const struct xrm_user *u, struct xrm_err *err);

/* The journal of period as CSV into b; a bad period is a field error "period". */
enum xrm_rc xrm_ledger_journal_csv(struct xrm_ctx *ctx, const char *period, struct xrm_buf *b,
                                   struct xrm_err *err);

/*
 * The accountant's ZIP of period into b: journal.csv, debtors.csv (the
 * debtors list today) and one <number>.xml (UBL 2.1 / EN 16931, io/ubl.h)
 * per issued invoice and credit note of the journal.
 */
enum xrm_rc xrm_ledger_export_zip(struct xrm_ctx *ctx, const char *period, struct xrm_buf *b,
                                  struct xrm_err *err);

enum xrm_rc xrm_ledger_debtors(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/* GET /parties/{id}/open-items: the open invoices of party id (404 when no such party). */
xrm_record_get_t xrm_ledger_open_items;

/* Revenue of the last months (1..XRM_REVENUE_MONTHS_MAX) months. */
enum xrm_rc xrm_ledger_revenue(struct xrm_ctx *ctx, int months, json_t **out, struct xrm_err *err);

#endif
