/*
 * Import mapping: headers of Google Contacts, Outlook, Dutch spreadsheets
 * and xrm's exports mapped without being told; a row and a vCard turned
 * into the party object POST /parties takes (names split with their
 * prefixes, Google's label columns, house numbers in the street, legal
 * forms making an organisation, Dutch role labels, what goes to custom).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "domain/exchange/import-map.h"

static void assert_field(const char *header, const char *field)
{
    const char *f = xrm_import_field_for_header(header);
    if (!field) {
        assert_null(f);
        return;
    }
    assert_non_null(f);
    assert_string_equal(f, field);
}

static void test_headers(void **state)
{
    (void)state;
    assert_field("Voornaam", "given_name");
    assert_field("Tussenvoegsel", "family_prefix");
    assert_field("KvK-nummer", "kvk");
    assert_field("BTW-nummer", "vat");
    assert_field("E-mail", "email");
    assert_field("Rol", "role");
    assert_field("Extern ID", "external_id");
    assert_field("Bedrijfsnaam", "organization");
    assert_field("E-mail 2 - Value", "email");
    assert_field("Phone 1 - Label", "label.phone");
    assert_field("Business Postal Code", "postcode");
    assert_field("Home Street 2", "home.street");
    assert_field("Mobile Phone", "mobile");
    assert_field("ID", "");
    assert_field("Phonetic First Name", NULL);
    assert_true(xrm_import_field_valid("custom.lidnummer"));
    assert_true(xrm_import_field_valid(""));
    assert_false(xrm_import_field_valid("salaris"));
    assert_false(xrm_import_field_valid("custom."));
    assert_string_equal(xrm_import_role_type("Klant"), "customer");
    assert_string_equal(xrm_import_role_type("leverancier"), "supplier");
    assert_null(xrm_import_role_type("vrijwilliger"));
}

static json_t *row(const char *const *headers, const char *const *values, size_t n, json_t *mapping)
{
    struct xrm_import_map *m = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_import_map_new(headers, n, mapping, &m, &err), XRM_OK);
    json_t *p = xrm_import_map_row(m, values, n);
    xrm_import_map_free(m);
    return p;
}

static const char *s(json_t *o, const char *path)
{
    json_t *v = o;
    char key[64];
    while (*path) {
        size_t n = strcspn(path, ".");
        memcpy(key, path, n);
        key[n] = '\0';
        v = key[0] >= '0' && key[0] <= '9' ? json_array_get(v, (size_t)(key[0] - '0'))
                                           : json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return json_string_value(v);
}

static void test_person_row(void **state)
{
    (void)state;
    const char *h[] = {
        "First Name",        "Last Name", "Phone 1 - Value", "Phone 1 - Label", "Business Street",
        "Organization Name", "Rol",       "Labels"};
    const char *v[] = {
        "Femke",         "van der Dijk", "06-12345678",        "* Mobile",
        "Coolsingel 40", "Dijk B.V.",    "klant; Leverancier", "* myContacts ::: Klanten"};
    json_t *p = row(h, v, 8, NULL);
    assert_string_equal(s(p, "kind"), "person");
    assert_string_equal(s(p, "family_prefix"), "van der");
    assert_string_equal(s(p, "family_name"), "Dijk");
    assert_string_equal(s(p, "phones.0.label"), "mobile");
    assert_string_equal(s(p, "phones.0.value"), "06-12345678");
    assert_string_equal(s(p, "addresses.0.street"), "Coolsingel");
    assert_string_equal(s(p, "addresses.0.house_number"), "40");
    assert_string_equal(s(p, "custom.organization"), "Dijk B.V.");
    assert_string_equal(s(p, "roles.0.type"), "customer");
    assert_string_equal(s(p, "roles.1.type"), "supplier");
    assert_int_equal(json_array_size(json_object_get(p, "tags")), 1);
    assert_string_equal(s(p, "tags.0"), "klanten");
    json_decref(p);
}

static void test_organization_and_mapping(void **state)
{
    (void)state;
    const char *h[] = {"Naam", "Land", "Lid"};
    const char *v[] = {"Bakkerij Jansen B.V.", "Nederland", "1234"};
    json_t *mapping = json_pack("{s:s}", "Lid", "custom.lidnummer");
    json_t *p = row(h, v, 3, mapping);
    assert_string_equal(s(p, "kind"), "organization");
    assert_string_equal(s(p, "name"), "Bakkerij Jansen B.V.");
    assert_string_equal(s(p, "addresses.0.country"), "NL");
    assert_string_equal(s(p, "custom.lidnummer"), "1234");
    json_decref(p);
    const char *blank[] = {"", " ", ""};
    assert_null(row(h, blank, 3, mapping));
    json_decref(mapping);

    struct xrm_import_map *m = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *bad = json_pack("{s:s}", "Lid", "salaris");
    assert_int_equal(xrm_import_map_new(h, 3, bad, &m, &err), XRM_E_INVALID);
    assert_null(m);
    assert_string_equal(err.fields[0].field, "mapping");
    json_decref(bad);
}

static void test_vcard(void **state)
{
    (void)state;
    json_error_t je;
    json_t *card = json_loads(
        "{\"version\":\"4.0\",\"fn\":\"Willem-Jan van 't Hof\","
        "\"n\":{\"family\":\"van 't Hof\",\"given\":\"Willem-Jan\",\"prefix\":\"mr.\"},"
        "\"org\":[\"Van 't Hof Advocaten\"],\"tel\":[{\"value\":\"+31656789012\","
        "\"types\":[\"cell\"]}],\"email\":[{\"value\":\"wj@example.nl\",\"types\":[\"work\"]}],"
        "\"adr\":[{\"street\":\"Herengracht 500\",\"locality\":\"Amsterdam\","
        "\"postal_code\":\"1017 CB\",\"country\":\"Nederland\",\"types\":[\"work\"]}],"
        "\"note\":\"Twee\\nregels\",\"uid\":\"urn:uuid:1\",\"categories\":[\"Partners\"],"
        "\"photo\":{\"type\":\"image/jpeg\",\"base64\":\"/9j/AA==\"},"
        "\"x\":{\"X-KVK\":\"76543210\",\"X-TWO\":[\"a\",\"b\"]}}",
        0, &je);
    assert_non_null(card);
    json_t *p = xrm_import_from_vcard(card);
    assert_string_equal(s(p, "kind"), "person");
    assert_string_equal(s(p, "family_prefix"), "van 't");
    assert_string_equal(s(p, "family_name"), "Hof");
    assert_string_equal(s(p, "phones.0.label"), "mobile");
    assert_string_equal(s(p, "addresses.0.house_number"), "500");
    assert_string_equal(s(p, "addresses.0.country"), "NL");
    assert_string_equal(s(p, "custom.note"), "Twee\nregels");
    assert_string_equal(s(p, "custom.organization"), "Van 't Hof Advocaten");
    assert_string_equal(s(p, "custom.photo"), "data:image/jpeg;base64,/9j/AA==");
    assert_string_equal(s(p, "custom.X-KVK"), "76543210");
    assert_string_equal(s(p, "custom.X-TWO"), "a; b");
    assert_string_equal(s(p, "uid"), "urn:uuid:1");
    assert_string_equal(s(p, "tags.0"), "partners");
    json_decref(p);
    json_decref(card);

    card = json_pack("{s:s, s:[s]}", "fn", "Zorggroep Het Baken", "org", "Zorggroep Het Baken");
    p = xrm_import_from_vcard(card);
    assert_string_equal(s(p, "kind"), "organization");
    assert_string_equal(s(p, "name"), "Zorggroep Het Baken");
    assert_null(json_object_get(p, "custom"));
    json_decref(p);
    json_decref(card);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_person_row),
        cmocka_unit_test(test_organization_and_mapping),
        cmocka_unit_test(test_vcard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
