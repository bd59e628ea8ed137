/*
 * Unit tests of the iCalendar reader (io/ical-in.c): objects as CalDAV
 * clients send them (a vdirsyncer/khal VTODO, an Apple-style VEVENT with
 * a VTIMEZONE, all-day events, folded lines) and what is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "io/ical-in.h"
#include "core/banned.h"

static json_t *read_ok(const char *text)
{
    json_t *o = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_ical_read(text, strlen(text), &o, &err);
    if (rc)
        fail_msg("refused: %s", err.message);
    assert_non_null(o);
    return o;
}

static enum xrm_rc read_refused(const char *text, const char *needle)
{
    json_t *o = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_ical_read(text, strlen(text), &o, &err);
    assert_int_not_equal(rc, XRM_OK);
    assert_null(o);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    return rc;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* As khal writes a new todo (LF line ends, UTC due, a category). */
static void test_vtodo_khal(void **state)
{
    (void)state;
    json_t *o = read_ok("BEGIN:VCALENDAR\n"
                        "VERSION:2.0\n"
                        "PRODID:-//PIMUTILS.ORG//NONSGML khal / icalendar //EN\n"
                        "BEGIN:VTODO\n"
                        "SUMMARY:Offerte nasturen\n"
                        "DESCRIPTION:Met korting\\, zie mail\\nRegel twee\n"
                        "DUE:20261210T150000Z\n"
                        "DTSTAMP:20261207T090000Z\n"
                        "UID:0f8e2b3c-khal@example.org\n"
                        "STATUS:COMPLETED\n"
                        "COMPLETED:20261207T091500Z\n"
                        "PRIORITY:5\n"
                        "CATEGORIES:sales,Werk\n"
                        "END:VTODO\n"
                        "END:VCALENDAR\n");
    assert_string_equal(str(o, "component"), "VTODO");
    assert_string_equal(str(o, "uid"), "0f8e2b3c-khal@example.org");
    assert_string_equal(str(o, "summary"), "Offerte nasturen");
    assert_string_equal(str(o, "description"), "Met korting, zie mail\nRegel twee");
    assert_string_equal(str(o, "due"), "2026-12-10T15:00:00Z");
    assert_string_equal(str(o, "status"), "COMPLETED");
    assert_string_equal(str(o, "completed"), "2026-12-07T09:15:00Z");
    assert_int_equal(json_integer_value(json_object_get(o, "priority")), 5);
    json_t *cats = json_object_get(o, "categories");
    assert_int_equal(json_array_size(cats), 2);
    assert_string_equal(json_string_value(json_array_get(cats, 0)), "sales");
    assert_null(json_object_get(o, "dtstart"));
    json_decref(o);
}

/* A VEVENT in a zone the object describes (CRLF, as Apple and Thunderbird send it). */
static void test_vevent_tzid(void **state)
{
    (void)state;
    json_t *o = read_ok("BEGIN:VCALENDAR\r\n"
                        "VERSION:2.0\r\n"
                        "PRODID:-//Apple Inc.//iOS 17//EN\r\n"
                        "BEGIN:VTIMEZONE\r\n"
                        "TZID:Europe/Amsterdam\r\n"
                        "BEGIN:DAYLIGHT\r\n"
                        "TZOFFSETFROM:+0100\r\n"
                        "TZOFFSETTO:+0200\r\n"
                        "DTSTART:19810329T020000\r\n"
                        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
                        "TZNAME:CEST\r\n"
                        "END:DAYLIGHT\r\n"
                        "BEGIN:STANDARD\r\n"
                        "TZOFFSETFROM:+0200\r\n"
                        "TZOFFSETTO:+0100\r\n"
                        "DTSTART:19961027T030000\r\n"
                        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
                        "TZNAME:CET\r\n"
                        "END:STANDARD\r\n"
                        "END:VTIMEZONE\r\n"
                        "BEGIN:VEVENT\r\n"
                        "UID:A1B2C3D4-apple\r\n"
                        "DTSTAMP:20261207T090000Z\r\n"
                        "DTSTART;TZID=Europe/Amsterdam:20261215T100000\r\n"
                        "DTEND;TZID=Europe/Amsterdam:20261215T113000\r\n"
                        "SUMMARY:Overleg Jansen\r\n"
                        "X-XRM-DOMAIN:hr\r\n"
                        "END:VEVENT\r\n"
                        "END:VCALENDAR\r\n");
    assert_string_equal(str(o, "component"), "VEVENT");
    assert_string_equal(str(o, "dtstart"), "2026-12-15T09:00:00Z"); /* CET is UTC+1 */
    assert_string_equal(str(o, "dtend"), "2026-12-15T10:30:00Z");
    assert_string_equal(str(o, "domain"), "hr");
    assert_null(json_object_get(o, "due"));
    json_decref(o);

    /* a zone named but not described: libical's own zone of that name (summer time) */
    o = read_ok("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:u2\n"
                "DTSTART;TZID=Europe/Amsterdam:20260615T100000\n"
                "DTEND;TZID=Europe/Amsterdam:20260615T110000\n"
                "SUMMARY:Zomer\nEND:VEVENT\nEND:VCALENDAR\n");
    assert_string_equal(str(o, "dtstart"), "2026-06-15T08:00:00Z");
    json_decref(o);

    /* a floating time is Dutch local time */
    o = read_ok("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:u3\n"
                "DTSTART:20261215T100000\nSUMMARY:Zwevend\nEND:VEVENT\nEND:VCALENDAR\n");
    assert_string_equal(str(o, "dtstart"), "2026-12-15T09:00:00Z");
    json_decref(o);

    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:u4\n"
                 "DTSTART;TZID=Mars/Olympus:20261215T100000\nSUMMARY:x\nEND:VEVENT\n"
                 "END:VCALENDAR\n",
                 "unknown time zone 'Mars/Olympus'");
}

