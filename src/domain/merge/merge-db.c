/*
 * Merge SQL: moving a merged party's rows onto the survivor while keeping
 * a before-image of each, and putting them back on undo (merge-db.h says
 * what the image holds).
 *
 * A moved row only changes its party column (and, where the table has
 * them, its version and updated_at: a row that changed gets a new version,
 * so a client holding the old one is told so); undo moves it back only if
 * it still belongs to the party it was moved to. Removed rows are kept
 * whole and inserted again with their own id (a new id if that one was
 * taken since). Statement text comes from the fixed table descriptions
 * below, never from the image.
 */
#include "domain/merge/merge-db.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* A table whose rows a merge may remove, with every column: i integer, t text. */
struct table {
    const char *name;
    const char *cols;  /* in image order; the first is the id when has_id */
    const char *types; /* one letter per column */
    bool has_id;
};

static const struct table t_roles = {"roles",
                                     "id, tenant, party_id, type, domain, status, since, until, "
                                     "attributes, version, created_at, updated_at",
                                     "iiittttttitt", true};
static const struct table t_role_attrs = {"role_attrs", "tenant, role_id, party_id, name, value",
                                          "iiitt", false};
static const struct table t_relationships = {
    "relationships",
    "id, tenant, type, from_party, to_party, since, until, note, version, created_at, updated_at",
    "iitiitttitt", true};
static const struct table t_activity_parties = {"activity_parties",
                                                "tenant, activity_id, party_id, at", "iiit", false};

