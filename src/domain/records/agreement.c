/*
 * Agreements: the rules. Validation of agreement input (kinds with their
 * default domains, dates, notice period, value), the fields that depend on
 * today (status, notice_by, ends_in_days), the list of expiring agreements
 * that automations watch, and the roll-over of auto-renewing ones.
 *
 * An update is validated as a whole: every field is the patch's when the
 * patch has it, else the stored agreement's.
 */
#include "domain/records/agreement.h"
#include "domain/records/agreement-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define EXPIRING_MAX 3650

/* Per kind, in the order of xrm_agreement_kinds: the domain it defaults to and its title. */
static const struct {
    const char *domain;
    const char *title;
} kinds[] = {
    {"sales", "Klantcontract"},
    {"hr", "Arbeidsovereenkomst"},
    {"partners", "Partnerovereenkomst"},
    {"purchasing", "Leverancierscontract"},
    {"sales", "Geheimhoudingsverklaring"},
    {"sales", "Overeenkomst"},
};

static int kind_index(const char *kind)
{
    for (int i = 0; kind && xrm_agreement_kinds[i]; i++)
        if (strcmp(xrm_agreement_kinds[i], kind) == 0)
            return i;
    return -1;
}

/* Adds the fields that depend on today. */
static void shape(json_t *a, const char *today)
{
    const char *start = json_string_value(json_object_get(a, "start"));
    const char *end = json_string_value(json_object_get(a, "end"));
    const char *status = "active";
    char notice[XRM_DATE_LEN];
    int64_t days = 0;
    if (start && strcmp(start, today) > 0)
        status = "upcoming";
    else if (end && strcmp(end, today) < 0)
        status = "ended";
    json_object_set_new(a, "status", json_string(status));
    if (end &&
        xrm_date_add_days(end, -json_integer_value(json_object_get(a, "notice_days")), notice))
        json_object_set_new(a, "notice_by", json_string(notice));
    else
        json_object_set_new(a, "notice_by", json_null());
    if (end && xrm_date_diff(today, end, &days))
        json_object_set_new(a, "ends_in_days", json_integer(days));
    else
        json_object_set_new(a, "ends_in_days", json_null());
}

static void shape_all(json_t *items, const char *today)
{
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a) shape(a, today);
}

static void shape_today(json_t *a)
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    shape(a, today);
}

enum xrm_rc xrm_agreement_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_load(db, &xrm_agreement_ops, id, out, err);
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/*
 * Validates a create (before NULL) or a patch of before into *rec_out:
 * every field is the patch's when it has it, else the stored one's.
 */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const dates[] = {"start", "end", NULL};
    static const char *const terms[] = {"notice_days", "value", "currency", "auto_renew", NULL};
    const struct xrm_record_kind *K = &xrm_agreement_kind;
    json_t *in = w->in, *tmp = json_object(), *rec = json_object();
    enum xrm_rc rc = XRM_OK;
    int64_t id = 0;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    json_object_set(tmp, "party", json_object_get(in, "party"));
    if (!json_object_get(tmp, "party") && before)
        json_object_set(tmp, "party", json_object_get(before, "party"));
    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "party", json_integer(id));
    int k = -1;
    if (xrm_record_read(K, "kind", in, before, rec, err))
        k = kind_index(json_string_value(json_object_get(rec, "kind")));
    else
        json_object_del(rec, "kind");
    /* domain: given, else the kind's; a changed kind brings its own unless domain is given */
    bool kind_changed = before && json_object_get(in, "kind") &&
                        !json_equal(json_object_get(in, "kind"), json_object_get(before, "kind"));
    if (!xrm_record_read(K, "domain", in, kind_changed ? NULL : before, rec, err) && k >= 0)
        json_object_set_new(rec, "domain", json_string(kinds[k].domain));
    if (!xrm_record_read(K, "title", in, before, rec, err)) {
        json_object_del(rec, "title");
        if (k >= 0)
            json_object_set_new(rec, "title", json_string(kinds[k].title));
    }
    xrm_record_read_all(K, dates, in, before, rec, err);
    const char *start = json_string_value(json_object_get(rec, "start"));
    const char *end = json_string_value(json_object_get(rec, "end"));
    if (start && end && strcmp(end, start) < 0)
        xrm_err_field(err, XRM_E_INVALID, "end", "must not be before start (%s)", start);
    xrm_record_read_all(K, terms, in, before, rec, err);
    if (json_is_true(json_object_get(rec, "auto_renew")) && !end)
        xrm_err_field(err, XRM_E_INVALID, "auto_renew", "needs an end date to renew from");
    xrm_record_read(K, "renew_months", in, before, rec, err);
    json_object_set(tmp, "owner", json_object_get(in, "owner"));
    if (!json_object_get(tmp, "owner") && before)
        json_object_set(tmp, "owner", json_object_get(before, "owner"));
    rc = xrm_records_user(db, tmp, "owner", &id, err);
    if (rc)
        goto out;
    if (!id && !before && !json_object_get(in, "owner") && w->user && w->user->id)
        id = w->user->id;
    json_object_set_new(rec, "owner", id ? json_integer(id) : json_null());
    xrm_record_read(K, "notes", in, before, rec, err);
out:
    json_decref(tmp);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* HR: the chain rule's warnings on a create, from the function domain/hooks.c sets. */
static xrm_agreement_warnings_fn warnings_fn;

void xrm_agreement_warnings_set(xrm_agreement_warnings_fn fn)
{
    warnings_fn = fn;
}

