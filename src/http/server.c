/*
 * The HTTP server on libmicrohttpd: a pool of worker threads, each polling
 * its connections with poll(2). Not epoll: libmicrohttpd 0.9.75 (Debian 12)
 * can abort the process when MHD_quiesce_daemon() and a worker's epoll loop
 * both remove the listen socket from the epoll set (an unguarded
 * MHD_PANIC); with poll() quiescing only wakes the workers.
 *
 * A request is answered only after its body has been read in full (queueing
 * a response earlier makes libmicrohttpd close the connection, losing
 * keep-alive). Bodies are capped per route; a body over the cap is drained
 * and answered with 413; a request that gives both Content-Length and
 * Transfer-Encoding is answered 400 at once and its connection closed (the
 * two framings could be read differently by a proxy in front). Dispatch:
 * route match (404/405), authentication (401/403), 415 for a body that is
 * not JSON on a JSON route, Idempotency-Key replay for POST, the handler,
 * then ETag and If-None-Match.
 *
 * One client cannot hold every connection: each address may have at most
 * max_conn_per_ip open at once (an accept policy and a small counter
 * table; trusted reverse proxies are exempt), and a connection idle or
 * half-sent for idle_timeout seconds is closed. Behind a trusted proxy the
 * client address (login limits, logs) is the one it forwarded in
 * X-Forwarded-For.
 */
#include "http/http.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/messages.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/base/idempotency.h"
#include "domain/records/task.h"
#include "domain/users/auth.h"
#include "http/static.h"
#include "http/api.h" /* api_imports_start/_stop */
#include "http/dav.h" /* Basic authentication of /dav/ */
#include "http/rcache.h"
#include "http/metrics.h"
#include "core/metrics.h"

#include <microhttpd.h>
#include <sodium.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#define XRM_IO_CACHE_KB 64000 /* page cache of all I/O threads' readers together */

#define CONN_LIMIT 4096   /* connections of the whole server, at most */
#define CONN_FD_SPARE 256 /* descriptors kept for database files, logs and the like */
#define ADDR_SLOTS 16384  /* per-address connection counters (> CONN_LIMIT) */
#define MAX_PROXIES 16

/* An address as 16 bytes: IPv6, or IPv4 mapped into it. */
struct addr_key {
    unsigned char b[16];
};

struct addr_count {
    struct addr_key key;
    bool used; /* the slot holds key (count may be 0: reused by a later key) */
    int count;
};

struct xrm_server {
    MHD_socket quiesced_fd; /* the listen socket after a drain; closed after stop */
    struct MHD_Daemon *d;
    struct xrm_store *store;
    pthread_mutex_t idem_lock;
    char *web_root;

    int io_cache_kb; /* page cache of each I/O thread's reader connection */

    /* Open connections per client address (accept_policy, notify_conn). */
    int max_conn_per_ip; /* 0: no cap */
    struct addr_key proxies[MAX_PROXIES];
    int nproxies;
    pthread_mutex_t addr_lock;
    struct addr_count *addrs; /* ADDR_SLOTS */

    /* Write requests run on these workers while their connection is suspended. */
    pthread_t *workers;
    int nworkers;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct conn_state *qhead, *qtail;
    bool stopping;

    /* Graceful stop: requests begun (first on_request) and not completed. */
    atomic_int inflight;
    pthread_mutex_t drain_lock;
    pthread_cond_t drain_cond; /* signalled when inflight drops to 0 while draining */
    char *tls_cert, *tls_key;  /* PEM text while TLS is on (libmicrohttpd keeps pointers) */
};

enum cs_phase { CS_READING, CS_RUNNING, CS_DONE };

struct conn_state {
    const struct xrm_route *route;
    struct xrm_buf body;
    bool too_large;
    char allow[96];
    bool matched;
    bool bad_framing; /* both Content-Length and Transfer-Encoding */
    struct xrm_req req;
    enum cs_phase phase;
    struct xrm_resp resp; /* filled by a worker for offloaded requests */
    struct conn_state *next;
    /* the body of a spool route, written to a temporary file as it arrives */
    int spool_fd; /* -1: none open */
    bool spool_failed;
    size_t spooled;
    char spool_path[4096];
    crypto_generichash_state spool_hash;
    /* Operations: the request id, when the request began, the method as sent (HEAD) */
    char request_id[XRM_REQUEST_ID_MAX + 1];
    int64_t t0_ns;
    const char *method_sent;
    bool static_file; /* answered with a web app file (route label "static") */
};

