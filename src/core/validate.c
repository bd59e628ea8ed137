/*
 * Validation and normalisation of the values people type into a CRM. Every
 * function is pure: no allocation, no locale (the ASCII helpers below stand in
 * for <ctype.h>, whose results depend on setlocale and which must not see a
 * negative char), and every scan advances one byte at a time and stops at the
 * NUL, so input is never read past its end. Normalised forms are assembled in
 * a small local buffer or measured first, and out is written only once the
 * whole result, NUL included, is known to fit in n bytes.
 */
#include "core/validate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "core/banned.h"

#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64
#define HOST_MAX 253
#define LABEL_MAX 63
#define IBAN_MAX 34
#define VAT_MAX 14
#define PHONE_MIN 8
#define PHONE_MAX 15
#define YEAR_MIN 1900
#define YEAR_MAX 2199
#define MINUTES_PER_DAY (24 * 60)

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_alpha(unsigned char c)
{
    return is_upper(c) || is_lower(c);
}

static bool is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}

static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char to_upper(unsigned char c)
{
    return (char)(is_lower(c) ? c - 'a' + 'A' : c);
}

static char to_lower(unsigned char c)
{
    return (char)(is_upper(c) ? c - 'A' + 'a' : c);
}

/* Writes len bytes of src and a NUL to out, or fails without writing. */
static bool put(char *out, size_t n, const char *src, size_t len)
{
    if (!out || len >= n)
        return false;
    memcpy(out, src, len);
    out[len] = '\0';
    return true;
}

/*
 * Length of the well-formed UTF-8 sequence starting at p, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). A NUL is never a
 * valid continuation byte, so the check of p[i] fails before p[i + 1] is read.
 */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;

    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        if (p[0] == 0xE0)
            lo = 0xA0;
        else if (p[0] == 0xED)
            hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        if (p[0] == 0xF0)
            lo = 0x90;
        else if (p[0] == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/*
 * Checks a host name of len bytes: dot-separated labels of 1..63 bytes made of
 * ASCII letters, digits and '-' (not first or last) or UTF-8 (IDN in Unicode
 * form). Returns the number of labels, 0 when invalid; *numeric_tld tells
 * whether the last label is all digits, which no real top-level domain is.
 */
static size_t check_hostname(const char *s, size_t len, bool *numeric_tld)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t labels = 0, i = 0;

    if (len == 0 || len > HOST_MAX)
        return 0;
    for (;;) {
        size_t start = i;
        bool digits_only = true;

        while (i < len && p[i] != '.') {
            if (p[i] >= 0x80) {
                size_t k = utf8_seq(p + i);
                if (!k || i + k > len)
                    return 0;
                i += k;
                digits_only = false;
                continue;
            }
            if (!is_alnum(p[i]) && p[i] != '-')
                return 0;
            if (!is_digit(p[i]))
                digits_only = false;
            i++;
        }
        if (i == start || i - start > LABEL_MAX || p[start] == '-' || p[i - 1] == '-')
            return 0;
        labels++;
        *numeric_tld = digits_only;
        if (i == len)
            return labels;
        i++; /* the dot; a trailing one leaves an empty label and fails above */
    }
}

