/*
 * SQL seam of automation.c (private to automation.c and automation-db.c):
 * the automations table (described by xrm_automation_kind: a record goes in
 * as {"name", "trigger", "actions", "enabled"}), the once-per-occurrence ledger automation_fired,
 * and the scans that find occurrences of the time-based triggers.
 */
#ifndef XRM_DOMAIN_AUTOMATION_DB_H
#define XRM_DOMAIN_AUTOMATION_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/record.h"
#include "domain/records/automation.h"

/* Every automation (enabled_only: the enabled ones), by id; new array. */
enum xrm_rc xrm_auto_db_all(struct xrm_db *db, bool enabled_only, json_t **out,
                            struct xrm_err *err);

/* *found: whether a stage with this id, a role type with this name, exist. */
enum xrm_rc xrm_auto_db_stage_exists(struct xrm_db *db, int64_t id, bool *found,
                                     struct xrm_err *err);
enum xrm_rc xrm_auto_db_role_type_exists(struct xrm_db *db, const char *name, bool *found,
                                         struct xrm_err *err);

/* Whether the occurrence is in the ledger already. */
enum xrm_rc xrm_auto_db_fired(struct xrm_db *db, int64_t automation, const char *subject_type,
                              int64_t subject_id, const char *occurrence, bool *fired,
                              struct xrm_err *err);
/*
 * Records the occurrence (inside the transaction doing its actions); *claimed
 * is false when it was recorded already, by this or another process.
 */
enum xrm_rc xrm_auto_db_claim(struct xrm_db *db, int64_t automation, const char *subject_type,
                              int64_t subject_id, const char *occurrence, const char *at,
                              bool *claimed, struct xrm_err *err);

/*
 * Deals whose current stage is the trigger's (stage name, case-insensitive,
 * or stage_id), entered at or after `since`: [[deal id, history id], ...].
 * deal_id 0: all deals.
 */
enum xrm_rc xrm_auto_db_deals_in_stage(struct xrm_db *db, const char *stage_name, int64_t stage_id,
                                       int64_t pipeline, int64_t deal_id, const char *since,
                                       json_t **out, struct xrm_err *err);

/*
 * Active customers (not archived) with no activity after cutoff up to now:
 * [[party id, first customer-role start date, last activity time or null],
 * ...].
 */
enum xrm_rc xrm_auto_db_idle_customers(struct xrm_db *db, const char *today, const char *now,
                                       const char *cutoff, json_t **out, struct xrm_err *err);

/* Unresolved cases past their SLA: [[case id, sla_due], ...]. */
enum xrm_rc xrm_auto_db_breached_cases(struct xrm_db *db, const char *now, json_t **out,
                                       struct xrm_err *err);

/*
 * Roles of type whose since (started) or until (ended) date is in [from,
 * to]: [[role id, party id, date], ...].
 */
enum xrm_rc xrm_auto_db_roles_dated(struct xrm_db *db, const char *type, bool ended,
                                    const char *from, const char *to, json_t **out,
                                    struct xrm_err *err);

#endif
