/*
 * SQL seam of task.c (private to task.c and task-db.c): the task and
 * meeting ids behind "my tasks" and the calendar feed, and the table
 * calendar_feeds.
 */
#ifndef XRM_DOMAIN_TASK_DB_H
#define XRM_DOMAIN_TASK_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/records/task.h"
#include "domain/base/batch.h"

/* Ids of the open tasks of assignee, by due (without due last), at most n; new array. */
enum xrm_rc xrm_task_db_open(struct xrm_db *db, int64_t assignee, int n, json_t **out,
                             struct xrm_err *err);
/* Ids of the feed's tasks and meetings of user (see task.h), done ones due since `since`. */
enum xrm_rc xrm_task_db_feed(struct xrm_db *db, int64_t user, const char *since, int n,
                             json_t **out, struct xrm_err *err);

/* Revokes the user's active feeds and stores a new one by its hash. */
enum xrm_rc xrm_task_db_feed_replace(struct xrm_db *db, int64_t user, const char *hash,
                                     const char *now, struct xrm_err *err);
enum xrm_rc xrm_task_db_feed_revoke(struct xrm_db *db, int64_t user, int *n, struct xrm_err *err);
/* {"created_at", "last_used_at"} of the user's active feed, or NULL when none. */
enum xrm_rc xrm_task_db_feed_get(struct xrm_db *db, int64_t user, json_t **out,
                                 struct xrm_err *err);
/* The login name of the active feed with this hash (of an enabled user), "" when none. */
enum xrm_rc xrm_task_db_feed_owner(struct xrm_db *db, const char *hash, char *name, size_t n,
                                   struct xrm_err *err);

/* The names of the parties of b: out gets "<id>": "name" for each that exists. */
enum xrm_rc xrm_task_db_party_names(struct xrm_db *db, const struct xrm_batch *b, json_t *out,
                                    struct xrm_err *err);
/*
 * The deal or case each activity of b is on (record_activities): out gets
 * "<activity id>": ["deal" | "case", id], a deal before a case.
 */
enum xrm_rc xrm_task_db_record_links(struct xrm_db *db, const struct xrm_batch *b, json_t *out,
                                     struct xrm_err *err);

#endif
