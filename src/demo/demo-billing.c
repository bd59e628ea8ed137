/*
 * The quotes and invoices of the demo data set (demo-billing.h), in one
 * write through the public calls of the billing domain, so the documents
 * pass the rules typed-in ones pass (and the EN 16931 validation of their
 * UBL). Dates are offsets from today (core/clock.h), so each run gives the
 * same documents relative to its day; the numbers follow from the order.
 */
#include "demo/demo-billing.h"
#include "domain/billing/company.h"
#include "domain/billing/invoice.h"
#include "domain/billing/quote.h"
#include "domain/party/party.h"
#include "domain/records/deal.h"
#include "core/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* The demo company: valid KvK, BTW-id (mod 97) and IBAN check digits. */
static const char company[] =
    "{\"legal_name\": \"Zonnewijzer Software B.V.\", \"street\": \"Stationsplein\","
    " \"house_number\": \"12\", \"postcode\": \"3511 ED\", \"city\": \"Utrecht\","
    " \"country\": \"NL\", \"kvk\": \"85321147\", \"vat\": \"NL853211479B09\","
    " \"iban\": \"NL71RABO0317465712\", \"bic\": \"RABONL2U\","
    " \"email\": \"facturen@zonnewijzer.example\", \"phone\": \"+31302001122\","
    " \"payment_days\": 30, \"email_footer\": \"Met vriendelijke groet, Zonnewijzer Software\"}";

/* The customers of the documents: accents in their names, one with a BTW-id. */
static const struct {
    const char *name, *street, *number, *postcode, *city, *vat, *kvk;
} customers[] = {
    {"Bakkerij Brûlée & Zoën", "Oudegracht", "231", "3511 NK", "Utrecht", NULL, NULL},
    {"Café De Gouden Leeuw", "Grote Markt", "7", "9711 LV", "Groningen", NULL, NULL},
    {"Müller Installatietechniek B.V.", "Industrieweg", "44", "5652 AE", "Eindhoven",
     "NL004512397B72", "45123970"},
    {"Zorggroep Ærdenhout", "Kerkweg", "3", "2111 AB", "Aerdenhout", NULL, NULL},
};
#define NCUST (sizeof(customers) / sizeof(customers[0]))

static json_t *line(const char *desc, double qty, const char *unit, int64_t price, double disc,
                    const char *vat)
{
    json_t *l = json_pack("{s:s, s:f, s:I, s:s}", "description", desc, "quantity", qty,
                          "unit_price", (json_int_t)price, "vat", vat);
    if (unit)
        json_object_set_new(l, "unit", json_string(unit));
    if (disc > 0)
        json_object_set_new(l, "discount_pct", json_real(disc));
    return l;
}

struct load {
    const struct xrm_user *user;
    int64_t party[NCUST];
    int quotes, invoices;
};

static void day(int offset, char out[XRM_DATE_LEN])
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    xrm_date_add_days(today, offset, out);
}

static enum xrm_rc quote(struct xrm_db *db, struct load *l, int64_t party, int64_t deal,
                         int date_off, json_t *lines, const char *to, struct xrm_err *err)
{
    char date[XRM_DATE_LEN], until[XRM_DATE_LEN];
    json_t *q = NULL;
    day(date_off, date);
    day(date_off + 60, until); /* still valid today: the accepted one was accepted in time */
    json_t *in = json_pack("{s:I, s:s, s:s, s:o}", "party", (json_int_t)party, "date", date,
                           "valid_until", until, "lines", lines);
    if (deal)
        json_object_set_new(in, "deal", json_integer(deal));
    enum xrm_rc rc = xrm_quote_insert_tx(db, l->user, in, &q, err);
    int64_t id = json_integer_value(json_object_get(q, "id"));
    if (!rc && to)
        rc = xrm_quote_move_tx(db, l->user, id, "sent", NULL, err);
    if (!rc && to && strcmp(to, "accepted") == 0)
        rc = xrm_quote_move_tx(db, l->user, id, "accepted", NULL, err);
    json_decref(in);
    json_decref(q);
    l->quotes++;
    return rc;
}

/* An invoice for party issued date_off days from today; *id its id. */
static enum xrm_rc invoice(struct xrm_db *db, struct load *l, int64_t party, int date_off,
                           json_t *lines, int64_t *id, struct xrm_err *err)
{
    char date[XRM_DATE_LEN];
    json_t *inv = NULL;
    day(date_off, date);
    json_t *in = json_pack("{s:I, s:o}", "party", (json_int_t)party, "lines", lines);
    enum xrm_rc rc = xrm_invoice_insert_tx(db, l->user, in, &inv, err);
    *id = json_integer_value(json_object_get(inv, "id"));
    if (!rc)
        rc = xrm_invoice_issue_tx(db, l->user, *id, date, NULL, err);
    json_decref(in);
    json_decref(inv);
    l->invoices++;
    return rc;
}

static enum xrm_rc pay(struct xrm_db *db, struct load *l, int64_t id, int64_t amount, int date_off,
                       struct xrm_err *err)
{
    char date[XRM_DATE_LEN];
    day(date_off, date);
    json_t *in = json_pack("{s:I, s:s}", "amount", (json_int_t)amount, "date", date);
    enum xrm_rc rc = xrm_invoice_pay_tx(db, l->user, id, in, err);
    json_decref(in);
    return rc;
}

