/*
 * Store handle and thin dispatch to the engine driver.
 *
 * Writes: one writer connection owned by a committer. Callers enqueue a
 * request and wait; whichever caller finds no commit in progress becomes the
 * leader, takes every queued request, runs each in its own savepoint inside
 * one transaction, commits once (one fsync for the whole group) and wakes the
 * others. This is group commit: durability stays per acknowledged write,
 * while many concurrent writes share the cost of one disk flush.
 *
 * Reads: each thread has its own connection; with a read replica
 * (PostgreSQL) also one to the replica, used by xrm_store_reader_for()
 * only where the user cannot tell (see store.h).
 */
#include "store/store-private.h"
#include "store/migrations.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/metrics.h"
#include "core/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

struct conn_node {
    struct xrm_db *db;
    struct conn_node *next;
};

struct write_req {
    xrm_write_fn fn;
    void *arg;
    struct xrm_err *err;
    enum xrm_rc rc;
    bool done;
    bool alone;         /* a transaction of its own, no savepoint (xrm_store_write_alone) */
    enum xrm_lang lang; /* the caller's language of messages (core/messages.h) */
    struct write_req *next;
};

struct xrm_store {
    const struct xrm_db_driver *drv;
    char *target;
    pthread_key_t key;
    pthread_mutex_t conns_lock;
    struct conn_node *conns;

    pthread_mutex_t wlock;
    pthread_cond_t wcond;
    struct xrm_db *writer;
    bool committing;
    struct write_req *queue, *queue_tail;
    _Atomic bool full; /* the last write failed on a full disk (xrm_store_full) */

    /* xrm_store_data_version: a connection that only ever asks that. */
    pthread_mutex_t watch_lock;
    struct xrm_db *watch;

    /* Read replica (xrm_store_set_replica). */
    char *replica;
    pthread_key_t rkey;
    int64_t window_ns;
    pthread_mutex_t rlock;
    int64_t replica_retry_ns; /* after a failure, do not try before this */
    int64_t reads_primary, reads_replica;
    struct recent_write *recent; /* RECENT_SLOTS, by user id */
    /* xrm_store_replica_state: one probe at a time, its answer kept REPLICA_PROBE_NS */
    pthread_mutex_t probe_lock;
    int64_t probe_ns;
    const char *probe_state;

    int hold_fd; /* xrm_store_hold: the database file, flock'd shared; -1 */
};

#define MAX_BATCH 64 /* writes in one commit */
#define RECENT_SLOTS 4096
#define REPLICA_WAIT_TRIES 5 /* 1 ms apart */

struct recent_write {
    int64_t user;
    int64_t at_ns;
};

static const struct xrm_db_driver *driver_for(const char *target)
{
    if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
        return &xrm_driver_pg;
    return &xrm_driver_sqlite;
}

int xrm_store_known_version(void)
{
    int v = 0;
    for (int i = 0; i < xrm_migrations_sqlite_count; i++)
        if (xrm_migrations_sqlite[i].version > v)
            v = xrm_migrations_sqlite[i].version;
    return v;
}

/*
 * A database migrated by a newer xrm has tables and meanings this binary
 * does not know: refuse it before anything is written. A database without
 * schema_migrations (a new one) is version 0.
 */
/* Does db have schema_migrations yet? (Asked of the catalog: no failed statement in the log.) */
static bool has_migrations(struct xrm_db *db)
{
    int64_t n = 0;
    const char *sql = strcmp(db->drv->name, "postgresql") == 0
                          ? "SELECT COUNT(*) FROM pg_class WHERE relname = 'schema_migrations' AND"
                            " relnamespace = current_schema()::regnamespace"
                          : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND"
                            " name = 'schema_migrations'";
    return xrm_db_scalar_int(db, sql, &n, NULL) == XRM_OK && n > 0;
}

static enum xrm_rc refuse_newer(struct xrm_db *db, struct xrm_err *err)
{
    int64_t v = 0;
    if (!has_migrations(db))
        return XRM_OK; /* a new database */
    enum xrm_rc rc = xrm_db_scalar_int(db, "SELECT MAX(version) FROM schema_migrations", &v, err);
    if (rc)
        return rc;
    int known = xrm_store_known_version();
    if (v > known)
        return xrm_errf(err, XRM_E_INVALID,
                        "the database's schema is version %lld, newer than this xrm (%d): "
                        "upgrade xrm",
                        (long long)v, known);
    return XRM_OK;
}

