/*
 * SQL of the ledger (see ledger-db.h): one SELECT of invoices with their
 * credited amount, filtered per use; the revenue per month; the overdue
 * task's note on an invoice.
 */
#include "domain/billing/ledger-db.h"
#include "domain/base/row.h"
#include "domain/base/sql.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define ITEM_SELECT                                                                                \
    "SELECT i.id, i.kind, i.number, i.party_id, p.name, i.date, i.due, i.currency, i.net,"         \
    " i.vat_total, i.gross, i.paid,"                                                               \
    " COALESCE((SELECT SUM(c.gross) FROM invoices c WHERE c.credit_of = i.id"                      \
    " AND c.kind = 'credit_note' AND c.status <> 'draft'), 0),"                                    \
    " i.buyer, i.seller, i.totals, i.status, i.reminder_level, i.collection_costs,"                \
    " i.last_reminder, i.task_id, i.created_by, i.issued_by, i.version"                            \
    " FROM invoices i JOIN parties p ON p.id = i.party_id"

static json_t *snapshot(struct xrm_stmt *s, int col)
{
    const char *t = xrm_stmt_text(s, col);
    return t && *t ? xrm_json_load_stored(t, false) : json_null();
}

static json_t *item_row(struct xrm_stmt *s)
{
    const char *kind = xrm_stmt_text(s, 1);
    int64_t gross = xrm_stmt_int(s, 10), paid = xrm_stmt_int(s, 11), credited = xrm_stmt_int(s, 12);
    bool invoice = kind && strcmp(kind, "invoice") == 0;
    const char *status = xrm_stmt_text(s, 16);
    int64_t open = invoice && status && strcmp(status, "open") == 0 ? gross - paid - credited : 0;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "kind", xrm_row_text(s, 1));
    json_object_set_new(o, "number", xrm_row_text(s, 2));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 3)));
    json_object_set_new(o, "party_name", xrm_row_text(s, 4));
    json_object_set_new(o, "date", xrm_row_text(s, 5));
    json_object_set_new(o, "due", xrm_row_text(s, 6));
    json_object_set_new(o, "currency", xrm_row_text(s, 7));
    json_object_set_new(o, "net", json_integer(xrm_stmt_int(s, 8)));
    json_object_set_new(o, "vat_total", json_integer(xrm_stmt_int(s, 9)));
    json_object_set_new(o, "gross", json_integer(gross));
    json_object_set_new(o, "paid", json_integer(paid));
    json_object_set_new(o, "credited", json_integer(credited));
    json_object_set_new(o, "open", json_integer(open > 0 ? open : 0));
    json_object_set_new(o, "buyer", snapshot(s, 13));
    json_object_set_new(o, "seller", snapshot(s, 14));
    json_object_set_new(o, "totals", snapshot(s, 15));
    json_object_set_new(o, "status", xrm_row_text(s, 16));
    json_object_set_new(o, "reminder_level", json_integer(xrm_stmt_int(s, 17)));
    json_object_set_new(o, "collection_costs", json_integer(xrm_stmt_int(s, 18)));
    json_object_set_new(o, "last_reminder", xrm_row_text(s, 19));
    json_object_set_new(o, "task", xrm_row_int(s, 20));
    json_object_set_new(o, "created_by", xrm_row_int(s, 21));
    json_object_set_new(o, "issued_by", xrm_row_int(s, 22));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 23)));
    return o;
}

/* Runs q (released here) to an array of items; more than the cap is XRM_E_LIMIT. */
static enum xrm_rc items(struct xrm_db *db, struct xrm_sql *q, json_t **out, struct xrm_err *err)
{
    char cap[32];
    snprintf(cap, sizeof(cap), " LIMIT %d", XRM_LEDGER_ROWS_MAX + 1);
    xrm_sql_add(q, cap);
    struct xrm_stmt *s = xrm_sql_prepare(db, q, err);
    xrm_sql_release(q);
    enum xrm_rc rc = xrm_rows_all(s, item_row, out, err);
    if (!rc && json_array_size(*out) > XRM_LEDGER_ROWS_MAX) {
        json_decref(*out);
        *out = NULL;
        return xrm_errf(err, XRM_E_LIMIT, "more than %d invoices: choose a shorter period",
                        XRM_LEDGER_ROWS_MAX);
    }
    return rc;
}

enum xrm_rc xrm_ledger_db_journal(struct xrm_db *db, const char *from, const char *to, json_t **out,
                                  struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, ITEM_SELECT " WHERE i.status <> 'draft' AND i.number IS NOT NULL"
                                " AND i.date >= ? AND i.date < ? ORDER BY i.date, i.id");
    xrm_sql_str(&q, from);
    xrm_sql_str(&q, to);
    return items(db, &q, out, err);
}

enum xrm_rc xrm_ledger_db_open(struct xrm_db *db, int64_t party, json_t **out, struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, ITEM_SELECT " WHERE i.kind = 'invoice' AND i.status = 'open'");
    if (party) {
        xrm_sql_add(&q, " AND i.party_id = ?");
        xrm_sql_int(&q, party);
    }
    xrm_sql_add(&q, " ORDER BY i.due, i.id");
    return items(db, &q, out, err);
}

enum xrm_rc xrm_ledger_db_overdue_untasked(struct xrm_db *db, const char *today, json_t **out,
                                           struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, ITEM_SELECT " WHERE i.kind = 'invoice' AND i.status = 'open' AND i.due < ?"
                                " AND i.task_id IS NULL ORDER BY i.due, i.id");
    xrm_sql_str(&q, today);
    return items(db, &q, out, err);
}

enum xrm_rc xrm_ledger_db_item(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, ITEM_SELECT " WHERE i.id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, item_row, "invoice", id, out, err);
}

static json_t *revenue_row(struct xrm_stmt *s)
{
    return json_pack("{s:o, s:o, s:I, s:I}", "month", xrm_row_text(s, 0), "kind",
                     xrm_row_text(s, 1), "net", (json_int_t)xrm_stmt_int(s, 2), "count",
                     (json_int_t)xrm_stmt_int(s, 3));
}

enum xrm_rc xrm_ledger_db_revenue(struct xrm_db *db, const char *from, const char *to, json_t **out,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT substr(i.date, 1, 7), i.kind, SUM(i.net), COUNT(*) FROM invoices i"
        " WHERE i.status <> 'draft' AND i.number IS NOT NULL AND i.date >= ? AND i.date < ?"
        " GROUP BY substr(i.date, 1, 7), i.kind ORDER BY substr(i.date, 1, 7), i.kind",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, from);
        xrm_stmt_bind_text(s, 2, to);
    }
    return xrm_rows_all(s, revenue_row, out, err);
}

enum xrm_rc xrm_ledger_db_user_active(struct xrm_db *db, int64_t id, bool *active,
                                      struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT id FROM users WHERE id = ? AND disabled = 0", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    *active = false;
    return xrm_rows_int(s, NULL, active, err);
}

enum xrm_rc xrm_ledger_db_set_task(struct xrm_db *db, int64_t id, int64_t task, const char *now,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE invoices SET task_id = ?, updated_at = ? WHERE id = ?", err);
    if (s) {
        xrm_stmt_bind_int(s, 1, task);
        xrm_stmt_bind_text(s, 2, now);
        xrm_stmt_bind_int(s, 3, id);
    }
    return xrm_rows_run(s, err);
}
