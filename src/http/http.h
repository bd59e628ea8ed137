/*
 * The HTTP layer: request and response records shared by the server, the
 * route table and the resource handlers (one file per resource, api-*.c).
 *
 * A handler reads a struct xrm_req and fills a struct xrm_resp; it never
 * touches the socket. Only response.c maps error codes to HTTP statuses.
 */
#ifndef XRM_HTTP_HTTP_H
#define XRM_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/base/ctx.h"

#define XRM_BODY_LIMIT_DEFAULT (1024 * 1024)
#define XRM_MAX_PARAMS 3

struct xrm_req {
    void *conn;         /* struct MHD_Connection, for server.c only */
    const char *method; /* "GET", ...; HEAD arrives here as "GET" */
    const char *path;
    const char *body; /* NUL-terminated copy of the request body, or NULL */
    size_t body_len;
    /* Spool routes (route.spool): the body is in this temporary file instead
     * (body NULL, body_len 0); a handler that keeps the file sets body_file
     * to NULL, else the server removes it after the request. */
    const char *body_file;
    size_t body_file_len;
    char body_digest[65];             /* hex BLAKE2b of the spooled body (Idempotency-Key hash) */
    int64_t id[XRM_MAX_PARAMS];       /* {id} path parameters in order */
    const char *name[XRM_MAX_PARAMS]; /* {name} path parameters in order */
    int64_t if_match;                 /* version from If-Match, 0 when absent or '*' */
    char client[64];  /* the client's IP address: the peer's, or what a trusted proxy forwarded */
    bool cookie_auth; /* authenticated by the session cookie (not a bearer token) */
    struct xrm_ctx ctx;
    const struct xrm_route *route; /* the matched route (xrm_route_match) */
};

struct xrm_resp {
    int status;
    json_t *json;             /* body, owned */
    const char *content_type; /* for raw bodies */
    char *raw;                /* owned raw body (not JSON), unless raw_ref */
    void *raw_ref;            /* raw is a response-cache entry's, held by this reference */
    size_t raw_len;
    char location[160];
    char allow[96];
    const char *cache;  /* Cache-Control; NULL means no-store */
    char cookie[320];   /* a Set-Cookie value, or empty */
    int retry_after;    /* seconds for Retry-After (429), 0: none */
    char etag[80];      /* ETag of a raw body (server.c fills it for JSON), quoted */
    const char *xcache; /* X-Xrm-Cache: "hit" or "miss" for cacheable routes */
    const char *lang;   /* Content-Language of an error answer ("en", "nl"), or NULL */
    /* WebDAV (http/dav.c): the DAV header, and WWW-Authenticate of a 401 (else Bearer) */
    const char *dav;
    const char *www_auth;
    /* Exports: a streamed body and its file name (server.c) */
    struct xrm_stream *stream; /* owned; the body comes from it instead of json/raw */
    char disposition[1152];    /* Content-Disposition, or empty (documents: a name of up to
                                  255 bytes, percent-encoded, and its ASCII fallback) */
    /* Operations: why a 5xx happened (response.c), for the log only, never sent */
    char cause[256];
    int cause_rc;
};

/*
 * A body made piece by piece while it is sent (chunked): server.c calls
 * next on the connection's I/O thread whenever the client has taken what
 * was made, each time in a read snapshot of its own on that thread's
 * connection db, until *done; next appends to out. An error ends the
 * response early (the client sees a cut-off chunked body). free releases
 * cls when the response is done or never sent.
 */
struct xrm_buf;
struct xrm_stream {
    enum xrm_rc (*next)(void *cls, struct xrm_db *db, struct xrm_buf *out, bool *done);
    void (*free)(void *cls);
    void *cls;
};

typedef void (*xrm_handler)(struct xrm_req *req, struct xrm_resp *resp);

enum xrm_auth_need {
    XRM_AUTH_NONE,  /* public: health, login */
    XRM_AUTH_USER,  /* any authenticated user */
    XRM_AUTH_ADMIN, /* administrators only */
    XRM_AUTH_FEED,  /* a calendar feed's secret URL: {name} is SECRET.ics and names the user */
    XRM_AUTH_DAV,   /* /dav/: Basic (password or API token) or Bearer (http/dav.h) */
};

