/*
 * Treatment rules: the in-memory cache of compiled rules, the admin flows
 * (create, update, delete, simulate), and the three places rules act: the
 * treatment added to every party on its way out, the constraint check on
 * role writes, and the priority: / badge: search filters.
 *
 * The cache is one immutable snapshot (compiled rules and the role-type
 * catalog they were checked against) shared by reference count. A global
 * generation counter is bumped after every rule or segment write (also a
 * failed one: a snapshot loaded on the writer connection during a write
 * that then rolled back must not survive). A reader compares the
 * generation its snapshot was loaded at with the counter and reloads when
 * they differ; loading happens outside the lock, so readers never wait for
 * a load, and two loads at once are harmless (the newer one stays).
 */
#include "domain/rules/rule.h"
#include "domain/base/record.h"
#include "domain/rules/rule-db.h"
#include "domain/rules/rule-eval.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/batch.h"
#include "domain/party/role.h"
#include "domain/rules/segment.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct snap {
    int refs; /* under lock */
    unsigned long gen;
    struct xrm_crule *rules; /* every rule, enabled or not, by id */
    size_t n;
    json_t *catalog;
    bool constraints; /* some enabled constraint exists */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snap *cache;
static atomic_ulong generation = 1;

void xrm_rule_changed(void)
{
    atomic_fetch_add(&generation, 1);
}

static void snap_free(struct snap *s)
{
    for (size_t i = 0; i < s->n; i++)
        xrm_crule_release(&s->rules[i]);
    free(s->rules);
    json_decref(s->catalog);
    free(s);
}

static void snap_put(struct snap *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&cache_lock);
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&cache_lock);
    if (last)
        snap_free(s);
}

/*
 * Loads and parses the queries of r's segment conditions (a missing segment
 * never matches); a segment whose query uses a sensitive attribute
 * suspends the rule, as such a condition of its own would.
 */
static enum xrm_rc load_segments(struct xrm_db *db, struct xrm_crule *r, json_t *catalog,
                                 struct xrm_err *err)
{
    for (size_t i = 0; i < r->nconds; i++) {
        struct xrm_cond *c = &r->conds[i];
        char *name = NULL, *text = NULL;
        struct xrm_err lerr = XRM_ERR_INIT;
        if (c->kind != XRM_C_SEGMENT)
            continue;
        enum xrm_rc rc = xrm_segment_query(db, c->segment, &name, &text, &lerr);
        if (rc == XRM_E_NOTFOUND)
            continue;
        if (rc) {
            *err = lerr;
            return rc;
        }
        c->has_query = xrm_query_parse(text, &c->query, &lerr) == XRM_OK;
        char what[140];
        const char *code =
            c->has_query ? xrm_rule_query_unfit(&c->query, catalog, what, sizeof(what)) : NULL;
        if (code)
            xrm_crule_suspend(r, code, "when.segment", what);
        free(name);
        free(text);
    }
    return XRM_OK;
}

static enum xrm_rc catalog_load(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    json_t *types = NULL;
    enum xrm_rc rc = xrm_rule_db_role_types(db, &types, err);
    if (rc)
        return rc;
    *out = xrm_rule_catalog(types);
    json_decref(types);
    return XRM_OK;
}

static enum xrm_rc snap_load(struct xrm_db *db, unsigned long gen, struct snap **out,
                             struct xrm_err *err)
{
    struct snap *s = xrm_calloc(1, sizeof(*s));
    json_t *all = NULL;
    size_t i;
    json_t *r;

    s->gen = gen;
    enum xrm_rc rc = catalog_load(db, &s->catalog, err);
    if (!rc)
        rc = xrm_rule_db_all(db, &all, err);
    if (rc)
        goto out;
    s->rules = xrm_calloc(json_array_size(all) + 1, sizeof(*s->rules));
    json_array_foreach(all, i, r)
    {
        struct xrm_crule *c = &s->rules[s->n++];
        xrm_rule_compile(r, s->catalog, c);
        rc = load_segments(db, c, s->catalog, err);
        if (rc)
            goto out;
        s->constraints = s->constraints || (c->constraint && c->enabled);
    }
out:
    json_decref(all);
    if (rc) {
        snap_free(s);
        return rc;
    }
    *out = s;
    return XRM_OK;
}

