/*
 * The search-box query parser. One pass scans the text into pending terms,
 * normalising each as it goes; a second pass decides whether Dutch
 * family-name prefixes are dropped from the text terms (only when a
 * non-negated word or phrase survives the drop, so "van" alone, or
 * "van -jan", still searches for "van") and enforces the term cap. The
 * caller's query is written only after the whole text has parsed.
 *
 * Grammar, terms separated by white space (ASCII controls and NBSP):
 *
 *     term    = ["-"] (phrase | filter | word)
 *     phrase  = quote {byte but quote} quote       quote: " or U+201C/D/E
 *     filter  = prefix ":" value
 *             | attr op value                       comparison: number or date
 *             | "revenue" (op | "=") value          whole cents
 *     prefix  = [A-Za-z_]+                          a known name, else an error
 *             | attr                                "customer.status" is the
 *                                                   role status, not an attribute
 *     attr    = [A-Za-z][A-Za-z0-9_-]* "." [A-Za-z0-9_-]+
 *     op      = ">" | ">=" | "<" | "<="
 *     value   = bare [quoted]                       quoted only right after
 *                                                   ":" or op, or after a final "="
 *     word    = any other run up to white space or a quote ("10:30",
 *               "jan@x.nl", "https://x.nl", "a>b" are words)
 *
 * Every error names the position of the offending term (in characters from
 * 1), so a search box can put the cursor there.
 */
#include "domain/base/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/messages.h"
#include "core/validate.h"
#include "core/banned.h"

#define EXCERPT_MAX 48
#define EXCERPT_SIZE (EXCERPT_MAX + 4)
#define IDLE_MAX 36500

/* A term being parsed; text terms carry both prefix-dropped and full forms. */
struct tok {
    struct xrm_qterm t; /* WORD/PHRASE: value has name prefixes dropped, may be "" */
    char *full;         /* WORD/PHRASE: value with name prefixes kept, else NULL */
    const char *src;    /* the term as typed, for messages */
    size_t srclen;
};

struct parser {
    const char *text; /* the whole query, for positions */
    const char *p;    /* next unread byte */
    struct tok *toks;
    size_t n;
    size_t cap;
    struct xrm_err *err;
};

enum prefix_class { PF_NONE, PF_NAMED, PF_ATTR };

static const struct {
    const char *name;
    enum xrm_qterm_kind kind;
    bool compare; /* takes > >= < <= and = besides ":" */
} filters[] = {
    {"role", XRM_QT_ROLE, false},
    {"tag", XRM_QT_TAG, false},
    {"city", XRM_QT_CITY, false},
    {"kind", XRM_QT_KIND, false},
    {"priority", XRM_QT_PRIORITY, false},
    {"idle", XRM_QT_IDLE, false},
    {"status", XRM_QT_STATUS, false},
    {"badge", XRM_QT_BADGE, false},
    {"has", XRM_QT_HAS, false},
    {"may", XRM_QT_MAY, false},
    {"health", XRM_QT_HEALTH, false},
    {"deal", XRM_QT_DEAL, false},
    {"case", XRM_QT_CASE, false},
    {"agreement", XRM_QT_AGREEMENT, false},
    {"postcode", XRM_QT_POSTCODE, false}, /* PR: neighbours by postcode (also Dutch) */
    {"revenue", XRM_QT_REVENUE, true},
    /* the same filters in Dutch, as the app's users type them */
    {"rol", XRM_QT_ROLE, false},
    {"label", XRM_QT_TAG, false},
    {"plaats", XRM_QT_CITY, false},
    {"stad", XRM_QT_CITY, false},
    {"soort", XRM_QT_KIND, false},
    {"prioriteit", XRM_QT_PRIORITY, false},
    {"stil", XRM_QT_IDLE, false},
    {"heeft", XRM_QT_HAS, false},
    {"mag", XRM_QT_MAY, false},
    {"gezondheid", XRM_QT_HEALTH, false},
    {"zaak", XRM_QT_CASE, false},
    {"ticket", XRM_QT_CASE, false},
    {"overeenkomst", XRM_QT_AGREEMENT, false},
    {"contract", XRM_QT_AGREEMENT, false},
    {"omzet", XRM_QT_REVENUE, true},
};

/* Lower case, as they appear once folded; "'t" also stands for "’t". */
static const char *const name_prefixes[] = {
    "'s",  "'t",  "aan", "bij",  "d'",  "da",  "de",    "del",    "della",  "den", "der", "des",
    "di",  "dos", "du",  "het",  "in",  "l'",  "la",    "le",     "les",    "op",  "te",  "ten",
    "ter", "uit", "v.d", "v.d.", "v/d", "van", "van't", "vanden", "vander", "vd",  "von",
};

