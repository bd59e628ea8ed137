/*
 * Merging parties: the field choice (pure, xrm_merge_fields), the checks
 * and the flow around merge-db.c, and the undo.
 *
 * A preview runs the very merge it shows inside the write transaction and
 * then rolls it back, so the preview cannot differ from what a merge would
 * do, and it is refused for the same reasons. The survivor's fields go
 * through the party module's update flow (normalisation, index rows,
 * search text) with its audit held back: a merge writes one audit entry of
 * its own on the survivor and on each merged party.
 */
#include "domain/merge/merge.h"
#include "domain/merge/merge-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/srm/supplier.h" /* suppliers: the rating after a merge */
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* ---- The field choice ---- */

/* external_id: the party's id in another system, once parties carry one. */
static const char *const scalar_fields[] = {
    "given_name", "family_prefix", "family_name", "legal_name",  "trade_name", "kvk",
    "vat",        "iban",          "owner",       "external_id", NULL};
static const char *const person_name[] = {"given_name", "family_prefix", "family_name", NULL};
static const char *const list_fields[] = {"emails",    "phones", "websites",
                                          "addresses", "tags",   NULL};

static bool is_person(json_t *p)
{
    const char *k = json_string_value(json_object_get(p, "kind"));
    return k && strcmp(k, "person") == 0;
}

/* A field's value on party p ("custom.KEY" reads a custom field); borrowed, NULL when absent. */
static json_t *value_of(json_t *p, const char *field)
{
    if (strncmp(field, "custom.", 7) == 0)
        return json_object_get(json_object_get(p, "custom"), field + 7);
    return json_object_get(p, field);
}

static bool empty(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

/*
 * The key two list items are the same by: lower-case e-mail and website,
 * the digits of a phone, a tag itself, an address without its label.
 */
static char *item_key(const char *field, json_t *item)
{
    if (json_is_string(item))
        return xrm_strdup(json_string_value(item));
    if (strcmp(field, "addresses") == 0) {
        static const char *const parts[] = {"street", "house_number", "postcode",
                                            "city",   "country",      NULL};
        struct xrm_buf b = XRM_BUF_INIT;
        for (const char *const *k = parts; *k; k++) {
            const char *v = json_string_value(json_object_get(item, *k));
            xrm_buf_adds(&b, v ? v : "");
            xrm_buf_addc(&b, '|');
        }
        char *k = xrm_buf_detach(&b, NULL);
        xrm_ascii_lower(k);
        return k;
    }
    const char *v = json_string_value(json_object_get(item, "value"));
    char *k = xrm_strdup(v ? v : "");
    if (strcmp(field, "phones") == 0) {
        size_t n = 0;
        for (const char *c = v ? v : ""; *c; c++)
            if (isdigit((unsigned char)*c))
                k[n++] = *c;
        k[n] = '\0';
    } else {
        xrm_ascii_lower(k);
    }
    return k;
}

static bool has_item(const char *field, json_t *list, json_t *item)
{
    char *key = item_key(field, item);
    bool found = false;
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        char *k = item_key(field, it);
        found = strcmp(k, key) == 0;
        free(k);
        if (found)
            break;
    }
    free(key);
    return found;
}

static json_t *party_at(json_t *survivor, json_t *merged, json_int_t id)
{
    if (json_integer_value(json_object_get(survivor, "id")) == id)
        return survivor;
    size_t i;
    json_t *p;
    json_array_foreach(merged, i, p)
    {
        if (json_integer_value(json_object_get(p, "id")) == id)
            return p;
    }
    return NULL;
}

static void set_value(json_t *patch, json_t *survivor, const char *field, json_t *v)
{
    if (strncmp(field, "custom.", 7) == 0) {
        json_t *custom = json_object_get(patch, "custom");
        if (!custom) {
            custom = json_deep_copy(json_object_get(survivor, "custom"));
            if (!json_is_object(custom)) {
                json_decref(custom);
                custom = json_object();
            }
            json_object_set_new(patch, "custom", custom);
        }
        if (empty(v))
            json_object_del(custom, field + 7);
        else
            json_object_set(custom, field + 7, v);
        return;
    }
    json_object_set(patch, field, v ? v : json_null());
}

