/*
 * xrm: one binary, `xrm <command>`. Dispatches to the subcommands in src/cli/.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "core/pool.h"
#include "core/util.h" /* XRM_VERSION */
#include "core/banned.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"serve", cmd_serve, "serve the web app and API"},
    {"init", cmd_init, "create a database with an admin user"},
    {"user", cmd_user, "add users"},
    {"token", cmd_token, "create API tokens"},
    {"demo", cmd_demo, "load the demo data set"},
    /* exports of parties */
    {"export", cmd_export, "export parties as CSV, vCard or NDJSON"},
    {"retention", cmd_retention, "remove data whose retention period ran out"},
    {"copy", cmd_copy, "copy a database to another engine (SQLite, PostgreSQL)"},
    {"automation", cmd_automation, "run the automations now (tasks, renewals)"},
    /* duplicates */
    {"duplicates", cmd_duplicates, "list parties that may be the same (scan)"},
    /* import jobs */
    {"import", cmd_import, "import parties from a CSV, vCard or NDJSON file"},
    /* partners */
    {"partners", cmd_partners, "evaluate partner tiers into proposals (monthly)"},
    /* billing: overdue invoices */
    {"invoices", cmd_invoices, "give overdue invoices a task (daily)"},
    /* mail received */
    {"mail", cmd_mail, "deliver a received mail, poll the mailboxes"},
    /* database administration */
    {"backup", cmd_backup, "write a consistent backup of the database while it serves"},
    {"restore", cmd_restore, "put a backup in place as the database"},
    {"check", cmd_check, "check integrity, foreign keys, search index and schema version"},
    {"migrate", cmd_migrate, "list and apply pending schema migrations"},
    /* configuration: the settings of serve, their sources */
    {"config", cmd_config, "check the configuration (config file, environment)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: xrm <command> [options]\n\n"
               "xrm manages every relationship of a business: customers, employees,\n"
               "partners, suppliers, press and stakeholders, in one system.\n\ncommands:\n");
    /* two spaces at least between a name and its summary (help2man reads the list) */
    int width = 0;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if ((int)strlen(commands[i].name) > width)
            width = (int)strlen(commands[i].name);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-*s  %s\n", width, commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'xrm <command> --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
    xrm_pool_install_json(); /* before any JSON value exists */
    if (sodium_init() < 0) {
        fprintf(stderr, "xrm: cannot initialise libsodium\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("xrm %s\n", XRM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "xrm: unknown command '%s' (see 'xrm --help')\n", argv[1]);
    return 2;
}
