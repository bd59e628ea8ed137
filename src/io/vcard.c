/*
 * The vCard reader (2.1, 3.0, 4.0) and the vCard 4.0 writer.
 *
 * Reading goes physical line -> logical line -> property. A logical line
 * grows by unfolding (a physical line starting with space or tab continues
 * it) and, while its parameters say QUOTED-PRINTABLE and it ends in '=', by
 * the next physical line whatever it starts with (2.1's soft line break).
 * A property's value is decoded (quoted-printable, base64, charset) before
 * it is split into components at unescaped separators, and each component
 * is unescaped after the split, so "\;" never splits.
 * Writing folds with io/ical.h's content-line folder (same rule: 75
 * octets, never inside a UTF-8 sequence).
 */
#include "io/vcard.h"
#include "io/ical.h"
#include "io/text.h"
#include "core/mem.h"

#include <ctype.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

struct xrm_vcard {
    xrm_vcard_card_fn fn;
    void *ctx;
    struct xrm_vcard_limits lim;
    struct xrm_buf phys;    /* a physical line cut by a chunk end */
    struct xrm_buf logical; /* the logical line being unfolded */
    bool have_logical, logical_qp;
    long logical_line;
    long line; /* number of the next physical line */
    json_t *card;
    long card_line;
    size_t card_bytes, nprops;
    int depth; /* nested BEGIN:VCARD (2.1 AGENT) being skipped */
    bool stopped;
    enum xrm_rc rc;
    struct xrm_err *err;
};

struct xrm_vcard *xrm_vcard_new(xrm_vcard_card_fn fn, void *ctx,
                                const struct xrm_vcard_limits *limits)
{
    struct xrm_vcard *r = xrm_calloc(1, sizeof(*r));
    r->fn = fn;
    r->ctx = ctx;
    if (limits) {
        r->lim = *limits;
    } else {
        r->lim.line_max = XRM_VCARD_LINE_MAX;
        r->lim.card_max = XRM_VCARD_CARD_MAX;
        r->lim.props_max = XRM_VCARD_PROPS_MAX;
    }
    r->phys = (struct xrm_buf)XRM_BUF_INIT;
    r->logical = (struct xrm_buf)XRM_BUF_INIT;
    r->line = 1;
    return r;
}

void xrm_vcard_free(struct xrm_vcard *r)
{
    if (!r)
        return;
    xrm_buf_release(&r->phys);
    xrm_buf_release(&r->logical);
    json_decref(r->card);
    free(r);
}

static enum xrm_rc fail(struct xrm_vcard *r, enum xrm_rc rc)
{
    r->rc = rc;
    r->stopped = true;
    return rc;
}

/* ---- values ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void qp_decode(struct xrm_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '=' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
            (lo = hexval((unsigned char)s[i + 2])) >= 0) {
            xrm_buf_addc(out, (char)(hi * 16 + lo));
            i += 2;
        } else if (s[i] == '=' && i + 1 == n) {
            /* a soft break left at the very end */
        } else {
            xrm_buf_addc(out, s[i]);
        }
    }
}

/* Decodes base64 (whitespace ignored, padding optional); false when it is not. */
static bool b64_decode(const char *s, size_t n, unsigned char **bin, size_t *len)
{
    size_t cap = n / 4 * 3 + 3;
    unsigned char *out = xrm_malloc(cap ? cap : 1);
    const char *end = NULL;
    if (sodium_base642bin(out, cap, s, n, " \t\r\n", len, &end, sodium_base64_VARIANT_ORIGINAL) ==
            0 &&
        end == s + n) {
        *bin = out;
        return true;
    }
    if (sodium_base642bin(out, cap, s, n, " \t\r\n=", len, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0 &&
        end == s + n) {
        *bin = out;
        return true;
    }
    free(out);
    return false;
}

static char *b64_encode(const unsigned char *bin, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *s = xrm_malloc(n);
    sodium_bin2base64(s, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* Appends s[0..n) unescaped: \\ \; \, \: \n \N; controls but LF and tab dropped. */
static void unescape(struct xrm_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            xrm_buf_addc(out, s[i] == 'n' || s[i] == 'N' ? '\n' : s[i]);
        } else if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f) {
            continue; /* CR of CRLF and other controls: never wanted in a field */
        } else {
            xrm_buf_addc(out, s[i]);
        }
    }
}

