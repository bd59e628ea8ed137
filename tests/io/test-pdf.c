/*
 * Unit tests of the document renderer (io/pdf.c): the notations of amounts,
 * dates, quantities and percentages as tables; then the fixtures of
 * tests/io/data/ rendered to PDF and read back with poppler's
 * `pdftotext -layout` (number, dates, VAT lines and totals in Dutch
 * notation, names with accents, page numbers, the reverse-charge note), the
 * preview PNG decoded and its pixels looked at (the logo drawn, or left out
 * when broken), and renders from several threads at once.
 *
 * Runs from the repository root (as `make unit` does); the PDFs are kept in
 * build/test-pdf/ to be looked at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "io/pdf.h"
#include "core/banned.h"

#define DATA "tests/io/data/"
#define OUT "build/test-pdf/"

/* ---- notations ---- */

static void test_amounts(void **state)
{
    (void)state;
    static const struct {
        int64_t cents;
        const char *lang, *want;
    } cases[] = {
        {0, "nl", "€ 0,00"},
        {1, "nl", "€ 0,01"},
        {99, "nl", "€ 0,99"},
        {100, "nl", "€ 1,00"},
        {123456, "nl", "€ 1.234,56"},
        {100000, "nl", "€ 1.000,00"},
        {99999, "nl", "€ 999,99"},
        {123456789, "nl", "€ 1.234.567,89"},
        {-1200, "nl", "-€ 12,00"},
        {-5, "nl", "-€ 0,05"},
        {-123456, "nl", "-€ 1.234,56"},
        {123456, "en", "€1,234.56"},
        {-1200, "en", "-€12.00"},
        {123456789, "en", "€1,234,567.89"},
        {5, NULL, "€ 0,05"},
        {INT64_MIN, "nl", "-€ 92.233.720.368.547.758,08"},
        {INT64_MAX, "en", "€92,233,720,368,547,758.07"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[64];
        xrm_pdf_fmt_amount(got, sizeof(got), cases[i].cents, cases[i].lang);
        assert_string_equal(got, cases[i].want);
    }
    /* a short destination is cut, never overrun */
    char tiny[6];
    xrm_pdf_fmt_amount(tiny, sizeof(tiny), 123456, "nl");
    assert_true(strlen(tiny) < sizeof(tiny));
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *ymd, *lang, *want;
        bool ok;
    } cases[] = {
        {"2026-12-07", "nl", "7 december 2026", true},
        {"2026-12-07", "en", "7 December 2026", true},
        {"2027-01-06", "nl", "6 januari 2027", true},
        {"2026-03-31", "nl", "31 maart 2026", true},
        {"2026-05-01", "en", "1 May 2026", true},
        {"2026-08-15", "nl", "15 augustus 2026", true},
        {"2026-13-01", "nl", "2026-13-01", false},
        {"2026-00-10", "nl", "2026-00-10", false},
        {"2026-12-32", "nl", "2026-12-32", false},
        {"2026-1-7", "nl", "2026-1-7", false},
        {"7 december", "nl", "7 december", false},
        {"", "nl", "", false},
        {NULL, "nl", "", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[64];
        bool ok = xrm_pdf_fmt_date(got, sizeof(got), cases[i].ymd, cases[i].lang);
        assert_string_equal(got, cases[i].want);
        assert_int_equal(ok, cases[i].ok);
    }
}

static void test_quantities_and_percentages(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        bool percent;
        const char *lang, *want;
    } cases[] = {
        {1500, false, "nl", "1,5"},
        {1500, false, "en", "1.5"},
        {1000, false, "nl", "1"},
        {250, false, "nl", "0,25"},
        {1, false, "nl", "0,001"},
        {1000000, false, "nl", "1.000"},
        {1234567, false, "nl", "1.234,567"},
        {1234567, false, "en", "1,234.567"},
        {1000000000, false, "nl", "1.000.000"},
        {1250, true, "nl", "12,5%"},
        {1250, true, "en", "12.5%"},
        {1000, true, "nl", "10%"},
        {33, true, "nl", "0,33%"},
        {10000, true, "nl", "100%"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[64];
        if (cases[i].percent)
            xrm_pdf_fmt_percent(got, sizeof(got), cases[i].v, cases[i].lang);
        else
            xrm_pdf_fmt_quantity(got, sizeof(got), cases[i].v, cases[i].lang);
        assert_string_equal(got, cases[i].want);
    }
}

/* ---- helpers ---- */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct xrm_buf b = XRM_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        xrm_buf_add(&b, chunk, n);
    fclose(f);
    return (unsigned char *)xrm_buf_detach(&b, len);
}

