/*
 * The buyer of a quote or invoice as its document shows it, taken from the
 * party: {name, kind, street, house_number, postcode, city, country (ISO
 * alpha-2, "NL" when the address has none), kvk, vat, email,
 * debtor_number}: the first address (preferring the label billing /
 * factuur / invoice), the first e-mail, and the customer role's
 * debtor_number. has_address (may be NULL) says whether the party had an
 * address at all.
 */
#ifndef XRM_DOMAIN_BUYER_H
#define XRM_DOMAIN_BUYER_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/* *out a new reference. */
enum xrm_rc xrm_buyer_snapshot(struct xrm_db *db, int64_t party, bool *has_address, json_t **out,
                               struct xrm_err *err);

/*
 * The party's customer role (new reference in *role, NULL when it has
 * none): the role of type customer, an active one first.
 */
enum xrm_rc xrm_buyer_customer_role(struct xrm_db *db, int64_t party, json_t **role,
                                    struct xrm_err *err);

#endif
