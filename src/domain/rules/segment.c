/*
 * Segments: saved queries. A query is checked twice when saved: by the
 * parser (syntax, values) and by translating it to SQL without running it
 * (attributes that exist, terms this server can answer), so that a saved
 * segment always runs. Members are the party list of the query, with
 * everything a party list carries (roles, treatment, health); the CSV
 * export walks all pages of that list.
 */
#include "domain/rules/segment.h"
#include "domain/base/record.h"
#include "domain/base/access.h"
#include "domain/rules/segment-db.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/base/query-db.h"
#include "domain/rules/rule-eval.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const input_keys[] = {"name", "query", "description", "shared", "sort", NULL};

/* A segment u may read (XRM_E_NOTFOUND for a private one of someone else). */
static enum xrm_rc load_visible(struct xrm_db *db, const struct xrm_user *u, int64_t id,
                                json_t **out, struct xrm_err *err)
{
    json_t *seg = NULL;
    enum xrm_rc rc = xrm_segment_db_load(db, id, &seg, err);
    if (rc)
        return rc;
    if (!xrm_access_segment_visible(u, seg)) {
        json_decref(seg);
        return xrm_errf(err, XRM_E_NOTFOUND, "no segment %lld", (long long)id);
    }
    *out = seg;
    return XRM_OK;
}

/* Only the owner or an administrator changes or deletes a segment. */
static enum xrm_rc check_owner(const struct xrm_user *u, json_t *seg, struct xrm_err *err)
{
    if (xrm_access_segment_owner(u, seg))
        return XRM_OK;
    return xrm_errf(err, XRM_E_DENIED,
                    "only the owner of segment '%s' or an administrator may change it",
                    json_string_value(json_object_get(seg, "name")));
}

static json_t *field(json_t *in, json_t *cur, const char *key)
{
    json_t *v = json_object_get(in, key);
    return v ? v : cur ? json_object_get(cur, key) : NULL;
}

/* Parser and SQL errors name "q"; in a segment the field is "query". */
static void rename_q(struct xrm_err *err, int from)
{
    for (int i = from; i < err->nfields && i < XRM_ERR_MAX_FIELDS; i++)
        if (strcmp(err->fields[i].field, "q") == 0)
            xrm_strlcpy(err->fields[i].field, "query", sizeof(err->fields[i].field));
}

/* Parses text and builds (without running) its SQL; *treatment tells whether it uses rules. */
static enum xrm_rc check_query(struct xrm_db *db, const char *text, bool *treatment,
                               struct xrm_err *err)
{
    struct xrm_query q = {0};
    struct xrm_sql sql;
    int before = err->nfields;
    enum xrm_rc rc = xrm_query_parse(text, &q, err);

    xrm_sql_init(&sql);
    if (!rc)
        rc = xrm_query_sql_where(db, &q, 0, &sql, err);
    if (!rc)
        *treatment = xrm_query_uses_treatment(&q);
    xrm_sql_release(&sql);
    xrm_query_release(&q);
    rename_q(err, before);
    return rc;
}

/* The canonical segment {name, query, description} from in over cur. */
static enum xrm_rc normalize(struct xrm_db *db, json_t *in, json_t *cur, bool *treatment,
                             json_t **out, struct xrm_err *err)
{
    json_t *v;
    const char *name = NULL, *query = NULL, *desc = NULL;
    bool shared = true;

    xrm_record_known_keys(&xrm_segment_kind, in, err);
    json_t *merged = json_object();
    for (const char *const *k = input_keys; *k; k++)
        if ((v = field(in, cur, *k)))
            json_object_set(merged, *k, v);
    if (xrm_json_get_str(merged, NULL, "name", XRM_SEGMENT_NAME_MAX, true, &name, err))
        for (const char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20) {
                xrm_err_field(err, XRM_E_INVALID, "name", "must not contain control characters");
                break;
            }
    xrm_json_get_str(merged, NULL, "description", XRM_SEGMENT_DESCRIPTION_MAX, false, &desc, err);
    xrm_json_get_bool(merged, NULL, "shared", false, &shared, err);
    json_t *qv = json_object_get(merged, "query");
    if (!qv || json_is_null(qv)) {
        xrm_err_field(err, XRM_E_INVALID, "query", "is required (\"\" for every party)");
    } else if (json_is_string(qv) && json_string_length(qv) <= XRM_QUERY_MAX_LEN &&
               strlen(json_string_value(qv)) == json_string_length(qv)) {
        query = json_string_value(qv);
        if (!err->rc)
            check_query(db, query, treatment, err);
    } else {
        xrm_json_get_str(merged, NULL, "query", XRM_QUERY_MAX_LEN, false, &query, err);
    }
    /* lists: a saved view keeps the list's sort */
    json_t *sv = json_object_get(merged, "sort");
    const char *sort = json_string_value(sv);
    if (sv && !json_is_null(sv) && (!sort || !xrm_party_sort_valid(sort)))
        xrm_err_field(err, XRM_E_INVALID, "sort",
                      "unknown sort (name, city, created or updated, '-' before it for "
                      "descending)");
    enum xrm_rc rc = err->rc;
    if (!rc)
        *out = json_pack("{s:s, s:s, s:s?, s:b, s:s?}", "name", name, "query", query, "description",
                         desc, "shared", shared, "sort", sort);
    json_decref(merged);
    return rc;
}