static json_t *fixture(const char *name)
{
    json_error_t jerr;
    char path[256];
    snprintf(path, sizeof(path), DATA "%s", name);
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc)
        fail_msg("%s: %s", path, jerr.text);
    return doc;
}

/* Renders doc as OUT<name>.pdf and returns `pdftotext -layout` of it (the caller frees). */
static char *pdf_text(const json_t *doc, const struct xrm_pdf_opts *o, const char *name)
{
    struct xrm_buf pdf = XRM_BUF_INIT;
    char err[256] = "";
    int rc = xrm_pdf_render(doc, o, &pdf, err, sizeof(err));
    if (rc != 0)
        fail_msg("render %s: %s", name, err);
    assert_true(pdf.len > 1000);
    assert_memory_equal(pdf.s, "%PDF-", 5);
    mkdir("build", 0777);
    mkdir(OUT, 0777);
    char path[256], cmd[600];
    snprintf(path, sizeof(path), OUT "%s.pdf", name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf.s, 1, pdf.len, f), pdf.len);
    fclose(f);
    xrm_buf_release(&pdf);

    snprintf(cmd, sizeof(cmd), "pdftotext -layout -enc UTF-8 '%s' -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct xrm_buf text = XRM_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        xrm_buf_add(&text, chunk, n);
    if (pclose(p) != 0)
        fail_msg("pdftotext failed on %s (is poppler-utils installed?)", path);
    return xrm_buf_detach(&text, NULL);
}

static void has(const char *text, const char *want)
{
    if (!strstr(text, want)) {
        fprintf(stderr, "'%s' not in the PDF's text:\n%s\n", want, text);
        fail();
    }
}

static void lacks(const char *text, const char *unwanted)
{
    if (strstr(text, unwanted)) {
        fprintf(stderr, "'%s' in the PDF's text:\n%s\n", unwanted, text);
        fail();
    }
}

static int count(const char *text, const char *s)
{
    int n = 0;
    for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
        n++;
    return n;
}

/* ---- documents ---- */

static void test_invoice_nl(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    size_t logo_len;
    unsigned char *logo = slurp(DATA "logo.png", &logo_len);
    struct xrm_pdf_opts o = {.type = "invoice",
                             .lang = "nl",
                             .logo = logo,
                             .logo_len = logo_len,
                             .logo_type = "image/png"};
    char *t = pdf_text(doc, &o, "invoice-nl");
    has(t, "Factuur");
    has(t, "2026-0007");
    has(t, "Café De Gouden Leeuw B.V.");
    has(t, "Voorbeeld Software B.V.");
    has(t, "KvK 12345678");
    has(t, "Btw-id NL123456789B01");
    has(t, "IBAN NL91 ABNA 0417 1643 00");
    has(t, "Btw-id: NL987654321B01");
    has(t, "Debiteurnummer: 10001");
    has(t, "7 december 2026");
    has(t, "6 januari 2027");
    /* lines: Dutch decimals, discount, VAT labels, markup shown as text */
    has(t, "1,5");
    has(t, "12,5%");
    has(t, "€ 1.425,00");
    has(t, "€ 1.050,00");
    has(t, "vrijgesteld");
    has(t, "<b>op"); /* markup is shown as text (wrapped after "op") */
    has(t, "locatie</b>");
    has(t, "Vakliteratuur: \"Relaties");
    /* totals: one line per rate, in Dutch notation */
    has(t, "Subtotaal");
    has(t, "€ 3.449,85");
    has(t, "Btw 21% over € 2.475,00");
    has(t, "€ 519,75");
    has(t, "Btw 9% over € 74,85");
    has(t, "€ 6,74");
    has(t, "Vrijgesteld van btw over € 900,00");
    has(t, "Totaal");
    has(t, "€ 3.976,34");
    has(t, "Gelieve € 3.976,34 vóór 6 januari 2027 over te maken op IBAN NL91 ABNA 0417 1643 00");
    has(t, "o.v.v. factuurnummer 2026-0007");
    has(t, "Bedankt voor uw vertrouwen");
    has(t, "Pagina 1 van 1");
    lacks(t, "CONCEPT");
    lacks(t, "Btw verlegd");
    free(t);
    free(logo);
    json_decref(doc);
}