/* RFC 5322 atext, the characters of an unquoted local part besides '.'. */
static bool is_atext(unsigned char c)
{
    return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/*
 * Dot-atom local part (quoted local parts are not accepted: they are legal but
 * in a CRM far more often a typo than a real address); UTF-8 per RFC 6531.
 */
static bool check_local(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    if (len == 0 || len > EMAIL_LOCAL_MAX || p[0] == '.' || p[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len;) {
        if (p[i] >= 0x80) {
            size_t k = utf8_seq(p + i);
            if (!k || i + k > len)
                return false;
            i += k;
            continue;
        }
        if (p[i] == '.' && p[i + 1] == '.')
            return false;
        if (p[i] != '.' && !is_atext(p[i]))
            return false;
        i++;
    }
    return true;
}

/* Returns the length of a valid address, or 0. */
static size_t email_len(const char *s)
{
    size_t len, local_len;
    const char *at;
    bool numeric_tld = false;

    if (!s)
        return 0;
    len = strnlen(s, EMAIL_MAX + 1);
    if (len > EMAIL_MAX)
        return 0;
    at = memchr(s, '@', len);
    if (!at)
        return 0;
    local_len = (size_t)(at - s);
    if (memchr(at + 1, '@', len - local_len - 1))
        return 0;
    if (!check_local(s, local_len))
        return 0;
    if (check_hostname(at + 1, len - local_len - 1, &numeric_tld) < 2 || numeric_tld)
        return 0;
    return len;
}

bool xrm_valid_email(const char *s)
{
    return email_len(s) != 0;
}

bool xrm_norm_email(const char *s, char *out, size_t n)
{
    size_t len = email_len(s);
    char *at;

    if (!len || !put(out, n, s, len))
        return false;
    at = strchr(out, '@');
    for (char *p = at + 1; *p; p++)
        *p = to_lower((unsigned char)*p);
    return true;
}

/*
 * BBAN structures from the SWIFT IBAN registry (ISO 13616), as counts of
 * n (digits), a (upper-case letters) and c (upper-case alphanumerics); the
 * IBAN length is 4 plus their sum. All SEPA countries are included.
 */
static const struct iban_country {
    char cc[3];
    const char *bban;
} iban_countries[] = {
    {"AD", "4n4n12c"},     {"AE", "3n16n"},     {"AL", "8n16c"},         {"AT", "5n11n"},
    {"AZ", "4a20c"},       {"BA", "3n3n8n2n"},  {"BE", "3n7n2n"},        {"BG", "4a4n2n8c"},
    {"BH", "4a14c"},       {"BI", "5n5n11n2n"}, {"BR", "8n5n10n1a1c"},   {"BY", "4c4n16c"},
    {"CH", "5n12c"},       {"CR", "4n14n"},     {"CY", "3n5n16c"},       {"CZ", "4n6n10n"},
    {"DE", "8n10n"},       {"DJ", "5n5n11n2n"}, {"DK", "4n9n1n"},        {"DO", "4c20n"},
    {"EE", "2n14n"},       {"EG", "4n4n17n"},   {"ES", "4n4n1n1n10n"},   {"FI", "3n11n"},
    {"FK", "2a12n"},       {"FO", "4n9n1n"},    {"FR", "5n5n11c2n"},     {"GB", "4a6n8n"},
    {"GE", "2a16n"},       {"GI", "4a15c"},     {"GL", "4n9n1n"},        {"GR", "3n4n16c"},
    {"GT", "4c20c"},       {"HN", "4a20n"},     {"HR", "7n10n"},         {"HU", "3n4n1n15n1n"},
    {"IE", "4a6n8n"},      {"IL", "3n3n13n"},   {"IQ", "4a3n12n"},       {"IS", "4n2n6n10n"},
    {"IT", "1a5n5n12c"},   {"JO", "4a4n18c"},   {"KW", "4a22c"},         {"KZ", "3n13c"},
    {"LB", "4n20c"},       {"LC", "4a24c"},     {"LI", "5n12c"},         {"LT", "5n11n"},
    {"LU", "3n13c"},       {"LV", "4a13c"},     {"LY", "3n3n15n"},       {"MC", "5n5n11c2n"},
    {"MD", "2c18c"},       {"ME", "3n13n2n"},   {"MK", "3n10c2n"},       {"MN", "4n12n"},
    {"MR", "5n5n11n2n"},   {"MT", "4a5n18c"},   {"MU", "4a2n2n12n3n3a"}, {"NI", "4a20n"},
    {"NL", "4a10n"},       {"NO", "4n6n1n"},    {"OM", "3n16c"},         {"PK", "4a16c"},
    {"PL", "8n16n"},       {"PS", "4a21c"},     {"PT", "4n4n11n2n"},     {"QA", "4a21c"},
    {"RO", "4a16c"},       {"RS", "3n13n2n"},   {"RU", "9n5n15c"},       {"SA", "2n18c"},
    {"SC", "4a2n2n16n3a"}, {"SD", "2n12n"},     {"SE", "3n16n1n"},       {"SI", "5n8n2n"},
    {"SK", "4n6n10n"},     {"SM", "1a5n5n12c"}, {"SO", "4n3n12n"},       {"ST", "8n11n2n"},
    {"SV", "4a20n"},       {"TL", "3n14n2n"},   {"TN", "2n3n13n2n"},     {"TR", "5n1n16c"},
    {"UA", "6n19c"},       {"VA", "3n15n"},     {"VG", "4a16n"},         {"XK", "4n10n2n"},
    {"YE", "4a4n18c"},
};

static const char *iban_bban_format(const char *cc)
{
    for (size_t i = 0; i < sizeof(iban_countries) / sizeof(iban_countries[0]); i++)
        if (iban_countries[i].cc[0] == cc[0] && iban_countries[i].cc[1] == cc[1])
            return iban_countries[i].bban;
    return NULL;
}

static bool bban_match(const char *s, size_t len, const char *fmt)
{
    size_t pos = 0;

    while (*fmt) {
        size_t count = 0;
        char type;

        while (is_digit((unsigned char)*fmt))
            count = count * 10 + (size_t)(*fmt++ - '0');
        type = *fmt++;
        for (; count > 0; count--, pos++) {
            unsigned char c;
            if (pos >= len)
                return false;
            c = (unsigned char)s[pos];
            if (type == 'n' && !is_digit(c))
                return false;
            if (type == 'a' && !is_upper(c))
                return false;
            if (type == 'c' && !is_upper(c) && !is_digit(c))
                return false;
        }
    }
    return pos == len;
}

/* ISO 7064 mod 97-10 step on an upper-case alphanumeric: A = 10 .. Z = 35. */
static unsigned mod97_step(unsigned r, unsigned char c)
{
    if (is_digit(c))
        return (r * 10 + (unsigned)(c - '0')) % 97;
    return (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
}

bool xrm_norm_iban(const char *s, char *out, size_t n)
{
    char buf[IBAN_MAX];
    size_t len = 0;
    unsigned check, r = 0;
    const char *fmt;

    if (!s)
        return false;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (!is_alnum((unsigned char)*s) || len == sizeof(buf))
            return false;
        buf[len++] = to_upper((unsigned char)*s);
    }
    if (len < 5 || !is_upper((unsigned char)buf[0]) || !is_upper((unsigned char)buf[1]) ||
        !is_digit((unsigned char)buf[2]) || !is_digit((unsigned char)buf[3]))
        return false;
    /* 00, 01 and 99 are never issued but 01 and 99 can still pass mod 97 */
    check = (unsigned)(buf[2] - '0') * 10 + (unsigned)(buf[3] - '0');
    if (check < 2 || check > 98)
        return false;
    fmt = iban_bban_format(buf);
    if (!fmt || !bban_match(buf + 4, len - 4, fmt))
        return false;
    for (size_t i = 4; i < len + 4; i++)
        r = mod97_step(r, (unsigned char)buf[i % len]);
    if (r != 1)
        return false;
    return put(out, n, buf, len);
}

bool xrm_valid_kvk(const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < 8; i++)
        if (!is_digit((unsigned char)s[i]))
            return false;
    return s[8] == '\0';
}

/*
 * VAT number shapes after the country prefix, per the EU VIES rules;
 * alternatives are separated by '|'. Classes: d digit, l letter, x letter or
 * digit, f French key character (letter except I and O, or digit), b 0 or 1,
 * w A..W, i A..I, p letter or '+' or '*'; anything else is literal. Only NL
 * gets a check-digit test; the others are pattern checks.
 */
static const struct vat_country {
    char cc[3];
    const char *shapes;
} vat_countries[] = {
    {"AT", "Udddddddd"},
    {"BE", "bddddddddd"},
    {"BG", "ddddddddd|dddddddddd"},
    {"CY", "ddddddddl"},
    {"CZ", "dddddddd|ddddddddd|dddddddddd"},
    {"DE", "ddddddddd"},
    {"DK", "dddddddd"},
    {"EE", "ddddddddd"},
    {"EL", "ddddddddd"},
    {"ES", "ldddddddx|ddddddddl"},
    {"FI", "dddddddd"},
    {"FR", "ffddddddddd"},
    {"HR", "ddddddddddd"},
    {"HU", "dddddddd"},
    {"IE", "dddddddw|dddddddwi|dpdddddl"},
    {"IT", "ddddddddddd"},
    {"LT", "ddddddddd|dddddddddddd"},
    {"LU", "dddddddd"},
    {"LV", "ddddddddddd"},
    {"MT", "dddddddd"},
    {"NL", "dddddddddBdd"},
    {"PL", "dddddddddd"},
    {"PT", "ddddddddd"},
    {"RO", "dd|ddd|dddd|ddddd|dddddd|ddddddd|dddddddd|ddddddddd|dddddddddd"},
    {"SE", "dddddddddd01"},
    {"SI", "dddddddd"},
    {"SK", "dddddddddd"},
    {"XI", "ddddddddd|dddddddddddd|GDddd|HAddd"},
};

static bool vat_class(char cls, unsigned char c)
{
    switch (cls) {
    case 'd':
        return is_digit(c);
    case 'l':
        return is_upper(c);
    case 'x':
        return is_upper(c) || is_digit(c);
    case 'f':
        return is_digit(c) || (is_upper(c) && c != 'I' && c != 'O');
    case 'b':
        return c == '0' || c == '1';
    case 'w':
        return c >= 'A' && c <= 'W';
    case 'i':
        return c >= 'A' && c <= 'I';
    case 'p':
        return is_upper(c) || c == '+' || c == '*';
    default:
        return c == (unsigned char)cls;
    }
}

static bool vat_shape_match(const char *s, size_t len, const char *shapes)
{
    const char *p = shapes;

    for (;;) {
        size_t i = 0;

        while (*p && *p != '|' && i < len && vat_class(*p, (unsigned char)s[i])) {
            p++;
            i++;
        }
        if ((*p == '\0' || *p == '|') && i == len)
            return true;
        while (*p && *p != '|')
            p++;
        if (!*p)
            return false;
        p++;
    }
}

/*
 * v is "NL" + 9 digits + "B" + 2 digits. Valid when the 9 digits (RSIN or BSN)
 * pass the elfproef, or, for the btw-id issued to sole proprietors since 2020,
 * when the whole string passes ISO 7064 mod 97-10 with N = 23, L = 21, B = 11.
 */
static bool nl_vat_check(const char *v)
{
    const char *d = v + 2;
    int sum = 0;
    unsigned r = 0;

    if (strncmp(d, "000000000", 9) == 0 || (v[12] == '0' && v[13] == '0'))
        return false;
    for (int i = 0; i < 8; i++)
        sum += (d[i] - '0') * (9 - i);
    sum -= d[8] - '0';
    if (sum % 11 == 0)
        return true;
    for (size_t i = 0; i < VAT_MAX; i++)
        r = mod97_step(r, (unsigned char)v[i]);
    return r == 1;
}

bool xrm_norm_vat(const char *s, char *out, size_t n)
{
    char buf[VAT_MAX];
    size_t len = 0;
    const char *shapes = NULL;

    if (!s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '.' || c == '-')
            continue;
        if ((!is_alnum(c) && c != '+' && c != '*') || len == sizeof(buf))
            return false;
        buf[len++] = to_upper(c);
    }
    if (len < 4)
        return false;
    for (size_t i = 0; i < sizeof(vat_countries) / sizeof(vat_countries[0]); i++)
        if (vat_countries[i].cc[0] == buf[0] && vat_countries[i].cc[1] == buf[1])
            shapes = vat_countries[i].shapes;
    if (!shapes || !vat_shape_match(buf + 2, len - 2, shapes))
        return false;
    if (buf[0] == 'N' && buf[1] == 'L' && !nl_vat_check(buf))
        return false;
    return put(out, n, buf, len);
}