static json_t *text_of(const char *s, size_t n)
{
    struct xrm_buf b = XRM_BUF_INIT;
    unescape(&b, s, n);
    json_t *j = json_stringn(b.s, b.len);
    xrm_buf_release(&b);
    return j;
}

/* Components of s split at unescaped sep, unescaped; JSON strings. */
static json_t *split(const char *s, size_t n, char sep)
{
    json_t *a = json_array();
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '\\') {
            i++;
            continue;
        }
        if (i == n || s[i] == sep) {
            json_array_append_new(a, text_of(s + start, (i > n ? n : i) - start));
            start = i + 1;
        }
    }
    return a;
}

/* ---- properties ---- */

struct params {
    json_t *types; /* lower-case strings */
    bool pref;
    char encoding[24], charset[40], value[16], mediatype[80];
};

static void set_small(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void add_type(struct params *p, const char *s, size_t n)
{
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        s++, n -= 2;
    if (n == 0)
        return;
    char t[64];
    if (n >= sizeof(t))
        return;
    for (size_t i = 0; i < n; i++)
        t[i] = (char)tolower((unsigned char)s[i]);
    t[n] = '\0';
    if (strcmp(t, "pref") == 0) {
        p->pref = true;
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(p->types, i, v) if (strcmp(json_string_value(v), t) == 0) return;
    json_array_append_new(p->types, json_string(t));
}

static bool name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

static void strip_quotes(const char **s, size_t *n)
{
    if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"')
        (*s)++, *n -= 2;
}

/* One parameter token "NAME=VALUE[,VALUE]" or a 2.1 bare value. */
static void param(struct params *p, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        if (name_is(s, n, "QUOTED-PRINTABLE") || name_is(s, n, "BASE64") || name_is(s, n, "8BIT") ||
            name_is(s, n, "7BIT"))
            set_small(p->encoding, sizeof(p->encoding), s, n);
        else
            add_type(p, s, n);
        return;
    }
    size_t kn = (size_t)(eq - s);
    const char *v = eq + 1;
    size_t vn = n - kn - 1;
    strip_quotes(&v, &vn);
    if (name_is(s, kn, "TYPE")) {
        /* TYPE="work,voice" (4.0) lists as TYPE=work,voice does */
        size_t start = 0;
        for (size_t i = 0; i <= vn; i++) {
            if (i == vn || v[i] == ',') {
                add_type(p, v + start, i - start);
                start = i + 1;
            }
        }
        return;
    }
    if (name_is(s, kn, "PREF"))
        p->pref = true;
    else if (name_is(s, kn, "ENCODING"))
        set_small(p->encoding, sizeof(p->encoding), v, vn);
    else if (name_is(s, kn, "CHARSET"))
        set_small(p->charset, sizeof(p->charset), v, vn);
    else if (name_is(s, kn, "VALUE"))
        set_small(p->value, sizeof(p->value), v, vn);
    else if (name_is(s, kn, "MEDIATYPE"))
        set_small(p->mediatype, sizeof(p->mediatype), v, vn);
}

/* The value's bytes as UTF-8 text (encoding and charset applied) into out. */
static void decode_text(struct xrm_buf *out, const struct params *p, const char *v, size_t n)
{
    struct xrm_buf raw = XRM_BUF_INIT;
    if (strcasecmp(p->encoding, "QUOTED-PRINTABLE") == 0) {
        qp_decode(&raw, v, n);
    } else if (strcasecmp(p->encoding, "B") == 0 || strcasecmp(p->encoding, "BASE64") == 0) {
        unsigned char *bin;
        size_t len;
        if (b64_decode(v, n, &bin, &len)) {
            xrm_buf_add(&raw, bin, len);
            free(bin);
        }
    } else {
        xrm_buf_add(&raw, v, n);
    }
    bool utf8 = xrm_text_utf8_valid(raw.s, raw.len);
    if (p->charset[0] && strcasecmp(p->charset, "UTF-8") != 0 &&
        xrm_text_to_utf8(out, raw.s, raw.len, p->charset)) {
        /* converted */
    } else if (utf8) {
        xrm_buf_add(out, raw.s, raw.len);
    } else {
        /* 8-bit text that is not UTF-8: what old phones and Outlook write */
        size_t k = 0;
        for (size_t i = 0; i < raw.len; i++)
            if (raw.s[i])
                raw.s[k++] = raw.s[i];
        raw.len = k;
        xrm_text_to_utf8(out, raw.s, raw.len, "WINDOWS-1252");
    }
    xrm_buf_release(&raw);
    /* NUL bytes cannot live in a JSON string of this API */
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (out->s[i])
            out->s[k++] = out->s[i];
    out->len = k;
    out->s[k] = '\0';
}

static json_t *list_of(json_t *card, const char *key)
{
    json_t *a = json_object_get(card, key);
    if (!a) {
        a = json_array();
        json_object_set_new(card, key, a);
    }
    return a;
}

static void set_text_once(json_t *card, const char *key, const char *v, size_t n)
{
    if (!json_object_get(card, key))
        json_object_set_new(card, key, text_of(v, n));
}

static const char *const N_KEYS[] = {"family", "given", "additional", "prefix", "suffix"};
static const char *const ADR_KEYS[] = {"po_box", "extended",    "street", "locality",
                                       "region", "postal_code", "country"};

static json_t *components(const char *v, size_t n, const char *const *keys, size_t nkeys)
{
    json_t *parts = split(v, n, ';'), *o = json_object();
    for (size_t i = 0; i < nkeys && i < json_array_size(parts); i++) {
        json_t *c = json_array_get(parts, i);
        if (json_string_length(c) > 0)
            json_object_set(o, keys[i], c);
    }
    json_decref(parts);
    return o;
}

static json_t *nonempty(json_t *a)
{
    size_t i = 0;
    while (i < json_array_size(a)) {
        if (json_string_length(json_array_get(a, i)) == 0)
            json_array_remove(a, i);
        else
            i++;
    }
    return a;
}

static void with_types(json_t *o, struct params *p)
{
    json_object_set(o, "types", p->types);
    json_object_set_new(o, "pref", json_boolean(p->pref));
}

/* A photo's media type is at most PHOTO_TYPE_MAX - 1 bytes, read and written
 * alike, so a card written and read back keeps its photo. */
#define PHOTO_TYPE_MAX 40

static const char *photo_type(const struct params *p, char *buf, size_t cap)
{
    if (p->mediatype[0] && strlen(p->mediatype) < PHOTO_TYPE_MAX)
        return p->mediatype;
    size_t i;
    json_t *t;
    json_array_foreach(p->types, i, t)
    {
        const char *s = json_string_value(t);
        if (strchr(s, '/') && strlen(s) < PHOTO_TYPE_MAX)
            return s;
        if (!strchr(s, '/') && strlen(s) < 20) {
            set_small(buf, cap, "image/", 6);
            size_t l = strlen(buf);
            set_small(buf + l, cap - l, s, strlen(s));
            return buf;
        }
    }
    return "application/octet-stream";
}

static void photo(json_t *card, struct params *p, const char *v, size_t n)
{
    unsigned char *bin = NULL;
    size_t len = 0;
    char tbuf[PHOTO_TYPE_MAX];
    const char *type = NULL;
    if (strcasecmp(p->encoding, "B") == 0 || strcasecmp(p->encoding, "BASE64") == 0) {
        if (!b64_decode(v, n, &bin, &len))
            return;
        type = photo_type(p, tbuf, sizeof(tbuf));
    } else if (n > 5 && strncasecmp(v, "data:", 5) == 0) {
        const char *comma = memchr(v, ',', n);
        const char *semi = memchr(v, ';', n);
        if (!comma || !semi || semi > comma || (size_t)(comma - semi) != 7 ||
            strncasecmp(semi, ";base64", 7) != 0 || (size_t)(semi - v - 5) >= sizeof(tbuf))
            return;
        set_small(tbuf, sizeof(tbuf), v + 5, (size_t)(semi - v - 5));
        type = tbuf;
        if (!b64_decode(comma + 1, n - (size_t)(comma + 1 - v), &bin, &len))
            return;
    } else {
        /* a URI value: not TEXT, so not unescaped; controls make it no URI */
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
                return;
        json_t *o = json_object();
        json_object_set_new(o, "uri", json_stringn(v, n));
        json_object_set_new(card, "photo", o);
        return;
    }
    char *b64 = b64_encode(bin, len);
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "base64", json_string(b64));
    json_object_set_new(card, "photo", o);
    free(b64);
    free(bin);
}

