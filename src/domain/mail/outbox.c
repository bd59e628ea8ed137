/*
 * The outbox (outbox.h): queuing a mail inside a write, the worker thread
 * that delivers it, and the admin's view of it. SQL in outbox-db.c.
 */
#include "domain/mail/outbox.h"
#include "domain/mail/outbox-db.h"
#include "domain/base/worker.h"
#include "domain/base/access.h"
#include "domain/party/activity.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "io/mail-out.h"
#include "io/smtp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define MAX_SLEEP_S 60
#define BACKOFF_CAP_S (6 * 3600)
#define DEFAULT_FROM "xrm@localhost"

/* Configuration */

static struct {
    pthread_mutex_t lock;
    char *smtp_url, *smtp_user, *smtp_password, *from, *public_url;
    bool public_url_given; /* --public-url / XRM_PUBLIC_URL, not the listen address */
} conf = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void set_str(char **slot, const char *v)
{
    if (!v)
        return;
    free(*slot);
    *slot = *v ? strdup(v) : NULL;
}

void xrm_mail_configure(const struct xrm_mail_config *c)
{
    pthread_mutex_lock(&conf.lock);
    set_str(&conf.smtp_url, c->smtp_url);
    set_str(&conf.smtp_user, c->smtp_user);
    set_str(&conf.smtp_password, c->smtp_password);
    set_str(&conf.from, c->from);
    if (c->public_url) {
        set_str(&conf.public_url, c->public_url);
        conf.public_url_given = conf.public_url != NULL;
    } else if (c->listen && !conf.public_url) {
        char url[300];
        snprintf(url, sizeof(url), "%s://%s", c->tls ? "https" : "http", c->listen);
        set_str(&conf.public_url, url);
    }
    if (conf.public_url) { /* no trailing slash */
        size_t n = strlen(conf.public_url);
        while (n > 0 && conf.public_url[n - 1] == '/')
            conf.public_url[--n] = '\0';
    }
    pthread_mutex_unlock(&conf.lock);
}

/* The configuration is set once before the server starts and only read after. */
const char *xrm_mail_public_url(void)
{
    return conf.public_url ? conf.public_url : "http://127.0.0.1:8080";
}

const char *xrm_public_url_given(void)
{
    return conf.public_url_given ? conf.public_url : NULL;
}

const char *xrm_mail_from(void)
{
    return conf.from ? conf.from : DEFAULT_FROM;
}

bool xrm_mail_smtp_configured(void)
{
    return conf.smtp_url != NULL;
}

/* Queuing */

/* A copy of s with CR, LF and tabs as spaces (NULL for NULL). */
static char *one_line(const char *s)
{
    char *c = s ? strdup(s) : NULL;
    for (char *p = c; p && *p; p++)
        if (*p == '\r' || *p == '\n' || *p == '\t')
            *p = ' ';
    return c;
}

