/*
 * SQL of invoices and credit notes (invoice.h): the description of the
 * kind, the columns the generic update never writes (year, seq, paid), and
 * payments. invoice.c validates; these trust their arguments.
 */
#ifndef XRM_DOMAIN_INVOICE_DB_H
#define XRM_DOMAIN_INVOICE_DB_H

#include <jansson.h>

#include "store/store.h"

/* Sets the year and sequence number an issued invoice got. */
enum xrm_rc xrm_invoice_db_set_seq(struct xrm_db *db, int64_t id, int year, int64_t seq,
                                   struct xrm_err *err);
/* Adds a payment and raises the invoice's paid amount by it; *id the payment's id. */
enum xrm_rc xrm_invoice_db_pay(struct xrm_db *db, int64_t invoice, int64_t amount, const char *date,
                               const char *note, int64_t user, const char *now, int64_t *id,
                               struct xrm_err *err);
/* [{id, amount, date, note}] of the invoice, oldest first. */
enum xrm_rc xrm_invoice_db_payments(struct xrm_db *db, int64_t invoice, json_t **out,
                                    struct xrm_err *err);

#endif
