/*
 * Parties: validation and normalisation of party input, and the create /
 * update / archive / read flows around party-db.c.
 *
 * Input is normalised into one canonical object (see normalize()) that
 * party-db.c stores column by column: phones in E.164, IBAN and BTW-id
 * without spaces, Dutch postcodes as "1234 AB", tags lower case. Updates
 * overlay the patch on the stored party and normalise the whole result, so
 * a party can never reach a state that create would refuse.
 */
#include "domain/party/party.h"
#include "domain/party/party-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/batch.h"
#include "domain/party/role.h"
#include "domain/party/relationship.h"
#include "domain/party/fulltext-db.h"
#include "domain/base/query-db.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NAME_MAX_LEN 200
#define LIST_MAX_ITEMS 20
#define TAGS_MAX 50
#define TAG_MAX_LEN 64
#define CUSTOM_MAX_BYTES 16384
#define ROLES_MAX 20
#define EXTERNAL_ID_MAX_LEN 100

static const char *const input_keys[] = {
    "kind",   "name",   "given_name", "family_prefix", "family_name", "legal_name",  "trade_name",
    "emails", "phones", "websites",   "addresses",     "kvk",         "vat",         "iban",
    "tags",   "custom", "owner",      "roles",         "archived",    "external_id", NULL};

/* Fields a client may echo back from a GET; ignored on input. */
static const char *const readonly_keys[] = {
    "id",     "uid",         "version", "created_at", "updated_at", "relationships",  "treatment",
    "health", "sort_name",   "records", "may_email",  "may_call",   "contactability", "erased",
    "can",    "merged_into", "photo",   NULL};

static bool is_readonly(const char *key)
{
    for (const char *const *k = readonly_keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

static void check_keys(json_t *in, struct xrm_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        bool ok = false;
        for (const char *const *k = input_keys; !ok && *k; k++)
            ok = strcmp(*k, key) == 0;
        if (!ok && !is_readonly(key))
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
}

/*
 * snprintf(out, n, "%s[%zu]%s", a, i, b) without the formatter: a bulk
 * import names the fields of millions of items, before it knows of any
 * error.
 */
static void field_at(char *out, size_t n, const char *a, size_t i, const char *b)
{
    char num[24];
    size_t k = sizeof(num);
    num[--k] = '\0';
    do
        num[--k] = (char)('0' + i % 10);
    while ((i /= 10) && k > 0);
    xrm_strjoin(out, n, (const char *const[]){a, "[", num + k, "]", b, NULL});
}

/* Copies a trimmed optional string field into out (or null). */
static void put_str(json_t *in, json_t *out, const char *key, size_t maxlen, struct xrm_err *err)
{
    const char *s = NULL;
    if (!xrm_json_get_str(in, NULL, key, maxlen, false, &s, err)) {
        json_object_set_new(out, key, json_null());
        return;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20) {
            xrm_err_field(err, XRM_E_INVALID, key, "must not contain control characters");
            json_object_set_new(out, key, json_null());
            return;
        }
    }
    json_object_set_new(out, key, json_stringn(s, n));
}

static const char *str_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/*
 * Splits a full person name typed in one field ("Jan van der Berg") into
 * given name, family-name prefix and family name.
 */
static void split_person_name(const char *full, json_t *out)
{
    char *copy = xrm_strdup(full);
    char *words[32];
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w && n < 32; w = strtok_r(NULL, " \t", &save))
        words[n++] = w;
    if (n == 0) {
        free(copy);
        return;
    }
    int p = -1;
    for (int i = 1; i < n - 1; i++) {
        char low[32];
        xrm_strlcpy(low, words[i], sizeof(low));
        xrm_ascii_lower(low);
        if (xrm_query_is_name_prefix(low)) {
            p = i;
            break;
        }
    }
    struct xrm_buf given = XRM_BUF_INIT, prefix = XRM_BUF_INIT, family = XRM_BUF_INIT;
    int given_end = p >= 0 ? p : n - 1;
    for (int i = 0; i < given_end; i++) {
        if (given.len)
            xrm_buf_addc(&given, ' ');
        xrm_buf_adds(&given, words[i]);
    }
    int fam_start = given_end;
    if (p >= 0) {
        int i = p;
        for (; i < n - 1; i++) {
            char low[32];
            xrm_strlcpy(low, words[i], sizeof(low));
            xrm_ascii_lower(low);
            if (!xrm_query_is_name_prefix(low))
                break;
            if (prefix.len)
                xrm_buf_addc(&prefix, ' ');
            xrm_buf_adds(&prefix, words[i]);
        }
        fam_start = i;
    }
    for (int i = fam_start; i < n; i++) {
        if (family.len)
            xrm_buf_addc(&family, ' ');
        xrm_buf_adds(&family, words[i]);
    }
    if (given.len)
        json_object_set_new(out, "given_name", json_string(given.s));
    if (prefix.len)
        json_object_set_new(out, "family_prefix", json_string(prefix.s));
    json_object_set_new(out, "family_name", json_string(family.s));
    xrm_buf_release(&given);
    xrm_buf_release(&prefix);
    xrm_buf_release(&family);
    free(copy);
}

