/*
 * xrm user add: create a user.
 */
#include "cli/cli.h"
#include "domain/auth.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char usage[] =
    "usage: xrm user add --db PATH NAME [--admin]\n\n"
    "Creates user NAME with the password in XRM_PASSWORD (at least 8 characters);\n"
    "without it the user can only use API tokens ('xrm token create').\n";

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"admin", no_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL;
    bool admin = false;
    int c;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:a", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'a')
            admin = true;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!db || optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    const char *name = argv[optind];
    struct xrm_store *st;
    if (cli_open(db, &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    const char *pw = getenv("XRM_PASSWORD");
    int rc = 0;
    int64_t id;
    if (xrm_user_create(st, name, pw && *pw ? pw : NULL, admin, &id, &err))
        rc = cli_fail("%s", err.message);
    else
        printf("created user %s (id %lld%s)\n", name, (long long)id, admin ? ", admin" : "");
    xrm_store_free(st);
    return rc;
}
