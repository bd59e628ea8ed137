/*
 * /api/v1/imports: import jobs of CSV, vCard and NDJSON files
 * (domain/exchange/import-job.h).
 *
 * POST takes the file as its body (the Content-Type says which format),
 * records the job and answers 202 at once. The server writes the body to a
 * temporary file as it arrives (the route's spool flag), so an upload of
 * up to 256 MB never sits in memory; the job takes that file over; one background thread of the
 * server runs the jobs one after the other from a queue, so a client polls GET /imports/{id} for
 * done/total. The temporary file is removed when its job ends. On stop, the running job is stopped
 * after its current batch and the queued ones are marked failed; at start, jobs an earlier process
 * left queued or running are.
 */
#include "http/api.h"
#include "domain/exchange/import-job.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

struct queued {
    int64_t id;
    struct xrm_user user;
    struct xrm_import_opts o; /* o.mapping owned */
    char path[PATH_MAX];
    enum xrm_lang lang; /* the language of its messages: the request's that made it */
    struct queued *next;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool running, stopping;
    struct xrm_store *store;
    struct queued *head, *tail;
} q = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void queued_free(struct queued *j)
{
    unlink(j->path);
    json_decref(j->o.mapping);
    free(j);
}

static bool keep_going(void *arg, int64_t done, int64_t total)
{
    pthread_mutex_lock(&q.lock);
    bool go = !q.stopping;
    pthread_mutex_unlock(&q.lock);
    return go;
}

static void *jobs_main(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&q.lock);
        while (!q.head && !q.stopping)
            pthread_cond_wait(&q.cond, &q.lock);
        if (q.stopping) {
            pthread_mutex_unlock(&q.lock);
            break;
        }
        struct queued *j = q.head;
        q.head = j->next;
        if (!q.head)
            q.tail = NULL;
        pthread_mutex_unlock(&q.lock);

        struct xrm_ctx ctx = {.store = q.store, .db = NULL, .user = j->user};
        struct xrm_err err = XRM_ERR_INIT;
        xrm_lang_set(j->lang);
        if (xrm_import_job_run(&ctx, j->id, &j->o, j->path, keep_going, NULL, &err))
            xrm_log(XRM_LOG_WARN, "import %lld failed: %s", (long long)j->id, err.message);
        xrm_lang_set(XRM_LANG_EN);
        queued_free(j);
    }
    return NULL;
}

void api_imports_start(struct xrm_store *st)
{
    struct xrm_err err = XRM_ERR_INIT;
    q.store = st;
    q.stopping = false;
    if (xrm_import_jobs_interrupted(st, &err))
        xrm_log(XRM_LOG_WARN, "cannot mark interrupted imports: %s", err.message);
    q.running = pthread_create(&q.thread, NULL, jobs_main, NULL) == 0;
}

void api_imports_stop(void)
{
    pthread_mutex_lock(&q.lock);
    q.stopping = true;
    pthread_cond_broadcast(&q.cond);
    pthread_mutex_unlock(&q.lock);
    if (q.running)
        pthread_join(q.thread, NULL);
    q.running = false;
    while (q.head) {
        struct queued *j = q.head;
        struct xrm_err err = XRM_ERR_INIT;
        q.head = j->next;
        xrm_import_job_fail(q.store, j->id, "the server stopped before the import ran", &err);
        queued_free(j);
    }
    q.tail = NULL;
}

/* The body into a new temporary file; false with err set when it cannot be written. */
static bool spool(const struct xrm_req *req, char path[PATH_MAX], struct xrm_err *err)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, PATH_MAX, "%s/xrm-import-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        xrm_errf(err, XRM_E_IO, "cannot create a temporary file: %s", strerror(errno));
        return false;
    }
    size_t off = 0;
    while (off < req->body_len) {
        ssize_t n = write(fd, req->body + off, req->body_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            xrm_errf(err, XRM_E_IO, "cannot write a temporary file: %s", strerror(errno));
            close(fd);
            unlink(path);
            return false;
        }
        off += (size_t)n;
    }
    close(fd);
    return true;
}

