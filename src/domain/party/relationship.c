/*
 * Relationships and relationship types: the rules. Built-in types, the
 * validation of type definitions and relationship input, and the create /
 * read / update / delete flows around relationship-db.c.
 *
 * A relationship is stored in its type's forward direction only; input may
 * name the type by its reverse ("employs" from an organisation to a person
 * is stored as works_at from the person to the organisation). Two links of
 * one type between the same parties may not overlap in time. Every write
 * touches both parties, so their ETags change with their relationships.
 */
#include "domain/party/relationship.h"
#include "domain/base/record.h"
#include "domain/party/relationship-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/party-ref.h"
#include "domain/party/role.h" /* HR, the organisation: the manager of an employee */
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define TYPE_NAME_MAX 40
#define LABEL_MAX 100
#define NOTE_MAX 2000

/* domain: NULL for a common type (any writer may link), else the domain it belongs to. */
struct builtin_type {
    const char *name, *reverse, *en, *nl, *reverse_en, *reverse_nl, *domain;
};

static const struct builtin_type builtins[] = {
    {"works_at", "employs", "works at", "werkt bij", "employs", "heeft in dienst", NULL},
    {"manager_of", "managed_by", "manager of", "leidinggevende van", "managed by",
     "heeft als leidinggevende", "hr"},
    {"subsidiary_of", "parent_of", "subsidiary of", "dochteronderneming van", "parent company of",
     "moederbedrijf van", NULL},
    {"referred_by", "referred", "referred by", "aangebracht door", "referred", "heeft aangebracht",
     NULL},
    {"contact_for", "has_contact", "contact person for", "contactpersoon voor",
     "has contact person", "heeft als contactpersoon", NULL},
    {"stakeholder_of", "has_stakeholder", "stakeholder in", "belanghebbende bij", "has stakeholder",
     "heeft als belanghebbende", NULL},
    {"spouse_of", "spouse_of", "spouse of", "getrouwd met", "spouse of", "getrouwd met", NULL},
    {"supplier_of", "supplied_by", "supplier of", "leverancier van", "supplied by",
     "heeft als leverancier", NULL},
    {"partner_of", "partner_of", "partner of", "partner van", "partner of", "partner van", NULL},
    {"family_of", "family_of", "family of", "familie van", "family of", "familie van", NULL},
};

/* Fields a client may echo back from a GET; ignored on input. */
static const char *const readonly_keys[] = {"id",         "version", "created_at",
                                            "updated_at", "domain",  NULL};

static void fieldname(char *out, size_t n, const char *prefix, const char *key)
{
    snprintf(out, n, "%s%s", prefix ? prefix : "", key);
}

static bool valid_type_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TYPE_NAME_MAX || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

static json_t *builtin_json(const struct builtin_type *b)
{
    return json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s?}", "name", b->name, "reverse",
                     b->reverse, "label", "en", b->en, "nl", b->nl, "reverse_label", "en",
                     b->reverse_en, "nl", b->reverse_nl, "domain", b->domain);
}

static enum xrm_rc seed_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    (void)arg;
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        json_t *t = builtin_json(&builtins[i]);
        enum xrm_rc rc = xrm_rel_db_type_insert(db, t, true, NULL, err);
        json_decref(t);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

enum xrm_rc xrm_relationship_type_seed(struct xrm_store *st, struct xrm_err *err)
{
    return xrm_store_write(st, seed_tx, NULL, err);
}

enum xrm_rc xrm_relationship_type_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_rel_db_type_all(ctx->db, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o}", "items", items);
    return XRM_OK;
}

/* A label object {"en", "nl"}, both required; copied into t under key. */
static void read_label(json_t *in, const char *key, json_t *t, struct xrm_err *err)
{
    char prefix[32];
    const char *en = NULL, *nl = NULL;
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        xrm_err_field(err, XRM_E_INVALID, key, "is required");
        return;
    }
    if (!json_is_object(v)) {
        xrm_err_field(err, XRM_E_MALFORMED, key, "must be an object with \"en\" and \"nl\"");
        return;
    }
    static const char *const keys[] = {"en", "nl", NULL};
    snprintf(prefix, sizeof(prefix), "%s.", key);
    xrm_json_only_keys(v, prefix, keys, err);
    bool ok = xrm_json_get_str(v, prefix, "en", LABEL_MAX, true, &en, err);
    ok = xrm_json_get_str(v, prefix, "nl", LABEL_MAX, true, &nl, err) && ok;
    if (ok)
        json_object_set_new(t, key, json_pack("{s:s, s:s}", "en", en, "nl", nl));
}

