/*
 * Unit tests for record kinds (domain/base/record.h) that need no database:
 * the JSON Schema a descriptor emits for request and response bodies, and
 * the reading of plain input fields with their field errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/base/record.h"
#include "domain/records/agreement.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "core/banned.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct xrm_field fields[] = {
    {.name = "id",
     .column = "t.id",
     .type = XRM_FT_INT,
     .col = XRM_FC_ID,
     .flags = XRM_FF_READONLY,
     .min = 1},
    {.name = "name",
     .column = "t.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM | XRM_FF_SENSITIVE,
     .max = 10,
     .doc = "A name"},
    {.name = "colour", .column = "t.colour", .type = XRM_FT_ENUM, .values = colours, .dflt = "red"},
    {.name = "size", .column = "t.size", .type = XRM_FT_INT, .min = 1, .max = 9, .dflt = "3"},
    {.name = "on", .column = "t.on_date", .type = XRM_FT_DATE, .flags = XRM_FF_NULLABLE},
    {.name = "at", .column = "t.at", .type = XRM_FT_DATETIME, .flags = XRM_FF_NULLABLE},
    {.name = "domain", .column = "t.domain", .type = XRM_FT_DOMAIN, .dflt = "sales"},
    {.name = "secret",
     .column = "t.secret",
     .type = XRM_FT_INT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_HIDDEN},
    {.name = "hint", .type = XRM_FT_TEXT, .col = XRM_FC_NONE, .flags = XRM_FF_INPUT, .max = 5},
};

static const struct xrm_record_kind thing = {
    .name = "thing",
    .table = "things",
    .alias = "t",
    .from = " FROM things t",
    .title = "Thing",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

static json_t *prop(json_t *schema, const char *name)
{
    return json_object_get(json_object_get(schema, "properties"), name);
}

static bool in_array(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

static void test_response_schema(void **state)
{
    (void)state;
    json_t *s = xrm_record_schema(&thing, false);
    assert_string_equal(json_string_value(json_object_get(s, "type")), "object");
    assert_string_equal(json_string_value(json_object_get(s, "title")), "Thing");
    json_t *req = json_object_get(s, "required");
    /* every field a response carries is required; hidden and input-only ones are not there */
    assert_int_equal(json_array_size(req), 7);
    assert_true(in_array(req, "id") && in_array(req, "on") && in_array(req, "domain"));
    assert_null(prop(s, "secret"));
    assert_null(prop(s, "hint"));
    assert_true(json_is_true(json_object_get(prop(s, "id"), "readOnly")));
    assert_null(json_object_get(prop(s, "name"), "readOnly"));
    assert_string_equal(json_string_value(json_object_get(prop(s, "id"), "type")), "integer");
    assert_string_equal(json_string_value(json_object_get(prop(s, "id"), "format")), "int64");
    assert_int_equal(json_integer_value(json_object_get(prop(s, "id"), "minimum")), 1);
    assert_int_equal(json_integer_value(json_object_get(prop(s, "name"), "maxLength")), 10);
    assert_true(json_is_true(json_object_get(prop(s, "name"), "x-sensitive")));
    assert_string_equal(json_string_value(json_object_get(prop(s, "name"), "description")),
                        "A name");
    json_t *e = json_object_get(prop(s, "colour"), "enum");
    assert_int_equal(json_array_size(e), 2);
    assert_string_equal(json_string_value(json_array_get(e, 1)), "green");
    assert_int_equal(json_array_size(json_object_get(prop(s, "domain"), "enum")), 5);
    /* nullable: ["string", "null"] */
    json_t *t = json_object_get(prop(s, "on"), "type");
    assert_true(json_is_array(t));
    assert_string_equal(json_string_value(json_array_get(t, 1)), "null");
    assert_string_equal(json_string_value(json_object_get(prop(s, "on"), "format")), "date");
    assert_string_equal(json_string_value(json_object_get(prop(s, "at"), "format")), "date-time");
    assert_null(json_object_get(prop(s, "size"), "default"));
    json_decref(s);
}

static void test_request_schema(void **state)
{
    (void)state;
    json_t *s = xrm_record_schema(&thing, true);
    json_t *req = json_object_get(s, "required");
    assert_int_equal(json_array_size(req), 1);
    assert_string_equal(json_string_value(json_array_get(req, 0)), "name");
    assert_null(prop(s, "id"));     /* read-only */
    assert_null(prop(s, "secret")); /* hidden */
    assert_non_null(prop(s, "hint"));
    assert_int_equal(json_integer_value(json_object_get(prop(s, "size"), "default")), 3);
    assert_int_equal(json_integer_value(json_object_get(prop(s, "size"), "maximum")), 9);
    assert_string_equal(json_string_value(json_object_get(prop(s, "colour"), "default")), "red");
    /* an optional field may be sent as null to clear it */
    assert_true(json_is_array(json_object_get(prop(s, "size"), "type")));
    assert_true(json_is_string(json_object_get(prop(s, "name"), "type")));
    json_decref(s);
}