/* The current snapshot, loaded on db when stale; the caller releases it with snap_put. */
static enum xrm_rc snap_get(struct xrm_db *db, struct snap **out, struct xrm_err *err)
{
    unsigned long gen = atomic_load(&generation);
    struct snap *s = NULL;

    pthread_mutex_lock(&cache_lock);
    if (cache && cache->gen == gen) {
        s = cache;
        s->refs++;
    }
    pthread_mutex_unlock(&cache_lock);
    if (s) {
        *out = s;
        return XRM_OK;
    }
    enum xrm_rc rc = snap_load(db, gen, &s, err);
    if (rc)
        return rc;
    s->refs = 1; /* the caller's */
    struct snap *old = NULL;
    pthread_mutex_lock(&cache_lock);
    if (!cache || cache->gen <= gen) {
        old = cache;
        cache = s;
        s->refs++;
    }
    pthread_mutex_unlock(&cache_lock);
    snap_put(old);
    *out = s;
    return XRM_OK;
}

/* Segment membership for the evaluator: one query per segment condition reached. */
struct seg_arg {
    struct xrm_db *db;
    int depth;
    struct xrm_err *err;
};

static int seg_member(void *arg, const struct xrm_cond *c, json_t *party)
{
    struct seg_arg *a = arg;
    bool member = false;
    if (!c->has_query)
        return 0;
    if (xrm_query_match_party(a->db, &c->query, json_integer_value(json_object_get(party, "id")),
                              a->depth + 1, &member, a->err))
        return -1;
    return member ? 1 : 0;
}

static enum xrm_rc seg_failed(struct xrm_err *err)
{
    return err->rc ? err->rc : xrm_errf(err, XRM_E_INTERNAL, "segment condition failed");
}

/* Reading and deciding. */

enum xrm_rc xrm_rule_treatment(struct xrm_db *db, json_t *p, json_t **out, struct xrm_err *err)
{
    struct snap *s = NULL;
    enum xrm_rc rc = snap_get(db, &s, err);
    if (rc)
        return rc;
    struct seg_arg a = {db, 0, err};
    if (xrm_treatment_of(s->rules, s->n, p, seg_member, &a, out) < 0)
        rc = seg_failed(err);
    snap_put(s);
    return rc;
}

enum xrm_rc xrm_rule_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                   bool full, struct xrm_err *err)
{
    struct snap *s = NULL;
    size_t n = b->n;
    json_t **t = xrm_calloc(n ? n : 1, sizeof(*t));
    (void)full;
    enum xrm_rc rc = n ? snap_get(ctx->db, &s, err) : XRM_OK;
    struct seg_arg a = {ctx->db, 0, err};
    for (size_t i = 0; !rc && i < n; i++)
        if (xrm_treatment_of(s->rules, s->n, json_array_get(items, i), seg_member, &a, &t[i]) < 0)
            rc = seg_failed(err);
    snap_put(s);
    for (size_t i = 0; !rc && i < n; i++) {
        json_object_set_new(json_array_get(items, i), "treatment", t[i]);
        t[i] = NULL;
    }
    for (size_t i = 0; i < n; i++)
        json_decref(t[i]);
    free(t);
    if (rc && !err->rc)
        err->rc = rc;
    return rc;
}

enum xrm_rc xrm_rule_reader_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                 bool full, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    (void)b;
    (void)full;
    if (xrm_access_all(&ctx->user))
        return XRM_OK;
    for (size_t i = 0; !rc && i < json_array_size(items); i++) {
        json_t *p = json_array_get(items, i), *t = NULL;
        if (!xrm_access_drop_hidden_roles(&ctx->user, json_object_get(p, "roles")) ||
            !json_object_get(p, "treatment"))
            continue;
        rc = xrm_rule_treatment(ctx->db, p, &t, err);
        if (!rc)
            json_object_set_new(p, "treatment", t);
    }
    return rc;
}

