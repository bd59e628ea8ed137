/*
 * xrm copy: copy a whole database to another engine (SQLite to PostgreSQL,
 * or back), verified per table by a row count and a checksum.
 *
 * Both stores are migrated to this binary's schema first; the target must
 * hold no users and no parties (rows that migrations seeded are replaced
 * by the source's). The source is read in one snapshot, table by table in
 * foreign-key order; rows go into the target in one transaction with
 * multi-row INSERTs keeping every id, search rows through the target's
 * search hook, and id generators are moved past the copied ids. Before the
 * commit every table of the target is read back and its count and checksum
 * compared with the source's: a mismatch rolls everything back. The
 * checksum of a table is the sum (mod 2^64) of a 64-bit FNV-1a hash of each
 * row's values, so it does not depend on row order or engine.
 */
#include "cli/cli.h"
#include "domain/docs/document.h" /* documents: their contents */
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

#define BATCH_ROWS 200
#define MAX_PARAMS 30000

static const struct cli_opt opts[] = {
    {"from", 'f', "SOURCE", true, "the database to copy: sqlite:PATH, PATH or postgres://..."},
    {"to", 't', "TARGET", true, "the database to fill; it must hold no users or parties"},
    {"quiet", 'q', NULL, false, "no progress bar"},
    {0},
};

const struct cli_cmd copy_cmd = {
    .name = "copy",
    .synopsis = "copy --from SOURCE --to TARGET [--quiet]",
    .about = "Copies every row of the database SOURCE into TARGET, which must hold no users\n"
             "or parties yet; both are migrated to this version's schema first. A database is\n"
             "'sqlite:PATH' (or a plain path) or 'postgres://USER@HOST:PORT/DB'. The copy is\n"
             "one transaction: each table's row count and checksum are compared before the\n"
             "commit, and a mismatch leaves TARGET as it was. Stop the servers on SOURCE\n"
             "first. Prints one line per table; shows a progress bar on a terminal.\n",
    .opts = opts,
};

struct sum {
    int64_t rows;
    uint64_t checksum;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

/* Hashes the current row of s (columns first..first+ncols) into sum. */
static void add_row(struct sum *sum, struct xrm_stmt *s, const struct xrm_table *t)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t c = 0; c < t->ncols; c++) {
        char num[40];
        const char *v;
        if (xrm_stmt_is_null(s, (int)c)) {
            h = fnv(h, "\0N", 2);
            continue;
        }
        if (t->kinds[c] == XRM_COL_INT) {
            snprintf(num, sizeof(num), "%lld", (long long)xrm_stmt_int(s, (int)c));
            v = num;
        } else if (t->kinds[c] == XRM_COL_REAL) {
            snprintf(num, sizeof(num), "%.17g", xrm_stmt_double(s, (int)c));
            v = num;
        } else if (t->kinds[c] == XRM_COL_BLOB) {
            size_t n = 0;
            void *bytes = xrm_stmt_blob(s, (int)c, &n);
            h = fnv(h, "\2", 1);
            h = fnv(h, bytes, n);
            free(bytes);
            continue;
        } else {
            v = xrm_stmt_text(s, (int)c);
        }
        h = fnv(h, "\1", 1);
        h = fnv(h, v, strlen(v) + 1);
    }
    sum->rows++;
    sum->checksum += h;
}

struct progress {
    bool tty, quiet;
    int64_t done, total;
    int64_t last_ns;
    const char *table;
};

static void show(struct progress *p, bool force)
{
    if (!p->tty || p->quiet)
        return;
    int64_t now = xrm_mono_ns();
    if (!force && now - p->last_ns < 100000000)
        return;
    p->last_ns = now;
    int width = 30;
    int fill = p->total ? (int)(p->done * width / p->total) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %lld/%lld rows  %-24.24s", bar,
            p->total ? (int)(p->done * 100 / p->total) : 100, (long long)p->done,
            (long long)p->total, p->table);
    fflush(stderr);
}

/* Buffered rows of one table, written as multi-row INSERTs. */
struct batch {
    const struct xrm_table *t;
    struct xrm_db *db;
    size_t rows;
    char **vals;   /* rows * ncols, NULL for NULL */
    int64_t *ints; /* search rows: the rowid */
    size_t per_batch;
};

