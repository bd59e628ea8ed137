/*
 * The vCard reader and writer: files as phones (iPhone 3.0, Android 2.1
 * and 3.0 with quoted-printable) and address books (4.0) write them, read
 * whole and one byte at a time alike; parameters in every style; photos;
 * the caps; and the 4.0 writer, whose output read back gives the same card.
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

#include "io/vcard.h"

static enum xrm_rc collect(void *ctx, json_t *card, long line, struct xrm_err *err)
{
    json_object_set_new(card, "_line", json_integer(line));
    json_array_append(ctx, card);
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
    json_t *cards;
    enum xrm_rc rc;
    struct xrm_err err;
};

static struct parsed parse(const char *s, size_t n, size_t chunk,
                           const struct xrm_vcard_limits *lim)
{
    struct parsed p = {.cards = json_array()};
    struct xrm_vcard *r = xrm_vcard_new(collect, p.cards, lim);
    size_t step = chunk ? chunk : n;
    for (size_t i = 0; i < n && !p.rc; i += step)
        p.rc = xrm_vcard_feed(r, s + i, n - i < step ? n - i : step, &p.err);
    if (!p.rc)
        p.rc = xrm_vcard_finish(r, &p.err);
    xrm_vcard_free(r);
    return p;
}

static json_t *parse_file(const char *name)
{
    char path[256];
    size_t n;
    snprintf(path, sizeof(path), "tests/data/import/%s", name);
    char *s = slurp(path, &n);
    struct parsed whole = parse(s, n, 0, NULL);
    assert_int_equal(whole.rc, XRM_OK);
    struct parsed bytes = parse(s, n, 1, NULL);
    assert_int_equal(bytes.rc, XRM_OK);
    assert_true(json_equal(whole.cards, bytes.cards));
    json_decref(bytes.cards);
    free(s);
    return whole.cards;
}

/* A JSON path like "tel.0.value" in card, as a string. */
static const char *at(json_t *card, const char *path)
{
    char key[64];
    json_t *v = card;
    while (*path && v) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(key)) : json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    if (!json_is_string(v))
        fail_msg("no string at '%s'", key);
    return json_string_value(v);
}

static void types_are(json_t *entry, const char *expect)
{
    char *s = json_dumps(json_object_get(entry, "types"), JSON_COMPACT);
    assert_string_equal(s, expect);
    free(s);
}

