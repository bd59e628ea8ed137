/*
 * Import job SQL: the imports and import_errors tables, the per-row
 * savepoints of a job's batches.
 *
 * Ownership: *out values are new references the caller releases.
 */
#ifndef XRM_DOMAIN_EXCHANGE_IMPORT_JOB_DB_H
#define XRM_DOMAIN_EXCHANGE_IMPORT_JOB_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct xrm_import_counts {
    int64_t total, done, created, updated, skipped, errors;
};

/* A new job row; options and file are JSON objects (borrowed). */
enum xrm_rc xrm_import_db_insert(struct xrm_db *db, int64_t user_id, bool dry_run,
                                 const char *format, json_t *options, int64_t *id_out,
                                 struct xrm_err *err);

/*
 * Sets status, counts and file (NULL: unchanged) of job id; message may be
 * NULL; finished sets finished_at to now.
 */
enum xrm_rc xrm_import_db_update(struct xrm_db *db, int64_t id, const char *status,
                                 const struct xrm_import_counts *c, json_t *file,
                                 const char *message, bool finished, struct xrm_err *err);

/* Marks the job failed (and finished) with message; counts unchanged. */
enum xrm_rc xrm_import_db_fail(struct xrm_db *db, int64_t id, const char *message,
                               struct xrm_err *err);

/* Jobs still queued or running: failed with message. */
enum xrm_rc xrm_import_db_interrupted(struct xrm_db *db, const char *message, struct xrm_err *err);

/* Stores error number seq of job id. field may be NULL. */
enum xrm_rc xrm_import_db_add_error(struct xrm_db *db, int64_t id, int64_t seq, int64_t line,
                                    const char *field, const char *code, const char *message,
                                    struct xrm_err *err);

/*
 * The job row as JSON (the job object of import-job.h without error_list,
 * plus "user_id"); XRM_E_NOTFOUND when absent.
 */
enum xrm_rc xrm_import_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/* Jobs with id < before (0: no bound) of user (0: all), newest first, at most limit. */
enum xrm_rc xrm_import_db_list(struct xrm_db *db, int64_t user, int64_t before, int limit,
                               json_t **out, struct xrm_err *err);

/* The first limit errors of job id: [{"line", "field", "code", "message"}]. */
enum xrm_rc xrm_import_db_errors(struct xrm_db *db, int64_t id, int limit, json_t **out,
                                 struct xrm_err *err);

/* Calls fn for every error of job id in order. */
typedef void (*xrm_import_error_fn)(void *arg, int64_t line, const char *field, const char *code,
                                    const char *message);
enum xrm_rc xrm_import_db_errors_each(struct xrm_db *db, int64_t id, xrm_import_error_fn fn,
                                      void *arg, struct xrm_err *err);

/* A savepoint around one row of a batch: begin, release (keep) or roll back. */
enum xrm_rc xrm_import_db_row_begin(struct xrm_db *db, struct xrm_err *err);
enum xrm_rc xrm_import_db_row_keep(struct xrm_db *db, struct xrm_err *err);
void xrm_import_db_row_undo(struct xrm_db *db);

#endif
