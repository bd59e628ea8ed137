/*
 * Background jobs (jobs.h): the registry, the run moments, and the one
 * scheduler thread of `xrm serve`.
 */
#include "domain/base/jobs.h"
#include "domain/base/access.h"
#include "domain/base/jobs-db.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#define RUN_HOUR 3     /* local time of a run */
#define MAX_SLEEP_S 60 /* the thread looks at the clock at least this often */

struct job {
    const char *name;
    enum xrm_job_period period;
    xrm_job_fn fn;
    int64_t next; /* planned run (seconds), as stored */
    bool running; /* this process runs it now */
};

static struct job jobs[XRM_JOBS_MAX];
static size_t njobs;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    struct xrm_store *st;
    bool started, stop;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

void xrm_job_add(const char *name, enum xrm_job_period period, xrm_job_fn fn)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 63 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != len || !fn)
        XRM_BUG("bad job '%s'", name ? name : "(null)");
    for (size_t i = 0; i < njobs; i++)
        if (strcmp(jobs[i].name, name) == 0)
            return;
    if (njobs == XRM_JOBS_MAX)
        XRM_BUG("more than %d jobs", XRM_JOBS_MAX);
    jobs[njobs++] = (struct job){.name = name, .period = period, .fn = fn};
}

const char *xrm_job_period_name(enum xrm_job_period period)
{
    return period == XRM_JOB_MONTHLY ? "monthly" : "daily";
}

/* RUN_HOUR:00 local time on date (Europe/Amsterdam), in seconds. */
static int64_t run_moment(const char *date)
{
    int64_t midnight = 0;
    xrm_time_parse(date, &midnight);
    /* The offset at that moment: guessed with winter time, then taken at the guess (the change
     * happens at 01:00 UTC, before 03:00 local either way). */
    int64_t guess = midnight + RUN_HOUR * 3600 - 3600;
    return midnight + RUN_HOUR * 3600 - xrm_local_offset(guess);
}

int64_t xrm_job_next_run(enum xrm_job_period period, int64_t t)
{
    char date[XRM_DATE_LEN], next[XRM_DATE_LEN];
    xrm_date_local(t, date);
    if (period == XRM_JOB_MONTHLY)
        memcpy(date + 8, "01", 2); /* the 1st of this month */
    for (int i = 0; i < 3; i++) {
        int64_t m = run_moment(date);
        if (m > t)
            return m;
        if (period == XRM_JOB_MONTHLY)
            xrm_date_add_months(date, 1, next);
        else
            xrm_date_add_days(date, 1, next);
        memcpy(date, next, sizeof(date));
    }
    return run_moment(date);
}

/* Writes */

struct ensure_arg {
    const char *now;
};

static enum xrm_rc ensure_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    const struct ensure_arg *a = arg;
    int64_t now_t = xrm_clock_now_t();
    for (size_t i = 0; i < njobs; i++) {
        char next[XRM_TIME_LEN];
        xrm_time_format(xrm_job_next_run(jobs[i].period, now_t), next);
        enum xrm_rc rc = xrm_jobs_db_ensure(db, jobs[i].name, xrm_job_period_name(jobs[i].period),
                                            next, a->now, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

struct claim_arg {
    const char *name, *old_next, *new_next, *token;
    bool mine;
};

static enum xrm_rc claim_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct claim_arg *a = arg;
    return xrm_jobs_db_claim(db, a->name, a->old_next, a->new_next, a->token, &a->mine, err);
}

struct finish_arg {
    const char *name, *started, *result, *message, *now;
    int64_t duration_ms;
};

static enum xrm_rc finish_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    const struct finish_arg *a = arg;
    return xrm_jobs_db_finish(db, a->name, a->started, a->result, a->message, a->duration_ms,
                              a->now, err);
}

/* Reads the stored next runs into jobs[] (under sched.lock). */
static enum xrm_rc load_next(struct xrm_db *db, struct xrm_err *err)
{
    for (size_t i = 0; i < njobs; i++) {
        char next[XRM_TIME_LEN];
        enum xrm_rc rc = xrm_jobs_db_next(db, jobs[i].name, next, err);
        if (rc)
            return rc;
        int64_t t = 0;
        jobs[i].next = next[0] && xrm_time_parse(next, &t) ? t : INT64_MAX;
    }
    return XRM_OK;
}

/* The scheduler */

