/*
 * Suppliers: the rules of evaluations (period, scores), the rating of the
 * last 12 months and its history, preferred suppliers per category and the
 * scorecard. SQL in supplier-db.c.
 */
#include "domain/srm/supplier.h"
#include "domain/srm/supplier-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/records/agreement.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define WINDOW_MONTHS 12
#define EXPIRING_DAYS 90
#define SCORECARD_EVALUATIONS 50
#define LIST_MAX 500
#define SUPPLIER_CUSTOMER_RULE "Supplier customer"

static const char *const criteria[] = {"quality", "delivery", "price", "communication", NULL};

/*
 * The months (year * 12 + month - 1) a period covers: "2026-11" one month,
 * "2026-Q4" three. False when s is neither.
 */
static bool period_months(const char *s, int *first, int *last)
{
    int y = 0, m = 0;
    char c = 0;
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (y < 1900)
        return false;
    if (s[5] == 'Q') {
        c = s[6];
        if (c < '1' || c > '4')
            return false;
        *first = y * 12 + (c - '1') * 3;
        *last = *first + 2;
        return true;
    }
    if (s[5] < '0' || s[5] > '1' || s[6] < '0' || s[6] > '9')
        return false;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12)
        return false;
    *first = *last = y * 12 + m - 1;
    return true;
}

/* The last month of e's period (0 when it has none). */
static int last_month(json_t *e)
{
    int first = 0, last = 0;
    period_months(json_string_value(json_object_get(e, "period")), &first, &last);
    return last;
}

/* items newest period first: by last month, then by id (insertion sort of a short list). */
static void sort_newest(json_t *items)
{
    size_t n = json_array_size(items);
    for (size_t i = 1; i < n; i++) {
        json_t *e = json_incref(json_array_get(items, i));
        int key = last_month(e);
        int64_t id = json_integer_value(json_object_get(e, "id"));
        size_t j = i;
        while (j > 0) {
            json_t *p = json_array_get(items, j - 1);
            int pk = last_month(p);
            if (pk > key || (pk == key && json_integer_value(json_object_get(p, "id")) > id))
                break;
            json_array_set(items, j, p);
            j--;
        }
        json_array_set_new(items, j, e);
    }
}

static int this_month(void)
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    int y = 0, m = 0;
    sscanf(today, "%4d-%2d", &y, &m);
    return y * 12 + m - 1;
}

static void month_text(int idx, char out[8])
{
    snprintf(out, 8, "%04d-%02d", idx / 12 % 10000, idx % 12 + 1);
}

/* The evaluations of items in the window, their count, and the sums per criterion. */
struct tally {
    int n;
    int64_t sum[4];
};

static void tally_window(json_t *items, struct tally *t)
{
    int now = this_month(), first, last;
    size_t i;
    json_t *e;
    memset(t, 0, sizeof(*t));
    json_array_foreach(items, i, e)
    {
        if (!period_months(json_string_value(json_object_get(e, "period")), &first, &last))
            continue;
        if (last < now - (WINDOW_MONTHS - 1) || first > now)
            continue;
        t->n++;
        for (int k = 0; criteria[k]; k++)
            t->sum[k] += json_integer_value(json_object_get(e, criteria[k]));
    }
}

/* The mean of every score, rounded half up; 0 without evaluations. */
static int tally_rating(const struct tally *t)
{
    int64_t all = 0;
    if (!t->n)
        return 0;
    for (int k = 0; k < 4; k++)
        all += t->sum[k];
    return (int)((all + 2 * t->n) / (4 * t->n));
}

static json_t *one_decimal(int64_t sum, int n)
{
    if (!n)
        return json_null();
    return json_real((double)((sum * 10 + n / 2) / n) / 10.0);
}

/*
 * Computes party's rating again and writes it (with a history row) when it
 * changed. known: the rating the history last gave (-1: the role's
 * attribute is what the rating was; an undone merge puts the attribute back
 * without a history row).
 */
static enum xrm_rc rate(struct xrm_db *db, const struct xrm_user *user, int64_t party, int known,
                        struct xrm_err *err)
{
    json_t *items = NULL, *attrs = NULL, *patch = NULL;
    int64_t role_id = 0;
    struct tally t;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_supplier_db_evaluations(db, party, 1000, &items, err);
    if (!rc)
        rc = xrm_supplier_db_role(db, party, &role_id, &attrs, err);
    if (rc || !role_id)
        goto out;
    tally_window(items, &t);
    int to = tally_rating(&t);
    json_t *cur = json_object_get(attrs, "rating");
    int stored = json_is_integer(cur) ? (int)json_integer_value(cur) : 0;
    int from = known >= 0 ? known : stored;
    if (stored != to) {
        patch = json_pack("{s:{s:o}}", "attributes", "rating", to ? json_integer(to) : json_null());
        rc = xrm_role_update_tx(db, user, role_id, patch, NULL, err);
    }
    xrm_clock_now(now);
    if (!rc && from != to)
        rc = xrm_supplier_db_history_add(db, party, from, to, t.n, user ? user->id : 0, now, err);
out:
    json_decref(items);
    json_decref(attrs);
    json_decref(patch);
    return rc;
}

