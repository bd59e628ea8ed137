/*
 * Unit tests of access levels (domain/base/access.c): what each level may
 * read and change, activities' gates and sensitive attributes.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_activity_gates),
        cmocka_unit_test(test_sensitive_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
