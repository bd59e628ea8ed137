/*
 * Outgoing messages by GMime 3 (mail-out.h).
 */
#include "io/mail-out.h"
#include "core/util.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_gmime(void)
{
    g_mime_init();
}

void xrm_mail_out_init(void)
{
    pthread_once(&init_once, init_gmime);
}

void xrm_mail_message_id(const char *from, char out[XRM_MESSAGE_ID_MAX])
{
    unsigned char rnd[16];
    char hex[33];
    const char *at = from ? strrchr(from, '@') : NULL;
    const char *host = at && at[1] ? at + 1 : "localhost";
    randombytes_buf(rnd, sizeof(rnd));
    xrm_hex(rnd, sizeof(rnd), hex);
    char name[256], addr[256];
    /* "Name <a@b>": the host ends before the '>' */
    if (from && xrm_mail_split_address(from, name, sizeof(name), addr, sizeof(addr))) {
        at = strrchr(addr, '@');
        host = at && at[1] ? at + 1 : "localhost";
    }
    snprintf(out, XRM_MESSAGE_ID_MAX, "%s@%s", hex, host);
}

static bool copy_trim(const char *s, size_t n, char *out, size_t out_n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '"')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"'))
        n--;
    if (n >= out_n)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

bool xrm_mail_split_address(const char *s, char *name, size_t name_n, char *addr, size_t addr_n)
{
    if (!s || name_n == 0 || addr_n == 0)
        return false;
    const char *lt = strrchr(s, '<');
    const char *gt = lt ? strchr(lt, '>') : NULL;
    bool ok;
    if (lt && gt) {
        ok = copy_trim(s, (size_t)(lt - s), name, name_n) &&
             copy_trim(lt + 1, (size_t)(gt - lt - 1), addr, addr_n);
    } else {
        name[0] = '\0';
        ok = copy_trim(s, strlen(s), addr, addr_n);
    }
    return ok && addr[0] && strchr(addr, '@') && !strpbrk(addr, " \t\r\n<>\"");
}

/* "<a> <b>" from "a b" (ids without brackets, separated by spaces). */
static char *bracket_ids(const char *ids)
{
    size_t n = strlen(ids);
    char *out = malloc(n * 3 + 3), *p = out;
    if (!out)
        return NULL;
    const char *s = ids;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (p != out)
            *p++ = ' ';
        *p++ = '<';
        memcpy(p, s, (size_t)(e - s));
        p += e - s;
        *p++ = '>';
        s = e;
    }
    *p = '\0';
    return out;
}

static bool header_safe(const char *s)
{
    return !s || !strpbrk(s, "\r\n");
}

static GMimeObject *attachment(const struct xrm_mime_att *a)
{
    char type[128] = "application", sub[128] = "octet-stream";
    const char *slash = a->type ? strchr(a->type, '/') : NULL;
    if (slash && slash > a->type && (size_t)(slash - a->type) < sizeof(type) && slash[1] &&
        strlen(slash + 1) < sizeof(sub) && !strpbrk(a->type, " ;\r\n")) {
        memcpy(type, a->type, (size_t)(slash - a->type));
        type[slash - a->type] = '\0';
        xrm_strlcpy(sub, slash + 1, sizeof(sub));
    }
    GMimePart *part = g_mime_part_new_with_type(type, sub);
    GMimeStream *st = g_mime_stream_mem_new_with_buffer(a->data ? a->data : "", a->len);
    GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(st, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, w);
    g_object_unref(w);
    g_object_unref(st);
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_object_set_disposition((GMimeObject *)part, GMIME_DISPOSITION_ATTACHMENT);
    g_mime_part_set_filename(part, a->name && *a->name ? a->name : "attachment");
    return (GMimeObject *)part;
}

/* A mailbox whose display name, when not ASCII, is encoded as UTF-8 (RFC 2047). */
static void add_mailbox(GMimeMessage *msg, GMimeAddressType type, const char *name,
                        const char *addr)
{
    InternetAddress *a = internet_address_mailbox_new(name && *name ? name : NULL, addr);
    internet_address_set_charset(a, "utf-8");
    internet_address_list_add(g_mime_message_get_addresses(msg, type), a);
    g_object_unref(a);
}

