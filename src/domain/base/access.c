/*
 * Per-domain access decisions and the filters that apply them where data
 * leaves the domain layer (see access.h for the rules).
 *
 * Which attributes are sensitive is read from the role type's schema at the
 * moment of filtering, so a type an admin defines is covered the moment it
 * exists. Filtering only costs that lookup for users with read or write (not
 * full) access to a role's domain; users with full access everywhere skip
 * the filters altogether.
 */
#include "domain/base/access.h"
#include "domain/base/sql.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/messages.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const char *const level_names[] = {"none", "read", "write", "full"};

/*
 * Records whose JSON has no "domain" but belong to one all the same: audit
 * entities, and keys of what other modules embed in a party (deal lists and
 * revenue figures are sales data).
 */
static const struct {
    const char *name;
    const char *domain;
} implied[] = {
    {"deal", "sales"},
    {"deals", "sales"},
    {"lifetime_revenue", "sales"},
    {"revenue_by_currency", "sales"},
    /* quotes and invoices: their audit entries and export lists */
    {"quote", "sales"},
    {"quotes", "sales"},
    {"invoice", "sales"},
    {"invoices", "sales"},
    {"invoice_payment", "sales"},
};

#define EMBED_DEPTH 4 /* how deep the party filter looks into embedded objects */

const char *xrm_level_name(enum xrm_level l)
{
    return (unsigned)l <= XRM_LEVEL_FULL ? level_names[l] : "none";
}

bool xrm_level_parse(const char *s, enum xrm_level *out)
{
    for (int i = 0; i <= XRM_LEVEL_FULL; i++) {
        if (s && strcmp(s, level_names[i]) == 0) {
            *out = (enum xrm_level)i;
            return true;
        }
    }
    return false;
}

int xrm_domain_index(const char *domain)
{
    for (int i = 0; domain && xrm_domains[i]; i++)
        if (strcmp(xrm_domains[i], domain) == 0)
            return i;
    return -1;
}

static bool is_system(const struct xrm_user *u)
{
    return !u || u->admin || u->id == 0;
}

enum xrm_level xrm_access_level(const struct xrm_user *u, const char *domain)
{
    if (is_system(u))
        return XRM_LEVEL_FULL;
    int i = xrm_domain_index(domain);
    if (i < 0 || u->level[i] > XRM_LEVEL_FULL)
        return XRM_LEVEL_NONE;
    return (enum xrm_level)u->level[i];
}

bool xrm_access_all(const struct xrm_user *u)
{
    if (is_system(u))
        return true;
    for (int i = 0; i < XRM_NDOMAINS; i++)
        if (u->level[i] != XRM_LEVEL_FULL)
            return false;
    return true;
}

bool xrm_access_writer(const struct xrm_user *u)
{
    for (int i = 0; i < XRM_NDOMAINS; i++)
        if (xrm_access_level(u, xrm_domains[i]) >= XRM_LEVEL_WRITE)
            return true;
    return false;
}

void xrm_access_readable(const struct xrm_user *u, const char *out[XRM_NDOMAINS])
{
    for (int i = 0; i < XRM_NDOMAINS; i++)
        out[i] = xrm_access_level(u, xrm_domains[i]) >= XRM_LEVEL_READ ? xrm_domains[i] : NULL;
}

_Static_assert(XRM_NDOMAINS == 5, "XRM_ACCESS_MATCH has one parameter per domain");

int xrm_access_bind(struct xrm_stmt *s, int first, const struct xrm_user *u)
{
    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(u, dom);
    for (int i = 0; i < XRM_NDOMAINS; i++)
        xrm_stmt_bind_text(s, first++, dom[i]);
    return first;
}

bool xrm_access_reads_all(const struct xrm_user *u)
{
    for (int i = 0; i < XRM_NDOMAINS; i++)
        if (xrm_access_level(u, xrm_domains[i]) < XRM_LEVEL_READ)
            return false;
    return true;
}

/* Statuses of a recruitment (XRM_ACCESS_NOT_RECRUITMENT says the same in SQL). */
static const char *const recruitment[] = {"applicant", "rejected", NULL};

bool xrm_access_role_hidden(const struct xrm_user *u, json_t *role)
{
    const char *status = json_string_value(json_object_get(role, "status"));
    if (!status)
        return false;
    for (const char *const *s = recruitment; *s; s++)
        if (strcmp(status, *s) == 0)
            return xrm_access_level(u, json_string_value(json_object_get(role, "domain"))) <
                   XRM_LEVEL_READ;
    return false;
}

