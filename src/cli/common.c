/*
 * Shared pieces of the subcommands: option parsing and help from one table
 * per subcommand, opening the store, messages.
 */
#include "cli/cli.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"
#include "domain/party/keys.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
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
    fprintf(f, "  %-26s%s\n", "    --config FILE", "read settings from FILE (env XRM_CONFIG)");
    fprintf(f, "  %-26s%s\n", "-h, --help", "show this help");
    fprintf(f, "\nEvery option can also be set in the environment, XRM_<NAME> (--max-upload:\n"
               "XRM_MAX_UPLOAD), or as 'name = value' in the config file; the command line\n"
               "wins over the environment, which wins over the file.\n");
}

static void env_name(const struct cli_opt *o, char *buf, size_t len);

static bool is_config_opt(const char *a)
{
    return strcmp(a, "--config") == 0;
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
        if (is_config_opt(argv[i])) {
            i++;
            continue;
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
    const char *config = NULL;
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
        if (is_long && len == 6 && strncmp(name, "config", 6) == 0) {
            if (!eq && i + 1 >= argc)
                return usage_error(cmd, "option '--config' needs a value (FILE)");
            config = eq ? eq + 1 : argv[++i];
            if (!*config)
                return usage_error(cmd, "option '--config' needs a value (FILE)");
            continue;
        }
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
            out->src[k] = CLI_SRC_ARGV;
            continue;
        }
        if (!v) {
            if (i + 1 >= argc)
                return usage_error(cmd, "option '--%s' needs a value (%s)", o->name, o->value);
            v = argv[++i];
        }
        out->val[k] = v;
        out->src[k] = CLI_SRC_ARGV;
    }
    if (cli_config_load(config) || cli_fill(out))
        return 1;
    for (int k = 0; k < nopts; k++)
        if (cmd->opts[k].required && !out->val[k]) {
            char env[48];
            env_name(&cmd->opts[k], env, sizeof(env));
            return usage_error(cmd,
                               "missing option '--%s' (or %s, or '%s = ...' in the config file)",
                               cmd->opts[k].name, env, cmd->opts[k].name);
        }
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

/* Configuration: the environment and the config file */

int cli_conf_parse(char *text, struct cli_conf_entry *out, int max, char *err, size_t errlen,
                   int *errline)
{
    int n = 0, line = 0;
    *errline = 0;
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n'), *next = end ? end + 1 : p + strlen(p);
        if (end)
            *end = '\0';
        if (++line > CLI_CONF_MAX_LINES) {
            snprintf(err, errlen, "more than %d lines", CLI_CONF_MAX_LINES);
            return -1;
        }
        *errline = line;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#') {
            p = next;
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq) {
            snprintf(err, errlen, "a line without '=' (KEY = VALUE)");
            return -1;
        }
        char *k = eq;
        while (k > p && isspace((unsigned char)k[-1]))
            k--;
        *k = '\0';
        if (!*p || strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(p)) {
            snprintf(err, errlen, "'%.40s' is not a setting name (KEY = VALUE)", p);
            return -1;
        }
        char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        size_t vlen = strlen(v);
        if (*v == '"') {
            if (vlen < 2 || v[vlen - 1] != '"') {
                snprintf(err, errlen, "a value without its closing '\"'");
                return -1;
            }
            v[vlen - 1] = '\0';
            v++;
        }
        if (n >= max) {
            snprintf(err, errlen, "more than %d settings", max);
            return -1;
        }
        out[n].key = p;
        out[n].value = v;
        out[n].line = line;
        n++;
        p = next;
    }
    *errline = 0;
    return n;
}

/* The config file of this process, read once (values point into text). */
static struct {
    bool loaded;
    char path[4096];
    bool have;
    char text[CLI_CONF_MAX_BYTES + 1];
    struct cli_conf_entry ents[CLI_CONF_MAX_LINES];
    int n;
} conf;

static bool is_option_of_any(const char *key)
{
    for (int c = 0; cli_commands[c]; c++)
        if (find_opt(cli_commands[c], key, strlen(key), false) >= 0)
            return true;
    return false;
}

