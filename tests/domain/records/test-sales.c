/*
 * Unit tests for the sales pieces that need no database: the business
 * clock (XRM_NOW, Dutch summer time, calendar arithmetic), the iCalendar
 * writer (folding at 75 octets without splitting UTF-8, TEXT escaping) and
 * ISO 4217 currency codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "domain/records/records.h"
#include "io/ical.h"
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

/* Every line of b ends in CRLF and has at most 75 octets; returns the unfolded text. */
static char *check_lines(const char *s)
{
    struct xrm_buf u = XRM_BUF_INIT;
    const char *p = s;
    bool first = true;
    while (*p) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        assert_true(end - p <= 75);
        const char *from = p;
        if (!first) {
            /* a continuation starts with one space */
            if (*p == ' ')
                from = p + 1;
            else
                xrm_buf_adds(&u, "\n");
        }
        xrm_buf_add(&u, from, (size_t)(end - from));
        first = false;
        p = end + 2;
    }
    return xrm_buf_detach(&u, NULL);
}

static void test_ical_folding(void **state)
{
    (void)state;
    struct xrm_buf b = XRM_BUF_INIT;
    char value[400];
    for (size_t i = 0; i < sizeof(value) - 1; i++)
        value[i] = (char)('a' + i % 26);
    value[sizeof(value) - 1] = '\0';
    xrm_ical_line(&b, "SUMMARY", value);
    char *u = check_lines(b.s);
    assert_string_equal(u + strlen("SUMMARY:"), value);
    free(u);
    xrm_buf_reset(&b);

    /* two-byte and three-byte characters are never cut */
    struct xrm_buf v = XRM_BUF_INIT;
    for (int i = 0; i < 60; i++)
        xrm_buf_adds(&v, i % 2 ? "\xc3\xab" : "\xe6\xbc\xa2");
    xrm_ical_line(&b, "DESCRIPTION", v.s);
    u = check_lines(b.s);
    assert_string_equal(u + strlen("DESCRIPTION:"), v.s);
    for (const char *p = b.s; (p = strstr(p, "\r\n ")) != NULL; p += 3)
        assert_true(((unsigned char)p[3] & 0xc0) != 0x80);
    free(u);
    xrm_buf_release(&v);
    xrm_buf_reset(&b);

    /* exactly 75 octets: no fold */
    memset(value, 'x', 67);
    value[67] = '\0';
    xrm_ical_line(&b, "SUMMARY", value);
    assert_int_equal(strlen(b.s), 77);
    assert_null(strstr(b.s, "\r\n "));
    xrm_buf_release(&b);
}

static void test_ical_escaping(void **state)
{
    (void)state;
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_ical_text(&b, "SUMMARY",
                  "a,b;c\\d\ne\r\x01"
                  "f");
    assert_string_equal(b.s, "SUMMARY:a\\,b\\;c\\\\d\\nef\r\n");
    xrm_buf_release(&b);
}

static void test_ical_feed(void **state)
{
    (void)state;
    json_t *items = json_pack(
        "[{s:i, s:s, s:s, s:s, s:b, s:i, s:s, s:s}, {s:i, s:s, s:s, s:s, s:b, s:i}]", "id", 7,
        "type", "task", "subject", "Bellen", "due", "2027-01-18", "done", 0, "version", 2,
        "created_at", "2027-01-01T10:00:00Z", "updated_at", "2027-01-02T10:00:00Z", "id", 8, "type",
        "meeting", "subject", "Overleg", "due", "2027-01-20T13:30:00Z", "done", 0, "version", 1);
    size_t len = 0;
    char *s = xrm_ical_feed(items, "xrm: test", 1800003600, false, &len);
    assert_int_equal(strlen(s), len);
    assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(s, "UID:xrm-activity-7@xrm\r\nDTSTAMP:20270115T090000Z\r\n"));
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20270118\r\nDTEND;VALUE=DATE:20270119\r\n"));
    assert_non_null(strstr(s, "SEQUENCE:1\r\n"));
    assert_non_null(strstr(s, "DTSTART:20270120T133000Z\r\nDTEND:20270120T143000Z\r\n"));
    assert_non_null(strstr(s, "END:VCALENDAR\r\n"));
    free(check_lines(s));
    free(s);
    s = xrm_ical_feed(items, "xrm: test", 1800003600, true, &len);
    assert_non_null(strstr(s, "BEGIN:VTODO\r\n"));
    assert_non_null(strstr(s, "DUE;VALUE=DATE:20270118\r\n"));
    assert_non_null(strstr(s, "STATUS:NEEDS-ACTION\r\n"));
    free(s);
    json_decref(items);
}

static void test_currencies(void **state)
{
    (void)state;
    assert_true(xrm_currency_valid("EUR"));
    assert_true(xrm_currency_valid("USD"));
    assert_true(xrm_currency_valid("ZWL"));
    assert_false(xrm_currency_valid("eur"));
    assert_false(xrm_currency_valid("EU"));
    assert_false(xrm_currency_valid("EURO"));
    assert_false(xrm_currency_valid("XYZ"));
    assert_false(xrm_currency_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_round_trip),   cmocka_unit_test(test_dates),
        cmocka_unit_test(test_dutch_summer_time), cmocka_unit_test(test_fake_clock),
        cmocka_unit_test(test_ical_folding),      cmocka_unit_test(test_ical_escaping),
        cmocka_unit_test(test_ical_feed),         cmocka_unit_test(test_currencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