enum xrm_rc xrm_store_open(const char *target, bool migrate, struct xrm_store **out,
                           struct xrm_err *err)
{
    struct xrm_store *st = xrm_calloc(1, sizeof(*st));
    enum xrm_rc rc;

    if (strncmp(target, "sqlite:", 7) == 0)
        target += 7;
    st->drv = driver_for(target);
    st->target = xrm_strdup(target);
    st->hold_fd = -1;
    pthread_key_create(&st->key, NULL);
    pthread_mutex_init(&st->conns_lock, NULL);
    pthread_mutex_init(&st->wlock, NULL);
    pthread_mutex_init(&st->watch_lock, NULL);
    pthread_cond_init(&st->wcond, NULL);
    rc = st->drv->open(target, &st->writer, err);
    if (rc)
        goto out;
    if (st->drv->as_writer)
        st->drv->as_writer(st->writer);
    rc = refuse_newer(st->writer, err);
    if (rc)
        goto out;
    if (migrate) {
        rc = st->drv->migrate(st->writer, err);
        if (rc)
            goto out;
    }
    *out = st;
    st = NULL;
out:
    xrm_store_free(st);
    return rc;
}

void xrm_store_free(struct xrm_store *st)
{
    if (!st)
        return;
    struct conn_node *n = st->conns;
    while (n) {
        struct conn_node *next = n->next;
        st->drv->close(n->db);
        free(n);
        n = next;
    }
    if (st->writer)
        st->drv->close(st->writer);
    if (st->hold_fd >= 0)
        close(st->hold_fd); /* releases the flock of xrm_store_hold */
    if (st->watch)
        st->drv->close(st->watch);
    pthread_mutex_destroy(&st->watch_lock);
    if (st->replica) {
        pthread_key_delete(st->rkey);
        pthread_mutex_destroy(&st->rlock);
        pthread_mutex_destroy(&st->probe_lock);
        free(st->replica);
        free(st->recent);
    }
    pthread_key_delete(st->key);
    pthread_mutex_destroy(&st->conns_lock);
    pthread_mutex_destroy(&st->wlock);
    pthread_cond_destroy(&st->wcond);
    free(st->target);
    free(st);
}

const char *xrm_store_engine(const struct xrm_store *st)
{
    return st->drv->name;
}

enum xrm_rc xrm_store_reader(struct xrm_store *st, struct xrm_db **out, struct xrm_err *err)
{
    struct xrm_db *db = pthread_getspecific(st->key);
    if (db) {
        *out = db;
        return XRM_OK;
    }
    enum xrm_rc rc = st->drv->open(st->target, &db, err);
    if (rc)
        return rc;
    if (st->drv->as_reader)
        st->drv->as_reader(db);
    struct conn_node *n = xrm_malloc(sizeof(*n));
    n->db = db;
    pthread_mutex_lock(&st->conns_lock);
    n->next = st->conns;
    st->conns = n;
    pthread_mutex_unlock(&st->conns_lock);
    pthread_setspecific(st->key, db);
    *out = db;
    return XRM_OK;
}

