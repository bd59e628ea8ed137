/*
 * Unit tests for the rule engine without a database (domain/rule-eval.c):
 * validation against a role-type catalog with the field each error names,
 * compiling, every condition kind on party JSON, how several rules
 * combine, constraints, and the customer-health classification
 * (domain/health.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules/health.h"
#include "domain/rules/rule-eval.h"
#include "core/banned.h"

static json_t *catalog;

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (!v)
        fail_msg("bad JSON in test: %s: %s", e.text, text);
    return v;
}

static int setup(void **state)
{
    json_t *types =
        parse("[{\"name\":\"customer\",\"statuses\":[\"lead\",\"prospect\",\"active\",\"former\"],"
              "\"ended_statuses\":[\"former\"],\"attributes\":[{\"name\":\"segment\",\"type\":"
              "\"string\"},{\"name\":\"satisfaction\",\"type\":\"integer\"}]},"
              "{\"name\":\"employee\",\"statuses\":[\"applicant\",\"rejected\",\"active\","
              "\"on_leave\",\"former\"],\"ended_statuses\":[\"rejected\",\"former\"],"
              "\"attributes\":[{\"name\":\"start_date\",\"type\":\"date\"},"
              "{\"name\":\"hours_per_week\",\"type\":\"number\"},"
              "{\"name\":\"salary\",\"type\":\"integer\",\"sensitive\":true}]},"
              "{\"name\":\"partner\",\"statuses\":[\"active\",\"former\"],\"ended_statuses\":"
              "[\"former\"],\"attributes\":[{\"name\":\"tier\",\"type\":\"enum\",\"values\":"
              "[\"bronze\",\"silver\",\"gold\",\"strategic\"]}]},"
              "{\"name\":\"supplier\",\"statuses\":[\"active\",\"blocked\",\"former\"],"
              "\"ended_statuses\":[\"former\"],\"attributes\":[{\"name\":\"rating\",\"type\":"
              "\"integer\"},{\"name\":\"preferred\",\"type\":\"boolean\"}]},"
              "{\"name\":\"press\",\"statuses\":[\"active\",\"former\"],\"ended_statuses\":"
              "[\"former\"],\"attributes\":[]}]");
    catalog = xrm_rule_catalog(types);
    json_decref(types);
    (void)state;
    return 0;
}

static int teardown(void **state)
{
    json_decref(catalog);
    (void)state;
    return 0;
}

/* Normalises text (must succeed) and compiles it with the given id. */
static void compile(const char *text, int64_t id, struct xrm_crule *out)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = parse(text), *rule = NULL;
    if (xrm_rule_normalize(in, NULL, catalog, &rule, &err) != XRM_OK)
        fail_msg("rule rejected: %s (%s)", err.message, err.nfields ? err.fields[0].field : "-");
    json_object_set_new(rule, "id", json_integer(id));
    xrm_rule_compile(rule, catalog, out);
    json_decref(in);
    json_decref(rule);
}

/* Normalising text fails with rc and names field. */
static void rejected(const char *text, enum xrm_rc rc, const char *field)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = parse(text), *rule = NULL;
    assert_int_equal(xrm_rule_normalize(in, NULL, catalog, &rule, &err), rc);
    assert_null(rule);
    bool found = false;
    for (int i = 0; i < err.nfields; i++)
        found = found || strcmp(err.fields[i].field, field) == 0;
    if (!found)
        fail_msg("no error on '%s' (first: '%s': %s)", field,
                 err.nfields ? err.fields[0].field : "-", err.message);
    json_decref(in);
}

/* A party with roles given as "type:status" words and tags. */
static json_t *party(const char *roles, const char *tags)
{
    json_t *p = json_pack("{s:i, s:[], s:[]}", "id", 7, "roles", "tags");
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", roles);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(w, ':');
        *colon = '\0';
        bool ended = strcmp(colon + 1, "former") == 0 || strcmp(colon + 1, "rejected") == 0;
        json_array_append_new(json_object_get(p, "roles"),
                              json_pack("{s:s, s:s, s:{}, s:b}", "type", w, "status", colon + 1,
                                        "attributes", "active", !ended));
    }
    snprintf(buf, sizeof(buf), "%s", tags);
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
        json_array_append_new(json_object_get(p, "tags"), json_string(w));
    return p;
}

