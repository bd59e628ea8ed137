/*
 * Subcommands of the xrm binary, one file each (git's builtin/ layout).
 * Each returns the process exit status: 0 success, 1 failure (one line on
 * stderr), 2 wrong usage.
 */
#ifndef XRM_CLI_CLI_H
#define XRM_CLI_CLI_H

#include "store/store.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_automation(int argc, char **argv);

/* Opens the store at path, applies migrations and seeds built-in types. */
int cli_open(const char *path, struct xrm_store **out);

/* Prints "xrm: <msg>" to stderr and returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when argv has --help or -h. */
int cli_wants_help(int argc, char **argv);

#endif
