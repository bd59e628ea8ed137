/*
 * Normalised keys of a party (keys.h): the normalisers and the key set of
 * a party JSON. Names are folded to ASCII letters and digits (accents of
 * Latin-1 and Latin Extended-A dropped, ligatures spelled out), every
 * other ASCII character separates words, and words that are Dutch family
 * name prefixes (domain/base/query.h, the list search uses) or legal forms
 * of organisations are left out, unless nothing else is left.
 */
#include "domain/party/keys.h"
#include "domain/base/query.h"
#include "core/buf.h"
#include "core/util.h"
#include "core/validate.h"

#include <string.h>

#include "core/banned.h"

static const char *const kind_names[XRM_KEY_NKINDS] = {
    "email",   "phone", "kvk",          "vat",         "iban",
    "address", "name",  "name_initial", "external_id", "uid"};

const char *xrm_key_kind_name(enum xrm_key_kind k)
{
    return (unsigned)k < XRM_KEY_NKINDS ? kind_names[k] : NULL;
}

bool xrm_key_kind_parse(const char *s, enum xrm_key_kind *out)
{
    for (int k = 0; s && k < XRM_KEY_NKINDS; k++) {
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (enum xrm_key_kind)k;
            return true;
        }
    }
    return false;
}

bool xrm_key_exact(enum xrm_key_kind k)
{
    return k == XRM_KEY_EMAIL || k == XRM_KEY_KVK || k == XRM_KEY_VAT || k == XRM_KEY_IBAN ||
           k == XRM_KEY_EXTERNAL_ID || k == XRM_KEY_UID;
}