/* Sets attribute name of p's first role of type to v (stolen). */
static void set_attr(json_t *p, const char *type, const char *name, json_t *v)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(p, "roles"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "type")), type) == 0) {
            json_object_set_new(json_object_get(r, "attributes"), name, v);
            return;
        }
    }
    json_decref(v);
    fail_msg("no role %s", type);
}

static int matches(const char *rule, json_t *p)
{
    struct xrm_crule r;
    compile(rule, 1, &r);
    int m = xrm_crule_match(&r, p, NULL, NULL);
    xrm_crule_release(&r);
    return m;
}

static void test_validation(void **state)
{
    (void)state;
    rejected("{\"when\":{},\"then\":{\"priority\":\"high\"}}", XRM_E_INVALID, "name");
    rejected("{\"name\":\"x\",\"when\":{\"all_roles\":[\"customer\",\"astronaut\"]},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.all_roles[1]");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"partner.level\":{\"eq\":\"gold\"}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.partner.level");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"astronaut.tier\":{\"eq\":\"gold\"}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.astronaut.tier");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"partner.tier\":{\"eq\":\"platinum\"}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.partner.tier.eq");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"partner.tier\":{\"gt\":\"gold\"}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.partner.tier.gt");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"supplier.rating\":{\"gt\":\"4\"}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_MALFORMED, "when.attr.supplier.rating.gt");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"supplier.rating\":{\"eq\":4.5}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.supplier.rating.eq");
    rejected("{\"name\":\"x\",\"when\":{\"attr\":{\"supplier.rating\":{\"about\":4}}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.attr.supplier.rating.about");
    rejected("{\"name\":\"x\",\"when\":{\"status\":{\"customer\":[\"happy\"]}},"
             "\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.status.customer[0]");
    rejected("{\"name\":\"x\",\"when\":{\"colour\":\"red\"},\"then\":{\"priority\":\"high\"}}",
             XRM_E_INVALID, "when.colour");
    rejected("{\"name\":\"x\",\"when\":{},\"then\":{\"priority\":\"urgent\"}}", XRM_E_INVALID,
             "then.priority");
    rejected("{\"name\":\"x\",\"when\":{},\"then\":{\"suppress\":[\"no_calls\"]}}", XRM_E_INVALID,
             "then.suppress[0]");
    rejected("{\"name\":\"x\",\"when\":{},\"then\":{}}", XRM_E_INVALID, "then");
    rejected("{\"name\":\"x\",\"when\":{},\"then\":{\"sla_hours\":0}}", XRM_E_INVALID,
             "then.sla_hours");
    rejected("{\"name\":\"x\",\"kind\":\"constraint\",\"when\":{},\"then\":{}}", XRM_E_INVALID,
             "when");
    rejected("{\"name\":\"x\",\"kind\":\"rule\",\"when\":{},\"then\":{\"priority\":\"low\"}}",
             XRM_E_INVALID, "kind");
    rejected("{\"name\":\"x\",\"when\":{},\"then\":{\"badges\":[{\"de\":\"X\"}]}}", XRM_E_INVALID,
             "then.badges[0].de");
    rejected("{\"name\":\"x\",\"when\":[],\"then\":{\"priority\":\"low\"}}", XRM_E_MALFORMED,
             "when");

    /* The canonical form: texts in both languages, tags lower case, defaults set. */
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = parse("{\"name\":\" VIP \",\"id\":99,\"when\":{\"tags\":[\"VIP\"],"
                       "\"status\":{\"customer\":\"active\"}},"
                       "\"then\":{\"badges\":[\"Big\",{\"nl\":\"Groot\"}],\"notes\":null}}");
    json_t *rule = NULL;
    assert_int_equal(xrm_rule_normalize(in, NULL, catalog, &rule, &err), XRM_OK);
    json_t *want = parse("{\"name\":\"VIP\",\"kind\":\"treatment\",\"description\":null,"
                         "\"enabled\":true,\"when\":{\"status\":{\"customer\":[\"active\"]},"
                         "\"tags\":[\"vip\"]},\"then\":{\"badges\":[{\"en\":\"Big\",\"nl\":"
                         "\"Big\"},{\"en\":\"Groot\",\"nl\":\"Groot\"}]}}");
    if (!json_equal(rule, want)) {
        char *d = json_dumps(rule, JSON_SORT_KEYS);
        fail_msg("canonical form differs: %s", d);
    }
    /* An update keeps what the patch leaves out. */
    json_t *patch = parse("{\"enabled\":false}"), *upd = NULL;
    assert_int_equal(xrm_rule_normalize(patch, rule, catalog, &upd, &err), XRM_OK);
    assert_true(json_is_false(json_object_get(upd, "enabled")));
    assert_true(json_equal(json_object_get(upd, "when"), json_object_get(rule, "when")));
    json_decref(patch);
    json_decref(upd);
    json_decref(want);
    json_decref(rule);
    json_decref(in);
}