static void lower_sort(struct xrm_buf *b)
{
    xrm_ascii_lower(b->s);
}

static void derive_names(json_t *out)
{
    struct xrm_buf name = XRM_BUF_INIT, sort = XRM_BUF_INIT;
    if (strcmp(str_of(out, "kind"), "person") == 0) {
        const char *g = str_of(out, "given_name"), *p = str_of(out, "family_prefix"),
                   *f = str_of(out, "family_name");
        if (g)
            xrm_buf_adds(&name, g);
        if (p) {
            if (name.len)
                xrm_buf_addc(&name, ' ');
            xrm_buf_adds(&name, p);
        }
        if (f) {
            if (name.len)
                xrm_buf_addc(&name, ' ');
            xrm_buf_adds(&name, f);
        }
        /* Dutch sorting: "van der Berg, Jan" sorts under B. */
        if (f)
            xrm_buf_adds(&sort, f);
        xrm_buf_add_word(&sort, g);
        xrm_buf_add_word(&sort, p);
    } else {
        const char *n = str_of(out, "name");
        xrm_buf_adds(&name, n ? n : "");
        xrm_buf_adds(&sort, n ? n : "");
    }
    if (!sort.len)
        xrm_buf_adds(&sort, name.s);
    lower_sort(&sort);
    json_object_set_new(out, "name", json_string(name.s));
    json_object_set_new(out, "sort_name", json_string(sort.s));
    xrm_buf_release(&name);
    xrm_buf_release(&sort);
}

static void normalize_names(json_t *in, json_t *out, struct xrm_err *err)
{
    const char *kind = NULL;
    if (xrm_json_get_str(in, NULL, "kind", 20, true, &kind, err)) {
        if (strcmp(kind, "person") != 0 && strcmp(kind, "organization") != 0)
            xrm_err_field(err, XRM_E_INVALID, "kind", "must be 'person' or 'organization'");
    }
    if (err->rc && err->nfields && strcmp(err->fields[err->nfields - 1].field, "kind") == 0)
        return;
    json_object_set_new(out, "kind", json_string(kind));
    put_str(in, out, "given_name", NAME_MAX_LEN, err);
    put_str(in, out, "family_prefix", 40, err);
    put_str(in, out, "family_name", NAME_MAX_LEN, err);
    put_str(in, out, "legal_name", NAME_MAX_LEN, err);
    put_str(in, out, "trade_name", NAME_MAX_LEN, err);
    put_str(in, out, "name", NAME_MAX_LEN, err);
    if (strcmp(kind, "person") == 0) {
        json_t *nm = json_object_get(out, "name");
        if (!json_is_string(json_object_get(out, "family_name")) &&
            !json_is_string(json_object_get(out, "given_name"))) {
            if (json_is_string(nm))
                split_person_name(json_string_value(nm), out);
            else
                xrm_err_field(err, XRM_E_INVALID, "family_name",
                              "a person needs a family name or given name");
        }
        if (json_is_string(json_object_get(out, "family_prefix"))) {
            char *p = xrm_strdup(str_of(out, "family_prefix"));
            xrm_ascii_lower(p);
            json_object_set_new(out, "family_prefix", json_string(p));
            free(p);
        }
        json_object_set_new(out, "legal_name", json_null());
        json_object_set_new(out, "trade_name", json_null());
    } else {
        if (!json_is_string(json_object_get(out, "name"))) {
            const char *alt = str_of(out, "trade_name");
            if (!alt)
                alt = str_of(out, "legal_name");
            if (alt)
                json_object_set_new(out, "name", json_string(alt));
            else
                xrm_err_field(err, XRM_E_INVALID, "name", "an organization needs a name");
        }
        json_object_set_new(out, "given_name", json_null());
        json_object_set_new(out, "family_prefix", json_null());
        json_object_set_new(out, "family_name", json_null());
    }
}

typedef bool (*norm_fn)(const char *in, char *out, size_t n);

static bool norm_email(const char *in, char *out, size_t n)
{
    return xrm_norm_email(in, out, n);
}

