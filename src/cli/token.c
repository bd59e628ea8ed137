/*
 * xrm token create: print a new API token for a user.
 */
#include "cli/cli.h"
#include "domain/users/auth.h"
#include "core/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const char usage[] =
    "usage: xrm token create --db PATH --user NAME [--name LABEL]\n\n"
    "Creates an API token for user NAME and prints it on stdout, nothing else.\n"
    "Use it as 'Authorization: Bearer <token>'. Only its hash is stored.\n";

int cmd_token(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL, *user = NULL, *name = NULL;
    int c;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "create") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:u:n:h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'u')
            user = optarg;
        else if (c == 'n')
            name = optarg;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!db || !user || optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    struct xrm_store *st;
    if (cli_open(db, &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_db *rd;
    struct xrm_user u;
    char token[XRM_TOKEN_MAX];
    int rc = 0;
    if (xrm_store_reader(st, &rd, &err) || xrm_user_find(rd, user, &u, &err) ||
        xrm_token_create(st, u.id, "api", name ? name : "cli", 0, token, NULL, &err))
        rc = cli_fail("%s", err.message);
    else
        printf("%s\n", token);
    xrm_wipe(token, sizeof(token));
    xrm_store_free(st);
    return rc;
}