/* The text of an {"en", "nl"} pair in the reader's language (core/messages.h), else the other. */
static const char *text_in_lang(json_t *pair)
{
    bool nl = xrm_lang_get() == XRM_LANG_NL;
    const char *s = json_string_value(json_object_get(pair, nl ? "nl" : "en"));
    return s ? s : json_string_value(json_object_get(pair, nl ? "en" : "nl"));
}

enum xrm_rc xrm_rule_check_party(struct xrm_db *db, int64_t party_id, struct xrm_err *err)
{
    struct snap *s = NULL;
    json_t *party = NULL, *roles = NULL, *tags = NULL;
    enum xrm_rc rc = snap_get(db, &s, err);
    if (rc)
        return rc;
    if (!s->constraints)
        goto out;
    rc = xrm_role_array_for_party(db, party_id, &roles, err);
    if (!rc)
        rc = xrm_rule_db_party_tags(db, party_id, &tags, err);
    if (rc)
        goto out;
    party = json_pack("{s:I, s:O, s:O}", "id", (json_int_t)party_id, "roles", roles, "tags", tags);
    struct seg_arg a = {db, 0, err};
    long i = xrm_constraint_broken(s->rules, s->n, party, seg_member, &a);
    if (i == -2) {
        rc = seg_failed(err);
    } else if (i >= 0) {
        const struct xrm_crule *r = &s->rules[i];
        const char *msg = text_in_lang(r->message);
        if (msg)
            rc = xrm_errf(err, XRM_E_CONFLICT, "rule '%s' forbids this: %s", r->name, msg);
        else
            rc = xrm_errf(err, XRM_E_CONFLICT, "rule '%s' forbids this combination of roles",
                          r->name);
    }
out:
    json_decref(party);
    json_decref(roles);
    json_decref(tags);
    snap_put(s);
    return rc;
}

/* Filters. */

/* "(cond(r1) OR cond(r2) ...)" over the enabled treatment rules that pick says; "(1 = 0)" if none.
 */
static enum xrm_rc any_rule(struct xrm_db *db, const struct snap *s, int depth,
                            bool (*pick)(const struct xrm_crule *, const void *), const void *arg,
                            struct xrm_sql *out, struct xrm_err *err)
{
    bool first = true;
    xrm_sql_add(out, "(");
    for (size_t i = 0; i < s->n; i++) {
        const struct xrm_crule *r = &s->rules[i];
        if (r->constraint || !r->enabled || !pick(r, arg))
            continue;
        if (!first)
            xrm_sql_add(out, " OR ");
        first = false;
        enum xrm_rc rc = xrm_rule_db_cond_sql(db, r, depth, out, err);
        if (rc)
            return rc;
    }
    xrm_sql_add(out, first ? "1 = 0)" : ")");
    return XRM_OK;
}

static bool prio_above(const struct xrm_crule *r, const void *arg)
{
    return r->prio > *(const enum xrm_prio *)arg;
}

static bool prio_is(const struct xrm_crule *r, const void *arg)
{
    return r->prio == *(const enum xrm_prio *)arg;
}

static bool prio_below(const struct xrm_crule *r, const void *arg)
{
    return r->prio != XRM_PRIO_NONE && r->prio < *(const enum xrm_prio *)arg;
}

static bool has_badge(const struct xrm_crule *r, const void *arg)
{
    size_t i;
    json_t *b;
    json_array_foreach(r->badges, i, b)
    {
        if (xrm_badge_matches(b, arg))
            return true;
    }
    return false;
}

