/*
 * Duplicates (duplicate.h): candidates are scored in C from the keys they
 * share (keys.h gives the scores); the parties sharing a key come from the
 * index of party_keys (duplicate-db.c), filtered there by what the reader
 * may see.
 *
 * The scan reads, per kind, the keys two or more parties share in value
 * order (a semi-join on the index, linear in the shared keys), makes the
 * pairs of each group in C and scores a pair from all the keys it shares.
 * A group of more than GROUP_MAX parties sharing an exact key, or
 * WEAK_GROUP_MAX sharing a weak one (a switchboard number, a common name),
 * says nothing about any two of them and is left out, so a large database
 * never makes n^2 pairs; a group's value is kept once for all its pairs.
 */
#include "domain/party/duplicate.h"
#include "domain/party/duplicate-db.h"
#include "domain/party/keys.h"
#include "domain/party/party.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define LOOKUP_MAX 50     /* parties read per key of a candidate lookup */
#define GROUP_MAX 100     /* parties sharing an exact key before the scan ignores it */
#define WEAK_GROUP_MAX 20 /* the same for phone, name, address, name_initial */
#define CANDIDATES_MAX 20
#define SCAN_LIMIT_MAX 1000

/* Candidates being gathered: per party id its name and the reasons. */
struct gather {
    json_t *by_id; /* "id" -> {"party": {id, name}, "reasons": [...]} */
    const char *kind, *value;
    int64_t skip;
};

static void gather_row(void *arg, int64_t id, const char *name)
{
    struct gather *g = arg;
    char key[24];
    if (id == g->skip)
        return;
    snprintf(key, sizeof(key), "%lld", (long long)id);
    json_t *c = json_object_get(g->by_id, key);
    if (!c) {
        c = json_pack("{s:{s:I, s:s}, s:[]}", "party", "id", (json_int_t)id, "name",
                      name ? name : "", "reasons");
        json_object_set_new(g->by_id, key, c);
    }
    json_array_append_new(json_object_get(c, "reasons"),
                          json_pack("{s:s, s:s}", "key", g->kind, "value", g->value));
}

/* Score and exactness of reasons (keys.h): best key, +10 per further reason, cap 100. */
static void score_of(json_t *reasons, int *score, bool *exact)
{
    int best = 0;
    size_t i;
    json_t *r;
    *exact = false;
    json_array_foreach(reasons, i, r)
    {
        enum xrm_key_kind k;
        if (!xrm_key_kind_parse(json_string_value(json_object_get(r, "key")), &k))
            continue;
        if (xrm_key_score(k) > best)
            best = xrm_key_score(k);
        *exact = *exact || xrm_key_exact(k);
    }
    int s = best + 10 * (int)(json_array_size(reasons) > 0 ? json_array_size(reasons) - 1 : 0);
    *score = s > 100 ? 100 : s;
}

static int by_score(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t sx = json_integer_value(json_object_get(x, "score"));
    json_int_t sy = json_integer_value(json_object_get(y, "score"));
    if (sx != sy)
        return sx > sy ? -1 : 1;
    json_int_t ix = json_integer_value(json_object_get(json_object_get(x, "party"), "id"));
    json_int_t iy = json_integer_value(json_object_get(json_object_get(y, "party"), "id"));
    return ix < iy ? -1 : ix > iy;
}

