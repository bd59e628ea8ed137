/*
 * The per-thread block cache behind jansson: sizes and alignment, reuse
 * of freed blocks within the byte budget, blocks freed on another thread,
 * the release of a thread's cache when it ends (LeakSanitizer would report
 * it otherwise), and jansson running on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/pool.h"

#define BUDGET (64 * 1024)

static void test_sizes_and_alignment(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 15, 16, 17, 100, 255, 256, 257, 4096, 100000};
    void *p[sizeof(sizes) / sizeof(sizes[0])];
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = xrm_pool_malloc(sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], 0xab, sizes[i]); /* the whole payload is usable */
    }
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        xrm_pool_free(p[i]);
    xrm_pool_free(NULL);
}

static void test_reuse_within_budget(void **state)
{
    (void)state;
    size_t before = xrm_pool_cached_bytes();
    void *p[100];
    for (int i = 0; i < 100; i++)
        p[i] = xrm_pool_malloc(40);
    for (int i = 0; i < 100; i++)
        xrm_pool_free(p[i]);
    /* 40 bytes are glibc's chunk of usable size 40 */
    assert_int_equal(xrm_pool_cached_bytes(), before + 100 * 40);
    void *q[100];
    for (int i = 0; i < 100; i++) {
        q[i] = xrm_pool_malloc(25 + (size_t)i % 16); /* 25 to 40 bytes: the same class */
        bool found = false;
        for (int k = 0; k < 100 && !found; k++)
            found = q[i] == p[k];
        assert_true(found);
    }
    assert_int_equal(xrm_pool_cached_bytes(), before);
    for (int i = 0; i < 100; i++)
        xrm_pool_free(q[i]);

    /* never more than the budget; large blocks are never cached */
    void *many[4000];
    for (int i = 0; i < 4000; i++)
        many[i] = xrm_pool_malloc(200);
    for (int i = 0; i < 4000; i++)
        xrm_pool_free(many[i]);
    assert_true(xrm_pool_cached_bytes() <= BUDGET);
    assert_true(xrm_pool_cached_bytes() > BUDGET - XRM_POOL_MAX_SMALL);
    size_t full = xrm_pool_cached_bytes();
    xrm_pool_free(xrm_pool_malloc(5000));
    assert_int_equal(xrm_pool_cached_bytes(), full);
}

static void *free_all(void *arg)
{
    void **blocks = arg;
    for (int i = 0; i < 50; i++)
        xrm_pool_free(blocks[i]);
    /* they sit in this thread's cache until it ends */
    return (void *)(uintptr_t)xrm_pool_cached_bytes();
}

static void test_other_thread(void **state)
{
    (void)state;
    void *blocks[50];
    for (int i = 0; i < 50; i++)
        blocks[i] = xrm_pool_malloc(64);
    pthread_t t;
    void *cached = NULL;
    assert_int_equal(pthread_create(&t, NULL, free_all, blocks), 0);
    assert_int_equal(pthread_join(t, &cached), 0);
    assert_int_equal((uintptr_t)cached, 50 * 72); /* 64 bytes: usable size 72 */
}

static void test_jansson_on_the_pool(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        json_t *o = json_object();
        for (int i = 0; i < 200; i++) {
            char k[16];
            snprintf(k, sizeof(k), "k%d", i);
            json_object_set_new(o, k, json_pack("{s:i, s:s}", "n", i, "s", "waarde"));
        }
        json_t *back = json_loads("{\"a\": [1, 2, {\"b\": \"c\"}]}", 0, NULL);
        assert_non_null(back);
        char *text = json_dumps(back, JSON_COMPACT);
        assert_string_equal(text, "{\"a\":[1,2,{\"b\":\"c\"}]}");
        xrm_json_text_free(text);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "k199"), "n")), 199);
        json_decref(back);
        json_decref(o);
    }
}

int main(void)
{
    xrm_pool_set_budget(BUDGET);
    xrm_pool_install_json();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_alignment),
        cmocka_unit_test(test_reuse_within_budget),
        cmocka_unit_test(test_other_thread),
        cmocka_unit_test(test_jansson_on_the_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
