/*
 * The company settings (company.h): defaults, validation, the logo.
 * SQL in company-db.c.
 */
#include "domain/billing/company.h"
#include "domain/billing/company-db.h"
#include "domain/billing/numbering.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/validate.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Text settings with their byte limits. */
static const struct {
    const char *key;
    size_t max;
} texts[] = {
    {"legal_name", 200},
    {"street", 200},
    {"house_number", 20},
    {"postcode", 10},
    {"city", 100},
    {"country", 2},
    {"kvk", 8},
    {"vat", 20},
    {"iban", 40},
    {"bic", 11},
    {"email", 254},
    {"phone", 40},
    {"quote_number_format", XRM_NUMBER_FORMAT_MAX},
    {"invoice_number_format", XRM_NUMBER_FORMAT_MAX},
    {"credit_number_format", XRM_NUMBER_FORMAT_MAX},
    {"email_footer", 2000},
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static const char *dflt(const char *key)
{
    if (strcmp(key, "country") == 0)
        return "NL";
    if (strcmp(key, "quote_number_format") == 0)
        return "OFF-{YYYY}-{NNNN}";
    if (strcmp(key, "invoice_number_format") == 0)
        return "{YYYY}-{NNNN}";
    if (strcmp(key, "credit_number_format") == 0)
        return "C{YYYY}-{NNNN}";
    return NULL;
}

/* The API shape of a stored row (NULL: nothing stored yet). */
static json_t *shape(json_t *row)
{
    json_t *data = json_object_get(row, "data"), *o = json_object();
    for (size_t i = 0; i < NTEXTS; i++) {
        const char *v = json_string_value(json_object_get(data, texts[i].key));
        if (!v)
            v = dflt(texts[i].key);
        json_object_set_new(o, texts[i].key, v ? json_string(v) : json_null());
    }
    json_t *days = json_object_get(data, "payment_days");
    json_object_set_new(o, "payment_days",
                        json_integer(json_is_integer(days) ? json_integer_value(days) : 30));
    json_object_set_new(o, "has_logo",
                        json_boolean(json_is_true(json_object_get(row, "has_logo"))));
    json_t *lt = json_object_get(row, "logo_type");
    json_object_set(o, "logo_type", lt ? lt : json_null());
    json_t *v = json_object_get(row, "version");
    json_object_set_new(o, "version", json_integer(json_is_integer(v) ? json_integer_value(v) : 0));
    return o;
}

enum xrm_rc xrm_company_load(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    json_t *row = NULL;
    enum xrm_rc rc = xrm_company_db_load(db, &row, err);
    if (!rc)
        *out = shape(row);
    json_decref(row);
    return rc;
}

enum xrm_rc xrm_company_get(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    return xrm_company_load(ctx->db, out, err);
}

json_t *xrm_company_seller(json_t *settings)
{
    static const char *const keys[] = {
        "legal_name", "street", "house_number", "postcode", "city",  "country", "kvk",
        "vat",        "iban",   "bic",          "email",    "phone", NULL};
    json_t *o = json_object();
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(settings, keys[i]);
        json_object_set(o, keys[i], v ? v : json_null());
    }
    return o;
}

/* Checks in into the data to store (*out), with field errors. */
static enum xrm_rc validate(json_t *in, json_t **out, struct xrm_err *err)
{
    static const char *const ro[] = {"has_logo", "logo_type", "version", "payment_days"};
    int nf = err->nfields;
    json_t *data = json_object();
    const char *v;
    char norm[64];

