/*
 * Absences of employees: sick leave, leave, special leave and parental
 * leave, for parties with an employee role only.
 *
 * absence JSON: {"id", "party", "party_name", "kind" (sick | leave |
 * special | parental), "from", "until" (last day; null: sick and not
 * recovered yet), "hours" (number or null; leave counts against the
 * balance with it; default for a dated absence: the working days Monday to
 * Friday of the period x hours_per_week / 5, 8 hours a day without
 * hours_per_week), "status" (requested | approved | rejected), "note",
 * "domain" ("hr"), "created_by", "version", "created_at", "updated_at"}.
 *
 * Access: everything needs read access to hr, writes write access. There
 * is no field for a diagnosis. The note of a sick absence is sensitive:
 * only users with full access to hr get "note" on a sick absence (others
 * get no "note" key at all, and the audit trail never holds it), and only
 * they may write one.
 *
 * Leave is requested (status requested; HR enters the employee's request)
 * and approved or rejected by hr=write (xrm_absence_approve / _reject); a
 * rejected request may be approved after all, an approved one withdrawn
 * (rejected). Other kinds are approved when recorded. A sick report (kind
 * sick) makes the Poortwachter tasks (poortwachter.h), assigned to
 * "assignee" (an input-only user id) or the reporting user; recovery is a
 * PATCH of "until" or xrm_absence_recover, and deletes the tasks that had
 * not become due. Kind and party never change after a create.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_ABSENCE_H
#define XRM_DOMAIN_ABSENCE_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

/* The description of an absence: fields, table (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_absence_kind;

/*
 * The plain operations of absences (a sick note for hr full only)
 * (domain/base/record.h): the route table's .ops.
 */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_absence_ops;

/* Leave requests: approve / reject (hr write). The absence after. */
enum xrm_rc xrm_absence_approve(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_absence_reject(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/* Recovery of a sick absence on date (NULL: today): until = date. */
enum xrm_rc xrm_absence_recover(struct xrm_ctx *ctx, int64_t id, const char *date, json_t **out,
                                struct xrm_err *err);

/* {"items": [the Poortwachter tasks of absence id]} (poortwachter.h). */
enum xrm_rc xrm_absence_tasks(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/* Filters of xrm_absence_list; zero / NULL do not filter. */
struct xrm_absence_filter {
    int64_t party;
    const char *kind;
    const char *status;
    const char *from;       /* absences not ended before */
    const char *until;      /* absences starting on or before */
    const char *department; /* the employee role's department value */
    int open;               /* 1: sick and not recovered */
};

/* {"items", "next"}: by from date with a date range or open, else newest first. */
enum xrm_rc xrm_absence_list(struct xrm_ctx *ctx, const struct xrm_absence_filter *f, int limit,
                             const char *cursor, json_t **out, struct xrm_err *err);

/*
 * Who is away, for the absence screen and the HR dashboard (hr read), of
 * one department or all (NULL): {"date", "week_start", "week_end",
 * "today": [entry], "week": [entry], "requests": [entry], "sick": [entry],
 * "departments": [{"department", "name"}]}; an entry is {"absence",
 * "department", "department_name", "sick_week" (sick: the week of sickness
 * today), "next_task" ({"id", "subject", "due"} or null)}.
 */
enum xrm_rc xrm_absence_overview(struct xrm_ctx *ctx, const char *department, json_t **out,
                                 struct xrm_err *err);

/*
 * Sickness percentage per department and month of year (hr read):
 * sick days / available days x 100, both in calendar days: an employee's
 * available days are the days of the month within the employment (start
 * and end date of the employee role) up to today, the sick days those of
 * them within a sick absence (until today while it is open). Part-time
 * hours do not weigh. {"year", "formula", "items": [{"month", "department",
 * "name", "sick_days", "available_days", "percentage"}], "totals":
 * [{"month", "sick_days", "available_days", "percentage"}]}; months after
 * today are left out; percentage null when there are no available days.
 * department: only that department's value (the role attribute).
 */
enum xrm_rc xrm_absence_stats(struct xrm_ctx *ctx, int year, const char *department, json_t **out,
                              struct xrm_err *err);

/* The department key of an employee role's attributes ("" when none) into out. */
void xrm_absence_department_key(json_t *attributes, char *out, size_t n);

/* Weekdays (Monday to Friday) from a to b inclusive; 0 when b < a or not dates. */
int64_t xrm_absence_weekdays(const char *a, const char *b);

/* Inside a write (demo data): approve / reject as user (a create: xrm_record_create_in). */
enum xrm_rc xrm_absence_status_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                  const char *status, struct xrm_err *err);

#endif