bool xrm_norm_postcode_nl(const char *s, char *out, size_t n)
{
    char buf[7];
    const char *p;

    if (!s || s[0] < '1' || s[0] > '9')
        return false;
    for (int i = 1; i < 4; i++)
        if (!is_digit((unsigned char)s[i]))
            return false;
    p = s + 4;
    if (*p == ' ')
        p++;
    if (!is_alpha((unsigned char)p[0]) || !is_alpha((unsigned char)p[1]) || p[2] != '\0')
        return false;
    memcpy(buf, s, 4);
    buf[4] = ' ';
    buf[5] = to_upper((unsigned char)p[0]);
    buf[6] = to_upper((unsigned char)p[1]);
    /* not issued: SS, SD and SA carry wartime connotations */
    if (buf[5] == 'S' && (buf[6] == 'A' || buf[6] == 'D' || buf[6] == 'S'))
        return false;
    return put(out, n, buf, sizeof(buf));
}

/*
 * Phone numbers. "(0)" after an international prefix is the Dutch habit of
 * showing the trunk prefix, as in "+31 (0)20 ...", and is dropped; other
 * parentheses only group digits and must be balanced and not nested.
 */
bool xrm_norm_phone(const char *s, char *out, size_t n)
{
    char d[PHONE_MAX + 2]; /* room for "00" + 15 digits */
    char buf[PHONE_MAX + 1];
    size_t nd = 0, len;
    bool plus = false, open = false;
    const char *num;

    if (!s)
        return false;
    for (const char *p = s; *p; p++) {
        bool intl = plus || (nd >= 2 && d[0] == '0' && d[1] == '0');

        if (*p == '+') {
            if (plus || nd)
                return false;
            plus = true;
        } else if (*p == '(') {
            if (open)
                return false;
            if (intl && nd > (plus ? 0u : 2u) && p[1] == '0' && p[2] == ')')
                p += 2;
            else
                open = true;
        } else if (*p == ')') {
            if (!open)
                return false;
            open = false;
        } else if (is_digit((unsigned char)*p)) {
            if (nd == sizeof(d))
                return false;
            d[nd++] = *p;
        } else if (*p != ' ' && *p != '-' && *p != '.') {
            return false;
        }
    }
    if (open)
        return false;
    buf[0] = '+';
    if (plus) {
        num = d;
        len = nd;
    } else if (nd >= 2 && d[0] == '0' && d[1] == '0') {
        num = d + 2;
        len = nd - 2;
    } else if (nd >= 2 && d[0] == '0') {
        /* Dutch national number: trunk 0 becomes country code 31 */
        if (nd + 1 < PHONE_MIN || nd + 1 > PHONE_MAX)
            return false;
        memcpy(buf + 1, "31", 2);
        memcpy(buf + 3, d + 1, nd - 1);
        return put(out, n, buf, nd + 2);
    } else {
        return false;
    }
    if (len < PHONE_MIN || len > PHONE_MAX || num[0] == '0')
        return false;
    memcpy(buf + 1, num, len);
    return put(out, n, buf, len + 1);
}

