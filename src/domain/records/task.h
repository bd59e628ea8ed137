/*
 * Tasks that people work from, and the calendar feed of each user.
 *
 * Tasks are activities of type task (activity.h: due date or date-time,
 * assignee, done). xrm_task_mine groups a user's open tasks as people read
 * them: overdue (due before today, or a due time that has passed), today
 * (due today, Dutch local date) and upcoming (later, and those without a
 * due date, last). "Now" comes from core/clock.h.
 *
 * The calendar feed is an iCalendar (.ics) URL with a secret in it that
 * calendar apps subscribe to: /api/v1/ical/<secret>.ics. Only a SHA-256
 * hash of the secret is stored, so the URL is shown once, when it is made;
 * making a new one revokes the old, and it can be revoked outright.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_TASK_H
#define XRM_DOMAIN_TASK_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_FEED_SECRET_MAX 64

/*
 * Open tasks of user assignee, grouped: {"now", "date" (today), "overdue":
 * [activity...], "today": [...], "upcoming": [...], "counts": {"overdue",
 * "today", "upcoming"}}. Each group holds at most limit tasks (1..500);
 * the counts say how many there are, "total" all of them (exact up to
 * 10,000; "total_capped" beyond). Lists: "next" has per group the cursor
 * of its next page (null when none); a page of one group (group or
 * cursor, an offset cursor [group, offset]) fills only that group.
 */
enum xrm_rc xrm_task_mine(struct xrm_ctx *ctx, int64_t assignee, const char *group, int limit,
                          const char *cursor, json_t **out, struct xrm_err *err);

/*
 * The caller's feed: create (or replace) answers {"url", "created_at"} with
 * the secret URL path; get answers {"active": bool, "created_at",
 * "last_used_at"} (never the secret); revoke makes the URL stop working.
 */
enum xrm_rc xrm_calendar_feed_create(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_calendar_feed_get(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_calendar_feed_revoke(struct xrm_ctx *ctx, struct xrm_err *err);

/*
 * The user a feed secret belongs to (ctx->user is not used); XRM_E_NOTFOUND
 * for an unknown, revoked or malformed secret, or a disabled user.
 */
enum xrm_rc xrm_calendar_feed_user(struct xrm_ctx *ctx, const char *secret, struct xrm_user *out,
                                   struct xrm_err *err);

/*
 * What the feed of ctx->user shows: tasks assigned to the user and meetings
 * assigned to or made by the user, that have a due date: open ones, and done
 * ones due in the last 90 days. An array of activities, decorated as
 * xrm_calendar_decorate does.
 */
enum xrm_rc xrm_calendar_feed_items(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/*
 * What a calendar shows of each activity of items (activity JSON, changed
 * in place) besides its own fields: "party_names" (the names of its
 * parties, in order) and "link", the path of its record in the web app:
 * the deal or case it is on ("/deals/4"), else its first party
 * ("/parties/12"), else "/tasks" for a task, else null.
 */
enum xrm_rc xrm_calendar_decorate(struct xrm_ctx *ctx, json_t *items, struct xrm_err *err);

#endif
