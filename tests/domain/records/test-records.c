/*
 * Unit tests of the records' shared pieces (domain/records/records.c):
 * ISO 4217 currency codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/records/records.h"
#include "core/banned.h"

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
        cmocka_unit_test(test_currencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