/* On a create through xrm_record_op_create (w->arg: where the warnings go). */
static enum xrm_rc after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    (void)before;
    if (!w->arg || strcmp(action, "create") != 0)
        return XRM_OK;
    if (!warnings_fn)
        return xrm_errf(err, XRM_E_INTERNAL, "no agreement warnings set (domain/hooks.c)");
    json_t *a = json_deep_copy(rec);
    json_object_set_new(a, "id", json_integer(w->id));
    enum xrm_rc rc = warnings_fn(db, a, w->arg, err);
    json_decref(a);
    return rc;
}

/* The answer of a create carries the chain rule's warnings, when there are any. */
static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    json_t *warnings = *(json_t **)w->arg;
    (void)ctx;
    (void)action;
    (void)err;
    if (warnings)
        json_object_set(*rec, "warnings", warnings);
    return XRM_OK;
}

static void end(struct xrm_record_write *w)
{
    json_decref(*(json_t **)w->arg);
}

const struct xrm_record_ops xrm_agreement_ops = {
    .kind = &xrm_agreement_kind,
    .shape = shape_today,
    .validate = validate,
    .after = after,
    .touch = xrm_party_touch,
    .arg_size = sizeof(json_t *),
    .view = view,
    .end = end,
};

enum xrm_rc xrm_agreement_list(struct xrm_ctx *ctx, const struct xrm_agreement_filter *f, int limit,
                               const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_agreement_filter any = {0};
    char today[XRM_DATE_LEN], until[XRM_DATE_LEN];
    int64_t before_id = 0;
    json_t *items = NULL;
    if (!f)
        f = &any;
    if (f->kind && kind_index(f->kind) < 0)
        xrm_err_field(err, XRM_E_MALFORMED, "kind",
                      "must be one of customer_contract, employment_contract, "
                      "partner_agreement, supplier_contract, nda, other");
    if (f->domain && !xrm_domain_valid(f->domain))
        xrm_err_field(err, XRM_E_MALFORMED, "domain",
                      "must be one of sales, hr, partners, purchasing, pr");
    if (f->status && strcmp(f->status, "upcoming") != 0 && strcmp(f->status, "active") != 0 &&
        strcmp(f->status, "ended") != 0)
        xrm_err_field(err, XRM_E_MALFORMED, "status", "must be upcoming, active or ended");
    if (f->expiring < 0 || f->expiring > EXPIRING_MAX)
        xrm_err_field(err, XRM_E_MALFORMED, "expiring", "must be a number of days from 1 to %d",
                      EXPIRING_MAX);
    xrm_records_cursor(cursor, &before_id, err);
    if (err->rc)
        return err->rc;
    xrm_clock_today(today);
    xrm_date_add_days(today, f->expiring, until);
    limit = xrm_records_limit(limit);
    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(&ctx->user, dom);
    enum xrm_rc rc =
        xrm_agr_db_list(ctx->db, f, dom, today, until, limit + 1, before_id, &items, err);
    if (rc)
        return rc;
    shape_all(items, today);
    if (f->expiring > 0) {
        if (json_array_size(items) > (size_t)limit)
            json_array_remove(items, (size_t)limit);
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    } else {
        *out = xrm_records_page(items, limit);
    }
    return XRM_OK;
}

enum xrm_rc xrm_agreement_ending(struct xrm_db *db, int days, const char *kind, const char *domain,
                                 int limit, json_t **out, struct xrm_err *err)
{
    struct xrm_agreement_filter f = {.kind = kind, .domain = domain, .expiring = days};
    char today[XRM_DATE_LEN], until[XRM_DATE_LEN];
    json_t *items = NULL;
    xrm_clock_today(today);
    xrm_date_add_days(today, days, until);
    enum xrm_rc rc = xrm_agr_db_list(db, &f, xrm_domains, today, until, limit, 0, &items, err);
    if (rc)
        return rc;
    shape_all(items, today);
    *out = items;
    return XRM_OK;
}

struct renew_arg {
    const struct xrm_user *user;
    int64_t id;
    bool renewed;
};

/* Moves one agreement's end forward by whole terms until it is today or later. */
static enum xrm_rc renew_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct renew_arg *r = arg;
    json_t *a = NULL;
    char today[XRM_DATE_LEN], end[XRM_DATE_LEN];
    enum xrm_rc rc = xrm_agreement_load(db, r->id, &a, err);
    if (rc)
        return rc;
    const char *e = json_string_value(json_object_get(a, "end"));
    int64_t months = int_of(a, "renew_months");
    xrm_clock_today(today);
    if (!json_is_true(json_object_get(a, "auto_renew")) || !e || months < 1 ||
        strcmp(e, today) >= 0)
        goto out;
    xrm_strlcpy(end, e, sizeof(end));
    for (int i = 0; i < 1200 && strcmp(end, today) < 0; i++)
        if (!xrm_date_add_months(json_string_value(json_object_get(a, "end")), months * (i + 1),
                                 end))
            break;
    json_t *patch = json_pack("{s:s}", "end", end);
    rc = xrm_record_update_in(db, &xrm_agreement_ops, r->user, r->id, patch, NULL, err);
    json_decref(patch);
    r->renewed = !rc;
out:
    json_decref(a);
    return rc;
}

enum xrm_rc xrm_agreement_renew_due(struct xrm_ctx *ctx, int *n, struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    json_t *ids = NULL;
    *n = 0;
    xrm_clock_today(today);
    enum xrm_rc rc = xrm_agr_db_renew_due(ctx->db, today, &ids, err);
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        if (rc)
            break;
        struct renew_arg r = {.user = &ctx->user, .id = json_integer_value(id)};
        rc = xrm_store_write(ctx->store, renew_tx, &r, err);
        *n += r.renewed;
    }
    json_decref(ids);
    return rc;
}