/* The options of the query string. */
static bool parse_opts(struct xrm_req *req, struct xrm_import_opts *o, struct xrm_err *err)
{
    int dry = 0;
    const char *on_error = xrm_query_str(req, "on_error"), *mapping = xrm_query_str(req, "mapping");
    xrm_query_bool(req, "dry_run", &dry, err);
    o->dry_run = dry == 1;
    xrm_query_flag(req, "force", &o->force, err);
    if (on_error && strcmp(on_error, "abort") == 0)
        o->abort_on_error = true;
    else if (on_error && strcmp(on_error, "skip") != 0)
        xrm_err_field(err, XRM_E_MALFORMED, "on_error", "must be 'skip' or 'abort'");
    xrm_import_match_parse(xrm_query_str(req, "match"), &o->match, err);
    if (mapping) {
        struct xrm_err perr = XRM_ERR_INIT;
        if (xrm_json_parse(mapping, strlen(mapping), true, &o->mapping, &perr))
            xrm_err_field(err, XRM_E_MALFORMED, "mapping",
                          "must be a URL-encoded JSON object {\"header\": \"field\"}");
    }
    return !err->rc;
}

void api_imports_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_import_opts o = {0};
    struct queued *j = NULL;
    int64_t id = 0;
    json_t *out = NULL;
    enum xrm_rc rc = XRM_OK;
    if (!xrm_import_format_of(xrm_req_header(req, "Content-Type"), &o.format)) {
        xrm_resp_problem(resp, 415,
                         "send the file with Content-Type text/csv, text/vcard or "
                         "application/x-ndjson");
        return;
    }
    if (!parse_opts(req, &o, &err)) {
        rc = err.rc;
        goto out;
    }
    if (!req->body_len && !req->body_file_len) {
        rc = xrm_err_field(&err, XRM_E_MALFORMED, "body", "the body is the file to import");
        goto out;
    }
    j = xrm_calloc(1, sizeof(*j));
    j->user = req->ctx.user;
    j->lang = xrm_lang_get();
    if ((rc = xrm_import_job_create(&req->ctx, &o, &j->id, &err)))
        goto out;
    if (req->body_file) { /* the server spooled it (the route's spool flag): the job's now */
        xrm_strlcpy(j->path, req->body_file, sizeof(j->path));
        req->body_file = NULL;
    } else if (!spool(req, j->path, &err)) {
        rc = err.rc;
        xrm_import_job_fail(req->ctx.store, j->id, err.message, &err);
        goto out;
    }
    j->o = o;
    o.mapping = NULL; /* the job's now */
    id = j->id;
    pthread_mutex_lock(&q.lock);
    if (q.running && !q.stopping) {
        if (q.tail)
            q.tail->next = j;
        else
            q.head = j;
        q.tail = j;
        pthread_cond_signal(&q.cond);
        j = NULL;
    }
    pthread_mutex_unlock(&q.lock);
    if (j) {
        rc = xrm_errf(&err, XRM_E_INTERNAL, "the import queue is not running");
        xrm_import_job_fail(req->ctx.store, id, err.message, NULL);
        goto out;
    }
    rc = xrm_import_job_get(&req->ctx, id, &out, &err);
out:
    if (j)
        queued_free(j);
    json_decref(o.mapping);
    api_reply(resp, rc, &err, out, 202, NULL);
    if (!rc) /* 202 Accepted: where to poll */
        snprintf(resp->location, sizeof(resp->location), "/api/v1/imports/%lld", (long long)id);
}

void api_imports_errors_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    enum xrm_rc rc = xrm_import_job_errors_csv(&req->ctx, req->id[0], &b, &err);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = xrm_buf_detach(&b, &resp->raw_len);
    resp->content_type = "text/csv; charset=utf-8; header=present";
}
