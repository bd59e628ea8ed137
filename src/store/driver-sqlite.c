/*
 * The SQLite engine: embedded, one file, WAL journal with a full fsync at
 * every commit (synchronous=FULL), foreign keys on, a busy timeout, and FTS5
 * for search. With sqlite-vfs.c (the shared mapping of the file), the only
 * file that includes sqlite3.h.
 *
 * Prepared statements are cached per connection in a small open-addressing
 * table keyed by SQL text. A statement handed out is marked busy; asking
 * for the same text while it is busy (nested use) gets a private statement
 * that is finalised when done.
 */
#include "store/store-private.h"
#include "store/migrations.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/banned.h"

#define CACHE_SLOTS 512 /* power of two */

struct lite_stmt {
    struct xrm_stmt base;
    sqlite3_stmt *st;
    /* "INSERT ... RETURNING id" run as a plain INSERT (see returning_id()). */
    bool ret_id;
    int ret_state; /* 0 not run, 1 the id row is current, 2 done */
    int64_t ret_val;
};

struct lite_ckpt;

struct lite_db {
    struct xrm_db base;
    sqlite3 *h;
    struct xrm_stmt *cache[CACHE_SLOTS]; /* of struct lite_stmt */
    int ncached;
    sqlite3_stmt *dv;             /* PRAGMA data_version, prepared on first use */
    sqlite3_stmt *begin, *commit; /* a request's read transaction (lite_read_begin) */
    struct lite_ckpt *ckpt;       /* the writer's checkpointer (lite_as_writer) */
};

static void ckpt_stop(struct lite_ckpt *c);

static enum xrm_rc lite_err(struct lite_db *db, int code, struct xrm_err *err, const char *what)
{
    int prim = code & 0xff;
    enum xrm_rc rc = (prim == SQLITE_CONSTRAINT) ? XRM_E_CONFLICT
                     : (prim == SQLITE_FULL)     ? XRM_E_FULL
                                                 : XRM_E_DB;
    return xrm_errf(err, rc, "%s: %s", what, sqlite3_errmsg(db->h));
}

static enum xrm_rc lite_exec(struct xrm_db *xdb, const char *sql, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return lite_err(db, rc, err, "cannot run statement");
    return XRM_OK;
}

static void lite_close(struct xrm_db *xdb)
{
    struct lite_db *db = (struct lite_db *)xdb;
    if (!db)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct lite_stmt *s = (struct lite_stmt *)db->cache[i];
        if (s) {
            sqlite3_finalize(s->st);
            free(s->base.sql);
            free(s);
        }
    }
    ckpt_stop(db->ckpt);
    sqlite3_finalize(db->dv);
    sqlite3_finalize(db->begin);
    sqlite3_finalize(db->commit);
    sqlite3_close(db->h);
    free(db);
}

static pthread_once_t lite_once = PTHREAD_ONCE_INIT;

/*
 * XRM_SQLITE_MMAP_MB=N: the most of a database file the readers read through
 * memory (sqlite-vfs.c; default 65536, 0 turns mapping off).
 */
static int64_t mmap_mb(void)
{
    const char *v = getenv("XRM_SQLITE_MMAP_MB");
    int64_t mb = 65536;
    if (v && !xrm_parse_int(v, 0, 1 << 22, &mb))
        mb = 65536;
    return mb;
}

/* Process-wide settings, before SQLite initialises itself: no global memory
 * statistics (they take one process-wide mutex on every allocation); the
 * shared mapping of the database file as the default VFS. */
static void lite_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    xrm_sqlite_vfs_install((size_t)mmap_mb() * 1024 * 1024);
}

/*
 * XRM_SQLITE_MAX_PAGES=N caps the database file at N pages (PRAGMA
 * max_page_count), an operations and test knob: writes past it fail as on
 * a full disk (SQLITE_FULL, XRM_E_FULL). Unset or unreadable: no cap.
 */
static void max_pages(struct lite_db *db)
{
    const char *v = getenv("XRM_SQLITE_MAX_PAGES");
    int64_t n;
    if (!v || !xrm_parse_int(v, 1, INT32_MAX, &n))
        return;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%lld", (long long)n);
    lite_exec(&db->base, sql, NULL);
}

