/*
 * Unit tests of the UBL writer and reader (io/ubl.c).
 *
 * The writer's fixtures (mixed rates with discounts, exempt and 0%,
 * reverse charge to a Belgian buyer, a credit note, accents, a list of 60
 * lines) are written to $XRM_UBL_DIR (default build/ubl/); `make ubl-check`
 * then runs the official EN 16931 validation over every one of them.
 * Here: the XML says what the JSON says (numbers, categories, totals copied),
 * the reader gives back what was written (round trip) and reads the
 * standard's own example, and hostile XML is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "io/ubl.h"
#include "core/banned.h"

/* ---- fixtures: the contract's VAT arithmetic, by hand ---------------- */

static long long rdiv(__int128 n, long long d)
{
    bool neg = n < 0;
    if (neg)
        n = -n;
    __int128 q = (n + d / 2) / d;
    return (long long)(neg ? -q : q);
}

/* Adds a line (quantity in thousandths, discount in hundredths of a percent). */
static void line(json_t *lines, const char *desc, long long q1000, const char *unit,
                 long long price, long long disc100, const char *vat)
{
    long long net = rdiv((__int128)q1000 * price * (10000 - disc100), 1000LL * 10000);
    json_array_append_new(lines,
                          json_pack("{s:s, s:f, s:s?, s:I, s:f, s:s, s:I}", "description", desc,
                                    "quantity", (double)q1000 / 1000, "unit", unit, "unit_price",
                                    (json_int_t)price, "discount_pct", (double)disc100 / 100, "vat",
                                    vat, "net", (json_int_t)net));
}

static json_t *totals_of(const json_t *lines)
{
    static const char *order[] = {"21", "9", "0", "exempt", "reverse_charge"};
    json_t *vat = json_array();
    long long net = 0, tax = 0;
    for (size_t r = 0; r < 5; r++) {
        long long base = 0;
        bool any = false;
        size_t i;
        json_t *l;
        json_array_foreach(lines, i, l)
        {
            if (strcmp(json_string_value(json_object_get(l, "vat")), order[r]) == 0) {
                base += json_integer_value(json_object_get(l, "net"));
                any = true;
            }
        }
        if (!any)
            continue;
        long long pct = r == 0 ? 21 : r == 1 ? 9 : 0;
        long long amount = rdiv((__int128)base * pct, 100);
        net += base;
        tax += amount;
        json_array_append_new(vat, json_pack("{s:s, s:I, s:I}", "rate", order[r], "base",
                                             (json_int_t)base, "amount", (json_int_t)amount));
    }
    return json_pack("{s:I, s:o, s:I}", "net", (json_int_t)net, "vat", vat, "gross",
                     (json_int_t)(net + tax));
}

static json_t *seller(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "legal_name",
                     "Voorbeeld Software B.V.", "street", "Keizersgracht", "house_number", "100-A",
                     "postcode", "1015 AA", "city", "Amsterdam", "country", "NL", "kvk", "12345678",
                     "vat", "NL001234567B01", "iban", "NL91 ABNA 0417 1643 00", "bic", "ABNANL2A",
                     "email", "facturen@voorbeeld.nl", "phone", "+31 20 123 4567");
}

static json_t *buyer_nl(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name",
                     "Bakkerij De Korenschoof B.V.", "kind", "organization", "street",
                     "Dorpsstraat", "house_number", "12", "postcode", "3512 JE", "city", "Utrecht",
                     "country", "NL", "kvk", "87654321", "vat", "NL009876543B01", "email",
                     "administratie@korenschoof.nl", "debtor_number", "10001");
}

static json_t *invoice(const char *kind, const char *number, json_t *buyer, json_t *lines)
{
    json_t *inv = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "kind", kind, "number",
                            number, "date", "2026-12-07", "due", "2027-01-06", "currency", "EUR",
                            "seller", seller(), "buyer", buyer, "lines", lines);
    json_object_set_new(inv, "totals", totals_of(lines));
    return inv;
}

static const char *out_dir(void)
{
    const char *d = getenv("XRM_UBL_DIR");
    return d && *d ? d : "build/ubl";
}

