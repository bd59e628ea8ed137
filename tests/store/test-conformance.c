/*
 * Storage conformance: the behaviour every engine behind store.h must
 * share, run once on SQLite and, when XRM_TEST_PG_URL names a PostgreSQL
 * server (postgres://USER@HOST:PORT, a user who may create databases; see
 * scripts/test-pg.sh), once more on PostgreSQL with a fresh database per
 * test. Parameters, NULLs, int64 and text round trips, RETURNING and
 * ON CONFLICT, errors as codes, statement cache and nesting, write
 * isolation under group commit, byte-order text sorting, LIKE, full-text
 * search through the driver hooks, the catalog used by `xrm copy`, and (on
 * PostgreSQL) a reader surviving a lost connection; documents' contents (blobs);
 * BLOB columns (party photos).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/migrations.h"
#include "store/store.h"

static const char *engine;         /* "sqlite" or "postgresql" */
static char target[256];           /* the database of the running test */
static char dir[64];               /* SQLite: its directory */
static char pg_base[200];          /* PostgreSQL: server URL without a database */
static struct xrm_store *pg_admin; /* a connection to database "postgres" */
static int db_seq;

static void admin_exec(const char *sql)
{
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_reader(pg_admin, &db, &err), XRM_OK);
    if (xrm_db_exec(db, sql, &err))
        fail_msg("%s: %s", sql, err.message);
}

static int setup(void **state)
{
    struct xrm_store *st = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    if (strcmp(engine, "sqlite") == 0) {
        snprintf(dir, sizeof(dir), "/tmp/xrm-conf-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(target, sizeof(target), "%s/t.db", dir);
    } else {
        char sql[128];
        snprintf(target, sizeof(target), "%s/xrm_conf_%d_%d", pg_base, (int)getpid(), ++db_seq);
        snprintf(sql, sizeof(sql), "CREATE DATABASE xrm_conf_%d_%d", (int)getpid(), db_seq);
        admin_exec(sql);
    }
    if (xrm_store_open(target, true, &st, &err))
        fail_msg("cannot open %s: %s", target, err.message);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    xrm_store_free(*state);
    if (strcmp(engine, "sqlite") == 0) {
        char cmd[160];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        return system(cmd) == 0 ? 0 : -1;
    }
    char sql[128];
    snprintf(sql, sizeof(sql), "DROP DATABASE xrm_conf_%d_%d WITH (FORCE)", (int)getpid(), db_seq);
    admin_exec(sql);
    return 0;
}

static struct xrm_db *reader(struct xrm_store *st)
{
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_reader(st, &db, &err), XRM_OK);
    return db;
}

static int64_t scalar(struct xrm_store *st, const char *sql)
{
    int64_t v = -1;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_db_scalar_int(reader(st), sql, &v, &err))
        fail_msg("%s: %s", sql, err.message);
    return v;
}

/* Runs one statement with up to three text/NULL parameters inside a write. */
struct one_sql {
    const char *sql;
    const char *p[3];
    int np;
    int64_t returned; /* column 0 of the first row, if any */
    int rows;
    bool fail_after;
};

static enum xrm_rc one_sql_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct one_sql *a = arg;
    struct xrm_stmt *s = xrm_db_prepare(db, a->sql, err);
    if (!s)
        return err->rc;
    for (int i = 0; i < a->np; i++)
        xrm_stmt_bind_text(s, i + 1, a->p[i]);
    int r;
    a->rows = 0;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        if (a->rows++ == 0)
            a->returned = xrm_stmt_int(s, 0);
    }
    xrm_stmt_done(s);
    if (r < 0)
        return err->rc;
    if (a->fail_after)
        return xrm_errf(err, XRM_E_INVALID, "refused after the statement");
    return XRM_OK;
}

static enum xrm_rc run_write(struct xrm_store *st, struct one_sql *a, struct xrm_err *err)
{
    return xrm_store_write(st, one_sql_tx, a, err);
}

#define USER_SQL                                                                                   \
    "INSERT INTO users (name, created_at) VALUES (?, '2026-01-01T00:00:00Z') RETURNING id"

