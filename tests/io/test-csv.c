/*
 * The CSV reader and writer: real-world-shaped exports (Google Contacts,
 * Outlook, a Dutch Windows-1252 spreadsheet) read whole and one byte at a
 * time with the same result, separator and encoding detection, the line a
 * row starts on, the caps an outsider controls, bad bytes reported per row,
 * and the writer's Excel-friendly output read back unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/csv.h"

/* Rows as [[line, error, field...], ...]. */
static enum xrm_rc collect(void *ctx, const struct xrm_csv_row *row, struct xrm_err *err)
{
    json_t *r = json_array();
    json_array_append_new(r, json_integer(row->line));
    json_array_append_new(r, row->error ? json_string(row->error) : json_null());
    for (size_t i = 0; i < row->n; i++) {
        assert_int_equal(strlen(row->fields[i]), row->lens[i]);
        json_array_append_new(r, json_stringn(row->fields[i], row->lens[i]));
    }
    json_array_append_new(ctx, r);
    return XRM_OK;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return s;
}

struct parsed {
    json_t *rows;
    char sep;
    const char *enc;
    enum xrm_rc rc;
    struct xrm_err err;
};

/* Parses s in chunks of chunk bytes (0: all at once). */
static struct parsed parse(const char *s, size_t n, size_t chunk, const struct xrm_csv_limits *lim)
{
    struct parsed p = {.rows = json_array()};
    struct xrm_csv *c = xrm_csv_new(collect, p.rows, lim);
    size_t step = chunk ? chunk : n;
    for (size_t i = 0; i < n && !p.rc; i += step)
        p.rc = xrm_csv_feed(c, s + i, n - i < step ? n - i : step, &p.err);
    if (!p.rc)
        p.rc = xrm_csv_finish(c, &p.err);
    p.sep = xrm_csv_separator(c);
    p.enc = xrm_csv_encoding(c);
    xrm_csv_free(c);
    return p;
}

static struct parsed parse_file(const char *name)
{
    char path[256];
    size_t n;
    snprintf(path, sizeof(path), "tests/data/import/%s", name);
    char *s = slurp(path, &n);
    struct parsed whole = parse(s, n, 0, NULL);
    assert_int_equal(whole.rc, XRM_OK);
    struct parsed bytes = parse(s, n, 1, NULL);
    assert_int_equal(bytes.rc, XRM_OK);
    assert_true(json_equal(whole.rows, bytes.rows));
    struct parsed odd = parse(s, n, 7, NULL);
    assert_true(json_equal(whole.rows, odd.rows));
    json_decref(bytes.rows);
    json_decref(odd.rows);
    free(s);
    return whole;
}

static const char *cell(json_t *rows, size_t r, size_t f)
{
    const char *s = json_string_value(json_array_get(json_array_get(rows, r), f + 2));
    assert_non_null(s);
    return s;
}

static long line_of(json_t *rows, size_t r)
{
    return (long)json_integer_value(json_array_get(json_array_get(rows, r), 0));
}

static size_t nfields(json_t *rows, size_t r)
{
    return json_array_size(json_array_get(rows, r)) - 2;
}

static void test_google(void **state)
{
    (void)state;
    struct parsed p = parse_file("google-contacts.csv");
    assert_int_equal(p.sep, ',');
    assert_string_equal(p.enc, "utf-8");
    assert_int_equal(json_array_size(p.rows), 4);
    assert_int_equal(nfields(p.rows, 0), 36);
    assert_string_equal(cell(p.rows, 0, 0), "First Name");
    assert_string_equal(cell(p.rows, 0, 18), "E-mail 1 - Value");
    assert_string_equal(cell(p.rows, 1, 2), "van Dijk");
    assert_string_equal(cell(p.rows, 1, 26), "Prinsengracht 263\nAmsterdam\n1016 GV\nNederland");
    assert_string_equal(cell(p.rows, 1, 22), "+31 6 23456789");
    /* the address spans lines 2-5, so Joël starts on 6 and the notes take two lines */
    assert_int_equal(line_of(p.rows, 1), 2);
    assert_int_equal(line_of(p.rows, 2), 6);
    assert_int_equal(line_of(p.rows, 3), 8);
    assert_string_equal(cell(p.rows, 2, 0), "Joël");
    assert_string_equal(cell(p.rows, 2, 14), "Regel één\nRegel twee, met komma");
    assert_string_equal(cell(p.rows, 3, 10), "Stichting Zoë");
    assert_int_equal(nfields(p.rows, 3), 36);
    json_decref(p.rows);
}

static void test_outlook(void **state)
{
    (void)state;
    struct parsed p = parse_file("outlook.csv");
    assert_int_equal(p.sep, ',');
    assert_int_equal(json_array_size(p.rows), 3);
    assert_int_equal(nfields(p.rows, 0), 88);
    assert_string_equal(cell(p.rows, 0, 34), "Manager's Name");
    assert_string_equal(cell(p.rows, 1, 13),
                        "Contactpersoon \"facilitair\".\r\nBelt liever dan mailt.");
    assert_int_equal(line_of(p.rows, 2), 4);
    assert_string_equal(cell(p.rows, 2, 2), "Bakker-Ünal");
    assert_string_equal(cell(p.rows, 2, 87), "Persoonlijk;Klanten");
    json_decref(p.rows);
}

