/*
 * Polling mailboxes over IMAP (mailbox.h): one poll, all mailboxes, and the
 * poller thread of `xrm serve`.
 */
#include "domain/mail/mailbox.h"
#include "domain/mail/inbound.h"
#include "domain/mail/mailbox-db.h"
#include "domain/base/access.h"
#include "io/imap.h"
#include "io/mail-in.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define INTERVAL_DEFAULT 60

struct counts {
    int64_t fetched, stored, review, duplicates, refused;
};

struct progress_arg {
    int64_t id, last_uid, uidvalidity;
    const char *error;
    bool polled;
};

static enum xrm_rc progress_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct progress_arg *a = arg;
    char now[XRM_TIME_LEN];
    if (a->polled) {
        xrm_now(now);
        return xrm_mailbox_db_polled(db, a->id, now, a->error, err);
    }
    return xrm_mailbox_db_progress(db, a->id, a->last_uid, a->uidvalidity, err);
}

/* One poll at a time in this process: the poller thread and POST /poll alike. */
static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;

/* Polls mailbox id: new messages since last_uid, each delivered and remembered. */
static enum xrm_rc poll_one_locked(struct xrm_store *st, int64_t id, struct counts *n,
                                   struct xrm_err *err)
{
    struct xrm_mailbox_conn box = {0};
    struct xrm_imap *imap = NULL;
    struct xrm_db *db = NULL;
    int64_t *uids = NULL, validity = 0;
    size_t nuids = 0;
    char why[256];
    struct xrm_buf raw = XRM_BUF_INIT;
    enum xrm_rc rc = xrm_store_reader(st, &db, err);
    why[0] = '\0';
    if (!rc)
        rc = xrm_mailbox_db_conn(db, id, &box, err);
    if (rc)
        goto out;
    if (!box.imap_url || !*box.imap_url) {
        rc = xrm_errf(err, XRM_E_INVALID, "mailbox %lld has no imap_url", (long long)id);
        goto out;
    }
    imap = xrm_imap_open(box.imap_url, box.folder, box.username, box.password, why, sizeof why);
    if (!imap || xrm_imap_uidvalidity(imap, &validity, why, sizeof why) != 0)
        goto imap_failed;
    if (validity != box.uidvalidity) {
        /* a new folder under the old name: start over (Message-IDs keep it idempotent) */
        struct progress_arg p = {.id = id, .last_uid = 0, .uidvalidity = validity};
        if ((rc = xrm_store_write(st, progress_tx, &p, err)))
            goto out;
        box.last_uid = 0;
    }
    if (xrm_imap_search(imap, box.last_uid + 1, &uids, &nuids, why, sizeof why) != 0)
        goto imap_failed;
    for (size_t i = 0; i < nuids; i++) {
        xrm_buf_reset(&raw);
        int f = xrm_imap_fetch(imap, uids[i], XRM_MAIL_IN_MAX_BYTES + 1, &raw, why, sizeof why);
        if (f == -1)
            goto imap_failed;
        n->fetched++;
        json_t *res = NULL;
        struct xrm_err derr = XRM_ERR_INIT;
        enum xrm_rc drc = f == -2
                              ? XRM_E_LIMIT
                              : xrm_mail_deliver(st, NULL, NULL, id, raw.s, raw.len, &res, &derr);
        if (drc == XRM_E_MALFORMED || drc == XRM_E_LIMIT) {
            /* never deliverable: skipped, so the mailbox does not stop here */
            xrm_log(XRM_LOG_WARN, "mailbox %lld: message uid %lld refused: %s", (long long)id,
                    (long long)uids[i], f == -2 ? "larger than 25 MB" : derr.message);
            n->refused++;
        } else if (drc) {
            *err = derr;
            rc = drc;
            goto out;
        } else if (json_is_true(json_object_get(res, "duplicate"))) {
            n->duplicates++;
        } else if (json_is_integer(json_object_get(res, "review"))) {
            n->review++;
        } else {
            n->stored++;
        }
        json_decref(res);
        struct progress_arg p = {.id = id, .last_uid = uids[i], .uidvalidity = validity};
        if ((rc = xrm_store_write(st, progress_tx, &p, err)))
            goto out;
    }
    {
        struct progress_arg p = {.id = id, .polled = true};
        rc = xrm_store_write(st, progress_tx, &p, err);
    }
    goto out;
imap_failed : {
    struct progress_arg p = {.id = id, .polled = true, .error = why[0] ? why : "IMAP failed"};
    struct xrm_err ignored = XRM_ERR_INIT;
    xrm_store_write(st, progress_tx, &p, &ignored);
    rc = xrm_errf(err, XRM_E_IO, "mailbox %lld: %s", (long long)id, p.error);
    xrm_err_code(err, "imap_failed");
}
out:
    xrm_buf_release(&raw);
    free(uids);
    xrm_imap_close(imap);
    xrm_mailbox_conn_release(&box);
    return rc;
}

