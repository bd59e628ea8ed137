/*
 * The webhooks' outbox (outbox.h): queuing a delivery inside the write of
 * the change, the worker thread that POSTs it, and the administrators'
 * delivery log. SQL in outbox-db.c.
 */
#include "domain/webhooks/outbox.h"
#include "domain/webhooks/outbox-db.h"
#include "domain/webhooks/webhook.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/billing/invoice.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/records/agreement.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"
#include "io/http-post.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define MAX_SLEEP_S 60
#define BACKOFF_CAP_S (2 * 3600)
#define WINDOW_S (24 * 3600)
#define TIMEOUT_S 10
#define KEEP_S (30 * 86400) /* delivered and dead deliveries are kept this long */
#define PRUNE_EVERY_S 3600

/* Queuing */

enum kind { K_PARTY, K_ROLE, K_ACTIVITY, K_DEAL, K_CASE, K_AGREEMENT, K_INVOICE, K_NONE };

static const struct {
    const char *entity;
    const char *domain; /* fixed domain, or NULL: the record's "domain" (none for parties) */
} kinds[] = {
    [K_PARTY] = {"party", NULL},        [K_ROLE] = {"role", NULL},
    [K_ACTIVITY] = {"activity", NULL},  [K_DEAL] = {"deal", "sales"},
    [K_CASE] = {"case", NULL},          [K_AGREEMENT] = {"agreement", NULL},
    [K_INVOICE] = {"invoice", "sales"},
};

static enum kind kind_of(const char *entity)
{
    for (int k = 0; k < K_NONE; k++)
        if (strcmp(kinds[k].entity, entity) == 0)
            return (enum kind)k;
    return K_NONE;
}

/* The event's verb for an audit action, or NULL when the action is no event. */
static const char *verb_of(enum kind k, const char *action)
{
    if (strcmp(action, "create") == 0)
        return "created";
    if (strcmp(action, "update") == 0)
        return "updated";
    if (strcmp(action, "delete") == 0)
        return "deleted";
    if (k == K_PARTY && (strcmp(action, "archive") == 0 || strcmp(action, "erase") == 0))
        return "deleted";
    return NULL;
}

/*
 * The reader a subscription's bodies are made for: its owner, narrowed to
 * the subscription's domains when it names any.
 */
static void narrow(struct xrm_user *u, unsigned domains)
{
    if (!domains)
        return;
    for (int i = 0; i < XRM_NDOMAINS; i++)
        u->level[i] = (domains & (1u << i)) ? (unsigned char)xrm_access_level(u, xrm_domains[i])
                                            : (unsigned char)XRM_LEVEL_NONE;
    u->admin = false;
}

/*
 * The record as reader gets it, read on db (the change's transaction).
 * *data NULL and XRM_OK when the reader may not see it.
 */
static enum xrm_rc render(struct xrm_db *db, const struct xrm_user *reader, enum kind k, int64_t id,
                          json_t **data, struct xrm_err *err)
{
    struct xrm_ctx ctx = {.store = NULL, .db = db, .user = *reader};
    struct xrm_err e = XRM_ERR_INIT;
    enum xrm_rc rc = XRM_E_INTERNAL;
    *data = NULL;
    switch (k) {
    case K_PARTY:
        rc = xrm_party_get(&ctx, id, data, &e);
        break;
    case K_ROLE:
        rc = xrm_role_get(&ctx, id, data, &e);
        break;
    case K_ACTIVITY:
        rc = xrm_activity_get(&ctx, id, data, &e);
        break;
    case K_DEAL:
        rc = xrm_record_op_get(&ctx, &xrm_deal_ops, id, data, &e);
        break;
    case K_CASE:
        rc = xrm_record_op_get(&ctx, &xrm_case_ops, id, data, &e);
        break;
    case K_AGREEMENT:
        rc = xrm_record_op_get(&ctx, &xrm_agreement_ops, id, data, &e);
        break;
    case K_INVOICE:
        rc = xrm_record_op_get(&ctx, &xrm_invoice_ops, id, data, &e);
        break;
    case K_NONE:
        break;
    }
    if (rc == XRM_OK)
        return XRM_OK;
    json_decref(*data);
    *data = NULL;
    if (rc == XRM_E_NOTFOUND || rc == XRM_E_DENIED)
        return XRM_OK;
    if (rc == XRM_E_DB || rc == XRM_E_FULL)
        return xrm_errf(err, rc, "%s", e.message);
    /* anything else is a fault of the rendering, not of the change: it is logged, not queued */
    xrm_log(XRM_LOG_ERROR, "webhooks: cannot render %s %lld: %s", kinds[k].entity, (long long)id,
            e.message);
    return XRM_OK;
}