enum xrm_rc xrm_rule_sql_term(struct xrm_db *db, const struct xrm_qterm *t, int depth,
                              struct xrm_sql *out, struct xrm_err *err)
{
    struct snap *s = NULL;
    enum xrm_rc rc = snap_get(db, &s, err);
    if (rc)
        return rc;
    if (t->kind == XRM_QT_BADGE) {
        rc = any_rule(db, s, depth, has_badge, t->value, out, err);
        snap_put(s);
        return rc;
    }
    enum xrm_prio want = xrm_prio_parse(t->value);
    xrm_sql_add(out, "NOT ");
    rc = any_rule(db, s, depth, prio_above, &want, out, err);
    if (!rc) {
        xrm_sql_add(out, " AND (");
        rc = any_rule(db, s, depth, prio_is, &want, out, err);
    }
    if (!rc && want == XRM_PRIO_NORMAL) {
        /* normal is also what a party gets when no rule sets a priority */
        xrm_sql_add(out, " OR NOT ");
        rc = any_rule(db, s, depth, prio_below, &want, out, err);
    }
    xrm_sql_add(out, ")");
    snap_put(s);
    return rc;
}

static bool suppresses(const struct xrm_crule *r, const void *arg)
{
    size_t i;
    json_t *v;
    json_array_foreach(r->suppress, i, v)
    {
        if (!arg || strcmp(json_string_value(v), arg) == 0)
            return true;
    }
    return false;
}

enum xrm_rc xrm_rule_sql_suppressed(struct xrm_db *db, const char *suppression, int depth,
                                    struct xrm_sql *out, struct xrm_err *err)
{
    struct snap *s = NULL;
    enum xrm_rc rc = snap_get(db, &s, err);
    if (rc)
        return rc;
    /* Staff are suppressed whatever the rules say: xrm_staff_active in SQL. */
    xrm_sql_add(out, "(EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ? AND "
                     "r.status IN ('active', 'on_leave')) OR ");
    xrm_sql_str(out, XRM_STAFF_TYPE);
    rc = any_rule(db, s, depth, suppresses, suppression, out, err);
    xrm_sql_add(out, ")");
    snap_put(s);
    return rc;
}

enum xrm_rc xrm_rule_using_segment(struct xrm_db *db, int64_t segment_id, char *name, size_t n,
                                   struct xrm_err *err)
{
    json_t *all = NULL;
    size_t i;
    json_t *r;
    name[0] = '\0';
    enum xrm_rc rc = xrm_rule_db_all(db, &all, err);
    if (rc)
        return rc;
    json_array_foreach(all, i, r)
    {
        int64_t seg, owner;
        xrm_rule_refs(r, &seg, &owner);
        if (seg == segment_id) {
            snprintf(name, n, "%s", json_string_value(json_object_get(r, "name")));
            break;
        }
    }
    json_decref(all);
    return XRM_OK;
}

/* Writes. */

static void rule_out(struct xrm_ctx *ctx, const struct snap *s, json_t *rule);

static enum xrm_rc need_admin(struct xrm_ctx *ctx, struct xrm_err *err)
{
    if (ctx->user.admin || ctx->user.id == 0)
        return XRM_OK;
    return xrm_errf(err, XRM_E_DENIED, "only administrators may change rules");
}

/*
 * The segment and owner a canonical rule names must exist; the segment must
 * not use treatment, nor a sensitive attribute (checked against catalog).
 */
static enum xrm_rc check_refs(struct xrm_db *db, json_t *rule, json_t *catalog, struct xrm_err *err)
{
    int64_t seg, owner;
    enum xrm_rc rc = XRM_OK;
    xrm_rule_refs(rule, &seg, &owner);
    if (seg) {
        char *name = NULL, *text = NULL, what[140];
        const char *code;
        struct xrm_query q = {0};
        struct xrm_err lerr = XRM_ERR_INIT;
        rc = xrm_segment_query(db, seg, &name, &text, &lerr);
        if (rc == XRM_E_NOTFOUND) {
            rc = xrm_err_field(err, XRM_E_INVALID, "when.segment", "no segment %lld",
                               (long long)seg);
        } else if (rc) {
            *err = lerr;
        } else if (xrm_query_parse(text, &q, &lerr) == XRM_OK && xrm_query_uses_treatment(&q)) {
            rc = xrm_err_field(err, XRM_E_INVALID, "when.segment",
                               "segment '%.60s' filters on treatment (priority:, badge:), which "
                               "a rule cannot use",
                               name);
        } else if ((code = xrm_rule_query_unfit(&q, catalog, what, sizeof(what)))) {
            bool attr = strcmp(code, XRM_RULE_SENSITIVE_CODE) == 0;
            rc = xrm_err_field(err, XRM_E_INVALID, "when.segment",
                               "segment '%.60s' filters on the %s '%.60s'; treatment is shown to "
                               "everyone, so a rule cannot use it",
                               name, attr ? "sensitive attribute" : "hidden status", what);
            xrm_err_code(err, code);
        }
        xrm_query_release(&q);
        free(name);
        free(text);
        if (rc)
            return rc;
    }
    if (owner) {
        bool found = false;
        rc = xrm_record_db_user_active(db, owner, &found, err);
        if (!rc && !found)
            rc = xrm_err_field(err, XRM_E_INVALID, "then.owner", "no user %lld", (long long)owner);
    }
    return rc;
}

