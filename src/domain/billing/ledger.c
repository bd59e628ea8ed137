/*
 * Billing: the ledger (see ledger.h). The invoices come from ledger-db.c;
 * here they become the journal, the debtors with their ageing, a party's
 * open items and the revenue per month.
 */
#include "domain/billing/ledger.h"
#include "domain/billing/ledger-db.h"
#include "domain/billing/invoice.h"
#include "domain/base/access.h"
#include "domain/party/party-ref.h"
#include "io/csv.h"
#include "io/ubl.h"
#include "io/zip.h"
#include "core/clock.h"
#include "core/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The VAT rates of contract order and whether they carry an amount. */
static const struct {
    const char *rate;
    bool has_amount;
} rates[] = {
    {"21", true}, {"9", true}, {"0", false}, {"exempt", false}, {"reverse_charge", false},
};
#define NRATES (sizeof(rates) / sizeof(rates[0]))

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

enum xrm_rc xrm_ledger_read_check(const struct xrm_user *u, struct xrm_err *err)
{
    if (xrm_access_level(u, "sales") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "reading invoices needs read access to sales");
    return XRM_OK;
}

static enum xrm_rc read_period(const char *s, struct xrm_period *p, struct xrm_err *err)
{
    if (!s || !*s)
        return xrm_err_field(err, XRM_E_MALFORMED, "period", "is required");
    if (!xrm_period_parse(s, p))
        return xrm_err_field(err, XRM_E_MALFORMED, "period",
                             "must be a year (2026), a quarter (2026-Q4) or a month (2026-11)");
    return XRM_OK;
}

/* Cents as euros with a decimal comma, as Dutch Excel reads a number. */
static void euros(int64_t cents, char *out, size_t n)
{
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(out, n, "%s%lld,%02lld", cents < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
}

/* The {base, amount} of rate in a document's totals, zero when absent. */
static void vat_of(json_t *totals, const char *rate, int64_t *base, int64_t *amount)
{
    size_t i;
    json_t *v;
    *base = *amount = 0;
    json_array_foreach(json_object_get(totals, "vat"), i, v)
    {
        if (strcmp(str_of(v, "rate"), rate) == 0) {
            *base += int_of(v, "base");
            *amount += int_of(v, "amount");
        }
    }
}

static void cell(struct xrm_buf *b, bool first, const char *v, bool text)
{
    if (!first)
        xrm_buf_addc(b, ';');
    xrm_csv_write_cell(b, v, text);
}

/*
 * An amount as a number cell. Written here rather than by xrm_csv_write_cell,
 * which turns a cell starting with '-' into a text cell (a formula guard):
 * a credit note's negative amount must stay a number the accountant can
 * add up, and a text made here of digits, a sign and a comma is no formula.
 * Quoted because of the decimal comma, as the writer quotes it too.
 */
static void money_cell(struct xrm_buf *b, int64_t cents)
{
    char m[32];
    euros(cents, m, sizeof(m));
    xrm_buf_addf(b, ";\"%s\"", m);
}

static void journal_write(json_t *rows, struct xrm_buf *b)
{
    bool present[NRATES] = {false};
    size_t i, r;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(json_object_get(it, "totals"), "vat"), k, v)
        {
            for (r = 0; r < NRATES; r++)
                if (strcmp(str_of(v, "rate"), rates[r].rate) == 0)
                    present[r] = true;
        }
    }
    xrm_csv_write_bom(b);
    static const char *const head[] = {"number",   "date",         "kind", "debtor_number",
                                       "customer", "customer_vat", "net"};
    for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        cell(b, i == 0, head[i], false);
    for (r = 0; r < NRATES; r++) {
        if (!present[r])
            continue;
        char h[40];
        snprintf(h, sizeof(h), "base_%s", rates[r].rate);
        cell(b, false, h, false);
        if (rates[r].has_amount) {
            snprintf(h, sizeof(h), "vat_%s", rates[r].rate);
            cell(b, false, h, false);
        }
    }
    cell(b, false, "gross", false);
    xrm_buf_adds(b, "\r\n");
    json_array_foreach(rows, i, it)
    {
        int sign = strcmp(str_of(it, "kind"), "credit_note") == 0 ? -1 : 1;
        json_t *buyer = json_object_get(it, "buyer");
        json_t *dn = json_object_get(buyer, "debtor_number");
        char dnum[32] = "";
        if (json_is_integer(dn))
            snprintf(dnum, sizeof(dnum), "%lld", (long long)json_integer_value(dn));
        else if (json_is_string(dn))
            snprintf(dnum, sizeof(dnum), "%s", json_string_value(dn));
        const char *name =
            json_is_object(buyer) && json_string_value(json_object_get(buyer, "name"))
                ? str_of(buyer, "name")
                : str_of(it, "party_name");
        cell(b, true, str_of(it, "number"), true);
        cell(b, false, str_of(it, "date"), false);
        cell(b, false, str_of(it, "kind"), false);
        cell(b, false, dnum, true);
        cell(b, false, name, true);
        cell(b, false, str_of(buyer, "vat"), true);
        money_cell(b, sign * int_of(it, "net"));
        for (r = 0; r < NRATES; r++) {
            if (!present[r])
                continue;
            int64_t base, amount;
            vat_of(json_object_get(it, "totals"), rates[r].rate, &base, &amount);
            money_cell(b, sign * base);
            if (rates[r].has_amount)
                money_cell(b, sign * amount);
        }
        money_cell(b, sign * int_of(it, "gross"));
        xrm_buf_adds(b, "\r\n");
    }
}