/* The party an event is about: the party itself, the record's party, an activity's first. */
static int64_t party_of(enum kind k, int64_t id, json_t *rec)
{
    if (k == K_PARTY)
        return id;
    json_t *p = k == K_ACTIVITY ? json_array_get(json_object_get(rec, "parties"), 0)
                                : json_object_get(rec, "party");
    return json_is_integer(p) ? json_integer_value(p) : 0;
}

/* The body as it is sent: {"id", "type", "at", "domain", "data"} (data is stolen). */
static char *body_text(const char *event_id, const char *type, const char *at, const char *domain,
                       json_t *data)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", event_id, "type", type, "at", at,
                          "domain", domain ? json_string(domain) : json_null(), "data", data);
    char *text = xrm_json_dump(o);
    json_decref(o);
    return text;
}

static enum xrm_rc queue(struct xrm_db *db, int64_t webhook, const char *event,
                         const char *event_id, const char *domain, int64_t party, const char *at,
                         json_t *data, int64_t *id, struct xrm_err *err)
{
    char *body = body_text(event_id, event, at, domain, data);
    struct xrm_whd_row row = {.webhook = webhook,
                              .event = event,
                              .event_id = event_id,
                              .domain = domain,
                              .party = party,
                              .body = body,
                              .now = at};
    enum xrm_rc rc = xrm_whd_insert(db, &row, id, err);
    free(body);
    return rc;
}

enum xrm_rc xrm_webhooks_observe(struct xrm_db *db, const struct xrm_user *user, const char *action,
                                 const char *entity, int64_t entity_id, json_t *before,
                                 json_t *after, struct xrm_err *err)
{
    (void)user;
    struct xrm_webhook_sub *subs = NULL;
    size_t n = 0;
    bool queued = false;
    if (strcmp(entity, "webhook") == 0) {
        xrm_webhooks_changed();
        return XRM_OK;
    }
    enum kind k = kind_of(entity);
    const char *verb = k == K_NONE ? NULL : verb_of(k, action);
    if (!verb)
        return XRM_OK;
    char event[48];
    snprintf(event, sizeof(event), "%s.%s", entity, verb);
    const char *domain = kinds[k].domain;
    if (k != K_PARTY && !domain) {
        domain = json_string_value(json_object_get(after, "domain"));
        if (!domain)
            domain = json_string_value(json_object_get(before, "domain"));
    }
    enum xrm_rc rc = xrm_webhooks_matching(db, event, domain, &subs, &n, err);
    if (rc || n == 0)
        goto out;
    char event_id[37], at[XRM_TIME_LEN];
    xrm_uuid(event_id);
    xrm_now(at);
    int64_t party = party_of(k, entity_id, after ? after : before);
    bool deleted = strcmp(verb, "deleted") == 0;
    for (size_t i = 0; !rc && i < n; i++) {
        struct xrm_user reader;
        bool found = false;
        json_t *data = NULL;
        if (!subs[i].owner || (rc = xrm_whd_owner(db, subs[i].owner, &reader, &found, err)) ||
            !found)
            continue;
        narrow(&reader, subs[i].domains);
        if (domain && xrm_access_level(&reader, domain) < XRM_LEVEL_READ)
            continue;
        if (deleted && k == K_ROLE && xrm_access_role_hidden(&reader, before))
            continue; /* a recruitment role the reader may not see is not there for them */
        if (deleted)
            data = json_pack("{s:I}", "id", (json_int_t)entity_id);
        else if ((rc = render(db, &reader, k, entity_id, &data, err)) || !data)
            continue;
        int64_t id = 0;
        rc = queue(db, subs[i].id, event, event_id, domain, party, at, data, &id, err);
        queued = queued || id;
    }
out:
    free(subs);
    if (queued) /* the worker's claim is a write of its own: it sees the row once committed */
        xrm_webhooks_kick();
    return rc;
}

/* The worker */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    struct xrm_store *st;
    bool started, stop, kicked;
    int64_t base_s, window_s;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .cond = PTHREAD_COND_INITIALIZER,
       .base_s = 30,
       .window_s = WINDOW_S};

void xrm_webhooks_kick(void)
{
    pthread_mutex_lock(&w.lock);
    w.kicked = true;
    pthread_cond_broadcast(&w.cond);
    pthread_mutex_unlock(&w.lock);
}

