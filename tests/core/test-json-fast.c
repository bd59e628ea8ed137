/*
 * The fast JSON object parser: what it accepts it reads exactly as
 * xrm_json_parse (jansson) does, keys in the same order, numbers of the
 * same type and value; whatever jansson rejects, and the forms it leaves to
 * jansson, give NULL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/json-fast.h"
#include "json-same.h"

static void accepted(const char *text)
{
    json_t *fast = xrm_json_parse_fast(text, strlen(text)), *slow = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_non_null(fast);
    assert_int_equal(xrm_json_parse(text, strlen(text), true, &slow, &err), XRM_OK);
    assert_true(same(fast, slow));
    json_decref(fast);
    json_decref(slow);
}

static void left_to_jansson(const char *text, size_t len)
{
    assert_null(xrm_json_parse_fast(text, len));
}

#define LEFT(s) left_to_jansson(s, sizeof(s) - 1)

static void test_accepts(void **state)
{
    (void)state;
    accepted("{}");
    accepted(" \t{ } \r\n");
    accepted("{\"kind\":\"person\",\"given_name\":\"Ren\xc3\xa9\",\"family_prefix\":\"van der\","
             "\"emails\":[{\"label\":\"home\",\"value\":\"a@b.nl\"}],\"tags\":[],\"custom\":{},"
             "\"owner\":null,\"archived\":false,\"x\":true}");
    accepted("{\"n\":[0,-0,1,-1,9223372036854775807,-9223372036854775808]}");
    accepted("{\"r\":[32.5,-0.0,1e2,1E-2,2.5e+3,1e-400,0.1,123456789.123456789]}");
    accepted("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\"}");
    accepted("{\"\":1,\"a\\u0041\":2}");
    accepted("{\"z\":1,\"a\":2,\"m\":{\"y\":[],\"b\":[{}]}}");
    accepted("{\"u\":\"\xe2\x82\xac \xf0\x9f\x98\x80 \xed\x9f\xbf \xef\xbf\xbf\"}");
    /* nested exactly as deep as allowed */
    char deep[200] = "{\"a\":";
    for (int i = 1; i < XRM_JSON_MAX_DEPTH; i++)
        strcat(deep, "[");
    for (int i = 1; i < XRM_JSON_MAX_DEPTH; i++)
        strcat(deep, "]");
    strcat(deep, "}");
    accepted(deep);
}

static void test_leaves(void **state)
{
    (void)state;
    LEFT("");
    LEFT("   ");
    LEFT("[]");
    LEFT("\"x\"");
    LEFT("{\"a\":1,\"a\":2}");          /* duplicate key */
    LEFT("{\"a\":\"\\u0000\"}");        /* NUL */
    LEFT("{\"a\\u0000\":1}");           /* NUL in a key */
    LEFT("{\"a\":\"x\0y\"}");           /* raw NUL */
    LEFT("{\"a\":\"\\ud800\"}");        /* lone high surrogate */
    LEFT("{\"a\":\"\\ud800\\u0041\"}"); /* high surrogate, no low */
    LEFT("{\"a\":\"\\udc00\"}");        /* lone low surrogate */
    LEFT("{\"a\":\"\\u12\"}");
    LEFT("{\"a\":\"\\u12g4\"}");
    LEFT("{\"a\":\"\\x\"}");
    LEFT("{\"a\":\"\\\xc3\xa9\"}");
    LEFT("{\"a\":\"\x01\"}");     /* control character */
    LEFT("{\"a\":\"\xc3\"}");     /* truncated UTF-8 */
    LEFT("{\"a\":\"\xc0\xaf\"}"); /* overlong */
    LEFT("{\"a\":\"\xe0\x80\xaf\"}");
    LEFT("{\"a\":\"\xed\xa0\x80\"}"); /* encoded surrogate */
    LEFT("{\"a\":\"\xf4\x90\x80\x80\"}");
    LEFT("{\"a\":\"\xff\"}");
    LEFT("{\"a\":\"abc}");
    LEFT("{\"a\":\"abc\\\"}");
    LEFT("{\"a\":01}");
    LEFT("{\"a\":-}");
    LEFT("{\"a\":+1}");
    LEFT("{\"a\":1.}");
    LEFT("{\"a\":.5}");
    LEFT("{\"a\":1e}");
    LEFT("{\"a\":1e+}");
    LEFT("{\"a\":9223372036854775808}");
    LEFT("{\"a\":-9223372036854775809}");
    LEFT("{\"a\":1e400}");
    LEFT("{\"a\":-1e400}");
    LEFT("{\"a\":1a}");
    LEFT("{\"a\":truex}");
    LEFT("{\"a\":tru}");
    LEFT("{\"a\":nul}");
    LEFT("{\"a\":NaN}");
    LEFT("{\"a\":1,}");
    LEFT("{\"a\":[1,]}");
    LEFT("{,}");
    LEFT("{\"a\" 1}");
    LEFT("{a:1}");
    LEFT("{'a':1}");
    LEFT("{\"a\":1}}");
    LEFT("{\"a\":1} x");
    LEFT("{\"a\":1}{}");
    LEFT("\xef\xbb\xbf{}"); /* byte order mark */
    LEFT("{\"a\":1");
    char deep[200] = "{\"a\":";
    for (int i = 0; i < XRM_JSON_MAX_DEPTH; i++)
        strcat(deep, "[");
    for (int i = 0; i < XRM_JSON_MAX_DEPTH; i++)
        strcat(deep, "]");
    strcat(deep, "}");
    left_to_jansson(deep, strlen(deep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_leaves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
