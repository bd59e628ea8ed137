/*
 * Deals: the rules. Validation of deal input against its pipeline, the
 * coupling of stage and status, the stage history, and winning: the
 * party's customer role becomes active inside the same transaction as the
 * win, so a won deal never exists beside an inactive customer.
 *
 * An update is validated as a whole: every field is the patch's when the
 * patch has it, else the stored deal's, so a deal can never reach a state
 * that create refuses. Writes touch the party (its response carries the
 * deal counts and revenue, so its ETag must change).
 */
#include "domain/records/deal.h"
#include "domain/records/deal-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/records/automation.h"
#include "domain/party/party.h"
#include "domain/records/pipeline.h"
#include "domain/records/records.h"
#include "domain/party/role.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define TITLE_MAX 200
#define REASON_MAX 500

static const char *const input_keys[] = {"party",  "pipeline", "stage",       "title",
                                         "amount", "currency", "probability", "expected_close",
                                         "owner",  "status",   "lost_reason", NULL};
/* Fields a client may echo back from a GET; ignored on input. */
static const char *const readonly_keys[] = {
    "id",         "party_name", "stage_name", "probability_source", "closed_at",
    "created_by", "version",    "created_at", "updated_at",         NULL};

static bool in_list(const char *const *list, const char *key)
{
    for (const char *const *k = list; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

/* The value of key: the patch's when it has the key (even null), else the stored one. */
static json_t *pick(json_t *patch, json_t *before, const char *key)
{
    json_t *v = json_object_get(patch, key);
    if (v || !before)
        return v;
    return json_object_get(before, key);
}

/* The deal's own probability as stored (null when it follows its stage). */
static json_t *own_probability(json_t *deal)
{
    const char *src = json_string_value(json_object_get(deal, "probability_source"));
    if (src && strcmp(src, "deal") == 0)
        return json_object_get(deal, "probability");
    return NULL;
}

struct deal_vals {
    json_t *rec;        /* validated record for deal-db.c */
    json_t *pipeline;   /* the deal's pipeline with stages */
    json_t *stage;      /* borrowed from pipeline */
    bool stage_changed; /* create, or a different stage than before */
};

static void vals_release(struct deal_vals *v)
{
    json_decref(v->rec);
    json_decref(v->pipeline);
}

/* pipeline: the patch's or stored one, else the default; loads it into v->pipeline. */
static enum xrm_rc read_pipeline(struct xrm_db *db, json_t *patch, json_t *before,
                                 struct deal_vals *v, struct xrm_err *err)
{
    json_t *tmp = json_object();
    json_object_set(tmp, "pipeline", pick(patch, before, "pipeline"));
    int64_t id = 0;
    enum xrm_rc rc = XRM_OK;
    if (!xrm_json_get_int(tmp, NULL, "pipeline", 1, INT64_MAX, false, &id, err)) {
        if (err->nfields && strcmp(err->fields[err->nfields - 1].field, "pipeline") == 0)
            goto out;
        rc = xrm_pipeline_default(db, &id, err);
        if (rc)
            goto out;
        if (!id) {
            xrm_err_field(err, XRM_E_INVALID, "pipeline", "there is no pipeline; create one");
            goto out;
        }
    }
    struct xrm_err e = XRM_ERR_INIT;
    rc = xrm_pipeline_load(db, id, &v->pipeline, &e);
    if (rc == XRM_E_NOTFOUND) {
        rc = XRM_OK;
        xrm_err_field(err, XRM_E_INVALID, "pipeline", "no pipeline %lld", (long long)id);
    } else if (rc) {
        *err = e;
    }
out:
    json_decref(tmp);
    return rc;
}

/*
 * Stage and status. A stage given in the patch decides, and a status given
 * with it must agree; a status alone moves the deal to the first stage of
 * that kind unless its stage already is of that kind.
 */
static void read_stage(json_t *patch, json_t *before, struct deal_vals *v, struct xrm_err *err)
{
    const char *status = NULL;
    json_t *p = v->pipeline;
    int64_t sid = 0;
    if (xrm_json_get_str(patch, NULL, "status", 16, false, &status, err) &&
        strcmp(status, "open") != 0 && strcmp(status, "won") != 0 && strcmp(status, "lost") != 0) {
        xrm_err_field(err, XRM_E_INVALID, "status", "must be open, won or lost");
        status = NULL;
    }
    if (xrm_json_get_int(patch, NULL, "stage", 1, INT64_MAX, false, &sid, err)) {
        v->stage = xrm_pipeline_stage(p, sid);
        if (!v->stage) {
            xrm_err_field(err, XRM_E_INVALID, "stage", "stage %lld is not a stage of pipeline '%s'",
                          (long long)sid, json_string_value(json_object_get(p, "name")));
            return;
        }
        const char *kind = json_string_value(json_object_get(v->stage, "kind"));
        if (status && strcmp(status, kind) != 0)
            xrm_err_field(err, XRM_E_INVALID, "status",
                          "'%s' does not match stage '%s', which is %s", status,
                          json_string_value(json_object_get(v->stage, "name")), kind);
        return;
    }
    bool same_pipeline = before && json_integer_value(json_object_get(before, "pipeline")) ==
                                       json_integer_value(json_object_get(p, "id"));
    if (same_pipeline)
        v->stage = xrm_pipeline_stage(p, json_integer_value(json_object_get(before, "stage")));
    if (status &&
        (!v->stage || strcmp(json_string_value(json_object_get(v->stage, "kind")), status) != 0))
        v->stage = xrm_pipeline_first_stage(p, status);
    if (!v->stage && !status)
        v->stage = xrm_pipeline_first_stage(p, "open");
    if (!v->stage)
        xrm_err_field(err, XRM_E_INVALID, status ? "status" : "stage",
                      "pipeline '%s' has no %s stage",
                      json_string_value(json_object_get(p, "name")), status ? status : "open");
}

static void read_text_fields(json_t *patch, json_t *before, json_t *rec, struct xrm_err *err)
{
    json_t *tmp = json_object();
    const char *s = NULL;
    int64_t amount = 0;
    static const char *const keys[] = {"title", "amount", "currency", "expected_close", NULL};
    for (const char *const *k = keys; *k; k++)
        json_object_set(tmp, *k, pick(patch, before, *k));
    if (xrm_json_get_str(tmp, NULL, "title", TITLE_MAX, true, &s, err))
        json_object_set_new(rec, "title", xrm_records_trimmed(s));
    if (xrm_json_get_int(tmp, NULL, "amount", 0, XRM_AMOUNT_MAX, false, &amount, err))
        json_object_set_new(rec, "amount", json_integer(amount));
    else
        json_object_set_new(rec, "amount", json_integer(0));
    xrm_records_currency(tmp, "currency", &s, err);
    json_object_set_new(rec, "currency", json_string(s));
    s = NULL;
    if (xrm_json_get_str(tmp, NULL, "expected_close", 16, false, &s, err)) {
        if (xrm_valid_date(s))
            json_object_set_new(rec, "expected_close", json_string(s));
        else
            xrm_err_field(err, XRM_E_INVALID, "expected_close", "must be a date (YYYY-MM-DD)");
    }
    json_decref(tmp);
}

/*
 * Validates a create (before NULL) or a patch of before into v. Input errors
 * are field errors returned as their code; database failures as their own.
 */
static enum xrm_rc validate(struct xrm_db *db, const struct xrm_user *user, json_t *patch,
                            json_t *before, struct deal_vals *v, struct xrm_err *err)
{
    int nf = err->nfields;
    enum xrm_rc rc;
    const char *key;
    json_t *val, *tmp = json_object();
    char now[XRM_TIME_LEN];

    if (!json_is_object(patch)) {
        json_decref(tmp);
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    }
    json_object_foreach(patch, key, val)
    {
        if (!in_list(input_keys, key) && !in_list(readonly_keys, key))
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
    v->rec = json_object();
    int64_t id = 0;
    json_object_set(tmp, "party", pick(patch, before, "party"));
    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (rc)
        goto out;
    json_object_set_new(v->rec, "party", id ? json_integer(id) : json_null());
    read_text_fields(patch, before, v->rec, err);

    json_object_set(tmp, "owner", pick(patch, before, "owner"));
    rc = xrm_records_user(db, tmp, "owner", &id, err);
    if (rc)
        goto out;
    if (!id && !before && !json_object_get(patch, "owner") && user && user->id)
        id = user->id;
    json_object_set_new(v->rec, "owner", id ? json_integer(id) : json_null());

    rc = read_pipeline(db, patch, before, v, err);
    if (rc || !v->pipeline)
        goto out;
    json_object_set(v->rec, "pipeline", json_object_get(v->pipeline, "id"));
    read_stage(patch, before, v, err);
    if (!v->stage)
        goto out;
    const char *status = json_string_value(json_object_get(v->stage, "kind"));
    int64_t stage_id = json_integer_value(json_object_get(v->stage, "id"));
    v->stage_changed = !before || json_integer_value(json_object_get(before, "stage")) != stage_id;
    json_object_set_new(v->rec, "stage", json_integer(stage_id));
    json_object_set_new(v->rec, "status", json_string(status));

    /* probability: dropped by a stage change unless set with it; only open deals keep one. */
    json_t *prob = json_object_get(patch, "probability");
    if (prob && before && !own_probability(before) &&
        json_equal(prob, json_object_get(before, "probability")))
        prob = NULL; /* an echoed GET: the stage's probability, not one of the deal's own */
    if (!prob && !v->stage_changed && before)
        prob = own_probability(before);
    json_object_set(tmp, "probability", prob);
    int64_t p = 0;
    if (xrm_json_get_int(tmp, NULL, "probability", 0, 100, false, &p, err) &&
        strcmp(status, "open") == 0)
        json_object_set_new(v->rec, "probability", json_integer(p));

    const char *reason = NULL;
    json_object_set(tmp, "lost_reason", pick(patch, before, "lost_reason"));
    xrm_json_get_str(tmp, NULL, "lost_reason", REASON_MAX, false, &reason, err);
    if (strcmp(status, "lost") == 0) {
        if (reason)
            json_object_set_new(v->rec, "lost_reason", xrm_records_trimmed(reason));
        else
            xrm_err_field(err, XRM_E_INVALID, "lost_reason", "is required when a deal is lost");
    }
    if (strcmp(status, "open") != 0) {
        const char *was = before ? json_string_value(json_object_get(before, "status")) : NULL;
        if (was && strcmp(was, status) == 0 && json_is_string(json_object_get(before, "closed_at")))
            json_object_set(v->rec, "closed_at", json_object_get(before, "closed_at"));
        else {
            xrm_clock_now(now);
            json_object_set_new(v->rec, "closed_at", json_string(now));
        }
    }
out:
    json_decref(tmp);
    if (rc)
        return rc;
    if (err->nfields > nf)
        return err->rc ? err->rc : XRM_E_INVALID;
    return XRM_OK;
}

/* The customer role of party_id that winning should activate, per the rules in deal.h. */
static enum xrm_rc activate_customer(struct xrm_db *db, const struct xrm_user *user,
                                     int64_t party_id, struct xrm_err *err)
{
    json_t *roles = NULL, *cand = NULL, *after = NULL;
    char today[XRM_DATE_LEN], now[XRM_TIME_LEN];
    size_t i;
    json_t *r;

    xrm_clock_today(today);
    enum xrm_rc rc = xrm_role_array_for_party(db, party_id, &roles, err);
    if (rc)
        return rc;
    json_array_foreach(roles, i, r)
    {
        const char *type = json_string_value(json_object_get(r, "type"));
        const char *status = json_string_value(json_object_get(r, "status"));
        const char *until = json_string_value(json_object_get(r, "until"));
        if (!type || strcmp(type, "customer") != 0 || !status)
            continue;
        if (strcmp(status, "active") == 0 && (!until || strcmp(until, today) >= 0))
            goto out; /* already a customer */
        if (!cand && !until && (strcmp(status, "lead") == 0 || strcmp(status, "prospect") == 0))
            cand = r;
    }
    if (cand) {
        int64_t role_id = json_integer_value(json_object_get(cand, "id"));
        xrm_now(now);
        rc = xrm_deal_db_role_activate(db, role_id, today, now, err);
        if (!rc)
            rc = xrm_role_array_for_party(db, party_id, &after, err);
        json_array_foreach(after, i, r)
        {
            if (rc || json_integer_value(json_object_get(r, "id")) != role_id)
                continue;
            rc = xrm_audit_add(db, user, "update", "role", role_id, cand, r, err);
        }
    } else {
        json_t *in =
            json_pack("{s:s, s:s, s:s}", "type", "customer", "status", "active", "since", today);
        rc = xrm_role_insert_tx(db, user, party_id, in, "customer_role.", NULL, err);
        json_decref(in);
    }
    if (!rc)
        rc = xrm_party_touch(db, party_id, err);
out:
    json_decref(roles);
    json_decref(after);
    return rc;
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

enum xrm_rc xrm_deal_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_deal_db_load(db, id, out, err);
}

enum xrm_rc xrm_deal_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                               json_t **out, struct xrm_err *err)
{
    struct deal_vals v = {0};
    json_t *after = NULL;
    char now[XRM_TIME_LEN];
    int64_t id = 0;

    enum xrm_rc rc = xrm_access_write(user, "sales", err);
    if (!rc)
        rc = validate(db, user, in, NULL, &v, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_deal_db_insert(db, v.rec, user ? user->id : 0, now, &id, err);
    if (!rc) {
        xrm_clock_now(now);
        rc = xrm_deal_db_history_add(db, id, NULL, v.stage, user ? user->id : 0, now, err);
    }
    if (!rc && strcmp(json_string_value(json_object_get(v.rec, "status")), "won") == 0)
        rc = activate_customer(db, user, int_of(v.rec, "party"), err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(v.rec, "party"), err);
    if (!rc)
        rc = xrm_deal_db_load(db, id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "create", "deal", id, NULL, after, err);
    if (!rc && out) {
        *out = after;
        after = NULL;
    }
out:
    vals_release(&v);
    json_decref(after);
    return rc;
}

/* Applies patch to deal id; *stage_changed tells the caller to run stage automations. */
static enum xrm_rc update_in(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                             int64_t if_version, json_t *patch, json_t **out, bool *stage_changed,
                             struct xrm_err *err)
{
    struct deal_vals v = {0};
    json_t *before = NULL, *after = NULL, *from = NULL;
    char now[XRM_TIME_LEN];

    enum xrm_rc rc = xrm_access_read(user, "sales", "deal", id, err);
    if (!rc)
        rc = xrm_deal_db_load(db, id, &before, err);
    if (!rc)
        rc = xrm_access_write(user, "sales", err);
    if (!rc)
        rc = xrm_records_check_version(before, if_version, err);
    if (!rc)
        rc = validate(db, user, patch, before, &v, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_deal_db_update(db, id, v.rec, now, err);
    if (!rc && v.stage_changed) {
        from = json_pack("{s:O, s:O}", "id", json_object_get(before, "stage"), "name",
                         json_object_get(before, "stage_name"));
        xrm_clock_now(now);
        rc = xrm_deal_db_history_add(db, id, from, v.stage, user ? user->id : 0, now, err);
    }
    const char *status = json_string_value(json_object_get(v.rec, "status"));
    bool was_won = strcmp(json_string_value(json_object_get(before, "status")), "won") == 0;
    bool party_changed = int_of(before, "party") != int_of(v.rec, "party");
    if (!rc && strcmp(status, "won") == 0 && (!was_won || party_changed))
        rc = activate_customer(db, user, int_of(v.rec, "party"), err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(v.rec, "party"), err);
    if (!rc && party_changed)
        rc = xrm_party_touch(db, int_of(before, "party"), err);
    if (!rc)
        rc = xrm_deal_db_load(db, id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "update", "deal", id, before, after, err);
    if (!rc) {
        *stage_changed = v.stage_changed;
        if (out) {
            *out = after;
            after = NULL;
        }
    }
out:
    vals_release(&v);
    json_decref(before);
    json_decref(after);
    json_decref(from);
    return rc;
}

enum xrm_rc xrm_deal_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *patch, json_t **out, struct xrm_err *err)
{
    bool changed = false;
    return update_in(db, user, id, 0, patch, out, &changed, err);
}

struct deal_arg {
    const struct xrm_user *user;
    int64_t id;
    int64_t if_version;
    json_t *in;
    json_t *out;
    bool stage_changed;
};

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct deal_arg *a = arg;
    return xrm_deal_insert_tx(db, a->user, a->in, &a->out, err);
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct deal_arg *a = arg;
    return update_in(db, a->user, a->id, a->if_version, a->in, &a->out, &a->stage_changed, err);
}

static enum xrm_rc delete_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct deal_arg *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_access_read(a->user, "sales", "deal", a->id, err);
    if (!rc)
        rc = xrm_deal_db_load(db, a->id, &before, err);
    if (!rc)
        rc = xrm_access_write(a->user, "sales", err);
    if (!rc)
        rc = xrm_records_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_deal_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(before, "party"), err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "deal", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

/* Runs the stage automations of deal id after its write committed; failures are logged. */
static void after_stage_change(struct xrm_ctx *ctx, int64_t id)
{
    struct xrm_err e = XRM_ERR_INIT;
    if (xrm_automation_on_deal(ctx, id, &e))
        xrm_log(XRM_LOG_WARN, "automations for deal %lld: %s", (long long)id, e.message);
}

/* The final answer: the deal as it is after its automations ran. */
static enum xrm_rc reload(struct xrm_ctx *ctx, struct deal_arg *a, json_t **out,
                          struct xrm_err *err)
{
    int64_t id = int_of(a->out, "id");
    json_decref(a->out);
    a->out = NULL;
    return xrm_deal_db_load(ctx->db, id, out, err);
}

enum xrm_rc xrm_deal_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct deal_arg a = {.user = &ctx->user, .in = in};
    enum xrm_rc rc = xrm_store_write(ctx->store, create_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    after_stage_change(ctx, int_of(a.out, "id"));
    return reload(ctx, &a, out, err);
}

enum xrm_rc xrm_deal_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_read(&ctx->user, "sales", "deal", id, err);
    return rc ? rc : xrm_deal_db_load(ctx->db, id, out, err);
}

enum xrm_rc xrm_deal_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                            json_t **out, struct xrm_err *err)
{
    struct deal_arg a = {.user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    if (!json_is_object(patch))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    enum xrm_rc rc = xrm_store_write(ctx->store, update_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    if (a.stage_changed)
        after_stage_change(ctx, id);
    return reload(ctx, &a, out, err);
}

enum xrm_rc xrm_deal_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                            struct xrm_err *err)
{
    struct deal_arg a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return xrm_store_write(ctx->store, delete_tx, &a, err);
}

enum xrm_rc xrm_deal_history(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *deal = NULL, *items = NULL;
    enum xrm_rc rc = xrm_deal_get(ctx, id, &deal, err);
    json_decref(deal);
    if (!rc)
        rc = xrm_deal_db_history(ctx->db, id, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

enum xrm_rc xrm_deal_list(struct xrm_ctx *ctx, const struct xrm_deal_filter *f, int limit,
                          const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_deal_filter any = {0};
    int64_t before_id = 0;
    json_t *items = NULL;
    if (!f)
        f = &any;
    if (f->status && strcmp(f->status, "open") != 0 && strcmp(f->status, "won") != 0 &&
        strcmp(f->status, "lost") != 0)
        xrm_err_field(err, XRM_E_MALFORMED, "status", "must be open, won or lost");
    xrm_records_cursor(cursor, &before_id, err);
    if (err->rc)
        return err->rc;
    limit = xrm_records_limit(limit);
    if (xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_READ) {
        *out = json_pack("{s:[], s:n}", "items", "next"); /* deals are sales records */
        return XRM_OK;
    }
    enum xrm_rc rc = xrm_deal_db_list(ctx->db, f, limit + 1, before_id, &items, err);
    if (rc)
        return rc;
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}
