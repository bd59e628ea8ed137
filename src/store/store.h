/*
 * The storage interface: the only way the rest of xrm reaches a database.
 *
 * Split at the SQL-driver level (prepare, bind, step, column, transaction)
 * so that every domain statement is written once, in portable SQL, for all
 * engines: positional '?' parameters, RETURNING, ON CONFLICT, LIMIT, integer
 * booleans, ISO-8601 text timestamps. What differs between engines (full-text
 * search, pragmas, migrations) lives in the driver.
 *
 * A struct xrm_store is the shared handle of one database. Readers get a
 * connection of their own thread from xrm_store_reader(); all writes go
 * through xrm_store_write(), which runs the caller's function inside a
 * transaction on the writer connection (grouping concurrent writes into one
 * commit), so that no two threads ever write at once.
 */
#ifndef XRM_STORE_STORE_H
#define XRM_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct xrm_store;
struct xrm_db;   /* one connection, used by one thread at a time */
struct xrm_stmt; /* a prepared statement of one connection */

/*
 * Opens the database named by target: a file path (SQLite; created when
 * missing; "sqlite:PATH" also) or a "postgres://" / "postgresql://" URL. Applies pending migrations
 * when migrate is true. The caller frees the store with xrm_store_free().
 */
enum xrm_rc xrm_store_open(const char *target, bool migrate, struct xrm_store **out,
                           struct xrm_err *err);
void xrm_store_free(struct xrm_store *st);

/* The calling thread's read connection, opened on first use; owned by st. */
enum xrm_rc xrm_store_reader(struct xrm_store *st, struct xrm_db **out, struct xrm_err *err);

/*
 * Gives the reader connection db a page cache of kb KiB (SQLite; engines
 * without one ignore it); cheap when it already has that size. A connection
 * starts with 4 MB; threads that run many reads (the HTTP server's I/O
 * threads) keep more of the indexes they walk in memory with more.
 */
void xrm_store_reader_cache(struct xrm_db *db, int kb);

/*
 * One read transaction for a whole request on a reader connection: every
 * statement until xrm_store_read_end() sees the same snapshot, and the
 * engine takes its read locks once instead of once per statement (SQLite;
 * a no-op for PostgreSQL). A write through xrm_store_write() from the same
 * thread ends it first, so the thread's later reads see that write.
 */
void xrm_store_read_begin(struct xrm_db *db);
void xrm_store_read_end(struct xrm_db *db);

/*
 * The database's data version: a number that changes whenever anything
 * (any connection, any process) has committed to it since the previous
 * call; equal numbers mean nothing was committed in between. Read it
 * before a read transaction starts, and everything it counts is in that
 * transaction's snapshot. Answered on a connection of its own that never
 * writes (one at a time). False where the engine cannot tell (PostgreSQL:
 * other nodes write too) or on an error; then nothing may be concluded.
 */
bool xrm_store_data_version(struct xrm_store *st, uint64_t *out);

/*
 * Runs fn(db, arg, err) inside a write transaction. When fn returns XRM_OK
 * the work is committed (durably: the commit is on disk) before this
 * returns; otherwise it is rolled back, nothing of it remains, and fn's rc
 * and err are returned. Several concurrent callers may share one commit;
 * each caller's work is isolated in a savepoint, so one caller's failure
 * never undoes another's.
 */
typedef enum xrm_rc (*xrm_write_fn)(struct xrm_db *db, void *arg, struct xrm_err *err);
enum xrm_rc xrm_store_write(struct xrm_store *st, xrm_write_fn fn, void *arg, struct xrm_err *err);

/*
 * As xrm_store_write(), for one large write (a bulk import request): it
 * gets a transaction of its own, shared with no other caller, and runs
 * without a savepoint, since a failure rolls back the whole transaction,
 * which holds nothing else. A savepoint over thousands of inserts makes
 * SQLite keep the original of every page the write changes in its
 * statement journal (in memory), hundreds of MB for a 2,000-party request
 * on a large database.
 */
