/*
 * Sick leave after the Wet verbetering poortwachter: a sick report makes
 * the dated tasks of the law on the employee, from a table admins can
 * change (GET / PUT /api/v1/poortwachter-steps).
 *
 * A step: {"code", "week", "every_weeks", "until_week", "title": {"en",
 * "nl"}}. A step falls in week `week` of the sickness, and again every
 * `every_weeks` weeks up to week `until_week` (every_weeks 0: once). The
 * first sick day is day 1 of week 1, so week N's task is due on its last
 * day: from + 7 x N - 1 days (a report on Monday 2 March 2026: week 1 due
 * Sunday 8 March, week 6 due 12 April). The default table: week 1
 * occupational health service, 6 problem analysis, 8 plan of action,
 * evaluations from week 14 every 6 weeks up to week 50, 42 report to UWV,
 * 52 first-year evaluation, 91 WIA application with the reintegration
 * report, 104 end of the second year.
 *
 * The tasks are activities of type task in domain hr on the employee (so
 * only HR sees them), assigned to the reporting user or the one the report
 * names, titled in the reporter's language, linked to the absence
 * (record_activities kind "poortwachter"). Recovery (the absence gets an
 * `until`) deletes the open tasks due after the recovery date: those steps
 * never became due. Open tasks due on or before it stay open, as what was
 * owed while the employee was sick (a report to the occupational health
 * service is still to be made after a short sickness).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_POORTWACHTER_H
#define XRM_DOMAIN_POORTWACHTER_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_PW_STEPS_MAX 40

/* {"items": [steps]}: users with hr read access and administrators. */
enum xrm_rc xrm_poortwachter_steps(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/*
 * Replaces the table with in's "items" (administrators only); existing
 * tasks stay as they are. The answer as xrm_poortwachter_steps.
 */
enum xrm_rc xrm_poortwachter_steps_put(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                       struct xrm_err *err);

/*
 * The dated plan of steps for a sickness from `from`, by due date:
 * [{"code", "week", "due", "title": {en, nl}}]. New reference.
 */
json_t *xrm_poortwachter_plan(json_t *steps, const char *from);

/* Inside a write: makes the tasks of sick absence `absence` of party (assignee 0: user). */
enum xrm_rc xrm_poortwachter_report_tx(struct xrm_db *db, const struct xrm_user *user,
                                       int64_t absence, int64_t party, const char *from,
                                       int64_t assignee, struct xrm_err *err);

/* Inside a write: recovery on `until` deletes the open tasks due after it. */
enum xrm_rc xrm_poortwachter_recover_tx(struct xrm_db *db, const struct xrm_user *user,
                                        int64_t absence, const char *until, struct xrm_err *err);

/* The tasks of an absence, by due date: [{"id", "subject", "due", "done", "assignee"}]. */
enum xrm_rc xrm_poortwachter_tasks(struct xrm_db *db, int64_t absence, bool open_only, json_t **out,
                                   struct xrm_err *err);

#endif
