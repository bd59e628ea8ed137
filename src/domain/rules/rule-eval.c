/*
 * The rule engine proper: rules as typed are checked against the role-type
 * catalog and put in one canonical shape, compiled into C structures, and
 * evaluated on a party's role list and tags. No database: segment
 * membership is asked of the caller through a callback. The same semantics
 * are written as SQL in rule-db.c for the priority: and badge: filters;
 * a change here needs the same change there (tests/api/test_query.py
 * compares the two on the demo data).
 */
#include "domain/rules/rule-eval.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define LIST_MAX 20
#define TEXTS_MAX 10
#define BADGE_MAX 60
#define NOTE_MAX 500
#define DESCRIPTION_MAX 500
#define SLA_MAX 8760
#define TAG_MAX 64

static const char *const prio_names[] = {NULL, "low", "normal", "high", "top"};
static const char *const suppressions[] = {"no_marketing", "no_sales_outreach", NULL};
static const char *const op_names[] = {"eq", "in", "gt", "lt", "exists", NULL};

const char *xrm_prio_name(enum xrm_prio p)
{
    return p > XRM_PRIO_NONE && p <= XRM_PRIO_TOP ? prio_names[p] : NULL;
}

enum xrm_prio xrm_prio_parse(const char *s)
{
    for (int i = XRM_PRIO_LOW; s && i <= XRM_PRIO_TOP; i++)
        if (strcmp(s, prio_names[i]) == 0)
            return (enum xrm_prio)i;
    return XRM_PRIO_NONE;
}

/* Catalog. */

json_t *xrm_rule_catalog(json_t *role_types)
{
    json_t *cat = json_object();
    size_t i, j;
    json_t *t, *a;
    json_array_foreach(role_types, i, t)
    {
        const char *name = json_string_value(json_object_get(t, "name"));
        if (!name)
            continue;
        json_t *attrs = json_object();
        json_array_foreach(json_object_get(t, "attributes"), j, a)
        {
            const char *an = json_string_value(json_object_get(a, "name"));
            if (an)
                json_object_set(attrs, an, a);
        }
        json_t *statuses = json_object_get(t, "statuses");
        json_t *ended = json_object_get(t, "ended_statuses");
        json_object_set_new(cat, name,
                            json_pack("{s:o, s:o, s:o, s:O?}", "statuses",
                                      statuses ? json_incref(statuses) : json_array(), "ended",
                                      ended ? json_incref(ended) : json_array(), "attributes",
                                      attrs, "domain", json_object_get(t, "domain")));
    }
    return cat;
}

/* Validation. */

struct check {
    json_t *catalog;
    struct xrm_err *err;
};

