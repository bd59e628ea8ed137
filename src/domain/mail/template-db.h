/*
 * SQL of e-mail templates (template.h): the descriptor (generic SQL of
 * record-db.c) and the key + language lookup.
 */
#ifndef XRM_DOMAIN_MAIL_TEMPLATE_DB_H
#define XRM_DOMAIN_MAIL_TEMPLATE_DB_H

#include <jansson.h>

#include "store/store.h"

/* The id of another template (not except_id) with key and lang, or 0. */
enum xrm_rc xrm_mail_template_db_taken(struct xrm_db *db, const char *key, const char *lang,
                                       int64_t except_id, int64_t *id, struct xrm_err *err);

#endif