static void test_dutch_spreadsheet(void **state)
{
    (void)state;
    struct parsed p = parse_file("nl-spreadsheet.csv");
    assert_int_equal(p.sep, ';');
    assert_string_equal(p.enc, "windows-1252");
    assert_int_equal(json_array_size(p.rows), 5);
    assert_int_equal(nfields(p.rows, 0), 13);
    assert_string_equal(cell(p.rows, 0, 4), "KvK-nummer");
    assert_string_equal(cell(p.rows, 1, 0), "René");
    assert_string_equal(cell(p.rows, 1, 1), "van der");
    assert_string_equal(cell(p.rows, 1, 9), "0612345678");
    assert_string_equal(cell(p.rows, 2, 0), "Noël");
    assert_string_equal(cell(p.rows, 3, 0), "Chloë");
    assert_string_equal(cell(p.rows, 3, 3), "Drukkerij \"De Wit\"");
    assert_string_equal(cell(p.rows, 4, 2), "Müller");
    assert_string_equal(cell(p.rows, 4, 3), "Müller & Zn. €-shop");
    assert_string_equal(cell(p.rows, 4, 12), "klant;partner");
    assert_int_equal(line_of(p.rows, 4), 5);
    json_decref(p.rows);
}

static void test_detection(void **state)
{
    (void)state;
    /* BOM skipped, tab wins, empty fields kept (tabs are not padding) */
    const char *tsv = "\xef\xbb\xbfnaam\ttel\tplaats\r\n\r\nAnne\t\tDelft\n  Bas \t\"0612\"\t\n";
    struct parsed p = parse(tsv, strlen(tsv), 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(p.sep, '\t');
    assert_string_equal(p.enc, "utf-8");
    assert_int_equal(json_array_size(p.rows), 3);
    assert_string_equal(cell(p.rows, 0, 0), "naam");
    assert_string_equal(cell(p.rows, 1, 1), "");
    assert_int_equal(line_of(p.rows, 1), 3);
    assert_string_equal(cell(p.rows, 2, 0), "Bas");
    assert_string_equal(cell(p.rows, 2, 1), "0612");
    assert_int_equal(nfields(p.rows, 2), 3);
    json_decref(p.rows);

    /* a separator inside quotes does not count; ASCII only: no encoding; no final newline */
    const char *q = "\"a;b;c\",x,y\n1,2,3";
    p = parse(q, strlen(q), 0, NULL);
    assert_int_equal(p.sep, ',');
    assert_null(p.enc);
    assert_int_equal(json_array_size(p.rows), 2);
    assert_string_equal(cell(p.rows, 1, 2), "3");
    json_decref(p.rows);

    /* a lone header without line end */
    p = parse("a;b", 3, 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(p.sep, ';');
    assert_int_equal(json_array_size(p.rows), 1);
    json_decref(p.rows);

    p = parse("\xff\xfe"
              "a\0,\0",
              6, 0, NULL);
    assert_int_equal(p.rc, XRM_E_MALFORMED);
    assert_non_null(strstr(p.err.message, "UTF-16"));
    json_decref(p.rows);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    /* UTF-8 decided on line 2; line 3 has a Latin-1 byte, line 4 a NUL: reported, not fatal */
    const char s[] = "naam\nZoë\nZo\xeb\nA\0B\nEva\n";
    struct parsed p = parse(s, sizeof(s) - 1, 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(json_array_size(p.rows), 5);
    assert_true(json_is_null(json_array_get(json_array_get(p.rows, 1), 1)));
    assert_non_null(
        strstr(json_string_value(json_array_get(json_array_get(p.rows, 2), 1)), "UTF-8"));
    assert_int_equal(line_of(p.rows, 2), 3);
    assert_non_null(strstr(json_string_value(json_array_get(json_array_get(p.rows, 3), 1)), "NUL"));
    assert_string_equal(cell(p.rows, 4, 0), "Eva");
    json_decref(p.rows);

    /* a byte Windows-1252 leaves undefined becomes U+FFFD */
    const char w[] = "naam\nCaf\xe9 \x81 x\n";
    p = parse(w, sizeof(w) - 1, 0, NULL);
    assert_string_equal(p.enc, "windows-1252");
    assert_string_equal(cell(p.rows, 1, 0), "Café \xef\xbf\xbd x");
    json_decref(p.rows);
}

static void test_limits(void **state)
{
    (void)state;
    struct xrm_csv_limits lim = {.field_max = 100, .fields_max = 5, .row_max = 300};
    char big[20000];
    /* a quoted field that never ends: stopped near the cap, not at the end of input */
    int n = snprintf(big, sizeof(big), "a,b\n1,2\n\"");
    memset(big + n, 'x', sizeof(big) - (size_t)n);
    struct parsed p = parse(big, sizeof(big), 512, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "line 3"));
    assert_int_equal(json_array_size(p.rows), 2);
    json_decref(p.rows);

    const char *wide = "a\n1,2,3,4,5,6\n";
    p = parse(wide, strlen(wide), 0, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "line 2"));
    assert_non_null(strstr(p.err.message, "fields"));
    json_decref(p.rows);

    char row[1000];
    n = snprintf(row, sizeof(row), "a,b,c,d\n");
    for (int i = 0; i < 4; i++) {
        memset(row + n, 'y', 90);
        n += 90;
        row[n++] = i < 3 ? ',' : '\n';
    }
    p = parse(row, (size_t)n, 0, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "longer than 300"));
    json_decref(p.rows);

    /* a header line without end */
    memset(big, 'h', sizeof(big));
    p = parse(big, sizeof(big), 100, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "header"));
    json_decref(p.rows);
}