struct claim_arg {
    char now[XRM_TIME_LEN];
    struct xrm_whd_claim c;
    bool found;
};

static enum xrm_rc claim_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct claim_arg *a = arg;
    return xrm_whd_claim(db, a->now, &a->c, &a->found, err);
}

static enum xrm_rc finish_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    return xrm_whd_finish(db, arg, err);
}

struct requeue_arg {
    char now[XRM_TIME_LEN];
    int64_t n;
};

static enum xrm_rc requeue_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct requeue_arg *a = arg;
    return xrm_whd_requeue(db, a->now, &a->n, err);
}

/* "t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>" into out. */
static void sign(const char *secret, const char *body, int64_t t, char *out, size_t n)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char ts[24], hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    snprintf(ts, sizeof(ts), "%lld", (long long)t);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
    xrm_hex(mac, sizeof(mac), hex);
    snprintf(out, n, "X-Xrm-Signature: t=%s,v1=%s", ts, hex);
}

/* Sends one due delivery; false when none was due (or the database failed). */
static bool send_one(void)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct claim_arg a = {0};
    xrm_now(a.now);
    if (xrm_store_write(w.st, claim_tx, &a, &err)) {
        xrm_log(XRM_LOG_ERROR, "webhooks: cannot claim a delivery: %s", err.message);
        return false;
    }
    if (!a.found)
        return false;
    char h_event[96], h_delivery[64], h_event_id[64], h_sig[128];
    snprintf(h_event, sizeof(h_event), "X-Xrm-Event: %s", a.c.event);
    snprintf(h_delivery, sizeof(h_delivery), "X-Xrm-Delivery: %lld", (long long)a.c.id);
    snprintf(h_event_id, sizeof(h_event_id), "X-Xrm-Event-Id: %s", a.c.event_id);
    int64_t now_s = xrm_now_ms() / 1000;
    sign(a.c.secret, a.c.body, now_s, h_sig, sizeof(h_sig));
    const char *headers[] = {"Content-Type: application/json",
                             "User-Agent: xrm-webhooks/1",
                             h_event,
                             h_delivery,
                             h_event_id,
                             h_sig,
                             NULL};
    long status = 0;
    char why[512], now[XRM_TIME_LEN], next[XRM_TIME_LEN];
    bool answered = xrm_http_post(a.c.url, headers, a.c.body, strlen(a.c.body), TIMEOUT_S, &status,
                                  why, sizeof(why));
    xrm_now(now);
    now_s = xrm_now_ms() / 1000;
    struct xrm_whd_outcome o = {.id = a.c.id, .last_status = answered ? status : 0};
    int64_t created = 0;
    if (!xrm_time_parse(a.c.created_at, &created))
        created = now_s;
    int64_t deadline = created + w.window_s;
    if (answered && status >= 200 && status <= 299) {
        o.status = "delivered";
        o.delivered_at = now;
        xrm_log(XRM_LOG_INFO, "webhooks: delivery %lld delivered (attempt %lld, HTTP %ld)",
                (long long)a.c.id, (long long)a.c.attempts, status);
    } else if (now_s >= deadline) {
        o.status = "dead";
        o.last_error = why;
        xrm_log(XRM_LOG_WARN, "webhooks: delivery %lld dead after %lld attempts: %s",
                (long long)a.c.id, (long long)a.c.attempts, why);
    } else {
        int64_t delay = w.base_s;
        for (int64_t i = 1; i < a.c.attempts && delay < BACKOFF_CAP_S; i++)
            delay *= 2;
        if (delay > BACKOFF_CAP_S)
            delay = BACKOFF_CAP_S;
        int64_t at = now_s + delay;
        if (at > deadline) /* the last try comes when the window closes */
            at = deadline;
        xrm_time_format(at, next);
        o.status = "pending";
        o.next_at = next;
        o.last_error = why;
        xrm_log(XRM_LOG_WARN,
                "webhooks: delivery %lld not delivered (attempt %lld, again at %s): %s",
                (long long)a.c.id, (long long)a.c.attempts, next, why);
    }
    struct xrm_err ferr = XRM_ERR_INIT;
    if (xrm_store_write(w.st, finish_tx, &o, &ferr))
        xrm_log(XRM_LOG_ERROR, "webhooks: cannot keep the outcome of delivery %lld: %s",
                (long long)a.c.id, ferr.message);
    xrm_whd_claim_free(&a.c);
    return true;
}

