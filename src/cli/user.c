/*
 * xrm user add: create a user, with per-domain access.
 */
#include "core/json.h"
#include "cli/cli.h"
#include "domain/users/auth.h"
#include "domain/users/user.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"admin", 'a', NULL, false, "make the user an administrator (full access everywhere)"},
    {"access", 'x', "DOMAIN=LEVEL,...", false,
     "the user's level per domain (sales, hr, partners, purchasing,\n"
     "pr): none, read, write or full"},
    {0},
};

const struct cli_cmd user_cmd = {
    .name = "user",
    .verb = "add",
    .synopsis = "user add --db PATH NAME [--admin] [--access DOMAIN=LEVEL,...]",
    .about = "Creates user NAME with the password in XRM_PASSWORD (at least 8 characters);\n"
             "without it the user can only use API tokens ('xrm token create').\n"
             "--access gives the user's level per domain (sales, hr, partners, purchasing, pr):\n"
             "none, read, write or full (full also shows sensitive attributes such as salary),\n"
             "e.g. --access sales=write,partners=read,hr=none. Domains left out are none.\n"
             "Administrators (--admin) have full access everywhere.\n",
    .opts = opts,
    .min_operands = 1,
    .max_operands = 1,
};

int cmd_user(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&user_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db"), *access = cli_arg(&args, "access");
    bool admin = cli_flag(&args, "admin");
    const char *name = args.operands[0];
    struct xrm_err err = XRM_ERR_INIT;
    json_t *levels = access ? xrm_user_access_parse(access, &err) : json_object();
    if (!levels)
        return cli_fail("--access: %s", err.message);
    struct xrm_store *st;
    if (cli_open(db, &st)) {
        json_decref(levels);
        return 1;
    }
    const char *pw = getenv("XRM_PASSWORD");
    struct xrm_ctx ctx = {.store = st}; /* the system (user id 0) */
    json_t *in = json_pack("{s:s, s:b, s:o}", "name", name, "admin", admin, "access", levels);
    json_t *out = NULL;
    int rc = 0;
    if (pw && *pw)
        json_object_set_new(in, "password", json_string(pw));
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_user_add(&ctx, in, &out, &err)) {
        rc = cli_fail("%s", err.nfields ? err.fields[0].message : err.message);
    } else {
        char *acc = json_dumps(json_object_get(out, "access"), JSON_COMPACT);
        printf("created user %s (id %lld%s; access %s)\n", name,
               (long long)json_integer_value(json_object_get(out, "id")), admin ? ", admin" : "",
               acc ? acc : "{}");
        xrm_json_text_free(acc);
    }
    json_t *pwv = json_object_get(in, "password");
    if (json_is_string(pwv))
        xrm_wipe((char *)json_string_value(pwv), json_string_length(pwv));
    json_decref(in);
    json_decref(out);
    xrm_store_free(st);
    return rc;
}