enum xrm_rc xrm_store_write_alone(struct xrm_store *st, xrm_write_fn fn, void *arg,
                                  struct xrm_err *err);

/*
 * Read replica (a PostgreSQL streaming replica of the store's database).
 * Once set, xrm_store_reader_for() may give a read-only request the calling
 * thread's connection to the replica instead of reader (its primary
 * reader) for a signed-in user (user > 0): never within window_s seconds
 * after that user's own write through this store (xrm_store_note_write),
 * and only when the replica has replayed everything the primary had
 * committed when the request started, so that no user ever reads older
 * data than they saw or wrote. Otherwise, and whenever the replica fails,
 * it returns reader.
 */
enum xrm_rc xrm_store_set_replica(struct xrm_store *st, const char *target, int window_s,
                                  struct xrm_err *err);
struct xrm_db *xrm_store_reader_for(struct xrm_store *st, struct xrm_db *reader, int64_t user,
                                    bool read_only);
void xrm_store_note_write(struct xrm_store *st, int64_t user);
/* Reads sent to the primary and to the replica so far; false without a replica. */
bool xrm_store_read_stats(struct xrm_store *st, int64_t *primary, int64_t *replica);
/*
 * Operations (GET /healthz): the replica's state, "ok", "behind" (not caught
 * up within a few ms) or "down" (no connection), on a connection of its
 * own; NULL without a replica. xrm_store_disk: the free and total bytes of
 * the filesystem of a SQLite database file; false on PostgreSQL.
 */
const char *xrm_store_replica_state(struct xrm_store *st);
bool xrm_store_disk(struct xrm_store *st, uint64_t *free_bytes, uint64_t *size_bytes);
/* The bytes of a SQLite database file and its -wal file; false on PostgreSQL. */
bool xrm_store_file_bytes(struct xrm_store *st, uint64_t *bytes);
/*
 * True while the disk or database is full: from a write that failed with
 * XRM_E_FULL until a later batch of writes commits without one (health).
 */
bool xrm_store_full(struct xrm_store *st);

/*
 * Health: the calling thread's reader connection answers a trivial query.
 * The error says why not.
 */
enum xrm_rc xrm_store_ping(struct xrm_store *st, struct xrm_err *err);

/* Name of the engine: "sqlite" or "postgresql". */
const char *xrm_store_engine(const struct xrm_store *st);

/* Current schema version (highest applied migration). */
int xrm_store_schema_version(struct xrm_store *st);

/*
 * Prepares sql on db. Statements are cached per connection by their text,
 * so preparing the same text again is cheap. The statement is released with
 * xrm_stmt_done(), which resets it for reuse; never free it otherwise.
 * Returns NULL with err set on a syntax error (a bug) or database failure.
 */
struct xrm_stmt *xrm_db_prepare(struct xrm_db *db, const char *sql, struct xrm_err *err);
void xrm_stmt_done(struct xrm_stmt *s);

/* Binding: idx counts from 1 like the '?' in the text. Text is copied. */
void xrm_stmt_bind_int(struct xrm_stmt *s, int idx, int64_t v);
void xrm_stmt_bind_text(struct xrm_stmt *s, int idx, const char *v); /* NULL binds NULL */
void xrm_stmt_bind_textn(struct xrm_stmt *s, int idx, const char *v, size_t n);
void xrm_stmt_bind_null(struct xrm_stmt *s, int idx);
/*
 * As xrm_stmt_bind_text (NULL binds NULL), but the engine may keep the
 * pointer instead of a copy: v must stay as it is until xrm_stmt_done. For
 * the bulk insert paths, which bind and step many short strings that live
 * longer than the statement.
 */
void xrm_stmt_bind_text_static(struct xrm_stmt *s, int idx, const char *v);
void xrm_stmt_bind_double(struct xrm_stmt *s, int idx, double v);
/* Bytes for a BLOB column (BYTEA on PostgreSQL); copied. */
void xrm_stmt_bind_blob(struct xrm_stmt *s, int idx, const void *v, size_t n);

