/*
 * The company settings of the seller: legal name, address, KvK, BTW-id,
 * IBAN, BIC, contact, payment term, number formats, e-mail footer and the
 * logo. Any signed-in user reads them; administrators change them.
 *
 * JSON: {legal_name, street, house_number, postcode, city, country (ISO
 * 3166 alpha-2, default "NL"), kvk, vat, iban, bic, email, phone,
 * payment_days (default 30), quote_number_format (default
 * "OFF-{YYYY}-{NNNN}"), invoice_number_format ("{YYYY}-{NNNN}"),
 * credit_number_format ("C{YYYY}-{NNNN}"), email_footer, has_logo,
 * logo_type, version}. Unset text fields are null.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_COMPANY_H
#define XRM_DOMAIN_COMPANY_H

#include <jansson.h>
#include <stddef.h>

#include "domain/base/ctx.h"

#define XRM_LOGO_MAX (1024 * 1024)

/* GET /settings/company. */
enum xrm_rc xrm_company_get(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/*
 * PUT /settings/company: the whole settings (absent keys take their
 * defaults), checked (KvK, BTW-id, IBAN, Dutch postcode, e-mail, number
 * formats); admin only; if_version 0 or the stored version.
 */
enum xrm_rc xrm_company_put(struct xrm_ctx *ctx, int64_t if_version, json_t *in, json_t **out,
                            struct xrm_err *err);

/*
 * PUT /settings/company/logo: bytes of a PNG (by its magic bytes) or an SVG
 * (an <svg> root element); type the Content-Type sent. More than
 * XRM_LOGO_MAX bytes: XRM_E_LIMIT; another type: XRM_E_INVALID with code
 * "unsupported_media_type". Admin only. *out: the settings.
 */
enum xrm_rc xrm_company_logo_put(struct xrm_ctx *ctx, const char *type, const char *data,
                                 size_t len, json_t **out, struct xrm_err *err);
/* DELETE /settings/company/logo (admin). */
enum xrm_rc xrm_company_logo_delete(struct xrm_ctx *ctx, struct xrm_err *err);
/*
 * The logo's bytes (*data malloc'd, caller frees) and its type (a static
 * string); XRM_E_NOTFOUND when there is none.
 */
enum xrm_rc xrm_company_logo_get(struct xrm_ctx *ctx, unsigned char **data, size_t *len,
                                 const char **type, struct xrm_err *err);

/* On db (inside a transaction or a read): the settings as GET shows them. */
enum xrm_rc xrm_company_load(struct xrm_db *db, json_t **out, struct xrm_err *err);

/* The seller snapshot of settings: {legal_name, street, ..., email, phone}. New reference. */
json_t *xrm_company_seller(json_t *settings);

/*
 * Inside a write (demo data): stores settings in as xrm_company_put does, as
 * the system.
 */
enum xrm_rc xrm_company_put_tx(struct xrm_db *db, json_t *in, struct xrm_err *err);

#endif
