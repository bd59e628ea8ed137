/*
 * E-invoices: UBL 2.1 Invoice and CreditNote following EN 16931 with the
 * Dutch NLCIUS customization (SI-UBL 2.0) and the Peppol BIS 3 profile.
 *
 * The writer turns an issued invoice or credit note (the billing JSON:
 * kind, number, date, due, currency, lines, totals, seller, buyer,
 * credit_of_number, note) into the XML. It copies the totals and the line
 * nets as the billing arithmetic computed them (EN 16931's BR-CO-17 per
 * rate holds for them); it never recomputes a total differently.
 *
 * The reader parses a supplier's UBL Invoice or CreditNote into
 * {kind, number, date, due, currency, supplier: {name, vat, kvk, street,
 * postcode, city, country}, buyer: {...}, lines: [{description, quantity,
 * unit_price, vat, net}], totals: {net, vat: [{rate, base, amount}],
 * gross}} with amounts in cents. Hostile input is refused: no network, no
 * DTD and no entity declarations (a DOCTYPE is an error), libxml2's depth
 * limit, and at most XRM_UBL_MAX_BYTES.
 *
 * Both return 0, or -1 with a message in errmsg (lower-case, English; the
 * HTTP layer translates through the message catalogue).
 * Ownership: xrm_ubl_write appends to out (the caller's buffer);
 * xrm_ubl_read gives *out to the caller (json_decref).
 */
#ifndef XRM_IO_UBL_H
#define XRM_IO_UBL_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

#define XRM_UBL_MAX_BYTES (5 * 1024 * 1024)

#define XRM_UBL_CUSTOMIZATION "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
#define XRM_UBL_PROFILE "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

int xrm_ubl_write(const json_t *invoice, struct xrm_buf *out, char *errmsg, size_t errlen);
int xrm_ubl_read(const char *xml, size_t len, json_t **out, char *errmsg, size_t errlen);

/* The UN/ECE recommendation 20 code of a unit ("uur" -> "HUR"; unknown or NULL -> "C62"). */
const char *xrm_ubl_unit_code(const char *unit);

#endif
