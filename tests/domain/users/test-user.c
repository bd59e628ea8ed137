/*
 * Unit tests of users (domain/users/user.c): the access text of the CLI
 * ("sales=write,hr=read").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/users/user.h"
#include "core/banned.h"

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
        cmocka_unit_test(test_access_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