int xrm_key_score(enum xrm_key_kind k)
{
    switch (k) {
    case XRM_KEY_PHONE:
        return 80;
    case XRM_KEY_NAME:
        return 60;
    case XRM_KEY_ADDRESS:
        return 50;
    case XRM_KEY_NAME_INITIAL:
        return 40;
    default:
        return xrm_key_exact(k) ? 100 : 0;
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s trimmed into out; false when empty or too long. */
static bool trimmed(const char *s, char out[XRM_KEY_MAX])
{
    if (!s)
        return false;
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    if (!n || n >= XRM_KEY_MAX)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

bool xrm_key_exact_text(const char *s, char out[XRM_KEY_MAX])
{
    return trimmed(s, out);
}

bool xrm_key_email(const char *s, char out[XRM_KEY_MAX])
{
    if (!trimmed(s, out))
        return false;
    if (strncmp(out, "mailto:", 7) == 0 || strncmp(out, "MAILTO:", 7) == 0)
        memmove(out, out + 7, strlen(out + 7) + 1);
    xrm_ascii_lower(out);
    return xrm_valid_email(out);
}

bool xrm_key_phone(const char *s, char out[XRM_KEY_MAX])
{
    char buf[XRM_KEY_MAX];
    if (!trimmed(s, buf))
        return false;
    const char *p = buf;
    if (strncmp(p, "tel:", 4) == 0)
        p += 4;
    return xrm_norm_phone(p, out, XRM_KEY_MAX);
}

/* Upper-case letters and digits of s; spaces, dots, dashes and slashes dropped. */
static size_t alnum_upper(const char *s, char out[XRM_KEY_MAX], bool *bad)
{
    size_t n = 0;
    *bad = false;
    for (; s && *s; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (n + 1 >= XRM_KEY_MAX) {
                *bad = true;
                return 0;
            }
            out[n++] = c;
        } else if (!is_space(c) && c != '.' && c != '-' && c != '/') {
            *bad = true;
        }
    }
    out[n] = '\0';
    return n;
}

bool xrm_key_kvk(const char *s, char out[XRM_KEY_MAX])
{
    bool bad;
    size_t n = alnum_upper(s, out, &bad);
    if (bad || (n != 8 && n != 7))
        return false;
    for (size_t i = 0; i < n; i++)
        if (out[i] < '0' || out[i] > '9')
            return false;
    if (n == 7) {
        memmove(out + 1, out, 8);
        out[0] = '0';
    }
    return true;
}

bool xrm_key_vat(const char *s, char out[XRM_KEY_MAX])
{
    bool bad;
    size_t n = alnum_upper(s, out, &bad);
    return !bad && n >= 4 && n <= 20 && out[0] >= 'A' && out[1] >= 'A';
}

bool xrm_key_iban(const char *s, char out[XRM_KEY_MAX])
{
    bool bad;
    size_t n = alnum_upper(s, out, &bad);
    return !bad && n >= 15 && n <= 34 && out[0] >= 'A' && out[1] >= 'A' && out[2] <= '9' &&
           out[3] <= '9';
}

bool xrm_key_address(const char *postcode, const char *house_number, char out[XRM_KEY_MAX])
{
    char pc[XRM_KEY_MAX], nr[XRM_KEY_MAX];
    bool bad;
    size_t npc = alnum_upper(postcode, pc, &bad), nn = 0;
    if (bad || npc == 0 || npc > 10 || !house_number)
        return false;
    for (const char *c = house_number; *c && nn < 20; c++) {
        if (is_space(*c))
            continue;
        nr[nn++] = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
    }
    nr[nn] = '\0';
    if (!nn || nr[0] < '0' || nr[0] > '9')
        return false;
    xrm_strjoin(out, XRM_KEY_MAX, (const char *const[]){pc, " ", nr, NULL});
    return true;
}

/* ASCII of U+00C0..U+00FF, lower case; "" for the signs (x, ÷). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* ASCII letter of U+0100..U+017F (IJ, OE ligatures apart). */
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkk"
                                  "llllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuu"
                                  "wwyyyzzzzzzs";

/*
 * Folds s into words of lower-case ASCII letters and digits, written to
 * words separated by one blank. Curly apostrophes and "'" stay inside a
 * word only where a prefix needs them ("'t", "d'"): they are dropped
 * after the prefix test by the caller through word_clean().
 */
static void fold_words(const char *s, struct xrm_buf *b)
{
    const unsigned char *p = (const unsigned char *)s;
    bool sep = true;
    while (p && *p) {
        const char *add = NULL;
        char one[2] = {0, 0};
        size_t step = 1;
        if (*p < 0x80) {
            char c = (char)*p;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c == '.' ||
                c == '/') {
                one[0] = c;
                add = one;
            }
        } else if (*p >= 0xc3 && *p <= 0xc5 && (p[1] & 0xc0) == 0x80) {
            unsigned cp = ((*p & 0x1fu) << 6) | (p[1] & 0x3fu);
            step = 2;
            if (cp >= 0xc0 && cp <= 0xff) {
                add = latin1[cp - 0xc0];
            } else if (cp == 0x132 || cp == 0x133) {
                add = "ij";
            } else if (cp == 0x152 || cp == 0x153) {
                add = "oe";
            } else if (cp >= 0x100 && cp <= 0x17f) {
                one[0] = latin_ext_a[cp - 0x100];
                add = one;
            }
            if (add && !*add)
                add = NULL;
        } else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
            step = 3;
            add = "'";
        } else if (*p >= 0xc0) {
            /* Another letter: kept as it is, so scripts without folding still match. */
            step = 1;
            while ((p[step] & 0xc0) == 0x80 && step < 4)
                step++;
            xrm_buf_add(b, sep && b->len ? " " : "", sep && b->len ? 1 : 0);
            xrm_buf_add(b, (const char *)p, step);
            sep = false;
            p += step;
            continue;
        }
        if (add) {
            if (sep && b->len)
                xrm_buf_addc(b, ' ');
            xrm_buf_adds(b, add);
            sep = false;
        } else {
            sep = true;
        }
        p += step;
    }
}

/* Drops apostrophes, dots and slashes of word in place; its new length. */
static size_t word_clean(char *w)
{
    size_t n = 0;
    for (char *c = w; *c; c++)
        if (*c != '\'' && *c != '.' && *c != '/')
            w[n++] = *c;
    w[n] = '\0';
    return n;
}

static bool is_prefix(const char *w)
{
    static const char *const more[] = {"t", "s", "v", "vd", "vdr", "vder", "ver", NULL};
    if (xrm_query_is_name_prefix(w))
        return true;
    char c[XRM_KEY_MAX];
    xrm_strlcpy(c, w, sizeof(c));
    word_clean(c);
    if (xrm_query_is_name_prefix(c))
        return true;
    for (const char *const *m = more; *m; m++)
        if (strcmp(c, *m) == 0)
            return true;
    return false;
}

