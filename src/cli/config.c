/*
 * xrm config check: every setting of xrm serve with its value and where it
 * came from (command line, environment, config file, default), and whether
 * the values are right. Also the table of every command's options, which
 * the config file's keys are checked against.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* Every command's table; a key of the config file must be an option of one of them. */
const struct cli_cmd *const cli_commands[] = {
    &serve_cmd,
    &init_cmd,
    &user_cmd,
    &token_cmd,
    &demo_cmd,
    &export_cmd,
    &retention_cmd,
    &copy_cmd,
    &automation_cmd,
    &duplicates_cmd,
    &import_cmd,
    &partners_cmd,
    &invoices_cmd,
    &mail_deliver_cmd,
    &mail_poll_cmd,
    /* commands added later: their tables here */
    NULL,
};

static const struct cli_opt opts[] = {
    {0},
};

static const struct cli_cmd config_cmd = {
    .name = "config",
    .verb = "check",
    .synopsis = "config check [--config FILE]",
    .about = "Prints every setting of 'xrm serve', one a line, with its value and where it\n"
             "came from: (command line), (environment XRM_NAME), (config FILE:LINE) or\n"
             "(default). Passwords in URLs and secrets are shown as ***. Exits 1, with one\n"
             "line per problem on stderr, when the config file or a value is wrong (a number\n"
             "out of range, listen not HOST:PORT, a TLS file that cannot be read, no db).\n"
             "The config file is --config FILE, else XRM_CONFIG (empty: none)"
#ifdef XRM_DEFAULT_CONFIG
             ", else " XRM_DEFAULT_CONFIG
#endif
             ".\n",
    .opts = opts,
};

/* An option whose whole value is secret. */
static bool secret_name(const char *name)
{
    return strstr(name, "token") || strstr(name, "password") || strstr(name, "secret");
}

/*
 * value as shown: a URL's password as ***, the whole user:password of an
 * SMTP URL, a password= parameter's value, a secret option's whole value.
 */
static const char *shown(const char *name, const char *value, char *buf, size_t len)
{
    if (secret_name(name))
        return *value ? "***" : value;
    const char *scheme = strstr(value, "://");
    snprintf(buf, len, "%s", value);
    if (scheme) {
        const char *host = scheme + 3;
        size_t auth = strcspn(host, "/?#");
        const char *at = memrchr(host, '@', auth);
        if (at) {
            const char *colon = memchr(host, ':', (size_t)(at - host));
            bool whole = strcmp(name, "smtp") == 0;
            const char *from = whole ? host : colon ? colon + 1 : NULL;
            if (from)
                snprintf(buf, len, "%.*s***%s", (int)(from - value), value, at);
        }
    }
    char *p = strstr(buf, "password=");
    if (p) {
        p += strlen("password=");
        size_t n = strcspn(p, "& ");
        char tail[4096];
        snprintf(tail, sizeof(tail), "%s", p + n);
        snprintf(p, len - (size_t)(p - buf), "***%s", tail);
    }
    return buf;
}

int cmd_config(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&config_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    struct cli_args sa;
    memset(&sa, 0, sizeof(sa));
    sa.cmd = &serve_cmd;
    if (cli_fill(&sa))
        return 1;
    struct serve_settings ss;
    int bad = serve_check(&sa, &ss);
    if (!cli_arg(&sa, "db"))
        bad += cli_fail("db is not set: --db, XRM_DB or 'db = ...' in the config file");
    const char *path = cli_config_path();
    printf("# config file: %s\n", path ? path : "none");
    size_t w = 0;
    for (int k = 0; serve_cmd.opts[k].name; k++)
        if (strlen(serve_cmd.opts[k].name) > w)
            w = strlen(serve_cmd.opts[k].name);
    for (int k = 0; serve_cmd.opts[k].name; k++) {
        const struct cli_opt *o = &serve_cmd.opts[k];
        char buf[4096], where[4200];
        const char *v = sa.val[k];
        if (!o->value)
            v = v ? "on" : "off";
        else if (v)
            v = shown(o->name, v, buf, sizeof(buf));
        else
            v = "";
        const char *src = cli_source_text(&sa, o->name, where, sizeof(where));
        if (sa.src[k] == CLI_SRC_NONE)
            src = "default";
        printf("%-*s = %-24s (%s)\n", (int)w, o->name, v, src);
    }
    fflush(stdout);
    return bad ? 1 : 0;
}