/* One scalar field: its value, where it came from, the others' values, a conflict. */
static void choose_scalar(const char *field, json_t *survivor, json_t *merged, json_t *picked,
                          json_t *patch, json_t *fields, json_t *conflicts)
{
    json_t *all = json_pack("[O]", survivor);
    json_array_extend(all, merged);
    json_t *value = NULL, *from = NULL;
    if (picked) {
        from = picked;
        value = value_of(picked, field);
    } else {
        size_t i;
        json_t *p;
        json_array_foreach(all, i, p)
        {
            if (!empty(value_of(p, field))) {
                from = p;
                value = value_of(p, field);
                break;
            }
        }
    }
    json_t *alts = json_array();
    json_t *distinct = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p)
    {
        json_t *v = value_of(p, field);
        if (empty(v))
            continue;
        bool seen = false;
        size_t k;
        json_t *d;
        json_array_foreach(distinct, k, d) seen = seen || json_equal(d, v);
        if (!seen)
            json_array_append(distinct, v);
        if (p != from && !(value && json_equal(v, value)))
            json_array_append_new(
                alts, json_pack("{s:O, s:O}", "value", v, "party", json_object_get(p, "id")));
    }
    if (json_array_size(distinct) > 1)
        json_array_append_new(conflicts, json_string(field));
    if (!empty(value) || json_array_size(alts))
        json_array_append_new(fields, json_pack("{s:s, s:O, s:O, s:o}", "field", field, "value",
                                                value ? value : json_null(), "from",
                                                from ? json_object_get(from, "id") : json_null(),
                                                "alternatives", alts));
    else
        json_decref(alts);
    json_t *cur = value_of(survivor, field);
    bool same = (empty(cur) && empty(value)) || (cur && value && json_equal(cur, value));
    if (!same)
        set_value(patch, survivor, field, value);
    json_decref(distinct);
    json_decref(all);
}

static void unite_list(const char *field, json_t *survivor, json_t *merged, json_t *patch,
                       json_t *fields, int *added)
{
    json_t *own = json_object_get(survivor, field);
    json_t *list = json_is_array(own) ? json_deep_copy(own) : json_array();
    json_t *alts = json_array();
    size_t n0 = json_array_size(list), i, k;
    json_t *p, *it;
    json_array_foreach(merged, i, p)
    {
        json_t *theirs = json_object_get(p, field);
        if (json_array_size(theirs))
            json_array_append_new(
                alts, json_pack("{s:O, s:O}", "value", theirs, "party", json_object_get(p, "id")));
        json_array_foreach(theirs, k, it)
        {
            if (!has_item(field, list, it))
                json_array_append(list, it);
        }
    }
    if (added)
        *added = (int)(json_array_size(list) - n0);
    if (json_array_size(list) > n0)
        json_object_set(patch, field, list);
    if (json_array_size(list) || json_array_size(alts))
        json_array_append_new(fields, json_pack("{s:s, s:O, s:O, s:o}", "field", field, "value",
                                                list, "from", json_object_get(survivor, "id"),
                                                "alternatives", alts));
    else
        json_decref(alts);
    json_decref(list);
}

/* The scalar fields of this merge: the fixed ones, an organization's name, every custom key. */
static json_t *scalar_names(json_t *survivor, json_t *merged)
{
    json_t *names = json_array();
    if (!is_person(survivor))
        json_array_append_new(names, json_string("name"));
    for (const char *const *f = scalar_fields; *f; f++)
        json_array_append_new(names, json_string(*f));
    json_t *keys = json_object();
    json_t *all = json_pack("[O]", survivor);
    json_array_extend(all, merged);
    size_t i;
    json_t *p;
    json_array_foreach(all, i, p)
    {
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(p, "custom"), k, v)
        {
            if (json_object_get(keys, k))
                continue;
            json_object_set_new(keys, k, json_true());
            char name[160];
            snprintf(name, sizeof(name), "custom.%s", k);
            json_array_append_new(names, json_string(name));
        }
    }
    json_decref(keys);
    json_decref(all);
    return names;
}

enum xrm_rc xrm_merge_fields(json_t *survivor, json_t *merged, json_t *choose, json_t **patch,
                             json_t **fields, json_t **conflicts, int *tags_added,
                             struct xrm_err *err)
{
    json_t *names = scalar_names(survivor, merged);
    json_t *picks = json_object(); /* field -> the chosen party's id */
    struct xrm_err local = XRM_ERR_INIT;
    enum xrm_rc rc = XRM_OK;

