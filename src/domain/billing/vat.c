/*
 * VAT arithmetic (vat.h): line nets and totals per rate in exact integer
 * arithmetic, and the checking of request lines with field errors that
 * name the line ("lines[2].vat").
 */
#include "domain/billing/vat.h"
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_vat_rates[] = {"21", "9", "0", "exempt", "reverse_charge", NULL};

int64_t xrm_vat_div_round(__int128 num, int64_t den)
{
    if (num >= 0)
        return (int64_t)((num + den / 2) / den);
    return -(int64_t)((-num + den / 2) / den);
}

int64_t xrm_vat_line_net(int64_t qty_milli, int64_t unit_price, int64_t discount_centi)
{
    __int128 p = (__int128)qty_milli * unit_price * (10000 - discount_centi);
    return xrm_vat_div_round(p, 10000000); /* 1000 (quantity) x 10000 (discount) */
}

int64_t xrm_vat_amount(int64_t base, const char *rate)
{
    int pct = 0;
    if (rate && strcmp(rate, "21") == 0)
        pct = 21;
    else if (rate && strcmp(rate, "9") == 0)
        pct = 9;
    return pct ? xrm_vat_div_round((__int128)base * pct, 100) : 0;
}

json_t *xrm_vat_totals(json_t *lines)
{
    int64_t base[5] = {0}, net = 0, gross = 0;
    int present[5] = {0};
    size_t i;
    json_t *l, *vat = json_array();
    json_array_foreach(lines, i, l)
    {
        const char *r = json_string_value(json_object_get(l, "vat"));
        for (int k = 0; xrm_vat_rates[k]; k++)
            if (r && strcmp(r, xrm_vat_rates[k]) == 0) {
                base[k] += json_integer_value(json_object_get(l, "net"));
                present[k] = 1;
            }
    }
    for (int k = 0; xrm_vat_rates[k]; k++) {
        if (!present[k])
            continue;
        int64_t amount = xrm_vat_amount(base[k], xrm_vat_rates[k]);
        json_array_append_new(vat, json_pack("{s:s, s:I, s:I}", "rate", xrm_vat_rates[k], "base",
                                             (json_int_t)base[k], "amount", (json_int_t)amount));
        net += base[k];
        gross += base[k] + amount;
    }
    return json_pack("{s:I, s:o, s:I}", "net", (json_int_t)net, "vat", vat, "gross",
                     (json_int_t)gross);
}

/* A JSON number as an integer count of 1/scale, exact to that scale; false otherwise. */
static bool scaled(json_t *v, int64_t scale, int64_t *out)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n > INT64_MAX / scale || n < INT64_MIN / scale)
            return false;
        *out = (int64_t)n * scale;
        return true;
    }
    if (!json_is_real(v))
        return false;
    double d = json_real_value(v) * (double)scale;
    if (!isfinite(d) || fabs(d) > 9e15)
        return false;
    double r = round(d);
    if (fabs(d - r) > 1e-6)
        return false;
    *out = (int64_t)r;
    return true;
}

static json_t *scaled_json(int64_t v, int64_t scale)
{
    if (v % scale == 0)
        return json_integer(v / scale);
    return json_real((double)v / (double)scale);
}

/* One line: field errors under prefix ("lines[2]."); *out the stored line or NULL. */
static void read_line(json_t *in, const char *prefix, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"description",  "quantity", "unit", "unit_price",
                                       "discount_pct", "vat",      "net",  NULL};
    const char *desc = NULL, *unit = NULL, *vat = NULL;
    int64_t qty = 0, price = 0, disc = 0;
    int nf = err->nfields;
    char f[96];

    *out = NULL;
    if (!json_is_object(in)) {
        snprintf(f, sizeof(f), "%.*s", (int)strlen(prefix) - 1, prefix);
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
        return;
    }
    xrm_json_only_keys(in, prefix, keys, err);
    xrm_json_get_str(in, prefix, "description", 500, true, &desc, err);
    xrm_json_get_str(in, prefix, "unit", 20, false, &unit, err);
    xrm_json_get_int(in, prefix, "unit_price", 0, XRM_VAT_PRICE_MAX, true, &price, err);

    json_t *q = json_object_get(in, "quantity");
    snprintf(f, sizeof(f), "%squantity", prefix);
    if (!q || json_is_null(q))
        xrm_err_field(err, XRM_E_INVALID, f, "is required");
    else if (!json_is_number(q))
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a number");
    else if (!scaled(q, 1000, &qty))
        xrm_err_field(err, XRM_E_INVALID, f, "must have at most 3 decimals");
    else if (qty <= 0 || qty > XRM_VAT_QTY_MAX_MILLI)
        xrm_err_field(err, XRM_E_INVALID, f, "must be more than 0 and at most 1000000");

    json_t *d = json_object_get(in, "discount_pct");
    snprintf(f, sizeof(f), "%sdiscount_pct", prefix);
    if (d && !json_is_null(d)) {
        if (!json_is_number(d))
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be a number");
        else if (!scaled(d, 100, &disc))
            xrm_err_field(err, XRM_E_INVALID, f, "must have at most 2 decimals");
        else if (disc < 0 || disc > 10000)
            xrm_err_field(err, XRM_E_INVALID, f, "must be between 0 and 100");
    }

    json_t *v = json_object_get(in, "vat");
    snprintf(f, sizeof(f), "%svat", prefix);
    if (!v || json_is_null(v))
        xrm_err_field(err, XRM_E_INVALID, f, "is required");
    else if (!json_is_string(v))
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be a string");
    else {
        vat = json_string_value(v);
        bool ok = false;
        for (int k = 0; xrm_vat_rates[k]; k++)
            ok = ok || strcmp(vat, xrm_vat_rates[k]) == 0;
        if (!ok)
            xrm_err_field(err, XRM_E_INVALID, f, "must be one of 21, 9, 0, exempt, reverse_charge");
    }
    if (err->nfields > nf)
        return;
    json_t *line = json_object();
    json_object_set_new(line, "description", json_string(desc));
    json_object_set_new(line, "quantity", scaled_json(qty, 1000));
    json_object_set_new(line, "unit", unit && unit[0] ? json_string(unit) : json_null());
    json_object_set_new(line, "unit_price", json_integer(price));
    json_object_set_new(line, "discount_pct", scaled_json(disc, 100));
    json_object_set_new(line, "vat", json_string(vat));
    json_object_set_new(line, "net", json_integer(xrm_vat_line_net(qty, price, disc)));
    *out = line;
}

enum xrm_rc xrm_vat_lines(json_t *in, json_t **lines_out, json_t **totals_out, struct xrm_err *err)
{
    int nf = err->nfields;
    json_t *lines = json_array();
    size_t i;
    json_t *l;

    if (!json_is_array(in)) {
        json_decref(lines);
        return xrm_err_field(err, XRM_E_MALFORMED, "lines", "must be an array");
    }
    if (json_array_size(in) > XRM_VAT_MAX_LINES) {
        json_decref(lines);
        return xrm_err_field(err, XRM_E_INVALID, "lines", "must have at most %d lines",
                             XRM_VAT_MAX_LINES);
    }
    json_array_foreach(in, i, l)
    {
        char prefix[32];
        json_t *line = NULL;
        snprintf(prefix, sizeof(prefix), "lines[%zu].", i);
        read_line(l, prefix, &line, err);
        if (line)
            json_array_append_new(lines, line);
    }
    if (err->nfields > nf) {
        json_decref(lines);
        return err->rc ? err->rc : XRM_E_INVALID;
    }
    *totals_out = xrm_vat_totals(lines);
    *lines_out = lines;
    return XRM_OK;
}
