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
#include "domain/base/record.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/activity.h"
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

#define REASON_MAX 500

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

/* What a deal write knows besides its input (struct xrm_record_write.arg). */
struct deal_arg {
    struct deal_vals v;
    bool via_partners; /* partners: a partners writer without sales write registers it */
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

/*
 * Partners. A deal may carry a partner: a party holding a current partner
 * role. Named on the deal it is "given"; left out of a create, the partner
 * who referred the party (a current referred_by relationship) is filled in
 * as a "referral". A patch may change or clear it; echoing it keeps its
 * source. A user with write access to partners but not to sales may
 * register a deal (via_partners) that carries a partner and starts open;
 * everything else about deals needs sales write. The deal listeners
 * (xrm_deal_listener_add; commissions) hear of every deal write.
 */
static enum xrm_rc read_partner(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                json_t *rec, struct xrm_err *err)
{
    json_t *given = json_object_get(w->in, "partner");
    json_t *source = NULL;
    char today[XRM_DATE_LEN];
    int64_t id = 0;
    enum xrm_rc rc = XRM_OK;
    bool is = false;
    xrm_clock_today(today);
    if (given && !json_is_null(given)) {
        json_t *tmp = json_pack("{s:O}", "partner", given);
        rc = xrm_records_party(db, tmp, "partner", &id, err);
        json_decref(tmp);
        if (!rc && id && before && json_integer_value(json_object_get(before, "partner")) == id)
            source = json_incref(json_object_get(before, "partner_source"));
        else if (!rc && id && !(rc = xrm_deal_db_is_partner(db, id, today, &is, err)) && !is)
            xrm_err_field(err, XRM_E_INVALID, "partner", "party %lld holds no partner role",
                          (long long)id);
        else if (!rc && id)
            source = json_string("given");
    } else if (!given && before) {
        id = json_integer_value(json_object_get(before, "partner"));
        source = json_incref(json_object_get(before, "partner_source"));
    } else if (!given) {
        int64_t party = json_integer_value(json_object_get(rec, "party"));
        if (party)
            rc = xrm_deal_db_referrer(db, party, today, &id, err);
        if (!rc && id)
            source = json_string("referral");
    }
    json_object_set_new(rec, "partner", id ? json_integer(id) : json_null());
    json_object_set_new(rec, "partner_source", id && source ? source : json_null());
    if (!(id && source))
        json_decref(source);
    if (!rc && ((struct deal_arg *)w->arg)->via_partners && !id)
        rc = xrm_errf(err, XRM_E_DENIED,
                      "registering a deal without a partner needs write access to sales");
    return rc;
}

#define DEAL_LISTENERS_MAX 4
static xrm_deal_listener_fn deal_listeners[DEAL_LISTENERS_MAX];

void xrm_deal_listener_add(xrm_deal_listener_fn fn)
{
    for (size_t i = 0; i < DEAL_LISTENERS_MAX; i++) {
        if (deal_listeners[i] == fn)
            return;
        if (!deal_listeners[i]) {
            deal_listeners[i] = fn;
            return;
        }
    }
    xrm_log(XRM_LOG_ERROR, "deal listeners: more than %d", DEAL_LISTENERS_MAX);
}

/* Tells the listeners of the write of deal w->id (before / after as API JSON, NULL if none). */
static enum xrm_rc tell_listeners(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                  bool deleted, struct xrm_err *err)
{
    json_t *now = NULL;
    enum xrm_rc rc = XRM_OK;
    if (!deal_listeners[0])
        return XRM_OK;
    if (!deleted)
        rc = xrm_deal_load(db, w->id, &now, err);
    for (size_t i = 0; !rc && i < DEAL_LISTENERS_MAX && deal_listeners[i]; i++)
        rc = deal_listeners[i](db, w->user, before, now, err);
    json_decref(now);
    return rc;
}

/*
 * Validates a create (before NULL) or a patch of before into v. Input errors
 * are field errors returned as their code; database failures as their own.
 */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"title", "amount", "currency", "expected_close", NULL};
    const struct xrm_user *user = w->user;
    struct deal_vals *v = &((struct deal_arg *)w->arg)->v;
    json_t *patch = w->in;
    enum xrm_rc rc;
    json_t *tmp = json_object();
    char now[XRM_TIME_LEN];

    if (!json_is_object(patch)) {
        json_decref(tmp);
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    }
    xrm_record_known_keys(&xrm_deal_kind, patch, err);
    v->rec = json_object();
    int64_t id = 0;
    json_object_set(tmp, "party", pick(patch, before, "party"));
    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (rc)
        goto out;
    json_object_set_new(v->rec, "party", id ? json_integer(id) : json_null());
    xrm_record_read_all(&xrm_deal_kind, plain, patch, before, v->rec, err);
    rc = read_partner(db, w, before, v->rec, err); /* partners */
    if (rc)
        goto out;

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
    if (((struct deal_arg *)w->arg)->via_partners && strcmp(status, "open") != 0) /* partners */
        xrm_err_field(err, XRM_E_INVALID, "status", "a deal registered by a partner starts open");

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
    *rec_out = json_incref(v->rec); /* record.c fails the write on a field error */
    return rc;
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

