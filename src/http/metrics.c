/*
 * GET /metrics (metrics.h). Request counts are kept per (route, method,
 * status) in a lock-free table of core/metrics.h, the route being its index
 * in xrm_routes: the label is the route's pattern, never the raw path, so
 * the number of series stays bounded by the route table. Durations are one
 * histogram per route. The outbox depths are counted at most every 5 s.
 */
#include "http/metrics.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/metrics.h"
#include "core/util.h"
#include "http/api.h"
#include "http/http.h"
#include "domain/mail/outbox.h"     /* xrm_outbox_depth */
#include "domain/webhooks/outbox.h" /* xrm_webhooks_depth */

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define OUTBOX_EVERY_NS 5000000000LL

static const char *const methods[] = {"GET",    "HEAD",    "POST",      "PUT",    "PATCH",
                                      "DELETE", "OPTIONS", "PROPFIND",  "REPORT", "MKCOL",
                                      "MOVE",   "COPY",    "PROPPATCH", "LOCK",   "UNLOCK"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0])) /* "other" after them */

static struct xrm_cmap requests;
static struct xrm_hist *durations; /* xrm_nroutes + 2: static, none */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *token;

static pthread_mutex_t outbox_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t outbox_at_ns;
static int64_t outbox_mail = -1, outbox_webhook = -1;

static void init(void)
{
    durations = xrm_calloc(xrm_nroutes + 2, sizeof(*durations));
}

void xrm_metrics_set_token(const char *t)
{
    free(token);
    token = t && *t ? xrm_strdup(t) : NULL;
}

static size_t route_slot(const struct xrm_route *route, bool static_file)
{
    if (route)
        return (size_t)(route - xrm_routes);
    return static_file ? xrm_nroutes : xrm_nroutes + 1;
}

static const char *slot_label(size_t slot)
{
    if (slot < xrm_nroutes)
        return xrm_routes[slot].pattern;
    return slot == xrm_nroutes ? "static" : "none";
}

void xrm_http_metrics_request(const struct xrm_route *route, bool static_file, const char *method,
                              int status, int64_t ns)
{
    pthread_once(&once, init);
    size_t slot = route_slot(route, static_file), m = 0;
    while (m < NMETHODS && strcmp(methods[m], method ? method : "") != 0)
        m++;
    if (status < 100 || status > 999)
        status = 999;
    uint64_t key = ((uint64_t)(slot + 1) << 16) | ((uint64_t)m << 10) | (uint64_t)status;
    xrm_cmap_add(&requests, key, 1);
    xrm_hist_observe(&durations[slot], &xrm_hist_seconds, ns > 0 ? (uint64_t)ns : 0);
}

void xrm_http_metrics_totals(int64_t *total, int64_t *errors_5xx)
{
    uint64_t n = 0, n5 = 0;
    for (size_t i = 0; i < XRM_CMAP_SLOTS; i++) {
        uint64_t key = atomic_load_explicit(&requests.key[i], memory_order_relaxed);
        if (!key)
            continue;
        uint64_t v = atomic_load_explicit(&requests.val[i], memory_order_relaxed);
        unsigned status = (unsigned)(key & 1023);
        n += v;
        if (status >= 500 && status <= 599)
            n5 += v;
    }
    *total = (int64_t)n;
    *errors_5xx = (int64_t)n5;
}

/* The mail and webhook outboxes' waiting rows, counted at most every 5 s. */
static void outbox_depths(struct xrm_db *db, int64_t *mail, int64_t *webhook)
{
    pthread_mutex_lock(&outbox_lock);
    int64_t now = xrm_mono_ns();
    if (db && (!outbox_at_ns || now - outbox_at_ns >= OUTBOX_EVERY_NS)) {
        struct xrm_err err = XRM_ERR_INIT;
        int64_t n;
        outbox_mail = xrm_outbox_depth(db, &n, &err) ? -1 : n;
        outbox_webhook = xrm_webhooks_depth(db, &n, &err) ? -1 : n;
        outbox_at_ns = now;
    }
    *mail = outbox_mail;
    *webhook = outbox_webhook;
    pthread_mutex_unlock(&outbox_lock);
}

void xrm_process_memory(int64_t *rss, int64_t *anon)
{
    char line[256];
    *rss = *anon = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        long long kb;
        if (sscanf(line, "VmRSS: %lld kB", &kb) == 1)
            *rss = kb * 1024;
        else if (sscanf(line, "RssAnon: %lld kB", &kb) == 1)
            *anon = kb * 1024;
    }
    fclose(f);
}

static bool authorized(struct xrm_req *req)
{
    if (!token)
        return true;
    const char *h = xrm_req_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    h += 7;
    size_t n = strlen(token);
    return strlen(h) == n && sodium_memcmp(h, token, n) == 0;
}