const char *xrm_req_query(struct xrm_req *req, const char *key)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *xrm_req_header(struct xrm_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *xrm_req_cookie(struct xrm_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

static bool addr_from_sockaddr(const struct sockaddr *sa, struct addr_key *k)
{
    memset(k, 0, sizeof(*k));
    if (sa && sa->sa_family == AF_INET) {
        k->b[10] = k->b[11] = 0xff;
        memcpy(k->b + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return true;
    }
    if (sa && sa->sa_family == AF_INET6) {
        memcpy(k->b, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

/* Parses an IPv4 or IPv6 address in text (surrounding spaces allowed). */
static bool addr_parse(const char *s, size_t n, struct addr_key *k)
{
    char buf[INET6_ADDRSTRLEN + 1];
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(k, 0, sizeof(*k));
    unsigned char v4[4];
    if (inet_pton(AF_INET, buf, v4) == 1) {
        k->b[10] = k->b[11] = 0xff;
        memcpy(k->b + 12, v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, buf, k->b) == 1;
}

static void addr_text(const struct addr_key *k, char *out, size_t n)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(k->b, mapped, 12) == 0)
        inet_ntop(AF_INET, k->b + 12, out, (socklen_t)n);
    else
        inet_ntop(AF_INET6, k->b, out, (socklen_t)n);
}

static bool is_proxy(const struct xrm_server *srv, const struct addr_key *k)
{
    for (int i = 0; i < srv->nproxies; i++)
        if (memcmp(srv->proxies[i].b, k->b, 16) == 0)
            return true;
    return false;
}

struct fwd_list {
    char buf[1024];
    size_t len;
};

/* Joins every X-Forwarded-For header in order ("a, b" then "c": "a, b,c"). */
static enum MHD_Result add_forwarded(void *cls, enum MHD_ValueKind kind, const char *k,
                                     const char *v)
{
    struct fwd_list *f = cls;
    (void)kind;
    if (!k || !v || strcasecmp(k, "X-Forwarded-For") != 0)
        return MHD_YES;
    size_t n = strlen(v);
    if (f->len + n + 2 > sizeof(f->buf))
        return MHD_YES; /* too long: keep what we have (the proxy adds its hop last) */
    if (f->len)
        f->buf[f->len++] = ',';
    memcpy(f->buf + f->len, v, n);
    f->len += n;
    f->buf[f->len] = '\0';
    return MHD_YES;
}

/*
 * The client's address as text, for login limits: the peer's, unless the
 * peer is a trusted reverse proxy; then the rightmost address of
 * X-Forwarded-For that is not itself a trusted proxy (what a client wrote
 * there itself stands further left and is never believed).
 */
static void client_address(const struct xrm_server *srv, struct MHD_Connection *c, char *out,
                           size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct addr_key peer, k;
    out[0] = '\0';
    if (!addr_from_sockaddr(ci ? ci->client_addr : NULL, &peer))
        return;
    addr_text(&peer, out, n);
    if (!is_proxy(srv, &peer))
        return;
    struct fwd_list f = {.len = 0};
    f.buf[0] = '\0';
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_forwarded, &f);
    size_t end = f.len;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && f.buf[start - 1] != ',')
            start--;
        if (!addr_parse(f.buf + start, end - start, &k))
            return; /* unreadable hop: the last trusted one stays the client */
        addr_text(&k, out, n);
        if (!is_proxy(srv, &k))
            return;
        end = start ? start - 1 : 0;
    }
}

/* The counter slot of k (under addr_lock); NULL when absent and !create or the table is full. */
static struct addr_count *addr_slot(struct xrm_server *srv, const struct addr_key *k, bool create)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ k->b[i]) * 16777619u;
    struct addr_count *reuse = NULL;
    for (int i = 0; i < ADDR_SLOTS; i++) {
        struct addr_count *e = &srv->addrs[(h + (uint32_t)i) % ADDR_SLOTS];
        if (!e->used) {
            if (!create)
                return NULL;
            if (!reuse)
                reuse = e;
            break;
        }
        if (memcmp(e->key.b, k->b, 16) == 0)
            return e;
        if (!e->count && !reuse)
            reuse = e;
    }
    if (reuse) {
        reuse->key = *k;
        reuse->used = true;
        reuse->count = 0;
    }
    return reuse;
}

/*
 * Accept policy: refuses a connection from an address that already has
 * max_conn_per_ip open (notify_conn counts them). Threads accepting at the
 * same moment may each let one more in, so the cap can be passed by at
 * most the number of I/O threads.
 */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct xrm_server *srv = cls;
    struct addr_key k;
    (void)len;
    if (!srv->max_conn_per_ip || !addr_from_sockaddr(addr, &k) || is_proxy(srv, &k))
        return MHD_YES;
    pthread_mutex_lock(&srv->addr_lock);
    struct addr_count *e = addr_slot(srv, &k, false);
    bool ok = !e || e->count < srv->max_conn_per_ip;
    pthread_mutex_unlock(&srv->addr_lock);
    return ok ? MHD_YES : MHD_NO;
}

/* Counts a connection in (started) and out (closed); its slot rides in socket_context. */
static void notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe)
{
    struct xrm_server *srv = cls;
    xrm_metric_add(XRM_M_CONNECTIONS, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        struct addr_key k;
        *socket_context = NULL;
        if (!srv->max_conn_per_ip || !addr_from_sockaddr(ci ? ci->client_addr : NULL, &k) ||
            is_proxy(srv, &k))
            return;
        pthread_mutex_lock(&srv->addr_lock);
        struct addr_count *e = addr_slot(srv, &k, true);
        if (e)
            e->count++;
        pthread_mutex_unlock(&srv->addr_lock);
        *socket_context = e;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct addr_count *e = *socket_context;
        pthread_mutex_lock(&srv->addr_lock);
        e->count--;
        pthread_mutex_unlock(&srv->addr_lock);
        *socket_context = NULL;
    }
}

json_t *xrm_req_json(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *v = NULL;
    if (!req->body || !req->body_len) {
        xrm_err_field(&err, XRM_E_MALFORMED, "body", "a JSON object is required");
        xrm_resp_error(resp, err.rc, &err);
        return NULL;
    }
    if (xrm_json_parse(req->body, req->body_len, true, &v, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return NULL;
    }
    return v;
}

/* Parses If-Match: "*" -> 0, "\"12\"" or W/"12" or 12 -> 12; -1 when unreadable. */
static int64_t parse_if_match(const char *h)
{
    char num[24];
    size_t n = 0;
    if (!h)
        return 0;
    while (*h == ' ')
        h++;
    if (*h == '*')
        return 0;
    if (h[0] == 'W' && h[1] == '/')
        h += 2;
    if (*h == '"')
        h++;
    while (*h >= '0' && *h <= '9' && n < sizeof(num) - 1)
        num[n++] = *h++;
    num[n] = '\0';
    int64_t v;
    if (!n || !xrm_parse_int(num, 1, INT64_MAX, &v))
        return -1;
    return v;
}

static void add_common_headers(struct MHD_Response *r, const struct xrm_resp *resp)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", resp->cache ? resp->cache : "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    if (xrm_server_draining()) /* graceful stop: no further request on this connection */
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (resp->content_type && strncmp(resp->content_type, "text/html", 9) == 0) {
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; "
                                "style-src 'self'; script-src 'self'; connect-src 'self'; "
                                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        MHD_add_response_header(r, "X-Frame-Options", "DENY");
    }
}

/* The ETag of a JSON body: its "version", for 200 and 201. */
static void json_etag(const struct xrm_resp *resp, int status, char *etag, size_t n)
{
    json_t *ver = json_object_get(resp->json, "version");
    if (json_is_integer(ver) && (status == 200 || status == 201))
        snprintf(etag, n, "\"%lld\"", (long long)json_integer_value(ver));
}

/* Turns a JSON body into its bytes (raw), keeping its ETag. */
static void freeze_json(struct xrm_resp *resp)
{
    json_etag(resp, resp->status, resp->etag, sizeof(resp->etag));
    struct xrm_buf out;
    xrm_buf_init(&out, 4096);
    xrm_json_write(&out, resp->json);
    resp->raw = xrm_buf_detach(&out, &resp->raw_len);
    resp->content_type = "application/json; charset=utf-8";
    json_decref(resp->json);
    resp->json = NULL;
}

/* Frees or gives back a raw body. */
static void raw_release(struct xrm_resp *resp)
{
    if (resp->raw_ref)
        xrm_rcache_release(resp->raw_ref);
    else
        free(resp->raw);
    resp->raw = NULL;
    resp->raw_ref = NULL;
}