static int64_t add_user(struct xrm_store *st, const char *name)
{
    struct one_sql a = {USER_SQL, {name}, 1, 0, 0, false};
    struct xrm_err err = XRM_ERR_INIT;
    if (run_write(st, &a, &err))
        fail_msg("insert user %s: %s", name, err.message);
    assert_int_equal(a.rows, 1);
    return a.returned;
}

static void test_migrations_applied_once(void **state)
{
    struct xrm_store *st = *state;
    int last = xrm_migrations_sqlite[xrm_migrations_sqlite_count - 1].version;
    assert_int_equal(xrm_store_schema_version(st), last);
    add_user(st, "keep");
    struct xrm_store *st2 = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_open(target, true, &st2, &err), XRM_OK);
    assert_int_equal(xrm_store_schema_version(st2), last);
    assert_int_equal(scalar(st2, "SELECT COUNT(*) FROM users"), 1);
    assert_string_equal(xrm_store_engine(st2), engine);
    xrm_store_free(st2);
}

static void test_parameters_and_values(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db = reader(st);
    struct xrm_err err = XRM_ERR_INIT;
    /* '?' inside literals and comments is not a parameter. */
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT '?', ? /* ? */, 'it''s ?', ?, ?, ? -- ?\n", &err);
    assert_non_null(s);
    xrm_stmt_bind_text(s, 1, "één 'quoted' \"x\" ?");
    xrm_stmt_bind_null(s, 2);
    xrm_stmt_bind_text(s, 3, "");
    xrm_stmt_bind_textn(s, 4, "abcdef", 3);
    assert_int_equal(xrm_stmt_step(s, &err), 1);
    assert_string_equal(xrm_stmt_text(s, 0), "?");
    assert_string_equal(xrm_stmt_text(s, 1), "één 'quoted' \"x\" ?");
    assert_string_equal(xrm_stmt_text(s, 2), "it's ?");
    assert_true(xrm_stmt_is_null(s, 3));
    assert_null(xrm_stmt_text(s, 3));
    assert_false(xrm_stmt_is_null(s, 4));
    assert_string_equal(xrm_stmt_text(s, 4), "");
    assert_string_equal(xrm_stmt_text(s, 5), "abc");
    assert_int_equal(xrm_stmt_step(s, &err), 0);
    xrm_stmt_done(s);

    /* int64 extremes and doubles round-trip through a table. */
    int64_t big[] = {INT64_MAX, INT64_MIN, 0, -1, 4294967296LL};
    for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        struct xrm_stmt *w = xrm_db_prepare(db, "SELECT CAST(? AS BIGINT)", &err);
        assert_non_null(w);
        xrm_stmt_bind_int(w, 1, big[i]);
        assert_int_equal(xrm_stmt_step(w, &err), 1);
        assert_true(xrm_stmt_int(w, 0) == big[i]);
        xrm_stmt_done(w);
    }
    s = xrm_db_prepare(db, "SELECT CAST(? AS DOUBLE PRECISION)", &err);
    assert_non_null(s);
    xrm_stmt_bind_double(s, 1, 2.5);
    assert_int_equal(xrm_stmt_step(s, &err), 1);
    assert_true(xrm_stmt_double(s, 0) == 2.5);
    xrm_stmt_done(s);

    /* Comparisons read as integers 0/1. */
    s = xrm_db_prepare(db, "SELECT 1 = 1, 1 = 2, ? IS NULL", &err);
    assert_non_null(s);
    assert_int_equal(xrm_stmt_step(s, &err), 1);
    assert_int_equal(xrm_stmt_int(s, 0), 1);
    assert_int_equal(xrm_stmt_int(s, 1), 0);
    assert_int_equal(xrm_stmt_int(s, 2), 1);
    xrm_stmt_done(s);
}