static void test_roles(void **state)
{
    (void)state;
    json_t *staff = party("employee:active customer:active", "");
    json_t *ex_customer = party("employee:active customer:former", "");
    json_t *lead = party("employee:active customer:lead", "");
    const char *both = "{\"name\":\"s\",\"when\":{\"all_roles\":[\"employee\",\"customer\"]},"
                       "\"then\":{\"priority\":\"low\"}}";
    assert_int_equal(matches(both, staff), 1);
    assert_int_equal(matches(both, ex_customer), 0); /* an ended role is not held */
    assert_int_equal(matches(both, lead), 1);
    const char *any = "{\"name\":\"a\",\"when\":{\"any_roles\":[\"press\",\"customer\"]},"
                      "\"then\":{\"priority\":\"low\"}}";
    assert_int_equal(matches(any, staff), 1);
    assert_int_equal(matches(any, ex_customer), 0);
    const char *none = "{\"name\":\"n\",\"when\":{\"none_roles\":[\"customer\"]},"
                       "\"then\":{\"priority\":\"low\"}}";
    assert_int_equal(matches(none, staff), 0);
    assert_int_equal(matches(none, ex_customer), 1);
    /* status looks at ended roles too */
    const char *former = "{\"name\":\"f\",\"when\":{\"status\":{\"customer\":[\"former\"]}},"
                         "\"then\":{\"priority\":\"low\"}}";
    assert_int_equal(matches(former, ex_customer), 1);
    assert_int_equal(matches(former, staff), 0);
    /* empty when: every party */
    json_t *nobody = party("", "");
    assert_int_equal(
        matches("{\"name\":\"e\",\"when\":{},\"then\":{\"priority\":\"low\"}}", nobody), 1);
    json_decref(nobody);
    json_decref(staff);
    json_decref(ex_customer);
    json_decref(lead);
}