enum xrm_rc xrm_ledger_journal_csv(struct xrm_ctx *ctx, const char *period, struct xrm_buf *b,
                                   struct xrm_err *err)
{
    struct xrm_period p;
    json_t *rows = NULL;
    enum xrm_rc rc = read_period(period, &p, err);
    if (!rc)
        rc = xrm_ledger_read_check(&ctx->user, err);
    if (!rc)
        rc = xrm_ledger_db_journal(ctx->db, p.from, p.to, &rows, err);
    if (!rc)
        journal_write(rows, b);
    json_decref(rows);
    return rc;
}

/* Debtors */

static const char *const buckets[] = {"not_due", "days_0_30", "days_31_60", "days_61_90",
                                      "days_over_90"};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static void add_to(json_t *o, const char *key, int64_t v)
{
    json_object_set_new(o, key, json_integer(int_of(o, key) + v));
}

static int days_late(const char *due, const char *today)
{
    int64_t d = 0;
    if (!due || !xrm_date_diff(due, today, &d))
        return 0;
    return d > 0 ? (int)(d > 100000 ? 100000 : d) : 0;
}

static const char *bucket_of(int late)
{
    return late <= 0    ? buckets[0]
           : late <= 30 ? buckets[1]
           : late <= 60 ? buckets[2]
           : late <= 90 ? buckets[3]
                        : buckets[4];
}

static json_t *amounts(void)
{
    json_t *o = json_pack("{s:i, s:i, s:i}", "count", 0, "open", 0, "collection_costs", 0);
    for (size_t k = 0; k < NBUCKETS; k++)
        json_object_set_new(o, buckets[k], json_integer(0));
    return o;
}

static int by_open_desc(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int64_t ox = int_of(x, "open"), oy = int_of(y, "open");
    if (ox != oy)
        return ox > oy ? -1 : 1;
    return strcmp(str_of(x, "party_name"), str_of(y, "party_name"));
}

static enum xrm_rc debtors_json(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *rows = NULL, *by_party = json_object(), *totals = amounts();
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    enum xrm_rc rc = xrm_ledger_db_open(ctx->db, 0, &rows, err);
    if (rc)
        goto out;
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)int_of(it, "party"));
        json_t *d = json_object_get(by_party, key);
        if (!d) {
            d = amounts();
            json_object_set_new(d, "party", json_integer(int_of(it, "party")));
            json_object_set(d, "party_name", json_object_get(it, "party_name"));
            json_object_set_new(d, "debtor_number", json_null());
            json_object_set(d, "oldest_due", json_object_get(it, "due"));
            json_object_set_new(by_party, key, d);
        }
        /* The latest snapshot's debtor number (rows are by due date). */
        json_t *dn = json_object_get(json_object_get(it, "buyer"), "debtor_number");
        if (dn && !json_is_null(dn))
            json_object_set(d, "debtor_number", dn);
        int64_t open = int_of(it, "open");
        const char *b = bucket_of(days_late(json_string_value(json_object_get(it, "due")), today));
        add_to(d, "count", 1);
        add_to(d, "open", open);
        add_to(d, b, open);
        add_to(d, "collection_costs", int_of(it, "collection_costs"));
        add_to(totals, "count", 1);
        add_to(totals, "open", open);
        add_to(totals, b, open);
        add_to(totals, "collection_costs", int_of(it, "collection_costs"));
    }
    size_t n = json_object_size(by_party), k = 0;
    json_t **v = calloc(n ? n : 1, sizeof(*v));
    const char *key;
    json_t *d;
    json_object_foreach(by_party, key, d) v[k++] = d;
    qsort(v, n, sizeof(*v), by_open_desc);
    json_t *list = json_array();
    for (k = 0; k < n; k++)
        json_array_append(list, v[k]);
    free(v);
    *out = json_pack("{s:s, s:o, s:O}", "today", today, "items", list, "totals", totals);
