/*
 * SQL of quotes (quote.h): the description of the kind and the accept
 * token's lookup. quote.c validates; these trust their arguments.
 */
#ifndef XRM_DOMAIN_QUOTE_DB_H
#define XRM_DOMAIN_QUOTE_DB_H

#include <jansson.h>

#include "store/store.h"

/* Stores the hash (hex SHA-256) of quote id's accept token. */
enum xrm_rc xrm_quote_db_set_token(struct xrm_db *db, int64_t id, const char *hash,
                                   struct xrm_err *err);
/* *id the quote whose token hash is hash, 0 when none. */
enum xrm_rc xrm_quote_db_by_token(struct xrm_db *db, const char *hash, int64_t *id,
                                  struct xrm_err *err);

#endif
