/*
 * xrm token create: print a new API token for a user.
 */
#include "cli/cli.h"
#include "domain/users/auth.h"
#include "core/mem.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"user", 'u', "NAME", true, "the user the token acts as"},
    {"name", 'n', "LABEL", false, "a label for the token (default: cli)"},
    {0},
};

const struct cli_cmd token_cmd = {
    .name = "token",
    .verb = "create",
    .synopsis = "token create --db PATH --user NAME [--name LABEL]",
    .about = "Creates an API token for user NAME and prints it on stdout, nothing else.\n"
             "Use it as 'Authorization: Bearer <token>'. Only its hash is stored.\n",
    .opts = opts,
};

int cmd_token(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&token_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    const char *user = cli_arg(&args, "user");
    const char *name = cli_arg(&args, "name");
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