/*
 * Steps s: returns 1 when a row is ready, 0 when done, -1 on error (err set;
 * XRM_E_CONFLICT for a unique or foreign-key violation, else XRM_E_DB).
 */
int xrm_stmt_step(struct xrm_stmt *s, struct xrm_err *err);

/* Columns count from 0. Text is valid until the next step or done. */
int64_t xrm_stmt_int(struct xrm_stmt *s, int col);
double xrm_stmt_double(struct xrm_stmt *s, int col);
const char *xrm_stmt_text(struct xrm_stmt *s, int col); /* NULL for SQL NULL */
bool xrm_stmt_is_null(struct xrm_stmt *s, int col);
/*
 * The bytes of a BLOB (BYTEA) column as a malloc'd copy the caller frees,
 * *len their count; NULL with *len 0 for SQL NULL.
 */
void *xrm_stmt_blob(struct xrm_stmt *s, int col, size_t *len);

/* Runs sql (no parameters, no rows) to completion. */
enum xrm_rc xrm_db_exec(struct xrm_db *db, const char *sql, struct xrm_err *err);

/* Runs a parameterless statement and returns its first column of the first row. */
enum xrm_rc xrm_db_scalar_int(struct xrm_db *db, const char *sql, int64_t *out,
                              struct xrm_err *err);

/* Transactions on a connection (used by xrm_store_write and by tools). */
enum xrm_rc xrm_db_begin(struct xrm_db *db, struct xrm_err *err);
enum xrm_rc xrm_db_commit(struct xrm_db *db, struct xrm_err *err);
void xrm_db_rollback(struct xrm_db *db);

/*
 * Full-text search of parties, the engine-specific part of search.
 * xrm_db_search_set replaces the indexed text of a party (empty text
 * removes it). The other two give SQL pieces for a party query written by
 * the caller: a join clause on alias p that takes one parameter, bound to
 * the expression made by xrm_db_search_expr from lower-case prefix words
 * (matched as prefixes) and phrases (matched as phrases).
 */
enum xrm_rc xrm_db_search_set(struct xrm_db *db, int64_t party_id, const char *text,
                              struct xrm_err *err);
/*
 * As xrm_db_search_set for a party that has no indexed text yet (a new
 * party): nothing to remove first, so it is cheaper.
 */
enum xrm_rc xrm_db_search_add(struct xrm_db *db, int64_t party_id, const char *text,
                              struct xrm_err *err);
/* The join also exposes party_fts.rowid (= p.id): order and page by it, so
 * the index delivers matches in order and stops after one page. */
const char *xrm_db_search_join(struct xrm_db *db);
/* A condition on alias p with one parameter (an expression as above): not matching. */
const char *xrm_db_search_not(struct xrm_db *db);
char *xrm_db_search_expr(struct xrm_db *db, const char *const *words, size_t nwords,
                         const char *const *phrases, size_t nphrases); /* caller frees */
/*
 * Full-text search of records' text (table record_text, migration 13;
 * domain/party/fulltext-db.h). xrm_db_search_ids: a SELECT of the ids of
 * the parties whose own text matches, with one parameter (an expression
 * of xrm_db_search_expr). xrm_db_text_match: a condition on a record_text
 * row aliased rt, true when its text matches, with one such parameter.
 */
const char *xrm_db_search_ids(struct xrm_db *db);
const char *xrm_db_text_match(struct xrm_db *db);
/*
 * A search page that stops when it is full (domain/party/fulltext-db.h
 * xrm_fulltext_walk_open), where the engine gives a word's matches in
 * descending party order; NULL where it does not (PostgreSQL: its search
 * gathers a word's matches). xrm_db_stream_parties: a SELECT of the ids
 * of the parties whose own text matches ?1 (an expression of
 * xrm_db_search_expr) and whose id is below ?2, highest first.
 * xrm_db_stream_records: " FROM ... WHERE ..." of the record_text rows
 * (alias rt) whose text matches ?1 and whose party's id is at least ?2 and
 * below ?3, after the caller's "SELECT <columns of rt>" and before its
 * conditions on rt and xrm_db_stream_records_order: the rows come party
 * by party, highest first, newest first within a party.
 */