enum xrm_rc xrm_mail_build(const struct xrm_mime_msg *m, char **out, size_t *len,
                           struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    GMimeMessage *msg = NULL;
    GMimeStream *mem = NULL;
    GMimeFormatOptions *fmt = NULL;
    GDateTime *date = NULL;
    *out = NULL;
    *len = 0;
    if (!m->from || !m->to || !m->subject || !m->text || !m->message_id || !strchr(m->to, '@') ||
        !strchr(m->from, '@'))
        return xrm_errf(err, XRM_E_INVALID,
                        "a message needs a sender, a recipient, a subject "
                        "and a text");
    if (!header_safe(m->from) || !header_safe(m->to) || !header_safe(m->from_name) ||
        !header_safe(m->to_name) || !header_safe(m->subject) || !header_safe(m->message_id) ||
        !header_safe(m->in_reply_to) || !header_safe(m->references) ||
        !header_safe(m->unsubscribe_url) || strpbrk(m->to, " <>\"") ||
        strpbrk(m->message_id, " <>"))
        return xrm_errf(err, XRM_E_INVALID, "a header of the message holds a line break");
    xrm_mail_out_init();

    msg = g_mime_message_new(TRUE);
    GMimeObject *obj = (GMimeObject *)msg;
    add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, m->from_name, m->from);
    add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m->to_name, m->to);
    g_mime_message_set_subject(msg, m->subject, "utf-8");
    date = g_date_time_new_from_unix_utc(m->date);
    g_mime_message_set_date(msg, date);
    g_mime_message_set_message_id(msg, m->message_id);
    if (m->in_reply_to && *m->in_reply_to) {
        char *irt = bracket_ids(m->in_reply_to);
        char *refs = bracket_ids(m->references && *m->references ? m->references : m->in_reply_to);
        if (irt && refs) {
            g_mime_object_set_header(obj, "In-Reply-To", irt, NULL);
            g_mime_object_set_header(obj, "References", refs, NULL);
        }
        free(irt);
        free(refs);
    }
    if (m->unsubscribe_url && *m->unsubscribe_url) {
        size_t n = strlen(m->unsubscribe_url) + 3;
        char *v = malloc(n);
        if (v) {
            snprintf(v, n, "<%s>", m->unsubscribe_url);
            g_mime_object_set_header(obj, "List-Unsubscribe", v, NULL);
            g_mime_object_set_header(obj, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click",
                                     NULL);
            free(v);
        }
    }

    /* the text as given (UTF-8): g_mime_text_part_set_text would pick a smaller charset */
    GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
    GMimeStream *ts = g_mime_stream_mem_new_with_buffer(m->text, strlen(m->text));
    GMimeDataWrapper *tw = g_mime_data_wrapper_new_with_stream(ts, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content((GMimePart *)text, tw);
    g_object_unref(tw);
    g_object_unref(ts);
    g_mime_text_part_set_charset(text, "utf-8");
    g_mime_part_set_content_encoding((GMimePart *)text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    if (m->n_att == 0) {
        g_mime_message_set_mime_part(msg, (GMimeObject *)text);
    } else {
        GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
        g_mime_multipart_add(mixed, (GMimeObject *)text);
        for (size_t i = 0; i < m->n_att; i++) {
            GMimeObject *a = attachment(&m->att[i]);
            g_mime_multipart_add(mixed, a);
            g_object_unref(a);
        }
        g_mime_message_set_mime_part(msg, (GMimeObject *)mixed);
        g_object_unref(mixed);
    }
    g_object_unref(text);

    fmt = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fmt, GMIME_NEWLINE_FORMAT_DOS);
    mem = g_mime_stream_mem_new();
    if (g_mime_object_write_to_stream(obj, fmt, mem) < 0) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot build the message");
        goto out;
    }
    GByteArray *ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
    *out = malloc(ba->len + 1);
    if (!*out) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "out of memory");
        goto out;
    }
    memcpy(*out, ba->data, ba->len);
    (*out)[ba->len] = '\0';
    *len = ba->len;
out:
    if (date)
        g_date_time_unref(date);
    if (fmt)
        g_mime_format_options_free(fmt);
    if (mem)
        g_object_unref(mem);
    if (msg)
        g_object_unref(msg);
    return rc;
}
