/*
 * Unit tests for core/validate: each validator with valid and invalid input,
 * the canonical forms the normalisers produce, output buffers that are too
 * small (which must fail without writing past n), and truncated input in
 * exactly sized heap blocks so AddressSanitizer catches any read past the NUL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"

typedef bool (*norm_fn)(const char *s, char *out, size_t n);

static void norm_ok(norm_fn fn, const char *in, const char *expect)
{
    char out[512];

    if (!fn(in, out, sizeof(out)))
        fail_msg("rejected valid input '%s'", in);
    assert_string_equal(out, expect);
}

static void norm_bad(norm_fn fn, const char *in)
{
    char out[512];

    if (fn(in, out, sizeof(out)))
        fail_msg("accepted invalid input '%s' as '%s'", in, out);
}

/*
 * The canonical form of in is expect; it must fit in exactly strlen + 1 bytes,
 * fail in one byte less, and in neither case touch the byte after n.
 */
static void norm_fits(norm_fn fn, const char *in, const char *expect)
{
    size_t len = strlen(expect);
    char out[512];

    assert_true(len + 2 <= sizeof(out));
    memset(out, 'X', sizeof(out));
    assert_false(fn(in, out, len));
    assert_int_equal(out[len], 'X');
    assert_false(fn(in, out, 0));
    memset(out, 'X', sizeof(out));
    assert_true(fn(in, out, len + 1));
    assert_string_equal(out, expect);
    assert_int_equal(out[len + 1], 'X');
}

/* Every strict prefix of valid, in its own exactly sized heap block, is invalid. */
static void prefixes_bad(norm_fn fn, const char *valid)
{
    size_t len = strlen(valid);
    char out[512];

    for (size_t i = 0; i < len; i++) {
        char *p = malloc(i + 1);
        assert_non_null(p);
        memcpy(p, valid, i);
        p[i] = '\0';
        if (fn(p, out, sizeof(out)))
            fail_msg("accepted truncated input '%s'", p);
        free(p);
    }
    assert_true(fn(valid, out, sizeof(out)));
}

static void test_email_valid(void **state)
{
    char local64[80], long_addr[300];

    assert_true(xrm_valid_email("a@b.nl"));
    assert_true(xrm_valid_email("john.doe+crm@example.co.uk"));
    assert_true(xrm_valid_email("o'brien@mail-server.example.ie"));
    assert_true(xrm_valid_email("j\xc3\xb6rg@b\xc3\xbc"
                                "cher.de"));
    assert_true(xrm_valid_email("x@a1.b2.example"));

    memset(local64, 'a', 64);
    memcpy(local64 + 64, "@x.nl", 6);
    assert_true(xrm_valid_email(local64));
    memset(local64, 'a', 65);
    memcpy(local64 + 65, "@x.nl", 6);
    assert_false(xrm_valid_email(local64));

    /* 254 bytes: "a@" + 63-byte labels joined by dots + ".nl" */
    memcpy(long_addr, "a@", 2);
    memset(long_addr + 2, 'b', 63);
    long_addr[65] = '.';
    memset(long_addr + 66, 'c', 63);
    long_addr[129] = '.';
    memset(long_addr + 130, 'd', 63);
    long_addr[193] = '.';
    memset(long_addr + 194, 'e', 57);
    memcpy(long_addr + 251, ".nl", 4);
    assert_int_equal(strlen(long_addr), 254);
    assert_true(xrm_valid_email(long_addr));
    memcpy(long_addr + 251, "e.nl", 5);
    assert_int_equal(strlen(long_addr), 255);
    assert_false(xrm_valid_email(long_addr));
}

