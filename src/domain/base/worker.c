/*
 * The worker thread of an outbox (worker.h).
 */
#include "domain/base/worker.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "core/banned.h"

static bool stopping(struct xrm_worker *w)
{
    pthread_mutex_lock(&w->lock);
    bool stop = w->stop;
    pthread_mutex_unlock(&w->lock);
    return stop;
}

/* Seconds until the next row is due, at most max_sleep_s, at least 1. */
static int64_t sleep_for(struct xrm_worker *w, struct xrm_db *db)
{
    struct xrm_err err = XRM_ERR_INIT;
    char due[XRM_TIME_LEN + 8];
    int64_t wait = w->max_sleep_s, t = 0;
    xrm_store_read_begin(db);
    if (w->next_due(db, due, sizeof(due), &err) == XRM_OK && due[0] && xrm_time_parse(due, &t)) {
        int64_t d = t - xrm_now_ms() / 1000;
        if (d < wait)
            wait = d < 1 ? 1 : d;
    }
    xrm_store_read_end(db);
    return wait;
}

static void *worker_main(void *arg)
{
    struct xrm_worker *w = arg;
    struct xrm_db *db = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_reader(w->st, &db, &err)) {
        xrm_log(XRM_LOG_ERROR, "%s: no database reader: %s", w->name, err.message);
        return NULL;
    }
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        w->kicked = false;
        pthread_mutex_unlock(&w->lock);
        if (w->tick)
            w->tick(w->st);
        while (w->send_one(w->st) && !stopping(w))
            ;
        int64_t wait = sleep_for(w, db);
        pthread_mutex_lock(&w->lock);
        if (w->stop || w->kicked)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)wait;
        int r = 0;
        while (!w->stop && !w->kicked && r != ETIMEDOUT)
            r = pthread_cond_timedwait(&w->cond, &w->lock, &ts);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

bool xrm_worker_running(struct xrm_worker *w)
{
    pthread_mutex_lock(&w->lock);
    bool on = w->started;
    pthread_mutex_unlock(&w->lock);
    return on;
}

enum xrm_rc xrm_worker_start(struct xrm_worker *w, struct xrm_store *st, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    pthread_mutex_lock(&w->lock);
    if (!w->started) {
        w->st = st;
        w->stop = false;
        w->kicked = true;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
            rc = xrm_errf(err, XRM_E_INTERNAL, "cannot start the %s worker", w->name);
        else
            w->started = true;
    }
    pthread_mutex_unlock(&w->lock);
    return rc;
}

void xrm_worker_kick(struct xrm_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->kicked = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void xrm_worker_stop(struct xrm_worker *w)
{
    pthread_mutex_lock(&w->lock);
    if (!w->started) {
        pthread_mutex_unlock(&w->lock);
        return;
    }
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_lock(&w->lock);
    w->started = false;
    w->stop = false;
    pthread_mutex_unlock(&w->lock);
}

int64_t xrm_worker_backoff(int64_t base_s, int64_t attempts, int64_t cap_s)
{
    int64_t delay = base_s;
    for (int64_t i = 1; i < attempts && delay < cap_s; i++)
        delay *= 2;
    return delay > cap_s ? cap_s : delay;
}

int64_t xrm_env_int(const char *name, int64_t min, int64_t max, int64_t def)
{
    const char *v = getenv(name);
    int64_t n;
    return v && *v && xrm_parse_int(v, min, max, &n) ? n : def;
}