/* emails / phones / websites: [{label, value}] (plain strings accepted). */
static void normalize_points(json_t *in, json_t *out, const char *key, norm_fn fn, const char *what,
                             struct xrm_err *err)
{
    json_t *list = json_object_get(in, key), *res = json_array();
    json_object_set_new(out, key, res);
    if (!list || json_is_null(list))
        return;
    if (!json_is_array(list)) {
        xrm_err_field(err, XRM_E_MALFORMED, key, "must be an array of {label, value}");
        return;
    }
    if (json_array_size(list) > LIST_MAX_ITEMS) {
        xrm_err_field(err, XRM_E_INVALID, key, "has more than %d entries", LIST_MAX_ITEMS);
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        /* Field names are made only for errors: an import checks millions of items. */
        char field[64], norm[300];
        const char *label = "work", *value = NULL;
        if (json_is_string(item)) {
            value = json_string_value(item);
            if (value && (strlen(value) > 254 || !fn(value, norm, sizeof(norm)))) {
                snprintf(field, sizeof(field), "%s[%zu]", key, i);
                xrm_err_field(err, XRM_E_INVALID, field, "'%.60s' is not a valid %s", value,
                              xrm_msg(what));
                continue;
            }
        } else if (json_is_object(item)) {
            static const char *const keys[] = {"label", "value", NULL};
            char prefix[72];
            field_at(prefix, sizeof(prefix), key, i, ".");
            xrm_json_only_keys(item, prefix, keys, err);
            xrm_json_get_str(item, prefix, "label", 40, false, &label, err);
            xrm_json_get_str(item, prefix, "value", 254, true, &value, err);
            if (value && (strlen(value) > 254 || !fn(value, norm, sizeof(norm)))) {
                snprintf(field, sizeof(field), "%s[%zu].value", key, i);
                xrm_err_field(err, XRM_E_INVALID, field, "'%.60s' is not a valid %s", value,
                              xrm_msg(what));
                continue;
            }
        } else {
            snprintf(field, sizeof(field), "%s[%zu]", key, i);
            xrm_err_field(err, XRM_E_MALFORMED, field, "must be {label, value} or a string");
            continue;
        }
        if (!value)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "label", json_string(label));
        json_object_set_new(o, "value", json_string(norm));
        json_array_append_new(res, o);
    }
}

static void normalize_addresses(json_t *in, json_t *out, struct xrm_err *err)
{
    json_t *list = json_object_get(in, "addresses"), *res = json_array();
    json_object_set_new(out, "addresses", res);
    if (!list || json_is_null(list))
        return;
    if (!json_is_array(list)) {
        xrm_err_field(err, XRM_E_MALFORMED, "addresses", "must be an array of addresses");
        return;
    }
    if (json_array_size(list) > LIST_MAX_ITEMS) {
        xrm_err_field(err, XRM_E_INVALID, "addresses", "has more than %d entries", LIST_MAX_ITEMS);
        return;
    }
    static const char *const keys[] = {"label",   "street", "house_number", "postcode", "city",
                                       "country", NULL};
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        char prefix[32], field[64];
        field_at(prefix, sizeof(prefix), "addresses", i, ".");
        if (!json_is_object(a)) {
            snprintf(field, sizeof(field), "addresses[%zu]", i);
            xrm_err_field(err, XRM_E_MALFORMED, field, "must be an object");
            continue;
        }
        xrm_json_only_keys(a, prefix, keys, err);
        const char *label = "work", *street = NULL, *nr = NULL, *pc = NULL, *city = NULL,
                   *country = "NL";
        xrm_json_get_str(a, prefix, "label", 40, false, &label, err);
        xrm_json_get_str(a, prefix, "street", 200, false, &street, err);
        xrm_json_get_str(a, prefix, "house_number", 20, false, &nr, err);
        xrm_json_get_str(a, prefix, "postcode", 16, false, &pc, err);
        xrm_json_get_str(a, prefix, "city", 100, false, &city, err);
        xrm_json_get_str(a, prefix, "country", 2, false, &country, err);
        char cc[3] = "NL", pcn[20] = "";
        if (strlen(country) != 2 || country[0] < 'A' || country[1] < 'A' ||
            ((country[0] | 0x20) < 'a' || (country[0] | 0x20) > 'z') ||
            ((country[1] | 0x20) < 'a' || (country[1] | 0x20) > 'z')) {
            snprintf(field, sizeof(field), "%scountry", prefix);
            xrm_err_field(err, XRM_E_INVALID, field, "must be a two-letter country code");
        } else {
            cc[0] = (char)(country[0] & ~0x20);
            cc[1] = (char)(country[1] & ~0x20);
        }
        if (pc) {
            if (strcmp(cc, "NL") == 0) {
                if (!xrm_norm_postcode_nl(pc, pcn, sizeof(pcn))) {
                    snprintf(field, sizeof(field), "%spostcode", prefix);
                    xrm_err_field(err, XRM_E_INVALID, field,
                                  "'%.20s' is not a Dutch postcode like '1234 AB'", pc);
                }
            } else {
                xrm_strlcpy(pcn, pc, sizeof(pcn));
            }
        }
        if (!street && !city && !pc) {
            snprintf(field, sizeof(field), "addresses[%zu]", i);
            xrm_err_field(err, XRM_E_INVALID, field, "needs a street, postcode or city");
            continue;
        }
        json_t *o = json_object();
        xrm_json_set_str(o, "label", label);
        xrm_json_set_str(o, "street", street);
        xrm_json_set_str(o, "house_number", nr);
        xrm_json_set_str(o, "postcode", pc ? pcn : NULL);
        xrm_json_set_str(o, "city", city);
        xrm_json_set_str(o, "country", cc);
        json_array_append_new(res, o);
    }
}