static void test_statement_cache_and_nesting(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db = reader(st);
    struct xrm_err err = XRM_ERR_INIT;
    const char *sql = "SELECT ? + 1";
    struct xrm_stmt *a = xrm_db_prepare(db, sql, &err);
    assert_non_null(a);
    xrm_stmt_bind_int(a, 1, 41);
    struct xrm_stmt *b = xrm_db_prepare(db, sql, &err);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    xrm_stmt_bind_int(b, 1, 1);
    assert_int_equal(xrm_stmt_step(a, &err), 1);
    assert_int_equal(xrm_stmt_step(b, &err), 1);
    assert_int_equal(xrm_stmt_int(a, 0), 42);
    assert_int_equal(xrm_stmt_int(b, 0), 2);
    xrm_stmt_done(b);
    xrm_stmt_done(a);
    struct xrm_stmt *c = xrm_db_prepare(db, sql, &err);
    assert_ptr_equal(c, a);
    assert_int_equal(xrm_stmt_step(c, &err), 1);
    assert_true(xrm_stmt_is_null(c, 0)); /* bindings were cleared */
    xrm_stmt_done(c);
    assert_null(xrm_db_prepare(db, "SELEC nonsense", &err));
    assert_int_equal(err.rc, XRM_E_DB);
    /* A failed statement leaves the connection usable. */
    assert_int_equal(scalar(st, "SELECT 7"), 7);
}

static void test_returning_and_on_conflict(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    int64_t id1 = add_user(st, "anna"), id2 = add_user(st, "bert");
    assert_true(id2 > id1);
    struct one_sql ign = {"INSERT INTO users (name, created_at) VALUES (?, 'x') "
                          "ON CONFLICT (tenant, name) DO NOTHING RETURNING id",
                          {"anna"},
                          1,
                          0,
                          0,
                          false};
    assert_int_equal(run_write(st, &ign, &err), XRM_OK);
    assert_int_equal(ign.rows, 0);
    struct one_sql up = {"INSERT INTO users (name, display_name, created_at) VALUES (?, ?, 'x') "
                         "ON CONFLICT (tenant, name) DO UPDATE SET display_name = "
                         "excluded.display_name RETURNING id",
                         {"anna", "Anna A."},
                         2,
                         0,
                         0,
                         false};
    assert_int_equal(run_write(st, &up, &err), XRM_OK);
    assert_int_equal(up.rows, 1);
    assert_int_equal(up.returned, id1);
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users WHERE display_name = 'Anna A.'"), 1);
}

static void test_errors_are_codes(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    add_user(st, "dup");
    struct one_sql dup = {USER_SQL, {"dup"}, 1, 0, 0, false};
    assert_int_equal(run_write(st, &dup, &err), XRM_E_CONFLICT);
    /* A foreign-key violation is a conflict too. */
    xrm_err_clear(&err);
    struct one_sql fk = {"INSERT INTO tokens (user_id, hash, created_at) VALUES (999999, 'h', 'x')",
                         {NULL},
                         0,
                         0,
                         0,
                         false};
    assert_int_equal(run_write(st, &fk, &err), XRM_E_CONFLICT);
    /* The function's own error comes back as it was, and nothing of it stays. */
    xrm_err_clear(&err);
    struct one_sql ghost = {USER_SQL, {"ghost"}, 1, 0, 0, true};
    assert_int_equal(run_write(st, &ghost, &err), XRM_E_INVALID);
    assert_string_equal(err.message, "refused after the statement");
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users"), 1);
    /* A NOT NULL violation is a conflict (constraint), a type error a database error. */
    xrm_err_clear(&err);
    struct one_sql nn = {
        "INSERT INTO users (name, created_at) VALUES (NULL, 'x')", {NULL}, 0, 0, 0, false};
    assert_int_equal(run_write(st, &nn, &err), XRM_E_CONFLICT);
    add_user(st, "after-errors");
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users"), 2);
}

/* Writers in threads: failing and succeeding writes share commits; each is isolated. */
#define THREADS 8
#define PER_THREAD 40

struct worker {
    struct xrm_store *st;
    int n;
    int ok;
    int conflicts;
};

static void *worker_main(void *p)
{
    struct worker *w = p;
    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        struct xrm_err err = XRM_ERR_INIT;
        /* Every third write repeats a name (a conflict); every fifth fails on its own. */
        if (i % 3 == 2)
            snprintf(name, sizeof(name), "w%d-%d", w->n, i - 1);
        else
            snprintf(name, sizeof(name), "w%d-%d", w->n, i);
        struct one_sql a = {USER_SQL, {name}, 1, 0, 0, i % 5 == 4};
        enum xrm_rc rc = run_write(w->st, &a, &err);
        if (rc == XRM_OK)
            w->ok++;
        else if (rc == XRM_E_CONFLICT)
            w->conflicts++;
    }
    return NULL;
}