/* The type definition as API JSON (without "builtin"), or NULL with field errors. */
static json_t *type_validate(json_t *in, struct xrm_err *err)
{
    static const char *const keys[] = {"name",    "reverse", "label", "reverse_label",
                                       "builtin", "domain",  NULL};
    const char *name = NULL, *reverse = NULL, *domain = NULL;
    int nf = err->nfields;
    json_t *t = json_pack("{s:n, s:n}", "name", "reverse"); /* keys first in the answer */

    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "name", 256, true, &name, err) && !valid_type_name(name))
        xrm_err_field(err, XRM_E_INVALID, "name",
                      "must be 1-40 characters of a-z, 0-9 and _, starting with a letter");
    if (xrm_json_get_str(in, NULL, "reverse", 256, false, &reverse, err) &&
        !valid_type_name(reverse))
        xrm_err_field(err, XRM_E_INVALID, "reverse",
                      "must be 1-40 characters of a-z, 0-9 and _, starting with a letter");
    read_label(in, "label", t, err);
    /* A symmetric type (reverse omitted or equal to name) reads the same both ways. */
    bool symmetric = name && (!reverse || strcmp(reverse, name) == 0);
    json_t *rl = json_object_get(in, "reverse_label");
    if (symmetric && (!rl || json_is_null(rl))) {
        json_t *l = json_object_get(t, "label");
        if (l)
            json_object_set(t, "reverse_label", l);
    } else {
        read_label(in, "reverse_label", t, err);
    }
    if (xrm_json_get_str(in, NULL, "domain", 64, false, &domain, err) && !xrm_domain_valid(domain))
        xrm_err_field(err, XRM_E_INVALID, "domain",
                      "must be one of sales, hr, partners, purchasing, pr (or null: common)");
    json_t *b = json_object_get(in, "builtin");
    if (b && !json_is_false(b) && !json_is_null(b))
        xrm_err_field(err, XRM_E_INVALID, "builtin", "only the built-in types are built in");
    if (err->nfields > nf) {
        json_decref(t);
        return NULL;
    }
    json_object_set_new(t, "name", json_string(name));
    json_object_set_new(t, "reverse", json_string(reverse ? reverse : name));
    xrm_json_set_str(t, "domain", domain);
    return t;
}

struct type_create_arg {
    const struct xrm_user *user;
    json_t *type;
};

static enum xrm_rc type_create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct type_create_arg *a = arg;
    const char *name = json_string_value(json_object_get(a->type, "name"));
    const char *reverse = json_string_value(json_object_get(a->type, "reverse"));
    bool taken = false, inserted = false;

    enum xrm_rc rc = xrm_rel_db_type_taken(db, name, &taken, err);
    if (rc)
        return rc;
    if (taken)
        return xrm_err_field(err, XRM_E_CONFLICT, "name",
                             "relationship type '%s' already exists (as a name or a reverse)",
                             name);
    if (strcmp(reverse, name) != 0) {
        rc = xrm_rel_db_type_taken(db, reverse, &taken, err);
        if (rc)
            return rc;
        if (taken)
            return xrm_err_field(err, XRM_E_CONFLICT, "reverse",
                                 "relationship type '%s' already exists (as a name or a reverse)",
                                 reverse);
    }
    rc = xrm_rel_db_type_insert(db, a->type, false, &inserted, err);
    if (rc)
        return rc;
    if (!inserted)
        return xrm_err_field(err, XRM_E_CONFLICT, "name", "relationship type '%s' already exists",
                             name);
    json_object_set_new(a->type, "builtin", json_false());
    return xrm_audit_add(db, a->user, "create", "relationship_type", 0, NULL, a->type, err);
}

