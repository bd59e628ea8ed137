/*
 * Pipelines: validation of pipeline and stage input, the create / update /
 * delete flows around pipeline-db.c, and the board and forecast views.
 *
 * Stages are edited as one list in board order: the list replaces the
 * stored one, matched by stage id, so renaming or reordering keeps the
 * deals in their stages. A stage that still holds deals can neither be
 * removed nor change kind (its deals' status would no longer match it).
 */
#include "domain/records/pipeline.h"
#include "domain/base/record.h"
#include "domain/records/pipeline-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define NAME_MAX_LEN 100
#define STAGE_NAME_MAX 60
#define STAGES_MAX 30

enum xrm_rc xrm_pipeline_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_pipe_db_load(db, id, out, err);
}

enum xrm_rc xrm_pipeline_default(struct xrm_db *db, int64_t *id, struct xrm_err *err)
{
    return xrm_pipe_db_default(db, id, err);
}

json_t *xrm_pipeline_stage(json_t *p, int64_t stage_id)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(p, "stages"), i, s)
    {
        if (json_integer_value(json_object_get(s, "id")) == stage_id)
            return s;
    }
    return NULL;
}

json_t *xrm_pipeline_first_stage(json_t *p, const char *kind)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(p, "stages"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "kind")), kind) == 0)
            return s;
    }
    return NULL;
}

enum xrm_rc xrm_pipeline_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *ids = NULL, *items = json_array();
    enum xrm_rc rc = xrm_pipe_db_ids(ctx->db, &ids, err);
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        json_t *p = NULL;
        if (rc)
            break;
        rc = xrm_pipe_db_load(ctx->db, json_integer_value(id), &p, err);
        if (!rc)
            json_array_append_new(items, p);
    }
    json_decref(ids);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

enum xrm_rc xrm_pipeline_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_pipe_db_load(ctx->db, id, out, err);
}

/*
 * Validates a stage list into [{"id" (0 for new), "name", "probability",
 * "kind"}]. Ids must be stages of `stored` (NULL on create). Field errors
 * only; NULL when any.
 */
static json_t *parse_stages(json_t *list, json_t *stored, struct xrm_err *err)
{
    static const char *const keys[] = {"id", "name", "probability", "kind", "position", NULL};
    int nf = err->nfields, won = 0, lost = 0, open = 0;
    char f[64], prefix[32];
    if (!json_is_array(list))
        return xrm_err_field(err, XRM_E_MALFORMED, "stages", "must be an array of stages"), NULL;
    size_t n = json_array_size(list);
    if (n < 3 || n > STAGES_MAX)
        return xrm_err_field(err, XRM_E_INVALID, "stages",
                             "must list 3 to %d stages (open ones, one won, one lost)", STAGES_MAX),
               NULL;
    json_t *res = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        const char *name = NULL, *kind = "open";
        int64_t id = 0, prob = -1;
        snprintf(prefix, sizeof(prefix), "stages[%zu].", i);
        if (!json_is_object(s)) {
            snprintf(f, sizeof(f), "stages[%zu]", i);
            xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
            continue;
        }
        xrm_json_only_keys(s, prefix, keys, err);
        if (xrm_json_get_int(s, prefix, "id", 1, INT64_MAX, false, &id, err) &&
            (!stored || !xrm_pipeline_stage(stored, id))) {
            snprintf(f, sizeof(f), "%sid", prefix);
            xrm_err_field(err, XRM_E_INVALID, f, "stage %lld is not a stage of this pipeline",
                          (long long)id);
        }
        xrm_json_get_str(s, prefix, "name", STAGE_NAME_MAX, true, &name, err);
        if (xrm_json_get_str(s, prefix, "kind", 8, false, &kind, err) &&
            strcmp(kind, "open") != 0 && strcmp(kind, "won") != 0 && strcmp(kind, "lost") != 0) {
            snprintf(f, sizeof(f), "%skind", prefix);
            xrm_err_field(err, XRM_E_INVALID, f, "must be open, won or lost");
            kind = "open";
        }
        won += strcmp(kind, "won") == 0;
        lost += strcmp(kind, "lost") == 0;
        open += strcmp(kind, "open") == 0;
        if (!xrm_json_get_int(s, prefix, "probability", 0, 100, strcmp(kind, "open") == 0, &prob,
                              err))
            prob = strcmp(kind, "won") == 0 ? 100 : 0;
        if (!name)
            continue;
        json_t *nm = xrm_records_trimmed(name);
        size_t j;
        json_t *o;
        json_array_foreach(res, j, o)
        {
            if (strcasecmp(json_string_value(json_object_get(o, "name")), json_string_value(nm)) ==
                    0 ||
                (id && json_integer_value(json_object_get(o, "id")) == id)) {
                snprintf(f, sizeof(f), "%sname", prefix);
                xrm_err_field(err, XRM_E_INVALID, f, "stage '%s' is listed twice", name);
            }
        }
        json_array_append_new(res, json_pack("{s:I, s:o, s:I, s:s}", "id", (json_int_t)id, "name",
                                             nm, "probability", (json_int_t)prob, "kind", kind));
    }
    if (won != 1 || lost != 1 || open < 1)
        xrm_err_field(err, XRM_E_INVALID, "stages",
                      "needs at least one open stage, exactly one won and one lost stage");
    if (err->nfields > nf) {
        json_decref(res);
        return NULL;
    }
    return res;
}