static enum xrm_rc lite_open(const char *target, struct xrm_db **out, struct xrm_err *err)
{
    struct lite_db *db = xrm_calloc(1, sizeof(*db));
    enum xrm_rc rc;
    pthread_once(&lite_once, lite_global_init);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    db->base.drv = &xrm_driver_sqlite;
    if (sqlite3_open_v2(target, &db->h, flags, NULL) != SQLITE_OK) {
        rc = xrm_errf(err, XRM_E_IO, "cannot open database '%s': %s", target,
                      db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    rc = lite_exec(&db->base,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-4000;"
                   " PRAGMA secure_delete=ON;",
                   err);
    if (rc) {
        xrm_errf(err, rc, "cannot open database '%s': %s", target, sqlite3_errmsg(db->h));
        goto fail;
    }
    max_pages(db);
    *out = &db->base;
    return XRM_OK;
fail:
    lite_close(&db->base);
    return rc;
}

static enum xrm_rc lite_begin(struct xrm_db *xdb, struct xrm_err *err)
{
    return lite_exec(xdb, "BEGIN IMMEDIATE", err);
}

/*
 * Checkpoints beside the write path. SQLite's automatic checkpoint runs on
 * the writer inside the commit that leaves CKPT_FRAMES or more pages in
 * the log: it copies the log into the database file and syncs the file
 * while every other write waits (a tenth of a bulk load's time at 1M
 * parties, and its waits on the disk). The writer's WAL hook now only
 * wakes a thread that runs the same PASSIVE checkpoint on a connection of
 * its own, which never blocks the writer or the readers. A checkpoint
 * that overlaps later commits cannot let the log start over, so when the
 * log reaches CKPT_INLINE pages the writer checkpoints itself after its
 * commit, as before (by then most of the log is copied already), and the
 * next write starts the log from its beginning again. Durability is
 * untouched: a commit is on disk when its log frames are.
 */
#define CKPT_FRAMES 1000 /* SQLite's default wal_autocheckpoint */
#define CKPT_INLINE 16384

struct lite_ckpt {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool pending, stop;
    struct xrm_db *conn;
};

static void *ckpt_main(void *arg)
{
    struct lite_ckpt *c = arg;
    sqlite3 *h = ((struct lite_db *)c->conn)->h;
    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        if (!c->pending) {
            pthread_cond_wait(&c->cond, &c->lock);
            continue;
        }
        c->pending = false;
        pthread_mutex_unlock(&c->lock);
        sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The writer's WAL hook: after each commit, with the pages now in the log. */
static int ckpt_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
    struct lite_ckpt *c = arg;
    if (frames >= CKPT_INLINE) {
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    } else if (frames >= CKPT_FRAMES) {
        pthread_mutex_lock(&c->lock);
        c->pending = true;
        pthread_cond_signal(&c->cond);
        pthread_mutex_unlock(&c->lock);
    }
    return SQLITE_OK;
}

static void ckpt_stop(struct lite_ckpt *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cond);
    lite_close(c->conn);
    free(c);
}

/* Starts db's checkpointer; without one (no file, no thread) SQLite's own stays. */
static void ckpt_start(struct lite_db *db)
{
    const char *file = sqlite3_db_filename(db->h, "main");
    const char *mode = NULL;
    struct xrm_db *conn = NULL;
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        mode = (const char *)sqlite3_column_text(st, 0);
    bool wal = mode && strcasecmp(mode, "wal") == 0;
    sqlite3_finalize(st);
    if (!wal || !file || !*file || lite_open(file, &conn, NULL))
        return;
    struct lite_ckpt *c = xrm_calloc(1, sizeof(*c));
    c->conn = conn;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    if (pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->cond);
        lite_close(conn);
        free(c);
        return;
    }
    db->ckpt = c;
    sqlite3_wal_hook(db->h, ckpt_hook, c); /* replaces the automatic checkpoint */
}

/* Readers keep 4 MB of pages each (the inner pages of the hot indexes), unless
 * given more (lite_cache_kb); the one writer 64 MB, since every insert walks
 * each index of its table. */
static void lite_as_writer(struct xrm_db *xdb)
{
    lite_exec(xdb, "PRAGMA cache_size=-64000", NULL);
    ckpt_start((struct lite_db *)xdb);
}

/*
 * Readers read the database file through memory (PRAGMA mmap_size > 0
 * switches it on): a page read is then a memory access instead of a
 * pread(2) and a copy into SQLite's own cache. The mapping is one for the
 * process (sqlite-vfs.c), not SQLite's own per connection. The mapped
 * pages are the kernel's page cache (file-backed, shared and reclaimable:
 * RssFile, not RssAnon); pages still in the WAL are read as before.
 */
static void lite_as_reader(struct xrm_db *xdb)
{
    int64_t mb = mmap_mb();
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA mmap_size=%lld",
             (long long)(mb < 2048 ? mb : 2048) * 1024 * 1024);
    lite_exec(xdb, sql, NULL);
    /*
     * A search's whole match set (party_fts ... UNION record_text ...) is a
     * temporary B-tree; in memory, 16 of them at once on 1M parties took
     * RssAnon from 175 to 284 MB, which glibc kept after the queries. In a
     * temporary file (unlinked at once; the kernel's page cache) they are
     * not the server's memory: 240 -> 138 MB, searches as fast
     * (bench/results/2026-12-07.md).
     */
    lite_exec(xdb, "PRAGMA temp_store=FILE", NULL);
}

static void lite_cache_kb(struct xrm_db *xdb, int kb)
{
    char sql[48];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d", kb > 0 ? kb : 4000);
    lite_exec(xdb, sql, NULL);
}