static void ferr(struct check *c, enum xrm_rc rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ferr(struct check *c, enum xrm_rc rc, const char *field, const char *fmt, ...)
{
    char msg[sizeof(((struct xrm_field_err *)0)->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), xrm_msg(fmt), ap); /* in the reader's language */
    va_end(ap);
    xrm_err_field(c->err, rc, field, "%s", msg);
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return true;
    return false;
}

/* A trimmed one-line text of 1..max bytes as a new string, or NULL with a field error. */
static json_t *one_text(struct check *c, json_t *v, const char *field, size_t max)
{
    const char *s = json_string_value(v);
    if (!s) {
        ferr(c, XRM_E_MALFORMED, field, "must be a string");
        return NULL;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > max || strlen(json_string_value(v)) != json_string_length(v)) {
        ferr(c, XRM_E_INVALID, field, "must be 1 to %zu bytes of text", max);
        return NULL;
    }
    json_t *out = json_stringn(s, n);
    if (has_control(json_string_value(out))) {
        ferr(c, XRM_E_INVALID, field, "must not contain control characters");
        json_decref(out);
        return NULL;
    }
    return out;
}

/* "text" or {"en": .., "nl": ..} (one may be missing) into {"en", "nl"}. */
static json_t *text_pair(struct check *c, json_t *v, const char *field, size_t max)
{
    char f[112];
    json_t *en = NULL, *nl = NULL;

    if (json_is_string(v)) {
        en = one_text(c, v, field, max);
        return en ? json_pack("{s:O, s:o}", "en", en, "nl", en) : NULL;
    }
    if (!json_is_object(v)) {
        ferr(c, XRM_E_MALFORMED, field, "must be a text or {\"en\": .., \"nl\": ..}");
        return NULL;
    }
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
    {
        snprintf(f, sizeof(f), "%s.%s", field, key);
        if (strcmp(key, "en") != 0 && strcmp(key, "nl") != 0)
            ferr(c, XRM_E_INVALID, f, "unknown language (use en and nl)");
    }
    snprintf(f, sizeof(f), "%s.en", field);
    if (json_object_get(v, "en"))
        en = one_text(c, json_object_get(v, "en"), f, max);
    snprintf(f, sizeof(f), "%s.nl", field);
    if (json_object_get(v, "nl"))
        nl = one_text(c, json_object_get(v, "nl"), f, max);
    if (!en && !nl) {
        if (!json_object_get(v, "en") && !json_object_get(v, "nl"))
            ferr(c, XRM_E_INVALID, field, "needs an \"en\" or \"nl\" text");
        return NULL;
    }
    json_t *out = json_pack("{s:O, s:O}", "en", en ? en : nl, "nl", nl ? nl : en);
    json_decref(en);
    json_decref(nl);
    return out;
}

static json_t *text_list(struct check *c, json_t *v, const char *field, size_t max)
{
    char f[112];
    if (!json_is_array(v)) {
        ferr(c, XRM_E_MALFORMED, field, "must be an array of texts");
        return NULL;
    }
    if (json_array_size(v) > TEXTS_MAX) {
        ferr(c, XRM_E_INVALID, field, "has more than %d entries", TEXTS_MAX);
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        snprintf(f, sizeof(f), "%s[%zu]", field, i);
        json_t *t = text_pair(c, item, f, max);
        if (t)
            json_array_append_new(out, t);
    }
    return out;
}

/* A list of 1..LIST_MAX distinct strings, each checked by ok (which adds its own error). */
static json_t *name_list(struct check *c, json_t *v, const char *field,
                         bool (*ok)(struct check *, const char *, const char *, void *), void *arg,
                         bool lower)
{
    char f[112];
    if (!json_is_array(v)) {
        ferr(c, XRM_E_MALFORMED, field, "must be an array of names");
        return NULL;
    }
    if (json_array_size(v) == 0 || json_array_size(v) > LIST_MAX) {
        ferr(c, XRM_E_INVALID, field, "must list 1 to %d names", LIST_MAX);
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        snprintf(f, sizeof(f), "%s[%zu]", field, i);
        const char *s = json_string_value(item);
        if (!s) {
            ferr(c, XRM_E_MALFORMED, f, "must be a string");
            continue;
        }
        char *norm = xrm_strdup(s);
        if (lower)
            for (char *p = norm; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p - 'A' + 'a');
        if (ok(c, norm, f, arg) && !xrm_json_has_str(out, norm))
            json_array_append_new(out, json_string(norm));
        free(norm);
    }
    return out;
}

static bool ok_type(struct check *c, const char *s, const char *field, void *arg)
{
    (void)arg;
    if (json_object_get(c->catalog, s))
        return true;
    ferr(c, XRM_E_INVALID, field, "unknown role type '%.60s'", s);
    return false;
}

bool xrm_status_hidden(const char *status)
{
    return status && (strcmp(status, "applicant") == 0 || strcmp(status, "rejected") == 0);
}

static bool ok_status(struct check *c, const char *s, const char *field, void *arg)
{
    json_t *type = arg;
    if (!xrm_json_has_str(json_object_get(type, "statuses"), s)) {
        ferr(c, XRM_E_INVALID, field, "unknown status '%.60s' of this role type", s);
        return false;
    }
    if (xrm_status_hidden(s)) {
        ferr(c, XRM_E_INVALID, field,
             "status '%.60s' is visible only to readers of its domain; treatment is shown to "
             "everyone, so a rule cannot use it",
             s);
        xrm_err_code(c->err, XRM_RULE_HIDDEN_STATUS_CODE);
        return false;
    }
    return true;
}

static bool ok_tag(struct check *c, const char *s, const char *field, void *arg)
{
    (void)arg;
    size_t n = strlen(s);
    bool ok = n > 0 && n <= TAG_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
             s[i] == '_';
    if (!ok)
        ferr(c, XRM_E_INVALID, field, "a tag is 1-%d characters of letters, digits, '-' and '_'",
             TAG_MAX);
    return ok;
}

static bool ok_suppress(struct check *c, const char *s, const char *field, void *arg)
{
    (void)arg;
    if (xrm_str_in(suppressions, s))
        return true;
    ferr(c, XRM_E_INVALID, field,
         "unknown suppression '%.60s' (use no_marketing, "
         "no_sales_outreach)",
         s);
    return false;
}

/* {"customer": "active" | ["active", ...]} */
static json_t *status_cond(struct check *c, json_t *v)
{
    char f[112];
    if (!json_is_object(v)) {
        ferr(c, XRM_E_MALFORMED, "when.status", "must be an object {\"role type\": [statuses]}");
        return NULL;
    }
    if (json_object_size(v) == 0 || json_object_size(v) > LIST_MAX) {
        ferr(c, XRM_E_INVALID, "when.status", "must name 1 to %d role types", LIST_MAX);
        return NULL;
    }
    json_t *out = json_object();
    const char *type;
    json_t *item;
    json_object_foreach(v, type, item)
    {
        snprintf(f, sizeof(f), "when.status.%.60s", type);
        json_t *def = json_object_get(c->catalog, type);
        if (!def) {
            ferr(c, XRM_E_INVALID, f, "unknown role type '%.60s'", type);
            continue;
        }
        json_t *list = json_is_string(item) ? json_pack("[O]", item) : json_incref(item);
        json_t *names = name_list(c, list, f, ok_status, def, false);
        json_decref(list);
        if (names)
            json_object_set_new(out, type, names);
    }
    return out;
}

static bool is_numeric_type(const char *t)
{
    return strcmp(t, "integer") == 0 || strcmp(t, "number") == 0 || strcmp(t, "money") == 0 ||
           strcmp(t, "user") == 0 || strcmp(t, "party") == 0 ||
           strcmp(t, "department") == 0; /* HR, the organisation: a department id */
}

/* One operand of attribute definition def; true when it fits. */
static bool operand_ok(struct check *c, json_t *def, json_t *v, const char *field, bool order)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    if (is_numeric_type(type)) {
        if (!json_is_number(v)) {
            ferr(c, XRM_E_MALFORMED, field, "must be a number (the attribute is %s)", type);
            return false;
        }
        if (strcmp(type, "number") != 0 && !json_is_integer(v)) {
            ferr(c, XRM_E_INVALID, field, "must be an integer (the attribute is %s)", type);
            return false;
        }
        return true;
    }
    if (strcmp(type, "date") == 0) {
        if (!json_is_string(v) || !xrm_valid_date(json_string_value(v))) {
            ferr(c, XRM_E_INVALID, field, "must be a date (YYYY-MM-DD)");
            return false;
        }
        return true;
    }
    if (order) {
        ferr(c, XRM_E_INVALID, field, "a %s attribute cannot be compared with gt or lt", type);
        return false;
    }
    if (strcmp(type, "boolean") == 0) {
        if (!json_is_boolean(v)) {
            ferr(c, XRM_E_MALFORMED, field, "must be true or false");
            return false;
        }
        return true;
    }
    if (!json_is_string(v)) {
        ferr(c, XRM_E_MALFORMED, field, "must be a string");
        return false;
    }
    if (strcmp(type, "enum") == 0 &&
        !xrm_json_has_str(json_object_get(def, "values"), json_string_value(v))) {
        ferr(c, XRM_E_INVALID, field, "'%.60s' is not one of the attribute's values",
             json_string_value(v));
        return false;
    }
    return true;
}

