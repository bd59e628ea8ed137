/*
 * Database administration: xrm backup, restore, check and migrate, and the
 * lock xrm serve holds on a SQLite database while it runs (cli_db_hold).
 *
 * These commands open the database without migrating it (a backup or a
 * check must not change what it reads), and never create a SQLite file
 * that is not there. The work is in the store (store.h: backup, restore,
 * integrity, foreign keys, pending migrations) and, for the search index,
 * in the party module, which knows the text it indexes.
 */
#include "cli/cli.h"
#include "domain/party/party.h"   /* the search index check */
#include "domain/docs/document.h" /* the documents check */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

/* A SQLite path (not a PostgreSQL URL), without its "sqlite:" prefix; NULL for a URL. */
static const char *sqlite_path(const char *db)
{
    if (strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0)
        return NULL;
    return strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
}

/* Opens an existing database without migrating it; prints why not and returns 1. */
static int open_existing(const char *db, struct xrm_store **st)
{
    const char *path = sqlite_path(db);
    struct stat sb;
    if (path && stat(path, &sb) != 0)
        return cli_fail("no database at '%s' (create one with xrm init)", path);
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_open(db, false, st, &err)) {
        *st = NULL;
        return cli_fail("%s", err.message);
    }
    return 0;
}

int cli_db_hold(struct xrm_store **st)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (!xrm_store_hold(*st, &err))
        return 0;
    xrm_store_free(*st);
    *st = NULL;
    return cli_fail("%s", err.message);
}

/* ---- xrm backup ---- */

static const struct cli_opt backup_opts[] = {
    CLI_OPT_DB("the database to back up: a SQLite file or a postgres:// URL"),
    {0},
};

const struct cli_cmd backup_cmd = {
    .name = "backup",
    .synopsis = "backup --db DB FILE",
    .about = "Writes a consistent snapshot of the database DB to FILE, which must not exist,\n"
             "while xrm serve keeps running. SQLite: the online backup API, written to\n"
             "FILE.tmp and then put in place; restore it with xrm restore. PostgreSQL: runs\n"
             "pg_dump --format=custom (the password from the URL goes in its environment);\n"
             "restore it with xrm restore into a new database (createdb). The contents of\n"
             "documents of a SQLite database (DB.files/ beside it) go to FILE.files/, as the\n"
             "snapshot lists them; xrm restore puts them back. On PostgreSQL they are large\n"
             "objects inside the dump.\n",
    .opts = backup_opts,
    .min_operands = 1,
    .max_operands = 1,
};

int cmd_backup(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&backup_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db"), *file = args.operands[0];
    struct stat sb;
    if (lstat(file, &sb) == 0)
        return cli_fail("'%s' exists already: choose a new file name", file);
    struct xrm_store *st;
    if (open_existing(db, &st))
        return 1;
    int version = xrm_store_schema_version(st);
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_backup(st, file, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    xrm_store_free(st);
    long long bytes = stat(file, &sb) == 0 ? (long long)sb.st_size : 0;
    printf("backup: %s (%lld bytes, schema version %d)\n", file, bytes, version);
    char files[4200];
    if (snprintf(files, sizeof(files), "%s.files", file) < (int)sizeof(files) &&
        stat(files, &sb) == 0)
        printf("backup: documents' contents in %s\n", files);
    return 0;
}

/* ---- xrm restore ---- */

static const struct cli_opt restore_opts[] = {
    CLI_OPT_DB("the database to restore into: a SQLite file or a postgres:// URL"),
    {"force", 'f', NULL, false, "replace an existing SQLite database"},
    {0},
};

const struct cli_cmd restore_cmd = {
    .name = "restore",
    .synopsis = "restore FILE --db DB [--force]",
    .about = "Puts the backup FILE (of xrm backup) in place as the database DB.\n"
             "SQLite: FILE must be an intact xrm database this version knows; DB must not be\n"
             "in use (xrm serve stopped) and is replaced only with --force.\n"
             "PostgreSQL: DB must exist and be empty, with no other connections (create it\n"
             "with 'createdb -O USER NAME'); runs pg_restore --no-owner --exit-on-error.\n",
    .opts = restore_opts,
    .min_operands = 1,
    .max_operands = 1,
};

int cmd_restore(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&restore_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db"), *file = args.operands[0];
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_restore(file, db, cli_flag(&args, "force"), &err))
        return cli_fail("%s", err.message);
    /* read back: the restored database opens and says its version */
    struct xrm_store *st;
    if (open_existing(db, &st))
        return 1;
    printf("restored %s to %s (schema version %d)\n", file, db, xrm_store_schema_version(st));
    xrm_store_free(st);
    return 0;
}

/* ---- xrm check ---- */

static const struct cli_opt check_opts[] = {
    CLI_OPT_DB("the database to check: a SQLite file or a postgres:// URL"),
    {0},
};

const struct cli_cmd check_cmd = {
    .name = "check",
    .synopsis = "check --db DB",
    .about = "Checks the database DB without changing it: the engine's integrity check\n"
             "(SQLite), every foreign key (no row references a missing row), the search\n"
             "index against the parties (each has its row with the text it would have now,\n"
             "no row of a missing party), every document's content (there, and hashing to\n"
             "its name) and the schema version. Prints one line per check,\n"
             "'ok' or 'FAILED: ...'; exits 0 only when every check passed.\n",
    .opts = check_opts,
};

struct check_state {
    const char *name;
    char first[512];
    int problems;
    char detail[200];
    bool ran;
};

