/*
 * The seam between retention.c (the rules and the daily run) and
 * retention-db.c (the SQL on retention_rules and roles). Private to those
 * two files. Out parameters are the caller's to free.
 */
#ifndef XRM_DOMAIN_RETENTION_DB_H
#define XRM_DOMAIN_RETENTION_DB_H

#include <jansson.h>
#include <stdint.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_ret_db_rules(struct xrm_db *db, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_ret_db_rule(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_ret_db_rule_set(struct xrm_db *db, json_t *rule, struct xrm_err *err);
enum xrm_rc xrm_ret_db_roles(struct xrm_db *db, int64_t after, int64_t last, json_t **out,
                             struct xrm_err *err);
enum xrm_rc xrm_ret_db_last_party(struct xrm_db *db, int64_t *out, struct xrm_err *err);
enum xrm_rc xrm_ret_db_open_roles(struct xrm_db *db, int64_t party, const char *domain,
                                  const char *today, int64_t *n, struct xrm_err *err);

#endif