    if (!err)
        err = &local;
    if (choose && !json_is_null(choose) && !json_is_object(choose)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "choose",
                           "must be an object of field names and party ids");
        goto out;
    }
    const char *key;
    json_t *v;
    json_object_foreach(choose, key, v)
    {
        char field[160];
        snprintf(field, sizeof(field), "choose.%s", key);
        bool known = (strcmp(key, "name") == 0 && is_person(survivor));
        size_t i;
        json_t *n;
        json_array_foreach(names, i, n) known = known || strcmp(json_string_value(n), key) == 0;
        if (!known) {
            xrm_err_field(err, XRM_E_INVALID, field,
                          xrm_str_in(list_fields, key)
                              ? "list fields are united, not chosen"
                              : "no field '%s' to choose (a name field, kvk, vat, iban, owner "
                                "or custom.KEY)",
                          key);
            continue;
        }
        if (!json_is_integer(v) || !party_at(survivor, merged, json_integer_value(v))) {
            xrm_err_field(err, XRM_E_INVALID, field, "must be the id of a party in this merge");
            continue;
        }
        json_object_set(picks, key, v);
    }
    rc = err->rc;
    if (rc)
        goto out;

    *patch = json_object();
    *fields = json_array();
    *conflicts = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        const char *f = json_string_value(n);
        json_t *pick = json_object_get(picks, f);
        if (!pick && is_person(survivor) && xrm_str_in(person_name, f))
            pick = json_object_get(picks, "name"); /* the three parts go together */
        choose_scalar(f, survivor, merged,
                      pick ? party_at(survivor, merged, json_integer_value(pick)) : NULL, *patch,
                      *fields, *conflicts);
    }
    for (const char *const *f = list_fields; *f; f++)
        unite_list(*f, survivor, merged, *patch, *fields,
                   strcmp(*f, "tags") == 0 ? tags_added : NULL);
out:
    json_decref(names);
    json_decref(picks);
    return rc;
}

/* ---- Merging ---- */

struct merge_arg {
    struct xrm_ctx *ctx;
    int64_t survivor;
    json_t *in;
    bool preview;
    json_t *out; /* preview: the whole answer; else {"id", "moves", "undo_until"} */
};

/* Checked "from": an array of 1..XRM_MERGE_FROM_MAX distinct party ids other than survivor. */
static json_t *from_ids(json_t *in, int64_t survivor, struct xrm_err *err)
{
    json_t *from = json_object_get(in, "from");
    if (!json_is_array(from)) {
        xrm_err_field(err, XRM_E_INVALID, "from", "must be an array of party ids");
        return NULL;
    }
    if (json_array_size(from) == 0)
        xrm_err_field(err, XRM_E_INVALID, "from", "must name at least one party");
    if (json_array_size(from) > XRM_MERGE_FROM_MAX)
        xrm_err_field(err, XRM_E_INVALID, "from", "may name at most %d parties",
                      XRM_MERGE_FROM_MAX);
    size_t i, k;
    json_t *v, *w;
    json_array_foreach(from, i, v)
    {
        char field[32];
        snprintf(field, sizeof(field), "from[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            xrm_err_field(err, XRM_E_INVALID, field, "must be a party id");
            continue;
        }
        if (json_integer_value(v) == survivor)
            xrm_err_field(err, XRM_E_INVALID, field, "is the surviving party itself");
        json_array_foreach(from, k, w)
        {
            if (k >= i)
                break;
            if (json_is_integer(w) && json_integer_value(w) == json_integer_value(v)) {
                xrm_err_field(err, XRM_E_INVALID, field, "names party %lld twice",
                              (long long)json_integer_value(v));
                break;
            }
        }
    }
    return err->rc ? NULL : from;
}

static enum xrm_rc check_keys(json_t *in, struct xrm_err *err)
{
    static const char *const keys[] = {"from", "preview", "choose", NULL};
    if (!json_is_object(in))
        return xrm_errf(err, XRM_E_MALFORMED, "the body must be a JSON object");
    xrm_json_only_keys(in, NULL, keys, err);
    bool preview = false;
    xrm_json_get_bool(in, NULL, "preview", false, &preview, err);
    return err->rc;
}

