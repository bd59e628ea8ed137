/*
 * Mail received: RFC 5322 / MIME parsing by GMime 3 (see mail-in.h).
 */
#include "io/mail-in.h"
#include "io/text.h"
#include "core/buf.h"
#include "core/mem.h"

#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
    g_mime_init();
}

/* ---- text helpers ---------------------------------------------------- */

/* Cuts b to at most max bytes at a character boundary. */
static void cut_utf8(struct xrm_buf *b, size_t max)
{
    if (b->len <= max)
        return;
    size_t n = max;
    while (n > 0 && ((unsigned char)b->s[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->s[n] = '\0';
}

/*
 * Appends s[0..n) as clean UTF-8 to out: from charset (NULL or unknown:
 * UTF-8 when valid, else Windows-1252); CRLF and CR become LF; NUL and
 * other control characters but tab and LF are dropped.
 */
static void add_text(struct xrm_buf *out, const char *s, size_t n, const char *charset)
{
    struct xrm_buf tmp = XRM_BUF_INIT;
    bool done = false;
    if (!s || n == 0)
        return;
    if (charset && *charset) {
        const char *cs = charset;
        if (strcasecmp(cs, "iso-8859-1") == 0 || strcasecmp(cs, "latin1") == 0 ||
            strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0)
            cs = "WINDOWS-1252";
        if (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0) {
            if (xrm_text_utf8_valid(s, n) || memchr(s, 0, n)) {
                xrm_buf_add(&tmp, s, n);
                done = true;
            }
        } else if (xrm_text_to_utf8(&tmp, s, n, cs)) {
            done = true;
        }
    }
    if (!done) {
        xrm_buf_reset(&tmp);
        /* a NUL makes xrm_text_utf8_valid false: judge the text without them */
        struct xrm_buf nonul = XRM_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            if (s[i])
                xrm_buf_addc(&nonul, s[i]);
        if (xrm_text_utf8_valid(nonul.s ? nonul.s : "", nonul.len))
            xrm_buf_add(&tmp, nonul.s ? nonul.s : "", nonul.len);
        else
            xrm_text_to_utf8(&tmp, nonul.s ? nonul.s : "", nonul.len, "WINDOWS-1252");
        xrm_buf_release(&nonul);
    }
    for (size_t i = 0; i < tmp.len; i++) {
        unsigned char c = (unsigned char)tmp.s[i];
        if (c == '\r') {
            xrm_buf_addc(out, '\n');
            if (i + 1 < tmp.len && tmp.s[i + 1] == '\n')
                i++;
        } else if (c == '\n' || c == '\t' || c >= 0x20) {
            if (c == 0x7F)
                continue;
            xrm_buf_addc(out, (char)c);
        }
    }
    xrm_buf_release(&tmp);
}

/* A new clean UTF-8 copy of a header value GMime decoded (NULL -> NULL). */
static char *clean_dup(const char *s, size_t max)
{
    if (!s)
        return NULL;
    struct xrm_buf b = XRM_BUF_INIT;
    add_text(&b, s, strlen(s), "utf-8");
    for (size_t i = 0; i < b.len; i++)
        if (b.s[i] == '\n' || b.s[i] == '\t')
            b.s[i] = ' ';
    cut_utf8(&b, max);
    /* trim */
    size_t start = 0;
    while (start < b.len && b.s[start] == ' ')
        start++;
    while (b.len > start && b.s[b.len - 1] == ' ')
        b.len--;
    char *r = xrm_strndup(b.s ? b.s + start : "", b.len - start);
    xrm_buf_release(&b);
    return r;
}

/* Collapses runs of blank lines to one, trims trailing spaces and the ends. */
static char *tidy(struct xrm_buf *in)
{
    struct xrm_buf out = XRM_BUF_INIT;
    int newlines = 0;
    size_t i = 0;
    while (i < in->len && (in->s[i] == '\n' || in->s[i] == ' '))
        i++;
    for (; i < in->len; i++) {
        char c = in->s[i];
        if (c == '\n') {
            while (out.len > 0 && out.s[out.len - 1] == ' ')
                out.len--;
            if (++newlines <= 2)
                xrm_buf_addc(&out, '\n');
        } else {
            newlines = 0;
            xrm_buf_addc(&out, c);
        }
    }
    while (out.len > 0 && (out.s[out.len - 1] == '\n' || out.s[out.len - 1] == ' '))
        out.len--;
    xrm_buf_addc(&out, '\0');
    out.len--;
    return xrm_buf_detach(&out, NULL);
}

/* ---- HTML to text ---------------------------------------------------- */

static bool name_in(const xmlChar *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (xmlStrcasecmp(name, (const xmlChar *)list[i]) == 0)
            return true;
    return false;
}

static const char *const skip_tags[] = {"script", "style", "head", "title", "noscript", NULL};
static const char *const block_tags[] = {
    "p",       "div",     "li",     "tr",     "h1",      "h2",         "h3",  "h4",
    "h5",      "h6",      "ul",     "ol",     "table",   "blockquote", "pre", "hr",
    "section", "article", "header", "footer", "address", "dd",         "dt",  NULL};

/* Ends the current line (nothing at the start or after a line break); blank: a blank line. */
static void html_break(struct xrm_buf *b, bool blank)
{
    while (b->len > 0 && b->s[b->len - 1] == ' ')
        b->s[--b->len] = '\0';
    if (b->len == 0)
        return;
    if (b->s[b->len - 1] != '\n')
        xrm_buf_addc(b, '\n');
    if (blank && (b->len < 2 || b->s[b->len - 2] != '\n'))
        xrm_buf_addc(b, '\n');
}

/* Appends a text node's content with white space collapsed. */
static void html_text(struct xrm_buf *b, const char *s, bool pre)
{
    for (; *s; s++) {
        char c = *s;
        if (!pre && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            if (b->len > 0 && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '\n')
                xrm_buf_addc(b, ' ');
            continue;
        }
        xrm_buf_addc(b, c == '\r' ? '\n' : c);
    }
}

static char *html_to_text(const char *html, size_t len)
{
    struct xrm_buf b = XRM_BUF_INIT;
    if (len > INT32_MAX)
        len = INT32_MAX;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED);
    xmlNodePtr n = doc ? xmlDocGetRootElement(doc) : NULL;
    /* walk without recursion: children first, then next siblings, then up */
    int pre = 0;
    while (n) {
        bool descend = false;
        if (n->type == XML_ELEMENT_NODE) {
            if (name_in(n->name, skip_tags)) {
                descend = false;
            } else {
                if (xmlStrcasecmp(n->name, (const xmlChar *)"br") == 0)
                    xrm_buf_addc(&b, '\n');
                else if (name_in(n->name, block_tags))
                    html_break(&b, false);
                if (xmlStrcasecmp(n->name, (const xmlChar *)"li") == 0)
                    xrm_buf_adds(&b, "- ");
                if (xmlStrcasecmp(n->name, (const xmlChar *)"pre") == 0)
                    pre++;
                descend = n->children != NULL;
            }
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                html_text(&b, (const char *)n->content, pre > 0);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* leaving n (and, going up, its ancestors) */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && !name_in(n->name, skip_tags)) {
                if (xmlStrcasecmp(n->name, (const xmlChar *)"p") == 0 ||
                    xmlStrcasecmp(n->name, (const xmlChar *)"ul") == 0 ||
                    xmlStrcasecmp(n->name, (const xmlChar *)"ol") == 0)
                    html_break(&b, true);
                else if (name_in(n->name, block_tags))
                    html_break(&b, false);
                if (xmlStrcasecmp(n->name, (const xmlChar *)"pre") == 0 && pre > 0)
                    pre--;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
                n = NULL;
                break;
            }
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    char *r = tidy(&b);
    xrm_buf_release(&b);
    return r;
}

/* ---- parts ----------------------------------------------------------- */

struct walk {
    struct xrm_mail_in *m;
    int parts;
    char *plain; /* first text/plain body, UTF-8 */
    char *html;  /* first text/html body, UTF-8 */
    bool failed;
    char err[128];
};

/* The decoded content of a leaf part, as a byte array the caller frees (g_byte_array_free). */
static GByteArray *part_bytes(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GMimeStream *mem = g_mime_stream_mem_new();
    if (w)
        g_mime_data_wrapper_write_to_stream(w, mem);
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
    g_object_unref(mem);
    return ba;
}

static char *base_name(const char *s)
{
    if (!s || !*s)
        return xrm_strdup("attachment");
    const char *p = s;
    for (const char *q = s; *q; q++)
        if (*q == '/' || *q == '\\')
            p = q + 1;
    char *r = clean_dup(p, 200);
    if (!r || !*r || strcmp(r, ".") == 0 || strcmp(r, "..") == 0) {
        free(r);
        return xrm_strdup("attachment");
    }
    return r;
}

static void add_att(struct walk *w, const char *name, const char *type, const guint8 *data,
                    size_t len)
{
    struct xrm_mail_in *m = w->m;
    m->att = xrm_realloc(m->att, (m->n_att + 1) * sizeof *m->att);
    struct xrm_mail_in_att *a = &m->att[m->n_att++];
    a->name = base_name(name);
    a->type = xrm_strdup(type);
    for (char *p = a->type; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    a->data = xrm_malloc(len ? len : 1);
    if (len)
        memcpy(a->data, data, len);
    a->len = len;
}

static void walk_part(struct walk *w, GMimeObject *obj, int depth)
{
    if (w->failed)
        return;
    if (++w->parts > XRM_MAIL_IN_MAX_PARTS) {
        w->failed = true;
        snprintf(w->err, sizeof w->err, "message has more than %d parts", XRM_MAIL_IN_MAX_PARTS);
        return;
    }
    if (depth > XRM_MAIL_IN_MAX_DEPTH) {
        w->failed = true;
        snprintf(w->err, sizeof w->err, "message parts nest deeper than %d", XRM_MAIL_IN_MAX_DEPTH);
        return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && !w->failed; i++)
            walk_part(w, g_mime_multipart_get_part(mp, i), depth + 1);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (!inner)
            return;
        GMimeStream *mem = g_mime_stream_mem_new();
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
        GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
        const char *subj = g_mime_message_get_subject(inner);
        char name[240];
        snprintf(name, sizeof name, "%.200s.eml", subj && *subj ? subj : "message");
        add_att(w, name, "message/rfc822", ba->data, ba->len);
        g_object_unref(mem);
        return;
    }
    if (!GMIME_IS_PART(obj))
        return;
    GMimePart *part = GMIME_PART(obj);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *filename = g_mime_part_get_filename(part);
    bool is_att = g_mime_part_is_attachment(part) || (filename && *filename);
    bool is_plain = ct && g_mime_content_type_is_type(ct, "text", "plain");
    bool is_html = ct && g_mime_content_type_is_type(ct, "text", "html");
    if (!is_att && (is_plain || is_html || !ct)) {
        char **slot = is_html ? &w->html : &w->plain;
        if (*slot)
            return; /* a later alternative: the first one is the body */
        GByteArray *ba = part_bytes(part);
        struct xrm_buf b = XRM_BUF_INIT;
        add_text(&b, (const char *)ba->data, ba->len,
                 g_mime_object_get_content_type_parameter(obj, "charset"));
        xrm_buf_addc(&b, '\0');
        *slot = xrm_buf_detach(&b, NULL);
        g_byte_array_free(ba, TRUE);
        return;
    }
    if (!is_att && ct && g_mime_content_type_is_type(ct, "text", "*"))
        return; /* text/enriched, text/calendar alternative and the like: no body, no file */
    char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    GByteArray *ba = part_bytes(part);
    add_att(w, filename, type ? type : "application/octet-stream", ba->data, ba->len);
    g_byte_array_free(ba, TRUE);
    g_free(type);
}

/* ---- addresses and ids ------------------------------------------------ */

static void lower(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Appends the mailboxes of list (groups flattened) to *v / *n. */
static void add_addrs(InternetAddressList *list, struct xrm_mail_addr **v, size_t *n, int depth)
{
    int count = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < count && *n < XRM_MAIL_IN_MAX_ADDRS; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            if (depth < 2)
                add_addrs(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), v, n,
                          depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        if (!addr || !strchr(addr, '@') || strlen(addr) > 254)
            continue;
        char *a = clean_dup(addr, 254);
        if (!a || strchr(a, ' ') || !*a) {
            free(a);
            continue;
        }
        lower(a);
        const char *name = internet_address_get_name(ia);
        *v = xrm_realloc(*v, (*n + 1) * sizeof **v);
        (*v)[*n].addr = a;
        (*v)[*n].name = name && *name ? clean_dup(name, 200) : NULL;
        (*n)++;
    }
}

/* The message ids of a header value (In-Reply-To, References), in order. */
static void add_refs(const char *value, char ***v, size_t *n)
{
    if (!value)
        return;
    GMimeReferences *refs = g_mime_references_parse(NULL, value);
    if (!refs)
        return;
    int count = g_mime_references_length(refs);
    for (int i = 0; i < count && *n < 100; i++) {
        const char *id = g_mime_references_get_message_id(refs, i);
        if (!id || !*id || strlen(id) > 998)
            continue;
        *v = xrm_realloc(*v, (*n + 1) * sizeof **v);
        (*v)[(*n)++] = clean_dup(id, 998);
    }
    g_mime_references_free(refs);
}

/* The addresses of Delivered-To, X-Original-To and Envelope-To headers (every one). */
static void add_envelope(GMimeObject *obj, struct xrm_mail_in *m)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    int count = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < count && m->n_delivered_to < 20; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *name = g_mime_header_get_name(h);
        if (!name ||
            (strcasecmp(name, "Delivered-To") != 0 && strcasecmp(name, "X-Original-To") != 0 &&
             strcasecmp(name, "Envelope-To") != 0))
            continue;
        InternetAddressList *al = internet_address_list_parse(NULL, g_mime_header_get_value(h));
        struct xrm_mail_addr *v = NULL;
        size_t n = 0;
        add_addrs(al, &v, &n, 0);
        for (size_t j = 0; j < n; j++) {
            m->delivered_to =
                xrm_realloc(m->delivered_to, (m->n_delivered_to + 1) * sizeof(char *));
            m->delivered_to[m->n_delivered_to++] = v[j].addr;
            free(v[j].name);
        }
        free(v);
        if (al)
            g_object_unref(al);
    }
}

/* The length of the header block (up to the blank line), or len when none. */
static size_t header_len(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '\n' &&
            (s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n')))
            return i + 1;
    }
    return len;
}

/* ---- the message ------------------------------------------------------ */

int xrm_mail_in_parse(const void *raw, size_t len, struct xrm_mail_in **out, int *errcode,
                      char *errmsg, size_t errlen)
{
    struct xrm_mail_in *m = NULL;
    GMimeStream *stream = NULL;
    GMimeParser *parser = NULL;
    GMimeMessage *msg = NULL;
    struct walk w = {0};
    int code = 1;
    int rc = -1;
    *out = NULL;
    errmsg[0] = '\0';
    pthread_once(&gmime_once, gmime_start);
    if (len > XRM_MAIL_IN_MAX_BYTES) {
        code = 2;
        snprintf(errmsg, errlen, "message is larger than %u MB",
                 XRM_MAIL_IN_MAX_BYTES / (1024 * 1024));
        goto out;
    }
    if (len == 0) {
        snprintf(errmsg, errlen, "it is empty");
        goto out;
    }
    if (header_len(raw, len) > XRM_MAIL_IN_MAX_HEADER) {
        snprintf(errmsg, errlen, "message header is longer than %u KB",
                 XRM_MAIL_IN_MAX_HEADER / 1024);
        goto out;
    }
    stream = g_mime_stream_mem_new_with_buffer(raw, len);
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    msg = g_mime_parser_construct_message(parser, NULL);
    if (!msg) {
        snprintf(errmsg, errlen, "it cannot be parsed");
        goto out;
    }
    m = xrm_calloc(1, sizeof *m);
    struct xrm_mail_addr *from = NULL;
    size_t n_from = 0;
    add_addrs(g_mime_message_get_from(msg), &from, &n_from, 0);
    if (n_from == 0) {
        free(from);
        snprintf(errmsg, errlen, "it has no From address");
        goto out;
    }
    m->from = from[0];
    for (size_t i = 1; i < n_from; i++) {
        free(from[i].addr);
        free(from[i].name);
    }
    free(from);
    add_addrs(g_mime_message_get_to(msg), &m->to, &m->n_to, 0);
    add_addrs(g_mime_message_get_cc(msg), &m->cc, &m->n_cc, 0);

    const char *mid = g_mime_message_get_message_id(msg);
    if (mid && *mid && strlen(mid) <= 998)
        m->message_id = clean_dup(mid, 998);
    if (!m->message_id || !m->message_id[0] || strchr(m->message_id, ' ')) {
        /* none, or nothing usable left of it: the bytes' own hash */
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * sizeof h + 1];
        crypto_hash_sha256(h, raw, len);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        struct xrm_buf b = XRM_BUF_INIT;
        xrm_buf_addf(&b, "%s@no-message-id.invalid", hex);
        free(m->message_id);
        m->message_id = xrm_buf_detach(&b, NULL);
    }
    char **irt = NULL;
    size_t n_irt = 0;
    add_refs(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"), &irt, &n_irt);
    if (n_irt > 0)
        m->in_reply_to = irt[0];
    for (size_t i = 1; i < n_irt; i++)
        free(irt[i]);
    free(irt);
    add_refs(g_mime_object_get_header(GMIME_OBJECT(msg), "References"), &m->references,
             &m->n_references);
    add_envelope(GMIME_OBJECT(msg), m);

    const char *subj = g_mime_message_get_subject(msg);
    m->subject = clean_dup(subj ? subj : "", XRM_MAIL_IN_MAX_SUBJECT);
    GDateTime *d = g_mime_message_get_date(msg);
    if (d) {
        GDateTime *u = g_date_time_to_utc(d);
        gchar *s = u ? g_date_time_format(u, "%Y-%m-%dT%H:%M:%SZ") : NULL;
        if (s && strlen(s) == 20 && s[0] != '-')
            m->date = xrm_strdup(s);
        g_free(s);
        if (u)
            g_date_time_unref(u);
    }

    w.m = m;
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    if (body)
        walk_part(&w, body, 0);
    if (w.failed) {
        snprintf(errmsg, errlen, "%s", w.err);
        goto out;
    }
    if (w.plain) {
        struct xrm_buf b = XRM_BUF_INIT;
        xrm_buf_adds(&b, w.plain);
        m->text = tidy(&b);
        xrm_buf_release(&b);
    } else if (w.html) {
        m->text = html_to_text(w.html, strlen(w.html));
    } else {
        m->text = xrm_strdup("");
    }
    {
        struct xrm_buf b = XRM_BUF_INIT;
        xrm_buf_adds(&b, m->text);
        xrm_buf_addc(&b, '\0');
        b.len--;
        cut_utf8(&b, XRM_MAIL_IN_MAX_TEXT);
        free(m->text);
        m->text = xrm_buf_detach(&b, NULL);
    }
    *out = m;
    m = NULL;
    rc = 0;
out:
    if (rc && errcode)
        *errcode = code;
    free(w.plain);
    free(w.html);
    xrm_mail_in_free(m);
    if (msg)
        g_object_unref(msg);
    if (parser)
        g_object_unref(parser);
    if (stream)
        g_object_unref(stream);
    return rc;
}

static void free_addrs(struct xrm_mail_addr *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].addr);
        free(v[i].name);
    }
    free(v);
}