static enum xrm_rc poll_one(struct xrm_store *st, int64_t id, struct counts *n, struct xrm_err *err)
{
    pthread_mutex_lock(&poll_lock);
    enum xrm_rc rc = poll_one_locked(st, id, n, err);
    pthread_mutex_unlock(&poll_lock);
    return rc;
}

enum xrm_rc xrm_mailbox_poll(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct counts n = {0};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "mailboxes", err);
    if (!rc)
        rc = poll_one(ctx->store, id, &n, err);
    if (!rc)
        *out = json_pack("{s:I, s:I, s:I, s:I, s:I}", "fetched", (json_int_t)n.fetched, "stored",
                         (json_int_t)n.stored, "review", (json_int_t)n.review, "duplicates",
                         (json_int_t)n.duplicates, "refused", (json_int_t)n.refused);
    return rc;
}

enum xrm_rc xrm_mailbox_poll_all(struct xrm_store *st, json_t **out, struct xrm_err *err)
{
    struct xrm_db *db = NULL;
    json_t *ids = NULL, *v;
    struct counts n = {0};
    int64_t errors = 0;
    size_t i;
    enum xrm_rc rc = xrm_store_reader(st, &db, err);
    if (!rc)
        rc = xrm_mailbox_db_pollable(db, &ids, err);
    if (rc)
        return rc;
    json_array_foreach(ids, i, v)
    {
        struct xrm_err one = XRM_ERR_INIT;
        if (poll_one(st, json_integer_value(v), &n, &one)) {
            xrm_log(XRM_LOG_WARN, "mail poll: %s", one.message);
            errors++;
        }
    }
    if (out)
        *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "mailboxes",
                         (json_int_t)json_array_size(ids), "fetched", (json_int_t)n.fetched,
                         "stored", (json_int_t)n.stored, "review", (json_int_t)n.review,
                         "duplicates", (json_int_t)n.duplicates, "refused", (json_int_t)n.refused,
                         "errors", (json_int_t)errors);
    json_decref(ids);
    return XRM_OK;
}

/* ---- the poller thread --------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool running, stopping;
    int interval;
    struct xrm_store *st;
} poller = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static int interval_setting(void)
{
    const char *s = getenv("XRM_MAIL_POLL_SECONDS");
    if (!s || !*s)
        return INTERVAL_DEFAULT;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 86400) {
        xrm_log(XRM_LOG_WARN, "XRM_MAIL_POLL_SECONDS '%s' is no number of seconds; using %d", s,
                INTERVAL_DEFAULT);
        return INTERVAL_DEFAULT;
    }
    return (int)v;
}

static void *poller_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&poller.lock);
    while (!poller.stopping) {
        pthread_mutex_unlock(&poller.lock);
        struct xrm_err err = XRM_ERR_INIT;
        if (xrm_mailbox_poll_all(poller.st, NULL, &err))
            xrm_log(XRM_LOG_WARN, "mail poll failed: %s", err.message);
        pthread_mutex_lock(&poller.lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += poller.interval;
        while (!poller.stopping &&
               pthread_cond_timedwait(&poller.cond, &poller.lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&poller.lock);
    return NULL;
}

void xrm_mailbox_poller_start(struct xrm_store *st)
{
    pthread_mutex_lock(&poller.lock);
    poller.interval = interval_setting();
    if (!poller.running && poller.interval > 0) {
        poller.st = st;
        poller.stopping = false;
        if (pthread_create(&poller.thread, NULL, poller_main, NULL) == 0)
            poller.running = true;
        else
            xrm_log(XRM_LOG_ERROR, "cannot start the mail poller");
    }
    pthread_mutex_unlock(&poller.lock);
}

void xrm_mailbox_poller_stop(void)
{
    pthread_mutex_lock(&poller.lock);
    if (!poller.running) {
        pthread_mutex_unlock(&poller.lock);
        return;
    }
    poller.stopping = true;
    pthread_cond_broadcast(&poller.cond);
    pthread_mutex_unlock(&poller.lock);
    pthread_join(poller.thread, NULL);
    pthread_mutex_lock(&poller.lock);
    poller.running = false;
    pthread_mutex_unlock(&poller.lock);
}
