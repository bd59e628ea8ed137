/*
 * Unit tests for domain/party/keys: each normaliser with the forms people
 * type (and spreadsheets make), the inputs that give no key, and the key
 * set of a party JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/party/keys.h"

typedef bool (*key_fn)(const char *s, char out[XRM_KEY_MAX]);

static void key_ok(key_fn fn, const char *in, const char *expect)
{
    char out[XRM_KEY_MAX];
    if (!fn(in, out))
        fail_msg("no key of '%s'", in);
    if (strcmp(out, expect) != 0)
        fail_msg("key of '%s' is '%s', not '%s'", in, out, expect);
}

static void key_none(key_fn fn, const char *in)
{
    char out[XRM_KEY_MAX];
    if (fn(in, out))
        fail_msg("'%s' gave the key '%s'", in ? in : "(null)", out);
}

static void test_email(void **state)
{
    (void)state;
    key_ok(xrm_key_email, "Jan@Example.NL", "jan@example.nl");
    key_ok(xrm_key_email, "  jan.de.vries@bedrijf.nl\t", "jan.de.vries@bedrijf.nl");
    key_ok(xrm_key_email, "mailto:INFO@Bakkerij.nl", "info@bakkerij.nl");
    key_none(xrm_key_email, "");
    key_none(xrm_key_email, "   ");
    key_none(xrm_key_email, "geen e-mail");
    key_none(xrm_key_email, NULL);
}

static void test_phone(void **state)
{
    (void)state;
    key_ok(xrm_key_phone, "06 - 1234 5678", "+31612345678");
    key_ok(xrm_key_phone, "06-12345678", "+31612345678");
    key_ok(xrm_key_phone, "+31 (0)20 123 4567", "+31201234567");
    key_ok(xrm_key_phone, "+31 (0)6 1234 5678", "+31612345678");
    key_ok(xrm_key_phone, "0031 6 12345678", "+31612345678");
    key_ok(xrm_key_phone, "020-1234567", "+31201234567");
    key_ok(xrm_key_phone, "(020) 123 45 67", "+31201234567");
    key_ok(xrm_key_phone, "tel:+31201234567", "+31201234567");
    key_ok(xrm_key_phone, "+32 2 123 45 67", "+3221234567");     /* Brussels */
    key_ok(xrm_key_phone, "0032 470 12 34 56", "+32470123456");  /* Belgian mobile */
    key_ok(xrm_key_phone, "+49 (0)30 1234567", "+49301234567");  /* Berlin */
    key_ok(xrm_key_phone, "+49 151 23456789", "+4915123456789"); /* German mobile */
    key_none(xrm_key_phone, "12345");
    key_none(xrm_key_phone, "onbekend");
    key_none(xrm_key_phone, "");
}

static void test_kvk(void **state)
{
    (void)state;
    key_ok(xrm_key_kvk, "12345678", "12345678");
    key_ok(xrm_key_kvk, "1234 5678", "12345678");
    key_ok(xrm_key_kvk, "12.34.56.78", "12345678");
    key_ok(xrm_key_kvk, "1234567", "01234567"); /* the leading zero a spreadsheet ate */
    key_none(xrm_key_kvk, "123456");
    key_none(xrm_key_kvk, "123456789");
    key_none(xrm_key_kvk, "1234567A");
    key_none(xrm_key_kvk, "");
}

static void test_vat(void **state)
{
    (void)state;
    key_ok(xrm_key_vat, "NL 0012.34.567.B01", "NL001234567B01");
    key_ok(xrm_key_vat, "nl001234567b01", "NL001234567B01");
    key_ok(xrm_key_vat, "BE 0123.456.789", "BE0123456789");
    key_ok(xrm_key_vat, "DE 123 456 789", "DE123456789");
    key_none(xrm_key_vat, "123456789");
    key_none(xrm_key_vat, "NL_0012");
    key_none(xrm_key_vat, "");
}