/* Removes the roles hidden from u from the array roles; true when it removed any. */
static bool drop_hidden(const struct xrm_user *u, json_t *roles)
{
    bool dropped = false;
    for (size_t i = json_array_size(roles); i-- > 0;) {
        if (xrm_access_role_hidden(u, json_array_get(roles, i))) {
            json_array_remove(roles, i);
            dropped = true;
        }
    }
    return dropped;
}

void xrm_sql_readable(struct xrm_sql *q, const struct xrm_user *u)
{
    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(u, dom);
    for (int i = 0; i < XRM_NDOMAINS; i++)
        xrm_sql_str(q, dom[i]);
}

/* Press releases and letters under embargo: who sees them before the time. */
int xrm_access_embargo_now(const struct xrm_user *u, char now[21])
{
    xrm_clock_now(now);
    return xrm_access_level(u, "pr") >= XRM_LEVEL_WRITE ? 1 : 0;
}

bool xrm_access_embargoed(const struct xrm_user *u, json_t *act)
{
    char now[21];
    const char *embargo = json_string_value(json_object_get(act, "embargo"));
    if (!embargo || xrm_access_embargo_now(u, now))
        return false;
    return strcmp(embargo, now) > 0;
}

json_t *xrm_access_json(const struct xrm_user *u)
{
    json_t *o = json_object();
    for (int i = 0; i < XRM_NDOMAINS; i++)
        json_object_set_new(o, xrm_domains[i],
                            json_string(xrm_level_name(xrm_access_level(u, xrm_domains[i]))));
    return o;
}

enum xrm_rc xrm_access_read(const struct xrm_user *u, const char *domain, const char *what,
                            int64_t id, struct xrm_err *err)
{
    if (xrm_access_level(u, domain) >= XRM_LEVEL_READ)
        return XRM_OK;
    return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", what, (long long)id);
}

enum xrm_rc xrm_access_write(const struct xrm_user *u, const char *domain, struct xrm_err *err)
{
    if (xrm_access_level(u, domain) >= XRM_LEVEL_WRITE)
        return XRM_OK;
    return xrm_errf(err, XRM_E_DENIED, "no write access to domain '%s'",
                    domain && xrm_domain_index(domain) >= 0 ? domain : "?");
}

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

enum xrm_rc xrm_access_activity_out(const struct xrm_user *u, json_t **act, struct xrm_err *err)
{
    int64_t id = json_integer_value(json_object_get(*act, "id"));
    enum xrm_rc rc = xrm_access_read(u, str_of(*act, "domain"), "activity", id, err);
    if (rc) {
        json_decref(*act);
        *act = NULL;
    }
    return rc;
}

enum xrm_rc xrm_access_activity_write(const struct xrm_user *u, json_t *old, json_t *new,
                                      struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (old) {
        rc = xrm_access_read(u, str_of(old, "domain"), "activity",
                             json_integer_value(json_object_get(old, "id")), err);
        if (!rc)
            rc = xrm_access_write(u, str_of(old, "domain"), err);
    }
    if (!rc && new)
        rc = xrm_access_write(u, str_of(new, "domain"), err);
    return rc;
}

/* The attribute definitions of role type `name` (new reference), or NULL. */
static json_t *type_attrs(struct xrm_db *db, const char *name, char *domain, size_t domain_len)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *attrs = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT domain, attributes FROM role_types WHERE name = ?", &err);
    if (!s)
        return NULL;
    xrm_stmt_bind_text(s, 1, name);
    if (xrm_stmt_step(s, &err) == 1) {
        if (domain)
            snprintf(domain, domain_len, "%s", xrm_stmt_text(s, 0) ? xrm_stmt_text(s, 0) : "");
        attrs = xrm_json_load_stored(xrm_stmt_text(s, 1), true);
    }
    xrm_stmt_done(s);
    return attrs;
}

static json_t *find_def(json_t *defs, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d)
    {
        if (json_is_string(json_object_get(d, "name")) && strcmp(str_of(d, "name"), name) == 0)
            return d;
    }
    return NULL;
}