/* The gathered candidates as a sorted array (new reference), exact ones only when asked. */
static json_t *ranked(json_t *by_id, bool exact_only, int limit)
{
    size_t n = json_object_size(by_id), m = 0;
    json_t **v = xrm_calloc(n + 1, sizeof(*v));
    const char *key;
    json_t *c;
    json_object_foreach(by_id, key, c)
    {
        int score;
        bool exact;
        score_of(json_object_get(c, "reasons"), &score, &exact);
        if (exact_only && !exact)
            continue;
        json_object_set_new(c, "score", json_integer(score));
        json_object_set_new(c, "exact", json_boolean(exact));
        v[m++] = c;
    }
    qsort(v, m, sizeof(*v), by_score);
    json_t *out = json_array();
    for (size_t i = 0; i < m && (int)i < limit; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

static enum xrm_rc gather_keys(struct xrm_db *db, const struct xrm_user *user, json_t *keys,
                               int64_t skip, bool exact_only, json_t *by_id, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        enum xrm_key_kind kind;
        struct gather g = {by_id, json_string_value(json_object_get(k, "kind")),
                           json_string_value(json_object_get(k, "value")), skip};
        if (!xrm_key_kind_parse(g.kind, &kind) || (exact_only && !xrm_key_exact(kind)))
            continue;
        rc = xrm_dup_db_lookup(db, user, g.kind, g.value, LOOKUP_MAX, gather_row, &g, err);
        if (rc)
            break;
    }
    return rc;
}

static enum xrm_rc candidates(struct xrm_db *db, const struct xrm_user *user, json_t *party,
                              int64_t skip, bool exact_only, int limit, json_t **out,
                              struct xrm_err *err)
{
    json_t *keys = exact_only ? xrm_party_keys_exact(party) : xrm_party_keys(party);
    json_t *by_id = json_object();
    enum xrm_rc rc = gather_keys(db, user, keys, skip, exact_only, by_id, err);
    if (!rc)
        *out = ranked(by_id, exact_only, limit);
    json_decref(keys);
    json_decref(by_id);
    return rc;
}

enum xrm_rc xrm_party_exact_duplicates(struct xrm_db *db, const struct xrm_user *user,
                                       json_t *party, json_t **out, struct xrm_err *err)
{
    return candidates(db, user, party, 0, true, CANDIDATES_MAX, out, err);
}

enum xrm_rc xrm_party_candidates(struct xrm_db *db, const struct xrm_user *user, json_t *party,
                                 int64_t skip, int limit, json_t **out, struct xrm_err *err)
{
    return candidates(db, user, party, skip, false, limit, out, err);
}

enum xrm_rc xrm_party_duplicates(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *p = NULL, *items = NULL;
    enum xrm_rc rc = xrm_party_load(ctx->db, id, &p, err);
    if (!rc)
        rc = candidates(ctx->db, &ctx->user, p, id, false, CANDIDATES_MAX, &items, err);
    if (!rc)
        *out = json_pack("{s:o}", "items", items);
    json_decref(p);
    return rc;
}

/* Import matching. */
static const char *const match_kinds[] = {"email", "kvk",         "vat", "iban",
                                          "phone", "external_id", "uid", NULL};

struct match {
    int64_t found;
    bool ambiguous;
};

static void match_row(void *arg, int64_t id, const char *name)
{
    struct match *m = arg;
    (void)name;
    if (m->found && m->found != id)
        m->ambiguous = true;
    else
        m->found = id;
}

enum xrm_rc xrm_party_match(struct xrm_db *db, json_t *party, const char *const *keys, size_t nkeys,
                            int64_t *id, struct xrm_err *err)
{
    struct match m = {0, false};
    json_t *all = NULL;
    enum xrm_rc rc = XRM_OK;
    *id = 0;
    for (size_t i = 0; i < nkeys; i++) {
        bool ok = false;
        for (const char *const *k = match_kinds; !ok && *k; k++)
            ok = keys[i] && strcmp(keys[i], *k) == 0;
        if (!ok)
            return xrm_err_field(err, XRM_E_INVALID, "match",
                                 "'%.40s' is not a key to match on (email, kvk, vat, iban, "
                                 "phone, external_id, uid)",
                                 keys[i] ? keys[i] : "");
    }
    all = xrm_party_keys(party);
    size_t j;
    json_t *k;
    json_array_foreach(all, j, k)
    {
        const char *kind = json_string_value(json_object_get(k, "kind"));
        bool wanted = false;
        for (size_t i = 0; !wanted && i < nkeys; i++)
            wanted = strcmp(keys[i], kind) == 0;
        if (!wanted)
            continue;
        rc = xrm_dup_db_lookup(db, NULL, kind, json_string_value(json_object_get(k, "value")), 2,
                               match_row, &m, err);
        if (rc || m.ambiguous)
            break;
    }
    json_decref(all);
    if (rc)
        return rc;
    if (m.ambiguous) {
        xrm_errf(err, XRM_E_CONFLICT, "the keys match more than one existing party");
        return xrm_err_code(err, "ambiguous_match");
    }
    *id = m.found;
    return XRM_OK;
}

/* The scan: pairs sharing keys. */
struct pair {
    int64_t a, b;
    int kind;
    const char *value; /* in scan.values */
};

struct scan {
    struct pair *v;
    size_t n, cap;
    int kind;
    /* the group of parties holding the current value */
    char *value;
    int64_t *ids;
    size_t nids, capids;
    /* the values of the groups that made pairs, shared by their pairs */
    char **values;
    size_t nvalues, capvalues;
};

/* Most parties sharing a key of kind before the key says nothing of any two of them. */
static size_t group_max(int kind)
{
    return xrm_key_exact((enum xrm_key_kind)kind) ? GROUP_MAX : WEAK_GROUP_MAX;
}

static void flush_group(struct scan *s)
{
    if (s->nids >= 2 && s->nids <= group_max(s->kind)) {
        if (s->nvalues == s->capvalues) {
            s->capvalues = s->capvalues ? s->capvalues * 2 : 64;
            s->values = xrm_realloc(s->values, s->capvalues * sizeof(*s->values));
        }
        s->values[s->nvalues++] = s->value;
        s->value = NULL;
        for (size_t i = 0; i < s->nids; i++) {
            for (size_t j = i + 1; j < s->nids; j++) {
                if (s->n == s->cap) {
                    s->cap = s->cap ? s->cap * 2 : 256;
                    s->v = xrm_realloc(s->v, s->cap * sizeof(*s->v));
                }
                s->v[s->n++] =
                    (struct pair){s->ids[i], s->ids[j], s->kind, s->values[s->nvalues - 1]};
            }
        }
    }
    s->nids = 0;
    free(s->value);
    s->value = NULL;
}

static void scan_row(void *arg, const char *value, int64_t id)
{
    struct scan *s = arg;
    if (!s->value || strcmp(s->value, value) != 0) {
        flush_group(s);
        s->value = xrm_strdup(value);
    }
    if (s->nids == s->capids) {
        s->capids = s->capids ? s->capids * 2 : 16;
        s->ids = xrm_realloc(s->ids, s->capids * sizeof(*s->ids));
    }
    if (s->nids <= group_max(s->kind)) /* beyond that the group is dropped anyway */
        s->ids[s->nids++] = id;
}

static int by_pair(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->kind - b->kind;
}

struct scored {
    int64_t a, b;
    int score;
    bool exact;
    size_t first, n; /* its pairs in scan.v */
};

static int by_rank(const void *x, const void *y)
{
    const struct scored *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* True when r comes after the cursor position (score, a, b) in rank order. */
static bool after(const struct scored *r, int score, int64_t a, int64_t b)
{
    struct scored c = {a, b, score, false, 0, 0};
    return by_rank(r, &c) > 0;
}

static json_t *party_ref(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    char *name = NULL;
    if (xrm_dup_db_name(db, id, &name, err))
        return NULL;
    json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
    free(name);
    return o;
}

static json_t *pair_json(struct xrm_db *db, const struct scan *s, const struct scored *r,
                         struct xrm_err *err)
{
    json_t *pa = party_ref(db, r->a, err), *pb = pa ? party_ref(db, r->b, err) : NULL;
    if (!pa || !pb) {
        json_decref(pa);
        return NULL;
    }
    json_t *reasons = json_array();
    for (size_t i = r->first; i < r->first + r->n; i++)
        json_array_append_new(reasons, json_pack("{s:s, s:s}", "key",
                                                 xrm_key_kind_name((enum xrm_key_kind)s->v[i].kind),
                                                 "value", s->v[i].value));
    return json_pack("{s:o, s:o, s:i, s:b, s:o}", "party", pa, "duplicate", pb, "score", r->score,
                     "exact", r->exact, "reasons", reasons);
}

static void scan_release(struct scan *s)
{
    for (size_t i = 0; i < s->nvalues; i++)
        free(s->values[i]);
    free(s->values);
    free(s->v);
    free(s->value);
    free(s->ids);
}

enum xrm_rc xrm_duplicates_scan(struct xrm_ctx *ctx, int min_score, int limit, const char *cursor,
                                json_t **out, struct xrm_err *err)
{
    struct scan s = {0};
    struct scored *ranks = NULL;
    size_t nr = 0;
    json_t *cur = NULL, *items = NULL, *next = NULL;
    int cs = 0;
    int64_t ca = 0, cb = 0;
    enum xrm_rc rc = XRM_OK;

    if (limit > SCAN_LIMIT_MAX)
        limit = SCAN_LIMIT_MAX;
    if (cursor) {
        cur = xrm_cursor_decode(cursor);
        if (!cur || json_array_size(cur) != 3 || !json_is_integer(json_array_get(cur, 0)) ||
            !json_is_integer(json_array_get(cur, 1)) || !json_is_integer(json_array_get(cur, 2))) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, "cursor",
                               "not a cursor of this list (use 'next' of the previous page)");
            goto out;
        }
        cs = (int)json_integer_value(json_array_get(cur, 0));
        ca = json_integer_value(json_array_get(cur, 1));
        cb = json_integer_value(json_array_get(cur, 2));
    }
    for (int k = 0; k < XRM_KEY_NKINDS; k++) {
        if (k == XRM_KEY_UID)
            continue;
        s.kind = k;
        rc = xrm_dup_db_shared(ctx->db, &ctx->user, xrm_key_kind_name((enum xrm_key_kind)k),
                               scan_row, &s, err);
        flush_group(&s);
        if (rc)
            goto out;
    }
    qsort(s.v, s.n, sizeof(*s.v), by_pair);
    ranks = xrm_calloc(s.n + 1, sizeof(*ranks));
    for (size_t i = 0; i < s.n;) {
        size_t j = i;
        int best = 0;
        bool exact = false;
        while (j < s.n && s.v[j].a == s.v[i].a && s.v[j].b == s.v[i].b) {
            int sc = xrm_key_score((enum xrm_key_kind)s.v[j].kind);
            best = sc > best ? sc : best;
            exact = exact || xrm_key_exact((enum xrm_key_kind)s.v[j].kind);
            j++;
        }
        int score = best + 10 * (int)(j - i - 1);
        score = score > 100 ? 100 : score;
        if (score >= min_score)
            ranks[nr++] = (struct scored){s.v[i].a, s.v[i].b, score, exact, i, j - i};
        i = j;
    }
    qsort(ranks, nr, sizeof(*ranks), by_rank);
    items = json_array();
    size_t start = 0;
    if (cur)
        while (start < nr && !after(&ranks[start], cs, ca, cb))
            start++;
    for (size_t i = start; i < nr; i++) {
        if (limit > 0 && json_array_size(items) == (size_t)limit) {
            const struct scored *last = &ranks[i - 1];
            json_t *key =
                json_pack("[i, I, I]", last->score, (json_int_t)last->a, (json_int_t)last->b);
            char *c = xrm_cursor_encode(key);
            json_decref(key);
            next = json_string(c);
            free(c);
            break;
        }
        json_t *item = pair_json(ctx->db, &s, &ranks[i], err);
        if (!item) {
            rc = XRM_E_DB;
            goto out;
        }
        json_array_append_new(items, item);
    }
    *out = json_pack("{s:O, s:o}", "items", items, "next", next ? next : json_null());
    next = NULL;
out:
    scan_release(&s);
    free(ranks);
    json_decref(cur);
    json_decref(items);
    json_decref(next);
    return rc;
}

