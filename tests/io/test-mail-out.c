/*
 * Unit tests of the outgoing message builder (io/mail-out.c): the headers
 * (From/To with display names, RFC 2047 subject with Dutch characters,
 * Date, Message-ID, threading, RFC 8058 unsubscribe), CRLF line ends, the
 * text as quoted-printable UTF-8, and attachments that GMime's own parser
 * gives back byte for byte; refusals of header injection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gmime/gmime.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/mail-out.h"
#include "core/banned.h"

static const char subject[] = "Offerte voor caf\xc3\xa9 Zo\xc3\xab";
static const char text[] = "Geachte mevrouw De Vries,\n\nHierbij de offerte voor caf\xc3\xa9 "
                           "Zo\xc3\xab: \xe2\x82\xac 1.250,00.\n\nMet vriendelijke groet,\nJan\n";

static GMimeMessage *parse(const char *bytes, size_t len)
{
    GMimeStream *st = g_mime_stream_mem_new_with_buffer(bytes, len);
    GMimeParser *p = g_mime_parser_new_with_stream(st);
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(st);
    return m;
}

static void test_headers_and_text(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    char *out = NULL;
    size_t len = 0;
    struct xrm_mime_msg m = {.from = "verkoop@voorbeeld.nl",
                             .from_name = "Verkoop B.V.",
                             .to = "zoe@cafe.nl",
                             .to_name = "Zo\xc3\xab de Vries",
                             .subject = subject,
                             .text = text,
                             .message_id = "abc123@voorbeeld.nl",
                             .in_reply_to = "first@klant.nl",
                             .references = "root@klant.nl first@klant.nl",
                             .unsubscribe_url = "https://xrm.example/api/v1/public/unsubscribe/T",
                             .date = 1796630400};
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_OK);
    assert_int_equal(strlen(out), len);
    /* every line ends in CRLF */
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\n')
            assert_true(i > 0 && out[i - 1] == '\r');
    /* the raw subject is encoded (RFC 2047), never 8-bit */
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)out[i] < 128);
    if (getenv("XRM_TEST_DUMP"))
        fputs(out, stderr);
    const char *subj = strstr(out, "\r\nSubject: ");
    assert_non_null(subj);
    assert_non_null(strstr(subj, "=?UTF-8?B?") ? strstr(subj, "=?UTF-8?B?")
                                               : strstr(subj, "=?UTF-8?Q?"));
    assert_non_null(strstr(out, "Message-Id: <abc123@voorbeeld.nl>") ||
                    strstr(out, "Message-ID: <abc123@voorbeeld.nl>"));
    assert_non_null(strstr(out, "In-Reply-To: <first@klant.nl>"));
    assert_non_null(strstr(out, "References: <root@klant.nl> <first@klant.nl>"));
    assert_non_null(
        strstr(out, "List-Unsubscribe: <https://xrm.example/api/v1/public/unsubscribe/T>"));
    assert_non_null(strstr(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert_non_null(strstr(out, "Content-Transfer-Encoding: quoted-printable"));
    assert_non_null(strstr(out, "charset=utf-8"));

    GMimeMessage *msg = parse(out, len);
    assert_non_null(msg);
    assert_string_equal(g_mime_message_get_subject(msg), subject);
    assert_string_equal(g_mime_message_get_message_id(msg), "abc123@voorbeeld.nl");
    InternetAddressList *to = g_mime_message_get_to(msg);
    InternetAddress *a = internet_address_list_get_address(to, 0);
    assert_string_equal(internet_address_get_name(a), "Zo\xc3\xab de Vries");
    assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)),
                        "zoe@cafe.nl");
    InternetAddress *f = internet_address_list_get_address(g_mime_message_get_from(msg), 0);
    assert_string_equal(internet_address_get_name(f), "Verkoop B.V.");
    GDateTime *d = g_mime_message_get_date(msg);
    assert_non_null(d);
    assert_int_equal(g_date_time_to_unix(d), 1796630400);
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    assert_true(GMIME_IS_TEXT_PART(body));
    char *t = g_mime_text_part_get_text((GMimeTextPart *)body);
    /* the text comes back with CRLF line ends; compare without the CRs */
    char *p = t, *q = t;
    for (; *p; p++)
        if (*p != '\r')
            *q++ = *p;
    *q = '\0';
    assert_string_equal(t, text);
    g_free(t);
    g_object_unref(msg);
    free(out);
}

