/*
 * Employment history (HR): every change of job title, department, hours,
 * contract type and salary as a dated record, and the Dutch chain rule
 * (ketenregeling) for fixed-term employment contracts.
 *
 * A record {"id", "party", "effective" (date), "job_title", "department"
 * (id), "department_name", "hours_per_week", "contract_type", "salary"
 * (cents; only for hr=full, the key is absent otherwise), "note",
 * "planned" (effective after today), "created_at"} holds the values that
 * changed on its date; null is "not part of this change". Records come
 * from two places:
 *   - the employee role: its creation (the whole contract, dated its
 *     start_date, else the role's since, else today) and every change of
 *     one of the five attributes (dated today), told by the role listener
 *     xrm_employment_role_changed (domain/hooks.c);
 *   - a dated entry (POST /parties/{id}/employment), past or future.
 * A planned change applies on its date at read time: "current" is every
 * record up to today folded in date order (later dates win per field).
 * The role's attributes are what was last written to the role.
 *
 * Access: hr=read sees the history (salary lines dropped, salary keys
 * absent), hr=full also the salary; an entry needs hr=write (and hr=full
 * when it carries a salary). Without hr read: XRM_E_DENIED.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_EMPLOYMENT_H
#define XRM_DOMAIN_EMPLOYMENT_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* {"items": [records, oldest first], "current": {job_title, department, department_name,
 * hours_per_week, contract_type, salary?}} of party. */
enum xrm_rc xrm_employment_list(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                struct xrm_err *err);

/*
 * A dated entry {effective, job_title?, department?, hours_per_week?,
 * contract_type?, salary?, note?} for party, which needs an employee role;
 * *out the stored record.
 */
enum xrm_rc xrm_employment_add(struct xrm_ctx *ctx, int64_t party, json_t *in, json_t **out,
                               struct xrm_err *err);

/* The role listener (domain/party/role.h): records the employee role's changes. */
enum xrm_rc xrm_employment_role_changed(struct xrm_db *db, const struct xrm_user *user,
                                        json_t *before, json_t *after, struct xrm_err *err);

/*
 * The chain rule for a new agreement a (as stored): when it is a
 * fixed-term employment contract (kind employment_contract, domain hr, an
 * end date) and, with the party's earlier fixed-term contracts whose gaps
 * are at most 6 months, it is the 4th or later in the chain or the chain
 * passes 3 years, *warnings gets [{"code": "chain_fourth_contract" |
 * "chain_three_years", "message"}] (in the thread's language); else NULL.
 */
enum xrm_rc xrm_employment_chain_warnings(struct xrm_db *db, json_t *a, json_t **warnings,
                                          struct xrm_err *err);

#endif
