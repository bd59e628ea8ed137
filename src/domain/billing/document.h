/*
 * What quotes and invoices share: their lines and totals as a record
 * stores them, the deal they may refer to, and the date rules.
 */
#ifndef XRM_DOMAIN_DOCUMENT_H
#define XRM_DOMAIN_DOCUMENT_H

#include <jansson.h>

#include "store/store.h"

/*
 * The lines of in (or, when absent, of before) checked and computed into
 * rec: "lines", "totals" and the hidden "net_total", "vat_total",
 * "gross_total". Field errors on lines[i].key.
 */
void xrm_doc_lines(json_t *in, json_t *before, json_t *rec, struct xrm_err *err);

/*
 * The deal of in (or before): null, or an existing deal of party, into
 * rec["deal"]; a field error "deal" otherwise.
 */
enum xrm_rc xrm_doc_deal(struct xrm_db *db, json_t *in, json_t *before, int64_t party, json_t *rec,
                         struct xrm_err *err);

/* The party of in (or before) into rec["party"] and *party. */
enum xrm_rc xrm_doc_party(struct xrm_db *db, json_t *in, json_t *before, json_t *rec,
                          int64_t *party, struct xrm_err *err);

/* The year of a date "YYYY-MM-DD". */
int xrm_doc_year(const char *date);

#endif