enum xrm_rc xrm_supplier_rerate_tx(struct xrm_db *db, int64_t party, struct xrm_err *err)
{
    static const struct xrm_user system = {0}; /* id 0: the system */
    json_t *history = NULL;
    enum xrm_rc rc = xrm_supplier_db_history(db, party, &history, err);
    if (rc)
        return rc;
    size_t n = json_array_size(history);
    json_t *last = n ? json_object_get(json_array_get(history, n - 1), "to") : NULL;
    int known = !n ? -1 : json_is_integer(last) ? (int)json_integer_value(last) : 0;
    json_decref(history);
    return rate(db, &system, party, known, err);
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"period",        "quality", "delivery", "price",
                                        "communication", "note",    NULL};
    const struct xrm_record_kind *K = &xrm_supplier_evaluation_kind;
    json_t *in = w->in, *tmp = json_object(), *rec = json_object(), *attrs = NULL;
    int nf = err->nfields, first, last;
    int64_t id = 0, role_id = 0;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    json_object_set(tmp, "party", json_object_get(in, "party"));
    if (!json_object_get(tmp, "party") && before)
        json_object_set(tmp, "party", json_object_get(before, "party"));
    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (!rc && id)
        rc = xrm_supplier_db_role(db, id, &role_id, &attrs, err);
    if (rc)
        goto out;
    if (id && !role_id)
        xrm_err_field(err, XRM_E_INVALID, "party", "is not a supplier (no supplier role)");
    json_object_set_new(rec, "party", json_integer(id));
    xrm_record_read_all(K, plain, in, before, rec, err);
    const char *period = json_string_value(json_object_get(rec, "period"));
    if (period && !period_months(period, &first, &last))
        xrm_err_field(err, XRM_E_INVALID, "period",
                      "must be a month (2026-11) or a quarter (2026-Q4)");
    else if (period && first > this_month())
        xrm_err_field(err, XRM_E_INVALID, "period", "must not be in the future");
out:
    json_decref(tmp);
    json_decref(attrs);
    if (!rc && err->nfields > nf)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (rc) {
        json_decref(rec);
        return rc;
    }
    *rec_out = rec;
    return XRM_OK;
}

static enum xrm_rc after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    int64_t now = rec ? json_integer_value(json_object_get(rec, "party")) : 0;
    int64_t old = before ? json_integer_value(json_object_get(before, "party")) : 0;
    enum xrm_rc rc = XRM_OK;
    if (now)
        rc = rate(db, w->user, now, -1, err);
    if (!rc && old && old != now)
        rc = rate(db, w->user, old, -1, err);
    return rc;
}

static const struct xrm_record_ops ops = {
    .kind = &xrm_supplier_evaluation_kind,
    .domain = "purchasing",
    .validate = validate,
    .after = after,
    .touch = xrm_party_touch,
    .business_time = true,
};

enum xrm_rc xrm_supplier_evaluation_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                           struct xrm_err *err)
{
    return xrm_record_create(ctx, &ops, in, NULL, out, err);
}

enum xrm_rc xrm_supplier_evaluation_get(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                        struct xrm_err *err)
{
    return xrm_record_get(ctx, &ops, id, out, err);
}

enum xrm_rc xrm_supplier_evaluation_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                           json_t *patch, json_t **out, struct xrm_err *err)
{
    return xrm_record_update(ctx, &ops, id, if_version, patch, NULL, out, err);
}

enum xrm_rc xrm_supplier_evaluation_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                           struct xrm_err *err)
{
    return xrm_record_delete(ctx, &ops, id, if_version, NULL, err);
}

enum xrm_rc xrm_supplier_evaluation_insert_tx(struct xrm_db *db, const struct xrm_user *user,
                                              json_t *in, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write w = {.ops = &ops, .user = user, .in = in};
    return xrm_record_in_tx(db, xrm_record_create_tx, &w, out, err);
}

enum xrm_rc xrm_supplier_evaluation_list(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                         struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_access_read(&ctx->user, "purchasing", "party", party, err);
    if (!rc)
        rc = xrm_party_check(ctx->db, party, "party", err);
    if (!rc)
        rc = xrm_supplier_db_evaluations(ctx->db, party, LIST_MAX, &items, err);
    if (!rc) {
        sort_newest(items);
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    }
    return rc;
}

/* The party's supplier contracts, "expiring" when active and ending within 90 days. */
static enum xrm_rc contracts(struct xrm_ctx *ctx, int64_t party, json_t **out, struct xrm_err *err)
{
    struct xrm_agreement_filter f = {
        .party = party, .kind = "supplier_contract", .domain = "purchasing"};
    json_t *page = NULL, *list = json_array();
    enum xrm_rc rc = xrm_agreement_list(ctx, &f, 100, NULL, &page, err);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(page, "items"), i, a)
    {
        const char *status = json_string_value(json_object_get(a, "status"));
        json_t *days = json_object_get(a, "ends_in_days");
        bool expiring = status && strcmp(status, "active") == 0 && json_is_integer(days) &&
                        json_integer_value(days) <= EXPIRING_DAYS;
        json_t *c =
            json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:b}", "id", json_object_get(a, "id"),
                      "title", json_object_get(a, "title"), "start", json_object_get(a, "start"),
                      "end", json_object_get(a, "end"), "status", json_object_get(a, "status"),
                      "ends_in_days", days ? days : json_null(), "expiring", expiring);
        json_array_append_new(list, c);
    }
    json_decref(page);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return XRM_OK;
}