static void test_invoice_en(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "en"};
    char *t = pdf_text(doc, &o, "invoice-en");
    has(t, "Invoice");
    has(t, "Café De Gouden Leeuw B.V.");
    has(t, "7 December 2026");
    has(t, "1.5");
    has(t, "VAT 21% on €2,475.00");
    has(t, "€519.75");
    has(t, "VAT exempt on €900.00");
    has(t, "€3,976.34");
    has(t, "Please pay €3,976.34 before 6 January 2027 to IBAN NL91 ABNA 0417 1643 00");
    has(t, "Page 1 of 1");
    lacks(t, "Factuur");
    free(t);
    json_decref(doc);
}

static void test_credit_note(void **state)
{
    (void)state;
    json_t *doc = fixture("credit-note.json");
    struct xrm_pdf_opts o = {.type = "credit_note", .lang = "nl"};
    char *t = pdf_text(doc, &o, "credit-note");
    has(t, "Creditnota");
    has(t, "C2026-0001");
    has(t, "Creditnota voor factuur 2026-0001");
    has(t, "José Müller");
    has(t, "Ährenweg 5");
    has(t, "Debiteurnummer: 10002");
    /* a credit note's amounts are negative */
    has(t, "-€ 1.200,00");
    has(t, "Btw 21% over -€ 1.200,00");
    has(t, "-€ 252,00");
    has(t, "-€ 1.452,00");
    lacks(t, "Gelieve");
    lacks(t, "Vervaldatum");
    free(t);
    /* without opts->type the doc's kind decides */
    struct xrm_pdf_opts o2 = {.lang = "en"};
    t = pdf_text(doc, &o2, "credit-note-en");
    has(t, "Credit note for invoice 2026-0001");
    has(t, "-€1,452.00");
    free(t);
    json_decref(doc);
}

static void test_quote(void **state)
{
    (void)state;
    json_t *doc = fixture("quote.json");
    size_t logo_len;
    unsigned char *logo = slurp(DATA "logo.svg", &logo_len);
    struct xrm_pdf_opts o = {.type = "quote",
                             .lang = "nl",
                             .logo = logo,
                             .logo_len = logo_len,
                             .logo_type = "image/svg+xml"};
    char *t = pdf_text(doc, &o, "quote");
    has(t, "Offerte");
    has(t, "OFF-2026-0003");
    has(t, "Geldig tot");
    has(t, "Korting");
    has(t, "Bakkerij Van 't Hof");
    has(t, "10%");
    has(t, "€ 3.060,00");
    has(t, "Btw 21% over € 3.360,00");
    has(t, "€ 4.065,60");
    has(t, "Deze offerte is geldig tot 6 januari 2027.");
    has(t, "Prijzen zijn exclusief reiskosten.");
    lacks(t, "Gelieve");
    free(t);
    free(logo);
    json_decref(doc);
}

