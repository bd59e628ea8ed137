/*
 * Partners: commission lines, the rules (see commission.h). The line is
 * made, updated and cancelled by the deal listener inside the deal's write;
 * people only move its status. SQL in commission-db.c.
 */
#include "domain/partners/commission.h"
#include "domain/partners/commission-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/role.h"
#include "io/csv.h"
#include "core/json.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define STATEMENT_MAX 5000 /* lines of one statement */

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The current partner role of a party's roles (active before prospect), borrowed, or NULL. */
static json_t *partner_role(json_t *roles)
{
    char today[XRM_DATE_LEN];
    json_t *best = NULL, *r;
    size_t i;
    xrm_clock_today(today);
    json_array_foreach(roles, i, r)
    {
        const char *until = json_string_value(json_object_get(r, "until"));
        if (!streq(str_of(r, "type"), "partner") || streq(str_of(r, "status"), "former") ||
            (until && strcmp(until, today) < 0))
            continue;
        if (!best || streq(str_of(r, "status"), "active"))
            best = r;
    }
    return best;
}

enum xrm_rc xrm_commission_pct(struct xrm_db *db, int64_t partner_id, json_t **pct,
                               const char **source, json_t **role, struct xrm_err *err)
{
    json_t *roles = NULL, *found = NULL;
    enum xrm_rc rc = xrm_role_array_for_party(db, partner_id, &roles, err);
    *pct = NULL;
    *role = NULL;
    *source = "tier";
    if (rc)
        return rc;
    json_t *r = partner_role(roles);
    json_t *own = json_object_get(json_object_get(r, "attributes"), "commission_pct");
    if (json_is_number(own)) {
        *pct = json_real(round(json_number_value(own) * 100.0) / 100.0);
        *source = "partner";
    } else {
        const char *tier =
            json_string_value(json_object_get(json_object_get(r, "attributes"), "tier"));
        rc = xrm_commission_db_tier_pct(db, tier ? tier : "bronze", &found, err);
        if (!rc && !found && tier)
            rc = xrm_commission_db_tier_pct(db, "bronze", &found, err);
        if (!rc)
            *pct = json_is_number(found) ? json_real(json_number_value(found)) : json_real(0);
        json_decref(found);
    }
    if (!rc && r)
        *role = json_incref(r);
    json_decref(roles);
    return rc;
}

/* base x pct %, rounded half up to whole cents. */
static int64_t commission_of(int64_t base, json_t *pct)
{
    int64_t bp = (int64_t)llround(json_number_value(pct) * 100.0);
    __int128 v = (__int128)base * bp;
    return (int64_t)((v + (v >= 0 ? 5000 : -5000)) / 10000);
}

/* Writes rec as a new line (audit "create"). */
static enum xrm_rc line_insert(struct xrm_db *db, const struct xrm_user *user, json_t *rec,
                               struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    int64_t id = 0;
    json_t *out = NULL;
    xrm_now(now);
    enum xrm_rc rc =
        xrm_record_db_insert(db, &xrm_commission_kind, rec, user ? user->id : 0, now, &id, err);
    if (!rc)
        rc = xrm_record_db_load(db, &xrm_commission_kind, id, &out, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "create", "commission", id, NULL, out, err);
    json_decref(out);
    return rc;
}

/* Writes rec over the stored line cur (audit "update"). */
static enum xrm_rc line_update(struct xrm_db *db, const struct xrm_user *user, json_t *cur,
                               json_t *rec, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    int64_t id = int_of(cur, "id");
    json_t *out = NULL;
    xrm_now(now);
    enum xrm_rc rc = xrm_record_db_update(db, &xrm_commission_kind, id, rec, now, err);
    if (!rc)
        rc = xrm_record_db_load(db, &xrm_commission_kind, id, &out, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "update", "commission", id, cur, out, err);
    json_decref(out);
    return rc;
}