static void test_attributes_and_tags(void **state)
{
    (void)state;
    json_t *p = party("partner:active customer:active supplier:active", "vip local");
    set_attr(p, "partner", "tier", json_string("gold"));
    set_attr(p, "supplier", "rating", json_integer(4));
    set_attr(p, "supplier", "preferred", json_true());
    set_attr(p, "customer", "segment", json_string("zakelijk"));

#define R(when) "{\"name\":\"t\",\"when\":" when ",\"then\":{\"priority\":\"low\"}}"
    assert_int_equal(
        matches(R("{\"attr\":{\"partner.tier\":{\"in\":[\"gold\",\"strategic\"]}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"partner.tier\":{\"eq\":\"silver\"}}}"), p), 0);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.rating\":{\"gt\":3}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.rating\":{\"gt\":4}}}"), p), 0);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.rating\":{\"gt\":3,\"lt\":5}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.rating\":{\"eq\":4}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.preferred\":{\"eq\":true}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"supplier.preferred\":{\"eq\":false}}}"), p), 0);
    assert_int_equal(matches(R("{\"attr\":{\"customer.segment\":{\"exists\":true}}}"), p), 1);
    assert_int_equal(matches(R("{\"attr\":{\"customer.satisfaction\":{\"exists\":true}}}"), p), 0);
    assert_int_equal(matches(R("{\"attr\":{\"customer.satisfaction\":{\"exists\":false}}}"), p), 1);
    assert_int_equal(matches(R("{\"tags\":[\"vip\",\"LOCAL\"]}"), p), 1);
    assert_int_equal(matches(R("{\"tags\":[\"vip\",\"gone\"]}"), p), 0);
    assert_int_equal(matches(R("{\"none_tags\":[\"gone\"]}"), p), 1);
    assert_int_equal(matches(R("{\"none_tags\":[\"gone\",\"vip\"]}"), p), 0);
    /* dates compare as dates */
    json_t *e = party("employee:active", "");
    set_attr(e, "employee", "start_date", json_string("2020-05-01"));
    set_attr(e, "employee", "hours_per_week", json_real(32.5));
    assert_int_equal(matches(R("{\"attr\":{\"employee.start_date\":{\"lt\":\"2021-01-01\"}}}"), e),
                     1);
    assert_int_equal(matches(R("{\"attr\":{\"employee.start_date\":{\"gt\":\"2021-01-01\"}}}"), e),
                     0);
    assert_int_equal(matches(R("{\"attr\":{\"employee.hours_per_week\":{\"lt\":36}}}"), e), 1);
    /* an attribute of an ended role does not count */
    json_t *old = party("partner:former", "");
    set_attr(old, "partner", "tier", json_string("gold"));
    assert_int_equal(matches(R("{\"attr\":{\"partner.tier\":{\"eq\":\"gold\"}}}"), old), 0);
    /* a segment condition without a callback never matches */
    assert_int_equal(matches(R("{\"segment\":3}"), p), 0);
#undef R
    json_decref(p);
    json_decref(e);
    json_decref(old);
}

static int seg_yes(void *arg, const struct xrm_cond *c, json_t *party_json)
{
    (void)party_json;
    *(int64_t *)arg = c->segment;
    return 1;
}

static int seg_fail(void *arg, const struct xrm_cond *c, json_t *party_json)
{
    (void)arg;
    (void)c;
    (void)party_json;
    return -1;
}

static void test_segment_callback(void **state)
{
    (void)state;
    struct xrm_crule r;
    int64_t asked = 0;
    json_t *p = party("customer:active", "");
    compile("{\"name\":\"s\",\"when\":{\"segment\":12,\"any_roles\":[\"customer\"]},"
            "\"then\":{\"priority\":\"low\"}}",
            1, &r);
    assert_int_equal(xrm_crule_match(&r, p, seg_yes, &asked), 1);
    assert_int_equal(asked, 12);
    assert_int_equal(xrm_crule_match(&r, p, seg_fail, NULL), -1);
    /* cheap conditions run first: no segment query when they already fail */
    json_t *q = party("press:active", "");
    asked = 0;
    assert_int_equal(xrm_crule_match(&r, q, seg_yes, &asked), 0);
    assert_int_equal(asked, 0);
    xrm_crule_release(&r);
    json_decref(p);
    json_decref(q);
}