/* Writes inv to <dir>/<name>.xml; returns the XML (the caller frees). */
static char *write_fixture(json_t *inv, const char *name)
{
    struct xrm_buf b = XRM_BUF_INIT;
    char err[256] = "";
    int rc = xrm_ubl_write(inv, &b, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "xrm_ubl_write %s: %s\n", name, err);
    assert_int_equal(rc, 0);
    assert_true(b.len > 0);
    char path[512], tmp[600];
    mkdir("build", 0777);
    mkdir(out_dir(), 0777);
    snprintf(path, sizeof path, "%s/%s.xml", out_dir(), name);
    /* written aside and renamed: `make unit` and `make ubl-check` may run side by side */
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.s, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, path), 0);
    return xrm_buf_detach(&b, NULL);
}

/* Reads xml back and checks the number, supplier VAT and totals against inv. */
static void round_trip(const char *xml, json_t *inv)
{
    json_t *r = NULL;
    char err[256] = "";
    int rc = xrm_ubl_read(xml, strlen(xml), &r, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "xrm_ubl_read: %s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(r, "kind")),
                        json_string_value(json_object_get(inv, "kind")));
    assert_string_equal(json_string_value(json_object_get(r, "number")),
                        json_string_value(json_object_get(inv, "number")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "supplier"), "vat")),
                        "NL001234567B01");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "supplier"), "kvk")),
                        "12345678");
    json_t *t = json_object_get(inv, "totals"), *rt = json_object_get(r, "totals");
    assert_int_equal(json_integer_value(json_object_get(rt, "net")),
                     json_integer_value(json_object_get(t, "net")));
    assert_int_equal(json_integer_value(json_object_get(rt, "gross")),
                     json_integer_value(json_object_get(t, "gross")));
    assert_true(json_equal(json_object_get(rt, "vat"), json_object_get(t, "vat")));
    assert_int_equal(json_array_size(json_object_get(r, "lines")),
                     json_array_size(json_object_get(inv, "lines")));
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(inv, "lines"), i, l)
    {
        json_t *rl = json_array_get(json_object_get(r, "lines"), i);
        assert_int_equal(json_integer_value(json_object_get(rl, "net")),
                         json_integer_value(json_object_get(l, "net")));
        assert_int_equal(json_integer_value(json_object_get(rl, "unit_price")),
                         json_integer_value(json_object_get(l, "unit_price")));
        assert_string_equal(json_string_value(json_object_get(rl, "vat")),
                            json_string_value(json_object_get(l, "vat")));
    }
    json_decref(r);
}

static void test_ubl_units(void **state)
{
    assert_string_equal(xrm_ubl_unit_code("uur"), "HUR");
    assert_string_equal(xrm_ubl_unit_code("Hour"), "HUR");
    assert_string_equal(xrm_ubl_unit_code("stuk"), "H87");
    assert_string_equal(xrm_ubl_unit_code("pcs"), "H87");
    assert_string_equal(xrm_ubl_unit_code("dag"), "DAY");
    assert_string_equal(xrm_ubl_unit_code("maand"), "MON");
    assert_string_equal(xrm_ubl_unit_code("km"), "KMT");
    assert_string_equal(xrm_ubl_unit_code("kg"), "KGM");
    assert_string_equal(xrm_ubl_unit_code("m"), "MTR");
    assert_string_equal(xrm_ubl_unit_code("m2"), "MTK");
    assert_string_equal(xrm_ubl_unit_code("doos"), "C62");
    assert_string_equal(xrm_ubl_unit_code(NULL), "C62");
}

/* 21% and 9% lines with discounts and a fractional quantity. */
static void test_ubl_mixed(void **state)
{
    json_t *lines = json_array();
    line(lines, "Consultancy", 12500, "uur", 9500, 0, "21");
    line(lines, "Licentie jaarabonnement", 1000, "stuk", 120000, 1250, "21");
    line(lines, "Boeken", 3000, "stuk", 2499, 1000, "9");
    line(lines, "Reiskosten", 1333, "km", 23, 0, "21");
    line(lines, "Opslag", 2750, "m2", 1234, 333, "9");
    json_t *inv = invoice("invoice", "2026-0001", buyer_nl(), lines);
    char *xml = write_fixture(inv, "01-mixed-discounts");
    assert_non_null(strstr(xml, "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:"
                                "Invoice-2\""));
    assert_non_null(strstr(xml, "<cbc:CustomizationID>" XRM_UBL_CUSTOMIZATION));
    assert_non_null(strstr(xml, "<cbc:InvoiceTypeCode>380<"));
    assert_non_null(strstr(xml, "<cbc:InvoicedQuantity unitCode=\"HUR\">12.5<"));
    assert_non_null(strstr(xml, "<cbc:InvoicedQuantity unitCode=\"KMT\">1.333<"));
    /* 1200.00 less 12.5% = 1050.00: allowance 150.00 */
    assert_non_null(strstr(xml, "<cbc:Amount currencyID=\"EUR\">150.00<"));
    assert_non_null(strstr(xml, "<cbc:PaymentMeansCode name=\"SEPA credit transfer\">58<"));
    assert_non_null(strstr(xml, "<cbc:ID>NL91ABNA0417164300</cbc:ID>"));
    assert_non_null(strstr(xml, "<cbc:CompanyID schemeID=\"0106\">12345678<"));
    assert_non_null(strstr(xml, "<cbc:CompanyID>NL001234567B01<"));
    assert_non_null(strstr(xml, "<cbc:DueDate>2027-01-06<"));
    round_trip(xml, inv);
    free(xml);
    json_decref(inv);
}