static enum xrm_rc check_name(struct xrm_db *db, const char *name, int64_t except,
                              struct xrm_err *err)
{
    bool taken = false;
    enum xrm_rc rc = xrm_pipe_db_name_taken(db, name, except, &taken, err);
    if (!rc && taken)
        xrm_err_field(err, XRM_E_INVALID, "name", "a pipeline named '%s' exists", name);
    return rc;
}

/* Writes the validated stage list of pipeline id, removing stored stages left out. */
static enum xrm_rc write_stages(struct xrm_db *db, int64_t id, json_t *stored, json_t *stages,
                                struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    size_t i, j;
    json_t *s, *o;
    int64_t n = 0;
    json_array_foreach(json_object_get(stored, "stages"), i, o)
    {
        int64_t sid = json_integer_value(json_object_get(o, "id"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        json_t *keep = NULL;
        json_array_foreach(stages, j, s)
        {
            if (json_integer_value(json_object_get(s, "id")) == sid)
                keep = s;
        }
        bool kind_changed =
            keep && strcmp(json_string_value(json_object_get(keep, "kind")), kind) != 0;
        if (keep && !kind_changed)
            continue;
        rc = xrm_pipe_db_deal_count(db, 0, sid, &n, err);
        if (rc)
            return rc;
        if (n > 0)
            return xrm_err_field(err, XRM_E_CONFLICT, "stages",
                                 "stage '%s' holds %lld deals; move them first",
                                 json_string_value(json_object_get(o, "name")), (long long)n);
        if (!keep && (rc = xrm_pipe_db_stage_delete(db, sid, err)))
            return rc;
    }
    json_array_foreach(stages, i, s)
    {
        int64_t sid = json_integer_value(json_object_get(s, "id"));
        const char *name = json_string_value(json_object_get(s, "name"));
        int prob = (int)json_integer_value(json_object_get(s, "probability"));
        const char *kind = json_string_value(json_object_get(s, "kind"));
        if (sid)
            rc = xrm_pipe_db_stage_update(db, sid, (int)i + 1, name, prob, kind, err);
        else
            rc = xrm_pipe_db_stage_insert(db, id, (int)i + 1, name, prob, kind, &sid, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    static const char *const keys[] = {"name", "default", "stages", NULL};
    struct xrm_record_write *a = arg;
    const char *name = NULL;
    bool is_default = false;
    json_t *stages = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = XRM_OK;

    xrm_json_only_keys(a->in, NULL, keys, err);
    if (xrm_json_get_str(a->in, NULL, "name", NAME_MAX_LEN, true, &name, err))
        rc = check_name(db, name, 0, err);
    xrm_json_get_bool(a->in, NULL, "default", false, &is_default, err);
    if (!json_object_get(a->in, "stages"))
        xrm_err_field(err, XRM_E_INVALID, "stages", "is required");
    else
        stages = parse_stages(json_object_get(a->in, "stages"), NULL, err);
    if (rc || err->rc)
        goto out;
    xrm_now(now);
    json_t *nm = xrm_records_trimmed(name);
    rc = xrm_pipe_db_insert(db, json_string_value(nm), is_default, now, &a->id, err);
    json_decref(nm);
    if (!rc)
        rc = write_stages(db, a->id, NULL, stages, err);
    if (!rc && is_default)
        rc = xrm_pipe_db_only_default(db, a->id, err);
    if (!rc)
        rc = xrm_pipe_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "pipeline", a->id, NULL, a->out, err);
out:
    json_decref(stages);
    return rc ? rc : err->rc;
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    static const char *const keys[] = {"id",      "name",       "default",    "stages",
                                       "version", "created_at", "updated_at", NULL};
    struct xrm_record_write *a = arg;
    json_t *before = NULL, *stages = NULL;
    const char *name = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_pipe_db_load(db, a->id, &before, err);
    if (!rc)
        rc = xrm_records_check_version(before, a->if_version, err);
    if (rc)
        goto out;
    bool was_default = json_is_true(json_object_get(before, "default"));
    bool is_default = was_default;
    xrm_json_only_keys(a->in, NULL, keys, err);
    name = json_string_value(json_object_get(before, "name"));
    if (json_object_get(a->in, "name") &&
        xrm_json_get_str(a->in, NULL, "name", NAME_MAX_LEN, true, &name, err))
        rc = check_name(db, name, a->id, err);
    if (xrm_json_get_bool(a->in, NULL, "default", false, &is_default, err) && was_default &&
        !is_default)
        xrm_err_field(err, XRM_E_INVALID, "default", "make another pipeline the default instead");
    if (json_object_get(a->in, "stages"))
        stages = parse_stages(json_object_get(a->in, "stages"), before, err);
    if (rc || err->rc)
        goto out;
    xrm_now(now);
    json_t *nm = xrm_records_trimmed(name);
    rc = xrm_pipe_db_update(db, a->id, json_string_value(nm), is_default, now, err);
    json_decref(nm);
    if (!rc && stages)
        rc = write_stages(db, a->id, before, stages, err);
    if (!rc && is_default)
        rc = xrm_pipe_db_only_default(db, a->id, err);
    if (!rc)
        rc = xrm_pipe_db_load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "pipeline", a->id, before, a->out, err);
out:
    json_decref(before);
    json_decref(stages);
    return rc ? rc : err->rc;
}

static enum xrm_rc delete_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    int64_t n = 0;
    enum xrm_rc rc = xrm_pipe_db_load(db, a->id, &before, err);
    if (!rc)
        rc = xrm_records_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_pipe_db_deal_count(db, a->id, 0, &n, err);
    if (rc)
        goto out;
    if (json_is_true(json_object_get(before, "default")))
        rc = xrm_errf(err, XRM_E_CONFLICT,
                      "pipeline '%s' is the default; make another the "
                      "default first",
                      json_string_value(json_object_get(before, "name")));
    else if (n > 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "pipeline '%s' still has %lld deals",
                      json_string_value(json_object_get(before, "name")), (long long)n);
    if (!rc)
        rc = xrm_pipe_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "pipeline", a->id, before, NULL, err);
out:
    json_decref(before);
    return rc;
}