static void test_combination(void **state)
{
    (void)state;
    struct xrm_crule rules[5];
    compile("{\"name\":\"Staff\",\"when\":{\"all_roles\":[\"employee\",\"customer\"]},"
            "\"then\":{\"suppress\":[\"no_sales_outreach\"],\"badges\":[{\"en\":\"Staff\","
            "\"nl\":\"Personeel\"}],\"sla_hours\":24}}",
            1, &rules[0]);
    compile("{\"name\":\"Press\",\"when\":{\"all_roles\":[\"press\",\"customer\"]},"
            "\"then\":{\"priority\":\"high\",\"badges\":[\"Press\"],\"sla_hours\":8,"
            "\"owner\":5,\"suppress\":[\"no_marketing\",\"no_sales_outreach\"]}}",
            2, &rules[1]);
    compile("{\"name\":\"Low\",\"when\":{\"any_roles\":[\"customer\"]},"
            "\"then\":{\"priority\":\"low\",\"owner\":3,\"notes\":[\"n\"]}}",
            3, &rules[2]);
    compile("{\"name\":\"Off\",\"enabled\":false,\"when\":{},\"then\":{\"priority\":\"top\"}}", 4,
            &rules[3]);
    compile("{\"name\":\"No press staff\",\"kind\":\"constraint\",\"when\":{\"all_roles\":"
            "[\"press\",\"employee\"]},\"then\":{\"message\":\"conflict\"}}",
            5, &rules[4]);

    json_t *p = party("employee:active customer:active press:active", ""), *t = NULL;
    assert_int_equal(xrm_treatment_of(rules, 5, p, NULL, NULL, &t), 0);
    json_t *want = parse(
        "{\"priority\":\"high\",\"badges\":[{\"en\":\"Staff\",\"nl\":\"Personeel\"},"
        "{\"en\":\"Press\",\"nl\":\"Press\"}],\"suppress\":[\"no_sales_outreach\","
        "\"no_marketing\"],\"sla_hours\":8,\"notes\":[{\"en\":\"n\",\"nl\":\"n\"}],\"owner\":5,"
        "\"because\":[\"Staff\",\"Press\",\"Low\",\"" XRM_STAFF_BECAUSE "\"]}");
    if (!json_equal(t, want))
        fail_msg("treatment: %s", json_dumps(t, JSON_SORT_KEYS));
    json_decref(t);
    json_decref(want);
    assert_int_equal(xrm_constraint_broken(rules, 5, p, NULL, NULL), 4);

    /* only a low rule: low; no rule: normal with empty lists */
    json_t *c = party("customer:active", "");
    assert_int_equal(xrm_treatment_of(rules, 5, c, NULL, NULL, &t), 0);
    assert_string_equal(json_string_value(json_object_get(t, "priority")), "low");
    assert_int_equal(json_integer_value(json_object_get(t, "owner")), 3);
    json_decref(t);
    json_t *n = party("supplier:active", "");
    assert_int_equal(xrm_treatment_of(rules, 5, n, NULL, NULL, &t), 0);
    want = parse("{\"priority\":\"normal\",\"badges\":[],\"suppress\":[],\"sla_hours\":null,"
                 "\"notes\":[],\"owner\":null,\"because\":[]}");
    assert_true(json_equal(t, want));
    assert_int_equal(xrm_constraint_broken(rules, 5, n, NULL, NULL), -1);
    json_decref(t);
    json_decref(want);

    /* badge matching folds case and accents as the query parser does */
    char folded[] = "PERSONEEL";
    xrm_query_fold(folded);
    assert_true(xrm_badge_matches(json_array_get(rules[0].badges, 0), folded));
    assert_false(xrm_badge_matches(json_array_get(rules[0].badges, 0), "staf"));

    for (int i = 0; i < 5; i++)
        xrm_crule_release(&rules[i]);
    json_decref(p);
    json_decref(c);
    json_decref(n);
}