enum xrm_rc xrm_mail_queue_tx(struct xrm_db *db, const struct xrm_user *user,
                              const struct xrm_mail *m, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char *bytes = NULL;
    size_t len = 0;
    json_t *act_in = NULL, *act = NULL;
    char from_name[256], from_addr[256], mid[XRM_MESSAGE_ID_MAX], now[XRM_TIME_LEN],
        at[XRM_TIME_LEN];
    int64_t outbox = 0, activity = 0;
    char *subject = NULL, *to_name = NULL;
    if (out)
        *out = NULL;
    if (!m->domain || !xrm_domain_valid(m->domain)) {
        rc = xrm_err_field(err, XRM_E_INVALID, "domain",
                           "must be one of sales, hr, partners, purchasing, pr");
        goto out;
    }
    if ((rc = xrm_access_write(user, m->domain, err)))
        goto out;
    if (!xrm_mail_split_address(xrm_mail_from(), from_name, sizeof(from_name), from_addr,
                                sizeof(from_addr))) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "the sender address (XRM_MAIL_FROM) is not valid");
        goto out;
    }
    /* a subject and a display name are one line each */
    subject = one_line(m->subject);
    to_name = one_line(m->to_name);
    xrm_mail_message_id(from_addr, mid);
    xrm_now(now);
    xrm_clock_now(at);
    struct xrm_mime_att *att = NULL;
    if (m->n_att) {
        att = calloc(m->n_att, sizeof(*att));
        if (!att) {
            rc = xrm_errf(err, XRM_E_INTERNAL, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < m->n_att; i++)
            att[i] = (struct xrm_mime_att){m->att[i].name, m->att[i].type, m->att[i].data,
                                           m->att[i].len};
    }
    struct xrm_mime_msg mm = {
        .from = from_addr,
        .from_name = from_name[0] ? from_name : NULL,
        .to = m->to,
        .to_name = to_name,
        .subject = subject,
        .text = m->text,
        .message_id = mid,
        .in_reply_to = m->in_reply_to,
        .unsubscribe_url = m->unsubscribe_url,
        .date = xrm_clock_now_t(),
        .att = att,
        .n_att = m->n_att,
    };
    rc = xrm_mail_build(&mm, &bytes, &len, err);
    free(att);
    if (rc)
        goto out;
    struct xrm_outbox_row row = {.message_id = mid,
                                 .mail_from = from_addr,
                                 .rcpt = m->to,
                                 .message = bytes,
                                 .campaign = m->campaign,
                                 .created_by = user ? user->id : 0,
                                 .now = now};
    if ((rc = xrm_outbox_db_insert(db, &row, &outbox, err)))
        goto out;
    if (m->activity) {
        activity = m->activity;
    } else if (m->party) {
        act_in = json_pack("{s:s, s:s, s:s, s:s, s:[I], s:s}", "type", "email", "domain", m->domain,
                           "subject", subject, "body", m->text, "parties", (json_int_t)m->party,
                           "at", at);
        if (!act_in) {
            rc = xrm_errf(err, XRM_E_INVALID, "the subject and the text must be UTF-8");
            goto out;
        }
        if ((rc = xrm_activity_insert_tx(db, user, act_in, NULL, &act, err)))
            goto out;
        activity = json_integer_value(json_object_get(act, "id"));
        if (m->entity && strcmp(m->entity, "case") == 0 &&
            (rc = xrm_records_link(db, activity, "case", m->entity_id, "message", err)))
            goto out;
    }
    struct xrm_mail_message_row mr = {.message_id = mid,
                                      .direction = "out",
                                      .activity = activity,
                                      .entity = m->entity,
                                      .entity_id = m->entity_id,
                                      .in_reply_to = m->in_reply_to,
                                      .from_addr = from_addr,
                                      .to_addrs = m->to,
                                      .subject = subject,
                                      .outbox = outbox,
                                      .at = now};
    if ((rc = xrm_outbox_db_message(db, &mr, err)))
        goto out;
    if (out) {
        *out = json_pack("{s:I, s:s, s:o}", "outbox", (json_int_t)outbox, "message_id", mid,
                         "activity", activity ? json_integer(activity) : json_null());
    }
out:
    free(bytes);
    free(subject);
    free(to_name);
    json_decref(act_in);
    json_decref(act);
    return rc;
}

/* The worker */

static int64_t base_s = 60; /* the first retry's wait */

static bool send_one(struct xrm_store *st);
static enum xrm_rc next_due(struct xrm_db *db, char *due, size_t n, struct xrm_err *err)
{
    return xrm_outbox_db_next_due(db, due, n, err);
}

static struct xrm_worker w = XRM_WORKER_INIT("outbox", send_one, next_due, NULL, MAX_SLEEP_S);

void xrm_outbox_kick(void)
{
    xrm_worker_kick(&w);
}

struct claim_arg {
    char now[XRM_TIME_LEN];
    struct xrm_outbox_claim c;
    bool found;
};

static enum xrm_rc claim_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct claim_arg *a = arg;
    return xrm_outbox_db_claim(db, a->now, &a->c, &a->found, err);
}

struct finish_arg {
    int64_t id;
    const char *status, *next_at, *last_error, *sent_at;
};

static enum xrm_rc finish_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct finish_arg *a = arg;
    return xrm_outbox_db_finish(db, a->id, a->status, a->next_at, a->last_error, a->sent_at, err);
}

struct requeue_arg {
    char now[XRM_TIME_LEN];
    int64_t n;
};

static enum xrm_rc requeue_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct requeue_arg *a = arg;
    return xrm_outbox_db_requeue(db, a->now, &a->n, err);
}

