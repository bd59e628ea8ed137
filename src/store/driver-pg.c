/*
 * The PostgreSQL engine, on libpq. The only file that includes libpq-fe.h.
 *
 * Statements are written for both engines with '?' parameters; prepare
 * rewrites them to $1..$n (not inside literals, quoted names or comments)
 * and LIKE to ILIKE (SQLite's LIKE ignores ASCII case), then prepares the
 * text once per connection under a generated name, cached by the original
 * text like the SQLite driver's cache. A statement whose parameter types
 * PostgreSQL cannot infer ("? IS NULL") is sent with the bound types each
 * time instead. Values travel as text; integers read back as int64 and
 * booleans as 0/1. A result is fetched whole when the statement is first
 * stepped, so statements can nest freely on one connection.
 *
 * Writes: BEGIN also takes a transaction-level advisory lock, so that the
 * writers of several xrm nodes on one database run one at a time, exactly
 * as SQLite's single writer (read, check the version, write: no lost
 * update). Readers never take it. A lost connection is re-opened on next
 * use outside a transaction; a failed SELECT outside a transaction is
 * retried once on the new connection.
 *
 * Search: a tsvector per party in party_fts (GIN index), built by
 * xrm_tsvector() from text split into words the way FTS5's unicode61 does
 * (every ASCII character that is not a letter or digit separates), queried
 * with to_tsquery prefix terms 'word':* and phrases 'a' <-> 'b'.
 *
 * Built without libpq (the header is not on the include path) this file
 * is a stub whose open says so.
 */
#if defined(__has_include)
#if __has_include(<libpq-fe.h>)
#define XRM_HAVE_LIBPQ 1
#endif
#endif

#include "store/store-private.h"
#include "store/migrations.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

#ifdef XRM_HAVE_LIBPQ
#include <libpq-fe.h>
#include <libpq/libpq-fs.h> /* INV_READ, INV_WRITE: large objects */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

#ifdef XRM_HAVE_LIBPQ

#define CACHE_SLOTS 1024 /* power of two */
#define INT8_OID 20
#define FLOAT8_OID 701
#define TEXT_OID 25
#define BYTEA_OID 17
#define WRITE_LOCK_KEY 7893613 /* pg_advisory_xact_lock key of the writers ("xrm") */
#define MIGRATE_LOCK_KEY 7893614

struct pg_stmt {
    struct xrm_stmt base;
    char *pgsql; /* with $n parameters */
    int nparams;
    char name[16]; /* server-side name of a cached statement */
    bool prepared;
    bool typed;  /* parameter types must be sent: never prepared by name */
    char **vals; /* bound values as text; NULL is SQL NULL */
    Oid *types;
    PGresult *res;
    int row, nrows, ncols;
    bool executed;
};

struct pg_db {
    struct xrm_db base;
    PGconn *c;
    char *target;
    struct xrm_stmt *cache[CACHE_SLOTS]; /* of struct pg_stmt */
    int ncached;
    unsigned int next_name;
    bool in_tx; /* between BEGIN and COMMIT/ROLLBACK: never reconnect then */
};

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The primary message of a failed result or of the connection. */
static const char *pg_message(struct pg_db *db, const PGresult *res, char *buf, size_t n)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m)
        m = PQerrorMessage(db->c);
    if (!m || !*m)
        m = "unknown error";
    snprintf(buf, n, "%s", m);
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    return buf;
}

static enum xrm_rc pg_fail(struct pg_db *db, const PGresult *res, struct xrm_err *err,
                           const char *what)
{
    char m[240];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    enum xrm_rc rc = XRM_E_DB;
    if (state && strncmp(state, "23", 2) == 0)
        rc = XRM_E_CONFLICT;
    else if (state && strcmp(state, "53100") == 0) /* disk_full */
        rc = XRM_E_FULL;
    return xrm_errf(err, rc, "%s: %s", what, pg_message(db, res, m, sizeof(m)));
}

static bool sqlstate_is(const PGresult *res, const char *state)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s && strcmp(s, state) == 0;
}

/*
 * True when the connection can be used: a broken one is re-opened, but
 * only outside a transaction (the rest of a transaction must not run on a
 * new connection in autocommit). Prepared statements are gone with it.
 */
static bool usable(struct pg_db *db)
{
    if (PQstatus(db->c) == CONNECTION_OK)
        return true;
    if (db->in_tx)
        return false;
    PQreset(db->c);
    if (PQstatus(db->c) != CONNECTION_OK)
        return false;
    PQsetNoticeProcessor(db->c, quiet_notices, NULL);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (db->cache[i])
            ((struct pg_stmt *)db->cache[i])->prepared = false;
    return true;
}

