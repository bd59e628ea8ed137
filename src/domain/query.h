/*
 * The one-line query language people type into the search box, also used
 * by the API's q parameter and saved segments:
 *
 *     role:customer role:partner -role:employee tag:vip city:Utrecht
 *     kind:person partner.tier:gold status:customer=active "de vries" jan
 *
 * The parser turns the text into a list of terms; it knows nothing of SQL.
 * Dutch family-name prefixes (van, der, de, ...) are dropped from free words
 * and phrases unless nothing else remains.
 */
#ifndef XRM_DOMAIN_QUERY_H
#define XRM_DOMAIN_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define XRM_QUERY_MAX_LEN 1000 /* bytes of query text */
#define XRM_QUERY_MAX_TERMS 32
#define XRM_QUERY_MAX_TERM 200 /* bytes of one value */

enum xrm_qterm_kind {
    XRM_QT_WORD,     /* free word: full-text prefix match; value lower-cased */
    XRM_QT_PHRASE,   /* "quoted words": value lower-cased, inner words space-separated */
    XRM_QT_ROLE,     /* role:customer (value lower-cased) */
    XRM_QT_TAG,      /* tag:vip (value lower-cased) */
    XRM_QT_CITY,     /* city:Utrecht (value lower-cased) */
    XRM_QT_KIND,     /* kind:person | kind:organization (also org, organisation) */
    XRM_QT_ATTR,     /* type.attribute:value, key "partner.tier", value as typed */
    XRM_QT_PRIORITY, /* priority:high (low|normal|high|top) */
    XRM_QT_IDLE,     /* idle:90d; days in qterm.days (d, w = 7d, m = 30d, y = 365d) */
    XRM_QT_STATUS,   /* status:customer=active: key "customer", value "active" */
};

struct xrm_qterm {
    enum xrm_qterm_kind kind;
    bool negated;   /* leading '-' */
    char *key;      /* XRM_QT_ATTR and XRM_QT_STATUS only, else NULL */
    char *value;    /* never NULL */
    long days;      /* XRM_QT_IDLE only */
};

struct xrm_query {
    size_t n;
    struct xrm_qterm *terms; /* owned */
};

/*
 * Parses text (NUL-terminated UTF-8) into q, which the caller releases with
 * xrm_query_release (also after an error). An empty or all-blank text gives
 * zero terms. Errors (XRM_E_INVALID, field "q", message names the term):
 * text over XRM_QUERY_MAX_LEN, more than XRM_QUERY_MAX_TERMS terms, a value
 * over XRM_QUERY_MAX_TERM, an unknown "name:" prefix, an empty value
 * ("role:"), a bad kind/priority/idle value, an unterminated quote,
 * identifiers (role, tag, attribute names) outside [a-z0-9_-].
 */
enum xrm_rc xrm_query_parse(const char *text, struct xrm_query *q, struct xrm_err *err);

void xrm_query_release(struct xrm_query *q);

/* True when word (lower case) is a Dutch family-name prefix such as "van". */
bool xrm_query_is_name_prefix(const char *word);

#endif
