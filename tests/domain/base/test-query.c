/*
 * Unit tests for the search-box query parser (domain/query.c): each term
 * kind, negation, quoting, Dutch name prefixes, UTF-8 lower-casing, the
 * caps, comparisons, and every error, which must leave the query empty,
 * leak nothing, say where the offending term is and be 400 (syntax) or 422
 * (a value).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/base/query.h"
#include "core/banned.h"

static struct xrm_query parse_ok(const char *text)
{
    struct xrm_query q;
    struct xrm_err err = XRM_ERR_INIT;

    assert_int_equal(xrm_query_parse(text, &q, &err), XRM_OK);
    assert_int_equal(err.rc, XRM_OK);
    assert_int_equal(err.nfields, 0);
    return q;
}

/* Parses text, expecting rc on field "q" with needle in the message. */
static void parse_bad(const char *text, enum xrm_rc rc, const char *needle)
{
    struct xrm_query q = {99, (struct xrm_qterm *)&q, (const struct xrm_user *)&q};
    struct xrm_err err = XRM_ERR_INIT;

    assert_int_equal(xrm_query_parse(text, &q, &err), rc);
    assert_int_equal(err.rc, rc);
    assert_int_equal(err.nfields, 1);
    assert_string_equal(err.fields[0].field, "q");
    if (!strstr(err.fields[0].message, needle))
        fail_msg("message '%s' lacks '%s'", err.fields[0].message, needle);
    if (!strstr(err.fields[0].message, " at position "))
        fail_msg("message '%s' gives no position", err.fields[0].message);
    assert_int_equal(q.n, 0);
    assert_null(q.terms);
    assert_null(q.viewer);
    xrm_query_release(&q);
}

/* A bad value or a cap: 422. */
static void parse_fails(const char *text, const char *needle)
{
    parse_bad(text, XRM_E_INVALID, needle);
}

/* A syntax error: 400. */
static void parse_syntax(const char *text, const char *needle)
{
    parse_bad(text, XRM_E_MALFORMED, needle);
}

static void check_term(const struct xrm_query *q, size_t i, enum xrm_qterm_kind kind, bool neg,
                       const char *key, const char *value)
{
    assert_true(i < q->n);
    assert_int_equal(q->terms[i].kind, kind);
    assert_int_equal(q->terms[i].negated, neg);
    if (key)
        assert_string_equal(q->terms[i].key, key);
    else
        assert_null(q->terms[i].key);
    assert_non_null(q->terms[i].value);
    assert_string_equal(q->terms[i].value, value);
}

/* Parses text, expecting exactly one term. */
static void one(const char *text, enum xrm_qterm_kind kind, bool neg, const char *key,
                const char *value)
{
    struct xrm_query q = parse_ok(text);

    assert_int_equal(q.n, 1);
    check_term(&q, 0, kind, neg, key, value);
    xrm_query_release(&q);
}

static void test_empty(void **state)
{
    struct xrm_query q = parse_ok("");
    assert_int_equal(q.n, 0);
    assert_null(q.terms);
    xrm_query_release(&q);

    q = parse_ok(" \t\r\n  \xc2\xa0 ");
    assert_int_equal(q.n, 0);
    xrm_query_release(&q);

    q = parse_ok(NULL);
    assert_int_equal(q.n, 0);
    xrm_query_release(&q);

    /* Only punctuation, or a lone dash, gives no term. */
    q = parse_ok("- ... \"\" , -\"!\"");
    assert_int_equal(q.n, 0);
    xrm_query_release(&q);
}

