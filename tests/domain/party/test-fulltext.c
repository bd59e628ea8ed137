/*
 * Unit tests for domain/party/fulltext-db: the excerpt shown under a search
 * result ("gevonden in: notitie '...keukenrenovatie...'"): around the first
 * word that starts with the searched word, cut at word boundaries and never
 * inside a UTF-8 character, white space folded, "…" where text was cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/party/fulltext-db.h"

static void excerpt_is(const char *text, const char *word, const char *expect)
{
    char *got = xrm_fulltext_excerpt(text, word);
    if (strcmp(got, expect) != 0)
        fail_msg("excerpt of '%s' for '%s' is '%s', not '%s'", text, word, got, expect);
    free(got);
}

static void test_short_text_whole(void **state)
{
    (void)state;
    excerpt_is("Bezoek showroom\nWil de keukenrenovatie  dit jaar.", "keukenreno",
               "Bezoek showroom Wil de keukenrenovatie dit jaar.");
    excerpt_is("KEUKENRENOVATIE gepland", "keukenreno", "KEUKENRENOVATIE gepland");
    excerpt_is("", "x", "");
}

static void test_long_text_cut_around_the_match(void **state)
{
    (void)state;
    char text[4000] = "";
    for (int i = 0; i < 100; i++)
        strcat(text, "woord ");
    strcat(text, "keukenrenovatie ");
    for (int i = 0; i < 100; i++)
        strcat(text, "ander ");
    char *got = xrm_fulltext_excerpt(text, "keukenreno");
    assert_non_null(strstr(got, "keukenrenovatie"));
    assert_int_equal(strncmp(got, "…woord ", strlen("…woord ")), 0);
    size_t n = strlen(got);
    assert_true(n <= XRM_FULLTEXT_EXCERPT_MAX + 2 * strlen("…"));
    assert_string_equal(got + n - strlen("ander…"), "ander…");
    free(got);
}

static void test_match_starts_a_word(void **state)
{
    (void)state;
    /* "reno" inside "keukenrenovatie" is no match; the word "renovatie" is */
    char text[4000] = "keukenrenovatie ";
    for (int i = 0; i < 60; i++)
        strcat(text, "vul ");
    strcat(text, "renovatie klaar");
    char *got = xrm_fulltext_excerpt(text, "reno");
    assert_non_null(strstr(got, "renovatie klaar"));
    assert_null(strstr(got, "keukenrenovatie"));
    free(got);
}

static void test_never_splits_utf8(void **state)
{
    (void)state;
    char text[4000] = "";
    for (int i = 0; i < 80; i++)
        strcat(text, "\xc3\xa9\xc3\xa9\xc3\xa9"); /* ééé without spaces */
    strcat(text, " café ");
    for (int i = 0; i < 80; i++)
        strcat(text, "\xc3\xa9\xc3\xa9\xc3\xa9");
    char *got = xrm_fulltext_excerpt(text, "caf");
    const unsigned char *u = (const unsigned char *)got;
    size_t n = strlen(got);
    /* every lead byte is followed by its continuation bytes */
    for (size_t i = 0; i < n;) {
        size_t len = u[i] < 0x80 ? 1 : u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 : u[i] >= 0xc0 ? 2 : 0;
        assert_true(len > 0 && i + len <= n);
        for (size_t k = 1; k < len; k++)
            assert_int_equal(u[i + k] & 0xc0, 0x80);
        i += len;
    }
    assert_non_null(strstr(got, "café"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_whole),
        cmocka_unit_test(test_long_text_cut_around_the_match),
        cmocka_unit_test(test_match_starts_a_word),
        cmocka_unit_test(test_never_splits_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
