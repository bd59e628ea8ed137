/*
 * The shared mapping of a SQLite database file (src/store/sqlite-vfs.c):
 * every reader connection of the process reads through one mapping of the
 * file, which stays right while other connections commit, checkpoint and
 * grow the file, and after a VACUUM shrinks it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];
static char path[128];

/* Each row's text is 500 copies of one letter chosen by its id. */
#define ROW_TEXT "replace(hex(zeroblob(500)), '00', char(65 + id - id / 26 * 26))"

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/xrm-map-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    struct xrm_store *st = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_open(path, false, &st, &err), XRM_OK);
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

struct batch {
    int64_t id; /* rows get ids from batch id * rows */
    int rows;
};

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    (void)arg;
    return xrm_db_exec(
        db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, batch INTEGER, v TEXT)", err);
}

/* One batch of rows: a reader must see all of them or none. */
static enum xrm_rc insert_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct batch *b = arg;
    char sql[400];
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %d)"
             " INSERT INTO t (id, batch, v) SELECT id, %lld, " ROW_TEXT
             " FROM (SELECT %lld * %d + i AS id FROM n)",
             b->rows, (long long)b->id, (long long)b->id, b->rows);
    return xrm_db_exec(db, sql, err);
}

static void fill(struct xrm_store *st, int64_t first, int batches, int rows)
{
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_store_write(st, create_tx, NULL, &err), XRM_OK);
    for (int i = 0; i < batches; i++) {
        struct batch b = {first + i, rows};
        assert_int_equal(xrm_store_write(st, insert_tx, &b, &err), XRM_OK);
    }
}

/* Copies every page of the log into the file, on the calling thread's reader. */
static void checkpoint(struct xrm_store *st)
{
    struct xrm_db *db;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    assert_int_equal(xrm_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL), XRM_OK);
}

/* Mappings of the database file in this process (/proc/self/maps). */
static int mappings_of_file(void)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[1024], want[64];
    snprintf(want, sizeof(want), " %lu ", (unsigned long)st.st_ino);
    int n = 0;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, want) && strstr(line, "t.db") && !strstr(line, "t.db-"))
            n++;
    fclose(f);
    return n;
}

/*
 * What a reader sees: the number of rows, of batches, of rows whose text is
 * not their own, and whether every batch is whole. Read in one snapshot.
 */
struct seen {
    int64_t rows, batches, wrong, whole;
};

static void look(struct xrm_db *db, int rows_per_batch, struct seen *s)
{
    xrm_store_read_begin(db);
    assert_int_equal(xrm_db_scalar_int(db, "SELECT COUNT(*) FROM t", &s->rows, NULL), XRM_OK);
    assert_int_equal(
        xrm_db_scalar_int(db, "SELECT COUNT(DISTINCT batch) FROM t", &s->batches, NULL), XRM_OK);
    assert_int_equal(
        xrm_db_scalar_int(db, "SELECT COUNT(*) FROM t WHERE v IS NOT " ROW_TEXT, &s->wrong, NULL),
        XRM_OK);
    xrm_store_read_end(db);
    s->whole = s->rows == s->batches * rows_per_batch;
}

#define READERS 4

struct reader {
    struct xrm_store *st;
    pthread_barrier_t *looked, *counted;
    struct seen s;
};

/* Reads everything, then stays open until the mappings were counted. */
static void *reader_main(void *p)
{
    struct reader *r = p;
    struct xrm_db *db;
    if (xrm_store_reader(r->st, &db, NULL) == XRM_OK)
        look(db, 100, &r->s);
    pthread_barrier_wait(r->looked);
    pthread_barrier_wait(r->counted);
    return NULL;
}

/* Four reader connections, one mapping of the file, and all of them right. */
static void test_readers_share_one_mapping(void **state)
{
    struct xrm_store *st = *state;
    fill(st, 0, 40, 100); /* 4,000 rows of 500 bytes: about 2 MB */
    checkpoint(st);       /* the pages are in the file, not in the log */
    pthread_barrier_t looked, counted;
    pthread_barrier_init(&looked, NULL, READERS + 1);
    pthread_barrier_init(&counted, NULL, READERS + 1);
    pthread_t t[READERS];
    struct reader r[READERS];
    for (int i = 0; i < READERS; i++) {
        r[i] = (struct reader){.st = st, .looked = &looked, .counted = &counted};
        pthread_create(&t[i], NULL, reader_main, &r[i]);
    }
    pthread_barrier_wait(&looked);
    int maps = mappings_of_file();
    pthread_barrier_wait(&counted);
    for (int i = 0; i < READERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].s.rows, 4000);
        assert_int_equal(r[i].s.wrong, 0);
    }
    pthread_barrier_destroy(&looked);
    pthread_barrier_destroy(&counted);
    /* SQLite's own unix VFS would map the file once per connection */
    assert_int_equal(maps, 1);
}

