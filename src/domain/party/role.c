/*
 * Roles and role types: the six built-in types, the checks on a type an
 * admin defines, and the checks on a role against its type (status list,
 * dates, attribute schema). Everything a role write does happens in one
 * transaction: the role row, its role_attrs rows, the audit row and the
 * touch of its party. SQL lives in role-db.c.
 */
#include "domain/party/role.h"
#include "domain/base/record.h"
#include "domain/party/role-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/party-ref.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NAME_MAX_LEN 40 /* type, status and attribute names: [a-z][a-z0-9_]{0,39} */
#define NAME_RULE "must be a-z, 0-9 or _, start with a letter and be at most 40 characters"
#define LABEL_MAX 100
#define STATUSES_MAX 30
#define ATTRS_MAX 50
#define ENUM_VALUES_MAX 100
#define ENUM_VALUE_MAX 100
#define STRING_MAX 500
#define TEXT_MAX 10000
#define DATE_RULE "must be a date (YYYY-MM-DD)"

static xrm_role_check_fn role_check;

void xrm_role_check_set(xrm_role_check_fn fn)
{
    role_check = fn;
}

static enum xrm_rc check_party(struct xrm_db *db, int64_t party_id, struct xrm_err *err)
{
    if (!role_check)
        return xrm_errf(err, XRM_E_INTERNAL, "no check of roles set (domain/hooks.c)");
    return role_check(db, party_id, err);
}

static xrm_role_listener_fn listeners[XRM_ROLE_LISTENERS_MAX];
static int n_listeners;

void xrm_role_listener_add(xrm_role_listener_fn fn)
{
    if (n_listeners < XRM_ROLE_LISTENERS_MAX)
        listeners[n_listeners++] = fn;
}

static enum xrm_rc tell_listeners(struct xrm_db *db, const struct xrm_user *user, json_t *before,
                                  json_t *after, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (int i = 0; i < n_listeners && !rc; i++)
        rc = listeners[i](db, user, before, after, err);
    return rc;
}

/* Built-in role types. Names here are stable API (DESIGN.md). */

struct builtin_attr {
    const char *name, *type, *en, *nl;
    const char *values; /* enum values, space-separated */
    bool has_min, has_max, sensitive;
    int64_t min, max;
};

struct builtin_type {
    const char *name, *domain, *en, *nl;
    const char *statuses, *default_status, *ended; /* space-separated */
    struct builtin_attr attrs[12];
};

#define A_STR(n, e, d)                                                                             \
    {                                                                                              \
        .name = n, .type = "string", .en = e, .nl = d                                              \
    }
#define A_DATE(n, e, d)                                                                            \
    {                                                                                              \
        .name = n, .type = "date", .en = e, .nl = d                                                \
    }
#define A_ENUM(n, e, d, v)                                                                         \
    {                                                                                              \
        .name = n, .type = "enum", .en = e, .nl = d, .values = v                                   \
    }
#define A_INT(n, e, d, lo, hi)                                                                     \
    {                                                                                              \
        .name = n, .type = "integer", .en = e, .nl = d, .has_min = true, .min = lo,                \
        .has_max = true, .max = hi                                                                 \
    }

static const struct builtin_type builtins[] = {
    {"customer",
     "sales",
     "Customer",
     "Klant",
     "lead prospect active former",
     "active",
     "former",
     {
         A_STR("customer_number", "Customer number", "Klantnummer"),
         {.name = "account_manager",
          .type = "user",
          .en = "Account manager",
          .nl = "Accountmanager"},
         A_STR("segment", "Segment", "Segment"),
         A_INT("satisfaction", "Satisfaction (0-10)", "Tevredenheid (0-10)", 0, 10),
         /* quotes and invoices: given at the first issued invoice */
         A_STR("debtor_number", "Debtor number", "Debiteurnummer"),
         A_INT("payment_terms_days", "Payment terms (days)", "Betalingstermijn (dagen)", 0, 365),
     }},
    {"employee",
     "hr",
     "Employee",
     "Medewerker",
     "applicant rejected active on_leave former",
     "active",
     "rejected former",
     {
         A_STR("employee_number", "Employee number", "Personeelsnummer"),
         A_STR("job_title", "Job title", "Functie"),
         {.name = "department", .type = "department", .en = "Department", .nl = "Afdeling"},
         {.name = "manager", .type = "party", .en = "Manager", .nl = "Leidinggevende"},
         A_DATE("start_date", "Start date", "Datum in dienst"),
         A_DATE("end_date", "End date", "Datum uit dienst"),
         A_ENUM("contract_type", "Contract type", "Soort contract",
                "permanent temporary freelance intern zero_hours"),
         {.name = "hours_per_week",
          .type = "number",
          .en = "Hours per week",
          .nl = "Uren per week",
          .has_min = true,
          .min = 0,
          .has_max = true,
          .max = 80},
         /* HR absence: leave above the statutory hours, per year (leave balance) */
         {.name = "extra_leave_hours",
          .type = "number",
          .en = "Extra leave hours per year",
          .nl = "Bovenwettelijke verlofuren per jaar",
          .has_min = true,
          .min = 0,
          .has_max = true,
          .max = 2000},
         {.name = "salary",
          .type = "money",
          .en = "Salary",
          .nl = "Salaris",
          .has_min = true,
          .min = 0,
          .sensitive = true},
         /* recruitment: the vacancy applied for and the stage of the application */
         {.name = "vacancy",
          .type = "integer",
          .en = "Vacancy",
          .nl = "Vacature",
          .has_min = true,
          .min = 1},
         A_ENUM("stage", "Application stage", "Sollicitatiefase",
                "new interview offer hired rejected"),
     }},
    {"partner",
     "partners",
     "Partner",
     "Partner",
     "prospect active former",
     "active",
     "former",
     {
         A_ENUM("tier", "Tier", "Niveau", "bronze silver gold strategic"),
         A_ENUM("partner_type", "Partner type", "Soort partner",
                "reseller referral strategic technology"),
         A_DATE("agreement_until", "Agreement until", "Overeenkomst tot"),
         {.name = "commission_pct",
          .type = "number",
          .en = "Commission (%)",
          .nl = "Commissie (%)",
          .has_min = true,
          .min = 0,
          .has_max = true,
          .max = 100},
     }},
    {"supplier",
     "purchasing",
     "Supplier",
     "Leverancier",
     "prospect active blocked former",
     "active",
     "former",
     {
         A_STR("supplier_number", "Supplier number", "Leveranciersnummer"),
         A_STR("category", "Category", "Categorie"),
         A_INT("rating", "Rating (1-5)", "Beoordeling (1-5)", 1, 5),
         {.name = "preferred",
          .type = "boolean",
          .en = "Preferred supplier",
          .nl = "Voorkeursleverancier"},
         A_INT("payment_terms_days", "Payment terms (days)", "Betalingstermijn (dagen)", 0, 365),
         A_INT("lead_time_days", "Lead time (days)", "Levertijd (dagen)", 0, 3650),
     }},
    {"press",
     "pr",
     "Press",
     "Pers",
     "active former",
     "active",
     "former",
     {
         A_STR("outlet", "Outlet", "Medium"),
         A_STR("beat", "Beat", "Aandachtsgebied"),
         {.name = "reach",
          .type = "integer",
          .en = "Reach",
          .nl = "Bereik",
          .has_min = true,
          .min = 0},
     }},
    {"stakeholder",
     "pr",
     "Stakeholder",
     "Belanghebbende",
     "active former",
     "active",
     "former",
     {
         A_STR("project", "Project", "Project"),
         A_ENUM("interest", "Interest", "Belang", "high low"),
         A_ENUM("influence", "Influence", "Invloed", "high low"),
         A_ENUM("stance", "Stance", "Houding", "supportive neutral opposed"),
     }},
};

