/*
 * Exports of a party query or segment as CSV, vCard 4.0 or NDJSON, page by
 * page through the party list (see export.h).
 */
#include "domain/exchange/export.h"
#include "core/json.h"
#include "core/mem.h"
#include "domain/party/party.h"
#include "domain/rules/segment.h"
#include "io/csv.h"
#include "io/vcard.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

struct xrm_export {
    struct xrm_export_opts o;
    char *q;       /* the query read (segment query and q), or NULL */
    json_t *first; /* the first page, read by xrm_export_new, until written */
    char *cursor;  /* where the next page starts */
    bool started;  /* the header and first page were written */
    bool finished; /* no page left */
    int64_t count; /* parties written */
};

/* CSV columns. */
enum col {
    C_ID,
    C_UID,
    C_KIND,
    C_NAME,
    C_GIVEN,
    C_PREFIX,
    C_FAMILY,
    C_EMAIL,
    C_PHONE,
    C_STREET,
    C_NUMBER,
    C_POSTCODE,
    C_CITY,
    C_COUNTRY,
    C_KVK,
    C_VAT,
    C_IBAN,
    C_WEBSITE,
    C_ROLES,
    C_TAGS,
    C_EXTERNAL,
    C_NCONTRACT, /* the columns of the contract; the treatment ones follow */
    C_PRIORITY = C_NCONTRACT,
    C_BADGES,
    C_HEALTH,
    C_NCOLS,
};

static const struct {
    const char *en, *nl;
    bool text;
} cols[C_NCOLS] = {
    [C_ID] = {"id", "ID", true},
    [C_UID] = {"uid", "UID", true},
    [C_KIND] = {"kind", "Soort", false},
    [C_NAME] = {"name", "Naam", false},
    [C_GIVEN] = {"given_name", "Voornaam", false},
    [C_PREFIX] = {"family_prefix", "Tussenvoegsel", false},
    [C_FAMILY] = {"family_name", "Achternaam", false},
    [C_EMAIL] = {"email", "E-mail", false},
    [C_PHONE] = {"phone", "Telefoon", true},
    [C_STREET] = {"street", "Straat", false},
    [C_NUMBER] = {"house_number", "Huisnummer", false},
    [C_POSTCODE] = {"postcode", "Postcode", true},
    [C_CITY] = {"city", "Plaats", false},
    [C_COUNTRY] = {"country", "Land", false},
    [C_KVK] = {"kvk", "KvK-nummer", true},
    [C_VAT] = {"vat", "BTW-nummer", true},
    [C_IBAN] = {"iban", "IBAN", true},
    [C_WEBSITE] = {"website", "Website", false},
    [C_ROLES] = {"roles", "Rol", false},
    [C_TAGS] = {"tags", "Tags", false},
    [C_EXTERNAL] = {"external_id", "Extern ID", true},
    [C_PRIORITY] = {"priority", "Prioriteit", false},
    [C_BADGES] = {"badges", "Badges", false},
    [C_HEALTH] = {"health", "Gezondheid", false},
};

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The value of the first entry of a contact point list (emails, phones, websites). */
static const char *first_value(json_t *p, const char *key)
{
    return str(json_array_get(json_object_get(p, key), 0), "value");
}

/* Appends the texts of a list joined by ", "; each item's text is item[key], or the item. */
static void joined(struct xrm_buf *b, json_t *list, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *s = key ? str(v, key) : json_string_value(v);
        if (!s || !*s)
            continue;
        if (b->len)
            xrm_buf_adds(b, ", ");
        xrm_buf_adds(b, s);
    }
}

static void csv_header(struct xrm_buf *out, const struct xrm_export_opts *o)
{
    const char *v[C_NCOLS];
    size_t n = o->treatment ? C_NCOLS : C_NCONTRACT;
    for (size_t i = 0; i < n; i++)
        v[i] = o->dutch ? cols[i].nl : cols[i].en;
    xrm_csv_write_bom(out);
    xrm_csv_write_row(out, v, NULL, n);
}