static void normalize_ids(json_t *in, json_t *out, struct xrm_err *err)
{
    const char *s = NULL;
    char norm[64];
    json_object_set_new(out, "kvk", json_null());
    json_object_set_new(out, "vat", json_null());
    json_object_set_new(out, "iban", json_null());
    if (xrm_json_get_str(in, NULL, "kvk", 20, false, &s, err)) {
        if (xrm_valid_kvk(s))
            json_object_set_new(out, "kvk", json_string(s));
        else
            xrm_err_field(err, XRM_E_INVALID, "kvk", "a KvK number has exactly 8 digits");
    }
    if (xrm_json_get_str(in, NULL, "vat", 40, false, &s, err)) {
        if (xrm_norm_vat(s, norm, sizeof(norm)))
            json_object_set_new(out, "vat", json_string(norm));
        else
            xrm_err_field(err, XRM_E_INVALID, "vat", "'%.40s' is not a valid BTW-id / VAT number",
                          s);
    }
    if (xrm_json_get_str(in, NULL, "iban", 60, false, &s, err)) {
        if (xrm_norm_iban(s, norm, sizeof(norm)))
            json_object_set_new(out, "iban", json_string(norm));
        else
            xrm_err_field(err, XRM_E_INVALID, "iban",
                          "'%.40s' is not a valid IBAN (wrong length or checksum)", s);
    }
}

static void normalize_tags(json_t *in, json_t *out, struct xrm_err *err)
{
    json_t *list = json_object_get(in, "tags"), *res = json_array();
    json_object_set_new(out, "tags", res);
    if (!list || json_is_null(list))
        return;
    if (!json_is_array(list)) {
        xrm_err_field(err, XRM_E_MALFORMED, "tags", "must be an array of strings");
        return;
    }
    if (json_array_size(list) > TAGS_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "tags", "has more than %d tags", TAGS_MAX);
        return;
    }
    size_t i;
    json_t *t;
    json_array_foreach(list, i, t)
    {
        char field[32], tag[TAG_MAX_LEN + 1];
        snprintf(field, sizeof(field), "tags[%zu]", i);
        if (!json_is_string(t)) {
            xrm_err_field(err, XRM_E_MALFORMED, field, "must be a string");
            continue;
        }
        const char *s = json_string_value(t);
        size_t n = strlen(s);
        bool ok = n > 0 && n <= TAG_MAX_LEN;
        for (size_t k = 0; ok && k < n; k++) {
            char c = s[k];
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        }
        if (!ok) {
            xrm_err_field(err, XRM_E_INVALID, field,
                          "a tag is 1-%d characters of letters, digits, '-' and '_'", TAG_MAX_LEN);
            continue;
        }
        memcpy(tag, s, n + 1);
        xrm_ascii_lower(tag);
        bool dup = false;
        size_t j;
        json_t *seen;
        json_array_foreach(res, j, seen) dup = dup || strcmp(json_string_value(seen), tag) == 0;
        if (!dup)
            json_array_append_new(res, json_string(tag));
    }
}

static void normalize_custom(json_t *in, json_t *out, struct xrm_err *err)
{
    json_t *c = json_object_get(in, "custom");
    if (!c || json_is_null(c)) {
        json_object_set_new(out, "custom", json_object());
        return;
    }
    if (!json_is_object(c)) {
        xrm_err_field(err, XRM_E_MALFORMED, "custom", "must be a JSON object");
        return;
    }
    char *dump = xrm_json_dump(c);
    size_t n = strlen(dump);
    free(dump);
    if (n > CUSTOM_MAX_BYTES) {
        xrm_err_field(err, XRM_E_INVALID, "custom", "is larger than %d bytes", CUSTOM_MAX_BYTES);
        return;
    }
    json_object_set(out, "custom", c);
}