static void on_check(const char *check, const char *problem, const char *detail, void *arg)
{
    struct check_state *c = arg;
    c->ran = true;
    (void)check;
    if (problem) {
        if (!c->problems++)
            snprintf(c->first, sizeof(c->first), "%s", problem);
    } else if (detail) {
        snprintf(c->detail, sizeof(c->detail), "%s", detail);
    }
}

/* Prints the line of one check; returns 1 when it failed. */
static int report(struct check_state *c, enum xrm_rc rc, const struct xrm_err *err)
{
    if (rc) {
        printf("%s: FAILED: %s\n", c->name, err->message);
        return 1;
    }
    if (c->problems) {
        printf("%s: FAILED: %s", c->name, c->first);
        if (c->problems > 1)
            printf(" (and %d more)", c->problems - 1);
        printf("\n");
        return 1;
    }
    if (strncmp(c->detail, "skipped", 7) == 0)
        printf("%s: %s\n", c->name, c->detail); /* nothing to run on this engine */
    else if (*c->detail)
        printf("%s: ok (%s)\n", c->name, c->detail);
    else
        printf("%s: ok\n", c->name);
    return 0;
}

int cmd_check(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&check_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    struct xrm_store *st;
    if (open_existing(cli_arg(&args, "db"), &st))
        return 1;
    struct xrm_db *db;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_reader(st, &db, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    int failed = 0;
    enum xrm_rc rc;

    struct check_state c = {.name = "integrity"};
    rc = xrm_store_check_integrity(st, on_check, &c, &err);
    failed += report(&c, rc, &err);

    c = (struct check_state){.name = "foreign keys"};
    xrm_err_clear(&err);
    rc = xrm_db_check_foreign_keys(db, on_check, &c, &err);
    failed += report(&c, rc, &err);

    c = (struct check_state){.name = "search index"};
    xrm_err_clear(&err);
    struct xrm_search_check sc;
    rc = xrm_party_check_search(db, &sc, &err);
    if (!rc && (sc.missing || sc.stale || sc.orphans || sc.misplaced)) {
        c.problems = 1;
        snprintf(c.first, sizeof(c.first),
                 "%lld parties without their index row, %lld with other text, %lld rows of no "
                 "party, %lld record text rows out of their party's place",
                 (long long)sc.missing, (long long)sc.stale, (long long)sc.orphans,
                 (long long)sc.misplaced);
        if (sc.first) {
            size_t n = strlen(c.first);
            snprintf(c.first + n, sizeof(c.first) - n, " (first: party %lld)", (long long)sc.first);
        }
    } else if (!rc) {
        snprintf(c.detail, sizeof(c.detail), "%lld parties", (long long)sc.parties);
    }
    failed += report(&c, rc, &err);

    c = (struct check_state){.name = "documents"};
    xrm_err_clear(&err);
    int64_t ndocs = 0, baddocs = 0;
    rc = xrm_document_check_contents(db, &ndocs, &baddocs, c.first, sizeof(c.first), &err);
    if (!rc && baddocs) {
        c.problems = (int)baddocs;
    } else if (!rc) {
        snprintf(c.detail, sizeof(c.detail), "%lld contents", (long long)ndocs);
    }
    failed += report(&c, rc, &err);

    c = (struct check_state){.name = "schema version"};
    xrm_err_clear(&err);
    int pending = 0, version = xrm_store_schema_version(st);
    rc = xrm_store_pending(st, NULL, NULL, &pending, &err);
    if (!rc && pending) {
        c.problems = 1;
        snprintf(c.first, sizeof(c.first), "version %d, %d migrations pending (run xrm migrate)",
                 version, pending);
    } else if (!rc) {
        snprintf(c.detail, sizeof(c.detail), "%d", version);
    }
    failed += report(&c, rc, &err);

    xrm_store_free(st);
    return failed ? 1 : 0;
}

/* ---- xrm migrate ---- */

static const struct cli_opt migrate_opts[] = {
    CLI_OPT_DB("the database to migrate: a SQLite file or a postgres:// URL"),
    {"dry-run", 'n', NULL, false, "list the pending migrations, apply nothing"},
    {0},
};

const struct cli_cmd migrate_cmd = {
    .name = "migrate",
    .synopsis = "migrate --db DB [--dry-run]",
    .about = "Lists the migrations of the schema that the database DB has not had yet\n"
             "(number and name) and applies them, each in its own transaction, unless\n"
             "--dry-run. xrm serve applies them too when it starts; this command lets you\n"
             "see and run them first (after a backup).\n",
    .opts = migrate_opts,
};

static void print_pending(int version, const char *name, void *arg)
{
    (void)arg;
    printf("  %d %s\n", version, name);
}

int cmd_migrate(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&migrate_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    struct xrm_store *st;
    if (open_existing(cli_arg(&args, "db"), &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    int pending = 0;
    if (xrm_store_pending(st, NULL, NULL, &pending, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    if (!pending) {
        printf("schema version %d (up to date)\n", xrm_store_schema_version(st));
        xrm_store_free(st);
        return 0;
    }
    printf("%d pending migrations:\n", pending);
    xrm_store_pending(st, print_pending, NULL, &pending, &err);
    if (cli_flag(&args, "dry-run")) {
        printf("dry run: nothing applied (schema version %d)\n", xrm_store_schema_version(st));
        xrm_store_free(st);
        return 0;
    }
    int rc = 0;
    if (xrm_store_migrate(st, &err))
        rc = cli_fail("%s", err.message);
    else
        printf("schema version %d (%d migrations applied)\n", xrm_store_schema_version(st),
               pending);
    xrm_store_free(st);
    return rc;
}
