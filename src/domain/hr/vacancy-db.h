/*
 * The description of a vacancy (domain/base/record.h) and the SQL of
 * recruitment: the applicants of a vacancy (employee roles whose attribute
 * `vacancy` names it, found through the role_attrs index) and whether a
 * department exists.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_HR_VACANCY_DB_H
#define XRM_DOMAIN_HR_VACANCY_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/record.h"

extern const struct xrm_record_kind xrm_vacancy_kind;
extern const char *const xrm_vacancy_statuses[]; /* open, closed, filled */

/*
 * The employee roles of parties that are not archived whose vacancy is id:
 * [{"role", "party", "party_name", "status", "since", "until",
 *   "attributes", "version", "emails", "phones"}], oldest application first.
 */
enum xrm_rc xrm_vac_db_applicants(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/* *found: whether department id exists. */
enum xrm_rc xrm_vac_db_department(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err);

/* *found: whether vacancy id exists. */
enum xrm_rc xrm_vac_db_exists(struct xrm_db *db, int64_t id, bool *found, struct xrm_err *err);

/* A page of vacancies (status NULL: any), open ones first, then newest first. */
enum xrm_rc xrm_vac_db_list(struct xrm_db *db, const char *status, json_t **out,
                            struct xrm_err *err);

#endif