/* Letters, digits and '-' only (a KIND value, a TYPE parameter). */
static bool is_token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

static bool valid_x_name(const char *s)
{
    if (strncasecmp(s, "X-", 2) != 0 || !s[2])
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-')
            return false;
    return true;
}

static void x_prop(json_t *card, const char *name, const char *v, size_t n)
{
    json_t *x = json_object_get(card, "x");
    if (!x) {
        x = json_object();
        json_object_set_new(card, "x", x);
    }
    json_t *val = text_of(v, n), *old = json_object_get(x, name);
    if (!old) {
        json_object_set_new(x, name, val);
    } else if (json_is_array(old)) {
        json_array_append_new(old, val);
    } else {
        json_t *a = json_array();
        json_array_append(a, old);
        json_array_append_new(a, val);
        json_object_set_new(x, name, a);
    }
}

/* The property name (upper case, group dropped) of s[0..n). */
static void prop_name(char *out, size_t cap, const char *s, size_t n)
{
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.')
            dot = s + i;
    if (dot) {
        n -= (size_t)(dot + 1 - s);
        s = dot + 1;
    }
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)toupper((unsigned char)s[i]);
    out[n] = '\0';
}

static void property(struct xrm_vcard *r, const char *name, struct params *p, const char *raw,
                     size_t rawn)
{
    json_t *card = r->card;
    if (strcmp(name, "PHOTO") == 0) {
        photo(card, p, raw, rawn);
        return;
    }
    struct xrm_buf t = XRM_BUF_INIT;
    decode_text(&t, p, raw, rawn);
    const char *v = t.s;
    size_t n = t.len;
    if (strcmp(name, "VERSION") == 0) {
        set_text_once(card, "version", v, n);
    } else if (strcmp(name, "FN") == 0 || strcmp(name, "TITLE") == 0 || strcmp(name, "ROLE") == 0 ||
               strcmp(name, "BDAY") == 0 || strcmp(name, "UID") == 0 || strcmp(name, "REV") == 0) {
        char key[8];
        size_t l = strlen(name);
        for (size_t i = 0; i <= l; i++)
            key[i] = (char)tolower((unsigned char)name[i]);
        set_text_once(card, key, v, n);
    } else if (strcmp(name, "KIND") == 0) {
        if (!json_object_get(card, "kind") && n > 0 && n < 32 && is_token(v, n)) {
            char k[32];
            for (size_t i = 0; i < n; i++)
                k[i] = (char)tolower((unsigned char)v[i]);
            json_object_set_new(card, "kind", json_stringn(k, n));
        }
    } else if (strcmp(name, "NOTE") == 0) {
        json_t *old = json_object_get(card, "note");
        json_t *add = text_of(v, n);
        if (old) {
            struct xrm_buf j = XRM_BUF_INIT;
            xrm_buf_addf(&j, "%s\n%s", json_string_value(old), json_string_value(add));
            json_object_set_new(card, "note", json_stringn(j.s, j.len));
            xrm_buf_release(&j);
            json_decref(add);
        } else {
            json_object_set_new(card, "note", add);
        }
    } else if (strcmp(name, "N") == 0) {
        if (!json_object_get(card, "n"))
            json_object_set_new(card, "n", components(v, n, N_KEYS, 5));
    } else if (strcmp(name, "ORG") == 0) {
        if (!json_object_get(card, "org"))
            json_object_set_new(card, "org", nonempty(split(v, n, ';')));
    } else if (strcmp(name, "NICKNAME") == 0 || strcmp(name, "CATEGORIES") == 0) {
        json_t *a = list_of(card, strcmp(name, "NICKNAME") == 0 ? "nickname" : "categories");
        json_t *parts = nonempty(split(v, n, ','));
        json_array_extend(a, parts);
        json_decref(parts);
    } else if (strcmp(name, "TEL") == 0 || strcmp(name, "EMAIL") == 0) {
        const char *s = v;
        size_t sn = n;
        if (name[0] == 'T' && strcasecmp(p->value, "uri") == 0 && sn > 4 &&
            strncasecmp(s, "tel:", 4) == 0)
            s += 4, sn -= 4;
        json_t *o = json_object();
        json_object_set_new(o, "value", text_of(s, sn));
        with_types(o, p);
        json_array_append_new(list_of(card, name[0] == 'T' ? "tel" : "email"), o);
    } else if (strcmp(name, "ADR") == 0) {
        json_t *o = components(v, n, ADR_KEYS, 7);
        with_types(o, p);
        json_array_append_new(list_of(card, "adr"), o);
    } else if (strcmp(name, "URL") == 0) {
        json_array_append_new(list_of(card, "url"), text_of(v, n));
    } else if (valid_x_name(name)) {
        x_prop(card, name, v, n);
    }
    xrm_buf_release(&t);
}

