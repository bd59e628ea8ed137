/*
 * The SQL a record kind's description generates. Table, alias, join and
 * column names come from the static descriptors (never from input); every
 * value is a bound parameter.
 */
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* "SELECT cols FROM ..." of k into b (from NULL: the kind's own FROM). */
static void select_sql(struct xrm_buf *b, const struct xrm_record_kind *k, const char *from)
{
    bool first = true;
    xrm_buf_adds(b, "SELECT ");
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        if (f->col == XRM_FC_NONE || !f->column)
            continue;
        if (!first)
            xrm_buf_adds(b, ", ");
        xrm_buf_adds(b, f->column);
        first = false;
    }
    xrm_buf_adds(b, from ? from : k->from);
}

/* The column name of f without its alias ("c.party_id" -> "party_id"). */
static const char *bare(const struct xrm_field *f)
{
    const char *dot = strchr(f->column, '.');
    return dot ? dot + 1 : f->column;
}

static json_t *row_json(const struct xrm_record_kind *k, struct xrm_stmt *s)
{
    json_t *o = json_object();
    int c = 0;
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        json_t *v;
        if (f->col == XRM_FC_NONE || !f->column) {
            if (!(f->flags & XRM_FF_INPUT))
                json_object_set_new(o, f->name, json_null());
            continue;
        }
        switch (f->type) {
        case XRM_FT_INT:
        case XRM_FT_MONEY:
        case XRM_FT_REF:
        case XRM_FT_PARTY:
        case XRM_FT_USER:
            v = xrm_row_int(s, c);
            break;
        case XRM_FT_BOOL:
            v = xrm_stmt_is_null(s, c) ? json_null() : json_boolean(xrm_stmt_int(s, c) != 0);
            break;
        case XRM_FT_JSON:
            v = xrm_stmt_is_null(s, c)
                    ? json_null()
                    : xrm_json_load_stored(xrm_stmt_text(s, c), f->dflt && f->dflt[0] == '[');
            break;
        default:
            v = xrm_row_text(s, c);
            break;
        }
        json_object_set_new(o, f->name, v);
        c++;
    }
    if (k->row)
        k->row(o);
    return o;
}

/* Binds rec's value of f to idx. */
static void bind_field(struct xrm_stmt *s, int idx, const struct xrm_field *f, json_t *rec)
{
    json_t *v = json_object_get(rec, f->name);
    char *text;
    switch (f->type) {
    case XRM_FT_BOOL:
        if (v && !json_is_null(v))
            xrm_stmt_bind_int(s, idx, json_is_true(v));
        else
            xrm_stmt_bind_null(s, idx);
        break;
    case XRM_FT_INT:
    case XRM_FT_MONEY:
    case XRM_FT_REF:
    case XRM_FT_PARTY:
    case XRM_FT_USER:
        xrm_row_bind_int(s, idx, rec, f->name);
        break;
    case XRM_FT_JSON:
        if (v && !json_is_null(v)) {
            text = xrm_json_dump(v);
            xrm_stmt_bind_text(s, idx, text);
            free(text);
        } else {
            xrm_stmt_bind_null(s, idx);
        }
        break;
    default:
        xrm_row_bind_str(s, idx, rec, f->name);
        break;
    }
}

enum xrm_rc xrm_record_db_load(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                               json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    json_t *o = NULL;
    select_sql(&sql, k, NULL);
    xrm_buf_addf(&sql, " WHERE %s.id = ?", k->alias);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        o = row_json(k, s);
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", k->name, (long long)id);
    *out = o;
    return XRM_OK;
}

enum xrm_rc xrm_record_db_insert(struct xrm_db *db, const struct xrm_record_kind *k, json_t *rec,
                                 int64_t created_by, const char *now, int64_t *id,
                                 struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT, vals = XRM_BUF_INIT;
    xrm_buf_addf(&sql, "INSERT INTO %s (", k->table);
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        const char *v = "?";
        switch (f->col) {
        case XRM_FC_DATA:
        case XRM_FC_CREATED_BY:
        case XRM_FC_CREATED_AT:
        case XRM_FC_UPDATED_AT:
            break;
        case XRM_FC_VERSION:
            v = "1";
            break;
        default:
            continue;
        }
        if (vals.len) {
            xrm_buf_adds(&sql, ", ");
            xrm_buf_adds(&vals, ", ");
        }
        xrm_buf_adds(&sql, bare(f));
        xrm_buf_adds(&vals, v);
    }
    xrm_buf_addf(&sql, ") VALUES (%s) RETURNING id", vals.s);
    xrm_buf_release(&vals);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int idx = 1;
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        if (f->col == XRM_FC_DATA)
            bind_field(s, idx++, f, rec);
        else if (f->col == XRM_FC_CREATED_BY && created_by)
            xrm_stmt_bind_int(s, idx++, created_by);
        else if (f->col == XRM_FC_CREATED_BY)
            xrm_stmt_bind_null(s, idx++);
        else if (f->col == XRM_FC_CREATED_AT || f->col == XRM_FC_UPDATED_AT)
            xrm_stmt_bind_text(s, idx++, now);
    }
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    return *id ? XRM_OK : xrm_errf(err, XRM_E_DB, "insert into %s returned no id", k->table);
}