/* Validates in (over cur when updating) into a canonical rule, with its references checked. */
static enum xrm_rc validate(struct xrm_db *db, json_t *in, json_t *cur, json_t **out,
                            struct xrm_err *err)
{
    json_t *catalog = NULL;
    enum xrm_rc rc = catalog_load(db, &catalog, err);
    if (!rc)
        rc = xrm_rule_normalize(in, cur, catalog, out, err);
    if (!rc) {
        rc = check_refs(db, *out, catalog, err);
        if (rc) {
            json_decref(*out);
            *out = NULL;
        }
    }
    json_decref(catalog);
    return rc;
}

static enum xrm_rc name_free(struct xrm_db *db, json_t *rule, int64_t except, struct xrm_err *err)
{
    int64_t other = 0;
    const char *name = json_string_value(json_object_get(rule, "name"));
    enum xrm_rc rc = xrm_rule_db_name_used(db, name, except, &other, err);
    if (!rc && other)
        rc = xrm_errf(err, XRM_E_CONFLICT, "rule %lld is already named '%s'", (long long)other,
                      name);
    return rc;
}

static enum xrm_rc create_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *rule = NULL;
    int64_t n = 0, id = 0;
    enum xrm_rc rc = validate(db, a->in, NULL, &rule, err);
    if (!rc)
        rc = xrm_rule_db_count(db, &n, err);
    if (!rc && n >= XRM_RULES_MAX)
        rc = xrm_errf(err, XRM_E_INVALID, "there are already %d rules, the most there can be",
                      XRM_RULES_MAX);
    if (!rc)
        rc = name_free(db, rule, 0, err);
    if (!rc)
        rc = xrm_rule_db_insert(db, rule, &id, err);
    if (!rc)
        rc = xrm_rule_db_load(db, id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "rule", id, NULL, a->out, err);
    json_decref(rule);
    return rc;
}

static enum xrm_rc update_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL, *rule = NULL;
    enum xrm_rc rc = xrm_rule_db_load(db, a->id, &before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = validate(db, a->in, before, &rule, err);
    if (!rc)
        rc = name_free(db, rule, a->id, err);
    if (!rc)
        rc = xrm_rule_db_update(db, a->id, rule, err);
    if (!rc)
        rc = xrm_rule_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "rule", a->id, before, a->out, err);
    json_decref(before);
    json_decref(rule);
    return rc;
}

static enum xrm_rc delete_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_rule_db_load(db, a->id, &before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc && json_is_true(json_object_get(before, "builtin")))
        rc = xrm_errf(err, XRM_E_CONFLICT,
                      "rule '%s' is built in and cannot be deleted; set \"enabled\": false to "
                      "switch it off",
                      json_string_value(json_object_get(before, "name")));
    if (!rc)
        rc = xrm_rule_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "rule", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

static enum xrm_rc rule_write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *a,
                              json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = need_admin(ctx, err);
    if (rc)
        return rc;
    rc = xrm_record_write(ctx, fn, a, out, err);
    xrm_rule_changed();
    return rc;
}

