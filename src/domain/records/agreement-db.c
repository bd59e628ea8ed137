/*
 * SQL for agreements. The columns are start_date / end_date (END is an SQL
 * keyword); the API calls them start / end.
 */
#include "domain/records/agreement-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"
#include "domain/base/access.h"

#include <string.h>

#include "core/banned.h"

#define AGR_COLS                                                                                   \
    "a.id, a.party_id, p.name, a.kind, a.domain, a.title, a.start_date, a.end_date, "              \
    "a.notice_days, a.value, a.currency, a.auto_renew, a.renew_months, a.owner, a.notes, "         \
    "a.created_by, a.version, a.created_at, a.updated_at"
#define AGR_FROM " FROM agreements a JOIN parties p ON p.id = a.party_id"

static json_t *agr_json(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new(o, "party", json_integer(xrm_stmt_int(s, 1)));
    xrm_json_set_str(o, "party_name", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "kind", xrm_stmt_text(s, 3));
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 4));
    xrm_json_set_str(o, "title", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "start", xrm_stmt_text(s, 6));
    xrm_json_set_str(o, "end", xrm_stmt_text(s, 7));
    json_object_set_new(o, "notice_days", json_integer(xrm_stmt_int(s, 8)));
    json_object_set_new(o, "value", xrm_row_int(s, 9));
    xrm_json_set_str(o, "currency", xrm_stmt_text(s, 10));
    json_object_set_new(o, "auto_renew", json_boolean(xrm_stmt_int(s, 11) != 0));
    json_object_set_new(o, "renew_months", json_integer(xrm_stmt_int(s, 12)));
    json_object_set_new(o, "owner", xrm_row_int(s, 13));
    xrm_json_set_str(o, "notes", xrm_stmt_text(s, 14));
    json_object_set_new(o, "created_by", xrm_row_int(s, 15));
    json_object_set_new(o, "version", json_integer(xrm_stmt_int(s, 16)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 17));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 18));
    return o;
}

enum xrm_rc xrm_agr_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT " AGR_COLS AGR_FROM " WHERE a.id = ?", err);
    json_t *o = NULL;
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        o = agr_json(s);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no agreement %lld", (long long)id);
    *out = o;
    return XRM_OK;
}

/* Binds the thirteen record columns party .. notes to 1..13 in table order. */
static void bind_record(struct xrm_stmt *s, json_t *rec)
{
    xrm_row_bind_int(s, 1, rec, "party");
    xrm_row_bind_str(s, 2, rec, "kind");
    xrm_row_bind_str(s, 3, rec, "domain");
    xrm_row_bind_str(s, 4, rec, "title");
    xrm_row_bind_str(s, 5, rec, "start");
    xrm_row_bind_str(s, 6, rec, "end");
    xrm_row_bind_int(s, 7, rec, "notice_days");
    xrm_row_bind_int(s, 8, rec, "value");
    xrm_row_bind_str(s, 9, rec, "currency");
    xrm_stmt_bind_int(s, 10, json_is_true(json_object_get(rec, "auto_renew")));
    xrm_row_bind_int(s, 11, rec, "renew_months");
    xrm_row_bind_int(s, 12, rec, "owner");
    xrm_row_bind_str(s, 13, rec, "notes");
}

enum xrm_rc xrm_agr_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                              int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO agreements (party_id, kind, domain, title, start_date, "
                       "end_date, notice_days, value, currency, auto_renew, renew_months, owner, "
                       "notes, created_by, version, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    if (created_by)
        xrm_stmt_bind_int(s, 14, created_by);
    else
        xrm_stmt_bind_null(s, 14);
    xrm_stmt_bind_text(s, 15, now);
    xrm_stmt_bind_text(s, 16, now);
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    return *id ? XRM_OK : xrm_errf(err, XRM_E_DB, "insert into agreements returned no id");
}

enum xrm_rc xrm_agr_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                              struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "UPDATE agreements SET party_id = ?, kind = ?, domain = ?, title = ?, "
                       "start_date = ?, end_date = ?, notice_days = ?, value = ?, currency = ?, "
                       "auto_renew = ?, renew_months = ?, owner = ?, notes = ?, "
                       "version = version + 1, updated_at = ? WHERE id = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    bind_record(s, rec);
    xrm_stmt_bind_text(s, 14, now);
    xrm_stmt_bind_int(s, 15, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_agr_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM record_activities WHERE entity = 'agreement' AND entity_id = ?",
        "DELETE FROM agreements WHERE id = ?"};
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql[i], err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

enum xrm_rc xrm_agr_db_list(struct xrm_db *db, const struct xrm_agreement_filter *f,
                            const char *const *dom, const char *today, const char *until, int n,
                            int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    const char *status = f->status;
    bool expiring = f->expiring > 0;
    xrm_buf_adds(&sql, "SELECT " AGR_COLS AGR_FROM " WHERE " XRM_ACCESS_MATCH("a.domain"));
    if (f->party)
        xrm_buf_adds(&sql, " AND a.party_id = ?");
    if (f->kind)
        xrm_buf_adds(&sql, " AND a.kind = ?");
    if (f->domain)
        xrm_buf_adds(&sql, " AND a.domain = ?");
    if (expiring)
        status = "active";
    if (status && strcmp(status, "upcoming") == 0)
        xrm_buf_adds(&sql, " AND a.start_date > ?");
    else if (status && strcmp(status, "active") == 0)
        xrm_buf_adds(&sql, " AND a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?)");
    else if (status)
        xrm_buf_adds(&sql, " AND a.end_date < ?");
    if (expiring)
        xrm_buf_adds(&sql, " AND a.end_date IS NOT NULL AND a.end_date <= ?"
                           " ORDER BY a.end_date, a.id LIMIT ?");
    else if (before_id)
        xrm_buf_adds(&sql, " AND a.id < ? ORDER BY a.id DESC LIMIT ?");
    else
        xrm_buf_adds(&sql, " ORDER BY a.id DESC LIMIT ?");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    for (int k = 0; k < XRM_NDOMAINS; k++)
        xrm_stmt_bind_text(s, i++, dom[k]);
    if (f->party)
        xrm_stmt_bind_int(s, i++, f->party);
    if (f->kind)
        xrm_stmt_bind_text(s, i++, f->kind);
    if (f->domain)
        xrm_stmt_bind_text(s, i++, f->domain);
    if (status) {
        xrm_stmt_bind_text(s, i++, today);
        if (strcmp(status, "active") == 0)
            xrm_stmt_bind_text(s, i++, today);
    }
    if (expiring)
        xrm_stmt_bind_text(s, i++, until);
    else if (before_id)
        xrm_stmt_bind_int(s, i++, before_id);
    xrm_stmt_bind_int(s, i, n);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, agr_json(s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_agr_db_renew_due(struct xrm_db *db, const char *today, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id FROM agreements WHERE auto_renew = 1 AND "
                                        "end_date IS NOT NULL AND end_date < ? ORDER BY id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, today);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, json_integer(xrm_stmt_int(s, 0)));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}