/* Pipelines are configuration: administrators only (the system too). */
static enum xrm_rc write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *a,
                         json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "changing pipelines", err);
    if (!rc)
        rc = xrm_record_write(ctx, fn, a, out, err);
    return rc;
}

enum xrm_rc xrm_pipeline_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .in = in};
    return write(ctx, create_tx, &a, out, err);
}

enum xrm_rc xrm_pipeline_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                                json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    return write(ctx, update_tx, &a, out, err);
}

enum xrm_rc xrm_pipeline_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return write(ctx, delete_tx, &a, NULL, err);
}

int64_t xrm_pipeline_rounded(int64_t x100)
{
    return x100 >= 0 ? (x100 + 50) / 100 : -((-x100 + 50) / 100);
}

const char *xrm_pipeline_currency(const char *c, struct xrm_err *err)
{
    if (!c || !*c)
        return XRM_CURRENCY_DEFAULT;
    if (!xrm_currency_valid(c))
        xrm_err_field(err, XRM_E_MALFORMED, "currency", "must be an ISO 4217 code such as EUR");
    return c;
}

static bool valid_month(const char *s)
{
    char d[XRM_DATE_LEN];
    if (!s || strlen(s) != 7)
        return false;
    snprintf(d, sizeof(d), "%s-01", s);
    int64_t t;
    return xrm_time_parse(d, &t);
}

/* Adds a forecast row's numbers to the group object g ({"count", "amount", "weighted_x100"}). */
static void add_row(json_t *g, json_t *row)
{
    static const char *const keys[] = {"count", "amount", "weighted_x100"};
    for (int k = 0; k < 3; k++) {
        int64_t v = json_integer_value(json_object_get(g, keys[k])) +
                    json_integer_value(json_array_get(row, (size_t)k + 3));
        json_object_set_new(g, keys[k], json_integer(v));
    }
}