static const struct table *table_named(const char *name)
{
    static const struct table *const all[] = {&t_roles, &t_role_attrs, &t_relationships,
                                              &t_activity_parties, NULL};
    for (const struct table *const *t = all; name && *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

static int64_t int_of(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void count(json_t *moves, const char *what)
{
    json_object_set_new(moves, what, json_integer(int_of(moves, what) + 1));
}

/* Runs a statement binding ints (and NULL-able texts as 't' in types); *changed: a row. */
static enum xrm_rc run(struct xrm_db *db, const char *sql, json_t *params, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    size_t i;
    json_t *v;
    json_array_foreach(params, i, v)
    {
        int c = (int)i + 1;
        if (json_is_integer(v))
            xrm_stmt_bind_int(s, c, json_integer_value(v));
        else if (json_is_string(v))
            xrm_stmt_bind_text(s, c, json_string_value(v));
        else
            xrm_stmt_bind_null(s, c);
    }
    return xrm_rows_run(s, err);
}

/* run() with its parameters given as a new array (stolen). */
static enum xrm_rc run_new(struct xrm_db *db, const char *sql, json_t *params, struct xrm_err *err)
{
    enum xrm_rc rc = run(db, sql, params, err);
    json_decref(params);
    return rc;
}

/*
 * The records that follow a merged party by one column, in the order a
 * merge moves them (undo takes them back in reverse): table and column;
 * step, the "t" of the image step (NULL: the table; stored images name
 * these, so they never change); domain, the SQL value of the domain a
 * writer needs (xrm_merge_db_touched); clash, NULL or a column: a row whose
 * value there the survivor has a row with already stays with the merged
 * party (the survivor's row wins, as with a stakeholder of one project);
 * stamps, what a move (and its undo) changes besides the column: version +
 * 1 and updated_at; counted, the key of `moves` it adds to (NULL: none).
 * Undo moves every row back that is still where the merge put it.
 */
#define MV_VERSION 0x1u
#define MV_DATED 0x2u
#define MV_STAMPS (MV_VERSION | MV_DATED)
struct moved {
    const char *table, *column, *step, *domain, *clash;
    unsigned stamps;
    const char *counted;
};

static const struct moved moved[] = {
    {"deals", "party_id", NULL, "'sales'", NULL, MV_STAMPS, "deals"},
    {"cases", "party_id", NULL, "domain", NULL, MV_STAMPS, "cases"},
    {"agreements", "party_id", NULL, "domain", NULL, MV_STAMPS, "agreements"},
    {"absences", "party_id", NULL, "'hr'", NULL, MV_STAMPS, "absences"},
    {"consents", "party_id", NULL, "NULL", NULL, 0, "consents"},
    {"employment", "party_id", NULL, "'hr'", NULL, 0, "employment"},
    {"checklists", "party_id", NULL, "'hr'", NULL, MV_STAMPS, NULL},
    /* partners: the references to a partner, and a commission line's customer */
    {"deals", "partner_id", "deals.partner_id", "'sales'", NULL, MV_VERSION, NULL},
    {"commissions", "partner_id", "commissions.partner_id", "'partners'", NULL, MV_VERSION, NULL},
    {"commissions", "party_id", "commissions.party_id", "'partners'", NULL, MV_VERSION, NULL},
    {"tier_proposals", "party_id", "tier_proposals.party_id", "'partners'", NULL, MV_VERSION, NULL},
    /* suppliers and public relations; the rating and stance histories stay */
    {"supplier_evaluations", "party_id", NULL, "'purchasing'", NULL, MV_STAMPS,
     "supplier_evaluations"},
    {"project_stakeholders", "party_id", NULL, "'pr'", "project_id", MV_STAMPS, "stakeholders"},
    /* billing: quotes and invoices go to the survivor, and so do purchase invoices (uncounted) */
    {"quotes", "party_id", NULL, "'sales'", NULL, MV_STAMPS, "quotes"},
    {"invoices", "party_id", NULL, "'sales'", NULL, MV_STAMPS, "invoices"},
    {"purchase_invoices", "party_id", NULL, "'purchasing'", NULL, MV_STAMPS, NULL},
    /* campaigns: the outcome per recipient follows the party (like its consents) */
    {"campaign_recipients", "party_id", NULL, "NULL", NULL, 0, NULL},
    /* documents on records: all of the party's follow its party_id (docs/document-db.h) */
    {"documents", "party_id", NULL, "domain", NULL, 0, "documents"},
};
#define NMOVED (sizeof(moved) / sizeof(moved[0]))

static const char *step_of(const struct moved *mv)
{
    return mv->step ? mv->step : mv->table;
}

bool xrm_merge_db_moves(const char *table, const char *column)
{
    for (size_t k = 0; table && column && k < NMOVED; k++)
        if (strcmp(moved[k].table, table) == 0 && strcmp(moved[k].column, column) == 0)
            return true;
    return false;
}

/*
 * The statement that moves row id of mv from one party to another, with
 * the parameters [to, now (MV_DATED), id, from]: a merge's move and its
 * undo alike. Text from the fixed table above.
 */
static void move_sql(const struct moved *mv, char *sql, size_t n)
{
    snprintf(sql, n, "UPDATE %s SET %s = ?%s%s WHERE id = ? AND %s = ?", mv->table, mv->column,
             (mv->stamps & MV_VERSION) ? ", version = version + 1" : "",
             (mv->stamps & MV_DATED) ? ", updated_at = ?" : "", mv->column);
}

static enum xrm_rc move_row(struct xrm_db *db, const struct moved *mv, json_t *id, json_t *from,
                            json_t *to, const char *now, struct xrm_err *err)
{
    char sql[256];
    move_sql(mv, sql, sizeof(sql));
    json_t *p = json_pack("[O]", to);
    if (mv->stamps & MV_DATED)
        json_array_append_new(p, json_string(now));
    json_array_append(p, id);
    json_array_append(p, from);
    return run_new(db, sql, p, err);
}

static json_t *column(struct xrm_stmt *s, int c, char type)
{
    if (xrm_stmt_is_null(s, c))
        return json_null();
    if (type == 'i')
        return json_integer(xrm_stmt_int(s, c));
    return json_string(xrm_stmt_text(s, c));
}

/* The rows of t matching `where` (one integer parameter), each as an array of its columns. */
static enum xrm_rc rows_of(struct xrm_db *db, const struct table *t, const char *where, int64_t p,
                           json_t **out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    xrm_buf_addf(&sql, "SELECT %s FROM %s WHERE %s", t->cols, t->name, where);
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, p);
    json_t *rows = json_array();
    int r;
    size_t n = strlen(t->types);
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *row = json_array();
        for (size_t c = 0; c < n; c++)
            json_array_append_new(row, column(s, (int)c, t->types[c]));
        json_array_append_new(rows, row);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(rows);
        return XRM_E_DB;
    }
    *out = rows;
    return XRM_OK;
}

static enum xrm_rc exists(struct xrm_db *db, const char *sql, json_t *params, bool *found,
                          struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    size_t i;
    json_t *v;
    json_array_foreach(params, i, v)
    {
        if (json_is_string(v))
            xrm_stmt_bind_text(s, (int)i + 1, json_string_value(v));
        else
            xrm_stmt_bind_int(s, (int)i + 1, json_integer_value(v));
    }
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    *found = r == 1;
    return XRM_OK;
}

/*
 * Inserts a removed row again. Without keep_id (its id was taken since) the
 * id column is left to the database; *id_out is the row's id either way.
 */
static enum xrm_rc insert_row(struct xrm_db *db, const struct table *t, json_t *row, bool keep_id,
                              int64_t *id_out, struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    const char *cols = t->cols;
    size_t first = 0, n = json_array_size(row);
    if (t->has_id && !keep_id) {
        cols = strchr(cols, ',') + 2;
        first = 1;
    }
    xrm_buf_addf(&sql, "INSERT INTO %s (%s) VALUES (", t->name, cols);
    for (size_t c = first; c < n; c++)
        xrm_buf_adds(&sql, c > first ? ", ?" : "?");
    xrm_buf_adds(&sql, t->has_id ? ") RETURNING id" : ")");
    struct xrm_stmt *s = xrm_db_prepare(db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    for (size_t c = first; c < n; c++) {
        json_t *v = json_array_get(row, c);
        int idx = (int)(c - first) + 1;
        if (json_is_integer(v))
            xrm_stmt_bind_int(s, idx, json_integer_value(v));
        else if (json_is_string(v))
            xrm_stmt_bind_text(s, idx, json_string_value(v));
        else
            xrm_stmt_bind_null(s, idx);
    }
    int r = xrm_stmt_step(s, err);
    if (t->has_id && r == 1 && id_out)
        *id_out = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (t->has_id ? r != 1 : r < 0)
        return XRM_E_DB;
    return XRM_OK;
}

/* ---- What a merge touches (for the access check) ---- */

enum xrm_rc xrm_merge_db_touched(struct xrm_db *db, int64_t m, json_t **out, struct xrm_err *err)
{
    static const char *const other[][2] = {
        {"activities", "SELECT a.id, a.domain FROM activity_parties ap"
                       " JOIN activities a ON a.id = ap.activity_id WHERE ap.party_id = ?"},
        {"roles", "SELECT id, domain FROM roles WHERE party_id = ?"},
        {"relationships",
         "SELECT r.id, t.domain FROM relationships r"
         " LEFT JOIN relationship_types t ON t.name = r.type AND t.tenant = r.tenant"
         " WHERE r.from_party = ? OR r.to_party = ?"},
    };
    const size_t nother = sizeof(other) / sizeof(other[0]);
    json_t *rows = json_array();
    enum xrm_rc rc = XRM_OK;
    for (size_t k = 0; !rc && k < NMOVED + nother; k++) {
        char sql[256];
        const char *t = k < NMOVED ? moved[k].table : other[k - NMOVED][0];
        if (k < NMOVED)
            snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s WHERE %s = ?", moved[k].domain,
                     moved[k].table, moved[k].column);
        struct xrm_stmt *s = xrm_db_prepare(db, k < NMOVED ? sql : other[k - NMOVED][1], err);
        if (!s) {
            rc = XRM_E_DB;
            break;
        }
        xrm_stmt_bind_int(s, 1, m);
        if (strcmp(t, "relationships") == 0)
            xrm_stmt_bind_int(s, 2, m);
        int r;
        while ((r = xrm_stmt_step(s, err)) == 1)
            json_array_append_new(rows, json_pack("{s:s, s:I, s:o}", "t", t, "id",
                                                  (json_int_t)xrm_stmt_int(s, 0), "domain",
                                                  column(s, 1, 't')));
        xrm_stmt_done(s);
        if (r < 0)
            rc = XRM_E_DB;
    }
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return XRM_OK;
}

enum xrm_rc xrm_merge_db_erased(struct xrm_db *db, int64_t id, bool *erased, struct xrm_err *err)
{
    json_t *p = json_pack("[I]", (json_int_t)id);
    enum xrm_rc rc = exists(db, "SELECT 1 FROM erasures WHERE party_id = ?", p, erased, err);
    json_decref(p);
    return rc;
}

/* ---- Moving ---- */

static void step_move(json_t *image, const char *t, int64_t id, json_t *from, json_t *to)
{
    json_array_append_new(image, json_pack("{s:s, s:s, s:I, s:o, s:o}", "op", "move", "t", t, "id",
                                           (json_int_t)id, "from", from, "to", to));
}

/* The rows of every table of moved[]: only their party column changes. */
static enum xrm_rc move_records(struct xrm_db *db, int64_t s, int64_t m, const char *now,
                                json_t *image, json_t *moves, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (size_t k = 0; !rc && k < NMOVED; k++) {
        const struct moved *mv = &moved[k];
        char sql[320];
        if (mv->clash)
            snprintf(sql, sizeof(sql),
                     "SELECT id FROM %s WHERE %s = ? AND %s NOT IN (SELECT %s FROM %s WHERE %s = ?)"
                     " ORDER BY id",
                     mv->table, mv->column, mv->clash, mv->clash, mv->table, mv->column);
        else
            snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE %s = ? ORDER BY id", mv->table,
                     mv->column);
        json_t *ids = json_array();
        struct xrm_stmt *st = xrm_db_prepare(db, sql, err);
        int r = -1;
        if (st) {
            xrm_stmt_bind_int(st, 1, m);
            if (mv->clash)
                xrm_stmt_bind_int(st, 2, s);
            while ((r = xrm_stmt_step(st, err)) == 1)
                json_array_append_new(ids, json_integer(xrm_stmt_int(st, 0)));
            xrm_stmt_done(st);
        }
        if (r < 0)
            rc = XRM_E_DB;
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id)
        {
            if (rc)
                break;
            json_t *from = json_integer(m), *to = json_integer(s);
            rc = move_row(db, mv, id, from, to, now, err);
            if (!rc) {
                step_move(image, step_of(mv), json_integer_value(id), from, to);
                if (mv->counted)
                    count(moves, mv->counted);
            } else {
                json_decref(from);
                json_decref(to);
            }
        }
        json_decref(ids);
    }
    return rc;
}