/* Position of at in text, in characters from 1 (UTF-8 continuation bytes do not count). */
static int position(const char *text, const char *at)
{
    int n = 1;
    for (const char *c = text; c < at && *c; c++)
        if (((unsigned char)*c & 0xc0) != 0x80)
            n++;
    return n;
}

static enum xrm_rc fail(struct parser *ps, const char *at, enum xrm_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A field error on "q": the message, then " at position N" for the term at `at`. */
static enum xrm_rc fail(struct parser *ps, const char *at, enum xrm_rc rc, const char *fmt, ...)
{
    char msg[sizeof(((struct xrm_field_err *)0)->message) - 24];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), xrm_msg(fmt), ap); /* in the reader's language */
    va_end(ap);
    return xrm_err_field(ps->err, rc, "q", "%s at position %d", msg, position(ps->text, at));
}

/* At most EXCERPT_MAX bytes of s[0..n), cut on a UTF-8 boundary, for messages. */
static const char *excerpt(char *buf, const char *s, size_t n)
{
    bool cut = n > EXCERPT_MAX;

    if (cut) {
        n = EXCERPT_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    if (cut) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

/* Length of the white space at p: ASCII blanks and controls, or NBSP; 0 if none. */
static size_t space_len(const char *p)
{
    unsigned char c = (unsigned char)p[0];

    if (c != '\0' && (c <= ' ' || c == 0x7f))
        return 1;
    if (c == 0xc2 && (unsigned char)p[1] == 0xa0)
        return 2;
    return 0;
}

/* Length of the double quote at p: '"' or the curly and low quotes phones type. */
static size_t quote_len(const char *p)
{
    if (p[0] == '"')
        return 1;
    if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] >= 0x9c &&
        (unsigned char)p[2] <= 0x9e)
        return 3;
    return 0;
}

static bool is_punct(char c)
{
    return c != '\0' && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* True when s is [a-z0-9_-]+ once ASCII letters are lower-cased. */
static bool is_ident(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_ident_char(s[i]))
            return false;
    return true;
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* True when s[0..n) equals the lower-case literal lit, ignoring ASCII case. */
static bool ascii_eq(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != lit[i])
            return false;
    }
    return true;
}

/* Lower case of a Latin-1 or Latin Extended-A code point (U+0080..U+017F). */
static unsigned lower_cp(unsigned c)
{
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return c + 0x20;
    if (c == 0x130) /* İ: "i" is what people search for */
        return 'i';
    if (c == 0x178) /* Ÿ */
        return 0xff;
    if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
        return c | 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && (c & 1))
        return c + 1;
    return c;
}

/*
 * Lower-cases s[0..n) in place: ASCII, Latin-1 and Latin Extended-A letters;
 * other bytes, valid UTF-8 or not, are kept. With text, curly single quotes
 * become "'". The result never grows; it is NUL-terminated (s has n + 1 bytes)
 * and its length returned.
 */