/* Runs one of the connection's own prepared statements (compiled on first use). */
static bool run_own(struct lite_db *db, sqlite3_stmt **st, const char *sql)
{
    if (!*st && sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    return rc == SQLITE_DONE;
}

/* A deferred BEGIN: the first SELECT takes the WAL snapshot and keeps it. */
static bool lite_read_begin(struct xrm_db *xdb)
{
    struct lite_db *db = (struct lite_db *)xdb;
    return sqlite3_get_autocommit(db->h) && run_own(db, &db->begin, "BEGIN");
}

static void lite_read_end(struct xrm_db *xdb)
{
    struct lite_db *db = (struct lite_db *)xdb;
    if (!sqlite3_get_autocommit(db->h))
        run_own(db, &db->commit, "COMMIT");
}

/*
 * PRAGMA data_version changes when another connection (of any process) has
 * committed since this connection last asked; the store asks it on a
 * connection that never writes, so every commit counts.
 */
static bool lite_data_version(struct xrm_db *xdb, uint64_t *out)
{
    struct lite_db *db = (struct lite_db *)xdb;
    if (!db->dv && sqlite3_prepare_v2(db->h, "PRAGMA data_version", -1, &db->dv, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(db->dv) == SQLITE_ROW;
    if (ok)
        *out = (uint64_t)sqlite3_column_int64(db->dv, 0);
    sqlite3_reset(db->dv);
    return ok;
}

/* Eight bytes a step: statements are looked up by their text on every use. */
/*
 * A single-row "INSERT ... RETURNING id" is prepared without its RETURNING
 * clause and answers the new rowid itself. SQLite runs RETURNING statements
 * inside a statement savepoint, and every savepoint makes FTS5 flush its
 * pending index data: after a party's search text was written, each
 * following RETURNING insert of the same transaction cost a full FTS5 flush
 * (5x slower bulk loads). Statements with ON CONFLICT (may insert nothing)
 * or a SELECT (may insert several rows) keep their RETURNING. Returns the
 * length of the SQL without the clause, or 0.
 */
static size_t returning_id(const char *sql)
{
    static const char suffix[] = " RETURNING id";
    size_t n = strlen(sql), k = sizeof(suffix) - 1;
    while (*sql == ' ')
        sql++, n--;
    if (n <= k || strncasecmp(sql, "INSERT ", 7) != 0 || strcmp(sql + n - k, suffix) != 0)
        return 0;
    if (strstr(sql, "ON CONFLICT") || strstr(sql, "SELECT"))
        return 0;
    return n - k;
}

static struct xrm_stmt *lite_prepare(struct xrm_db *xdb, const char *sql, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    int free_slot;
    struct xrm_stmt *hit = xrm_stmt_cache_get(db->cache, CACHE_SLOTS, sql, &free_slot);
    if (hit)
        return hit;
    struct lite_stmt *s = xrm_calloc(1, sizeof(*s));
    s->base.db = xdb;
    const char *text = sql;
    while (*text == ' ')
        text++;
    size_t plain = returning_id(sql);
    s->ret_id = plain > 0;
    int rc = sqlite3_prepare_v3(db->h, text, plain ? (int)plain : -1,
                                free_slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &s->st, NULL);
    if (rc != SQLITE_OK) {
        lite_err(db, rc, err, "cannot prepare statement");
        sqlite3_finalize(s->st);
        free(s);
        return NULL;
    }
    s->base.busy = true;
    if (free_slot >= 0 && db->ncached < CACHE_SLOTS / 2) {
        xrm_stmt_cache_put(db->cache, free_slot, &s->base, sql);
        db->ncached++;
    }
    return &s->base;
}

static void lite_done(struct xrm_stmt *xs)
{
    struct lite_stmt *s = (struct lite_stmt *)xs;
    s->ret_state = 0;
    if (s->base.cached) {
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
        s->base.busy = false;
    } else {
        sqlite3_finalize(s->st);
        free(s);
    }
}

static void lite_bind_int(struct xrm_stmt *xs, int idx, int64_t v)
{
    sqlite3_bind_int64(((struct lite_stmt *)xs)->st, idx, v);
}

static void lite_bind_textn(struct xrm_stmt *xs, int idx, const char *v, size_t n)
{
    sqlite3_bind_text64(((struct lite_stmt *)xs)->st, idx, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void lite_bind_text_static(struct xrm_stmt *xs, int idx, const char *v, size_t n)
{
    sqlite3_bind_text64(((struct lite_stmt *)xs)->st, idx, v, n, SQLITE_STATIC, SQLITE_UTF8);
}

static void lite_bind_null(struct xrm_stmt *xs, int idx)
{
    sqlite3_bind_null(((struct lite_stmt *)xs)->st, idx);
}

static void lite_bind_double(struct xrm_stmt *xs, int idx, double v)
{
    sqlite3_bind_double(((struct lite_stmt *)xs)->st, idx, v);
}

static void lite_bind_blob(struct xrm_stmt *xs, int idx, const void *v, size_t n)
{
    sqlite3_bind_blob64(((struct lite_stmt *)xs)->st, idx, n ? v : "", n, SQLITE_TRANSIENT);
}

static int lite_step(struct xrm_stmt *xs, struct xrm_err *err)
{
    struct lite_stmt *s = (struct lite_stmt *)xs;
    if (s->ret_id && s->ret_state) {
        s->ret_state = 2;
        return 0;
    }
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        if (!s->ret_id)
            return 0;
        sqlite3 *h = ((struct lite_db *)xs->db)->h;
        s->ret_state = sqlite3_changes(h) == 1 ? 1 : 2;
        s->ret_val = sqlite3_last_insert_rowid(h);
        return s->ret_state == 1 ? 1 : 0;
    }
    lite_err((struct lite_db *)xs->db, rc, err, "statement failed");
    return -1;
}

static int64_t lite_col_int(struct xrm_stmt *xs, int col)
{
    struct lite_stmt *s = (struct lite_stmt *)xs;
    if (s->ret_id)
        return s->ret_state == 1 && col == 0 ? s->ret_val : 0;
    return sqlite3_column_int64(s->st, col);
}

static double lite_col_double(struct xrm_stmt *xs, int col)
{
    return sqlite3_column_double(((struct lite_stmt *)xs)->st, col);
}

static const char *lite_col_text(struct xrm_stmt *xs, int col)
{
    return (const char *)sqlite3_column_text(((struct lite_stmt *)xs)->st, col);
}

static bool lite_col_is_null(struct xrm_stmt *xs, int col)
{
    struct lite_stmt *s = (struct lite_stmt *)xs;
    if (s->ret_id)
        return !(s->ret_state == 1 && col == 0);
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static void *lite_col_blob(struct xrm_stmt *xs, int col, size_t *len)
{
    struct lite_stmt *s = (struct lite_stmt *)xs;
    *len = 0;
    if (s->ret_id || sqlite3_column_type(s->st, col) == SQLITE_NULL)
        return NULL;
    const void *p = sqlite3_column_blob(s->st, col);
    size_t n = (size_t)sqlite3_column_bytes(s->st, col);
    void *out = xrm_malloc(n + 1);
    if (n)
        memcpy(out, p, n);
    *len = n;
    return out;
}

static enum xrm_rc lite_migrate(struct xrm_db *xdb, struct xrm_err *err)
{
    enum xrm_rc rc = lite_exec(xdb,
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                               " applied_at TEXT NOT NULL)",
                               err);
    if (rc)
        return rc;
    for (int i = 0; i < xrm_migrations_sqlite_count; i++) {
        const struct xrm_migration *m = &xrm_migrations_sqlite[i];
        int64_t have = 0;
        char now[XRM_TIME_LEN];

        rc = lite_begin(xdb, err);
        if (rc)
            return rc;
        struct xrm_stmt *s =
            lite_prepare(xdb, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", err);
        if (!s) {
            rc = err ? err->rc : XRM_E_DB;
            goto fail;
        }
        lite_bind_int(s, 1, m->version);
        if (lite_step(s, err) == 1)
            have = lite_col_int(s, 0);
        lite_done(s);
        if (have) {
            lite_exec(xdb, "COMMIT", NULL);
            continue;
        }
        rc = lite_exec(xdb, m->sql, err);
        if (rc) {
            xrm_errf(err, rc, "migration %d (%s) failed: %s", m->version, m->name,
                     sqlite3_errmsg(((struct lite_db *)xdb)->h));
            goto fail;
        }
        s = lite_prepare(xdb,
                         "INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?, ?, ?)",
                         err);
        if (!s) {
            rc = err ? err->rc : XRM_E_DB;
            goto fail;
        }
        xrm_now(now);
        lite_bind_int(s, 1, m->version);
        lite_bind_textn(s, 2, m->name, strlen(m->name));
        lite_bind_textn(s, 3, now, strlen(now));
        int r = lite_step(s, err);
        lite_done(s);
        if (r < 0) {
            rc = XRM_E_DB;
            goto fail;
        }
        rc = lite_exec(xdb, "COMMIT", err);
        if (rc)
            goto fail;
    }
    return XRM_OK;
fail:
    lite_exec(xdb, "ROLLBACK", NULL);
    return rc;
}

static enum xrm_rc lite_search_add(struct xrm_db *xdb, int64_t id, const char *text,
                                   struct xrm_err *err);

static enum xrm_rc lite_search_set(struct xrm_db *xdb, int64_t id, const char *text,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s = lite_prepare(xdb, "DELETE FROM party_fts WHERE rowid = ?", err);
    if (!s)
        return XRM_E_DB;
    lite_bind_int(s, 1, id);
    int r = lite_step(s, err);
    lite_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (!text || !*text)
        return XRM_OK;
    return lite_search_add(xdb, id, text, err);
}

static enum xrm_rc lite_search_add(struct xrm_db *xdb, int64_t id, const char *text,
                                   struct xrm_err *err)
{
    struct xrm_stmt *s =
        lite_prepare(xdb, "INSERT INTO party_fts (rowid, body) VALUES (?, ?)", err);
    if (!s)
        return XRM_E_DB;
    lite_bind_int(s, 1, id);
    lite_bind_text_static(s, 2, text, strlen(text)); /* text outlives the statement's use */
    int r = lite_step(s, err);
    lite_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* FTS5 string literal: double quotes doubled inside. */
static void add_fts_string(struct xrm_buf *b, const char *s)
{
    xrm_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            xrm_buf_addc(b, '"');
        xrm_buf_addc(b, *s);
    }
    xrm_buf_addc(b, '"');
}

static char *lite_search_expr(const char *const *words, size_t nwords, const char *const *phrases,
                              size_t nphrases)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 64);
    for (size_t i = 0; i < nwords; i++) {
        if (b.len)
            xrm_buf_adds(&b, " AND ");
        add_fts_string(&b, words[i]);
        xrm_buf_addc(&b, '*');
    }
    for (size_t i = 0; i < nphrases; i++) {
        if (b.len)
            xrm_buf_adds(&b, " AND ");
        add_fts_string(&b, phrases[i]);
    }
    return xrm_buf_detach(&b, NULL);
}

/* Erasure: FTS5 keeps deleted terms in old index segments until they merge. */
static enum xrm_rc lite_scrub(struct xrm_db *xdb, struct xrm_err *err)
{
    enum xrm_rc rc = lite_exec(xdb, "INSERT INTO party_fts (party_fts) VALUES ('optimize')", err);
    if (!rc) /* records' text (migration 13) */
        rc = lite_exec(xdb, "INSERT INTO record_fts (record_fts) VALUES ('optimize')", err);
    return rc;
}

/*
 * Copies the log into the database file and truncates it to zero bytes.
 * A checkpoint running elsewhere (the writer's checkpointer, another
 * process) makes it busy at once, without the busy handler: it waits for
 * that one for up to a second.
 */
static enum xrm_rc lite_flush(struct xrm_db *xdb, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    int frames = 0, done = 0, rc;
    for (int i = 0;; i++) {
        rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, &frames, &done);
        if ((rc & 0xff) != SQLITE_BUSY || i == 100)
            break;
        sqlite3_sleep(10);
    }
    if (rc != SQLITE_OK)
        return lite_err(db, rc, err, "cannot checkpoint the write-ahead log");
    return XRM_OK;
}

/* ---- documents' contents: files next to the database (store.h blobs) ---- */

/*
 * <database file>.files/<sha[0..1]>/<sha256>. The folder (and its parts)
 * are made on first use, mode 0700: the contents are as private as the
 * database. False when the database has no file (":memory:", temporary).
 */
static bool blob_path(struct lite_db *db, const char *sha, char *dir, size_t ndir, char *path,
                      size_t npath)
{
    const char *file = sqlite3_db_filename(db->h, "main");
    if (!file || !*file)
        return false;
    int n = snprintf(dir, ndir, "%s.files/%.2s", file, sha);
    if (n < 0 || (size_t)n >= ndir)
        return false;
    n = snprintf(path, npath, "%s/%s", dir, sha);
    return n > 0 && (size_t)n < npath;
}

static enum xrm_rc blob_io_err(struct xrm_err *err, const char *what, const char *path)
{
    int e = errno;
    return xrm_errf(err, e == ENOSPC || e == EDQUOT ? XRM_E_FULL : XRM_E_IO, "%s %s: %s", what,
                    path, strerror(e));
}

/* fsync of a folder, so a rename or a new entry in it survives a crash. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* mkdir of dir and of its parent "<db>.files" when missing. */
static bool blob_mkdir(char *dir)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return true;
    if (errno != ENOENT)
        return false;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = 0;
    bool ok = mkdir(dir, 0700) == 0 || errno == EEXIST;
    if (ok) {
        char *up = strrchr(dir, '/');
        if (up) { /* the database's own folder learns of "<db>.files" */
            *up = 0;
            sync_dir(*dir ? dir : "/");
            *up = '/';
        }
    }
    *slash = '/';
    if (ok)
        ok = mkdir(dir, 0700) == 0 || errno == EEXIST;
    if (ok) {
        *slash = 0;
        sync_dir(dir);
        *slash = '/';
    }
    return ok;
}

static enum xrm_rc lite_blob_put(struct xrm_db *xdb, const char *sha, const void *data, size_t len,
                                 int64_t *oid, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    char dir[4096], path[4200], tmp[4300];
    enum xrm_rc rc = XRM_OK;
    int fd = -1;
    *oid = 0;
    if (!blob_path(db, sha, dir, sizeof(dir), path, sizeof(path)))
        return xrm_errf(err, XRM_E_INVALID, "documents need a database file");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len)
        return XRM_OK; /* content-addressed: the same name holds the same bytes */
    if (!blob_mkdir(dir))
        return blob_io_err(err, "cannot make the folder", dir);
    unsigned char rnd[8];
    sqlite3_randomness(sizeof(rnd), rnd);
    char hex[17];
    xrm_hex(rnd, sizeof(rnd), hex);
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s", dir, hex);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = blob_io_err(err, "cannot create", tmp);
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = blob_io_err(err, "cannot write", tmp);
            goto out;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = blob_io_err(err, "cannot sync", tmp);
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = blob_io_err(err, "cannot close", tmp);
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = blob_io_err(err, "cannot rename to", path);
        goto out;
    }
    tmp[0] = 0;
    sync_dir(dir);
out:
    if (fd >= 0)
        close(fd);
    if (rc && tmp[0])
        unlink(tmp);
    return rc;
}