static void test_reverse_charge(void **state)
{
    (void)state;
    json_t *doc = fixture("reverse-charge.json");
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    char *t = pdf_text(doc, &o, "reverse-charge");
    has(t, "Müller & Söhne GmbH");
    has(t, "Düsseldorf");
    has(t, "Duitsland");
    has(t, "btw verlegd");
    has(t, "Btw verlegd over € 960,00");
    has(t, "Btw verlegd. Btw-id afnemer: DE123456789.");
    lacks(t, "Korting"); /* no line has a discount: no such column */
    has(t, "€ 960,00");
    free(t);
    struct xrm_pdf_opts en = {.type = "invoice", .lang = "en"};
    t = pdf_text(doc, &en, "reverse-charge-en");
    has(t, "Germany");
    has(t, "VAT reverse charged. Customer's VAT ID: DE123456789.");
    free(t);
    json_decref(doc);
}

/* Payments: what was paid, what is open, and the payment request for the open amount only. */
static void test_payments(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    json_object_set_new(doc, "paid", json_integer(100000));
    json_object_set_new(doc, "open", json_integer(297634));
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    char *t = pdf_text(doc, &o, "invoice-part-paid");
    has(t, "€ 3.976,34");
    has(t, "Betaald");
    has(t, "-€ 1.000,00");
    has(t, "Openstaand");
    has(t, "Gelieve € 2.976,34 vóór");
    lacks(t, "Deze factuur is betaald");
    free(t);

    json_object_set_new(doc, "paid", json_integer(397634));
    json_object_del(doc, "open"); /* then the total less the payments */
    struct xrm_pdf_opts en = {.type = "invoice", .lang = "en"};
    t = pdf_text(doc, &en, "invoice-paid");
    has(t, "Paid");
    has(t, "-€3,976.34");
    has(t, "€0.00");
    has(t, "This invoice has been paid.");
    lacks(t, "Please pay");
    free(t);

    /* a credited invoice asks for nothing */
    json_object_set_new(doc, "paid", json_integer(0));
    json_object_set_new(doc, "status", json_string("credited"));
    t = pdf_text(doc, &o, "invoice-credited");
    has(t, "Deze factuur is gecrediteerd.");
    lacks(t, "Gelieve");
    free(t);
    json_decref(doc);
}

/* 60 lines without totals in the JSON (computed from the lines): two pages, header repeated. */
static void test_many_lines(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    json_object_del(doc, "totals");
    json_t *lines = json_array();
    for (int i = 1; i <= 60; i++) {
        char desc[64];
        snprintf(desc, sizeof(desc), "Regel %02d: ondersteuning", i);
        json_array_append_new(lines, json_pack("{s:s, s:f, s:s, s:i, s:s}", "description", desc,
                                               "quantity", 1.5, "unit", "uur", "unit_price", 95000,
                                               "vat", "21"));
    }
    json_object_set_new(doc, "lines", lines);
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    char *t = pdf_text(doc, &o, "invoice-60-lines");
    has(t, "Regel 01");
    has(t, "Regel 60");
    has(t, "Pagina 1 van 2");
    has(t, "Pagina 2 van 2");
    lacks(t, "Pagina 3");
    assert_int_equal(count(t, "Omschrijving"), 2);
    /* 60 x 1,5 x € 950,00 = € 85.500,00; 21% = € 17.955,00 */
    has(t, "Btw 21% over € 85.500,00");
    has(t, "€ 17.955,00");
    has(t, "€ 103.455,00");
    free(t);
    json_decref(doc);
}

static void test_draft_and_missing_fields(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    json_object_set_new(doc, "number", json_null());
    json_object_del(doc, "due");
    json_object_set_new(doc, "seller", json_object());
    json_t *buyer = json_object_get(doc, "buyer");
    json_object_set_new(buyer, "street", json_integer(5)); /* not text: left out */
    json_object_del(buyer, "postcode");
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl", .draft = true};
    char *t = pdf_text(doc, &o, "invoice-draft");
    has(t, "CONCEPT");
    has(t, "(concept)");
    has(t, "Café De Gouden Leeuw B.V.");
    has(t, "Groningen");
    has(t, "Gelieve € 3.976,34.");
    lacks(t, "factuurnummer");
    free(t);
    json_decref(doc);

    /* an empty document still renders, in English a draft says DRAFT */
    json_t *empty = json_object();
    struct xrm_pdf_opts en = {.lang = "en", .draft = true};
    t = pdf_text(empty, &en, "empty");
    has(t, "Invoice");
    has(t, "DRAFT");
    has(t, "Page 1 of 1");
    free(t);
    json_decref(empty);
}

