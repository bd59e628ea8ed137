/*
 * SQL of duplicates (internal to duplicate.c). Rows are handed to callbacks
 * while the statement runs; their strings live until the callback returns.
 */
#ifndef XRM_DOMAIN_PARTY_DUPLICATE_DB_H
#define XRM_DOMAIN_PARTY_DUPLICATE_DB_H

#include <stdint.h>

#include "domain/base/ctx.h"

struct xrm_sql;
/* Appends the condition "party alias is a candidate for user" (see duplicate-db.c). */
void xrm_dup_db_visible(struct xrm_sql *q, const char *alias, const struct xrm_user *user);

/*
 * The not archived parties holding key kind = value (kind "uid": the party
 * of that uid), visible to user (NULL: every party), by id, at most limit.
 */
typedef void (*xrm_dup_row_fn)(void *arg, int64_t id, const char *name);
enum xrm_rc xrm_dup_db_lookup(struct xrm_db *db, const struct xrm_user *user, const char *kind,
                              const char *value, int limit, xrm_dup_row_fn fn, void *arg,
                              struct xrm_err *err);

/*
 * Every key of kind that two or more visible, not archived parties hold
 * (value, party id), in value then id order.
 */
typedef void (*xrm_dup_key_fn)(void *arg, const char *value, int64_t id);
enum xrm_rc xrm_dup_db_shared(struct xrm_db *db, const struct xrm_user *user, const char *kind,
                              xrm_dup_key_fn fn, void *arg, struct xrm_err *err);

/* The name of party id (*name NULL when absent; caller frees). */
enum xrm_rc xrm_dup_db_name(struct xrm_db *db, int64_t id, char **name, struct xrm_err *err);

#endif