static void test_date_only(void **state)
{
    (void)state;
    json_t *o = read_ok("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:day\n"
                        "DTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261225\n"
                        "SUMMARY:Kerstborrel\nEND:VEVENT\nEND:VCALENDAR\n");
    assert_string_equal(str(o, "dtstart"), "2026-12-24");
    assert_string_equal(str(o, "dtend"), "2026-12-25");
    json_decref(o);
    o = read_ok("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:t\n"
                "DUE;VALUE=DATE:20261231\nSUMMARY:Jaarafsluiting\nSTATUS:NEEDS-ACTION\n"
                "END:VTODO\nEND:VCALENDAR\n");
    assert_string_equal(str(o, "due"), "2026-12-31");
    assert_string_equal(str(o, "status"), "NEEDS-ACTION");
    assert_null(json_object_get(o, "completed"));
    json_decref(o);
}

/* Folded lines (a fold inside a UTF-8 word and inside the property name). */
static void test_folded(void **state)
{
    (void)state;
    json_t *o = read_ok("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\n"
                        "UID:fold@x\r\n"
                        "SUMMARY:Een heel lange omschrijving van een taak die over de grens v\r\n"
                        " an vijfenzeventig octetten heen gaat, met café\r\n"
                        "DESCRIPTION:eerste\r\n\tdeel\r\n"
                        "DU\r\n E:20261210T150000Z\r\n"
                        "END:VTODO\r\nEND:VCALENDAR\r\n");
    assert_string_equal(str(o, "summary"), "Een heel lange omschrijving van een taak die over de "
                                           "grens van vijfenzeventig octetten heen gaat, met café");
    assert_string_equal(str(o, "description"), "eerstedeel");
    assert_string_equal(str(o, "due"), "2026-12-10T15:00:00Z");
    json_decref(o);
}

static void test_refused(void **state)
{
    (void)state;
    read_refused("this is no calendar", "not an iCalendar object");
    read_refused("", "not an iCalendar object");
    read_refused("BEGIN:VCARD\nVERSION:4.0\nFN:Jan\nEND:VCARD\n", "not an iCalendar object");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n", "no VTODO or VEVENT");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
                 "BEGIN:VTODO\nUID:a\nSUMMARY:een\nEND:VTODO\n"
                 "BEGIN:VTODO\nUID:b\nSUMMARY:twee\nEND:VTODO\nEND:VCALENDAR\n",
                 "not several");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
                 "BEGIN:VEVENT\nUID:a\nDTSTART:20261210T150000Z\nSUMMARY:een\nEND:VEVENT\n"
                 "BEGIN:VTODO\nUID:a\nSUMMARY:twee\nEND:VTODO\nEND:VCALENDAR\n",
                 "not several");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
                 "BEGIN:VJOURNAL\nUID:a\nSUMMARY:dagboek\nEND:VJOURNAL\nEND:VCALENDAR\n",
                 "not a VJOURNAL");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
                 "BEGIN:VTODO\nSUMMARY:zonder uid\nEND:VTODO\nEND:VCALENDAR\n",
                 "has no UID");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:r\n"
                 "DTSTART:20261210T150000Z\nRRULE:FREQ=WEEKLY\nSUMMARY:elke week\nEND:VEVENT\n"
                 "END:VCALENDAR\n",
                 "recurring");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:d\n"
                 "DUE:morgen\nSUMMARY:x\nEND:VTODO\nEND:VCALENDAR\n",
                 "DUE");
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:m\n"
                 "DTSTART:20264761T100000Z\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
                 "DTSTART is not a valid date"); /* found by the fuzzer: month 47 */
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:\xff\xfe\n"
                 "END:VTODO\nEND:VCALENDAR\n",
                 "not UTF-8");
    /* two objects in one body */
    read_refused("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:a\nEND:VTODO\n"
                 "END:VCALENDAR\nBEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:b\n"
                 "END:VTODO\nEND:VCALENDAR\n",
                 "one VCALENDAR");
}

static void test_size_cap(void **state)
{
    (void)state;
    size_t n = XRM_ICAL_IN_MAX + 100;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    json_t *o = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_ical_read(big, n, &o, &err), XRM_E_LIMIT);
    assert_null(o);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vtodo_khal), cmocka_unit_test(test_vevent_tzid),
        cmocka_unit_test(test_date_only),  cmocka_unit_test(test_folded),
        cmocka_unit_test(test_refused),    cmocka_unit_test(test_size_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