/*
 * Builds the canonical party object from input. Collects every field error
 * it finds; returns NULL (with err set) when any.
 */
static json_t *normalize(json_t *in, struct xrm_err *err)
{
    json_t *out = json_object();
    int64_t owner;

    check_keys(in, err);
    normalize_names(in, out, err);
    if (!json_object_get(out, "kind")) {
        json_decref(out);
        return NULL;
    }
    normalize_points(in, out, "emails", norm_email, "e-mail address", err);
    normalize_points(in, out, "phones", xrm_norm_phone, "phone number", err);
    normalize_points(in, out, "websites", xrm_norm_url, "website address", err);
    normalize_addresses(in, out, err);
    normalize_ids(in, out, err);
    normalize_tags(in, out, err);
    normalize_custom(in, out, err);
    put_str(in, out, "external_id", EXTERNAL_ID_MAX_LEN, err);
    if (xrm_json_get_int(in, NULL, "owner", 1, INT64_MAX, false, &owner, err))
        json_object_set_new(out, "owner", json_integer(owner));
    else
        json_object_set_new(out, "owner", json_null());
    bool archived = false;
    xrm_json_get_bool(in, NULL, "archived", false, &archived, err);
    json_object_set_new(out, "archived", json_boolean(archived));
    if (err->rc) {
        json_decref(out);
        return NULL;
    }
    derive_names(out);
    return out;
}

struct create_arg {
    const struct xrm_user *user;
    json_t *in;
    int64_t id;
};

static enum xrm_rc check_owner(struct xrm_db *db, json_t *norm, struct xrm_err *err)
{
    json_t *o = json_object_get(norm, "owner");
    if (!json_is_integer(o))
        return XRM_OK;
    bool found = false;
    enum xrm_rc rc = xrm_party_db_user_exists(db, json_integer_value(o), &found, err);
    if (rc)
        return rc;
    if (!found)
        return xrm_err_field(err, XRM_E_INVALID, "owner", "no user %lld",
                             (long long)json_integer_value(o));
    return XRM_OK;
}

static json_t *roles_input(json_t *in, struct xrm_err *err)
{
    json_t *roles = json_object_get(in, "roles");
    if (!roles || json_is_null(roles))
        return NULL;
    if (!json_is_array(roles))
        xrm_err_field(err, XRM_E_MALFORMED, "roles", "must be an array of roles");
    else if (json_array_size(roles) > ROLES_MAX)
        xrm_err_field(err, XRM_E_INVALID, "roles", "has more than %d roles", ROLES_MAX);
    else
        return roles;
    return NULL;
}

enum xrm_rc xrm_party_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                bool audit, int64_t *id_out, struct xrm_err *err)
{
    json_t *roles = NULL, *norm = NULL, *after = NULL;
    enum xrm_rc rc = xrm_access_party_create(user, err);
    int64_t id = 0;

    if (rc)
        return rc;
    roles = roles_input(in, err);
    norm = normalize(in, err);
    rc = err->rc;

    if (!norm || rc)
        goto out;
    if (json_is_true(json_object_get(norm, "archived"))) {
        rc = xrm_err_field(err, XRM_E_INVALID, "archived", "a new party cannot be archived");
        goto out;
    }
    rc = check_owner(db, norm, err);
    if (!rc)
        rc = xrm_party_db_insert(db, norm, &id, err);
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        char prefix[32];
        if (rc)
            break;
        field_at(prefix, sizeof(prefix), "roles", i, ".");
        rc = xrm_role_insert_tx(db, user, id, r, prefix, NULL, err);
    }
    if (!rc && audit)
        rc = xrm_party_load(db, id, &after, err);
    if (!rc && audit)
        rc = xrm_audit_add(db, user, "create", "party", id, NULL, after, err);
    if (!rc)
        *id_out = id;
out:
    json_decref(norm);
    json_decref(after);
    return rc ? rc : XRM_OK;
}

struct xrm_party_new {
    json_t *in;   /* the input line, kept for the slow path (norm NULL) only */
    json_t *norm; /* canonical object (fast path) */
    struct xrm_party_text text;
    size_t nroles;
    struct xrm_role_new **roles;
};