/* Create with the duplicate check. */
struct create_arg {
    const struct xrm_user *user;
    json_t *in;
    bool force;
    int64_t id;
    json_t *candidates;
};

/*
 * Inserts first, so that access and validation answer before the check,
 * then looks for exact duplicates of the stored (normalised) party in the
 * same transaction; finding one fails the write, which undoes the insert.
 */
static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct create_arg *a = arg;
    json_t *p = NULL;
    json_decref(a->candidates); /* of an earlier run of this write, if any */
    a->candidates = NULL;
    enum xrm_rc rc = xrm_party_insert_tx(db, a->user, a->in, true, &a->id, err);
    if (rc || a->force)
        return rc;
    rc = xrm_party_load(db, a->id, &p, err);
    if (!rc)
        rc = candidates(db, a->user, p, a->id, true, CANDIDATES_MAX, &a->candidates, err);
    json_decref(p);
    if (!rc && json_array_size(a->candidates) > 0) {
        xrm_errf(err, XRM_E_CONFLICT,
                 "the party exactly matches an existing party (see candidates; "
                 "force=true creates it anyway)");
        rc = xrm_err_code(err, "duplicate");
    }
    return rc;
}

enum xrm_rc xrm_party_create_checked(struct xrm_ctx *ctx, json_t *in, bool force, json_t **out,
                                     json_t **found, struct xrm_err *err)
{
    struct create_arg a = {.user = &ctx->user, .in = in, .force = force};
    json_t *p = NULL, *dups = NULL;
    enum xrm_rc rc = xrm_store_write(ctx->store, create_tx, &a, err);
    if (rc == XRM_E_CONFLICT && a.candidates && json_array_size(a.candidates) > 0) {
        *found = a.candidates;
        a.candidates = NULL;
    }
    json_decref(a.candidates);
    if (rc)
        return rc;
    rc = xrm_party_get(ctx, a.id, &p, err);
    if (!rc)
        rc = candidates(ctx->db, &ctx->user, p, a.id, false, CANDIDATES_MAX, &dups, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    if (json_array_size(dups) > 0)
        json_object_set(p, "duplicates", dups);
    json_decref(dups);
    *out = p;
    return XRM_OK;
}