struct xrm_record_ops;
struct xrm_route {
    /* "GET", ...; "*": every method (WebDAV; openapi.c leaves out all but the JSON API's) */
    const char *method;
    /* "/api/v1/parties/{id}/roles"; {id} integer, {name} word; a final '*' matches any rest */
    const char *pattern;
    xrm_handler handler;
    enum xrm_auth_need auth;
    size_t body_max;             /* 0: no body accepted */
    size_t (*body_max_fn)(void); /* a cap known at start-up only: overrides body_max */
    bool cache;                  /* GET without side effects: may be answered from rcache.h */
    bool spool;                  /* the body goes to a temporary file (req.body_file), not memory */
    /* For the OpenAPI document (openapi.c): */
    const char *tag;      /* the resource group */
    const char *request;  /* schema of the body; a media type when it holds a '/' */
    const char *response; /* schema of the success body; NULL: none */
    /*
     * Query parameters besides the paging ones (limit and cursor, which
     * every list has), in the schema notation of openapi-schemas.c:
     * "status enum(open|won|lost), party int, +q str" ('+': required).
     */
    const char *query;
    int status; /* success status; 0: GET/PATCH 200, POST 201, DELETE 204 */
    /*
     * Plain record routes (handler api_get / api_create / api_update /
     * api_delete / api_list, api.h): the domain function the handler calls,
     * and for a create the Location prefix of the new record.
     */
    const struct xrm_record_ops *ops; /* a record kind (domain/base/record.h): the
                                         handlers call xrm_record_op_get/_create/... */
    xrm_record_get_t *get;            /* otherwise the domain function itself */
    xrm_record_create_t *create;
    xrm_record_update_t *update;
    xrm_record_delete_t *delete;
    xrm_record_list_t *list; /* api_list: a paged list */
    const char *location;
};

/* The route table (routes.c) and matching. */
extern const struct xrm_route xrm_routes[];
extern const size_t xrm_nroutes;

/*
 * Finds the route for method and path, filling req->id / req->name.
 * Returns NULL and writes the allowed methods ("GET, POST") into allow when
 * the path exists with other methods, or an empty allow when no route has
 * this path.
 */
const struct xrm_route *xrm_route_match(const char *method, const char *path, struct xrm_req *req,
                                        char *allow, size_t allow_len);

/* Request accessors (server.c). */
const char *xrm_req_query(struct xrm_req *req, const char *key);
const char *xrm_req_header(struct xrm_req *req, const char *name);
const char *xrm_req_cookie(struct xrm_req *req, const char *name);

/* The session cookie of browser logins (api-users.c sets it, server.c reads it). */
#define XRM_SESSION_COOKIE "xrm_session"

/*
 * Query parameters (query.c), read the same way by every handler. A
 * parameter that is absent or empty is not given: the reader leaves *out
 * as it was and returns true. A bad value adds a field error named after
 * the parameter (XRM_E_MALFORMED: 400) to err and returns false, so a
 * handler can read all its parameters and answer every mistake at once.
 */

/* The value, or NULL when absent or empty; owned by the request. */
const char *xrm_query_str(struct xrm_req *req, const char *key);

/* An integer in [min, max]; the error says "must be WHAT, MIN to MAX" (what NULL: "an integer"). */
bool xrm_query_int(struct xrm_req *req, const char *key, int64_t min, int64_t max, const char *what,
                   int64_t *out, struct xrm_err *err);

/* An id (1 and up); with me, "me" too, which is the caller's user id. */
bool xrm_query_id(struct xrm_req *req, const char *key, bool me, int64_t *out, struct xrm_err *err);

/* A boolean: true or 1 gives 1, false or 0 gives 0. */
bool xrm_query_bool(struct xrm_req *req, const char *key, int *out, struct xrm_err *err);

/* A switch that can only be turned on: true or 1. */
bool xrm_query_flag(struct xrm_req *req, const char *key, bool *out, struct xrm_err *err);

/*
 * The list parameters: limit (1..max, default XRM_LIST_DEFAULT or max when
 * smaller) and cursor (NULL when absent).
 */