/* money: an amount in cents (an integer), shown and typed in euros */
static const char *const attr_types[] = {"string", "text",    "integer",    "number",
                                         "money",  "boolean", "date",       "enum",
                                         "user",   "party",   "department", NULL};

/*
 * HR: a department attribute holds the id of a department, checked by the
 * function HR sets (domain/hooks.c): departments live above this folder.
 */
static xrm_role_department_fn department_exists;

void xrm_role_department_set(xrm_role_department_fn fn)
{
    department_exists = fn;
}

static enum xrm_rc department_value(struct xrm_db *db, json_t *v, const char *f, json_t **out,
                                    struct xrm_err *err)
{
    bool exists = false;
    enum xrm_rc rc;
    if (!json_is_integer(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a department id");
        return XRM_OK;
    }
    if (!department_exists)
        return xrm_errf(err, XRM_E_INTERNAL, "no check of departments set (domain/hooks.c)");
    rc = department_exists(db, json_integer_value(v), &exists, err);
    if (rc)
        return rc;
    if (!exists)
        xrm_err_field(err, XRM_E_INVALID, f, "no department %lld",
                      (long long)json_integer_value(v));
    else
        *out = json_incref(v);
    return XRM_OK;
}

/* Small helpers. */

static json_t *words(const char *s)
{
    json_t *a = json_array();
    while (*s) {
        const char *end = strchr(s, ' ');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        s += n;
        while (*s == ' ')
            s++;
    }
    return a;
}

/* "a, b, c" from a JSON array of strings, cut to fit n. */
static void join_list(json_t *list, char *out, size_t n)
{
    size_t used = 0, i;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(list, i, v)
    {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", json_string_value(v));
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static bool valid_name(json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!s || n == 0 || n > NAME_MAX_LEN || strlen(s) != n || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

/* prefix + a + b, without snprintf: a bulk import names the fields of millions of roles. */
static void field3(char *out, size_t n, const char *a, const char *b, const char *c)
{
    xrm_strjoin(out, n, (const char *const[]){a, b, c, NULL});
}

/* "roles[0]." -> "roles[0]"; "" -> "body": the name of a whole input object. */
static void object_field(const char *prefix, char *out, size_t n)
{
    size_t len = strlen(prefix);
    if (len == 0)
        snprintf(out, n, "body");
    else
        snprintf(out, n, "%.*s", (int)(prefix[len - 1] == '.' ? len - 1 : len), prefix);
}

/* Field errors added since `before`: the rc they carry, or XRM_OK. */
static enum xrm_rc new_errors(const struct xrm_err *err, int before)
{
    if (err->nfields <= before)
        return XRM_OK;
    return err->rc ? err->rc : XRM_E_INVALID;
}

/* Role type definitions. */

/* {"en", "nl"} from in.label; a missing language takes the other, or fallback. */
static json_t *parse_label(json_t *in, const char *prefix, const char *fallback,
                           struct xrm_err *err)
{
    static const char *const keys[] = {"en", "nl", NULL};
    const char *en = NULL, *nl = NULL;
    json_t *v = json_object_get(in, "label");
    char f[96];

    snprintf(f, sizeof(f), "%slabel", prefix);
    if (v && !json_is_null(v)) {
        if (!json_is_object(v)) {
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object with \"en\" and \"nl\"");
        } else {
            char p[100];
            snprintf(p, sizeof(p), "%s.", f);
            xrm_json_only_keys(v, p, keys, err);
            xrm_json_get_str(v, p, "en", LABEL_MAX, false, &en, err);
            xrm_json_get_str(v, p, "nl", LABEL_MAX, false, &nl, err);
        }
    }
    if (!en)
        en = nl ? nl : fallback;
    if (!nl)
        nl = en;
    return json_pack("{s:s, s:s}", "en", en, "nl", nl);
}

/* A list of distinct names (statuses); absent gives [] unless required. */
static json_t *parse_names(json_t *in, const char *key, bool required, struct xrm_err *err)
{
    json_t *v = json_object_get(in, key), *out, *item;
    size_t i;
    char f[96];

    if (!v || json_is_null(v)) {
        if (required) {
            xrm_err_field(err, XRM_E_INVALID, key, "is required");
            return NULL;
        }
        return json_array();
    }
    if (!json_is_array(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, key, "must be an array of names");
        return NULL;
    }
    if (json_array_size(v) > STATUSES_MAX) {
        xrm_err_field(err, XRM_E_INVALID, key, "must have at most %d entries", STATUSES_MAX);
        return NULL;
    }
    out = json_array();
    json_array_foreach(v, i, item)
    {
        snprintf(f, sizeof(f), "%s[%zu]", key, i);
        if (!json_is_string(item))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
        else if (!valid_name(item))
            xrm_err_field(err, XRM_E_INVALID, f, NAME_RULE);
        else if (xrm_json_has_str(out, json_string_value(item)))
            xrm_err_field(err, XRM_E_INVALID, f, "repeats '%s'", json_string_value(item));
        else
            json_array_append(out, item);
    }
    return out;
}

static json_t *parse_enum_values(json_t *a, const char *prefix, struct xrm_err *err)
{
    json_t *v = json_object_get(a, "values"), *out, *item;
    size_t i;
    char f[96];

    snprintf(f, sizeof(f), "%svalues", prefix);
    if (!v || json_is_null(v)) {
        xrm_err_field(err, XRM_E_INVALID, f, "is required for an enum attribute");
        return NULL;
    }
    if (!json_is_array(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be an array of strings");
        return NULL;
    }
    if (json_array_size(v) == 0 || json_array_size(v) > ENUM_VALUES_MAX) {
        xrm_err_field(err, XRM_E_INVALID, f, "must have 1 to %d values", ENUM_VALUES_MAX);
        return NULL;
    }
    out = json_array();
    json_array_foreach(v, i, item)
    {
        const char *s = json_string_value(item);
        snprintf(f, sizeof(f), "%svalues[%zu]", prefix, i);
        if (!s)
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
        else if (!*s || strlen(s) != json_string_length(item) ||
                 json_string_length(item) > ENUM_VALUE_MAX)
            xrm_err_field(err, XRM_E_INVALID, f, "must be 1 to %d bytes", ENUM_VALUE_MAX);
        else if (xrm_json_has_str(out, s))
            xrm_err_field(err, XRM_E_INVALID, f, "repeats '%.60s'", s);
        else
            json_array_append(out, item);
    }
    return out;
}

/* min / max of an integer or number attribute into def. */
static void parse_bounds(json_t *a, const char *prefix, const char *type, json_t *def,
                         struct xrm_err *err)
{
    static const char *const keys[] = {"min", "max"};
    bool numeric =
        strcmp(type, "integer") == 0 || strcmp(type, "number") == 0 || strcmp(type, "money") == 0;
    char f[96];

    for (size_t k = 0; k < 2; k++) {
        json_t *v = json_object_get(a, keys[k]);
        snprintf(f, sizeof(f), "%s%s", prefix, keys[k]);
        if (!v || json_is_null(v) || !*type)
            continue;
        if (!numeric)
            xrm_err_field(err, XRM_E_INVALID, f,
                          "only integer, number and money attributes have bounds");
        else if ((type[0] == 'i' || type[0] == 'm') && !json_is_integer(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be an integer");
        else if (!json_is_number(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a number");
        else
            json_object_set(def, keys[k], v);
    }
    json_t *lo = json_object_get(def, "min"), *hi = json_object_get(def, "max");
    if (lo && hi && json_number_value(lo) > json_number_value(hi)) {
        snprintf(f, sizeof(f), "%smax", prefix);
        xrm_err_field(err, XRM_E_INVALID, f, "must not be less than min");
    }
}

/* One attribute definition (attributes[i]) into its stored form, or NULL. */
static json_t *parse_attr_def(json_t *a, size_t idx, json_t *seen, struct xrm_err *err)
{
    static const char *const keys[] = {"name",   "type", "required", "sensitive", "label",
                                       "values", "min",  "max",      NULL};
    const char *name = NULL, *type = NULL;
    bool required = false, sensitive = false;
    char prefix[48], f[96];
    json_t *def;

    snprintf(prefix, sizeof(prefix), "attributes[%zu].", idx);
    if (!json_is_object(a)) {
        snprintf(f, sizeof(f), "attributes[%zu]", idx);
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
        return NULL;
    }
    xrm_json_only_keys(a, prefix, keys, err);
    snprintf(f, sizeof(f), "%sname", prefix);
    if (xrm_json_get_str(a, prefix, "name", NAME_MAX_LEN, true, &name, err)) {
        if (!valid_name(json_object_get(a, "name"))) {
            xrm_err_field(err, XRM_E_INVALID, f, NAME_RULE);
            name = NULL;
        } else if (xrm_json_has_str(seen, name)) {
            xrm_err_field(err, XRM_E_INVALID, f, "repeats attribute '%s'", name);
        } else {
            json_array_append_new(seen, json_string(name));
        }
    }
    snprintf(f, sizeof(f), "%stype", prefix);
    if (xrm_json_get_str(a, prefix, "type", 20, true, &type, err) &&
        !xrm_str_in(attr_types, type)) {
        xrm_err_field(err, XRM_E_INVALID, f,
                      "must be one of: string, text, integer, number, money, boolean, date, "
                      "enum, user, party, department");
        type = NULL;
    }
    xrm_json_get_bool(a, prefix, "required", false, &required, err);
    xrm_json_get_bool(a, prefix, "sensitive", false, &sensitive, err);

    def = json_pack("{s:s, s:s, s:b, s:b, s:o}", "name", name ? name : "", "type", type ? type : "",
                    "required", required, "sensitive", sensitive, "label",
                    parse_label(a, prefix, name ? name : "", err));
    if (type && strcmp(type, "enum") == 0) {
        json_t *values = parse_enum_values(a, prefix, err);
        if (values)
            json_object_set_new(def, "values", values);
    } else if (json_object_get(a, "values") && !json_is_null(json_object_get(a, "values"))) {
        snprintf(f, sizeof(f), "%svalues", prefix);
        xrm_err_field(err, XRM_E_INVALID, f, "only enum attributes have values");
    }
    parse_bounds(a, prefix, type ? type : "", def, err);
    return def;
}

/*
 * Checks a role type definition and gives its stored form (API JSON
 * without builtin/version). Whether the name is taken is checked at insert.
 */
static enum xrm_rc type_def_parse(json_t *in, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"name",           "domain",         "label",      "statuses",
                                       "default_status", "ended_statuses", "attributes", NULL};
    const char *name = NULL, *domain = NULL, *def_status = NULL;
    json_t *statuses = NULL, *ended = NULL, *attrs = NULL, *seen = json_array(), *v, *item;
    json_t *label = NULL;
    int before = err->nfields;
    enum xrm_rc rc;
    size_t i;
    char f[96];

    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "name", NAME_MAX_LEN, true, &name, err) &&
        !valid_name(json_object_get(in, "name"))) {
        xrm_err_field(err, XRM_E_INVALID, "name", NAME_RULE);
        name = NULL;
    }
    if (xrm_json_get_str(in, NULL, "domain", 20, true, &domain, err) && !xrm_domain_valid(domain))
        xrm_err_field(err, XRM_E_INVALID, "domain",
                      "must be one of: sales, hr, partners, purchasing, pr");
    label = parse_label(in, "", name ? name : "", err);

    statuses = parse_names(in, "statuses", true, err);
    if (statuses && json_array_size(statuses) == 0 &&
        json_array_size(json_object_get(in, "statuses")) == 0)
        xrm_err_field(err, XRM_E_INVALID, "statuses", "must list at least one status");
    ended = parse_names(in, "ended_statuses", false, err);
    json_array_foreach(ended, i, item)
    {
        if (statuses && !xrm_json_has_str(statuses, json_string_value(item))) {
            snprintf(f, sizeof(f), "ended_statuses[%zu]", i);
            xrm_err_field(err, XRM_E_INVALID, f, "'%s' is not one of the statuses",
                          json_string_value(item));
        }
    }
    if (xrm_json_get_str(in, NULL, "default_status", NAME_MAX_LEN, false, &def_status, err)) {
        if (statuses && !xrm_json_has_str(statuses, def_status))
            xrm_err_field(err, XRM_E_INVALID, "default_status", "must be one of the statuses");
        else if (ended && xrm_json_has_str(ended, def_status))
            xrm_err_field(err, XRM_E_INVALID, "default_status", "must not be an ended status");
    } else if (statuses && json_array_size(statuses) > 0) {
        def_status = json_string_value(json_array_get(statuses, 0));
        if (ended && xrm_json_has_str(ended, def_status))
            xrm_err_field(err, XRM_E_INVALID, "default_status",
                          "is required when the first status is an ended status");
    }

    attrs = json_array();
    v = json_object_get(in, "attributes");
    if (v && !json_is_null(v) && !json_is_array(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, "attributes", "must be an array");
    } else if (json_array_size(v) > ATTRS_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "attributes", "must have at most %d attributes",
                      ATTRS_MAX);
    } else {
        json_array_foreach(v, i, item)
        {
            json_t *def = parse_attr_def(item, i, seen, err);
            if (def)
                json_array_append_new(attrs, def);
        }
    }

    rc = new_errors(err, before);
    if (!rc)
        *out = json_pack("{s:s, s:s, s:O, s:O, s:s, s:O, s:O}", "name", name, "domain", domain,
                         "label", label, "statuses", statuses, "default_status", def_status,
                         "ended_statuses", ended, "attributes", attrs);
    json_decref(label);
    json_decref(statuses);
    json_decref(ended);
    json_decref(attrs);
    json_decref(seen);
    return rc;
}

/* The API-shaped input for a built-in type; type_def_parse turns it into the stored form. */
static json_t *builtin_input(const struct builtin_type *b)
{
    json_t *attrs = json_array();
    for (size_t i = 0; i < sizeof(b->attrs) / sizeof(b->attrs[0]) && b->attrs[i].name; i++) {
        const struct builtin_attr *a = &b->attrs[i];
        json_t *def =
            json_pack("{s:s, s:s, s:b, s:b, s:{s:s, s:s}}", "name", a->name, "type", a->type,
                      "required", 0, "sensitive", a->sensitive, "label", "en", a->en, "nl", a->nl);
        if (a->values)
            json_object_set_new(def, "values", words(a->values));
        if (a->has_min)
            json_object_set_new(def, "min", json_integer(a->min));
        if (a->has_max)
            json_object_set_new(def, "max", json_integer(a->max));
        json_array_append_new(attrs, def);
    }
    return json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:s, s:o, s:o}", "name", b->name, "domain",
                     b->domain, "label", "en", b->en, "nl", b->nl, "statuses", words(b->statuses),
                     "default_status", b->default_status, "ended_statuses", words(b->ended),
                     "attributes", attrs);
}

static enum xrm_rc seed_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    json_t *types = arg, *type;
    size_t i;
    json_array_foreach(types, i, type)
    {
        int64_t id = 0;
        enum xrm_rc rc = xrm_role_db_type_insert(db, type, true, &id, err);
        if (!rc && id)
            rc = xrm_audit_add(db, NULL, "create", "role_type", id, NULL, type, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

enum xrm_rc xrm_role_type_seed(struct xrm_store *st, struct xrm_err *err)
{
    json_t *types = json_array();
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        struct xrm_err perr = XRM_ERR_INIT;
        json_t *in = builtin_input(&builtins[i]), *def = NULL;
        if (type_def_parse(in, &def, &perr))
            XRM_BUG("built-in role type '%s' is invalid: %s", builtins[i].name, perr.message);
        json_array_append_new(types, def);
        json_decref(in);
    }
    enum xrm_rc rc = xrm_store_write(st, seed_fn, types, err);
    json_decref(types);
    return rc;
}

enum xrm_rc xrm_role_type_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_role_db_type_all(ctx->db, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

enum xrm_rc xrm_role_type_get(struct xrm_ctx *ctx, const char *name, json_t **out,
                              struct xrm_err *err)
{
    return xrm_role_db_type_load(ctx->db, name, out, err);
}

struct type_create {
    const struct xrm_user *user;
    json_t *def;
    json_t *out;
};

static enum xrm_rc type_create_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct type_create *a = arg;
    struct xrm_err lerr = XRM_ERR_INIT;
    const char *name = json_string_value(json_object_get(a->def, "name"));
    json_t *existing = NULL;
    int64_t id = 0;
    enum xrm_rc rc = xrm_role_db_type_load(db, name, &existing, &lerr);

    json_decref(existing);
    if (rc == XRM_OK)
        return xrm_err_field(err, XRM_E_INVALID, "name", "role type '%s' already exists", name);
    if (rc != XRM_E_NOTFOUND) {
        *err = lerr;
        return rc;
    }
    rc = xrm_role_db_type_insert(db, a->def, false, &id, err);
    if (!rc && !id)
        rc = xrm_err_field(err, XRM_E_INVALID, "name", "role type '%s' already exists", name);
    if (!rc)
        rc = xrm_role_db_type_load(db, name, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "role_type", id, NULL, a->out, err);
    return rc;
}

enum xrm_rc xrm_role_type_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct type_create a = {.user = &ctx->user};
    enum xrm_rc rc;

    if (!ctx->user.admin && ctx->user.id) /* administrators and the system (id 0) */
        return xrm_errf(err, XRM_E_DENIED, "only administrators may define role types");
    rc = type_def_parse(in, &a.def, err);
    if (!rc)
        rc = xrm_store_write(ctx->store, type_create_fn, &a, err);
    if (!rc) {
        *out = a.out;
        a.out = NULL;
    }
    json_decref(a.out);
    json_decref(a.def);
    return rc;
}

/* Roles. */

/* A role checked against its type; strings borrow from the input, the old role or type. */
struct role_vals {
    json_t *type;       /* owned */
    json_t *attributes; /* owned, in schema order */
    const char *status, *since, *until;
    char today[11];
    bool defer_refs; /* checking ahead of the write: leave user / party references */
    bool has_refs;   /* ... and there was one */
};

static void role_vals_release(struct role_vals *r)
{
    json_decref(r->type);
    json_decref(r->attributes);
}

static json_t *find_def(json_t *defs, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "name")), name) == 0)
            return d;
    }
    return NULL;
}