static bool def_sensitive(json_t *defs, const char *name)
{
    json_t *d = find_def(defs, name);
    return !d || json_is_true(json_object_get(d, "sensitive")); /* unknown: fail closed */
}

enum xrm_rc xrm_access_role_write(const struct xrm_user *u, const char *domain, json_t *type,
                                  json_t *in, const char *prefix, struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_access_write(u, domain, err);
    if (rc || !type || !in || xrm_access_level(u, domain) >= XRM_LEVEL_FULL)
        return rc;
    if (!err)
        err = &local;
    json_t *defs = json_object_get(type, "attributes");
    json_t *attrs = json_object_get(in, "attributes");
    char f[128];
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_null(attrs)) {
        /* null clears every attribute, the sensitive ones too */
        json_array_foreach(defs, i, v)
        {
            if (!json_is_true(json_object_get(v, "sensitive")))
                continue;
            snprintf(f, sizeof(f), "%sattributes.%s", prefix ? prefix : "", str_of(v, "name"));
            xrm_err_field(err, XRM_E_DENIED, f, "changing '%s' needs full access to domain '%s'",
                          str_of(v, "name"), domain);
        }
        return err->rc ? err->rc : XRM_OK;
    }
    if (!json_is_object(attrs))
        return XRM_OK; /* a wrong type is the validator's to report */
    json_object_foreach(attrs, key, v)
    {
        json_t *d = find_def(defs, key);
        if (!d || !json_is_true(json_object_get(d, "sensitive")))
            continue;
        snprintf(f, sizeof(f), "%sattributes.%s", prefix ? prefix : "", key);
        xrm_err_field(err, XRM_E_DENIED, f, "changing '%s' needs full access to domain '%s'", key,
                      domain);
    }
    return err->rc == XRM_E_DENIED ? XRM_E_DENIED : XRM_OK;
}

/*
 * The attribute definitions of the role types a page of parties needs,
 * read with one statement on first use (types: {name: attributes}); NULL
 * types with loaded set means that read failed, and every attribute is
 * then treated as sensitive.
 */
struct type_defs {
    struct xrm_db *db;
    bool loaded;
    json_t *types;
};

static void type_defs_load(struct type_defs *t)
{
    struct xrm_err err = XRM_ERR_INIT;
    t->loaded = true;
    struct xrm_stmt *s =
        xrm_db_prepare(t->db, "SELECT name, attributes FROM role_types ORDER BY id", &err);
    if (!s)
        return;
    json_t *types = json_object();
    int r;
    while ((r = xrm_stmt_step(s, &err)) == 1) {
        const char *name = xrm_stmt_text(s, 0);
        if (name && !json_object_get(types, name)) /* as type_attrs: the first of a name */
            json_object_set_new(types, name, xrm_json_load_stored(xrm_stmt_text(s, 1), true));
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(types);
        return;
    }
    t->types = types;
}

/* The attribute definitions of role type name (new reference), or NULL. */
static json_t *defs_of(struct type_defs *t, const char *name)
{
    if (!t->loaded)
        type_defs_load(t);
    return json_incref(json_object_get(t->types, name));
}

static void filter_role(struct xrm_ctx *ctx, json_t *role, struct type_defs *types)
{
    if (!json_is_object(role) || xrm_access_all(&ctx->user))
        return;
    enum xrm_level l = xrm_access_level(&ctx->user, str_of(role, "domain"));
    json_t *attrs = json_object_get(role, "attributes");
    if (l < XRM_LEVEL_READ) {
        json_object_set_new(role, "attributes", json_object());
        json_object_set_new(role, "restricted", json_true());
        return;
    }
    if (l >= XRM_LEVEL_FULL || !json_is_object(attrs) || json_object_size(attrs) == 0)
        return;
    const char *type = str_of(role, "type") ? str_of(role, "type") : "";
    json_t *defs = types ? defs_of(types, type) : type_attrs(ctx->db, type, NULL, 0);
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(attrs, tmp, key, v)
    {
        if (!defs || def_sensitive(defs, key))
            json_object_del(attrs, key);
    }
    json_decref(defs);
}

void xrm_access_filter_role(struct xrm_ctx *ctx, json_t *role)
{
    filter_role(ctx, role, NULL);
}

void xrm_access_filter_roles(struct xrm_ctx *ctx, json_t *roles)
{
    size_t i;
    json_t *r;
    if (xrm_access_all(&ctx->user))
        return;
    drop_hidden(&ctx->user, roles);
    json_array_foreach(roles, i, r)
    {
        filter_role(ctx, r, NULL);
    }
}