/* Sends one due mail; false when none was due (or the database failed). */
static bool send_one(struct xrm_store *st)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct claim_arg a = {0};
    xrm_now(a.now);
    if (xrm_store_write(st, claim_tx, &a, &err)) {
        xrm_log(XRM_LOG_ERROR, "outbox: cannot claim a mail: %s", err.message);
        return false;
    }
    if (!a.found)
        return false;
    struct xrm_smtp cfg = {
        .url = conf.smtp_url, .user = conf.smtp_user, .password = conf.smtp_password};
    char why[512], now[XRM_TIME_LEN], next[XRM_TIME_LEN];
    enum xrm_smtp_result res = xrm_smtp_send(&cfg, a.c.mail_from, a.c.rcpt, a.c.message,
                                             strlen(a.c.message), why, sizeof(why));
    xrm_now(now);
    struct finish_arg f = {.id = a.c.id};
    if (res == XRM_SMTP_SENT) {
        f.status = "sent";
        f.sent_at = now;
        xrm_log(XRM_LOG_INFO, "outbox: mail %lld sent (attempt %lld)", (long long)a.c.id,
                (long long)a.c.attempts);
    } else if (res == XRM_SMTP_PERMANENT || a.c.attempts >= XRM_OUTBOX_MAX_ATTEMPTS) {
        f.status = "failed";
        f.last_error = why;
        xrm_log(XRM_LOG_WARN, "outbox: mail %lld failed for good: %s", (long long)a.c.id, why);
    } else {
        int64_t delay = xrm_worker_backoff(base_s, a.c.attempts, BACKOFF_CAP_S);
        xrm_time_format(xrm_now_ms() / 1000 + delay, next);
        f.status = "queued";
        f.next_at = next;
        f.last_error = why;
        xrm_log(XRM_LOG_WARN, "outbox: mail %lld not sent (attempt %lld, again at %s): %s",
                (long long)a.c.id, (long long)a.c.attempts, next, why);
    }
    struct xrm_err ferr = XRM_ERR_INIT;
    if (xrm_store_write(st, finish_tx, &f, &ferr))
        xrm_log(XRM_LOG_ERROR, "outbox: cannot keep the outcome of mail %lld: %s",
                (long long)a.c.id, ferr.message);
    xrm_outbox_claim_free(&a.c);
    return true;
}

enum xrm_rc xrm_outbox_start(struct xrm_store *st, struct xrm_err *err)
{
    if (xrm_worker_running(&w) || !xrm_mail_smtp_configured())
        return XRM_OK;
    base_s = xrm_env_int("XRM_MAIL_RETRY_SECONDS", 1, 86400, base_s);
    xrm_smtp_init();
    xrm_mail_out_init();
    struct requeue_arg a = {0};
    xrm_now(a.now);
    enum xrm_rc rc = xrm_store_write(st, requeue_tx, &a, err);
    if (rc)
        return rc;
    if (a.n)
        xrm_log(XRM_LOG_WARN, "outbox: %lld mail(s) left sending by a stop are sent again",
                (long long)a.n);
    if ((rc = xrm_worker_start(&w, st, err)))
        return rc;
    xrm_log(XRM_LOG_INFO, "outbox: sending through SMTP, retries from %lld s", (long long)base_s);
    return XRM_OK;
}

void xrm_outbox_stop(void)
{
    xrm_worker_stop(&w);
}

/* The admin's view */

static const char *const statuses[] = {"queued", "sending", "sent", "failed", NULL};

enum xrm_rc xrm_outbox_list(struct xrm_ctx *ctx, const char *status, int limit, const char *cursor,
                            json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    int64_t before = 0;
    *out = NULL;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "the outbox", err);
    if (rc)
        return rc;
    if (status && *status && !xrm_str_in(statuses, status))
        return xrm_err_field(err, XRM_E_INVALID, "status",
                             "must be one of queued, sending, sent, failed");
    if (!xrm_records_cursor(cursor, &before, err))
        return err->rc;
    limit = xrm_records_limit(limit);
    if ((rc = xrm_outbox_db_list(ctx->db, status && *status ? status : NULL, before, limit + 1,
                                 &items, err)))
        return rc;
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}

struct retry_arg {
    int64_t id;
    json_t *out;
};

static enum xrm_rc retry_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct retry_arg *a = arg;
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_outbox_db_retry(db, a->id, now, &a->out, err);
}

enum xrm_rc xrm_outbox_retry(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct retry_arg a = {.id = id};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "the outbox", err);
    if (!rc)
        rc = xrm_store_write(ctx->store, retry_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    xrm_outbox_kick();
    *out = a.out;
    return XRM_OK;
}

enum xrm_rc xrm_mail_settings(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "the mail settings", err);
    if (rc)
        return rc;
    *out = json_pack("{s:b, s:s, s:s}", "smtp", xrm_mail_smtp_configured(), "from", xrm_mail_from(),
                     "public_url", xrm_mail_public_url());
    return XRM_OK;
}