/* {"eq": v} | {"in": [..]} | {"gt": v, "lt": v} | {"exists": bool} of attribute def. */
static json_t *attr_ops(struct check *c, json_t *def, json_t *ops, const char *field)
{
    char f[140];
    if (!json_is_object(ops)) {
        ferr(c, XRM_E_MALFORMED, field, "must be an object such as {\"eq\": value}");
        return NULL;
    }
    if (json_object_size(ops) == 0) {
        ferr(c, XRM_E_INVALID, field, "needs an operator: eq, in, gt, lt or exists");
        return NULL;
    }
    if (json_object_get(ops, "exists") && json_object_size(ops) > 1) {
        ferr(c, XRM_E_INVALID, field, "exists cannot be combined with other operators");
        return NULL;
    }
    json_t *out = json_object();
    const char *op;
    json_t *v;
    json_object_foreach(ops, op, v)
    {
        snprintf(f, sizeof(f), "%s.%s", field, op);
        if (!xrm_str_in(op_names, op)) {
            ferr(c, XRM_E_INVALID, f, "unknown operator (use eq, in, gt, lt or exists)");
        } else if (strcmp(op, "exists") == 0) {
            if (json_is_boolean(v))
                json_object_set(out, op, v);
            else
                ferr(c, XRM_E_MALFORMED, f, "must be true or false");
        } else if (strcmp(op, "in") == 0) {
            if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 100) {
                ferr(c, XRM_E_INVALID, f, "must be an array of 1 to 100 values");
                continue;
            }
            size_t i;
            json_t *item;
            bool all = true;
            json_array_foreach(v, i, item)
            {
                char fi[150];
                snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
                all = operand_ok(c, def, item, fi, false) && all;
            }
            if (all)
                json_object_set(out, op, v);
        } else if (operand_ok(c, def, v, f, op[0] == 'g' || op[0] == 'l')) {
            json_object_set(out, op, v);
        }
    }
    return out;
}

/* {"partner.tier": {"in": [...]}, ...} */
static json_t *attr_cond(struct check *c, json_t *v)
{
    char f[112];
    if (!json_is_object(v)) {
        ferr(c, XRM_E_MALFORMED, "when.attr",
             "must be an object {\"type.attribute\": {\"operator\": value}}");
        return NULL;
    }
    if (json_object_size(v) == 0 || json_object_size(v) > LIST_MAX) {
        ferr(c, XRM_E_INVALID, "when.attr", "must name 1 to %d attributes", LIST_MAX);
        return NULL;
    }
    json_t *out = json_object();
    const char *key;
    json_t *ops;
    json_object_foreach(v, key, ops)
    {
        snprintf(f, sizeof(f), "when.attr.%.80s", key);
        const char *dot = strchr(key, '.');
        if (!dot || dot == key || strlen(key) > 100) {
            ferr(c, XRM_E_INVALID, f, "must be named type.attribute, e.g. partner.tier");
            continue;
        }
        char type[104];
        snprintf(type, sizeof(type), "%.*s", (int)(dot - key), key);
        json_t *tdef = json_object_get(c->catalog, type);
        if (!tdef) {
            ferr(c, XRM_E_INVALID, f, "unknown role type '%s'", type);
            continue;
        }
        json_t *adef = json_object_get(json_object_get(tdef, "attributes"), dot + 1);
        if (!adef) {
            ferr(c, XRM_E_INVALID, f, "unknown attribute '%.60s' of role type '%s'", dot + 1, type);
            continue;
        }
        if (json_is_true(json_object_get(adef, "sensitive"))) {
            ferr(c, XRM_E_INVALID, f,
                 "'%.80s' is a sensitive attribute; treatment is shown to everyone, so a rule "
                 "cannot use it",
                 key);
            xrm_err_code(c->err, XRM_RULE_SENSITIVE_CODE);
            continue;
        }
        json_t *norm = attr_ops(c, adef, ops, f);
        if (norm)
            json_object_set_new(out, key, norm);
    }
    return out;
}