/* A party of the merge as it is: loaded, not archived, not erased, of the survivor's kind. */
static enum xrm_rc load_party(struct xrm_db *db, int64_t id, const char *field, const char *kind,
                              json_t **out, struct xrm_err *err)
{
    json_t *p = NULL;
    bool erased = false;
    enum xrm_rc rc = xrm_party_load(db, id, &p, err);
    if (!rc)
        rc = xrm_merge_db_erased(db, id, &erased, err);
    if (rc)
        goto out;
    if (json_is_true(json_object_get(p, "archived")))
        rc = xrm_err_field(err, XRM_E_INVALID, field, "party %lld is archived", (long long)id);
    else if (erased)
        rc = xrm_err_field(err, XRM_E_INVALID, field, "party %lld was erased", (long long)id);
    else if (kind && strcmp(kind, json_string_value(json_object_get(p, "kind"))) != 0)
        rc =
            xrm_err_field(err, XRM_E_INVALID, field, "party %lld is a %s, the surviving party a %s",
                          (long long)id, json_string_value(json_object_get(p, "kind")), kind);
out:
    if (rc)
        json_decref(p);
    else
        *out = p;
    return rc;
}

/*
 * A merged party's roles move with their attributes (or fill the
 * survivor's): a role carrying a sensitive attribute (salary) needs full
 * access to its domain, as writing that attribute would.
 */
static enum xrm_rc check_roles(struct xrm_ctx *wctx, json_t *roles, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        json_t *type = NULL;
        const char *domain = json_string_value(json_object_get(r, "domain"));
        rc = xrm_access_write(&wctx->user, domain ? domain : "", err);
        if (!rc && xrm_access_level(&wctx->user, domain ? domain : "") < XRM_LEVEL_FULL &&
            json_object_size(json_object_get(r, "attributes")))
            rc = xrm_role_type_get(wctx, json_string_value(json_object_get(r, "type")), &type, err);
        if (!rc && type) {
            json_t *in = json_pack("{s:O}", "attributes", json_object_get(r, "attributes"));
            rc = xrm_access_role_write(&wctx->user, domain, type, in, "roles.", err);
            json_decref(in);
        }
        json_decref(type);
        if (rc)
            break;
    }
    return rc;
}

/*
 * Access, before anything changes: change the survivor, archive each
 * merged party, write in the domain of every record, role and activity
 * that moves (consent: sales or pr; a common relationship: any domain).
 */
static enum xrm_rc check_access(struct xrm_ctx *wctx, int64_t survivor, json_t *from,
                                struct xrm_err *err)
{
    struct xrm_db *db = wctx->db;
    const struct xrm_user *u = &wctx->user;
    static const char *const consent_domains[] = {"sales", "pr", NULL};
    json_t *roles = NULL, *touched = NULL;
    enum xrm_rc rc = XRM_OK;
    if (xrm_access_all(u))
        return XRM_OK;
    rc = xrm_role_array_for_party(db, survivor, &roles, err);
    if (!rc)
        rc = xrm_access_party_change(u, roles, err);
    size_t i, k;
    json_t *id, *t;
    json_array_foreach(from, i, id)
    {
        if (rc)
            break;
        json_decref(roles);
        roles = NULL;
        rc = xrm_role_array_for_party(db, json_integer_value(id), &roles, err);
        if (!rc)
            rc = xrm_access_party_change(u, roles, err);
        if (!rc)
            rc = xrm_access_party_archive(u, roles, err);
        if (!rc)
            rc = check_roles(wctx, roles, err);
        if (!rc)
            rc = xrm_merge_db_touched(db, json_integer_value(id), &touched, err);
        json_array_foreach(touched, k, t)
        {
            if (rc)
                break;
            const char *kind = json_string_value(json_object_get(t, "t"));
            const char *domain = json_string_value(json_object_get(t, "domain"));
            if (strcmp(kind, "consents") == 0)
                rc = xrm_access_write_any(u, consent_domains, "consent", err);
            else if (!domain && strcmp(kind, "relationships") == 0)
                rc = xrm_access_write_any(u, NULL, "relationship", err);
            else
                rc = xrm_access_write(u, domain ? domain : "", err);
        }
        json_decref(touched);
        touched = NULL;
    }
    json_decref(roles);
    return rc;
}