void xrm_store_reader_cache(struct xrm_db *db, int kb)
{
    if (db->cache_kb == kb || !db->drv->cache_kb)
        return;
    db->drv->cache_kb(db, kb);
    db->cache_kb = kb;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static char *db_identity(struct xrm_db *db)
{
    char *id = NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT current_database() || ':' || MAX(version) FROM schema_migrations", NULL);
    if (s && xrm_stmt_step(s, NULL) == 1 && xrm_stmt_text(s, 0))
        id = xrm_strdup(xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return id;
}

static bool same_database(struct xrm_db *a, struct xrm_db *b)
{
    char *x = db_identity(a), *y = db_identity(b);
    bool same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

enum xrm_rc xrm_store_set_replica(struct xrm_store *st, const char *target, int window_s,
                                  struct xrm_err *err)
{
    if (st->replica)
        return xrm_errf(err, XRM_E_INTERNAL, "a replica is set already");
    if (driver_for(target) != st->drv || !st->drv->wal_position)
        return xrm_errf(err, XRM_E_INVALID,
                        "a read replica needs PostgreSQL for both the database and the replica");
    /* Fail early on a wrong URL: the first connection is made now. */
    struct xrm_db *db, *primary;
    int64_t pos;
    enum xrm_rc rc = st->drv->open(target, &db, err);
    if (rc)
        return rc;
    rc = xrm_store_reader(st, &primary, err);
    if (!rc && st->drv->wal_position(db, true, &pos, NULL))
        rc = xrm_errf(err, XRM_E_INVALID, "'%s' is not a streaming replica (not in recovery)",
                      target);
    /* The same database: its name, and (once replayed) the schema version. */
    for (int i = 0; !rc && !same_database(primary, db); i++) {
        if (i == 100) {
            rc = xrm_errf(err, XRM_E_INVALID,
                          "'%s' is not a replica of this database (other name or schema)", target);
            break;
        }
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
    }
    if (rc) {
        st->drv->close(db);
        return rc;
    }
    st->replica = xrm_strdup(target);
    st->window_ns = (int64_t)window_s * 1000000000;
    st->recent = xrm_calloc(RECENT_SLOTS, sizeof(*st->recent));
    pthread_key_create(&st->rkey, NULL);
    pthread_mutex_init(&st->rlock, NULL);
    pthread_mutex_init(&st->probe_lock, NULL);
    struct conn_node *n = xrm_malloc(sizeof(*n));
    n->db = db;
    pthread_mutex_lock(&st->conns_lock);
    n->next = st->conns;
    st->conns = n;
    pthread_mutex_unlock(&st->conns_lock);
    pthread_setspecific(st->rkey, db);
    return XRM_OK;
}

void xrm_store_note_write(struct xrm_store *st, int64_t user)
{
    if (!st->replica)
        return;
    pthread_mutex_lock(&st->rlock);
    struct recent_write *w = &st->recent[(uint64_t)user % RECENT_SLOTS];
    w->user = user;
    w->at_ns = mono_ns();
    pthread_mutex_unlock(&st->rlock);
}

bool xrm_store_read_stats(struct xrm_store *st, int64_t *primary, int64_t *replica)
{
    if (!st->replica)
        return false;
    pthread_mutex_lock(&st->rlock);
    *primary = st->reads_primary;
    *replica = st->reads_replica;
    pthread_mutex_unlock(&st->rlock);
    return true;
}

/* The calling thread's replica connection, or NULL (not now: it failed lately). */
static struct xrm_db *replica_conn(struct xrm_store *st)
{
    struct xrm_db *db = pthread_getspecific(st->rkey);
    if (db)
        return db;
    pthread_mutex_lock(&st->rlock);
    bool wait = mono_ns() < st->replica_retry_ns;
    pthread_mutex_unlock(&st->rlock);
    if (wait || st->drv->open(st->replica, &db, NULL)) {
        pthread_mutex_lock(&st->rlock);
        if (!wait)
            st->replica_retry_ns = mono_ns() + 1000000000;
        pthread_mutex_unlock(&st->rlock);
        return NULL;
    }
    struct conn_node *n = xrm_malloc(sizeof(*n));
    n->db = db;
    pthread_mutex_lock(&st->conns_lock);
    n->next = st->conns;
    st->conns = n;
    pthread_mutex_unlock(&st->conns_lock);
    pthread_setspecific(st->rkey, db);
    return db;
}

/* May this read go to the replica: is the replica as recent as the primary is now? */
static bool replica_caught_up(struct xrm_store *st, struct xrm_db *reader, struct xrm_db *rep)
{
    int64_t want = 0, have = 0;
    if (st->drv->wal_position(reader, false, &want, NULL))
        return false;
    for (int i = 0; i < REPLICA_WAIT_TRIES; i++) {
        if (st->drv->wal_position(rep, true, &have, NULL))
            return false;
        if (have >= want)
            return true;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return false;
}

struct xrm_db *xrm_store_reader_for(struct xrm_store *st, struct xrm_db *reader, int64_t user,
                                    bool read_only)
{
    if (!st->replica || !read_only || !user)
        return reader; /* public routes (health, static files) read nothing to route */
    pthread_mutex_lock(&st->rlock);
    const struct recent_write *w = &st->recent[(uint64_t)user % RECENT_SLOTS];
    bool recent = w->user == user && w->at_ns && mono_ns() - w->at_ns < st->window_ns;
    pthread_mutex_unlock(&st->rlock);
    struct xrm_db *rep = recent ? NULL : replica_conn(st);
    bool use = rep && replica_caught_up(st, reader, rep);
    pthread_mutex_lock(&st->rlock);
    if (use)
        st->reads_replica++;
    else
        st->reads_primary++;
    pthread_mutex_unlock(&st->rlock);
    return use ? rep : reader;
}

/*
 * Operations (GET /healthz): the replica's state on a connection of its own,
 * so a replica that went away is seen even by a thread that holds an old one.
 * /healthz is public: a probe (a new connection) runs at most once every
 * REPLICA_PROBE_NS and one at a time; meanwhile, and while a slow probe waits
 * for an unreachable host, callers get the last answer.
 */
#define REPLICA_PROBE_NS 2000000000LL

const char *xrm_store_replica_state(struct xrm_store *st)
{
    if (!st->replica)
        return NULL;
    if (pthread_mutex_trylock(&st->probe_lock) != 0) {
        const char *last = __atomic_load_n(&st->probe_state, __ATOMIC_ACQUIRE);
        return last ? last : "ok";
    }
    int64_t now = xrm_mono_ns();
    if (st->probe_state && now - st->probe_ns < REPLICA_PROBE_NS) {
        const char *last = st->probe_state;
        pthread_mutex_unlock(&st->probe_lock);
        return last;
    }
    struct xrm_db *rep, *reader;
    int64_t pos;
    const char *state = "ok";
    if (st->drv->open(st->replica, &rep, NULL)) {
        state = "down";
    } else {
        if (st->drv->wal_position(rep, true, &pos, NULL))
            state = "down";
        else if (xrm_store_reader(st, &reader, NULL) || !replica_caught_up(st, reader, rep))
            state = "behind";
        st->drv->close(rep);
    }
    __atomic_store_n(&st->probe_state, state, __ATOMIC_RELEASE);
    st->probe_ns = xrm_mono_ns();
    pthread_mutex_unlock(&st->probe_lock);
    return state;
}

bool xrm_store_disk(struct xrm_store *st, uint64_t *free_bytes, uint64_t *size_bytes)
{
    if (strcmp(st->drv->name, "sqlite") != 0)
        return false;
    char dir[4096];
    xrm_strlcpy(dir, st->target, sizeof(dir));
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        xrm_strlcpy(dir, ".", sizeof(dir));
    struct statvfs v;
    if (statvfs(dir, &v) != 0)
        return false;
    *free_bytes = (uint64_t)v.f_bavail * v.f_frsize;
    *size_bytes = (uint64_t)v.f_blocks * v.f_frsize;
    return true;
}

bool xrm_store_file_bytes(struct xrm_store *st, uint64_t *bytes)
{
    if (strcmp(st->drv->name, "sqlite") != 0)
        return false;
    char wal[4096 + 8];
    struct stat sb;
    if (stat(st->target, &sb) != 0)
        return false;
    *bytes = (uint64_t)sb.st_size;
    snprintf(wal, sizeof(wal), "%s-wal", st->target);
    if (stat(wal, &sb) == 0)
        *bytes += (uint64_t)sb.st_size;
    return true;
}

int xrm_store_schema_version(struct xrm_store *st)
{
    int64_t v = 0;
    struct xrm_db *db;
    if (xrm_store_reader(st, &db, NULL))
        return 0;
    if (xrm_db_scalar_int(db, "SELECT MAX(version) FROM schema_migrations", &v, NULL))
        v = 0;
    return (int)v;
}

/*
 * Runs one request in a savepoint of the open transaction; a request alone
 * in its batch runs without one, as its failure rolls back the transaction.
 */
static void run_fn(struct xrm_db *db, struct write_req *r, struct xrm_err *err)
{
    if (r->alone) {
        r->rc = r->fn(db, r->arg, err);
        if (r->rc && err->rc == XRM_E_FULL)
            r->rc = XRM_E_FULL;
        return;
    }
    enum xrm_rc rc = xrm_db_exec(db, "SAVEPOINT w", err);
    if (rc) {
        r->rc = rc;
        return;
    }
    rc = r->fn(db, r->arg, err);
    if (rc && err->rc == XRM_E_FULL)
        rc = XRM_E_FULL; /* whatever the caller made of it, the disk is full */
    if (rc) {
        xrm_db_exec(db, "ROLLBACK TO w", NULL);
        xrm_db_exec(db, "RELEASE w", NULL);
    } else {
        rc = xrm_db_exec(db, "RELEASE w", err);
    }
    r->rc = rc;
}

/* run_fn in the language of the request's caller. */
static void run_one(struct xrm_db *db, struct write_req *r)
{
    struct xrm_err local = XRM_ERR_INIT;
    struct xrm_err *err = r->err ? r->err : &local;
    /* The leader runs others' writes: each speaks its own caller's language. */
    enum xrm_lang mine = xrm_lang_get();
    xrm_lang_set(r->lang);
    run_fn(db, r, err);
    xrm_lang_set(mine);
}

/* Commits a batch taken from the queue; called by the leader without wlock. */
static void commit_batch(struct xrm_store *st, struct write_req *batch)
{
    struct xrm_err cerr = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_db_begin(st->writer, &cerr);
    struct write_req *r;
    uint64_t n = 0;

    for (r = batch; r; r = r->next)
        n++;
    xrm_metric_write_group(n); /* GET /metrics: xrm_write_group_size */

    if (rc) {
        for (r = batch; r; r = r->next) {
            r->rc = rc;
            if (r->err)
                *r->err = cerr;
        }
        return;
    }
    bool any_ok = false, full = false;
    for (r = batch; r; r = r->next) {
        run_one(st->writer, r);
        if (r->rc == XRM_OK)
            any_ok = true;
        else if (r->rc == XRM_E_FULL)
            full = true;
    }
    if (!any_ok) {
        xrm_db_rollback(st->writer);
        if (full)
            st->full = true;
        return;
    }
    rc = xrm_db_commit(st->writer, &cerr);
    if (rc) {
        xrm_db_rollback(st->writer);
        /* SQLite may roll back the whole transaction on a full disk itself */
        if (full || rc == XRM_E_FULL)
            rc = xrm_errf(&cerr, XRM_E_FULL, "cannot commit: the disk or database is full");
        for (r = batch; r; r = r->next) {
            if (r->rc == XRM_OK) {
                r->rc = rc;
                if (r->err)
                    *r->err = cerr;
            }
        }
    }
    st->full = full || rc == XRM_E_FULL; /* a write went through: clear unless one hit the limit */
}

bool xrm_store_full(struct xrm_store *st)
{
    return st->full;
}

enum xrm_rc xrm_store_ping(struct xrm_store *st, struct xrm_err *err)
{
    struct xrm_db *db;
    int64_t one = 0;
    enum xrm_rc rc = xrm_store_reader(st, &db, err);
    if (!rc)
        rc = xrm_db_scalar_int(db, "SELECT 1", &one, err);
    return rc;
}

void xrm_store_read_begin(struct xrm_db *db)
{
    if (!db->in_read && db->drv->read_begin)
        db->in_read = db->drv->read_begin(db);
}

void xrm_store_read_end(struct xrm_db *db)
{
    if (db->in_read) {
        db->drv->read_end(db);
        db->in_read = false;
    }
}

bool xrm_store_data_version(struct xrm_store *st, uint64_t *out)
{
    if (!st->drv->data_version)
        return false;
    pthread_mutex_lock(&st->watch_lock);
    if (!st->watch) {
        struct xrm_err err = XRM_ERR_INIT;
        if (st->drv->open(st->target, &st->watch, &err))
            st->watch = NULL;
    }
    bool ok = st->watch && st->drv->data_version(st->watch, out);
    pthread_mutex_unlock(&st->watch_lock);
    return ok;
}

static enum xrm_rc store_write(struct xrm_store *st, struct write_req *req)
{
    struct xrm_db *mine = pthread_getspecific(st->key);

    if (mine) /* this thread's reads after the write must see it */
        xrm_store_read_end(mine);

    xrm_metric_add(XRM_M_QUEUE_COMMIT, 1); /* until its commit is done */
    pthread_mutex_lock(&st->wlock);
    if (st->queue_tail)
        st->queue_tail->next = req;
    else
        st->queue = req;
    st->queue_tail = req;

    while (!req->done) {
        if (!st->committing) {
            /*
             * Become the leader for what is queued so far, at most MAX_BATCH
             * (on PostgreSQL each is a subtransaction; past 64 they overflow
             * the per-backend cache and slow every snapshot). A write that
             * goes alone is a batch of its own, and ends any other batch.
             */
            struct write_req *batch = st->queue, *last = batch;
            for (int n = 1; n < MAX_BATCH && !last->alone && last->next && !last->next->alone; n++)
                last = last->next;
            st->queue = last->next;
            if (!st->queue)
                st->queue_tail = NULL;
            last->next = NULL;
            st->committing = true;
            pthread_mutex_unlock(&st->wlock);
            commit_batch(st, batch);
            pthread_mutex_lock(&st->wlock);
            for (struct write_req *r = batch, *next; r; r = next) {
                next = r->next;
                r->done = true;
            }
            st->committing = false;
            pthread_cond_broadcast(&st->wcond);
        } else {
            pthread_cond_wait(&st->wcond, &st->wlock);
        }
    }
    pthread_mutex_unlock(&st->wlock);
    xrm_metric_add(XRM_M_QUEUE_COMMIT, -1);
    return req->rc;
}

enum xrm_rc xrm_store_write(struct xrm_store *st, xrm_write_fn fn, void *arg, struct xrm_err *err)
{
    struct write_req req = {.fn = fn, .arg = arg, .err = err, .lang = xrm_lang_get()};
    return store_write(st, &req);
}

enum xrm_rc xrm_store_write_alone(struct xrm_store *st, xrm_write_fn fn, void *arg,
                                  struct xrm_err *err)
{
    struct write_req req = {
        .fn = fn, .arg = arg, .err = err, .alone = true, .lang = xrm_lang_get()};
    return store_write(st, &req);
}

/* Dispatch wrappers. */

struct xrm_stmt *xrm_db_prepare(struct xrm_db *db, const char *sql, struct xrm_err *err)
{
    return db->drv->prepare(db, sql, err);
}

void xrm_stmt_done(struct xrm_stmt *s)
{
    if (s)
        s->db->drv->done(s);
}

void xrm_stmt_bind_int(struct xrm_stmt *s, int idx, int64_t v)
{
    s->db->drv->bind_int(s, idx, v);
}

void xrm_stmt_bind_text(struct xrm_stmt *s, int idx, const char *v)
{
    if (v)
        s->db->drv->bind_textn(s, idx, v, strlen(v));
    else
        s->db->drv->bind_null(s, idx);
}

void xrm_stmt_bind_text_static(struct xrm_stmt *s, int idx, const char *v)
{
    if (!v)
        s->db->drv->bind_null(s, idx);
    else if (s->db->drv->bind_text_static)
        s->db->drv->bind_text_static(s, idx, v, strlen(v));
    else
        s->db->drv->bind_textn(s, idx, v, strlen(v));
}

void xrm_stmt_bind_textn(struct xrm_stmt *s, int idx, const char *v, size_t n)
{
    s->db->drv->bind_textn(s, idx, v, n);
}

void xrm_stmt_bind_null(struct xrm_stmt *s, int idx)
{
    s->db->drv->bind_null(s, idx);
}

void xrm_stmt_bind_double(struct xrm_stmt *s, int idx, double v)
{
    s->db->drv->bind_double(s, idx, v);
}

void xrm_stmt_bind_blob(struct xrm_stmt *s, int idx, const void *v, size_t n)
{
    s->db->drv->bind_blob(s, idx, v, n);
}

/* Every statement runs through these two: GET /metrics counts them and their time here. */
int xrm_stmt_step(struct xrm_stmt *s, struct xrm_err *err)
{
    int64_t t0 = mono_ns();
    int r = s->db->drv->step(s, err);
    xrm_metric_add(XRM_M_DB_NS, mono_ns() - t0);
    xrm_metric_add(XRM_M_DB_STATEMENTS, 1);
    return r;
}

int64_t xrm_stmt_int(struct xrm_stmt *s, int col)
{
    return s->db->drv->col_int(s, col);
}

double xrm_stmt_double(struct xrm_stmt *s, int col)
{
    return s->db->drv->col_double(s, col);
}

const char *xrm_stmt_text(struct xrm_stmt *s, int col)
{
    return s->db->drv->col_text(s, col);
}

bool xrm_stmt_is_null(struct xrm_stmt *s, int col)
{
    return s->db->drv->col_is_null(s, col);
}

void *xrm_stmt_blob(struct xrm_stmt *s, int col, size_t *len)
{
    return s->db->drv->col_blob(s, col, len);
}

enum xrm_rc xrm_db_exec(struct xrm_db *db, const char *sql, struct xrm_err *err)
{
    int64_t t0 = mono_ns();
    enum xrm_rc rc = db->drv->exec(db, sql, err);
    xrm_metric_add(XRM_M_DB_NS, mono_ns() - t0);
    xrm_metric_add(XRM_M_DB_STATEMENTS, 1);
    return rc;
}

enum xrm_rc xrm_db_scalar_int(struct xrm_db *db, const char *sql, int64_t *out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return err ? err->rc : XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    enum xrm_rc rc = XRM_OK;
    if (r < 0)
        rc = err ? err->rc : XRM_E_DB;
    else
        *out = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return rc;
}

enum xrm_rc xrm_db_begin(struct xrm_db *db, struct xrm_err *err)
{
    return db->drv->begin(db, err);
}

enum xrm_rc xrm_db_commit(struct xrm_db *db, struct xrm_err *err)
{
    return db->drv->exec(db, "COMMIT", err);
}

void xrm_db_rollback(struct xrm_db *db)
{
    db->drv->exec(db, "ROLLBACK", NULL);
}

enum xrm_rc xrm_db_search_set(struct xrm_db *db, int64_t party_id, const char *text,
                              struct xrm_err *err)
{
    return db->drv->search_set(db, party_id, text, err);
}

enum xrm_rc xrm_db_search_add(struct xrm_db *db, int64_t party_id, const char *text,
                              struct xrm_err *err)
{
    if (!db->drv->search_add || !text || !*text)
        return db->drv->search_set(db, party_id, text, err);
    return db->drv->search_add(db, party_id, text, err);
}

const char *xrm_db_search_join(struct xrm_db *db)
{
    return db->drv->search_join;
}

const char *xrm_db_search_not(struct xrm_db *db)
{
    return db->drv->search_not;
}

char *xrm_db_search_expr(struct xrm_db *db, const char *const *words, size_t nwords,
                         const char *const *phrases, size_t nphrases)
{
    return db->drv->search_expr(words, nwords, phrases, nphrases);
}

/* Full-text search of records' text */
const char *xrm_db_search_ids(struct xrm_db *db)
{
    return db->drv->search_ids;
}

const char *xrm_db_text_match(struct xrm_db *db)
{
    return db->drv->text_match;
}

const char *xrm_db_stream_parties(struct xrm_db *db)
{
    return db->drv->stream_parties;
}

const char *xrm_db_stream_records(struct xrm_db *db)
{
    return db->drv->stream_records;
}

const char *xrm_db_stream_records_order(struct xrm_db *db)
{
    return db->drv->stream_records_order;
}

enum xrm_rc xrm_db_scrub(struct xrm_db *db, struct xrm_err *err)
{
    return db->drv->scrub ? db->drv->scrub(db, err) : XRM_OK;
}

enum xrm_rc xrm_db_flush(struct xrm_db *db, struct xrm_err *err)
{
    return db->drv->flush ? db->drv->flush(db, err) : XRM_OK;
}

/* ---- documents' contents (blobs) ----------------------------------------- */

/* A SHA-256 in hex: the name a content is kept under (never a path). */
static bool blob_key_ok(const char *sha)
{
    size_t i = 0;
    for (; sha && sha[i]; i++)
        if (!((sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f')))
            return false;
    return i == 64;
}

enum xrm_rc xrm_db_blob_put(struct xrm_db *db, const char *sha256, const void *data, size_t len,
                            int64_t *oid, struct xrm_err *err)
{
    *oid = 0;
    if (!blob_key_ok(sha256))
        return xrm_errf(err, XRM_E_INTERNAL, "bad content key");
    if (!db->drv->blob_put)
        return xrm_errf(err, XRM_E_INVALID, "this database cannot store documents");
    return db->drv->blob_put(db, sha256, data, len, oid, err);
}

enum xrm_rc xrm_db_blob_get(struct xrm_db *db, const char *sha256, int64_t oid, void **data,
                            size_t *len, struct xrm_err *err)
{
    *data = NULL;
    *len = 0;
    if (!blob_key_ok(sha256))
        return xrm_errf(err, XRM_E_INTERNAL, "bad content key");
    if (!db->drv->blob_get)
        return xrm_errf(err, XRM_E_INVALID, "this database cannot store documents");
    return db->drv->blob_get(db, sha256, oid, data, len, err);
}

enum xrm_rc xrm_db_blob_remove(struct xrm_db *db, const char *sha256, int64_t oid,
                               struct xrm_err *err)
{
    if (!blob_key_ok(sha256))
        return xrm_errf(err, XRM_E_INTERNAL, "bad content key");
    if (!db->drv->blob_remove)
        return XRM_OK;
    return db->drv->blob_remove(db, sha256, oid, err);
}

/* ---- the statement cache of the drivers (store-private.h) ----------------- */

#define STMT_PROBES 16

static uint32_t hash_sql(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15u ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xFF51AFD7ED558CCDu;
    return (uint32_t)(h ^ (h >> 29));
}

struct xrm_stmt *xrm_stmt_cache_get(struct xrm_stmt **slots, size_t nslots, const char *sql,
                                    int *free_slot)
{
    uint32_t h = hash_sql(sql);
    *free_slot = -1;
    for (int i = 0; i < STMT_PROBES; i++) {
        int slot = (int)((h + (uint32_t)i) & (uint32_t)(nslots - 1));
        struct xrm_stmt *s = slots[slot];
        if (!s) {
            *free_slot = slot;
            return NULL;
        }
        if (strcmp(s->sql, sql) == 0) {
            if (s->busy)
                return NULL;
            s->busy = true;
            return s;
        }
    }
    return NULL;
}

void xrm_stmt_cache_put(struct xrm_stmt **slots, int slot, struct xrm_stmt *s, const char *sql)
{
    s->sql = xrm_strdup(sql);
    s->cached = true;
    slots[slot] = s;
}

/* ---- database administration (xrm backup, restore, check, migrate) ---- */

enum xrm_rc xrm_store_pending(struct xrm_store *st, xrm_pending_fn fn, void *arg, int *n,
                              struct xrm_err *err)
{
    struct xrm_db *db = st->writer;
    /* a new database has no schema_migrations: everything is pending */
    bool have_table = has_migrations(db);
    *n = 0;
    for (int i = 0; i < xrm_migrations_sqlite_count; i++) {
        const struct xrm_migration *m = &xrm_migrations_sqlite[i];
        int64_t have = 0;
        if (have_table) {
            struct xrm_stmt *s =
                xrm_db_prepare(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", err);
            if (!s)
                return XRM_E_DB;
            xrm_stmt_bind_int(s, 1, m->version);
            int r = xrm_stmt_step(s, err);
            if (r == 1)
                have = xrm_stmt_int(s, 0);
            xrm_stmt_done(s);
            if (r < 0)
                return XRM_E_DB;
        }
        if (!have) {
            (*n)++;
            if (fn)
                fn(m->version, m->name, arg);
        }
    }
    return XRM_OK;
}

enum xrm_rc xrm_store_migrate(struct xrm_store *st, struct xrm_err *err)
{
    return st->drv->migrate(st->writer, err);
}

enum xrm_rc xrm_store_hold(struct xrm_store *st, struct xrm_err *err)
{
    if (!st->drv->hold || st->hold_fd >= 0)
        return XRM_OK;
    return st->drv->hold(st->target, &st->hold_fd, err);
}

enum xrm_rc xrm_store_backup(struct xrm_store *st, const char *file, struct xrm_err *err)
{
    struct xrm_db *db;
    enum xrm_rc rc = xrm_store_reader(st, &db, err);
    if (rc)
        return rc;
    if (!st->drv->backup)
        return xrm_errf(err, XRM_E_INTERNAL, "this engine cannot make backups");
    /* Never over an existing file, nor over the temporary file of a backup that stopped. */
    char tmp[4200];
    struct stat sb;
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp))
        return xrm_errf(err, XRM_E_INVALID, "file name too long: %s", file);
    if (lstat(file, &sb) == 0)
        return xrm_errf(err, XRM_E_CONFLICT, "'%s' exists already", file);
    if (lstat(tmp, &sb) == 0)
        return xrm_errf(err, XRM_E_CONFLICT, "'%s' exists already (left by a backup that stopped?)",
                        tmp);
    return st->drv->backup(db, st->target, file, tmp, err);
}

enum xrm_rc xrm_store_restore(const char *file, const char *target, bool force, struct xrm_err *err)
{
    if (strncmp(target, "sqlite:", 7) == 0)
        target += 7;
    const struct xrm_db_driver *drv = driver_for(target);
    if (!drv->restore)
        return xrm_errf(err, XRM_E_INTERNAL, "this engine cannot restore backups");
    return drv->restore(file, target, force, xrm_store_known_version(), err);
}

enum xrm_rc xrm_store_check_integrity(struct xrm_store *st, xrm_check_fn fn, void *arg,
                                      struct xrm_err *err)
{
    struct xrm_db *db;
    enum xrm_rc rc = xrm_store_reader(st, &db, err);
    if (rc)
        return rc;
    if (!st->drv->integrity) {
        fn("integrity", NULL, "skipped (PostgreSQL checks its own pages; pg_amcheck checks more)",
           arg);
        return XRM_OK;
    }
    return st->drv->integrity(db, fn, arg, err);
}