static void test_concurrent_writes_isolated(void **state)
{
    struct xrm_store *st = *state;
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){st, i, 0, 0};
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    int ok = 0, conflicts = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ok += w[i].ok;
        conflicts += w[i].conflicts;
    }
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users"), ok);
    assert_true(conflicts > 0);
    assert_true(ok > THREADS * PER_THREAD / 3);
}

static void test_text_order_and_like(void **state)
{
    struct xrm_store *st = *state;
    const char *names[] = {"b", "B", "a", "\xc3\xa9", "aa", "Z"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        add_user(st, names[i]);
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_stmt *s = xrm_db_prepare(reader(st), "SELECT name FROM users ORDER BY name", &err);
    assert_non_null(s);
    const char *want[] = {"B", "Z", "a", "aa", "b", "\xc3\xa9"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(xrm_stmt_step(s, &err), 1);
        assert_string_equal(xrm_stmt_text(s, 0), want[i]);
    }
    xrm_stmt_done(s);
    /* LIKE ignores ASCII case on both engines. */
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users WHERE name LIKE 'A%'"), 2);
}

/* Search: parties with indexed text, found through the driver's hooks. */
static enum xrm_rc add_party_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    const char *text = arg;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO parties (uid, kind, name, sort_name, created_at, updated_at) VALUES "
        "(?, 'person', ?, ?, 'x', 'x') RETURNING id",
        err);
    if (!s)
        return err->rc;
    char uid[64];
    static int n;
    snprintf(uid, sizeof(uid), "uid-%d-%d", (int)getpid(), ++n);
    xrm_stmt_bind_text(s, 1, uid);
    xrm_stmt_bind_text(s, 2, text);
    xrm_stmt_bind_text(s, 3, text);
    int r = xrm_stmt_step(s, err);
    int64_t id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    if (r != 1)
        return err->rc ? err->rc : XRM_E_DB;
    return xrm_db_search_set(db, id, text, err);
}

static int64_t add_party(struct xrm_store *st, const char *text)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_write(st, add_party_tx, (void *)text, &err))
        fail_msg("add party: %s", err.message);
    return scalar(st, "SELECT MAX(id) FROM parties");
}

struct search_set {
    int64_t id;
    const char *text;
};

static enum xrm_rc search_set_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct search_set *a = arg;
    return xrm_db_search_set(db, a->id, a->text, err);
}

/* Ids (ascending, as a string "1 3") of parties matching words / phrases, minus not. */
static void search(struct xrm_store *st, const char *words, const char *phrase, const char * not,
                   char *out, size_t outlen)
{
    struct xrm_db *db = reader(st);
    struct xrm_err err = XRM_ERR_INIT;
    const char *w[8];
    size_t nw = 0;
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", words ? words : "");
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
        w[nw++] = t;
    char *expr = xrm_db_search_expr(db, w, nw, phrase ? &phrase : NULL, phrase ? 1 : 0);
    char *nexpr = not ? xrm_db_search_expr(db, &not, 1, NULL, 0) : NULL;
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT p.id FROM parties p %s WHERE p.tenant = 1%s%s ORDER BY p.id",
             xrm_db_search_join(db), not ? " AND " : "", not ? xrm_db_search_not(db) : "");
    struct xrm_stmt *s = xrm_db_prepare(db, sql, &err);
    if (!s)
        fail_msg("%s: %s", sql, err.message);
    xrm_stmt_bind_text(s, 1, expr);
    if (nexpr)
        xrm_stmt_bind_text(s, 2, nexpr);
    out[0] = '\0';
    int r;
    while ((r = xrm_stmt_step(s, &err)) == 1) {
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%s%lld", n ? " " : "", (long long)xrm_stmt_int(s, 0));
    }
    if (r < 0)
        fail_msg("search: %s", err.message);
    xrm_stmt_done(s);
    free(expr);
    free(nexpr);
}