static size_t fold(char *s, size_t n, bool text)
{
    size_t r = 0, w = 0;

    while (r < n) {
        unsigned char c = (unsigned char)s[r];
        unsigned char c1 = r + 1 < n ? (unsigned char)s[r + 1] : 0;

        if (c >= 'A' && c <= 'Z') {
            s[w++] = (char)(c - 'A' + 'a');
            r++;
        } else if (c >= 0xc3 && c <= 0xc5 && (c1 & 0xc0) == 0x80) {
            unsigned cp = lower_cp(((c & 0x1fu) << 6) | (c1 & 0x3fu));
            if (cp < 0x80) {
                s[w++] = (char)cp;
            } else {
                s[w++] = (char)(0xc0 | (cp >> 6));
                s[w++] = (char)(0x80 | (cp & 0x3f));
            }
            r += 2;
        } else if (text && c == 0xe2 && c1 == 0x80 && r + 2 < n &&
                   ((unsigned char)s[r + 2] == 0x98 || (unsigned char)s[r + 2] == 0x99)) {
            s[w++] = '\'';
            r += 3;
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = '\0';
    return w;
}

/* Collapses runs of white space in s to one blank and trims both ends. */
static void squeeze(char *s)
{
    size_t r = 0, w = 0, sp;

    while (s[r]) {
        if ((sp = space_len(s + r)) == 0) {
            s[w++] = s[r++];
            continue;
        }
        while ((sp = space_len(s + r)) != 0)
            r += sp;
        if (w > 0 && s[r])
            s[w++] = ' ';
    }
    s[w] = '\0';
}

void xrm_query_fold(char *s)
{
    if (!s)
        return;
    fold(s, strlen(s), false);
    squeeze(s);
}

bool xrm_query_is_name_prefix(const char *word)
{
    if (!word)
        return false;
    for (size_t i = 0; i < sizeof(name_prefixes) / sizeof(name_prefixes[0]); i++)
        if (strcmp(word, name_prefixes[i]) == 0)
            return true;
    return false;
}

static void append(char *dst, size_t *len, const char *s, size_t n)
{
    if (*len > 0)
        dst[(*len)++] = ' ';
    memcpy(dst + *len, s, n);
    *len += n;
}

/*
 * Normalises the free word s[0..n) (n <= XRM_QUERY_MAX_TERM) and appends it
 * to full and, unless it is a name prefix, to drop. Elided "d'" and "l'" are
 * dropped from the front of a word too ("d'Hondt" searches "hondt").
 */
static void add_word(const char *s, size_t n, char *full, size_t *flen, char *drop, size_t *dlen)
{
    char w[XRM_QUERY_MAX_TERM + 1];
    size_t b = 0;

    memcpy(w, s, n);
    n = fold(w, n, true);
    bool prefix = xrm_query_is_name_prefix(w); /* "'t", "d'", "v.d." as typed */
    while (b < n && is_punct(w[b]))
        b++;
    while (n > b && is_punct(w[n - 1]))
        n--;
    if (b == n)
        return;
    memmove(w, w + b, n - b);
    n -= b;
    w[n] = '\0';
    prefix = prefix || xrm_query_is_name_prefix(w);
    append(full, flen, w, n);
    if (prefix)
        return;
    b = 0;
    if (n > 2 && (w[0] == 'd' || w[0] == 'l') && w[1] == '\'') {
        b = 2;
        while (b < n && is_punct(w[b]))
            b++;
    }
    if (b < n)
        append(drop, dlen, w + b, n - b);
}

static void tok_release(struct tok *t)
{
    free(t->t.key);
    free(t->t.value);
    free(t->full);
    t->t.key = t->t.value = t->full = NULL;
}

/* Takes over the strings of t. */
static void push(struct parser *ps, struct tok *t)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? 2 * ps->cap : 8;
        ps->toks = xrm_realloc(ps->toks, ps->cap * sizeof(*ps->toks));
    }
    ps->toks[ps->n++] = *t;
}

/* A word or phrase s[0..n); all punctuation gives no term at all. */
static enum xrm_rc add_text(struct parser *ps, enum xrm_qterm_kind kind, bool neg, const char *s,
                            size_t n, const char *start)
{
    char ex[EXCERPT_SIZE];
    size_t flen = 0, dlen = 0;

    if (n > XRM_QUERY_MAX_TERM)
        return fail(ps, start, XRM_E_INVALID, "term '%s' is too long (at most %d bytes)",
                    excerpt(ex, s, n), XRM_QUERY_MAX_TERM);

    /* Each word folds to at most its own length and gaps to one blank. */
    char *full = xrm_malloc(n + 1);
    char *drop = xrm_malloc(n + 1);
    for (size_t i = 0; i < n;) {
        size_t sp = space_len(s + i);
        if (sp) {
            i += sp;
            continue;
        }
        size_t j = i;
        while (j < n && !space_len(s + j))
            j++;
        add_word(s + i, j - i, full, &flen, drop, &dlen);
        i = j;
    }
    full[flen] = '\0';
    drop[dlen] = '\0';
    if (flen == 0) {
        free(full);
        free(drop);
        return XRM_OK;
    }
    struct tok t = {
        .t = {.kind = kind, .negated = neg, .value = drop, .pos = position(ps->text, start)},
        .full = full,
        .src = start,
        .srclen = (size_t)(ps->p - start),
    };
    push(ps, &t);
    return XRM_OK;
}

/* ps->p is at an opening quote; on success it is moved past the closing one. */
static enum xrm_rc read_quoted(struct parser *ps, const char *start, const char **s, size_t *n)
{
    char ex[EXCERPT_SIZE];
    const char *b = ps->p + quote_len(ps->p);
    const char *e = b;