/* Activity links: a second link of one activity to the survivor is removed. */
static enum xrm_rc move_activities(struct xrm_db *db, int64_t s, int64_t m, json_t *image,
                                   json_t *moves, struct xrm_err *err)
{
    json_t *rows = NULL;
    enum xrm_rc rc =
        rows_of(db, &t_activity_parties, "party_id = ? ORDER BY activity_id", m, &rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc)
            break;
        json_int_t act = json_integer_value(json_array_get(row, 1));
        bool dup = false;
        json_t *p = json_pack("[I, I]", act, (json_int_t)s);
        rc = exists(db, "SELECT 1 FROM activity_parties WHERE activity_id = ? AND party_id = ?", p,
                    &dup, err);
        json_decref(p);
        if (!rc && dup) {
            rc = run_new(db, "DELETE FROM activity_parties WHERE activity_id = ? AND party_id = ?",
                         json_pack("[I, I]", act, (json_int_t)m), err);
            if (!rc)
                json_array_append_new(image, json_pack("{s:s, s:s, s:O}", "op", "delete", "t",
                                                       "activity_parties", "row", row));
        } else if (!rc) {
            rc = run_new(db,
                         "UPDATE activity_parties SET party_id = ? WHERE activity_id = ?"
                         " AND party_id = ?",
                         json_pack("[I, I, I]", (json_int_t)s, act, (json_int_t)m), err);
            if (!rc)
                step_move(image, "activity_parties", act, json_integer(m), json_integer(s));
        }
        if (!rc)
            count(moves, "activities");
    }
    json_decref(rows);
    return rc;
}

