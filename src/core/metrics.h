/*
 * Metrics: process-wide counters and fixed-bucket histograms, updated
 * lock-free (relaxed atomics) from any thread, and the Prometheus text
 * format 0.0.4 writer that http/metrics.c builds GET /metrics with.
 */
#ifndef XRM_CORE_METRICS_H
#define XRM_CORE_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xrm_buf;

/* Single process-wide values (counters and gauges). */
enum xrm_metric {
    XRM_M_DB_NS,         /* nanoseconds spent in statement steps and execs */
    XRM_M_DB_STATEMENTS, /* statement steps and execs */
    XRM_M_QUEUE_WORKER,  /* write requests waiting for a write worker (server.c) */
    XRM_M_QUEUE_COMMIT,  /* writes waiting for their group commit (store.c) */
    XRM_M_RCACHE_HITS,   /* response cache hits */
    XRM_M_RCACHE_MISSES, /* response cache misses */
    XRM_M_CONNECTIONS,   /* open HTTP connections */
    XRM_M_COUNT
};
void xrm_metric_add(enum xrm_metric m, int64_t delta);
int64_t xrm_metric_get(enum xrm_metric m);

/*
 * A histogram of integer observations (nanoseconds, counts): bounds are
 * upper bucket limits in the same unit, ascending; scale turns a unit into
 * the exposed one (1e-9 for seconds).
 */
#define XRM_HIST_MAX 16
struct xrm_hist_spec {
    int n;
    uint64_t bounds[XRM_HIST_MAX];
    double scale;
};
struct xrm_hist {
    _Atomic uint64_t bucket[XRM_HIST_MAX + 1]; /* per bucket (not cumulative); last: +Inf */
    _Atomic uint64_t sum;
};
void xrm_hist_observe(struct xrm_hist *h, const struct xrm_hist_spec *s, uint64_t v);

/* Request durations: 1 ms to 10 s. Write group sizes: 1 to 64. */
extern const struct xrm_hist_spec xrm_hist_seconds;
extern const struct xrm_hist_spec xrm_hist_group;
/* The group commit's sizes (store.c observes, http/metrics.c writes). */
void xrm_metric_write_group(uint64_t n);
const struct xrm_hist *xrm_metric_write_groups(void);

/*
 * A counter per key (a packed set of label values, not 0), lock-free: a
 * fixed open-addressed table; a key that finds no room is counted in
 * dropped instead.
 */
#define XRM_CMAP_SLOTS 8192
struct xrm_cmap {
    _Atomic uint64_t key[XRM_CMAP_SLOTS];
    _Atomic uint64_t val[XRM_CMAP_SLOTS];
    _Atomic uint64_t dropped;
};
void xrm_cmap_add(struct xrm_cmap *m, uint64_t key, uint64_t delta);

/*
 * Text format 0.0.4. labels: NULL or name, value, name, value, ..., NULL;
 * values are escaped (\\, \" and \n).
 */
void xrm_metrics_head(struct xrm_buf *b, const char *name, const char *type, const char *help);
void xrm_metrics_sample(struct xrm_buf *b, const char *name, const char *const *labels, double v);
void xrm_metrics_hist(struct xrm_buf *b, const char *name, const char *const *labels,
                      const struct xrm_hist *h, const struct xrm_hist_spec *s);
void xrm_metrics_label_value(struct xrm_buf *b, const char *v);

#endif
