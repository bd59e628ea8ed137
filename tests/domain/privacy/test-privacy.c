/*
 * Unit tests for the privacy rules that need no database: access levels
 * (domain/access.c), the contactability rule (consent.c), the failed-login
 * limiter (ratelimit.c), erasure's text scrubbing (gdpr.c) and the access
 * text of the CLI (user.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/base/access.h"
#include "domain/privacy/consent.h"
#include "domain/privacy/gdpr.h"
#include "domain/users/ratelimit.h"
#include "domain/users/user.h"
#include "core/banned.h"

static struct xrm_user user_with(const char *levels)
{
    struct xrm_user u = {.id = 7};
    struct xrm_err err = XRM_ERR_INIT;
    json_t *a = xrm_user_access_parse(levels, &err);
    const char *key;
    json_t *v;
    assert_non_null(a);
    json_object_foreach(a, key, v)
    {
        enum xrm_level l;
        assert_true(xrm_level_parse(json_string_value(v), &l));
        u.level[xrm_domain_index(key)] = (unsigned char)l;
    }
    json_decref(a);
    return u;
}

static void test_levels(void **state)
{
    (void)state;
    struct xrm_user u = user_with("sales=write,hr=read,pr=full");
    assert_int_equal(xrm_access_level(&u, "sales"), XRM_LEVEL_WRITE);
    assert_int_equal(xrm_access_level(&u, "hr"), XRM_LEVEL_READ);
    assert_int_equal(xrm_access_level(&u, "partners"), XRM_LEVEL_NONE);
    assert_int_equal(xrm_access_level(&u, "pr"), XRM_LEVEL_FULL);
    assert_int_equal(xrm_access_level(&u, "finance"), XRM_LEVEL_NONE);
    assert_int_equal(xrm_access_level(&u, NULL), XRM_LEVEL_NONE);
    assert_false(xrm_access_all(&u));
    assert_true(xrm_access_writer(&u));

    struct xrm_user admin = {.id = 1, .admin = true};
    struct xrm_user sys = {0};
    assert_int_equal(xrm_access_level(&admin, "hr"), XRM_LEVEL_FULL);
    assert_int_equal(xrm_access_level(&sys, "hr"), XRM_LEVEL_FULL);
    assert_int_equal(xrm_access_level(NULL, "hr"), XRM_LEVEL_FULL);
    assert_true(xrm_access_all(&admin));

    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(&u, dom);
    assert_string_equal(dom[0], "sales");
    assert_string_equal(dom[1], "hr");
    assert_null(dom[2]);
    assert_null(dom[3]);
    assert_string_equal(dom[4], "pr");

    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_access_write(&u, "hr", &err), XRM_E_DENIED);
    assert_non_null(strstr(err.message, "'hr'"));
    assert_int_equal(xrm_access_write(&u, "sales", NULL), XRM_OK);
    xrm_err_clear(&err);
    assert_int_equal(xrm_access_read(&u, "partners", "activity", 12, &err), XRM_E_NOTFOUND);
    assert_string_equal(err.message, "no activity 12");
}

static void test_activity_gates(void **state)
{
    (void)state;
    struct xrm_user u = user_with("sales=write,hr=read");
    json_t *hr = json_pack("{s:i, s:s}", "id", 5, "domain", "hr");
    json_t *pr = json_pack("{s:i, s:s}", "id", 6, "domain", "pr");
    json_t *sales = json_pack("{s:i, s:s}", "id", 7, "domain", "sales");
    assert_int_equal(xrm_access_activity_write(&u, hr, NULL, NULL), XRM_E_DENIED);
    assert_int_equal(xrm_access_activity_write(&u, pr, NULL, NULL), XRM_E_NOTFOUND);
    assert_int_equal(xrm_access_activity_write(&u, sales, NULL, NULL), XRM_OK);
    assert_int_equal(xrm_access_activity_write(&u, sales, hr, NULL), XRM_E_DENIED);
    assert_int_equal(xrm_access_activity_write(&u, NULL, sales, NULL), XRM_OK);
    json_t *out = json_incref(pr);
    assert_int_equal(xrm_access_activity_out(&u, &out, NULL), XRM_E_NOTFOUND);
    assert_null(out);
    out = json_incref(hr);
    assert_int_equal(xrm_access_activity_out(&u, &out, NULL), XRM_OK);
    json_decref(out);
    json_decref(hr);
    json_decref(pr);
    json_decref(sales);
}

static void test_sensitive_writes(void **state)
{
    (void)state;
    struct xrm_user w = user_with("hr=write"), f = user_with("hr=full");
    json_t *type = json_pack("{s:s, s:[{s:s, s:b}, {s:s, s:b}]}", "domain", "hr", "attributes",
                             "name", "job_title", "sensitive", 0, "name", "salary", "sensitive", 1);
    json_t *title = json_pack("{s:{s:s}}", "attributes", "job_title", "x");
    json_t *salary = json_pack("{s:{s:i}}", "attributes", "salary", 1);
    json_t *clear = json_pack("{s:n}", "attributes");
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_access_role_write(&w, "hr", type, title, "", NULL), XRM_OK);
    assert_int_equal(xrm_access_role_write(&w, "hr", type, salary, "roles[0].", &err),
                     XRM_E_DENIED);
    assert_string_equal(err.fields[0].field, "roles[0].attributes.salary");
    assert_int_equal(xrm_access_role_write(&w, "hr", type, clear, "", NULL), XRM_E_DENIED);
    assert_int_equal(xrm_access_role_write(&f, "hr", type, salary, "", NULL), XRM_OK);
    assert_int_equal(xrm_access_role_write(&f, "sales", NULL, NULL, NULL, NULL), XRM_E_DENIED);
    json_decref(type);
    json_decref(title);
    json_decref(salary);
    json_decref(clear);
}

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

static void test_scrub(void **state)
{
    (void)state;
    json_t *values = json_pack("[s, s, s]", "Jan Jansen", "jan@example.nl", "Ja");
    char *s = xrm_gdpr_scrub_text("Gebeld met JAN JANSEN, mail jan@Example.nl; ja!", values);
    assert_string_equal(s, "Gebeld met [erased], mail [erased]; ja!");
    free(s);
    assert_null(xrm_gdpr_scrub_text("niets te zien", values));
    assert_null(xrm_gdpr_scrub_text(NULL, values));
    json_t *doc = json_pack("{s:s, s:[s, {s:s}], s:i}", "Jan Jansen", "key stays", "list",
                            "x jan@example.nl", "deep", "Jan Jansen", "n", 3);
    assert_true(xrm_gdpr_scrub_json(doc, values));
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "list"), 0)),
                        "x [erased]");
    assert_non_null(json_object_get(doc, "Jan Jansen"));
    assert_false(xrm_gdpr_scrub_json(doc, values));
    json_decref(doc);
    json_decref(values);
}

static void test_access_text(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *a = xrm_user_access_parse("sales=write, hr=none,partners=read", &err);
    assert_non_null(a);
    assert_string_equal(json_string_value(json_object_get(a, "hr")), "none");
    assert_string_equal(json_string_value(json_object_get(a, "partners")), "read");
    json_decref(a);
    assert_null(xrm_user_access_parse("sales", &err));
    xrm_err_clear(&err);
    assert_null(xrm_user_access_parse("finance=read", &err));
    xrm_err_clear(&err);
    assert_null(xrm_user_access_parse("hr=admin", &err));
    assert_string_equal(err.fields[0].field, "access");
    json_t *empty = xrm_user_access_parse("", NULL);
    assert_int_equal(json_object_size(empty), 0);
    json_decref(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),           cmocka_unit_test(test_activity_gates),
        cmocka_unit_test(test_sensitive_writes), cmocka_unit_test(test_contactability),
        cmocka_unit_test(test_login_limits),     cmocka_unit_test(test_scrub),
        cmocka_unit_test(test_access_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
