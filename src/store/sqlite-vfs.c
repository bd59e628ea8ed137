/*
 * One memory map of the database file for the whole process: a SQLite VFS
 * that wraps the default one ("unix") and answers xFetch, the page reads of
 * connections with mmap on (the readers), from a mapping shared by every
 * connection to the same file.
 *
 * Why: SQLite's own unix VFS maps the file once per connection, up to its
 * compile-time cap (2 GB in Debian's build), and drops the whole mapping
 * whenever the connection's next read transaction sees a new commit
 * (pagerBeginReadTransaction -> xUnfetch(0, NULL)). With 16 reader
 * connections the kernel faults each page in sixteen times, again after
 * every write, and at 1M parties (a 6 GB file) most pages are beyond the
 * cap and go through pread into each connection's own small cache. Here
 * the pages are faulted in once for the process and stay mapped across
 * commits; the pages beyond 2 GB are mapped too.
 *
 * Every other call goes to the wrapped VFS unchanged (files other than
 * main databases are opened by it directly, in our file's memory), so
 * locking, the WAL and its shared memory, and writes are SQLite's own.
 * SQLite's WAL protocol already guarantees that a page a reader takes from
 * the database file is not being rewritten by a checkpoint, mapped or not.
 *
 * The mapping reserves XRM_SQLITE_MMAP_MB of address space (the setting
 * the readers' PRAGMA mmap_size used; 65536 by default, 0 turns mapping
 * off) and hands out pages only below the file's size, read again with
 * fstat when a fetch goes past it and at every new snapshot. A file
 * larger than the reservation is read beyond it with pread. The mapping
 * and its descriptor live while a connection to the file is open: closing
 * a descriptor drops every POSIX lock the process holds on the file, so
 * ours is closed only after the last of those connections (all of them go
 * through this VFS, the process default) is closed.
 */
#include "store/store-private.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* One database file (device and inode) of the process. */
struct shared_map {
    dev_t dev;
    ino_t ino;
    int files;            /* open main-database files of this inode */
    int fd;               /* ours, for the mapping; -1 until the first fetch */
    _Atomic(char *) base; /* the reservation; NULL until the first fetch */
    size_t reserved;      /* bytes of address space mapped */
    atomic_size_t valid;  /* bytes of it within the file when last looked */
    bool failed;          /* the mapping could not be made: never again */
    char *path;           /* to open our descriptor */
    struct shared_map *next;
};

struct shim_file {
    sqlite3_file base;
    struct shared_map *map;
    sqlite3_file *real; /* the wrapped VFS's file, right after this struct */
};

static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shared_map *maps;
static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static size_t reserve_bytes;

#define REAL(f) (((struct shim_file *)(f))->real)

/* ---- the file methods: all forwarded but xFetch, xUnfetch, xClose ---- */

static int shim_close(sqlite3_file *f)
{
    struct shim_file *p = (struct shim_file *)f;
    int rc = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
    struct shared_map *m = p->map;
    if (!m)
        return rc;
    pthread_mutex_lock(&maps_lock);
    if (--m->files == 0) { /* the last connection to the file: its locks are gone */
        struct shared_map **pp = &maps;
        while (*pp != m)
            pp = &(*pp)->next;
        *pp = m->next;
        char *b = atomic_load(&m->base);
        if (b)
            munmap(b, m->reserved);
        if (m->fd >= 0)
            close(m->fd);
        free(m->path);
        free(m);
    }
    pthread_mutex_unlock(&maps_lock);
    p->map = NULL;
    return rc;
}

static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct shim_file *p = (struct shim_file *)f;
    int rc = p->real->pMethods->xTruncate(p->real, size);
    /* pages past the new end must not be handed out (they would fault) */
    if (rc == SQLITE_OK && p->map && atomic_load(&p->map->valid) > (size_t)size)
        atomic_store(&p->map->valid, (size_t)size);
    return rc;
}

static int shim_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int shim_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    if (op == SQLITE_FCNTL_MMAP_SIZE && ((struct shim_file *)f)->map) {
        /* the pager's mmap_size only switches fetching on (> 0) or off; the
         * wrapped VFS must not map the file a second time */
        sqlite3_int64 *v = arg;
        if (*v < 0)
            *v = (sqlite3_int64)reserve_bytes;
        return SQLITE_OK;
    }
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_device_characteristics(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, pp);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

/* Looks at the file's size again: the bytes of the reservation within it. */
static void refresh_valid(struct shared_map *m)
{
    struct stat st;
    if (m->fd >= 0 && fstat(m->fd, &st) == 0) {
        size_t size = st.st_size > 0 ? (size_t)st.st_size : 0;
        atomic_store(&m->valid, size < m->reserved ? size : m->reserved);
    }
}