static bool in_merge(json_t *merged, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(merged, i, v)
    {
        if (json_integer_value(v) == id)
            return true;
    }
    return false;
}

/*
 * Relationships: re-pointed to the survivor; one that would link the
 * survivor to itself or repeat one it has (same type, same ends) is removed.
 */
static enum xrm_rc move_relationships(struct xrm_db *db, int64_t s, int64_t m, json_t *merged,
                                      const char *now, json_t *image, json_t *moves,
                                      struct xrm_err *err)
{
    json_t *rows = NULL, *more = NULL;
    enum xrm_rc rc = rows_of(db, &t_relationships, "from_party = ? ORDER BY id", m, &rows, err);
    if (!rc)
        rc = rows_of(db, &t_relationships, "to_party = ? AND from_party <> to_party ORDER BY id", m,
                     &more, err);
    if (!rc)
        json_array_extend(rows, more);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc)
            break;
        json_int_t id = json_integer_value(json_array_get(row, 0));
        const char *type = json_string_value(json_array_get(row, 2));
        int64_t from = json_integer_value(json_array_get(row, 3));
        int64_t to = json_integer_value(json_array_get(row, 4));
        int64_t nf = from == m || in_merge(merged, from) ? s : from;
        int64_t nt = to == m || in_merge(merged, to) ? s : to;
        bool drop = nf == nt;
        if (!drop) {
            json_t *p = json_pack("[s, I, I, I]", type, (json_int_t)nf, (json_int_t)nt, id);
            rc = exists(db,
                        "SELECT 1 FROM relationships WHERE type = ? AND from_party = ?"
                        " AND to_party = ? AND id <> ?",
                        p, &drop, err);
            json_decref(p);
        }
        if (!rc && drop) {
            rc = run_new(db, "DELETE FROM relationships WHERE id = ?", json_pack("[I]", id), err);
            if (!rc)
                json_array_append_new(image, json_pack("{s:s, s:s, s:O}", "op", "delete", "t",
                                                       "relationships", "row", row));
        } else if (!rc) {
            rc = run_new(db,
                         "UPDATE relationships SET from_party = ?, to_party = ?,"
                         " version = version + 1, updated_at = ? WHERE id = ?",
                         json_pack("[I, I, s, I]", (json_int_t)nf, (json_int_t)nt, now, id), err);
            if (!rc)
                step_move(image, "relationships", id,
                          json_pack("[I, I]", (json_int_t)from, (json_int_t)to),
                          json_pack("[I, I]", (json_int_t)nf, (json_int_t)nt));
        }
        if (!rc)
            count(moves, "relationships");
    }
    json_decref(rows);
    json_decref(more);
    return rc;
}