static void test_full_example(void **state)
{
    struct xrm_query q = parse_ok("role:customer role:partner -role:employee tag:vip city:Utrecht "
                                  "partner.tier:gold priority:high idle:90d status:customer=active "
                                  "kind:person \"de vries\" jan");

    assert_int_equal(q.n, 12);
    check_term(&q, 0, XRM_QT_ROLE, false, NULL, "customer");
    check_term(&q, 1, XRM_QT_ROLE, false, NULL, "partner");
    check_term(&q, 2, XRM_QT_ROLE, true, NULL, "employee");
    check_term(&q, 3, XRM_QT_TAG, false, NULL, "vip");
    check_term(&q, 4, XRM_QT_CITY, false, NULL, "utrecht");
    check_term(&q, 5, XRM_QT_ATTR, false, "partner.tier", "gold");
    check_term(&q, 6, XRM_QT_PRIORITY, false, NULL, "high");
    check_term(&q, 7, XRM_QT_IDLE, false, NULL, "90d");
    assert_int_equal(q.terms[7].days, 90);
    check_term(&q, 8, XRM_QT_STATUS, false, "customer", "active");
    check_term(&q, 9, XRM_QT_KIND, false, NULL, "person");
    check_term(&q, 10, XRM_QT_PHRASE, false, NULL, "vries");
    check_term(&q, 11, XRM_QT_WORD, false, NULL, "jan");
    xrm_query_release(&q);
    xrm_query_release(&q); /* twice is harmless */
    xrm_query_release(NULL);
}

static void test_words(void **state)
{
    one("Jan", XRM_QT_WORD, false, NULL, "jan");
    one("  -Jan  ", XRM_QT_WORD, true, NULL, "jan");
    one("(Jansen),", XRM_QT_WORD, false, NULL, "jansen");
    one("jan-willem", XRM_QT_WORD, false, NULL, "jan-willem");
    one("--jan", XRM_QT_WORD, true, NULL, "jan");
    /* Colons that are not filters: e-mail, time, URL. */
    one("Jan@X.nl", XRM_QT_WORD, false, NULL, "jan@x.nl");
    one("10:30", XRM_QT_WORD, false, NULL, "10:30");
    one("-10:30", XRM_QT_WORD, true, NULL, "10:30");
    one("https://Example.nl/x", XRM_QT_WORD, false, NULL, "https://example.nl/x");
    one("1.5:2", XRM_QT_WORD, false, NULL, "1.5:2");
    one("a.b.c:d", XRM_QT_WORD, false, NULL, "a.b.c:d");
    one("\"' jan '\"", XRM_QT_PHRASE, false, NULL, "jan");
}

static void test_phrases(void **state)
{
    one("\"Piet  Jansen\"", XRM_QT_PHRASE, false, NULL, "piet jansen");
    one("-\"Piet Jansen\"", XRM_QT_PHRASE, true, NULL, "piet jansen");
    one("\"jan\"", XRM_QT_PHRASE, false, NULL, "jan");
    /* Curly and low double quotes count as quotes. */
    one("\xe2\x80\x9ePiet Jansen\xe2\x80\x9d", XRM_QT_PHRASE, false, NULL, "piet jansen");
    one("\xe2\x80\x9cPiet, Jansen!\xe2\x80\x9d", XRM_QT_PHRASE, false, NULL, "piet jansen");

    /* A quote ends a bare word; a closing quote ends a phrase. */
    struct xrm_query q = parse_ok("jan\"piet klaas\"kees");
    assert_int_equal(q.n, 3);
    check_term(&q, 0, XRM_QT_WORD, false, NULL, "jan");
    check_term(&q, 1, XRM_QT_PHRASE, false, NULL, "piet klaas");
    check_term(&q, 2, XRM_QT_WORD, false, NULL, "kees");
    xrm_query_release(&q);
}