static enum xrm_rc pg_exec(struct xrm_db *xdb, const char *sql, struct xrm_err *err)
{
    struct pg_db *db = (struct pg_db *)xdb;
    bool begin = strncasecmp(sql, "BEGIN", 5) == 0;
    bool end = strcasecmp(sql, "COMMIT") == 0 || strcasecmp(sql, "ROLLBACK") == 0;
    enum xrm_rc rc = XRM_OK;

    if (!usable(db)) {
        rc = pg_fail(db, NULL, err, "database connection lost");
        if (end)
            db->in_tx = false;
        return rc;
    }
    PGresult *res = PQexec(db->c, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_FATAL_ERROR && begin && PQstatus(db->c) != CONNECTION_OK && usable(db)) {
        /* The connection was found dead by this BEGIN: nothing ran, start again. */
        PQclear(res);
        res = PQexec(db->c, sql);
        st = PQresultStatus(res);
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_fail(db, res, err, "cannot run statement");
    else if (strcasecmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
        rc = xrm_errf(err, XRM_E_DB, "cannot commit: the transaction was rolled back");
    PQclear(res);
    if (end)
        db->in_tx = false;
    else if (begin && PQtransactionStatus(db->c) != PQTRANS_IDLE)
        db->in_tx = true;
    return rc;
}

static void free_stmt(struct pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++)
        free(s->vals[i]);
    free(s->vals);
    free(s->types);
    PQclear(s->res);
    free(s->pgsql);
    free(s->base.sql);
    free(s);
}

static void pg_close(struct xrm_db *xdb)
{
    struct pg_db *db = (struct pg_db *)xdb;
    if (!db)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (db->cache[i])
            free_stmt((struct pg_stmt *)db->cache[i]);
    PQfinish(db->c);
    free(db->target);
    free(db);
}

static enum xrm_rc pg_open(const char *target, struct xrm_db **out, struct xrm_err *err)
{
    struct pg_db *db = xrm_calloc(1, sizeof(*db));
    /* Values before dbname are defaults the URL may override; after it they win. */
    const char *keys[] = {"connect_timeout", "dbname", "fallback_application_name",
                          "client_encoding", NULL};
    const char *vals[] = {"10", target, "xrm", "UTF8", NULL};
    enum xrm_rc rc = XRM_OK;

    db->base.drv = &xrm_driver_pg;
    db->target = xrm_strdup(target);
    db->c = PQconnectdbParams(keys, vals, 1);
    if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
        char m[240];
        rc = xrm_errf(err, XRM_E_IO, "cannot connect to PostgreSQL: %s",
                      db->c ? pg_message(db, NULL, m, sizeof(m)) : "out of memory");
        goto fail;
    }
    PQsetNoticeProcessor(db->c, quiet_notices, NULL);
    if (PQserverVersion(db->c) < 110000) {
        rc = xrm_errf(err, XRM_E_DB, "PostgreSQL %d is too old: xrm needs 11 or later",
                      PQserverVersion(db->c) / 10000);
        goto fail;
    }
    const char *enc = PQparameterStatus(db->c, "server_encoding");
    if (!enc || strcmp(enc, "UTF8") != 0) {
        rc = xrm_errf(err, XRM_E_DB,
                      "the database's encoding is %s; xrm needs UTF8 (CREATE DATABASE ... "
                      "ENCODING 'UTF8' TEMPLATE template0)",
                      enc ? enc : "unknown");
        goto fail;
    }
    *out = &db->base;
    return XRM_OK;
fail:
    pg_close(&db->base);
    return rc;
}

static enum xrm_rc pg_begin(struct xrm_db *xdb, struct xrm_err *err)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%d)", WRITE_LOCK_KEY);
    return pg_exec(xdb, sql, err);
}

static bool word_at(const char *p, const char *start, const char *w)
{
    size_t n = strlen(w);
    if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
        return false;
    return strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/*
 * '?' -> $n outside literals, quoted names and comments; LIKE -> ILIKE.
 * Returns the new text and sets *nparams.
 */
static char *rewrite(const char *sql, int *nparams)
{
    struct xrm_buf b;
    int n = 0;
    xrm_buf_init(&b, strlen(sql) + 32);
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q))
                e += *e == q ? 2 : 1;
            if (*e)
                e++;
            xrm_buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (p[0] == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            e = e ? e : p + strlen(p);
            xrm_buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            e = e ? e + 2 : p + strlen(p);
            xrm_buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (*p == '?') {
            xrm_buf_addf(&b, "$%d", ++n);
            p++;
        } else if ((*p == 'L' || *p == 'l') && word_at(p, sql, "LIKE")) {
            xrm_buf_adds(&b, "ILIKE");
            p += 4;
        } else {
            xrm_buf_addc(&b, *p++);
        }
    }
    *nparams = n;
    return xrm_buf_detach(&b, NULL);
}

