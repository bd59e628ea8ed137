/*
 * Import mapping: headers to fields, and a row or a card to a party object.
 *
 * Headers are compared by their letters only, lower case ("E-mail 1 -
 * Value" is "emailvalue", "KvK-nummer" "kvknummer"), so the numbered
 * columns of Google Contacts and Outlook map alike. A row is first gathered
 * field by field into a builder, then turned into the party object, so the
 * order of the columns does not matter (a Google "Phone 1 - Label" may come
 * before or after its value).
 */
#include "domain/exchange/import-map.h"
#include "domain/base/query.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct header_field {
    const char *header; /* letters only, lower case */
    const char *field;
};

/*
 * Known headers. Internal fields beyond the contract's list: "label.email"
 * and "label.phone" (Google's label columns, giving the label of the value
 * column with the same number) and "home.*" (Outlook's home address).
 */
static const struct header_field known[] = {
    /* xrm's export, English and Dutch */
    {"id", ""},
    {"uid", "uid"},
    {"kind", "kind"},
    {"soort", "kind"},
    {"name", "name"},
    {"naam", "name"},
    {"givenname", "given_name"},
    {"voornaam", "given_name"},
    {"familyprefix", "family_prefix"},
    {"tussenvoegsel", "family_prefix"},
    {"tussenvoegsels", "family_prefix"},
    {"voorvoegsel", "family_prefix"},
    {"familyname", "family_name"},
    {"achternaam", "family_name"},
    {"email", "email"},
    {"emailadres", "email"},
    {"phone", "phone"},
    {"telefoon", "phone"},
    {"telefoonnummer", "phone"},
    {"street", "street"},
    {"straat", "street"},
    {"housenumber", "house_number"},
    {"huisnummer", "house_number"},
    {"huisnr", "house_number"},
    {"postcode", "postcode"},
    {"postalcode", "postcode"},
    {"zip", "postcode"},
    {"zipcode", "postcode"},
    {"city", "city"},
    {"plaats", "city"},
    {"woonplaats", "city"},
    {"country", "country"},
    {"land", "country"},
    {"kvk", "kvk"},
    {"kvknummer", "kvk"},
    {"kvknr", "kvk"},
    {"vat", "vat"},
    {"btw", "vat"},
    {"btwnummer", "vat"},
    {"btwid", "vat"},
    {"iban", "iban"},
    {"website", "website"},
    {"roles", "role"},
    {"role", "role"},
    {"rol", "role"},
    {"rollen", "role"},
    {"tags", "tags"},
    {"externalid", "external_id"},
    {"externid", "external_id"},
    {"organization", "organization"},
    {"organisatie", "organization"},
    {"bedrijfsnaam", "organization"},
    {"bedrijf", "organization"},
    {"company", "organization"},
    {"mobile", "mobile"},
    {"mobiel", "mobile"},
    {"note", "note"},
    {"notes", "note"},
    {"notitie", "note"},
    {"opmerking", "note"},
    {"opmerkingen", "note"},
    {"birthday", "birthday"},
    {"geboortedatum", "birthday"},
    /* Google Contacts */
    {"firstname", "given_name"},
    {"middlename", "family_prefix"},
    {"lastname", "family_name"},
    {"organizationname", "organization"},
    {"organizationtitle", "custom.title"},
    {"emaillabel", "label.email"},
    {"emailvalue", "email"},
    {"phonelabel", "label.phone"},
    {"phonevalue", "phone"},
    {"addressstreet", "street"},
    {"addresscity", "city"},
    {"addresspostalcode", "postcode"},
    {"addresscountry", "country"},
    {"websitevalue", "website"},
    {"labels", "tags"},
    /* Outlook */
    {"emailaddress", "email"},
    {"mobilephone", "mobile"},
    {"homephone", "phone_home"},
    {"businessphone", "phone_work"},
    {"companymainphone", "phone_work"},
    {"primaryphone", "phone"},
    {"webpage", "website"},
    {"jobtitle", "custom.title"},
    {"businessstreet", "street"},
    {"businesscity", "city"},
    {"businesspostalcode", "postcode"},
    {"businesscountry", "country"},
    {"businesscountryregion", "country"},
    {"homestreet", "home.street"},
    {"homecity", "home.city"},
    {"homepostalcode", "home.postcode"},
    {"homecountry", "home.country"},
    {"homecountryregion", "home.country"},
    {"categories", "tags"},
};