static void test_name_prefixes(void **state)
{
    one("van der berg", XRM_QT_WORD, false, NULL, "berg");
    one("\"de vries\"", XRM_QT_PHRASE, false, NULL, "vries");
    one("\"Jan van der Berg\"", XRM_QT_PHRASE, false, NULL, "jan berg");
    one("van", XRM_QT_WORD, false, NULL, "van");
    one("VAN", XRM_QT_WORD, false, NULL, "van");
    one("d'Hondt", XRM_QT_WORD, false, NULL, "hondt");
    one("L'Oréal", XRM_QT_WORD, false, NULL, "oréal");
    one("\xe2\x80\x99t Hart", XRM_QT_WORD, false, NULL, "hart");
    one("v.d. Berg", XRM_QT_WORD, false, NULL, "berg");
    one("van't Hof", XRM_QT_WORD, false, NULL, "hof");
    one("jan -de", XRM_QT_WORD, false, NULL, "jan");
    one("\"van der\" jan", XRM_QT_WORD, false, NULL, "jan");
    one("\"van der\"", XRM_QT_PHRASE, false, NULL, "van der");

    /* Nothing but prefixes: all kept. */
    struct xrm_query q = parse_ok("van der");
    assert_int_equal(q.n, 2);
    check_term(&q, 0, XRM_QT_WORD, false, NULL, "van");
    check_term(&q, 1, XRM_QT_WORD, false, NULL, "der");
    xrm_query_release(&q);

    /* Filters and negated words are no text to search for: "van" is kept. */
    q = parse_ok("role:customer van -jan");
    assert_int_equal(q.n, 3);
    check_term(&q, 0, XRM_QT_ROLE, false, NULL, "customer");
    check_term(&q, 1, XRM_QT_WORD, false, NULL, "van");
    check_term(&q, 2, XRM_QT_WORD, true, NULL, "jan");
    xrm_query_release(&q);

    q = parse_ok("-van");
    assert_int_equal(q.n, 1);
    check_term(&q, 0, XRM_QT_WORD, true, NULL, "van");
    xrm_query_release(&q);

    assert_true(xrm_query_is_name_prefix("van"));
    assert_true(xrm_query_is_name_prefix("der"));
    assert_true(xrm_query_is_name_prefix("'t"));
    assert_true(xrm_query_is_name_prefix("ten"));
    assert_false(xrm_query_is_name_prefix("jan"));
    assert_false(xrm_query_is_name_prefix("Van"));
    assert_false(xrm_query_is_name_prefix(""));
    assert_false(xrm_query_is_name_prefix(NULL));
}

static void test_utf8(void **state)
{
    one("ÉMILE", XRM_QT_WORD, false, NULL, "émile");
    one("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ", XRM_QT_WORD, false, NULL,
        "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ");
    one("Straße×", XRM_QT_WORD, false, NULL, "straße×");
}

static void test_utf8_more(void **state)
{
    struct xrm_query q = parse_ok("ŁUKASZ ŠŤĚPÁNEK ĲSSEL ŸVES İlhan");
    assert_int_equal(q.n, 5);
    check_term(&q, 0, XRM_QT_WORD, false, NULL, "łukasz");
    check_term(&q, 1, XRM_QT_WORD, false, NULL, "šťěpánek");
    check_term(&q, 2, XRM_QT_WORD, false, NULL, "ĳssel");
    check_term(&q, 3, XRM_QT_WORD, false, NULL, "ÿves");
    check_term(&q, 4, XRM_QT_WORD, false, NULL, "ilhan");
    xrm_query_release(&q);

    /* Other scripts, emoji and stray bytes are kept as they are. */
    one("Ελλάδα", XRM_QT_WORD, false, NULL, "Ελλάδα");
    one("日本\xf0\x9f\x98\x80", XRM_QT_WORD, false, NULL, "日本\xf0\x9f\x98\x80");
    one("AB\xc3\xff", XRM_QT_WORD, false, NULL, "ab\xc3\xff");
    one("city:ZÜRICH", XRM_QT_CITY, false, NULL, "zürich");
    /* NBSP separates terms. */
    q = parse_ok("jan\xc2\xa0piet");
    assert_int_equal(q.n, 2);
    xrm_query_release(&q);
}

static void test_filters(void **state)
{
    one("role:Customer", XRM_QT_ROLE, false, NULL, "customer");
    one("Role:customer", XRM_QT_ROLE, false, NULL, "customer");
    one("-tag:VIP", XRM_QT_TAG, true, NULL, "vip");
    one("tag:\"new-2024\"", XRM_QT_TAG, false, NULL, "new-2024");
    one("tag:top_100", XRM_QT_TAG, false, NULL, "top_100");
    one("city:\"Den  Haag \"", XRM_QT_CITY, false, NULL, "den haag");
    one("city:'s-Hertogenbosch", XRM_QT_CITY, false, NULL, "'s-hertogenbosch");
    one("partner.Tier:Gold", XRM_QT_ATTR, false, "partner.tier", "Gold");
    one("-partner.tier:\"Gold Plus\"", XRM_QT_ATTR, true, "partner.tier", "Gold Plus");
    one("x.url:https://a.nl", XRM_QT_ATTR, false, "x.url", "https://a.nl");
    one("status:Customer=Active", XRM_QT_STATUS, false, "customer", "active");
    one("status:customer=\"On  Hold\"", XRM_QT_STATUS, false, "customer", "on hold");
    one("status:\"customer=lead\"", XRM_QT_STATUS, false, "customer", "lead");
    one("-status:customer=lead", XRM_QT_STATUS, true, "customer", "lead");
}