/*
 * The written rule answered as reads answer it (with "suspended" and
 * "restricted"); the write has committed, so a failure to load the rules
 * here leaves the answer without them rather than failing the request.
 */
static enum xrm_rc written(struct xrm_ctx *ctx, enum xrm_rc rc, json_t **out)
{
    struct snap *s = NULL;
    struct xrm_err lerr = XRM_ERR_INIT;
    if (rc || !out || !*out || snap_get(ctx->db, &s, &lerr) != XRM_OK)
        return rc;
    rule_out(ctx, s, *out);
    snap_put(s);
    return XRM_OK;
}

enum xrm_rc xrm_rule_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .in = in};
    return written(ctx, rule_write(ctx, create_fn, &a, out, err), out);
}

enum xrm_rc xrm_rule_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                            json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    return written(ctx, rule_write(ctx, update_fn, &a, out, err), out);
}

enum xrm_rc xrm_rule_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                            struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return rule_write(ctx, delete_fn, &a, NULL, err);
}

/* Reading rules: what each reader sees of them. */

static bool domain_readable(struct xrm_ctx *ctx, json_t *catalog, const char *type)
{
    const char *d = json_string_value(json_object_get(json_object_get(catalog, type), "domain"));
    return d && xrm_access_level(&ctx->user, d) >= XRM_LEVEL_READ;
}

/* The role type of an attribute key "type.attr" (into buf), for the domain of its condition. */
static const char *key_type(const char *key, char *buf, size_t n)
{
    const char *dot = strchr(key, '.');
    snprintf(buf, n, "%.*s", dot ? (int)(dot - key) : (int)strlen(key), key);
    return buf;
}

/*
 * Removes from rule's conditions what ctx->user may not read: attribute and
 * status conditions on role types of domains without read access, and a
 * segment the user cannot see. True when anything was removed.
 */
static bool strip_conditions(struct xrm_ctx *ctx, json_t *catalog, json_t *rule)
{
    json_t *when = json_object_get(rule, "when"), *v;
    static const char *const by_type[] = {"attr", "status", NULL};
    const char *key;
    void *tmp;
    bool stripped = false;
    char type[104];

    for (const char *const *k = by_type; *k; k++) {
        json_t *conds = json_object_get(when, *k);
        json_object_foreach_safe(conds, tmp, key, v)
        {
            if (!domain_readable(ctx, catalog, key_type(key, type, sizeof(type)))) {
                json_object_del(conds, key);
                stripped = true;
            }
        }
        if (conds && json_object_size(conds) == 0)
            json_object_del(when, *k);
    }
    json_t *seg = json_object_get(when, "segment");
    if (json_is_integer(seg)) {
        json_t *one = NULL;
        struct xrm_err lerr = XRM_ERR_INIT;
        if (xrm_segment_get(ctx, json_integer_value(seg), &one, &lerr) != XRM_OK) {
            json_object_del(when, "segment");
            stripped = true;
        }
        json_decref(one);
    }
    return stripped;
}

/* "suspended": null, or why the rule never fires (rule-eval.h), as far as ctx->user may know. */
static json_t *suspension(struct xrm_ctx *ctx, const struct snap *s, json_t *rule)
{
    int64_t id = json_integer_value(json_object_get(rule, "id"));
    const struct xrm_crule *c = NULL;
    char type[104];
    for (size_t i = 0; i < s->n && !c; i++)
        if (s->rules[i].id == id && s->rules[i].suspended)
            c = &s->rules[i];
    if (!c)
        return json_null();
    json_t *out = json_pack("{s:s}", "code", c->suspended_code);
    bool attr = strcmp(c->suspended_code, XRM_RULE_SENSITIVE_CODE) == 0;
    const char *kind = attr ? "sensitive attribute" : "status visible only to its domain";
    bool known = xrm_access_all(&ctx->user) ||
                 (strcmp(c->suspended_field, "when.segment") != 0 &&
                  domain_readable(ctx, s->catalog, key_type(c->suspended, type, sizeof(type))));
    char msg[300];
    if (known) {
        snprintf(msg, sizeof(msg),
                 "the condition %s uses the %s '%s', which a rule may not use (treatment is "
                 "shown to everyone); the rule never fires until its conditions change",
                 c->suspended_field, kind, c->suspended);
        json_object_set_new(out, "field", json_string(c->suspended_field));
        json_object_set_new(out, attr ? "attribute" : "status", json_string(c->suspended));
    } else {
        snprintf(msg, sizeof(msg),
                 "a condition uses a %s, which a rule may not use; the rule never fires until "
                 "its conditions change",
                 kind);
    }
    json_object_set_new(out, "message", json_string(msg));
    return out;
}

