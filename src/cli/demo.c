/*
 * xrm demo: load the demo data set into a database.
 */
#include "cli/cli.h"
#include "domain/users/auth.h"
#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database, made by 'xrm init'"),
    {0},
};

const struct cli_cmd demo_cmd = {
    .name = "demo",
    .synopsis = "demo --db PATH",
    .about = "Loads the demo data set (a Dutch construction and installation company with\n"
             "about 200 parties, their roles, relationships and timeline) into PATH, which\n"
             "must have been created with 'xrm init' and hold no parties yet.\n",
    .opts = opts,
};

int cmd_demo(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&demo_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db");
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