static void test_long_text_and_limits(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    /* 100 kB without a space in a description, a long name: wrapped and cut, one page */
    char *big = malloc(100001);
    for (int i = 0; i < 100000; i++)
        big[i] = (char)('a' + i % 26);
    big[100000] = '\0';
    json_object_set_new(json_array_get(json_object_get(doc, "lines"), 0), "description",
                        json_string(big));
    json_object_set_new(json_object_get(doc, "buyer"), "street", json_string(big));
    /* two- and three-byte characters: the cut at 2000 bytes falls inside one */
    struct xrm_buf name = XRM_BUF_INIT;
    xrm_buf_adds(&name, "x"); /* byte 2000 is then the second of an "é" */
    for (int i = 0; i < 1500; i++)
        xrm_buf_adds(&name, i % 3 ? "é" : "€");
    json_object_set_new(json_object_get(doc, "buyer"), "name", json_string(name.s));
    xrm_buf_release(&name);
    json_object_set_new(doc, "note", json_string(big));
    free(big);
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    char *t = pdf_text(doc, &o, "long-text");
    has(t, "abcdefghij");
    has(t, "€éé€éé");
    has(t, "…");
    has(t, "€ 3.976,34");
    free(t);

    /* more than 1000 lines: refused with a message */
    json_t *lines = json_object_get(doc, "lines");
    while (json_array_size(lines) <= XRM_PDF_MAX_LINES)
        json_array_append(lines, json_array_get(lines, 1));
    struct xrm_buf out = XRM_BUF_INIT;
    char err[200] = "";
    assert_int_equal(xrm_pdf_render(doc, &o, &out, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "1000"));
    assert_int_equal(xrm_png_render(doc, &o, &out, err, sizeof(err)), -1);
    xrm_buf_release(&out);
    json_decref(doc);

    /* not an object */
    json_t *arr = json_array();
    assert_int_equal(xrm_pdf_render(arr, &o, &out, err, sizeof(err)), -1);
    assert_int_equal(xrm_pdf_render(NULL, &o, &out, err, sizeof(err)), -1);
    json_decref(arr);
    xrm_buf_release(&out);
}

/* A copy of v with every value that is not an object or array replaced by a copy of leaf; with
   containers too, objects and arrays below the top are replaced as well. */
static json_t *replace_values(const json_t *v, const json_t *leaf, bool containers, int depth)
{
    if (json_is_object(v) && (depth == 0 || !containers)) {
        json_t *o = json_object();
        const char *k;
        json_t *m;
        json_object_foreach((json_t *)v, k, m)
        {
            json_object_set_new(o, k, replace_values(m, leaf, containers, depth + 1));
        }
        return o;
    }
    if (json_is_array(v) && !containers) {
        json_t *a = json_array();
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m)
        {
            json_array_append_new(a, replace_values(m, leaf, containers, depth + 1));
        }
        return a;
    }
    return json_deep_copy(leaf);
}

