/*
 * The schema as data, per engine: which tables exist, their columns and
 * the order in which foreign keys let them be filled; reading a table in
 * full; moving id generators past copied ids. Used by `xrm copy`. Each
 * engine's catalog is reached with plain statements through the store
 * interface (SQLite's pragma table functions, PostgreSQL's pg_catalog).
 */
#include "store/store-private.h"
#include "core/buf.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define SCAN_PAGE 2000

static bool is_pg(struct xrm_db *db)
{
    return strcmp(db->drv->name, "postgresql") == 0;
}

struct name_list {
    char **v;
    size_t n;
};

static void list_add(struct name_list *l, const char *s)
{
    l->v = xrm_realloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n++] = xrm_strdup(s ? s : "");
}

static void list_free(struct name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Runs sql with an optional text parameter, adding column 0 (and 1) of each row. */
static enum xrm_rc query_list(struct xrm_db *db, const char *sql, const char *param,
                              struct name_list *a, struct name_list *b, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    if (param)
        xrm_stmt_bind_text(s, 1, param);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        list_add(a, xrm_stmt_text(s, 0));
        if (b)
            list_add(b, xrm_stmt_text(s, 1));
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum xrm_col_kind kind_of(const char *type)
{
    char t[64];
    snprintf(t, sizeof(t), "%s", type ? type : "");
    for (char *p = t; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (strstr(t, "INT"))
        return XRM_COL_INT;
    if (strstr(t, "REAL") || strstr(t, "DOUBLE") || strstr(t, "FLOA") || strstr(t, "NUMERIC"))
        return XRM_COL_REAL;
    if (strstr(t, "BLOB") || strstr(t, "BYTEA"))
        return XRM_COL_BLOB;
    return XRM_COL_TEXT;
}

/* One table's columns; search tables get "rowid", "body". */
static enum xrm_rc load_table(struct xrm_db *db, struct xrm_table *t, bool vtab,
                              struct xrm_err *err)
{
    struct name_list names = {0}, types = {0};
    enum xrm_rc rc;
    if (is_pg(db))
        rc = query_list(db,
                        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                        " JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = ? AND"
                        " c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND"
                        " NOT a.attisdropped ORDER BY a.attnum",
                        t->name, &names, &types, err);
    else
        rc = query_list(db, "SELECT name, type FROM pragma_table_info(?) ORDER BY cid", t->name,
                        &names, &types, err);
    if (rc)
        goto out;
    for (size_t i = 0; i < types.n; i++)
        if (strcmp(types.v[i], "tsvector") == 0)
            t->search = true;
    t->search = t->search || vtab;
    if (t->search) {
        t->ncols = 2;
        t->cols = xrm_calloc(2, sizeof(char *));
        t->kinds = xrm_calloc(2, sizeof(*t->kinds));
        t->cols[0] = xrm_strdup("rowid");
        t->kinds[0] = XRM_COL_INT;
        t->cols[1] = xrm_strdup("body");
        t->kinds[1] = XRM_COL_TEXT;
        goto out;
    }
    t->ncols = names.n;
    t->cols = names.v;
    t->kinds = xrm_calloc(names.n ? names.n : 1, sizeof(*t->kinds));
    for (size_t i = 0; i < names.n; i++)
        t->kinds[i] = kind_of(types.v[i]);
    names.v = NULL;
    names.n = 0;
out:
    list_free(&names);
    list_free(&types);
    return rc;
}

/* Table i's parents (tables it references), as indexes into names. */
static enum xrm_rc parents_of(struct xrm_db *db, const char *table, struct name_list *out,
                              struct xrm_err *err)
{
    if (is_pg(db))
        return query_list(db,
                          "SELECT DISTINCT cf.relname FROM pg_constraint k"
                          " JOIN pg_class c ON c.oid = k.conrelid"
                          " JOIN pg_class cf ON cf.oid = k.confrelid"
                          " WHERE k.contype = 'f' AND c.relname = ? AND"
                          " c.relnamespace = current_schema()::regnamespace",
                          table, out, NULL, err);
    return query_list(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", table, out,
                      NULL, err);
}

enum xrm_rc xrm_db_tables(struct xrm_db *db, struct xrm_table **out, size_t *n, struct xrm_err *err)
{
    struct name_list names = {0}, sqls = {0};
    struct xrm_table *tabs = NULL;
    size_t ntabs = 0;
    enum xrm_rc rc;

    if (is_pg(db))
        rc = query_list(db,
                        "SELECT relname, '' FROM pg_class WHERE relkind = 'r' AND"
                        " relnamespace = current_schema()::regnamespace ORDER BY oid",
                        NULL, &names, &sqls, err);
    else
        rc = query_list(db,
                        "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table'"
                        " ORDER BY rowid",
                        NULL, &names, &sqls, err);
    if (rc)
        goto out;

    /* Leave out engine internals: sqlite_*, fts5 shadow tables, the migration list. */
    static const char *const shadow[] = {"_data", "_idx", "_content", "_docsize", "_config"};
    bool *skip = xrm_calloc(names.n + 1, sizeof(bool));
    for (size_t i = 0; i < names.n; i++) {
        if (strncmp(names.v[i], "sqlite_", 7) == 0 || strcmp(names.v[i], "schema_migrations") == 0)
            skip[i] = true;
        /* records' full-text search: made by the target's triggers as the records arrive */
        if (strcmp(names.v[i], "record_text") == 0 || strcmp(names.v[i], "record_fts") == 0)
            skip[i] = true;
        if (strncasecmp(sqls.v[i], "CREATE VIRTUAL TABLE", 20) != 0)
            continue;
        for (size_t j = 0; j < names.n; j++)
            for (size_t k = 0; k < sizeof(shadow) / sizeof(shadow[0]); k++)
                if (strncmp(names.v[j], names.v[i], strlen(names.v[i])) == 0 &&
                    strlen(names.v[j]) == strlen(names.v[i]) + strlen(shadow[k]) &&
                    has_suffix(names.v[j], shadow[k]))
                    skip[j] = true;
    }

    /* Foreign-key order: repeatedly take a table whose parents are all taken. */
    struct name_list *parents = xrm_calloc(names.n + 1, sizeof(*parents));
    for (size_t i = 0; !rc && i < names.n; i++)
        if (!skip[i])
            rc = parents_of(db, names.v[i], &parents[i], err);
    bool *taken = xrm_calloc(names.n + 1, sizeof(bool));
    tabs = xrm_calloc(names.n + 1, sizeof(*tabs));
    for (bool progress = true; !rc && progress;) {
        progress = false;
        for (size_t i = 0; i < names.n; i++) {
            if (skip[i] || taken[i])
                continue;
            bool ready = true;
            for (size_t p = 0; p < parents[i].n && ready; p++)
                for (size_t j = 0; j < names.n; j++)
                    if (j != i && !skip[j] && !taken[j] && strcmp(names.v[j], parents[i].v[p]) == 0)
                        ready = false;
            if (!ready)
                continue;
            taken[i] = progress = true;
            struct xrm_table *t = &tabs[ntabs++];
            t->name = xrm_strdup(names.v[i]);
            rc = load_table(db, t, strncasecmp(sqls.v[i], "CREATE VIRTUAL TABLE", 20) == 0, err);
            if (rc)
                break;
        }
    }
    for (size_t i = 0; !rc && i < names.n; i++)
        if (!skip[i] && !taken[i])
            rc = xrm_errf(err, XRM_E_DB, "tables reference each other in a cycle ('%s')",
                          names.v[i]);
    for (size_t i = 0; i < names.n; i++)
        list_free(&parents[i]);
    free(parents);
    free(taken);
    free(skip);
out:
    list_free(&names);
    list_free(&sqls);
    if (rc) {
        xrm_db_tables_free(tabs, ntabs);
        return rc;
    }
    *out = tabs;
    *n = ntabs;
    return XRM_OK;
}

void xrm_db_tables_free(struct xrm_table *t, size_t n)
{
    if (!t)
        return;
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < t[i].ncols; c++)
            free(t[i].cols[c]);
        free(t[i].cols);
        free(t[i].kinds);
        free(t[i].name);
    }
    free(t);
}

static void add_col_list(struct xrm_buf *b, const struct xrm_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        xrm_buf_addf(b, "%s\"%s\"", c ? ", " : "", t->cols[c]);
}

char *xrm_db_scan_open(struct xrm_db *db, const struct xrm_table *t, bool *paged,
                       struct xrm_err *err)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 256);
    if (!is_pg(db)) {
        xrm_buf_adds(&b, "SELECT ");
        add_col_list(&b, t);
        xrm_buf_addf(&b, " FROM \"%s\"", t->name);
        *paged = false;
        return xrm_buf_detach(&b, NULL);
    }
    xrm_buf_adds(&b, "DECLARE xrm_scan NO SCROLL CURSOR FOR SELECT ");
    add_col_list(&b, t);
    xrm_buf_addf(&b, " FROM \"%s\"", t->name);
    enum xrm_rc rc = xrm_db_exec(db, b.s, err);
    xrm_buf_release(&b);
    if (rc)
        return NULL;
    *paged = true;
    char sql[64];
    snprintf(sql, sizeof(sql), "FETCH %d FROM xrm_scan", SCAN_PAGE);
    return xrm_strdup(sql);
}