/* The real kinds: the API's field names, their order and their flags. */
static void test_kind_schemas(void **state)
{
    (void)state;
    json_t *c = xrm_record_schema(&xrm_case_kind, false);
    const char *key;
    json_t *v;
    const char *order[] = {
        "id",         "party",       "party_name",  "domain",          "subject",    "description",
        "status",     "priority",    "sla_hours",   "sla_source",      "sla_reason", "sla_due",
        "opened_at",  "resolved_at", "assignee",    "source_activity", "created_by", "version",
        "created_at", "updated_at",  "sla_breached"};
    size_t i = 0;
    json_object_foreach(json_object_get(c, "properties"), key, v)
    {
        assert_true(i < sizeof(order) / sizeof(order[0]));
        assert_string_equal(key, order[i++]);
    }
    assert_int_equal(i, sizeof(order) / sizeof(order[0]));
    json_decref(c);

    c = xrm_record_schema(&xrm_case_kind, true);
    json_t *req = json_object_get(c, "required");
    assert_int_equal(json_array_size(req), 2);
    assert_true(in_array(req, "party") && in_array(req, "subject"));
    assert_non_null(prop(c, "from_activity"));
    assert_null(prop(c, "sla_breached"));
    json_decref(c);

    json_t *d = xrm_record_schema(&xrm_deal_kind, false);
    assert_null(prop(d, "stage_probability"));
    assert_non_null(prop(d, "probability_source"));
    assert_string_equal(json_string_value(json_object_get(prop(d, "currency"), "pattern")),
                        "^[A-Z]{3}$");
    json_decref(d);

    json_t *a = xrm_record_schema(&xrm_agreement_kind, true);
    assert_int_equal(json_array_size(json_object_get(prop(a, "kind"), "enum")), 6);
    assert_false(json_boolean_value(json_object_get(prop(a, "auto_renew"), "default")));
    assert_int_equal(json_integer_value(json_object_get(prop(a, "renew_months"), "default")), 12);
    json_decref(a);
}

static void test_read(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *rec = json_object();
    json_t *in = json_pack("{s:s, s:n}", "name", "  Bob  ", "size", "colour");
    static const char *const names[] = {"name", "colour", "size", "on", "domain", NULL};
    xrm_record_read_all(&thing, names, in, NULL, rec, &err);
    assert_int_equal(err.nfields, 0);
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "Bob");
    assert_string_equal(json_string_value(json_object_get(rec, "colour")), "red");
    assert_int_equal(json_integer_value(json_object_get(rec, "size")), 3);
    assert_true(json_is_null(json_object_get(rec, "on")));
    assert_string_equal(json_string_value(json_object_get(rec, "domain")), "sales");
    json_decref(in);

    /* a patch keeps what it does not name */
    json_t *before = json_pack("{s:s, s:i}", "name", "Ann", "size", 7);
    in = json_pack("{s:s}", "colour", "green");
    xrm_record_read_all(&thing, names, in, before, rec, &err);
    assert_int_equal(err.nfields, 0);
    assert_string_equal(json_string_value(json_object_get(rec, "name")), "Ann");
    assert_int_equal(json_integer_value(json_object_get(rec, "size")), 7);
    assert_string_equal(json_string_value(json_object_get(rec, "colour")), "green");
    json_decref(in);
    json_decref(before);
    json_decref(rec);
}

static void test_read_errors(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *rec = json_object();
    json_t *in =
        json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:i}", "colour", "blue", "size", 10, "on",
                  "2027-02-30", "at", "noon", "domain", "nowhere", "secret", 1, "nope", 1);
    static const char *const names[] = {"name", "colour", "size", "on", "at", "domain", NULL};
    xrm_record_known_keys(&thing, in, &err);
    xrm_record_read_all(&thing, names, in, NULL, rec, &err);
    assert_int_equal(err.rc, XRM_E_INVALID);
    assert_int_equal(err.nfields, 8);
    /* unknown keys first (a hidden field is unknown to clients), then the fields in order */
    assert_string_equal(err.fields[2].field, "name");
    assert_string_equal(err.fields[2].message, "is required");
    assert_string_equal(err.fields[3].field, "colour");
    assert_string_equal(err.fields[3].message, "must be one of red, green");
    assert_string_equal(err.fields[4].field, "size");
    assert_string_equal(err.fields[5].message, "must be a date (YYYY-MM-DD)");
    assert_string_equal(err.fields[6].message,
                        "must be an RFC 3339 date-time such as 2027-01-15T09:00:00Z");
    assert_string_equal(err.fields[7].message,
                        "must be one of sales, hr, partners, purchasing, pr");
    bool secret = false, nope = false;
    for (int i = 0; i < 2; i++) {
        assert_string_equal(err.fields[i].message, "unknown field");
        secret |= strcmp(err.fields[i].field, "secret") == 0;
        nope |= strcmp(err.fields[i].field, "nope") == 0;
    }
    assert_true(secret && nope);
    assert_true(json_is_null(json_object_get(rec, "colour")));
    json_decref(in);
    json_decref(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_schema), cmocka_unit_test(test_request_schema),
        cmocka_unit_test(test_kind_schemas),    cmocka_unit_test(test_read),
        cmocka_unit_test(test_read_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
