/*
 * Unit tests of the failed-login limiter (domain/users/ratelimit.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "domain/users/ratelimit.h"
#include "core/banned.h"

static void test_login_limits(void **state)
{
    (void)state;
    int64_t t = 1000000;
    xrm_login_limit_reset();
    for (int i = 0; i < XRM_LOGIN_FREE_USER - 1; i++) {
        xrm_login_failed("jan", "10.0.0.1", t);
        assert_int_equal(xrm_login_wait("jan", "10.0.0.1", t), 0);
    }
    xrm_login_failed("jan", "10.0.0.1", t);
    assert_int_equal(xrm_login_wait("jan", "10.0.0.1", t), XRM_LOGIN_LOCK_MIN);
    /* a stranger's failures lock out neither the name elsewhere nor other names */
    assert_int_equal(xrm_login_wait("jan", "10.0.0.2", t), 0);
    assert_int_equal(xrm_login_wait("piet", "10.0.0.1", t), 0);
    assert_int_equal(xrm_login_wait("jan", "10.0.0.1", t + XRM_LOGIN_LOCK_MIN), 0);
    xrm_login_failed("jan", "10.0.0.1", t + XRM_LOGIN_LOCK_MIN);
    assert_int_equal(xrm_login_wait("jan", "10.0.0.1", t + XRM_LOGIN_LOCK_MIN),
                     2 * XRM_LOGIN_LOCK_MIN);
    xrm_login_succeeded("jan", "10.0.0.1", t + 10 * XRM_LOGIN_LOCK_MIN);
    assert_int_equal(xrm_login_wait("jan", "10.0.0.1", t + 10 * XRM_LOGIN_LOCK_MIN), 0);
    /* The lock never grows past its cap, and failures are forgotten after the window. */
    xrm_login_limit_reset();
    for (int i = 0; i < 40; i++)
        xrm_login_failed("kees", "y", t);
    assert_int_equal(xrm_login_wait("kees", "y", t), XRM_LOGIN_LOCK_MAX);
    assert_int_equal(xrm_login_wait("kees", "z", t), 0);
    int64_t later = t + XRM_LOGIN_LOCK_MAX + XRM_LOGIN_WINDOW + 1;
    xrm_login_failed("kees", "y", later);
    assert_int_equal(xrm_login_wait("kees", "y", later), 0);
    /* Per address: many names from one address. */
    xrm_login_limit_reset();
    for (int i = 0; i < XRM_LOGIN_FREE_ADDR; i++) {
        char name[16];
        snprintf(name, sizeof(name), "u%d", i);
        xrm_login_failed(name, "10.9.9.9", t);
    }
    assert_true(xrm_login_wait("someone", "10.9.9.9", t) > 0);
    assert_int_equal(xrm_login_wait("someone", "10.9.9.8", t), 0);
    xrm_login_limit_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
