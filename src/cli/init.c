/*
 * xrm init: create the database, apply migrations, create user admin.
 */
#include "cli/cli.h"
#include "core/util.h"
#include "domain/users/auth.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char usage[] =
    "usage: xrm init --db PATH\n\n"
    "Creates the database at PATH (SQLite file), applies the schema and creates the\n"
    "user 'admin' with the password in XRM_ADMIN_PASSWORD, or a random one that is\n"
    "printed once. Fails when PATH already holds users.\n";

int cmd_init(int argc, char **argv)
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