int cli_config_load(const char *path)
{
    if (conf.loaded && !path)
        return 0;
    bool optional = false;
    if (!path) {
        path = getenv("XRM_CONFIG");
#ifdef XRM_DEFAULT_CONFIG
        if (!path) {
            path = XRM_DEFAULT_CONFIG;
            optional = true;
        }
#endif
    }
    conf.loaded = true;
    conf.have = false;
    conf.n = 0;
    if (!path || !*path)
        return 0;
    if (strlen(path) >= sizeof(conf.path))
        return cli_fail("config file name too long");
    snprintf(conf.path, sizeof(conf.path), "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (optional && errno == ENOENT)
            return 0;
        return cli_fail("cannot read config file '%s': %s", path, strerror(errno));
    }
    size_t len = fread(conf.text, 1, sizeof(conf.text), f);
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (rerr)
        return cli_fail("cannot read config file '%s': %s", path, strerror(rerr));
    if (len > CLI_CONF_MAX_BYTES)
        return cli_fail("config file '%s' is larger than %d KiB", path, CLI_CONF_MAX_BYTES / 1024);
    if (memchr(conf.text, '\0', len))
        return cli_fail("config file '%s' is not a text file", path);
    conf.text[len] = '\0';
    char err[128];
    int line;
    int n = cli_conf_parse(conf.text, conf.ents, CLI_CONF_MAX_LINES, err, sizeof(err), &line);
    if (n < 0)
        return line ? cli_fail("%s in %s line %d", err, path, line)
                    : cli_fail("%s in %s", err, path);
    for (int i = 0; i < n; i++)
        if (!is_option_of_any(conf.ents[i].key))
            return cli_fail("unknown setting '%s' in %s line %d", conf.ents[i].key, path,
                            conf.ents[i].line);
    conf.n = n;
    conf.have = true;
    return 0;
}

const char *cli_config_path(void)
{
    return conf.have ? conf.path : NULL;
}

/* The environment variable of option o: XRM_ and its name upper-cased, '-' as '_'. */
static void env_name(const struct cli_opt *o, char *buf, size_t len)
{
    int n = snprintf(buf, len, "XRM_%s", o->name);
    if (n < 0 || (size_t)n >= len)
        XRM_BUG("option '--%s' has too long a name", o->name);
    for (char *c = buf; *c; c++)
        *c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
}

/* A flag's value from the environment or the file: 1 on, 0 off, -1 neither. */
static int parse_switch(const char *v)
{
    static const char *const on[] = {"1", "true", "yes", "on"}, *const off[] = {"0", "false", "no",
                                                                                "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, on[i]) == 0)
            return 1;
        if (strcasecmp(v, off[i]) == 0)
            return 0;
    }
    return -1;
}

int cli_fill(struct cli_args *a)
{
    const struct cli_cmd *cmd = a->cmd;
    for (int k = 0; cmd->opts[k].name; k++) {
        const struct cli_opt *o = &cmd->opts[k];
        if (a->src[k] != CLI_SRC_NONE)
            continue;
        char name[sizeof(a->src_env[k])];
        env_name(o, name, sizeof(name));
        const char *v = getenv(name);
        if ((!v || !*v) && o->env_alias && (v = getenv(o->env_alias)) && *v)
            snprintf(name, sizeof(name), "%s", o->env_alias);
        if (v && *v) {
            snprintf(a->src_env[k], sizeof(a->src_env[k]), "%s", name);
            a->src[k] = CLI_SRC_ENV;
            if (!o->value) {
                int on = parse_switch(v);
                if (on < 0)
                    return cli_fail("%s must be 1, true, yes or on (or 0, false, no, off)", name);
                a->val[k] = on ? "" : NULL;
            } else {
                a->val[k] = v;
            }
            continue;
        }
        const struct cli_conf_entry *e = NULL;
        for (int i = 0; i < conf.n; i++)
            if (strcmp(conf.ents[i].key, o->name) == 0)
                e = &conf.ents[i]; /* the last one wins */
        if (!e)
            continue;
        a->src[k] = CLI_SRC_FILE;
        a->src_line[k] = e->line;
        if (!o->value) {
            int on = parse_switch(e->value);
            if (on < 0)
                return cli_fail("'%s' must be on or off in %s line %d", o->name, conf.path,
                                e->line);
            a->val[k] = on ? "" : NULL;
        } else {
            a->val[k] = e->value;
        }
    }
    return 0;
}

const char *cli_arg_default(struct cli_args *a, const char *name, const char *def)
{
    int k = opt_index(a, name);
    if (a->src[k] == CLI_SRC_NONE) {
        a->val[k] = def;
        a->src[k] = CLI_SRC_DEFAULT;
    }
    return a->val[k];
}

const char *cli_source_text(const struct cli_args *a, const char *name, char *buf, size_t len)
{
    int k = opt_index(a, name);
    switch (a->src[k]) {
    case CLI_SRC_ARGV:
        return "command line";
    case CLI_SRC_ENV:
        snprintf(buf, len, "environment %s", a->src_env[k]);
        return buf;
    case CLI_SRC_FILE:
        snprintf(buf, len, "config %s:%d", conf.path, a->src_line[k]);
        return buf;
    case CLI_SRC_DEFAULT:
        return "default";
    case CLI_SRC_NONE:
        break;
    }
    return "not set";
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