struct grower {
    struct xrm_store *st;
    atomic_int done;
};

/* Writes 150 more batches, checkpointing every tenth, so the file grows under the readers. */
static void *grower_main(void *p)
{
    struct grower *g = p;
    struct xrm_err err = XRM_ERR_INIT;
    for (int i = 0; i < 150; i++) {
        struct batch b = {1000 + i, 100};
        if (xrm_store_write(g->st, insert_tx, &b, &err) != XRM_OK)
            break;
        if (i % 10 == 9) {
            struct xrm_db *db;
            if (xrm_store_reader(g->st, &db, NULL) == XRM_OK)
                xrm_db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
        }
    }
    atomic_store(&g->done, 1);
    return NULL;
}

struct watcher {
    struct grower *g;
    int looks, torn, wrong;
    int64_t last_rows;
};

static void *watcher_main(void *p)
{
    struct watcher *w = p;
    struct xrm_db *db;
    if (xrm_store_reader(w->g->st, &db, NULL) != XRM_OK)
        return NULL;
    int finished = 0;
    while (finished < 2) { /* once more after the writes ended */
        finished += atomic_load(&w->g->done) ? 1 : 0;
        struct seen s;
        look(db, 100, &s);
        w->looks++;
        w->torn += !s.whole || s.rows < w->last_rows;
        w->wrong += (int)s.wrong;
        w->last_rows = s.rows;
    }
    return NULL;
}

/* Readers see whole batches, never fewer rows than before, every row's own text,
 * while the file grows past what was mapped; then every row. */
static void test_readers_right_while_file_grows(void **state)
{
    struct xrm_store *st = *state;
    fill(st, 0, 10, 100);
    checkpoint(st);
    struct grower g = {.st = st};
    struct watcher w[2] = {{.g = &g}, {.g = &g}};
    pthread_t tg, tw[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&tw[i], NULL, watcher_main, &w[i]);
    pthread_create(&tg, NULL, grower_main, &g);
    pthread_join(tg, NULL);
    for (int i = 0; i < 2; i++) {
        pthread_join(tw[i], NULL);
        assert_true(w[i].looks >= 2);
        assert_int_equal(w[i].torn, 0);
        assert_int_equal(w[i].wrong, 0);
        assert_int_equal(w[i].last_rows, 16000);
    }
    checkpoint(st);
    struct xrm_db *db;
    struct seen s;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    look(db, 100, &s);
    assert_int_equal(s.rows, 16000);
    assert_int_equal(s.wrong, 0);
}

/* A VACUUM that shrinks the file under a mapped reader: the reader reads on, right. */
static void test_reader_after_file_shrinks(void **state)
{
    struct xrm_store *st = *state;
    fill(st, 0, 60, 100);
    checkpoint(st);
    struct xrm_db *db;
    struct seen s;
    assert_int_equal(xrm_store_reader(st, &db, NULL), XRM_OK);
    look(db, 100, &s); /* maps the file at its full size */
    assert_int_equal(s.rows, 6000);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(xrm_db_exec(db, "DELETE FROM t WHERE batch >= 3", NULL), XRM_OK);
    assert_int_equal(xrm_db_exec(db, "VACUUM", NULL), XRM_OK);
    checkpoint(st);
    assert_int_equal(stat(path, &after), 0);
    assert_true(after.st_size < before.st_size / 4);
    look(db, 100, &s);
    assert_int_equal(s.rows, 300);
    assert_int_equal(s.wrong, 0);
    fill(st, 100, 20, 100); /* and it grows again */
    checkpoint(st);
    look(db, 100, &s);
    assert_int_equal(s.rows, 2300);
    assert_int_equal(s.wrong, 0);
    assert_true(s.whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers_share_one_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readers_right_while_file_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_after_file_shrinks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