static void expect_search(struct xrm_store *st, const char *words, const char *phrase,
                          const char * not, const char *want)
{
    char got[256];
    search(st, words, phrase, not, got, sizeof(got));
    if (strcmp(got, want) != 0)
        fail_msg("%s: search words '%s' phrase '%s' not '%s' gave '%s', not '%s'", engine,
                 words ? words : "", phrase ? phrase : "", not ? not : "", got, want);
}

static void test_search(void **state)
{
    struct xrm_store *st = *state;
    add_party(st, "Jan de Vries jan@example.com +31 6 12345678 Utrecht"); /* 1 */
    add_party(st, "José Müller-Lüdenscheidt josé@müller.de Zwolle");      /* 2 */
    add_party(st, "Vries Bouw B.V. info@vriesbouw.nl Utrecht de");        /* 3 */
    add_party(st, "ÅSA ÖBERG O'Brien Deventer");                          /* 4 */
    expect_search(st, "jan", NULL, NULL, "1");
    expect_search(st, "vri", NULL, NULL, "1 3");
    expect_search(st, "vries utr", NULL, NULL, "1 3");
    expect_search(st, NULL, "de vries", NULL, "1");
    expect_search(st, NULL, "vries bouw", NULL, "3");
    expect_search(st, "jose", NULL, NULL, "2"); /* accents fold */
    expect_search(st, "muller", NULL, NULL, "2");
    expect_search(st, "josé", NULL, NULL, "2");
    expect_search(st, "ludensch", NULL, NULL, "2"); /* hyphens separate */
    expect_search(st, "asa", NULL, NULL, "4");      /* upper case folds */
    expect_search(st, "brien", NULL, NULL, "4");
    expect_search(st, "example", NULL, NULL, "1"); /* e-mail parts are words */
    expect_search(st, "1234", NULL, NULL, "1");    /* phone digits */
    expect_search(st, "vries", NULL, "bouw", "1"); /* negation */
    expect_search(st, "utrecht", NULL, "jan", "3");
    expect_search(st, "nobody", NULL, NULL, "");
    expect_search(st, "jan-de", NULL, NULL, "1"); /* a word with a hyphen is a phrase */
    expect_search(st, "de-jan", NULL, NULL, "");
    expect_search(st, "it's", NULL, NULL, "");
    /* Replacing the text drops the old words; empty text drops the party. */
    struct xrm_err err = XRM_ERR_INIT;
    struct search_set a = {1, "Piet Puk Amsterdam"};
    assert_int_equal(xrm_store_write(st, search_set_tx, &a, &err), XRM_OK);
    expect_search(st, "jan", NULL, NULL, "");
    expect_search(st, "puk", NULL, NULL, "1");
    struct search_set b = {3, ""};
    assert_int_equal(xrm_store_write(st, search_set_tx, &b, &err), XRM_OK);
    expect_search(st, "vri", NULL, NULL, "");
}

static void test_catalog(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_table *t = NULL;
    size_t n = 0;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_db_tables(reader(st), &t, &n, &err), XRM_OK);
    int users = -1, tokens = -1, parties = -1, roles = -1, fts = -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, "users") == 0)
            users = (int)i;
        if (strcmp(t[i].name, "tokens") == 0)
            tokens = (int)i;
        if (strcmp(t[i].name, "parties") == 0)
            parties = (int)i;
        if (strcmp(t[i].name, "roles") == 0)
            roles = (int)i;
        if (strcmp(t[i].name, "party_fts") == 0)
            fts = (int)i;
        assert_true(strcmp(t[i].name, "schema_migrations") != 0);
        assert_true(strncmp(t[i].name, "sqlite_", 7) != 0);
        assert_true(strcmp(t[i].name, "party_fts_data") != 0);
    }
    assert_true(users >= 0 && tokens > users);
    assert_true(parties >= 0 && roles > parties);
    assert_true(fts >= 0 && t[fts].search);
    assert_int_equal(t[fts].ncols, 2);
    assert_string_equal(t[parties].cols[0], "id");
    xrm_db_tables_free(t, n);
}