static struct pg_stmt *new_stmt(struct pg_db *db, const char *sql)
{
    struct pg_stmt *s = xrm_calloc(1, sizeof(*s));
    s->base.db = &db->base;
    s->pgsql = rewrite(sql, &s->nparams);
    s->vals = xrm_calloc((size_t)s->nparams + 1, sizeof(*s->vals));
    s->types = xrm_calloc((size_t)s->nparams + 1, sizeof(*s->types));
    s->row = -1;
    return s;
}

/* Prepares s by name on the server; false with err set on failure. */
static bool server_prepare(struct pg_db *db, struct pg_stmt *s, struct xrm_err *err)
{
    PGresult *res = PQprepare(db->c, s->name, s->pgsql, 0, NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok && PQstatus(db->c) != CONNECTION_OK && usable(db)) {
        PQclear(res); /* found dead just now: once more on a new connection */
        res = PQprepare(db->c, s->name, s->pgsql, 0, NULL);
        ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    }
    if (ok) {
        s->prepared = true;
    } else if (sqlstate_is(res, "42P18")) {
        /* Indeterminate parameter type: send the bound types at each run. */
        s->typed = true;
        ok = true;
    } else {
        pg_fail(db, res, err, "cannot prepare statement");
    }
    PQclear(res);
    return ok;
}

static struct xrm_stmt *pg_prepare(struct xrm_db *xdb, const char *sql, struct xrm_err *err)
{
    struct pg_db *db = (struct pg_db *)xdb;
    int free_slot;
    struct xrm_stmt *hit = xrm_stmt_cache_get(db->cache, CACHE_SLOTS, sql, &free_slot);
    if (hit)
        return hit; /* else new; a nested use of a busy one gets a private one, sent unnamed */
    if (!usable(db)) {
        pg_fail(db, NULL, err, "database connection lost");
        return NULL;
    }
    struct pg_stmt *s = new_stmt(db, sql);
    s->base.busy = true;
    if (free_slot >= 0 && db->ncached < CACHE_SLOTS / 2) {
        snprintf(s->name, sizeof(s->name), "x%u", ++db->next_name);
        if (!server_prepare(db, s, err)) {
            free_stmt(s);
            return NULL;
        }
        xrm_stmt_cache_put(db->cache, free_slot, &s->base, sql);
        db->ncached++;
    }
    return &s->base;
}

static void clear_binds(struct pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->types[i] = 0;
    }
}

static void pg_done(struct xrm_stmt *xs)
{
    struct pg_stmt *s = (struct pg_stmt *)xs;
    if (!s->base.cached) {
        free_stmt(s);
        return;
    }
    PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    s->row = -1;
    s->nrows = s->ncols = 0;
    clear_binds(s);
    s->base.busy = false;
}

static void set_param(struct pg_stmt *s, int idx, char *v, Oid type)
{
    if (idx < 1 || idx > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[idx - 1]);
    s->vals[idx - 1] = v;
    s->types[idx - 1] = type;
}

static void pg_bind_int(struct xrm_stmt *xs, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    set_param((struct pg_stmt *)xs, idx, xrm_strdup(buf), INT8_OID);
}

static void pg_bind_textn(struct xrm_stmt *xs, int idx, const char *v, size_t n)
{
    set_param((struct pg_stmt *)xs, idx, xrm_strndup(v, n), TEXT_OID);
}

static void pg_bind_null(struct xrm_stmt *xs, int idx)
{
    set_param((struct pg_stmt *)xs, idx, NULL, 0);
}

static void pg_bind_double(struct xrm_stmt *xs, int idx, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    set_param((struct pg_stmt *)xs, idx, xrm_strdup(buf), FLOAT8_OID);
}

/* Parameters go as text: bytes in bytea's hex input form ("\x0a1b..."). */
static void pg_bind_blob(struct xrm_stmt *xs, int idx, const void *v, size_t n)
{
    char *hex = xrm_malloc(2 * n + 3);
    hex[0] = '\\';
    hex[1] = 'x';
    xrm_hex(v, n, hex + 2);
    set_param((struct pg_stmt *)xs, idx, hex, BYTEA_OID);
}