/* Index of the first ':' outside double quotes, or n. */
static size_t colon_at(const char *s, size_t n)
{
    bool q = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (s[i] == ':' && !q)
            return i;
    }
    return n;
}

static enum xrm_rc emit(struct xrm_vcard *r)
{
    json_t *card = r->card;
    r->card = NULL;
    enum xrm_rc rc = r->fn(r->ctx, card, r->card_line, r->err);
    json_decref(card);
    return rc ? fail(r, rc) : XRM_OK;
}

static enum xrm_rc logical_line(struct xrm_vcard *r, const char *s, size_t n, long line)
{
    size_t colon = colon_at(s, n);
    if (colon == n) {
        if (!r->card)
            goto outside;
        return XRM_OK; /* a line without value inside a card: ignored */
    }
    size_t name_end = 0;
    while (name_end < colon && s[name_end] != ';')
        name_end++;
    char name[64];
    prop_name(name, sizeof(name), s, name_end);
    const char *v = s + colon + 1;
    size_t vn = n - colon - 1;
    if (strcmp(name, "BEGIN") == 0 && name_is(v, vn, "VCARD")) {
        if (r->card) {
            r->depth++;
            return XRM_OK;
        }
        r->card = json_object();
        r->card_line = line;
        r->card_bytes = 0;
        r->nprops = 0;
        return XRM_OK;
    }
    if (!r->card)
        goto outside;
    if (strcmp(name, "END") == 0 && name_is(v, vn, "VCARD")) {
        if (r->depth > 0) {
            r->depth--;
            return XRM_OK;
        }
        return emit(r);
    }
    if (r->depth > 0)
        return XRM_OK;
    if (++r->nprops > r->lim.props_max) {
        xrm_errf(r->err, XRM_E_LIMIT, "card starting on line %ld has more than %zu properties",
                 r->card_line, r->lim.props_max);
        return fail(r, XRM_E_LIMIT);
    }
    struct params p = {.types = json_array()};
    size_t start = name_end + 1;
    bool q = false;
    for (size_t i = name_end + 1; i <= colon && name_end < colon; i++) {
        if (i < colon && s[i] == '"')
            q = !q;
        if (i == colon || (s[i] == ';' && !q)) {
            if (i > start)
                param(&p, s + start, i - start);
            start = i + 1;
        }
    }
    property(r, name, &p, v, vn);
    json_decref(p.types);
    return XRM_OK;
outside:
    xrm_errf(r->err, XRM_E_MALFORMED, "line %ld is not inside a BEGIN:VCARD ... END:VCARD", line);
    return fail(r, XRM_E_MALFORMED);
}

