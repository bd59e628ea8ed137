/*
 * PR projects and their stakeholders: validation, the stance history, the
 * influence x interest grid and the bulk add of the parties of a query.
 * SQL in project-db.c.
 */
#include "domain/pr/project.h"
#include "domain/pr/project-db.h"
#include "domain/base/access.h"
#include "domain/base/query-db.h"
#include "domain/base/record.h"
#include "domain/party/party.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <string.h>

#include "core/banned.h"

/* Projects */

static enum xrm_rc project_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                    json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"name", "address", "start", "end", "description", NULL};
    const struct xrm_record_kind *K = &xrm_project_kind;
    json_t *in = w->in, *rec = json_object();
    enum xrm_rc rc = XRM_OK;
    (void)db;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    if (xrm_record_read(K, "postcode", in, before, rec, err)) {
        char pc[8];
        if (!xrm_norm_postcode_nl(json_string_value(json_object_get(rec, "postcode")), pc,
                                  sizeof(pc)))
            xrm_err_field(err, XRM_E_INVALID, "postcode", "must be a Dutch postcode (1234 AB)");
        else
            json_object_set_new(rec, "postcode", json_string(pc));
    }
    const char *start = json_string_value(json_object_get(rec, "start"));
    const char *end = json_string_value(json_object_get(rec, "end"));
    if (start && end && strcmp(end, start) < 0)
        xrm_err_field(err, XRM_E_INVALID, "end", "must not be before start (%s)", start);
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

const struct xrm_record_ops xrm_project_ops = {
    .kind = &xrm_project_kind,
    .domain = "pr",
    .validate = project_validate,
};

enum xrm_rc xrm_project_list(struct xrm_ctx *ctx, int limit, const char *cursor, json_t **out,
                             struct xrm_err *err)
{
    int64_t before_id = 0;
    json_t *items = NULL;
    enum xrm_rc rc;
    xrm_records_cursor(cursor, &before_id, err);
    if (err->rc)
        return err->rc;
    if (xrm_access_level(&ctx->user, "pr") < XRM_LEVEL_READ) {
        /* nothing the reader may see: an empty list, as lists of other domains' records are */
        *out = json_pack("{s:[], s:n}", "items", "next");
        return XRM_OK;
    }
    limit = xrm_records_limit(limit);
    rc = xrm_record_db_list(ctx->db, &xrm_project_kind, NULL, 0, NULL, limit + 1, before_id, &items,
                            err);
    if (!rc)
        *out = xrm_records_page(items, limit);
    return rc;
}

/* Stakeholders */

static const char *quadrant(int64_t influence, int64_t interest)
{
    if (influence >= XRM_GRID_THRESHOLD)
        return interest >= XRM_GRID_THRESHOLD ? "manage_closely" : "keep_satisfied";
    return interest >= XRM_GRID_THRESHOLD ? "keep_informed" : "monitor";
}

static void shape(json_t *s)
{
    json_object_set_new(s, "quadrant",
                        json_string(quadrant(json_integer_value(json_object_get(s, "influence")),
                                             json_integer_value(json_object_get(s, "interest")))));
}

/* The stakeholder write's own state: the project of a create (from the path). */
struct sh_arg {
    int64_t project;
};

