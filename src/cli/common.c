/*
 * Shared pieces of the subcommands: opening the store, messages.
 */
#include "cli/cli.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("xrm: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int cli_open(const char *path, struct xrm_store **out)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_store *st = NULL;
    if (xrm_store_open(path, true, &st, &err) || xrm_role_type_seed(st, &err) ||
        xrm_relationship_type_seed(st, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    *out = st;
    return 0;
}
