/*
 * Table test of the WIK collection-cost scale (domain/billing/wik.c). Each
 * expected amount is worked out by hand in its comment: 15% of the first
 * EUR 2,500, 10% of the next 2,500, 5% of the next 5,000, 1% of the next
 * 190,000, 0.5% of the rest; at least EUR 40, at most EUR 6,775.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/billing/wik.h"
#include "core/banned.h"

static const struct {
    int64_t principal, costs; /* cents */
} cases[] = {
    {10000, 4000},       /* 100: 15% = 15.00, below the minimum: 40.00 */
    {26667, 4000},       /* 266.67: 15% = 40.0005 -> 40.00 */
    {26670, 4001},       /* 266.70: 15% = 40.005 -> rounded half up 40.01 */
    {26700, 4005},       /* 267: 15% = 40.05 */
    {250000, 37500},     /* 2,500: 15% = 375.00 */
    {300000, 42500},     /* 3,000: 375 + 10% of 500 = 425.00 */
    {500000, 62500},     /* 5,000: 375 + 250 = 625.00 */
    {1000000, 87500},    /* 10,000: 375 + 250 + 5% of 5,000 = 875.00 */
    {20000000, 277500},  /* 200,000: 875 + 1% of 190,000 = 2,775.00 */
    {100000000, 677500}, /* 1,000,000: 2,775 + 0.5% of 800,000 = 6,775.00, the maximum */
    {200000000, 677500}, /* 2,000,000: 2,775 + 9,000 = 11,775, capped at 6,775.00 */
    {0, 0},              /* nothing open, nothing to collect */
    {-5000, 0},          /* a credit balance: nothing */
    {1, 4000},           /* one cent open: the minimum */
};

static void test_scale(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got = xrm_wik_costs(cases[i].principal);
        if (got != cases[i].costs)
            fail_msg("principal %lld: got %lld, want %lld", (long long)cases[i].principal,
                     (long long)got, (long long)cases[i].costs);
    }
}

static void test_pay_by(void **state)
{
    (void)state;
    char out[XRM_DATE_LEN];
    /* sent 1 Dec; the day after is 2 Dec; 14 days after that: 16 Dec */
    assert_true(xrm_wik_pay_by("2026-12-01", out));
    assert_string_equal(out, "2026-12-16");
    /* across a year's end */
    assert_true(xrm_wik_pay_by("2026-12-20", out));
    assert_string_equal(out, "2027-01-04");
    assert_false(xrm_wik_pay_by("december", out));
    assert_false(xrm_wik_pay_by(NULL, out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_pay_by),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