/* Any value of the wrong type, or text with markup and control characters, still renders. */
static void test_wrong_types(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    json_t *leaves[] = {
        json_null(),
        json_integer(-9223372036854775807LL),
        json_real(1e300),
        json_real(-0.0049),
        json_true(),
        json_string(""),
        json_string("<span foreground=\"red\">&amp; &lt;b&gt; \x01\t\r\n\xe2\x80\xae x"),
        json_object(),
        json_array(),
    };
    for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        for (int containers = 0; containers < 2; containers++) {
            json_t *bad = replace_values(doc, leaves[i], containers, 0);
            struct xrm_buf out = XRM_BUF_INIT;
            char err[200] = "";
            struct xrm_pdf_opts o = {.lang = i % 2 ? "en" : "nl", .draft = i % 3 == 0};
            int rc = xrm_pdf_render(bad, &o, &out, err, sizeof(err));
            if (rc != 0)
                fail_msg("leaf %zu containers %d: %s", i, containers, err);
            assert_memory_equal(out.s, "%PDF-", 5);
            xrm_buf_release(&out);
            json_decref(bad);
        }
        json_decref(leaves[i]);
    }
    /* amounts far beyond any real one: shown capped, never overflowing */
    json_t *huge = fixture("invoice-mixed.json");
    json_object_del(huge, "totals");
    json_t *lines = json_object_get(huge, "lines");
    for (size_t i = 0; i < json_array_size(lines); i++) {
        json_t *line = json_array_get(lines, i);
        json_object_del(line, "net");
        json_object_set_new(line, "quantity", json_real(1e300));
        json_object_set_new(line, "unit_price", json_integer(INT64_MAX));
        json_object_set_new(line, "discount_pct", json_integer(-5000));
    }
    while (json_array_size(lines) < XRM_PDF_MAX_LINES)
        json_array_append(lines, json_array_get(lines, 0));
    struct xrm_buf out = XRM_BUF_INIT;
    char err[200] = "";
    struct xrm_pdf_opts plain = {.lang = "nl"};
    assert_int_equal(xrm_pdf_render(huge, &plain, &out, err, sizeof(err)), 0);
    xrm_buf_release(&out);
    json_decref(huge);

    /* markup text is shown as it is */
    json_object_set_new(json_object_get(doc, "buyer"), "name",
                        json_string("<b>Bold & Co</b> &amp;"));
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    char *t = pdf_text(doc, &o, "markup-name");
    has(t, "<b>Bold & Co</b> &amp;");
    free(t);
    json_decref(doc);
}

/* ---- the preview PNG ---- */

struct reader {
    const unsigned char *p;
    size_t left;
};

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int length)
{
    struct reader *r = closure;
    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, length);
    r->p += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* The preview of doc with this logo, decoded; checks signature and size. */
static cairo_surface_t *preview(const json_t *doc, const unsigned char *logo, size_t len,
                                const char *type, bool draft)
{
    struct xrm_pdf_opts o = {.type = "invoice",
                             .lang = "nl",
                             .logo = logo,
                             .logo_len = len,
                             .logo_type = type,
                             .draft = draft};
    struct xrm_buf png = XRM_BUF_INIT;
    char err[200] = "";
    if (xrm_png_render(doc, &o, &png, err, sizeof(err)) != 0)
        fail_msg("png: %s", err);
    assert_true(png.len > 100);
    assert_memory_equal(png.s, "\x89PNG\r\n\x1a\n", 8);
    struct reader r = {(const unsigned char *)png.s, png.len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), XRM_PNG_WIDTH);
    assert_int_equal(cairo_image_surface_get_height(s), XRM_PNG_HEIGHT);
    xrm_buf_release(&png);
    return s;
}

/* The pixel at (x, y) in points of the page, as 0xRRGGBB. */
static uint32_t pixel(cairo_surface_t *s, double x, double y)
{
    cairo_surface_flush(s);
    int px = (int)(x * XRM_PNG_SCALE), py = (int)(y * XRM_PNG_SCALE);
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)py * (size_t)cairo_image_surface_get_stride(s);
    uint32_t v;
    memcpy(&v, row + 4 * px, 4);
    return v & 0xffffff;
}

/* Pixels in the middle of the page tinted red (the watermark), of a 100 x 100 pt square. */
static int reddish(cairo_surface_t *s)
{
    int n = 0;
    for (double y = 371; y < 471; y += 2)
        for (double x = 247; x < 347; x += 2) {
            uint32_t v = pixel(s, x, y);
            int red = (int)(v >> 16), green = (int)((v >> 8) & 0xff);
            if (red > green + 20)
                n++;
        }
    return n;
}