/* Periods overlap; NULL since/until are open ends. Dates compare as text. */
static bool overlaps(const char *s1, const char *u1, const char *s2, const char *u2)
{
    bool a = !s1 || !u2 || strcmp(s1, u2) <= 0;
    bool b = !s2 || !u1 || strcmp(s2, u1) <= 0;
    return a && b;
}

/* until a is later than until b (NULL is open, the latest). */
static bool later(const char *a, const char *b)
{
    if (!b)
        return false;
    return !a || strcmp(a, b) > 0;
}

static const char *text_at(json_t *row, size_t i)
{
    return json_string_value(json_array_get(row, i));
}

/*
 * Role r of the merged party joins the survivor's overlapping role x of the
 * same type: earliest since, latest (or open) until, the status of the one
 * that runs longest (the survivor's on a tie), attributes united with the
 * survivor's winning. r is removed.
 */
static enum xrm_rc join_role(struct xrm_db *db, json_t *x, json_t *r, const char *now,
                             json_t *image, json_t *changed, struct xrm_err *err)
{
    json_int_t xid = json_integer_value(json_array_get(x, 0));
    json_int_t rid = json_integer_value(json_array_get(r, 0));
    json_t *xattrs = NULL, *rattrs = NULL, *attrs = NULL, *p = NULL;
    char *attr_text = NULL;
    enum xrm_rc rc = XRM_OK;
    char key[24];

    snprintf(key, sizeof(key), "%lld", (long long)xid);
    if (!json_object_get(changed, key)) { /* image the survivor's role once, as it was */
        rc = rows_of(db, &t_role_attrs, "role_id = ?", xid, &xattrs, err);
        if (rc)
            goto out;
        json_array_append_new(
            image, json_pack("{s:s, s:s, s:I, s:[O, O, O, O], s:O}", "op", "change", "t", "roles",
                             "id", xid, "row", json_array_get(x, 5), json_array_get(x, 6),
                             json_array_get(x, 7), json_array_get(x, 8), "attrs", xattrs));
        json_object_set_new(changed, key, json_true());
    }
    rc = rows_of(db, &t_role_attrs, "role_id = ?", rid, &rattrs, err);
    if (rc)
        goto out;
    json_array_append_new(image, json_pack("{s:s, s:s, s:O, s:O}", "op", "delete", "t", "roles",
                                           "row", r, "attrs", rattrs));

    const char *xs = text_at(x, 6), *xu = text_at(x, 7), *rs = text_at(r, 6), *ru = text_at(r, 7);
    const char *since = !xs || (rs && strcmp(xs, rs) <= 0) ? xs : rs;
    if (!rs)
        since = NULL;
    const char *until = later(ru, xu) ? ru : xu;
    const char *status = later(ru, xu) ? text_at(r, 5) : text_at(x, 5);
    attrs = xrm_json_load_stored(text_at(x, 8), false);
    json_t *ra = xrm_json_load_stored(text_at(r, 8), false);
    json_object_update_missing(attrs, ra);
    json_decref(ra);
    attr_text = xrm_json_dump(attrs);
    p = json_pack("[s, s?, s?, s, s, I]", status, since, until, attr_text, now, xid);
    rc = run(db,
             "UPDATE roles SET status = ?, since = ?, until = ?, attributes = ?,"
             " version = version + 1, updated_at = ? WHERE id = ?",
             p, err);
    /* The index rows of attributes the survivor's role lacked come from r's. */
    if (!rc)
        rc = run_new(db,
                     "INSERT INTO role_attrs (tenant, role_id, party_id, name, value)"
                     " SELECT tenant, ?, ?, name, value FROM role_attrs WHERE role_id = ?"
                     " AND name NOT IN (SELECT name FROM role_attrs WHERE role_id = ?)",
                     json_pack("[I, O, I, I]", xid, json_array_get(x, 2), rid, xid), err);
    if (!rc)
        rc = run_new(db, "DELETE FROM role_attrs WHERE role_id = ?", json_pack("[I]", rid), err);
    if (!rc)
        rc = run_new(db, "DELETE FROM roles WHERE id = ?", json_pack("[I]", rid), err);
out:
    json_decref(xattrs);
    json_decref(rattrs);
    json_decref(attrs);
    json_decref(p);
    free(attr_text);
    return rc;
}