/* Exempt and 0% next to 21%. */
static void test_ubl_exempt_zero(void **state)
{
    json_t *lines = json_array();
    line(lines, "Training (vrijgesteld)", 8000, "uur", 7500, 0, "exempt");
    line(lines, "Export naar buiten de EU", 1000, NULL, 50000, 0, "0");
    line(lines, "Cursusmateriaal", 4000, "stuk", 1995, 500, "21");
    json_t *inv = invoice("invoice", "2026-0002", buyer_nl(), lines);
    char *xml = write_fixture(inv, "02-exempt-zero");
    assert_non_null(strstr(xml, "<cbc:ID>E</cbc:ID>"));
    assert_non_null(strstr(xml, "<cbc:TaxExemptionReason>Vrijgesteld van btw<"));
    assert_non_null(strstr(xml, "<cbc:ID>Z</cbc:ID>"));
    round_trip(xml, inv);
    free(xml);
    json_decref(inv);
}

/* Reverse charge to a Belgian company: AE, both VAT ids, English texts. */
static void test_ubl_reverse_charge(void **state)
{
    json_t *lines = json_array();
    line(lines, "Installation works", 16000, "hour", 8500, 0, "reverse_charge");
    line(lines, "Cables", 120000, "m", 145, 1000, "reverse_charge");
    json_t *buyer =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", "Brouwerij Het Anker NV",
                  "kind", "organization", "street", "Guido Gezellelaan", "house_number", "49",
                  "postcode", "2800", "city", "Mechelen", "country", "BE", "vat", "BE0404321765");
    json_t *inv = invoice("invoice", "2026-0003", buyer, lines);
    char *xml = write_fixture(inv, "03-reverse-charge");
    assert_non_null(strstr(xml, "<cbc:ID>AE</cbc:ID>"));
    assert_non_null(strstr(xml, "<cbc:TaxExemptionReason>Reverse charge<"));
    assert_non_null(strstr(xml, "<cbc:CompanyID>BE0404321765<"));
    round_trip(xml, inv);
    free(xml);

    /* without the buyer's VAT id reverse charge cannot be invoiced */
    json_object_del(json_object_get(inv, "buyer"), "vat");
    struct xrm_buf b = XRM_BUF_INIT;
    char err[256] = "";
    assert_int_equal(xrm_ubl_write(inv, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "VAT id"));
    assert_int_equal(b.len, 0);
    xrm_buf_release(&b);
    json_decref(inv);
}

/* A credit note of part of an invoice: positive amounts, the credited invoice's number. */
static void test_ubl_credit_note(void **state)
{
    json_t *lines = json_array();
    line(lines, "Consultancy (teveel gefactureerd)", 2000, "uur", 9500, 0, "21");
    line(lines, "Boeken retour", 1000, "stuk", 2499, 1000, "9");
    json_t *inv = invoice("credit_note", "C2026-0001", buyer_nl(), lines);
    json_object_set_new(inv, "credit_of_number", json_string("2026-0001"));
    char *xml = write_fixture(inv, "04-credit-note");
    assert_non_null(strstr(xml, "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:"
                                "xsd:CreditNote-2\""));
    assert_non_null(strstr(xml, "<cbc:CreditNoteTypeCode>381<"));
    assert_non_null(strstr(xml, "<cac:InvoiceDocumentReference>"));
    assert_non_null(strstr(xml, "<cbc:ID>2026-0001</cbc:ID>"));
    assert_non_null(strstr(xml, "<cbc:CreditedQuantity unitCode=\"HUR\">2<"));
    assert_null(strstr(xml, "<cbc:DueDate>"));
    round_trip(xml, inv);
    free(xml);
    json_decref(inv);
}