static const char *const when_keys[] = {"all_roles", "any_roles", "none_roles", "status", "attr",
                                        "tags",      "none_tags", "segment",    NULL};
static const char *const then_keys[] = {"priority", "badges", "suppress", "sla_hours",
                                        "notes",    "owner",  NULL};
static const char *const constraint_then_keys[] = {"message", NULL};

/* The conditions of when (an object, its keys checked) into out. */
static void when_fill(struct check *c, json_t *v, json_t *out, bool constraint)
{
    for (const char *const *k = when_keys; *k; k++) {
        json_t *in = json_object_get(v, *k), *norm = NULL;
        char f[112];
        snprintf(f, sizeof(f), "when.%s", *k);
        if (!in || json_is_null(in))
            continue;
        if (strstr(*k, "roles"))
            norm = name_list(c, in, f, ok_type, NULL, false);
        else if (strstr(*k, "tags"))
            norm = name_list(c, in, f, ok_tag, NULL, true);
        else if (strcmp(*k, "status") == 0)
            norm = status_cond(c, in);
        else if (strcmp(*k, "attr") == 0)
            norm = attr_cond(c, in);
        else if (!json_is_integer(in) || json_integer_value(in) < 1)
            ferr(c, XRM_E_MALFORMED, f, "must be the id of a segment");
        else
            norm = json_incref(in);
        if (norm)
            json_object_set_new(out, *k, norm);
    }
    if (constraint && json_object_size(out) == 0 && json_object_size(v) == 0)
        ferr(c, XRM_E_INVALID, "when", "a constraint needs at least one condition");
}

/* The effects of then (an object, its keys checked; before: the error count first) into out. */
static void then_fill(struct check *c, json_t *v, json_t *out, bool constraint, int before)
{
    if (constraint) {
        json_t *m = json_object_get(v, "message");
        if (m && !json_is_null(m)) {
            json_t *t = text_pair(c, m, "then.message", NOTE_MAX);
            if (t)
                json_object_set_new(out, "message", t);
        }
        return;
    }
    json_t *p = json_object_get(v, "priority");
    if (p && !json_is_null(p)) {
        if (xrm_prio_parse(json_string_value(p)) == XRM_PRIO_NONE)
            ferr(c, XRM_E_INVALID, "then.priority", "must be low, normal, high or top");
        else
            json_object_set(out, "priority", p);
    }
    json_t *b = json_object_get(v, "badges");
    if (b && !json_is_null(b)) {
        json_t *t = text_list(c, b, "then.badges", BADGE_MAX);
        if (t && json_array_size(t))
            json_object_set(out, "badges", t);
        json_decref(t);
    }
    json_t *s = json_object_get(v, "suppress");
    if (s && !json_is_null(s)) {
        json_t *t = name_list(c, s, "then.suppress", ok_suppress, NULL, false);
        if (t)
            json_object_set_new(out, "suppress", t);
    }
    int64_t n;
    if (xrm_json_get_int(v, "then.", "sla_hours", 1, SLA_MAX, false, &n, c->err))
        json_object_set_new(out, "sla_hours", json_integer(n));
    json_t *notes = json_object_get(v, "notes");
    if (notes && !json_is_null(notes)) {
        json_t *t = text_list(c, notes, "then.notes", NOTE_MAX);
        if (t && json_array_size(t))
            json_object_set(out, "notes", t);
        json_decref(t);
    }
    if (xrm_json_get_int(v, "then.", "owner", 1, INT64_MAX, false, &n, c->err))
        json_object_set_new(out, "owner", json_integer(n));
    if (json_object_size(out) == 0 && c->err->nfields == before)
        ferr(c, XRM_E_INVALID, "then",
             "a treatment rule needs an effect: priority, badges, suppress, sla_hours, notes or "
             "owner");
}

/*
 * A rule's clause, when (is_then false: conditions) or then (effects),
 * normalised: NULL when v is not an object; otherwise a new object, and a
 * field error for each key the clause does not have.
 */