static const char *const targets[] = {
    "",           "kind",        "name",         "given_name", "family_prefix", "family_name",
    "email",      "email_work",  "email_home",   "phone",      "mobile",        "phone_work",
    "phone_home", "street",      "house_number", "postcode",   "city",          "country",
    "kvk",        "vat",         "iban",         "website",    "tags",          "role",
    "note",       "external_id", "uid",          "birthday",   "organization",  NULL};

/* Letters and digits of s, ASCII lower case; digits dropped when drop_digits. */
static void header_key(const char *s, char *out, size_t n, bool drop_digits)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c | 0x20);
        else if ((c >= 'a' && c <= 'z') || c >= 0x80 || (!drop_digits && c >= '0' && c <= '9'))
            out[k++] = (char)c;
    }
    out[k] = '\0';
}

static const char *lookup(const char *key)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].header, key) == 0)
            return known[i].field;
    return NULL;
}

const char *xrm_import_field_for_header(const char *header)
{
    char key[128];
    header_key(header, key, sizeof(key), false);
    const char *f = lookup(key);
    if (!f) { /* "E-mail 2 - Value", "E-mail 3 Address", "Home Street 2" */
        header_key(header, key, sizeof(key), true);
        f = lookup(key);
    }
    return f;
}

bool xrm_import_field_valid(const char *field)
{
    if (strncmp(field, "custom.", 7) == 0)
        return field[7] != '\0' && strlen(field) <= 70;
    for (const char *const *f = targets; *f; f++)
        if (strcmp(*f, field) == 0)
            return true;
    return false;
}

struct role_label {
    const char *label;
    const char *type;
};

static const struct role_label role_labels[] = {
    {"klant", "customer"},
    {"klanten", "customer"},
    {"customer", "customer"},
    {"leverancier", "supplier"},
    {"leveranciers", "supplier"},
    {"supplier", "supplier"},
    {"partner", "partner"},
    {"partners", "partner"},
    {"medewerker", "employee"},
    {"medewerkers", "employee"},
    {"werknemer", "employee"},
    {"employee", "employee"},
    {"pers", "press"},
    {"journalist", "press"},
    {"press", "press"},
    {"belanghebbende", "stakeholder"},
    {"stakeholder", "stakeholder"},
};

const char *xrm_import_role_type(const char *label)
{
    char low[64];
    if (!label || !*label)
        return NULL;
    xrm_strlcpy(low, label, sizeof(low));
    xrm_ascii_lower(low);
    for (size_t i = 0; i < sizeof(role_labels) / sizeof(role_labels[0]); i++)
        if (strcmp(role_labels[i].label, low) == 0)
            return role_labels[i].type;
    return NULL;
}

/* The mapping of a CSV file. */
struct column {
    char *header;
    const char *field; /* NULL: not mapped; "" ignored */
    char *custom;      /* NAME of "custom.NAME" */
    char num[8];       /* the number of a Google column ("Phone 2 - Value" -> "2") */
};

struct xrm_import_map {
    size_t n;
    struct column *cols;
    json_t *fieldnames; /* owns the strings of mapped fields that are not static */
};

static void column_number(const char *header, char out[8])
{
    size_t k = 0;
    for (const char *s = header; *s && k < 7; s++)
        if (*s >= '0' && *s <= '9')
            out[k++] = *s;
    out[k] = '\0';
}

