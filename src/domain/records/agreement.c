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

#define TITLE_MAX 200
#define NOTES_MAX 65536
#define NOTICE_MAX 3650
#define RENEW_MAX 120
#define EXPIRING_MAX 3650

static const struct {
    const char *kind;
    const char *domain;
    const char *title;
} kinds[] = {
    {"customer_contract", "sales", "Klantcontract"},
    {"employment_contract", "hr", "Arbeidsovereenkomst"},
    {"partner_agreement", "partners", "Partnerovereenkomst"},
    {"supplier_contract", "purchasing", "Leverancierscontract"},
    {"nda", "sales", "Geheimhoudingsverklaring"},
    {"other", "sales", "Overeenkomst"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
#define KIND_LIST                                                                                  \
    "customer_contract, employment_contract, partner_agreement, supplier_contract, nda, other"

static const char *const input_keys[] = {
    "party", "kind",     "domain",     "title",        "start", "end",   "notice_days",
    "value", "currency", "auto_renew", "renew_months", "owner", "notes", NULL};
static const char *const readonly_keys[] = {"id",           "party_name", "notice_by", "status",
                                            "ends_in_days", "created_by", "version",   "created_at",
                                            "updated_at",   NULL};

static bool in_list(const char *const *list, const char *key)
{
    for (const char *const *k = list; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; kind && i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return (int)i;
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

enum xrm_rc xrm_agreement_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = xrm_agr_db_load(db, id, out, err);
    if (!rc) {
        xrm_clock_today(today);
        shape(*out, today);
    }
    return rc;
}

static json_t *pick(json_t *patch, json_t *before, const char *key)
{
    json_t *v = json_object_get(patch, key);
    if (v || !before)
        return v;
    return json_object_get(before, key);
}

static void read_date(json_t *tmp, const char *key, bool required, json_t *rec, struct xrm_err *err)
{
    const char *s = NULL;
    if (!xrm_json_get_str(tmp, NULL, key, 16, required, &s, err))
        return;
    if (xrm_valid_date(s))
        json_object_set_new(rec, key, json_string(s));
    else
        xrm_err_field(err, XRM_E_INVALID, key, "must be a date (YYYY-MM-DD)");
}

static enum xrm_rc validate(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                            json_t *before, json_t **rec_out, struct xrm_err *err)
{
    static const char *const fields[] = {
        "party", "kind",     "domain",     "title",        "start", "end",   "notice_days",
        "value", "currency", "auto_renew", "renew_months", "owner", "notes", NULL};
    json_t *tmp = json_object(), *rec = json_object();
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;
    const char *key, *s = NULL;
    json_t *v;
    int64_t id = 0, n = 0;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    json_object_foreach(in, key, v)
    {
        if (!in_list(input_keys, key) && !in_list(readonly_keys, key))
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
    for (const char *const *f = fields; *f; f++)
        json_object_set(tmp, *f, pick(in, before, *f));

    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "party", json_integer(id));
    int k = -1;
    if (xrm_json_get_str(tmp, NULL, "kind", 40, true, &s, err)) {
        k = kind_index(s);
        if (k < 0)
            xrm_err_field(err, XRM_E_INVALID, "kind", "must be one of " KIND_LIST);
        else
            json_object_set_new(rec, "kind", json_string(kinds[k].kind));
    }
    /* domain: given, else the kind's; a changed kind brings its own unless domain is given */
    json_t *dom = json_object_get(in, "domain");
    if (!dom && before && json_object_get(in, "kind") &&
        !json_equal(json_object_get(in, "kind"), json_object_get(before, "kind")))
        json_object_del(tmp, "domain");
    s = NULL;
    if (xrm_json_get_str(tmp, NULL, "domain", 32, false, &s, err) && !xrm_domain_valid(s)) {
        xrm_err_field(err, XRM_E_INVALID, "domain",
                      "must be one of sales, hr, partners, purchasing, pr");
        s = NULL;
    }
    if (!s && k >= 0)
        s = kinds[k].domain;
    json_object_set_new(rec, "domain", s ? json_string(s) : json_null());
    s = NULL;
    if (xrm_json_get_str(tmp, NULL, "title", TITLE_MAX, false, &s, err))
        json_object_set_new(rec, "title", xrm_records_trimmed(s));
    else if (k >= 0)
        json_object_set_new(rec, "title", json_string(kinds[k].title));
    read_date(tmp, "start", true, rec, err);
    read_date(tmp, "end", false, rec, err);
    const char *start = json_string_value(json_object_get(rec, "start"));
    const char *end = json_string_value(json_object_get(rec, "end"));
    if (start && end && strcmp(end, start) < 0)
        xrm_err_field(err, XRM_E_INVALID, "end", "must not be before start (%s)", start);
    n = 0;
    xrm_json_get_int(tmp, NULL, "notice_days", 0, NOTICE_MAX, false, &n, err);
    json_object_set_new(rec, "notice_days", json_integer(n));
    if (xrm_json_get_int(tmp, NULL, "value", 0, XRM_AMOUNT_MAX, false, &n, err))
        json_object_set_new(rec, "value", json_integer(n));
    xrm_records_currency(tmp, "currency", &s, err);
    json_object_set_new(rec, "currency", json_string(s));
    bool renew = false;
    xrm_json_get_bool(tmp, NULL, "auto_renew", false, &renew, err);
    json_object_set_new(rec, "auto_renew", json_boolean(renew));
    if (renew && !end)
        xrm_err_field(err, XRM_E_INVALID, "auto_renew", "needs an end date to renew from");
    n = 12;
    xrm_json_get_int(tmp, NULL, "renew_months", 1, RENEW_MAX, false, &n, err);
    json_object_set_new(rec, "renew_months", json_integer(n));
    rc = xrm_records_user(db, tmp, "owner", &id, err);
    if (rc)
        goto out;
    if (!id && !before && !json_object_get(in, "owner") && user && user->id)
        id = user->id;
    json_object_set_new(rec, "owner", id ? json_integer(id) : json_null());
    s = NULL;
    if (xrm_json_get_str(tmp, NULL, "notes", NOTES_MAX, false, &s, err))
        json_object_set_new(rec, "notes", json_string(s));
out:
    json_decref(tmp);
    if (!rc && err->nfields > nf)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (rc) {
        json_decref(rec);
        return rc;
    }
    *rec_out = rec;
    return XRM_OK;
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *domain_of(json_t *a)
{
    return json_string_value(json_object_get(a, "domain"));
}

/* Read gate (404) and, with write, write gate (403) on the domain of agreement a. */
static enum xrm_rc gate(const struct xrm_user *u, json_t *a, bool write, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_read(u, domain_of(a), "agreement", int_of(a, "id"), err);
    if (!rc && write)
        rc = xrm_access_write(u, domain_of(a), err);
    return rc;
}

enum xrm_rc xrm_agreement_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                    json_t **out, struct xrm_err *err)
{
    json_t *rec = NULL, *after = NULL;
    char now[XRM_TIME_LEN];
    int64_t id = 0;
    enum xrm_rc rc = validate(db, user, in, NULL, &rec, err);
    if (!rc)
        rc = xrm_access_write(user, domain_of(rec), err);
    if (rc) {
        json_decref(rec);
        return rc;
    }
    xrm_now(now);
    rc = xrm_agr_db_insert(db, rec, user ? user->id : 0, now, &id, err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(rec, "party"), err);
    if (!rc)
        rc = xrm_agreement_load(db, id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "create", "agreement", id, NULL, after, err);
    if (!rc && out) {
        *out = after;
        after = NULL;
    }
    json_decref(rec);
    json_decref(after);
    return rc;
}

static enum xrm_rc update_in(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                             int64_t if_version, json_t *patch, json_t **out, struct xrm_err *err)
{
    json_t *before = NULL, *rec = NULL, *after = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_agreement_load(db, id, &before, err);
    if (!rc)
        rc = gate(user, before, true, err);
    if (!rc)
        rc = xrm_records_check_version(before, if_version, err);
    if (!rc)
        rc = validate(db, user, patch, before, &rec, err);
    if (!rc)
        rc = xrm_access_write(user, domain_of(rec), err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_agr_db_update(db, id, rec, now, err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(rec, "party"), err);
    if (!rc && int_of(rec, "party") != int_of(before, "party"))
        rc = xrm_party_touch(db, int_of(before, "party"), err);
    if (!rc)
        rc = xrm_agreement_load(db, id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "update", "agreement", id, before, after, err);
    if (!rc && out) {
        *out = after;
        after = NULL;
    }
out:
    json_decref(before);
    json_decref(rec);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_agreement_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                    json_t *patch, json_t **out, struct xrm_err *err)
{
    return update_in(db, user, id, 0, patch, out, err);
}

struct agr_arg {
    const struct xrm_user *user;
    int64_t id;
    int64_t if_version;
    json_t *in;
    json_t *out;
};

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct agr_arg *a = arg;
    return xrm_agreement_insert_tx(db, a->user, a->in, &a->out, err);
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct agr_arg *a = arg;
    return update_in(db, a->user, a->id, a->if_version, a->in, &a->out, err);
}

static enum xrm_rc delete_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct agr_arg *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_agreement_load(db, a->id, &before, err);
    if (!rc)
        rc = gate(a->user, before, true, err);
    if (!rc)
        rc = xrm_records_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_agr_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_party_touch(db, int_of(before, "party"), err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "agreement", a->id, before, NULL, err);
    json_decref(before);
    return rc;
}

static enum xrm_rc write(struct xrm_ctx *ctx, xrm_write_fn fn, struct agr_arg *a, json_t **out,
                         struct xrm_err *err)
{
    enum xrm_rc rc = xrm_store_write(ctx->store, fn, a, err);
    if (!rc && out) {
        *out = a->out;
        a->out = NULL;
    }
    json_decref(a->out);
    return rc;
}

enum xrm_rc xrm_agreement_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct agr_arg a = {.user = &ctx->user, .in = in};
    return write(ctx, create_tx, &a, out, err);
}

enum xrm_rc xrm_agreement_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *a = NULL;
    enum xrm_rc rc = xrm_agreement_load(ctx->db, id, &a, err);
    if (!rc)
        rc = gate(&ctx->user, a, false, err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return XRM_OK;
}

enum xrm_rc xrm_agreement_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                                 json_t **out, struct xrm_err *err)
{
    struct agr_arg a = {.user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    return write(ctx, update_tx, &a, out, err);
}

enum xrm_rc xrm_agreement_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                 struct xrm_err *err)
{
    struct agr_arg a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return write(ctx, delete_tx, &a, NULL, err);
}

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
        xrm_err_field(err, XRM_E_MALFORMED, "kind", "must be one of " KIND_LIST);
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
    rc = update_in(db, r->user, r->id, 0, patch, NULL, err);
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