/* A new open line for the won deal at the partner's percentage now. */
static enum xrm_rc line_new(struct xrm_db *db, const struct xrm_user *user, json_t *deal,
                            struct xrm_err *err)
{
    json_t *pct = NULL, *role = NULL;
    const char *source = NULL;
    char won[XRM_DATE_LEN];
    int64_t base = int_of(deal, "amount");
    enum xrm_rc rc = xrm_commission_pct(db, int_of(deal, "partner"), &pct, &source, &role, err);
    if (rc)
        return rc;
    const char *closed = json_string_value(json_object_get(deal, "closed_at"));
    if (closed && strlen(closed) >= 10)
        snprintf(won, sizeof(won), "%.10s", closed);
    else
        xrm_clock_today(won);
    json_t *rec =
        json_pack("{s:I, s:I, s:O, s:s, s:I, s:s, s:O, s:s, s:I, s:s}", "partner",
                  (json_int_t)int_of(deal, "partner"), "deal", (json_int_t)int_of(deal, "id"),
                  "party", json_object_get(deal, "party"), "won_on", won, "base", (json_int_t)base,
                  "currency", str_of(deal, "currency"), "commission_pct", pct, "pct_source", source,
                  "amount", (json_int_t)commission_of(base, pct), "status", "open");
    rc = line_insert(db, user, rec, err);
    json_decref(rec);
    json_decref(pct);
    json_decref(role);
    return rc;
}

enum xrm_rc xrm_commission_deal_changed(struct xrm_db *db, const struct xrm_user *user,
                                        json_t *before, json_t *after, struct xrm_err *err)
{
    json_t *cur = NULL, *rec = NULL;
    char now[XRM_TIME_LEN];
    bool want = after && streq(str_of(after, "status"), "won") && int_of(after, "partner");
    bool was_won = before && streq(str_of(before, "status"), "won");
    enum xrm_rc rc = XRM_OK;
    if (!want && !was_won)
        return XRM_OK; /* lines exist only for won deals */
    rc = xrm_commission_db_current(db, int_of(after ? after : before, "id"), &cur, err);
    if (rc)
        return rc;
    if (cur) {
        const char *status = str_of(cur, "status");
        if (want && int_of(cur, "partner") == int_of(after, "partner")) {
            /* still won for the same partner: an open line follows amount and currency */
            if (streq(status, "open") &&
                (int_of(cur, "base") != int_of(after, "amount") ||
                 !streq(str_of(cur, "currency"), str_of(after, "currency")))) {
                rec = json_deep_copy(cur);
                json_object_set(rec, "base", json_object_get(after, "amount"));
                json_object_set(rec, "currency", json_object_get(after, "currency"));
                json_object_set_new(
                    rec, "amount",
                    json_integer(commission_of(int_of(after, "amount"),
                                               json_object_get(cur, "commission_pct"))));
                rc = line_update(db, user, cur, rec, err);
            }
            goto out;
        }
        if (streq(status, "open") || streq(status, "approved")) {
            rec = json_deep_copy(cur);
            xrm_now(now);
            json_object_set_new(rec, "status", json_string("cancelled"));
            json_object_set_new(rec, "cancelled_at", json_string(now));
            rc = line_update(db, user, cur, rec, err);
        }
    }
    if (!rc && want)
        rc = line_new(db, user, after, err);
out:
    json_decref(cur);
    json_decref(rec);
    return rc;
}

/* Status changes by people: the transitions of commission.h. */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec, struct xrm_err *err)
{
    const char *to = NULL, *from = str_of(before, "status");
    char now[XRM_TIME_LEN];
    if (!before)
        return xrm_errf(err, XRM_E_DENIED, "commission lines are made by won deals");
    if (!json_is_object(w->in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_record_known_keys(&xrm_commission_kind, w->in, err);
    xrm_json_get_str(w->in, NULL, "status", 16, true, &to, err);
    if (err->rc)
        return err->rc;
    bool ok = streq(from, to) || (streq(from, "open") && streq(to, "approved")) ||
              (streq(from, "approved") && (streq(to, "open") || streq(to, "paid")));
    if (!ok)
        return xrm_err_field(err, XRM_E_INVALID, "status",
                             "a commission cannot go from '%s' to '%s'", from, to);
    if (streq(to, "paid") && !streq(from, "paid") &&
        xrm_access_level(w->user, "partners") < XRM_LEVEL_FULL)
        return xrm_errf(err, XRM_E_DENIED,
                        "marking a commission paid needs full access to partners");
    *rec = json_deep_copy(before);
    if (streq(from, to))
        return XRM_OK;
    xrm_now(now);
    json_object_set_new(*rec, "status", json_string(to));
    if (streq(to, "approved")) {
        json_object_set_new(*rec, "approved_by",
                            w->user && w->user->id ? json_integer(w->user->id) : json_null());
        json_object_set_new(*rec, "approved_at", json_string(now));
    } else if (streq(to, "open")) {
        json_object_set_new(*rec, "approved_by", json_null());
        json_object_set_new(*rec, "approved_at", json_null());
    } else {
        json_object_set_new(*rec, "paid_at", json_string(now));
    }
    return XRM_OK;
}

static const struct xrm_record_ops ops = {
    .kind = &xrm_commission_kind,
    .domain = "partners",
    .validate = validate,
};

enum xrm_rc xrm_commission_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_get(ctx, &ops, id, out, err);
}

enum xrm_rc xrm_commission_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                  json_t *patch, json_t **out, struct xrm_err *err)
{
    return xrm_record_update(ctx, &ops, id, if_version, patch, NULL, out, err);
}