static json_t *clause_of(struct check *c, json_t *v, bool is_then, bool constraint)
{
    const char *const *keys = !is_then ? when_keys : constraint ? constraint_then_keys : then_keys;
    const char *clause = is_then ? "then" : "when";
    int before = c->err->nfields;
    const char *key;
    json_t *item;

    if (!json_is_object(v)) {
        if (is_then)
            ferr(c, XRM_E_MALFORMED, "then", "must be an object of effects");
        else
            ferr(c, XRM_E_MALFORMED, "when", "must be an object of conditions");
        return NULL;
    }
    json_t *out = json_object();
    json_object_foreach(v, key, item)
    {
        char f[112];
        snprintf(f, sizeof(f), "%s.%.60s", clause, key);
        if (xrm_str_in(keys, key))
            continue;
        if (!is_then)
            ferr(c, XRM_E_INVALID, f,
                 "unknown condition (use all_roles, any_roles, none_roles, status, attr, tags, "
                 "none_tags, segment)");
        else
            ferr(c, XRM_E_INVALID, f,
                 constraint ? "a constraint only has a message"
                            : "unknown effect (use priority, badges, suppress, sla_hours, notes, "
                              "owner)");
    }
    if (is_then)
        then_fill(c, v, out, constraint, before);
    else
        when_fill(c, v, out, constraint);
    return out;
}

static bool is_readonly(const char *key)
{
    static const char *const ro[] = {"id", "builtin", "version", "created_at", "updated_at", NULL};
    return xrm_str_in(ro, key);
}

/* The value of key: from in when present there, else from cur. */
static json_t *field(json_t *in, json_t *cur, const char *key)
{
    json_t *v = json_object_get(in, key);
    return v ? v : cur ? json_object_get(cur, key) : NULL;
}

enum xrm_rc xrm_rule_normalize(json_t *in, json_t *cur, json_t *catalog, json_t **out,
                               struct xrm_err *err)
{
    static const char *const keys[] = {"name", "kind", "description", "enabled",
                                       "when", "then", NULL};
    struct check c = {catalog, err};
    int before = err->nfields;
    const char *key;
    json_t *v, *name = NULL, *desc = NULL, *when = NULL, *then = NULL;

    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be a JSON object");
    json_object_foreach(in, key, v)
    {
        if (!xrm_str_in(keys, key) && !is_readonly(key))
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }

    v = field(in, cur, "name");
    if (!v || json_is_null(v))
        xrm_err_field(err, XRM_E_INVALID, "name", "is required");
    else
        name = one_text(&c, v, "name", XRM_RULE_NAME_MAX);

    const char *kind = "treatment";
    v = field(in, cur, "kind");
    if (v && !json_is_null(v)) {
        kind = json_string_value(v);
        if (!kind) {
            xrm_err_field(err, XRM_E_MALFORMED, "kind", "must be a string");
            kind = "treatment";
        } else if (strcmp(kind, "treatment") != 0 && strcmp(kind, "constraint") != 0) {
            xrm_err_field(err, XRM_E_INVALID, "kind", "must be 'treatment' or 'constraint'");
            kind = "treatment";
        }
    }
    bool constraint = strcmp(kind, "constraint") == 0;

    v = field(in, cur, "description");
    if (v && !json_is_null(v)) {
        const char *s = json_string_value(v);
        if (!s)
            xrm_err_field(err, XRM_E_MALFORMED, "description", "must be a string");
        else if (strlen(s) > DESCRIPTION_MAX)
            xrm_err_field(err, XRM_E_INVALID, "description", "is longer than %d bytes",
                          DESCRIPTION_MAX);
        else
            desc = json_incref(v);
    }

    bool enabled = true;
    v = field(in, cur, "enabled");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v))
            xrm_err_field(err, XRM_E_MALFORMED, "enabled", "must be true or false");
        else
            enabled = json_is_true(v);
    }

    v = field(in, cur, "when");
    if (!v || json_is_null(v))
        xrm_err_field(err, XRM_E_INVALID, "when", "is required (an object of conditions)");
    else
        when = clause_of(&c, v, false, constraint);
    v = field(in, cur, "then");
    /* A constraint made from a treatment rule drops the old effects unless new ones come. */
    if (constraint && cur && !json_object_get(in, "then") &&
        strcmp(json_string_value(json_object_get(cur, "kind")), "constraint") != 0)
        v = NULL;
    if ((!v || json_is_null(v)) && constraint)
        then = json_object();
    else if (!v || json_is_null(v))
        xrm_err_field(err, XRM_E_INVALID, "then", "is required (an object of effects)");
    else
        then = clause_of(&c, v, true, constraint);

    enum xrm_rc rc = XRM_OK;
    if (err->nfields > before || err->rc)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (!rc)
        *out =
            json_pack("{s:O, s:s, s:O, s:b, s:O, s:O}", "name", name, "kind", kind, "description",
                      desc ? desc : json_null(), "enabled", enabled, "when", when, "then", then);
    json_decref(name);
    json_decref(desc);
    json_decref(when);
    json_decref(then);
    return rc;
}

static bool attr_sensitive(json_t *catalog, const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot)
        return false;
    char *type = xrm_strndup(key, (size_t)(dot - key));
    json_t *tdef = json_object_get(catalog, type);
    free(type);
    json_t *adef = json_object_get(json_object_get(tdef, "attributes"), dot + 1);
    return json_is_true(json_object_get(adef, "sensitive"));
}