/* rule (API JSON) as ctx->user sees it: with "suspended" and "restricted" added. */
static void rule_out(struct xrm_ctx *ctx, const struct snap *s, json_t *rule)
{
    bool restricted = !xrm_access_all(&ctx->user) && strip_conditions(ctx, s->catalog, rule);
    json_object_set_new(rule, "suspended", suspension(ctx, s, rule));
    json_object_set_new(rule, "restricted", json_boolean(restricted));
}

enum xrm_rc xrm_rule_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *all = NULL, *r;
    struct snap *s = NULL;
    size_t i;
    enum xrm_rc rc = xrm_rule_db_all(ctx->db, &all, err);
    if (!rc)
        rc = snap_get(ctx->db, &s, err);
    if (rc) {
        json_decref(all);
        return rc;
    }
    json_array_foreach(all, i, r) rule_out(ctx, s, r);
    snap_put(s);
    *out = json_pack("{s:o, s:n}", "items", all, "next");
    return XRM_OK;
}

enum xrm_rc xrm_rule_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct snap *s = NULL;
    json_t *rule = NULL;
    enum xrm_rc rc = xrm_rule_db_load(ctx->db, id, &rule, err);
    if (!rc)
        rc = snap_get(ctx->db, &s, err);
    if (rc) {
        json_decref(rule);
        return rc;
    }
    rule_out(ctx, s, rule);
    snap_put(s);
    *out = rule;
    return XRM_OK;
}

/* Simulation. */

/* {"treatment": .., "broken": [constraint names]} of party under rules[0..n). */
static enum xrm_rc outcome(struct xrm_db *db, const struct xrm_crule *rules, size_t n,
                           json_t *party, json_t **out, struct xrm_err *err)
{
    struct seg_arg a = {db, 0, err};
    json_t *t = NULL, *broken = json_array();
    if (xrm_treatment_of(rules, n, party, seg_member, &a, &t) < 0) {
        json_decref(broken);
        return seg_failed(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (!rules[i].constraint || !rules[i].enabled)
            continue;
        int m = xrm_crule_match(&rules[i], party, seg_member, &a);
        if (m < 0) {
            json_decref(t);
            json_decref(broken);
            return seg_failed(err);
        }
        if (m)
            json_array_append_new(broken, json_string(rules[i].name));
    }
    *out = json_pack("{s:o, s:o}", "treatment", t, "broken", broken);
    return XRM_OK;
}

/* The snapshot's rules with draft in place of the rule of its id (or added last). */
static struct xrm_crule *with_draft(const struct snap *s, const struct xrm_crule *draft, size_t *n)
{
    struct xrm_crule *rules = xrm_calloc(s->n + 1, sizeof(*rules));
    bool placed = false;
    *n = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (draft->id && s->rules[i].id == draft->id) {
            rules[(*n)++] = *draft;
            placed = true;
        } else {
            rules[(*n)++] = s->rules[i];
        }
    }
    if (!placed)
        rules[(*n)++] = *draft;
    return rules;
}