static void csv_party(struct xrm_buf *out, const struct xrm_export_opts *o, json_t *p)
{
    const char *v[C_NCOLS] = {0};
    bool text[C_NCOLS];
    size_t n = o->treatment ? C_NCOLS : C_NCONTRACT;
    char id[24];
    struct xrm_buf roles = XRM_BUF_INIT, tags = XRM_BUF_INIT, badges = XRM_BUF_INIT;
    json_t *addr = json_array_get(json_object_get(p, "addresses"), 0);
    json_t *t = json_object_get(p, "treatment");

    for (size_t i = 0; i < n; i++)
        text[i] = cols[i].text;
    snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(p, "id")));
    v[C_ID] = id;
    v[C_UID] = str(p, "uid");
    v[C_KIND] = str(p, "kind");
    v[C_NAME] = str(p, "name");
    v[C_GIVEN] = str(p, "given_name");
    v[C_PREFIX] = str(p, "family_prefix");
    v[C_FAMILY] = str(p, "family_name");
    v[C_EMAIL] = first_value(p, "emails");
    v[C_PHONE] = first_value(p, "phones");
    v[C_STREET] = str(addr, "street");
    v[C_NUMBER] = str(addr, "house_number");
    v[C_POSTCODE] = str(addr, "postcode");
    v[C_CITY] = str(addr, "city");
    v[C_COUNTRY] = str(addr, "country");
    v[C_KVK] = str(p, "kvk");
    v[C_VAT] = str(p, "vat");
    v[C_IBAN] = str(p, "iban");
    v[C_WEBSITE] = first_value(p, "websites");
    joined(&roles, json_object_get(p, "roles"), "type");
    v[C_ROLES] = roles.s;
    joined(&tags, json_object_get(p, "tags"), NULL);
    v[C_TAGS] = tags.s;
    v[C_EXTERNAL] = str(p, "external_id");
    if (o->treatment) {
        v[C_PRIORITY] = str(t, "priority");
        joined(&badges, json_object_get(t, "badges"), o->dutch ? "nl" : "en");
        v[C_BADGES] = badges.s;
        v[C_HEALTH] = str(json_object_get(p, "health"), "status");
    }
    xrm_csv_write_row(out, v, text, n);
    xrm_buf_release(&roles);
    xrm_buf_release(&tags);
    xrm_buf_release(&badges);
}

/* vCard types of a contact point's label (work, home, cell, fax); an empty array when none. */
static json_t *label_types(const char *label, bool phone)
{
    static const struct {
        const char *label, *type;
    } map[] = {
        {"work", "work"},    {"werk", "work"},     {"zakelijk", "work"}, {"office", "work"},
        {"home", "home"},    {"thuis", "home"},    {"privé", "home"},    {"prive", "home"},
        {"private", "home"}, {"personal", "home"}, {"mobile", "cell"},   {"mobiel", "cell"},
        {"cell", "cell"},    {"fax", "fax"},
    };
    json_t *types = json_array();
    if (!label)
        return types;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcasecmp(label, map[i].label) != 0)
            continue;
        if (!phone && (strcmp(map[i].type, "cell") == 0 || strcmp(map[i].type, "fax") == 0))
            break;
        if (phone && strcmp(map[i].type, "cell") == 0)
            json_array_append_new(types, json_string("voice"));
        json_array_append_new(types, json_string(map[i].type));
        break;
    }
    return types;
}

static void card_points(json_t *card, const char *key, json_t *list, bool phone)
{
    size_t i;
    json_t *cp;
    json_t *a = json_array();
    json_array_foreach(list, i, cp)
    {
        const char *value = str(cp, "value");
        if (!value || !*value)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "value", json_string(value));
        json_object_set_new(o, "types", label_types(str(cp, "label"), phone));
        if (i == 0)
            json_object_set_new(o, "pref", json_true());
        json_array_append_new(a, o);
    }
    if (json_array_size(a))
        json_object_set_new(card, key, a);
    else
        json_decref(a);
}

