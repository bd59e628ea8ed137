/*
 * Shared pieces of the subcommands: option parsing and help from one table
 * per subcommand, opening the store, messages.
 */
#include "cli/cli.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"
#include "domain/party/keys.h"

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

/* Index of the option called name (long, or the short letter when len is 1 and is_short). */
static int find_opt(const struct cli_cmd *cmd, const char *name, size_t len, bool is_short)
{
    for (int i = 0; cmd->opts[i].name; i++) {
        const struct cli_opt *o = &cmd->opts[i];
        if (is_short ? o->short_name == name[0]
                     : strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return i;
    }
    return -1;
}

static int usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "xrm %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'xrm %s --help')\n", cmd->name);
    return 2;
}

void cli_help(const struct cli_cmd *cmd, FILE *f)
{
    fprintf(f, "usage: xrm %s\n\n%s\noptions:\n", cmd->synopsis, cmd->about);
    for (int i = 0; cmd->opts[i].name; i++) {
        const struct cli_opt *o = &cmd->opts[i];
        char left[64];
        snprintf(left, sizeof(left), "%c%c%s --%s%s%s", o->short_name ? '-' : ' ',
                 o->short_name ? o->short_name : ' ', o->short_name ? "," : " ", o->name,
                 o->value ? " " : "", o->value ? o->value : "");
        fprintf(f, "  %-26s", left);
        if (strlen(left) > 26)
            fprintf(f, "\n  %-26s", "");
        for (const char *h = o->help; *h;) {
            size_t n = strcspn(h, "\n");
            fprintf(f, "%.*s\n", (int)n, h);
            h += n;
            if (*h == '\n' && *++h)
                fprintf(f, "  %-26s", "");
        }
    }
    fprintf(f, "  %-26s%s\n", "-h, --help", "show this help");
}

static bool is_help(const char *s)
{
    return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out)
{
    int nopts = 0;
    while (cmd->opts[nopts].name)
        nopts++;
    if (nopts > CLI_MAX_OPTS || cmd->max_operands > CLI_MAX_OPERANDS)
        XRM_BUG("xrm %s has too many options or operands", cmd->name);
    memset(out, 0, sizeof(*out));
    out->cmd = cmd;
    /* --help wins over any mistake, wherever it stands (but not as an option's value) */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (is_help(argv[i])) {
            cli_help(cmd, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] && !strchr(argv[i], '=')) {
            int k = argv[i][1] == '-' ? find_opt(cmd, argv[i] + 2, strlen(argv[i] + 2), false)
                                      : find_opt(cmd, argv[i] + 1, 1, true);
            if (k >= 0 && cmd->opts[k].value && !(argv[i][1] != '-' && argv[i][2]))
                i++;
        }
    }
    int first = 1;
    if (cmd->verb) {
        if (argc < 2 || strcmp(argv[1], cmd->verb) != 0)
            return usage_error(cmd, "expected 'xrm %s %s'", cmd->name, cmd->verb);
        first = 2;
    }
    int nop = 0;
    bool only_operands = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || !a[1]) {
            if (nop >= cmd->max_operands)
                return usage_error(cmd, "unexpected argument '%s'", a);
            out->operands[nop++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = true;
            continue;
        }
        bool is_long = a[1] == '-';
        const char *name = a + (is_long ? 2 : 1);
        const char *eq = is_long ? strchr(name, '=') : NULL;
        size_t len = is_long ? (eq ? (size_t)(eq - name) : strlen(name)) : 1;
        int k = find_opt(cmd, name, len, !is_long);
        if (k < 0)
            return usage_error(cmd, "unknown option '%s%.*s'", is_long ? "--" : "-", (int)len,
                               name);
        const struct cli_opt *o = &cmd->opts[k];
        const char *v = NULL;
        if (is_long && eq)
            v = eq + 1;
        else if (!is_long && name[1])
            v = name + 1; /* -dPATH */
        if (!o->value) {
            if (v)
                return usage_error(cmd, "option '--%s' takes no value", o->name);
            out->val[k] = "";
            continue;
        }
        if (!v) {
            if (i + 1 >= argc)
                return usage_error(cmd, "option '--%s' needs a value (%s)", o->name, o->value);
            v = argv[++i];
        }
        out->val[k] = v;
    }
    for (int k = 0; k < nopts; k++)
        if (cmd->opts[k].required && !out->val[k])
            return usage_error(cmd, "missing option '--%s'", cmd->opts[k].name);
    if (nop < cmd->min_operands)
        return usage_error(cmd, "missing argument: usage: xrm %s", cmd->synopsis);
    out->noperands = nop;
    return -1;
}

static int opt_index(const struct cli_args *a, const char *name)
{
    int k = find_opt(a->cmd, name, strlen(name), false);
    if (k < 0)
        XRM_BUG("xrm %s has no option '--%s'", a->cmd->name, name);
    return k;
}

const char *cli_arg(const struct cli_args *a, const char *name)
{
    return a->val[opt_index(a, name)];
}

bool cli_flag(const struct cli_args *a, const char *name)
{
    return a->val[opt_index(a, name)] != NULL;
}

int cli_open(const char *path, struct xrm_store **out)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_store *st = NULL;
    /* Duplicates: keys of parties stored before the keys existed (migration 10). */
    if (xrm_store_open(path, true, &st, &err) || xrm_role_type_seed(st, &err) ||
        xrm_relationship_type_seed(st, &err) || xrm_party_keys_backfill(st, NULL, &err)) {
        xrm_store_free(st);
        return cli_fail("%s", err.message);
    }
    *out = st;
    return 0;
}

int cli_start(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *args,
              struct xrm_store **st)
{
    int status = cli_parse(cmd, argc, argv, args);
    if (status >= 0)
        return status;
    return cli_open(cli_arg(args, "db"), st) ? 1 : -1;
}