/* A batch keeps values as text: a BLOB column's bytes as hex (party photos). */
static char *blob_hex(struct xrm_stmt *s, int col)
{
    size_t n = 0;
    unsigned char *bytes = xrm_stmt_blob(s, col, &n);
    char *hex = xrm_malloc(2 * n + 1);
    xrm_hex(bytes, n, hex);
    free(bytes);
    return hex;
}

static void bind_hex(struct xrm_stmt *s, int idx, const char *hex)
{
    size_t n = strlen(hex) / 2, len = 0;
    unsigned char *bytes = xrm_malloc(n + 1);
    if (sodium_hex2bin(bytes, n + 1, hex, strlen(hex), NULL, &len, NULL) != 0)
        XRM_BUG("a blob's hex text does not decode");
    xrm_stmt_bind_blob(s, idx, bytes, len);
    free(bytes);
}

static enum xrm_rc flush(struct batch *b, struct xrm_err *err)
{
    const struct xrm_table *t = b->t;
    enum xrm_rc rc = XRM_OK;
    if (!b->rows)
        return XRM_OK;
    if (t->search) {
        for (size_t r = 0; r < b->rows && !rc; r++)
            rc = xrm_db_search_set(b->db, b->ints[r], b->vals[r * 2 + 1], err);
        goto out;
    }
    struct xrm_buf sql;
    xrm_buf_init(&sql, 256);
    xrm_buf_addf(&sql, "INSERT INTO \"%s\" (", t->name);
    for (size_t c = 0; c < t->ncols; c++)
        xrm_buf_addf(&sql, "%s\"%s\"", c ? ", " : "", t->cols[c]);
    xrm_buf_adds(&sql, ") VALUES ");
    for (size_t r = 0; r < b->rows; r++) {
        xrm_buf_adds(&sql, r ? ", (" : "(");
        for (size_t c = 0; c < t->ncols; c++)
            xrm_buf_adds(&sql, c ? ", ?" : "?");
        xrm_buf_addc(&sql, ')');
    }
    struct xrm_stmt *s = xrm_db_prepare(b->db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s) {
        rc = err->rc ? err->rc : XRM_E_DB;
        goto out;
    }
    int idx = 1;
    for (size_t r = 0; r < b->rows; r++)
        for (size_t c = 0; c < t->ncols; c++, idx++) {
            const char *v = b->vals[r * t->ncols + c];
            if (!v)
                xrm_stmt_bind_null(s, idx);
            else if (t->kinds[c] == XRM_COL_INT)
                xrm_stmt_bind_int(s, idx, strtoll(v, NULL, 10));
            else if (t->kinds[c] == XRM_COL_REAL)
                xrm_stmt_bind_double(s, idx, strtod(v, NULL));
            else if (t->kinds[c] == XRM_COL_BLOB)
                bind_hex(s, idx, v);
            else
                xrm_stmt_bind_text(s, idx, v);
        }
    if (xrm_stmt_step(s, err) < 0)
        rc = err->rc ? err->rc : XRM_E_DB;
    xrm_stmt_done(s);
out:
    for (size_t i = 0; i < b->rows * t->ncols; i++) {
        free(b->vals[i]);
        b->vals[i] = NULL;
    }
    b->rows = 0;
    return rc;
}

/* Keeps the current row of s in the batch, as text. */
static void keep_row(struct batch *b, struct xrm_stmt *s)
{
    const struct xrm_table *t = b->t;
    for (size_t c = 0; c < t->ncols; c++) {
        char num[40];
        const char *v = NULL;
        if (!xrm_stmt_is_null(s, (int)c)) {
            if (t->kinds[c] == XRM_COL_INT) {
                snprintf(num, sizeof(num), "%lld", (long long)xrm_stmt_int(s, (int)c));
                v = num;
            } else if (t->kinds[c] == XRM_COL_REAL) {
                snprintf(num, sizeof(num), "%.17g", xrm_stmt_double(s, (int)c));
                v = num;
            } else if (t->kinds[c] == XRM_COL_BLOB) {
                b->vals[b->rows * t->ncols + c] = blob_hex(s, (int)c);
                continue;
            } else {
                v = xrm_stmt_text(s, (int)c);
            }
        }
        b->vals[b->rows * t->ncols + c] = v ? xrm_strdup(v) : NULL;
    }
    if (t->search)
        b->ints[b->rows] = xrm_stmt_int(s, 0);
    b->rows++;
}