static enum xrm_rc lite_blob_get(struct xrm_db *xdb, const char *sha, int64_t oid, void **data,
                                 size_t *len, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    char dir[4096], path[4200];
    enum xrm_rc rc = XRM_OK;
    char *buf = NULL;
    (void)oid;
    if (!blob_path(db, sha, dir, sizeof(dir), path, sizeof(path)))
        return xrm_errf(err, XRM_E_INVALID, "documents need a database file");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return xrm_errf(err, XRM_E_NOTFOUND, "the content of this document is missing");
        return blob_io_err(err, "cannot open", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = blob_io_err(err, "cannot read", path);
        goto out;
    }
    size_t n = (size_t)st.st_size, have = 0;
    buf = xrm_malloc(n ? n : 1);
    while (have < n) {
        ssize_t r = read(fd, buf + have, n - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = r == 0 ? xrm_errf(err, XRM_E_IO, "%s is shorter than it was", path)
                        : blob_io_err(err, "cannot read", path);
            goto out;
        }
        have += (size_t)r;
    }
    *data = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

static enum xrm_rc lite_blob_remove(struct xrm_db *xdb, const char *sha, int64_t oid,
                                    struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    char dir[4096], path[4200];
    (void)oid;
    if (!blob_path(db, sha, dir, sizeof(dir), path, sizeof(path)))
        return XRM_OK; /* nothing was ever stored */
    if (unlink(path) != 0 && errno != ENOENT)
        return blob_io_err(err, "cannot remove", path);
    sync_dir(dir);
    return XRM_OK;
}

/* ---- database administration (store.h xrm_store_hold/_backup/_restore) ---- */

/* The folder of path ("." when it has none), for sync_dir after a rename in it. */
static void dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

static enum xrm_rc io_fail(struct xrm_err *err, const char *what, const char *path)
{
    int e = errno;
    return xrm_errf(err, e == ENOSPC || e == EDQUOT ? XRM_E_FULL : XRM_E_IO, "%s %s: %s", what,
                    path, strerror(e));
}

static enum xrm_rc fsync_path(const char *path, struct xrm_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        enum xrm_rc rc = io_fail(err, "cannot write", path);
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    return XRM_OK;
}

static enum xrm_rc lite_hold(const char *target, int *fd, struct xrm_err *err)
{
    if (!*target || strcmp(target, ":memory:") == 0 || strncmp(target, "file:", 5) == 0)
        return XRM_OK; /* no file of its own (or a URI): nothing another process could restore */
    int f = open(target, O_RDONLY | O_CLOEXEC);
    if (f < 0)
        return io_fail(err, "cannot open", target);
    if (flock(f, LOCK_SH | LOCK_NB) != 0) {
        close(f);
        return xrm_errf(err, XRM_E_IO, "database '%s' is being restored (locked)", target);
    }
    *fd = f;
    return XRM_OK;
}

/*
 * The online backup API, from inside one read transaction on db: in WAL
 * mode a reader never blocks a writer, and every step copies from the same
 * snapshot, so the copy is consistent however many commits land meanwhile
 * (without the open transaction, a commit by another process between steps
 * would restart the copy). Steps of BACKUP_PAGES pages.
 */
#define BACKUP_PAGES 1024

static enum xrm_rc backup_contents(struct lite_db *db, const char *file, struct xrm_err *err);
static enum xrm_rc restore_contents(const char *file, const char *target, struct xrm_err *err);
static void remove_contents(const char *root);

static enum xrm_rc lite_backup(struct xrm_db *xdb, const char *target, const char *file,
                               const char *tmp, struct xrm_err *err)
{
    struct lite_db *db = (struct lite_db *)xdb;
    char dir[4096];
    struct stat sb;
    (void)target;
    char files[4200];
    if (snprintf(files, sizeof(files), "%s.files", file) >= (int)sizeof(files))
        return xrm_errf(err, XRM_E_INVALID, "file name too long: %s", file);
    if (lstat(files, &sb) == 0)
        return xrm_errf(err, XRM_E_CONFLICT, "'%s' exists already", files);
    enum xrm_rc rc = lite_exec(xdb, "BEGIN", err);
    if (rc)
        return rc;
    rc = lite_exec(xdb, "SELECT COUNT(*) FROM sqlite_master", err); /* starts the snapshot */
    sqlite3 *out = NULL;
    sqlite3_backup *b = NULL;
    int r = SQLITE_OK;
    if (!rc && sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) {
        rc = xrm_errf(err, XRM_E_IO, "cannot create %s: %s", tmp,
                      out ? sqlite3_errmsg(out) : "out of memory");
    }
    if (!rc) {
        b = sqlite3_backup_init(out, "main", db->h, "main");
        if (!b)
            rc = xrm_errf(err, XRM_E_DB, "cannot start the backup: %s", sqlite3_errmsg(out));
    }
    while (!rc) {
        r = sqlite3_backup_step(b, BACKUP_PAGES);
        if (r == SQLITE_DONE)
            break;
        if (r == SQLITE_OK)
            continue;
        if (r == SQLITE_BUSY || r == SQLITE_LOCKED) {
            sqlite3_sleep(5);
            continue;
        }
        rc = xrm_errf(err, (r & 0xff) == SQLITE_FULL ? XRM_E_FULL : XRM_E_DB,
                      "backup to %s failed: %s", tmp, sqlite3_errstr(r));
    }
    if (b)
        sqlite3_backup_finish(b);
    /* documents' contents, as the same snapshot lists them: FILE.files/ */
    if (!rc)
        rc = backup_contents(db, file, err);
    lite_exec(xdb, "COMMIT", NULL);
    if (out && sqlite3_close(out) != SQLITE_OK && !rc)
        rc = xrm_errf(err, XRM_E_IO, "cannot close %s", tmp);
    if (!rc)
        rc = fsync_path(tmp, err);
    /* link, not rename: never replaces a file that appeared meanwhile */
    if (!rc && link(tmp, file) != 0)
        rc = io_fail(err, "cannot create", file);
    unlink(tmp);
    if (!rc) {
        dir_of(file, dir, sizeof(dir));
        sync_dir(dir);
    } else {
        remove_contents(files);
    }
    return rc;
}

/* "file:PATH?immutable=1": read a file without writing anything beside it (no -shm, -wal). */
static char *immutable_uri(const char *path)
{
    struct xrm_buf b;
    xrm_buf_init(&b, strlen(path) + 32);
    xrm_buf_adds(&b, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            xrm_buf_addf(&b, "%%%02X", (unsigned char)*p);
        else
            xrm_buf_addc(&b, *p);
    }
    xrm_buf_adds(&b, "?immutable=1");
    return xrm_buf_detach(&b, NULL);
}

/* Is file an intact xrm database of a schema version this binary knows? */
static enum xrm_rc check_backup(const char *file, int known, struct xrm_err *err)
{
    pthread_once(&lite_once, lite_global_init); /* before any connection (sqlite-vfs.c) */
    char *uri = immutable_uri(file);
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    enum xrm_rc rc = XRM_OK;
    int r = sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (r == SQLITE_OK)
        /* not quick_check: SQLite 3.40's reports NULLs that are not there in WITHOUT ROWID
           tables (party_tags) */
        r = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL);
    if (r == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
        const char *res = (const char *)sqlite3_column_text(q, 0);
        if (!res || strcmp(res, "ok") != 0)
            rc = xrm_errf(err, XRM_E_INVALID, "'%s' is damaged: %.120s", file, res ? res : "");
    } else {
        rc = xrm_errf(err, XRM_E_INVALID, "'%s' is not a SQLite database: %s", file,
                      h ? sqlite3_errmsg(h) : "out of memory");
    }
    sqlite3_finalize(q);
    q = NULL;
    if (!rc && (sqlite3_prepare_v2(h, "SELECT MAX(version) FROM schema_migrations", -1, &q, NULL) !=
                    SQLITE_OK ||
                sqlite3_step(q) != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL))
        rc = xrm_errf(err, XRM_E_INVALID, "'%s' is not an xrm database (no schema version)", file);
    if (!rc && sqlite3_column_int64(q, 0) > known)
        rc = xrm_errf(err, XRM_E_INVALID,
                      "the database's schema is version %lld, newer than this xrm (%d): "
                      "upgrade xrm",
                      (long long)sqlite3_column_int64(q, 0), known);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return rc;
}

