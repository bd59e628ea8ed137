/*
 * Unit tests of the VAT arithmetic (domain/billing/vat.c) against totals
 * computed by hand: mixed rates, discounts (33.33%), half cents rounded
 * away from zero both ways, decimal quantities, reverse charge, exempt,
 * 0%, a credit note's lines, big amounts, and the field errors of bad lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/billing/vat.h"
#include "core/banned.h"

static void test_div_round(void **state)
{
    (void)state;
    assert_int_equal(xrm_vat_div_round(5, 10), 1);   /* 0.5 -> 1 */
    assert_int_equal(xrm_vat_div_round(4, 10), 0);   /* 0.4 -> 0 */
    assert_int_equal(xrm_vat_div_round(-5, 10), -1); /* -0.5 -> -1 (away from zero) */
    assert_int_equal(xrm_vat_div_round(-4, 10), 0);
    assert_int_equal(xrm_vat_div_round(15, 10), 2);
    assert_int_equal(xrm_vat_div_round(-15, 10), -2);
}

/* One hand-computed line: quantity (thousandths), price, discount (1/100 %), net. */
struct line_case {
    int64_t qty, price, disc, net;
};

static void test_line_net(void **state)
{
    (void)state;
    static const struct line_case cases[] = {
        {1000, 10000, 0, 10000},  /* 1 x 100.00 */
        {2500, 1999, 0, 4998},    /* 2.5 x 19.99 = 49.975 -> 49.98 (half up) */
        {1000, 1000, 3333, 667},  /* 10.00 - 33.33% = 6.667 -> 6.67 */
        {3000, 3333, 3333, 6666}, /* 3 x 33.33 = 99.99, x 0.6667 = 66.663333 -> 66.66 */
        {1500, 1, 0, 2},          /* 1.5 cents -> 2 */
        {500, 1, 0, 1},           /* 0.5 cent -> 1 */
        {1000, 12345, 10000, 0},  /* 100% discount */
        {333, 300, 0, 100},       /* 0.333 x 3.00 = 0.999 -> 1.00 */
        {1000, 0, 0, 0},          /* free line */
        {1000000000, 10000000000LL, 0, 10000000000000000LL}, /* 10^6 x 10^8 euro */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got = xrm_vat_line_net(cases[i].qty, cases[i].price, cases[i].disc);
        assert_int_equal(got, cases[i].net);
    }
}

static void test_amount(void **state)
{
    (void)state;
    assert_int_equal(xrm_vat_amount(10000, "21"), 2100);
    assert_int_equal(xrm_vat_amount(250, "21"), 53); /* 52.5 -> 53 */
    assert_int_equal(xrm_vat_amount(50, "9"), 5);    /* 4.5 -> 5 */
    assert_int_equal(xrm_vat_amount(49, "9"), 4);    /* 4.41 -> 4 */
    assert_int_equal(xrm_vat_amount(10000, "0"), 0);
    assert_int_equal(xrm_vat_amount(10000, "exempt"), 0);
    assert_int_equal(xrm_vat_amount(10000, "reverse_charge"), 0);
    assert_int_equal(xrm_vat_amount(-250, "21"), -53); /* negative half away from zero */
}

/* Runs xrm_vat_lines on JSON text; returns the totals (or NULL with err filled). */
static json_t *totals_of(const char *text, json_t **lines, struct xrm_err *err)
{
    json_error_t je;
    json_t *in = json_loads(text, 0, &je), *l = NULL, *t = NULL;
    assert_non_null(in);
    enum xrm_rc rc = xrm_vat_lines(in, &l, &t, err);
    json_decref(in);
    if (rc)
        return NULL;
    if (lines)
        *lines = l;
    else
        json_decref(l);
    return t;
}

static void assert_vat(json_t *totals, size_t i, const char *rate, int64_t base, int64_t amount)
{
    json_t *v = json_array_get(json_object_get(totals, "vat"), i);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "rate")), rate);
    assert_int_equal(json_integer_value(json_object_get(v, "base")), base);
    assert_int_equal(json_integer_value(json_object_get(v, "amount")), amount);
}

static int64_t num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void test_mixed_rates(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *lines = NULL;
    /* lines in a mixed order; totals come 21, 9, 0, exempt, reverse_charge */
    json_t *t = totals_of(
        "[{\"description\":\"Boek\",\"quantity\":3,\"unit_price\":1999,\"vat\":\"9\"},"
        "{\"description\":\"Advies\",\"quantity\":1.5,\"unit\":\"uur\",\"unit_price\":9500,"
        "\"vat\":\"21\"},"
        "{\"description\":\"Export\",\"quantity\":1,\"unit_price\":50000,\"vat\":\"0\"},"
        "{\"description\":\"Les\",\"quantity\":2,\"unit_price\":4000,\"vat\":\"exempt\"},"
        "{\"description\":\"Montage\",\"quantity\":10,\"unit_price\":4550,"
        "\"discount_pct\":33.33,\"vat\":\"reverse_charge\"},"
        "{\"description\":\"Licentie\",\"quantity\":1,\"unit_price\":1250,\"vat\":\"21\"}]",
        &lines, &err);
    assert_non_null(t);
    /* 21: 1.5 x 95.00 = 142.50 + 12.50 = 155.00, VAT 32.55 */
    assert_vat(t, 0, "21", 15500, 3255);
    /* 9: 3 x 19.99 = 59.97, VAT 5.3973 -> 5.40 */
    assert_vat(t, 1, "9", 5997, 540);
    assert_vat(t, 2, "0", 50000, 0);
    assert_vat(t, 3, "exempt", 8000, 0);
    /* 10 x 45.50 = 455.00 - 33.33% = 303.3485 -> 303.35 */
    assert_vat(t, 4, "reverse_charge", 30335, 0);
    assert_int_equal(num(t, "net"), 15500 + 5997 + 50000 + 8000 + 30335);
    assert_int_equal(num(t, "gross"), 15500 + 5997 + 50000 + 8000 + 30335 + 3255 + 540);
    assert_int_equal(num(json_array_get(lines, 1), "net"), 14250);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(lines, 0), "quantity")), 3);
    json_decref(lines);
    json_decref(t);
}