void xrm_party_new_free(struct xrm_party_new *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nroles; i++)
        xrm_role_new_free(p->roles[i]);
    free(p->roles);
    if (p->norm)
        xrm_party_db_text_release(&p->text);
    json_decref(p->norm);
    json_decref(p->in);
    free(p);
}

/*
 * Does what xrm_party_insert_tx does before it needs the write transaction.
 * Anything unusual (an error, an owner or a role reference to check against
 * the database) leaves the party on the slow path: xrm_party_insert_tx then
 * runs in the write transaction and gives the same answer as ever.
 */
struct xrm_party_new *xrm_party_prepare(struct xrm_db *reader, const struct xrm_user *user,
                                        json_t *in)
{
    struct xrm_party_new *p = xrm_calloc(1, sizeof(*p));
    struct xrm_err err = XRM_ERR_INIT;
    json_t *roles = roles_input(in, &err);
    json_t *norm = NULL;

    p->in = json_incref(in);
    if (err.rc)
        return p;
    norm = normalize(in, &err);
    if (!norm || err.rc || json_is_true(json_object_get(norm, "archived")) ||
        json_is_integer(json_object_get(norm, "owner")))
        goto slow;
    p->roles = xrm_calloc(json_array_size(roles) + 1, sizeof(*p->roles));
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        char prefix[32];
        field_at(prefix, sizeof(prefix), "roles", i, ".");
        if (xrm_role_prepare(reader, user, r, prefix, &p->roles[p->nroles], &err))
            goto slow;
        p->nroles++;
    }
    xrm_party_db_text(norm, &p->text);
    p->norm = norm;
    /* Only the slow path reads the line again; norm and the roles hold
     * references to what they keep of it. */
    json_decref(p->in);
    p->in = NULL;
    return p;
slow:
    for (size_t k = 0; k < p->nroles; k++)
        xrm_role_new_free(p->roles[k]);
    free(p->roles);
    p->roles = NULL;
    p->nroles = 0;
    json_decref(norm);
    return p;
}

enum xrm_rc xrm_party_insert_prepared_tx(struct xrm_db *db, const struct xrm_user *user,
                                         struct xrm_party_new *p, int64_t *id_out,
                                         struct xrm_err *err)
{
    if (!p->norm)
        return xrm_party_insert_tx(db, user, p->in, false, id_out, err);
    int64_t id = 0;
    enum xrm_rc rc = xrm_party_db_insert_text(db, p->norm, &p->text, &id, err);
    for (size_t i = 0; !rc && i < p->nroles; i++)
        rc = xrm_role_insert_prepared_tx(db, id, p->roles[i], err);
    if (!rc)
        *id_out = id;
    return rc;
}

void xrm_party_defer_search(struct xrm_party_new *p)
{
    if (p && p->norm)
        p->text.no_search = true;
}

enum xrm_rc xrm_party_search_tx(struct xrm_db *db, const struct xrm_party_new *p, int64_t id,
                                struct xrm_err *err)
{
    if (!p || !p->norm || !p->text.no_search)
        return XRM_OK;
    return xrm_db_search_add(db, id, p->text.search, err);
}

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct create_arg *a = arg;
    return xrm_party_insert_tx(db, a->user, a->in, true, &a->id, err);
}

static enum xrm_rc with_relations(struct xrm_db *db, int64_t id, json_t *p, struct xrm_err *err)
{
    json_t *roles = NULL, *rels = NULL;
    enum xrm_rc rc = xrm_role_array_for_party(db, id, &roles, err);
    if (!rc)
        rc = xrm_relationship_array_for_party(db, id, &rels, err);
    if (rc) {
        json_decref(roles);
        return rc;
    }
    json_object_set_new(p, "roles", roles);
    json_object_set_new(p, "relationships", rels);
    return XRM_OK;
}

/* The decoration steps, in order (party.h; set at start-up by domain/hooks.c). */
static xrm_party_step_fn steps[XRM_PARTY_STEPS_MAX];
static size_t nsteps;

void xrm_party_steps_set(const xrm_party_step_fn *list, size_t n)
{
    nsteps = n < XRM_PARTY_STEPS_MAX ? n : XRM_PARTY_STEPS_MAX;
    for (size_t i = 0; i < nsteps; i++)
        steps[i] = list[i];
}

/*
 * The one place where parties on their way out to a reader get what
 * depends on who reads them and on other modules: the decoration steps
 * (treatment, health, records summary, contactability, ...), then the
 * access filter, last, so that what the reader may not see is removed
 * after everything was added. Works on a page (items, a JSON array of
 * party objects with their roles): each step reads its data for the whole
 * page with one statement per kind and attaches it in memory, so a list
 * page costs the same number of statements whatever its size. A single
 * read is a page of one, so list items and single reads cannot differ.
 * `full` is false for list items (no relationships embedded, no latest
 * records).
 */
