/*
 * SQL seam of caldav.c (private to caldav.c and caldav-db.c): which
 * activities are the members of a user's calendars, and the table
 * dav_events (the resource name and UID a client chose for an activity).
 *
 * Ownership: *out new references.
 */
#ifndef XRM_DOMAIN_CALDAV_DB_H
#define XRM_DOMAIN_CALDAV_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/*
 * The candidates of a calendar of user, at most n, by id: [[activity id,
 * name or null, uid or null], ...]. meetings false: tasks assigned to user
 * that are open or were last changed since `since` (a time); true:
 * meetings assigned to or made by user due on or after `since` (a date).
 * Access is not checked here.
 */
enum xrm_rc xrm_caldav_db_members(struct xrm_db *db, int64_t user, bool meetings, const char *since,
                                  int n, json_t **out, struct xrm_err *err);

/* The activity a client's resource name belongs to (*id 0 when none) and its UID (uid_n bytes). */
enum xrm_rc xrm_caldav_db_by_name(struct xrm_db *db, const char *name, int64_t *id, char *uid,
                                  size_t uid_n, struct xrm_err *err);

/* The client's name and UID of activity id ("" each when it has no dav_events row). */
enum xrm_rc xrm_caldav_db_of(struct xrm_db *db, int64_t id, char *name, size_t name_n, char *uid,
                             size_t uid_n, struct xrm_err *err);

/* Whether a dav_events row has this UID. */
enum xrm_rc xrm_caldav_db_uid_used(struct xrm_db *db, const char *uid, bool *used,
                                   struct xrm_err *err);

/* Keeps the client's name and UID of activity id (inside the caller's write). */
enum xrm_rc xrm_caldav_db_link(struct xrm_db *db, int64_t id, const char *name, const char *uid,
                               struct xrm_err *err);

#endif