/* Streamed bodies (exports): the stream and what it made that is not sent yet. */
struct stream_send {
    struct xrm_store *store;
    struct xrm_stream *stream;
    struct xrm_buf buf;
    size_t off;
    bool done;
    char request_id[XRM_REQUEST_ID_MAX + 1]; /* for its log lines */
};

static void stream_free(struct xrm_stream *st)
{
    if (!st)
        return;
    if (st->free)
        st->free(st->cls);
    free(st);
}

static void stream_send_free(void *cls)
{
    struct stream_send *s = cls;
    stream_free(s->stream);
    xrm_buf_release(&s->buf);
    free(s);
}

/* libmicrohttpd asks for the next bytes: each piece is made in a read snapshot of its own. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct stream_send *s = cls;
    (void)pos;
    while (s->off == s->buf.len) {
        if (s->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        xrm_buf_reset(&s->buf);
        s->off = 0;
        struct xrm_db *db = NULL;
        struct xrm_err err = XRM_ERR_INIT;
        xrm_log_request_begin(s->request_id);
        if (xrm_store_reader(s->store, &db, &err)) {
            xrm_log(XRM_LOG_ERROR, "streamed answer: %s", err.message);
            xrm_log_request_end();
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        xrm_store_read_begin(db);
        enum xrm_rc rc = s->stream->next(s->stream->cls, db, &s->buf, &s->done);
        xrm_store_read_end(db);
        if (rc)
            xrm_log(XRM_LOG_ERROR, "streamed answer stopped (error %d)", (int)rc);
        xrm_log_request_end();
        if (rc)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = s->buf.len - s->off;
    if (n > max)
        n = max;
    memcpy(out, s->buf.s + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

/*
 * Operations: the access log line of an answered request, and its counts
 * for GET /metrics. The path of a calendar feed is its secret: its route's
 * pattern stands for it.
 */
static void access_note(const struct conn_state *cs, int status, size_t bytes)
{
    int64_t ns = xrm_mono_ns() - cs->t0_ns;
    const struct xrm_req *req = &cs->req;
    const char *label = cs->route ? cs->route->pattern : cs->static_file ? "static" : "none";
    xrm_http_metrics_request(cs->route, cs->static_file, cs->method_sent, status, ns);
    if (!xrm_server_access_log)
        return;
    struct xrm_buf f;
    xrm_buf_init(&f, 256);
    xrm_log_add_str(&f, "method", cs->method_sent);
    xrm_log_add_str(&f, "path",
                    cs->route && cs->route->auth == XRM_AUTH_FEED ? cs->route->pattern : req->path);
    xrm_log_add_str(&f, "route", label);
    xrm_log_add_int(&f, "status", status);
    xrm_log_add_int(&f, "bytes", (int64_t)bytes);
    xrm_buf_addf(&f, ",\"ms\":%.3f", (double)ns / 1e6);
    xrm_log_add_str(&f, "client", req->client);
    if (req->ctx.user.id)
        xrm_log_add_int(&f, "user", req->ctx.user.id);
    else
        xrm_log_add_str(&f, "user", NULL);
    xrm_log_fields(XRM_LOG_INFO, "request", f.s);
    xrm_buf_release(&f);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct conn_state *cs,
                                 struct xrm_resp *resp, bool is_get)
{
    struct xrm_req *req = &cs->req;
    struct MHD_Response *r;
    char etag[40];
    int status = resp->status ? resp->status : 500;
    size_t bytes = 0;

    xrm_log_request_begin(cs->request_id);

    xrm_strlcpy(etag, resp->etag, sizeof(etag));
    if (resp->json)
        json_etag(resp, status, etag, sizeof(etag));
    if (is_get && etag[0] && status == 200) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (inm && strcmp(inm, etag) == 0) {
            status = 304;
            json_decref(resp->json);
            resp->json = NULL;
            raw_release(resp);
        }
    }
    if (resp->json) {
        /* a problem names its request, so a report of it can be found in the log */
        if (status >= 400 && json_is_object(resp->json) && json_object_get(resp->json, "type"))
            json_object_set_new(resp->json, "request_id", json_string(cs->request_id));
        struct xrm_buf out;
        xrm_buf_init(&out, 4096);
        xrm_json_write(&out, resp->json);
        size_t len;
        char *s = xrm_buf_detach(&out, &len);
        bytes = len;
        r = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type",
                                status >= 400 ? "application/problem+json"
                                              : "application/json; charset=utf-8");
    } else if (resp->stream && req->ctx.store) {
        struct stream_send *ss = xrm_calloc(1, sizeof(*ss));
        ss->store = req->ctx.store;
        ss->stream = resp->stream;
        resp->stream = NULL;
        xrm_strlcpy(ss->request_id, cs->request_id, sizeof(ss->request_id));
        xrm_buf_init(&ss->buf, 64 * 1024);
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, ss,
                                              stream_send_free);
        MHD_add_response_header(r, "Content-Type", resp->content_type);
    } else if (resp->raw) {
        bytes = resp->raw_len;
        /* the response owns the body from here: it frees it or gives its cache entry back */
        if (resp->raw_ref)
            r = MHD_create_response_from_buffer_with_free_callback_cls(
                resp->raw_len, resp->raw, xrm_rcache_release, resp->raw_ref);
        else
            r = MHD_create_response_from_buffer(resp->raw_len, resp->raw, MHD_RESPMEM_MUST_FREE);
        resp->raw = NULL;
        resp->raw_ref = NULL;
        MHD_add_response_header(r, "Content-Type", resp->content_type);
    } else {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    if (resp->xcache)
        MHD_add_response_header(r, "X-Xrm-Cache", resp->xcache);
    add_common_headers(r, resp);
    if (etag[0])
        MHD_add_response_header(r, "ETag", etag);
    if (resp->location[0])
        MHD_add_response_header(r, "Location", resp->location);
    if (resp->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", resp->disposition);
    if (resp->allow[0])
        MHD_add_response_header(r, "Allow", resp->allow);
    if (resp->cookie[0])
        MHD_add_response_header(r, "Set-Cookie", resp->cookie);
    if (resp->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof(ra), "%d", resp->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    if (status == 401)
        MHD_add_response_header(r, "WWW-Authenticate",
                                resp->www_auth ? resp->www_auth : "Bearer realm=\"xrm\"");
    if (resp->dav)
        MHD_add_response_header(r, "DAV", resp->dav);
    if (resp->lang)
        MHD_add_response_header(r, "Content-Language", resp->lang);
    MHD_add_response_header(r, "X-Request-Id", cs->request_id);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned int)status, r);
    MHD_destroy_response(r);
    access_note(cs, status, bytes);
    xrm_log_request_end();
    return ret;
}