/*
 * Reads every row of t from db, adding it to sum; when into is set, also
 * writes it there. Reports progress.
 */
static enum xrm_rc scan(struct xrm_db *db, const struct xrm_table *t, struct sum *sum,
                        struct xrm_db *into, struct progress *pr, struct xrm_err *err)
{
    bool paged = false;
    enum xrm_rc rc = XRM_OK;
    char *sql = xrm_db_scan_open(db, t, &paged, err);
    struct batch b = {.t = t, .db = into};
    if (!sql)
        return err->rc ? err->rc : XRM_E_DB;
    if (into) {
        b.per_batch = t->search ? 1000 : BATCH_ROWS;
        if (!t->search && b.per_batch * t->ncols > MAX_PARAMS)
            b.per_batch = MAX_PARAMS / (t->ncols ? t->ncols : 1);
        b.vals = xrm_calloc(b.per_batch * t->ncols + 1, sizeof(char *));
        b.ints = xrm_calloc(b.per_batch + 1, sizeof(int64_t));
    }
    for (;;) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
        if (!s) {
            rc = err->rc ? err->rc : XRM_E_DB;
            break;
        }
        int r, got = 0;
        while ((r = xrm_stmt_step(s, err)) == 1) {
            got++;
            add_row(sum, s, t);
            if (into) {
                keep_row(&b, s);
                if (b.rows == b.per_batch && (rc = flush(&b, err)))
                    break;
            }
            if (pr) {
                pr->done++;
                show(pr, false);
            }
        }
        xrm_stmt_done(s);
        if (r < 0 && !rc)
            rc = err->rc ? err->rc : XRM_E_DB;
        if (rc || !paged || got == 0)
            break;
    }
    if (!rc && into)
        rc = flush(&b, err);
    xrm_db_scan_close(db);
    free(sql);
    free(b.vals);
    free(b.ints);
    return rc;
}

static int64_t count_rows(struct xrm_db *db, const struct xrm_table *t, struct xrm_err *err)
{
    char sql[200];
    int64_t n = -1;
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\"", t->name);
    if (xrm_db_scalar_int(db, sql, &n, err))
        return -1;
    return n;
}

static bool same_columns(const struct xrm_table *a, const struct xrm_table *b)
{
    if (a->ncols != b->ncols)
        return false;
    for (size_t c = 0; c < a->ncols; c++)
        if (strcmp(a->cols[c], b->cols[c]) != 0)
            return false;
    return true;
}

