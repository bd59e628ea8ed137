/*
 * Background jobs of `xrm serve`: one scheduler thread runs the registered
 * jobs daily or monthly, each run logged (core/log.h) with its duration and
 * result and kept in the table jobs (name, period, last run, result, next
 * run), so a restart does not run a job again before its next run.
 *
 * - Registration: xrm_job_add() from domain/hooks.c's constructor (before
 *   main), never after xrm_jobs_start().
 * - When: a daily job at 03:00 Dutch local time (Europe/Amsterdam), a
 *   monthly job at 03:00 local time on the 1st of the month, by the
 *   business clock (core/clock.h: XRM_NOW in tests). A job seen for the
 *   first time is planned at its next such moment (it does not run at
 *   start-up); a run that was missed while the server was down runs as soon
 *   as the server is up again, once.
 * - A run claims its job by moving next_run on in the table first (so two
 *   servers on one database never run one job twice for one period, and one
 *   scheduler never runs a job twice at once). A failed run is logged, kept
 *   with its message and tried again at the next period.
 * - A job runs as the system (user id 0, full access) with a ctx whose db is
 *   the scheduler thread's reader; it writes through xrm_store_write().
 *   *result: a small JSON object (counts) kept as the run's result; it may
 *   be left NULL.
 */
#ifndef XRM_DOMAIN_BASE_JOBS_H
#define XRM_DOMAIN_BASE_JOBS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/base/ctx.h"

enum xrm_job_period { XRM_JOB_DAILY, XRM_JOB_MONTHLY };

typedef enum xrm_rc (*xrm_job_fn)(struct xrm_ctx *ctx, json_t **result, struct xrm_err *err);

#define XRM_JOBS_MAX 16

/*
 * Registers a job. name: [a-z0-9-], at most 63 bytes, a static string kept
 * as given (it is the job's key in the table: never rename one). A name
 * added twice keeps the first; more than XRM_JOBS_MAX jobs abort.
 */
void xrm_job_add(const char *name, enum xrm_job_period period, xrm_job_fn fn);

/* "daily" | "monthly". */
const char *xrm_job_period_name(enum xrm_job_period period);

/*
 * The first run moment of period strictly after t (seconds since the
 * epoch): 03:00 Dutch local time the next day (daily) or on the next 1st
 * of a month (monthly).
 */
int64_t xrm_job_next_run(enum xrm_job_period period, int64_t t);

/*
 * Starts the scheduler thread of `xrm serve` (the jobs' rows are made
 * before it returns); stop wakes it, waits for a running job to end and
 * joins it. Start twice or stop without start: no effect.
 */
enum xrm_rc xrm_jobs_start(struct xrm_store *st, struct xrm_err *err);
void xrm_jobs_stop(void);

/*
 * GET /api/v1/jobs (admins only): {"items": [{name, period, last_run,
 * result ("ok"|"failed"|null), message, duration_ms, next_run, running}]}
 * in registration order.
 */
enum xrm_rc xrm_jobs_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

#endif