enum xrm_rc xrm_import_map_new(const char *const *headers, size_t n, json_t *mapping,
                               struct xrm_import_map **out, struct xrm_err *err)
{
    struct xrm_import_map *m = xrm_calloc(1, sizeof(*m));
    enum xrm_rc rc = XRM_OK;
    m->n = n;
    m->cols = xrm_calloc(n ? n : 1, sizeof(*m->cols));
    m->fieldnames = json_array();
    if (mapping && !json_is_object(mapping)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "mapping",
                           "must be a JSON object {\"header\": \"field\"}");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct column *c = &m->cols[i];
        c->header = xrm_strdup(headers[i]);
        column_number(headers[i], c->num);
        json_t *given = mapping ? json_object_get(mapping, headers[i]) : NULL;
        if (given) {
            const char *f = json_string_value(given);
            if (!f || !xrm_import_field_valid(f)) {
                rc = xrm_err_field(err, XRM_E_INVALID, "mapping",
                                   "column '%.60s': '%.40s' is not a field to import into",
                                   headers[i], f ? f : "(not a string)");
                goto out;
            }
            json_array_append_new(m->fieldnames, json_string(f));
            c->field = json_string_value(
                json_array_get(m->fieldnames, json_array_size(m->fieldnames) - 1));
        } else {
            c->field = xrm_import_field_for_header(headers[i]);
        }
        if (c->field && strncmp(c->field, "custom.", 7) == 0)
            c->custom = xrm_strdup(c->field + 7);
    }
    if (mapping) { /* a mapping naming a column the file lacks is a mistake worth saying */
        const char *key;
        json_t *v;
        json_object_foreach(mapping, key, v)
        {
            bool found = false;
            for (size_t i = 0; !found && i < n; i++)
                found = strcmp(headers[i], key) == 0;
            if (!found) {
                rc = xrm_err_field(err, XRM_E_INVALID, "mapping", "the file has no column '%.60s'",
                                   key);
                goto out;
            }
        }
    }
out:
    if (rc) {
        xrm_import_map_free(m);
        m = NULL;
    }
    *out = m;
    return rc;
}

void xrm_import_map_free(struct xrm_import_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->cols[i].header);
        free(m->cols[i].custom);
    }
    free(m->cols);
    json_decref(m->fieldnames);
    free(m);
}

json_t *xrm_import_map_columns(const struct xrm_import_map *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->n; i++) {
        const char *f = m->cols[i].field;
        json_array_append_new(a, json_pack("{s:s, s:o}", "header", m->cols[i].header, "field",
                                           f && *f ? json_string(f) : json_null()));
    }
    return a;
}

/* A row or a card on its way to a party object. */
struct builder {
    json_t *p; /* scalar fields */
    json_t *emails, *phones, *websites, *tags, *roles, *custom;
    json_t *addr, *home; /* address fields, work and home */
    const char *kind;    /* "person", "organization", another text, or NULL */
};

static void builder_init(struct builder *b)
{
    b->p = json_object();
    b->emails = json_array();
    b->phones = json_array();
    b->websites = json_array();
    b->tags = json_array();
    b->roles = json_array();
    b->custom = json_object();
    b->addr = json_object();
    b->home = json_object();
    b->kind = NULL;
}

static void builder_release(struct builder *b)
{
    json_decref(b->p);
    json_decref(b->emails);
    json_decref(b->phones);
    json_decref(b->websites);
    json_decref(b->tags);
    json_decref(b->roles);
    json_decref(b->custom);
    json_decref(b->addr);
    json_decref(b->home);
}

/* v trimmed into a new string, or NULL when blank. */
static char *trimmed(const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (!n)
        return NULL;
    char *s = xrm_malloc(n + 1);
    memcpy(s, v, n);
    s[n] = '\0';
    return s;
}

static void add_point(json_t *list, const char *label, const char *value)
{
    size_t i;
    json_t *o;
    json_array_foreach(
        list, i, o) if (strcmp(json_string_value(json_object_get(o, "value")), value) == 0) return;
    json_array_append_new(list, json_pack("{s:s, s:s}", "label", label, "value", value));
}

/* A label of Google or a vCard type as a party label: "* Mobile" -> "mobile". */
static void point_label(const char *in, const char *dflt, char out[41])
{
    if (!in || !*in) {
        xrm_strlcpy(out, dflt, 41);
        return;
    }
    while (*in == '*' || *in == ' ')
        in++;
    xrm_strlcpy(out, *in ? in : dflt, 41);
    xrm_ascii_lower(out);
    if (strcmp(out, "cell") == 0)
        xrm_strlcpy(out, "mobile", 41);
}

/* Splits s at any of seps and calls fn for each trimmed part. */
static void split_each(const char *s, const char *seps, struct builder *b,
                       void (*fn)(struct builder *, const char *))
{
    const char *p = s;
    while (*p) {
        size_t n = strcspn(p, seps);
        char *part = trimmed(p, n);
        if (part)
            fn(b, part);
        free(part);
        p += n;
        if (*p)
            p++;
    }
}