static void test_iban(void **state)
{
    (void)state;
    key_ok(xrm_key_iban, "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300");
    key_ok(xrm_key_iban, "nl91abna0417164300", "NL91ABNA0417164300");
    key_ok(xrm_key_iban, "BE68 5390 0754 7034", "BE68539007547034");
    key_ok(xrm_key_iban, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000");
    key_none(xrm_key_iban, "ABNA 0417 1643");
    key_none(xrm_key_iban, "");
}

static void test_address(void **state)
{
    (void)state;
    char out[XRM_KEY_MAX];
    assert_true(xrm_key_address("1234 ab", "12", out));
    assert_string_equal(out, "1234AB 12");
    assert_true(xrm_key_address("1234AB", "12 A", out));
    assert_string_equal(out, "1234AB 12a");
    assert_true(xrm_key_address(" 1234 AB ", "12a", out));
    assert_string_equal(out, "1234AB 12a");
    assert_true(xrm_key_address("1234 ab", "12-2", out));
    assert_string_equal(out, "1234AB 12-2");
    assert_false(xrm_key_address("1234 AB", NULL, out));
    assert_false(xrm_key_address(NULL, "12", out));
    assert_false(xrm_key_address("1234 AB", "", out));
    assert_false(xrm_key_address("1234 AB", "bis", out));
}

static void person(const char *given, const char *prefix, const char *family, const char *name,
                   const char *initial)
{
    char out[XRM_KEY_MAX];
    if (!xrm_key_person_name(given, prefix, family, out))
        fail_msg("no name key of %s / %s", given ? given : "-", family ? family : "-");
    assert_string_equal(out, name);
    if (initial) {
        assert_true(xrm_key_person_initial(given, family, out));
        assert_string_equal(out, initial);
    } else {
        assert_false(xrm_key_person_initial(given, family, out));
    }
}

static void test_person_names(void **state)
{
    (void)state;
    person("Jan", "van der", "Berg", "berg jan", "berg j");
    person("J.", "v.d.", "Berg", "berg j", "berg j");
    person("Jan", NULL, "van der Berg", "berg jan", "berg j"); /* prefix typed in the name */
    person("Jürgen", NULL, "Müller", "muller jurgen", "muller j");
    person("Anouk", "'t", "Hart", "hart anouk", "hart a");
    person("Anouk", NULL, "\xe2\x80\x99t Hart", "hart anouk", "hart a"); /* curly ’t */
    person("Zoë", NULL, "Ĳzerman", "ijzerman zoe", "ijzerman z");
    person("Piet", NULL, "Jansen-de Vries", "jansen vries piet", "jansen vries p");
    person("Łukasz", NULL, "Wójcik", "wojcik lukasz", "wojcik l");
    person("Jan Peter", "de", "Groot", "groot jan peter", "groot j");
    person(NULL, NULL, "Bakker", "bakker", NULL);
    person("Mees", NULL, NULL, "mees", NULL);
    person("Els", "van", "Van", "van els", "van e"); /* a family name that is only a prefix */
}

static void test_full_names(void **state)
{
    (void)state;
    key_ok(xrm_key_full_name, "Jan van der Berg", "berg jan");
    key_ok(xrm_key_full_name, "J. v.d. Berg", "berg j");
    key_ok(xrm_key_full_name, "  JAN   VAN  DER  BERG ", "berg jan");
    key_ok(xrm_key_full_initial, "Jan van der Berg", "berg j");
    key_ok(xrm_key_full_initial, "J. v.d. Berg", "berg j");
    key_ok(xrm_key_full_initial, "Jan v/d Berg", "berg j");
    key_ok(xrm_key_full_name, "Anouk 't Hart", "hart anouk");
    key_ok(xrm_key_full_name, "Sébastien d'Hondt", "dhondt sebastien");
    key_none(xrm_key_full_initial, "Berg");
    key_none(xrm_key_full_name, "...");
    key_none(xrm_key_full_name, "");
}

static void test_org_names(void **state)
{
    (void)state;
    key_ok(xrm_key_org_name, "Bakkerij De Vries B.V.", "bakkerij vries");
    key_ok(xrm_key_org_name, "bakkerij de vries bv", "bakkerij vries");
    key_ok(xrm_key_org_name, "Bakkerij de Vries", "bakkerij vries");
    key_ok(xrm_key_org_name, "Müller GmbH", "muller");
    key_ok(xrm_key_org_name, "Café 't Hoekje V.O.F.", "cafe hoekje");
    key_ok(xrm_key_org_name, "B.V.", "bv"); /* nothing else left: kept */
    key_none(xrm_key_org_name, "&");
}

static const char *find(json_t *keys, const char *kind, size_t nth)
{
    size_t i, seen = 0;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (strcmp(json_string_value(json_object_get(k, "kind")), kind) == 0 && seen++ == nth)
            return json_string_value(json_object_get(k, "value"));
    }
    return NULL;
}