/* Reads exactly count digits; stops at the first non-digit, so never passes a NUL. */
static bool parse_digits(const char *s, int count, int *v)
{
    *v = 0;
    for (int i = 0; i < count; i++) {
        if (!is_digit((unsigned char)s[i]))
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Parses the "YYYY-MM-DD" at the start of s as a real day in YEAR_MIN..YEAR_MAX. */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
    if (!parse_digits(s, 4, y) || s[4] != '-' || !parse_digits(s + 5, 2, m) || s[7] != '-' ||
        !parse_digits(s + 8, 2, d))
        return false;
    return *y >= YEAR_MIN && *y <= YEAR_MAX && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= days_in_month(*y, *m);
}

bool xrm_valid_date(const char *s)
{
    int y, m, d;
    return s && parse_date(s, &y, &m, &d) && s[10] == '\0';
}

/* Moves a valid date one day forward (dir = 1) or back (dir = -1). */
static void step_day(int *y, int *m, int *d, int dir)
{
    *d += dir;
    if (*d > days_in_month(*y, *m)) {
        *d = 1;
        if (++*m > 12) {
            *m = 1;
            ++*y;
        }
    } else if (*d < 1) {
        if (--*m < 1) {
            *m = 12;
            --*y;
        }
        *d = days_in_month(*y, *m);
    }
}

static char *put_num(char *p, int v, int width, char sep)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    p[width] = sep;
    return p + width + 1;
}