    while (*e && !quote_len(e))
        e++;
    if (!*e)
        return fail(ps, start, XRM_E_MALFORMED, "unterminated quote in '%s'",
                    excerpt(ex, start, strlen(start)));
    *s = b;
    *n = (size_t)(e - b);
    ps->p = e + quote_len(e);
    return XRM_OK;
}

static enum prefix_class classify(const char *s, size_t n)
{
    const char *dot = memchr(s, '.', n);

    if (n == 0)
        return PF_NONE;
    if (!dot) {
        for (size_t i = 0; i < n; i++)
            if (!is_alpha(s[i]) && s[i] != '_')
                return PF_NONE;
        return PF_NAMED;
    }
    if (!is_alpha(s[0]) || dot + 1 == s + n)
        return PF_NONE;
    for (size_t i = 0; i < n; i++)
        if (s + i != dot && !is_ident_char(s[i]))
            return PF_NONE;
    return PF_ATTR;
}

static enum xrm_rc norm_ident(struct parser *ps, struct tok *t, const char *what)
{
    char ex[EXCERPT_SIZE];
    char *v = t->t.value;

    if (!is_ident(v, strlen(v)))
        return fail(ps, t->src, XRM_E_MALFORMED, "%s '%s' may only use a-z, 0-9, _ and -", what,
                    excerpt(ex, v, strlen(v)));
    ascii_lower(v);
    return XRM_OK;
}

static enum xrm_rc norm_choice(struct parser *ps, struct tok *t, const char *what,
                               const char *const *names, const char *const *canon, const char *hint)
{
    char ex[EXCERPT_SIZE];
    char *v = t->t.value;

    for (size_t i = 0; names[i]; i++) {
        if (ascii_eq(v, strlen(v), names[i])) {
            free(t->t.value);
            t->t.value = xrm_strdup(canon[i]);
            return XRM_OK;
        }
    }
    return fail(ps, t->src, XRM_E_INVALID, "unknown %s '%s' (use %s)", what,
                excerpt(ex, v, strlen(v)), xrm_msg(hint));
}

static enum xrm_rc norm_idle(struct parser *ps, struct tok *t)
{
    char ex[EXCERPT_SIZE];
    const char *v = t->t.value;
    const char *s = v;
    long n = 0, mult;

    while (*s >= '0' && *s <= '9' && n <= IDLE_MAX)
        n = n * 10 + (*s++ - '0');
    switch (s > v && s[0] && !s[1] ? s[0] : '\0') {
    case 'd':
    case 'D':
        mult = 1;
        break;
    case 'w':
    case 'W':
        mult = 7;
        break;
    case 'm':
    case 'M':
        mult = 30;
        break;
    case 'y':
    case 'Y':
    case 'j': /* jaar */
    case 'J':
        mult = 365;
        break;
    default:
        mult = 0;
        break;
    }
    if (mult == 0 || n < 1 || n > IDLE_MAX)
        return fail(ps, t->src, XRM_E_INVALID,
                    "bad idle time '%s' (use 1 to %d and d, w, m or y, e.g. 90d)",
                    excerpt(ex, v, strlen(v)), IDLE_MAX);
    char canon[32];
    snprintf(canon, sizeof(canon), "%ld%c", n,
             mult == 1    ? 'd'
             : mult == 7  ? 'w'
             : mult == 30 ? 'm'
                          : 'y');
    free(t->t.value);
    t->t.value = xrm_strdup(canon);
    t->t.days = n * mult;
    return XRM_OK;
}

static enum xrm_rc norm_status(struct parser *ps, struct tok *t)
{
    char ex[EXCERPT_SIZE];
    char *v = t->t.value;
    char *eq = strchr(v, '=');

    if (eq) {
        *eq = '\0';
        squeeze(eq + 1);
    }
    if (!eq || !*v || !eq[1]) {
        if (eq)
            *eq = '=';
        return fail(ps, t->src, XRM_E_MALFORMED,
                    "bad status filter '%s' (use status:role=status or role.status:status)",
                    excerpt(ex, t->src, t->srclen));
    }
    if (!is_ident(v, strlen(v)))
        return fail(ps, t->src, XRM_E_MALFORMED, "status role '%s' may only use a-z, 0-9, _ and -",
                    excerpt(ex, v, strlen(v)));
    ascii_lower(v);
    t->t.key = xrm_strdup(v);
    char *value = xrm_strdup(eq + 1);
    fold(value, strlen(value), false);
    free(t->t.value);
    t->t.value = value;
    return XRM_OK;
}