/* The supplier_customer flag from the party's treatment (as the reader is shown it). */
static json_t *flags_of(json_t *party)
{
    json_t *flags = json_array(), *t = json_object_get(party, "treatment");
    if (xrm_json_has_str(json_object_get(t, "because"), SUPPLIER_CUSTOMER_RULE)) {
        json_t *notes = json_object_get(t, "notes");
        json_array_append_new(flags, json_pack("{s:s, s:s, s:O}", "code", "supplier_customer",
                                               "rule", SUPPLIER_CUSTOMER_RULE, "notes",
                                               notes ? notes : json_array()));
    }
    return flags;
}

enum xrm_rc xrm_supplier_scorecard(struct xrm_ctx *ctx, int64_t party, json_t **out,
                                   struct xrm_err *err)
{
    json_t *p = NULL, *items = NULL, *attrs = NULL, *history = NULL, *cons = NULL;
    int64_t role_id = 0;
    struct tally t;
    char from[8], to[8];
    enum xrm_rc rc = xrm_access_read(&ctx->user, "purchasing", "scorecard", party, err);
    if (!rc)
        rc = xrm_supplier_db_role(ctx->db, party, &role_id, &attrs, err);
    if (!rc && !role_id)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no scorecard %lld", (long long)party);
    if (!rc)
        rc = xrm_party_get(ctx, party, &p, err);
    if (!rc)
        rc = xrm_supplier_db_evaluations(ctx->db, party, 1000, &items, err);
    if (!rc)
        rc = xrm_supplier_db_history(ctx->db, party, &history, err);
    if (!rc)
        rc = contracts(ctx, party, &cons, err);
    if (rc)
        goto out;
    tally_window(items, &t);
    sort_newest(items);
    int now = this_month();
    month_text(now - (WINDOW_MONTHS - 1), from);
    month_text(now, to);
    json_t *avg = json_object();
    int64_t all = 0;
    for (int k = 0; criteria[k]; k++) {
        json_object_set_new(avg, criteria[k], one_decimal(t.sum[k], t.n));
        all += t.sum[k];
    }
    json_object_set_new(avg, "overall", one_decimal(all, 4 * t.n));
    while (json_array_size(items) > SCORECARD_EVALUATIONS)
        json_array_remove(items, json_array_size(items) - 1);
    json_t *rating = json_object_get(attrs, "rating");
    json_t *category = json_object_get(attrs, "category");
    *out = json_pack("{s:{s:O, s:O}, s:O, s:O, s:b, s:{s:s, s:s}, s:o, s:O, s:O, s:O, s:o, s:i}",
                     "party", "id", json_object_get(p, "id"), "name", json_object_get(p, "name"),
                     "rating", json_is_integer(rating) ? rating : json_null(), "category",
                     json_is_string(category) ? category : json_null(), "preferred",
                     json_is_true(json_object_get(attrs, "preferred")), "window", "from", from,
                     "to", to, "averages", avg, "history", history, "evaluations", items,
                     "contracts", cons, "flags", flags_of(p), "evaluated", t.n);
out:
    json_decref(p);
    json_decref(items);
    json_decref(attrs);
    json_decref(history);
    json_decref(cons);
    return rc;
}

enum xrm_rc xrm_supplier_role_changed(struct xrm_db *db, const struct xrm_user *user,
                                      json_t *before, json_t *after, struct xrm_err *err)
{
    (void)user;
    (void)before;
    const char *type = json_string_value(json_object_get(after, "type"));
    json_t *attrs = json_object_get(after, "attributes");
    const char *category = json_string_value(json_object_get(attrs, "category"));
    int64_t other = 0;
    char name[200];
    if (!type || strcmp(type, "supplier") != 0 || !category ||
        !json_is_true(json_object_get(attrs, "preferred")))
        return XRM_OK;
    if (before &&
        json_is_true(json_object_get(json_object_get(before, "attributes"), "preferred")) &&
        json_equal(json_object_get(json_object_get(before, "attributes"), "category"),
                   json_object_get(attrs, "category")))
        return XRM_OK; /* was preferred in this category already */
    enum xrm_rc rc =
        xrm_supplier_db_preferred_other(db, json_integer_value(json_object_get(after, "party")),
                                        category, &other, name, sizeof(name), err);
    if (rc || !other)
        return rc;
    return xrm_err_field(err, XRM_E_CONFLICT, "attributes.preferred",
                         "%s is already the preferred supplier for %s; unset that one first", name,
                         category);
}