static void undo_until(const char *created_at, char out[XRM_TIME_LEN])
{
    int64_t t = 0;
    xrm_time_parse(created_at, &t);
    xrm_time_format(t + (int64_t)XRM_MERGE_UNDO_DAYS * XRM_DAY_SECONDS, out);
}

static json_t *new_moves(void)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "roles", 0, "relationships", 0,
                     "activities", 0, "deals", 0, "cases", 0, "agreements", 0, "consents", 0,
                     "tags", 0);
}

/* Set on a rolled-back preview: the answer is in the argument, not an error. */
#define PREVIEW_DONE "merge_preview_done"

static enum xrm_rc merge_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct merge_arg *a = arg;
    const struct xrm_user *u = &a->ctx->user;
    json_t *survivor = NULL, *merged = json_array(), *from = NULL, *patch = NULL, *fields = NULL,
           *conflicts = NULL, *moves = new_moves(), *steps = json_array(), *after = NULL,
           *image = NULL, *party = NULL;
    int tags = 0;
    bool batching = false;
    enum xrm_rc rc = check_keys(a->in, err);
    char created[XRM_TIME_LEN], until[XRM_TIME_LEN];

    if (!rc) {
        from = from_ids(a->in, a->survivor, err);
        rc = err->rc;
    }
    if (!rc)
        rc = load_party(db, a->survivor, "id", NULL, &survivor, err);
    size_t i;
    json_t *id;
    json_array_foreach(from, i, id)
    {
        char field[32];
        json_t *p = NULL;
        if (rc)
            break;
        snprintf(field, sizeof(field), "from[%zu]", i);
        rc = load_party(db, json_integer_value(id), field,
                        json_string_value(json_object_get(survivor, "kind")), &p, err);
        if (!rc)
            json_array_append_new(merged, p);
    }
    struct xrm_ctx wctx = *a->ctx; /* reads inside this transaction */
    wctx.db = db;
    if (!rc)
        rc = check_access(&wctx, a->survivor, from, err);
    if (!rc)
        rc = xrm_merge_fields(survivor, merged, json_object_get(a->in, "choose"), &patch, &fields,
                              &conflicts, &tags, err);
    if (rc)
        goto out;

    /* The parties through the party flow, their audit held back for the merge's own. */
    xrm_audit_batch(true);
    batching = true;
    /* The merged parties are archived first: the survivor never holds their
     * contact points next to a live copy of them. */
    json_array_foreach(from, i, id)
    {
        if (rc)
            break;
        json_t *arch = json_pack("{s:b}", "archived", 1);
        rc = xrm_party_update_tx(db, u, json_integer_value(id), arch, err);
        json_decref(arch);
        if (!rc)
            rc = xrm_party_set_merged_into(db, json_integer_value(id), a->survivor, err);
    }
    if (!rc && json_object_size(patch))
        rc = xrm_party_update_tx(db, u, a->survivor, patch, err);
    json_array_foreach(from, i, id)
    {
        if (rc)
            break;
        rc = xrm_merge_db_move(db, a->survivor, json_integer_value(id), from, steps, moves, err);
    }
    /* suppliers: the survivor's rating from the evaluations it holds now */
    if (!rc)
        rc = xrm_supplier_rerate_tx(db, a->survivor, err);
    xrm_audit_batch(false);
    batching = false;
    if (rc)
        goto out;
    json_object_set_new(moves, "tags", json_integer(tags));

    if (a->preview) {
        /* The survivor as it would be, decorated for the reader from this transaction. */
        rc = xrm_party_get(&wctx, a->survivor, &party, err);
        if (rc)
            goto out;
        a->out = json_pack("{s:o, s:O, s:O, s:O}", "party", party, "fields", fields, "conflicts",
                           conflicts, "moves", moves);
        party = NULL;
        xrm_errf(err, XRM_E_CONFLICT, "preview");
        rc = xrm_err_code(err, PREVIEW_DONE); /* rolls the merge back */
        goto out;
    }

    rc = xrm_party_load(db, a->survivor, &after, err);
    if (rc)
        goto out;
    xrm_clock_now(created);
    undo_until(created, until);
    image = json_pack("{s:O, s:O, s:O, s:O}", "survivor", survivor, "merged", merged, "after",
                      after, "steps", steps);
    int64_t merge_id = 0;
    rc = xrm_merge_db_insert(db, u->id, a->survivor, from, image, moves, created, &merge_id, err);
    if (!rc) {
        /* Not the counts of what moved: they count records of domains an
         * audit reader may not see. */
        json_t *note = json_pack("{s:I, s:O}", "merge", (json_int_t)merge_id, "from", from);
        json_object_update(note, after);
        rc = xrm_audit_add(db, u, "merge", "party", a->survivor, survivor, note, err);
        json_decref(note);
    }
    json_array_foreach(merged, i, id)
    {
        if (rc)
            break;
        json_t *now = NULL;
        rc = xrm_party_load(db, json_integer_value(json_object_get(id, "id")), &now, err);
        if (!rc) {
            json_object_set_new(now, "merge", json_integer(merge_id));
            rc = xrm_audit_add(db, u, "merge", "party",
                               json_integer_value(json_object_get(id, "id")), id, now, err);
        }
        json_decref(now);
    }
    if (!rc)
        a->out = json_pack("{s:I, s:O, s:s}", "id", (json_int_t)merge_id, "moves", moves,
                           "undo_until", until);
