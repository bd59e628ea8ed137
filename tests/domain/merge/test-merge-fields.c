/*
 * Unit tests for the field choice of a merge (domain/merge/merge.h,
 * xrm_merge_fields): the survivor's own values win, empty ones are filled
 * from the merged parties in order, list fields are united without
 * duplicates (e-mail compared in lower case, phones by their digits),
 * conflicts name the scalar fields with two different values, choose picks
 * another party's value (a person's name as one), and a bad choose is 422
 * on its field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/merge/merge.h"
#include "core/banned.h"

static json_t *party(const char *text)
{
    json_error_t e;
    json_t *p = json_loads(text, 0, &e);
    assert_non_null(p);
    return p;
}

struct result {
    json_t *patch, *fields, *conflicts;
    int tags;
};

static void run(json_t *s, json_t *merged, json_t *choose, struct result *r)
{
    struct xrm_err err = XRM_ERR_INIT;
    memset(r, 0, sizeof(*r));
    assert_int_equal(
        xrm_merge_fields(s, merged, choose, &r->patch, &r->fields, &r->conflicts, &r->tags, &err),
        XRM_OK);
}

static void release(struct result *r)
{
    json_decref(r->patch);
    json_decref(r->fields);
    json_decref(r->conflicts);
}

static json_t *field(struct result *r, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(r->fields, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "field")), name) == 0)
            return f;
    }
    return NULL;
}

static bool conflict(struct result *r, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(r->conflicts, i, c)
    {
        if (strcmp(json_string_value(c), name) == 0)
            return true;
    }
    return false;
}

#define SURVIVOR                                                                                   \
    "{\"id\": 1, \"kind\": \"person\", \"given_name\": \"Piet\", \"family_prefix\": null,"         \
    " \"family_name\": \"Jansen\", \"kvk\": null, \"iban\": null, \"owner\": null,"                \
    " \"emails\": [{\"label\": \"werk\", \"value\": \"piet@example.nl\"}],"                        \
    " \"phones\": [{\"label\": \"mobiel\", \"value\": \"+31612345678\"}],"                         \
    " \"websites\": [], \"addresses\": [], \"tags\": [\"klant\"],"                                 \
    " \"custom\": {\"bron\": \"beurs\"}}"
#define OTHER                                                                                      \
    "{\"id\": 2, \"kind\": \"person\", \"given_name\": \"Pieter\", \"family_prefix\": \"van\","    \
    " \"family_name\": \"Jansen\", \"kvk\": null, \"iban\": \"NL91ABNA0417164300\","               \
    " \"owner\": null,"                                                                            \
    " \"emails\": [{\"label\": \"thuis\", \"value\": \"Piet@Example.NL\"},"                        \
    " {\"label\": \"prive\", \"value\": \"pj@example.org\"}],"                                     \
    " \"phones\": [{\"label\": \"werk\", \"value\": \"+31 6 1234 5678\"}],"                        \
    " \"websites\": [], \"addresses\": [], \"tags\": [\"leverancier\", \"klant\"],"                \
    " \"custom\": {\"bron\": \"web\", \"maat\": \"44\"}}"

static void survivor_wins_and_gaps_are_filled(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    struct result r;
    run(s, m, NULL, &r);
    /* Own values stay (not in the patch); empty ones come from the other. */
    assert_null(json_object_get(r.patch, "given_name"));
    assert_string_equal(json_string_value(json_object_get(r.patch, "iban")), "NL91ABNA0417164300");
    assert_string_equal(json_string_value(json_object_get(r.patch, "family_prefix")), "van");
    json_t *g = field(&r, "given_name");
    assert_int_equal(json_integer_value(json_object_get(g, "from")), 1);
    assert_int_equal(json_array_size(json_object_get(g, "alternatives")), 1);
    assert_int_equal(json_integer_value(json_object_get(field(&r, "iban"), "from")), 2);
    assert_true(conflict(&r, "given_name"));
    assert_true(conflict(&r, "custom.bron"));
    assert_false(conflict(&r, "iban"));
    assert_false(conflict(&r, "family_name")); /* the same on both */
    /* Custom: the survivor's key wins, a missing one is added. */
    json_t *custom = json_object_get(r.patch, "custom");
    assert_string_equal(json_string_value(json_object_get(custom, "bron")), "beurs");
    assert_string_equal(json_string_value(json_object_get(custom, "maat")), "44");
    release(&r);
    json_decref(s);
    json_decref(m);
}

