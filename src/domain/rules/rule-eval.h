/*
 * Treatment rules without a database: validation of a rule as typed, its
 * compiled form, and its evaluation on a party. rule.c adds storage, the
 * in-memory cache and the HTTP-facing flows; rule-db.c the SQL.
 *
 * A rule (canonical JSON, as stored and answered):
 *
 *   {"name": "Strategic partner customer", "kind": "treatment" | "constraint",
 *    "description": "..." | null, "enabled": true,
 *    "when": {"all_roles": ["partner", "customer"],     every type held
 *             "any_roles": [...],                       at least one held
 *             "none_roles": [...],                      none held
 *             "status": {"customer": ["active"]},       a role of the type in a status
 *             "attr": {"partner.tier": {"in": ["gold", "strategic"]}},
 *             "tags": ["vip"], "none_tags": [...],      all of / none of the tags
 *             "segment": 3},                            member of saved segment 3
 *    "then": {"priority": "high", "badges": [{"en": .., "nl": ..}],
 *             "suppress": ["no_sales_outreach"], "sla_hours": 4,
 *             "notes": [{"en": .., "nl": ..}], "owner": 2}}
 *
 * A constraint's "then" holds only an optional "message" ({"en", "nl"}); a
 * party matching its "when" breaks it. All conditions must hold (AND); an
 * empty "when" matches every party (treatment rules only).
 *
 * "Holding" a role means having a role of that type whose status is not one
 * of the type's ended statuses (a former customer does not hold the
 * customer role), nor applicant or rejected: those roles are visible only
 * to readers of their domain, and treatment is shown to everyone (an
 * applicant who is a customer gets no "Staff" badge). Attribute conditions look at held roles only;
 * "status" looks at every role, ended or not. Attribute operators: eq, in, gt, lt (numbers compare
 * as numbers, dates as dates) and exists (true / false).
 *
 * Texts (badges, notes, messages) are kept in English and Dutch; a plain
 * string on input is used for both.
 *
 * Combination (xrm_treatment_of): the highest priority wins (normal when no
 * rule sets one), badges, suppressions and notes add up, the strictest
 * (smallest) sla_hours wins, the owner comes from the highest-priority rule
 * that names one (the lowest id on a tie), and "because" lists the names of
 * the rules that fired, in rule order (by id).
 *
 * Staff: a party with an employee role in status active or on_leave always
 * gets no_marketing and no_sales_outreach, whatever the rules say (also
 * when every rule is disabled), and "because" then ends with
 * XRM_STAFF_BECAUSE. This is not a rule in the table, so it cannot be
 * edited or switched off.
 *
 * Treatment is shown to everyone, so a condition may not use a sensitive
 * attribute (one marked "sensitive" in its role type's schema, such as
 * employee.salary): normalize refuses it (422, field "when.attr.<key>",
 * code XRM_RULE_SENSITIVE_CODE). A stored rule that uses one anyway (made
 * before this check, or through a segment whose query changed later) is
 * compiled as suspended: it never fires and never blocks a write, and the
 * rules API says so ("suspended"), so the rule is kept for an admin to fix.
 * The same holds for a status condition on applicant or rejected (code
 * XRM_RULE_HIDDEN_STATUS_CODE): those roles are visible only to readers of
 * their domain.
 */
#ifndef XRM_DOMAIN_RULE_EVAL_H
#define XRM_DOMAIN_RULE_EVAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/base/query.h"

#define XRM_RULE_NAME_MAX 100
#define XRM_RULE_SENSITIVE_CODE "sensitive_attribute"
#define XRM_RULE_HIDDEN_STATUS_CODE "hidden_status"
#define XRM_STAFF_TYPE "employee"
#define XRM_STAFF_BECAUSE "Active employee"

enum xrm_prio {
    XRM_PRIO_NONE = 0, /* the rule does not set a priority */
    XRM_PRIO_LOW,
    XRM_PRIO_NORMAL,
    XRM_PRIO_HIGH,
    XRM_PRIO_TOP,
};

/* "low" ... "top"; XRM_PRIO_NONE gives NULL. */
const char *xrm_prio_name(enum xrm_prio p);
/* XRM_PRIO_NONE when s is not a priority name. */
enum xrm_prio xrm_prio_parse(const char *s);

enum xrm_cond_kind {
    XRM_C_ALL_ROLES,
    XRM_C_ANY_ROLES,
    XRM_C_NONE_ROLES,
    XRM_C_STATUS,
    XRM_C_ATTR,
    XRM_C_TAGS,
    XRM_C_NONE_TAGS,
    XRM_C_SEGMENT,
};

enum xrm_attr_op { XRM_AOP_EQ, XRM_AOP_IN, XRM_AOP_GT, XRM_AOP_LT, XRM_AOP_EXISTS };

/* One condition; the strings and JSON are owned by the condition. */
struct xrm_cond {
    enum xrm_cond_kind kind;
    json_t *names;       /* ROLES: types; STATUS: statuses; TAGS: tags (array of strings) */
    json_t *ended;       /* ROLES: per type its ended statuses ({type: [..]}), for SQL */
    char *type;          /* STATUS, ATTR: the role type */
    char *attr;          /* ATTR: the attribute name */
    char *key;           /* ATTR: "type.attr", as in role_attrs */
    enum xrm_attr_op op; /* ATTR */
    json_t *operand;     /* ATTR: a value (EQ, GT, LT), an array (IN), a boolean (EXISTS) */
    bool numeric;        /* ATTR: integer, number, user or party attribute */
    int64_t segment;     /* SEGMENT: the segment id */
    bool has_query;      /* SEGMENT: query below was loaded and parsed */
    struct xrm_query query;
};

