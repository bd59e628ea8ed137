/*
 * Subcommands of the xrm binary, one file each (git's builtin/ layout).
 * Each returns the process exit status: 0 success, 1 failure (one line on
 * stderr), 2 wrong usage.
 */
#ifndef XRM_CLI_CLI_H
#define XRM_CLI_CLI_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>
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
 * the parser and --help read. Tables leave out env_alias where there is
 * none, which -Wextra would report for every line of every table.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct cli_opt {
    const char *name;  /* long name without "--"; NULL ends a table */
    char short_name;   /* -x, or 0 for none */
    const char *value; /* the argument's name in the help ("PATH"), NULL for a flag */
    bool required;
    const char *help;      /* one or more lines ('\n' between them) */
    const char *env_alias; /* an older environment name besides XRM_<NAME>, or NULL */
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

/* Where an option's value came from (xrm config check prints it). */
enum cli_source { CLI_SRC_NONE, CLI_SRC_ARGV, CLI_SRC_ENV, CLI_SRC_FILE, CLI_SRC_DEFAULT };

/*
 * What cli_parse found; values point into argv, the environment or the
 * config file's text (kept for the life of the process).
 */
struct cli_args {
    const struct cli_cmd *cmd;
    const char *val[CLI_MAX_OPTS]; /* per option of cmd->opts: its value, "" for a given flag */
    enum cli_source src[CLI_MAX_OPTS];
    char src_env[CLI_MAX_OPTS][48]; /* CLI_SRC_ENV: the variable's name */
    int src_line[CLI_MAX_OPTS];     /* CLI_SRC_FILE: the line in cli_config_path() */
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
 * An option not on the command line comes from the environment (XRM_<NAME>,
 * the long name upper-cased with '-' as '_', or its env_alias), else from
 * the config file (cli_config_load); a required one may come from either.
 * A config file or environment value that is wrong (unreadable file,
 * unknown key, a flag that is not on/off) prints one line and returns 1.
 * "--config FILE" is accepted by every command.
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

/*
 * Configuration (environment and config file). The config file has
 * "KEY = VALUE" lines, KEY an option's long name; '#' starts a comment
 * line; a value may be quoted with '"'. Which file: --config FILE, else
 * XRM_CONFIG (empty: none), else XRM_DEFAULT_CONFIG when the build defines
 * it (skipped when missing).
 */
#define CLI_CONF_MAX_BYTES (64 * 1024)
#define CLI_CONF_MAX_LINES 1000

struct cli_conf_entry {
    const char *key, *value; /* into the text given to cli_conf_parse */
    int line;
};

/*
 * Splits text (NUL-terminated, changed in place) into entries. Returns the
 * number of entries, or -1 with the problem in err and its line in *errline
 * (0 for the whole text): a line without '=', a key that is not a name
 * ([a-z0-9-]), an unclosed quote, more than max entries or
 * CLI_CONF_MAX_LINES lines.
 */
int cli_conf_parse(char *text, struct cli_conf_entry *out, int max, char *err, size_t errlen,
                   int *errline);

/*
 * Reads the config file for this process (once; path NULL: XRM_CONFIG or
 * the compiled default). Prints one line and returns 1 when a named file
 * cannot be read or is wrong (a key that is no option of any command).
 */
int cli_config_load(const char *path);

/* The config file read, or NULL when none. */
const char *cli_config_path(void);

/*
 * Fills the options of a not given on the command line from the
 * environment and the config file (cli_parse does this). Returns 0, or 1
 * after printing one line.
 */
int cli_fill(struct cli_args *a);

/* The value of option name, or def (recorded as the default) when not set. */
const char *cli_arg_default(struct cli_args *a, const char *name, const char *def);

/* Where option name's value came from, for messages: "environment XRM_DB", ... */
const char *cli_source_text(const struct cli_args *a, const char *name, char *buf, size_t len);

/*
 * Every command's table, NULL-terminated (config.c): a config file key must
 * be an option of one of them.
 */
extern const struct cli_cmd *const cli_commands[];
extern const struct cli_cmd serve_cmd, init_cmd, user_cmd, token_cmd, demo_cmd, export_cmd,
    retention_cmd, copy_cmd, automation_cmd, duplicates_cmd, import_cmd, partners_cmd, invoices_cmd,
    mail_deliver_cmd, mail_poll_cmd;
int cmd_config(int argc, char **argv);
/*
 * serve's settings checked (serve.c): every value parsed, its range, the
 * TLS files readable, listen HOST:PORT. Prints one line per problem (naming
 * where the value came from) and returns their number. Defaults are
 * recorded into a (cli_arg_default).
 */
struct serve_settings {
    char host[64];
    int port;
    int64_t threads, window, write_workers, per_ip, idle, max_upload;
    bool response_cache;
};
int serve_check(struct cli_args *a, struct serve_settings *s);

#endif