static bool is_legal_form(const char *w)
{
    static const char *const forms[] = {"bv",   "nv",  "vof", "cv",        "gmbh", "ag",
                                        "ltd",  "inc", "llc", "sa",        "sarl", "bvba",
                                        "sprl", "plc", "ug",  "stichting", NULL};
    char c[XRM_KEY_MAX];
    xrm_strlcpy(c, w, sizeof(c));
    word_clean(c);
    for (const char *const *f = forms; *f; f++)
        if (strcmp(c, *f) == 0)
            return true;
    return false;
}

#define WORDS_MAX 24

/*
 * Splits the folded text into at most WORDS_MAX cleaned words (in buf),
 * dropping prefixes (and legal forms when orgs) unless that leaves none.
 * "b.v." and "v.d." are one word each before cleaning, so the tests see them.
 */
static size_t words_of(const char *s, bool org, char *buf, size_t bufn, char *words[WORDS_MAX])
{
    struct xrm_buf b = XRM_BUF_INIT;
    char *all[WORDS_MAX];
    bool drop[WORDS_MAX];
    size_t n = 0, kept = 0, out = 0;
    fold_words(s, &b);
    xrm_strlcpy(buf, b.s ? b.s : "", bufn);
    xrm_buf_release(&b);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w && n < WORDS_MAX; w = strtok_r(NULL, " ", &save)) {
        drop[n] = is_prefix(w) || (org && is_legal_form(w));
        if (word_clean(w) == 0)
            continue;
        if (!drop[n])
            kept++;
        all[n++] = w;
    }
    for (size_t i = 0; i < n; i++)
        if (!kept || !drop[i])
            words[out++] = all[i];
    return out;
}

static bool join_words(char *const *w, size_t n, struct xrm_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (b->len)
            xrm_buf_addc(b, ' ');
        xrm_buf_adds(b, w[i]);
    }
    return n > 0;
}

static bool put_buf(struct xrm_buf *b, char out[XRM_KEY_MAX])
{
    bool ok = b->len > 0 && b->len < XRM_KEY_MAX;
    if (ok)
        memcpy(out, b->s, b->len + 1);
    xrm_buf_release(b);
    return ok;
}

bool xrm_key_person_name(const char *given, const char *prefix, const char *family,
                         char out[XRM_KEY_MAX])
{
    char gb[XRM_KEY_MAX * 2], fb[XRM_KEY_MAX * 2];
    char *gw[WORDS_MAX], *fw[WORDS_MAX];
    (void)prefix; /* prefixes never count */
    size_t ng = words_of(given ? given : "", false, gb, sizeof(gb), gw);
    size_t nf = words_of(family ? family : "", false, fb, sizeof(fb), fw);
    struct xrm_buf b = XRM_BUF_INIT;
    join_words(fw, nf, &b);
    join_words(gw, ng, &b);
    return put_buf(&b, out);
}

bool xrm_key_person_initial(const char *given, const char *family, char out[XRM_KEY_MAX])
{
    char gb[XRM_KEY_MAX * 2], fb[XRM_KEY_MAX * 2];
    char *gw[WORDS_MAX], *fw[WORDS_MAX];
    size_t ng = words_of(given ? given : "", false, gb, sizeof(gb), gw);
    size_t nf = words_of(family ? family : "", false, fb, sizeof(fb), fw);
    if (!ng || !nf || (unsigned char)gw[0][0] >= 0x80)
        return false;
    struct xrm_buf b = XRM_BUF_INIT;
    join_words(fw, nf, &b);
    xrm_buf_addc(&b, ' ');
    xrm_buf_addc(&b, gw[0][0]);
    return put_buf(&b, out);
}

/* Family name = last word, given names = the words before it. */
static size_t split_full(const char *text, char *buf, size_t bufn, char *w[WORDS_MAX])
{
    return words_of(text ? text : "", false, buf, bufn, w);
}

bool xrm_key_full_name(const char *text, char out[XRM_KEY_MAX])
{
    char buf[XRM_KEY_MAX * 2];
    char *w[WORDS_MAX];
    size_t n = split_full(text, buf, sizeof(buf), w);
    if (!n)
        return false;
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_buf_adds(&b, w[n - 1]);
    join_words(w, n - 1, &b);
    return put_buf(&b, out);
}

bool xrm_key_full_initial(const char *text, char out[XRM_KEY_MAX])
{
    char buf[XRM_KEY_MAX * 2];
    char *w[WORDS_MAX];
    size_t n = split_full(text, buf, sizeof(buf), w);
    if (n < 2 || (unsigned char)w[0][0] >= 0x80)
        return false;
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_buf_adds(&b, w[n - 1]);
    xrm_buf_addc(&b, ' ');
    xrm_buf_addc(&b, w[0][0]);
    return put_buf(&b, out);
}

