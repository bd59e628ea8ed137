/*
 * GET /api/v1/system: the administrators' overview of the running server
 * (the web app's Admin → System screen): version, engine, schema version,
 * since when it runs, the checks of GET /healthz (api_health_check), the
 * outbox queues, the requests answered since the start and how many of them
 * failed on the server, the process's memory and the SQLite database's size.
 * Nothing secret: no paths, no connection strings, no tokens.
 */
#include "http/api.h"
#include "core/util.h"
#include "domain/mail/outbox.h"     /* xrm_outbox_depth */
#include "domain/webhooks/outbox.h" /* xrm_webhooks_depth */
#include "http/metrics.h"

#include <time.h>

#include "core/banned.h"

/* ms since the epoch as "YYYY-MM-DDTHH:MM:SSZ" */
static void iso_time(int64_t ms, char out[XRM_TIME_LEN])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, XRM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void api_system(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_store *st = req->ctx.store;
    int64_t mail, webhook;
    if (xrm_outbox_depth(req->ctx.db, &mail, &err) ||
        xrm_webhooks_depth(req->ctx.db, &webhook, &err)) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }

    struct api_health h;
    json_t *checks;
    bool reachable = api_health_check(st, &h, &checks);
    if (!reachable)
        checks = json_pack("{s:s}", "database", "down");

    int64_t now = xrm_now_ms(), started = xrm_server_started_ms();
    if (!started || started > now)
        started = now;
    char started_at[XRM_TIME_LEN];
    iso_time(started, started_at);

    int64_t total, errors, rss, anon;
    xrm_http_metrics_totals(&total, &errors);
    xrm_process_memory(&rss, &anon);

    json_t *out = json_pack(
        "{s:s, s:s, s:i, s:s, s:I, s:s, s:o, s:{s:I, s:I}, s:{s:I, s:I}, s:{s:I, s:I}}", "version",
        XRM_VERSION, "engine", xrm_store_engine(st), "schema_version", xrm_store_schema_version(st),
        "started_at", started_at, "uptime_seconds", (json_int_t)((now - started) / 1000), "status",
        reachable && !h.degraded ? "ok" : "degraded", "checks", checks, "outbox", "mail",
        (json_int_t)mail, "webhook", (json_int_t)webhook, "requests", "total", (json_int_t)total,
        "errors_5xx", (json_int_t)errors, "memory", "rss", (json_int_t)(rss > 0 ? rss : 0), "anon",
        (json_int_t)(anon > 0 ? anon : 0));
    if (h.disk)
        json_object_set_new(out, "disk",
                            json_pack("{s:I, s:I}", "free", (json_int_t)h.free_bytes, "size",
                                      (json_int_t)h.size_bytes));
    uint64_t bytes;
    if (xrm_store_file_bytes(st, &bytes))
        json_object_set_new(out, "database", json_pack("{s:I}", "size", (json_int_t)bytes));
    xrm_resp_json(resp, 200, out);
}