static enum xrm_rc decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                 bool full, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (!nsteps)
        rc = xrm_errf(err, XRM_E_INTERNAL, "no party decoration steps set (domain/hooks.c)");
    for (size_t i = 0; !rc && i < nsteps; i++)
        rc = steps[i](ctx, b, items, full, err);
    if (!rc)
        xrm_access_party_out_page(ctx, items);
    return rc;
}

static enum xrm_rc party_decorate(struct xrm_ctx *ctx, json_t *p, bool full, struct xrm_err *err)
{
    struct xrm_batch b;
    json_t *one = json_pack("[O]", p);
    xrm_batch_init(&b, one);
    enum xrm_rc rc = decorate_page(ctx, &b, one, full, err);
    xrm_batch_release(&b);
    json_decref(one);
    return rc;
}

enum xrm_rc xrm_party_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *p = NULL;
    enum xrm_rc rc = xrm_party_load(ctx->db, id, &p, err);
    if (!rc)
        rc = with_relations(ctx->db, id, p, err);
    if (!rc) /* what the reader may do with it, from every role it holds */
        xrm_access_party_can(&ctx->user, p, json_object_get(p, "roles"));
    if (!rc)
        rc = party_decorate(ctx, p, true, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    *out = p;
    return XRM_OK;
}

enum xrm_rc xrm_party_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct create_arg a = {.user = &ctx->user, .in = in};
    enum xrm_rc rc = xrm_store_write(ctx->store, create_tx, &a, err);
    if (rc)
        return rc;
    return xrm_party_get(ctx, a.id, out, err);
}

/* The stored party as input: its API object without the read-only fields. */
static json_t *as_input(json_t *stored)
{
    json_t *in = json_deep_copy(stored);
    for (const char *const *k = readonly_keys; *k; k++)
        json_object_del(in, *k);
    json_object_del(in, "roles");
    if (json_is_string(json_object_get(in, "kind")) && strcmp(str_of(in, "kind"), "person") == 0)
        json_object_del(in, "name"); /* derived */
    return in;
}

/*
 * Access to the base data of stored party `before`: a patch (NULL for an
 * archive) needs the right to change it, and archiving or restoring it (a
 * patch that flips "archived", or patch NULL) the right to archive it.
 */
static enum xrm_rc check_write(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *before, json_t *patch, struct xrm_err *err)
{
    if (xrm_access_all(user))
        return XRM_OK;
    json_t *roles = NULL;
    json_t *flag = patch ? json_object_get(patch, "archived") : NULL;
    bool archiving =
        !patch || (json_is_boolean(flag) &&
                   json_boolean_value(flag) != json_is_true(json_object_get(before, "archived")));
    enum xrm_rc rc = xrm_role_array_for_party(db, id, &roles, err);
    if (!rc && patch)
        rc = xrm_access_party_change(user, roles, err);
    if (!rc && archiving)
        rc = xrm_access_party_archive(user, roles, err);
    json_decref(roles);
    return rc;
}

struct update_arg {
    const struct xrm_user *user;
    int64_t id;
    int64_t if_version;
    json_t *patch;
};

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct update_arg *a = arg;
    json_t *before = NULL, *in = NULL, *norm = NULL, *after = NULL;
    enum xrm_rc rc = xrm_party_load(db, a->id, &before, err);
    if (!rc)
        rc = check_write(db, a->user, a->id, before, a->patch, err);
    if (rc)
        goto out;
    int64_t version = json_integer_value(json_object_get(before, "version"));
    if (a->if_version && a->if_version != version) {
        rc = xrm_errf(err, XRM_E_PRECONDITION,
                      "party %lld has version %lld, not %lld (changed by someone else)",
                      (long long)a->id, (long long)version, (long long)a->if_version);
        goto out;
    }
    in = as_input(before);
    const char *key;
    json_t *v;
    json_object_foreach(a->patch, key, v)
    {
        if (is_readonly(key))
            continue;
        if (strcmp(key, "name") == 0 && strcmp(str_of(before, "kind"), "person") == 0) {
            /* A new full name for a person replaces its parts. */
            json_object_del(in, "given_name");
            json_object_del(in, "family_prefix");
            json_object_del(in, "family_name");
        }
        json_object_set(in, key, v);
    }
    if (json_object_get(a->patch, "roles")) {
        rc = xrm_err_field(err, XRM_E_INVALID, "roles",
                           "roles are changed under /api/v1/parties/{id}/roles");
        goto out;
    }
    norm = normalize(in, err);
    if (!norm) {
        rc = err->rc;
        goto out;
    }
    rc = check_owner(db, norm, err);
    if (!rc)
        rc = xrm_party_db_update(db, a->id, norm, err);
    if (!rc)
        rc = xrm_party_load(db, a->id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "party", a->id, before, after, err);
