/*
 * The SQL of the Poortwachter steps table and of the tasks a sick report
 * made (poortwachter-db.c). Tasks are linked to their absence in
 * record_activities (entity "absence", kind "poortwachter").
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_POORTWACHTER_DB_H
#define XRM_DOMAIN_POORTWACHTER_DB_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The steps by position: [{"code", "week", "every_weeks", "until_week", "title": {en, nl}}]. */
enum xrm_rc xrm_pw_db_steps(struct xrm_db *db, json_t **out, struct xrm_err *err);

/* Replaces every step with items (validated, in order). */
enum xrm_rc xrm_pw_db_steps_replace(struct xrm_db *db, json_t *items, struct xrm_err *err);

/*
 * The tasks of absence id (kind "poortwachter"), by due date:
 * [{"id", "subject", "due", "done", "assignee"}]; open_only: not done.
 */
enum xrm_rc xrm_pw_db_tasks(struct xrm_db *db, int64_t absence, bool open_only, json_t **out,
                            struct xrm_err *err);

#endif