/*
 * A calendar feed's URL is its credential (calendar programs send no
 * header): /api/v1/ical/SECRET.ics acts as the user who made SECRET. An
 * unknown, revoked or malformed secret is a feed that does not exist (404),
 * so a guess learns nothing. The secret is never logged.
 */
static bool authenticate_feed(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    char secret[XRM_FEED_SECRET_MAX + 8];
    const char *name = req->name[0];
    const char *slash = strchr(name, '/');
    size_t n = slash ? (size_t)(slash - name) : strlen(name);
    if (n <= 4 || n >= sizeof(secret) || memcmp(name + n - 4, ".ics", 4) != 0) {
        xrm_resp_problem(resp, 404, "no such calendar feed");
        return false;
    }
    memcpy(secret, name, n - 4);
    secret[n - 4] = '\0';
    enum xrm_rc rc = xrm_calendar_feed_user(&req->ctx, secret, &req->ctx.user, &err);
    xrm_wipe(secret, sizeof(secret));
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return false;
    }
    return true;
}

static bool authenticate(struct xrm_server *srv, struct xrm_req *req, struct xrm_resp *resp,
                         enum xrm_auth_need need)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (need == XRM_AUTH_NONE)
        return true;
    if (need == XRM_AUTH_FEED)
        return authenticate_feed(req, resp);
    if (need == XRM_AUTH_DAV)
        return xrm_dav_authenticate(req, resp);
    /*
     * A bearer token, or else the session cookie of a browser login, whose
     * state-changing requests must also carry the session's CSRF token.
     * Neither secret is ever logged or echoed.
     */
    const char *h = xrm_req_header(req, "Authorization");
    const char *cookie = xrm_req_cookie(req, XRM_SESSION_COOKIE);
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        h += 7;
        while (*h == ' ')
            h++;
    } else if (!h && cookie && *cookie) {
        h = cookie;
        req->cookie_auth = true;
    } else {
        xrm_resp_problem(resp, 401,
                         "authentication required: send 'Authorization: Bearer <token>' or "
                         "log in");
        return false;
    }
    enum xrm_rc rc = xrm_token_verify(req->ctx.db, h, &req->ctx.user, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return false;
    }
    if (req->cookie_auth && strcmp(req->method, "GET") != 0 &&
        !xrm_session_csrf_ok(h, xrm_req_header(req, "X-CSRF-Token"))) {
        xrm_resp_problem(resp, 403,
                         "missing or wrong X-CSRF-Token header (requests that change data "
                         "need it with the session cookie)");
        return false;
    }
    if (need == XRM_AUTH_ADMIN && !req->ctx.user.admin) {
        xrm_resp_problem(resp, 403, "this needs an administrator");
        return false;
    }
    (void)srv;
    return true;
}

/*
 * Idempotency-Key (domain/base/idempotency.h): replays the stored first
 * answer of a POST when the key comes again with the same request; the key
 * on another method, path or body is refused (422, code
 * idempotency_key_reused) and nothing runs. True when resp is filled.
 * When the lookup itself fails the request runs as if the key were new.
 */
static bool idem_replay(struct xrm_req *req, const char *key, const char *hash,
                        struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_idempotency_answer ans = {0};
    bool found = false;
    enum xrm_rc rc = xrm_idempotency_find(req->ctx.db, req->ctx.user.id, key, req->method,
                                          req->path, hash, &ans, &found, &err);
    if (rc == XRM_E_INVALID) {
        xrm_resp_error(resp, rc, &err);
        return true;
    }
    if (rc || !found)
        return false;
    xrm_resp_json(resp, ans.status, ans.body);
    xrm_strlcpy(resp->location, ans.location, sizeof(resp->location));
    return true;
}

/*
 * Appends s to a cache key, its length first: decoded arguments may hold any
 * byte but NUL, so separators alone would let one argument list spell
 * another ("?q=a%01limit%022" and "?q=a&limit=2"). A missing value ("?q")
 * stays apart from an empty one ("?q=").
 */
static void key_add(struct xrm_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : SIZE_MAX;
    xrm_buf_add(b, &n, sizeof(n));
    if (s)
        xrm_buf_add(b, s, n);
}

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *k,
                                     const char *v)
{
    struct xrm_buf *b = cls;
    (void)kind;
    key_add(b, k);
    key_add(b, v);
    return b->len <= XRM_RCACHE_KEY_MAX ? MHD_YES : MHD_NO;
}

/*
 * Runs a cacheable GET through the response cache (rcache.h): the key is
 * the user, the path and every query argument; the entry holds while the
 * database's data version is ver, read before this request's snapshot began.
 */
static void cached(struct conn_state *cs, struct xrm_resp *resp, uint64_t ver)
{
    struct xrm_req *req = &cs->req;
    struct xrm_buf key;
    xrm_buf_init(&key, 256);
    int64_t user = req->ctx.user.id;
    xrm_buf_add(&key, &user, sizeof(user));
    key_add(&key, req->path);
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &key);
    struct xrm_rcache_hit hit;
    if (xrm_rcache_get(key.s, key.len, ver, &hit)) {
        resp->status = 200;
        resp->raw = (char *)hit.body; /* sent as it is, never written */
        resp->raw_ref = hit.ref;
        resp->raw_len = hit.len;
        resp->content_type = "application/json; charset=utf-8";
        xrm_strlcpy(resp->etag, hit.etag, sizeof(resp->etag));
        resp->cache = hit.cache_control;
        resp->xcache = "hit";
    } else {
        cs->route->handler(req, resp);
        resp->xcache = "miss";
        if (resp->status == 200 && resp->json && !resp->cookie[0]) {
            freeze_json(resp);
            xrm_rcache_put(key.s, key.len, ver, resp->raw, resp->raw_len, resp->etag, resp->cache);
        }
    }
    xrm_buf_release(&key);
}

/* A route's body cap: its own at start-up (.body_max_fn: the documents' --max-upload) or .body_max.
 */
static size_t body_limit(const struct xrm_route *r)
{
    if (!r)
        return 0;
    return r->body_max_fn ? r->body_max_fn() : r->body_max;
}

