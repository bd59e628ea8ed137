/*
 * The description of a quote and its own SQL (quote-db.h). The accept
 * token's hash is not a field of the kind: no answer or audit entry ever
 * holds it, and the generic update leaves it alone.
 */
#include "domain/billing/quote-db.h"
#include "domain/billing/quote.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const char *const statuses[] = {"draft", "sent", "accepted", "declined", "expired", NULL};

static bool currency_ok(const char *s)
{
    return xrm_currency_valid(s);
}

static void quote_row(json_t *o)
{
    json_object_del(o, "net_total");
    json_object_del(o, "vat_total");
    json_object_del(o, "gross_total");
}

static const struct xrm_field quote_fields[] = {
    XRM_FIELD_ID("q"),
    {.name = "number",
     .column = "q.number",
     .type = XRM_FT_TEXT,
     .flags = RO | NUL,
     .max = 60,
     .doc = "Given at creation from the quote number format (OFF-2026-0001)"},
    XRM_FIELD_PARTY("q"),
    {.name = "deal", .column = "q.deal_id", .type = XRM_FT_REF, .flags = NUL, .min = 1},
    {.name = "date", .column = "q.date", .type = XRM_FT_DATE, .doc = "Default today"},
    {.name = "valid_until",
     .column = "q.valid_until",
     .type = XRM_FT_DATE,
     .flags = NUL,
     .doc = "Default 30 days after the date"},
    {.name = "status",
     .column = "q.status",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = statuses,
     .doc = "expired: a sent quote past valid_until (derived when read)"},
    {.name = "currency",
     .column = "q.currency",
     .type = XRM_FT_CURRENCY,
     .dflt = "EUR",
     .valid = currency_ok},
    {.name = "lines",
     .column = "q.lines",
     .type = XRM_FT_JSON,
     .dflt = "[]",
     .doc = "[{description, quantity, unit, unit_price, discount_pct, vat, net}]"},
    {.name = "totals",
     .column = "q.totals",
     .type = XRM_FT_JSON,
     .flags = RO,
     .dflt = "{}",
     .doc = "{net, vat: [{rate, base, amount}], gross}, computed by the server"},
    {.name = "note", .column = "q.note", .type = XRM_FT_TEXT, .flags = NUL, .max = 4000},
    {.name = "seller",
     .column = "q.seller",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "The company settings when sent (null on a draft)"},
    {.name = "buyer",
     .column = "q.buyer",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "The party when sent (null on a draft)"},
    {.name = "sent_at", .column = "q.sent_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "accepted_at", .column = "q.accepted_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "accepted_by",
     .column = "q.accepted_by",
     .type = XRM_FT_TEXT,
     .flags = RO | NUL,
     .max = 100,
     .doc = "The user's name, or \"customer\" (the public link)"},
    {.name = "accept_url",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_NONE,
     .flags = RO | NUL,
     .doc = "Only in the answer of send: the customer's accept link /accept/<token>, "
            "shown this once"},
    {.name = "owner", .column = "q.owner", .type = XRM_FT_USER, .flags = NUL, .min = 1},
    {.name = "net_total", .column = "q.net", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    {.name = "vat_total", .column = "q.vat_total", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    {.name = "gross_total", .column = "q.gross", .type = XRM_FT_MONEY, .flags = XRM_FF_HIDDEN},
    XRM_FIELDS_STAMPS("q"),
};

const struct xrm_record_kind xrm_quote_kind = {
    .name = "quote",
    .table = "quotes",
    .alias = "q",
    .from = " FROM quotes q JOIN parties p ON p.id = q.party_id",
    .title = "Quote",
    .fields = quote_fields,
    .nfields = sizeof(quote_fields) / sizeof(quote_fields[0]),
    .row = quote_row,
};

enum xrm_rc xrm_quote_db_set_token(struct xrm_db *db, int64_t id, const char *hash,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE quotes SET accept_token_hash = ? WHERE id = ?", err);
    if (s) {
        xrm_stmt_bind_text(s, 1, hash);
        xrm_stmt_bind_int(s, 2, id);
    }
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_quote_db_by_token(struct xrm_db *db, const char *hash, int64_t *id,
                                  struct xrm_err *err)
{
    bool found = false;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT id FROM quotes WHERE tenant = 1 AND accept_token_hash = ?", err);
    if (s)
        xrm_stmt_bind_text(s, 1, hash);
    *id = 0;
    enum xrm_rc rc = xrm_rows_int(s, id, &found, err);
    if (!found)
        *id = 0;
    return rc;
}