static PGresult *run(struct pg_db *db, struct pg_stmt *s)
{
    const char *const *vals = (const char *const *)s->vals;
    if (s->typed) {
        for (int i = 0; i < s->nparams; i++)
            if (!s->types[i])
                s->types[i] = TEXT_OID; /* a NULL: any type will do */
        return PQexecParams(db->c, s->pgsql, s->nparams, s->types, vals, NULL, NULL, 0);
    }
    if (!s->base.cached)
        return PQexecParams(db->c, s->pgsql, s->nparams, NULL, vals, NULL, NULL, 0);
    if (!s->prepared) {
        PGresult *res = PQprepare(db->c, s->name, s->pgsql, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            return res;
        PQclear(res);
        s->prepared = true;
    }
    return PQexecPrepared(db->c, s->name, s->nparams, vals, NULL, NULL, 0);
}

static bool is_select(const char *sql)
{
    while (isspace((unsigned char)*sql) || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) == 0 || strncasecmp(sql, "WITH", 4) == 0;
}

static int pg_step(struct xrm_stmt *xs, struct xrm_err *err)
{
    struct pg_stmt *s = (struct pg_stmt *)xs;
    struct pg_db *db = (struct pg_db *)xs->db;
    if (!s->executed) {
        if (!usable(db)) {
            pg_fail(db, NULL, err, "database connection lost");
            return -1;
        }
        PGresult *res = run(db, s);
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_FATAL_ERROR && !db->in_tx && is_select(s->pgsql) &&
            (PQstatus(db->c) != CONNECTION_OK || sqlstate_is(res, "26000") ||
             sqlstate_is(res, "0A000"))) {
            /* Connection lost, or a cached plan that a schema change made stale: once more. */
            PQclear(res);
            if (!usable(db)) {
                pg_fail(db, NULL, err, "database connection lost");
                return -1;
            }
            if (s->base.cached && s->prepared) {
                char sql[40];
                snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
                PQclear(PQexec(db->c, sql));
                s->prepared = false;
            }
            res = run(db, s);
            st = PQresultStatus(res);
        }
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            pg_fail(db, res, err, "statement failed");
            PQclear(res);
            return -1;
        }
        s->res = res;
        s->executed = true;
        s->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
        s->ncols = st == PGRES_TUPLES_OK ? PQnfields(res) : 0;
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return 1;
    }
    s->row = s->nrows;
    return 0;
}

