/*
 * The description of a purchase invoice and its special SQL: the insert of
 * an upload (with the original XML), the duplicate check, the supplier
 * match and the XML read back.
 */
#include "domain/srm/purchase-invoice-db.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/srm/purchase-invoice.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const statuses[] = {"received", "approved", "paid", NULL};
static const char *const matches[] = {"vat", "kvk", "manual", "none", NULL};
static const char *const kinds[] = {"invoice", "credit_note", NULL};

#define READ_TEXT(n, column_, len_, what)                                                          \
    {                                                                                              \
        .name = n, .column = "x." column_, .type = XRM_FT_TEXT, .col = XRM_FC_JOINED,              \
        .flags = XRM_FF_READONLY | XRM_FF_NULLABLE, .max = len_, .doc = what                       \
    }
#define READ_MONEY(n, what)                                                                        \
    {                                                                                              \
        .name = n, .column = "x." n, .type = XRM_FT_MONEY, .col = XRM_FC_JOINED,                   \
        .flags = XRM_FF_READONLY, .min = -100000000000000LL, .max = 100000000000000LL, .doc = what \
    }

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("x"),
    {.name = "party",
     .column = "x.party_id",
     .type = XRM_FT_PARTY,
     .flags = XRM_FF_NULLABLE,
     .min = 1,
     .doc = "The supplier's party; null when not matched"},
    {.name = "party_name",
     .column = "p.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE},
    {.name = "match",
     .column = "x.match_by",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_READONLY,
     .values = matches,
     .dflt = "none",
     .doc = "How the supplier was found: vat, kvk, manual (linked by a user), none"},
    {.name = "kind",
     .column = "x.kind",
     .type = XRM_FT_ENUM,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY,
     .values = kinds},
    READ_TEXT("number", "number", 200, "The supplier's invoice number"),
    READ_TEXT("supplier_name", "supplier_name", 500, NULL),
    READ_TEXT("supplier_vat", "supplier_vat", 100, "The supplier's VAT id as the file gives it"),
    READ_TEXT("supplier_kvk", "supplier_kvk", 100, NULL),
    {.name = "date",
     .column = "x.date",
     .type = XRM_FT_DATE,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE},
    {.name = "due",
     .column = "x.due",
     .type = XRM_FT_DATE,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE},
    READ_TEXT("currency", "currency", 3, NULL),
    {.name = "lines",
     .column = "x.lines",
     .type = XRM_FT_JSON,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY,
     .dflt = "[]",
     .doc = "[{description, quantity, unit, unit_price, vat, net}] (cents)"},
    {.name = "totals",
     .column = "x.totals",
     .type = XRM_FT_JSON,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY,
     .doc = "{net, vat: [{rate, base, amount}], gross} (cents)"},
    READ_MONEY("net", "Total without VAT (cents)"),
    READ_MONEY("vat_total", "VAT (cents)"),
    READ_MONEY("gross", "Total with VAT (cents)"),
    {.name = "status",
     .column = "x.status",
     .type = XRM_FT_ENUM,
     .values = statuses,
     .dflt = "received",
     .doc = "received, approved, paid"},
    XRM_FIELDS_STAMPS("x"),
};