/* A private person with accents and characters XML must escape. */
static void test_ubl_accents(void **state)
{
    json_t *lines = json_array();
    line(lines, "Crème brûlée & <taart> \"speciaal\"\nmet slagroom", 3000, "stuk", 450, 0, "9");
    line(lines, "Bezorging naar Zoë's café", 1000, NULL, 1250, 0, "21");
    json_t *buyer =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", "Zoë Ångström-Çelik", "kind",
                  "person", "street", "Église-straat", "house_number", "3 bis", "postcode",
                  "9711 AB", "city", "Groningen", "country", "NL", "email", "zoe@example.nl");
    json_t *inv = invoice("invoice", "2026-0004", buyer, lines);
    json_object_set_new(inv, "note", json_string("Bedankt voor uw bestelling – tot ziens!"));
    char *xml = write_fixture(inv, "05-accents-person");
    assert_non_null(strstr(xml, "Zoë Ångström-Çelik"));
    assert_non_null(strstr(xml, "Crème brûlée &amp; &lt;taart&gt;"));
    assert_null(strstr(xml, "<cbc:CompanyID schemeID=\"0106\">87654321"));
    round_trip(xml, inv);
    json_t *r = NULL;
    char err[128];
    assert_int_equal(xrm_ubl_read(xml, strlen(xml), &r, err, sizeof err), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "buyer"), "name")),
                        "Zoë Ångström-Çelik");
    json_decref(r);
    free(xml);
    json_decref(inv);
}

/* Sixty lines (two pages of PDF), every rate and many discounts. */
static void test_ubl_long(void **state)
{
    static const char *rates[] = {"21", "9", "0", "21", "9"};
    json_t *lines = json_array();
    for (int i = 0; i < 60; i++) {
        char desc[64];
        snprintf(desc, sizeof desc, "Artikel %02d – onderdeel", i + 1);
        line(lines, desc, 1000 + i * 137, i % 3 ? "stuk" : "kg", 99 + i * 1011, (i % 7) * 250,
             rates[i % 5]);
    }
    json_t *inv = invoice("invoice", "2026-0005", buyer_nl(), lines);
    char *xml = write_fixture(inv, "06-sixty-lines");
    assert_non_null(strstr(xml, "<cbc:ID>60</cbc:ID>"));
    round_trip(xml, inv);
    free(xml);
    json_decref(inv);
}

static void test_ubl_write_refuses(void **state)
{
    struct xrm_buf b = XRM_BUF_INIT;
    char err[256] = "";
    json_t *lines = json_array();
    line(lines, "x", 1000, NULL, 100, 0, "21");
    json_t *inv = invoice("invoice", "2026-0009", buyer_nl(), lines);
    json_object_del(inv, "number");
    assert_int_equal(xrm_ubl_write(inv, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "no number"));
    json_object_set_new(inv, "number", json_string("2026-0009"));
    json_array_append_new(json_object_get(json_object_get(inv, "totals"), "vat"),
                          json_pack("{s:s, s:i, s:i}", "rate", "6", "base", 1, "amount", 0));
    assert_int_equal(xrm_ubl_write(inv, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown VAT rate '6'"));
    assert_int_equal(b.len, 0);
    xrm_buf_release(&b);
    json_decref(inv);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct xrm_buf b = XRM_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        xrm_buf_add(&b, chunk, n);
    fclose(f);
    return xrm_buf_detach(&b, NULL);
}

/* The vendor directory: $XRM_EN16931_DIR, ../shared/vendor/en16931-ubl, /work/shared/... */
static char *example_valid(void)
{
    const char *env = getenv("XRM_EN16931_DIR");
    const char *dirs[] = {env, "../shared/vendor/en16931-ubl", "/work/shared/vendor/en16931-ubl"};
    for (size_t i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/example-valid.xml", dirs[i]);
        char *s = slurp(path);
        if (s)
            return s;
    }
    return NULL;
}

/* The standard's own example: a Dutch invoice with 6% and 21%. */
static void test_ubl_read_example(void **state)
{
    char *xml = example_valid();
    assert_non_null(xml);
    json_t *r = NULL;
    char err[256] = "";
    int rc = xrm_ubl_read(xml, strlen(xml), &r, err, sizeof err);
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(r, "kind")), "invoice");
    assert_string_equal(json_string_value(json_object_get(r, "number")), "12115118");
    assert_string_equal(json_string_value(json_object_get(r, "date")), "2015-01-09");
    assert_string_equal(json_string_value(json_object_get(r, "due")), "2015-01-09");
    json_t *s = json_object_get(r, "supplier");
    assert_string_equal(json_string_value(json_object_get(s, "name")), "De Koksmaat");
    assert_string_equal(json_string_value(json_object_get(s, "vat")), "NL8200.98.395.B.01");
    assert_string_equal(json_string_value(json_object_get(s, "kvk")), "57151520");
    assert_string_equal(json_string_value(json_object_get(s, "city")), "Velsen-Noord");
    assert_string_equal(json_string_value(json_object_get(s, "country")), "NL");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "buyer"), "name")),
                        "ODIN 59");
    json_t *t = json_object_get(r, "totals");
    assert_int_equal(json_integer_value(json_object_get(t, "net")), 22960);
    assert_int_equal(json_integer_value(json_object_get(t, "gross")), 25033);
    json_t *want = json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}]", "rate", "6", "base", 18323,
                             "amount", 1099, "rate", "21", "base", 4637, "amount", 974);
    assert_true(json_equal(json_object_get(t, "vat"), want));
    json_decref(want);
    json_t *lines = json_object_get(r, "lines");
    assert_int_equal(json_array_size(lines), 20);
    json_t *last = json_array_get(lines, 19);
    assert_int_equal(json_integer_value(json_object_get(last, "net")), -10998);
    assert_int_equal(json_integer_value(json_object_get(last, "unit_price")), 1833);
    assert_string_equal(json_string_value(json_object_get(last, "description")),
                        "FRITUUR VET 10 KG RETOUR");
    json_decref(r);
    free(xml);
}

