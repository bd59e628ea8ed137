/*
 * Unit tests of the business clock (core/clock.c): XRM_NOW, Dutch summer
 * time, calendar arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/banned.h"

static void test_time_round_trip(void **state)
{
    (void)state;
    char out[XRM_TIME_LEN];
    int64_t t = 0;
    assert_true(xrm_time_parse("2027-01-15T09:00:00Z", &t));
    assert_int_equal(t, 1800003600);
    xrm_time_format(t, out);
    assert_string_equal(out, "2027-01-15T09:00:00Z");
    assert_true(xrm_time_parse("1969-12-31T23:59:59Z", &t));
    assert_int_equal(t, -1);
    xrm_time_format(t, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    assert_true(xrm_time_parse("2028-02-29", &t));
    assert_false(xrm_time_parse("2027-02-29", &t));
    assert_false(xrm_time_parse("2027-01-15T25:00:00Z", &t));
    assert_false(xrm_time_parse("2027-01-15 09:00:00", &t));
    assert_false(xrm_time_parse(NULL, &t));
}

static void test_dates(void **state)
{
    (void)state;
    char d[XRM_DATE_LEN];
    int64_t n = 0;
    assert_true(xrm_date_add_days("2027-01-15", 60, d));
    assert_string_equal(d, "2027-03-16");
    assert_true(xrm_date_add_days("2028-03-01", -1, d));
    assert_string_equal(d, "2028-02-29");
    assert_true(xrm_date_add_months("2027-01-31", 1, d));
    assert_string_equal(d, "2027-02-28");
    assert_true(xrm_date_add_months("2027-12-31", 2, d));
    assert_string_equal(d, "2028-02-29");
    assert_true(xrm_date_add_months("2027-03-31", -13, d));
    assert_string_equal(d, "2026-02-28");
    assert_true(xrm_date_diff("2027-01-15", "2027-03-16", &n));
    assert_int_equal(n, 60);
    assert_true(xrm_date_diff("2027-03-16", "2027-01-15", &n));
    assert_int_equal(n, -60);
    assert_false(xrm_date_diff("2027-01-15", "15-01-2027", &n));
    assert_false(xrm_date_add_days("2027-13-01", 1, d));
}

static void test_dutch_summer_time(void **state)
{
    (void)state;
    char d[XRM_DATE_LEN];
    int64_t t = 0;
    /* 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC */
    assert_true(xrm_time_parse("2027-03-28T00:59:59Z", &t));
    assert_int_equal(xrm_local_offset(t), 3600);
    assert_int_equal(xrm_local_offset(t + 1), 7200);
    assert_true(xrm_time_parse("2027-10-31T00:59:59Z", &t));
    assert_int_equal(xrm_local_offset(t), 7200);
    assert_int_equal(xrm_local_offset(t + 1), 3600);
    /* 23:30 UTC in winter is 00:30 the next day in Amsterdam; 22:30 in summer too */
    assert_true(xrm_time_parse("2027-01-15T23:30:00Z", &t));
    xrm_date_local(t, d);
    assert_string_equal(d, "2027-01-16");
    assert_true(xrm_time_parse("2027-07-01T22:30:00Z", &t));
    xrm_date_local(t, d);
    assert_string_equal(d, "2027-07-02");
    xrm_date_utc(t, d);
    assert_string_equal(d, "2027-07-01");
}

static void test_fake_clock(void **state)
{
    (void)state;
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN];
    setenv("XRM_NOW", "2027-01-15T10:00:00+01:00", 1);
    assert_true(xrm_clock_is_fake());
    xrm_clock_now(now);
    assert_string_equal(now, "2027-01-15T09:00:00Z");
    xrm_clock_today(today);
    assert_string_equal(today, "2027-01-15");
    setenv("XRM_NOW", "not a time", 1);
    assert_false(xrm_clock_is_fake());
    unsetenv("XRM_NOW");
    assert_false(xrm_clock_is_fake());
    assert_true(xrm_clock_now_t() > 1700000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_round_trip),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_dutch_summer_time),
        cmocka_unit_test(test_fake_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