const char *xrm_rule_query_unfit(const struct xrm_query *q, json_t *catalog, char *what, size_t n)
{
    for (size_t i = 0; i < q->n; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        if (t->kind == XRM_QT_ATTR && t->key && attr_sensitive(catalog, t->key)) {
            snprintf(what, n, "%s", t->key);
            return XRM_RULE_SENSITIVE_CODE;
        }
        if (t->kind == XRM_QT_STATUS && t->key && xrm_status_hidden(t->value)) {
            snprintf(what, n, "%s.%s", t->key, t->value);
            return XRM_RULE_HIDDEN_STATUS_CODE;
        }
    }
    return NULL;
}

void xrm_crule_suspend(struct xrm_crule *r, const char *code, const char *field, const char *what)
{
    if (r->suspended)
        return;
    r->suspended_code = code;
    r->suspended = xrm_strdup(what);
    r->suspended_field = xrm_strdup(field);
    r->enabled = false;
}

void xrm_rule_refs(json_t *rule, int64_t *segment, int64_t *owner)
{
    *segment = json_integer_value(json_object_get(json_object_get(rule, "when"), "segment"));
    *owner = json_integer_value(json_object_get(json_object_get(rule, "then"), "owner"));
}

/* Compiling. */

static struct xrm_cond *add_cond(struct xrm_crule *r, enum xrm_cond_kind kind)
{
    r->conds = xrm_realloc(r->conds, (r->nconds + 1) * sizeof(*r->conds));
    struct xrm_cond *c = &r->conds[r->nconds++];
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    return c;
}

static void roles_cond(struct xrm_crule *r, enum xrm_cond_kind kind, json_t *names, json_t *catalog)
{
    struct xrm_cond *c = add_cond(r, kind);
    c->names = json_incref(names);
    c->ended = json_object();
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        json_t *ended = json_object_get(json_object_get(catalog, json_string_value(n)), "ended");
        json_object_set_new(c->ended, json_string_value(n),
                            ended ? json_incref(ended) : json_array());
    }
}

void xrm_rule_compile(json_t *rule, json_t *catalog, struct xrm_crule *out)
{
    json_t *when = json_object_get(rule, "when"), *then = json_object_get(rule, "then"), *v;
    const char *key;

    memset(out, 0, sizeof(*out));
    out->id = json_integer_value(json_object_get(rule, "id"));
    out->name = xrm_strdup(json_string_value(json_object_get(rule, "name")));
    out->constraint = strcmp(json_string_value(json_object_get(rule, "kind")), "constraint") == 0;
    out->enabled = !json_is_false(json_object_get(rule, "enabled"));
    if ((v = json_object_get(when, "all_roles")))
        roles_cond(out, XRM_C_ALL_ROLES, v, catalog);
    if ((v = json_object_get(when, "any_roles")))
        roles_cond(out, XRM_C_ANY_ROLES, v, catalog);
    if ((v = json_object_get(when, "none_roles")))
        roles_cond(out, XRM_C_NONE_ROLES, v, catalog);
    json_t *item;
    json_object_foreach(json_object_get(when, "status"), key, item)
    {
        struct xrm_cond *c = add_cond(out, XRM_C_STATUS);
        c->type = xrm_strdup(key);
        c->names = json_incref(item);
        size_t k;
        json_t *st;
        json_array_foreach(item, k, st)
        {
            if (xrm_status_hidden(json_string_value(st))) {
                char field[140], what[140];
                snprintf(field, sizeof(field), "when.status.%.100s", key);
                snprintf(what, sizeof(what), "%.60s.%.60s", key, json_string_value(st));
                xrm_crule_suspend(out, XRM_RULE_HIDDEN_STATUS_CODE, field, what);
            }
        }
    }
    json_object_foreach(json_object_get(when, "attr"), key, item)
    {
        const char *dot = strchr(key, '.');
        char *type = xrm_strndup(key, (size_t)(dot - key));
        json_t *tdef = json_object_get(catalog, type);
        json_t *adef = json_object_get(json_object_get(tdef, "attributes"), dot + 1);
        const char *atype = json_string_value(json_object_get(adef, "type"));
        const char *op;
        json_t *operand;
        json_object_foreach(item, op, operand)
        {
            struct xrm_cond *c = add_cond(out, XRM_C_ATTR);
            c->type = xrm_strdup(type);
            c->attr = xrm_strdup(dot + 1);
            c->key = xrm_strdup(key);
            for (int k = 0; op_names[k]; k++)
                if (strcmp(op_names[k], op) == 0)
                    c->op = (enum xrm_attr_op)k;
            c->operand = json_incref(operand);
            c->numeric = atype && is_numeric_type(atype);
            json_t *ended = json_object_get(tdef, "ended");
            c->ended = json_object();
            json_object_set_new(c->ended, type, ended ? json_incref(ended) : json_array());
        }
        if (json_is_true(json_object_get(adef, "sensitive"))) {
            char field[140];
            snprintf(field, sizeof(field), "when.attr.%.100s", key);
            xrm_crule_suspend(out, XRM_RULE_SENSITIVE_CODE, field, key);
        }
        free(type);
    }
    if ((v = json_object_get(when, "tags")))
        add_cond(out, XRM_C_TAGS)->names = json_incref(v);
    if ((v = json_object_get(when, "none_tags")))
        add_cond(out, XRM_C_NONE_TAGS)->names = json_incref(v);
    if ((v = json_object_get(when, "segment")))
        add_cond(out, XRM_C_SEGMENT)->segment = json_integer_value(v);

    out->prio = xrm_prio_parse(json_string_value(json_object_get(then, "priority")));
    out->badges = json_incref(json_object_get(then, "badges"));
    out->suppress = json_incref(json_object_get(then, "suppress"));
    out->notes = json_incref(json_object_get(then, "notes"));
    out->sla_hours = json_integer_value(json_object_get(then, "sla_hours"));
    out->owner = json_integer_value(json_object_get(then, "owner"));
    out->message = json_incref(json_object_get(then, "message"));
}

