/*
 * SQL for commission lines: the descriptor (generic load, insert, update
 * and list of record-db.c), the totals of a statement and the lookups of
 * the deal listener.
 */
#include "domain/partners/commission-db.h"
#include "domain/base/query.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"
#include "domain/records/records.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const char *const statuses[] = {"open", "approved", "paid", "cancelled", NULL};
static const char *const pct_sources[] = {"partner", "tier", NULL};

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("c"),
    {.name = "partner", .column = "c.partner_id", .type = XRM_FT_PARTY, .flags = RO, .min = 1},
    {.name = "partner_name",
     .column = "pp.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "deal", .column = "c.deal_id", .type = XRM_FT_REF, .flags = RO, .min = 1},
    {.name = "deal_title",
     .column = "d.title",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .doc = "The deal's title now (null once the deal is deleted)"},
    {.name = "party", .column = "c.party_id", .type = XRM_FT_PARTY, .flags = RO | NUL, .min = 1},
    {.name = "party_name",
     .column = "p.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL},
    {.name = "won_on", .column = "c.won_on", .type = XRM_FT_DATE, .flags = RO},
    {.name = "base",
     .column = "c.base",
     .type = XRM_FT_MONEY,
     .flags = RO,
     .max = XRM_AMOUNT_MAX,
     .doc = "The deal amount at the win, in cents"},
    {.name = "currency",
     .column = "c.currency",
     .type = XRM_FT_CURRENCY,
     .flags = RO,
     .valid = xrm_currency_valid},
    {.name = "commission_pct",
     .column = "c.pct",
     .type = XRM_FT_JSON,
     .flags = RO,
     .doc = "A number: the percentage at the win"},
    {.name = "pct_source",
     .column = "c.pct_source",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = pct_sources,
     .doc = "partner: the partner role's commission_pct; tier: the tier's default"},
    {.name = "amount",
     .column = "c.amount",
     .type = XRM_FT_MONEY,
     .flags = RO,
     .max = XRM_AMOUNT_MAX,
     .doc = "base x commission_pct, in cents"},
    {.name = "status",
     .column = "c.status",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .values = statuses,
     .doc = "open -> approved (partners write) -> paid (partners full); cancelled by the deal"},
    {.name = "approved_by",
     .column = "c.approved_by",
     .type = XRM_FT_USER,
     .flags = RO | NUL,
     .min = 1},
    {.name = "approved_at", .column = "c.approved_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "paid_at", .column = "c.paid_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "cancelled_at",
     .column = "c.cancelled_at",
     .type = XRM_FT_DATETIME,
     .flags = RO | NUL},
    XRM_FIELDS_STAMPS("c"),
};

const struct xrm_record_kind xrm_commission_kind = {
    .name = "commission",
    .table = "commissions",
    .alias = "c",
    .from = " FROM commissions c JOIN parties pp ON pp.id = c.partner_id "
            "LEFT JOIN parties p ON p.id = c.party_id LEFT JOIN deals d ON d.id = c.deal_id",
    .title = "Commission",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

/* The filter as list conditions; returns their number. */
static int conds_of(const struct xrm_commission_filter *f, const struct xrm_period *p,
                    struct xrm_record_cond c[4])
{
    int n = 0;
    memset(c, 0, 4 * sizeof(*c));
    if (f->partner) {
        c[n].sql = "c.partner_id = ?";
        xrm_record_cond_num(&c[n++], f->partner);
    }
    if (p) {
        c[n].sql = "c.won_on >= ? AND c.won_on < ?";
        xrm_record_cond_text(&c[n], p->from);
        xrm_record_cond_text(&c[n++], p->to);
    }
    if (f->status) {
        c[n].sql = "c.status = ?";
        xrm_record_cond_text(&c[n++], f->status);
    }
    return n;
}

enum xrm_rc xrm_commission_db_list(struct xrm_db *db, const struct xrm_commission_filter *f,
                                   const struct xrm_period *p, int n, json_t **out,
                                   struct xrm_err *err)
{
    struct xrm_record_cond c[4];
    int nc = conds_of(f, p, c);
    return xrm_record_db_list(db, &xrm_commission_kind, c, nc, "c.won_on, c.id", n, 0, out, err);
}

/* One totals row per currency, filled from (currency, status, count, base, amount) rows. */
static json_t *totals_row(json_t *totals, const char *currency)
{
    size_t i;
    json_t *t;
    json_array_foreach(totals, i, t) if (strcmp(json_string_value(json_object_get(t, "currency")),
                                                currency) == 0) return t;
    t = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "currency", currency, "count", 0,
                  "base", 0, "open", 0, "approved", 0, "paid", 0, "cancelled", 0, "total", 0);
    json_array_append_new(totals, t);
    return t;
}

static void add_to(json_t *o, const char *key, int64_t v)
{
    json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + v));
}

enum xrm_rc xrm_commission_db_totals(struct xrm_db *db, const struct xrm_commission_filter *f,
                                     const struct xrm_period *p, json_t **out, struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT c.currency, c.status, COUNT(*), SUM(c.base), SUM(c.amount) "
                    "FROM commissions c WHERE 1 = 1");
    if (f->partner) {
        xrm_sql_add(&q, " AND c.partner_id = ?");
        xrm_sql_int(&q, f->partner);
    }
    if (p) {
        xrm_sql_add(&q, " AND c.won_on >= ? AND c.won_on < ?");
        xrm_sql_str(&q, p->from);
        xrm_sql_str(&q, p->to);
    }
    if (f->status) {
        xrm_sql_add(&q, " AND c.status = ?");
        xrm_sql_str(&q, f->status);
    }
    xrm_sql_add(&q, " GROUP BY c.currency, c.status ORDER BY c.currency, c.status");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    json_t *totals = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *t = totals_row(totals, xrm_stmt_text(s, 0));
        const char *status = xrm_stmt_text(s, 1);
        int64_t amount = xrm_stmt_int(s, 4);
        add_to(t, status, amount);
        if (strcmp(status, "cancelled") != 0) {
            add_to(t, "count", xrm_stmt_int(s, 2));
            add_to(t, "base", xrm_stmt_int(s, 3));
            add_to(t, "total", amount);
        }
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(totals);
        return XRM_E_DB;
    }
    *out = totals;
    return XRM_OK;
}

enum xrm_rc xrm_commission_db_current(struct xrm_db *db, int64_t deal_id, json_t **out,
                                      struct xrm_err *err)
{
    struct xrm_record_cond c[1] = {{.sql = "c.deal_id = ? AND c.status <> 'cancelled'"}};
    json_t *items = NULL;
    xrm_record_cond_num(&c[0], deal_id);
    enum xrm_rc rc =
        xrm_record_db_list(db, &xrm_commission_kind, c, 1, "c.id DESC", 1, 0, &items, err);
    if (rc)
        return rc;
    *out = json_incref(json_array_get(items, 0));
    json_decref(items);
    return XRM_OK;
}

enum xrm_rc xrm_commission_db_tier_pct(struct xrm_db *db, const char *tier, json_t **out,
                                       struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT commission_pct FROM partner_tier_levels WHERE tier = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, tier);
    *out = NULL;
    int r = xrm_stmt_step(s, err);
    if (r == 1 && !xrm_stmt_is_null(s, 0))
        *out = xrm_json_load_stored(xrm_stmt_text(s, 0), false);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
