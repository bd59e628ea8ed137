/*
 * Messages in the reader's language (messages.h): the thread's language,
 * Accept-Language, and the dictionary lookup.
 */
#include "core/messages.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static __thread enum xrm_lang cur_lang; /* XRM_LANG_EN: zero */

static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

enum xrm_lang xrm_lang_get(void)
{
    return cur_lang;
}

void xrm_lang_set(enum xrm_lang lang)
{
    cur_lang = lang == XRM_LANG_NL ? XRM_LANG_NL : XRM_LANG_EN;
}

const char *xrm_lang_tag(enum xrm_lang lang)
{
    return lang == XRM_LANG_NL ? "nl" : "en";
}

static bool lang_is(const char *tag, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && strncasecmp(tag, prefix, p) == 0 && (n == p || tag[p] == '-');
}

/* The q-value of one "; q=0.5" parameter list; 1 when it has none, -1 when bad. */
static int qvalue(const char *s, size_t n)
{
    /* in thousandths, so "0.001" and "1.000" compare as integers */
    const char *end = s + n;
    while (s < end) {
        while (s < end && (*s == ';' || *s == ' ' || *s == '\t'))
            s++;
        if (end - s >= 2 && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
            s += 2;
            int q = 0, scale = 1000;
            if (s < end && (*s == '0' || *s == '1'))
                q = (*s++ - '0') * 1000;
            else
                return -1;
            if (s < end && *s == '.') {
                s++;
                for (int i = 0; i < 3 && s < end && *s >= '0' && *s <= '9'; i++, s++)
                    q += (*s - '0') * (scale /= 10);
            }
            return q > 1000 ? 1000 : q;
        }
        while (s < end && *s != ';')
            s++;
    }
    return 1000;
}

enum xrm_lang xrm_lang_accept(const char *header)
{
    enum xrm_lang best = XRM_LANG_EN;
    int best_q = 0;
    const char *p = header;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        const char *tag = p;
        while (n && (*tag == ' ' || *tag == '\t'))
            tag++, n--;
        size_t tn = strcspn(tag, ";, \t");
        if (tn > n)
            tn = n;
        int q = qvalue(tag + tn, n - tn);
        enum xrm_lang lang;
        bool known = true;
        if (lang_is(tag, tn, "nl"))
            lang = XRM_LANG_NL;
        else if (lang_is(tag, tn, "en"))
            lang = XRM_LANG_EN;
        else
            known = false;
        if (known && q > best_q) {
            best = lang;
            best_q = q;
        }
        p = tag + n;
        if (*p == ',')
            p++;
    }
    return best;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct xrm_msg_entry *)a)->en, ((const struct xrm_msg_entry *)b)->en);
}

static void sort_tables(void)
{
    qsort(xrm_msg_nl, xrm_msg_nl_count, sizeof(xrm_msg_nl[0]), entry_cmp);
    qsort(xrm_msg_nl_fields, xrm_msg_nl_fields_count, sizeof(xrm_msg_nl_fields[0]), entry_cmp);
}

static const char *lookup(const struct xrm_msg_entry *t, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, t[mid].en);
        if (c == 0)
            return t[mid].tr;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *xrm_msg_in(enum xrm_lang lang, const char *en)
{
    if (lang != XRM_LANG_NL || !en)
        return en;
    pthread_once(&sorted_once, sort_tables);
    const char *tr = lookup(xrm_msg_nl, xrm_msg_nl_count, en);
    return tr ? tr : en;
}

const char *xrm_msg(const char *en)
{
    return xrm_msg_in(cur_lang, en);
}

const char *xrm_msg_field(enum xrm_lang lang, const char *field)
{
    if (lang != XRM_LANG_NL || !field)
        return NULL;
    pthread_once(&sorted_once, sort_tables);
    const char *tr = lookup(xrm_msg_nl_fields, xrm_msg_nl_fields_count, field);
    if (tr)
        return tr;
    /*
     * "addresses[0].postcode", "emails[1]": the last name, without its
     * index; a last name with no reader's name of its own ("value" of
     * "emails[0].value") goes by the name before it ("emails")
     */
    const char *end = field + strlen(field);
    while (end > field) {
        const char *last = end;
        while (last > field && last[-1] != '.')
            last--;
        size_t n = strcspn(last, "[");
        if (n > (size_t)(end - last))
            n = (size_t)(end - last);
        char name[64];
        if (n && n < sizeof(name) && !(last == field && end == field + strlen(field) && !last[n])) {
            snprintf(name, sizeof(name), "%.*s", (int)n, last);
            tr = lookup(xrm_msg_nl_fields, xrm_msg_nl_fields_count, name);
            if (tr)
                return tr;
        }
        end = last > field ? last - 1 : field;
    }
    return NULL;
}