static void test_kind_priority(void **state)
{
    one("kind:person", XRM_QT_KIND, false, NULL, "person");
    one("kind:PERSON", XRM_QT_KIND, false, NULL, "person");
    one("kind:organization", XRM_QT_KIND, false, NULL, "organization");
    one("kind:Organisation", XRM_QT_KIND, false, NULL, "organization");
    one("-kind:org", XRM_QT_KIND, true, NULL, "organization");
    one("priority:low", XRM_QT_PRIORITY, false, NULL, "low");
    one("priority:Normal", XRM_QT_PRIORITY, false, NULL, "normal");
    one("priority:HIGH", XRM_QT_PRIORITY, false, NULL, "high");
    one("priority:top", XRM_QT_PRIORITY, false, NULL, "top");
    parse_fails("kind:robot", "unknown kind 'robot'");
    parse_fails("priority:urgent", "unknown priority 'urgent'");
}

static void test_idle(void **state)
{
    static const struct {
        const char *text;
        const char *value;
        long days;
    } ok[] = {
        {"idle:90d", "90d", 90},
        {"idle:2w", "2w", 14},
        {"idle:3M", "3m", 90},
        {"idle:1y", "1y", 365},
        {"idle:007d", "7d", 7},
        {"idle:36500d", "36500d", 36500},
        {"idle:36500y", "36500y", 36500L * 365},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct xrm_query q = parse_ok(ok[i].text);
        assert_int_equal(q.n, 1);
        check_term(&q, 0, XRM_QT_IDLE, false, NULL, ok[i].value);
        assert_int_equal(q.terms[0].days, ok[i].days);
        xrm_query_release(&q);
    }
    one("-idle:30d", XRM_QT_IDLE, true, NULL, "30d");

    parse_fails("idle:0d", "bad idle time '0d'");
    parse_fails("idle:36501d", "bad idle time '36501d'");
    parse_fails("idle:99999999999999999999999d", "bad idle time");
    parse_fails("idle:90", "bad idle time '90'");
    parse_fails("idle:90x", "bad idle time '90x'");
    parse_fails("idle:d", "bad idle time 'd'");
    parse_fails("idle:9dd", "bad idle time '9dd'");
    parse_fails("idle:-5d", "bad idle time '-5d'");
}

static void test_errors(void **state)
{
    parse_syntax("jan foo:bar", "unknown filter 'foo:'");
    parse_syntax("-Foo:bar", "unknown filter 'Foo:'");
    parse_syntax("mailto:jan@x.nl", "unknown filter 'mailto:'");
    parse_syntax("role:", "empty value in 'role:'");
    parse_syntax("tag:\"\"", "empty value in 'tag:'");
    parse_syntax("city:\"   \"", "empty value in 'city:'");
    parse_syntax("partner.tier:", "empty value in 'partner.tier:'");
    parse_syntax("jan \"de vries", "unterminated quote in '\"de vries'");
    parse_syntax("city:\"Den Haag", "unterminated quote in 'city:\"Den Haag'");
    parse_syntax("role:klant!", "role 'klant!' may only use a-z, 0-9, _ and -");
    parse_syntax("role:\"big customer\"", "role 'big customer'");
    parse_syntax("tag:caf\xc3\xa9", "tag 'caf\xc3\xa9'");
    parse_syntax("status:customer", "bad status filter 'status:customer'");
    parse_syntax("status:=active", "bad status filter 'status:=active'");
    parse_syntax("status:customer=", "bad status filter 'status:customer='");
    parse_syntax("status:a.b=x", "status role 'a.b'");

    /* An error after good terms leaves nothing behind either. */
    parse_syntax("role:customer tag:vip \"jan", "unterminated quote");

    /* A NULL err is allowed. */
    struct xrm_query q;
    assert_int_equal(xrm_query_parse("foo:bar", &q, NULL), XRM_E_MALFORMED);
    assert_int_equal(q.n, 0);
    xrm_query_release(&q);
}