static void num_text(json_t *v, char *out, size_t n)
{
    if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else
        snprintf(out, n, "%g", json_number_value(v));
}

/* Integers compare exactly; anything with a real in it as doubles. */
static int num_cmp(json_t *a, json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return x < y ? -1 : x > y;
    }
    double x = json_number_value(a), y = json_number_value(b);
    return x < y ? -1 : x > y;
}

static bool in_range(json_t *def, json_t *v, const char *f, struct xrm_err *err)
{
    json_t *lo = json_object_get(def, "min"), *hi = json_object_get(def, "max");
    char a[32], b[32];
    if ((!lo || num_cmp(v, lo) >= 0) && (!hi || num_cmp(v, hi) <= 0))
        return true;
    if (lo)
        num_text(lo, a, sizeof(a));
    if (hi)
        num_text(hi, b, sizeof(b));
    if (lo && hi)
        xrm_err_field(err, XRM_E_INVALID, f, "must be between %s and %s", a, b);
    else if (lo)
        xrm_err_field(err, XRM_E_INVALID, f, "must be at least %s", a);
    else
        xrm_err_field(err, XRM_E_INVALID, f, "must be at most %s", b);
    return false;
}

/* A string or text value: at most max bytes, no NUL; blank gives NULL (drop). */
static json_t *text_value(json_t *v, bool one_line, const char *f, struct xrm_err *err)
{
    size_t max = one_line ? STRING_MAX : TEXT_MAX;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), a = 0, b = len;

    if (!s) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
        return NULL;
    }
    if (strlen(s) != len) {
        xrm_err_field(err, XRM_E_INVALID, f, "must not contain NUL characters");
        return NULL;
    }
    if (len > max) {
        xrm_err_field(err, XRM_E_INVALID, f, "is longer than %zu bytes", max);
        return NULL;
    }
    while (a < b && strchr(" \t\r\n", s[a]))
        a++;
    while (b > a && strchr(" \t\r\n", s[b - 1]))
        b--;
    if (a == b)
        return NULL;
    return one_line ? json_stringn(s + a, b - a) : json_incref(v);
}