out:
    json_decref(rows);
    json_decref(by_party);
    json_decref(totals);
    return rc;
}

enum xrm_rc xrm_ledger_debtors(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_ledger_read_check(&ctx->user, err);
    return rc ? rc : debtors_json(ctx, out, err);
}

static void debtors_write(json_t *debtors, struct xrm_buf *b)
{
    static const char *const head[] = {
        "debtor_number", "customer",   "count",        "open",       "not_due",         "days_0_30",
        "days_31_60",    "days_61_90", "days_over_90", "oldest_due", "collection_costs"};
    size_t i;
    json_t *d;
    xrm_csv_write_bom(b);
    for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        cell(b, i == 0, head[i], false);
    xrm_buf_adds(b, "\r\n");
    json_array_foreach(json_object_get(debtors, "items"), i, d)
    {
        char dnum[32] = "", count[24];
        json_t *dn = json_object_get(d, "debtor_number");
        if (json_is_integer(dn))
            snprintf(dnum, sizeof(dnum), "%lld", (long long)json_integer_value(dn));
        else if (json_is_string(dn))
            snprintf(dnum, sizeof(dnum), "%s", json_string_value(dn));
        snprintf(count, sizeof(count), "%lld", (long long)int_of(d, "count"));
        cell(b, true, dnum, true);
        cell(b, false, str_of(d, "party_name"), true);
        cell(b, false, count, false);
        money_cell(b, int_of(d, "open"));
        for (size_t k = 0; k < NBUCKETS; k++)
            money_cell(b, int_of(d, buckets[k]));
        cell(b, false, str_of(d, "oldest_due"), false);
        money_cell(b, int_of(d, "collection_costs"));
        xrm_buf_adds(b, "\r\n");
    }
}

/*
 * The UBL (io/ubl.h) of each document of rows, one after the other in ubl:
 * document i at offsets[i], lens[i] bytes long. The document is billing's
 * (xrm_invoice_document: the snapshots taken at issue).
 */
static enum xrm_rc ubl_files(struct xrm_ctx *ctx, json_t *rows, struct xrm_buf *ubl,
                             size_t *offsets, size_t *lens, struct xrm_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        json_t *doc = NULL;
        char msg[200];
        enum xrm_rc rc = xrm_invoice_document(ctx, int_of(it, "id"), &doc, NULL, NULL, NULL, err);
        if (rc)
            return rc;
        offsets[i] = ubl->len;
        int bad = xrm_ubl_write(doc, ubl, msg, sizeof(msg));
        json_decref(doc);
        if (bad)
            return xrm_errf(err, XRM_E_INTERNAL, "cannot write the UBL of invoice '%s': %s",
                            str_of(it, "number"), msg);
        lens[i] = ubl->len - offsets[i];
    }
    return XRM_OK;
}

enum xrm_rc xrm_ledger_export_zip(struct xrm_ctx *ctx, const char *period, struct xrm_buf *b,
                                  struct xrm_err *err)
{
    struct xrm_period p;
    json_t *rows = NULL, *debtors = NULL;
    struct xrm_buf journal = XRM_BUF_INIT, deb = XRM_BUF_INIT, ubl = XRM_BUF_INIT;
    size_t *offsets = NULL, *lens = NULL;
    struct xrm_zip_entry *e = NULL;
    char(*names)[80] = NULL;
    enum xrm_rc rc = read_period(period, &p, err);
    if (!rc)
        rc = xrm_ledger_read_check(&ctx->user, err);
    if (!rc)
        rc = xrm_ledger_db_journal(ctx->db, p.from, p.to, &rows, err);
    if (!rc)
        rc = debtors_json(ctx, &debtors, err);
    if (rc)
        goto out;
    size_t n = json_array_size(rows);
    offsets = calloc(n + 1, sizeof(*offsets));
    lens = calloc(n + 1, sizeof(*lens));
    names = calloc(n + 1, sizeof(*names));
    e = calloc(n + 2, sizeof(*e));
    rc = ubl_files(ctx, rows, &ubl, offsets, lens, err);
    if (rc)
        goto out;
    journal_write(rows, &journal);
    debtors_write(debtors, &deb);
    e[0] = (struct xrm_zip_entry){"journal.csv", journal.s, journal.len};
    e[1] = (struct xrm_zip_entry){"debtors.csv", deb.s, deb.len};
    for (size_t i = 0; i < n; i++) {
        /* numbers are made of the number formats: no '/' or '..', but be sure */
        snprintf(names[i], sizeof(names[i]), "%s.xml", str_of(json_array_get(rows, i), "number"));
        for (char *c = names[i]; *c; c++)
            if (*c == '/' || *c == '\\')
                *c = '-';
        e[i + 2] = (struct xrm_zip_entry){names[i], ubl.s + offsets[i], lens[i]};
    }
    rc = xrm_zip_write(e, n + 2, b, err);
out:
    free(offsets);
    free(lens);
    free(names);
    free(e);
    xrm_buf_release(&journal);
    xrm_buf_release(&deb);
    xrm_buf_release(&ubl);
    json_decref(rows);
    json_decref(debtors);
    return rc;
}