struct xrm_crule {
    int64_t id;
    char *name;
    bool constraint;
    bool enabled;
    struct xrm_cond *conds;
    size_t nconds;
    enum xrm_prio prio;
    json_t *badges;    /* [{en, nl}] */
    json_t *suppress;  /* [names] */
    int64_t sla_hours; /* 0: not set */
    int64_t owner;     /* 0: not set */
    json_t *notes;     /* [{en, nl}] */
    json_t *message;   /* constraint: {en, nl} or NULL */
    /* Why the rule never fires, or NULL (see the head of this file): a code
     * (XRM_RULE_SENSITIVE_CODE, XRM_RULE_HIDDEN_STATUS_CODE), what the conditions
     * use ("employee.salary", "employee.applicant": type, dot, attribute or
     * status) and the condition's field ("when.attr.employee.salary",
     * "when.status.employee", "when.segment"); enabled is then false whatever
     * is stored. */
    const char *suspended_code;
    char *suspended;
    char *suspended_field;
};

/*
 * The role-type catalog rules are checked against: built from the role
 * types' API JSON (an array, as GET /role-types gives), as
 * {name: {"statuses": [..], "ended": [..], "attributes": {attr: definition},
 * "domain": "hr"}} ("domain" only when the input has one).
 * New reference.
 */
json_t *xrm_rule_catalog(json_t *role_types);

/*
 * Checks rule input `in` (create: cur NULL; update: cur is the stored
 * canonical rule and absent fields keep its values) against catalog and
 * gives the canonical rule (name, kind, description, enabled, when, then)
 * as a new reference. Read-only fields (id, builtin, version, created_at,
 * updated_at) are ignored. Errors: XRM_E_MALFORMED / XRM_E_INVALID with
 * field errors such as "when.all_roles[1]" or "when.attr.partner.tier".
 * What needs the database (segment and owner existence) is checked by the
 * caller: see xrm_rule_refs.
 */
enum xrm_rc xrm_rule_normalize(json_t *in, json_t *cur, json_t *catalog, json_t **out,
                               struct xrm_err *err);

/* The segment id (or 0) and owner user id (or 0) a canonical rule refers to. */
void xrm_rule_refs(json_t *rule, int64_t *segment, int64_t *owner);

/*
 * Compiles a canonical rule (with "id"; trusted: normalize has checked it)
 * against catalog into out, which the caller releases with
 * xrm_crule_release. Segment conditions come without their query
 * (has_query false); the loader fills it in.
 */
void xrm_rule_compile(json_t *rule, json_t *catalog, struct xrm_crule *out);
void xrm_crule_release(struct xrm_crule *r);

/* Marks r suspended with code (a static string) for what the condition at field uses. */
void xrm_crule_suspend(struct xrm_crule *r, const char *code, const char *field, const char *what);

/* True for the statuses visible only to readers of their domain: applicant, rejected. */
bool xrm_status_hidden(const char *status);

/*
 * Whether query q (a segment's, for a rule condition) uses what a rule may
 * not: an attribute term on a sensitive attribute of catalog or a status
 * term on a hidden status. The code (XRM_RULE_SENSITIVE_CODE or
 * XRM_RULE_HIDDEN_STATUS_CODE) of the first such term, with what
 * ("employee.salary", "employee.applicant") in what[0..n); NULL when none.
 */
const char *xrm_rule_query_unfit(const struct xrm_query *q, json_t *catalog, char *what, size_t n);

/* True when party (API JSON with "roles") holds an employee role in status active or on_leave. */
bool xrm_staff_active(json_t *party);

/*
 * Segment membership, answered by the caller (a database query): 1 member,
 * 0 not, -1 error (the callback keeps the error).
 */
typedef int (*xrm_segment_fn)(void *arg, const struct xrm_cond *c, json_t *party);

/*
 * Whether party (API JSON with "roles" and "tags") matches rule r's
 * conditions: 1 yes, 0 no, -1 the segment callback failed. fn may be NULL
 * when no rule has a segment condition (a segment condition then fails).
 */
int xrm_crule_match(const struct xrm_crule *r, json_t *party, xrm_segment_fn fn, void *arg);

/*
 * The treatment of party under the enabled treatment rules among rules[0..n)
 * as a new reference: {"priority", "badges", "suppress", "sla_hours",
 * "notes", "owner", "because"}. Returns 0, or -1 when the callback failed.
 */
int xrm_treatment_of(const struct xrm_crule *rules, size_t n, json_t *party, xrm_segment_fn fn,
                     void *arg, json_t **out);

/*
 * The first enabled constraint among rules[0..n) that party breaks: its
 * index, -1 when none, -2 when the callback failed.
 */
long xrm_constraint_broken(const struct xrm_crule *rules, size_t n, json_t *party,
                           xrm_segment_fn fn, void *arg);

/* True when text (folded as xrm_query_fold does) equals the en or nl text of a badge. */
bool xrm_badge_matches(json_t *badge, const char *folded);

#endif
