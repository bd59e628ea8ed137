/*
 * Documents' contents behind store.h (xrm_db_blob_put/_get/_remove), run on
 * SQLite and, when XRM_TEST_PG_URL names a PostgreSQL server (see
 * scripts/test-pg.sh), on PostgreSQL with a fresh database per test: a
 * binary round trip larger than one large-object chunk, a content written
 * in a write that fails (PostgreSQL: gone with the rollback), removal, and
 * the file layout next to a SQLite database (<db>.files/ab/<sha256>, no
 * temporary file left).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

static const char *engine; /* "sqlite" or "postgresql" */
static char target[256];
static char dir[64];
static char pg_base[200];
static struct xrm_store *pg_admin;
static int db_seq;

#define SHA_A "aa00000000000000000000000000000000000000000000000000000000000001"
#define SHA_B "bb00000000000000000000000000000000000000000000000000000000000002"

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
        snprintf(dir, sizeof(dir), "/tmp/xrm-blobs-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(target, sizeof(target), "%s/t.db", dir);
    } else {
        char sql[128];
        snprintf(target, sizeof(target), "%s/xrm_blobs_%d_%d", pg_base, (int)getpid(), ++db_seq);
        snprintf(sql, sizeof(sql), "CREATE DATABASE xrm_blobs_%d_%d", (int)getpid(), db_seq);
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
    snprintf(sql, sizeof(sql), "DROP DATABASE xrm_blobs_%d_%d WITH (FORCE)", (int)getpid(), db_seq);
    admin_exec(sql);
    return 0;
}

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

static void test_round_trip_and_remove(void **state)
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

static void test_failed_write(void **state)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_and_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
    };
    engine = "sqlite";
    int failed = cmocka_run_group_tests_name("document blobs on sqlite", tests, NULL, NULL);
    const char *url = getenv("XRM_TEST_PG_URL");
    if (!url || !*url) {
        printf("document blobs on postgresql: skipped (XRM_TEST_PG_URL is not set)\n");
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
    failed += cmocka_run_group_tests_name("document blobs on postgresql", tests, NULL, NULL);
    xrm_store_free(pg_admin);
    return failed;
}