/* Replaces weighted_x100 by weighted in g and its "owners" members. */
static void finish(json_t *g)
{
    json_object_set_new(g, "weighted",
                        json_integer(xrm_pipeline_rounded(
                            json_integer_value(json_object_get(g, "weighted_x100")))));
    json_object_del(g, "weighted_x100");
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(g, "owners"), i, o) finish(o);
}

/* The member of arr whose key equals v (json_equal), created by make when absent. */
static json_t *group(json_t *arr, const char *key, json_t *v, json_t *(*make)(json_t *, json_t *),
                     json_t *row)
{
    size_t i;
    json_t *g;
    json_array_foreach(arr, i, g)
    {
        if (json_equal(json_object_get(g, key), v))
            return g;
    }
    g = make(v, row);
    json_array_append_new(arr, g);
    return g;
}

static json_t *make_month(json_t *v, json_t *row)
{
    (void)row;
    return json_pack("{s:O, s:i, s:i, s:i, s:[]}", "month", v, "count", 0, "amount", 0,
                     "weighted_x100", 0, "owners");
}

static json_t *make_owner(json_t *v, json_t *row)
{
    return json_pack("{s:O, s:O, s:i, s:i, s:i}", "owner", v, "owner_name", json_array_get(row, 2),
                     "count", 0, "amount", 0, "weighted_x100", 0);
}

/* Sort: months ascending with null last; owners by id with null last. */
static int cmp_key(json_t *a, json_t *b)
{
    if (json_is_null(a) || json_is_null(b))
        return json_is_null(a) - json_is_null(b);
    if (json_is_string(a))
        return strcmp(json_string_value(a), json_string_value(b));
    json_int_t x = json_integer_value(a), y = json_integer_value(b);
    return x < y ? -1 : x > y;
}

static int cmp_groups(const void *pa, const void *pb, void *key)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    return cmp_key(json_object_get(a, key), json_object_get(b, key));
}

/* Sorts the array arr of objects by their member key. */
static void sort_by(json_t *arr, const char *key)
{
    size_t n = json_array_size(arr);
    if (n < 2)
        return;
    json_t **v = xrm_calloc(n, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort_r(v, n, sizeof(*v), cmp_groups, (void *)key);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
}

enum xrm_rc xrm_forecast(struct xrm_ctx *ctx, const struct xrm_forecast_opts *o, json_t **out,
                         struct xrm_err *err)
{
    json_t *rows = NULL;
    const char *cur = xrm_pipeline_currency(o->currency, err);
    if (o->from && !valid_month(o->from))
        xrm_err_field(err, XRM_E_MALFORMED, "from", "must be a month (YYYY-MM)");
    if (o->to && !valid_month(o->to))
        xrm_err_field(err, XRM_E_MALFORMED, "to", "must be a month (YYYY-MM)");
    if (!err->rc && xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_READ)
        xrm_errf(err, XRM_E_DENIED, "the forecast needs read access to domain 'sales'");
    if (err->rc)
        return err->rc;
    enum xrm_rc rc = xrm_pipe_db_forecast(ctx->db, cur, o->pipeline, o->from, o->to, &rows, err);
    if (rc)
        return rc;
    json_t *months = json_array(), *owners = json_array();
    json_t *total = json_pack("{s:i, s:i, s:i}", "count", 0, "amount", 0, "weighted_x100", 0);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *m = group(months, "month", json_array_get(row, 0), make_month, row);
        add_row(m, row);
        add_row(
            group(json_object_get(m, "owners"), "owner", json_array_get(row, 1), make_owner, row),
            row);
        add_row(group(owners, "owner", json_array_get(row, 1), make_owner, row), row);
        add_row(total, row);
    }
    sort_by(months, "month");
    sort_by(owners, "owner");
    json_t *m;
    json_array_foreach(months, i, m)
    {
        sort_by(json_object_get(m, "owners"), "owner");
        finish(m);
    }
    json_array_foreach(owners, i, m) finish(m);
    finish(total);
    json_decref(rows);
    *out = json_pack("{s:s, s:o, s:o, s:o}", "currency", cur, "months", months, "owners", owners,
                     "total", total);
    return XRM_OK;
}