enum xrm_rc xrm_relationship_type_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                         struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    if (!err)
        err = &local;
    if (!ctx->user.admin && ctx->user.id) /* the system (id 0) may too */
        return xrm_errf(err, XRM_E_DENIED, "only administrators may add relationship types");
    struct type_create_arg a = {.user = &ctx->user, .type = type_validate(in, err)};
    if (!a.type)
        return err->rc;
    enum xrm_rc rc = xrm_store_write(ctx->store, type_create_tx, &a, err);
    if (rc) {
        json_decref(a.type);
        return rc;
    }
    *out = a.type;
    return XRM_OK;
}

/*
 * An optional date field into out ("" when absent or null). Returns false
 * (with a field error) when present and not a date.
 */
static bool read_date(json_t *in, const char *prefix, const char *key, char out[11],
                      struct xrm_err *err)
{
    const char *s = NULL;
    char f[96];
    out[0] = '\0';
    int nf = err->nfields;
    if (!xrm_json_get_str(in, prefix, key, 64, false, &s, err))
        return err->nfields == nf;
    if (!xrm_valid_date(s)) {
        fieldname(f, sizeof(f), prefix, key);
        xrm_err_field(err, XRM_E_INVALID, f, "must be a date (YYYY-MM-DD)");
        return false;
    }
    xrm_strlcpy(out, s, 11);
    return true;
}

/*
 * Checks that party id exists; a missing party is the client's mistake
 * (422 naming the field), a database failure is returned as such.
 */
static enum xrm_rc check_party(struct xrm_db *db, int64_t id, const char *prefix, const char *key,
                               struct xrm_err *err)
{
    struct xrm_err e = XRM_ERR_INIT;
    char f[96];
    fieldname(f, sizeof(f), prefix, key);
    enum xrm_rc rc = xrm_party_check(db, id, f, &e);
    if (rc == XRM_E_NOTFOUND) {
        xrm_err_field(err, XRM_E_INVALID, f, "no party %lld", (long long)id);
        return XRM_OK;
    }
    if (rc)
        *err = e;
    return rc;
}

static enum xrm_rc check_overlap(struct xrm_db *db, json_t *rel, bool symmetric, int64_t exclude_id,
                                 struct xrm_err *err)
{
    int64_t found = 0;
    const char *type = json_string_value(json_object_get(rel, "type"));
    enum xrm_rc rc = xrm_rel_db_overlap(db, type, json_integer_value(json_object_get(rel, "from")),
                                        json_integer_value(json_object_get(rel, "to")), symmetric,
                                        json_string_value(json_object_get(rel, "since")),
                                        json_string_value(json_object_get(rel, "until")),
                                        exclude_id, &found, err);
    if (rc)
        return rc;
    if (found)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "relationship %lld already links these parties as '%s' in an "
                        "overlapping period",
                        (long long)found, type);
    return XRM_OK;
}

static bool is_symmetric(json_t *type)
{
    return json_equal(json_object_get(type, "name"), json_object_get(type, "reverse"));
}

/*
 * Writing a link of type t (or the stored link rel, whose "domain" is its
 * type's): a type of a domain needs write access there, and a stored link
 * u may not read answers as a missing one; a common type needs write
 * access to any domain.
 */
static enum xrm_rc check_write(const struct xrm_user *u, const char *domain, json_t *rel,
                               struct xrm_err *err)
{
    if (!domain)
        return xrm_access_write_any(u, NULL, "changing a relationship", err);
    if (rel) {
        enum xrm_rc rc = xrm_access_read(u, domain, "relationship",
                                         json_integer_value(json_object_get(rel, "id")), err);
        if (rc)
            return rc;
    }
    return xrm_access_write(u, domain, err);
}

static const char *domain_of(json_t *o)
{
    return json_string_value(json_object_get(o, "domain"));
}

/* Touches both parties and writes the audit row of one change. */
static enum xrm_rc after_write(struct xrm_db *db, const struct xrm_user *user, const char *action,
                               int64_t id, json_t *before, json_t *after, struct xrm_err *err)
{
    json_t *r = after ? after : before;
    enum xrm_rc rc = xrm_party_touch(db, json_integer_value(json_object_get(r, "from")), err);
    if (!rc)
        rc = xrm_party_touch(db, json_integer_value(json_object_get(r, "to")), err);
    if (!rc)
        rc = xrm_audit_add(db, user, action, "relationship", id, before, after, err);
    return rc;
}

