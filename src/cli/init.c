/*
 * xrm init: create the database, apply migrations, create user admin.
 */
#include "cli/cli.h"
#include "core/util.h"
#include "domain/users/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database to create: a SQLite file or a postgres:// URL"),
    {0},
};

const struct cli_cmd init_cmd = {
    .name = "init",
    .synopsis = "init --db PATH",
    .about = "Creates the database at PATH (SQLite file), applies the schema and creates the\n"
             "user 'admin' with the password in XRM_ADMIN_PASSWORD, or a random one that is\n"
             "printed once. Fails when PATH already holds users.\n",
    .opts = opts,
};

int cmd_init(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&init_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db");
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_db *rd;
    int64_t users = 0;
    if (xrm_store_reader(st, &rd, &err) ||
        xrm_db_scalar_int(rd, "SELECT COUNT(*) FROM users", &users, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    if (users > 0) {
        xrm_store_free(st);
        return cli_fail("database '%s' is already initialised", db);
    }
    const char *pw = getenv("XRM_ADMIN_PASSWORD");
    char random_pw[32];
    bool generated = false;
    if (!pw || !*pw) {
        unsigned char raw[12];
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(random_pw, sizeof(random_pw), raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        pw = random_pw;
        generated = true;
    }
    int rc = 0;
    if (xrm_user_create(st, "admin", pw, true, NULL, &err))
        rc = cli_fail("%s", err.message);
    else if (generated)
        printf("created %s; user: admin, password: %s\n", db, pw);
    else
        printf("created %s; user: admin, password from XRM_ADMIN_PASSWORD\n", db);
    sodium_memzero(random_pw, sizeof(random_pw));
    xrm_store_free(st);
    return rc;
}