static int64_t gross(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    json_t *inv = NULL;
    int64_t g = 0;
    if (xrm_invoice_load(db, id, &inv, err) == XRM_OK)
        g = json_integer_value(json_object_get(json_object_get(inv, "totals"), "gross"));
    json_decref(inv);
    return g;
}

static enum xrm_rc load_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct load *l = arg;
    json_t *settings = json_loads(company, 0, NULL);
    int64_t deal = 0, id = 0;
    enum xrm_rc rc = xrm_company_put_tx(db, settings, err);
    json_decref(settings);
    for (size_t i = 0; !rc && i < NCUST; i++) {
        json_t *p =
            json_pack("{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s, s:s}], s:[{s:s, s:s}]}", "kind",
                      "organization", "name", customers[i].name, "addresses", "label", "billing",
                      "street", customers[i].street, "house_number", customers[i].number,
                      "postcode", customers[i].postcode, "city", customers[i].city, "country", "NL",
                      "emails", "label", "work", "value", "administratie@klant.example");
        if (customers[i].vat)
            json_object_set_new(p, "vat", json_string(customers[i].vat));
        if (customers[i].kvk)
            json_object_set_new(p, "kvk", json_string(customers[i].kvk));
        rc = xrm_party_insert_tx(db, l->user, p, true, &l->party[i], err);
        json_decref(p);
    }
    if (rc)
        return rc;
    /* quotes: a draft, a sent one, and one accepted for the deal it won */
    json_t *d = NULL,
           *dealin = json_pack("{s:I, s:s, s:I}", "party", (json_int_t)l->party[1], "title",
                               "Kassasysteem en webwinkel", "amount", (json_int_t)485000);
    rc = xrm_deal_insert_tx(db, l->user, dealin, &d, err);
    deal = json_integer_value(json_object_get(d, "id"));
    json_decref(dealin);
    json_decref(d);
    if (!rc)
        rc = quote(db, l, l->party[0], 0, -2,
                   json_pack("[o, o]", line("Bestelapp voor de winkel", 1, NULL, 350000, 0, "21"),
                             line("Training personeel", 6, "uur", 9500, 0, "exempt")),
                   NULL, err);
    if (!rc)
        rc = quote(db, l, l->party[3], 0, -9,
                   json_pack("[o, o]", line("Roosterkoppeling", 1, NULL, 240000, 10, "21"),
                             line("Handleiding (boek)", 20, "stuk", 2495, 0, "9")),
                   "sent", err);
    if (!rc)
        rc = quote(db, l, l->party[1], deal, -40,
                   json_pack("[o, o, o]", line("Kassasysteem", 1, NULL, 320000, 0, "21"),
                             line("Webwinkel", 1, NULL, 145000, 0, "21"),
                             line("Installatie", 2.5, "uur", 8000, 0, "21")),
                   "accepted", err);
    /* invoices over the last months */
    /* in date order, as their numbers are */
    if (!rc) /* mixed rates, paid */
        rc = invoice(db, l, l->party[0], -95,
                     json_pack("[o, o, o]", line("Ontwerp huisstijl", 12.5, "uur", 8500, 0, "21"),
                               line("Receptenboek", 40, "stuk", 1995, 33.33, "9"),
                               line("Verzending buitenland", 1, NULL, 2500, 0, "0")),
                     &id, err);
    if (!rc)
        rc = pay(db, l, id, gross(db, id, err), -70, err);
    if (!rc) /* overdue: issued two months ago, nothing paid */
        rc = invoice(db, l, l->party[3], -62,
                     json_pack("[o, o]", line("Licentie planning (jaar)", 1, NULL, 180000, 0, "21"),
                               line("Cursus (vrijgesteld)", 1, NULL, 60000, 0, "exempt")),
                     &id, err);
    if (!rc) /* credited in full by a credit note */
        rc = invoice(
            db, l, l->party[0], -50,
            json_pack("[o]", line("Dubbel gefactureerd onderhoud", 1, "maand", 12500, 0, "21")),
            &id, err);
    if (!rc) {
        char date[XRM_DATE_LEN];
        day(-45, date);
        json_t *in = json_pack("{s:s}", "note", "Onderhoud was al gefactureerd");
        rc = xrm_invoice_credit_tx(db, l->user, id, in, date, NULL, err);
        json_decref(in);
        l->invoices++;
    }
    if (!rc) /* the accepted quote's work, partly paid */
        rc = invoice(db, l, l->party[1], -35,
                     json_pack("[o, o, o]", line("Kassasysteem", 1, NULL, 320000, 0, "21"),
                               line("Webwinkel", 1, NULL, 145000, 0, "21"),
                               line("Installatie", 2.5, "uur", 8000, 0, "21")),
                     &id, err);
    if (!rc)
        rc = pay(db, l, id, 200000, -20, err);
    if (!rc) /* reverse charge to a company with a BTW-id */
        rc = invoice(db, l, l->party[2], -28,
                     json_pack("[o, o]",
                               line("Montage zonnepanelen (btw verlegd)", 3, "dag", 64000, 0,
                                    "reverse_charge"),
                               line("Kraanhuur", 1, "dag", 45000, 0, "reverse_charge")),
                     &id, err);
    return rc;
}

enum xrm_rc xrm_demo_billing_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    struct load l = {.user = &ctx->user};
    enum xrm_rc rc = xrm_store_write(ctx->store, load_tx, &l, err);
    if (!rc && progress)
        fprintf(progress, "demo: %d quotes, %d invoices and credit notes\n", l.quotes, l.invoices);
    return rc;
}