/* A condition on a sensitive attribute is refused; a stored one suspends its rule. */
static void test_sensitive(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = parse("{\"name\":\"x\",\"when\":{\"attr\":{\"employee.salary\":{\"gt\":1},"
                       "\"employee.hours_per_week\":{\"gt\":30}}},\"then\":{\"badges\":[\"y\"]}}");
    json_t *rule = NULL;
    assert_int_equal(xrm_rule_normalize(in, NULL, catalog, &rule, &err), XRM_E_INVALID);
    assert_null(rule);
    assert_int_equal(err.nfields, 1);
    assert_string_equal(err.fields[0].field, "when.attr.employee.salary");
    assert_string_equal(err.fields[0].code, XRM_RULE_SENSITIVE_CODE);
    assert_string_equal(err.code, XRM_RULE_SENSITIVE_CODE);
    assert_non_null(strstr(err.message, "employee.salary"));
    rejected("{\"name\":\"x\",\"kind\":\"constraint\",\"when\":{\"attr\":{\"employee.salary\":"
             "{\"exists\":true}}}}",
             XRM_E_INVALID, "when.attr.employee.salary");
    /* an update that keeps a stored sensitive condition is refused too */
    json_t *cur =
        parse("{\"name\":\"x\",\"kind\":\"treatment\",\"enabled\":true,\"when\":{\"attr\":"
              "{\"employee.salary\":{\"gt\":1}}},\"then\":{\"badges\":[\"y\"]}}");
    json_t *patch = parse("{\"enabled\":false}");
    xrm_err_clear(&err);
    assert_int_equal(xrm_rule_normalize(patch, cur, catalog, &rule, &err), XRM_E_INVALID);
    assert_string_equal(err.fields[0].field, "when.attr.employee.salary");

    /* stored before the check: compiled as suspended, never fires */
    struct xrm_crule r;
    json_object_set_new(cur, "id", json_integer(9));
    xrm_rule_compile(cur, catalog, &r);
    assert_false(r.enabled);
    assert_string_equal(r.suspended, "employee.salary");
    assert_string_equal(r.suspended_field, "when.attr.employee.salary");
    json_t *p = party("customer:active", ""), *t = NULL;
    assert_int_equal(xrm_treatment_of(&r, 1, p, NULL, NULL, &t), 0);
    assert_int_equal(json_array_size(json_object_get(t, "because")), 0);
    json_decref(t);
    xrm_crule_release(&r);

    /* query terms */
    struct xrm_query q = {0};
    assert_int_equal(xrm_query_parse("role:employee employee.salary>100", &q, &err), XRM_OK);
    char what[100];
    assert_string_equal(xrm_rule_query_unfit(&q, catalog, what, sizeof(what)),
                        XRM_RULE_SENSITIVE_CODE);
    assert_string_equal(what, "employee.salary");
    xrm_query_release(&q);
    assert_int_equal(xrm_query_parse("role:customer status:employee=applicant", &q, &err), XRM_OK);
    assert_string_equal(xrm_rule_query_unfit(&q, catalog, what, sizeof(what)),
                        XRM_RULE_HIDDEN_STATUS_CODE);
    assert_string_equal(what, "employee.applicant");
    xrm_query_release(&q);
    assert_int_equal(xrm_query_parse("employee.hours_per_week>30 partner.tier:gold "
                                     "status:employee=active",
                                     &q, &err),
                     XRM_OK);
    assert_null(xrm_rule_query_unfit(&q, catalog, what, sizeof(what)));
    xrm_query_release(&q);

    /* a status visible only to its domain: refused, and a stored one suspends */
    rejected("{\"name\":\"x\",\"when\":{\"status\":{\"employee\":[\"active\",\"applicant\"]}},"
             "\"then\":{\"badges\":[\"y\"]}}",
             XRM_E_INVALID, "when.status.employee[1]");
    json_t *hs = parse("{\"id\":3,\"name\":\"x\",\"kind\":\"treatment\",\"when\":{\"status\":"
                       "{\"employee\":[\"rejected\"]}},\"then\":{\"badges\":[\"y\"]}}");
    xrm_rule_compile(hs, catalog, &r);
    assert_false(r.enabled);
    assert_string_equal(r.suspended_code, XRM_RULE_HIDDEN_STATUS_CODE);
    assert_string_equal(r.suspended, "employee.rejected");
    assert_string_equal(r.suspended_field, "when.status.employee");
    xrm_crule_release(&r);
    json_decref(hs);
    json_decref(p);
    json_decref(in);
    json_decref(cur);
    json_decref(patch);
}

