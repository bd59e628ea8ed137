/*
 * JSON helpers: capped parsing and typed field readers with field errors.
 */
#include "core/json.h"
#include "core/json-fast.h"
#include "core/buf.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "core/banned.h"

/* Depth of nesting outside strings; jansson's own limit is far higher. */
static bool depth_ok(const char *s, size_t len)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > XRM_JSON_MAX_DEPTH)
                return false;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return true;
}

enum xrm_rc xrm_json_parse(const char *body, size_t len, bool want_object, json_t **out,
                           struct xrm_err *err)
{
    json_error_t je;
    if (!depth_ok(body, len))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "JSON nested deeper than %d levels",
                             XRM_JSON_MAX_DEPTH);
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return xrm_err_field(err, XRM_E_MALFORMED, "body",
                             "malformed JSON at line %d, column %d: %s", je.line, je.column,
                             je.text);
    if (want_object && !json_is_object(v)) {
        json_decref(v);
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "expected a JSON object");
    }
    *out = v;
    return XRM_OK;
}

json_t *xrm_json_load_stored(const char *text, bool fallback_array)
{
    json_t *v = text ? xrm_json_load_fast(text) : NULL;
    if (!v && text)
        v = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!v)
        v = fallback_array ? json_array() : json_object();
    return v;
}

/*
 * Compact JSON writer. jansson's own json_dumps costs about 40 instructions
 * per output byte (it sorts keys by insertion serial per object); this one
 * walks objects in their insertion order directly and copies runs of plain
 * bytes at once, which makes response rendering several times cheaper.
 * Strings in jansson values are valid UTF-8, so only '"', '\\' and control
 * characters need escaping.
 */
static void write_string(struct xrm_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* room for the worst case (every byte a \\u00XX escape), then plain stores */
    xrm_buf_grow(b, 6 * n + 2);
    char *o = b->s + b->len;
    size_t run = 0;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        memcpy(o, s + run, i - run);
        o += i - run;
        run = i + 1;
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    memcpy(o, s + run, n - run);
    o += n - run;
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->s);
}

static void write_int(struct xrm_buf *b, json_int_t v)
{
    char tmp[24];
    int i = (int)sizeof(tmp);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    xrm_buf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void xrm_json_write(struct xrm_buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        bool first = true;
        xrm_buf_addc(b, '{');
        /* the iterator directly: json_object_foreach looks every key up again */
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                xrm_buf_addc(b, ',');
            first = false;
            write_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
            xrm_buf_addc(b, ':');
            xrm_json_write(b, json_object_iter_value(it));
        }
        xrm_buf_addc(b, '}');
        break;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        xrm_buf_addc(b, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                xrm_buf_addc(b, ',');
            xrm_json_write(b, json_array_get(v, i));
        }
        xrm_buf_addc(b, ']');
        break;
    }
    case JSON_STRING:
        write_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        write_int(b, json_integer_value(v));
        break;
    case JSON_REAL: {
        char tmp[40];
        int n = snprintf(tmp, sizeof(tmp), "%.15g", json_real_value(v));
        xrm_buf_add(b, tmp, (size_t)n);
        if (!strpbrk(tmp, ".eE"))
            xrm_buf_add(b, ".0", 2);
        break;
    }
    case JSON_TRUE:
        xrm_buf_add(b, "true", 4);
        break;
    case JSON_FALSE:
        xrm_buf_add(b, "false", 5);
        break;
    case JSON_NULL:
        xrm_buf_add(b, "null", 4);
        break;
    }
}

char *xrm_json_dump(const json_t *v)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 256);
    if (v)
        xrm_json_write(&b, v);
    else
        xrm_buf_add(&b, "null", 4);
    return xrm_buf_detach(&b, NULL);
}

static void fieldname(char *out, size_t n, const char *prefix, const char *key)
{
    snprintf(out, n, "%s%s", prefix ? prefix : "", key);
}

/* The field name of an error, made only when there is one (a bulk import reads millions). */
#define FIELD() (fieldname(f, sizeof(f), prefix, key), f)

bool xrm_json_get_str(json_t *obj, const char *prefix, const char *key, size_t maxlen,
                      bool required, const char **out, struct xrm_err *err)
{
    char f[96];
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            xrm_err_field(err, XRM_E_INVALID, FIELD(), "is required");
        return false;
    }
    if (!json_is_string(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, FIELD(), "must be a string");
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len) {
        xrm_err_field(err, XRM_E_INVALID, FIELD(), "must not contain NUL characters");
        return false;
    }
    if (len > maxlen) {
        xrm_err_field(err, XRM_E_INVALID, FIELD(), "is longer than %zu bytes", maxlen);
        return false;
    }
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    if (!s[i]) {
        if (required)
            xrm_err_field(err, XRM_E_INVALID, FIELD(), "must not be empty");
        return false;
    }
    *out = s;
    return true;
}

bool xrm_json_get_int(json_t *obj, const char *prefix, const char *key, int64_t min, int64_t max,
                      bool required, int64_t *out, struct xrm_err *err)
{
    char f[96];
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            xrm_err_field(err, XRM_E_INVALID, FIELD(), "is required");
        return false;
    }
    if (!json_is_integer(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, FIELD(), "must be an integer");
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        xrm_err_field(err, XRM_E_INVALID, FIELD(), "must be between %lld and %lld", (long long)min,
                      (long long)max);
        return false;
    }
    *out = n;
    return true;
}

bool xrm_json_get_bool(json_t *obj, const char *prefix, const char *key, bool required, bool *out,
                       struct xrm_err *err)
{
    char f[96];
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            xrm_err_field(err, XRM_E_INVALID, FIELD(), "is required");
        return false;
    }
    if (!json_is_boolean(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, FIELD(), "must be true or false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

void xrm_json_only_keys(json_t *obj, const char *prefix, const char *const *allowed,
                        struct xrm_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0) {
                ok = true;
                break;
            }
        if (!ok) {
            char f[96];
            fieldname(f, sizeof(f), prefix, key);
            xrm_err_field(err, XRM_E_INVALID, f, "unknown field");
        }
    }
}

/* Keys are the code's own ASCII names (never input), so they skip jansson's UTF-8 check. */
void xrm_json_set_str(json_t *obj, const char *key, const char *s)
{
    json_object_set_new_nocheck(obj, key, s ? json_string(s) : json_null());
}

#define CURSOR_MAX 1024

char *xrm_cursor_encode(json_t *key)
{
    char *raw = xrm_json_dump(key);
    size_t n = strlen(raw);
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = xrm_malloc(cap);
    sodium_bin2base64(out, cap, (const unsigned char *)raw, n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    free(raw);
    return out;
}

json_t *xrm_cursor_decode(const char *text)
{
    unsigned char raw[CURSOR_MAX];
    size_t n = 0;
    if (!text || strlen(text) > CURSOR_MAX)
        return NULL;
    if (sodium_base642bin(raw, sizeof(raw) - 1, text, strlen(text), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return NULL;
    json_t *v = json_loadb((const char *)raw, n, 0, NULL);
    if (v && !json_is_array(v)) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

void xrm_json_text_free(char *s)
{
    json_free_t f = NULL;
    json_get_alloc_funcs(NULL, &f);
    if (f)
        f(s);
}

char *xrm_json_dump_exact(struct xrm_buf *b, const json_t *v)
{
    xrm_buf_reset(b);
    if (v)
        xrm_json_write(b, v);
    else
        xrm_buf_add(b, "null", 4);
    return xrm_strndup(b->s, b->len);
}

bool xrm_json_has_str(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    }
    return false;
}
