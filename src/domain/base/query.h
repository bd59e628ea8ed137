/*
 * The one-line query language people type into the search box, also used
 * by the API's q parameter and saved segments:
 *
 *     role:customer role:partner -role:employee tag:vip city:Utrecht
 *     kind:person partner.tier:gold status:customer=active "de vries" jan
 *     customer.status:active supplier.rating>=4 priority:high
 *     badge:"Strategic partner" has:email may:email health:at_risk idle:90d
 *     deal:open case:open agreement:expiring revenue>=10000000
 *
 * Dutch users type the same in Dutch: rol:klant -rol:medewerker label:vip
 * plaats:Utrecht soort:organisatie prioriteit:hoog heeft:telefoon mag:bellen
 * gezondheid:risico stil:1j deal:gewonnen zaak:gesloten overeenkomst:actief
 * omzet>=10000000 (filter names and values in both languages, the same
 * terms; a role type is also found by its Dutch or English label, in
 * query-db.c).
 *
 * The parser turns the text into a list of terms; it knows nothing of SQL
 * (domain/base/query-db.c turns terms into SQL). Dutch family-name prefixes
 * (van, der, de, ...) are dropped from free words and phrases unless
 * nothing else remains.
 *
 * Errors name field "q" and end with "at position N", N counting characters
 * (not bytes) from 1 at the start of the offending term. Syntax errors (an
 * unterminated quote, an unknown "name:" prefix, an empty value, bad
 * characters in a name, a comparison of something that is neither an
 * attribute nor revenue) are XRM_E_MALFORMED (400); a well-formed term with
 * a value outside its set (kind:robot, priority:urgent, idle:5x, health:ok,
 * deal:closed, revenue>1.5, a comparison with a value that is neither a
 * number nor a date) and the caps are XRM_E_INVALID (422).
 *
 * The record terms (deal:, case:, agreement:, revenue) read sales records:
 * a reader without read access to sales may not use them (domain/base/query-db.h,
 * xrm_query_check_access, asks xrm_query_term_domain).
 */
#ifndef XRM_DOMAIN_QUERY_H
#define XRM_DOMAIN_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define XRM_QUERY_MAX_LEN 1000 /* bytes of query text */
#define XRM_QUERY_MAX_TERMS 32
#define XRM_QUERY_MAX_TERM 200 /* bytes of one value */
#define XRM_AMOUNT_MAX                                                                             \
    1000000000000000LL /* cents: ten trillion euro (any amount, revenue terms)                     \
                        */

enum xrm_qterm_kind {
    XRM_QT_WORD,      /* free word: full-text prefix match; value lower-cased */
    XRM_QT_PHRASE,    /* "quoted words": value lower-cased, inner words space-separated */
    XRM_QT_ROLE,      /* role:customer (value lower-cased) */
    XRM_QT_TAG,       /* tag:vip (value lower-cased) */
    XRM_QT_CITY,      /* city:Utrecht (value lower-cased) */
    XRM_QT_KIND,      /* kind:person | kind:organization (also org, organisation) */
    XRM_QT_ATTR,      /* type.attribute:value, key "partner.tier", value as typed */
    XRM_QT_PRIORITY,  /* priority:high (low|normal|high|top) */
    XRM_QT_IDLE,      /* idle:90d; days in qterm.days (d, w = 7d, m = 30d, y = 365d) */
    XRM_QT_STATUS,    /* status:customer=active or customer.status:active: key "customer",
                         value "active" (folded to lower case) */
    XRM_QT_BADGE,     /* badge:"Strategic partner": value folded to lower case */
    XRM_QT_HAS,       /* has:email | phone | address | website */
    XRM_QT_MAY,       /* may:email | call (contactability) */
    XRM_QT_HEALTH,    /* health:good | watch | at_risk (customer health) */
    XRM_QT_DEAL,      /* deal:open | won | lost: the party has a deal of that status */
    XRM_QT_CASE,      /* case:open (new, open, waiting) | closed (resolved, closed) |
                         breached (open and past its SLA): a sales case */
    XRM_QT_AGREEMENT, /* agreement:active | expiring (active, ending within
                         XRM_RECORDS_EXPIRING_DAYS): a sales agreement */
    /* PR: neighbours by postcode */
    XRM_QT_POSTCODE, /* postcode:3511-3514 or postcode:3511: 4-digit Dutch postcode areas of the
                        party's addresses (with a house number); value "3511-3514" */
    XRM_QT_REVENUE,  /* revenue>100000: lifetime revenue (won EUR deals) compared with
                        value, whole cents as records.lifetime_revenue shows it; any op,
                        "revenue:5" and "revenue=5" are EQ; value canonical digits;
                        keep last: it sizes the term table of query-db.c */
};

/* How an ATTR or REVENUE term compares: partner.tier:gold is EQ, supplier.rating>=4 GE. */
enum xrm_qop {
    XRM_QOP_EQ = 0,
    XRM_QOP_GT,
    XRM_QOP_GE,
    XRM_QOP_LT,
    XRM_QOP_LE,
};

struct xrm_qterm {
    enum xrm_qterm_kind kind;
    bool negated;    /* leading '-' */
    char *key;       /* XRM_QT_ATTR and XRM_QT_STATUS only, else NULL */
    char *value;     /* never NULL */
    long days;       /* XRM_QT_IDLE only */
    enum xrm_qop op; /* XRM_QT_ATTR: other than EQ the value is a number or a date;
                        XRM_QT_REVENUE: any; else EQ */
    int pos;         /* character position of the term in the text, from 1 (for messages) */
};

struct xrm_user;

struct xrm_query {
    size_t n;
    struct xrm_qterm *terms; /* owned */
    /* Whose reading rights derived terms (health:, idle:, role:) follow; borrowed; NULL (as
       parsed) for the system, which reads everything. Set by xrm_query_check_access. */
    const struct xrm_user *viewer;
};

/*
 * Parses text (NUL-terminated UTF-8) into q, which the caller releases with
 * xrm_query_release (also after an error). An empty or all-blank text gives
 * zero terms. Errors (field "q", message names the term and its position):
 * XRM_E_MALFORMED for syntax (an unknown "name:" prefix, an empty value
 * ("role:"), an unterminated quote, identifiers (role, tag, attribute names)
 * outside [a-z0-9_-], a comparison of a named filter but revenue);
 * XRM_E_INVALID for values and caps (text over XRM_QUERY_MAX_LEN, more than
 * XRM_QUERY_MAX_TERMS terms, a value over XRM_QUERY_MAX_TERM, a bad
 * kind/priority/idle/has/may/health/deal/case/agreement value, a comparison
 * value that is not a number or a date, a revenue that is not a whole number
 * of cents).
 */
enum xrm_rc xrm_query_parse(const char *text, struct xrm_query *q, struct xrm_err *err);

void xrm_query_release(struct xrm_query *q);

/*
 * Folds s in place to the lower case the parser gives values: ASCII, Latin-1
 * and Latin Extended-A letters; runs of white space become one blank and the
 * ends are trimmed. Used to compare badge texts with badge: terms.
 */
void xrm_query_fold(char *s);

/* True when word (lower case) is a Dutch family-name prefix such as "van". */
bool xrm_query_is_name_prefix(const char *word);

/*
 * The domain whose records term t reads: "sales" for deal:, case:,
 * agreement: and revenue terms, NULL for the others (terms on the party
 * itself; role attribute terms are checked by access.c on their own).
 */
const char *xrm_query_term_domain(const struct xrm_qterm *t);

#endif