const char *xrm_db_stream_parties(struct xrm_db *db);
const char *xrm_db_stream_records(struct xrm_db *db);
const char *xrm_db_stream_records_order(struct xrm_db *db);

/*
 * Erasure (GDPR): deleted or overwritten personal data must not linger in
 * the engine's files. The engine zeroes the space of deleted content as it
 * goes (SQLite: secure_delete). xrm_db_scrub runs inside the write
 * transaction after the deletes and drops what the engine's own structures
 * keep of deleted rows (SQLite: merges the full-text index, so deleted
 * terms leave it). xrm_db_flush runs on a connection outside any
 * transaction after the commit and moves everything into the main file,
 * emptying the write-ahead log (SQLite: wal_checkpoint(TRUNCATE)).
 */
enum xrm_rc xrm_db_scrub(struct xrm_db *db, struct xrm_err *err);
enum xrm_rc xrm_db_flush(struct xrm_db *db, struct xrm_err *err);

/*
 * The schema as data, for copying a database between engines (catalog.c).
 * Tables come in foreign-key order (a table after those it references),
 * without engine internals and without schema_migrations. A search table
 * (party_fts) lists its key and text as "rowid", "body"; its rows are
 * written with xrm_db_search_set.
 */
enum xrm_col_kind { XRM_COL_TEXT, XRM_COL_INT, XRM_COL_REAL, XRM_COL_BLOB };

struct xrm_table {
    char *name;
    bool search;
    size_t ncols;
    char **cols;
    enum xrm_col_kind *kinds;
};
enum xrm_rc xrm_db_tables(struct xrm_db *db, struct xrm_table **out, size_t *n,
                          struct xrm_err *err);
void xrm_db_tables_free(struct xrm_table *t, size_t n);
/*
 * Reading every row of t (columns as in t->cols), inside a snapshot
 * transaction: xrm_db_scan_open gives the statement text to prepare and
 * step; when *paged, run it again and again until it gives no row (each
 * run gives the next rows). xrm_db_scan_close ends the scan. Caller frees
 * the text.
 */
char *xrm_db_scan_open(struct xrm_db *db, const struct xrm_table *t, bool *paged,
                       struct xrm_err *err);
void xrm_db_scan_close(struct xrm_db *db);
/* Starts a read-only transaction that sees one snapshot of the database. */
enum xrm_rc xrm_db_begin_snapshot(struct xrm_db *db, struct xrm_err *err);
/* After rows with explicit ids were written into t: new ids continue after them. */
enum xrm_rc xrm_db_ids_follow(struct xrm_db *db, const struct xrm_table *t, struct xrm_err *err);

/*
 * Documents: content-addressed blobs, keyed by the SHA-256 of their bytes
 * (64 lower-case hex digits; the caller computes it and checks it is that).
 * Where the bytes live is the engine's business:
 * - SQLite: a file <database file>.files/<sha[0..1]>/<sha256> next to the
 *   database, written to a temporary name in that folder, fsync'd and
 *   renamed (then the folder fsync'd), so a crash never leaves half a
 *   file under a hash's name. A database without a file (":memory:", a
 *   temporary database) has nowhere to keep them: XRM_E_INVALID
 *   "documents need a database file". *oid is 0.
 * - PostgreSQL: a large object (lo_creat/lo_open/lo_write) created inside
 *   the caller's write transaction, so it commits or rolls back with the
 *   rows; *oid is its oid, which the caller records (document_blobs.oid).
 * blob_put runs inside a write (xrm_store_write) on the writer's
 * connection and is idempotent for SQLite (the same bytes under the same
 * name); the caller puts a content only once per oid (PostgreSQL).
 * blob_get reads a content back on any connection (*data malloc'd, the
 * caller frees it; XRM_E_NOTFOUND when it is missing). blob_remove, inside
 * a write, removes it: PostgreSQL lo_unlink (transactional); SQLite
 * unlinks the file at once (a write that fails after it cannot bring the
 * file back: remove contents last, after the rows are gone). The caller
 * decides that no row uses the content any more.
 */
