/*
 * Import mapping: what a column of an imported CSV file, a vCard or an
 * NDJSON line means for a party. Each record becomes a party object as
 * POST /api/v1/parties takes it (with "roles"), so an imported row is
 * checked exactly as a party typed in by hand.
 *
 * Target fields of a column (the contract's list): kind, name, given_name,
 * family_prefix, family_name, organization, email, email_work, email_home,
 * phone, mobile, phone_work, phone_home, street, house_number, postcode,
 * city, country, kvk, vat, iban, website, tags, role, note, external_id,
 * uid, birthday, custom.NAME, and "" (ignored). Headers of Google
 * Contacts, Outlook, Dutch spreadsheets and xrm's own exports (English and
 * Dutch) are mapped without being told.
 *
 * Where what has no party field of its own is kept:
 *   organization (the company of a person)  custom.organization
 *   note, birthday                         custom.note, custom.birthday
 *   vCard X- properties                    custom["X-NAME"]
 *   vCard PHOTO                            custom.photo as a data: URI (or
 *                                          the URI given), when it is at most
 *                                          XRM_IMPORT_PHOTO_MAX bytes encoded;
 *                                          a larger one is left out (custom
 *                                          fields are capped at 16 KB)
 *   uid                                    "uid" of the object: read-only for
 *                                          the party, used to match
 *
 * Ownership: returned objects are new references the caller releases.
 */
#ifndef XRM_DOMAIN_EXCHANGE_IMPORT_MAP_H
#define XRM_DOMAIN_EXCHANGE_IMPORT_MAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define XRM_IMPORT_PHOTO_MAX 12000

/* The field a header maps to without a mapping, or NULL (not known). */
const char *xrm_import_field_for_header(const char *header);

/* True when field is a mapping target ("" included). */
bool xrm_import_field_valid(const char *field);

/* The role type name of a role label ("klant" -> "customer"); NULL for "". */
const char *xrm_import_role_type(const char *label);

struct xrm_import_map;

/*
 * The mapping of a CSV file from its header row: mapping (may be NULL) is
 * {"Header": "field", ...} and wins over the automatic one; an unknown
 * target field is XRM_E_INVALID naming the header. Freed with
 * xrm_import_map_free (NULL is a no-op).
 */
enum xrm_rc xrm_import_map_new(const char *const *headers, size_t n, json_t *mapping,
                               struct xrm_import_map **out, struct xrm_err *err);
void xrm_import_map_free(struct xrm_import_map *m);

/* [{"header", "field" (or null)}] in column order; new reference. */
json_t *xrm_import_map_columns(const struct xrm_import_map *m);

/*
 * One data row as a party object (new reference). Never fails: what cannot
 * be read is passed on as it is, for the party checks to refuse with their
 * own field names. A row with no value at all gives NULL (a blank row).
 */
json_t *xrm_import_map_row(const struct xrm_import_map *m, const char *const *fields, size_t n);

/* A card of src/io/vcard.h's neutral shape as a party object (new reference). */
json_t *xrm_import_from_vcard(json_t *card);

#endif
