/*
 * The seam between supplier.c (the rules of evaluations, the rating and the
 * scorecard) and supplier-db.c (the descriptor of an evaluation and the SQL
 * of the rating history and of preferred suppliers). Private to those two.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_SUPPLIER_DB_H
#define XRM_DOMAIN_SUPPLIER_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

/* Every evaluation of party, newest period first (an array of evaluations). */
enum xrm_rc xrm_supplier_db_evaluations(struct xrm_db *db, int64_t party, int limit, json_t **out,
                                        struct xrm_err *err);

/* Appends a rating change of party (from / to: 0 = none) by user (0: the system). */
enum xrm_rc xrm_supplier_db_history_add(struct xrm_db *db, int64_t party, int from, int to,
                                        int evaluations, int64_t user, const char *at,
                                        struct xrm_err *err);

/* The rating history of party, oldest first: [{from, to, evaluations, at}]. */
enum xrm_rc xrm_supplier_db_history(struct xrm_db *db, int64_t party, json_t **out,
                                    struct xrm_err *err);

/*
 * The id of the supplier role of party (0: none) and its attributes (a new
 * reference, or NULL).
 */
enum xrm_rc xrm_supplier_db_role(struct xrm_db *db, int64_t party, int64_t *role_id,
                                 json_t **attributes, struct xrm_err *err);

/*
 * Another party (not party) whose supplier role is preferred in category:
 * its id and name to *other / name (0 and "" when none).
 */
enum xrm_rc xrm_supplier_db_preferred_other(struct xrm_db *db, int64_t party, const char *category,
                                            int64_t *other, char *name, size_t n,
                                            struct xrm_err *err);

#endif