out:
    if (batching)
        xrm_audit_batch(false);
    json_decref(survivor);
    json_decref(merged);
    json_decref(patch);
    json_decref(fields);
    json_decref(conflicts);
    json_decref(moves);
    json_decref(steps);
    json_decref(after);
    json_decref(image);
    json_decref(party);
    return rc;
}

enum xrm_rc xrm_merge_parties(struct xrm_ctx *ctx, int64_t survivor, json_t *in, json_t **out,
                              struct xrm_err *err)
{
    struct merge_arg a = {.ctx = ctx, .survivor = survivor, .in = in};
    struct xrm_err local = XRM_ERR_INIT;
    if (!err)
        err = &local;
    a.preview = json_is_true(json_object_get(in, "preview"));
    enum xrm_rc rc = xrm_store_write(ctx->store, merge_tx, &a, err);
    if (a.preview && rc == XRM_E_CONFLICT && strcmp(err->code, PREVIEW_DONE) == 0 && a.out) {
        xrm_err_clear(err);
        *out = a.out;
        return XRM_OK;
    }
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    json_t *party = NULL;
    rc = xrm_party_get(ctx, survivor, &party, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    json_object_set_new(a.out, "party", party);
    *out = a.out;
    return XRM_OK;
}

/* ---- Reading and undoing ---- */

/* The merge row, if u may see it: its own user or an administrator; else 404. */
static enum xrm_rc load_merge(struct xrm_db *db, const struct xrm_user *u, int64_t id, json_t **out,
                              struct xrm_err *err)
{
    json_t *m = NULL;
    enum xrm_rc rc = xrm_merge_db_load(db, id, &m, err);
    if (rc)
        return rc;
    json_t *by = json_object_get(m, "user");
    if (!u->admin && u->id && !(json_is_integer(by) && json_integer_value(by) == u->id)) {
        json_decref(m);
        return xrm_errf(err, XRM_E_NOTFOUND, "no merge %lld", (long long)id);
    }
    *out = m;
    return XRM_OK;
}

static json_t *merge_out(json_t *m)
{
    char until[XRM_TIME_LEN];
    undo_until(json_string_value(json_object_get(m, "created_at")), until);
    json_t *o = json_deep_copy(m);
    json_object_del(o, "image");
    json_object_set_new(o, "undo_until", json_string(until));
    return o;
}

enum xrm_rc xrm_merge_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *m = NULL;
    enum xrm_rc rc = load_merge(ctx->db, &ctx->user, id, &m, err);
    if (rc)
        return rc;
    *out = merge_out(m);
    json_decref(m);
    return XRM_OK;
}

/* The fields of a stored party that a patch restores (all but the read-only ones). */
static json_t *restorable(json_t *stored)
{
    static const char *const readonly[] = {"id",         "uid",         "version", "created_at",
                                           "updated_at", "merged_into", NULL};
    json_t *p = json_deep_copy(stored);
    for (const char *const *k = readonly; *k; k++)
        json_object_del(p, *k);
    if (is_person(p))
        json_object_del(p, "name"); /* derived from its parts */
    return p;
}