static enum xrm_rc count_rows(void *ctx, const struct xrm_csv_row *row, struct xrm_err *err)
{
    (*(long *)ctx)++;
    if (row->n != 4)
        return xrm_errf(err, XRM_E_INVALID, "row on line %ld has %zu fields", row->line, row->n);
    return XRM_OK;
}

/* Many rows through a reader that never holds more than one. */
static void test_streaming(void **state)
{
    (void)state;
    long rows = 0;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_csv *c = xrm_csv_new(count_rows, &rows, NULL);
    char chunk[8192];
    assert_int_equal(xrm_csv_feed(c, "id;naam;tel;notitie\r\n", 21, &err), XRM_OK);
    for (int k = 0; k < 200; k++) {
        size_t n = 0;
        for (int i = 0; i < 100; i++)
            n += (size_t)snprintf(chunk + n, sizeof(chunk) - n,
                                  "%d;Naam %d;+316%08d;\"twee\r\nregels\"\r\n", k * 100 + i, i, i);
        assert_int_equal(xrm_csv_feed(c, chunk, n, &err), XRM_OK);
    }
    assert_int_equal(xrm_csv_finish(c, &err), XRM_OK);
    assert_int_equal(rows, 20001);
    xrm_csv_free(c);
}

static enum xrm_rc stop_at_two(void *ctx, const struct xrm_csv_row *row, struct xrm_err *err)
{
    (*(long *)ctx)++;
    return row->line == 2 ? xrm_errf(err, XRM_E_INVALID, "stop") : XRM_OK;
}

static void test_callback_stops(void **state)
{
    (void)state;
    long rows = 0;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_csv *c = xrm_csv_new(stop_at_two, &rows, NULL);
    assert_int_equal(xrm_csv_feed(c, "a\n1\n2\n3\n", 8, &err), XRM_E_INVALID);
    assert_int_equal(rows, 2);
    assert_int_equal(xrm_csv_feed(c, "4\n", 2, &err), XRM_E_INVALID);
    assert_int_equal(xrm_csv_finish(c, &err), XRM_E_INVALID);
    xrm_csv_free(c);
}

static void test_writer(void **state)
{
    (void)state;
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_csv_write_bom(&b);
    const char *head[] = {"Naam", "Telefoon", "Postcode", "Notitie"};
    xrm_csv_write_row(&b, head, NULL, 4);
    const char *row[] = {"Zoë \"Z\" de Vries", "+31612345678", "0123", "twee\nregels; met =SOM(1)"};
    const bool text[] = {false, true, true, false};
    xrm_csv_write_row(&b, row, text, 4);
    const char *danger[] = {"=HYPERLINK(\"http://x\")", "-5", "@foo", NULL};
    xrm_csv_write_row(&b, danger, NULL, 4);
    assert_string_equal(b.s,
                        "\xef\xbb\xbfNaam;Telefoon;Postcode;Notitie\r\n"
                        "\"Zoë \"\"Z\"\" de Vries\";\"=\"\"+31612345678\"\"\";\"=\"\"0123\"\"\";"
                        "\"twee\nregels; met =SOM(1)\"\r\n"
                        "\"=\"\"=HYPERLINK(\"\"\"\"http://x\"\"\"\")\"\"\";\"=\"\"-5\"\"\";"
                        "\"=\"\"@foo\"\"\";\r\n");

    /* read back: the same values, text cells unwrapped */
    struct parsed p = parse(b.s, b.len, 3, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(p.sep, ';');
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(cell(p.rows, 1, i), row[i]);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(cell(p.rows, 2, i), danger[i]);
    json_decref(p.rows);

    /* too long for a formula string: apostrophe when it would start a formula */
    char longv[300];
    memset(longv, 'a', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    longv[0] = '=';
    xrm_buf_reset(&b);
    xrm_csv_write_cell(&b, longv, true);
    assert_int_equal(b.s[0], '"');
    assert_int_equal(b.s[1], '\'');
    xrm_buf_reset(&b);
    longv[0] = '0';
    xrm_csv_write_cell(&b, longv, true);
    assert_int_equal(b.len, 299);
    xrm_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_google),
        cmocka_unit_test(test_outlook),
        cmocka_unit_test(test_dutch_spreadsheet),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_streaming),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