static void card_addresses(json_t *card, json_t *list)
{
    size_t i;
    json_t *ad;
    json_t *a = json_array();
    json_array_foreach(list, i, ad)
    {
        json_t *o = json_object();
        struct xrm_buf street = XRM_BUF_INIT;
        const char *s = str(ad, "street"), *nr = str(ad, "house_number");
        if (s)
            xrm_buf_adds(&street, s);
        if (nr)
            xrm_buf_addf(&street, "%s%s", street.len ? " " : "", nr);
        if (street.len)
            json_object_set_new(o, "street", json_string(street.s));
        xrm_buf_release(&street);
        if (str(ad, "postcode"))
            json_object_set_new(o, "postal_code", json_string(str(ad, "postcode")));
        if (str(ad, "city"))
            json_object_set_new(o, "locality", json_string(str(ad, "city")));
        if (str(ad, "country"))
            json_object_set_new(o, "country", json_string(str(ad, "country")));
        json_object_set_new(o, "types", label_types(str(ad, "label"), false));
        if (i == 0)
            json_object_set_new(o, "pref", json_true());
        json_array_append_new(a, o);
    }
    if (json_array_size(a))
        json_object_set_new(card, "adr", a);
    else
        json_decref(a);
}

static void x_set(json_t *x, const char *name, const char *value)
{
    if (value && *value)
        json_object_set_new(x, name, json_string(value));
}

json_t *xrm_export_party_card(json_t *p)
{
    json_t *card = json_object(), *x = json_object();
    const char *name = str(p, "name");
    bool org = strcmp(str(p, "kind") ? str(p, "kind") : "", "organization") == 0;
    if (name)
        json_object_set_new(card, "fn", json_string(name));
    if (org) {
        json_object_set_new(card, "kind", json_string("org"));
        if (name)
            json_object_set_new(card, "org", json_pack("[s]", name));
    } else {
        /* "van Wijk": address books show N as the name; the prefix alone restores the split */
        json_t *n = json_object();
        struct xrm_buf family = XRM_BUF_INIT;
        const char *prefix = str(p, "family_prefix"), *fam = str(p, "family_name");
        if (prefix && *prefix)
            xrm_buf_adds(&family, prefix);
        if (fam && *fam)
            xrm_buf_addf(&family, "%s%s", family.len ? " " : "", fam);
        if (family.len)
            json_object_set_new(n, "family", json_string(family.s));
        xrm_buf_release(&family);
        if (str(p, "given_name"))
            json_object_set_new(n, "given", json_string(str(p, "given_name")));
        json_object_set_new(card, "n", n);
        x_set(x, "X-XRM-FAMILY-PREFIX", str(p, "family_prefix"));
    }
    card_points(card, "tel", json_object_get(p, "phones"), true);
    card_points(card, "email", json_object_get(p, "emails"), false);
    card_addresses(card, json_object_get(p, "addresses"));
    json_t *urls = json_array(), *cp;
    size_t i;
    json_array_foreach(json_object_get(p, "websites"), i, cp)
    {
        if (str(cp, "value"))
            json_array_append_new(urls, json_string(str(cp, "value")));
    }
    json_object_set_new(card, "url", urls);
    json_t *tags = json_object_get(p, "tags");
    if (json_array_size(tags))
        json_object_set(card, "categories", tags);
    x_set(x, "X-XRM-KVK", str(p, "kvk"));
    x_set(x, "X-XRM-VAT", str(p, "vat"));
    x_set(x, "X-XRM-IBAN", str(p, "iban"));
    struct xrm_buf roles = XRM_BUF_INIT;
    joined(&roles, json_object_get(p, "roles"), "type");
    x_set(x, "X-XRM-ROLES", roles.s);
    xrm_buf_release(&roles);
    x_set(x, "X-XRM-EXTERNAL-ID", str(p, "external_id"));
    json_object_set_new(card, "x", x);
    if (str(p, "uid"))
        json_object_set_new(card, "uid", json_string(str(p, "uid")));
    return card;
}

static void vcard_party(struct xrm_buf *out, json_t *p)
{
    json_t *card = xrm_export_party_card(p);
    xrm_vcard_write(out, card);
    json_decref(card);
}

static void write_page(struct xrm_export *e, struct xrm_buf *out, json_t *page)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(page, "items"), i, p)
    {
        switch (e->o.format) {
        case XRM_EXPORT_CSV:
            csv_party(out, &e->o, p);
            break;
        case XRM_EXPORT_VCARD:
            vcard_party(out, p);
            break;
        case XRM_EXPORT_NDJSON:
            xrm_json_write(out, p);
            xrm_buf_addc(out, '\n');
            break;
        }
        e->count++;
    }
}