static enum xrm_rc prune_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    char before[XRM_TIME_LEN];
    xrm_time_format(xrm_now_ms() / 1000 - KEEP_S, before);
    return xrm_whd_prune(db, before, arg, err);
}

/* The log keeps 30 days: older delivered and dead deliveries go (at most hourly). */
static void prune(void)
{
    static int64_t last;
    int64_t now = xrm_now_ms() / 1000, n = 0;
    struct xrm_err err = XRM_ERR_INIT;
    if (last && now - last < PRUNE_EVERY_S)
        return;
    last = now;
    if (xrm_store_write(w.st, prune_tx, &n, &err))
        xrm_log(XRM_LOG_ERROR, "webhooks: cannot remove old deliveries: %s", err.message);
    else if (n)
        xrm_log(XRM_LOG_INFO, "webhooks: %lld delivery(ies) older than 30 days removed",
                (long long)n);
}

static void *worker_main(void *arg)
{
    (void)arg;
    struct xrm_db *db = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_reader(w.st, &db, &err)) {
        xrm_log(XRM_LOG_ERROR, "webhooks: no database reader: %s", err.message);
        return NULL;
    }
    pthread_mutex_lock(&w.lock);
    while (!w.stop) {
        w.kicked = false;
        pthread_mutex_unlock(&w.lock);
        prune();
        while (send_one()) {
            pthread_mutex_lock(&w.lock);
            bool stop = w.stop;
            pthread_mutex_unlock(&w.lock);
            if (stop)
                break;
        }
        char due[XRM_TIME_LEN + 8];
        int64_t wait = MAX_SLEEP_S, t = 0;
        xrm_store_read_begin(db);
        if (xrm_whd_next_due(db, due, sizeof(due), &err) == XRM_OK && due[0] &&
            xrm_time_parse(due, &t)) {
            int64_t d = t - xrm_now_ms() / 1000;
            if (d < wait)
                wait = d < 1 ? 1 : d;
        }
        xrm_store_read_end(db);
        pthread_mutex_lock(&w.lock);
        if (w.stop || w.kicked)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)wait;
        int r = 0;
        while (!w.stop && !w.kicked && r != ETIMEDOUT)
            r = pthread_cond_timedwait(&w.cond, &w.lock, &ts);
    }
    pthread_mutex_unlock(&w.lock);
    return NULL;
}

static void env_seconds(const char *name, int64_t max, int64_t *out)
{
    const char *v = getenv(name);
    int64_t b;
    if (v && *v && xrm_parse_int(v, 1, max, &b))
        *out = b;
}

enum xrm_rc xrm_webhooks_start(struct xrm_store *st, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    pthread_mutex_lock(&w.lock);
    if (w.started)
        goto out;
    env_seconds("XRM_WEBHOOK_RETRY_SECONDS", 86400, &w.base_s);
    env_seconds("XRM_WEBHOOK_WINDOW_SECONDS", 30 * 86400, &w.window_s);
    struct requeue_arg a = {0};
    xrm_now(a.now);
    if ((rc = xrm_store_write(st, requeue_tx, &a, err)))
        goto out;
    if (a.n)
        xrm_log(XRM_LOG_WARN, "webhooks: %lld delivery(ies) left sending by a stop are sent again",
                (long long)a.n);
    w.st = st;
    w.stop = false;
    w.kicked = true;
    if (pthread_create(&w.thread, NULL, worker_main, NULL) != 0) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot start the webhook worker");
        goto out;
    }
    w.started = true;
    xrm_log(XRM_LOG_INFO, "webhooks: delivering, retries from %lld s for %lld s",
            (long long)w.base_s, (long long)w.window_s);
out:
    pthread_mutex_unlock(&w.lock);
    return rc;
}

void xrm_webhooks_stop(void)
{
    pthread_mutex_lock(&w.lock);
    if (!w.started) {
        pthread_mutex_unlock(&w.lock);
        return;
    }
    w.stop = true;
    pthread_cond_broadcast(&w.cond);
    pthread_mutex_unlock(&w.lock);
    pthread_join(w.thread, NULL);
    pthread_mutex_lock(&w.lock);
    w.started = false;
    w.stop = false;
    pthread_mutex_unlock(&w.lock);
}

/* The administrators' view */

static const char *const statuses[] = {"pending", "sending", "delivered", "dead", NULL};