static enum xrm_rc copy_file(const char *from, const char *to, struct xrm_err *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return io_fail(err, "cannot open", from);
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return io_fail(err, "cannot create", to);
    }
    enum xrm_rc rc = XRM_OK;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = io_fail(err, "cannot read", from);
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = io_fail(err, "cannot write", to);
                break;
            }
            off += w;
        }
        if (rc)
            break;
    }
    if (!rc && fsync(out) != 0)
        rc = io_fail(err, "cannot write", to);
    close(in);
    if (close(out) != 0 && !rc)
        rc = io_fail(err, "cannot write", to);
    if (rc)
        unlink(to);
    return rc;
}

/*
 * Documents' contents in a backup: FILE.files/<sha[0..1]>/<sha256>, the
 * layout of the database's own folder (blob_path). Backup copies every
 * content the snapshot's document_blobs lists, into FILE.files.tmp, renamed
 * to FILE.files when all are there. A content the snapshot lists whose file
 * is gone (removed by a later write while the backup ran) fails the backup.
 */
static enum xrm_rc backup_contents(struct lite_db *db, const char *file, struct xrm_err *err)
{
    const char *src = sqlite3_db_filename(db->h, "main");
    char dst[4200], tmp[4200], from[4400], to[4400], sub[4300];
    sqlite3_stmt *q = NULL;
    if (!src || !*src)
        return XRM_OK;
    snprintf(dst, sizeof(dst), "%s.files", file);
    snprintf(tmp, sizeof(tmp), "%s.files.tmp", file);
    if (sqlite3_prepare_v2(db->h, "SELECT sha256 FROM document_blobs ORDER BY sha256", -1, &q,
                           NULL) != SQLITE_OK)
        return xrm_errf(err, XRM_E_DB, "cannot list documents' contents: %s",
                        sqlite3_errmsg(db->h));
    enum xrm_rc rc = XRM_OK;
    bool made = false;
    int r;
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *sha = (const char *)sqlite3_column_text(q, 0);
        if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
            continue; /* not a name this store writes */
        if (!made) {
            if (mkdir(tmp, 0700) != 0) {
                rc = io_fail(err, "cannot create", tmp);
                break;
            }
            made = true;
        }
        snprintf(sub, sizeof(sub), "%s/%.2s", tmp, sha);
        if (mkdir(sub, 0700) != 0 && errno != EEXIST) {
            rc = io_fail(err, "cannot create", sub);
            break;
        }
        snprintf(from, sizeof(from), "%s.files/%.2s/%s", src, sha, sha);
        snprintf(to, sizeof(to), "%s/%s", sub, sha);
        rc = copy_file(from, to, err);
    }
    sqlite3_finalize(q);
    if (!rc && made) {
        if (rename(tmp, dst) != 0)
            rc = io_fail(err, "cannot create", dst);
    }
    if (rc && made)
        remove_contents(tmp);
    return rc;
}