static bool is_qp_line(const char *s, size_t n)
{
    size_t colon = colon_at(s, n);
    for (size_t i = 0; i + 16 <= colon; i++)
        if (strncasecmp(s + i, "QUOTED-PRINTABLE", 16) == 0)
            return true;
    return false;
}

static enum xrm_rc flush_logical(struct xrm_vcard *r)
{
    if (!r->have_logical)
        return XRM_OK;
    r->have_logical = false;
    enum xrm_rc rc = logical_line(r, r->logical.s, r->logical.len, r->logical_line);
    xrm_buf_reset(&r->logical);
    return rc;
}

static enum xrm_rc grow_logical(struct xrm_vcard *r, const char *s, size_t n)
{
    if (r->logical.len + n > r->lim.line_max) {
        xrm_errf(r->err, XRM_E_LIMIT, "line %ld is longer than %zu bytes", r->logical_line,
                 r->lim.line_max);
        return fail(r, XRM_E_LIMIT);
    }
    xrm_buf_add(&r->logical, s, n);
    return XRM_OK;
}

static enum xrm_rc physical_line(struct xrm_vcard *r, const char *s, size_t n)
{
    enum xrm_rc rc;
    long line = r->line++;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (r->card) {
        r->card_bytes += n + 2;
        if (r->card_bytes > r->lim.card_max) {
            xrm_errf(r->err, XRM_E_LIMIT, "card starting on line %ld is longer than %zu bytes",
                     r->card_line, r->lim.card_max);
            return fail(r, XRM_E_LIMIT);
        }
    }
    if (r->have_logical && n > 0 && (s[0] == ' ' || s[0] == '\t'))
        return grow_logical(r, s + 1, n - 1);
    if (r->have_logical && r->logical_qp && r->logical.len > 0 &&
        r->logical.s[r->logical.len - 1] == '=') {
        r->logical.s[--r->logical.len] = '\0';
        return grow_logical(r, s, n);
    }
    if ((rc = flush_logical(r)))
        return rc;
    if (n == 0)
        return XRM_OK;
    r->have_logical = true;
    r->logical_line = line;
    if ((rc = grow_logical(r, s, n)))
        return rc;
    r->logical_qp = is_qp_line(s, n);
    return XRM_OK;
}

