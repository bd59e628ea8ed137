/*
 * Unit tests of the iCalendar writer (io/ical.c): folding at 75 octets
 * without splitting UTF-8, TEXT escaping, a whole feed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "io/ical.h"
#include "core/banned.h"

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
        "[{s:i, s:s, s:s, s:s, s:b, s:i, s:s, s:s, s:[s, s], s:s},"
        " {s:i, s:s, s:s, s:s, s:b, s:i, s:[], s:n}]",
        "id", 7, "type", "task", "subject", "Bellen", "due", "2027-01-18", "done", 0, "version", 2,
        "created_at", "2027-01-01T10:00:00Z", "updated_at", "2027-01-02T10:00:00Z", "party_names",
        "Jansen BV", "Piet de Vries", "link", "/parties/12", "id", 8, "type", "meeting", "subject",
        "Overleg", "due", "2027-01-20T13:30:00Z", "done", 0, "version", 1, "party_names", "link");
    size_t len = 0;
    char *s = xrm_ical_feed(items, "xrm: test", 1800003600, false, "https://xrm.example.nl", &len);
    assert_int_equal(strlen(s), len);
    assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(s, "UID:xrm-activity-7@xrm\r\nDTSTAMP:20270115T090000Z\r\n"));
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20270118\r\nDTEND;VALUE=DATE:20270119\r\n"));
    assert_non_null(strstr(s, "SEQUENCE:1\r\n"));
    assert_non_null(strstr(s, "DTSTART:20270120T133000Z\r\nDTEND:20270120T143000Z\r\n"));
    assert_non_null(strstr(s, "END:VCALENDAR\r\n"));
    char *u = check_lines(s);
    /* the parties after the subject and in the description, and the link back */
    assert_non_null(strstr(u, "SUMMARY:Bellen \xe2\x80\x94 Jansen BV\\, Piet de Vries\n"));
    assert_non_null(
        strstr(u, "DESCRIPTION:Jansen BV\\, Piet de Vries\\nhttps://xrm.example.nl/parties/12\n"));
    assert_non_null(strstr(u, "URL;VALUE=URI:https://xrm.example.nl/parties/12\n"));
    assert_non_null(strstr(u, "SUMMARY:Overleg\n"));
    assert_null(strstr(u, "X-XRM-DOMAIN"));
    free(u);
    free(s);
    s = xrm_ical_feed(items, "xrm: test", 1800003600, true, NULL, &len);
    assert_non_null(strstr(s, "BEGIN:VTODO\r\n"));
    assert_non_null(strstr(s, "DUE;VALUE=DATE:20270118\r\n"));
    assert_non_null(strstr(s, "STATUS:NEEDS-ACTION\r\n"));
    assert_null(strstr(s, "URL"));
    free(s);
    json_decref(items);
}

/* A CalDAV object: no METHOD, DTSTAMP from the activity, the client's UID, the body alone. */
static void test_ical_object(void **state)
{
    (void)state;
    json_t *a =
        json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:i, s:s, s:s, s:[s], s:s, s:n}", "id", 9, "type",
                  "task", "domain", "sales", "subject", "Offerte", "body", "Met korting", "done", 1,
                  "version", 3, "created_at", "2027-01-01T10:00:00Z", "updated_at",
                  "2027-01-02T11:00:00Z", "party_names", "Jansen BV", "link", "/deals/4", "due");
    struct xrm_ical_item it = {.uid = "abc,1@phone", .base_url = "http://h", .todo = true};
    size_t len = 0;
    char *s = xrm_ical_object(a, &it, &len);
    assert_non_null(s);
    char *u = check_lines(s);
    assert_null(strstr(u, "METHOD"));
    assert_non_null(strstr(u, "BEGIN:VCALENDAR\nVERSION:2.0\n"));
    assert_non_null(strstr(u, "UID:abc\\,1@phone\nDTSTAMP:20270102T110000Z\n"));
    assert_non_null(strstr(u, "SEQUENCE:2\n"));
    assert_null(strstr(u, "DUE"));
    assert_non_null(strstr(u, "DESCRIPTION:Met korting\nURL;VALUE=URI:http://h/deals/4\n"));
    assert_non_null(strstr(u, "X-XRM-DOMAIN:sales\n"));
    assert_non_null(strstr(u, "STATUS:COMPLETED\nCOMPLETED:20270102T110000Z\n"));
    free(u);
    free(s);
    /* a meeting without a date has no event */
    json_object_set_new(a, "type", json_string("meeting"));
    it.todo = false;
    assert_null(xrm_ical_object(a, &it, &len));
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ical_folding),
        cmocka_unit_test(test_ical_escaping),
        cmocka_unit_test(test_ical_feed),
        cmocka_unit_test(test_ical_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
