/*
 * The fast JSON object parser (json-fast.h). Every rule here is jansson's
 * (json_loadb with JSON_REJECT_DUPLICATES, jansson 2.14) or stricter: where
 * jansson would answer with an error, or where this parser is not sure it
 * would build the same value, it gives up (NULL) and leaves the decision to
 * jansson. tests/fuzz/fuzz-json-fast.c checks that whatever it accepts,
 * jansson accepts as an equal value.
 */
#include "core/json-fast.h"
#include "core/mem.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct fp {
    const unsigned char *p, *end;
    int depth;
};

static json_t *value(struct fp *f);

static void skip_ws(struct fp *f)
{
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r'))
        f->p++;
}

/* Length of the valid UTF-8 sequence at p (2-4 bytes), or 0: jansson's utf8_check_full. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, v = c & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) ||
        (n == 4 && v < 0x10000))
        return 0;
    return n;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (int)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (int)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (int)(c - 'A' + 10);
        else
            return -1;
    }
    return v;
}

static size_t put_utf8(unsigned char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Decodes the escapes of the string body [s, e) (already checked for
 * control characters and UTF-8 outside escapes) into a new buffer; NULL on
 * an escape jansson rejects, or on \u0000.
 */
static unsigned char *unescape(const unsigned char *s, const unsigned char *e, size_t *n)
{
    /* Never longer than the text: \uXXXX gives at most 3 bytes, a pair 4. */
    unsigned char *out = xrm_malloc((size_t)(e - s) + 1), *o = out;
    while (s < e) {
        if (*s != '\\') {
            *o++ = *s++;
            continue;
        }
        if (e - s < 2)
            goto fail;
        unsigned char c = s[1];
        s += 2;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            *o++ = c;
            break;
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            int hi = e - s >= 4 ? hex4(s) : -1;
            uint32_t cp;
            if (hi <= 0) /* bad hex, or \u0000 */
                goto fail;
            s += 4;
            if (hi >= 0xD800 && hi <= 0xDBFF) {
                int lo = e - s >= 6 && s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    goto fail;
                s += 6;
                cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            } else if (hi >= 0xDC00 && hi <= 0xDFFF) {
                goto fail;
            } else {
                cp = (uint32_t)hi;
            }
            o += put_utf8(o, cp);
            break;
        }
        default:
            goto fail;
        }
    }
    *n = (size_t)(o - out);
    return out;
fail:
    free(out);
    return NULL;
}

/*
 * Reads a string whose opening quote f->p is past. *s and *n give its text:
 * in the input when it has no escapes (*own NULL), else in *own, which the
 * caller frees. False on anything jansson would reject.
 */
static bool string(struct fp *f, const char **s, size_t *n, unsigned char **own)
{
    const unsigned char *start = f->p, *p = f->p, *end = f->end;
    bool esc = false;
    *own = NULL;
    while (p < end) {
        unsigned c = *p;
        if (c == '"')
            break;
        if (c == '\\') {
            esc = true;
            p += 2; /* the escape itself is checked by unescape() */
            continue;
        }
        if (c < 0x20)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t k = utf8_seq(p, end);
        if (!k)
            return false;
        p += k;
    }
    if (p >= end)
        return false;
    f->p = p + 1;
    if (!esc) {
        *s = (const char *)start;
        *n = (size_t)(p - start);
        return true;
    }
    *own = unescape(start, p, n);
    *s = (const char *)*own;
    return *own != NULL;
}

static bool digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

/* A number as jansson's lexer reads it: integers by strtoll, others by strtod. */
static json_t *number(struct fp *f)
{
    const unsigned char *s = f->p, *q = s, *end = f->end;
    bool real = false;
    char buf[64], *e;

    if (q < end && *q == '-')
        q++;
    if (!digit(q, end))
        return NULL;
    if (*q == '0') {
        if (digit(++q, end))
            return NULL;
    } else {
        while (digit(q, end))
            q++;
    }
    if (q < end && *q == '.') {
        if (!digit(++q, end))
            return NULL;
        while (digit(q, end))
            q++;
        real = true;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        if (!digit(q, end))
            return NULL;
        while (digit(q, end))
            q++;
        real = true;
    }
    size_t len = (size_t)(q - s);
    if (len >= sizeof(buf))
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    f->p = q;
    errno = 0;
    if (!real) {
        long long v = strtoll(buf, &e, 10);
        if (errno == ERANGE || *e)
            return NULL;
        return json_integer(v);
    }
    /* jansson swaps '.' for the locale's decimal point first; in any locale
     * whose point is not '.', strtod stops early here and jansson decides. */
    double d = strtod(buf, &e);
    if (*e || ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE))
        return NULL;
    return json_real(d);
}