/*
 * After the row is written: a new stage goes into the history, and a deal
 * that becomes won (or moves to another party won) activates the customer.
 */
static enum xrm_rc after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    struct deal_vals *v = &((struct deal_arg *)w->arg)->v;
    json_t *from = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = tell_listeners(db, w, before, !rec, err); /* partners: commissions */
    if (rc || !rec)
        return rc;
    if (v->stage_changed) {
        if (before)
            from = json_pack("{s:O, s:O}", "id", json_object_get(before, "stage"), "name",
                             json_object_get(before, "stage_name"));
        xrm_clock_now(now);
        rc =
            xrm_deal_db_history_add(db, w->id, from, v->stage, w->user ? w->user->id : 0, now, err);
    }
    const char *status = json_string_value(json_object_get(rec, "status"));
    bool was_won =
        before && strcmp(json_string_value(json_object_get(before, "status")), "won") == 0;
    bool party_changed = before && int_of(before, "party") != int_of(rec, "party");
    if (!rc && strcmp(status, "won") == 0 && (!was_won || party_changed))
        rc = activate_customer(db, w->user, int_of(rec, "party"), err);
    json_decref(from);
    return rc;
}

enum xrm_rc xrm_deal_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_db_load(db, &xrm_deal_kind, id, out, err);
}

/* Deal events: the functions that run after a deal entered a stage. */
#define STAGE_HOOKS_MAX 4
static xrm_deal_event_fn stage_hooks[STAGE_HOOKS_MAX];

void xrm_deal_on_stage_entered(xrm_deal_event_fn fn)
{
    for (size_t i = 0; i < STAGE_HOOKS_MAX; i++) {
        if (stage_hooks[i] == fn)
            return;
        if (!stage_hooks[i]) {
            stage_hooks[i] = fn;
            return;
        }
    }
    xrm_log(XRM_LOG_ERROR, "deal events: more than %d stage hooks", STAGE_HOOKS_MAX);
}

/* Runs the stage hooks for deal id after its write committed; failures are logged. */
static void after_stage_change(struct xrm_ctx *ctx, int64_t id)
{
    for (size_t i = 0; i < STAGE_HOOKS_MAX && stage_hooks[i]; i++) {
        struct xrm_err e = XRM_ERR_INIT;
        if (stage_hooks[i](ctx, id, &e))
            xrm_log(XRM_LOG_WARN, "after deal %lld entered a stage: %s", (long long)id, e.message);
    }
}

/* Partners: a deal registered by a partners writer (the write gate asks partners write). */
static const struct xrm_record_ops partner_ops = {
    .kind = &xrm_deal_kind,
    .domain = "partners",
    .validate = validate,
    .after = after,
    .touch = xrm_party_touch,
};

