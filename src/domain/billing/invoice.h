/*
 * Invoices and credit notes (facturen, creditnota's); domain sales (read
 * sees, write changes).
 *
 * invoice JSON: {id, kind (invoice | credit_note), number (null on a
 * draft; "2026-0001"), party, party_name, deal, quote, credit_of,
 * credit_of_number, date (null on a draft until issued), due, status
 * (draft | open | paid | overdue | credited; overdue is derived when read:
 * open with due before today), currency, lines, totals (vat.h), paid,
 * credited, open (gross - paid - credited), note, seller, buyer (snapshots
 * taken at issue; null on a draft), payments ([{id, amount, date, note}] on
 * a single invoice, null in lists), issued_at, issued_by, reminder_level,
 * created_by, version, created_at, updated_at}.
 *
 * Created from scratch, from an accepted quote ({quote: id}: its party,
 * deal and lines) or from a deal ({deal: id} without lines: one line with
 * the deal's title and amount at 21%). Only a draft is changed or deleted
 * (409 code "issued" otherwise). Issuing gives the number from the
 * gapless sequence of its kind and year in the same write, takes the
 * snapshots, the due date (the customer role's payment_terms_days, else
 * the company's payment_days) and gives the party's customer role a
 * debtor_number at its first invoice (a party without a customer role gets
 * an active one).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_INVOICE_H
#define XRM_DOMAIN_INVOICE_H

#include <jansson.h>
#include <stddef.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_invoice_kind;

xrm_record_create_t xrm_invoice_create;
xrm_record_get_t xrm_invoice_get;
xrm_record_update_t xrm_invoice_update;
xrm_record_delete_t xrm_invoice_delete;

/* Filters of xrm_invoice_list; zero / NULL do not filter. */
struct xrm_invoice_filter {
    int64_t party;
    const char *status; /* overdue: open ones past due */
    const char *kind;
    int year;
};
/* {"items", "next"}, newest first; XRM_E_DENIED without sales read access. */
enum xrm_rc xrm_invoice_list(struct xrm_ctx *ctx, const struct xrm_invoice_filter *f, int limit,
                             const char *cursor, json_t **out, struct xrm_err *err);

/*
 * POST /invoices/{id}/issue, in {date?} (may be NULL). Refused (422, field
 * errors) without the company's legal_name, kvk, vat, iban and address
 * ("company.<key>"), without lines, with reverse-charged lines for a buyer
 * without a BTW-id ("buyer.vat"), for a buyer without an address
 * ("buyer.address").
 */
enum xrm_rc xrm_invoice_issue(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                              struct xrm_err *err);
/*
 * POST /invoices/{id}/credit, in {lines?} (may be NULL): a credit note of
 * the given lines (line objects, or indexes into the invoice's lines;
 * default all), issued at once; a credit of the whole open amount makes
 * the invoice credited. *out the credit note.
 */
enum xrm_rc xrm_invoice_credit(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                               struct xrm_err *err);
/*
 * POST /invoices/{id}/payments {amount (> 0, <= open), date (not in the
 * future), note?}: open -> paid when nothing is left open. *out the invoice.
 */
enum xrm_rc xrm_invoice_pay(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                            struct xrm_err *err);

/*
 * The document of an invoice (or, kind "quote", a quote) for the PDF, the
 * UBL and the accountant's export: the record's JSON with seller and buyer
 * filled (the snapshots when issued / sent, else the current settings and
 * party), and the logo's bytes (*logo malloc'd or NULL, caller frees;
 * *logo_type static or NULL). Read access as for a GET. logo may be NULL.
 */
enum xrm_rc xrm_invoice_document(struct xrm_ctx *ctx, int64_t id, json_t **doc_out,
                                 unsigned char **logo, size_t *logo_len, const char **logo_type,
                                 struct xrm_err *err);
enum xrm_rc xrm_quote_document(struct xrm_ctx *ctx, int64_t id, json_t **doc_out,
                               unsigned char **logo, size_t *logo_len, const char **logo_type,
                               struct xrm_err *err);

/* Inside a write (demo data), as user. out may be NULL. */
enum xrm_rc xrm_invoice_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                  json_t **out, struct xrm_err *err);
enum xrm_rc xrm_invoice_issue_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                 const char *date, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_invoice_pay_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *in, struct xrm_err *err);
enum xrm_rc xrm_invoice_credit_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                  json_t *in, const char *date, json_t **out, struct xrm_err *err);

/* The invoice as API JSON on db (status derived, payments), no access check. */
enum xrm_rc xrm_invoice_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

#endif