static const char *cell(struct pg_stmt *s, int col)
{
    if (!s->res || s->row < 0 || s->row >= s->nrows || col < 0 || col >= s->ncols ||
        PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(struct xrm_stmt *xs, int col)
{
    const char *v = cell((struct pg_stmt *)xs, col);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1])
        return 1;
    if (v[0] == 'f' && !v[1])
        return 0;
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct xrm_stmt *xs, int col)
{
    const char *v = cell((struct pg_stmt *)xs, col);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(struct xrm_stmt *xs, int col)
{
    return cell((struct pg_stmt *)xs, col);
}

static bool pg_col_is_null(struct xrm_stmt *xs, int col)
{
    return cell((struct pg_stmt *)xs, col) == NULL;
}

/* Results come as text: bytea in its output form, which PQunescapeBytea reads (hex or escape). */
static void *pg_col_blob(struct xrm_stmt *xs, int col, size_t *len)
{
    const char *v = cell((struct pg_stmt *)xs, col);
    *len = 0;
    if (!v)
        return NULL;
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
    if (!raw)
        XRM_BUG("cannot decode a bytea value");
    void *out = xrm_malloc(n + 1);
    if (n)
        memcpy(out, raw, n);
    PQfreemem(raw);
    *len = n;
    return out;
}

static const struct xrm_migration *override_for(int version)
{
    for (const struct xrm_migration *m = xrm_migrations_pg_override; m->version; m++)
        if (m->version == version)
            return m;
    return NULL;
}

static enum xrm_rc migrate_one(struct xrm_db *xdb, const struct xrm_migration *m,
                               struct xrm_err *err)
{
    enum xrm_rc rc = pg_exec(xdb, "BEGIN", err);
    char now[XRM_TIME_LEN], msg[200];
    int64_t have = 0;
    char *sql = NULL;
    if (rc)
        return rc;
    struct xrm_stmt *s =
        pg_prepare(xdb, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", err);
    if (!s) {
        rc = err ? err->rc : XRM_E_DB;
        goto fail;
    }
    pg_bind_int(s, 1, m->version);
    if (pg_step(s, err) == 1)
        have = pg_col_int(s, 0);
    pg_done(s);
    if (have)
        return pg_exec(xdb, "COMMIT", err);
    const struct xrm_migration *o = override_for(m->version);
    sql = o ? xrm_strdup(o->sql) : xrm_migration_to_pg(m->sql, msg, sizeof(msg));
    if (!sql) {
        rc = xrm_errf(err, XRM_E_DB, "migration %d (%s) cannot be translated for PostgreSQL: %s",
                      m->version, m->name, msg);
        goto fail;
    }
    rc = pg_exec(xdb, sql, err);
    if (rc) {
        xrm_errf(err, rc, "migration %d (%s) failed: %s", m->version, m->name,
                 err ? err->message : "");
        goto fail;
    }
    s = pg_prepare(
        xdb, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", err);
    if (!s) {
        rc = err ? err->rc : XRM_E_DB;
        goto fail;
    }
    xrm_now(now);
    pg_bind_int(s, 1, m->version);
    pg_bind_textn(s, 2, m->name, strlen(m->name));
    pg_bind_textn(s, 3, now, strlen(now));
    int r = pg_step(s, err);
    pg_done(s);
    if (r < 0) {
        rc = XRM_E_DB;
        goto fail;
    }
    free(sql);
    return pg_exec(xdb, "COMMIT", err);
fail:
    free(sql);
    pg_exec(xdb, "ROLLBACK", NULL);
    return rc;
}

/*
 * Applies the migrations under a session advisory lock, so nodes starting
 * together migrate one at a time. The search functions are (re)made first.
 */
static enum xrm_rc pg_migrate(struct xrm_db *xdb, struct xrm_err *err)
{
    char sql[96];
    enum xrm_rc rc;
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_lock(%d)", MIGRATE_LOCK_KEY);
    rc = pg_exec(xdb, sql, err);
    if (rc)
        return rc;
    rc = pg_exec(xdb,
                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                 err);
    if (!rc) {
        int64_t have = 0;
        struct xrm_stmt *s =
            pg_prepare(xdb, "SELECT COUNT(*) FROM pg_proc WHERE proname = 'xrm_tsquery'", err);
        if (s && pg_step(s, err) == 1)
            have = pg_col_int(s, 0);
        if (s)
            pg_done(s);
        if (!have) {
            rc = pg_exec(xdb, xrm_pg_prelude, err);
            if (rc)
                xrm_errf(err, rc, "cannot create the search functions: %s",
                         err ? err->message : "");
        }
    }
    for (int i = 0; !rc && i < xrm_migrations_sqlite_count; i++)
        rc = migrate_one(xdb, &xrm_migrations_sqlite[i], err);
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%d)", MIGRATE_LOCK_KEY);
    pg_exec(xdb, sql, NULL);
    return rc;
}

/*
 * Text as FTS5's unicode61 tokenizer splits it: ASCII letters and digits
 * and every non-ASCII byte (UTF-8 letters) make words; the rest separates.
 */
static char *split_words(const char *text)
{
    char *out = xrm_strdup(text);
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x80 && !isalnum((unsigned char)*p))
            *p = ' ';
    return out;
}

static enum xrm_rc pg_search_set(struct xrm_db *xdb, int64_t id, const char *text,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s;
    int r;
    if (!text || !*text) {
        s = pg_prepare(xdb, "DELETE FROM party_fts WHERE rowid = ?", err);
        if (!s)
            return XRM_E_DB;
        pg_bind_int(s, 1, id);
        r = pg_step(s, err);
        pg_done(s);
        return r < 0 ? XRM_E_DB : XRM_OK;
    }
    char *words = split_words(text);
    s = pg_prepare(xdb,
                   "INSERT INTO party_fts (rowid, body, tsv) VALUES (?, ?, xrm_tsvector(?)) "
                   "ON CONFLICT (rowid) DO UPDATE SET body = excluded.body, tsv = excluded.tsv",
                   err);
    if (!s) {
        free(words);
        return XRM_E_DB;
    }
    pg_bind_int(s, 1, id);
    pg_bind_textn(s, 2, text, strlen(text));
    pg_bind_textn(s, 3, words, strlen(words));
    r = pg_step(s, err);
    pg_done(s);
    free(words);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/*
 * One search term as tsquery text: its words joined by <-> (a phrase, as
 * FTS5 reads a quoted string), the last one a prefix when prefix is set.
 * Words are quoted, so no character can act as a tsquery operator.
 */
static void add_term(struct xrm_buf *b, const char *term, bool prefix)
{
    char *w = split_words(term);
    size_t start = b->len;
    bool any = false;
    char *save = NULL;
    for (char *tok = strtok_r(w, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        xrm_buf_adds(b, any ? " <-> '" : "'");
        xrm_buf_adds(b, tok);
        xrm_buf_addc(b, '\'');
        any = true;
    }
    if (any && prefix)
        xrm_buf_adds(b, ":*");
    if (any && b->len > start) {
        /* Parenthesise so that "a <-> b:*" binds as one term under &. */
        char *t = xrm_strndup(b->s + start, b->len - start);
        b->len = start;
        b->s[start] = '\0';
        xrm_buf_addf(b, "(%s)", t);
        free(t);
    }
    free(w);
}

static char *pg_search_expr(const char *const *words, size_t nwords, const char *const *phrases,
                            size_t nphrases)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 64);
    for (size_t i = 0; i < nwords + nphrases; i++) {
        bool word = i < nwords;
        size_t before = b.len;
        if (b.len)
            xrm_buf_adds(&b, " & ");
        size_t mark = b.len;
        add_term(&b, word ? words[i] : phrases[i - nwords], word);
        if (b.len == mark) {
            b.len = before; /* a term without a word matches everything: leave it out */
            b.s[before] = '\0';
        }
    }
    return xrm_buf_detach(&b, NULL);
}

/*
 * Erasure, after the commit: VACUUM frees the dead row versions that still
 * hold erased data (the search text included). Old WAL segments, replicas'
 * and backups' copies age out with their own retention.
 */
static enum xrm_rc pg_flush(struct xrm_db *xdb, struct xrm_err *err)
{
    return pg_exec(xdb, "VACUUM", err);
}

static enum xrm_rc pg_wal_position(struct xrm_db *xdb, bool replica, int64_t *pos,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        pg_prepare(xdb,
                   replica ? "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint"
                           : "SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint",
                   err);
    if (!s)
        return XRM_E_DB;
    int r = pg_step(s, err);
    bool null = r == 1 && pg_col_is_null(s, 0);
    *pos = r == 1 ? pg_col_int(s, 0) : 0;
    pg_done(s);
    if (null)
        return xrm_errf(err, XRM_E_DB, "the server is not a replica (not in recovery)");
    return r == 1 ? XRM_OK : XRM_E_DB;
}

/* ---- documents' contents: large objects (store.h blobs) ------------------ */

/* Written in pieces: lo_write takes an int length. */
#define LO_CHUNK (1 << 20)

static enum xrm_rc pg_blob_put(struct xrm_db *xdb, const char *sha, const void *data, size_t len,
                               int64_t *oid, struct xrm_err *err)
{
    struct pg_db *db = (struct pg_db *)xdb;
    (void)sha;
    *oid = 0;
    if (!db->in_tx || !usable(db))
        return xrm_errf(err, XRM_E_INTERNAL, "a large object is written inside a write");
    Oid o = lo_creat(db->c, INV_READ | INV_WRITE);
    if (o == InvalidOid)
        return pg_fail(db, NULL, err, "cannot create a large object");
    int fd = lo_open(db->c, o, INV_WRITE);
    if (fd < 0)
        return pg_fail(db, NULL, err, "cannot open a large object");
    const char *p = data;
    size_t left = len;
    while (left) {
        size_t n = left < LO_CHUNK ? left : LO_CHUNK;
        int w = lo_write(db->c, fd, p, n);
        if (w <= 0) {
            lo_close(db->c, fd);
            return pg_fail(db, NULL, err, "cannot write a large object");
        }
        p += w;
        left -= (size_t)w;
    }
    if (lo_close(db->c, fd) != 0)
        return pg_fail(db, NULL, err, "cannot write a large object");
    *oid = (int64_t)o;
    return XRM_OK;
}

/* Reads a large object; a reader outside a transaction gets one for the read (lo_open needs it). */
static enum xrm_rc pg_blob_get(struct xrm_db *xdb, const char *sha, int64_t oid, void **data,
                               size_t *len, struct xrm_err *err)
{
    struct pg_db *db = (struct pg_db *)xdb;
    enum xrm_rc rc = XRM_OK;
    char *buf = NULL;
    int fd = -1;
    bool own = false;
    (void)sha;
    if (!usable(db))
        return pg_fail(db, NULL, err, "database connection lost");
    if (oid <= 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "the content of this document is missing");
    if (PQtransactionStatus(db->c) == PQTRANS_IDLE) {
        PGresult *res = PQexec(db->c, "BEGIN READ ONLY");
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            rc = pg_fail(db, res, err, "cannot read a large object");
        PQclear(res);
        if (!ok)
            return rc;
        own = true;
    }
    fd = lo_open(db->c, (Oid)oid, INV_READ);
    if (fd < 0) {
        rc = pg_fail(db, NULL, err, "cannot open a large object");
        goto out;
    }
    int64_t size = lo_lseek64(db->c, fd, 0, SEEK_END);
    if (size < 0 || lo_lseek64(db->c, fd, 0, SEEK_SET) != 0) {
        rc = pg_fail(db, NULL, err, "cannot read a large object");
        goto out;
    }
    buf = xrm_malloc(size ? (size_t)size : 1);
    size_t have = 0;
    while (have < (size_t)size) {
        size_t n = (size_t)size - have < LO_CHUNK ? (size_t)size - have : LO_CHUNK;
        int r = lo_read(db->c, fd, buf + have, n);
        if (r <= 0) {
            rc = pg_fail(db, NULL, err, "cannot read a large object");
            goto out;
        }
        have += (size_t)r;
    }
    *data = buf;
    *len = (size_t)size;
    buf = NULL;
out:
    free(buf);
    if (fd >= 0)
        lo_close(db->c, fd);
    if (own) {
        PGresult *res = PQexec(db->c, rc ? "ROLLBACK" : "COMMIT");
        PQclear(res);
    }
    return rc;
}

static enum xrm_rc pg_blob_remove(struct xrm_db *xdb, const char *sha, int64_t oid,
                                  struct xrm_err *err)
{
    struct pg_db *db = (struct pg_db *)xdb;
    (void)sha;
    if (oid <= 0)
        return XRM_OK;
    if (!db->in_tx || !usable(db))
        return xrm_errf(err, XRM_E_INTERNAL, "a large object is removed inside a write");
    if (lo_unlink(db->c, (Oid)oid) < 0)
        return pg_fail(db, NULL, err, "cannot remove a large object");
    return XRM_OK;
}

/* ---- database administration: pg_dump and pg_restore (store.h backup/restore) ---- */

extern char **environ;

/* Adds key='value' to a conninfo string (' and \ escaped as libpq reads them). */
static void add_conninfo(struct xrm_buf *b, const char *key, const char *val)
{
    xrm_buf_addf(b, "%s%s='", b->len ? " " : "", key);
    for (const char *p = val; *p; p++) {
        if (*p == '\'' || *p == '\\')
            xrm_buf_addc(b, '\\');
        xrm_buf_addc(b, *p);
    }
    xrm_buf_addc(b, '\'');
}

/*
 * Runs PostgreSQL's program argv[0] (found on PATH) for target and waits
 * for it. The connection goes as a conninfo string without the password
 * (argv[conn_at] = "--dbname=<that>"), which anyone may read in the process
 * list; a password of the URL travels in the child's PGPASSWORD instead.
 */
static enum xrm_rc run_pg_tool(const char *target, char **argv, int conn_at, struct xrm_err *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &msg);
    if (!opts) {
        enum xrm_rc rc =
            xrm_errf(err, XRM_E_INVALID, "cannot read the database URL: %s", msg ? msg : "");
        PQfreemem(msg);
        return rc;
    }
    struct xrm_buf info;
    xrm_buf_init(&info, 128);
    char *password = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (strcmp(o->keyword, "password") == 0)
            password = xrm_strdup(o->val);
        else
            add_conninfo(&info, o->keyword, o->val);
    }
    PQconninfoFree(opts);
    struct xrm_buf conn;
    xrm_buf_init(&conn, info.len + 16);
    xrm_buf_adds(&conn, "--dbname=");
    xrm_buf_adds(&conn, info.s ? info.s : "");
    xrm_buf_release(&info);
    argv[conn_at] = conn.s;

    /* the environment, with PGPASSWORD from the URL when it has one */
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **env = xrm_calloc(nenv + 2, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++)
        if (!password || strncmp(environ[i], "PGPASSWORD=", 11) != 0)
            env[k++] = environ[i];
    char *pwvar = NULL;
    if (password) {
        size_t n = strlen(password) + 12;
        pwvar = xrm_malloc(n);
        snprintf(pwvar, n, "PGPASSWORD=%s", password);
        env[k++] = pwvar;
    }
    env[k] = NULL;

    pid_t pid;
    enum xrm_rc rc = XRM_OK;
    int e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, env);
    if (e != 0) {
        rc = xrm_errf(err, XRM_E_IO, "cannot run %s: %s (install postgresql-client)", argv[0],
                      strerror(e));
    } else {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc = xrm_errf(err, XRM_E_IO, "%s failed (exit status %d)", argv[0],
                          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    if (password) {
        memset(password, 0, strlen(password));
        memset(pwvar, 0, strlen(pwvar));
    }
    free(password);
    free(pwvar);
    free(env);
    xrm_buf_release(&conn);
    argv[conn_at] = NULL;
    return rc;
}

static enum xrm_rc pg_backup(struct xrm_db *xdb, const char *target, const char *file,
                             const char *tmp, struct xrm_err *err)
{
    (void)xdb;
    char *argv[] = {"pg_dump", "--format=custom", "--file", (char *)tmp, NULL, NULL};
    enum xrm_rc rc = run_pg_tool(target, argv, 4, err);
    int fd = rc ? -1 : open(tmp, O_RDONLY | O_CLOEXEC);
    if (!rc && (fd < 0 || fsync(fd) != 0))
        rc = xrm_errf(err, XRM_E_IO, "cannot write %s: %s", tmp, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (!rc && link(tmp, file) != 0) /* never replaces a file that appeared meanwhile */
        rc = xrm_errf(err, XRM_E_IO, "cannot create %s: %s", file, strerror(errno));
    unlink(tmp);
    return rc;
}

static enum xrm_rc pg_restore(const char *file, const char *target, bool force, int known,
                              struct xrm_err *err)
{
    struct xrm_db *xdb;
    int64_t tables = 0, others = 0;
    (void)force; /* a PostgreSQL target is always a new, empty database */
    (void)known; /* the restored schema version is checked when it is opened */
    if (access(file, R_OK) != 0)
        return xrm_errf(err, XRM_E_IO, "cannot open %s: %s", file, strerror(errno));
    enum xrm_rc rc = pg_open(target, &xdb, err);
    if (rc)
        return rc;
    struct xrm_stmt *s = pg_prepare(xdb,
                                    "SELECT (SELECT COUNT(*) FROM pg_class WHERE relnamespace ="
                                    " current_schema()::regnamespace AND relkind IN ('r', 'p')),"
                                    " (SELECT COUNT(*) FROM pg_stat_activity WHERE datname ="
                                    " current_database() AND pid <> pg_backend_pid())",
                                    err);
    if (!s)
        rc = XRM_E_DB;
    if (!rc && pg_step(s, err) == 1) {
        tables = pg_col_int(s, 0);
        others = pg_col_int(s, 1);
    } else if (!rc) {
        rc = XRM_E_DB;
    }
    if (s)
        pg_done(s);
    pg_close(xdb);
    if (rc)
        return rc;
    if (tables)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "the database is not empty (%lld tables): restore into a new one "
                        "(createdb)",
                        (long long)tables);
    if (others)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "the database is in use (%lld other connections): stop xrm first",
                        (long long)others);
    char *argv[] = {"pg_restore", "--no-owner", "--exit-on-error", NULL, (char *)file, NULL};
    return run_pg_tool(target, argv, 3, err);
}