bool xrm_query_page(struct xrm_req *req, int max, int *limit, const char **cursor,
                    struct xrm_err *err);

/* As xrm_query_page up to XRM_LIST_MAX; on bad input fills resp with the 400 itself. */
bool xrm_req_page(struct xrm_req *req, struct xrm_resp *resp, int *limit, const char **cursor);

/* Parses the body as a JSON object; on failure fills resp (400) and returns NULL. */
json_t *xrm_req_json(struct xrm_req *req, struct xrm_resp *resp);

/* Response builders (response.c). json is stolen. */
void xrm_resp_json(struct xrm_resp *resp, int status, json_t *json);
void xrm_resp_error(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err);
void xrm_resp_problem(struct xrm_resp *resp, int status, const char *detail);
/* Duplicates: as xrm_resp_error, the problem also carrying key: value (borrowed), e.g.
 * "candidates" of a 409 duplicate. */
void xrm_resp_error_with(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err,
                         const char *key, json_t *value);
/* As xrm_resp_problem, with a stable code of its own instead of the status's. */
void xrm_resp_problem_code(struct xrm_resp *resp, int status, const char *code, const char *detail);
void xrm_resp_empty(struct xrm_resp *resp, int status);
int xrm_status_for(enum xrm_rc rc);
const char *xrm_status_title(int status);

/* Server lifecycle (server.c). */
#define XRM_WRITE_WORKERS_DEFAULT 32
#define XRM_MAX_CONN_PER_IP_DEFAULT 256 /* room for a benchmark's 64 connections, and more */
#define XRM_IDLE_TIMEOUT_DEFAULT 30     /* seconds a connection may sit idle or half-sent */

struct xrm_server;
struct xrm_server_opts {
    const char *host;
    int port;                    /* 0 picks a free port */
    int threads;                 /* 0: number of CPUs */
    const char *web_root;        /* directory of the web app, or NULL */
    int write_workers;           /* threads for write requests; -1: default, 0: none */
    int max_conn_per_ip;         /* open connections per client address; -1: default, 0: no cap */
    int idle_timeout;            /* seconds; 0: default */
    const char *trusted_proxies; /* "ADDR[,ADDR...]": reverse proxies (no cap, their
                                    X-Forwarded-For names the client), or NULL */
    const char *tls_cert, *tls_key; /* PEM text of the certificate (chain) and its key: HTTPS;
                                       both or neither (NULL) */
};
enum xrm_rc xrm_server_start(struct xrm_store *st, const struct xrm_server_opts *o,
                             struct xrm_server **out, int *port_out, struct xrm_err *err);
void xrm_server_stop(struct xrm_server *srv);

/*
 * Operations: true from the moment the server begins a graceful stop
 * (SIGTERM): GET /readyz answers 503 so a load balancer stops sending new
 * requests, while requests in flight finish. Process-wide.
 */
bool xrm_server_draining(void);
void xrm_server_set_draining(bool on);
/* Operations: when the last xrm_server_start() succeeded, ms since the epoch (0: never). */
int64_t xrm_server_started_ms(void);

/*
 * Graceful stop (SIGTERM): sets the draining flag, stops accepting (the
 * listen socket closes) and waits until the requests in flight are
 * answered (a body still arriving included), for at most timeout_s seconds
 * or until stop_now(cls) (asked every 50 ms, may be NULL) is true. Logs
 * "draining N requests"; returns how many are still unfinished (0: none).
 * xrm_server_stop() follows: it finishes the offloaded writes, closes
 * every connection left and frees the server.
 */
int xrm_server_drain(struct xrm_server *srv, int timeout_s, bool (*stop_now)(void *), void *cls);

/* True while a server listens with TLS: session cookies get Secure. */
bool xrm_server_tls(void);

/*
 * Observability (server.c, http/metrics.c): the request id (X-Request-Id,
 * at most XRM_REQUEST_ID_MAX characters) and the access log, one JSON line
 * per answered request on stderr (serve --access-log on|off; default on).
 */
#define XRM_REQUEST_ID_MAX 64
extern _Atomic bool xrm_server_access_log;

#endif