/* XRM_E_NOTFOUND "no party ID" (a message, no field) when there is no such party. */
static enum xrm_rc party_exists(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_party_check(db, id, "party", &local);
    if (rc == XRM_E_NOTFOUND)
        return xrm_errf(err, rc, "no party %lld", (long long)id);
    if (rc)
        return xrm_errf(err, rc, "%s", local.message);
    return XRM_OK;
}

enum xrm_rc xrm_ledger_open_items(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                  struct xrm_err *err)
{
    json_t *rows = NULL;
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = xrm_ledger_read_check(&ctx->user, err);
    if (!rc)
        rc = party_exists(ctx->db, id, err);
    if (!rc)
        rc = xrm_ledger_db_open(ctx->db, id, &rows, err);
    if (rc)
        return rc;
    xrm_clock_today(today);
    json_t *list = json_array();
    int64_t total = 0;
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        int late = days_late(json_string_value(json_object_get(it, "due")), today);
        json_t *o = json_object();
        static const char *const keys[] = {"id",
                                           "number",
                                           "date",
                                           "due",
                                           "currency",
                                           "gross",
                                           "paid",
                                           "credited",
                                           "open",
                                           "reminder_level",
                                           "collection_costs"};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            json_object_set(o, keys[k], json_object_get(it, keys[k]));
        json_object_set_new(o, "status", json_string(late > 0 ? "overdue" : "open"));
        json_object_set_new(o, "days_overdue", json_integer(late));
        json_array_append_new(list, o);
        total += int_of(it, "open");
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:o, s:I}", "party", (json_int_t)id, "items", list, "open",
                     (json_int_t)total);
    return XRM_OK;
}

enum xrm_rc xrm_ledger_revenue(struct xrm_ctx *ctx, int months, json_t **out, struct xrm_err *err)
{
    char today[XRM_DATE_LEN], first[XRM_DATE_LEN], from[XRM_DATE_LEN], to[XRM_DATE_LEN];
    json_t *rows = NULL;
    if (months < 1 || months > XRM_REVENUE_MONTHS_MAX)
        return xrm_err_field(err, XRM_E_MALFORMED, "months", "must be 1 to %d",
                             XRM_REVENUE_MONTHS_MAX);
    enum xrm_rc rc = xrm_ledger_read_check(&ctx->user, err);
    if (rc)
        return rc;
    xrm_clock_today(today);
    snprintf(first, sizeof(first), "%.7s-01", today);
    if (!xrm_date_add_months(first, -(months - 1), from) || !xrm_date_add_months(first, 1, to))
        return xrm_errf(err, XRM_E_INTERNAL, "cannot count months back from '%s'", today);
    rc = xrm_ledger_db_revenue(ctx->db, from, to, &rows, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    int64_t total = 0;
    for (int m = 0; m < months; m++) {
        char day[XRM_DATE_LEN], month[8];
        xrm_date_add_months(from, m, day);
        snprintf(month, sizeof(month), "%.7s", day);
        int64_t invoiced = 0, credited = 0, count = 0;
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            if (strcmp(str_of(r, "month"), month) != 0)
                continue;
            if (strcmp(str_of(r, "kind"), "credit_note") == 0)
                credited += int_of(r, "net");
            else
                invoiced += int_of(r, "net");
            count += int_of(r, "count");
        }
        json_array_append_new(
            list, json_pack("{s:s, s:I, s:I, s:I, s:I}", "month", month, "invoiced",
                            (json_int_t)invoiced, "credited", (json_int_t)credited, "net",
                            (json_int_t)(invoiced - credited), "count", (json_int_t)count));
        total += invoiced - credited;
    }
    json_decref(rows);
    *out = json_pack("{s:o, s:I}", "months", list, "net", (json_int_t)total);
    return XRM_OK;
}