bool xrm_key_org_name(const char *name, char out[XRM_KEY_MAX])
{
    char buf[XRM_KEY_MAX * 2];
    char *w[WORDS_MAX];
    size_t n = words_of(name ? name : "", true, buf, sizeof(buf), w);
    struct xrm_buf b = XRM_BUF_INIT;
    join_words(w, n, &b);
    return put_buf(&b, out);
}

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void add_key(json_t *keys, enum xrm_key_kind kind, const char *value)
{
    size_t i;
    json_t *k;
    const char *name = kind_names[kind];
    json_array_foreach(keys, i, k)
    {
        if (strcmp(str_of(k, "kind"), name) == 0 && strcmp(str_of(k, "value"), value) == 0)
            return;
    }
    json_array_append_new(keys, json_pack("{s:s, s:s}", "kind", name, "value", value));
}

typedef bool (*key_fn)(const char *s, char out[XRM_KEY_MAX]);

/* Contact points: [{label, value}] or plain strings. */
static void add_points(json_t *keys, json_t *list, enum xrm_key_kind kind, key_fn fn)
{
    size_t i;
    json_t *it;
    char v[XRM_KEY_MAX];
    json_array_foreach(list, i, it)
    {
        const char *s = json_is_string(it) ? json_string_value(it) : str_of(it, "value");
        if (s && fn(s, v))
            add_key(keys, kind, v);
    }
}

static void add_one(json_t *keys, json_t *party, const char *field, enum xrm_key_kind kind,
                    key_fn fn)
{
    char v[XRM_KEY_MAX];
    const char *s = str_of(party, field);
    if (s && fn(s, v))
        add_key(keys, kind, v);
}

/* The keys of party; only the exact kinds (xrm_key_exact) when exact_only. */
static json_t *party_keys(json_t *party, bool exact_only)
{
    json_t *keys = json_array();
    char v[XRM_KEY_MAX];
    size_t i;
    json_t *a;

    if (!json_is_object(party))
        return keys;
    add_points(keys, json_object_get(party, "emails"), XRM_KEY_EMAIL, xrm_key_email);
    if (!exact_only)
        add_points(keys, json_object_get(party, "phones"), XRM_KEY_PHONE, xrm_key_phone);
    add_one(keys, party, "kvk", XRM_KEY_KVK, xrm_key_kvk);
    add_one(keys, party, "vat", XRM_KEY_VAT, xrm_key_vat);
    add_one(keys, party, "iban", XRM_KEY_IBAN, xrm_key_iban);
    json_array_foreach(json_object_get(party, "addresses"), i, a)
    {
        if (!exact_only && xrm_key_address(str_of(a, "postcode"), str_of(a, "house_number"), v))
            add_key(keys, XRM_KEY_ADDRESS, v);
    }
    const char *kind = exact_only ? NULL : str_of(party, "kind");
    if (kind && strcmp(kind, "organization") == 0) {
        add_one(keys, party, "name", XRM_KEY_NAME, xrm_key_org_name);
        add_one(keys, party, "legal_name", XRM_KEY_NAME, xrm_key_org_name);
        add_one(keys, party, "trade_name", XRM_KEY_NAME, xrm_key_org_name);
    } else if (kind && strcmp(kind, "person") == 0) {
        const char *g = str_of(party, "given_name"), *p = str_of(party, "family_prefix"),
                   *f = str_of(party, "family_name");
        if (f || g) {
            if (xrm_key_person_name(g, p, f, v))
                add_key(keys, XRM_KEY_NAME, v);
            if (xrm_key_person_initial(g, f, v))
                add_key(keys, XRM_KEY_NAME_INITIAL, v);
        } else {
            add_one(keys, party, "name", XRM_KEY_NAME, xrm_key_full_name);
            add_one(keys, party, "name", XRM_KEY_NAME_INITIAL, xrm_key_full_initial);
        }
    }
    add_one(keys, party, "external_id", XRM_KEY_EXTERNAL_ID, xrm_key_exact_text);
    add_one(keys, party, "uid", XRM_KEY_UID, xrm_key_exact_text);
    return keys;
}

json_t *xrm_party_keys(json_t *party)
{
    return party_keys(party, false);
}

json_t *xrm_party_keys_exact(json_t *party)
{
    return party_keys(party, true);
}
