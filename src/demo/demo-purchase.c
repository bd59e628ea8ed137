/*
 * Purchase invoices of the demo: the first two suppliers (by name) with a
 * BTW-id each send a UBL invoice to Bouwgroep Van Dijk B.V., written with
 * io/ubl.h's writer (so they are what the official rules accept) and
 * uploaded through the domain as a purchasing user would; both are
 * "received" and matched by BTW-id. Dates are offsets from today.
 */
#include "demo/demo-purchase.h"
#include "domain/party/party.h"
#include "domain/srm/purchase-invoice.h"
#include "io/ubl.h"
#include "core/buf.h"
#include "core/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct {
    const char *number;
    int days_ago;
    const char *lines[2];
    long long qty1000[2], price[2];
    const char *vat[2];
} invoices[] = {
    {"VF-2026-0412",
     12,
     {"Levering bouwmaterialen project De Kade", "Transport en lossen"},
     {40000, 1000},
     {1875, 9500},
     {"21", "21"}},
    {"2026/7731",
     5,
     {"Vuren balken 45x120 mm", "Vakliteratuur houtbouw"},
     {120000, 2000},
     {685, 3950},
     {"21", "9"}},
};

static void date_back(int days, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, -days, out);
}

/* The UBL invoice i from supplier p (a party as the list gives it) into b. */
static int write_invoice(int i, json_t *p, struct xrm_buf *b, char *msg, size_t n)
{
    char date[XRM_DATE_LEN], due[XRM_DATE_LEN];
    json_t *lines = json_array(), *vat = json_array();
    long long base[2] = {0, 0}; /* 21, 9 */
    date_back(invoices[i].days_ago, date);
    date_back(invoices[i].days_ago - 30, due);
    for (int k = 0; k < 2; k++) {
        long long net = (invoices[i].qty1000[k] * invoices[i].price[k] + 500) / 1000;
        base[strcmp(invoices[i].vat[k], "21") == 0 ? 0 : 1] += net;
        json_array_append_new(
            lines, json_pack("{s:s, s:f, s:s, s:I, s:s, s:I}", "description", invoices[i].lines[k],
                             "quantity", (double)invoices[i].qty1000[k] / 1000, "unit", "stuk",
                             "unit_price", (json_int_t)invoices[i].price[k], "vat",
                             invoices[i].vat[k], "net", (json_int_t)net));
    }
    long long tax = 0;
    for (int r = 0; r < 2; r++) {
        if (!base[r])
            continue;
        long long amount = (base[r] * (r == 0 ? 21 : 9) + 50) / 100;
        tax += amount;
        json_array_append_new(vat, json_pack("{s:s, s:I, s:I}", "rate", r == 0 ? "21" : "9", "base",
                                             (json_int_t)base[r], "amount", (json_int_t)amount));
    }
    json_t *addr = json_array_get(json_object_get(p, "addresses"), 0);
    json_t *seller = json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?}", "legal_name",
                               json_string_value(json_object_get(p, "name")), "street",
                               json_string_value(json_object_get(addr, "street")), "postcode",
                               json_string_value(json_object_get(addr, "postcode")), "city",
                               json_string_value(json_object_get(addr, "city")), "country", "NL",
                               "kvk", json_string_value(json_object_get(p, "kvk")), "vat",
                               json_string_value(json_object_get(p, "vat")), "iban",
                               json_string_value(json_object_get(p, "iban")));
    json_t *inv = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:o, s:{s:I, s:o, s:I}}",
        "kind", "invoice", "number", invoices[i].number, "date", date, "due", due, "currency",
        "EUR", "seller", seller, "buyer", "name", "Bouwgroep Van Dijk B.V.", "kind", "organization",
        "street", "Vlampijpstraat 60", "postcode", "3534 AR", "city", "Utrecht", "country", "NL",
        "lines", lines, "totals", "net", (json_int_t)(base[0] + base[1]), "vat", vat, "gross",
        (json_int_t)(base[0] + base[1] + tax));
    int rc = xrm_ubl_write(inv, b, msg, n);
    json_decref(inv);
    return rc;
}

enum xrm_rc xrm_demo_purchase_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    json_t *page = NULL;
    int done = 0;
    enum xrm_rc rc = xrm_party_list(ctx, "role:supplier", 50, NULL, &page, err);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(page, "items"), i, p)
    {
        if (rc || done == 2)
            break;
        if (!json_string_value(json_object_get(p, "vat")))
            continue;
        struct xrm_buf b = XRM_BUF_INIT;
        char msg[200];
        json_t *out = NULL;
        if (write_invoice(done, p, &b, msg, sizeof msg) != 0)
            rc = xrm_errf(err, XRM_E_INTERNAL, "demo purchase invoice: %s", msg);
        else
            rc = xrm_purchase_invoice_upload(ctx, b.s, b.len, &out, err);
        json_decref(out);
        xrm_buf_release(&b);
        done++;
    }
    json_decref(page);
    if (!rc && progress)
        fprintf(progress, "demo: %d purchase invoices\n", done);
    return rc;
}