/* PostgreSQL: a reader whose connection was cut carries on. */
static void test_reader_survives_lost_connection(void **state)
{
    struct xrm_store *st = *state;
    if (strcmp(engine, "postgresql") != 0) {
        skip();
        return;
    }
    int64_t pid = scalar(st, "SELECT pg_backend_pid()");
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", (long long)pid);
    admin_exec(sql);
    usleep(100000);
    assert_int_equal(scalar(st, "SELECT COUNT(*) FROM users"), 0);
    assert_true(scalar(st, "SELECT pg_backend_pid()") != pid);
    add_user(st, "still-writes");
}

/* Documents' contents behind store.h (xrm_db_blob_put/_get/_remove): a binary round trip
 * larger than one large-object chunk, a content written in a write that fails (PostgreSQL:
 * gone with the rollback), removal, and the file layout next to a SQLite database
 * (<db>.files/ab/<sha256>, no temporary file left). */

#define SHA_A "aa00000000000000000000000000000000000000000000000000000000000001"
#define SHA_B "bb00000000000000000000000000000000000000000000000000000000000002"

struct put {
    const char *sha;
    const void *data;
    size_t len;
    int64_t oid;
    bool fail_after; /* the write fails after the put: rolled back */
    bool remove;     /* remove instead of put */
};

static enum xrm_rc put_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct put *p = arg;
    enum xrm_rc rc = p->remove ? xrm_db_blob_remove(db, p->sha, p->oid, err)
                               : xrm_db_blob_put(db, p->sha, p->data, p->len, &p->oid, err);
    if (!rc && p->fail_after)
        rc = xrm_errf(err, XRM_E_INVALID, "refused after the put");
    return rc;
}

static enum xrm_rc get(struct xrm_store *st, const char *sha, int64_t oid, void **data, size_t *len)
{
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_reader(st, &db, &err), XRM_OK);
    return xrm_db_blob_get(db, sha, oid, data, len, &err);
}

static bool file_there(const char *sha)
{
    char path[400];
    struct stat sb;
    snprintf(path, sizeof(path), "%s.files/%.2s/%s", target, sha, sha);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void test_blob_round_trip_and_remove(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    size_t n = 3 * 1024 * 1024 + 17; /* more than one large-object chunk */
    unsigned char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 7 + (i >> 9)); /* NUL bytes included */
    struct put p = {.sha = SHA_A, .data = big, .len = n};
    assert_int_equal(xrm_store_write(st, put_tx, &p, &err), XRM_OK);
    if (strcmp(engine, "postgresql") == 0)
        assert_true(p.oid > 0);
    else
        assert_true(p.oid == 0 && file_there(SHA_A));
    void *back = NULL;
    size_t blen = 0;
    assert_int_equal(get(st, SHA_A, p.oid, &back, &blen), XRM_OK);
    assert_int_equal(blen, n);
    assert_memory_equal(back, big, n);
    free(back);
    back = NULL;
    if (strcmp(engine, "sqlite") == 0) { /* the same content again: one file, no leftovers */
        struct put again = {.sha = SHA_A, .data = big, .len = n};
        assert_int_equal(xrm_store_write(st, put_tx, &again, &err), XRM_OK);
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "test $(ls -A %s/t.db.files/aa | wc -l) = 1", dir);
        assert_int_equal(system(cmd), 0);
    }
    struct put rm = {.sha = SHA_A, .oid = p.oid, .remove = true};
    assert_int_equal(xrm_store_write(st, put_tx, &rm, &err), XRM_OK);
    assert_int_not_equal(get(st, SHA_A, p.oid, &back, &blen), XRM_OK);
    assert_null(back);
    if (strcmp(engine, "sqlite") == 0)
        assert_false(file_there(SHA_A));
    free(big);
}

static void test_blob_failed_write(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct put p = {.sha = SHA_B, .data = "abc", .len = 3, .fail_after = true};
    assert_int_equal(xrm_store_write(st, put_tx, &p, &err), XRM_E_INVALID);
    if (strcmp(engine, "postgresql") == 0) { /* the large object went with the rollback */
        void *back = NULL;
        size_t blen = 0;
        assert_true(p.oid > 0);
        assert_int_not_equal(get(st, SHA_B, p.oid, &back, &blen), XRM_OK);
        struct xrm_db *db;
        int64_t c = -1;
        assert_int_equal(xrm_store_reader(st, &db, &err), XRM_OK);
        assert_int_equal(
            xrm_db_scalar_int(db, "SELECT COUNT(*) FROM pg_largeobject_metadata", &c, &err),
            XRM_OK);
        assert_int_equal(c, 0);
    }
    /* a bad key is refused before anything is written */
    struct put bad = {.sha = "../../etc/passwd", .data = "x", .len = 1};
    assert_int_not_equal(xrm_store_write(st, put_tx, &bad, &err), XRM_OK);
}