const struct xrm_db_driver xrm_driver_pg = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .migrate = pg_migrate,
    .prepare = pg_prepare,
    .done = pg_done,
    .bind_int = pg_bind_int,
    .bind_textn = pg_bind_textn,
    .bind_null = pg_bind_null,
    .bind_double = pg_bind_double,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .col_blob = pg_col_blob,
    .exec = pg_exec,
    .begin = pg_begin,
    .search_set = pg_search_set,
    .search_join = "JOIN party_fts ON party_fts.rowid = p.id AND party_fts.tsv @@ xrm_tsquery(?)",
    .search_not = "p.id NOT IN (SELECT rowid FROM party_fts WHERE tsv @@ xrm_tsquery(?))",
    .search_expr = pg_search_expr,
    .search_ids = "SELECT rowid FROM party_fts WHERE tsv @@ xrm_tsquery(?)",
    .text_match = "rt.tsv @@ xrm_tsquery(?)",
    .wal_position = pg_wal_position,
    .flush = pg_flush,
    .blob_put = pg_blob_put,
    .blob_get = pg_blob_get,
    .blob_remove = pg_blob_remove,
    .backup = pg_backup,
    .restore = pg_restore,
};

#else /* !XRM_HAVE_LIBPQ */

static enum xrm_rc stub_open(const char *target, struct xrm_db **out, struct xrm_err *err)
{
    (void)target;
    (void)out;
    return xrm_errf(err, XRM_E_IO,
                    "this xrm was built without PostgreSQL support (install "
                    "libpq-dev and rebuild with libpq in the Makefile's PKGS)");
}

const struct xrm_db_driver xrm_driver_pg = {
    .name = "postgresql",
    .open = stub_open,
};

#endif
