/*
 * Metrics (metrics.h): relaxed atomics, so counting costs no lock; a scrape
 * reads each value once and may see one a moment older than another.
 */
#include "core/metrics.h"
#include "core/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/*
 * The single values, in shards of their own cache line: a thread adds to
 * the shard its id picked, so threads counting statements at once rarely
 * share a line; a read sums the shards (a gauge's +1 and -1 may land in
 * different shards: the sum is right).
 */
#define SHARDS 16
struct shard {
    _Alignas(64) _Atomic int64_t v[XRM_M_COUNT];
};
static struct shard shards[SHARDS];
static _Atomic unsigned next_shard;
static _Thread_local int my_shard = -1;
static struct xrm_hist write_groups;

const struct xrm_hist_spec xrm_hist_seconds = {13,
                                               {1000000, 2500000, 5000000, 10000000, 25000000,
                                                50000000, 100000000, 250000000, 500000000,
                                                1000000000, 2500000000, 5000000000, 10000000000},
                                               1e-9};
const struct xrm_hist_spec xrm_hist_group = {7, {1, 2, 4, 8, 16, 32, 64}, 1};

void xrm_metric_add(enum xrm_metric m, int64_t delta)
{
    if (my_shard < 0)
        my_shard = (int)(atomic_fetch_add_explicit(&next_shard, 1, memory_order_relaxed) % SHARDS);
    atomic_fetch_add_explicit(&shards[my_shard].v[m], delta, memory_order_relaxed);
}

int64_t xrm_metric_get(enum xrm_metric m)
{
    int64_t sum = 0;
    for (int i = 0; i < SHARDS; i++)
        sum += atomic_load_explicit(&shards[i].v[m], memory_order_relaxed);
    return sum;
}

void xrm_hist_observe(struct xrm_hist *h, const struct xrm_hist_spec *s, uint64_t v)
{
    int i = 0;
    while (i < s->n && v > s->bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum, v, memory_order_relaxed);
}

void xrm_metric_write_group(uint64_t n)
{
    xrm_hist_observe(&write_groups, &xrm_hist_group, n);
}

const struct xrm_hist *xrm_metric_write_groups(void)
{
    return &write_groups;
}

void xrm_cmap_add(struct xrm_cmap *m, uint64_t key, uint64_t delta)
{
    uint64_t h = key * 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < XRM_CMAP_SLOTS; i++) {
        size_t at = (size_t)((h >> 32) + i) % XRM_CMAP_SLOTS;
        uint64_t k = atomic_load_explicit(&m->key[at], memory_order_acquire);
        if (!k) {
            uint64_t zero = 0;
            if (atomic_compare_exchange_strong(&m->key[at], &zero, key))
                k = key;
            else
                k = zero; /* another thread took the slot: for this key? */
        }
        if (k == key) {
            atomic_fetch_add_explicit(&m->val[at], delta, memory_order_relaxed);
            return;
        }
    }
    atomic_fetch_add_explicit(&m->dropped, delta, memory_order_relaxed);
}

void xrm_metrics_label_value(struct xrm_buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            xrm_buf_adds(b, "\\\\");
        else if (*v == '"')
            xrm_buf_adds(b, "\\\"");
        else if (*v == '\n')
            xrm_buf_adds(b, "\\n");
        else
            xrm_buf_addc(b, *v);
    }
}

void xrm_metrics_head(struct xrm_buf *b, const char *name, const char *type, const char *help)
{
    xrm_buf_addf(b, "# HELP %s ", name);
    for (const char *p = help; *p; p++) {
        if (*p == '\\')
            xrm_buf_adds(b, "\\\\");
        else if (*p == '\n')
            xrm_buf_adds(b, "\\n");
        else
            xrm_buf_addc(b, *p);
    }
    xrm_buf_addf(b, "\n# TYPE %s %s\n", name, type);
}

static void labels_add(struct xrm_buf *b, const char *const *labels, const char *le)
{
    bool any = false;
    for (size_t i = 0; labels && labels[i] && labels[i + 1]; i += 2) {
        xrm_buf_addf(b, "%s%s=\"", any ? "," : "{", labels[i]);
        xrm_metrics_label_value(b, labels[i + 1]);
        xrm_buf_addc(b, '"');
        any = true;
    }
    if (le) {
        xrm_buf_addf(b, "%sle=\"%s\"", any ? "," : "{", le);
        any = true;
    }
    if (any)
        xrm_buf_addc(b, '}');
}

static void value_add(struct xrm_buf *b, double v)
{
    if (isinf(v))
        xrm_buf_adds(b, v > 0 ? "+Inf" : "-Inf");
    else if (isnan(v))
        xrm_buf_adds(b, "NaN");
    else if (v == floor(v) && fabs(v) < 1e15)
        xrm_buf_addf(b, "%.0f", v);
    else
        xrm_buf_addf(b, "%.9g", v);
}

void xrm_metrics_sample(struct xrm_buf *b, const char *name, const char *const *labels, double v)
{
    xrm_buf_adds(b, name);
    labels_add(b, labels, NULL);
    xrm_buf_addc(b, ' ');
    value_add(b, v);
    xrm_buf_addc(b, '\n');
}

void xrm_metrics_hist(struct xrm_buf *b, const char *name, const char *const *labels,
                      const struct xrm_hist *h, const struct xrm_hist_spec *s)
{
    uint64_t cum = 0;
    char le[32];
    for (int i = 0; i <= s->n; i++) {
        cum += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        if (i < s->n)
            snprintf(le, sizeof(le), "%.9g", (double)s->bounds[i] * s->scale);
        else
            snprintf(le, sizeof(le), "+Inf");
        xrm_buf_addf(b, "%s_bucket", name);
        labels_add(b, labels, le);
        xrm_buf_addf(b, " %llu\n", (unsigned long long)cum);
    }
    xrm_buf_addf(b, "%s_sum", name);
    labels_add(b, labels, NULL);
    xrm_buf_addc(b, ' ');
    value_add(b, (double)atomic_load_explicit(&h->sum, memory_order_relaxed) * s->scale);
    xrm_buf_addf(b, "\n%s_count", name);
    labels_add(b, labels, NULL);
    xrm_buf_addf(b, " %llu\n", (unsigned long long)cum);
}