/*
 * Restore: the backup's contents join the target's folder. Contents are
 * named by their hash, so one already there is the same and stays; none
 * is removed (one the restored database no longer lists is unused, never
 * wrong). Each is copied to a temporary name and renamed.
 */
static enum xrm_rc restore_contents(const char *file, const char *target, struct xrm_err *err)
{
    char src[4200], dst[4200], sub[4300], dsub[4300], from[4600], to[4600], tmp[4700];
    snprintf(src, sizeof(src), "%s.files", file);
    snprintf(dst, sizeof(dst), "%s.files", target);
    DIR *top = opendir(src);
    if (!top)
        return errno == ENOENT ? XRM_OK : io_fail(err, "cannot open", src);
    enum xrm_rc rc = XRM_OK;
    if (mkdir(dst, 0700) != 0 && errno != EEXIST)
        rc = io_fail(err, "cannot create", dst);
    struct dirent *e;
    while (!rc && (e = readdir(top))) {
        if (e->d_name[0] == '.' || strlen(e->d_name) != 2)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", src, e->d_name);
        snprintf(dsub, sizeof(dsub), "%s/%s", dst, e->d_name);
        if (mkdir(dsub, 0700) != 0 && errno != EEXIST) {
            rc = io_fail(err, "cannot create", dsub);
            break;
        }
        DIR *d = opendir(sub);
        if (!d) {
            rc = io_fail(err, "cannot open", sub);
            break;
        }
        struct dirent *f;
        while (!rc && (f = readdir(d))) {
            if (strlen(f->d_name) != 64)
                continue;
            struct stat a, b;
            snprintf(from, sizeof(from), "%s/%s", sub, f->d_name);
            snprintf(to, sizeof(to), "%s/%s", dsub, f->d_name);
            if (stat(to, &b) == 0 && stat(from, &a) == 0 && a.st_size == b.st_size)
                continue;
            snprintf(tmp, sizeof(tmp), "%s.restore", to);
            unlink(tmp);
            rc = copy_file(from, tmp, err);
            if (!rc && rename(tmp, to) != 0) {
                rc = io_fail(err, "cannot create", to);
                unlink(tmp);
            }
        }
        closedir(d);
        sync_dir(dsub);
    }
    closedir(top);
    return rc;
}

