/*
 * The description of an invoice (invoices and credit notes share the
 * table) and its own SQL (invoice-db.h).
 */
#include "domain/billing/invoice-db.h"
#include "domain/billing/invoice.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const char *const kinds[] = {"invoice", "credit_note", NULL};
static const char *const statuses[] = {"draft", "open", "paid", "overdue", "credited", NULL};

static bool currency_ok(const char *s)
{
    return xrm_currency_valid(s);
}

static void invoice_row(json_t *o)
{
    json_object_del(o, "net_total");
    json_object_del(o, "vat_total");
    json_object_del(o, "gross_total");
}

static const struct xrm_field invoice_fields[] = {
    XRM_FIELD_ID("i"),
    {.name = "kind",
     .column = "i.kind",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = kinds,
     .doc = "invoice, or credit_note (made by POST /invoices/{id}/credit)"},
    {.name = "number",
     .column = "i.number",
     .type = XRM_FT_TEXT,
     .flags = RO | NUL,
     .max = 60,
     .doc = "Given at issue, gapless per year (null on a draft)"},
    /* required unless a quote or deal gives it (the validation says so) */
    {.name = "party",
     .column = "i.party_id",
     .type = XRM_FT_PARTY,
     .min = 1,
     .doc = "Required, unless the quote or deal of a create gives it"},
    {.name = "party_name",
     .column = "p.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "deal", .column = "i.deal_id", .type = XRM_FT_REF, .flags = NUL, .min = 1},
    {.name = "quote",
     .column = "i.quote_id",
     .type = XRM_FT_REF,
     .flags = NUL,
     .min = 1,
     .doc = "On create: an accepted quote whose party, deal and lines are copied"},
    {.name = "credit_of",
     .column = "i.credit_of",
     .type = XRM_FT_REF,
     .flags = RO | NUL,
     .min = 1,
     .doc = "The invoice a credit note corrects"},
    {.name = "credit_of_number",
     .column = "(SELECT c.number FROM invoices c WHERE c.id = i.credit_of)",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL},
    {.name = "date",
     .column = "i.date",
     .type = XRM_FT_DATE,
     .flags = NUL,
     .doc = "Null on a draft until issued (issue sets today unless given)"},
    {.name = "due", .column = "i.due", .type = XRM_FT_DATE, .flags = RO | NUL},
    {.name = "status",
     .column = "i.status",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = statuses,
     .doc = "overdue: open with due before today (derived when read)"},
    {.name = "currency",
     .column = "i.currency",
     .type = XRM_FT_CURRENCY,
     .dflt = "EUR",
     .valid = currency_ok},
    {.name = "lines",
     .column = "i.lines",
     .type = XRM_FT_JSON,
     .dflt = "[]",
     .doc = "[{description, quantity, unit, unit_price, discount_pct, vat, net}]"},
    {.name = "totals",
     .column = "i.totals",
     .type = XRM_FT_JSON,
     .flags = RO,
     .dflt = "{}",
     .doc = "{net, vat: [{rate, base, amount}], gross}, computed by the server"},
    {.name = "paid",
     .column = "i.paid",
     .type = XRM_FT_MONEY,
     .col = XRM_FC_JOINED,
     .flags = RO,
     .doc = "Cents paid so far"},
    {.name = "credited",
     .column = "(SELECT COALESCE(SUM(c.gross), 0) FROM invoices c WHERE c.credit_of = i.id"
               " AND c.status <> 'draft')",
     .type = XRM_FT_MONEY,
     .col = XRM_FC_JOINED,
     .flags = RO,
     .doc = "Cents credited by credit notes"},
    {.name = "open",
     .type = XRM_FT_MONEY,
     .col = XRM_FC_NONE,
     .flags = RO,
     .doc = "gross - paid - credited (0 on a draft and a credit note)"},
    {.name = "note", .column = "i.note", .type = XRM_FT_TEXT, .flags = NUL, .max = 4000},
    {.name = "seller",
     .column = "i.seller",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "The company settings when issued (null on a draft)"},
    {.name = "buyer",
     .column = "i.buyer",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "The party when issued (null on a draft)"},
    {.name = "payments",
     .type = XRM_FT_JSON,
     .col = XRM_FC_NONE,
     .flags = RO | NUL,
     .doc = "[{id, amount, date, note}] (on a single invoice; null in lists)"},
    {.name = "issued_at", .column = "i.issued_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "issued_by", .column = "i.issued_by", .type = XRM_FT_USER, .flags = RO | NUL},
    {.name = "reminder_level",
     .column = "i.reminder_level",
     .type = XRM_FT_INT,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "net_total", .column = "i.net", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    {.name = "vat_total", .column = "i.vat_total", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    {.name = "gross_total", .column = "i.gross", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    XRM_FIELDS_STAMPS("i"),
};

const struct xrm_record_kind xrm_invoice_kind = {
    .name = "invoice",
    .table = "invoices",
    .alias = "i",
    .from = " FROM invoices i JOIN parties p ON p.id = i.party_id",
    .title = "Invoice",
    .fields = invoice_fields,
    .nfields = sizeof(invoice_fields) / sizeof(invoice_fields[0]),
    .row = invoice_row,
};

enum xrm_rc xrm_invoice_db_set_seq(struct xrm_db *db, int64_t id, int year, int64_t seq,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE invoices SET year = ?, seq = ? WHERE id = ?", err);
    if (s) {
        xrm_stmt_bind_int(s, 1, year);
        xrm_stmt_bind_int(s, 2, seq);
        xrm_stmt_bind_int(s, 3, id);
    }
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_invoice_db_pay(struct xrm_db *db, int64_t invoice, int64_t amount, const char *date,
                               const char *note, int64_t user, const char *now, int64_t *id,
                               struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO invoice_payments (invoice_id, amount, date, note, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (s) {
        xrm_stmt_bind_int(s, 1, invoice);
        xrm_stmt_bind_int(s, 2, amount);
        xrm_stmt_bind_text(s, 3, date);
        xrm_stmt_bind_text(s, 4, note);
        if (user)
            xrm_stmt_bind_int(s, 5, user);
        else
            xrm_stmt_bind_null(s, 5);
        xrm_stmt_bind_text(s, 6, now);
    }
    enum xrm_rc rc = xrm_rows_int(s, id, NULL, err);
    if (rc)
        return rc;
    s = xrm_db_prepare(db, "UPDATE invoices SET paid = paid + ? WHERE id = ?", err);
    if (s) {
        xrm_stmt_bind_int(s, 1, amount);
        xrm_stmt_bind_int(s, 2, invoice);
    }
    return xrm_rows_run(s, err);
}

static json_t *payment_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "amount", xrm_row_int(s, 1));
    json_object_set_new(o, "date", xrm_row_text(s, 2));
    json_object_set_new(o, "note", xrm_row_text(s, 3));
    return o;
}

enum xrm_rc xrm_invoice_db_payments(struct xrm_db *db, int64_t invoice, json_t **out,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, amount, date, note FROM invoice_payments"
                                        " WHERE invoice_id = ? ORDER BY date, id",
                                        err);
    if (s)
        xrm_stmt_bind_int(s, 1, invoice);
    return xrm_rows_all(s, payment_row, out, err);
}