static enum xrm_rc sh_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                               json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"influence", "interest", "stance", "note", NULL};
    const struct xrm_record_kind *K = &xrm_stakeholder_kind;
    const struct sh_arg *a = w->arg;
    json_t *in = w->in, *rec = json_object();
    int64_t party = 0, project = before ? json_integer_value(json_object_get(before, "project"))
                                        : (a ? a->project : 0);
    enum xrm_rc rc = XRM_OK;
    bool found = false;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    rc = xrm_project_db_exists(db, project, &found, err);
    if (!rc && !found)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no project %lld", (long long)project);
    if (rc)
        goto out;
    json_object_set_new(rec, "project", json_integer(project));
    if (before) {
        json_t *p = json_object_get(in, "party");
        party = json_integer_value(json_object_get(before, "party"));
        if (p && !(json_is_integer(p) && json_integer_value(p) == party))
            xrm_err_field(err, XRM_E_INVALID, "party",
                          "cannot be changed; remove this stakeholder and add the other party");
    } else {
        int64_t other = 0;
        rc = xrm_records_party(db, in, "party", &party, err);
        if (!rc && party)
            rc = xrm_project_db_stakeholder_of(db, project, party, &other, err);
        if (rc)
            goto out;
        if (other)
            xrm_err_field(err, XRM_E_CONFLICT, "party", "is already a stakeholder of this project");
    }
    json_object_set_new(rec, "party", json_integer(party));
    xrm_record_read_all(K, plain, in, before, rec, err);
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* The stance history: a row for the first stance and for each change. */
static enum xrm_rc sh_after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                            json_t *before, json_t *rec, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    if (!rec)
        return XRM_OK;
    const char *from = before ? json_string_value(json_object_get(before, "stance")) : NULL;
    const char *to = json_string_value(json_object_get(rec, "stance"));
    if (!to || (from && strcmp(from, to) == 0))
        return XRM_OK;
    xrm_clock_now(now);
    return xrm_project_db_stance_add(db, w->id, json_integer_value(json_object_get(rec, "project")),
                                     json_integer_value(json_object_get(rec, "party")), from, to,
                                     w->user ? w->user->id : 0, now, err);
}

const struct xrm_record_ops xrm_stakeholder_ops = {
    .kind = &xrm_stakeholder_kind,
    .domain = "pr",
    .shape = shape,
    .validate = sh_validate,
    .after = sh_after,
    .touch = xrm_party_touch,
};

/* The project must exist and be readable: 404 as a missing one otherwise. */
static enum xrm_rc project_gate(struct xrm_ctx *ctx, int64_t project, json_t **out,
                                struct xrm_err *err)
{
    json_t *p = NULL;
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_project_ops, project, &p, err);
    if (out && !rc)
        *out = p;
    else
        json_decref(p);
    return rc;
}

enum xrm_rc xrm_stakeholder_create(struct xrm_ctx *ctx, int64_t project, json_t *in, json_t **out,
                                   struct xrm_err *err)
{
    struct sh_arg a = {.project = project};
    enum xrm_rc rc = project_gate(ctx, project, NULL, err);
    if (!rc)
        rc = xrm_record_create(ctx, &xrm_stakeholder_ops, in, &a, out, err);
    return rc;
}

enum xrm_rc xrm_stakeholder_insert_tx(struct xrm_db *db, const struct xrm_user *user,
                                      int64_t project, json_t *in, json_t **out,
                                      struct xrm_err *err)
{
    struct sh_arg a = {.project = project};
    struct xrm_record_write w = {.ops = &xrm_stakeholder_ops, .user = user, .in = in, .arg = &a};
    return xrm_record_in_tx(db, xrm_record_create_tx, &w, out, err);
}

static enum xrm_rc stakeholders(struct xrm_ctx *ctx, int64_t project, json_t **out,
                                struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_project_db_stakeholders(ctx->db, project, &items, err);
    if (rc)
        return rc;
    size_t i;
    json_t *s;
    json_array_foreach(items, i, s) shape(s);
    *out = items;
    return XRM_OK;
}

