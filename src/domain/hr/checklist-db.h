/*
 * The descriptions of a checklist template and a checklist (domain/base/
 * record.h) and the SQL of checklists beyond the generic record SQL: the
 * templates that start by themselves, whether a role has its checklist of a
 * kind, the items of a checklist (its tasks, linked in record_activities as
 * entity "checklist", kind "item.<n>") and the activity of one item.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_HR_CHECKLIST_DB_H
#define XRM_DOMAIN_HR_CHECKLIST_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/record.h"

extern const struct xrm_record_kind xrm_checklist_template_kind;
extern const struct xrm_record_kind xrm_checklist_kind;
extern const char *const xrm_checklist_kinds[]; /* onboarding, offboarding */

/* Ids of the templates of kind that start by themselves (auto_start), lowest first. */
enum xrm_rc xrm_chk_db_auto_templates(struct xrm_db *db, const char *kind, json_t **out,
                                      struct xrm_err *err);

/* *found: whether role_id already has a checklist of kind. */
enum xrm_rc xrm_chk_db_role_has(struct xrm_db *db, int64_t role_id, const char *kind, bool *found,
                                struct xrm_err *err);

/*
 * The items' tasks of checklist id, in item order: an array of
 * [n, activity, subject, due, done, assignee, assignee name, updated_at,
 * done_by (the user of the task's last change), done_by name].
 */
enum xrm_rc xrm_chk_db_items(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/* The task of item n of checklist id; 0 when there is none. */
enum xrm_rc xrm_chk_db_item_activity(struct xrm_db *db, int64_t id, int n, int64_t *activity,
                                     struct xrm_err *err);

/*
 * A page of checklists (newest first, ids below before_id unless 0) and the
 * count of all that match: status "open" (an item's task not done) or
 * "done", kind, party (0: any); NULL / 0 do not filter.
 */
enum xrm_rc xrm_chk_db_list(struct xrm_db *db, const char *status, const char *kind, int64_t party,
                            int n, int64_t before_id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_chk_db_count(struct xrm_db *db, const char *status, const char *kind, int64_t party,
                             int64_t *out, struct xrm_err *err);

#endif