static void expect_refused(const char *xml, const char *msg)
{
    json_t *r = NULL;
    char err[256] = "";
    assert_int_equal(xrm_ubl_read(xml, strlen(xml), &r, err, sizeof err), -1);
    assert_null(r);
    if (!strstr(err, msg))
        fprintf(stderr, "message: %s\n", err);
    assert_non_null(strstr(err, msg));
}

static void test_ubl_read_hostile(void **state)
{
    expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                   "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                   "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">"
                   "&lol2;</Invoice>",
                   "DOCTYPE");
    expect_refused("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "
                   "\"file:///etc/passwd\">]><Invoice>&xxe;</Invoice>",
                   "DOCTYPE");
    expect_refused("<!DOCTYPE Invoice SYSTEM \"http://example.com/x.dtd\"><Invoice/>", "DOCTYPE");
    expect_refused("<html><body>hi</body></html>", "not a UBL Invoice or CreditNote");
    expect_refused("<Invoice><cbc:ID>1</cbc:ID></Invoice>", "not a UBL Invoice or CreditNote");
    expect_refused("<Invoice><a></Invoice>", "not well-formed");
    expect_refused("<Invoice>no namespace</Invoice>", "not a UBL Invoice or CreditNote");
    expect_refused("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>",
                   "no number");
    expect_refused("not xml at all", "not well-formed");
    expect_refused("", "empty");
    /* deep nesting stops at libxml2's limit */
    struct xrm_buf b = XRM_BUF_INIT;
    for (int i = 0; i < 5000; i++)
        xrm_buf_adds(&b, "<a>");
    expect_refused(b.s, "not well-formed");
    xrm_buf_release(&b);
}

/* A bad amount in a supplier's file is an error, not a zero. */
static void test_ubl_read_bad_amount(void **state)
{
    char *xml = example_valid();
    assert_non_null(xml);
    char *p = strstr(xml, "229.60</cbc:TaxExclusiveAmount>");
    assert_non_null(p);
    memcpy(p, "2x9.60", 6);
    expect_refused(xml, "'2x9.60' is not an amount");
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ubl_units),
        cmocka_unit_test(test_ubl_mixed),
        cmocka_unit_test(test_ubl_exempt_zero),
        cmocka_unit_test(test_ubl_reverse_charge),
        cmocka_unit_test(test_ubl_credit_note),
        cmocka_unit_test(test_ubl_accents),
        cmocka_unit_test(test_ubl_long),
        cmocka_unit_test(test_ubl_write_refuses),
        cmocka_unit_test(test_ubl_read_example),
        cmocka_unit_test(test_ubl_read_hostile),
        cmocka_unit_test(test_ubl_read_bad_amount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
