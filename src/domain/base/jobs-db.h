/*
 * SQL seam of jobs.c (private to it): the table jobs of migration 27, one
 * row per registered job. Arguments are trusted; times are
 * "YYYY-MM-DDTHH:MM:SSZ" texts. Writers run inside xrm_store_write().
 */
#ifndef XRM_DOMAIN_BASE_JOBS_DB_H
#define XRM_DOMAIN_BASE_JOBS_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/util.h"
#include "store/store.h"

/*
 * Makes the row of job name when it has none (next_run as given), or moves
 * a row whose period changed to period and next_run.
 */
enum xrm_rc xrm_jobs_db_ensure(struct xrm_db *db, const char *name, const char *period,
                               const char *next_run, const char *now, struct xrm_err *err);
/* The stored next_run of name into out ("" when there is no row). */
enum xrm_rc xrm_jobs_db_next(struct xrm_db *db, const char *name, char out[XRM_TIME_LEN],
                             struct xrm_err *err);
/*
 * Claims the run of name planned at old_next: moves next_run to new_next and
 * marks the row with token, only when next_run is still old_next; *mine
 * says whether this claim won (another server may have claimed it first).
 */
enum xrm_rc xrm_jobs_db_claim(struct xrm_db *db, const char *name, const char *old_next,
                              const char *new_next, const char *token, bool *mine,
                              struct xrm_err *err);
/* Keeps a run's outcome: started, result "ok"|"failed", message (may be NULL), duration. */
enum xrm_rc xrm_jobs_db_finish(struct xrm_db *db, const char *name, const char *started,
                               const char *result, const char *message, int64_t duration_ms,
                               const char *now, struct xrm_err *err);
/* {name: {last_run, result, message, duration_ms, next_run}} of every row. */
enum xrm_rc xrm_jobs_db_rows(struct xrm_db *db, json_t **out, struct xrm_err *err);

#endif
