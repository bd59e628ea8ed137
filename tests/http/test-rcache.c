/*
 * The response cache's entries (http/rcache.h): a hit is the stored answer,
 * not a copy of it, so an entry that is replaced or dropped while a hit of
 * it is still being sent must live until that hit is given back, on
 * whatever thread. AddressSanitizer reports a use after free if it did not;
 * LeakSanitizer reports an entry that is never freed once given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "http/rcache.h"

#define KEY(s) s, sizeof(s) - 1

static void put(const char *key, size_t klen, uint64_t ver, const char *body)
{
    xrm_rcache_put(key, klen, ver, body, strlen(body), "\"7\"", "private");
}

static void assert_hit(const struct xrm_rcache_hit *hit, const char *body)
{
    assert_int_equal(hit->len, strlen(body));
    assert_memory_equal(hit->body, body, hit->len);
}

static void test_a_hit_is_the_stored_answer(void **state)
{
    (void)state;
    struct xrm_rcache_hit hit;
    put(KEY("a\0key"), 1, "{\"items\":[1]}");
    assert_true(xrm_rcache_get(KEY("a\0key"), 1, &hit));
    assert_hit(&hit, "{\"items\":[1]}");
    assert_string_equal(hit.etag, "\"7\"");
    assert_string_equal(hit.cache_control, "private");
    xrm_rcache_release(hit.ref);
    /* the key is all its bytes; another data version is no answer */
    assert_false(xrm_rcache_get(KEY("a\0kez"), 1, &hit));
    assert_false(xrm_rcache_get(KEY("a"), 1, &hit));
    assert_false(xrm_rcache_get(KEY("a\0key"), 2, &hit));
    assert_false(xrm_rcache_get(KEY("a\0key"), 1, &hit)); /* dropped by the line above */
    xrm_rcache_release(NULL);
}

static void test_a_replaced_entry_lives_until_given_back(void **state)
{
    (void)state;
    struct xrm_rcache_hit old, mid, now;
    put(KEY("replaced"), 5, "first answer");
    assert_true(xrm_rcache_get(KEY("replaced"), 5, &old));
    put(KEY("replaced"), 5, "second answer");
    assert_true(xrm_rcache_get(KEY("replaced"), 5, &mid));
    put(KEY("replaced"), 6, "third answer");
    assert_true(xrm_rcache_get(KEY("replaced"), 6, &now));
    assert_hit(&old, "first answer");
    assert_hit(&mid, "second answer");
    assert_hit(&now, "third answer");
    xrm_rcache_release(mid.ref);
    xrm_rcache_release(old.ref);
    xrm_rcache_release(now.ref);
    assert_true(xrm_rcache_get(KEY("replaced"), 6, &now)); /* the table's own reference */
    assert_hit(&now, "third answer");
    xrm_rcache_release(now.ref);
}

static void test_a_stale_version_drops_a_held_entry(void **state)
{
    (void)state;
    struct xrm_rcache_hit a, b;
    put(KEY("held"), 10, "held answer");
    assert_true(xrm_rcache_get(KEY("held"), 10, &a));
    assert_true(xrm_rcache_get(KEY("held"), 10, &b));
    assert_false(xrm_rcache_get(KEY("held"), 11, &a)); /* data changed: dropped */
    assert_false(xrm_rcache_get(KEY("held"), 10, &b));
    assert_hit(&a, "held answer");
    xrm_rcache_release(a.ref);
    assert_hit(&b, "held answer");
    xrm_rcache_release(b.ref);
}

struct sender {
    struct xrm_rcache_hit hit;
    const char *body;
    bool same; /* the bytes read were the body */
};

/* As a connection's thread does: reads the bytes, then gives them back. */
static void *send_and_release(void *arg)
{
    struct sender *s = arg;
    s->same = s->hit.len == strlen(s->body) && memcmp(s->hit.body, s->body, s->hit.len) == 0;
    xrm_rcache_release(s->hit.ref);
    return NULL;
}

static void test_given_back_on_other_threads(void **state)
{
    (void)state;
    enum { N = 8, ROUNDS = 200 };
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t t[N];
        struct sender s[N];
        put(KEY("threads"), (uint64_t)round, round % 2 ? "odd round" : "even round");
        for (int i = 0; i < N; i++) {
            s[i].body = round % 2 ? "odd round" : "even round";
            assert_true(xrm_rcache_get(KEY("threads"), (uint64_t)round, &s[i].hit));
            pthread_create(&t[i], NULL, send_and_release, &s[i]);
        }
        put(KEY("threads"), (uint64_t)round, "replaced while sent");
        for (int i = 0; i < N; i++) {
            pthread_join(t[i], NULL);
            assert_true(s[i].same);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_hit_is_the_stored_answer),
        cmocka_unit_test(test_a_replaced_entry_lives_until_given_back),
        cmocka_unit_test(test_a_stale_version_drops_a_held_entry),
        cmocka_unit_test(test_given_back_on_other_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