enum xrm_rc xrm_vcard_feed(struct xrm_vcard *r, const void *data, size_t n, struct xrm_err *err)
{
    const char *s = data;
    r->err = err;
    if (r->stopped)
        return r->rc ? r->rc : xrm_errf(err, XRM_E_INTERNAL, "vcard reader already finished");
    while (n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t take = nl ? (size_t)(nl - s) : n;
        if (r->phys.len + take > r->lim.line_max) {
            xrm_errf(err, XRM_E_LIMIT, "line %ld is longer than %zu bytes", r->line,
                     r->lim.line_max);
            return fail(r, XRM_E_LIMIT);
        }
        if (!nl) {
            xrm_buf_add(&r->phys, s, take);
            return XRM_OK;
        }
        enum xrm_rc rc;
        if (r->phys.len) {
            xrm_buf_add(&r->phys, s, take);
            rc = physical_line(r, r->phys.s, r->phys.len);
            xrm_buf_reset(&r->phys);
        } else {
            rc = physical_line(r, s, take);
        }
        if (rc)
            return rc;
        s += take + 1;
        n -= take + 1;
    }
    return XRM_OK;
}

enum xrm_rc xrm_vcard_finish(struct xrm_vcard *r, struct xrm_err *err)
{
    enum xrm_rc rc;
    r->err = err;
    if (r->stopped)
        return r->rc ? r->rc : xrm_errf(err, XRM_E_INTERNAL, "vcard reader already finished");
    if (r->phys.len) {
        rc = physical_line(r, r->phys.s, r->phys.len);
        xrm_buf_reset(&r->phys);
        if (rc)
            return rc;
    }
    if ((rc = flush_logical(r)))
        return rc;
    r->stopped = true;
    if (r->card) {
        xrm_errf(err, XRM_E_MALFORMED, "card starting on line %ld has no END:VCARD", r->card_line);
        return fail(r, XRM_E_MALFORMED);
    }
    return XRM_OK;
}

/* ---- writer ---- */

