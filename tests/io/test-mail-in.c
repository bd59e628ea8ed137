/*
 * Unit tests of the parser of received mail (io/mail-in.c): quoted-printable
 * UTF-8, ISO-8859-1 and Windows-1252 bodies, RFC 2047 subjects and names,
 * HTML-only bodies as text, attachments decoded byte for byte, threading
 * headers, the caps and garbage refused.
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

#include "io/mail-in.h"
#include "core/banned.h"

static struct xrm_mail_in *parse_ok(const char *raw)
{
    struct xrm_mail_in *m = NULL;
    char msg[200];
    int code = 0;
    int rc = xrm_mail_in_parse(raw, strlen(raw), &m, &code, msg, sizeof msg);
    if (rc != 0)
        fail_msg("parse failed: %s", msg);
    assert_non_null(m);
    return m;
}

static void test_plain_qp_utf8(void **state)
{
    (void)state;
    struct xrm_mail_in *m = parse_ok(
        "From: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <Jose.Muller@Example.NL>\r\n"
        "To: Verkoop <verkoop@xrm.test>, info@xrm.test\r\n"
        "Cc: \"De Vries, Anna\" <anna@devries.nl>\r\n"
        "Subject: =?UTF-8?B?T2ZmZXJ0ZSB2b29yIGRlIGNhZsOp?=\r\n"
        "Date: Mon, 07 Dec 2026 10:15:00 +0100\r\n"
        "Message-ID: <abc.123@example.nl>\r\n"
        "In-Reply-To: <orig-1@xrm.test>\r\n"
        "References: <root@xrm.test> <orig-1@xrm.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Goedemiddag,=0D=0A=0D=0AWij ontvangen graag een offerte voor het caf=C3=A9 in =\r\n"
        "Ede. Co=C3=B6rdinatie via mij.\r\n"
        "\r\n"
        "Groet, Jos=C3=A9\r\n");
    assert_string_equal(m->from.addr, "jose.muller@example.nl");
    assert_string_equal(m->from.name, "José Müller");
    assert_int_equal(m->n_to, 2);
    assert_string_equal(m->to[0].addr, "verkoop@xrm.test");
    assert_string_equal(m->to[1].addr, "info@xrm.test");
    assert_int_equal(m->n_cc, 1);
    assert_string_equal(m->cc[0].name, "De Vries, Anna");
    assert_string_equal(m->subject, "Offerte voor de café");
    assert_string_equal(m->date, "2026-12-07T09:15:00Z");
    assert_string_equal(m->message_id, "abc.123@example.nl");
    assert_string_equal(m->in_reply_to, "orig-1@xrm.test");
    assert_int_equal(m->n_references, 2);
    assert_string_equal(m->references[0], "root@xrm.test");
    assert_string_equal(m->references[1], "orig-1@xrm.test");
    assert_non_null(strstr(m->text, "offerte voor het café in Ede. Coördinatie via mij."));
    assert_non_null(strstr(m->text, "Groet, José"));
    assert_null(strchr(m->text, '\r'));
    assert_int_equal(m->n_att, 0);
    json_t *j = xrm_mail_in_json(m);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "from"), "addr")),
                        "jose.muller@example.nl");
    json_decref(j);
    xrm_mail_in_free(m);
}

static void test_latin1_and_cp1252(void **state)
{
    (void)state;
    /* ISO-8859-1 declared, with Windows-1252's euro sign (0x80) as mail programs write it */
    struct xrm_mail_in *m = parse_ok("From: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.be>\n"
                                     "Subject: =?iso-8859-1?q?Re=3A_co=F6peratie?=\n"
                                     "Message-ID: <l1@example.be>\n"
                                     "Content-Type: text/plain; charset=ISO-8859-1\n"
                                     "Content-Transfer-Encoding: 8bit\n"
                                     "\n"
                                     "Prijs \x80 12,50 voor de co\xf6peratie in Li\xe8ge.\n");
    assert_string_equal(m->from.name, "Renée");
    assert_string_equal(m->subject, "Re: coöperatie");
    assert_string_equal(m->text, "Prijs € 12,50 voor de coöperatie in Liège.");
    xrm_mail_in_free(m);
    /* no charset and 8-bit bytes that are no UTF-8: Windows-1252 */
    m = parse_ok("From: a@b.nl\n\nna\xefve caf\xe9\n");
    assert_string_equal(m->text, "naïve café");
    xrm_mail_in_free(m);
}

