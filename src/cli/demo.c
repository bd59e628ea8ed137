/*
 * xrm demo: load the demo data set into a database.
 */
#include "cli/cli.h"
#include "domain/users/auth.h"
#include "demo/demo.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const char usage[] =
    "usage: xrm demo --db PATH\n\n"
    "Loads the demo data set (a Dutch construction and installation company with\n"
    "about 200 parties, their roles, relationships and timeline) into PATH, which\n"
    "must have been created with 'xrm init' and hold no parties yet.\n";

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!db || optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    struct xrm_store *st;
    if (cli_open(db, &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_ctx ctx = {.store = st};
    int rc = 0;
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_user_find(ctx.db, "admin", &ctx.user, &err))
        rc = cli_fail("%s (run 'xrm init --db %s' first)", err.message, db);
    else if (xrm_demo_load(&ctx, stderr, &err))
        rc = cli_fail("cannot load demo data: %s", err.message);
    xrm_store_free(st);
    return rc;
}
