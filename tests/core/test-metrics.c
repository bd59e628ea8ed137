/*
 * Unit tests of the metrics module (core/metrics.c): the Prometheus text
 * format writer (HELP/TYPE lines, label escaping, cumulative histogram
 * buckets) and the lock-free counter table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/buf.h"
#include "core/metrics.h"
#include "core/banned.h"

static void test_head_and_sample(void **state)
{
    (void)state;
    struct xrm_buf b;
    xrm_buf_init(&b, 0);
    xrm_metrics_head(&b, "xrm_x_total", "counter", "a help text with \\ and\nnewline");
    const char *labels[] = {"route", "/api/v1/parties/{id}", "method", "GET", NULL};
    xrm_metrics_sample(&b, "xrm_x_total", labels, 42);
    xrm_metrics_sample(&b, "xrm_x_total", NULL, 0.25);
    assert_string_equal(b.s, "# HELP xrm_x_total a help text with \\\\ and\\nnewline\n"
                             "# TYPE xrm_x_total counter\n"
                             "xrm_x_total{route=\"/api/v1/parties/{id}\",method=\"GET\"} 42\n"
                             "xrm_x_total 0.25\n");
    xrm_buf_release(&b);
}

static void test_label_escaping(void **state)
{
    (void)state;
    struct xrm_buf b;
    xrm_buf_init(&b, 0);
    const char *labels[] = {"v", "a\"b\\c\nd", NULL};
    xrm_metrics_sample(&b, "m", labels, 1);
    assert_string_equal(b.s, "m{v=\"a\\\"b\\\\c\\nd\"} 1\n");
    xrm_buf_release(&b);
}

static void test_histogram_is_cumulative(void **state)
{
    (void)state;
    static struct xrm_hist h;
    const struct xrm_hist_spec spec = {3, {10, 20, 30}, 0.5};
    xrm_hist_observe(&h, &spec, 5);  /* le 10 */
    xrm_hist_observe(&h, &spec, 10); /* le 10: a bound is inclusive */
    xrm_hist_observe(&h, &spec, 25); /* le 30 */
    xrm_hist_observe(&h, &spec, 99); /* +Inf only */
    struct xrm_buf b;
    xrm_buf_init(&b, 0);
    const char *labels[] = {"route", "r", NULL};
    xrm_metrics_hist(&b, "d", labels, &h, &spec);
    assert_string_equal(b.s, "d_bucket{route=\"r\",le=\"5\"} 2\n"
                             "d_bucket{route=\"r\",le=\"10\"} 2\n"
                             "d_bucket{route=\"r\",le=\"15\"} 3\n"
                             "d_bucket{route=\"r\",le=\"+Inf\"} 4\n"
                             "d_sum{route=\"r\"} 69.5\n"
                             "d_count{route=\"r\"} 4\n");
    xrm_buf_release(&b);
}

static struct xrm_cmap map;

static void *adder(void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < 20000; i++)
        xrm_cmap_add(&map, 1 + i % 50, 1);
    return NULL;
}

static void test_counter_map_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, adder, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    uint64_t total = 0;
    int keys = 0;
    for (size_t i = 0; i < XRM_CMAP_SLOTS; i++) {
        if (map.key[i]) {
            keys++;
            total += map.val[i];
            assert_int_equal(map.val[i], 4 * 20000 / 50); /* no key in two slots */
        }
    }
    assert_int_equal(keys, 50);
    assert_int_equal(total, 80000);
    assert_int_equal(map.dropped, 0);
}

static void *stepper(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10000; i++) {
        xrm_metric_add(XRM_M_DB_STATEMENTS, 1);
        xrm_metric_add(XRM_M_CONNECTIONS, 1);
        xrm_metric_add(XRM_M_CONNECTIONS, -1);
    }
    xrm_metric_add(XRM_M_CONNECTIONS, 1); /* each thread leaves one open */
    return NULL;
}

/* Values added from many threads (in shards) read back as their sum. */
static void test_values_sum_over_threads(void **state)
{
    (void)state;
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, stepper, NULL);
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(xrm_metric_get(XRM_M_DB_STATEMENTS), 60000);
    assert_int_equal(xrm_metric_get(XRM_M_CONNECTIONS), 6);
    xrm_metric_add(XRM_M_CONNECTIONS, -6); /* a gauge goes back down, from another thread */
    assert_int_equal(xrm_metric_get(XRM_M_CONNECTIONS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_and_sample),         cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_histogram_is_cumulative), cmocka_unit_test(test_counter_map_threads),
        cmocka_unit_test(test_values_sum_over_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