/*
 * Fractions of a second are dropped (the canonical form has whole seconds).
 * Leap second 60 is refused: nothing downstream represents it. "-00:00"
 * (offset unknown) is taken as UTC. Both the local and the UTC date must lie
 * in YEAR_MIN..YEAR_MAX.
 */
bool xrm_norm_datetime(const char *s, char *out, size_t n)
{
    int y, mo, d, h, mi, sec, off = 0, minutes;
    char buf[20];
    const char *p;
    char *w;

    if (!s || !parse_date(s, &y, &mo, &d))
        return false;
    p = s + 10;
    if (*p != 'T' && *p != 't')
        return false;
    p++;
    if (!parse_digits(p, 2, &h) || p[2] != ':' || !parse_digits(p + 3, 2, &mi) || p[5] != ':' ||
        !parse_digits(p + 6, 2, &sec))
        return false;
    if (h > 23 || mi > 59 || sec > 59)
        return false;
    p += 8;
    if (*p == '.') {
        if (!is_digit((unsigned char)*++p))
            return false;
        while (is_digit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!parse_digits(p + 1, 2, &oh) || p[3] != ':' || !parse_digits(p + 4, 2, &om) ||
            oh > 23 || om > 59)
            return false;
        off = (*p == '+' ? 1 : -1) * (oh * 60 + om);
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;

    minutes = h * 60 + mi - off;
    if (minutes < 0) {
        minutes += MINUTES_PER_DAY;
        step_day(&y, &mo, &d, -1);
    } else if (minutes >= MINUTES_PER_DAY) {
        minutes -= MINUTES_PER_DAY;
        step_day(&y, &mo, &d, 1);
    }
    if (y < YEAR_MIN || y > YEAR_MAX)
        return false;

    w = put_num(buf, y, 4, '-');
    w = put_num(w, mo, 2, '-');
    w = put_num(w, d, 2, 'T');
    w = put_num(w, minutes / 60, 2, ':');
    w = put_num(w, minutes % 60, 2, ':');
    put_num(w, sec, 2, 'Z');
    return put(out, n, buf, sizeof(buf));
}

/* Case-insensitive prefix test; stops at the first mismatch, so at s's NUL. */
static bool has_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (to_lower((unsigned char)*s) != *prefix)
            return false;
    return true;
}