static enum xrm_rc move_roles(struct xrm_db *db, int64_t s, int64_t m, const char *now,
                              json_t *image, json_t *moves, struct xrm_err *err)
{
    json_t *rows = NULL, *changed = json_object();
    enum xrm_rc rc = rows_of(db, &t_roles, "party_id = ? ORDER BY id", m, &rows, err);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (rc)
            break;
        json_t *mine = NULL, *x = NULL;
        rc = rows_of(db, &t_roles, "party_id = ? ORDER BY id", s, &mine, err);
        size_t k;
        json_t *cand;
        json_array_foreach(mine, k, cand)
        {
            if (rc || x)
                break;
            if (strcmp(text_at(cand, 3), text_at(r, 3)) == 0 &&
                overlaps(text_at(cand, 6), text_at(cand, 7), text_at(r, 6), text_at(r, 7)))
                x = cand;
        }
        json_int_t rid = json_integer_value(json_array_get(r, 0));
        if (!rc && x) {
            rc = join_role(db, x, r, now, image, changed, err);
        } else if (!rc) {
            rc = run_new(db,
                         "UPDATE roles SET party_id = ?, version = version + 1, updated_at = ?"
                         " WHERE id = ?",
                         json_pack("[I, s, I]", (json_int_t)s, now, rid), err);
            if (!rc)
                rc = run_new(db, "UPDATE role_attrs SET party_id = ? WHERE role_id = ?",
                             json_pack("[I, I]", (json_int_t)s, rid), err);
            if (!rc)
                step_move(image, "roles", rid, json_integer(m), json_integer(s));
        }
        if (!rc)
            count(moves, "roles");
        json_decref(mine);
    }
    json_decref(rows);
    json_decref(changed);
    return rc;
}

/*
 * Party photos (one per party, keyed by party): the merged party's photo
 * goes to a survivor that has none; otherwise each keeps its own.
 */
static enum xrm_rc move_photo(struct xrm_db *db, int64_t s, int64_t m, json_t *image,
                              struct xrm_err *err)
{
    bool mine = false, theirs = false;
    json_t *p = json_pack("[I]", (json_int_t)s);
    enum xrm_rc rc = exists(db, "SELECT 1 FROM party_photos WHERE party_id = ?", p, &mine, err);
    json_decref(p);
    p = json_pack("[I]", (json_int_t)m);
    if (!rc && !mine)
        rc = exists(db, "SELECT 1 FROM party_photos WHERE party_id = ?", p, &theirs, err);
    json_decref(p);
    if (rc || mine || !theirs)
        return rc;
    rc = run_new(db, "UPDATE party_photos SET party_id = ? WHERE party_id = ?",
                 json_pack("[I, I]", (json_int_t)s, (json_int_t)m), err);
    if (!rc)
        step_move(image, "party_photos", m, json_integer(m), json_integer(s));
    return rc;
}