static void test_email_invalid(void **state)
{
    char label64[80];

    assert_false(xrm_valid_email(NULL));
    assert_false(xrm_valid_email(""));
    assert_false(xrm_valid_email("plainaddress"));
    assert_false(xrm_valid_email("@example.nl"));
    assert_false(xrm_valid_email("a@"));
    assert_false(xrm_valid_email("a@localhost"));
    assert_false(xrm_valid_email("a@@b.nl"));
    assert_false(xrm_valid_email("a@b@c.nl"));
    assert_false(xrm_valid_email("a b@c.nl"));
    assert_false(xrm_valid_email("ab@c.nl "));
    assert_false(xrm_valid_email("a\tb@c.nl"));
    assert_false(xrm_valid_email(".a@b.nl"));
    assert_false(xrm_valid_email("a.@b.nl"));
    assert_false(xrm_valid_email("a..b@c.nl"));
    assert_false(xrm_valid_email("a@.b.nl"));
    assert_false(xrm_valid_email("a@b.nl."));
    assert_false(xrm_valid_email("a@b..nl"));
    assert_false(xrm_valid_email("a@-b.nl"));
    assert_false(xrm_valid_email("a@b-.nl"));
    assert_false(xrm_valid_email("a@b_c.nl"));
    assert_false(xrm_valid_email("a@1.2.3.4"));
    assert_false(xrm_valid_email("\"a b\"@c.nl"));
    assert_false(xrm_valid_email("a(comment)@c.nl"));
    /* malformed UTF-8: stray continuation, overlong '@', truncated sequence */
    assert_false(xrm_valid_email("\x80@b.nl"));
    assert_false(xrm_valid_email("a\xc0\x80@b.nl"));
    assert_false(xrm_valid_email("a@b\xc3.nl"));
    assert_false(xrm_valid_email("a\xe0\x80\xaf@b.nl"));     /* overlong */
    assert_false(xrm_valid_email("a\xed\xa0\x80@b.nl"));     /* surrogate */
    assert_false(xrm_valid_email("a\xf4\x90\x80\x80@b.nl")); /* > U+10FFFF */

    memcpy(label64, "a@", 2);
    memset(label64 + 2, 'b', 64);
    memcpy(label64 + 66, ".nl", 4);
    assert_false(xrm_valid_email(label64));
}

static void test_email_norm(void **state)
{
    norm_ok(xrm_norm_email, "John.Doe@Example.NL", "John.Doe@example.nl");
    norm_ok(xrm_norm_email,
            "x@B\xc3\x9c"
            "CHER.de",
            "x@b\xc3\x9c"
            "cher.de");
    norm_bad(xrm_norm_email, "John.Doe@Example");
    norm_bad(xrm_norm_email, "");
    norm_fits(xrm_norm_email, "Info@ACME.nl", "Info@acme.nl");
}