static void test_preview_watermark(void **state)
{
    (void)state;
    json_t *doc = fixture("quote.json");
    cairo_surface_t *s = preview(doc, NULL, 0, NULL, false);
    assert_int_equal(reddish(s), 0);
    cairo_surface_destroy(s);
    s = preview(doc, NULL, 0, NULL, true);
    assert_true(reddish(s) > 100);
    cairo_surface_destroy(s);
    json_decref(doc);
}

/* The logo box is at (48, 48); the fixtures' logos are coloured where they start. */
static void test_preview_and_logos(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    size_t png_len, svg_len;
    unsigned char *png = slurp(DATA "logo.png", &png_len);
    unsigned char *svg = slurp(DATA "logo.svg", &svg_len);

    cairo_surface_t *s = preview(doc, png, png_len, "image/png", false);
    assert_int_equal(pixel(s, 52, 52), 0x0f766e); /* the PNG's background colour */
    cairo_surface_destroy(s);

    s = preview(doc, svg, svg_len, "image/svg+xml", false);
    assert_int_equal(pixel(s, 60, 60), 0x1f6feb); /* the SVG's square */
    cairo_surface_destroy(s);

    /* broken logos are left out: the box stays white, the render succeeds */
    unsigned char huge[64];
    memcpy(huge, png, sizeof(huge));
    huge[16] = 0x7f; /* width 2^30 and more */
    static const unsigned char junk[] = "not an image at all";
    const struct {
        const unsigned char *data;
        size_t len;
        const char *type;
    } broken[] = {
        {junk, sizeof(junk), "image/png"},
        {junk, sizeof(junk), "image/svg+xml"},
        {png, 60, "image/png"}, /* cut short */
        {huge, sizeof(huge), "image/png"},
        {png, png_len, "image/svg+xml"}, /* the wrong type */
        {svg, svg_len, "image/png"},
        {png, png_len, "image/gif"},
        {(const unsigned char *)"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect", 46,
         "image/svg+xml"},
        {png, 0, "image/png"},
    };
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        s = preview(doc, broken[i].data, broken[i].len, broken[i].type, false);
        assert_int_equal(pixel(s, 52, 52), 0xffffff);
        cairo_surface_destroy(s);
    }
    /* and in the PDF too */
    struct xrm_pdf_opts o = {.type = "invoice",
                             .lang = "nl",
                             .logo = junk,
                             .logo_len = sizeof(junk),
                             .logo_type = "image/png"};
    char *t = pdf_text(doc, &o, "broken-logo");
    has(t, "€ 3.976,34");
    free(t);

    free(png);
    free(svg);
    json_decref(doc);
}

/* ---- threads ---- */

struct job {
    const json_t *doc;
    struct xrm_buf out;
    int rc;
};

static void *render_job(void *arg)
{
    struct job *j = arg;
    char err[200];
    struct xrm_pdf_opts o = {.type = "invoice", .lang = "nl"};
    j->rc = 0;
    for (int i = 0; i < 3 && j->rc == 0; i++) {
        xrm_buf_reset(&j->out);
        j->rc = xrm_pdf_render(j->doc, &o, &j->out, err, sizeof(err));
    }
    return NULL;
}

/* Renders in four threads at once; each gets the bytes a render on its own gets. */
static void test_threads(void **state)
{
    (void)state;
    json_t *doc = fixture("invoice-mixed.json");
    struct job serial = {doc, XRM_BUF_INIT, -1};
    render_job(&serial);
    assert_int_equal(serial.rc, 0);
    struct job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){doc, XRM_BUF_INIT, -1};
        assert_int_equal(pthread_create(&th[i], NULL, render_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
        assert_int_equal(jobs[i].out.len, serial.out.len);
        assert_memory_equal(jobs[i].out.s, serial.out.s, serial.out.len);
        xrm_buf_release(&jobs[i].out);
    }
    xrm_buf_release(&serial.out);
    json_decref(doc);
}