enum xrm_rc xrm_record_db_update(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                                 json_t *rec, const char *now, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_addf(&sql, "UPDATE %s SET ", k->table);
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        if (f->col == XRM_FC_DATA)
            xrm_buf_addf(&sql, "%s = ?, ", bare(f));
    }
    xrm_buf_adds(&sql, "version = version + 1, updated_at = ? WHERE id = ?");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int idx = 1;
    for (size_t i = 0; i < k->nfields; i++)
        if (k->fields[i].col == XRM_FC_DATA)
            bind_field(s, idx++, &k->fields[i], rec);
    xrm_stmt_bind_text(s, idx++, now);
    xrm_stmt_bind_int(s, idx, id);
    return xrm_rows_run(s, err);
}

static enum xrm_rc run1(struct xrm_db *db, const char *sql, const char *text, int64_t id,
                        struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    int idx = 1;
    if (text)
        xrm_stmt_bind_text(s, idx++, text);
    xrm_stmt_bind_int(s, idx, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_record_db_delete(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                                 struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    enum xrm_rc rc = XRM_OK;
    for (size_t i = 0; !rc && i < sizeof(k->delete_first) / sizeof(k->delete_first[0]); i++)
        if (k->delete_first[i])
            rc = run1(db, k->delete_first[i], NULL, id, err);
    if (!rc && k->has_links)
        rc = run1(db, "DELETE FROM record_activities WHERE entity = ? AND entity_id = ?", k->name,
                  id, err);
    if (!rc) {
        xrm_buf_addf(&sql, "DELETE FROM %s WHERE id = ?", k->table);
        rc = run1(db, sql.s, NULL, id, err);
        xrm_buf_release(&sql);
    }
    return rc;
}

void xrm_record_cond_text(struct xrm_record_cond *c, const char *v)
{
    if (c->nparams >= XRM_COND_PARAMS)
        return;
    c->text[c->nparams] = v;
    c->is_num[c->nparams++] = false;
}

void xrm_record_cond_num(struct xrm_record_cond *c, int64_t v)
{
    if (c->nparams >= XRM_COND_PARAMS)
        return;
    c->num[c->nparams] = v;
    c->is_num[c->nparams++] = true;
}

/* "SELECT cols" + from + " WHERE 1 = 1 AND ..." of the conditions into sql; binds them to s. */
static void where_sql(struct xrm_buf *sql, const struct xrm_record_cond *conds, int nconds)
{
    xrm_buf_adds(sql, " WHERE 1 = 1");
    for (int i = 0; i < nconds; i++) {
        xrm_buf_adds(sql, " AND ");
        xrm_buf_adds(sql, conds[i].sql);
    }
}

static int bind_conds(struct xrm_stmt *s, const struct xrm_record_cond *conds, int nconds)
{
    int idx = 1;
    for (int i = 0; i < nconds; i++)
        for (int p = 0; p < conds[i].nparams; p++) {
            if (conds[i].is_num[p])
                xrm_stmt_bind_int(s, idx++, conds[i].num[p]);
            else
                xrm_stmt_bind_text(s, idx++, conds[i].text[p]);
        }
    return idx;
}

/* The rows of s as a new array *out. */
static enum xrm_rc collect(const struct xrm_record_kind *k, struct xrm_stmt *s, json_t **out,
                           struct xrm_err *err)
{
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(arr, row_json(k, s));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return xrm_rows_step_rc(err);
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_record_db_list(struct xrm_db *db, const struct xrm_record_kind *k,
                               const struct xrm_record_cond *conds, int nconds, const char *order,
                               int n, int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    select_sql(&sql, k, NULL);
    where_sql(&sql, conds, nconds);
    if (order)
        xrm_buf_addf(&sql, " ORDER BY %s LIMIT ?", order);
    else if (before_id)
        xrm_buf_addf(&sql, " AND %s.id < ? ORDER BY %s.id DESC LIMIT ?", k->alias, k->alias);
    else
        xrm_buf_addf(&sql, " ORDER BY %s.id DESC LIMIT ?", k->alias);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int idx = bind_conds(s, conds, nconds);
    if (!order && before_id)
        xrm_stmt_bind_int(s, idx++, before_id);
    xrm_stmt_bind_int(s, idx, n);
    return collect(k, s, out, err);
}

enum xrm_rc xrm_record_db_query(struct xrm_db *db, const struct xrm_record_kind *k,
                                const char *from, const struct xrm_record_cond *conds, int nconds,
                                const char *order, int n, json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    select_sql(&sql, k, from);
    where_sql(&sql, conds, nconds);
    xrm_buf_addf(&sql, " ORDER BY %s LIMIT ?", order);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, bind_conds(s, conds, nconds), n);
    return collect(k, s, out, err);
}

enum xrm_rc xrm_record_db_user_active(struct xrm_db *db, int64_t id, bool *found,
                                      struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT 1 FROM users WHERE id = ? AND disabled = 0", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, NULL, found, err);
}

enum xrm_rc xrm_record_db_taken(struct xrm_db *db, const struct xrm_record_kind *k,
                                const char *column, const char *value, int64_t except_id,
                                int64_t *id_out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    bool found = false;
    xrm_buf_addf(&sql, "SELECT id FROM %s WHERE tenant = 1 AND %s = ? AND id <> ?", k->table,
                 column);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (s) {
        xrm_stmt_bind_text(s, 1, value);
        xrm_stmt_bind_int(s, 2, except_id);
    }
    *id_out = 0;
    return xrm_rows_int(s, id_out, &found, err);
}

enum xrm_rc xrm_record_db_count(struct xrm_db *db, const struct xrm_record_kind *k, int64_t *out,
                                struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_addf(&sql, "SELECT COUNT(*) FROM %s WHERE tenant = 1", k->table);
    enum xrm_rc rc = xrm_db_scalar_int(db, sql.s, out, err);
    xrm_buf_release(&sql);
    return rc;
}