void xrm_crule_release(struct xrm_crule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nconds; i++) {
        struct xrm_cond *c = &r->conds[i];
        json_decref(c->names);
        json_decref(c->ended);
        free(c->type);
        free(c->attr);
        free(c->key);
        json_decref(c->operand);
        xrm_query_release(&c->query);
    }
    free(r->conds);
    free(r->name);
    free(r->suspended);
    free(r->suspended_field);
    json_decref(r->badges);
    json_decref(r->suppress);
    json_decref(r->notes);
    json_decref(r->message);
    memset(r, 0, sizeof(*r));
}

/* Evaluation. */

static bool role_held(json_t *role)
{
    const char *s = json_string_value(json_object_get(role, "status"));
    if (s && (strcmp(s, "applicant") == 0 || strcmp(s, "rejected") == 0))
        return false; /* hidden from most readers, and not a relationship yet */
    return !json_is_false(json_object_get(role, "active"));
}

static bool holds(json_t *party, const char *type)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        const char *t = json_string_value(json_object_get(r, "type"));
        if (t && strcmp(t, type) == 0 && role_held(r))
            return true;
    }
    return false;
}

static bool value_eq(json_t *a, json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    if (json_is_string(a) && json_is_string(b))
        return strcmp(json_string_value(a), json_string_value(b)) == 0;
    if (json_is_boolean(a) && json_is_boolean(b))
        return json_is_true(a) == json_is_true(b);
    return false;
}