enum xrm_rc xrm_merge_db_move(struct xrm_db *db, int64_t s, int64_t m, json_t *merged,
                              json_t *image, json_t *moves, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    enum xrm_rc rc = move_roles(db, s, m, now, image, moves, err);
    if (!rc)
        rc = move_relationships(db, s, m, merged, now, image, moves, err);
    if (!rc)
        rc = move_activities(db, s, m, image, moves, err);
    if (!rc)
        rc = move_records(db, s, m, now, image, moves, err);
    if (!rc)
        rc = move_photo(db, s, m, image, err);
    return rc;
}

/* ---- Undo ---- */

static enum xrm_rc undo_move(struct xrm_db *db, json_t *st, const char *now, struct xrm_err *err)
{
    const char *t = json_string_value(json_object_get(st, "t"));
    json_t *id = json_object_get(st, "id"), *from = json_object_get(st, "from"),
           *to = json_object_get(st, "to");
    if (t && strcmp(t, "roles") == 0) {
        enum xrm_rc rc = run_new(db,
                                 "UPDATE roles SET party_id = ?, version = version + 1,"
                                 " updated_at = ? WHERE id = ? AND party_id = ?",
                                 json_pack("[O, s, O, O]", from, now, id, to), err);
        if (!rc)
            rc = run_new(db, "UPDATE role_attrs SET party_id = ? WHERE role_id = ?",
                         json_pack("[O, O]", from, id), err);
        return rc;
    }
    for (size_t k = 0; t && k < NMOVED; k++)
        if (strcmp(t, step_of(&moved[k])) == 0)
            return move_row(db, &moved[k], id, to, from, now, err);
    if (strcmp(t, "party_photos") == 0) /* back unless the merged party has a new one */
        return run_new(db,
                       "UPDATE party_photos SET party_id = ? WHERE party_id = ? AND NOT EXISTS"
                       " (SELECT 1 FROM party_photos WHERE party_id = ?)",
                       json_pack("[O, O, O]", from, to, from), err);
    if (strcmp(t, "activity_parties") == 0)
        return run_new(db,
                       "UPDATE activity_parties SET party_id = ? WHERE activity_id = ?"
                       " AND party_id = ?",
                       json_pack("[O, O, O]", from, id, to), err);
    if (strcmp(t, "relationships") == 0)
        return run_new(db,
                       "UPDATE relationships SET from_party = ?, to_party = ?,"
                       " version = version + 1, updated_at = ? WHERE id = ? AND from_party = ?"
                       " AND to_party = ?",
                       json_pack("[O, O, s, O, O, O]", json_array_get(from, 0),
                                 json_array_get(from, 1), now, id, json_array_get(to, 0),
                                 json_array_get(to, 1)),
                       err);
    return xrm_errf(err, XRM_E_INTERNAL, "merge image: unknown table '%s'", t ? t : "");
}

