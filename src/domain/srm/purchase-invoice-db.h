/*
 * The SQL of purchase invoices (purchase-invoice.c validates; these trust
 * their arguments). The descriptor's own columns are party, status and
 * match_by; what the upload read from the file is written once, by
 * xrm_purchase_invoice_db_insert, with the original XML and its SHA-256,
 * and is never selected by the generic load and list (the XML may be
 * megabytes): xrm_purchase_invoice_db_xml reads it.
 *
 * Ownership: *out new references; *xml malloc'd.
 */
#ifndef XRM_DOMAIN_PURCHASE_INVOICE_DB_H
#define XRM_DOMAIN_PURCHASE_INVOICE_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/base/ctx.h"

/* The id of the purchase invoice with this SHA-256 (hex), 0 when none. */
enum xrm_rc xrm_purchase_invoice_db_by_sha(struct xrm_db *db, const char *sha, int64_t *id,
                                           struct xrm_err *err);
/* A party (not archived) with column vat / kvk = value, suppliers first; 0 when none. */
enum xrm_rc xrm_purchase_invoice_db_match(struct xrm_db *db, bool by_vat, const char *value,
                                          int64_t *party, struct xrm_err *err);
/*
 * Inserts the parsed invoice inv (io/ubl.h's shape) with party (0: none),
 * match, the XML and its SHA-256; *id the new id.
 */
enum xrm_rc xrm_purchase_invoice_db_insert(struct xrm_db *db, json_t *inv, int64_t party,
                                           const char *match, const char *xml, size_t len,
                                           const char *sha, int64_t created_by, const char *now,
                                           int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_purchase_invoice_db_xml(struct xrm_db *db, int64_t id, char **xml, size_t *len,
                                        struct xrm_err *err);

#endif