static void test_iban(void **state)
{
    norm_ok(xrm_norm_iban, "NL91ABNA0417164300", "NL91ABNA0417164300");
    norm_ok(xrm_norm_iban, "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300");
    norm_ok(xrm_norm_iban, "nl91abna0417164300", "NL91ABNA0417164300");
    norm_ok(xrm_norm_iban, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432");
    norm_ok(xrm_norm_iban, "DE89370400440532013000", "DE89370400440532013000");
    norm_ok(xrm_norm_iban, "BE68539007547034", "BE68539007547034");
    norm_ok(xrm_norm_iban, "FR1420041010050500013M02606", "FR1420041010050500013M02606");
    norm_ok(xrm_norm_iban, "NO9386011117947", "NO9386011117947");
    norm_ok(xrm_norm_iban, "MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S");

    norm_bad(xrm_norm_iban, NULL);
    norm_bad(xrm_norm_iban, "");
    norm_bad(xrm_norm_iban, "   ");
    norm_ok(xrm_norm_iban, "NL02ABNA0417160082", "NL02ABNA0417160082");
    norm_ok(xrm_norm_iban, "NL98ABNA0417160003", "NL98ABNA0417160003");
    norm_bad(xrm_norm_iban, "NL91ABNA0417164301"); /* check fails */
    norm_bad(xrm_norm_iban, "NL90ABNA0417164300"); /* remainder 0, not 1 */
    /* 99 = 2 and 01 = 98 (mod 97) pass the sum but are never issued */
    norm_bad(xrm_norm_iban, "NL99ABNA0417160082");
    norm_bad(xrm_norm_iban, "NL01ABNA0417160003");
    norm_bad(xrm_norm_iban, "NL91ABNA041716430");   /* 17 long */
    norm_bad(xrm_norm_iban, "NL91ABNA04171643000"); /* 19 long */
    norm_bad(xrm_norm_iban, "NL91-ABNA-0417-1643-00");
    norm_bad(xrm_norm_iban, "XX91ABNA0417164300");     /* unknown country */
    norm_bad(xrm_norm_iban, "NL53123404171643000");    /* wrong length */
    norm_bad(xrm_norm_iban, "NL5312340417164300");     /* mod 97 ok, BBAN not 4a10n */
    norm_bad(xrm_norm_iban, "DE973704004405320130A0"); /* mod 97 ok, letter in 18n */
    norm_bad(xrm_norm_iban, "GB82WEST1234569876543X");
    norm_bad(xrm_norm_iban, "NLXXABNA0417164300");
    norm_bad(xrm_norm_iban, "NL91ABNA0417164300NL91ABNA0417164300");

    norm_fits(xrm_norm_iban, "be68 5390 0754 7034", "BE68539007547034");
    prefixes_bad(xrm_norm_iban, "NL91ABNA0417164300");
}

static void test_kvk(void **state)
{
    assert_true(xrm_valid_kvk("12345678"));
    assert_true(xrm_valid_kvk("69599084"));
    assert_false(xrm_valid_kvk(NULL));
    assert_false(xrm_valid_kvk(""));
    assert_false(xrm_valid_kvk("1234567"));
    assert_false(xrm_valid_kvk("123456789"));
    assert_false(xrm_valid_kvk("1234 5678"));
    assert_false(xrm_valid_kvk("1234567a"));
    assert_false(xrm_valid_kvk(" 12345678"));
    assert_false(xrm_valid_kvk("12345678 "));
    assert_false(xrm_valid_kvk("\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4")); /* Arabic-Indic digits */
}

static void test_vat_nl(void **state)
{
    /* elfproef on the RSIN */
    norm_ok(xrm_norm_vat, "NL004495445B01", "NL004495445B01");
    norm_ok(xrm_norm_vat, "nl 0044.95.445.b01", "NL004495445B01");
    norm_ok(xrm_norm_vat, "NL-004495445-B01", "NL004495445B01");
    /* mod 97 btw-id, sole proprietors since 2020 */
    norm_ok(xrm_norm_vat, "NL002455799B11", "NL002455799B11");
    norm_ok(xrm_norm_vat, "NL000099998B57", "NL000099998B57");

    norm_bad(xrm_norm_vat, "NL123456789B90");
    norm_bad(xrm_norm_vat, "NL004495446B01");
    norm_bad(xrm_norm_vat, "NL000099998B58");
    norm_bad(xrm_norm_vat, "NL000099998B56"); /* mod 97 remainder 0 */
    norm_bad(xrm_norm_vat, "NL004495445B00");
    norm_bad(xrm_norm_vat, "NL000000000B01");
    norm_bad(xrm_norm_vat, "NL004495445A01");
    norm_bad(xrm_norm_vat, "NL004495445B1");
    norm_bad(xrm_norm_vat, "NL004495445B011");
    norm_bad(xrm_norm_vat, "004495445B01");
    norm_bad(xrm_norm_vat, "NL004495445/B01");
    norm_fits(xrm_norm_vat, "NL 004495445 B01", "NL004495445B01");
    prefixes_bad(xrm_norm_vat, "NL004495445B01");
}

static void test_vat_eu(void **state)
{
    norm_ok(xrm_norm_vat, "BE0417710407", "BE0417710407");
    norm_ok(xrm_norm_vat, "be 0417.710.407", "BE0417710407");
    norm_ok(xrm_norm_vat, "BE1234567890", "BE1234567890");
    norm_ok(xrm_norm_vat, "DE136695976", "DE136695976");
    norm_ok(xrm_norm_vat, "FR40303265045", "FR40303265045");
    norm_ok(xrm_norm_vat, "FRK7399859412", "FRK7399859412");
    norm_ok(xrm_norm_vat, "ATU13585627", "ATU13585627");
    norm_ok(xrm_norm_vat, "ESA12345674", "ESA12345674");
    norm_ok(xrm_norm_vat, "ES12345678Z", "ES12345678Z");
    norm_ok(xrm_norm_vat, "EL094259216", "EL094259216");
    norm_ok(xrm_norm_vat, "IE6388047V", "IE6388047V");
    norm_ok(xrm_norm_vat, "IE1234567WA", "IE1234567WA");
    norm_ok(xrm_norm_vat, "IE8Z49289F", "IE8Z49289F");
    norm_ok(xrm_norm_vat, "IE8+49289F", "IE8+49289F");
    norm_ok(xrm_norm_vat, "SE556188840401", "SE556188840401");
    norm_ok(xrm_norm_vat, "LU15027442", "LU15027442");
    norm_ok(xrm_norm_vat, "RO18547290", "RO18547290");
    norm_ok(xrm_norm_vat, "XIGD123", "XIGD123");

    norm_bad(xrm_norm_vat, NULL);
    norm_bad(xrm_norm_vat, "");
    norm_bad(xrm_norm_vat, "BE2417710407");  /* BE starts with 0 or 1 */
    norm_bad(xrm_norm_vat, "BE041771040");   /* 9 digits */
    norm_bad(xrm_norm_vat, "DE12345678");    /* 8 digits */
    norm_bad(xrm_norm_vat, "DE1234567890");  /* 10 digits */
    norm_bad(xrm_norm_vat, "FRIO303265045"); /* I and O are not key characters */
    norm_bad(xrm_norm_vat, "AT13585627");
    norm_bad(xrm_norm_vat, "ES123456789"); /* ES needs a letter first or last */
    norm_bad(xrm_norm_vat, "GR094259216"); /* Greece uses EL */
    norm_bad(xrm_norm_vat, "SE556188840402");
    norm_bad(xrm_norm_vat, "GB123456789"); /* not in the EU */
    norm_bad(xrm_norm_vat, "XX123456789");
    norm_bad(xrm_norm_vat, "DE 136 695 976 0000");
    norm_fits(xrm_norm_vat, "de 136.695.976", "DE136695976");
}

static void test_postcode(void **state)
{
    norm_ok(xrm_norm_postcode_nl, "1234 AB", "1234 AB");
    norm_ok(xrm_norm_postcode_nl, "1234ab", "1234 AB");
    norm_ok(xrm_norm_postcode_nl, "9999 zZ", "9999 ZZ");
    norm_ok(xrm_norm_postcode_nl, "1000 SB", "1000 SB");
    norm_ok(xrm_norm_postcode_nl, "1000 AS", "1000 AS");

    norm_bad(xrm_norm_postcode_nl, NULL);
    norm_bad(xrm_norm_postcode_nl, "");
    norm_bad(xrm_norm_postcode_nl, "0123 AB");
    norm_bad(xrm_norm_postcode_nl, "1234 SA");
    norm_bad(xrm_norm_postcode_nl, "1234 sd");
    norm_bad(xrm_norm_postcode_nl, "1234SS");
    norm_bad(xrm_norm_postcode_nl, "123 AB");
    norm_bad(xrm_norm_postcode_nl, "12345 AB");
    norm_bad(xrm_norm_postcode_nl, "1234  AB");
    norm_bad(xrm_norm_postcode_nl, "1234-AB");
    norm_bad(xrm_norm_postcode_nl, "1234 A");
    norm_bad(xrm_norm_postcode_nl, "1234 ABC");
    norm_bad(xrm_norm_postcode_nl, "1234 A1");
    norm_bad(xrm_norm_postcode_nl, " 1234 AB");
    norm_bad(xrm_norm_postcode_nl, "1234 AB ");
    norm_bad(xrm_norm_postcode_nl, "12a4 AB");
    norm_fits(xrm_norm_postcode_nl, "3511lx", "3511 LX");
    prefixes_bad(xrm_norm_postcode_nl, "1234 AB");
}

static void test_phone(void **state)
{
    norm_ok(xrm_norm_phone, "020-123 4567", "+31201234567");
    norm_ok(xrm_norm_phone, "(020) 123 45 67", "+31201234567");
    norm_ok(xrm_norm_phone, "06 12345678", "+31612345678");
    norm_ok(xrm_norm_phone, "+31 20 123 4567", "+31201234567");
    norm_ok(xrm_norm_phone, "+31 (0)20 123 4567", "+31201234567");
    norm_ok(xrm_norm_phone, "0031 (0)6-1234.5678", "+31612345678");
    norm_ok(xrm_norm_phone, "0032 2 123 45 67", "+3221234567");
    norm_ok(xrm_norm_phone, "+1 (415) 555-2671", "+14155552671");
    norm_ok(xrm_norm_phone, "+49 30 12345678901", "+493012345678901"); /* 15 digits */
    norm_ok(xrm_norm_phone, "0800-1234", "+318001234");

    norm_bad(xrm_norm_phone, NULL);
    norm_bad(xrm_norm_phone, "");
    norm_bad(xrm_norm_phone, "+");
    norm_bad(xrm_norm_phone, "00");
    norm_bad(xrm_norm_phone, "201234567");           /* no prefix: ambiguous */
    norm_bad(xrm_norm_phone, "+49 30 123456789012"); /* 16 digits */
    norm_bad(xrm_norm_phone, "+49 30123");           /* 7 digits */
    norm_bad(xrm_norm_phone, "0800-12");             /* +3180012: 7 digits */
    norm_ok(xrm_norm_phone, "0800-123", "+31800123");
    norm_bad(xrm_norm_phone, "+0 20 1234567");
    norm_bad(xrm_norm_phone, "000 20 1234567");
    norm_bad(xrm_norm_phone, "++31 20 1234567");
    norm_bad(xrm_norm_phone, "31+20 1234567");
    norm_bad(xrm_norm_phone, "06-1234abcd");
    norm_bad(xrm_norm_phone, "020 1234567 ext 12");
    norm_bad(xrm_norm_phone, "+31 (20 1234567");
    norm_bad(xrm_norm_phone, "+31 20) 1234567");
    norm_bad(xrm_norm_phone, "+31 ((20)) 1234567");
    norm_bad(xrm_norm_phone, "+31/20/1234567");
    norm_fits(xrm_norm_phone, "020 123 4567", "+31201234567");
}

static void test_date(void **state)
{
    assert_true(xrm_valid_date("2024-02-29"));
    assert_false(xrm_valid_date("2023-02-29"));
    assert_true(xrm_valid_date("2000-02-29"));
    assert_false(xrm_valid_date("1900-02-29"));
    assert_false(xrm_valid_date("2100-02-29"));
    assert_true(xrm_valid_date("1900-01-01"));
    assert_false(xrm_valid_date("1899-12-31"));
    assert_true(xrm_valid_date("2199-12-31"));
    assert_false(xrm_valid_date("2200-01-01"));
    assert_true(xrm_valid_date("2026-04-30"));
    assert_false(xrm_valid_date("2026-04-31"));
    assert_true(xrm_valid_date("2026-12-31"));
    assert_false(xrm_valid_date("2026-13-01"));
    assert_false(xrm_valid_date("2026-00-10"));
    assert_false(xrm_valid_date("2026-01-00"));
    assert_false(xrm_valid_date("2026-01-32"));
    assert_false(xrm_valid_date("2026-1-01"));
    assert_false(xrm_valid_date("2026/01/01"));
    assert_false(xrm_valid_date("2026-01-01 "));
    assert_false(xrm_valid_date("2026-01-01T00:00:00Z"));
    assert_false(xrm_valid_date("+2026-01-01"));
    assert_false(xrm_valid_date("20260101"));
    assert_false(xrm_valid_date(""));
    assert_false(xrm_valid_date(NULL));

    /* every truncation of a valid date, in an exactly sized block */
    for (size_t i = 0; i < 10; i++) {
        char *p = malloc(i + 1);
        assert_non_null(p);
        memcpy(p, "2024-02-29", i);
        p[i] = '\0';
        assert_false(xrm_valid_date(p));
        free(p);
    }
}

static void test_datetime(void **state)
{
    norm_ok(xrm_norm_datetime, "2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z");
    norm_ok(xrm_norm_datetime, "2026-11-27t10:00:00z", "2026-11-27T10:00:00Z");
    norm_ok(xrm_norm_datetime, "2026-11-27T10:00:00.123456+01:00", "2026-11-27T09:00:00Z");
    norm_ok(xrm_norm_datetime, "2026-11-27T10:00:00+00:00", "2026-11-27T10:00:00Z");
    norm_ok(xrm_norm_datetime, "2026-11-27T10:00:00-00:00", "2026-11-27T10:00:00Z");
    /* crossing midnight forwards and backwards */
    norm_ok(xrm_norm_datetime, "2026-11-27T23:30:00-01:00", "2026-11-28T00:30:00Z");
    norm_ok(xrm_norm_datetime, "2026-11-27T00:59:59+01:00", "2026-11-26T23:59:59Z");
    /* month ends, including leap days */
    norm_ok(xrm_norm_datetime, "2026-04-30T22:00:00-05:00", "2026-05-01T03:00:00Z");
    norm_ok(xrm_norm_datetime, "2024-03-01T00:15:00+05:30", "2024-02-29T18:45:00Z");
    norm_ok(xrm_norm_datetime, "2023-03-01T00:15:00+01:00", "2023-02-28T23:15:00Z");
    norm_ok(xrm_norm_datetime, "2024-02-28T23:00:00-02:00", "2024-02-29T01:00:00Z");
    /* year end both ways */
    norm_ok(xrm_norm_datetime, "2026-12-31T23:30:00-02:00", "2027-01-01T01:30:00Z");
    norm_ok(xrm_norm_datetime, "2027-01-01T00:30:00+01:00", "2026-12-31T23:30:00Z");
    norm_ok(xrm_norm_datetime, "2026-06-15T12:00:00+23:59", "2026-06-14T12:01:00Z");
    norm_ok(xrm_norm_datetime, "1900-01-01T01:00:00+01:00", "1900-01-01T00:00:00Z");

    norm_bad(xrm_norm_datetime, NULL);
    norm_bad(xrm_norm_datetime, "");
    norm_bad(xrm_norm_datetime, "2026-11-27");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00"); /* no offset */
    norm_bad(xrm_norm_datetime, "2026-11-27 10:00:00Z");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00Z");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00+0100");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00+01");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00+24:00");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00+01:60");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00.Z");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:00:00Z ");
    norm_bad(xrm_norm_datetime, "2026-11-27T24:00:00Z");
    norm_bad(xrm_norm_datetime, "2026-11-27T10:60:00Z");
    norm_bad(xrm_norm_datetime, "2026-12-31T23:59:60Z");
    norm_bad(xrm_norm_datetime, "2023-02-29T10:00:00Z");
    norm_bad(xrm_norm_datetime, "1899-12-31T23:00:00-02:00"); /* local year too early */
    norm_bad(xrm_norm_datetime, "1900-01-01T00:30:00+01:00"); /* UTC year 1899 */
    norm_bad(xrm_norm_datetime, "2199-12-31T23:30:00-01:00"); /* UTC year 2200 */
    norm_fits(xrm_norm_datetime, "2026-01-01T00:00:00+01:00", "2025-12-31T23:00:00Z");
    prefixes_bad(xrm_norm_datetime, "2026-11-27T10:00:00.5+01:00");
}