const struct xrm_record_kind xrm_purchase_invoice_kind = {
    .name = "purchase_invoice",
    .table = "purchase_invoices",
    .alias = "x",
    .from = " FROM purchase_invoices x LEFT JOIN parties p ON p.id = x.party_id",
    .title = "PurchaseInvoice",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

enum xrm_rc xrm_purchase_invoice_db_by_sha(struct xrm_db *db, const char *sha, int64_t *id,
                                           struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT id FROM purchase_invoices WHERE sha256 = ?", err);
    bool found = false;
    *id = 0;
    if (s)
        xrm_stmt_bind_text(s, 1, sha);
    return xrm_rows_int(s, id, &found, err);
}

enum xrm_rc xrm_purchase_invoice_db_match(struct xrm_db *db, bool by_vat, const char *value,
                                          int64_t *party, struct xrm_err *err)
{
    static const char by_vat_sql[] =
        "SELECT p.id FROM parties p WHERE p.vat = ? AND p.archived = 0 ORDER BY"
        " CASE WHEN EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id"
        " AND r.type = 'supplier') THEN 0 ELSE 1 END, p.id LIMIT 1";
    static const char by_kvk_sql[] =
        "SELECT p.id FROM parties p WHERE p.kvk = ? AND p.archived = 0 ORDER BY"
        " CASE WHEN EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id"
        " AND r.type = 'supplier') THEN 0 ELSE 1 END, p.id LIMIT 1";
    struct xrm_stmt *s = xrm_db_prepare(db, by_vat ? by_vat_sql : by_kvk_sql, err);
    bool found = false;
    *party = 0;
    if (s)
        xrm_stmt_bind_text(s, 1, value);
    return xrm_rows_int(s, party, &found, err);
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

enum xrm_rc xrm_purchase_invoice_db_insert(struct xrm_db *db, json_t *inv, int64_t party,
                                           const char *match, const char *xml, size_t len,
                                           const char *sha, int64_t created_by, const char *now,
                                           int64_t *id, struct xrm_err *err)
{
    json_t *sup = json_object_get(inv, "supplier"), *totals = json_object_get(inv, "totals");
    char *lines = xrm_json_dump(json_object_get(inv, "lines"));
    char *tot = xrm_json_dump(totals);
    char *copy = strndup(xml, len);
    int64_t net = json_integer_value(json_object_get(totals, "net"));
    int64_t gross = json_integer_value(json_object_get(totals, "gross"));
    int i = 1;
    if (!copy)
        abort();
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO purchase_invoices (party_id, match_by, kind, number, supplier_name,"
        " supplier_vat, supplier_kvk, date, due, currency, lines, net, vat_total, gross, totals,"
        " status, xml, sha256, created_by, version, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, 1, ?, ?)"
        " RETURNING id",
        err);
    if (s) {
        if (party)
            xrm_stmt_bind_int(s, i++, party);
        else
            xrm_stmt_bind_null(s, i++);
        xrm_stmt_bind_text(s, i++, match);
        xrm_stmt_bind_text(s, i++, str(inv, "kind"));
        xrm_stmt_bind_text(s, i++, str(inv, "number"));
        xrm_stmt_bind_text(s, i++, str(sup, "name"));
        xrm_stmt_bind_text(s, i++, str(sup, "vat"));
        xrm_stmt_bind_text(s, i++, str(sup, "kvk"));
        xrm_stmt_bind_text(s, i++, str(inv, "date"));
        xrm_stmt_bind_text(s, i++, str(inv, "due"));
        xrm_stmt_bind_text(s, i++, str(inv, "currency"));
        xrm_stmt_bind_text(s, i++, lines);
        xrm_stmt_bind_int(s, i++, net);
        xrm_stmt_bind_int(s, i++, gross - net);
        xrm_stmt_bind_int(s, i++, gross);
        xrm_stmt_bind_text(s, i++, tot);
        xrm_stmt_bind_text(s, i++, copy);
        xrm_stmt_bind_text(s, i++, sha);
        if (created_by)
            xrm_stmt_bind_int(s, i++, created_by);
        else
            xrm_stmt_bind_null(s, i++);
        xrm_stmt_bind_text(s, i++, now);
        xrm_stmt_bind_text(s, i++, now);
    }
    *id = 0;
    enum xrm_rc rc = xrm_rows_int(s, id, NULL, err);
    free(lines);
    free(tot);
    free(copy);
    return rc;
}

enum xrm_rc xrm_purchase_invoice_db_xml(struct xrm_db *db, int64_t id, char **xml, size_t *len,
                                        struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT xml FROM purchase_invoices WHERE id = ?", err);
    *xml = NULL;
    *len = 0;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        const char *t = xrm_stmt_text(s, 0);
        *xml = strdup(t ? t : "");
        if (!*xml)
            abort();
        *len = strlen(*xml);
    }
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", "purchase_invoice", (long long)id);
    return XRM_OK;
}
