/*
 * SQL of reminders (see reminder-db.h), on invoice_reminders and invoices
 * of migration 23; a reminder's letter is its activity's subject and body.
 */
#include "domain/billing/reminder-db.h"
#include "domain/base/row.h"

#include "core/banned.h"

#define REMINDER_SELECT                                                                            \
    "SELECT r.id, r.invoice_id, r.level, r.kind, r.date, r.pay_by, r.costs, r.activity_id,"        \
    " a.subject, a.body, r.created_by, r.created_at"                                               \
    " FROM invoice_reminders r LEFT JOIN activities a ON a.id = r.activity_id"

static json_t *reminder_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "invoice", json_integer(xrm_stmt_int(s, 1)));
    json_object_set_new(o, "level", json_integer(xrm_stmt_int(s, 2)));
    json_object_set_new(o, "kind", xrm_row_text(s, 3));
    json_object_set_new(o, "date", xrm_row_text(s, 4));
    json_object_set_new(o, "pay_by", xrm_row_text(s, 5));
    json_object_set_new(o, "costs", json_integer(xrm_stmt_int(s, 6)));
    json_object_set_new(o, "activity", xrm_row_int(s, 7));
    json_object_set_new(o, "subject", xrm_row_text(s, 8));
    json_object_set_new(o, "body", xrm_row_text(s, 9));
    json_object_set_new(o, "created_by", xrm_row_int(s, 10));
    json_object_set_new(o, "created_at", xrm_row_text(s, 11));
    return o;
}

enum xrm_rc xrm_reminder_db_list(struct xrm_db *db, int64_t invoice, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, REMINDER_SELECT " WHERE r.invoice_id = ? ORDER BY r.id", err);
    if (s)
        xrm_stmt_bind_int(s, 1, invoice);
    return xrm_rows_all(s, reminder_row, out, err);
}

enum xrm_rc xrm_reminder_db_get(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, REMINDER_SELECT " WHERE r.id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, reminder_row, "reminder", id, out, err);
}

enum xrm_rc xrm_reminder_db_insert(struct xrm_db *db, json_t *rec, int64_t user, const char *now,
                                   int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO invoice_reminders (invoice_id, level, kind, date, pay_by, costs,"
        " activity_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (s) {
        xrm_row_bind_int(s, 1, rec, "invoice");
        xrm_row_bind_int(s, 2, rec, "level");
        xrm_row_bind_str(s, 3, rec, "kind");
        xrm_row_bind_str(s, 4, rec, "date");
        xrm_row_bind_str(s, 5, rec, "pay_by");
        xrm_row_bind_int(s, 6, rec, "costs");
        xrm_row_bind_int(s, 7, rec, "activity");
        if (user)
            xrm_stmt_bind_int(s, 8, user);
        else
            xrm_stmt_bind_null(s, 8);
        xrm_stmt_bind_text(s, 9, now);
    }
    return xrm_rows_int(s, id, NULL, err);
}

enum xrm_rc xrm_reminder_db_raise(struct xrm_db *db, int64_t invoice, int64_t level,
                                  const char *date, int64_t add_costs, const char *now,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE invoices SET reminder_level = ?, last_reminder = ?,"
        " collection_costs = collection_costs + ?, version = version + 1, updated_at = ?"
        " WHERE id = ?",
        err);
    if (s) {
        xrm_stmt_bind_int(s, 1, level);
        xrm_stmt_bind_text(s, 2, date);
        xrm_stmt_bind_int(s, 3, add_costs);
        xrm_stmt_bind_text(s, 4, now);
        xrm_stmt_bind_int(s, 5, invoice);
    }
    return xrm_rows_run(s, err);
}
