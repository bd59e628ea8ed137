/*
 * Subcommands of the xrm binary, one file each (git's builtin/ layout).
 * Each returns the process exit status: 0 success, 1 failure (one line on
 * stderr), 2 wrong usage.
 */
#ifndef XRM_CLI_CLI_H
#define XRM_CLI_CLI_H

#include "store/store.h"

#include <stdbool.h>
#include <stdio.h>

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* exports of parties (export.c) */
int cmd_export(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_automation(int argc, char **argv);
/* partners: evaluate the partner tiers into proposals */
int cmd_partners(int argc, char **argv);
/* billing: the overdue scan of invoices */
int cmd_invoices(int argc, char **argv);
/* duplicates: the scan of duplicate parties */
int cmd_duplicates(int argc, char **argv);
/* import jobs */
int cmd_import(int argc, char **argv);
/* mail received: deliver one message, poll the mailboxes */
int cmd_mail(int argc, char **argv);
/* database administration (dbadmin.c): backup, restore, check, migrate */
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
/* xrm serve: holds the database in use (xrm_store_hold); on failure frees *st, prints, returns 1 */
int cli_db_hold(struct xrm_store **st);

/* Opens the store at path, applies migrations and seeds built-in types. */
int cli_open(const char *path, struct xrm_store **out);

/* Prints "xrm: <msg>" to stderr and returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Command-line options, described once per subcommand in a table that both
 * the parser and --help read.
 */
struct cli_opt {
    const char *name;  /* long name without "--"; NULL ends a table */
    char short_name;   /* -x, or 0 for none */
    const char *value; /* the argument's name in the help ("PATH"), NULL for a flag */
    bool required;
    const char *help; /* one or more lines ('\n' between them) */
};

struct cli_cmd {
    const char *name;     /* "token" */
    const char *verb;     /* a word that must come first ("create"), or NULL */
    const char *synopsis; /* what follows "usage: xrm " */
    const char *about;    /* paragraph(s) between the usage line and the options */
    const struct cli_opt *opts;
    int min_operands, max_operands; /* words that are not options (user add NAME) */
};

/* The --db option of the subcommands on a database; help says what it must be. */
#define CLI_OPT_DB(help)                                                                           \
    {                                                                                              \
        "db", 'd', "PATH", true, help                                                              \
    }

#define CLI_MAX_OPTS 24
#define CLI_MAX_OPERANDS 4

/* What cli_parse found; values point into argv. */
struct cli_args {
    const struct cli_cmd *cmd;
    const char *val[CLI_MAX_OPTS]; /* per option of cmd->opts: its value, "" for a given flag */
    const char *operands[CLI_MAX_OPERANDS];
    int noperands;
};

/*
 * Parses argv (argv[0] the subcommand's name) against cmd: long options as
 * "--name VALUE" or "--name=VALUE", short ones as "-x VALUE", operands
 * anywhere, "--" ends the options. -h or --help anywhere prints the help
 * (from cmd) on stdout and returns 0. A wrong command line (unknown option,
 * missing value or required option, wrong verb or number of operands)
 * prints one line on stderr and returns 2. Returns -1 when the caller
 * should go on with out filled.
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out);

/*
 * The start of a subcommand on a database: parses argv against cmd
 * (cli_parse) and opens the store its --db option names (cli_open).
 * Returns -1 when the caller goes on, with args filled and *st open (the
 * caller frees it with xrm_store_free); else the exit status to return
 * (help printed, a wrong command line, a store that did not open).
 */
int cli_start(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *args,
              struct xrm_store **st);

/* The value of option name (a name in the table), or NULL when not given. */
const char *cli_arg(const struct cli_args *a, const char *name);

/* True when option name (a flag in the table) was given. */
bool cli_flag(const struct cli_args *a, const char *name);

/* Prints cmd's help on f. */
void cli_help(const struct cli_cmd *cmd, FILE *f);

#endif