enum xrm_rc xrm_relationship_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                       const char *prefix, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"type", "from", "to", "since", "until", "note", NULL};
    struct xrm_err local = XRM_ERR_INIT;
    const char *type = NULL, *note = NULL;
    int64_t from = 0, to = 0, id = 0;
    char since[11], until[11], f[96], now[XRM_TIME_LEN];
    json_t *t = NULL, *rel = NULL, *after = NULL;
    bool reversed = false;
    enum xrm_rc rc = XRM_OK;

    if (!err)
        err = &local;
    int nf = err->nfields;
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, prefix && *prefix ? prefix : "body",
                             "must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        if (!xrm_str_in(keys, key) && !xrm_str_in(readonly_keys, key)) {
            fieldname(f, sizeof(f), prefix, key);
            xrm_err_field(err, XRM_E_INVALID, f, "unknown field");
        }
    }
    xrm_json_get_str(in, prefix, "type", 256, true, &type, err);
    xrm_json_get_int(in, prefix, "from", 1, INT64_MAX, true, &from, err);
    xrm_json_get_int(in, prefix, "to", 1, INT64_MAX, true, &to, err);
    read_date(in, prefix, "since", since, err);
    read_date(in, prefix, "until", until, err);
    xrm_json_get_str(in, prefix, "note", NOTE_MAX, false, &note, err);
    if (from && to && from == to) {
        fieldname(f, sizeof(f), prefix, "to");
        xrm_err_field(err, XRM_E_INVALID, f, "must be another party than 'from'");
    }
    if (since[0] && until[0] && strcmp(until, since) < 0) {
        fieldname(f, sizeof(f), prefix, "until");
        xrm_err_field(err, XRM_E_INVALID, f, "must not be before 'since'");
    }
    if (type) {
        struct xrm_err e = XRM_ERR_INIT;
        rc = xrm_rel_db_type_find(db, type, &t, &reversed, &e);
        if (rc == XRM_E_NOTFOUND) {
            fieldname(f, sizeof(f), prefix, "type");
            xrm_err_field(err, XRM_E_INVALID, f, "unknown relationship type '%s'", type);
            rc = XRM_OK;
        } else if (rc) {
            *err = e;
            goto out;
        }
    }
    if (t && (rc = check_write(user, domain_of(t), NULL, err)))
        goto out;
    if (from && (rc = check_party(db, from, prefix, "from", err)))
        goto out;
    if (to && to != from && (rc = check_party(db, to, prefix, "to", err)))
        goto out;
    if (err->nfields > nf) {
        rc = err->rc;
        goto out;
    }

    /* Stored in the forward direction of the type. */
    rel = json_object();
    json_object_set(rel, "type", json_object_get(t, "name"));
    json_object_set_new(rel, "from", json_integer(reversed ? to : from));
    json_object_set_new(rel, "to", json_integer(reversed ? from : to));
    xrm_json_set_str(rel, "since", since[0] ? since : NULL);
    xrm_json_set_str(rel, "until", until[0] ? until : NULL);
    xrm_json_set_str(rel, "note", note);
    /* HR, the organisation: an employee's manager is the employee role's manager attribute */
    if (strcmp(json_string_value(json_object_get(rel, "type")), "manager_of") == 0) {
        json_t *roles = NULL, *r;
        size_t i;
        bool employee = false;
        rc = xrm_role_array_for_party(db, json_integer_value(json_object_get(rel, "to")), &roles,
                                      err);
        json_array_foreach(roles, i, r) employee |=
            strcmp(json_string_value(json_object_get(r, "type")), "employee") == 0;
        json_decref(roles);
        if (!rc && employee) {
            fieldname(f, sizeof(f), prefix, "type");
            rc = xrm_err_field(err, XRM_E_INVALID, f,
                               "the manager of an employee is set on the employee role "
                               "(attribute manager), not as a relationship");
        }
        if (rc)
            goto out;
    }
    rc = check_overlap(db, rel, is_symmetric(t), 0, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_rel_db_insert(db, rel, now, &id, err);
    if (!rc)
        rc = xrm_rel_db_load(db, id, &after, err);
    if (!rc)
        rc = after_write(db, user, "create", id, NULL, after, err);
    if (!rc && out) {
        *out = after;
        after = NULL;
    }
out:
    json_decref(t);
    json_decref(rel);
    json_decref(after);
    return rc;
}

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    return xrm_relationship_insert_tx(db, a->user, a->in, NULL, &a->out, err);
}

