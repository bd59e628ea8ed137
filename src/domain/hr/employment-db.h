/*
 * SQL of employment records (employment-db.c) and the party's fixed-term
 * employment contracts the chain rule reads.
 */
#ifndef XRM_DOMAIN_EMPLOYMENT_DB_H
#define XRM_DOMAIN_EMPLOYMENT_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/*
 * Inserts rec {"party", "effective", "job_title", "department",
 * "hours_per_week", "contract_type", "salary", "note"} (absent or null
 * keys: NULL); entry: it was entered as a dated change. *id the new id.
 */
enum xrm_rc xrm_emp_db_insert(struct xrm_db *db, json_t *rec, bool entry, int64_t created_by,
                              int64_t *id, struct xrm_err *err);
/* The records of party (id 0: all) or the one record id, oldest first, as employment.h
 * shapes them (with salary, without "planned"). */
enum xrm_rc xrm_emp_db_list(struct xrm_db *db, int64_t party, int64_t id, json_t **out,
                            struct xrm_err *err);
/* The party's hr employment contracts with an end date: [{"id", "start", "end"}] by start. */
enum xrm_rc xrm_emp_db_fixed_terms(struct xrm_db *db, int64_t party, json_t **out,
                                   struct xrm_err *err);

#endif