/* Reads the page at e->cursor into *page and moves the cursor on. */
static enum xrm_rc read_page(struct xrm_export *e, struct xrm_ctx *ctx, json_t **page,
                             struct xrm_err *err)
{
    int limit = e->o.page > 0 && e->o.page <= XRM_LIST_MAX ? e->o.page : XRM_LIST_MAX;
    enum xrm_rc rc = xrm_party_list(ctx, e->q, limit, e->cursor, page, err);
    if (rc)
        return rc;
    const char *next = str(*page, "next");
    free(e->cursor);
    e->cursor = next ? xrm_strdup(next) : NULL;
    if (!e->cursor)
        e->finished = true;
    return XRM_OK;
}

enum xrm_rc xrm_export_new(struct xrm_ctx *ctx, const struct xrm_export_opts *o,
                           struct xrm_export **out, struct xrm_err *err)
{
    struct xrm_export *e = xrm_calloc(1, sizeof(*e));
    json_t *seg = NULL;
    enum xrm_rc rc = XRM_OK;
    const char *q = o->q && *o->q ? o->q : NULL;

    e->o = *o;
    e->o.q = NULL;
    if (o->segment) {
        rc = xrm_segment_get(ctx, o->segment, &seg, err);
        if (rc)
            goto out;
        struct xrm_buf b = XRM_BUF_INIT;
        xrm_buf_adds(&b, str(seg, "query") ? str(seg, "query") : "");
        if (q)
            xrm_buf_addf(&b, "%s%s", b.len ? " " : "", q);
        e->q = xrm_buf_detach(&b, NULL);
    } else if (q) {
        e->q = xrm_strdup(q);
    }
    rc = read_page(e, ctx, &e->first, err);
out:
    json_decref(seg);
    if (rc) {
        xrm_export_free(e);
        e = NULL;
    }
    *out = e;
    return rc;
}

enum xrm_rc xrm_export_next(struct xrm_export *e, struct xrm_ctx *ctx, struct xrm_buf *out,
                            bool *done, struct xrm_err *err)
{
    json_t *page = NULL;
    enum xrm_rc rc = XRM_OK;

    *done = false;
    if (!e->started) {
        e->started = true;
        if (e->o.format == XRM_EXPORT_CSV)
            csv_header(out, &e->o);
        write_page(e, out, e->first);
        json_decref(e->first);
        e->first = NULL;
        goto out;
    }
    if (e->finished) {
        *done = true;
        goto out;
    }
    rc = read_page(e, ctx, &page, err);
    if (!rc)
        write_page(e, out, page);
out:
    json_decref(page);
    return rc;
}

int64_t xrm_export_count(const struct xrm_export *e)
{
    return e->count;
}

void xrm_export_free(struct xrm_export *e)
{
    if (!e)
        return;
    json_decref(e->first);
    free(e->q);
    free(e->cursor);
    free(e);
}

bool xrm_export_format_parse(const char *s, enum xrm_export_format *out)
{
    if (!s)
        return false;
    if (strcmp(s, "csv") == 0)
        *out = XRM_EXPORT_CSV;
    else if (strcmp(s, "vcf") == 0 || strcmp(s, "vcard") == 0)
        *out = XRM_EXPORT_VCARD;
    else if (strcmp(s, "ndjson") == 0 || strcmp(s, "json") == 0)
        *out = XRM_EXPORT_NDJSON;
    else
        return false;
    return true;
}

const char *xrm_export_media_type(enum xrm_export_format f)
{
    switch (f) {
    case XRM_EXPORT_CSV:
        return "text/csv; charset=utf-8; header=present";
    case XRM_EXPORT_VCARD:
        return "text/vcard; charset=utf-8";
    case XRM_EXPORT_NDJSON:
        return "application/x-ndjson";
    }
    return "application/octet-stream";
}

const char *xrm_export_extension(enum xrm_export_format f)
{
    switch (f) {
    case XRM_EXPORT_CSV:
        return "csv";
    case XRM_EXPORT_VCARD:
        return "vcf";
    case XRM_EXPORT_NDJSON:
        return "ndjson";
    }
    return "txt";
}