/* A tag as the party takes it: letters, digits, '-' and '_' (other characters become '-'). */
static void add_tag(struct builder *b, const char *t)
{
    char tag[65];
    size_t k = 0;
    bool dash = false;
    while (*t == '*' || *t == ' ')
        t++;
    for (; *t && k < 64; t++) {
        unsigned char c = (unsigned char)*t;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        if (ok) {
            tag[k++] = (char)c;
            dash = false;
        } else if (!dash && k) {
            tag[k++] = '-';
            dash = true;
        }
    }
    while (k && tag[k - 1] == '-')
        k--;
    tag[k] = '\0';
    xrm_ascii_lower(tag);
    if (!k || strcmp(tag, "mycontacts") == 0 || strcmp(tag, "starred") == 0)
        return; /* Google's system groups */
    size_t i;
    json_t *seen;
    json_array_foreach(b->tags, i, seen) if (strcmp(json_string_value(seen), tag) == 0) return;
    json_array_append_new(b->tags, json_string(tag));
}

static void add_role(struct builder *b, const char *label)
{
    const char *type = xrm_import_role_type(label);
    char low[64];
    if (!type) { /* a role type an admin defined: its own name */
        xrm_strlcpy(low, label, sizeof(low));
        xrm_ascii_lower(low);
        type = low;
    }
    size_t i;
    json_t *r;
    json_array_foreach(b->roles, i, r) if (strcmp(json_string_value(json_object_get(r, "type")),
                                                  type) == 0) return;
    json_array_append_new(b->roles, json_pack("{s:s}", "type", type));
}

/* Sets key of obj unless it has a value already (the first non-blank column wins). */
static void set_once(json_t *obj, const char *key, const char *v)
{
    if (!json_object_get(obj, key))
        json_object_set_new(obj, key, json_string(v));
}

static void apply(struct builder *b, const char *field, const char *custom, const char *v,
                  const char *label)
{
    char lab[41];
    if (!*field)
        return;
    if (custom) {
        set_once(b->custom, custom, v);
    } else if (strcmp(field, "kind") == 0) {
        set_once(b->p, "kind", v);
    } else if (strcmp(field, "email") == 0 || strcmp(field, "email_work") == 0 ||
               strcmp(field, "email_home") == 0) {
        point_label(field[5] ? field + 6 : label, "work", lab);
        add_point(b->emails, lab, v);
    } else if (strcmp(field, "phone") == 0 || strcmp(field, "phone_work") == 0 ||
               strcmp(field, "phone_home") == 0) {
        point_label(field[5] ? field + 6 : label, "work", lab);
        add_point(b->phones, lab, v);
    } else if (strcmp(field, "mobile") == 0) {
        add_point(b->phones, "mobile", v);
    } else if (strcmp(field, "website") == 0) {
        add_point(b->websites, "work", v);
    } else if (strcmp(field, "tags") == 0) {
        split_each(v, ",;:", b, add_tag);
    } else if (strcmp(field, "role") == 0) {
        split_each(v, ",;", b, add_role);
    } else if (strcmp(field, "street") == 0 || strcmp(field, "house_number") == 0 ||
               strcmp(field, "postcode") == 0 || strcmp(field, "city") == 0 ||
               strcmp(field, "country") == 0) {
        set_once(b->addr, field, v);
    } else if (strncmp(field, "home.", 5) == 0) {
        set_once(b->home, field + 5, v);
    } else if (strcmp(field, "birthday") == 0 &&
               (strncmp(v, "0-0-", 4) == 0 || strncmp(v, "0/0/", 4) == 0)) {
        /* Outlook's "no date" */
    } else if (strcmp(field, "note") == 0 || strcmp(field, "birthday") == 0 ||
               strcmp(field, "organization") == 0) {
        set_once(b->custom, field, v);
    } else if (strncmp(field, "label.", 6) == 0) {
        /* read with its value column */
    } else {
        set_once(b->p, field, v);
    }
}

struct country {
    const char *name;
    const char *code;
};