void xrm_db_scan_close(struct xrm_db *db)
{
    if (is_pg(db))
        xrm_db_exec(db, "CLOSE xrm_scan", NULL);
}

enum xrm_rc xrm_db_begin_snapshot(struct xrm_db *db, struct xrm_err *err)
{
    return xrm_db_exec(db, is_pg(db) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
                       err);
}

enum xrm_rc xrm_db_ids_follow(struct xrm_db *db, const struct xrm_table *t, struct xrm_err *err)
{
    if (!is_pg(db) || t->search)
        return XRM_OK; /* SQLite gives max(rowid) + 1 by itself */
    struct name_list ids = {0};
    enum xrm_rc rc = query_list(db,
                                "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON"
                                " c.oid = a.attrelid WHERE c.relname = ? AND"
                                " c.relnamespace = current_schema()::regnamespace AND"
                                " a.attnum > 0 AND a.attidentity <> ''",
                                t->name, &ids, NULL, err);
    for (size_t i = 0; !rc && i < ids.n; i++) {
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'),"
                 " COALESCE((SELECT MAX(\"%s\") FROM \"%s\"), 0) + 1, false)",
                 t->name, ids.v[i], ids.v[i], t->name);
        rc = xrm_db_exec(db, sql, err);
    }
    list_free(&ids);
    return rc;
}