static void test_party_keys(void **state)
{
    (void)state;
    json_error_t e;
    json_t *p = json_loads(
        "{\"kind\": \"person\", \"uid\": \"0b6c9f5e-1111-4222-8333-944455556666\","
        " \"given_name\": \"Jan\", \"family_prefix\": \"van der\", \"family_name\": \"Berg\","
        " \"emails\": [{\"label\": \"work\", \"value\": \"Jan@Berg.NL\"}, \"jan@berg.nl\","
        "   \"privé@\"],"
        " \"phones\": [\"06-12345678\", {\"value\": \"+31 (0)6 1234 5678\"},"
        "   {\"value\": \"020 123 4567\"}],"
        " \"addresses\": [{\"postcode\": \"1234 ab\", \"house_number\": \"1 A\"},"
        "   {\"city\": \"Utrecht\"}],"
        " \"iban\": \"nl91 abna 0417 1643 00\", \"external_id\": \" AFAS-7 \"}",
        0, &e);
    assert_non_null(p);
    json_t *keys = xrm_party_keys(p);
    assert_string_equal(find(keys, "email", 0), "jan@berg.nl");
    assert_null(find(keys, "email", 1)); /* the same twice, and one that is not an address */
    assert_string_equal(find(keys, "phone", 0), "+31612345678");
    assert_string_equal(find(keys, "phone", 1), "+31201234567");
    assert_null(find(keys, "phone", 2));
    assert_string_equal(find(keys, "address", 0), "1234AB 1a");
    assert_null(find(keys, "address", 1));
    assert_string_equal(find(keys, "iban", 0), "NL91ABNA0417164300");
    assert_string_equal(find(keys, "name", 0), "berg jan");
    assert_string_equal(find(keys, "name_initial", 0), "berg j");
    assert_string_equal(find(keys, "external_id", 0), "AFAS-7");
    assert_string_equal(find(keys, "uid", 0), "0b6c9f5e-1111-4222-8333-944455556666");
    assert_null(find(keys, "kvk", 0));
    json_decref(keys);
    json_decref(p);

    p = json_loads(
        "{\"kind\": \"organization\", \"name\": \"Bouw B.V.\","
        " \"trade_name\": \"Bouw\", \"kvk\": \"1234 5678\", \"vat\": \"nl 0012.34.567.b01\"}",
        0, &e);
    keys = xrm_party_keys(p);
    assert_string_equal(find(keys, "name", 0), "bouw");
    assert_null(find(keys, "name", 1)); /* trade name gives the same key */
    assert_null(find(keys, "name_initial", 0));
    assert_string_equal(find(keys, "kvk", 0), "12345678");
    assert_string_equal(find(keys, "vat", 0), "NL001234567B01");
    json_decref(keys);
    json_decref(p);

    keys = xrm_party_keys(NULL);
    assert_int_equal(json_array_size(keys), 0);
    json_decref(keys);
}

/* The exact keys are the exact kinds of all keys, in the same order (an exact duplicate check). */
static void exact_is_subset(const char *text)
{
    json_error_t e;
    json_t *p = json_loads(text, 0, &e);
    assert_non_null(p);
    json_t *all = xrm_party_keys(p), *exact = xrm_party_keys_exact(p), *want = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(all, i, k)
    {
        enum xrm_key_kind kind;
        assert_true(xrm_key_kind_parse(json_string_value(json_object_get(k, "kind")), &kind));
        if (xrm_key_exact(kind))
            json_array_append(want, k);
    }
    assert_true(json_array_size(want) > 0);
    assert_true(json_array_size(want) < json_array_size(all));
    assert_true(json_equal(exact, want));
    json_decref(want);
    json_decref(exact);
    json_decref(all);
    json_decref(p);
}

static void test_party_keys_exact(void **state)
{
    (void)state;
    exact_is_subset(
        "{\"kind\": \"person\", \"uid\": \"0b6c9f5e-1111-4222-8333-944455556666\","
        " \"given_name\": \"Jan\", \"family_name\": \"Berg\","
        " \"emails\": [\"Jan@Berg.NL\", \"piet@berg.nl\"], \"phones\": [\"06-12345678\"],"
        " \"addresses\": [{\"postcode\": \"1234 ab\", \"house_number\": \"1\"}],"
        " \"iban\": \"nl91 abna 0417 1643 00\", \"external_id\": \"AFAS-7\"}");
    exact_is_subset("{\"kind\": \"organization\", \"name\": \"Bouw B.V.\", \"kvk\": \"1234 5678\","
                    " \"vat\": \"nl 0012.34.567.b01\", \"phones\": [\"020 123 4567\"]}");
    json_t *keys = xrm_party_keys_exact(NULL);
    assert_int_equal(json_array_size(keys), 0);
    json_decref(keys);
}

static void test_scores(void **state)
{
    (void)state;
    assert_int_equal(xrm_key_score(XRM_KEY_EMAIL), 100);
    assert_int_equal(xrm_key_score(XRM_KEY_KVK), 100);
    assert_int_equal(xrm_key_score(XRM_KEY_EXTERNAL_ID), 100);
    assert_int_equal(xrm_key_score(XRM_KEY_PHONE), 80);
    assert_int_equal(xrm_key_score(XRM_KEY_NAME), 60);
    assert_int_equal(xrm_key_score(XRM_KEY_ADDRESS), 50);
    assert_int_equal(xrm_key_score(XRM_KEY_NAME_INITIAL), 40);
    assert_false(xrm_key_exact(XRM_KEY_PHONE));
    assert_true(xrm_key_exact(XRM_KEY_VAT));
    enum xrm_key_kind k;
    assert_true(xrm_key_kind_parse("name_initial", &k));
    assert_int_equal(k, XRM_KEY_NAME_INITIAL);
    assert_false(xrm_key_kind_parse("postcode", &k));
    assert_string_equal(xrm_key_kind_name(XRM_KEY_IBAN), "iban");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_kvk),
        cmocka_unit_test(test_vat),
        cmocka_unit_test(test_iban),
        cmocka_unit_test(test_address),
        cmocka_unit_test(test_person_names),
        cmocka_unit_test(test_full_names),
        cmocka_unit_test(test_org_names),
        cmocka_unit_test(test_party_keys),
        cmocka_unit_test(test_party_keys_exact),
        cmocka_unit_test(test_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
