/*
 * SQL of the company settings (company.h): the one row of company_settings.
 */
#ifndef XRM_DOMAIN_COMPANY_DB_H
#define XRM_DOMAIN_COMPANY_DB_H

#include <jansson.h>

#include "store/store.h"

/*
 * *out {data (object), logo_type, has_logo, version} or NULL when the row
 * does not exist yet.
 */
enum xrm_rc xrm_company_db_load(struct xrm_db *db, json_t **out, struct xrm_err *err);
/* Writes data (object), version + 1 (1 on first write). */
enum xrm_rc xrm_company_db_save(struct xrm_db *db, json_t *data, const char *now,
                                struct xrm_err *err);
/* Sets (logo_b64 NULL: clears) the logo. */
enum xrm_rc xrm_company_db_logo(struct xrm_db *db, const char *logo_b64, const char *type,
                                const char *now, struct xrm_err *err);
/* *b64 (malloc'd) and *type (malloc'd), NULL when none. */
enum xrm_rc xrm_company_db_logo_get(struct xrm_db *db, char **b64, char **type,
                                    struct xrm_err *err);

#endif