/* ---- foreign keys (xrm check) ---- */

/*
 * PostgreSQL: every foreign key of the schema from pg_constraint, each
 * checked with one anti-join (MATCH SIMPLE: a row with a NULL in the key
 * references nothing). Names come quoted by quote_ident.
 */
static enum xrm_rc pg_foreign_keys(struct xrm_db *db, xrm_check_fn fn, void *arg, int *bad,
                                   struct xrm_err *err)
{
    struct name_list child = {0}, parent = {0}, from = {0}, to = {0};
    enum xrm_rc rc =
        query_list(db,
                   "SELECT quote_ident(c.relname), quote_ident(p.relname) FROM pg_constraint k"
                   " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
                   " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace"
                   " ORDER BY c.relname, k.conname",
                   NULL, &child, &parent, err);
    if (!rc)
        rc = query_list(db,
                        "SELECT (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY u.n)"
                        " FROM unnest(k.conkey) WITH ORDINALITY u(att, n) JOIN pg_attribute a"
                        " ON a.attrelid = k.conrelid AND a.attnum = u.att),"
                        " (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY u.n)"
                        " FROM unnest(k.confkey) WITH ORDINALITY u(att, n) JOIN pg_attribute a"
                        " ON a.attrelid = k.confrelid AND a.attnum = u.att)"
                        " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                        " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace"
                        " ORDER BY c.relname, k.conname",
                        NULL, &from, &to, err);
    for (size_t i = 0; !rc && i < child.n && i < from.n; i++) {
        struct xrm_buf q;
        xrm_buf_init(&q, 256);
        xrm_buf_addf(&q, "SELECT COUNT(*) FROM %s c WHERE true", child.v[i]);
        struct name_list f = {0}, t = {0};
        for (int side = 0; side < 2; side++) {
            const char *cols = side ? to.v[i] : from.v[i];
            for (const char *p = cols; *p;) {
                size_t n = strcspn(p, ",");
                char one[256];
                snprintf(one, sizeof(one), "%.*s", (int)n, p);
                list_add(side ? &t : &f, one);
                p += n + (p[n] == ',');
            }
        }
        for (size_t k = 0; k < f.n; k++)
            xrm_buf_addf(&q, " AND c.%s IS NOT NULL", f.v[k]);
        xrm_buf_addf(&q, " AND NOT EXISTS (SELECT 1 FROM %s p WHERE true", parent.v[i]);
        for (size_t k = 0; k < f.n && k < t.n; k++)
            xrm_buf_addf(&q, " AND p.%s = c.%s", t.v[k], f.v[k]);
        xrm_buf_adds(&q, ")");
        int64_t n = 0;
        rc = xrm_db_scalar_int(db, q.s, &n, err);
        if (!rc && n) {
            char msg[600];
            snprintf(msg, sizeof(msg), "%lld rows of %s (%s) reference no row of %s", (long long)n,
                     child.v[i], from.v[i], parent.v[i]);
            fn("foreign keys", msg, NULL, arg);
            (*bad)++;
        }
        xrm_buf_release(&q);
        list_free(&f);
        list_free(&t);
    }
    list_free(&child);
    list_free(&parent);
    list_free(&from);
    list_free(&to);
    return rc;
}

enum xrm_rc xrm_db_check_foreign_keys(struct xrm_db *db, xrm_check_fn fn, void *arg,
                                      struct xrm_err *err)
{
    int bad = 0;
    enum xrm_rc rc;
    if (is_pg(db)) {
        rc = pg_foreign_keys(db, fn, arg, &bad, err);
    } else {
        /* SQLite checks every foreign key itself; one row per orphan, summed per table */
        struct xrm_stmt *s = xrm_db_prepare(db,
                                            "SELECT \"table\", parent, COUNT(*) FROM"
                                            " pragma_foreign_key_check GROUP BY 1, 2 ORDER BY 1, 2",
                                            err);
        if (!s)
            return XRM_E_DB;
        int r;
        while ((r = xrm_stmt_step(s, err)) == 1) {
            char msg[400];
            snprintf(msg, sizeof(msg), "%lld rows of %s reference no row of %s",
                     (long long)xrm_stmt_int(s, 2), xrm_stmt_text(s, 0), xrm_stmt_text(s, 1));
            fn("foreign keys", msg, NULL, arg);
            bad++;
        }
        xrm_stmt_done(s);
        rc = r < 0 ? XRM_E_DB : XRM_OK;
    }
    if (!rc && !bad)
        fn("foreign keys", NULL, NULL, arg);
    return rc;
}