static enum xrm_rc insert_attrs(struct xrm_db *db, json_t *attrs, int64_t role_id,
                                struct xrm_err *err)
{
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a)
    {
        json_t *row = json_copy(a);
        json_array_set_new(row, 1, json_integer(role_id));
        enum xrm_rc rc = insert_row(db, &t_role_attrs, row, false, NULL, err);
        json_decref(row);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

static enum xrm_rc undo_delete(struct xrm_db *db, json_t *st, struct xrm_err *err)
{
    const struct table *t = table_named(json_string_value(json_object_get(st, "t")));
    json_t *row = json_object_get(st, "row");
    if (!t || !json_is_array(row) || json_array_size(row) != strlen(t->types))
        return xrm_errf(err, XRM_E_INTERNAL, "merge image: bad removed row");
    bool taken = false;
    int64_t id = 0;
    enum xrm_rc rc = XRM_OK;
    if (t->has_id) {
        json_t *p = json_pack("[O]", json_array_get(row, 0));
        rc = exists(db,
                    t == &t_roles ? "SELECT 1 FROM roles WHERE id = ?"
                                  : "SELECT 1 FROM relationships WHERE id = ?",
                    p, &taken, err);
        json_decref(p);
    }
    if (!rc)
        rc = insert_row(db, t, row, !taken, &id, err);
    if (!rc && t == &t_roles)
        rc = insert_attrs(db, json_object_get(st, "attrs"), id, err);
    return rc;
}

static enum xrm_rc undo_change(struct xrm_db *db, json_t *st, const char *now, struct xrm_err *err)
{
    json_t *row = json_object_get(st, "row"), *id = json_object_get(st, "id");
    enum xrm_rc rc =
        run_new(db,
                "UPDATE roles SET status = ?, since = ?, until = ?, attributes = ?,"
                " version = version + 1, updated_at = ? WHERE id = ?",
                json_pack("[O, O, O, O, s, O]", json_array_get(row, 0), json_array_get(row, 1),
                          json_array_get(row, 2), json_array_get(row, 3), now, id),
                err);
    if (!rc)
        rc = run_new(db, "DELETE FROM role_attrs WHERE role_id = ?", json_pack("[O]", id), err);
    if (!rc)
        rc = insert_attrs(db, json_object_get(st, "attrs"), json_integer_value(id), err);
    return rc;
}

enum xrm_rc xrm_merge_db_restore(struct xrm_db *db, json_t *image, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = XRM_OK;
    xrm_now(now);
    for (size_t i = json_array_size(image); !rc && i-- > 0;) {
        json_t *st = json_array_get(image, i);
        const char *op = json_string_value(json_object_get(st, "op"));
        if (op && strcmp(op, "move") == 0)
            rc = undo_move(db, st, now, err);
        else if (op && strcmp(op, "delete") == 0)
            rc = undo_delete(db, st, err);
        else if (op && strcmp(op, "change") == 0)
            rc = undo_change(db, st, now, err);
        else
            rc = xrm_errf(err, XRM_E_INTERNAL, "merge image: unknown step");
    }
    return rc;
}

/* ---- The merges table ---- */

enum xrm_rc xrm_merge_db_insert(struct xrm_db *db, int64_t user, int64_t survivor, json_t *from,
                                json_t *image, json_t *moves, const char *created_at,
                                int64_t *id_out, struct xrm_err *err)
{
    char *f = xrm_json_dump(from), *im = xrm_json_dump(image), *mv = xrm_json_dump(moves);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO merges (user_id, survivor_id, merged_ids,"
                                        " image, moves, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                                        " RETURNING id",
                                        err);
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        if (user)
            xrm_stmt_bind_int(s, 1, user);
        else
            xrm_stmt_bind_null(s, 1);
        xrm_stmt_bind_int(s, 2, survivor);
        xrm_stmt_bind_text(s, 3, f);
        xrm_stmt_bind_text(s, 4, im);
        xrm_stmt_bind_text(s, 5, mv);
        xrm_stmt_bind_text(s, 6, created_at);
        if (xrm_stmt_step(s, err) == 1) {
            *id_out = xrm_stmt_int(s, 0);
            rc = XRM_OK;
        }
        xrm_stmt_done(s);
    }
    free(f);
    free(im);
    free(mv);
    return rc;
}

enum xrm_rc xrm_merge_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, user_id, survivor_id, merged_ids, image, moves,"
                                        " created_at, undone_at, undone_by FROM merges"
                                        " WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_OK;
    if (r == 1)
        *out = json_pack(
            "{s:I, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)xrm_stmt_int(s, 0),
            "user", column(s, 1, 'i'), "party", (json_int_t)xrm_stmt_int(s, 2), "from",
            xrm_json_load_stored(xrm_stmt_text(s, 3), true), "image",
            xrm_json_load_stored(xrm_stmt_text(s, 4), false), "moves",
            xrm_json_load_stored(xrm_stmt_text(s, 5), false), "created_at", column(s, 6, 't'),
            "undone_at", column(s, 7, 't'), "undone_by", column(s, 8, 'i'));
    else if (r == 0)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no merge %lld", (long long)id);
    else
        rc = XRM_E_DB;
    xrm_stmt_done(s);
    return rc;
}

enum xrm_rc xrm_merge_db_set_undone(struct xrm_db *db, int64_t id, int64_t user, const char *at,
                                    struct xrm_err *err)
{
    return run_new(db, "UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                   user ? json_pack("[s, I, I]", at, (json_int_t)user, (json_int_t)id)
                        : json_pack("[s, n, I]", at, (json_int_t)id),
                   err);
}