static const struct country countries[] = {
    {"nederland", "NL"},
    {"netherlands", "NL"},
    {"thenetherlands", "NL"},
    {"holland", "NL"},
    {"belgie", "BE"},
    {"belgië", "BE"},
    {"belgium", "BE"},
    {"duitsland", "DE"},
    {"germany", "DE"},
    {"deutschland", "DE"},
    {"frankrijk", "FR"},
    {"france", "FR"},
    {"verenigdkoninkrijk", "GB"},
    {"unitedkingdom", "GB"},
    {"luxemburg", "LU"},
    {"luxembourg", "LU"},
    {"spanje", "ES"},
    {"spain", "ES"},
    {"italie", "IT"},
    {"italy", "IT"},
    {"oostenrijk", "AT"},
    {"austria", "AT"},
};

/* A country as its two-letter code; names are known for the countries near. */
static json_t *country_code(const char *v)
{
    char key[64];
    header_key(v, key, sizeof(key), true);
    if (strlen(v) == 2)
        return json_string(v);
    for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
        if (strcmp(countries[i].name, key) == 0)
            return json_string(countries[i].code);
    return json_string(v); /* refused by the party checks, naming the field */
}

/* "Coolsingel 40" without a house number column: street "Coolsingel", number "40". */
static json_t *address_of(json_t *a, const char *label)
{
    if (!json_object_size(a))
        return NULL;
    json_t *o = json_deep_copy(a);
    json_object_set_new(o, "label", json_string(label));
    const char *street = json_string_value(json_object_get(o, "street"));
    if (street && !json_object_get(o, "house_number")) {
        const char *nl = strchr(street, '\n');
        size_t n = nl ? (size_t)(nl - street) : strlen(street);
        size_t sp = n;
        while (sp && street[sp - 1] != ' ')
            sp--;
        if (sp > 1 && street[sp] >= '1' && street[sp] <= '9' && n - sp <= 10) {
            json_object_set_new(o, "house_number", json_stringn(street + sp, n - sp));
            json_object_set_new(o, "street", json_stringn(street, sp - 1));
        } else if (nl) {
            json_object_set_new(o, "street", json_stringn(street, n));
        }
    }
    json_t *c = json_object_get(o, "country");
    if (json_is_string(c))
        json_object_set_new(o, "country", country_code(json_string_value(c)));
    return o;
}

/* "van Dijk" as family name without prefix column: prefix "van", family "Dijk". */
static void split_family(json_t *p)
{
    const char *fam = json_string_value(json_object_get(p, "family_name"));
    if (!fam || json_object_get(p, "family_prefix"))
        return;
    const char *s = fam, *last_ok = NULL;
    while (*s) {
        const char *sp = strchr(s, ' ');
        if (!sp)
            break;
        char word[32];
        size_t n = (size_t)(sp - s);
        if (n >= sizeof(word))
            break;
        memcpy(word, s, n);
        word[n] = '\0';
        xrm_ascii_lower(word);
        if (!xrm_query_is_name_prefix(word))
            break;
        s = sp + 1;
        last_ok = s;
    }
    if (!last_ok || !*last_ok)
        return;
    json_object_set_new(p, "family_prefix", json_stringn(fam, (size_t)(last_ok - fam - 1)));
    json_object_set_new(p, "family_name", json_string(last_ok));
}

static void set_list(json_t *p, const char *key, json_t *list)
{
    if (json_array_size(list))
        json_object_set(p, key, list);
}

/* True when name holds a word of a legal form ("B.V.", "Stichting", "GmbH"). */
static bool legal_form(const char *name)
{
    static const char *const forms[] = {"bv",         "nv",         "vof",  "cv",  "stichting",
                                        "vereniging", "coöperatie", "gmbh", "ltd", "holding",
                                        "bvba",       "sa",         "inc",  NULL};
    char word[32];
    size_t k = 0;
    for (const char *s = name ? name : "";; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '.')
            continue;
        if (c && c != ' ' && c != ',' && c != '&') {
            if (k + 1 < sizeof(word))
                word[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            continue;
        }
        word[k] = '\0';
        for (const char *const *f = forms; k && *f; f++)
            if (strcmp(word, *f) == 0)
                return true;
        k = 0;
        if (!c)
            return false;
    }
}

