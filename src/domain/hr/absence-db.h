/*
 * The description of an absence and the SQL of absences (absence-db.c).
 * An absence goes in as a validated record {"party", "kind", "from",
 * "until", "hours" (minutes, an integer, in the record; the row hook turns
 * the column into hours), "status", "note"} and comes out as its API JSON
 * (absence.h). The employee facts the absence rules need (the employee role,
 * department names) are read here too.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_ABSENCE_DB_H
#define XRM_DOMAIN_ABSENCE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/record.h"

/* NULL-terminated: sick leave special parental / requested approved rejected. */
extern const char *const xrm_absence_kinds[];
extern const char *const xrm_absence_statuses[];

/* Filters of xrm_abs_db_list; zero / NULL do not filter. */
struct xrm_abs_filter {
    int64_t party;
    const char *kind;
    const char *status;
    const char *from;  /* absences not ended before this date */
    const char *until; /* absences starting on or before this date */
    bool open;         /* absences without an end (sick, not recovered) */
};

/*
 * Up to n absences matching f: with a date range or open, by from date
 * (oldest first); otherwise newest first with id below before_id (0: top).
 */
enum xrm_rc xrm_abs_db_list(struct xrm_db *db, const struct xrm_abs_filter *f, int n,
                            int64_t before_id, json_t **out, struct xrm_err *err);

/* The stored note of absence id into *out (NULL when none; free()). */
enum xrm_rc xrm_abs_db_note(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err);

/*
 * The party's employee role that absences follow (the newest one that is
 * not an application): {"id", "status", "since", "until", "attributes"};
 * *out NULL when the party has none.
 */
enum xrm_rc xrm_abs_db_employee(struct xrm_db *db, int64_t party, json_t **out,
                                struct xrm_err *err);

/*
 * Every employee role that is not an application: an array of {"party",
 * "name", "status", "since", "until", "attributes"}, by party name.
 */
enum xrm_rc xrm_abs_db_employees(struct xrm_db *db, json_t **out, struct xrm_err *err);

/* {"<department id>": "name", ...} of every department. */
enum xrm_rc xrm_abs_db_departments(struct xrm_db *db, json_t **out, struct xrm_err *err);

#endif