    if (!json_is_object(in)) {
        json_decref(data);
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    }
    const char *key;
    json_t *val;
    json_object_foreach(in, key, val)
    {
        bool known = false;
        for (size_t i = 0; i < NTEXTS; i++)
            known = known || strcmp(key, texts[i].key) == 0;
        for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
            known = known || strcmp(key, ro[i]) == 0;
        if (!known)
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
    for (size_t i = 0; i < NTEXTS; i++) {
        v = NULL;
        if (!xrm_json_get_str(in, NULL, texts[i].key, texts[i].max, false, &v, err) || !v)
            continue;
        json_t *t = xrm_record_trimmed(v);
        if (json_string_length(t))
            json_object_set(data, texts[i].key, t);
        json_decref(t);
    }
    int64_t days = 30;
    xrm_json_get_int(in, NULL, "payment_days", 0, 365, false, &days, err);
    json_object_set_new(data, "payment_days", json_integer(days));

    const char *country = json_string_value(json_object_get(data, "country"));
    if (!country)
        country = "NL";
    if (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
        !isupper((unsigned char)country[1]))
        xrm_err_field(err, XRM_E_INVALID, "country", "must be an ISO 3166 country code such as NL");
    if ((v = json_string_value(json_object_get(data, "kvk"))) && !xrm_valid_kvk(v))
        xrm_err_field(err, XRM_E_INVALID, "kvk", "must be a KvK number of 8 digits");
    if ((v = json_string_value(json_object_get(data, "vat")))) {
        if (!xrm_norm_vat(v, norm, sizeof(norm)))
            xrm_err_field(err, XRM_E_INVALID, "vat", "must be a valid VAT number (NL000099998B57)");
        else
            json_object_set_new(data, "vat", json_string(norm));
    }
    if ((v = json_string_value(json_object_get(data, "iban")))) {
        if (!xrm_norm_iban(v, norm, sizeof(norm)))
            xrm_err_field(err, XRM_E_INVALID, "iban", "must be a valid IBAN");
        else
            json_object_set_new(data, "iban", json_string(norm));
    }
    if ((v = json_string_value(json_object_get(data, "bic")))) {
        size_t n = strlen(v);
        bool ok = n == 8 || n == 11;
        for (size_t i = 0; ok && i < n; i++)
            ok = isupper((unsigned char)v[i]) || isdigit((unsigned char)v[i]);
        if (!ok)
            xrm_err_field(err, XRM_E_INVALID, "bic", "must be a BIC of 8 or 11 letters and digits");
    }
    if ((v = json_string_value(json_object_get(data, "postcode"))) && strcmp(country, "NL") == 0) {
        if (!xrm_norm_postcode_nl(v, norm, sizeof(norm)))
            xrm_err_field(err, XRM_E_INVALID, "postcode", "must be a Dutch postcode (1234 AB)");
        else
            json_object_set_new(data, "postcode", json_string(norm));
    }
    if ((v = json_string_value(json_object_get(data, "email"))) && !xrm_valid_email(v))
        xrm_err_field(err, XRM_E_INVALID, "email", "must be an e-mail address");
    static const char *const fmts[] = {"quote_number_format", "invoice_number_format",
                                       "credit_number_format", NULL};
    for (int i = 0; fmts[i]; i++)
        if ((v = json_string_value(json_object_get(data, fmts[i]))) && !xrm_number_format_valid(v))
            xrm_err_field(err, XRM_E_INVALID, fmts[i],
                          "must contain the number as {NNNN} (3 to 10 N) and may contain {YYYY}");
    /* invoices and credit notes share the table's unique numbers: their formats must differ */
    const char *inv = json_string_value(json_object_get(data, "invoice_number_format"));
    const char *cred = json_string_value(json_object_get(data, "credit_number_format"));
    if (strcmp(inv ? inv : dflt("invoice_number_format"),
               cred ? cred : dflt("credit_number_format")) == 0)
        xrm_err_field(err, XRM_E_INVALID, "credit_number_format",
                      "must differ from the invoice number format");
    if (err->nfields > nf) {
        json_decref(data);
        return err->rc ? err->rc : XRM_E_INVALID;
    }
    *out = data;
    return XRM_OK;
}

struct put {
    const struct xrm_user *user;
    int64_t if_version;
    json_t *in;
    json_t *out;
};

static enum xrm_rc put_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct put *p = arg;
    json_t *before = NULL, *data = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_access_admin(p->user, "changing the company settings", err);
    if (!rc)
        rc = xrm_company_load(db, &before, err);
    if (!rc && p->if_version &&
        p->if_version != json_integer_value(json_object_get(before, "version")))
        rc = xrm_errf(err, XRM_E_PRECONDITION, "the company settings were changed meanwhile");
    if (!rc)
        rc = validate(p->in, &data, err);
    xrm_clock_now(now);
    if (!rc)
        rc = xrm_company_db_save(db, data, now, err);
    if (!rc)
        rc = xrm_company_load(db, &p->out, err);
    if (!rc)
        rc = xrm_audit_add(db, p->user, "update", "company_settings", 1, before, p->out, err);
    json_decref(before);
    json_decref(data);
    return rc;
}

enum xrm_rc xrm_company_put(struct xrm_ctx *ctx, int64_t if_version, json_t *in, json_t **out,
                            struct xrm_err *err)
{
    struct put p = {.user = &ctx->user, .if_version = if_version, .in = in};
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "changing the company settings", err);
    if (!rc)
        rc = xrm_store_write(ctx->store, put_tx, &p, err);
    if (!rc)
        *out = p.out;
    else
        json_decref(p.out);
    return rc;
}

