/*
 * Partners: tier levels, the monthly evaluation and its proposals (see
 * tier.h). SQL in tier-db.c.
 */
#include "domain/partners/tier.h"
#include "domain/partners/tier-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/role.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"

#include <math.h>
#include <string.h>

#include "core/banned.h"

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Levels */

static enum xrm_rc level_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                  json_t **rec, struct xrm_err *err)
{
    static const char *const plain[] = {"min_revenue", "min_certified", NULL};
    if (!before)
        return xrm_errf(err, XRM_E_DENIED, "the tiers are fixed: bronze, silver, gold, strategic");
    if (!json_is_object(w->in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    json_t *r = json_deep_copy(before);
    xrm_record_known_keys(&xrm_tier_level_kind, w->in, err);
    xrm_record_read_all(&xrm_tier_level_kind, plain, w->in, before, r, err);
    json_t *pct = json_object_get(w->in, "commission_pct");
    if (pct && (!json_is_number(pct) || json_number_value(pct) < 0 || json_number_value(pct) > 100))
        xrm_err_field(err, XRM_E_INVALID, "commission_pct", "must be a number from 0 to 100");
    else if (pct)
        json_object_set_new(r, "commission_pct",
                            json_real(round(json_number_value(pct) * 100.0) / 100.0));
    *rec = r; /* record.c releases it and fails the write on a field error */
    return XRM_OK;
}

/* Changing a tier level is for administrators (and the system). */
static enum xrm_rc level_begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                               struct xrm_err *err)
{
    (void)w;
    (void)action;
    if (!ctx->user.admin && ctx->user.id)
        return xrm_errf(err, XRM_E_DENIED, "changing partner tiers needs an administrator");
    return XRM_OK;
}

const struct xrm_record_ops xrm_tier_level_ops = {
    .kind = &xrm_tier_level_kind,
    .validate = level_validate,
    .no_domain = true, /* administrators' route */
    .begin = level_begin,
};

enum xrm_rc xrm_tier_level_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    if (xrm_access_level(&ctx->user, "partners") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "reading partner tiers needs read access to partners");
    enum xrm_rc rc = xrm_record_db_list(ctx->db, &xrm_tier_level_kind, NULL, 0, "l.tier_order", 10,
                                        0, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

/* Criteria and evaluation */

enum xrm_rc xrm_tier_criteria(struct xrm_db *db, int64_t partner_id, json_t **out,
                              struct xrm_err *err)
{
    char today[XRM_DATE_LEN], since[XRM_DATE_LEN];
    int64_t revenue = 0, certified = 0;
    xrm_clock_today(today);
    xrm_date_add_days(today, -365, since);
    enum xrm_rc rc = xrm_tier_db_revenue(db, partner_id, since, &revenue, err);
    if (!rc)
        rc = xrm_tier_db_certified(db, partner_id, today, &certified, err);
    if (!rc)
        *out = json_pack("{s:I, s:I}", "revenue_12m", (json_int_t)revenue, "certified",
                         (json_int_t)certified);
    return rc;
}

/* The order of tier in levels (0: none). */
static int64_t order_of(json_t *levels, const char *tier)
{
    size_t i;
    json_t *l;
    json_array_foreach(levels, i,
                       l) if (strcmp(str_of(l, "tier"), tier) == 0) return int_of(l, "tier_order");
    return 0;
}

/* The highest level whose thresholds are met (levels lowest first), or NULL. */
static json_t *earned(json_t *levels, json_t *c)
{
    size_t i;
    json_t *l, *best = NULL;
    json_array_foreach(levels, i, l)
    {
        if (int_of(c, "revenue_12m") >= int_of(l, "min_revenue") &&
            int_of(c, "certified") >= int_of(l, "min_certified"))
            best = l;
    }
    return best;
}

struct eval_arg {
    const struct xrm_user *user;
    json_t *made; /* new proposals */
    int64_t evaluated;
};

static enum xrm_rc propose(struct xrm_db *db, struct eval_arg *a, json_t *p, json_t *levels,
                           struct xrm_err *err)
{
    json_t *c = NULL, *rec = NULL, *out = NULL;
    char now[XRM_TIME_LEN];
    int64_t id = 0, party = int_of(p, "party");
    bool pending = false;
    enum xrm_rc rc = xrm_tier_criteria(db, party, &c, err);
    if (rc)
        return rc;
    json_t *to = earned(levels, c);
    const char *cur = json_string_value(json_object_get(p, "tier"));
    if (!to || (cur && strcmp(cur, str_of(to, "tier")) == 0))
        goto out;
    rc = xrm_tier_db_pending(db, party, &pending, err);
    if (rc || pending)
        goto out;
    bool up = int_of(to, "tier_order") > (cur ? order_of(levels, cur) : 0);
    rec = json_pack("{s:I, s:I, s:O, s:s, s:s, s:O, s:O, s:s}", "party", (json_int_t)party, "role",
                    (json_int_t)int_of(p, "role"), "from_tier", json_object_get(p, "tier"),
                    "to_tier", str_of(to, "tier"), "direction", up ? "up" : "down", "revenue",
                    json_object_get(c, "revenue_12m"), "certified", json_object_get(c, "certified"),
                    "status", "pending");
    xrm_now(now);
    rc = xrm_record_db_insert(db, &xrm_tier_proposal_kind, rec, a->user ? a->user->id : 0, now, &id,
                              err);
    if (!rc)
        rc = xrm_record_db_load(db, &xrm_tier_proposal_kind, id, &out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "create", "tier_proposal", id, NULL, out, err);
    if (!rc) {
        json_array_append(a->made, out);
    }
out:
    json_decref(c);
    json_decref(rec);
    json_decref(out);
    return rc;
}

static enum xrm_rc evaluate_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct eval_arg *a = arg;
    json_t *levels = NULL, *partners = NULL, *p;
    char today[XRM_DATE_LEN];
    size_t i;
    xrm_clock_today(today);
    json_array_clear(a->made);
    a->evaluated = 0;
    enum xrm_rc rc = xrm_access_write(a->user, "partners", err);
    if (!rc)
        rc = xrm_record_db_list(db, &xrm_tier_level_kind, NULL, 0, "l.tier_order", 10, 0, &levels,
                                err);
    if (!rc)
        rc = xrm_tier_db_partners(db, today, &partners, err);
    json_array_foreach(partners, i, p)
    {
        if (rc)
            break;
        rc = propose(db, a, p, levels, err);
        a->evaluated++;
    }
    json_decref(levels);
    json_decref(partners);
    return rc;
}

enum xrm_rc xrm_tier_evaluate(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    struct eval_arg a = {.user = &ctx->user, .made = json_array()};
    enum xrm_rc rc = xrm_store_write(ctx->store, evaluate_tx, &a, err);
    if (rc) {
        json_decref(a.made);
        return rc;
    }
    *out = json_pack("{s:I, s:o}", "evaluated", (json_int_t)a.evaluated, "items", a.made);
    return XRM_OK;
}

/* Proposals */

static enum xrm_rc proposal_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                     json_t **rec, struct xrm_err *err)
{
    const char *to = NULL;
    char now[XRM_TIME_LEN];
    if (!before)
        return xrm_errf(err, XRM_E_DENIED, "tier proposals are made by an evaluation");
    if (!json_is_object(w->in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_record_known_keys(&xrm_tier_proposal_kind, w->in, err);
    if (xrm_json_get_str(w->in, NULL, "status", 16, true, &to, err) &&
        strcmp(to, "accepted") != 0 && strcmp(to, "rejected") != 0)
        xrm_err_field(err, XRM_E_INVALID, "status", "must be accepted or rejected");
    if (err->rc)
        return err->rc;
    if (strcmp(str_of(before, "status"), "pending") != 0)
        return xrm_errf(err, XRM_E_CONFLICT, "this proposal was already %s",
                        str_of(before, "status"));
    xrm_now(now);
    *rec = json_deep_copy(before);
    json_object_set_new(*rec, "status", json_string(to));
    json_object_set_new(*rec, "decided_by",
                        w->user && w->user->id ? json_integer(w->user->id) : json_null());
    json_object_set_new(*rec, "decided_at", json_string(now));
    return XRM_OK;
}

enum xrm_rc xrm_tier_proposal_list(struct xrm_ctx *ctx, const char *status, int64_t party,
                                   json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[2] = {{0}};
    int nc = 0;
    json_t *items = NULL;
    if (status && strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 &&
        strcmp(status, "rejected") != 0)
        return xrm_err_field(err, XRM_E_MALFORMED, "status",
                             "must be pending, accepted or rejected");
    if (xrm_access_level(&ctx->user, "partners") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "reading tier proposals needs read access to partners");
    if (status) {
        c[nc].sql = "t.status = ?";
        xrm_record_cond_text(&c[nc++], status);
    }
    if (party) {
        c[nc].sql = "t.party_id = ?";
        xrm_record_cond_num(&c[nc++], party);
    }
    enum xrm_rc rc =
        xrm_record_db_list(ctx->db, &xrm_tier_proposal_kind, c, nc, NULL, 500, 0, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

/*
 * Accepting changes the role's tier first, as a role write of the user (its
 * own checks, audit and listeners), then marks the proposal; the version
 * and the user's right are checked before either.
 */
static enum xrm_rc proposal_begin(struct xrm_ctx *ctx, struct xrm_record_write *w,
                                  const char *action, struct xrm_err *err)
{
    json_t *before = NULL, *role_patch = NULL, *role = NULL;
    if (strcmp(action, "update") != 0)
        return XRM_OK;
    enum xrm_rc rc = xrm_record_get(ctx, w->ops, w->id, &before, err);
    if (!rc)
        rc = xrm_access_write(&ctx->user, "partners", err);
    if (!rc)
        rc = xrm_record_check_version(before, w->if_version, err);
    if (rc)
        goto out;
    const char *to = json_string_value(json_object_get(w->in, "status"));
    if (to && strcmp(to, "accepted") == 0 && strcmp(str_of(before, "status"), "pending") == 0) {
        role_patch =
            json_pack("{s:{s:O}}", "attributes", "tier", json_object_get(before, "to_tier"));
        rc = xrm_role_update(ctx, int_of(before, "role"), 0, role_patch, &role, err);
    }
out:
    json_decref(before);
    json_decref(role_patch);
    json_decref(role);
    return rc;
}

const struct xrm_record_ops xrm_tier_proposal_ops = {
    .kind = &xrm_tier_proposal_kind,
    .domain = "partners",
    .validate = proposal_validate,
    .begin = proposal_begin,
};