/* s escaped as a TEXT value or component: \\ \; \, \n; other controls dropped. */
static void esc(struct xrm_buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            xrm_buf_addc(b, '\\');
            xrm_buf_addc(b, (char)c);
        } else if (c == '\n') {
            xrm_buf_adds(b, "\\n");
        } else if (c >= 0x20 && c != 0x7f) {
            xrm_buf_addc(b, (char)c);
        } else if (c == '\t') {
            xrm_buf_addc(b, (char)c);
        }
    }
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void text_line(struct xrm_buf *b, const char *name, const char *v)
{
    if (!v)
        return;
    struct xrm_buf e = XRM_BUF_INIT;
    esc(&e, v);
    xrm_ical_line(b, name, e.s);
    xrm_buf_release(&e);
}

/* Values joined by sep, each escaped. */
static void list_line(struct xrm_buf *b, const char *name, json_t *a, char sep)
{
    if (!json_is_array(a) || json_array_size(a) == 0)
        return;
    struct xrm_buf e = XRM_BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (i)
            xrm_buf_addc(&e, sep);
        esc(&e, json_string_value(v));
    }
    xrm_ical_line(b, name, e.s);
    xrm_buf_release(&e);
}

static void components_line(struct xrm_buf *b, const char *name, json_t *o, const char *const *keys,
                            size_t nkeys)
{
    struct xrm_buf e = XRM_BUF_INIT;
    for (size_t i = 0; i < nkeys; i++) {
        if (i)
            xrm_buf_addc(&e, ';');
        esc(&e, jstr(o, keys[i]));
    }
    xrm_ical_line(b, name, e.s);
    xrm_buf_release(&e);
}

/*
 * "NAME;TYPE=a,b;PREF=1" of an entry (4.0), "NAME;TYPE=a,b,pref" (3.0);
 * types that are not plain tokens are left out.
 */
static void typed_name(struct xrm_buf *n, const char *name, json_t *o, int version)
{
    xrm_buf_adds(n, name);
    size_t i, k = 0;
    json_t *t;
    bool pref = json_is_true(json_object_get(o, "pref"));
    json_array_foreach(json_object_get(o, "types"), i, t)
    {
        const char *s = json_string_value(t);
        if (!s || !*s || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(s) ||
            strcmp(s, "pref") == 0)
            continue;
        xrm_buf_adds(n, k++ ? "," : ";TYPE=");
        xrm_buf_adds(n, s);
    }
    if (pref && version == 30)
        xrm_buf_adds(n, k ? ",pref" : ";TYPE=pref");
    else if (pref)
        xrm_buf_adds(n, ";PREF=1");
}

static void entries(struct xrm_buf *b, json_t *card, const char *key, const char *name, int version)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(card, key), i, o)
    {
        struct xrm_buf n = XRM_BUF_INIT;
        typed_name(&n, name, o, version);
        if (strcmp(key, "adr") == 0)
            components_line(b, n.s, o, ADR_KEYS, 7);
        else
            text_line(b, n.s, jstr(o, "value"));
        xrm_buf_release(&n);
    }
}

static void fn_line(struct xrm_buf *b, json_t *card)
{
    const char *fn = jstr(card, "fn");
    if (fn) {
        text_line(b, "FN", fn);
        return;
    }
    json_t *n = json_object_get(card, "n");
    struct xrm_buf f = XRM_BUF_INIT;
    const char *parts[] = {jstr(n, "prefix"), jstr(n, "given"), jstr(n, "additional"),
                           jstr(n, "family"), jstr(n, "suffix")};
    for (size_t i = 0; i < 5; i++)
        if (parts[i] && *parts[i])
            xrm_buf_addf(&f, "%s%s", f.len ? " " : "", parts[i]);
    if (!f.len) {
        const char *org = json_string_value(json_array_get(json_object_get(card, "org"), 0));
        const char *mail = jstr(json_array_get(json_object_get(card, "email"), 0), "value");
        xrm_buf_adds(&f, org ? org : mail ? mail : "");
    }
    text_line(b, "FN", f.s);
    xrm_buf_release(&f);
}