/* A comparison value: a decimal number ("4", "-2.5") or a date ("2025-01-31"). */
static bool compare_value(const char *v)
{
    const char *c = v;
    bool digits = false, dot = false;

    if (xrm_valid_date(v))
        return true;
    if (*c == '-' || *c == '+')
        c++;
    for (; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits = true;
        else if (*c == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return digits && c - v <= 24;
}

static enum xrm_rc norm_compare(struct parser *ps, struct tok *t)
{
    char ex[EXCERPT_SIZE];
    const char *dot = strchr(t->t.key, '.');

    if (strcmp(dot, ".status") == 0)
        return fail(ps, t->src, XRM_E_MALFORMED,
                    "a role status cannot be compared; use %.*s.status:value",
                    (int)(dot - t->t.key), t->t.key);
    if (!compare_value(t->t.value))
        return fail(ps, t->src, XRM_E_INVALID,
                    "'%s' compares with '%s', which is neither a number nor a date (YYYY-MM-DD)",
                    t->t.key, excerpt(ex, t->t.value, strlen(t->t.value)));
    return XRM_OK;
}

/* revenue>100000: whole cents, 0 to XRM_AMOUNT_MAX, written back without leading zeros. */
static enum xrm_rc norm_amount(struct parser *ps, struct tok *t)
{
    char ex[EXCERPT_SIZE];
    const char *v = t->t.value;
    long long n = 0;
    bool ok = *v != '\0';

    for (const char *c = v; *c && ok; c++) {
        if (*c < '0' || *c > '9' || n > XRM_AMOUNT_MAX / 10)
            ok = false;
        else
            n = n * 10 + (*c - '0');
    }
    if (!ok || n > XRM_AMOUNT_MAX)
        return fail(ps, t->src, XRM_E_INVALID,
                    "bad revenue '%s' (use whole cents, as records.lifetime_revenue; "
                    "revenue>=10000000 is EUR 100,000)",
                    excerpt(ex, v, strlen(v)));
    char canon[32];
    snprintf(canon, sizeof(canon), "%lld", n);
    free(t->t.value);
    t->t.value = xrm_strdup(canon);
    return XRM_OK;
}

/* Normalises t->t.value, the raw non-empty value, for t's kind. */
static enum xrm_rc norm_value(struct parser *ps, struct tok *t, const char *name, size_t namelen)
{
    /* Each list also holds the Dutch words (persoon, hoog, telefoon, gewonnen, ...). */
    static const char *const kinds[] = {"person",  "organization", "organisation", "org",
                                        "persoon", "organisatie",  "bedrijf",      NULL};
    static const char *const kinds_canon[] = {"person",       "organization", "organization",
                                              "organization", "person",       "organization",
                                              "organization"};
    static const char *const prios[] = {"low",  "normal",  "high", "top",
                                        "laag", "normaal", "hoog", NULL};
    static const char *const prios_canon[] = {"low", "normal", "high", "top",
                                              "low", "normal", "high"};
    static const char *const has_names[] = {"email", "e-mail",   "mail",  "phone",
                                            "tel",   "address",  "adres", "website",
                                            "web",   "telefoon", "site",  NULL};
    static const char *const has_canon[] = {"email",   "email",   "email",   "phone",
                                            "phone",   "address", "address", "website",
                                            "website", "phone",   "website"};
    static const char *const may_names[] = {"email", "e-mail", "mail",   "call",
                                            "phone", "mailen", "bellen", NULL};
    static const char *const may_canon[] = {"email", "email", "email", "call",
                                            "call",  "email", "call"};
    static const char *const health_names[] = {"good", "watch", "at_risk",  "at-risk", "atrisk",
                                               "risk", "goed",  "aandacht", "risico",  NULL};
    static const char *const health_canon[] = {"good",    "watch", "at_risk", "at_risk", "at_risk",
                                               "at_risk", "good",  "watch",   "at_risk"};
    static const char *const deal_names[] = {"open", "won", "lost", "gewonnen", "verloren", NULL};
    static const char *const deal_canon[] = {"open", "won", "lost", "won", "lost"};
    static const char *const case_names[] = {"open",     "closed",  "breached", "gesloten",
                                             "verlopen", "te_laat", NULL};
    static const char *const case_canon[] = {"open",   "closed",   "breached",
                                             "closed", "breached", "breached"};
    static const char *const agreement_names[] = {"active", "expiring", "actief", "aflopend", NULL};
    static const char *const agreement_canon[] = {"active", "expiring", "active", "expiring"};
    char ex[EXCERPT_SIZE];

    switch (t->t.kind) {
    case XRM_QT_ROLE:
        return norm_ident(ps, t, "role");
    case XRM_QT_TAG:
        return norm_ident(ps, t, "tag");
    case XRM_QT_CITY:
        fold(t->t.value, strlen(t->t.value), false);
        squeeze(t->t.value);
        if (!t->t.value[0])
            return fail(ps, t->src, XRM_E_MALFORMED, "empty value in '%s:'",
                        excerpt(ex, name, namelen));
        return XRM_OK;
    case XRM_QT_BADGE:
        xrm_query_fold(t->t.value);
        if (!t->t.value[0])
            return fail(ps, t->src, XRM_E_MALFORMED, "empty value in '%s:'",
                        excerpt(ex, name, namelen));
        return XRM_OK;
    case XRM_QT_HAS:
        return norm_choice(ps, t, "has: value", has_names, has_canon,
                           "email, phone, address or website");
    case XRM_QT_MAY:
        return norm_choice(ps, t, "may: value", may_names, may_canon, "email or call");
    case XRM_QT_HEALTH:
        return norm_choice(ps, t, "health", health_names, health_canon, "good, watch or at_risk");
    case XRM_QT_KIND:
        return norm_choice(ps, t, "kind", kinds, kinds_canon, "person or organization");
    case XRM_QT_PRIORITY:
        return norm_choice(ps, t, "priority", prios, prios_canon, "low, normal, high or top");
    case XRM_QT_IDLE:
        return norm_idle(ps, t);
    case XRM_QT_DEAL:
        return norm_choice(ps, t, "deal: value", deal_names, deal_canon, "open, won or lost");
    case XRM_QT_CASE:
        return norm_choice(ps, t, "case: value", case_names, case_canon,
                           "open, closed or breached");
    case XRM_QT_AGREEMENT:
        return norm_choice(ps, t, "agreement: value", agreement_names, agreement_canon,
                           "active or expiring");
    /* PR: neighbours by postcode: "3511" or "3511-3514", kept as "3511-3514" */
    case XRM_QT_POSTCODE: {
        const char *v = t->t.value;
        size_t n = strlen(v);
        bool digits = true;
        for (size_t i = 0; i < n; i++)
            if (i != 4 && (v[i] < '0' || v[i] > '9'))
                digits = false;
        if (!digits || (n != 4 && n != 9) || (n == 9 && v[4] != '-') || v[0] == '0' ||
            (n == 9 && (v[5] == '0' || strncmp(v, v + 5, 4) > 0)))
            return fail(ps, t->src, XRM_E_INVALID,
                        "postcode: takes a 4-digit postcode area or a range such as 3511-3514");
        if (n == 4) {
            char *range = xrm_malloc(10);
            memcpy(range, v, 4);
            range[4] = '-';
            memcpy(range + 5, v, 4);
            range[9] = '\0';
            free(t->t.value);
            t->t.value = range;
        }
        return XRM_OK;
    }
    case XRM_QT_REVENUE:
        return norm_amount(ps, t);
    case XRM_QT_STATUS:
        return norm_status(ps, t);
    case XRM_QT_ATTR:
        t->t.key = xrm_strndup(name, namelen);
        ascii_lower(t->t.key);
        if (t->t.op != XRM_QOP_EQ)
            return norm_compare(ps, t);
        if (strcmp(strchr(t->t.key, '.'), ".status") == 0) {
            /* customer.status:active is the role status, as status:customer=active */
            *strchr(t->t.key, '.') = '\0';
            t->t.kind = XRM_QT_STATUS;
            fold(t->t.value, strlen(t->t.value), false);
            squeeze(t->t.value);
            if (!t->t.value[0])
                return fail(ps, t->src, XRM_E_MALFORMED, "empty value in '%s:'",
                            excerpt(ex, name, namelen));
        }
        return XRM_OK;
    case XRM_QT_WORD:
    case XRM_QT_PHRASE:
        break;
    }
    XRM_BUG("filter of kind %d", (int)t->t.kind);
}

/*
 * The term at start is prefix name[0..sep) followed by ":" (op XRM_QOP_EQ)
 * or a comparison operator of oplen bytes, and a value that runs to end, the
 * first blank or quote, possibly followed by a quoted part.
 */
static enum xrm_rc parse_filter(struct parser *ps, const char *start, bool neg, const char *name,
                                const char *sep, size_t oplen, enum xrm_qop op, const char *end,
                                enum prefix_class pf)
{
    char ex[EXCERPT_SIZE];
    size_t namelen = (size_t)(sep - name);
    enum xrm_qterm_kind kind = XRM_QT_ATTR;
    const char *bare = sep + oplen, *quoted = NULL;
    size_t nbare = (size_t)(end - bare), nquoted = 0;
    const char *opname = op == XRM_QOP_EQ   ? (*sep == '=' ? "=" : ":")
                         : op == XRM_QOP_GT ? ">"
                         : op == XRM_QOP_GE ? ">="
                         : op == XRM_QOP_LT ? "<"
                                            : "<=";
    enum xrm_rc rc;

    if (pf == PF_NAMED) {
        size_t i = 0;
        while (i < sizeof(filters) / sizeof(filters[0]) &&
               !ascii_eq(name, namelen, filters[i].name))
            i++;
        if (i == sizeof(filters) / sizeof(filters[0]))
            return fail(ps, start, XRM_E_MALFORMED, "unknown filter '%s:'",
                        excerpt(ex, name, namelen));
        if (op != XRM_QOP_EQ && !filters[i].compare)
            return fail(ps, start, XRM_E_MALFORMED,
                        "'%s' cannot be compared with '%s' (only type.attribute and revenue "
                        "can, e.g. supplier.rating>=4)",
                        excerpt(ex, name, namelen), opname);
        kind = filters[i].kind;
    }
    ps->p = end;
    if (quote_len(end) && (nbare == 0 || (op == XRM_QOP_EQ && bare[nbare - 1] == '='))) {
        rc = read_quoted(ps, start, &quoted, &nquoted);
        if (rc)
            return rc;
    }
    if (nbare + nquoted == 0)
        return fail(ps, start, XRM_E_MALFORMED, "empty value in '%s%s'", excerpt(ex, name, namelen),
                    opname);
    if (nbare + nquoted > XRM_QUERY_MAX_TERM)
        return fail(ps, start, XRM_E_INVALID, "value of '%s%s' is too long (at most %d bytes)",
                    excerpt(ex, name, namelen), opname, XRM_QUERY_MAX_TERM);

    char *value = xrm_malloc(nbare + nquoted + 1);
    memcpy(value, bare, nbare);
    if (nquoted)
        memcpy(value + nbare, quoted, nquoted);
    value[nbare + nquoted] = '\0';
    struct tok t = {
        .t = {.kind = kind,
              .negated = neg,
              .value = value,
              .op = op,
              .pos = position(ps->text, start)},
        .src = start,
        .srclen = (size_t)(ps->p - start),
    };
    rc = norm_value(ps, &t, name, namelen);
    if (rc) {
        tok_release(&t);
        return rc;
    }
    push(ps, &t);
    return XRM_OK;
}

/*
 * The first ':', '=', '<' or '>' in b[0..n), with the operator it starts
 * ('=' is EQ, as ':'); NULL when none.
 */
static const char *find_sep(const char *b, size_t n, size_t *oplen, enum xrm_qop *op)
{
    for (size_t i = 0; i < n; i++) {
        bool eq = i + 1 < n && b[i + 1] == '=';
        if (b[i] == ':' || b[i] == '=') {
            *oplen = 1;
            *op = XRM_QOP_EQ;
        } else if (b[i] == '>') {
            *oplen = eq ? 2 : 1;
            *op = eq ? XRM_QOP_GE : XRM_QOP_GT;
        } else if (b[i] == '<') {
            *oplen = eq ? 2 : 1;
            *op = eq ? XRM_QOP_LE : XRM_QOP_LT;
        } else {
            continue;
        }
        return b + i;
    }
    return NULL;
}

/* True when name[0..n) is a filter name; with compare, one that takes comparisons. */
static bool known_filter(const char *name, size_t n, bool compare)
{
    for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
        if (ascii_eq(name, n, filters[i].name))
            return !compare || filters[i].compare;
    return false;
}

static enum xrm_rc parse_term(struct parser *ps)
{
    const char *start = ps->p;
    bool neg = false;
    const char *s;
    size_t n;
    enum xrm_rc rc;

    if (*ps->p == '-') {
        neg = true;
        ps->p++;
    }
    if (quote_len(ps->p)) {
        rc = read_quoted(ps, start, &s, &n);
        if (rc)
            return rc;
        return add_text(ps, XRM_QT_PHRASE, neg, s, n, start);
    }

    const char *b = ps->p, *e = b;
    while (*e && !space_len(e) && !quote_len(e))
        e++;
    size_t oplen = 0;
    enum xrm_qop op = XRM_QOP_EQ;
    const char *sep = find_sep(b, (size_t)(e - b), &oplen, &op);
    enum prefix_class pf = sep ? classify(b, (size_t)(sep - b)) : PF_NONE;
    if (pf == PF_NAMED && op == XRM_QOP_EQ && sep[1] == '/' && sep[2] == '/') /* a pasted URL */
        pf = PF_NONE;
    /* "a>b" is a word; only attributes and known filter names make a comparison */
    if (pf == PF_NAMED && op != XRM_QOP_EQ && !known_filter(b, (size_t)(sep - b), false))
        pf = PF_NONE;
    /* "a=b" and "x.y=z" are words; "revenue=5" is the one filter spelt with "=" */
    if (pf != PF_NONE && *sep == '=' &&
        !(pf == PF_NAMED && known_filter(b, (size_t)(sep - b), true)))
        pf = PF_NONE;
    if (pf != PF_NONE)
        return parse_filter(ps, start, neg, b, sep, oplen, op, e, pf);
    ps->p = e;
    return add_text(ps, XRM_QT_WORD, neg, b, (size_t)(e - b), start);
}

static bool is_text(const struct tok *t)
{
    return t->t.kind == XRM_QT_WORD || t->t.kind == XRM_QT_PHRASE;
}

/* Applies the name-prefix rule, checks the term cap and moves the terms to q. */
static enum xrm_rc finish(struct parser *ps, struct xrm_query *q)
{
    char ex[EXCERPT_SIZE];
    bool drop = false;
    size_t n = 0;

    for (size_t i = 0; i < ps->n; i++)
        if (is_text(&ps->toks[i]) && !ps->toks[i].t.negated && ps->toks[i].t.value[0])
            drop = true;
    for (size_t i = 0; i < ps->n; i++) {
        struct tok *t = &ps->toks[i];
        if (is_text(t) && !drop) {
            free(t->t.value);
            t->t.value = t->full;
            t->full = NULL;
        }
        if (!t->t.value[0]) {
            tok_release(t);
            continue;
        }
        free(t->full);
        t->full = NULL;
        ps->toks[n++] = *t;
    }
    ps->n = n;
    if (n > XRM_QUERY_MAX_TERMS) {
        struct tok *t = &ps->toks[XRM_QUERY_MAX_TERMS];
        return fail(ps, t->src, XRM_E_INVALID, "too many terms at '%s' (at most %d)",
                    excerpt(ex, t->src, t->srclen), XRM_QUERY_MAX_TERMS);
    }
    if (n == 0)
        return XRM_OK;
    q->terms = xrm_calloc(n, sizeof(*q->terms));
    for (size_t i = 0; i < n; i++)
        q->terms[i] = ps->toks[i].t;
    q->n = n;
    ps->n = 0;
    return XRM_OK;
}

enum xrm_rc xrm_query_parse(const char *text, struct xrm_query *q, struct xrm_err *err)
{
    struct parser ps = {.text = text ? text : "", .p = text ? text : "", .err = err};
    enum xrm_rc rc = XRM_OK;

    if (!q)
        XRM_BUG("xrm_query_parse without a query");
    q->n = 0;
    q->terms = NULL;
    q->viewer = NULL;
    if (strnlen(ps.p, XRM_QUERY_MAX_LEN + 1) > XRM_QUERY_MAX_LEN)
        return fail(&ps, ps.p, XRM_E_INVALID, "query is too long (at most %d bytes)",
                    XRM_QUERY_MAX_LEN);
    for (;;) {
        size_t sp;
        while ((sp = space_len(ps.p)) != 0)
            ps.p += sp;
        if (!*ps.p)
            break;
        rc = parse_term(&ps);
        if (rc)
            goto out;
    }
    rc = finish(&ps, q);
out:
    for (size_t i = 0; i < ps.n; i++)
        tok_release(&ps.toks[i]);
    free(ps.toks);
    return rc;
}

const char *xrm_query_term_domain(const struct xrm_qterm *t)
{
    switch (t ? t->kind : XRM_QT_WORD) {
    case XRM_QT_DEAL:
    case XRM_QT_CASE:
    case XRM_QT_AGREEMENT:
    case XRM_QT_REVENUE:
        return "sales";
    default:
        return NULL;
    }
}

void xrm_query_release(struct xrm_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++) {
        free(q->terms[i].key);
        free(q->terms[i].value);
    }
    free(q->terms);
    q->n = 0;
    q->terms = NULL;
}
