/*
 * SQL of departments beyond the generic record SQL (department-db.c): the
 * tree walk, unique names, members, and the rows of the org chart.
 */
#ifndef XRM_DOMAIN_DEPARTMENT_DB_H
#define XRM_DOMAIN_DEPARTMENT_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/* *parent: the parent of id (0 at the top); *found whether id exists. */
enum xrm_rc xrm_dept_db_parent(struct xrm_db *db, int64_t id, int64_t *parent, bool *found,
                               struct xrm_err *err);
/* *other: the id of another department (not except) named name under parent (0: top), or 0. */
enum xrm_rc xrm_dept_db_taken(struct xrm_db *db, int64_t parent, const char *name, int64_t except,
                              int64_t *other, struct xrm_err *err);
/* The number of departments directly under id, and of employee roles (not ended) in it. */
enum xrm_rc xrm_dept_db_usage(struct xrm_db *db, int64_t id, int64_t *children, int64_t *members,
                              struct xrm_err *err);
/* Every department as {"id", "name", "parent", "manager", "manager_name", "cost_centre",
 * "version", "created_at", "updated_at", "members"}, by name. */
enum xrm_rc xrm_dept_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err);
/*
 * The employees of the org chart (employee roles active or on leave, parties
 * not archived): [{"id", "name", "job_title", "department" (text or null),
 * "manager" (text or null)}] by name.
 */
enum xrm_rc xrm_dept_db_staff(struct xrm_db *db, json_t **out, struct xrm_err *err);

#endif
