/*
 * The driver interface behind store.h: a static table of function pointers
 * per engine (as Dovecot's sql-api-private.h). Only store.c and the drivers
 * include this file.
 */
#ifndef XRM_STORE_PRIVATE_H
#define XRM_STORE_PRIVATE_H

#include "store/store.h"

#include <stddef.h>

/*
 * SQLite: makes the process's default VFS one that serves the pages of
 * connections with mmap on from one mapping of reserve bytes per database
 * file, shared by all of them (sqlite-vfs.c); 0 leaves SQLite's own. Once,
 * before the first connection is opened.
 */
void xrm_sqlite_vfs_install(size_t reserve);

struct xrm_db_driver {
    const char *name;
    /* Opens one connection to target. */
    enum xrm_rc (*open)(const char *target, struct xrm_db **out, struct xrm_err *err);
    void (*close)(struct xrm_db *db);
    enum xrm_rc (*migrate)(struct xrm_db *db, struct xrm_err *err);
    struct xrm_stmt *(*prepare)(struct xrm_db *db, const char *sql, struct xrm_err *err);
    void (*done)(struct xrm_stmt *s);
    void (*bind_int)(struct xrm_stmt *s, int idx, int64_t v);
    void (*bind_textn)(struct xrm_stmt *s, int idx, const char *v, size_t n);
    /* may keep v until done; NULL: bind_textn */
    void (*bind_text_static)(struct xrm_stmt *s, int idx, const char *v, size_t n);
    void (*bind_null)(struct xrm_stmt *s, int idx);
    void (*bind_double)(struct xrm_stmt *s, int idx, double v);
    void (*bind_blob)(struct xrm_stmt *s, int idx, const void *v, size_t n);
    int (*step)(struct xrm_stmt *s, struct xrm_err *err);
    int64_t (*col_int)(struct xrm_stmt *s, int col);
    double (*col_double)(struct xrm_stmt *s, int col);
    const char *(*col_text)(struct xrm_stmt *s, int col);
    bool (*col_is_null)(struct xrm_stmt *s, int col);
    void *(*col_blob)(struct xrm_stmt *s, int col, size_t *len); /* malloc'd copy */
    enum xrm_rc (*exec)(struct xrm_db *db, const char *sql, struct xrm_err *err);
    enum xrm_rc (*begin)(struct xrm_db *db, struct xrm_err *err);
    /* A read transaction for one request (xrm_store_read_begin); NULL where
     * the engine gains nothing from it. */
    bool (*read_begin)(struct xrm_db *db);
    void (*read_end)(struct xrm_db *db);
    /* Makes db the store's writer (more cache: inserts walk every index); may be NULL. */
    void (*as_writer)(struct xrm_db *db);
    /* Sets up a new reader connection (xrm_store_reader: memory-mapped reads); may be NULL. */
    void (*as_reader)(struct xrm_db *db);
    /* Sets db's page cache to kb KiB (xrm_store_reader_cache); NULL where there is none. */
    void (*cache_kb)(struct xrm_db *db, int kb);
    /* xrm_store_data_version; NULL where the engine cannot tell. */
    bool (*data_version)(struct xrm_db *db, uint64_t *out);
    enum xrm_rc (*search_set)(struct xrm_db *db, int64_t id, const char *text, struct xrm_err *err);
    /* Optional: the text of a party that has none yet (else search_set). */
    enum xrm_rc (*search_add)(struct xrm_db *db, int64_t id, const char *text, struct xrm_err *err);
    const char *search_join;
    const char *search_not;
    /* Full-text search of records' text (store.h xrm_db_search_ids / xrm_db_text_match). */
    const char *search_ids;
    const char *text_match;
    /* Optional: a word's matches in descending party order (store.h xrm_db_stream_parties). */
    const char *stream_parties;
    const char *stream_records;
    const char *stream_records_order;
    char *(*search_expr)(const char *const *words, size_t nwords, const char *const *phrases,
                         size_t nphrases);
    /* Erasure (store.h xrm_db_scrub / xrm_db_flush); NULL when the engine needs nothing. */
    enum xrm_rc (*scrub)(struct xrm_db *db, struct xrm_err *err);
    enum xrm_rc (*flush)(struct xrm_db *db, struct xrm_err *err);
    /* Replication (NULL where the engine has none): the WAL position a
     * primary has durably committed, or a replica has replayed (an error
     * when that server is not a replica). */
    /* Documents' contents (store.h xrm_db_blob_put/_get/_remove). */
    enum xrm_rc (*blob_put)(struct xrm_db *db, const char *sha256, const void *data, size_t len,
                            int64_t *oid, struct xrm_err *err);
    enum xrm_rc (*blob_get)(struct xrm_db *db, const char *sha256, int64_t oid, void **data,
                            size_t *len, struct xrm_err *err);
    enum xrm_rc (*blob_remove)(struct xrm_db *db, const char *sha256, int64_t oid,
                               struct xrm_err *err);
    enum xrm_rc (*wal_position)(struct xrm_db *db, bool replica, int64_t *pos, struct xrm_err *err);
    /* Database administration (store.h xrm_store_hold/_backup/_restore/_check_integrity);
     * NULL where the engine has nothing to do. */
    enum xrm_rc (*hold)(const char *target, int *fd, struct xrm_err *err);
    /* writes the backup to tmp (FILE.tmp, checked absent like FILE by xrm_store_backup),
     * then puts it in place as file without replacing one */
    enum xrm_rc (*backup)(struct xrm_db *db, const char *target, const char *file, const char *tmp,
                          struct xrm_err *err);
    enum xrm_rc (*restore)(const char *file, const char *target, bool force, int known_version,
                           struct xrm_err *err);
    enum xrm_rc (*integrity)(struct xrm_db *db, xrm_check_fn fn, void *arg, struct xrm_err *err);
};

/* Every connection starts with this header so store.c can dispatch. */
struct xrm_db {
    const struct xrm_db_driver *drv;
    bool in_read; /* a read transaction of xrm_store_read_begin is open */
    int cache_kb; /* set by xrm_store_reader_cache; 0: the driver's default */
};

/*
 * Every statement starts with this header. A connection keeps the
 * statements it prepared in a cache keyed by the caller's SQL text: an
 * array of slots (a power of two), open addressing on the text's hash.
 */
struct xrm_stmt {
    struct xrm_db *db;
    char *sql;   /* the caller's text: the cache key (cached statements only) */
    bool cached; /* in its connection's cache: done() resets it instead of freeing it */
    bool busy;   /* handed out and not done yet */
};

/*
 * The cached statement of sql among slots[nslots], marked busy; or NULL
 * when there is none or it is busy (a nested use of the same text: the
 * caller makes a private one). On NULL, *free_slot is the empty slot where
 * a new statement of sql may be kept (xrm_stmt_cache_put), or -1.
 */
struct xrm_stmt *xrm_stmt_cache_get(struct xrm_stmt **slots, size_t nslots, const char *sql,
                                    int *free_slot);

/* Keeps s (busy, of text sql, copied) in slots[slot], a free slot of xrm_stmt_cache_get. */
void xrm_stmt_cache_put(struct xrm_stmt **slots, int slot, struct xrm_stmt *s, const char *sql);

extern const struct xrm_db_driver xrm_driver_sqlite;
extern const struct xrm_db_driver xrm_driver_pg;

#endif