static void test_html_only(void **state)
{
    (void)state;
    struct xrm_mail_in *m =
        parse_ok("From: x@example.com\r\n"
                 "Subject: html\r\n"
                 "Content-Type: text/html; charset=windows-1252\r\n"
                 "Content-Transfer-Encoding: base64\r\n"
                 "\r\n"
                 /* <html><head><style>p{color:red}</style><script>alert(1)</script></head>
                    <body><p>Beste Jan,</p><p>Hierbij de <b>offerte</b>.<br>Groet</p>
                    <ul><li>een</li><li>twee</li></ul><div>caf\\xe9</div></body></html> */
                 "PGh0bWw+PGhlYWQ+PHN0eWxlPnB7Y29sb3I6cmVkfTwvc3R5bGU+PHNjcmlwdD5hbGVydCgxKTwv\r\n"
                 "c2NyaXB0PjwvaGVhZD48Ym9keT48cD5CZXN0ZSBKYW4sPC9wPjxwPkhpZXJiaWogZGUgPGI+b2Zm\r\n"
                 "ZXJ0ZTwvYj4uPGJyPkdyb2V0PC9wPjx1bD48bGk+ZWVuPC9saT48bGk+dHdlZTwvbGk+PC91bD48\r\n"
                 "ZGl2PmNhZuk8L2Rpdj48L2JvZHk+PC9odG1sPg==\r\n");
    assert_string_equal(m->text,
                        "Beste Jan,\n\nHierbij de offerte.\nGroet\n\n- een\n- twee\n\ncafé");
    assert_null(strstr(m->text, "alert"));
    assert_null(strstr(m->text, "color"));
    xrm_mail_in_free(m);
}

static void test_alternative_and_attachment(void **state)
{
    (void)state;
    struct xrm_mail_in *m = parse_ok(
        "From: Piet <piet@example.nl>\r\n"
        "To: sales@xrm.test\r\n"
        "Subject: bijlage\r\n"
        "Message-ID: <att@example.nl>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        "\r\n"
        "--b1\r\n"
        "Content-Type: multipart/alternative; boundary=\"b2\"\r\n"
        "\r\n"
        "--b2\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Zie bijlage.\r\n"
        "--b2\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "\r\n"
        "<p>Zie <b>bijlage</b>.</p>\r\n"
        "--b2--\r\n"
        "--b1\r\n"
        "Content-Type: application/pdf; name=\"offerte.pdf\"\r\n"
        "Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Fprijsli%C3%A7t.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "JVBERi0xLjQKAAECA/8=\r\n"
        "--b1\r\n"
        "Content-Type: image/PNG\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "iVBORw0KGgo=\r\n"
        "--b1--\r\n");
    assert_string_equal(m->text, "Zie bijlage.");
    assert_int_equal(m->n_att, 2);
    assert_string_equal(m->att[0].name, "prijsliçt.pdf");
    assert_string_equal(m->att[0].type, "application/pdf");
    static const unsigned char pdf[] = {'%', 'P',  'D', 'F', '-', '1', '.',
                                        '4', '\n', 0,   1,   2,   3,   0xff};
    assert_int_equal(m->att[0].len, sizeof pdf);
    assert_memory_equal(m->att[0].data, pdf, sizeof pdf);
    assert_string_equal(m->att[1].name, "attachment");
    assert_string_equal(m->att[1].type, "image/png");
    assert_int_equal(m->att[1].len, 8);
    xrm_mail_in_free(m);
}