static void test_caps(void **state)
{
    char text[XRM_QUERY_MAX_LEN + 2];
    struct xrm_query q;

    /* Length: exactly the cap parses, one byte more fails. */
    memset(text, ' ', XRM_QUERY_MAX_LEN);
    memcpy(text, "jan", 3);
    text[XRM_QUERY_MAX_LEN] = '\0';
    q = parse_ok(text);
    assert_int_equal(q.n, 1);
    xrm_query_release(&q);
    text[XRM_QUERY_MAX_LEN] = 'x';
    text[XRM_QUERY_MAX_LEN + 1] = '\0';
    parse_fails(text, "query is too long");

    /* One value: XRM_QUERY_MAX_TERM bytes parse, one more fails. */
    memset(text, 'a', XRM_QUERY_MAX_TERM + 1);
    text[XRM_QUERY_MAX_TERM] = '\0';
    q = parse_ok(text);
    assert_int_equal(strlen(q.terms[0].value), XRM_QUERY_MAX_TERM);
    xrm_query_release(&q);
    text[XRM_QUERY_MAX_TERM] = 'a';
    text[XRM_QUERY_MAX_TERM + 1] = '\0';
    parse_fails(text, "is too long (at most 200 bytes)");

    char big[sizeof(text) + 8];
    snprintf(big, sizeof(big), "city:%s", text);
    parse_fails(big, "value of 'city:' is too long");
    snprintf(big, sizeof(big), "\"%s\"", text);
    parse_fails(big, "is too long");

    /* Terms: XRM_QUERY_MAX_TERMS parse, one more fails and is named. */
    size_t len = 0;
    for (int i = 1; i <= XRM_QUERY_MAX_TERMS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "w%d ", i);
    q = parse_ok(text);
    assert_int_equal(q.n, XRM_QUERY_MAX_TERMS);
    check_term(&q, XRM_QUERY_MAX_TERMS - 1, XRM_QT_WORD, false, NULL, "w32");
    xrm_query_release(&q);
    snprintf(text + len, sizeof(text) - len, "tag:w33");
    parse_fails(text, "too many terms at 'tag:w33' (at most 32)");

    /* Dropped name prefixes do not count. */
    len = 0;
    for (int i = 1; i <= XRM_QUERY_MAX_TERMS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "van w%d ", i);
    q = parse_ok(text);
    assert_int_equal(q.n, XRM_QUERY_MAX_TERMS);
    xrm_query_release(&q);

    /* Long terms are cut in messages. */
    memset(text, 'b', 300);
    memcpy(text, "foo", 3);
    memcpy(text + 100, ":x", 3);
    parse_syntax(text, "unknown filter 'foobbb");
    parse_syntax(text, "bbb...:'");
}