enum xrm_rc xrm_company_put_tx(struct xrm_db *db, json_t *in, struct xrm_err *err)
{
    struct put p = {.user = NULL, .in = in};
    enum xrm_rc rc = put_tx(db, &p, err);
    json_decref(p.out);
    return rc;
}

/* Whether data is an SVG document: optional XML prolog and comments, then <svg. */
static bool is_svg(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = 3;
    for (;;) {
        while (i < len && isspace((unsigned char)data[i]))
            i++;
        if (i + 4 <= len && memcmp(data + i, "<svg", 4) == 0)
            return i + 4 < len && (isspace((unsigned char)data[i + 4]) || data[i + 4] == '>');
        const char *end = NULL;
        if (i + 2 <= len && memcmp(data + i, "<?", 2) == 0)
            end = "?>";
        else if (i + 4 <= len && memcmp(data + i, "<!--", 4) == 0)
            end = "-->";
        else if (i + 9 <= len && memcmp(data + i, "<!DOCTYPE", 9) == 0)
            end = ">";
        if (!end)
            return false;
        const char *e = memmem(data + i, len - i, end, strlen(end));
        if (!e)
            return false;
        i = (size_t)(e - data) + strlen(end);
    }
}

struct logo {
    const struct xrm_user *user;
    const char *b64;
    const char *type;
};

static enum xrm_rc logo_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct logo *l = arg;
    char now[XRM_TIME_LEN];
    json_t *before = NULL, *after = NULL;
    xrm_clock_now(now);
    enum xrm_rc rc = xrm_company_load(db, &before, err);
    if (!rc)
        rc = xrm_company_db_logo(db, l->b64, l->type, now, err);
    if (!rc)
        rc = xrm_company_load(db, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, l->user, "update", "company_settings", 1, before, after, err);
    json_decref(before);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_company_logo_put(struct xrm_ctx *ctx, const char *type, const char *data,
                                 size_t len, json_t **out, struct xrm_err *err)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char *b64 = NULL;
    const char *t = NULL;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "changing the company logo", err);
    if (rc)
        return rc;
    if (len > XRM_LOGO_MAX)
        return xrm_errf(err, XRM_E_LIMIT, "the logo is larger than %d bytes", XRM_LOGO_MAX);
    if (type && strncmp(type, "image/png", 9) == 0 && len >= 8 && memcmp(data, png, 8) == 0)
        t = "image/png";
    else if (type && strncmp(type, "image/svg+xml", 13) == 0 && is_svg(data, len))
        t = "image/svg+xml";
    if (!t) {
        xrm_errf(err, XRM_E_INVALID, "the logo must be a PNG or SVG image");
        return xrm_err_code(err, "unsupported_media_type");
    }
    size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    b64 = xrm_malloc(n);
    sodium_bin2base64(b64, n, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    struct logo l = {.user = &ctx->user, .b64 = b64, .type = t};
    rc = xrm_store_write(ctx->store, logo_tx, &l, err);
    free(b64);
    if (!rc)
        rc = xrm_company_load(ctx->db, out, err);
    return rc;
}

enum xrm_rc xrm_company_logo_delete(struct xrm_ctx *ctx, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "changing the company logo", err);
    struct logo l = {.user = &ctx->user};
    if (!rc)
        rc = xrm_store_write(ctx->store, logo_tx, &l, err);
    return rc;
}

enum xrm_rc xrm_company_logo_get(struct xrm_ctx *ctx, unsigned char **data, size_t *len,
                                 const char **type, struct xrm_err *err)
{
    char *b64 = NULL, *t = NULL;
    *data = NULL;
    *len = 0;
    enum xrm_rc rc = xrm_company_db_logo_get(ctx->db, &b64, &t, err);
    if (!rc && !b64)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "the company has no logo");
    if (!rc) {
        size_t cap = strlen(b64), n = 0;
        unsigned char *bin = xrm_malloc(cap + 1);
        if (sodium_base642bin(bin, cap + 1, b64, cap, NULL, &n, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(bin);
            rc = xrm_errf(err, XRM_E_INTERNAL, "the stored logo cannot be read");
        } else {
            *data = bin;
            *len = n;
            *type = strcmp(t, "image/svg+xml") == 0 ? "image/svg+xml" : "image/png";
        }
    }
    free(b64);
    free(t);
    return rc;
}