/* The party object from what was gathered; new reference. */
static json_t *build(struct builder *b)
{
    json_t *p = json_deep_copy(b->p), *a;
    const char *kind = json_string_value(json_object_get(p, "kind"));
    char low[32] = "";
    if (kind) {
        xrm_strlcpy(low, kind, sizeof(low));
        xrm_ascii_lower(low);
    } else if (b->kind) {
        xrm_strlcpy(low, b->kind, sizeof(low));
    }
    if (strcmp(low, "persoon") == 0 || strcmp(low, "person") == 0 || strcmp(low, "individual") == 0)
        kind = "person";
    else if (strcmp(low, "organisatie") == 0 || strcmp(low, "organization") == 0 ||
             strcmp(low, "organisation") == 0 || strcmp(low, "bedrijf") == 0 ||
             strcmp(low, "org") == 0)
        kind = "organization";
    else if (*low)
        kind = NULL; /* left as given: refused by the party checks */
    else if (json_object_get(p, "given_name") || json_object_get(p, "family_name"))
        kind = "person";
    else if (json_object_get(p, "name"))
        kind = json_object_get(p, "kvk") || json_object_get(p, "vat") ||
                       legal_form(json_string_value(json_object_get(p, "name")))
                   ? "organization"
                   : "person";
    else
        kind = "organization";
    if (kind)
        json_object_set_new(p, "kind", json_string(kind));
    if (kind && strcmp(kind, "organization") == 0 && !json_object_get(p, "name")) {
        json_t *org = json_object_get(b->custom, "organization");
        if (org) {
            json_object_set(p, "name", org);
            json_object_del(b->custom, "organization");
        }
    }
    if (kind && strcmp(kind, "person") == 0)
        split_family(p);
    set_list(p, "emails", b->emails);
    set_list(p, "phones", b->phones);
    set_list(p, "websites", b->websites);
    set_list(p, "tags", b->tags);
    set_list(p, "roles", b->roles);
    json_t *addrs = json_array();
    if ((a = address_of(b->addr, "work")))
        json_array_append_new(addrs, a);
    if ((a = address_of(b->home, "home")))
        json_array_append_new(addrs, a);
    set_list(p, "addresses", addrs);
    json_decref(addrs);
    if (json_object_size(b->custom))
        json_object_set(p, "custom", b->custom);
    return p;
}

json_t *xrm_import_map_row(const struct xrm_import_map *m, const char *const *fields, size_t n)
{
    struct builder b;
    bool any = false;
    builder_init(&b);
    for (size_t i = 0; i < n && i < m->n; i++) {
        const struct column *c = &m->cols[i];
        if (!c->field)
            continue;
        char *v = trimmed(fields[i], strlen(fields[i]));
        if (!v)
            continue;
        any = true;
        const char *label = NULL;
        if (strcmp(c->field, "email") == 0 || strcmp(c->field, "phone") == 0) {
            /* Google: "Phone 1 - Value" takes its label from "Phone 1 - Label" */
            const char *want = c->field[0] == 'e' ? "label.email" : "label.phone";
            for (size_t k = 0; k < n && k < m->n && !label; k++)
                if (m->cols[k].field && strcmp(m->cols[k].field, want) == 0 &&
                    strcmp(m->cols[k].num, c->num) == 0 && *fields[k])
                    label = fields[k];
        }
        apply(&b, c->field, c->custom, v, label);
        free(v);
    }
    json_t *p = any ? build(&b) : NULL;
    builder_release(&b);
    return p;
}

/* The first type of a vCard TEL/EMAIL/ADR that names a label. */
static const char *card_label(json_t *item, const char *dflt)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(item, "types"), i, t)
    {
        const char *s = json_string_value(t);
        if (s && (strcmp(s, "cell") == 0 || strcmp(s, "home") == 0 || strcmp(s, "work") == 0 ||
                  strcmp(s, "fax") == 0))
            return strcmp(s, "cell") == 0 ? "mobile" : s;
    }
    return dflt;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

/* An X- value (a string or an array of them) as one text. */
static json_t *x_value(json_t *v)
{
    if (!json_is_array(v))
        return json_incref(v);
    struct xrm_buf b = XRM_BUF_INIT;
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        if (i)
            xrm_buf_adds(&b, "; ");
        xrm_buf_adds(&b, json_string_value(s) ? json_string_value(s) : "");
    }
    json_t *out = json_string(b.s);
    xrm_buf_release(&b);
    return out;
}