/* Dotted-quad IPv4 with no leading zeros. */
static bool is_ipv4(const char *s, size_t len)
{
    size_t i = 0;

    for (int part = 0; part < 4; part++) {
        size_t start = i;
        int v = 0;

        if (part > 0) {
            if (i >= len || s[i] != '.')
                return false;
            start = ++i;
        }
        while (i < len && is_digit((unsigned char)s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
            return false;
    }
    return i == len;
}

static bool is_ipv6_literal(const char *s, size_t len)
{
    char buf[INET6_ADDRSTRLEN];
    unsigned char addr[16];

    if (len == 0 || len >= sizeof(buf))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_hex((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
            return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return inet_pton(AF_INET6, buf, addr) == 1;
}

/*
 * Authority of len bytes: host, optional ":port" (1..65535). User info is
 * refused: "https://bank.example@evil.example" is a phishing pattern, not
 * something a CRM needs to store. A bare host needs a dot.
 */
static bool check_authority(const char *s, size_t len, bool bare)
{
    size_t host_len = len;
    const char *colon;

    if (len == 0)
        return false;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (bare || !close || !is_ipv6_literal(s + 1, (size_t)(close - s - 1)))
            return false;
        host_len = (size_t)(close - s) + 1;
        if (host_len < len && s[host_len] != ':')
            return false;
    } else {
        bool numeric_tld = false;
        size_t labels;

        colon = memchr(s, ':', len);
        if (colon)
            host_len = (size_t)(colon - s);
        labels = check_hostname(s, host_len, &numeric_tld);
        if (!labels || (bare && labels < 2))
            return false;
        if (numeric_tld && !is_ipv4(s, host_len))
            return false;
    }
    if (host_len < len) {
        size_t digits = len - host_len - 1;
        long port = 0;

        if (digits == 0 || digits > 5)
            return false;
        for (size_t i = host_len + 1; i < len; i++) {
            if (!is_digit((unsigned char)s[i]))
                return false;
            port = port * 10 + (s[i] - '0');
        }
        if (port < 1 || port > 65535)
            return false;
    }
    return true;
}

/*
 * Path, query and fragment: RFC 3986 characters, well-formed %HH escapes, and
 * UTF-8 as in an IRI. Space, controls and the characters RFC 3986 excludes
 * ("<>\^`{|}) are refused. Returns the length, or (size_t)-1 when invalid.
 */
static size_t url_rest_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (p[i]) {
        if (p[i] >= 0x80) {
            size_t k = utf8_seq(p + i);
            if (!k)
                return (size_t)-1;
            i += k;
        } else if (p[i] == '%') {
            if (!is_hex(p[i + 1]) || !is_hex(p[i + 2]))
                return (size_t)-1;
            i += 3;
        } else if (is_alnum(p[i]) || strchr("-._~:/?#[]@!$&'()*+,;=", p[i])) {
            i++;
        } else {
            return (size_t)-1;
        }
    }
    return i;
}

bool xrm_norm_url(const char *s, char *out, size_t n)
{
    const char *scheme = "https://", *host = s;
    size_t scheme_len, host_len, rest_len;
    bool bare = false;

    if (!s)
        return false;
    if (has_prefix_ci(s, "http://")) {
        scheme = "http://";
        host = s + 7;
    } else if (has_prefix_ci(s, "https://")) {
        host = s + 8;
    } else {
        /*
         * Other schemes need no test of their own: in "ftp://x" or
         * "javascript:x" what follows the ':' is not a port, so the authority
         * check refuses them.
         */
        bare = true;
    }
    host_len = strcspn(host, "/?#");
    if (!check_authority(host, host_len, bare))
        return false;
    rest_len = url_rest_len(host + host_len);
    if (rest_len == (size_t)-1)
        return false;

    scheme_len = strlen(scheme);
    if (!out || scheme_len + host_len + rest_len >= n)
        return false;
    memcpy(out, scheme, scheme_len);
    for (size_t i = 0; i < host_len; i++)
        out[scheme_len + i] = to_lower((unsigned char)host[i]);
    memcpy(out + scheme_len + host_len, host + host_len, rest_len);
    out[scheme_len + host_len + rest_len] = '\0';
    return true;
}