/* ---- the commission statement ---- */

static void test_statement(void **state)
{
    (void)state;
    json_t *lines = json_array();
    for (int i = 1; i <= 70; i++) {
        char deal[64];
        snprintf(deal, sizeof(deal), "Warmtepomp %02d", i);
        json_array_append_new(lines,
                              json_pack("{s:s, s:s, s:s, s:i, s:f, s:i, s:s}", "deal_title", deal,
                                        "party_name", "Bakkerij Jansen", "won_on", "2026-11-03",
                                        "base", 1234567, "commission_pct", 12.5, "amount", 154321,
                                        "status", i % 2 ? "open" : "approved"));
    }
    json_t *doc = json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:o, s:[{s:i, s:i, s:i, s:i, s:i}]}",
                            "seller", "legal_name", "Voorbeeld Installaties B.V.", "city",
                            "Utrecht", "kvk", "12345678", "partner_name", "Groen Advies", "period",
                            "2026-Q4", "lines", lines, "totals", "open", 35 * 154321, "approved",
                            35 * 154321, "paid", 0, "cancelled", 0, "total", 70 * 154321);
    struct xrm_buf pdf = XRM_BUF_INIT;
    char err[256] = "";
    struct xrm_pdf_opts o = {.lang = "nl", .type = "invoice", .draft = true};
    /* the statement function sets its own type, whatever opts say */
    assert_int_equal(xrm_pdf_statement(doc, &o, &pdf, err, sizeof(err)), 0);
    assert_memory_equal(pdf.s, "%PDF-", 5);
    xrm_buf_release(&pdf);

    o.type = "statement";
    o.draft = false;
    char *t = pdf_text(doc, &o, "statement-nl");
    has(t, "Voorbeeld Installaties B.V.");
    has(t, "Commissieoverzicht");
    has(t, "Groen Advies");
    has(t, "4e kwartaal 2026");
    has(t, "Warmtepomp 01");
    has(t, "Warmtepomp 70");
    has(t, "3 november 2026");
    has(t, "€ 12.345,67");
    has(t, "12,5%");
    has(t, "€ 1.543,21");
    has(t, "Goedgekeurd");
    has(t, "Pagina 1 van 2");
    has(t, "Pagina 2 van 2");
    lacks(t, "Pagina 3");
    /* a status fits its column */
    lacks(t, "Goedge\n");
    assert_int_equal(count(t, "Dealbedrag"), 2); /* the header on each page */
    has(t, "Totaal commissie");
    has(t, "€ 108.024,70");
    lacks(t, "Factuur");
    lacks(t, "CONCEPT");
    free(t);

    o.lang = "en";
    json_object_set_new(doc, "period", json_string("2026-11"));
    t = pdf_text(doc, &o, "statement-en");
    has(t, "Commission statement");
    has(t, "November 2026");
    has(t, "€1,543.21");
    has(t, "Total commission");
    has(t, "Page 2 of 2");
    free(t);

    json_object_set_new(doc, "lines", json_array());
    json_object_set_new(doc, "totals", json_array());
    json_object_del(doc, "period");
    o.lang = "nl";
    t = pdf_text(doc, &o, "statement-empty");
    has(t, "alle perioden");
    has(t, "Geen commissieregels");
    lacks(t, "Totaal commissie");
    free(t);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_quantities_and_percentages),
        cmocka_unit_test(test_invoice_nl),
        cmocka_unit_test(test_invoice_en),
        cmocka_unit_test(test_credit_note),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_reverse_charge),
        cmocka_unit_test(test_payments),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_draft_and_missing_fields),
        cmocka_unit_test(test_long_text_and_limits),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_preview_and_logos),
        cmocka_unit_test(test_preview_watermark),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_statement),
    };
    /* a GLib warning or critical (invalid UTF-8 handed to Pango, a bad call) fails the run */
    g_log_set_always_fatal(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed;
}