static enum xrm_rc simulate_page(struct xrm_db *db, const struct snap *s,
                                 const struct xrm_crule *after, size_t nafter, json_t *parties,
                                 json_t *items, struct xrm_err *err)
{
    size_t i;
    json_t *p;
    json_array_foreach(parties, i, p)
    {
        json_t *b = NULL, *a = NULL;
        enum xrm_rc rc = outcome(db, s->rules, s->n, p, &b, err);
        if (!rc)
            rc = outcome(db, after, nafter, p, &a, err);
        if (rc) {
            json_decref(b);
            return rc;
        }
        if (!json_equal(a, b))
            json_array_append_new(items,
                                  json_pack("{s:{s:O, s:O}, s:o, s:o}", "party", "id",
                                            json_object_get(p, "id"), "name",
                                            json_object_get(p, "name"), "before", b, "after", a));
        else {
            json_decref(a);
            json_decref(b);
        }
    }
    return XRM_OK;
}

enum xrm_rc xrm_rule_simulate(struct xrm_ctx *ctx, json_t *draft, int limit, const char *cursor,
                              json_t **out, struct xrm_err *err)
{
    struct snap *s = NULL;
    json_t *cur = NULL, *rule = NULL, *parties = NULL, *items = NULL, *key = NULL;
    struct xrm_crule compiled = {0};
    struct xrm_crule *after = NULL;
    size_t nafter = 0;
    int64_t after_id = 0, id = 0;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "simulating a rule", err);

    if (rc)
        return rc;
    if (limit < 1 || limit > XRM_SIMULATE_MAX)
        limit = XRM_SIMULATE_MAX;
    if (cursor) {
        key = xrm_cursor_decode(cursor);
        if (!key || json_array_size(key) != 1 || !json_is_integer(json_array_get(key, 0))) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, "cursor",
                               "not a cursor of this simulation (use 'next' of the previous "
                               "answer)");
            goto out;
        }
        after_id = json_integer_value(json_array_get(key, 0));
    }
    json_t *idv = json_object_get(draft, "id");
    if (idv && !json_is_null(idv)) {
        if (!json_is_integer(idv) || json_integer_value(idv) < 1) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, "id", "must be the id of a rule");
            goto out;
        }
        struct xrm_err lerr = XRM_ERR_INIT;
        id = json_integer_value(idv);
        rc = xrm_rule_db_load(ctx->db, id, &cur, &lerr);
        if (rc == XRM_E_NOTFOUND)
            rc = xrm_err_field(err, XRM_E_INVALID, "id", "no rule %lld", (long long)id);
        else if (rc)
            *err = lerr;
        if (rc)
            goto out;
    }
    rc = validate(ctx->db, draft, cur, &rule, err);
    if (!rc)
        rc = snap_get(ctx->db, &s, err);
    if (rc)
        goto out;
    json_object_set_new(rule, "id", json_integer(id));
    xrm_rule_compile(rule, s->catalog, &compiled);
    if (!id)
        compiled.id = INT64_MAX; /* a new rule comes after every existing one */
    rc = load_segments(ctx->db, &compiled, s->catalog, err);
    if (rc)
        goto out;
    after = with_draft(s, &compiled, &nafter);
    rc = xrm_rule_db_parties(ctx->db, after_id, limit + 1, &parties, err);
    if (rc)
        goto out;
    json_t *next = json_null();
    if (json_array_size(parties) > (size_t)limit) {
        json_array_remove(parties, (size_t)limit);
        json_t *k =
            json_pack("[O]", json_object_get(json_array_get(parties, (size_t)limit - 1), "id"));
        char *c = xrm_cursor_encode(k);
        json_decref(k);
        next = json_string(c);
        free(c);
    }
    items = json_array();
    rc = simulate_page(ctx->db, s, after, nafter, parties, items, err);
    if (rc) {
        json_decref(next);
        goto out;
    }
    json_object_del(rule, "id");
    if (id)
        json_object_set_new(rule, "id", json_integer(id));
    *out = json_pack("{s:O, s:I, s:O, s:o, s:i}", "rule", rule, "scanned",
                     (json_int_t)json_array_size(parties), "items", items, "next", next, "limit",
                     limit);
out:
    free(after);
    xrm_crule_release(&compiled);
    snap_put(s);
    json_decref(key);
    json_decref(cur);
    json_decref(rule);
    json_decref(parties);
    json_decref(items);
    return rc;
}