/* The reader's right and the filter's period: p NULL when the filter has none. */
static enum xrm_rc check_filter(struct xrm_ctx *ctx, const struct xrm_commission_filter *f,
                                struct xrm_period *p, bool *has_period, struct xrm_err *err)
{
    static const char *const statuses[] = {"open", "approved", "paid", "cancelled", NULL};
    *has_period = false;
    if (f->period && *f->period) {
        if (xrm_period_parse(f->period, p))
            *has_period = true;
        else
            xrm_err_field(err, XRM_E_MALFORMED, "period",
                          "must be a year (2026), a quarter (2026-Q4) or a month (2026-11)");
    }
    if (f->status) {
        bool known = false;
        for (size_t i = 0; statuses[i]; i++)
            known = known || strcmp(statuses[i], f->status) == 0;
        if (!known)
            xrm_err_field(err, XRM_E_MALFORMED, "status",
                          "must be open, approved, paid or cancelled");
    }
    if (err->rc)
        return err->rc;
    if (xrm_access_level(&ctx->user, "partners") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "reading commissions needs read access to partners");
    return XRM_OK;
}

enum xrm_rc xrm_commission_list(struct xrm_ctx *ctx, const struct xrm_commission_filter *f,
                                json_t **out, struct xrm_err *err)
{
    struct xrm_period p;
    bool has = false;
    json_t *items = NULL, *totals = NULL;
    enum xrm_rc rc = check_filter(ctx, f, &p, &has, err);
    if (!rc)
        rc = xrm_commission_db_list(ctx->db, f, has ? &p : NULL, STATEMENT_MAX, &items, err);
    if (!rc)
        rc = xrm_commission_db_totals(ctx->db, f, has ? &p : NULL, &totals, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n, s:o, s:o}", "items", items, "next", "period",
                     has ? json_pack("{s:s, s:s}", "from", p.from, "to", p.to) : json_null(),
                     "totals", totals);
    return XRM_OK;
}

/* Cents as euros with a decimal comma, as Dutch Excel reads a number. */
static void euros(int64_t cents, char *out, size_t n)
{
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(out, n, "%s%lld,%02lld", cents < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
}

enum xrm_rc xrm_commission_csv(struct xrm_ctx *ctx, const struct xrm_commission_filter *f,
                               struct xrm_buf *b, struct xrm_err *err)
{
    static const char *const head[] = {"won_on",   "partner",        "deal",   "party", "base",
                                       "currency", "commission_pct", "amount", "status"};
    static const bool text[] = {false, true, true, true, false, false, false, false, false};
    json_t *page = NULL, *l;
    size_t i;
    enum xrm_rc rc = xrm_commission_list(ctx, f, &page, err);
    if (rc)
        return rc;
    xrm_csv_write_bom(b);
    xrm_csv_write_row(b, head, NULL, 9);
    json_array_foreach(json_object_get(page, "items"), i, l)
    {
        char base[32], amount[32], pct[32];
        euros(int_of(l, "base"), base, sizeof(base));
        euros(int_of(l, "amount"), amount, sizeof(amount));
        snprintf(pct, sizeof(pct), "%.2f", json_number_value(json_object_get(l, "commission_pct")));
        for (char *c = pct; *c; c++)
            if (*c == '.')
                *c = ',';
        const char *v[] = {str_of(l, "won_on"),
                           str_of(l, "partner_name"),
                           str_of(l, "deal_title"),
                           str_of(l, "party_name"),
                           base,
                           str_of(l, "currency"),
                           pct,
                           amount,
                           str_of(l, "status")};
        xrm_csv_write_row(b, v, text, 9);
    }
    json_decref(page);
    return XRM_OK;
}