static void test_attachments(void **state)
{
    (void)state;
    struct xrm_err err = XRM_ERR_INIT;
    unsigned char pdf[3000];
    for (size_t i = 0; i < sizeof(pdf); i++)
        pdf[i] = (unsigned char)(i * 7 + 3);
    memcpy(pdf, "%PDF-1.4\n", 9);
    struct xrm_mime_att att[] = {
        {"Offerte 2026-0001.pdf", "application/pdf", pdf, sizeof(pdf)},
        {"notitie caf\xc3\xa9.txt", "text/plain", "hallo\n", 6},
    };
    struct xrm_mime_msg m = {.from = "a@b.nl",
                             .to = "c@d.nl",
                             .subject = "Offerte",
                             .text = "Zie de bijlage, Zo\xc3\xab.\n",
                             .message_id = "x1@b.nl",
                             .date = 0,
                             .att = att,
                             .n_att = 2};
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_OK);
    assert_non_null(strstr(out, "multipart/mixed"));
    assert_non_null(strstr(out, "Content-Transfer-Encoding: base64"));
    GMimeMessage *msg = parse(out, len);
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    assert_true(GMIME_IS_MULTIPART(top));
    GMimeMultipart *mp = (GMimeMultipart *)top;
    assert_int_equal(g_mime_multipart_get_count(mp), 3);
    assert_true(GMIME_IS_TEXT_PART(g_mime_multipart_get_part(mp, 0)));
    /* a text that fits Latin-1 stays UTF-8 and says so */
    char *t = g_mime_text_part_get_text((GMimeTextPart *)g_mime_multipart_get_part(mp, 0));
    assert_non_null(strstr(t, "Zo\xc3\xab"));
    assert_string_equal(
        g_mime_text_part_get_charset((GMimeTextPart *)g_mime_multipart_get_part(mp, 0)), "utf-8");
    g_free(t);
    for (int i = 0; i < 2; i++) {
        GMimePart *part = (GMimePart *)g_mime_multipart_get_part(mp, i + 1);
        assert_string_equal(g_mime_part_get_filename(part), att[i].name);
        char type[128];
        GMimeContentType *ct = g_mime_object_get_content_type((GMimeObject *)part);
        snprintf(type, sizeof(type), "%s/%s", g_mime_content_type_get_media_type(ct),
                 g_mime_content_type_get_media_subtype(ct));
        assert_string_equal(type, att[i].type);
        GMimeStream *mem = g_mime_stream_mem_new();
        g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(part), mem);
        GByteArray *ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
        assert_int_equal(ba->len, att[i].len);
        assert_memory_equal(ba->data, att[i].data, att[i].len);
        g_object_unref(mem);
    }
    g_object_unref(msg);
    free(out);
}

static void test_refuses(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    struct xrm_mime_msg base = {
        .from = "a@b.nl", .to = "c@d.nl", .subject = "Hallo", .text = "x", .message_id = "x@b.nl"};
    struct xrm_mime_msg m = base;
    struct xrm_err err = XRM_ERR_INIT;
    m.subject = "Hallo\r\nBcc: evil@example.com";
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_E_INVALID);
    m = base;
    m.to = "c@d.nl\r\nBcc: e@x.nl";
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_E_INVALID);
    m = base;
    m.to = "no-address";
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_E_INVALID);
    m = base;
    m.to_name = "Jan\nBcc: x@y.nl";
    assert_int_equal(xrm_mail_build(&m, &out, &len, &err), XRM_E_INVALID);
    assert_null(out);
}

static void test_ids_and_addresses(void **state)
{
    (void)state;
    char id[XRM_MESSAGE_ID_MAX], id2[XRM_MESSAGE_ID_MAX], name[64], addr[64];
    xrm_mail_message_id("Verkoop <verkoop@voorbeeld.nl>", id);
    xrm_mail_message_id("verkoop@voorbeeld.nl", id2);
    assert_int_equal(strlen(id), 32 + strlen("@voorbeeld.nl"));
    assert_non_null(strstr(id, "@voorbeeld.nl"));
    assert_string_not_equal(id, id2);
    assert_true(xrm_mail_split_address("\"Verkoop B.V.\" <v@x.nl>", name, sizeof(name), addr,
                                       sizeof(addr)));
    assert_string_equal(name, "Verkoop B.V.");
    assert_string_equal(addr, "v@x.nl");
    assert_true(xrm_mail_split_address("v@x.nl", name, sizeof(name), addr, sizeof(addr)));
    assert_string_equal(name, "");
    assert_false(xrm_mail_split_address("nobody", name, sizeof(name), addr, sizeof(addr)));
}

int main(void)
{
    xrm_mail_out_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_and_text),
        cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_ids_and_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