/* XRM_OK when webhook exists (and the caller is an administrator). */
static enum xrm_rc check_webhook(struct xrm_ctx *ctx, struct xrm_db *db, int64_t webhook,
                                 struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "webhooks", err);
    if (rc)
        return rc;
    json_t *h = NULL;
    rc = xrm_record_db_load(db, &xrm_webhook_kind, webhook, &h, err);
    json_decref(h);
    return rc;
}

enum xrm_rc xrm_webhook_deliveries(struct xrm_ctx *ctx, int64_t webhook, const char *status,
                                   int limit, const char *cursor, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    int64_t before = 0;
    *out = NULL;
    enum xrm_rc rc = check_webhook(ctx, ctx->db, webhook, err);
    if (rc)
        return rc;
    if (status && *status && !xrm_str_in(statuses, status))
        return xrm_err_field(err, XRM_E_INVALID, "status",
                             "must be one of pending, sending, delivered, dead");
    if (!xrm_records_cursor(cursor, &before, err))
        return err->rc;
    limit = xrm_records_limit(limit);
    if ((rc = xrm_whd_list(ctx->db, webhook, status && *status ? status : NULL, before, limit + 1,
                           &items, err)))
        return rc;
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}

struct replay_arg {
    struct xrm_ctx *ctx;
    int64_t webhook, id; /* id 0: every dead one */
    int64_t n;
    json_t *out;
};

static enum xrm_rc replay_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct replay_arg *a = arg;
    char now[XRM_TIME_LEN];
    json_t *d = NULL;
    enum xrm_rc rc = check_webhook(a->ctx, db, a->webhook, err);
    if (!rc && a->id)
        rc = xrm_whd_get(db, a->webhook, a->id, &d, err);
    if (!rc && d && strcmp(json_string_value(json_object_get(d, "status")), "sending") == 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "the delivery is being sent");
    json_decref(d);
    if (rc)
        return rc;
    xrm_now(now);
    rc = xrm_whd_replay(db, a->webhook, a->id, now, &a->n, err);
    if (!rc && a->id)
        rc = xrm_whd_get(db, a->webhook, a->id, &a->out, err);
    return rc;
}

enum xrm_rc xrm_webhook_replay(struct xrm_ctx *ctx, int64_t webhook, int64_t delivery, json_t **out,
                               struct xrm_err *err)
{
    struct replay_arg a = {.ctx = ctx, .webhook = webhook, .id = delivery};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "webhooks", err);
    if (!rc)
        rc = xrm_store_write(ctx->store, replay_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    xrm_webhooks_kick();
    *out = a.out;
    return XRM_OK;
}

enum xrm_rc xrm_webhook_replay_all(struct xrm_ctx *ctx, int64_t webhook, json_t *in, json_t **out,
                                   struct xrm_err *err)
{
    static const char *const keys[] = {"status", NULL};
    const char *status = NULL;
    struct replay_arg a = {.ctx = ctx, .webhook = webhook};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "webhooks", err);
    if (rc)
        return rc;
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "status", 16, true, &status, err) && strcmp(status, "dead") != 0)
        xrm_err_field(err, XRM_E_INVALID, "status", "must be dead");
    if (err && err->rc)
        return err->rc;
    if ((rc = xrm_store_write(ctx->store, replay_tx, &a, err)))
        return rc;
    if (a.n)
        xrm_webhooks_kick();
    *out = json_pack("{s:I}", "replayed", (json_int_t)a.n);
    return XRM_OK;
}

struct test_arg {
    struct xrm_ctx *ctx;
    int64_t webhook;
    json_t *out;
};

static enum xrm_rc test_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct test_arg *a = arg;
    char event_id[37], at[XRM_TIME_LEN];
    int64_t id = 0;
    enum xrm_rc rc = check_webhook(a->ctx, db, a->webhook, err);
    if (rc)
        return rc;
    xrm_uuid(event_id);
    xrm_now(at);
    rc = queue(db, a->webhook, "ping", event_id, NULL, 0, at,
               json_pack("{s:I}", "webhook", (json_int_t)a->webhook), &id, err);
    if (!rc)
        rc = xrm_whd_get(db, a->webhook, id, &a->out, err);
    return rc;
}

enum xrm_rc xrm_webhook_test(struct xrm_ctx *ctx, int64_t webhook, json_t **out,
                             struct xrm_err *err)
{
    struct test_arg a = {.ctx = ctx, .webhook = webhook};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "webhooks", err);
    if (!rc)
        rc = xrm_store_write(ctx->store, test_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    xrm_webhooks_kick();
    *out = a.out;
    return XRM_OK;
}