static enum xrm_rc ref_value(struct xrm_db *db, bool user, json_t *v, const char *f, json_t **out,
                             struct xrm_err *err)
{
    int64_t id = json_integer_value(v);
    bool exists = false;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_integer(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a %s id", user ? "user" : "party");
        return XRM_OK;
    }
    if (id > 0 && user) {
        rc = xrm_role_db_user_exists(db, id, &exists, err);
    } else if (id > 0) {
        struct xrm_err lerr = XRM_ERR_INIT;
        rc = xrm_party_check(db, id, f, &lerr);
        exists = rc == XRM_OK;
        if (rc == XRM_E_NOTFOUND)
            rc = XRM_OK;
        else if (rc)
            *err = lerr;
    }
    if (rc)
        return rc;
    if (!exists)
        xrm_err_field(err, XRM_E_INVALID, f, "no %s %lld", user ? "user" : "party", (long long)id);
    else
        *out = json_incref(v);
    return XRM_OK;
}

/*
 * Checks one attribute value against its definition. *out gets the value
 * to store (new reference), or stays NULL when the value is blank (drop it)
 * or wrong (a field error names f). Returns non-OK only when the database
 * fails.
 */
static enum xrm_rc attr_value(struct xrm_db *db, json_t *def, json_t *v, const char *f,
                              json_t **out, struct xrm_err *err)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    char list[160];

    *out = NULL;
    if (strcmp(type, "string") == 0 || strcmp(type, "text") == 0) {
        *out = text_value(v, type[1] == 't', f, err);
    } else if (strcmp(type, "integer") == 0) {
        if (!json_is_integer(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be an integer");
        else if (in_range(def, v, f, err))
            *out = json_incref(v);
    } else if (strcmp(type, "money") == 0) {
        if (!json_is_integer(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be an amount in cents (an integer)");
        else if (in_range(def, v, f, err))
            *out = json_incref(v);
    } else if (strcmp(type, "number") == 0) {
        if (!json_is_number(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a number");
        else if (in_range(def, v, f, err))
            *out = json_incref(v);
    } else if (strcmp(type, "boolean") == 0) {
        if (!json_is_boolean(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be true or false");
        else
            *out = json_incref(v);
    } else if (strcmp(type, "date") == 0) {
        if (!json_is_string(v))
            xrm_err_field(err, XRM_E_MALFORMED, f, DATE_RULE);
        else if (!xrm_valid_date(json_string_value(v)))
            xrm_err_field(err, XRM_E_INVALID, f, DATE_RULE);
        else
            *out = json_incref(v);
    } else if (strcmp(type, "enum") == 0) {
        json_t *values = json_object_get(def, "values");
        if (!json_is_string(v)) {
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
        } else if (!xrm_json_has_str(values, json_string_value(v))) {
            join_list(values, list, sizeof(list));
            xrm_err_field(err, XRM_E_INVALID, f, "must be one of: %s", list);
        } else {
            *out = json_incref(v);
        }
    } else if (strcmp(type, "user") == 0 || strcmp(type, "party") == 0) {
        return ref_value(db, type[0] == 'u', v, f, out, err);
    } else if (strcmp(type, "department") == 0) {
        return department_value(db, v, f, out, err);
    } else {
        XRM_BUG("attribute type '%s' in a stored role type", type);
    }
    return XRM_OK;
}

/* since / until: absent keeps the old value (cur), null clears. */
static void date_field(json_t *in, json_t *cur, const char *prefix, const char *key,
                       const char **out, struct xrm_err *err)
{
    json_t *v = json_object_get(in, key);
    char f[96];

    if (v && !json_is_null(v))
        field3(f, sizeof(f), prefix, key, "");
    if (!v)
        *out = cur ? json_string_value(json_object_get(cur, key)) : NULL;
    else if (json_is_null(v))
        *out = NULL;
    else if (!json_is_string(v))
        xrm_err_field(err, XRM_E_MALFORMED, f, DATE_RULE);
    else if (!xrm_valid_date(json_string_value(v)))
        xrm_err_field(err, XRM_E_INVALID, f, DATE_RULE);
    else
        *out = json_string_value(v);
}

static void status_field(json_t *in, json_t *cur, const char *prefix, struct role_vals *r,
                         struct xrm_err *err)
{
    json_t *v = json_object_get(in, "status");
    json_t *statuses = json_object_get(r->type, "statuses");
    char f[96], list[160];

    field3(f, sizeof(f), prefix, "status", "");
    if (!v && cur) {
        r->status = json_string_value(json_object_get(cur, "status"));
    } else if (!v || json_is_null(v)) {
        r->status = json_string_value(json_object_get(r->type, "default_status"));
    } else if (!json_is_string(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
    } else if (!xrm_json_has_str(statuses, json_string_value(v))) {
        join_list(statuses, list, sizeof(list));
        xrm_err_field(err, XRM_E_INVALID, f, "must be one of: %s", list);
    } else {
        r->status = json_string_value(v);
    }
}

/* Attributes: cur's, with in.attributes applied per key (null removes); schema order. */
static enum xrm_rc attrs_field(struct xrm_db *db, json_t *in, json_t *cur, const char *prefix,
                               struct role_vals *r, struct xrm_err *err)
{
    json_t *defs = json_object_get(r->type, "attributes");
    const char *tname = json_string_value(json_object_get(r->type, "name"));
    json_t *v = json_object_get(in, "attributes"), *attrs, *item, *def;
    const char *key;
    enum xrm_rc rc = XRM_OK;
    char f[96];
    size_t i;

    attrs = cur ? json_deep_copy(json_object_get(cur, "attributes")) : json_object();
    if (!attrs)
        attrs = json_object();
    field3(f, sizeof(f), prefix, "attributes", "");
    if (v && json_is_null(v)) {
        json_object_clear(attrs);
    } else if (v && !json_is_object(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
    } else if (v) {
        json_object_foreach(v, key, item)
        {
            json_t *nv = NULL;
            field3(f, sizeof(f), prefix, "attributes.", key);
            def = find_def(defs, key);
            if (!def) {
                xrm_err_field(err, XRM_E_INVALID, f, "unknown attribute for role type '%s'", tname);
                continue;
            }
            const char *dt = json_string_value(json_object_get(def, "type"));
            if (r->defer_refs && !json_is_null(item) &&
                (strcmp(dt, "user") == 0 || strcmp(dt, "party") == 0 ||
                 strcmp(dt, "department") == 0)) {
                r->has_refs = true;
                continue;
            }
            if (!json_is_null(item)) {
                rc = attr_value(db, def, item, f, &nv, err);
                if (rc)
                    goto out;
            }
            if (nv)
                json_object_set_new(attrs, key, nv);
            else
                json_object_del(attrs, key);
        }
    }
    r->attributes = json_object();
    json_array_foreach(defs, i, def)
    {
        const char *name = json_string_value(json_object_get(def, "name"));
        item = json_object_get(attrs, name);
        if (item) {
            json_object_set(r->attributes, name, item);
        } else if (json_is_true(json_object_get(def, "required"))) {
            field3(f, sizeof(f), prefix, "attributes.", name);
            xrm_err_field(err, XRM_E_INVALID, f, "is required");
        }
    }
out:
    json_decref(attrs);
    return rc;
}

/*
 * Checks a role input (cur NULL) or a patch of the role cur against the
 * role's type; field errors are named prefix + field. Returns the first
 * field error's code, or a database failure.
 */
static enum xrm_rc role_validate(struct xrm_db *db, json_t *in, json_t *cur, const char *prefix,
                                 struct role_vals *r, struct xrm_err *err)
{
    static const char *const keys[] = {"type", "status", "since", "until", "attributes", NULL};
    int before = err->nfields;
    const char *tname = NULL;
    enum xrm_rc rc;
    char f[96];

    if (!json_is_object(in)) {
        object_field(prefix, f, sizeof(f));
        return xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
    }
    xrm_json_only_keys(in, prefix, keys, err);
    field3(f, sizeof(f), prefix, "type", "");
    if (cur) {
        json_t *t = json_object_get(in, "type");
        tname = json_string_value(json_object_get(cur, "type"));
        if (t && !(json_is_string(t) && strcmp(json_string_value(t), tname) == 0))
            xrm_err_field(err, XRM_E_INVALID, f,
                          "cannot be changed; end this role and add one of the other type");
    } else {
        xrm_json_get_str(in, prefix, "type", NAME_MAX_LEN, true, &tname, err);
    }
    if (tname) {
        struct xrm_err lerr = XRM_ERR_INIT;
        rc = xrm_role_db_type_cached(db, tname, &r->type, &lerr);
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_field(err, XRM_E_INVALID, f, "unknown role type '%s'", tname);
        } else if (rc) {
            *err = lerr;
            return rc;
        }
    }

    date_field(in, cur, prefix, "since", &r->since, err);
    date_field(in, cur, prefix, "until", &r->until, err);
    if (r->type) {
        status_field(in, cur, prefix, r, err);
        if (r->status && !r->until &&
            xrm_json_has_str(json_object_get(r->type, "ended_statuses"), r->status)) {
            xrm_today(r->today);
            r->until = r->since && strcmp(r->since, r->today) > 0 ? r->since : r->today;
        }
        rc = attrs_field(db, in, cur, prefix, r, err);
        if (rc)
            return rc;
    }
    if (r->since && r->until && strcmp(r->until, r->since) < 0) {
        snprintf(f, sizeof(f), "%suntil", prefix);
        xrm_err_field(err, XRM_E_INVALID, f, "must not be before since (%s)", r->since);
    }
    return new_errors(err, before);
}

static void row_from(struct xrm_role_row *row, const struct role_vals *r)
{
    row->type = json_string_value(json_object_get(r->type, "name"));
    row->domain = json_string_value(json_object_get(r->type, "domain"));
    row->status = r->status;
    row->since = r->since;
    row->until = r->until;
    row->attributes = r->attributes;
}

enum xrm_rc xrm_role_insert_tx(struct xrm_db *db, const struct xrm_user *user, int64_t party_id,
                               json_t *in, const char *prefix, json_t **out, struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    struct role_vals r = {0};
    struct xrm_role_row row = {.party_id = party_id};
    json_t *role = NULL;
    enum xrm_rc rc;

    if (!err)
        err = &local;
    rc = role_validate(db, in, NULL, prefix ? prefix : "", &r, err);
    if (!rc) /* write access to the type's domain (full for sensitive attributes) */
        rc = xrm_access_role_write(user, json_string_value(json_object_get(r.type, "domain")),
                                   r.type, in, prefix, err);
    if (rc)
        goto out;
    row_from(&row, &r);
    rc = xrm_role_db_insert(db, &row, err);
    /* The stored role is read back for the audit entry and the caller; a bulk
     * import wants neither. */
    if (!rc && (out || !xrm_audit_batching()))
        rc = xrm_role_db_load(db, row.id, &role, err);
    if (!rc && role)
        rc = xrm_audit_add(db, user, "create", "role", row.id, NULL, role, err);
    if (!rc)
        rc = check_party(db, party_id, err);
    if (!rc && role)
        rc = tell_listeners(db, user, NULL, role, err);
    if (!rc && out) {
        *out = role;
        role = NULL;
    }
out:
    json_decref(role);
    role_vals_release(&r);
    return rc;
}

struct xrm_role_new {
    struct role_vals vals;
    struct xrm_role_row row;
    struct xrm_role_text text;
    json_t *in;
};

void xrm_role_new_free(struct xrm_role_new *r)
{
    if (!r)
        return;
    xrm_role_db_text_release(&r->text);
    role_vals_release(&r->vals);
    json_decref(r->in);
    free(r);
}

enum xrm_rc xrm_role_prepare(struct xrm_db *reader, const struct xrm_user *user, json_t *in,
                             const char *prefix, struct xrm_role_new **out, struct xrm_err *err)
{
    struct xrm_role_new *r = xrm_calloc(1, sizeof(*r));
    enum xrm_rc rc;

    *out = NULL;
    r->vals.defer_refs = true;
    r->in = json_incref(in);
    rc = role_validate(reader, in, NULL, prefix, &r->vals, err);
    if (!rc)
        rc = xrm_access_role_write(user, json_string_value(json_object_get(r->vals.type, "domain")),
                                   r->vals.type, in, prefix, err);
    if (!rc && r->vals.has_refs)
        rc = XRM_E_CONFLICT; /* not an answer: the caller runs xrm_role_insert_tx instead */
    if (rc) {
        xrm_role_new_free(r);
        return rc;
    }
    row_from(&r->row, &r->vals);
    xrm_role_db_text(&r->row, &r->text);
    *out = r;
    return XRM_OK;
}

enum xrm_rc xrm_role_insert_prepared_tx(struct xrm_db *db, int64_t party_id, struct xrm_role_new *r,
                                        struct xrm_err *err)
{
    r->row.party_id = party_id;
    enum xrm_rc rc = xrm_role_db_insert_text(db, &r->row, &r->text, err);
    if (!rc)
        rc = check_party(db, party_id, err);
    return rc;
}

static enum xrm_rc create_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    enum xrm_rc rc = xrm_party_check(db, a->id, "party", err);
    if (!rc)
        rc = xrm_role_insert_tx(db, a->user, a->id, a->in, "", &a->out, err);
    if (!rc)
        rc = xrm_party_touch(db, a->id, err);
    return rc;
}

/* A role u may not see (a recruitment role of a domain u cannot read) is answered as missing. */
static enum xrm_rc hidden_as_missing(const struct xrm_user *u, json_t *role, int64_t id,
                                     struct xrm_err *err)
{
    if (xrm_access_role_hidden(u, role))
        return xrm_errf(err, XRM_E_NOTFOUND, "no role %lld", (long long)id);
    return XRM_OK;
}

static enum xrm_rc update_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    struct role_vals r = {0};
    struct xrm_role_row row = {.id = a->id};
    json_t *before = NULL;
    enum xrm_rc rc = xrm_role_db_load(db, a->id, &before, err);
    const char *domain = json_string_value(json_object_get(before, "domain"));

    if (!rc)
        rc = hidden_as_missing(a->user, before, a->id, err);
    if (!rc)
        rc = xrm_access_role_write(a->user, domain, NULL, NULL, NULL, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = role_validate(db, a->in, before, "", &r, err);
    if (!rc)
        rc = xrm_access_role_write(a->user, domain, r.type, a->in, "", err);
    if (rc)
        goto out;
    row_from(&row, &r);
    row.party_id = json_integer_value(json_object_get(before, "party"));
    rc = xrm_role_db_update(db, &row, err);
    if (!rc)
        rc = xrm_role_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "role", a->id, before, a->out, err);
    if (!rc)
        rc = xrm_party_touch(db, row.party_id, err);
    if (!rc)
        rc = check_party(db, row.party_id, err);
    if (!rc)
        rc = tell_listeners(db, a->user, before, a->out, err);
out:
    json_decref(before);
    role_vals_release(&r);
    return rc;
}

static enum xrm_rc delete_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_role_db_load(db, a->id, &before, err);

    if (!rc)
        rc = hidden_as_missing(a->user, before, a->id, err);
    if (!rc)
        rc = xrm_access_role_write(a->user, json_string_value(json_object_get(before, "domain")),
                                   NULL, NULL, NULL, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_role_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "role", a->id, before, NULL, err);
    if (!rc)
        rc = xrm_party_touch(db, json_integer_value(json_object_get(before, "party")), err);
    if (!rc)
        rc = check_party(db, json_integer_value(json_object_get(before, "party")), err);
    if (!rc)
        rc = tell_listeners(db, a->user, before, NULL, err);
    json_decref(before);
    return rc;
}

/* Runs fn in a write transaction; *out gets a->out on success. */
static enum xrm_rc role_write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *a,
                              json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_record_write(ctx, fn, a, out, err);
    if (!rc && out)
        xrm_access_filter_role(ctx, *out);
    return rc;
}

enum xrm_rc xrm_role_create(struct xrm_ctx *ctx, int64_t party_id, json_t *in, json_t **out,
                            struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = party_id, .in = in};
    return role_write(ctx, create_fn, &a, out, err);
}

enum xrm_rc xrm_role_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_role_db_load(ctx->db, id, out, err);
    if (!rc && xrm_access_role_hidden(&ctx->user, *out)) {
        /* a recruitment role the user may not see: answered as a missing one */
        json_decref(*out);
        *out = NULL;
        return xrm_errf(err, XRM_E_NOTFOUND, "no role %lld", (long long)id);
    }
    if (!rc) /* write access to the role's domain */
        xrm_access_filter_role(ctx, *out);
    return rc;
}

enum xrm_rc xrm_role_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                            json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    return role_write(ctx, update_fn, &a, out, err);
}

/* Suppliers: a role's patch inside the caller's write (the computed rating). */
enum xrm_rc xrm_role_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *patch, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {.user = user, .id = id, .in = patch};
    enum xrm_rc rc = update_fn(db, &a, err);
    if (!rc && out)
        *out = a.out;
    else
        json_decref(a.out);
    return rc;
}

enum xrm_rc xrm_role_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                            struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return role_write(ctx, delete_fn, &a, NULL, err);
}

enum xrm_rc xrm_role_list(struct xrm_ctx *ctx, int64_t party_id, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_party_check(ctx->db, party_id, "party", err);
    if (!rc)
        rc = xrm_role_array_for_party(ctx->db, party_id, &items, err);
    if (!rc) /* write access to the role's domain */
        xrm_access_filter_roles(ctx, items);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}