enum xrm_rc xrm_relationship_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                    struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .in = in};
    return xrm_record_write(ctx, create_tx, &a, out, err);
}

enum xrm_rc xrm_relationship_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *rel = NULL;
    enum xrm_rc rc = xrm_rel_db_load(ctx->db, id, &rel, err);
    if (!rc && domain_of(rel))
        rc = xrm_access_read(&ctx->user, domain_of(rel), "relationship", id, err);
    if (rc) {
        json_decref(rel);
        return rc;
    }
    *out = rel;
    return XRM_OK;
}

/*
 * Overlays patch on the stored relationship `rel` (in place): since, until
 * and note change; type, from and to may only be echoed back unchanged.
 */
static void apply_patch(json_t *rel, json_t *patch, struct xrm_err *err)
{
    static const char *const keys[] = {"since", "until", "note", NULL};
    static const char *const fixed[] = {"type", "from", "to", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v)
    {
        if (xrm_str_in(fixed, key)) {
            if (!json_equal(v, json_object_get(rel, key)))
                xrm_err_field(err, XRM_E_INVALID, key,
                              "cannot be changed; delete the relationship and create another");
        } else if (!xrm_str_in(keys, key) && !xrm_str_in(readonly_keys, key)) {
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
        }
    }
    char date[11];
    for (int i = 0; i < 2; i++) {
        const char *k = keys[i];
        if (json_object_get(patch, k) && read_date(patch, NULL, k, date, err))
            xrm_json_set_str(rel, k, date[0] ? date : NULL);
    }
    if (json_object_get(patch, "note")) {
        const char *note = NULL;
        int nf = err->nfields;
        xrm_json_get_str(patch, NULL, "note", NOTE_MAX, false, &note, err);
        if (err->nfields == nf)
            xrm_json_set_str(rel, "note", note);
    }
    const char *since = json_string_value(json_object_get(rel, "since"));
    const char *until = json_string_value(json_object_get(rel, "until"));
    if (since && until && strcmp(until, since) < 0)
        xrm_err_field(err, XRM_E_INVALID, "until", "must not be before 'since'");
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL, *rel = NULL, *t = NULL;
    bool reversed = false;
    char now[XRM_TIME_LEN];

    enum xrm_rc rc = xrm_rel_db_load(db, a->id, &before, err);
    if (!rc)
        rc = check_write(a->user, domain_of(before), before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (rc)
        goto out;
    rel = json_deep_copy(before);
    apply_patch(rel, a->in, err);
    if (err->rc) {
        rc = err->rc;
        goto out;
    }
    rc = xrm_rel_db_type_find(db, json_string_value(json_object_get(rel, "type")), &t, &reversed,
                              err);
    if (!rc)
        rc = check_overlap(db, rel, is_symmetric(t), a->id, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_rel_db_update(db, rel, now, err);
    if (!rc)
        rc = xrm_rel_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = after_write(db, a->user, "update", a->id, before, a->out, err);
out:
    json_decref(before);
    json_decref(rel);
    json_decref(t);
    return rc;
}

enum xrm_rc xrm_relationship_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                    json_t *patch, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    struct xrm_err local = XRM_ERR_INIT;
    if (!err)
        err = &local;
    return xrm_record_write(ctx, update_tx, &a, out, err);
}

static enum xrm_rc delete_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_rel_db_load(db, a->id, &before, err);
    if (!rc)
        rc = check_write(a->user, domain_of(before), before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_rel_db_delete(db, a->id, err);
    if (!rc)
        rc = after_write(db, a->user, "delete", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

enum xrm_rc xrm_relationship_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                    struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return xrm_store_write(ctx->store, delete_tx, &a, err);
}