static bool photo_type_ok(const char *t)
{
    return t && *t && strlen(t) < PHOTO_TYPE_MAX &&
           strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+.-") ==
               strlen(t);
}

/* A photo URI written as it is: no controls, no line break, not a data: URI. */
static bool uri_ok(const char *u)
{
    if (!u || !*u || strncasecmp(u, "data:", 5) == 0)
        return false;
    for (; *u; u++)
        if ((unsigned char)*u < 0x20 || *u == 0x7f)
            return false;
    return true;
}

/* PHOTO as 4.0 writes it (a data: URI) or 3.0 (ENCODING=b;TYPE=JPEG, or VALUE=uri). */
static void photo_line(struct xrm_buf *b, json_t *ph, int version)
{
    const char *type = jstr(ph, "type"), *data = jstr(ph, "base64");
    if (data && photo_type_ok(type)) {
        struct xrm_buf d = XRM_BUF_INIT;
        if (version == 30) {
            /* TYPE is the subtype, as 3.0 writers give it; the reader makes it image/... again */
            const char *slash = strchr(type, '/');
            const char *sub = slash && strncasecmp(type, "image/", 6) == 0 ? slash + 1 : NULL;
            xrm_buf_adds(&d, "PHOTO;ENCODING=b;TYPE=");
            for (const char *c = sub ? sub : type; *c; c++)
                xrm_buf_addc(&d, sub ? (char)toupper((unsigned char)*c) : *c);
            xrm_ical_line(b, d.s, data);
        } else {
            xrm_buf_addf(&d, "data:%s;base64,%s", type, data);
            xrm_ical_line(b, "PHOTO", d.s);
        }
        xrm_buf_release(&d);
    } else if (uri_ok(jstr(ph, "uri"))) {
        xrm_ical_line(b, version == 30 ? "PHOTO;VALUE=uri" : "PHOTO", jstr(ph, "uri"));
    }
}

void xrm_vcard_write(struct xrm_buf *b, json_t *card)
{
    xrm_vcard_write_v(b, card, 40);
}

void xrm_vcard_write_v(struct xrm_buf *b, json_t *card, int version)
{
    if (version != 30)
        version = 40;
    xrm_ical_line(b, "BEGIN", "VCARD");
    xrm_ical_line(b, "VERSION", version == 30 ? "3.0" : "4.0");
    const char *kind = jstr(card, "kind");
    if (version == 40 && kind && *kind && strlen(kind) < 32 &&
        strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(kind))
        xrm_ical_line(b, "KIND", kind);
    fn_line(b, card);
    json_t *n = json_object_get(card, "n");
    if (json_is_object(n))
        components_line(b, "N", n, N_KEYS, 5);
    else if (version == 30)
        xrm_ical_line(b, "N", ";;;;"); /* 3.0 requires N */
    list_line(b, "NICKNAME", json_object_get(card, "nickname"), ',');
    list_line(b, "ORG", json_object_get(card, "org"), ';');
    text_line(b, "TITLE", jstr(card, "title"));
    text_line(b, "ROLE", jstr(card, "role"));
    text_line(b, "BDAY", jstr(card, "bday"));
    entries(b, card, "tel", "TEL", version);
    entries(b, card, "email", "EMAIL", version);
    entries(b, card, "adr", "ADR", version);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(card, "url"), i, v)
    {
        const char *u = json_string_value(v);
        if (u)
            text_line(b, "URL", u);
    }
    text_line(b, "NOTE", jstr(card, "note"));
    list_line(b, "CATEGORIES", json_object_get(card, "categories"), ',');
    photo_line(b, json_object_get(card, "photo"), version);
    const char *key;
    json_t *x = json_object_get(card, "x");
    json_object_foreach(x, key, v)
    {
        if (!valid_x_name(key))
            continue;
        if (json_is_array(v)) {
            size_t k;
            json_t *e;
            json_array_foreach(v, k, e) text_line(b, key, json_string_value(e));
        } else {
            text_line(b, key, json_string_value(v));
        }
    }
    text_line(b, "UID", jstr(card, "uid"));
    text_line(b, "REV", jstr(card, "rev"));
    xrm_ical_line(b, "END", "VCARD");
}