enum xrm_rc xrm_db_blob_put(struct xrm_db *db, const char *sha256, const void *data, size_t len,
                            int64_t *oid, struct xrm_err *err);
enum xrm_rc xrm_db_blob_get(struct xrm_db *db, const char *sha256, int64_t oid, void **data,
                            size_t *len, struct xrm_err *err);
enum xrm_rc xrm_db_blob_remove(struct xrm_db *db, const char *sha256, int64_t oid,
                               struct xrm_err *err);

/*
 * Database administration (xrm backup, restore, check, migrate; cli/dbadmin.c).
 *
 * xrm_store_open refuses a database whose schema version is higher than
 * xrm_store_known_version() (a newer xrm migrated it), before changing
 * anything: XRM_E_INVALID "the database's schema is version V, newer than
 * this xrm (K): upgrade xrm".
 */
int xrm_store_known_version(void);
/* The migrations not applied to st's database yet, in order: fn for each, *n their count. */
typedef void (*xrm_pending_fn)(int version, const char *name, void *arg);
enum xrm_rc xrm_store_pending(struct xrm_store *st, xrm_pending_fn fn, void *arg, int *n,
                              struct xrm_err *err);
/* Applies the pending migrations (of a store opened without migrating). */
enum xrm_rc xrm_store_migrate(struct xrm_store *st, struct xrm_err *err);
/*
 * For xrm serve: holds a shared lock (flock LOCK_SH) on the database file
 * until xrm_store_free, so that xrm restore (LOCK_EX) sees the database in
 * use. Fails when the file is locked exclusively (a restore is running).
 * Nothing for PostgreSQL (restore looks at the server's sessions there).
 */
enum xrm_rc xrm_store_hold(struct xrm_store *st, struct xrm_err *err);
/*
 * Writes a consistent snapshot of st's database to file, which must not
 * exist: SQLite through the online backup API into file.tmp, fsync'd and
 * then linked to file (never replacing one); PostgreSQL by running pg_dump
 * --format=custom (the password passed in its environment, never on its
 * command line).
 */
enum xrm_rc xrm_store_backup(struct xrm_store *st, const char *file, struct xrm_err *err);
/*
 * Puts the backup file in place of the database target (no store open on
 * it). SQLite: file must be an intact xrm database of a known schema
 * version; target must not be in use (xrm_store_hold) and may exist only
 * with force; written to target.tmp, fsync'd, renamed, the old log removed.
 * PostgreSQL: target must exist, hold no tables and have no other sessions;
 * runs pg_restore --no-owner --exit-on-error.
 */
enum xrm_rc xrm_store_restore(const char *file, const char *target, bool force,
                              struct xrm_err *err);
/*
 * Checks for xrm check: fn(check, NULL, detail) for a check that passed
 * (detail may be NULL), fn(check, problem, NULL) for each problem found.
 * The rc is for a check that could not run.
 */
typedef void (*xrm_check_fn)(const char *check, const char *problem, const char *detail, void *arg);
/* The engine's own integrity check of its files (SQLite PRAGMA integrity_check). */
enum xrm_rc xrm_store_check_integrity(struct xrm_store *st, xrm_check_fn fn, void *arg,
                                      struct xrm_err *err);
/* Rows whose foreign key names a missing row, for every foreign key (catalog.c). */
enum xrm_rc xrm_db_check_foreign_keys(struct xrm_db *db, xrm_check_fn fn, void *arg,
                                      struct xrm_err *err);

#endif