/*
 * The survivor's patch back: a field the merge changed goes back to its
 * value before, unless it was changed again since (then the later change
 * stays).
 */
static json_t *survivor_back(json_t *before, json_t *after, json_t *current)
{
    json_t *b = restorable(before), *patch = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v)
    {
        json_t *was = json_object_get(after, k), *now = json_object_get(current, k);
        bool merged_value = (!was && !now) || (was && now && json_equal(was, now));
        json_t *orig = json_object_get(before, k);
        if (merged_value && !(was && orig && json_equal(was, orig)))
            json_object_set(patch, k, v);
    }
    json_decref(b);
    return patch;
}

struct undo_arg {
    struct xrm_ctx *ctx;
    int64_t id;
    json_t *out;
};

static enum xrm_rc undo_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct undo_arg *a = arg;
    const struct xrm_user *u = &a->ctx->user;
    json_t *m = NULL, *current = NULL, *patch = NULL, *parties = json_array();
    bool batching = false;
    char now[XRM_TIME_LEN], until[XRM_TIME_LEN];
    enum xrm_rc rc = load_merge(db, u, a->id, &m, err);
    if (rc)
        goto out;
    if (!json_is_null(json_object_get(m, "undone_at"))) {
        xrm_errf(err, XRM_E_CONFLICT, "merge %lld was undone already", (long long)a->id);
        rc = xrm_err_code(err, "already_undone");
        goto out;
    }
    xrm_clock_now(now);
    undo_until(json_string_value(json_object_get(m, "created_at")), until);
    if (strcmp(now, until) > 0) {
        xrm_errf(err, XRM_E_CONFLICT, "merge %lld can no longer be undone (only until %s)",
                 (long long)a->id, until);
        rc = xrm_err_code(err, "undo_expired");
        goto out;
    }
    json_t *image = json_object_get(m, "image");
    json_t *survivor = json_object_get(image, "survivor");
    int64_t sid = json_integer_value(json_object_get(survivor, "id"));
    json_array_append(parties, json_object_get(survivor, "id"));

    xrm_audit_batch(true);
    batching = true;
    rc = xrm_merge_db_restore(db, json_object_get(image, "steps"), err);
    /* The survivor gives its merged fields back before the merged parties return. */
    if (!rc)
        rc = xrm_party_load(db, sid, &current, err);
    if (!rc) {
        patch = survivor_back(survivor, json_object_get(image, "after"), current);
        if (json_object_size(patch))
            rc = xrm_party_update_tx(db, u, sid, patch, err);
    }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(image, "merged"), i, p)
    {
        if (rc)
            break;
        json_t *back = restorable(p);
        int64_t pid = json_integer_value(json_object_get(p, "id"));
        rc = xrm_party_update_tx(db, u, pid, back, err);
        json_decref(back);
        if (!rc)
            rc = xrm_party_set_merged_into(db, pid, 0, err);
        json_array_append(parties, json_object_get(p, "id"));
    }
    /* suppliers: each party's rating from the evaluations it holds again */
    json_array_foreach(parties, i, p)
    {
        if (rc)
            break;
        rc = xrm_supplier_rerate_tx(db, json_integer_value(p), err);
    }
    xrm_audit_batch(false);
    batching = false;
    if (!rc)
        rc = xrm_merge_db_set_undone(db, a->id, u->id, now, err);
    json_array_foreach(parties, i, p)
    {
        json_t *after = NULL;
        if (rc)
            break;
        rc = xrm_party_load(db, json_integer_value(p), &after, err);
        if (!rc) {
            json_object_set_new(after, "merge", json_integer(a->id));
            rc = xrm_audit_add(db, u, "unmerge", "party", json_integer_value(p),
                               i == 0 ? current : NULL, after, err);
        }
        json_decref(after);
    }
    if (!rc)
        a->out = json_pack("{s:I, s:s, s:O}", "id", (json_int_t)a->id, "undone_at", now, "parties",
                           parties);
out:
    if (batching)
        xrm_audit_batch(false);
    json_decref(m);
    json_decref(current);
    json_decref(patch);
    json_decref(parties);
    return rc;
}

enum xrm_rc xrm_merge_undo(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct undo_arg a = {.ctx = ctx, .id = id};
    enum xrm_rc rc = xrm_store_write(ctx->store, undo_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}