enum xrm_rc xrm_stakeholder_list(struct xrm_ctx *ctx, int64_t project, json_t **out,
                                 struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = project_gate(ctx, project, NULL, err);
    if (!rc)
        rc = stakeholders(ctx, project, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

enum xrm_rc xrm_stakeholder_history(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                    struct xrm_err *err)
{
    json_t *s = NULL, *items = NULL;
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_stakeholder_ops, id, &s, err);
    json_decref(s);
    if (!rc)
        rc = xrm_project_db_stances(ctx->db, id, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

enum xrm_rc xrm_project_grid(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *p = NULL, *items = NULL;
    enum xrm_rc rc = project_gate(ctx, id, &p, err);
    if (!rc)
        rc = stakeholders(ctx, id, &items, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    json_t *grid = json_pack("{s:{s:O, s:O}, s:i, s:[], s:[], s:[], s:[]}", "project", "id",
                             json_object_get(p, "id"), "name", json_object_get(p, "name"),
                             "threshold", XRM_GRID_THRESHOLD, "manage_closely", "keep_satisfied",
                             "keep_informed", "monitor");
    size_t i;
    json_t *s;
    json_array_foreach(items, i, s)
    {
        json_array_append(json_object_get(grid, json_string_value(json_object_get(s, "quadrant"))),
                          s);
    }
    json_decref(items);
    json_decref(p);
    *out = grid;
    return XRM_OK;
}

/* The bulk add: the ids of the query, added in one write. */
struct bulk {
    const struct xrm_user *user;
    int64_t project;
    struct xrm_query *q;
    json_t *body; /* influence, interest, stance, note for each */
    int matched, added, skipped;
};

static enum xrm_rc bulk_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct bulk *b = arg;
    json_t *ids = NULL;
    enum xrm_rc rc = xrm_access_write(b->user, "pr", err);
    if (!rc)
        rc = xrm_project_db_query_ids(db, b->q, XRM_BULK_STAKEHOLDERS_MAX + 1, &ids, err);
    if (rc)
        goto out;
    b->matched = (int)json_array_size(ids);
    if (b->matched > XRM_BULK_STAKEHOLDERS_MAX) {
        rc = xrm_err_field(err, XRM_E_INVALID, "q",
                           "finds more than %d parties; narrow it down (a smaller postcode "
                           "range, a role) and add them in parts",
                           XRM_BULK_STAKEHOLDERS_MAX);
        goto out;
    }
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        int64_t other = 0;
        rc = xrm_project_db_stakeholder_of(db, b->project, json_integer_value(id), &other, err);
        if (rc)
            goto out;
        if (other) {
            b->skipped++;
            continue;
        }
        json_object_set(b->body, "party", id);
        rc = xrm_stakeholder_insert_tx(db, b->user, b->project, b->body, NULL, err);
        if (rc)
            goto out;
        b->added++;
    }
out:
    json_decref(ids);
    return rc;
}

enum xrm_rc xrm_stakeholder_bulk(struct xrm_ctx *ctx, int64_t project, json_t *in, json_t **out,
                                 struct xrm_err *err)
{
    static const char *const keys[] = {"q", "influence", "interest", "stance", "note", NULL};
    struct xrm_query q = {0};
    const char *text = NULL;
    json_t *body = json_pack("{s:i, s:i, s:s}", "influence", 2, "interest", 4, "stance", "neutral");
    enum xrm_rc rc = project_gate(ctx, project, NULL, err);
    if (rc)
        goto out;
    rc = xrm_access_write(&ctx->user, "pr", err);
    if (rc)
        goto out;
    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_str(in, NULL, "q", XRM_QUERY_MAX_LEN, true, &text, err);
    if (text && !text[0])
        xrm_err_field(err, XRM_E_INVALID, "q", "must not be empty");
    for (int k = 1; keys[k]; k++)
        if (json_object_get(in, keys[k]))
            json_object_set(body, keys[k], json_object_get(in, keys[k]));
    rc = err->rc;
    if (!rc)
        rc = xrm_query_parse(text, &q, err);
    if (!rc)
        rc = xrm_query_check_access(ctx, &q, err);
    if (rc)
        goto out;
    struct bulk b = {.user = &ctx->user, .project = project, .q = &q, .body = body};
    rc = xrm_store_write(ctx->store, bulk_tx, &b, err);
    if (!rc)
        *out = json_pack("{s:i, s:i, s:i}", "matched", b.matched, "added", b.added, "skipped",
                         b.skipped);
out:
    xrm_query_release(&q);
    json_decref(body);
    return rc;
}