/*
 * A body sent to a JSON route must say it is JSON (application/json or a
 * type ending in +json, any parameters) or say nothing. A form or
 * text/plain body is refused before it is parsed: a page of another site
 * can send those without asking the browser first. A route whose .request
 * names a media type takes its body as it comes (NDJSON and CSV imports, a
 * UBL invoice, the company logo, a mail message, a document, RFC 8058's
 * one-click form): its handler checks the type (415 otherwise) or, for the
 * unsubscribe link, ignores the body.
 */
static bool json_body_ok(struct xrm_req *req)
{
    if (!req->body_len)
        return true;
    if (req->route && req->route->request && strchr(req->route->request, '/'))
        return true;
    const char *t = xrm_req_header(req, "Content-Type");
    if (!t)
        return true;
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, "; \t");
    if (n == 16 && strncasecmp(t, "application/json", 16) == 0)
        return true;
    return n > 17 && strncasecmp(t, "application/", 12) == 0 &&
           strncasecmp(t + n - 5, "+json", 5) == 0;
}

static void dispatch(struct xrm_server *srv, struct conn_state *cs, struct xrm_resp *resp)
{
    struct xrm_req *req = &cs->req;
    struct xrm_err err = XRM_ERR_INIT;

    if (!cs->route) {
        if (strcmp(req->method, "GET") == 0 && strncmp(req->path, "/api/", 5) != 0 &&
            xrm_static_serve(srv->web_root, req->path, resp)) {
            cs->static_file = true;
            return;
        }
        if (cs->allow[0]) {
            xrm_strlcpy(resp->allow, cs->allow, sizeof(resp->allow));
            xrm_resp_problem(resp, 405, "method not allowed on this resource");
        } else {
            xrm_resp_problem(resp, 404, "no such resource");
        }
        return;
    }
    if (xrm_store_reader(srv->store, &req->ctx.db, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    req->ctx.store = srv->store;
    if (!authenticate(srv, req, resp, cs->route->auth))
        return;
    /* A read may go to a replica where the user cannot notice (store.h). */
    bool get = strcmp(req->method, "GET") == 0;
    req->ctx.db = xrm_store_reader_for(srv->store, req->ctx.db, req->ctx.user.id, get);
    /* The data version for the response cache, read before the snapshot starts. */
    uint64_t ver = 0;
    bool cache =
        get && cs->route->cache && xrm_rcache_enabled() && xrm_store_data_version(srv->store, &ver);
    if (get) { /* one snapshot for the whole request; run_request ends it */
        xrm_store_reader_cache(req->ctx.db, srv->io_cache_kb); /* GETs run on I/O threads */
        xrm_store_read_begin(req->ctx.db);
    }
    if (cs->too_large) {
        char msg[96];
        snprintf(msg, sizeof(msg), xrm_msg("request body is larger than %zu bytes"),
                 body_limit(cs->route));
        xrm_resp_problem(resp, 413, msg);
        return;
    }
    if (cs->spool_failed) {
        xrm_resp_problem(resp, 500, "cannot store the request body in a temporary file");
        return;
    }
    if (!json_body_ok(req)) {
        xrm_resp_problem(resp, 415,
                         "the request body must be JSON: send Content-Type: application/json");
        return;
    }
    /* WebDAV's ETags are no versions: dav.c reads its If-Match itself */
    if (cs->route->auth != XRM_AUTH_DAV)
        req->if_match = parse_if_match(xrm_req_header(req, "If-Match"));
    if (req->if_match < 0) {
        xrm_err_field(&err, XRM_E_MALFORMED, "If-Match", "must be an ETag such as \"3\"");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    const char *key = NULL;
    if (strcmp(req->method, "POST") == 0)
        key = xrm_req_header(req, "Idempotency-Key");
    if (key && (strlen(key) == 0 || strlen(key) > XRM_IDEMPOTENCY_KEY_MAX)) {
        xrm_err_field(&err, XRM_E_MALFORMED, "Idempotency-Key", "must be 1 to %d characters",
                      XRM_IDEMPOTENCY_KEY_MAX);
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    if (!key) {
        if (cache)
            cached(cs, resp, ver);
        else
            cs->route->handler(req, resp);
        return;
    }
    /* Keyed POSTs run one at a time so a concurrent retry waits and replays. */
    char hash[XRM_IDEMPOTENCY_HASH_LEN];
    if (req->body_file) /* a spooled body: its hash stands for it */
        xrm_idempotency_hash(req->method, req->path, req->body_digest, strlen(req->body_digest),
                             hash);
    else
        xrm_idempotency_hash(req->method, req->path, req->body, req->body_len, hash);
    pthread_mutex_lock(&srv->idem_lock);
    if (!idem_replay(req, key, hash, resp)) {
        cs->route->handler(req, resp);
        /*
         * Only a success is stored. A failure changed nothing, so its retry
         * runs again: it gets its answer in its own language (a stored one
         * would be replayed in the first request's), and a client that
         * corrected its request may keep the key.
         */
        if (resp->status < 400) {
            struct xrm_idempotency_answer ans = {.status = resp->status, .body = resp->json};
            xrm_strlcpy(ans.location, resp->location, sizeof(ans.location));
            if (xrm_idempotency_save(srv->store, req->ctx.user.id, key, req->method, req->path,
                                     hash, &ans, &err))
                xrm_log(XRM_LOG_ERROR, "cannot store idempotency key: %s", err.message);
        }
    }
    pthread_mutex_unlock(&srv->idem_lock);
}

/*
 * The language of the request's messages (core/messages.h), from its
 * Accept-Language, for the thread that runs it; request_lang_end puts the
 * thread back to English, so nothing carries over to its next request.
 */
static void request_lang_begin(struct MHD_Connection *c)
{
    xrm_lang_set(
        xrm_lang_accept(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language")));
}

static void request_lang_end(void)
{
    xrm_lang_set(XRM_LANG_EN);
}

/* Runs the request to its response in cs->resp (on an I/O thread or a worker). */
static void run_request(struct xrm_server *srv, struct conn_state *cs)
{
    xrm_log_request_begin(cs->request_id);
    request_lang_begin(cs->req.conn);
    dispatch(srv, cs, &cs->resp);
    if (cs->resp.status >= 400) /* an error answer, made in this language */
        cs->resp.lang = xrm_lang_tag(xrm_lang_get());
    request_lang_end();
    if (cs->req.ctx.db)
        xrm_store_read_end(cs->req.ctx.db);
    if (strcmp(cs->req.method, "GET") != 0 && cs->req.ctx.user.id)
        xrm_store_note_write(srv->store, cs->req.ctx.user.id);
    /*
     * A failure, with its cause (response.c), never shown to the client. A
     * 503 without one is an answer, not a failure: /readyz while draining.
     */
    if (cs->resp.status >= 500 && (cs->resp.status != 503 || cs->resp.cause[0])) {
        struct xrm_buf f;
        xrm_buf_init(&f, 256);
        xrm_log_add_str(&f, "method", cs->method_sent);
        xrm_log_add_str(&f, "path",
                        cs->route && cs->route->auth == XRM_AUTH_FEED ? cs->route->pattern
                                                                      : cs->req.path);
        xrm_log_add_int(&f, "status", cs->resp.status);
        xrm_log_add_str(&f, "cause", cs->resp.cause[0] ? cs->resp.cause : NULL);
        xrm_log_add_int(&f, "rc", cs->resp.cause_rc);
        xrm_log_fields(XRM_LOG_ERROR, "request failed", f.s);
        xrm_buf_release(&f);
    }
    xrm_log_request_end();
    cs->phase = CS_DONE;
}

/*
 * Writes wait for their group commit (an fsync). Run on an I/O thread they
 * would block every other connection of that thread and cap the number of
 * writes that can share a commit at the number of I/O threads. So a write
 * request is handed to a worker and its connection suspended; the worker
 * resumes it when the response is ready. Reads stay on the I/O threads.
 * WebDAV's PROPFIND and REPORT go to the workers too: they may store a
 * sync-token snapshot (http/dav.c).
 */
static bool offload(struct xrm_server *srv, struct MHD_Connection *c, struct conn_state *cs)
{
    if (!srv->nworkers || !cs->route || strcmp(cs->req.method, "GET") == 0)
        return false;
    pthread_mutex_lock(&srv->qlock);
    if (srv->stopping) {
        pthread_mutex_unlock(&srv->qlock);
        return false;
    }
    cs->phase = CS_RUNNING;
    cs->next = NULL;
    MHD_suspend_connection(c);
    if (srv->qtail)
        srv->qtail->next = cs;
    else
        srv->qhead = cs;
    srv->qtail = cs;
    xrm_metric_add(XRM_M_QUEUE_WORKER, 1);
    pthread_cond_signal(&srv->qcond);
    pthread_mutex_unlock(&srv->qlock);
    return true;
}

static void *worker_main(void *arg)
{
    struct xrm_server *srv = arg;
    pthread_mutex_lock(&srv->qlock);
    for (;;) {
        while (!srv->qhead && !srv->stopping)
            pthread_cond_wait(&srv->qcond, &srv->qlock);
        struct conn_state *cs = srv->qhead;
        if (!cs)
            break; /* stopping and drained */
        srv->qhead = cs->next;
        if (!srv->qhead)
            srv->qtail = NULL;
        xrm_metric_add(XRM_M_QUEUE_WORKER, -1);
        pthread_mutex_unlock(&srv->qlock);
        run_request(srv, cs);
        MHD_resume_connection(cs->req.conn);
        pthread_mutex_lock(&srv->qlock);
    }
    pthread_mutex_unlock(&srv->qlock);
    return NULL;
}

/*
 * Spool routes (import files): the body goes to a temporary file as it
 * arrives, so a large upload does not sit in memory; its hash stands in
 * for it in the Idempotency-Key check.
 */
static void spool_add(struct conn_state *cs, const char *data, size_t n)
{
    if (cs->spool_failed)
        return;
    if (cs->spool_fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(cs->spool_path, sizeof(cs->spool_path), "%s/xrm-body-XXXXXX",
                 dir && *dir ? dir : "/tmp");
        cs->spool_fd = mkostemp(cs->spool_path, O_CLOEXEC);
        if (cs->spool_fd < 0) {
            cs->spool_path[0] = '\0';
            cs->spool_failed = true;
            return;
        }
        crypto_generichash_init(&cs->spool_hash, NULL, 0, 32);
    }
    crypto_generichash_update(&cs->spool_hash, (const unsigned char *)data, n);
    while (n) {
        ssize_t w = write(cs->spool_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            cs->spool_failed = true;
            return;
        }
        data += w;
        n -= (size_t)w;
        cs->spooled += (size_t)w;
    }
}

static void spool_end(struct conn_state *cs)
{
    unsigned char h[32];
    close(cs->spool_fd);
    cs->spool_fd = -1;
    crypto_generichash_final(&cs->spool_hash, h, sizeof(h));
    xrm_hex(h, sizeof(h), cs->req.body_digest);
    cs->req.body_file = cs->spool_path;
    cs->req.body_file_len = cs->spooled;
}

/*
 * The request id: the client's X-Request-Id when it is 1 to 64 characters
 * of [A-Za-z0-9._-] (a proxy's id, so its log and ours meet), else 16 new
 * hex digits.
 */
static void request_id_take(struct MHD_Connection *c, char out[XRM_REQUEST_ID_MAX + 1])
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
    size_t n =
        h ? strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") : 0;
    if (h && n && !h[n] && n <= XRM_REQUEST_ID_MAX) {
        memcpy(out, h, n + 1);
        return;
    }
    unsigned char raw[8];
    randombytes_buf(raw, sizeof(raw));
    xrm_hex(raw, sizeof(raw), out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct xrm_server *srv = cls;
    struct conn_state *cs = *con_cls;

    if (!cs) {
        atomic_fetch_add(&srv->inflight, 1); /* graceful stop: on_completed counts it out */
        cs = xrm_calloc(1, sizeof(*cs));
        xrm_buf_init(&cs->body, 0);
        cs->spool_fd = -1;
        cs->req.conn = c;
        cs->t0_ns = xrm_mono_ns();
        cs->method_sent = method;
        request_id_take(c, cs->request_id);
        client_address(srv, c, cs->req.client, sizeof(cs->req.client));
        cs->req.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
        cs->req.path = url;
        cs->route = xrm_route_match(cs->req.method, url, &cs->req, cs->allow, sizeof(cs->allow));
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding")) {
            /* Answered before the body is read; libmicrohttpd then closes the connection. */
            cs->bad_framing = true;
            *con_cls = cs;
            request_lang_begin(c);
            xrm_resp_problem_code(&cs->resp, 400, "ambiguous_framing",
                                  "a request may not carry both Content-Length and "
                                  "Transfer-Encoding");
            cs->resp.lang = xrm_lang_tag(xrm_lang_get());
            request_lang_end();
            return send_resp(c, cs, &cs->resp, false);
        }
        int64_t n;
        size_t limit = body_limit(cs->route);
        if (cl && xrm_parse_int(cl, 0, INT64_MAX, &n) && (uint64_t)n > limit && n > 0)
            cs->too_large = true;
        *con_cls = cs;
        return MHD_YES;
    }
    if (cs->bad_framing) {
        *upload_data_size = 0;
        return MHD_NO;
    }
    if (*upload_data_size) {
        size_t limit = body_limit(cs->route);
        size_t have = cs->route && cs->route->spool ? cs->spooled : cs->body.len;
        if (!cs->too_large && have + *upload_data_size <= limit) {
            if (cs->route && cs->route->spool)
                spool_add(cs, upload_data, *upload_data_size);
            else
                xrm_buf_add(&cs->body, upload_data, *upload_data_size);
        } else {
            cs->too_large = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    (void)version;
    if (cs->phase == CS_RUNNING)
        return MHD_YES; /* woken early; the worker resumes us when done */
    if (cs->phase == CS_READING) {
        if (cs->body.len) {
            cs->req.body = cs->body.s;
            cs->req.body_len = cs->body.len;
        }
        if (cs->spool_fd >= 0)
            spool_end(cs);
        if (offload(srv, c, cs))
            return MHD_YES;
        run_request(srv, cs);
    }
    enum MHD_Result ret = send_resp(c, cs, &cs->resp, strcmp(cs->req.method, "GET") == 0);
    json_decref(cs->resp.json);
    raw_release(&cs->resp);
    stream_free(cs->resp.stream);
    memset(&cs->resp, 0, sizeof(cs->resp));
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;
    struct xrm_server *srv = cls;
    (void)c;
    (void)toe;
    if (!cs)
        return;
    if (atomic_fetch_sub(&srv->inflight, 1) == 1 && xrm_server_draining()) {
        pthread_mutex_lock(&srv->drain_lock);
        pthread_cond_broadcast(&srv->drain_cond);
        pthread_mutex_unlock(&srv->drain_lock);
    }
    if (cs->spool_fd >= 0)
        close(cs->spool_fd);
    if (cs->spool_path[0] && cs->req.body_file) /* not kept by the handler */
        unlink(cs->spool_path);
    xrm_buf_release(&cs->body);
    json_decref(cs->resp.json);
    raw_release(&cs->resp);
    stream_free(cs->resp.stream);
    free(cs);
    *con_cls = NULL;
}

/* Reads "ADDR[,ADDR...]" into srv->proxies. */
static enum xrm_rc parse_proxies(struct xrm_server *srv, const char *list, struct xrm_err *err)
{
    const char *p = list;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (srv->nproxies == MAX_PROXIES)
            return xrm_errf(err, XRM_E_INVALID, "at most %d trusted proxies", MAX_PROXIES);
        if (!addr_parse(p, n, &srv->proxies[srv->nproxies]))
            return xrm_errf(err, XRM_E_INVALID,
                            "trusted proxy '%.*s' is not an IPv4 or IPv6 address", (int)n, p);
        srv->nproxies++;
        p += n;
        if (*p == ',')
            p++;
    }
    return XRM_OK;
}

/*
 * How many connections the server takes at once: CONN_LIMIT, or fewer when
 * the process may not open that many files (the soft limit is raised to
 * the hard one first). Each connection is one descriptor.
 */
static unsigned conn_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= CONN_LIMIT + CONN_FD_SPARE)
        return CONN_LIMIT;
    return rl.rlim_cur > 2 * CONN_FD_SPARE ? (unsigned)(rl.rlim_cur - CONN_FD_SPARE)
                                           : (unsigned)(rl.rlim_cur / 2);
}

/* TLS (--tls-cert/--tls-key): true while a server listens with it; session cookies get Secure. */
static atomic_bool server_tls;
static _Atomic int64_t server_started_ms; /* xrm_server_started_ms() */

bool xrm_server_tls(void)
{
    return server_tls;
}

static void tls_free(struct xrm_server *srv)
{
    if (srv->tls_key)
        xrm_wipe(srv->tls_key, strlen(srv->tls_key));
    free(srv->tls_key);
    free(srv->tls_cert);
    srv->tls_key = srv->tls_cert = NULL;
}

/*
 * The TLS options of the daemon (items: room for 3) when o names a
 * certificate and key (PEM text): libmicrohttpd with GnuTLS. The text is
 * copied into srv and kept until the server stops.
 */
static enum xrm_rc tls_setup(struct xrm_server *srv, const struct xrm_server_opts *o,
                             struct MHD_OptionItem *items, struct xrm_err *err)
{
    if (!o->tls_cert && !o->tls_key)
        return XRM_OK;
    if (!o->tls_cert || !o->tls_key)
        return xrm_errf(err, XRM_E_INVALID, "TLS needs both a certificate and a key");
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return xrm_errf(err, XRM_E_INVALID, "this libmicrohttpd has no TLS support");
    srv->tls_cert = xrm_strdup(o->tls_cert);
    srv->tls_key = xrm_strdup(o->tls_key);
    items[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert};
    items[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key};
    items[2] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    return XRM_OK;
}

/* libmicrohttpd's own messages, as JSON log lines at warn. */
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    xrm_log(XRM_LOG_WARN, "libmicrohttpd: %s", msg);
}

enum xrm_rc xrm_server_start(struct xrm_store *st, const struct xrm_server_opts *o,
                             struct xrm_server **out, int *port_out, struct xrm_err *err)
{
    struct sockaddr_in addr = {0};
    struct xrm_server *srv;
    int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);

    if (threads < 1)
        threads = 1;
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1)
        return xrm_errf(err, XRM_E_INVALID, "cannot listen on '%s': not an IPv4 address", o->host);
    srv = xrm_calloc(1, sizeof(*srv));
    srv->quiesced_fd = MHD_INVALID_SOCKET;
    srv->store = st;
    if (parse_proxies(srv, o->trusted_proxies, err)) {
        free(srv);
        return err ? err->rc : XRM_E_INVALID;
    }
    srv->max_conn_per_ip =
        o->max_conn_per_ip >= 0 ? o->max_conn_per_ip : XRM_MAX_CONN_PER_IP_DEFAULT;
    unsigned timeout = o->idle_timeout > 0 ? (unsigned)o->idle_timeout : XRM_IDLE_TIMEOUT_DEFAULT;
    srv->addrs = xrm_calloc(ADDR_SLOTS, sizeof(*srv->addrs));
    pthread_mutex_init(&srv->addr_lock, NULL);
    /*
     * The I/O threads run every read, so their connections get more page cache
     * than the 4 MB a write worker's has: XRM_IO_CACHE_KB over the threads,
     * from 4 MB to 16 MB each. With 4 MB a list of 1M parties walked its role
     * index from the OS (pread) and took 4.2 ms instead of 2.6 (1 connection).
     */
    srv->io_cache_kb = XRM_IO_CACHE_KB / threads;
    if (srv->io_cache_kb > 16000)
        srv->io_cache_kb = 16000;
    if (srv->io_cache_kb < 4000)
        srv->io_cache_kb = 4000;
    srv->web_root = o->web_root ? xrm_strdup(o->web_root) : NULL;
    pthread_mutex_init(&srv->idem_lock, NULL);
    struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}};
    if (tls_setup(srv, o, tls, err)) {
        pthread_mutex_destroy(&srv->idem_lock);
        pthread_mutex_destroy(&srv->addr_lock);
        free(srv->addrs);
        free(srv->web_root);
        free(srv);
        return err ? err->rc : XRM_E_INVALID;
    }
    pthread_mutex_init(&srv->drain_lock, NULL);
    pthread_cond_init(&srv->drain_cond, NULL);
    srv->d = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
            (srv->tls_cert ? MHD_USE_TLS : 0), /* MHD_ALLOW_SUSPEND_RESUME has MHD_USE_ITC */
        (uint16_t)o->port, accept_policy, srv, on_request, srv,
        /* first, so every message of libmicrohttpd goes there */
        MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, notify_conn,
        srv, MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(16 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
        MHD_OPTION_CONNECTION_LIMIT, conn_limit(), MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (!srv->d) {
        bool had_tls = srv->tls_cert != NULL;
        tls_free(srv);
        pthread_mutex_destroy(&srv->drain_lock);
        pthread_cond_destroy(&srv->drain_cond);
        pthread_mutex_destroy(&srv->idem_lock);
        pthread_mutex_destroy(&srv->addr_lock);
        free(srv->addrs);
        free(srv->web_root);
        free(srv);
        if (had_tls)
            return xrm_errf(err, XRM_E_IO,
                            "cannot listen on %s:%d with TLS (address in use, or a certificate "
                            "and key that do not fit together?)",
                            o->host, o->port);
        return xrm_errf(err, XRM_E_IO, "cannot listen on %s:%d (address in use?)", o->host,
                        o->port);
    }
    server_tls = srv->tls_cert != NULL;
    pthread_mutex_init(&srv->qlock, NULL);
    pthread_cond_init(&srv->qcond, NULL);
    srv->nworkers = o->write_workers >= 0 ? o->write_workers : XRM_WRITE_WORKERS_DEFAULT;
    srv->workers = xrm_calloc((size_t)(srv->nworkers ? srv->nworkers : 1), sizeof(pthread_t));
    for (int i = 0; i < srv->nworkers; i++)
        pthread_create(&srv->workers[i], NULL, worker_main, srv);
    api_imports_start(st); /* the import jobs' thread */
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = info ? info->port : o->port;
    *out = srv;
    server_started_ms = xrm_now_ms();
    return XRM_OK;
}