static json_t *literal(struct fp *f, const char *word, size_t n, json_t *v)
{
    if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n) != 0)
        return NULL;
    f->p += n;
    return v;
}

/*
 * After a member or element: 1 past a ',' (another follows), 0 past the
 * closing bracket, -1 for anything else.
 */
static int item_end(struct fp *f, char close)
{
    skip_ws(f);
    if (f->p >= f->end || (*f->p != ',' && *f->p != close))
        return -1;
    if (*f->p++ == close)
        return 0;
    skip_ws(f);
    return 1;
}

static json_t *object(struct fp *f)
{
    json_t *o = json_object();
    skip_ws(f);
    if (f->p < f->end && *f->p == '}') {
        f->p++;
        return o;
    }
    for (;;) {
        const char *key;
        size_t klen;
        unsigned char *own = NULL;
        if (f->p >= f->end || *f->p != '"')
            goto fail;
        f->p++;
        if (!string(f, &key, &klen, &own))
            goto fail;
        skip_ws(f);
        json_t *v = NULL;
        if (f->p < f->end && *f->p == ':') {
            f->p++;
            skip_ws(f);
            v = value(f);
        }
        if (!v || json_object_getn(o, key, klen)) { /* duplicate keys are an error */
            json_decref(v);
            free(own);
            goto fail;
        }
        json_object_setn_new_nocheck(o, key, klen, v);
        free(own);
        int more = item_end(f, '}');
        if (more < 0)
            goto fail;
        if (!more)
            return o;
    }
fail:
    json_decref(o);
    return NULL;
}

static json_t *array(struct fp *f)
{
    json_t *a = json_array();
    skip_ws(f);
    if (f->p < f->end && *f->p == ']') {
        f->p++;
        return a;
    }
    for (;;) {
        json_t *v = value(f);
        if (!v)
            goto fail;
        json_array_append_new(a, v);
        int more = item_end(f, ']');
        if (more < 0)
            goto fail;
        if (!more)
            return a;
    }
fail:
    json_decref(a);
    return NULL;
}

/* A value at f->p (no white space before it). */
static json_t *value(struct fp *f)
{
    if (f->p >= f->end)
        return NULL;
    unsigned c = *f->p;
    json_t *v;
    switch (c) {
    case '{':
    case '[':
        if (++f->depth > XRM_JSON_MAX_DEPTH)
            return NULL;
        f->p++;
        v = c == '{' ? object(f) : array(f);
        f->depth--;
        return v;
    case '"': {
        const char *s;
        size_t n;
        unsigned char *own;
        f->p++;
        if (!string(f, &s, &n, &own))
            return NULL;
        v = json_stringn_nocheck(s, n);
        free(own);
        return v;
    }
    case 't':
        return literal(f, "true", 4, json_true());
    case 'f':
        return literal(f, "false", 5, json_false());
    case 'n':
        return literal(f, "null", 4, json_null());
    default:
        return number(f);
    }
}

/* The value filling s..s+len (white space around it allowed), or NULL. */
static json_t *whole(const char *s, size_t len, bool object_only)
{
    struct fp f = {(const unsigned char *)s, (const unsigned char *)s + len, 0};
    skip_ws(&f);
    if (object_only && (f.p >= f.end || *f.p != '{'))
        return NULL;
    json_t *v = value(&f);
    skip_ws(&f);
    if (v && f.p != f.end) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

json_t *xrm_json_parse_fast(const char *s, size_t len)
{
    return whole(s, len, true);
}

json_t *xrm_json_load_fast(const char *text)
{
    return whole(text, strlen(text), false);
}
