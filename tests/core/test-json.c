/*
 * JSON helpers: the compact writer (equal to jansson's reading of it, keys
 * in insertion order, escaping), the depth cap on request bodies, typed
 * field readers and pagination cursors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/json-fast.h"
#include "json-same.h"

static void roundtrip(const char *text, const char *expect)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    char *out = xrm_json_dump(v);
    assert_string_equal(out, expect);
    json_t *back = json_loads(out, JSON_DECODE_ANY, NULL);
    assert_true(json_equal(v, back));
    json_decref(back);
    json_decref(v);
    free(out);
}

static void test_writer(void **state)
{
    (void)state;
    roundtrip("{\"z\": 1, \"a\": [true, false, null]}", "{\"z\":1,\"a\":[true,false,null]}");
    roundtrip("\"quote \\\" slash \\\\ nl \\n tab \\t ctl \\u0001 é\"",
              "\"quote \\\" slash \\\\ nl \\n tab \\t ctl \\u0001 é\"");
    roundtrip("[-9223372036854775808, 9223372036854775807, 0]",
              "[-9223372036854775808,9223372036854775807,0]");
    roundtrip("[1.5, 2.0, 0.1]", "[1.5,2.0,0.1]");
    roundtrip("{}", "{}");
    roundtrip("[]", "[]");
}

/* The fast parser on stored JSON: what json_loads gives, or NULL (then json_loads reads it). */
static void test_load_fast(void **state)
{
    (void)state;
    /* the shapes xrm stores: read on the fast path */
    static const char *const plain[] = {
        "[]",
        "{}",
        " [ 1 , -2 , 0 ] ",
        "[{\"label\":\"home\",\"value\":\"a@b.nl\"}]",
        "{\"a\":{\"b\":[true,false,null]},\"c\":7}",
        "\"Zoë\"",
        "{\"x\":\"\"}",
        "-0",
        "[9223372036854775807,-9223372036854775807]",
        "\"a\\\"b \\u00eb\"",
        "[1.5]",
    };
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        json_t *fast = xrm_json_load_fast(plain[i]);
        json_t *ref = json_loads(plain[i], JSON_DECODE_ANY, NULL);
        assert_non_null(fast);
        assert_non_null(ref);
        assert_true(same(fast, ref));
        json_decref(fast);
        json_decref(ref);
    }
    /* not JSON, or not sure: NULL */
    static const char *const odd[] = {
        "[9223372036854775808]",
        "[01]",
        "[1,]",
        "{\"a\" 1}",
        "[1] x",
        "",
        "tru",
        "\"\xff\"",
        "[\"a\tb\"]",
        "{\"a\":1,\"a\":2}",
    };
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
        assert_null(xrm_json_load_fast(odd[i]));
    char deep[100] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    assert_null(xrm_json_load_fast(deep));
    /* xrm_json_load_stored still reads what the fast path leaves: duplicate keys, last wins */
    json_t *v = xrm_json_load_stored("{\"a\":1,\"a\":2}", false);
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 2);
    json_decref(v);
    v = xrm_json_load_stored("not json", true);
    assert_true(json_is_array(v) && json_array_size(v) == 0);
    json_decref(v);
}

static void test_depth_cap(void **state)
{
    (void)state;
    char deep[200], ok[200];
    int n = 0;
    for (int i = 0; i < XRM_JSON_MAX_DEPTH + 1; i++)
        deep[n++] = '[';
    for (int i = 0; i < XRM_JSON_MAX_DEPTH + 1; i++)
        deep[n++] = ']';
    deep[n] = '\0';
    json_t *v = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_json_parse(deep, strlen(deep), false, &v, &err), XRM_E_MALFORMED);
    assert_null(v);
    n = 0;
    for (int i = 0; i < XRM_JSON_MAX_DEPTH; i++)
        ok[n++] = '[';
    for (int i = 0; i < XRM_JSON_MAX_DEPTH; i++)
        ok[n++] = ']';
    ok[n] = '\0';
    xrm_err_clear(&err);
    assert_int_equal(xrm_json_parse(ok, strlen(ok), false, &v, &err), XRM_OK);
    json_decref(v);
    /* Brackets inside strings do not count. */
    const char *str = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
    assert_int_equal(xrm_json_parse(str, strlen(str), true, &v, &err), XRM_OK);
    json_decref(v);
    assert_int_equal(xrm_json_parse("[1]", 3, true, &v, &err), XRM_E_MALFORMED);
    assert_int_equal(xrm_json_parse("{\"a\":1,\"a\":2}", 13, true, &v, &err), XRM_E_MALFORMED);
}

static void test_field_readers(void **state)
{
    (void)state;
    json_t *o = json_loads("{\"s\":\"abc\",\"n\":5,\"b\":true,\"e\":\"  \",\"x\":1}", 0, NULL);
    struct xrm_err err = XRM_ERR_INIT;
    const char *s = NULL;
    int64_t n = 0;
    bool b = false;
    assert_true(xrm_json_get_str(o, NULL, "s", 10, true, &s, &err));
    assert_string_equal(s, "abc");
    assert_false(xrm_json_get_str(o, NULL, "s", 2, true, &s, &err));
    assert_int_equal(err.rc, XRM_E_INVALID);
    assert_string_equal(err.fields[0].field, "s");
    xrm_err_clear(&err);
    assert_false(xrm_json_get_str(o, "p.", "n", 10, true, &s, &err));
    assert_int_equal(err.rc, XRM_E_MALFORMED);
    assert_string_equal(err.fields[0].field, "p.n");
    xrm_err_clear(&err);
    assert_false(xrm_json_get_str(o, NULL, "e", 10, true, &s, &err));
    assert_int_equal(err.rc, XRM_E_INVALID);
    xrm_err_clear(&err);
    assert_true(xrm_json_get_int(o, NULL, "n", 0, 10, true, &n, &err));
    assert_int_equal(n, 5);
    assert_false(xrm_json_get_int(o, NULL, "n", 6, 10, true, &n, &err));
    xrm_err_clear(&err);
    assert_true(xrm_json_get_bool(o, NULL, "b", true, &b, &err));
    assert_true(b);
    assert_false(xrm_json_get_bool(o, NULL, "missing", false, &b, &err));
    assert_int_equal(err.rc, XRM_OK);
    static const char *const keys[] = {"s", "n", "b", "e", NULL};
    xrm_json_only_keys(o, NULL, keys, &err);
    assert_int_equal(err.nfields, 1);
    assert_string_equal(err.fields[0].field, "x");
    json_decref(o);
}

static void test_cursor(void **state)
{
    (void)state;
    json_t *key = json_pack("[s, I]", "berg jan", (json_int_t)42);
    char *c = xrm_cursor_encode(key);
    json_t *back = xrm_cursor_decode(c);
    assert_non_null(back);
    assert_true(json_equal(key, back));
    json_decref(back);
    free(c);
    json_decref(key);
    assert_null(xrm_cursor_decode("not a cursor!"));
    assert_null(xrm_cursor_decode("e30")); /* "{}": not an array */
    assert_null(xrm_cursor_decode(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer),    cmocka_unit_test(test_load_fast),
        cmocka_unit_test(test_depth_cap), cmocka_unit_test(test_field_readers),
        cmocka_unit_test(test_cursor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