/* Removes a contents folder of two levels (a backup's that failed). */
static void remove_contents(const char *root)
{
    DIR *top = opendir(root);
    if (!top)
        return;
    struct dirent *e;
    char sub[4300], path[4600];
    while ((e = readdir(top))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", root, e->d_name);
        DIR *d = opendir(sub);
        if (d) {
            struct dirent *f;
            while ((f = readdir(d))) {
                if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
                    continue;
                snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
                unlink(path);
            }
            closedir(d);
            rmdir(sub);
        } else {
            unlink(sub);
        }
    }
    closedir(top);
    rmdir(root);
}

static enum xrm_rc lite_restore(const char *file, const char *target, bool force, int known,
                                struct xrm_err *err)
{
    char tmp[4200], side[4200], dir[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", target) >= (int)sizeof(tmp))
        return xrm_errf(err, XRM_E_INVALID, "file name too long: %s", target);
    /* In use? xrm serve holds a shared lock on the file (lite_hold) as long as it runs. */
    int lock = open(target, O_RDONLY | O_CLOEXEC);
    if (lock < 0 && errno != ENOENT)
        return io_fail(err, "cannot open", target);
    if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) != 0) {
        close(lock);
        return xrm_errf(err, XRM_E_CONFLICT,
                        "database '%s' is in use (is xrm serve running?): stop it first", target);
    }
    enum xrm_rc rc = XRM_OK;
    if (lock >= 0 && !force)
        rc = xrm_errf(err, XRM_E_CONFLICT, "database '%s' exists: add --force to replace it",
                      target);
    if (!rc)
        rc = check_backup(file, known, err);
    if (!rc)
        rc = restore_contents(file, target, err);
    if (!rc)
        rc = copy_file(file, tmp, err);
    /* The old database's log and index must not be applied to the new file. */
    for (int i = 0; !rc && i < 2; i++) {
        snprintf(side, sizeof(side), "%s%s", target, i ? "-shm" : "-wal");
        if (unlink(side) != 0 && errno != ENOENT)
            rc = io_fail(err, "cannot remove", side);
    }
    if (!rc && rename(tmp, target) != 0) {
        rc = io_fail(err, "cannot create", target);
        unlink(tmp);
    }
    if (!rc) {
        dir_of(target, dir, sizeof(dir));
        sync_dir(dir);
    }
    if (lock >= 0)
        close(lock);
    return rc;
}

