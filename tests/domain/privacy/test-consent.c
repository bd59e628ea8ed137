/*
 * Unit tests of the contactability rule (domain/privacy/consent.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/privacy/consent.h"
#include "core/banned.h"

/* Computes contactability of p with state and returns "email-reason/call-reason". */
static char *contact(json_t *p, json_t *state, bool erased)
{
    static char buf[80];
    xrm_contact_compute(p, state, erased, "2026-11-27");
    json_t *c = json_object_get(p, "contactability");
    snprintf(buf, sizeof(buf), "%s%s/%s%s",
             json_is_true(json_object_get(p, "may_email")) ? "+" : "-",
             json_string_value(json_object_get(json_object_get(c, "email"), "reason")),
             json_is_true(json_object_get(p, "may_call")) ? "+" : "-",
             json_string_value(json_object_get(json_object_get(c, "call"), "reason")));
    return buf;
}

static void test_contactability(void **state)
{
    (void)state;
    json_t *none = json_object();
    json_t *p = json_pack("{s:[], s:[]}", "roles", "tags");
    assert_string_equal(contact(p, none, false), "-no_basis/-no_basis");
    json_array_append_new(json_object_get(p, "roles"),
                          json_pack("{s:s, s:s, s:s}", "type", "customer", "status", "former",
                                    "until", "2023-11-27"));
    assert_string_equal(contact(p, none, false), "+customer/+customer");
    json_object_set_new(json_array_get(json_object_get(p, "roles"), 0), "until",
                        json_string("2023-11-26"));
    assert_string_equal(contact(p, none, false), "-no_basis/-no_basis");

    json_t *st = json_pack("{s:{s:b, s:s, s:s}, s:{s:b, s:s, s:s}}", "newsletter", "granted", 1,
                           "at", "2026-01-01T00:00:00Z", "source", "beurs", "phone_marketing",
                           "granted", 0, "at", "2026-02-01T00:00:00Z", "source", "telefoon");
    assert_string_equal(contact(p, st, false), "+consent/-withdrawn");
    json_array_append_new(json_object_get(p, "tags"), json_string("non-mailing"));
    assert_string_equal(contact(p, st, false), "-non_mailing/-withdrawn");
    json_t *q = json_pack("{s:[{s:s, s:s}], s:[], s:{s:[s]}}", "roles", "type", "customer",
                          "status", "active", "tags", "treatment", "suppress", "no_sales_outreach");
    assert_string_equal(contact(q, none, false), "-suppressed/-suppressed");
    assert_string_equal(contact(p, st, true), "-erased/-erased");
    json_t *lead = json_pack("{s:[{s:s, s:s}]}", "roles", "type", "customer", "status", "lead");
    assert_string_equal(contact(lead, none, false), "-no_basis/-no_basis");
    /* Staff never get marketing: not with consent, nor as a recent ex-customer (even
     * without the treatment's suppressions); an applicant or a leaver is no staff. */
    json_t *staff =
        json_pack("{s:[{s:s, s:s}, {s:s, s:s, s:s}], s:[]}", "roles", "type", "employee", "status",
                  "active", "type", "customer", "status", "active", "until", "2026-10-01", "tags");
    assert_string_equal(contact(staff, st, false), "-staff/-staff");
    assert_string_equal(contact(staff, none, false), "-staff/-staff");
    json_t *emp = json_array_get(json_object_get(staff, "roles"), 0);
    json_object_set_new(emp, "status", json_string("on_leave"));
    assert_string_equal(contact(staff, none, false), "-staff/-staff");
    json_object_set_new(emp, "status", json_string("applicant"));
    assert_string_equal(contact(staff, none, false), "+customer/+customer");
    json_object_set_new(emp, "status", json_string("former"));
    assert_string_equal(contact(staff, st, false), "+consent/-withdrawn");
    json_decref(staff);
    json_decref(none);
    json_decref(p);
    json_decref(q);
    json_decref(st);
    json_decref(lead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contactability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