static int copy(const char *from, const char *to, bool quiet)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_store *src = NULL, *dst = NULL;
    struct xrm_db *sdb, *ddb;
    struct xrm_table *st = NULL, *dt = NULL;
    size_t ns = 0, nd = 0;
    struct sum *sums = NULL;
    bool in_tx = false, snap = false;
    int rc = 1;

    if (xrm_store_open(from, true, &src, &err)) {
        cli_fail("source: %s", err.message);
        goto out;
    }
    if (xrm_store_open(to, true, &dst, &err)) {
        cli_fail("target: %s", err.message);
        goto out;
    }
    if (xrm_store_schema_version(src) != xrm_store_schema_version(dst)) {
        cli_fail("source schema version %d differs from the target's %d",
                 xrm_store_schema_version(src), xrm_store_schema_version(dst));
        goto out;
    }
    if (xrm_store_reader(src, &sdb, &err) || xrm_store_reader(dst, &ddb, &err) ||
        xrm_db_begin_snapshot(sdb, &err)) {
        cli_fail("%s", err.message);
        goto out;
    }
    snap = true;
    if (xrm_db_tables(sdb, &st, &ns, &err) || xrm_db_tables(ddb, &dt, &nd, &err)) {
        cli_fail("cannot read the schema: %s", err.message);
        goto out;
    }
    /* Match the tables; the target must be empty. */
    struct progress pr = {.tty = isatty(2) == 1, .quiet = quiet, .table = ""};
    const struct xrm_table **match = xrm_calloc(ns + 1, sizeof(*match));
    for (size_t i = 0; i < ns; i++) {
        for (size_t j = 0; j < nd; j++)
            if (strcmp(st[i].name, dt[j].name) == 0)
                match[i] = &dt[j];
        if (!match[i] || !same_columns(&st[i], match[i])) {
            cli_fail("table '%s' has no counterpart with the same columns in the target",
                     st[i].name);
            free(match);
            goto out;
        }
        int64_t n = 0;
        if (strcmp(st[i].name, "users") == 0 || strcmp(st[i].name, "parties") == 0)
            n = count_rows(ddb, match[i], &err);
        if (n != 0) {
            cli_fail(n < 0 ? "%s" : "the target is in use: table '%s' has rows",
                     n < 0 ? err.message : st[i].name);
            free(match);
            goto out;
        }
        n = count_rows(sdb, &st[i], &err);
        if (n < 0) {
            cli_fail("%s", err.message);
            free(match);
            goto out;
        }
        pr.total += n;
    }
    /* Copy inside one write transaction of the target. */
    if (xrm_db_begin(ddb, &err)) {
        cli_fail("%s", err.message);
        free(match);
        goto out;
    }
    in_tx = true;
    /* Rows seeded by the target's migrations make way for the source's. */
    for (size_t i = ns; i-- > 0;) {
        char sql[200];
        snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", match[i]->name);
        if (xrm_db_exec(ddb, sql, &err)) {
            cli_fail("emptying '%s': %s", match[i]->name, err.message);
            free(match);
            goto out;
        }
    }
    sums = xrm_calloc(ns + 1, sizeof(*sums));
    for (size_t i = 0; i < ns; i++) {
        pr.table = st[i].name;
        if (scan(sdb, &st[i], &sums[i], ddb, &pr, &err) || xrm_db_ids_follow(ddb, match[i], &err)) {
            if (pr.tty && !quiet)
                fputc('\n', stderr);
            cli_fail("copying '%s': %s", st[i].name, err.message);
            free(match);
            goto out;
        }
    }
    show(&pr, true);
    if (pr.tty && !quiet)
        fputc('\n', stderr);
    /* Verify: read every table back from the target. */
    bool all_ok = true;
    if (!quiet)
        printf("%-28s %10s  %-16s  %s\n", "table", "rows", "checksum", "target");
    for (size_t i = 0; i < ns; i++) {
        struct sum back = {0};
        if (scan(ddb, match[i], &back, NULL, NULL, &err)) {
            cli_fail("verifying '%s': %s", st[i].name, err.message);
            free(match);
            goto out;
        }
        bool ok = back.rows == sums[i].rows && back.checksum == sums[i].checksum;
        all_ok = all_ok && ok;
        if (!quiet || !ok)
            printf("%-28s %10lld  %016llx  %s\n", st[i].name, (long long)sums[i].rows,
                   (unsigned long long)sums[i].checksum, ok ? "ok" : "MISMATCH");
        if (!ok)
            printf("  target has %lld rows, checksum %016llx\n", (long long)back.rows,
                   (unsigned long long)back.checksum);
    }
    free(match);
    if (!all_ok) {
        cli_fail("the copy does not match the source; nothing was written to the target");
        goto out;
    }
    /* documents on records: their contents (files or large objects) follow their rows, after
     * the check (a large object gets a new oid in the target) */
    int64_t contents = 0;
    if (xrm_document_copy_contents(sdb, ddb, &contents, &err)) {
        cli_fail("copying the documents' contents: %s", err.message);
        goto out;
    }
    if (!quiet && contents)
        printf("copied %lld document contents\n", (long long)contents);
    if (xrm_db_commit(ddb, &err)) {
        cli_fail("commit: %s", err.message);
        goto out;
    }
    in_tx = false;
    if (!quiet)
        printf("copied %lld rows in %zu tables\n", (long long)pr.total, ns);
    rc = 0;
out:
    if (in_tx)
        xrm_db_rollback(ddb);
    if (snap)
        xrm_db_rollback(sdb);
    free(sums);
    xrm_db_tables_free(st, ns);
    xrm_db_tables_free(dt, nd);
    xrm_store_free(dst);
    xrm_store_free(src);
    return rc;
}

int cmd_copy(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&copy_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *from = cli_arg(&args, "from"), *to = cli_arg(&args, "to");
    if (strcmp(from, to) == 0)
        return cli_fail("--from and --to name the same database");
    return copy(from, to, cli_flag(&args, "quiet"));
}