static void test_url(void **state)
{
    norm_ok(xrm_norm_url, "example.nl", "https://example.nl");
    norm_ok(xrm_norm_url, "www.Example.NL/Contact?x=1", "https://www.example.nl/Contact?x=1");
    norm_ok(xrm_norm_url, "HTTP://Example.NL/Path?q=A#Frag", "http://example.nl/Path?q=A#Frag");
    norm_ok(xrm_norm_url, "https://example.nl", "https://example.nl");
    norm_ok(xrm_norm_url, "https://example.nl:8443/a/b", "https://example.nl:8443/a/b");
    norm_ok(xrm_norm_url, "http://localhost:8080/", "http://localhost:8080/");
    norm_ok(xrm_norm_url, "https://192.168.1.10/admin", "https://192.168.1.10/admin");
    norm_ok(xrm_norm_url, "https://[2001:DB8::1]:443/x", "https://[2001:db8::1]:443/x");
    norm_ok(xrm_norm_url, "https://example.nl/a%20b", "https://example.nl/a%20b");
    norm_ok(xrm_norm_url,
            "https://b\xc3\xbc"
            "cher.de/",
            "https://b\xc3\xbc"
            "cher.de/");
    norm_ok(xrm_norm_url, "example.nl/go?to=https://other.nl",
            "https://example.nl/go?to=https://other.nl");

    norm_bad(xrm_norm_url, NULL);
    norm_bad(xrm_norm_url, "");
    norm_bad(xrm_norm_url, "example"); /* bare host needs a dot */
    norm_bad(xrm_norm_url, "ftp://example.nl/");
    norm_bad(xrm_norm_url, "javascript:alert(1)");
    norm_bad(xrm_norm_url, "mailto:info@example.nl");
    norm_bad(xrm_norm_url, "https://");
    norm_bad(xrm_norm_url, "https:///path");
    norm_bad(xrm_norm_url, "http:/example.nl");
    norm_bad(xrm_norm_url, "//example.nl");
    norm_bad(xrm_norm_url, " https://example.nl");
    norm_bad(xrm_norm_url, "https://exa mple.nl");
    norm_bad(xrm_norm_url, "https://example.nl/a b");
    norm_bad(xrm_norm_url, "https://example.nl/a\tb");
    norm_bad(xrm_norm_url, "https://example.nl/\x7f");
    norm_bad(xrm_norm_url, "https://example.nl/<script>");
    norm_bad(xrm_norm_url, "https://example.nl/%zz");
    norm_bad(xrm_norm_url, "https://example.nl/%2");
    norm_bad(xrm_norm_url, "https://user:pw@example.nl/");
    norm_bad(xrm_norm_url, "https://example.nl:0/");
    norm_bad(xrm_norm_url, "https://example.nl:65536/");
    norm_bad(xrm_norm_url, "https://example.nl:/");
    norm_bad(xrm_norm_url, "https://example.nl:80a/");
    norm_bad(xrm_norm_url, "https://-example.nl/");
    norm_bad(xrm_norm_url, "https://example..nl/");
    norm_bad(xrm_norm_url, "https://256.1.1.1/");
    norm_bad(xrm_norm_url, "https://1.2.3/");
    norm_bad(xrm_norm_url, "https://01.2.3.4/");
    norm_bad(xrm_norm_url, "https://[2001:db8::g]/");
    norm_bad(xrm_norm_url, "https://[2001:db8::1/");
    norm_bad(xrm_norm_url, "[2001:db8::1]"); /* a bare host is a name */
    norm_bad(xrm_norm_url, "https://[::1]x8/");
    norm_bad(xrm_norm_url, "https://example.nl/\xff");
    norm_fits(xrm_norm_url, "example.nl", "https://example.nl");
    norm_fits(xrm_norm_url, "HTTPS://A.NL/X", "https://a.nl/X");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_valid), cmocka_unit_test(test_email_invalid),
        cmocka_unit_test(test_email_norm),  cmocka_unit_test(test_iban),
        cmocka_unit_test(test_kvk),         cmocka_unit_test(test_vat_nl),
        cmocka_unit_test(test_vat_eu),      cmocka_unit_test(test_postcode),
        cmocka_unit_test(test_phone),       cmocka_unit_test(test_date),
        cmocka_unit_test(test_datetime),    cmocka_unit_test(test_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
