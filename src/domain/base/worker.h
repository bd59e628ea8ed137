/*
 * The worker thread of an outbox (mail, webhooks): it sends the rows that
 * are due one at a time, then sleeps until the next one is due (at most
 * max_sleep_s) or until a kick, which a caller gives after committing a
 * new row. The owner of the outbox says how to send one row and when the
 * next is due; re-queuing rows a stopped process left `sending` is also
 * the owner's, before xrm_worker_start.
 *
 * One static struct xrm_worker per outbox, made with XRM_WORKER_INIT.
 */
#ifndef XRM_DOMAIN_WORKER_H
#define XRM_DOMAIN_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

struct xrm_worker {
    const char *name; /* in log lines: "outbox", "webhooks" */
    /* Sends one due row; false when none was due (or the database failed). */
    bool (*send_one)(struct xrm_store *st);
    /* When the next row is due (an RFC 3339 UTC time) into due; empty when none is. */
    enum xrm_rc (*next_due)(struct xrm_db *db, char *due, size_t n, struct xrm_err *err);
    /* Optional: called once a round before sending (housekeeping such as pruning). */
    void (*tick)(struct xrm_store *st);
    int64_t max_sleep_s;
    /* The thread's state (worker.c) */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    struct xrm_store *st;
    bool started, stop, kicked;
};

#define XRM_WORKER_INIT(NAME, SEND, DUE, TICK, SLEEP)                                              \
    {                                                                                              \
        .name = (NAME), .send_one = (SEND), .next_due = (DUE), .tick = (TICK),                     \
        .max_sleep_s = (SLEEP), .lock = PTHREAD_MUTEX_INITIALIZER,                                 \
        .cond = PTHREAD_COND_INITIALIZER                                                           \
    }

/* True while the thread runs (started and not stopped). */
bool xrm_worker_running(struct xrm_worker *w);
/* Starts the thread on st (a no-op when it runs). */
enum xrm_rc xrm_worker_start(struct xrm_worker *w, struct xrm_store *st, struct xrm_err *err);
/* Wakes the thread: a row was committed. */
void xrm_worker_kick(struct xrm_worker *w);
/* Stops the thread after the row it is sending, and joins it. */
void xrm_worker_stop(struct xrm_worker *w);

/*
 * The wait before the next attempt after `attempts` failed ones: base_s,
 * doubling per attempt, at most cap_s.
 */
int64_t xrm_worker_backoff(int64_t base_s, int64_t attempts, int64_t cap_s);

/* The integer in environment variable name when it is one in [min, max], else def. */
int64_t xrm_env_int(const char *name, int64_t min, int64_t max, int64_t def);

#endif