/* BLOB columns (party photos): bytes with NULs round-trip, in a table and the catalog's kind. */
static enum xrm_rc blob_col_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    const unsigned char *bytes = arg;
    if (xrm_db_exec(db,
                    "INSERT INTO parties (kind, name, sort_name, uid, created_at, updated_at)"
                    " VALUES ('person', 'Blob', 'blob', 'u-blob', 'now', 'now')",
                    err))
        return err->rc;
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO party_photos (party_id, media_type, data, sha256, updated_at)"
                       " VALUES ((SELECT MIN(id) FROM parties), 'image/png', ?, 'x', 'now')",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_blob(s, 1, bytes, 300);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

static void test_blob_column(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db = reader(st);
    struct xrm_err err = XRM_ERR_INIT;
    unsigned char bytes[300];
    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (unsigned char)(i * 13); /* 0x00 and 0xff included */
    if (xrm_store_write(st, blob_col_tx, bytes, &err))
        fail_msg("%s", err.message);
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT data, length(data) FROM party_photos", &err);
    assert_non_null(s);
    assert_int_equal(xrm_stmt_step(s, &err), 1);
    size_t n = 0;
    unsigned char *back = xrm_stmt_blob(s, 0, &n);
    assert_int_equal(n, sizeof(bytes));
    assert_int_equal(xrm_stmt_int(s, 1), sizeof(bytes));
    assert_memory_equal(back, bytes, n);
    free(back);
    xrm_stmt_done(s);
    /* NULL is NULL; an empty blob is empty */
    s = xrm_db_prepare(db, "SELECT NULL, ?", &err);
    assert_non_null(s);
    xrm_stmt_bind_blob(s, 1, "", 0);
    assert_int_equal(xrm_stmt_step(s, &err), 1);
    assert_null(xrm_stmt_blob(s, 0, &n));
    assert_int_equal(n, 0);
    back = xrm_stmt_blob(s, 1, &n);
    assert_non_null(back);
    assert_int_equal(n, 0);
    free(back);
    xrm_stmt_done(s);
    struct xrm_table *t = NULL;
    size_t nt = 0;
    assert_int_equal(xrm_db_tables(db, &t, &nt, &err), XRM_OK);
    bool seen = false;
    for (size_t i = 0; i < nt; i++)
        for (size_t c = 0; strcmp(t[i].name, "party_photos") == 0 && c < t[i].ncols; c++)
            if (strcmp(t[i].cols[c], "data") == 0) {
                assert_int_equal(t[i].kinds[c], XRM_COL_BLOB);
                seen = true;
            }
    assert_true(seen);
    xrm_db_tables_free(t, nt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_applied_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parameters_and_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache_and_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_returning_and_on_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_are_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writes_isolated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_order_and_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_survives_lost_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_round_trip_and_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_column, setup, teardown),
    };
    engine = "sqlite";
    int failed = cmocka_run_group_tests_name("store conformance on sqlite", tests, NULL, NULL);
    const char *url = getenv("XRM_TEST_PG_URL");
    if (!url || !*url) {
        printf("store conformance on postgresql: skipped (XRM_TEST_PG_URL is not set)\n");
        return failed;
    }
    snprintf(pg_base, sizeof(pg_base), "%s", url);
    size_t n = strlen(pg_base);
    while (n && pg_base[n - 1] == '/')
        pg_base[--n] = '\0';
    char admin[256];
    snprintf(admin, sizeof(admin), "%s/postgres", pg_base);
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_open(admin, false, &pg_admin, &err)) {
        fprintf(stderr, "cannot connect to %s: %s\n", admin, err.message);
        return 1;
    }
    engine = "postgresql";
    failed += cmocka_run_group_tests_name("store conformance on postgresql", tests, NULL, NULL);
    xrm_store_free(pg_admin);
    return failed;
}
