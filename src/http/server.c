/*
 * The HTTP server on libmicrohttpd: epoll with a pool of worker threads.
 *
 * A request is answered only after its body has been read in full (queueing
 * a response earlier makes libmicrohttpd close the connection, losing
 * keep-alive). Bodies are capped per route; a body over the cap is drained
 * and answered with 413. Dispatch: route match (404/405), authentication
 * (401/403), Idempotency-Key replay for POST, the handler, then ETag and
 * If-None-Match.
 */
#include "http/http.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/auth.h"
#include "http/static.h"
#include "http/rcache.h"

#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

#define IDEMPOTENCY_KEY_MAX 200

#define XRM_IO_CACHE_KB 64000 /* page cache of all I/O threads' readers together */

struct xrm_server {
    struct MHD_Daemon *d;
    struct xrm_store *store;
    pthread_mutex_t idem_lock;
    char *web_root;

    int io_cache_kb; /* page cache of each I/O thread's reader connection */

    /* Write requests run on these workers while their connection is suspended. */
    pthread_t *workers;
    int nworkers;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct conn_state *qhead, *qtail;
    bool stopping;
};

enum cs_phase { CS_READING, CS_RUNNING, CS_DONE };

struct conn_state {
    const struct xrm_route *route;
    struct xrm_buf body;
    bool too_large;
    char allow[96];
    bool matched;
    struct xrm_req req;
    enum cs_phase phase;
    struct xrm_resp resp; /* filled by a worker for offloaded requests */
    struct conn_state *next;
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

/* The peer's address as text, for per-address login limits. */
static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

bool xrm_req_page(struct xrm_req *req, struct xrm_resp *resp, int *limit, const char **cursor)
{
    const char *l = xrm_req_query(req, "limit");
    int64_t v = XRM_LIST_DEFAULT;
    if (l && !xrm_parse_int(l, 1, XRM_LIST_MAX, &v)) {
        struct xrm_err err = XRM_ERR_INIT;
        xrm_err_field(&err, XRM_E_MALFORMED, "limit", "must be an integer from 1 to %d",
                      XRM_LIST_MAX);
        xrm_resp_error(resp, err.rc, &err);
        return false;
    }
    *limit = (int)v;
    *cursor = xrm_req_query(req, "cursor");
    if (*cursor && !**cursor)
        *cursor = NULL;
    return true;
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

static enum MHD_Result send_resp(struct MHD_Connection *c, struct xrm_req *req,
                                 struct xrm_resp *resp, bool is_get)
{
    struct MHD_Response *r;
    char etag[40];
    int status = resp->status ? resp->status : 500;

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
        struct xrm_buf out;
        xrm_buf_init(&out, 4096);
        xrm_json_write(&out, resp->json);
        size_t len;
        char *s = xrm_buf_detach(&out, &len);
        r = MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type",
                                status >= 400 ? "application/problem+json"
                                              : "application/json; charset=utf-8");
    } else if (resp->raw) {
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
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"xrm\"");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned int)status, r);
    MHD_destroy_response(r);
    (void)req;
    return ret;
}

static bool authenticate(struct xrm_server *srv, struct xrm_req *req, struct xrm_resp *resp,
                         enum xrm_auth_need need)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (need == XRM_AUTH_NONE)
        return true;
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

/* Idempotency-Key: replays the stored first answer of a POST. */
static bool idem_replay(struct xrm_req *req, const char *key, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_stmt *s = xrm_db_prepare(req->ctx.db,
                                        "SELECT method, path, status, body, location FROM "
                                        "idempotency WHERE user_id = ? AND key = ?",
                                        &err);
    if (!s)
        return false;
    xrm_stmt_bind_int(s, 1, req->ctx.user.id);
    xrm_stmt_bind_text(s, 2, key);
    bool found = false;
    if (xrm_stmt_step(s, &err) == 1) {
        found = true;
        if (strcmp(xrm_stmt_text(s, 1), req->path) != 0) {
            xrm_err_field(&err, XRM_E_INVALID, "Idempotency-Key",
                          "this key was already used for another request");
            xrm_resp_error(resp, err.rc, &err);
        } else {
            json_t *body = xrm_json_load_stored(xrm_stmt_text(s, 3), false);
            xrm_resp_json(resp, (int)xrm_stmt_int(s, 2), body);
            if (xrm_stmt_text(s, 4))
                xrm_strlcpy(resp->location, xrm_stmt_text(s, 4), sizeof(resp->location));
        }
    }
    xrm_stmt_done(s);
    return found;
}

struct idem_save {
    struct xrm_req *req;
    const char *key;
    struct xrm_resp *resp;
};

static enum xrm_rc idem_save_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct idem_save *a = arg;
    char now[XRM_TIME_LEN];
    char *body = a->resp->json ? xrm_json_dump(a->resp->json) : xrm_strdup("{}");
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO idempotency (user_id, key, method, path, "
                                        "status, body, location, created_at) VALUES (?, ?, ?, "
                                        "?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                        err);
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        xrm_now(now);
        xrm_stmt_bind_int(s, 1, a->req->ctx.user.id);
        xrm_stmt_bind_text(s, 2, a->key);
        xrm_stmt_bind_text(s, 3, a->req->method);
        xrm_stmt_bind_text(s, 4, a->req->path);
        xrm_stmt_bind_int(s, 5, a->resp->status);
        xrm_stmt_bind_text(s, 6, body);
        xrm_stmt_bind_text(s, 7, a->resp->location[0] ? a->resp->location : NULL);
        xrm_stmt_bind_text(s, 8, now);
        rc = xrm_stmt_step(s, err) < 0 ? XRM_E_DB : XRM_OK;
        xrm_stmt_done(s);
    }
    free(body);
    return rc;
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

