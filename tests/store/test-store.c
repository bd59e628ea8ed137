/*
 * Storage interface on the SQLite engine: migrations, statements, and
 * write transactions with group commit (isolation of a failing write,
 * every acknowledged write present, concurrent writers).
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
#include <unistd.h>

#include "store/migrations.h"
#include "store/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/xrm-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    struct xrm_store *st = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_open(path, true, &st, &err), XRM_OK);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    xrm_store_free(*state);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t count_users(struct xrm_store *st)
{
    struct xrm_db *db;
    int64_t n = -1;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    assert_int_equal(xrm_db_scalar_int(db, "SELECT COUNT(*) FROM users", &n, NULL), XRM_OK);
    return n;
}

struct add_user {
    const char *name;
    bool fail_after;
};

static enum xrm_rc add_user_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct add_user *a = arg;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "INSERT INTO users (name, created_at) VALUES (?, '2026-01-01T00:00:00Z')", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, a->name);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return err->rc;
    if (a->fail_after)
        return xrm_errf(err, XRM_E_INVALID, "refused after insert");
    return XRM_OK;
}

static void test_migrations_applied_once(void **state)
{
    struct xrm_store *st = *state;
    int last = xrm_migrations_sqlite[xrm_migrations_sqlite_count - 1].version;
    assert_int_equal(xrm_store_schema_version(st), last);
    /* Opening again applies nothing new and keeps data. */
    struct add_user a = {"keep", false};
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_write(st, add_user_tx, &a, &err), XRM_OK);
    struct xrm_store *st2 = NULL;
    assert_int_equal(xrm_store_open(path, true, &st2, &err), XRM_OK);
    assert_int_equal(xrm_store_schema_version(st2), last);
    assert_int_equal(count_users(st2), 1);
    xrm_store_free(st2);
}

static void test_failed_write_leaves_nothing(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct add_user a = {"ghost", true};
    assert_int_equal(xrm_store_write(st, add_user_tx, &a, &err), XRM_E_INVALID);
    assert_string_equal(err.message, "refused after insert");
    assert_int_equal(count_users(st), 0);
}

static void test_alone_write_commits_or_leaves_nothing(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct add_user ghost = {"ghost", true}, kept = {"kept", false};
    assert_int_equal(xrm_store_write_alone(st, add_user_tx, &ghost, &err), XRM_E_INVALID);
    assert_string_equal(err.message, "refused after insert");
    assert_int_equal(count_users(st), 0);
    xrm_err_clear(&err);
    assert_int_equal(xrm_store_write_alone(st, add_user_tx, &kept, &err), XRM_OK);
    assert_int_equal(count_users(st), 1);
    /* The writer is usable for grouped writes afterwards. */
    struct add_user next = {"next", false};
    assert_int_equal(xrm_store_write(st, add_user_tx, &next, &err), XRM_OK);
    assert_int_equal(count_users(st), 2);
}

static void test_reader_cache_size(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db;
    int64_t kb = 0;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    assert_int_equal(xrm_db_scalar_int(db, "PRAGMA cache_size", &kb, NULL), XRM_OK);
    assert_int_equal(kb, -4000); /* a reader starts with 4 MB */
    xrm_store_reader_cache(db, 16000);
    assert_int_equal(xrm_db_scalar_int(db, "PRAGMA cache_size", &kb, NULL), XRM_OK);
    assert_int_equal(kb, -16000);
    /* Reads still work and see the data. */
    assert_int_equal(count_users(st), 0);
}

static void test_unique_violation_is_conflict(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct add_user a = {"dup", false};
    assert_int_equal(xrm_store_write(st, add_user_tx, &a, &err), XRM_OK);
    xrm_err_clear(&err);
    assert_int_equal(xrm_store_write(st, add_user_tx, &a, &err), XRM_E_CONFLICT);
    assert_int_equal(count_users(st), 1);
}

static void test_statement_reuse_and_nesting(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_reader(st, &db, &err), XRM_OK);
    const char *sql = "SELECT ? + 1";
    struct xrm_stmt *a = xrm_db_prepare(db, sql, &err);
    assert_non_null(a);
    xrm_stmt_bind_int(a, 1, 41);
    /* The same text while a is in use gets a separate statement. */
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
    /* Reused from the cache with bindings cleared. */
    struct xrm_stmt *c = xrm_db_prepare(db, sql, &err);
    assert_ptr_equal(c, a);
    assert_int_equal(xrm_stmt_step(c, &err), 1);
    assert_true(xrm_stmt_is_null(c, 0));
    xrm_stmt_done(c);
    assert_null(xrm_db_prepare(db, "SELEC nonsense", &err));
    assert_int_equal(err.rc, XRM_E_DB);
}