out:
    json_decref(before);
    json_decref(in);
    json_decref(norm);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_party_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                             json_t **out, struct xrm_err *err)
{
    struct update_arg a = {&ctx->user, id, if_version, patch};
    enum xrm_rc rc = xrm_store_write(ctx->store, update_tx, &a, err);
    if (rc)
        return rc;
    return xrm_party_get(ctx, id, out, err);
}

/* The update of PATCH inside the caller's write transaction (import jobs, merges). */
enum xrm_rc xrm_party_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                json_t *patch, struct xrm_err *err)
{
    struct update_arg a = {user, id, 0, patch};
    return update_tx(db, &a, err);
}

static enum xrm_rc archive_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct update_arg *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_party_load(db, a->id, &before, err);
    if (!rc)
        rc = check_write(db, a->user, a->id, before, NULL, err);
    if (rc) {
        json_decref(before);
        return rc;
    }
    int64_t version = json_integer_value(json_object_get(before, "version"));
    if (a->if_version && a->if_version != version)
        rc = xrm_errf(err, XRM_E_PRECONDITION, "party %lld has version %lld, not %lld",
                      (long long)a->id, (long long)version, (long long)a->if_version);
    else if (!json_is_true(json_object_get(before, "archived")))
        rc = xrm_party_db_set_archived(db, a->id, true, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "archive", "party", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

enum xrm_rc xrm_party_archive(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                              struct xrm_err *err)
{
    struct update_arg a = {&ctx->user, id, if_version, NULL};
    return xrm_store_write(ctx->store, archive_tx, &a, err);
}

enum xrm_rc xrm_party_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_party_db_load(db, id, out, err);
}

enum xrm_rc xrm_party_list(struct xrm_ctx *ctx, const char *q, int limit, const char *cursor,
                           json_t **out, struct xrm_err *err)
{
    return xrm_party_list_sorted(ctx, q, NULL, limit, cursor, false, out, err);
}

bool xrm_party_sort_valid(const char *sort)
{
    return xrm_party_db_sort_valid(sort);
}

enum xrm_rc xrm_party_list_sorted(struct xrm_ctx *ctx, const char *q, const char *sort, int limit,
                                  const char *cursor, bool with_total, json_t **out,
                                  struct xrm_err *err)
{
    struct xrm_query query = {0};
    json_t *res = NULL;
    int64_t total = 0;
    enum xrm_rc rc = xrm_query_parse(q ? q : "", &query, err);
    if (!rc)
        rc = xrm_query_check_access(ctx, &query, err); /* no search on hidden values */
    int64_t cap = xrm_fulltext_has_words(&query) ? XRM_SEARCH_TOTAL_CAP : XRM_LIST_TOTAL_CAP;
    if (!rc)
        rc = xrm_party_db_list(ctx->db, &query, sort, limit, cursor, cap,
                               with_total ? &total : NULL, &res, err);
    if (!rc && with_total) {
        /*
         * the same filter as the page: every party counted is one the reader pages through.
         * A first page was counted with it (party-db.h xrm_party_db_list); a later page is
         * counted here.
         */
        if (total < 0)
            rc = xrm_party_db_count(ctx->db, &query, cap, &total, err);
        if (!rc) {
            json_object_set_new(res, "total", json_integer(total > cap ? cap : total));
            json_object_set_new(res, "total_capped", json_boolean(total > cap));
        } else {
            json_decref(res);
            res = NULL;
        }
    }
    if (rc) {
        xrm_query_release(&query);
        return rc;
    }
    json_t *items = json_object_get(res, "items");
    struct xrm_batch b;
    xrm_batch_init(&b, items);
    rc = xrm_role_attach_page(ctx->db, &b, items, err);
    if (!rc)
        rc = decorate_page(ctx, &b, items, false, err);
    if (!rc) /* where the words were found in records the reader may read */
        rc = xrm_fulltext_found(ctx->db, &query, &b, items, err);
    xrm_batch_release(&b);
    xrm_query_release(&query);
    if (rc) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return XRM_OK;
}

enum xrm_rc xrm_party_set_merged_into(struct xrm_db *db, int64_t id, int64_t survivor,
                                      struct xrm_err *err)
{
    return xrm_party_db_set_merged_into(db, id, survivor, err);
}