/* write(card) read back equals card, apart from version and the line. */
static void round_trip(json_t *card)
{
    json_t *want = json_deep_copy(card);
    json_object_del(want, "_line");
    json_object_set_new(want, "version", json_string("4.0"));
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_vcard_write(&b, want);
    /* every line at most 75 octets, CRLF-ended */
    for (const char *l = b.s; *l;) {
        const char *e = strstr(l, "\r\n");
        assert_non_null(e);
        assert_true(e - l <= 75);
        l = e + 2;
    }
    struct parsed p = parse(b.s, b.len, 5, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(json_array_size(p.cards), 1);
    json_t *got = json_array_get(p.cards, 0);
    json_object_del(got, "_line");
    if (!json_equal(want, got)) {
        char *a = json_dumps(want, JSON_SORT_KEYS), *c = json_dumps(got, JSON_SORT_KEYS);
        fail_msg("round trip differs:\n%s\n%s\n%s", a, c, b.s);
    }
    json_decref(p.cards);
    json_decref(want);
    xrm_buf_release(&b);
}

static const char JPEG_B64[] =
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////"
    "////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAA"
    "AAAAP/aAAgBAQABPxA=";

static void test_iphone_and_android_3(void **state)
{
    (void)state;
    json_t *cards = parse_file("phone-3.0.vcf");
    assert_int_equal(json_array_size(cards), 2);
    json_t *c = json_array_get(cards, 0);
    assert_string_equal(at(c, "version"), "3.0");
    assert_string_equal(at(c, "fn"), "Sanne Maria de Boer");
    assert_string_equal(at(c, "n.family"), "de Boer");
    assert_string_equal(at(c, "n.given"), "Sanne");
    assert_string_equal(at(c, "n.additional"), "Maria");
    assert_null(json_object_get(json_object_get(c, "n"), "prefix"));
    assert_string_equal(at(c, "org.0"), "Bakkerij De Korenschoof");
    assert_string_equal(at(c, "org.1"), "Verkoop");
    assert_string_equal(at(c, "title"), "Eigenaar");
    json_t *mail = json_object_get(c, "email");
    assert_int_equal(json_array_size(mail), 2);
    assert_string_equal(at(c, "email.0.value"), "sanne@korenschoof.example");
    types_are(json_array_get(mail, 0), "[\"internet\",\"home\"]");
    assert_true(json_is_true(json_object_get(json_array_get(mail, 0), "pref")));
    assert_true(json_is_false(json_object_get(json_array_get(mail, 1), "pref")));
    assert_string_equal(at(c, "tel.0.value"), "+31 6 45678901");
    types_are(json_array_get(json_object_get(c, "tel"), 0), "[\"cell\",\"voice\"]");
    assert_string_equal(at(c, "tel.1.value"), "030-2345678");
    assert_string_equal(at(c, "adr.0.street"), "Oudegracht 118\nachteringang");
    assert_string_equal(at(c, "adr.0.locality"), "Utrecht");
    assert_string_equal(at(c, "adr.0.postal_code"), "3511 AW");
    assert_string_equal(at(c, "adr.0.country"), "Nederland");
    assert_string_equal(at(c, "url.0"), "https://korenschoof.example");
    assert_string_equal(at(c, "x.X-ABADR"), "nl");
    assert_string_equal(at(c, "note"),
                        "Levert elke dinsdag. Let op: bestellingen vóór 12:00 doorgeven, anders "
                        "pas donderdag. Ook glutenvrij assortiment; vraag naar Sanne.");
    assert_string_equal(at(c, "bday"), "1979-08-23");
    assert_string_equal(at(c, "photo.type"), "image/jpeg");
    assert_string_equal(at(c, "photo.base64"), JPEG_B64);
    assert_int_equal(json_integer_value(json_object_get(c, "_line")), 1);
    round_trip(c);

    c = json_array_get(cards, 1);
    assert_string_equal(at(c, "fn"), "Yaël Haïdari");
    assert_string_equal(at(c, "n.family"), "Haïdari");
    assert_string_equal(at(c, "org.0"), "Café Noorderlicht");
    types_are(json_array_get(json_object_get(c, "tel"), 1), "[\"work\",\"fax\"]");
    assert_string_equal(at(c, "note"),
                        "Eigenaresse sinds 2019\nHeeft interesse in ons abonnement op vers brood");
    assert_string_equal(at(c, "x.X-SAMSUNGADR"), ";;Oosterstraat 2;Groningen;;9711 NN;;");
    round_trip(c);
    json_decref(cards);
}

static void test_android_21(void **state)
{
    (void)state;
    json_t *cards = parse_file("android-2.1.vcf");
    assert_int_equal(json_array_size(cards), 1);
    json_t *c = json_array_get(cards, 0);
    assert_string_equal(at(c, "version"), "2.1");
    assert_string_equal(at(c, "n.family"), "Öztürk");
    assert_string_equal(at(c, "n.given"), "Ayşe");
    assert_string_equal(at(c, "fn"), "Ayşe Öztürk");
    json_t *tel = json_array_get(json_object_get(c, "tel"), 0);
    assert_string_equal(at(tel, "value"), "+31687654321");
    types_are(tel, "[\"cell\"]");
    assert_true(json_is_true(json_object_get(tel, "pref")));
    types_are(json_array_get(json_object_get(c, "email"), 0), "[\"home\"]");
    /* the quoted-printable soft break inside "Nederland" */
    assert_string_equal(at(c, "adr.0.street"), "Beukelsdijk 77 Bï de bakker");
    assert_string_equal(at(c, "adr.0.country"), "Nederland");
    assert_string_equal(at(c, "note"), "Eerste regel\nTweede regel met één lange zin die "
                                       "doorloopt op de volgende regel");
    assert_string_equal(at(c, "photo.type"), "image/jpeg");
    assert_string_equal(at(c, "photo.base64"), JPEG_B64);
    round_trip(c);
    json_decref(cards);
}

static void test_vcard_40(void **state)
{
    (void)state;
    json_t *cards = parse_file("contacts-4.0.vcf");
    assert_int_equal(json_array_size(cards), 2);
    json_t *c = json_array_get(cards, 0);
    assert_string_equal(at(c, "version"), "4.0");
    assert_string_equal(at(c, "uid"), "6f1c2b9e-4a57-4f0e-9a51-3d0c8e2a7b11");
    assert_string_equal(at(c, "n.family"), "van 't Hof");
    assert_string_equal(at(c, "n.prefix"), "mr. drs.");
    assert_string_equal(at(c, "nickname.1"), "WJ");
    assert_string_equal(at(c, "org.0"), "Advocatenkantoor Van 't Hof & Partners");
    json_t *tel = json_array_get(json_object_get(c, "tel"), 0);
    assert_string_equal(at(tel, "value"), "+31-20-7654321");
    types_are(tel, "[\"work\",\"voice\"]");
    assert_true(json_is_true(json_object_get(tel, "pref")));
    assert_string_equal(at(c, "tel.1.value"), "+31-6-56789012");
    assert_string_equal(at(c, "adr.0.street"), "Herengracht 500");
    assert_string_equal(at(c, "categories.0"), "Partners");
    assert_string_equal(at(c, "x.X-KVK"), "76543210");
    assert_string_equal(at(c, "photo.base64"), JPEG_B64);
    assert_string_equal(at(c, "rev"), "20250114T093000Z");
    round_trip(c);
    c = json_array_get(cards, 1);
    assert_string_equal(at(c, "note"), "Hoofdlocatie\nTweede regel");
    assert_int_equal(json_integer_value(json_object_get(c, "_line")), 21);
    round_trip(c);
    json_decref(cards);
}

static void test_writer(void **state)
{
    (void)state;
    json_t *card = json_pack(
        "{s:s, s:{s:s, s:s}, s:[s], s:[{s:s, s:[s,s], s:b}], s:s, s:{s:[s,s]}, s:{s:s, s:s}}", "fn",
        "Kees \\ de; Jong, jr.", "n", "family", "de Jong", "given", "Kees", "org", "Jong; en Zn.",
        "tel", "value", "+31 6 1", "types", "cell", "bad;type", "pref", 1, "note",
        "Een hele lange notitie met een é op de grens van vijfenzeventig octetten: "
        "ééééééééééééééééééééééééééé\nen een tweede regel",
        "x", "X-TAG", "a,b", "c", "photo", "type", "image/png", "base64", "iVBORw0KGgo=");
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_vcard_write(&b, card);
    assert_non_null(
        strstr(b.s, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kees \\\\ de\\; Jong\\, jr.\r\n"));
    assert_non_null(strstr(b.s, "\r\nN:de Jong;Kees;;;\r\n"));
    assert_non_null(strstr(b.s, "\r\nORG:Jong\\; en Zn.\r\n"));
    assert_non_null(strstr(b.s, "\r\nTEL;TYPE=cell;PREF=1:+31 6 1\r\n"));
    assert_non_null(strstr(b.s, "\r\nPHOTO:data:image/png;base64,iVBORw0KGgo=\r\n"));
    assert_non_null(strstr(b.s, "\r\nX-TAG:a\\,b\r\nX-TAG:c\r\n"));
    assert_non_null(strstr(b.s, "END:VCARD\r\n"));
    json_decref(card);

    /* without fn, one is made from n; bad types and an X- name with ';' are left out */
    card = json_pack("{s:{s:s, s:s, s:s}, s:{s:s}, s:[{s:s, s:[s]}]}", "n", "family", "Berg",
                     "given", "Jan", "prefix", "van den", "x", "X-BAD;TYPE=x", "v", "email",
                     "value", "jan@example.nl", "types", "WORK");
    xrm_buf_reset(&b);
    xrm_vcard_write(&b, card);
    assert_non_null(strstr(b.s, "\r\nFN:van den Jan Berg\r\n"));
    assert_null(strstr(b.s, "X-BAD"));
    assert_non_null(strstr(b.s, "\r\nEMAIL:jan@example.nl\r\n"));
    json_decref(card);
    xrm_buf_release(&b);
}

/* 3.0 (CardDAV clients that ask for it): TYPE=pref, PHOTO;ENCODING=b, no KIND, N always. */
static void test_writer_30(void **state)
{
    (void)state;
    json_t *card = json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:[{s:s, s:[s,s], s:b}, {s:s, s:[], s:b}],"
        " s:[{s:s, s:[s], s:b}], s:[{s:s, s:s, s:s, s:[s], s:b}], s:[s],"
        " s:s, s:[s,s], s:{s:s, s:s}, s:s, s:s, s:{s:s}}",
        "kind", "individual", "fn", "Anna van Wijk", "n", "family", "van Wijk", "given", "Anna",
        "tel", "value", "+31612345678", "types", "cell", "voice", "pref", 1, "value", "030-1234567",
        "types", "pref", 0, "email", "value", "anna@example.nl", "types", "work", "pref", 1, "adr",
        "street", "Oudegracht 1", "locality", "Utrecht", "postal_code", "3511AB", "types", "work",
        "pref", 0, "url", "https://example.nl", "note", "Klant, Leverancier", "categories", "vip",
        "noord", "photo", "type", "image/jpeg", "base64", JPEG_B64, "uid",
        "6f1c2b9e-4a57-4f0e-9a51-3d0c8e2a7b11", "rev", "20261207T080000Z", "x",
        "X-XRM-FAMILY-PREFIX", "van");
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_vcard_write_v(&b, card, 30);
    assert_non_null(strstr(b.s, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna van Wijk\r\n"));
    assert_null(strstr(b.s, "KIND"));
    assert_null(strstr(b.s, "PREF=1"));
    assert_non_null(strstr(b.s, "\r\nTEL;TYPE=cell,voice,pref:+31612345678\r\n"));
    assert_non_null(strstr(b.s, "\r\nTEL:030-1234567\r\n"));
    assert_non_null(strstr(b.s, "\r\nEMAIL;TYPE=work,pref:anna@example.nl\r\n"));
    assert_non_null(strstr(b.s, "\r\nADR;TYPE=work:;;Oudegracht 1;Utrecht;;3511AB;\r\n"));
    assert_non_null(strstr(b.s, "\r\nNOTE:Klant\\, Leverancier\r\n"));
    assert_non_null(strstr(b.s, "\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ"));
    assert_null(strstr(b.s, "data:"));
    for (const char *l = b.s; *l;) {
        const char *e = strstr(l, "\r\n");
        assert_non_null(e);
        assert_true(e - l <= 75);
        l = e + 2;
    }

    /* read back through the reader: the same card, version 3.0, no kind */
    struct parsed p = parse(b.s, b.len, 7, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_int_equal(json_array_size(p.cards), 1);
    json_t *got = json_array_get(p.cards, 0);
    json_object_del(got, "_line");
    json_t *want = json_deep_copy(card);
    json_object_del(want, "kind");
    json_object_set_new(want, "version", json_string("3.0"));
    if (!json_equal(want, got)) {
        char *a = json_dumps(want, JSON_SORT_KEYS), *c = json_dumps(got, JSON_SORT_KEYS);
        fail_msg("3.0 read back differs:\n%s\n%s\n%s", a, c, b.s);
    }
    json_decref(want);
    json_decref(p.cards);
    json_decref(card);

    /* an organisation: 4.0 has KIND:org right after VERSION; 3.0 an empty N; a photo URI */
    card = json_pack("{s:s, s:s, s:[s], s:{s:s}}", "kind", "org", "fn", "Bakkerij B.V.", "org",
                     "Bakkerij B.V.", "photo", "uri", "https://example.nl/logo.png");
    xrm_buf_reset(&b);
    xrm_vcard_write_v(&b, card, 40);
    assert_non_null(strstr(b.s, "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Bakkerij"));
    assert_non_null(strstr(b.s, "\r\nPHOTO:https://example.nl/logo.png\r\n"));
    p = parse(b.s, b.len, 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_string_equal(at(json_array_get(p.cards, 0), "kind"), "org");
    json_decref(p.cards);
    xrm_buf_reset(&b);
    xrm_vcard_write_v(&b, card, 30);
    assert_null(strstr(b.s, "KIND"));
    assert_non_null(strstr(b.s, "\r\nN:;;;;\r\n"));
    assert_non_null(strstr(b.s, "\r\nPHOTO;VALUE=uri:https://example.nl/logo.png\r\n"));
    p = parse(b.s, b.len, 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    assert_string_equal(at(json_array_get(p.cards, 0), "photo.uri"), "https://example.nl/logo.png");
    assert_string_equal(at(json_array_get(p.cards, 0), "org.0"), "Bakkerij B.V.");
    json_decref(p.cards);
    json_decref(card);
    xrm_buf_release(&b);
}

static void test_params_and_escapes(void **state)
{
    (void)state;
    const char *s = "begin:vcard\nversion:3.0\nfn:A\\, B\\;C\\\\D\\nE\n"
                    "TEL;TYPE=WORK;TYPE=CELL;TYPE=pref:1\n"
                    "TEL;type=\"home,voice\":2\n"
                    "ADR;TYPE=home:;;Straat 1\\;2;Plaats\n"
                    "item3.EMAIL;PREF=1:x@y.nl\n"
                    "X-DUP:1\nX-DUP:2\n"
                    "X-NOTE;CHARSET=WINDOWS-1252;ENCODING=QUOTED-PRINTABLE:=80 5\n"
                    "NOTE:caf\xe9\n"
                    "PHOTO;VALUE=uri:https://example.nl/p.jpg\n"
                    "BEGIN:VCARD\nFN:nested agent\nEND:VCARD\n"
                    "GEO:1;2\n"
                    "END:VCARD\n";
    struct parsed p = parse(s, strlen(s), 0, NULL);
    assert_int_equal(p.rc, XRM_OK);
    json_t *c = json_array_get(p.cards, 0);
    assert_string_equal(at(c, "fn"), "A, B;C\\D\nE");
    types_are(json_array_get(json_object_get(c, "tel"), 0), "[\"work\",\"cell\"]");
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(c, "tel"), 0), "pref")));
    types_are(json_array_get(json_object_get(c, "tel"), 1), "[\"home\",\"voice\"]");
    assert_string_equal(at(c, "adr.0.street"), "Straat 1;2");
    assert_string_equal(at(c, "adr.0.locality"), "Plaats");
    assert_true(
        json_is_true(json_object_get(json_array_get(json_object_get(c, "email"), 0), "pref")));
    assert_string_equal(at(c, "x.X-DUP.1"), "2");
    assert_string_equal(at(c, "x.X-NOTE"), "€ 5");
    assert_string_equal(at(c, "note"), "café");
    assert_string_equal(at(c, "photo.uri"), "https://example.nl/p.jpg");
    assert_null(json_object_get(c, "geo"));
    round_trip(c);
    json_decref(p.cards);
}

static void test_errors_and_limits(void **state)
{
    (void)state;
    struct parsed p = parse("BEGIN:VCARD\r\nFN:x\r\n", 19, 0, NULL);
    assert_int_equal(p.rc, XRM_E_MALFORMED);
    assert_non_null(strstr(p.err.message, "line 1"));
    json_decref(p.cards);

    p = parse("FN:x\r\n", 6, 0, NULL);
    assert_int_equal(p.rc, XRM_E_MALFORMED);
    json_decref(p.cards);

    struct xrm_vcard_limits lim = {.line_max = 200, .card_max = 1000, .props_max = 5};
    char big[5000];
    int n = snprintf(big, sizeof(big), "BEGIN:VCARD\r\nNOTE:");
    memset(big + n, 'x', sizeof(big) - (size_t)n);
    p = parse(big, sizeof(big), 64, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "line 2"));
    json_decref(p.cards);

    /* a long line made of folds */
    n = snprintf(big, sizeof(big), "BEGIN:VCARD\r\nNOTE:a");
    while (n < 4000)
        n += snprintf(big + n, sizeof(big) - (size_t)n, "\r\n bcdefghij");
    p = parse(big, (size_t)n, 0, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    json_decref(p.cards);

    n = snprintf(big, sizeof(big), "BEGIN:VCARD\r\n");
    for (int i = 0; i < 6; i++)
        n += snprintf(big + n, sizeof(big) - (size_t)n, "TEL:%d\r\n", i);
    p = parse(big, (size_t)n, 0, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "properties"));
    json_decref(p.cards);

    lim.props_max = 100;
    n = snprintf(big, sizeof(big), "BEGIN:VCARD\r\n");
    for (int i = 0; i < 10; i++)
        n += snprintf(big + n, sizeof(big) - (size_t)n, "NOTE:%0150d\r\n", i);
    p = parse(big, (size_t)n, 0, &lim);
    assert_int_equal(p.rc, XRM_E_LIMIT);
    assert_non_null(strstr(p.err.message, "longer than 1000"));
    json_decref(p.cards);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iphone_and_android_3),
        cmocka_unit_test(test_android_21),
        cmocka_unit_test(test_vcard_40),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_30),
        cmocka_unit_test(test_params_and_escapes),
        cmocka_unit_test(test_errors_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