#define THREADS 8
#define PER_THREAD 50

struct worker {
    struct xrm_store *st;
    int n;
    int ok;
};

static void *worker_main(void *p)
{
    struct worker *w = p;
    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        snprintf(name, sizeof(name), "u%d-%d", w->n, i);
        /* Every fifth write fails after inserting: it must leave nothing. */
        struct add_user a = {name, i % 5 == 4};
        struct xrm_err err = XRM_ERR_INIT;
        /* Every third thread writes alone (as an import does), between the grouped ones. */
        enum xrm_rc rc = w->n % 3 == 2 ? xrm_store_write_alone(w->st, add_user_tx, &a, &err)
                                       : xrm_store_write(w->st, add_user_tx, &a, &err);
        if (rc == XRM_OK)
            w->ok++;
        else if (i % 5 != 4 || rc != XRM_E_INVALID || strcmp(err.message, "refused after insert"))
            w->ok = -100000; /* a write that should have passed, or the wrong error */
    }
    return NULL;
}

static void test_concurrent_group_commit(void **state)
{
    struct xrm_store *st = *state;
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){st, i, 0};
        pthread_create(&t[i], NULL, worker_main, &w[i]);
    }
    int ok = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
    }
    assert_int_equal(ok, THREADS * PER_THREAD * 4 / 5);
    assert_int_equal(count_users(st), ok);
    /* A fresh connection sees every acknowledged write. */
    struct xrm_store *st2 = NULL;
    assert_int_equal(xrm_store_open(path, false, &st2, NULL), XRM_OK);
    assert_int_equal(count_users(st2), ok);
    xrm_store_free(st2);
}

/* INSERT ... RETURNING id answers exactly one row with the new id, or none. */
static void test_insert_returning_id(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_reader(st, &db, &err), XRM_OK);
    assert_int_equal(xrm_db_exec(db, "BEGIN", &err), XRM_OK);
    int64_t ids[2];
    for (int i = 0; i < 2; i++) {
        struct xrm_stmt *s = xrm_db_prepare(
            db,
            "INSERT INTO users (name, created_at) VALUES (?, '2026-01-01T00:00:00Z') RETURNING id",
            &err);
        assert_non_null(s);
        xrm_stmt_bind_text(s, 1, i ? "second" : "first");
        assert_int_equal(xrm_stmt_step(s, &err), 1);
        assert_false(xrm_stmt_is_null(s, 0));
        ids[i] = xrm_stmt_int(s, 0);
        assert_int_equal(xrm_stmt_step(s, &err), 0);
        xrm_stmt_done(s);
    }
    assert_true(ids[0] > 0);
    assert_int_equal(ids[1], ids[0] + 1);
    /* A conflict that inserts nothing answers no row. */
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO users (name, created_at) VALUES (?, 'x') "
                                        "ON CONFLICT DO NOTHING RETURNING id",
                                        &err);
    assert_non_null(s);
    xrm_stmt_bind_text(s, 1, "first");
    assert_int_equal(xrm_stmt_step(s, &err), 0);
    xrm_stmt_done(s);
    /* A failing insert is an error, not a row. */
    s = xrm_db_prepare(db, "INSERT INTO users (name, created_at) VALUES (?, 'y') RETURNING id",
                       &err);
    assert_non_null(s);
    xrm_stmt_bind_text(s, 1, "second");
    assert_int_equal(xrm_stmt_step(s, &err), -1);
    assert_int_equal(err.rc, XRM_E_CONFLICT);
    xrm_stmt_done(s);
    xrm_db_rollback(db);
}

static void test_search_index(void **state)
{
    struct xrm_store *st = *state;
    struct xrm_db *db;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    const char *words[] = {"jan"};
    char *expr = xrm_db_search_expr(db, words, 1, NULL, 0);
    assert_string_equal(expr, "\"jan\"*");
    free(expr);
    const char *quote[] = {"a\"b"};
    expr = xrm_db_search_expr(db, NULL, 0, quote, 1);
    assert_string_equal(expr, "\"a\"\"b\"");
    free(expr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_applied_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alone_write_commits_or_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reader_cache_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique_violation_is_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_reuse_and_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_returning_id, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
