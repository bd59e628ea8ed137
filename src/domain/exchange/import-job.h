/*
 * Import jobs: a file of parties (CSV, vCard or NDJSON) read in chunks and
 * imported row by row, each row checked exactly as POST /api/v1/parties
 * checks a party (the same functions), in batches of XRM_IMPORT_BATCH rows,
 * so neither the file nor the job's memory grows with the number of rows.
 *
 * What a job does with a row:
 *   - match keys given (email, kvk, vat, iban, phone, external_id, uid)
 *     and one finds a party: that party is updated (the row's contact
 *     points join its lists, scalar fields it gives are set, roles it lacks
 *     are added), with the rights PATCH and POST .../roles need;
 *   - otherwise it is created (xrm_access_party_create; each role needs
 *     write access in its domain);
 *   - a bad row (or one the user may not write) is an error with its line,
 *     field, code and message.
 * on_error skip: every good row is written, batch by batch, and each bad
 * one reported. abort: all or nothing: the whole file runs in one write
 * transaction that is committed only when no row failed. A dry run runs
 * exactly as the real one (so it sees a row that repeats an earlier one of
 * the same file) in one transaction that is always rolled back: it writes
 * nothing but the job and its errors, and its counts are the real run's.
 * abort and dry runs hold the store's writer for the whole file.
 *
 * Job JSON: {"id", "status": "queued"|"running"|"done"|"failed", "dry_run",
 * "format", "total", "done", "created", "updated", "skipped", "errors",
 * "match": [...], "on_error", "separator", "encoding", "columns": [{"header",
 * "field", "samples"}] (CSV), "error_list": [{"line", "field", "code",
 * "message"}] (the first XRM_IMPORT_ERRORS_SHOWN), "created_at",
 * "finished_at", "message"}. A user sees their own jobs, an administrator
 * every job; another's job is XRM_E_NOTFOUND.
 *
 * Ownership: *out values are new references the caller releases.
 */
#ifndef XRM_DOMAIN_EXCHANGE_IMPORT_JOB_H
#define XRM_DOMAIN_EXCHANGE_IMPORT_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/base/ctx.h"

#define XRM_IMPORT_BATCH 1000
#define XRM_IMPORT_ERRORS_SHOWN 50
#define XRM_IMPORT_ERRORS_KEPT 100000 /* errors stored per job; more are counted only */

enum xrm_import_format {
    XRM_IMPORT_CSV,
    XRM_IMPORT_VCARD,
    XRM_IMPORT_NDJSON,
};

/* Match keys, as bits. */
enum {
    XRM_MATCH_EMAIL = 1 << 0,
    XRM_MATCH_KVK = 1 << 1,
    XRM_MATCH_VAT = 1 << 2,
    XRM_MATCH_IBAN = 1 << 3,
    XRM_MATCH_PHONE = 1 << 4,
    XRM_MATCH_EXTERNAL_ID = 1 << 5,
    XRM_MATCH_UID = 1 << 6,
};

struct xrm_import_opts {
    enum xrm_import_format format;
    bool dry_run;
    bool abort_on_error; /* on_error=abort */
    bool force;          /* create rows that exactly duplicate a party */
    unsigned match;      /* XRM_MATCH_* bits */
    json_t *mapping;     /* {"header": "field"} or NULL; borrowed */
};

/* The format of a Content-Type (parameters ignored); false when not one. */
bool xrm_import_format_of(const char *content_type, enum xrm_import_format *out);
/* "email,kvk" as bits; XRM_E_INVALID (field "match") on an unknown key. */
enum xrm_rc xrm_import_match_parse(const char *list, unsigned *out, struct xrm_err *err);

/*
 * Records a new job (queued) for ctx's user. Refused (XRM_E_DENIED) when
 * the user may create no party at all; an invalid mapping is
 * XRM_E_INVALID. Nothing is read yet.
 */
enum xrm_rc xrm_import_job_create(struct xrm_ctx *ctx, const struct xrm_import_opts *o,
                                  int64_t *id_out, struct xrm_err *err);

/*
 * Called after each batch (and once at the end) with the rows done so far
 * and the rows of the file (an estimate until the end); from the job's
 * thread. Returning false stops the job after that batch (it fails with
 * "the import was stopped"; the batches before stay, unless it is an abort
 * or dry run).
 */
typedef bool (*xrm_import_progress_fn)(void *arg, int64_t done, int64_t total);

/*
 * Runs job id (made by xrm_import_job_create with the same o) on the file
 * at path, as ctx's user; ctx->db may be NULL (the thread's reader is
 * used). Returns XRM_OK when the job ran to its end, whatever its rows
 * did (the job says); otherwise the job is marked failed with err's
 * message. progress may be NULL.
 */
enum xrm_rc xrm_import_job_run(struct xrm_ctx *ctx, int64_t id, const struct xrm_import_opts *o,
                               const char *path, xrm_import_progress_fn progress, void *arg,
                               struct xrm_err *err);

/* Marks job id failed with message (a job that could not run). */
enum xrm_rc xrm_import_job_fail(struct xrm_store *st, int64_t id, const char *message,
                                struct xrm_err *err);

/* At start-up: jobs still queued or running were cut off; marks them failed. */
enum xrm_rc xrm_import_jobs_interrupted(struct xrm_store *st, struct xrm_err *err);

/* The job (JSON above); XRM_E_NOTFOUND for another user's job unless admin. */
enum xrm_rc xrm_import_job_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/* The reader's jobs (admin: all), newest first: {"items", "next"}. */
xrm_record_list_t xrm_import_job_list;

/*
 * The job's errors as a CSV file for Excel (src/io/csv.h writer):
 * line;field;code;message, one row per stored error, appended to out.
 */
enum xrm_rc xrm_import_job_errors_csv(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *out,
                                      struct xrm_err *err);

#endif