/* Comparisons: attributes only, numbers or dates. */
static void test_compare(void **state)
{
    static const struct {
        const char *text;
        enum xrm_qop op;
        const char *key, *value;
    } ok[] = {
        {"supplier.rating>=4", XRM_QOP_GE, "supplier.rating", "4"},
        {"supplier.rating>4", XRM_QOP_GT, "supplier.rating", "4"},
        {"Supplier.Rating<=4.5", XRM_QOP_LE, "supplier.rating", "4.5"},
        {"customer.satisfaction<-1", XRM_QOP_LT, "customer.satisfaction", "-1"},
        {"partner.agreement_until<2027-01-01", XRM_QOP_LT, "partner.agreement_until", "2027-01-01"},
        {"supplier.rating>=\"4\"", XRM_QOP_GE, "supplier.rating", "4"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct xrm_query q = parse_ok(ok[i].text);
        assert_int_equal(q.n, 1);
        check_term(&q, 0, XRM_QT_ATTR, false, ok[i].key, ok[i].value);
        assert_int_equal(q.terms[0].op, ok[i].op);
        xrm_query_release(&q);
    }
    struct xrm_query q = parse_ok("-supplier.rating<3 partner.tier:gold");
    assert_int_equal(q.n, 2);
    check_term(&q, 0, XRM_QT_ATTR, true, "supplier.rating", "3");
    assert_int_equal(q.terms[0].op, XRM_QOP_LT);
    assert_int_equal(q.terms[1].op, XRM_QOP_EQ);
    xrm_query_release(&q);

    /* Not a filter name or attribute: a word. */
    one("a>b", XRM_QT_WORD, false, NULL, "a>b");
    one("<jan@x.nl>", XRM_QT_WORD, false, NULL, "jan@x.nl");
    one("x->y", XRM_QT_WORD, false, NULL, "x->y");

    parse_syntax("role>=3", "'role' cannot be compared with '>='");
    parse_syntax("supplier.rating>=", "empty value in 'supplier.rating>='");
    parse_syntax("customer.status>active", "a role status cannot be compared");
    parse_fails("supplier.rating>=good", "neither a number nor a date");
    parse_fails("supplier.rating>4x", "neither a number nor a date");
    parse_fails("partner.agreement_until<2027-02-30", "neither a number nor a date");
}

static void test_new_filters(void **state)
{
    one("customer.status:active", XRM_QT_STATUS, false, "customer", "active");
    one("-Customer.Status:Former", XRM_QT_STATUS, true, "customer", "former");
    one("badge:Personeel", XRM_QT_BADGE, false, NULL, "personeel");
    one("badge:\"Strategic  Partner\"", XRM_QT_BADGE, false, NULL, "strategic partner");
    one("-badge:PERS", XRM_QT_BADGE, true, NULL, "pers");
    one("has:email", XRM_QT_HAS, false, NULL, "email");
    one("has:E-Mail", XRM_QT_HAS, false, NULL, "email");
    one("has:tel", XRM_QT_HAS, false, NULL, "phone");
    one("-has:address", XRM_QT_HAS, true, NULL, "address");
    one("has:adres", XRM_QT_HAS, false, NULL, "address");
    one("has:website", XRM_QT_HAS, false, NULL, "website");
    one("may:email", XRM_QT_MAY, false, NULL, "email");
    one("may:call", XRM_QT_MAY, false, NULL, "call");
    one("health:at_risk", XRM_QT_HEALTH, false, NULL, "at_risk");
    one("health:at-risk", XRM_QT_HEALTH, false, NULL, "at_risk");
    one("health:Good", XRM_QT_HEALTH, false, NULL, "good");
    one("-health:watch", XRM_QT_HEALTH, true, NULL, "watch");
    parse_fails("has:fax", "unknown has: value 'fax'");
    parse_fails("may:sms", "unknown may: value 'sms'");
    parse_fails("health:ok", "unknown health 'ok'");
    parse_syntax("badge:", "empty value in 'badge:'");
    parse_syntax("customer.status:", "empty value in 'customer.status:'");
    parse_syntax("customer.status:\" \"", "empty value");
}

/* The record terms: deal:, case:, agreement: and revenue comparisons. */
static void test_record_terms(void **state)
{
    one("deal:open", XRM_QT_DEAL, false, NULL, "open");
    one("Deal:WON", XRM_QT_DEAL, false, NULL, "won");
    one("-deal:lost", XRM_QT_DEAL, true, NULL, "lost");
    one("case:open", XRM_QT_CASE, false, NULL, "open");
    one("-case:Closed", XRM_QT_CASE, true, NULL, "closed");
    one("case:breached", XRM_QT_CASE, false, NULL, "breached");
    one("agreement:active", XRM_QT_AGREEMENT, false, NULL, "active");
    one("-agreement:expiring", XRM_QT_AGREEMENT, true, NULL, "expiring");
    parse_fails("deal:closed", "unknown deal: value 'closed' (use open, won or lost)");
    parse_fails("case:waiting", "unknown case: value 'waiting' (use open, closed or breached)");
    parse_fails("agreement:ended", "unknown agreement: value 'ended'");
    parse_syntax("deal:", "empty value in 'deal:'");
    parse_syntax("deal>1", "'deal' cannot be compared with '>'");
    one("case=open", XRM_QT_WORD, false, NULL, "case=open"); /* as role=customer */

    /* Record terms read sales records; the others do not. */
    struct xrm_query q = parse_ok("deal:open case:open agreement:active revenue>1 role:x "
                                  "partner.tier:gold jan");
    assert_int_equal(q.n, 7);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(xrm_query_term_domain(&q.terms[i]), "sales");
    for (size_t i = 4; i < 7; i++)
        assert_null(xrm_query_term_domain(&q.terms[i]));
    xrm_query_release(&q);
}

static void test_revenue(void **state)
{
    static const struct {
        const char *text;
        enum xrm_qop op;
        bool neg;
        const char *value;
    } ok[] = {
        {"revenue>100000", XRM_QOP_GT, false, "100000"},
        {"revenue>=100000", XRM_QOP_GE, false, "100000"},
        {"revenue<5", XRM_QOP_LT, false, "5"},
        {"Revenue<=0", XRM_QOP_LE, false, "0"},
        {"revenue:250000", XRM_QOP_EQ, false, "250000"},
        {"revenue=250000", XRM_QOP_EQ, false, "250000"},
        {"revenue=\"42\"", XRM_QOP_EQ, false, "42"},
        {"-revenue>0", XRM_QOP_GT, true, "0"},
        {"revenue>007", XRM_QOP_GT, false, "7"},
        {"revenue<=1000000000000000", XRM_QOP_LE, false, "1000000000000000"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct xrm_query q = parse_ok(ok[i].text);
        assert_int_equal(q.n, 1);
        check_term(&q, 0, XRM_QT_REVENUE, ok[i].neg, NULL, ok[i].value);
        assert_int_equal(q.terms[0].op, ok[i].op);
        xrm_query_release(&q);
    }

    /* '=' makes a filter of revenue only; elsewhere it stays part of a word. */
    one("a=b", XRM_QT_WORD, false, NULL, "a=b");
    one("role=customer", XRM_QT_WORD, false, NULL, "role=customer");
    one("partner.tier=gold", XRM_QT_WORD, false, NULL, "partner.tier=gold");
    one("status:customer=active", XRM_QT_STATUS, false, "customer", "active");

    parse_fails("revenue>1.5", "bad revenue '1.5' (use whole cents");
    parse_fails("revenue>-1", "bad revenue '-1'");
    parse_fails("revenue>+1", "bad revenue '+1'");
    parse_fails("revenue>100.000", "bad revenue '100.000'");
    parse_fails("revenue>1e6", "bad revenue '1e6'");
    parse_fails("revenue>1000000000000001", "bad revenue");
    parse_fails("revenue>99999999999999999999999999", "bad revenue");
    parse_fails("revenue:high", "bad revenue 'high'");
    parse_fails("revenue=>5", "bad revenue '>5'");
    parse_syntax("revenue>", "empty value in 'revenue>'");
    parse_syntax("revenue=", "empty value in 'revenue='");
    parse_fails("role:customer -revenue>=lots", "at position 15");
}

/* Errors name the offending term's position, in characters from 1. */
static void test_positions(void **state)
{
    parse_syntax("jan foo:bar", "at position 5");
    parse_syntax("role:customer  \"jan", "at position 16");
    parse_syntax("\xc3\xa9\xc3\xa9n role:", "at position 5"); /* "één" is 3 characters */
    parse_fails("kind:person kind:robot", "at position 13");
    parse_fails("x supplier.rating>=x", "at position 3");
    parse_syntax("-colour:red", "at position 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),         cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_words),         cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_name_prefixes), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf8_more),     cmocka_unit_test(test_filters),
        cmocka_unit_test(test_kind_priority), cmocka_unit_test(test_idle),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_compare),       cmocka_unit_test(test_new_filters),
        cmocka_unit_test(test_positions),     cmocka_unit_test(test_record_terms),
        cmocka_unit_test(test_revenue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