static void dispatch(struct xrm_server *srv, struct conn_state *cs, struct xrm_resp *resp)
{
    struct xrm_req *req = &cs->req;
    struct xrm_err err = XRM_ERR_INIT;

    if (!cs->route) {
        if (strcmp(req->method, "GET") == 0 && strncmp(req->path, "/api/", 5) != 0 &&
            xrm_static_serve(srv->web_root, req->path, resp))
            return;
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
        snprintf(msg, sizeof(msg), "request body is larger than %zu bytes", cs->route->body_limit);
        xrm_resp_problem(resp, 413, msg);
        return;
    }
    req->if_match = parse_if_match(xrm_req_header(req, "If-Match"));
    if (req->if_match < 0) {
        xrm_err_field(&err, XRM_E_MALFORMED, "If-Match", "must be an ETag such as \"3\"");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    const char *key = NULL;
    if (strcmp(req->method, "POST") == 0)
        key = xrm_req_header(req, "Idempotency-Key");
    if (key && (strlen(key) == 0 || strlen(key) > IDEMPOTENCY_KEY_MAX)) {
        xrm_err_field(&err, XRM_E_MALFORMED, "Idempotency-Key", "must be 1 to %d characters",
                      IDEMPOTENCY_KEY_MAX);
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
    pthread_mutex_lock(&srv->idem_lock);
    if (!idem_replay(req, key, resp)) {
        cs->route->handler(req, resp);
        if (resp->status < 500) {
            struct idem_save a = {req, key, resp};
            if (xrm_store_write(srv->store, idem_save_tx, &a, &err))
                xrm_log(XRM_LOG_ERROR, "cannot store idempotency key: %s", err.message);
        }
    }
    pthread_mutex_unlock(&srv->idem_lock);
}

/* Runs the request to its response in cs->resp (on an I/O thread or a worker). */
static void run_request(struct xrm_server *srv, struct conn_state *cs)
{
    dispatch(srv, cs, &cs->resp);
    if (cs->req.ctx.db)
        xrm_store_read_end(cs->req.ctx.db);
    if (strcmp(cs->req.method, "GET") != 0 && cs->req.ctx.user.id)
        xrm_store_note_write(srv->store, cs->req.ctx.user.id);
    if (cs->resp.status >= 500)
        xrm_log(XRM_LOG_ERROR, "%s %s -> %d", cs->req.method, cs->req.path, cs->resp.status);
    cs->phase = CS_DONE;
}

/*
 * Writes wait for their group commit (an fsync). Run on an I/O thread they
 * would block every other connection of that thread and cap the number of
 * writes that can share a commit at the number of I/O threads. So a write
 * request is handed to a worker and its connection suspended; the worker
 * resumes it when the response is ready. Reads stay on the I/O threads.
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
        pthread_mutex_unlock(&srv->qlock);
        run_request(srv, cs);
        MHD_resume_connection(cs->req.conn);
        pthread_mutex_lock(&srv->qlock);
    }
    pthread_mutex_unlock(&srv->qlock);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct xrm_server *srv = cls;
    struct conn_state *cs = *con_cls;

    if (!cs) {
        cs = xrm_calloc(1, sizeof(*cs));
        xrm_buf_init(&cs->body, 0);
        cs->req.conn = c;
        client_address(c, cs->req.client, sizeof(cs->req.client));
        cs->req.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
        cs->req.path = url;
        cs->route = xrm_route_match(cs->req.method, url, &cs->req, cs->allow, sizeof(cs->allow));
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        size_t limit = cs->route ? cs->route->body_limit : 0;
        if (cl && xrm_parse_int(cl, 0, INT64_MAX, &n) && (uint64_t)n > limit && n > 0)
            cs->too_large = true;
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t limit = cs->route ? cs->route->body_limit : 0;
        if (!cs->too_large && cs->body.len + *upload_data_size <= limit)
            xrm_buf_add(&cs->body, upload_data, *upload_data_size);
        else
            cs->too_large = true;
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
        if (offload(srv, c, cs))
            return MHD_YES;
        run_request(srv, cs);
    }
    enum MHD_Result ret = send_resp(c, &cs->req, &cs->resp, strcmp(cs->req.method, "GET") == 0);
    json_decref(cs->resp.json);
    raw_release(&cs->resp);
    memset(&cs->resp, 0, sizeof(cs->resp));
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (!cs)
        return;
    xrm_buf_release(&cs->body);
    json_decref(cs->resp.json);
    raw_release(&cs->resp);
    free(cs);
    *con_cls = NULL;
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
    srv->store = st;
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
    srv->d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)o->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)4096, MHD_OPTION_END);
    if (!srv->d) {
        pthread_mutex_destroy(&srv->idem_lock);
        free(srv->web_root);
        free(srv);
        return xrm_errf(err, XRM_E_IO, "cannot listen on %s:%d (address in use?)", o->host,
                        o->port);
    }
    pthread_mutex_init(&srv->qlock, NULL);
    pthread_cond_init(&srv->qcond, NULL);
    srv->nworkers = o->write_workers >= 0 ? o->write_workers : XRM_WRITE_WORKERS_DEFAULT;
    srv->workers = xrm_calloc((size_t)(srv->nworkers ? srv->nworkers : 1), sizeof(pthread_t));
    for (int i = 0; i < srv->nworkers; i++)
        pthread_create(&srv->workers[i], NULL, worker_main, srv);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = info ? info->port : o->port;
    *out = srv;
    return XRM_OK;
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
    MHD_stop_daemon(srv->d);
    pthread_mutex_destroy(&srv->qlock);
    pthread_cond_destroy(&srv->qcond);
    pthread_mutex_destroy(&srv->idem_lock);
    free(srv->web_root);
    free(srv);
}