static enum xrm_rc lite_integrity(struct xrm_db *xdb, xrm_check_fn fn, void *arg,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = lite_prepare(xdb, "PRAGMA integrity_check", err);
    if (!s)
        return XRM_E_DB;
    int r, bad = 0;
    while ((r = lite_step(s, err)) == 1) {
        const char *line = lite_col_text(s, 0);
        if (line && strcmp(line, "ok") == 0)
            continue;
        fn("integrity", line ? line : "?", NULL, arg);
        bad++;
    }
    lite_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (!bad)
        fn("integrity", NULL, NULL, arg);
    return XRM_OK;
}

const struct xrm_db_driver xrm_driver_sqlite = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .migrate = lite_migrate,
    .prepare = lite_prepare,
    .done = lite_done,
    .bind_int = lite_bind_int,
    .bind_textn = lite_bind_textn,
    .bind_text_static = lite_bind_text_static,
    .bind_null = lite_bind_null,
    .bind_double = lite_bind_double,
    .bind_blob = lite_bind_blob,
    .step = lite_step,
    .col_int = lite_col_int,
    .col_double = lite_col_double,
    .col_text = lite_col_text,
    .col_is_null = lite_col_is_null,
    .col_blob = lite_col_blob,
    .exec = lite_exec,
    .begin = lite_begin,
    .as_writer = lite_as_writer,
    .as_reader = lite_as_reader,
    .cache_kb = lite_cache_kb,
    .read_begin = lite_read_begin,
    .read_end = lite_read_end,
    .data_version = lite_data_version,
    .search_set = lite_search_set,
    .search_add = lite_search_add,
    .search_join = "JOIN party_fts ON party_fts.rowid = p.id AND party_fts MATCH ?",
    .search_not = "p.id NOT IN (SELECT rowid FROM party_fts WHERE party_fts MATCH ?)",
    .search_expr = lite_search_expr,
    .search_ids = "SELECT rowid FROM party_fts WHERE party_fts MATCH ?",
    .text_match = "rt.id IN (SELECT rowid FROM record_fts WHERE record_fts MATCH ?)",
    /* record_text ids are the party's id << 24 plus a number (migration 34); an id
     * bound past 2^39 overflows to a real number, which still compares as meant */
    .stream_parties = "SELECT rowid FROM party_fts WHERE party_fts MATCH ? AND rowid < ?"
                      " ORDER BY rowid DESC",
    .stream_records = " FROM record_fts f JOIN record_text rt ON rt.id = f.rowid"
                      " WHERE record_fts MATCH ? AND f.rowid >= ? * 16777216"
                      " AND f.rowid < ? * 16777216",
    .stream_records_order = " ORDER BY f.rowid DESC",
    .scrub = lite_scrub,
    .flush = lite_flush,
    .blob_put = lite_blob_put,
    .blob_get = lite_blob_get,
    .blob_remove = lite_blob_remove,
    .hold = lite_hold,
    .backup = lite_backup,
    .restore = lite_restore,
    .integrity = lite_integrity,
};
