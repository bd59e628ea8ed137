/*
 * Purchase invoices (purchasing): a supplier's UBL e-invoice uploaded as it
 * came, read by io/ubl.h, stored with the original XML and matched to the
 * supplier. Domain purchasing: read lists and sees them, write uploads and
 * changes them.
 *
 * purchase invoice JSON: {"id", "party" (the supplier's party id or null),
 * "party_name", "match" ("vat": the party's BTW-id is the invoice's
 * supplier VAT id; "kvk": its KvK number; "manual": linked by a user;
 * "none": not matched), "kind" ("invoice" | "credit_note"), "number",
 * "supplier_name", "supplier_vat", "supplier_kvk", "date", "due",
 * "currency", "lines" ([{description, quantity, unit, unit_price, vat,
 * net}]), "totals" ({net, vat: [{rate, base, amount}], gross}), "net",
 * "vat_total", "gross" (cents), "status" ("received" | "approved" |
 * "paid"), "created_by", "version", "created_at", "updated_at"}.
 *
 * Matching, in this order: a party (not archived) whose BTW-id is the
 * supplier's VAT id (normalised), else one whose KvK number is the
 * supplier's; parties with a supplier role first, then the oldest.
 * The same file twice (same SHA-256) is refused: XRM_E_CONFLICT.
 *
 * Ownership: *out new references; inputs borrowed; *xml malloc'd (free).
 */
#ifndef XRM_DOMAIN_PURCHASE_INVOICE_H
#define XRM_DOMAIN_PURCHASE_INVOICE_H

#include <jansson.h>
#include <stddef.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_purchase_invoice_kind;

/* Reads the UBL file xml (len bytes) and stores it; *out the stored purchase invoice. */
enum xrm_rc xrm_purchase_invoice_upload(struct xrm_ctx *ctx, const char *xml, size_t len,
                                        json_t **out, struct xrm_err *err);
/* As xrm_purchase_invoice_upload inside the caller's write transaction (demo data). */
enum xrm_rc xrm_purchase_invoice_upload_tx(struct xrm_db *db, const struct xrm_user *user,
                                           const char *xml, size_t len, json_t **out,
                                           struct xrm_err *err);

xrm_record_get_t xrm_purchase_invoice_get;
/* PATCH: {"status"?, "party"? (a party id, or null to unlink)}. */
xrm_record_update_t xrm_purchase_invoice_update;

/*
 * {"items", "next"}: newest first, at most limit (1-500) after the cursor
 * (an id as text, or NULL), filtered by party (0: any) and status (NULL: any).
 */
enum xrm_rc xrm_purchase_invoice_list(struct xrm_ctx *ctx, int64_t party, const char *status,
                                      int limit, const char *cursor, json_t **out,
                                      struct xrm_err *err);

/* The original XML of id (purchasing read): *xml malloc'd, *len its length. */
enum xrm_rc xrm_purchase_invoice_xml(struct xrm_ctx *ctx, int64_t id, char **xml, size_t *len,
                                     struct xrm_err *err);

#endif