static void test_half_cents(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    /* 21% of 2.50 = 0.525 -> 0.53 (up); 21% of 2.49 = 0.5229 -> 0.52 (down) */
    json_t *t = totals_of(
        "[{\"description\":\"a\",\"quantity\":1,\"unit_price\":250,\"vat\":\"21\"}]", NULL, &err);
    assert_vat(t, 0, "21", 250, 53);
    assert_int_equal(num(t, "gross"), 303);
    json_decref(t);
    t = totals_of("[{\"description\":\"a\",\"quantity\":1,\"unit_price\":249,\"vat\":\"21\"}]",
                  NULL, &err);
    assert_vat(t, 0, "21", 249, 52);
    json_decref(t);
    /* per rate, not per line: 3 lines of 0.05 at 9% = 0.15 -> VAT 0.0135 -> 0.01 */
    t = totals_of("[{\"description\":\"a\",\"quantity\":1,\"unit_price\":5,\"vat\":\"9\"},"
                  "{\"description\":\"b\",\"quantity\":1,\"unit_price\":5,\"vat\":\"9\"},"
                  "{\"description\":\"c\",\"quantity\":1,\"unit_price\":5,\"vat\":\"9\"}]",
                  NULL, &err);
    assert_vat(t, 0, "9", 15, 1);
    json_decref(t);
    /* 0.333 x 0.01 = 0.00333 cents -> 0; 0.5 x 0.01 -> 0.005 euro -> 1 cent */
    t = totals_of("[{\"description\":\"a\",\"quantity\":0.333,\"unit_price\":1,\"vat\":\"21\"},"
                  "{\"description\":\"b\",\"quantity\":0.5,\"unit_price\":1,\"vat\":\"0\"}]",
                  NULL, &err);
    assert_vat(t, 0, "21", 0, 0);
    assert_vat(t, 1, "0", 1, 0);
    json_decref(t);
}

static void test_credit_note_and_big(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    /* a credit note's lines are positive like the invoice's: same arithmetic */
    json_t *t =
        totals_of("[{\"description\":\"Creditering advies\",\"quantity\":2,\"unit_price\":12100,"
                  "\"discount_pct\":10,\"vat\":\"21\"}]",
                  NULL, &err);
    assert_vat(t, 0, "21", 21780, 4574); /* 4573.8 -> 4574 */
    assert_int_equal(num(t, "gross"), 26354);
    json_decref(t);
    /* big: 200 lines of 1,000,000 x 100,000,000.00 would be 2e18 cents: no overflow */
    t = totals_of("[{\"description\":\"groot\",\"quantity\":1000000,\"unit_price\":10000000000,"
                  "\"vat\":\"21\"},{\"description\":\"groot\",\"quantity\":1000000,"
                  "\"unit_price\":10000000000,\"vat\":\"21\"}]",
                  NULL, &err);
    assert_vat(t, 0, "21", 20000000000000000LL, 4200000000000000LL);
    assert_int_equal(num(t, "gross"), 24200000000000000LL);
    json_decref(t);
    /* no lines: zero totals, no vat entries */
    t = totals_of("[]", NULL, &err);
    assert_int_equal(num(t, "net"), 0);
    assert_int_equal(json_array_size(json_object_get(t, "vat")), 0);
    json_decref(t);
}

static bool has_field(const struct xrm_err *err, const char *field)
{
    for (int i = 0; i < err->nfields && i < XRM_ERR_MAX_FIELDS; i++)
        if (strcmp(err->fields[i].field, field) == 0)
            return true;
    return false;
}

static void test_bad_lines(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *t = totals_of(
        "[{\"description\":\"ok\",\"quantity\":1,\"unit_price\":100,\"vat\":\"21\"},"
        "{\"description\":\"\",\"quantity\":0,\"unit_price\":-1,\"vat\":\"19\"},"
        "{\"description\":\"x\",\"quantity\":1.0005,\"unit_price\":1,\"discount_pct\":12.345,"
        "\"vat\":\"9\"},"
        "{\"description\":\"x\",\"quantity\":2000000,\"unit_price\":1,\"discount_pct\":101,"
        "\"vat\":\"9\",\"colour\":\"red\"}]",
        NULL, &err);
    assert_null(t);
    assert_true(has_field(&err, "lines[1].description"));
    assert_true(has_field(&err, "lines[1].quantity"));
    assert_true(has_field(&err, "lines[1].unit_price"));
    assert_true(has_field(&err, "lines[1].vat"));
    assert_true(has_field(&err, "lines[2].quantity"));
    assert_true(has_field(&err, "lines[2].discount_pct"));
    assert_true(has_field(&err, "lines[3].quantity"));
    assert_true(has_field(&err, "lines[3].discount_pct"));
    assert_true(has_field(&err, "lines[3].colour"));
    assert_false(has_field(&err, "lines[0].vat"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_div_round),  cmocka_unit_test(test_line_net),
        cmocka_unit_test(test_amount),     cmocka_unit_test(test_mixed_rates),
        cmocka_unit_test(test_half_cents), cmocka_unit_test(test_credit_note_and_big),
        cmocka_unit_test(test_bad_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