static enum xrm_rc name_free(struct xrm_db *db, json_t *seg, int64_t except, struct xrm_err *err)
{
    int64_t other = 0;
    const char *name = json_string_value(json_object_get(seg, "name"));
    enum xrm_rc rc = xrm_segment_db_name_used(db, name, except, &other, err);
    if (!rc && other)
        rc = xrm_errf(err, XRM_E_CONFLICT, "segment %lld is already named '%s'", (long long)other,
                      name);
    return rc;
}

static enum xrm_rc create_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *seg = NULL;
    bool treatment = false;
    int64_t n = 0, id = 0;
    enum xrm_rc rc = normalize(db, a->in, NULL, &treatment, &seg, err);
    if (!rc)
        rc = xrm_segment_db_count(db, &n, err);
    if (!rc && n >= XRM_SEGMENTS_MAX)
        rc = xrm_errf(err, XRM_E_INVALID, "there are already %d segments, the most there can be",
                      XRM_SEGMENTS_MAX);
    if (!rc)
        rc = name_free(db, seg, 0, err);
    if (!rc)
        rc = xrm_segment_db_insert(db, seg, a->user->id, &id, err);
    if (!rc)
        rc = xrm_segment_db_load(db, id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "segment", id, NULL, a->out, err);
    json_decref(seg);
    return rc;
}

static struct xrm_segment_users seg_users;

void xrm_segment_users_set(const struct xrm_segment_users *users)
{
    seg_users = *users;
}

static enum xrm_rc rule_using(struct xrm_db *db, int64_t id, char *name, size_t n,
                              struct xrm_err *err)
{
    if (!seg_users.used_by)
        return xrm_errf(err, XRM_E_INTERNAL, "no users of segments set (domain/hooks.c)");
    return seg_users.used_by(db, id, name, n, err);
}

static enum xrm_rc update_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL, *seg = NULL;
    bool treatment = false;
    char rule[XRM_RULE_NAME_MAX + 1];
    enum xrm_rc rc = load_visible(db, a->user, a->id, &before, err);
    if (!rc)
        rc = check_owner(a->user, before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = normalize(db, a->in, before, &treatment, &seg, err);
    if (!rc && treatment) {
        rc = rule_using(db, a->id, rule, sizeof(rule), err);
        if (!rc && rule[0])
            rc = xrm_err_field(err, XRM_E_INVALID, "query",
                               "rule '%s' uses this segment, so its query cannot filter on "
                               "treatment (priority:, badge:)",
                               rule);
    }
    if (!rc)
        rc = name_free(db, seg, a->id, err);
    if (!rc)
        rc = xrm_segment_db_update(db, a->id, seg, err);
    if (!rc)
        rc = xrm_segment_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "segment", a->id, before, a->out, err);
    json_decref(before);
    json_decref(seg);
    return rc;
}

static enum xrm_rc delete_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    char rule[XRM_RULE_NAME_MAX + 1];
    enum xrm_rc rc = load_visible(db, a->user, a->id, &before, err);
    if (!rc)
        rc = check_owner(a->user, before, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = rule_using(db, a->id, rule, sizeof(rule), err);
    if (!rc && rule[0])
        rc = xrm_errf(err, XRM_E_CONFLICT, "segment '%s' is used by rule '%s'",
                      json_string_value(json_object_get(before, "name")), rule);
    if (!rc)
        rc = xrm_segment_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "segment", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

/* Rules may hold a segment's query in memory: every segment write makes them reload. */
static enum xrm_rc seg_write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *a,
                             json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_record_write(ctx, fn, a, out, err);
    if (seg_users.changed)
        seg_users.changed();
    return rc;
}

enum xrm_rc xrm_segment_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .in = in};
    return seg_write(ctx, create_fn, &a, out, err);
}

enum xrm_rc xrm_segment_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                               json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    return seg_write(ctx, update_fn, &a, out, err);
}

enum xrm_rc xrm_segment_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                               struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return seg_write(ctx, delete_fn, &a, NULL, err);
}

enum xrm_rc xrm_segment_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *all = NULL;
    enum xrm_rc rc = xrm_segment_db_all(ctx->db, &all, err);
    if (rc)
        return rc;
    for (size_t i = json_array_size(all); i-- > 0;)
        if (!xrm_access_segment_visible(&ctx->user, json_array_get(all, i)))
            json_array_remove(all, i);
    *out = json_pack("{s:o, s:n}", "items", all, "next");
    return XRM_OK;
}

enum xrm_rc xrm_segment_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return load_visible(ctx->db, &ctx->user, id, out, err);
}

enum xrm_rc xrm_segment_query(struct xrm_db *db, int64_t id, char **name, char **query,
                              struct xrm_err *err)
{
    json_t *seg = NULL;
    enum xrm_rc rc = xrm_segment_db_load(db, id, &seg, err);
    if (rc)
        return rc;
    *name = xrm_strdup(json_string_value(json_object_get(seg, "name")));
    *query = xrm_strdup(json_string_value(json_object_get(seg, "query")));
    json_decref(seg);
    return XRM_OK;
}

enum xrm_rc xrm_segment_members(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                                struct xrm_err *err)
{
    json_t *seg = NULL;
    enum xrm_rc rc = load_visible(ctx->db, &ctx->user, page->id, &seg, err);
    if (!rc)
        rc = xrm_party_list_sorted(ctx, json_string_value(json_object_get(seg, "query")),
                                   page->sort ? page->sort
                                              : json_string_value(json_object_get(seg, "sort")),
                                   page->limit, page->cursor, true, out, err);
    json_decref(seg);
    return rc;
}