/* -1, 0, 1 as a < b, ==, >; numbers as numbers, else as text; 2 when not comparable. */
static int value_cmp(json_t *a, json_t *b, bool numeric)
{
    if (numeric) {
        if (!json_is_number(a) || !json_is_number(b))
            return 2;
        double x = json_number_value(a), y = json_number_value(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (!json_is_string(a) || !json_is_string(b))
        return 2;
    int c = strcmp(json_string_value(a), json_string_value(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

static bool attr_fits(const struct xrm_cond *c, json_t *v)
{
    size_t i;
    json_t *item;
    switch (c->op) {
    case XRM_AOP_EQ:
        return value_eq(v, c->operand);
    case XRM_AOP_IN:
        json_array_foreach(c->operand, i, item)
        {
            if (value_eq(v, item))
                return true;
        }
        return false;
    case XRM_AOP_GT:
        return value_cmp(v, c->operand, c->numeric) == 1;
    case XRM_AOP_LT:
        return value_cmp(v, c->operand, c->numeric) == -1;
    case XRM_AOP_EXISTS:
        return true;
    }
    return false;
}

static bool attr_match(const struct xrm_cond *c, json_t *party)
{
    bool found = false;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        const char *t = json_string_value(json_object_get(r, "type"));
        if (!t || strcmp(t, c->type) != 0 || !role_held(r))
            continue;
        json_t *v = json_object_get(json_object_get(r, "attributes"), c->attr);
        if (v && !json_is_null(v) && attr_fits(c, v)) {
            found = true;
            break;
        }
    }
    if (c->op == XRM_AOP_EXISTS && json_is_false(c->operand))
        return !found;
    return found;
}

bool xrm_staff_active(json_t *party)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(party, "roles"), i, r)
    {
        const char *t = json_string_value(json_object_get(r, "type"));
        const char *s = json_string_value(json_object_get(r, "status"));
        if (t && s && strcmp(t, XRM_STAFF_TYPE) == 0 &&
            (strcmp(s, "active") == 0 || strcmp(s, "on_leave") == 0))
            return true;
    }
    return false;
}

static bool has_tag(json_t *party, const char *tag)
{
    return xrm_json_has_str(json_object_get(party, "tags"), tag);
}

enum quantifier { ALL, ANY, NONE };

/* 1 when party has all, any or none (q) of names by has(), else 0: the roles and tags walks. */
static int names_match(json_t *names, json_t *party, bool (*has)(json_t *, const char *),
                       enum quantifier q)
{
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        bool h = has(party, json_string_value(n));
        if (q == ALL ? !h : h)
            return q == ANY;
    }
    return q != ANY;
}

/* 1, 0, or -1 on a callback failure. */
static int cond_match(const struct xrm_cond *c, json_t *party, xrm_segment_fn fn, void *arg)
{
    size_t i;
    switch (c->kind) {
    case XRM_C_ALL_ROLES:
        return names_match(c->names, party, holds, ALL);
    case XRM_C_ANY_ROLES:
        return names_match(c->names, party, holds, ANY);
    case XRM_C_NONE_ROLES:
        return names_match(c->names, party, holds, NONE);
    case XRM_C_STATUS: {
        json_t *r;
        json_array_foreach(json_object_get(party, "roles"), i, r)
        {
            const char *t = json_string_value(json_object_get(r, "type"));
            const char *s = json_string_value(json_object_get(r, "status"));
            if (t && s && strcmp(t, c->type) == 0 && xrm_json_has_str(c->names, s))
                return 1;
        }
        return 0;
    }
    case XRM_C_ATTR:
        return attr_match(c, party);
    case XRM_C_TAGS:
        return names_match(c->names, party, has_tag, ALL);
    case XRM_C_NONE_TAGS:
        return names_match(c->names, party, has_tag, NONE);
    case XRM_C_SEGMENT:
        return fn ? fn(arg, c, party) : 0;
    }
    return 0;
}

int xrm_crule_match(const struct xrm_crule *r, json_t *party, xrm_segment_fn fn, void *arg)
{
    /* Cheap conditions first: a segment query runs only when all the others hold. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->nconds; i++) {
            if ((r->conds[i].kind == XRM_C_SEGMENT) != (pass == 1))
                continue;
            int m = cond_match(&r->conds[i], party, fn, arg);
            if (m <= 0)
                return m;
        }
    }
    return 1;
}

static bool pair_in(json_t *list, json_t *pair)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        if (json_equal(p, pair))
            return true;
    }
    return false;
}

static void add_pairs(json_t *to, json_t *from)
{
    size_t i;
    json_t *p;
    json_array_foreach(from, i, p)
    {
        if (!pair_in(to, p))
            json_array_append(to, p);
    }
}

int xrm_treatment_of(const struct xrm_crule *rules, size_t n, json_t *party, xrm_segment_fn fn,
                     void *arg, json_t **out)
{
    enum xrm_prio prio = XRM_PRIO_NONE, owner_prio = XRM_PRIO_NONE;
    int64_t sla = 0, owner = 0;
    json_t *badges = json_array(), *suppress = json_array(), *notes = json_array();
    json_t *because = json_array();

    for (size_t i = 0; i < n; i++) {
        const struct xrm_crule *r = &rules[i];
        if (r->constraint || !r->enabled)
            continue;
        int m = xrm_crule_match(r, party, fn, arg);
        if (m < 0) {
            json_decref(badges);
            json_decref(suppress);
            json_decref(notes);
            json_decref(because);
            return -1;
        }
        if (!m)
            continue;
        json_array_append_new(because, json_string(r->name));
        if (r->prio > prio)
            prio = r->prio;
        add_pairs(badges, r->badges);
        add_pairs(notes, r->notes);
        size_t k;
        json_t *s;
        json_array_foreach(r->suppress, k, s)
        {
            if (!xrm_json_has_str(suppress, json_string_value(s)))
                json_array_append(suppress, s);
        }
        if (r->sla_hours && (!sla || r->sla_hours < sla))
            sla = r->sla_hours;
        if (r->owner && (!owner || r->prio > owner_prio)) {
            owner = r->owner;
            owner_prio = r->prio;
        }
    }
    /* Staff never get marketing or a sales pitch, whatever the rules say. */
    if (xrm_staff_active(party)) {
        for (const char *const *k = suppressions; *k; k++)
            if (!xrm_json_has_str(suppress, *k))
                json_array_append_new(suppress, json_string(*k));
        json_array_append_new(because, json_string(XRM_STAFF_BECAUSE));
    }
    /* built directly: json_pack parses its format on every party */
    json_t *t = json_object();
    json_object_set_new(t, "priority", json_string(xrm_prio_name(prio ? prio : XRM_PRIO_NORMAL)));
    json_object_set_new(t, "badges", badges);
    json_object_set_new(t, "suppress", suppress);
    json_object_set_new(t, "sla_hours", sla ? json_integer(sla) : json_null());
    json_object_set_new(t, "notes", notes);
    json_object_set_new(t, "owner", owner ? json_integer(owner) : json_null());
    json_object_set_new(t, "because", because);
    *out = t;
    return 0;
}

long xrm_constraint_broken(const struct xrm_crule *rules, size_t n, json_t *party,
                           xrm_segment_fn fn, void *arg)
{
    for (size_t i = 0; i < n; i++) {
        if (!rules[i].constraint || !rules[i].enabled)
            continue;
        int m = xrm_crule_match(&rules[i], party, fn, arg);
        if (m < 0)
            return -2;
        if (m)
            return (long)i;
    }
    return -1;
}

bool xrm_badge_matches(json_t *badge, const char *folded)
{
    static const char *const langs[] = {"en", "nl", NULL};
    for (const char *const *l = langs; *l; l++) {
        const char *s = json_string_value(json_object_get(badge, *l));
        if (!s)
            continue;
        char *f = xrm_strdup(s);
        xrm_query_fold(f);
        bool eq = strcmp(f, folded) == 0;
        free(f);
        if (eq)
            return true;
    }
    return false;
}
