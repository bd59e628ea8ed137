/*
 * The seam between press.c and press-db.c: the members of a query and the
 * outcome of a send per recipient. Private to those two.
 */
#ifndef XRM_DOMAIN_PRESS_DB_H
#define XRM_DOMAIN_PRESS_DB_H

#include <jansson.h>

#include "domain/base/ctx.h"
#include "domain/base/query.h"

/* The non-archived parties matching q: [{party, name}], lowest id first, at most n. */
enum xrm_rc xrm_press_db_members(struct xrm_db *db, const struct xrm_query *q, int n, json_t **out,
                                 struct xrm_err *err);

/* Records a recipient's outcome (status "sent" or "skipped", reason or NULL). */
enum xrm_rc xrm_press_db_add(struct xrm_db *db, int64_t activity, int64_t party, const char *status,
                             const char *reason, const char *at, struct xrm_err *err);

/* The outcomes of a sent release: [{party, name, status, reason, at}], by party name. */
enum xrm_rc xrm_press_db_sends(struct xrm_db *db, int64_t activity, json_t **out,
                               struct xrm_err *err);

#endif