/* Maps the file on the first fetch; false when it cannot (then never again). */
static bool map_ready(struct shared_map *m)
{
    if (atomic_load_explicit(&m->base, memory_order_acquire))
        return true;
    bool ok = false;
    pthread_mutex_lock(&maps_lock);
    if (atomic_load(&m->base)) {
        ok = true;
    } else if (!m->failed) {
        struct stat st;
        int fd = open(m->path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == m->dev && st.st_ino == m->ino) {
            void *b = mmap(NULL, m->reserved, PROT_READ, MAP_SHARED, fd, 0);
            if (b != MAP_FAILED) {
                m->fd = fd;
                refresh_valid(m);
                atomic_store_explicit(&m->base, (char *)b, memory_order_release);
                ok = true;
            }
        }
        if (!ok) {
            /* a descriptor of this inode may be closed only when the process holds
             * no lock on it: kept with the entry, closed with the last file */
            m->fd = fd;
            m->failed = true;
        }
    }
    pthread_mutex_unlock(&maps_lock);
    return ok;
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    struct shim_file *p = (struct shim_file *)f;
    struct shared_map *m = p->map;
    *pp = NULL;
    if (!m || off < 0 || n <= 0 || !map_ready(m))
        return SQLITE_OK; /* the pager reads the page with xRead */
    size_t end = (size_t)off + (size_t)n;
    if (end > m->reserved)
        return SQLITE_OK;
    if (end > atomic_load(&m->valid)) {
        refresh_valid(m); /* the file grew since (a checkpoint) */
        if (end > atomic_load(&m->valid))
            return SQLITE_OK;
    }
    *pp = atomic_load_explicit(&m->base, memory_order_relaxed) + off;
    return SQLITE_OK;
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *page)
{
    struct shim_file *p = (struct shim_file *)f;
    (void)off;
    /* NULL: the connection's next snapshot is newer; the file may have another
     * size. The mapping itself stays: the kernel keeps its pages current. */
    if (!page && p->map && atomic_load(&p->map->base))
        refresh_valid(p->map);
    return SQLITE_OK;
}

static const sqlite3_io_methods shim_methods = {
    .iVersion = 3,
    .xClose = shim_close,
    .xRead = shim_read,
    .xWrite = shim_write,
    .xTruncate = shim_truncate,
    .xSync = shim_sync,
    .xFileSize = shim_file_size,
    .xLock = shim_lock,
    .xUnlock = shim_unlock,
    .xCheckReservedLock = shim_check_lock,
    .xFileControl = shim_file_control,
    .xSectorSize = shim_sector_size,
    .xDeviceCharacteristics = shim_device_characteristics,
    .xShmMap = shim_shm_map,
    .xShmLock = shim_shm_lock,
    .xShmBarrier = shim_shm_barrier,
    .xShmUnmap = shim_shm_unmap,
    .xFetch = shim_fetch,
    .xUnfetch = shim_unfetch,
};

/* The entry of the file's inode, made if new; NULL when it cannot be told. */
static struct shared_map *map_for(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    pthread_mutex_lock(&maps_lock);
    struct shared_map *m = maps;
    while (m && (m->dev != st.st_dev || m->ino != st.st_ino))
        m = m->next;
    if (!m) {
        m = calloc(1, sizeof(*m));
        char *copy = strdup(path);
        if (!m || !copy) {
            free(m);
            free(copy);
            pthread_mutex_unlock(&maps_lock);
            return NULL;
        }
        m->dev = st.st_dev;
        m->ino = st.st_ino;
        m->fd = -1;
        m->reserved = reserve_bytes;
        m->path = copy;
        m->next = maps;
        maps = m;
    }
    m->files++;
    pthread_mutex_unlock(&maps_lock);
    return m;
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_MAIN_DB) || !name || !reserve_bytes)
        return real_vfs->xOpen(real_vfs, name, f, flags, out_flags); /* not ours at all */
    struct shim_file *p = (struct shim_file *)f;
    memset(p, 0, sizeof(*p));
    p->real = (sqlite3_file *)(p + 1);
    int rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (p->real->pMethods) /* SQLite calls xClose only on files it got */
            p->real->pMethods->xClose(p->real);
        p->base.pMethods = NULL;
        return rc;
    }
    p->map = map_for(name); /* the file exists now */
    p->base.pMethods = &shim_methods;
    return SQLITE_OK;
}

void xrm_sqlite_vfs_install(size_t reserve)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return;
    reserve_bytes = reserve;
    shim_vfs = *real_vfs;
    shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
    shim_vfs.zName = "xrm-shared-mmap";
    shim_vfs.xOpen = shim_open;
    shim_vfs.pNext = NULL;
    sqlite3_vfs_register(&shim_vfs, 1);
}