static const char *implied_domain(const char *name)
{
    for (size_t i = 0; i < sizeof(implied) / sizeof(implied[0]); i++)
        if (strcmp(implied[i].name, name) == 0)
            return implied[i].domain;
    return NULL;
}

static void filter_tree(const struct xrm_user *u, json_t *v, int depth);

/* Drops the items of list (records with a "domain", or of implied domain) u may not read. */
static void filter_records(const struct xrm_user *u, json_t *list, const char *implied_dom,
                           int depth)
{
    for (size_t i = json_array_size(list); i-- > 0;) {
        json_t *it = json_array_get(list, i);
        const char *d = json_is_object(it) ? str_of(it, "domain") : NULL;
        if (!d)
            d = implied_dom;
        if (d && xrm_access_level(u, d) < XRM_LEVEL_READ)
            json_array_remove(list, i);
        else
            filter_tree(u, it, depth + 1);
    }
}

/* What other modules embed in a party: keys of domains u may not read go, lists are filtered. */
static void filter_tree(const struct xrm_user *u, json_t *v, int depth)
{
    const char *key;
    json_t *child;
    void *tmp;
    if (!json_is_object(v) || depth > EMBED_DEPTH)
        return;
    json_object_foreach_safe(v, tmp, key, child)
    {
        const char *d = implied_domain(key);
        if (d && xrm_access_level(u, d) < XRM_LEVEL_READ)
            json_object_del(v, key);
        else if (json_is_array(child))
            filter_records(u, child, d, depth);
        else
            filter_tree(u, child, depth + 1);
    }
}

bool xrm_access_drop_hidden_roles(const struct xrm_user *u, json_t *roles)
{
    return drop_hidden(u, roles);
}

void xrm_access_party_out_page(struct xrm_ctx *ctx, json_t *items)
{
    size_t i, j;
    json_t *p, *r;
    if (xrm_access_all(&ctx->user))
        return;
    struct type_defs types = {ctx->db, false, NULL};
    json_array_foreach(items, i, p)
    {
        json_t *roles = json_incref(json_object_get(p, "roles"));
        json_object_del(p, "roles");
        filter_tree(&ctx->user, p, 0);
        if (roles) {
            json_array_foreach(roles, j, r)
            {
                filter_role(ctx, r, &types);
            }
            json_object_set_new(p, "roles", roles);
        }
    }
    json_decref(types.types);
}

bool xrm_access_attr_refused(struct xrm_ctx *ctx, const char *key)
{
    char type[48], domain[32] = "";
    const char *dot = strchr(key, '.');
    if (!dot || (size_t)(dot - key) >= sizeof(type))
        return false;
    memcpy(type, key, (size_t)(dot - key));
    type[dot - key] = '\0';
    json_t *defs = type_attrs(ctx->db, type, domain, sizeof(domain));
    if (!defs)
        return false; /* no such type: the term matches nothing */
    enum xrm_level l = xrm_access_level(&ctx->user, domain);
    bool refused = l < XRM_LEVEL_READ || (l < XRM_LEVEL_FULL && def_sensitive(defs, dot + 1));
    json_decref(defs);
    return refused;
}

bool xrm_access_segment_owner(const struct xrm_user *u, json_t *seg)
{
    json_t *owner = json_object_get(seg, "owner");
    return is_system(u) || (json_is_integer(owner) && json_integer_value(owner) == u->id);
}

bool xrm_access_segment_visible(const struct xrm_user *u, json_t *seg)
{
    return !json_is_false(json_object_get(seg, "shared")) || xrm_access_segment_owner(u, seg);
}

bool xrm_access_filter_audit(struct xrm_ctx *ctx, json_t *entry)
{
    const char *entity = str_of(entry, "entity");
    if (entity && strcmp(entity, "segment") == 0 &&
        (!xrm_access_segment_visible(&ctx->user, json_object_get(entry, "before")) ||
         !xrm_access_segment_visible(&ctx->user, json_object_get(entry, "after"))))
        return false;
    if (xrm_access_all(&ctx->user))
        return true;
    bool is_role = entity && strcmp(entity, "role") == 0;
    const char *dom = entity ? implied_domain(entity) : NULL;
    if (dom && xrm_access_level(&ctx->user, dom) < XRM_LEVEL_READ)
        return false;
    static const char *const sides[] = {"before", "after"};
    for (int i = 0; i < 2; i++) {
        json_t *o = json_object_get(entry, sides[i]);
        const char *d = json_is_object(o) ? str_of(o, "domain") : NULL;
        if (is_role && xrm_access_role_hidden(&ctx->user, o))
            return false;
        if (is_role)
            xrm_access_filter_role(ctx, o);
        else if (d && xrm_access_level(&ctx->user, d) < XRM_LEVEL_READ)
            return false;
    }
    return true;
}