static void card_photo(struct builder *b, json_t *photo)
{
    const char *uri = str(photo, "uri"), *data = str(photo, "base64");
    if (uri && strlen(uri) <= XRM_IMPORT_PHOTO_MAX) {
        json_object_set_new(b->custom, "photo", json_string(uri));
    } else if (data && strlen(data) + 40 <= XRM_IMPORT_PHOTO_MAX) {
        const char *type = str(photo, "type");
        struct xrm_buf u = XRM_BUF_INIT;
        xrm_buf_addf(&u, "data:%s;base64,%s", type ? type : "image/jpeg", data);
        json_object_set_new(b->custom, "photo", json_string(u.s));
        xrm_buf_release(&u);
    }
}

json_t *xrm_import_from_vcard(json_t *card)
{
    struct builder b;
    json_t *n = json_object_get(card, "n"), *org = json_object_get(card, "org"), *item;
    const char *fn = str(card, "fn"), *orgname = json_string_value(json_array_get(org, 0));
    size_t i;
    builder_init(&b);

    const char *family = str(n, "family"), *given = str(n, "given"), *more = str(n, "additional");
    if (family || given) {
        b.kind = "person";
        if (family)
            json_object_set_new(b.p, "family_name", json_string(family));
        if (given && more) {
            struct xrm_buf g = XRM_BUF_INIT;
            xrm_buf_addf(&g, "%s %s", given, more);
            json_object_set_new(b.p, "given_name", json_string(g.s));
            xrm_buf_release(&g);
        } else if (given) {
            json_object_set_new(b.p, "given_name", json_string(given));
        }
    } else if (fn && (!orgname || strcmp(fn, orgname) != 0)) {
        b.kind = "person";
        json_object_set_new(b.p, "name", json_string(fn));
    } else {
        b.kind = "organization";
        if (orgname || fn)
            json_object_set_new(b.p, "name", json_string(orgname ? orgname : fn));
        orgname = NULL;
    }
    if (orgname && *orgname)
        json_object_set_new(b.custom, "organization", json_string(orgname));
    json_array_foreach(json_object_get(card, "email"), i, item) if (str(item, "value"))
        add_point(b.emails, card_label(item, "work"), str(item, "value"));
    json_array_foreach(json_object_get(card, "tel"), i, item) if (str(item, "value"))
        add_point(b.phones, card_label(item, "work"), str(item, "value"));
    json_array_foreach(json_object_get(card, "url"), i, item) if (json_string_value(item))
        add_point(b.websites, "work", json_string_value(item));
    json_t *addrs = json_array();
    json_array_foreach(json_object_get(card, "adr"), i, item)
    {
        json_t *a = json_object();
        const char *street = str(item, "street"), *pc = str(item, "postal_code"),
                   *city = str(item, "locality"), *country = str(item, "country");
        if (street)
            json_object_set_new(a, "street", json_string(street));
        if (pc)
            json_object_set_new(a, "postcode", json_string(pc));
        if (city)
            json_object_set_new(a, "city", json_string(city));
        if (country)
            json_object_set_new(a, "country", json_string(country));
        json_t *o = address_of(a, card_label(item, "work"));
        json_decref(a);
        if (o)
            json_array_append_new(addrs, o);
    }
    json_array_foreach(json_object_get(card, "categories"), i, item) if (json_string_value(item))
        add_tag(&b, json_string_value(item));
    if (str(card, "note"))
        json_object_set_new(b.custom, "note", json_string(str(card, "note")));
    if (str(card, "bday"))
        json_object_set_new(b.custom, "birthday", json_string(str(card, "bday")));
    if (str(card, "title"))
        json_object_set_new(b.custom, "title", json_string(str(card, "title")));
    if (str(card, "uid"))
        json_object_set_new(b.p, "uid", json_string(str(card, "uid")));
    if (json_is_object(json_object_get(card, "photo")))
        card_photo(&b, json_object_get(card, "photo"));
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(card, "x"), key, v)
        json_object_set_new(b.custom, key, x_value(v));
    json_t *p = build(&b);
    if (json_array_size(addrs))
        json_object_set(p, "addresses", addrs);
    json_decref(addrs);
    builder_release(&b);
    return p;
}