static void lists_are_united_without_duplicates(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    struct result r;
    run(s, m, NULL, &r);
    json_t *emails = json_object_get(r.patch, "emails");
    assert_int_equal(json_array_size(emails), 2); /* Piet@Example.NL is the same address */
    assert_string_equal(json_string_value(json_object_get(json_array_get(emails, 1), "value")),
                        "pj@example.org");
    assert_null(json_object_get(r.patch, "phones")); /* same digits: nothing to add */
    assert_int_equal(json_array_size(json_object_get(r.patch, "tags")), 2);
    assert_int_equal(r.tags, 1);
    release(&r);
    json_decref(s);
    json_decref(m);
}

static void addresses_are_the_same_whatever_their_label(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    json_t *home =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "label", "thuis", "street", "Dorpsstraat",
                  "house_number", "1", "postcode", "1234 AB", "city", "Utrecht", "country", "NL");
    json_t *same = json_deep_copy(home), *other = json_deep_copy(home);
    json_object_set_new(same, "label", json_string("post"));
    json_object_set_new(same, "city", json_string("UTRECHT"));
    json_object_set_new(other, "house_number", json_string("2"));
    json_object_set_new(s, "addresses", json_pack("[o]", home));
    json_object_set_new(json_array_get(m, 0), "addresses", json_pack("[o, o]", same, other));
    struct result r;
    run(s, m, NULL, &r);
    json_t *addrs = json_object_get(r.patch, "addresses");
    assert_int_equal(json_array_size(addrs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(addrs, 0), "label")),
                        "thuis");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(addrs, 1), "house_number")), "2");
    release(&r);
    json_decref(s);
    json_decref(m);
}

static void choosing_an_empty_custom_field_removes_it(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    json_object_set_new(json_array_get(m, 0), "custom", json_object());
    json_t *choose = json_pack("{s:i}", "custom.bron", 2);
    struct result r;
    run(s, m, choose, &r);
    json_t *custom = json_object_get(r.patch, "custom");
    assert_non_null(custom);
    assert_null(json_object_get(custom, "bron"));
    release(&r);
    json_decref(choose);
    json_decref(s);
    json_decref(m);
}

static void choose_picks_another_value(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    json_t *choose = json_pack("{s:i, s:i}", "name", 2, "custom.bron", 2);
    struct result r;
    run(s, m, choose, &r);
    assert_string_equal(json_string_value(json_object_get(r.patch, "given_name")), "Pieter");
    assert_string_equal(json_string_value(json_object_get(r.patch, "family_prefix")), "van");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r.patch, "custom"), "bron")), "web");
    release(&r);
    json_decref(choose);
    json_decref(s);
    json_decref(m);
}

static void bad_choose_is_refused(void **state)
{
    json_t *s = party(SURVIVOR), *m = json_pack("[o]", party(OTHER));
    static const char *const bad[][2] = {
        {"{\"emails\": 2}", "choose.emails"},
        {"{\"kvk\": 3}", "choose.kvk"},
        {"{\"nickname\": 2}", "choose.nickname"},
        {"{\"kvk\": \"2\"}", "choose.kvk"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *choose = party(bad[i][0]), *patch = NULL, *fields = NULL, *conflicts = NULL;
        struct xrm_err err = XRM_ERR_INIT;
        int tags = 0;
        assert_int_equal(xrm_merge_fields(s, m, choose, &patch, &fields, &conflicts, &tags, &err),
                         XRM_E_INVALID);
        assert_int_equal(err.nfields, 1);
        assert_string_equal(err.fields[0].field, bad[i][1]);
        assert_null(patch);
        json_decref(choose);
    }
    json_decref(s);
    json_decref(m);
}

static void first_merged_party_fills_first(void **state)
{
    json_t *s = party(SURVIVOR);
    json_t *m =
        json_pack("[{s:i, s:s, s:s, s:[], s:[], s:[], s:[], s:[], s:{}},"
                  " {s:i, s:s, s:s, s:[], s:[], s:[], s:[], s:[], s:{}}]",
                  "id", 3, "kind", "person", "kvk", "11111111", "emails", "phones", "websites",
                  "addresses", "tags", "custom", "id", 4, "kind", "person", "kvk", "22222222",
                  "emails", "phones", "websites", "addresses", "tags", "custom");
    struct result r;
    run(s, m, NULL, &r);
    assert_string_equal(json_string_value(json_object_get(r.patch, "kvk")), "11111111");
    assert_true(conflict(&r, "kvk"));
    assert_int_equal(r.tags, 0);
    release(&r);
    json_decref(s);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(survivor_wins_and_gaps_are_filled),
        cmocka_unit_test(lists_are_united_without_duplicates),
        cmocka_unit_test(addresses_are_the_same_whatever_their_label),
        cmocka_unit_test(choosing_an_empty_custom_field_removes_it),
        cmocka_unit_test(choose_picks_another_value),
        cmocka_unit_test(bad_choose_is_refused),
        cmocka_unit_test(first_merged_party_fills_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