enum xrm_rc xrm_access_admin(const struct xrm_user *u, const char *what, struct xrm_err *err)
{
    if (is_system(u))
        return XRM_OK;
    return xrm_errf(err, XRM_E_DENIED, "%s needs an administrator", xrm_msg(what));
}

enum xrm_rc xrm_access_write_any(const struct xrm_user *u, const char *const *domains,
                                 const char *what, struct xrm_err *err)
{
    const char *const *list = domains ? domains : xrm_domains;
    for (size_t i = 0; list[i]; i++)
        if (xrm_access_level(u, list[i]) >= XRM_LEVEL_WRITE)
            return XRM_OK;
    if (!domains)
        return xrm_errf(err, XRM_E_DENIED, "%s needs write access to a domain", xrm_msg(what));
    char names[96] = "";
    size_t used = 0;
    for (size_t i = 0; list[i]; i++) {
        int n = snprintf(names + used, sizeof(names) - used, "%s'%s'", i ? " or " : "", list[i]);
        if (n < 0 || (size_t)n >= sizeof(names) - used)
            break;
        used += (size_t)n;
    }
    return xrm_errf(err, XRM_E_DENIED, "%s needs write access to domain %s", xrm_msg(what), names);
}

enum xrm_rc xrm_access_party_create(const struct xrm_user *u, struct xrm_err *err)
{
    return xrm_access_write_any(u, NULL, "creating a party", err);
}

/* Whether u may change the base data of a party with these roles. */
static bool party_changeable(const struct xrm_user *u, json_t *roles)
{
    size_t i;
    json_t *r;
    if (json_array_size(roles) == 0)
        return xrm_access_writer(u);
    json_array_foreach(roles, i, r)
    {
        if (xrm_access_level(u, str_of(r, "domain")) >= XRM_LEVEL_WRITE)
            return true;
    }
    return false;
}

/* The first domain of an active role u may not write, or NULL when there is none. */
static const char *archive_blocker(const struct xrm_user *u, json_t *roles)
{
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        if (json_is_false(json_object_get(r, "active")))
            continue;
        const char *d = str_of(r, "domain");
        if (xrm_access_level(u, d) < XRM_LEVEL_WRITE)
            return d ? d : "?";
    }
    return NULL;
}

enum xrm_rc xrm_access_party_change(const struct xrm_user *u, json_t *roles, struct xrm_err *err)
{
    if (party_changeable(u, roles))
        return XRM_OK;
    if (json_array_size(roles) == 0)
        return xrm_access_write_any(u, NULL, "changing a party", err);
    return xrm_errf(err, XRM_E_DENIED,
                    "changing this party needs write access to a domain where it holds a role");
}

enum xrm_rc xrm_access_party_archive(const struct xrm_user *u, json_t *roles, struct xrm_err *err)
{
    const char *d = archive_blocker(u, roles);
    if (!d && !party_changeable(u, roles)) /* no active role, and none u may write */
        return json_array_size(roles) == 0
                   ? xrm_access_write_any(u, NULL, "archiving a party", err)
                   : xrm_errf(err, XRM_E_DENIED,
                              "archiving this party needs write access to a domain where it "
                              "holds a role");
    if (!d)
        return XRM_OK;
    return xrm_errf(err, XRM_E_DENIED,
                    "archiving this party needs write access to domain '%s', where it holds an "
                    "active role",
                    xrm_domain_index(d) >= 0 ? d : "?");
}

void xrm_access_party_can(const struct xrm_user *u, json_t *party, json_t *roles)
{
    bool update = party_changeable(u, roles);
    bool archive = update && !archive_blocker(u, roles);
    json_object_set_new(party, "can",
                        json_pack("{s:b, s:b}", "update", update, "archive", archive));
}