/*
 * Before a write: a patch must be an object; a create by a partners writer
 * without sales write registers the deal (partner_ops).
 */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    struct deal_arg *a = w->arg;
    if (strcmp(action, "create") == 0) {
        a->via_partners = xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_WRITE &&
                          xrm_access_level(&ctx->user, "partners") >= XRM_LEVEL_WRITE;
        if (a->via_partners)
            w->ops = &partner_ops;
    }
    if (strcmp(action, "update") == 0 && !json_is_object(w->in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    return XRM_OK;
}

/* The answer of a write: the deal as it is after the stage automations ran. */
static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    struct deal_arg *a = w->arg;
    if (strcmp(action, "get") == 0)
        return XRM_OK;
    if (a->v.stage_changed)
        after_stage_change(ctx, w->id);
    json_decref(*rec);
    *rec = NULL;
    return xrm_deal_load(ctx->db, w->id, rec, err);
}

static void end(struct xrm_record_write *w)
{
    vals_release(&((struct deal_arg *)w->arg)->v);
}

const struct xrm_record_ops xrm_deal_ops = {
    .kind = &xrm_deal_kind,
    .domain = "sales",
    .validate = validate,
    .after = after,
    .touch = xrm_party_touch,
    .arg_size = sizeof(struct deal_arg),
    .begin = begin,
    .view = view,
    .end = end,
};

enum xrm_rc xrm_deal_history(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *deal = NULL, *items = NULL;
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_deal_ops, id, &deal, err);
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

/* Activities on a deal */

struct deal_act_arg {
    const struct xrm_user *user;
    int64_t id;
    json_t *in; /* validated: type, subject, body?, domain, parties, at */
    json_t *out;
};

static enum xrm_rc deal_activity_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct deal_act_arg *a = arg;
    json_t *deal = NULL, *act = NULL;
    enum xrm_rc rc = xrm_deal_load(db, a->id, &deal, err);
    if (!rc)
        rc = xrm_access_read(a->user, "sales", "deal", a->id, err);
    if (!rc)
        rc = xrm_access_write(a->user, "sales", err);
    if (rc)
        goto out;
    json_object_set_new(a->in, "parties", json_pack("[O]", json_object_get(deal, "party")));
    rc = xrm_activity_insert_tx(db, a->user, a->in, NULL, &act, err);
    if (!rc)
        rc = xrm_records_link(db, int_of(act, "id"), "deal", a->id, "note", err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(deal, "party"), err);
    if (!rc) {
        json_object_set_new(act, "link", json_string("note"));
        a->out = act;
        act = NULL;
    }
out:
    json_decref(deal);
    json_decref(act);
    return rc;
}

enum xrm_rc xrm_deal_add_activity(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                  struct xrm_err *err)
{
    static const char *const keys[] = {"type", "subject", "body", NULL};
    static const char *const types[] = {"note", "call", "meeting", "email", NULL};
    struct deal_act_arg a = {.user = &ctx->user, .id = id};
    const char *type = "note";
    char now[XRM_TIME_LEN];
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "type", 16, false, &type, err)) {
        bool known = false;
        for (size_t i = 0; types[i]; i++)
            known = known || strcmp(types[i], type) == 0;
        if (!known)
            xrm_err_field(err, XRM_E_INVALID, "type", "must be note, call, meeting or email");
    }
    if (err->rc)
        return err->rc;
    xrm_clock_now(now);
    a.in = json_pack("{s:s, s:s, s:O, s:s}", "type", type, "domain", "sales", "subject",
                     json_object_get(in, "subject") ? json_object_get(in, "subject") : json_null(),
                     "at", now);
    if (json_object_get(in, "body"))
        json_object_set(a.in, "body", json_object_get(in, "body"));
    enum xrm_rc rc = xrm_store_write(ctx->store, deal_activity_tx, &a, err);
    json_decref(a.in);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}