/* Runs job i when it is still due and this process wins its claim (sched.lock not held). */
static void run_job(size_t i, struct xrm_ctx *ctx)
{
    struct job *j = &jobs[i];
    struct xrm_err err = XRM_ERR_INIT;
    char old_next[XRM_TIME_LEN], new_next[XRM_TIME_LEN], token[64], started[XRM_TIME_LEN];
    int64_t now_t = xrm_clock_now_t();
    xrm_time_format(j->next, old_next);
    int64_t next_t = xrm_job_next_run(j->period, now_t);
    xrm_time_format(next_t, new_next);
    snprintf(token, sizeof(token), "%ld-%lld", (long)getpid(), (long long)xrm_mono_ns());
    struct claim_arg c = {j->name, old_next, new_next, token, false};
    if (xrm_store_write(ctx->store, claim_tx, &c, &err)) {
        xrm_log(XRM_LOG_ERROR, "job %s: cannot claim its run: %s", j->name, err.message);
        pthread_mutex_lock(&sched.lock);
        j->next = now_t + MAX_SLEEP_S; /* tried again in a minute */
        pthread_mutex_unlock(&sched.lock);
        return;
    }
    if (!c.mine) { /* another server ran it: follow the row */
        pthread_mutex_lock(&sched.lock);
        load_next(ctx->db, &err);
        pthread_mutex_unlock(&sched.lock);
        return;
    }
    pthread_mutex_lock(&sched.lock);
    j->next = next_t;
    j->running = true;
    pthread_mutex_unlock(&sched.lock);

    xrm_clock_now(started);
    int64_t t0 = xrm_mono_ns();
    json_t *result = NULL;
    enum xrm_rc rc = j->fn(ctx, &result, &err);
    int64_t ms = (xrm_mono_ns() - t0) / 1000000;
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    const char *message = rc ? err.message : text;
    if (rc)
        xrm_log(XRM_LOG_ERROR, "job %s failed after %lld ms: %s (next run %s)", j->name,
                (long long)ms, err.message, new_next);
    else
        xrm_log(XRM_LOG_INFO, "job %s ok in %lld ms: %s (next run %s)", j->name, (long long)ms,
                text ? text : "{}", new_next);
    char now[XRM_TIME_LEN];
    xrm_now(now);
    struct finish_arg f = {j->name, started, rc ? "failed" : "ok", message, now, ms};
    struct xrm_err ferr = XRM_ERR_INIT;
    if (xrm_store_write(ctx->store, finish_tx, &f, &ferr))
        xrm_log(XRM_LOG_ERROR, "job %s: cannot keep its result: %s", j->name, ferr.message);
    free(text);
    json_decref(result);
    pthread_mutex_lock(&sched.lock);
    j->running = false;
    pthread_mutex_unlock(&sched.lock);
}

static void *sched_main(void *arg)
{
    struct xrm_ctx ctx = {.store = sched.st}; /* the system: user id 0 */
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_reader(sched.st, &ctx.db, &err)) {
        xrm_log(XRM_LOG_ERROR, "jobs: no database reader: %s", err.message);
        return NULL;
    }
    pthread_mutex_lock(&sched.lock);
    while (!sched.stop) {
        int64_t now = xrm_clock_now_t(), wait = MAX_SLEEP_S;
        for (size_t i = 0; i < njobs && !sched.stop; i++) {
            if (jobs[i].next > now)
                continue;
            pthread_mutex_unlock(&sched.lock);
            run_job(i, &ctx);
            pthread_mutex_lock(&sched.lock);
            now = xrm_clock_now_t();
        }
        for (size_t i = 0; i < njobs; i++)
            if (jobs[i].next - now < wait)
                wait = jobs[i].next - now;
        if (wait < 1)
            wait = 1;
        if (sched.stop)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)wait;
        int w = 0;
        while (!sched.stop && w != ETIMEDOUT)
            w = pthread_cond_timedwait(&sched.cond, &sched.lock, &ts);
    }
    pthread_mutex_unlock(&sched.lock);
    return NULL;
}

enum xrm_rc xrm_jobs_start(struct xrm_store *st, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char now[XRM_TIME_LEN];
    struct xrm_db *db = NULL;
    pthread_mutex_lock(&sched.lock);
    if (sched.started || njobs == 0)
        goto out;
    xrm_now(now);
    struct ensure_arg a = {now};
    if ((rc = xrm_store_write(st, ensure_tx, &a, err)) || (rc = xrm_store_reader(st, &db, err)) ||
        (rc = load_next(db, err)))
        goto out;
    sched.st = st;
    sched.stop = false;
    if (pthread_create(&sched.thread, NULL, sched_main, NULL) != 0) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot start the job scheduler");
        goto out;
    }
    sched.started = true;
    for (size_t i = 0; i < njobs; i++) {
        char next[XRM_TIME_LEN];
        xrm_time_format(jobs[i].next, next);
        xrm_log(XRM_LOG_INFO, "job %s (%s): next run %s", jobs[i].name,
                xrm_job_period_name(jobs[i].period), next);
    }
out:
    pthread_mutex_unlock(&sched.lock);
    return rc;
}

void xrm_jobs_stop(void)
{
    pthread_mutex_lock(&sched.lock);
    if (!sched.started) {
        pthread_mutex_unlock(&sched.lock);
        return;
    }
    sched.stop = true;
    pthread_cond_broadcast(&sched.cond);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL); /* a running job ends first */
    pthread_mutex_lock(&sched.lock);
    sched.started = false;
    sched.stop = false;
    pthread_mutex_unlock(&sched.lock);
}

enum xrm_rc xrm_jobs_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *rows = NULL;
    *out = NULL;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "the background jobs", err);
    if (rc || (rc = xrm_jobs_db_rows(ctx->db, &rows, err)))
        return rc;
    json_t *items = json_array();
    pthread_mutex_lock(&sched.lock);
    for (size_t i = 0; i < njobs; i++) {
        json_t *row = json_object_get(rows, jobs[i].name);
        json_t *item = json_pack("{s:s, s:s, s:b}", "name", jobs[i].name, "period",
                                 xrm_job_period_name(jobs[i].period), "running", jobs[i].running);
        const char *keys[] = {"last_run", "result", "message", "duration_ms", "next_run"};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            json_t *v = json_object_get(row, keys[k]);
            json_object_set(item, keys[k], v ? v : json_null());
        }
        json_array_append_new(items, item);
    }
    pthread_mutex_unlock(&sched.lock);
    json_decref(rows);
    *out = json_pack("{s:o}", "items", items);
    return XRM_OK;
}