/* Operations: when the server started (http.h). */
int64_t xrm_server_started_ms(void)
{
    return server_started_ms;
}

/* Operations: the draining flag of a graceful stop (http.h). */
static atomic_bool server_draining;

bool xrm_server_draining(void)
{
    return server_draining;
}

void xrm_server_set_draining(bool on)
{
    server_draining = on;
}

/*
 * Graceful stop: stops accepting (the listen socket closes, so a new
 * connection is refused) and waits until every request in flight has been
 * answered, a body still arriving included, for at most timeout_s seconds
 * or until stop_now(cls) says to stop at once (asked every 50 ms; may be
 * NULL). Responses sent meanwhile carry Connection: close. Returns the
 * number of requests still in flight (0: all answered).
 */
int xrm_server_drain(struct xrm_server *srv, int timeout_s, bool (*stop_now)(void *), void *cls)
{
    xrm_server_set_draining(true);
    /* The workers stop polling the listen socket; shutdown() then takes it
     * out of the listening state, so a new connection is refused. It stays
     * open until MHD_stop_daemon() (a worker may still hold it). */
    MHD_socket fd = MHD_quiesce_daemon(srv->d);
    if (fd != MHD_INVALID_SOCKET) {
        srv->quiesced_fd = fd;
        shutdown(fd, SHUT_RDWR);
    } else
        xrm_log(XRM_LOG_WARN, "cannot stop accepting connections; draining anyway");
    int n = atomic_load(&srv->inflight);
    xrm_log(XRM_LOG_INFO, "draining %d requests", n);
    int64_t deadline = xrm_mono_ns() + (int64_t)timeout_s * 1000000000;
    pthread_mutex_lock(&srv->drain_lock);
    while ((n = atomic_load(&srv->inflight)) > 0 && xrm_mono_ns() < deadline) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&srv->drain_cond, &srv->drain_lock, &ts);
        if (stop_now && stop_now(cls))
            break;
    }
    pthread_mutex_unlock(&srv->drain_lock);
    n = atomic_load(&srv->inflight);
    if (n > 0)
        xrm_log(XRM_LOG_WARN, "stopping with %d requests unfinished", n);
    return n;
}

void xrm_server_stop(struct xrm_server *srv)
{
    if (!srv)
        return;
    /* Finish and resume every offloaded request before the daemon stops. */
    pthread_mutex_lock(&srv->qlock);
    srv->stopping = true;
    pthread_cond_broadcast(&srv->qcond);
    pthread_mutex_unlock(&srv->qlock);
    for (int i = 0; i < srv->nworkers; i++)
        pthread_join(srv->workers[i], NULL);
    free(srv->workers);
    api_imports_stop(); /* the running import stops after its batch */
    MHD_stop_daemon(srv->d);
    if (srv->quiesced_fd != MHD_INVALID_SOCKET)
        close(srv->quiesced_fd);
    pthread_mutex_destroy(&srv->qlock);
    pthread_cond_destroy(&srv->qcond);
    pthread_mutex_destroy(&srv->idem_lock);
    pthread_mutex_destroy(&srv->addr_lock);
    pthread_mutex_destroy(&srv->drain_lock);
    pthread_cond_destroy(&srv->drain_cond);
    tls_free(srv);
    server_tls = false;
    free(srv->addrs);
    free(srv->web_root);
    free(srv);
}

/* Observability: serve --access-log (http.h). */
_Atomic bool xrm_server_access_log = true;