static void write_requests(struct xrm_buf *b)
{
    char status[8];
    xrm_metrics_head(b, "xrm_http_requests_total", "counter",
                     "HTTP requests answered, by route pattern, method and status");
    for (size_t i = 0; i < XRM_CMAP_SLOTS; i++) {
        uint64_t key = atomic_load_explicit(&requests.key[i], memory_order_acquire);
        if (!key)
            continue;
        size_t slot = (size_t)(key >> 16) - 1, m = (size_t)(key >> 10) & 63;
        snprintf(status, sizeof(status), "%d", (int)(key & 1023));
        const char *labels[] = {
            "route",  slot_label(slot), "method", m < NMETHODS ? methods[m] : "other",
            "status", status,           NULL};
        xrm_metrics_sample(b, "xrm_http_requests_total", labels,
                           (double)atomic_load_explicit(&requests.val[i], memory_order_relaxed));
    }
    xrm_metrics_head(b, "xrm_http_request_duration_seconds", "histogram",
                     "time from the request's arrival to its answer being queued, by route "
                     "pattern");
    for (size_t slot = 0; slot < xrm_nroutes + 2; slot++) {
        const struct xrm_hist *h = &durations[slot];
        uint64_t any = 0;
        for (int i = 0; i <= xrm_hist_seconds.n; i++)
            any |= atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        if (!any)
            continue;
        const char *labels[] = {"route", slot_label(slot), NULL};
        xrm_metrics_hist(b, "xrm_http_request_duration_seconds", labels, h, &xrm_hist_seconds);
    }
}

void api_metrics(struct xrm_req *req, struct xrm_resp *resp)
{
    if (!authorized(req)) {
        xrm_resp_problem(resp, 401, "GET /metrics needs 'Authorization: Bearer <metrics token>'");
        return;
    }
    pthread_once(&once, init);
    struct xrm_buf b;
    xrm_buf_init(&b, 16384);
    write_requests(&b);
    xrm_metrics_head(&b, "xrm_http_connections", "gauge", "open HTTP connections");
    xrm_metrics_sample(&b, "xrm_http_connections", NULL, (double)xrm_metric_get(XRM_M_CONNECTIONS));
    xrm_metrics_head(&b, "xrm_db_seconds_total", "counter",
                     "time spent running database statements");
    xrm_metrics_sample(&b, "xrm_db_seconds_total", NULL,
                       (double)xrm_metric_get(XRM_M_DB_NS) * 1e-9);
    xrm_metrics_head(&b, "xrm_db_statements_total", "counter", "database statements run");
    xrm_metrics_sample(&b, "xrm_db_statements_total", NULL,
                       (double)xrm_metric_get(XRM_M_DB_STATEMENTS));
    xrm_metrics_head(&b, "xrm_write_queue_depth", "gauge",
                     "writes waiting: for a write worker (queue worker) or for their group "
                     "commit (queue commit)");
    const char *qw[] = {"queue", "worker", NULL}, *qc[] = {"queue", "commit", NULL};
    xrm_metrics_sample(&b, "xrm_write_queue_depth", qw, (double)xrm_metric_get(XRM_M_QUEUE_WORKER));
    xrm_metrics_sample(&b, "xrm_write_queue_depth", qc, (double)xrm_metric_get(XRM_M_QUEUE_COMMIT));
    xrm_metrics_head(&b, "xrm_write_group_size", "histogram", "writes committed together");
    xrm_metrics_hist(&b, "xrm_write_group_size", NULL, xrm_metric_write_groups(), &xrm_hist_group);
    xrm_metrics_head(&b, "xrm_response_cache_hits_total", "counter",
                     "GET answers sent from the response cache");
    xrm_metrics_sample(&b, "xrm_response_cache_hits_total", NULL,
                       (double)xrm_metric_get(XRM_M_RCACHE_HITS));
    xrm_metrics_head(&b, "xrm_response_cache_misses_total", "counter",
                     "cacheable GETs the response cache did not have");
    xrm_metrics_sample(&b, "xrm_response_cache_misses_total", NULL,
                       (double)xrm_metric_get(XRM_M_RCACHE_MISSES));
    int64_t mail, webhook;
    outbox_depths(req->ctx.db, &mail, &webhook);
    xrm_metrics_head(&b, "xrm_outbox_depth", "gauge",
                     "mails and webhook deliveries waiting to be sent (counted every 5 s)");
    const char *km[] = {"kind", "mail", NULL}, *kw[] = {"kind", "webhook", NULL};
    if (mail >= 0)
        xrm_metrics_sample(&b, "xrm_outbox_depth", km, (double)mail);
    if (webhook >= 0)
        xrm_metrics_sample(&b, "xrm_outbox_depth", kw, (double)webhook);
    int64_t rss, anon;
    xrm_process_memory(&rss, &anon);
    xrm_metrics_head(&b, "xrm_process_resident_memory_bytes", "gauge",
                     "resident memory of the process (VmRSS)");
    if (rss >= 0)
        xrm_metrics_sample(&b, "xrm_process_resident_memory_bytes", NULL, (double)rss);
    xrm_metrics_head(&b, "xrm_process_resident_anon_bytes", "gauge",
                     "resident anonymous memory of the process (RssAnon): the heap, not the "
                     "page cache of mapped files");
    if (anon >= 0)
        xrm_metrics_sample(&b, "xrm_process_resident_anon_bytes", NULL, (double)anon);
    xrm_metrics_head(&b, "xrm_build_info", "gauge", "the running xrm's version");
    const char *ver[] = {"version", XRM_VERSION, NULL};
    xrm_metrics_sample(&b, "xrm_build_info", ver, 1);
    xrm_metrics_head(&b, "xrm_up", "gauge", "1 while the server answers");
    xrm_metrics_sample(&b, "xrm_up", NULL, 1);
    resp->status = 200;
    resp->raw = xrm_buf_detach(&b, &resp->raw_len);
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