void xrm_mail_in_free(struct xrm_mail_in *m)
{
    if (!m)
        return;
    free(m->message_id);
    free(m->in_reply_to);
    for (size_t i = 0; i < m->n_references; i++)
        free(m->references[i]);
    free(m->references);
    free(m->from.addr);
    free(m->from.name);
    free_addrs(m->to, m->n_to);
    free_addrs(m->cc, m->n_cc);
    for (size_t i = 0; i < m->n_delivered_to; i++)
        free(m->delivered_to[i]);
    free(m->delivered_to);
    free(m->subject);
    free(m->date);
    free(m->text);
    for (size_t i = 0; i < m->n_att; i++) {
        free(m->att[i].name);
        free(m->att[i].type);
        free(m->att[i].data);
    }
    free(m->att);
    free(m);
}

static json_t *addr_json(const struct xrm_mail_addr *a)
{
    return json_pack("{s:s, s:s?}", "addr", a->addr, "name", a->name);
}

json_t *xrm_mail_in_json(const struct xrm_mail_in *m)
{
    json_t *refs = json_array(), *to = json_array(), *cc = json_array(), *att = json_array();
    json_t *dt = json_array();
    for (size_t i = 0; i < m->n_delivered_to; i++)
        json_array_append_new(dt, json_string(m->delivered_to[i]));
    for (size_t i = 0; i < m->n_references; i++)
        json_array_append_new(refs, json_string(m->references[i]));
    for (size_t i = 0; i < m->n_to; i++)
        json_array_append_new(to, addr_json(&m->to[i]));
    for (size_t i = 0; i < m->n_cc; i++)
        json_array_append_new(cc, addr_json(&m->cc[i]));
    for (size_t i = 0; i < m->n_att; i++)
        json_array_append_new(att, json_pack("{s:s, s:s, s:I}", "name", m->att[i].name, "type",
                                             m->att[i].type, "size", (json_int_t)m->att[i].len));
    return json_pack("{s:s, s:s?, s:o, s:o, s:o, s:o, s:o, s:s, s:s?, s:s, s:o}", "message_id",
                     m->message_id, "in_reply_to", m->in_reply_to, "references", refs, "from",
                     addr_json(&m->from), "to", to, "cc", cc, "delivered_to", dt, "subject",
                     m->subject, "date", m->date, "text", m->text, "attachments", att);
}