/* Active staff get both suppressions without any rule; applicants and leavers do not. */
static void test_staff(void **state)
{
    (void)state;
    static const struct {
        const char *roles;
        bool staff;
    } cases[] = {
        {"employee:active", true},     {"employee:on_leave customer:former", true},
        {"employee:applicant", false}, {"employee:rejected customer:active", false},
        {"employee:former", false},    {"customer:active", false},
    };
    struct xrm_crule off;
    compile("{\"name\":\"Staff\",\"enabled\":false,\"when\":{\"all_roles\":[\"employee\"]},"
            "\"then\":{\"suppress\":[\"no_sales_outreach\"]}}",
            1, &off);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *p = party(cases[i].roles, ""), *t = NULL;
        assert_int_equal(xrm_staff_active(p), cases[i].staff);
        assert_int_equal(xrm_treatment_of(&off, 1, p, NULL, NULL, &t), 0);
        json_t *want =
            cases[i].staff ? parse("[\"no_marketing\",\"no_sales_outreach\"]") : json_array();
        if (!json_equal(json_object_get(t, "suppress"), want))
            fail_msg("%s: %s", cases[i].roles, json_dumps(t, JSON_SORT_KEYS));
        assert_int_equal(json_array_size(json_object_get(t, "because")), cases[i].staff ? 1 : 0);
        json_decref(want);
        json_decref(t);
        json_decref(p);
    }
    xrm_crule_release(&off);

    /* an applicant holds no employee role: no staff rule fires on an applicant customer */
    struct xrm_crule sc;
    compile("{\"name\":\"Staff customer\",\"when\":{\"all_roles\":[\"employee\",\"customer\"]},"
            "\"then\":{\"badges\":[\"Staff\"]}}",
            2, &sc);
    json_t *a = party("employee:applicant customer:active", "");
    assert_int_equal(xrm_crule_match(&sc, a, NULL, NULL), 0);
    json_t *e = party("employee:on_leave customer:active", "");
    assert_int_equal(xrm_crule_match(&sc, e, NULL, NULL), 1);
    json_decref(a);
    json_decref(e);
    xrm_crule_release(&sc);
}

static void test_health(void **state)
{
    (void)state;
    struct xrm_health_clock c;
    snprintf(c.now, sizeof(c.now), "2025-06-30T12:00:00Z");
    snprintf(c.complaint_since, sizeof(c.complaint_since), "2025-05-31T12:00:00Z");
    snprintf(c.watch_before, sizeof(c.watch_before), "2025-04-01T12:00:00Z");
    snprintf(c.risk_before, sizeof(c.risk_before), "2025-01-01T12:00:00Z");
    struct xrm_health_signals s = {0, -1, "2025-06-01T09:00:00Z"};
    assert_string_equal(xrm_health_classify(&s, &c), "good");
    s.score = 8;
    assert_string_equal(xrm_health_classify(&s, &c), "good");
    s.score = 7;
    assert_string_equal(xrm_health_classify(&s, &c), "watch");
    s.score = 5;
    assert_string_equal(xrm_health_classify(&s, &c), "at_risk");
    s.score = 9;
    s.open_complaints = 1;
    assert_string_equal(xrm_health_classify(&s, &c), "at_risk");
    s.open_complaints = 0;
    snprintf(s.last_contact, sizeof(s.last_contact), "2025-03-01T09:00:00Z");
    assert_string_equal(xrm_health_classify(&s, &c), "watch");
    snprintf(s.last_contact, sizeof(s.last_contact), "2024-12-01T09:00:00Z");
    assert_string_equal(xrm_health_classify(&s, &c), "at_risk");
    s.last_contact[0] = '\0'; /* never contacted: watch, not at risk */
    assert_string_equal(xrm_health_classify(&s, &c), "watch");

    json_t *cust = party("customer:active", ""), *lead = party("customer:lead employee:active", "");
    assert_true(xrm_health_applies(cust));
    assert_false(xrm_health_applies(lead));
    json_decref(cust);
    json_decref(lead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation),          cmocka_unit_test(test_roles),
        cmocka_unit_test(test_attributes_and_tags), cmocka_unit_test(test_segment_callback),
        cmocka_unit_test(test_combination),         cmocka_unit_test(test_health),
        cmocka_unit_test(test_sensitive),           cmocka_unit_test(test_staff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
