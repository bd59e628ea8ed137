/*
 * The seam between project.c (the rules of projects, stakeholders, the grid
 * and the bulk add) and project-db.c (their descriptors and SQL). Private
 * to those two.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_PROJECT_DB_H
#define XRM_DOMAIN_PROJECT_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/query.h"

/* *found: whether project id exists. */
enum xrm_rc xrm_project_db_exists(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err);

/* The stakeholder id of party in project, or 0. */
enum xrm_rc xrm_project_db_stakeholder_of(struct xrm_db *db, int64_t project, int64_t party,
                                          int64_t *id, struct xrm_err *err);

/* Every stakeholder of project, by party name then id (an array). */
enum xrm_rc xrm_project_db_stakeholders(struct xrm_db *db, int64_t project, json_t **out,
                                        struct xrm_err *err);

/* Appends a stance change (from NULL: the first stance). */
enum xrm_rc xrm_project_db_stance_add(struct xrm_db *db, int64_t stakeholder, int64_t project,
                                      int64_t party, const char *from, const char *to, int64_t user,
                                      const char *at, struct xrm_err *err);

/* The stance history of a stakeholder, oldest first: [{from, to, user, at}]. */
enum xrm_rc xrm_project_db_stances(struct xrm_db *db, int64_t stakeholder, json_t **out,
                                   struct xrm_err *err);

/*
 * The ids of the non-archived parties matching q (checked for its viewer),
 * at most n, lowest id first (an array of integers).
 */
enum xrm_rc xrm_project_db_query_ids(struct xrm_db *db, const struct xrm_query *q, int n,
                                     json_t **out, struct xrm_err *err);

#endif
