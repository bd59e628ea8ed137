/*
 * Unit tests of erasure's text scrubbing (domain/privacy/gdpr.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/privacy/gdpr.h"
#include "core/banned.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
