/*
 * GET /metrics (Prometheus text format 0.0.4): the server counts each
 * answered request here; the scrape adds the process-wide values of
 * core/metrics.h, the outbox depths and the process's memory.
 */
#ifndef XRM_HTTP_METRICS_H
#define XRM_HTTP_METRICS_H

#include <stdbool.h>
#include <stdint.h>

struct xrm_route;
struct xrm_req;
struct xrm_resp;

/* One answered request: route NULL is "static" (a web app file) or "none" (404, 405, ...). */
void xrm_http_metrics_request(const struct xrm_route *route, bool static_file, const char *method,
                              int status, int64_t ns);

/* serve --metrics-token: GET /metrics then needs "Authorization: Bearer TOKEN" (copied). */
void xrm_metrics_set_token(const char *token);

/*
 * GET /api/v1/system: the requests answered since the server started (a
 * request no route table slot had room for is not counted), of them the
 * ones answered 5xx; and VmRSS and RssAnon of /proc/self/status in bytes
 * (-1: unknown), as GET /metrics exposes them.
 */
void xrm_http_metrics_totals(int64_t *total, int64_t *errors_5xx);
void xrm_process_memory(int64_t *rss, int64_t *anon);

#endif
