/*
 * Messages in the reader's language: Accept-Language picks Dutch or
 * English; xrm_errf and xrm_err_field translate their format on a thread
 * whose language is Dutch and leave it English otherwise; the language is
 * the thread's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/error.h"
#include "core/messages.h"

static void test_accept_language(void **state)
{
    (void)state;
    assert_int_equal(xrm_lang_accept(NULL), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept(""), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("nl"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("nl-NL"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("nl-BE"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("NL-nl"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("en-US,en;q=0.9,nl;q=0.8"), XRM_LANG_EN);
    /* q-values, not the order, decide */
    assert_int_equal(xrm_lang_accept("en;q=0.5, nl;q=0.9"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("nl;q=0.1, en"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("en;q=0.8, nl; q=0.85"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("nl;q=1.0, en;q=1"), XRM_LANG_NL); /* a tie: the first */
    /* a language we do not have is passed over; q=0 refuses */
    assert_int_equal(xrm_lang_accept("fr-FR, fr;q=0.9, nl;q=0.5"), XRM_LANG_NL);
    assert_int_equal(xrm_lang_accept("de"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("nl;q=0"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("*"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("*;q=0.5, nl"), XRM_LANG_NL);
    /* not Dutch: nothing that merely starts with "nl" */
    assert_int_equal(xrm_lang_accept("nld"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("nn, nb"), XRM_LANG_EN);
    /* junk does not read past the header or crash */
    assert_int_equal(xrm_lang_accept(",,;q=,nl;q=x,;"), XRM_LANG_EN);
    assert_int_equal(xrm_lang_accept("  nl  ;  q=0.7 ,en;q=0.6"), XRM_LANG_NL);
    assert_string_equal(xrm_lang_tag(XRM_LANG_NL), "nl");
    assert_string_equal(xrm_lang_tag(XRM_LANG_EN), "en");
}

static void test_lookup(void **state)
{
    (void)state;
    const char *en = "a KvK number has exactly 8 digits";
    assert_string_equal(xrm_msg_in(XRM_LANG_NL, en), "een KvK-nummer heeft precies 8 cijfers");
    assert_ptr_equal(xrm_msg_in(XRM_LANG_EN, en), en);
    /* no entry: the English message itself */
    const char *none = "no such message in any dictionary";
    assert_ptr_equal(xrm_msg_in(XRM_LANG_NL, none), none);
    assert_null(xrm_msg_in(XRM_LANG_NL, NULL));
    /* every key is found, whatever its place in the table */
    for (size_t i = 0; i < xrm_msg_nl_count; i++)
        assert_ptr_equal(xrm_msg_in(XRM_LANG_NL, xrm_msg_nl[i].en), xrm_msg_nl[i].tr);
    /* field names */
    assert_string_equal(xrm_msg_field(XRM_LANG_NL, "kvk"), "KvK-nummer");
    assert_string_equal(xrm_msg_field(XRM_LANG_NL, "addresses[0].postcode"), "Postcode");
    assert_string_equal(xrm_msg_field(XRM_LANG_NL, "emails[1]"), "E-mailadressen");
    /* a last name without a reader's name goes by the one before it */
    assert_string_equal(xrm_msg_field(XRM_LANG_NL, "emails[0].value"), "E-mailadressen");
    assert_string_equal(xrm_msg_field(XRM_LANG_NL, "attributes.salary"), "Kenmerken");
    assert_null(xrm_msg_field(XRM_LANG_NL, "no_such_field"));
    assert_null(xrm_msg_field(XRM_LANG_NL, "x[0].no_such_field"));
    assert_null(xrm_msg_field(XRM_LANG_EN, "kvk"));
}

static void test_errors_follow_the_thread_language(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_lang_get(), XRM_LANG_EN);
    xrm_errf(&err, XRM_E_NOTFOUND, "no party %lld", 42LL);
    assert_string_equal(err.message, "no party 42");

    xrm_lang_set(XRM_LANG_NL);
    xrm_err_clear(&err);
    xrm_errf(&err, XRM_E_NOTFOUND, "no party %lld", 42LL);
    assert_string_equal(err.message, "relatie 42 bestaat niet");
    /* a field error: the message, and the summary under the field's Dutch name */
    xrm_err_clear(&err);
    xrm_err_field(&err, XRM_E_INVALID, "kvk", "a KvK number has exactly 8 digits");
    assert_string_equal(err.fields[0].field, "kvk"); /* fields keep their API names */
    assert_string_equal(err.fields[0].message, "een KvK-nummer heeft precies 8 cijfers");
    assert_string_equal(err.message, "KvK-nummer: een KvK-nummer heeft precies 8 cijfers");
    /* a field without a Dutch name */
    xrm_err_clear(&err);
    xrm_err_field(&err, XRM_E_INVALID, "frobnicate", "must be a string");
    assert_string_equal(err.message, "veld 'frobnicate': moet tekst zijn");
    /* conversions of the Dutch format take the same arguments */
    xrm_err_clear(&err);
    xrm_err_field(&err, XRM_E_INVALID, "tags", "has more than %d tags", 50);
    assert_string_equal(err.fields[0].message, "heeft meer dan 50 labels");
    /* an untranslated format stays English */
    xrm_err_clear(&err);
    xrm_errf(&err, XRM_E_INVALID, "%s", "as it is");
    assert_string_equal(err.message, "as it is");

    xrm_lang_set(XRM_LANG_EN);
    xrm_err_clear(&err);
    xrm_err_field(&err, XRM_E_INVALID, "kvk", "a KvK number has exactly 8 digits");
    assert_string_equal(err.message, "field 'kvk': a KvK number has exactly 8 digits");
}

static void *dutch_thread(void *arg)
{
    struct xrm_err *err = arg;
    xrm_lang_set(XRM_LANG_NL);
    xrm_errf(err, XRM_E_NOTFOUND, "no party %lld", 7LL);
    return NULL;
}

static void test_language_is_per_thread(void **state)
{
    (void)state;
    struct xrm_err theirs = XRM_ERR_INIT, mine = XRM_ERR_INIT;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, dutch_thread, &theirs), 0);
    pthread_join(t, NULL);
    assert_string_equal(theirs.message, "relatie 7 bestaat niet");
    /* the other thread's Dutch is not this one's */
    assert_int_equal(xrm_lang_get(), XRM_LANG_EN);
    xrm_errf(&mine, XRM_E_NOTFOUND, "no party %lld", 7LL);
    assert_string_equal(mine.message, "no party 7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_language),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_errors_follow_the_thread_language),
        cmocka_unit_test(test_language_is_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
