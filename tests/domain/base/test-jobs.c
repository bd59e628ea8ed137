/*
 * Unit tests of the background jobs' run moments (domain/base/jobs.c):
 * daily at 03:00 and monthly on the 1st at 03:00 Dutch local time, strictly
 * after the given moment, across the summer-time changes and month ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/clock.h"
#include "domain/base/jobs.h"
#include "core/banned.h"

/* The next run of period after the time text at, as a time text in out. */
static const char *next(enum xrm_job_period period, const char *at, char out[XRM_TIME_LEN])
{
    int64_t t = 0;
    assert_true(xrm_time_parse(at, &t));
    xrm_time_format(xrm_job_next_run(period, t), out);
    return out;
}

static void test_daily(void **state)
{
    (void)state;
    char o[XRM_TIME_LEN];
    /* winter: 03:00 CET is 02:00 UTC; before it the same day, at or after it the next */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-01-20T01:59:59Z", o), "2027-01-20T02:00:00Z");
    assert_string_equal(next(XRM_JOB_DAILY, "2027-01-20T02:00:00Z", o), "2027-01-21T02:00:00Z");
    assert_string_equal(next(XRM_JOB_DAILY, "2027-01-20T10:00:00Z", o), "2027-01-21T02:00:00Z");
    /* the local date rules: 23:30 UTC on the 20th is already the 21st in Amsterdam */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-01-20T23:30:00Z", o), "2027-01-21T02:00:00Z");
    /* summer: 03:00 CEST is 01:00 UTC */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-07-10T12:00:00Z", o), "2027-07-11T01:00:00Z");
    /* the night of the change to summer time (28 March 2027): 03:00 CEST */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-03-27T12:00:00Z", o), "2027-03-28T01:00:00Z");
    /* and back to winter time (31 October 2027): 03:00 CET */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-10-30T12:00:00Z", o), "2027-10-31T02:00:00Z");
    /* the year's end */
    assert_string_equal(next(XRM_JOB_DAILY, "2027-12-31T12:00:00Z", o), "2028-01-01T02:00:00Z");
}

static void test_monthly(void **state)
{
    (void)state;
    char o[XRM_TIME_LEN];
    /* the 1st before 03:00: that same day; after it: the next month's 1st */
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-02-01T01:00:00Z", o), "2027-02-01T02:00:00Z");
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-02-01T02:00:00Z", o), "2027-03-01T02:00:00Z");
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-01-20T10:00:00Z", o), "2027-02-01T02:00:00Z");
    /* the last of a month late in the evening UTC is the 1st in Amsterdam, before 03:00 */
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-01-31T23:30:00Z", o), "2027-02-01T02:00:00Z");
    /* into summer time: 1 April 03:00 CEST */
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-03-01T09:00:00Z", o), "2027-04-01T01:00:00Z");
    /* out of it: 1 November 03:00 CET */
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-10-15T09:00:00Z", o), "2027-11-01T02:00:00Z");
    /* December to January; February in a leap year */
    assert_string_equal(next(XRM_JOB_MONTHLY, "2027-12-05T09:00:00Z", o), "2028-01-01T02:00:00Z");
    assert_string_equal(next(XRM_JOB_MONTHLY, "2028-02-29T09:00:00Z", o), "2028-03-01T02:00:00Z");
}

static void test_period_names(void **state)
{
    (void)state;
    assert_string_equal(xrm_job_period_name(XRM_JOB_DAILY), "daily");
    assert_string_equal(xrm_job_period_name(XRM_JOB_MONTHLY), "monthly");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily),
        cmocka_unit_test(test_monthly),
        cmocka_unit_test(test_period_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