static void test_no_message_id_is_stable(void **state)
{
    (void)state;
    const char *raw = "From: a@b.nl\nSubject: x\n\nhallo\n";
    struct xrm_mail_in *a = parse_ok(raw), *b = parse_ok(raw);
    assert_non_null(strstr(a->message_id, "@no-message-id.invalid"));
    assert_string_equal(a->message_id, b->message_id);
    assert_null(a->in_reply_to);
    assert_string_equal(a->subject, "x");
    xrm_mail_in_free(a);
    xrm_mail_in_free(b);
    /* a Message-ID of nothing but control characters is no id either */
    a = parse_ok("From: a@b.nl\nMessage-ID: \x03\x01\nSubject: x\n\nhallo\n");
    assert_non_null(strstr(a->message_id, "@no-message-id.invalid"));
    xrm_mail_in_free(a);
}

static void test_refused(void **state)
{
    (void)state;
    struct xrm_mail_in *m = NULL;
    char msg[200];
    int code = 0;
    static const char *bad[] = {"", "this is no mail at all\n\x01\x02\x03",
                                "Subject: no sender\n\nbody\n", "From: not an address\n\nx\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(xrm_mail_in_parse(bad[i], strlen(bad[i]), &m, &code, msg, sizeof msg), -1);
        assert_null(m);
        assert_int_equal(code, 1);
        assert_true(msg[0] != '\0');
    }
    /* too large: refused before parsing */
    size_t big = XRM_MAIL_IN_MAX_BYTES + 1;
    char *raw = malloc(big);
    memset(raw, 'a', big);
    memcpy(raw, "From: a@b.nl\n\n", 14);
    assert_int_equal(xrm_mail_in_parse(raw, big, &m, &code, msg, sizeof msg), -1);
    assert_int_equal(code, 2);
    /* a header block beyond its cap */
    memset(raw, 'a', big);
    memcpy(raw, "From: a@b.nl\nX-Long: ", 21);
    assert_int_equal(
        xrm_mail_in_parse(raw, XRM_MAIL_IN_MAX_HEADER + 100, &m, &code, msg, sizeof msg), -1);
    assert_int_equal(code, 1);
    free(raw);
    /* too many parts */
    char *many = malloc(64 * 1024);
    size_t n = (size_t)snprintf(many, 64 * 1024,
                                "From: a@b.nl\nContent-Type: multipart/mixed; boundary=q\n\n");
    for (int i = 0; i < XRM_MAIL_IN_MAX_PARTS + 5; i++)
        n += (size_t)snprintf(many + n, 64 * 1024 - n, "--q\nContent-Type: text/plain\n\nx\n");
    n += (size_t)snprintf(many + n, 64 * 1024 - n, "--q--\n");
    assert_int_equal(xrm_mail_in_parse(many, n, &m, &code, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "parts"));
    free(many);
}

static void test_long_text_cut_at_character(void **state)
{
    (void)state;
    size_t n = XRM_MAIL_IN_MAX_TEXT + 100;
    char *raw = malloc(n + 64);
    size_t h =
        (size_t)snprintf(raw, 64, "From: a@b.nl\nContent-Type: text/plain; charset=utf-8\n\nx");
    for (size_t i = h; i + 1 < n; i += 2)
        memcpy(raw + i, "\xc3\xa9", 2);
    raw[n - 1] = '\0';
    struct xrm_mail_in *m = parse_ok(raw);
    size_t len = strlen(m->text);
    assert_true(len <= XRM_MAIL_IN_MAX_TEXT);
    assert_true(len > XRM_MAIL_IN_MAX_TEXT - 4);
    assert_true(((unsigned char)m->text[len - 1] & 0xC0) == 0x80);
    xrm_mail_in_free(m);
    free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_qp_utf8),
        cmocka_unit_test(test_latin1_and_cp1252),
        cmocka_unit_test(test_html_only),
        cmocka_unit_test(test_alternative_and_attachment),
        cmocka_unit_test(test_no_message_id_is_stable),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_long_text_cut_at_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
