/*
 * Unit tests of the config file reader (cli/common.c, cli_conf_parse) and
 * of cli_parse taking options from the environment: what an operator writes
 * in /etc/xrm/xrm.conf or the service's environment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"

static int parse(const char *text, struct cli_conf_entry *out, int max, char *err, int *line)
{
    static char buf[8192];
    snprintf(buf, sizeof(buf), "%s", text);
    return cli_conf_parse(buf, out, max, err, 128, line);
}

static void test_lines(void **state)
{
    (void)state;
    struct cli_conf_entry e[8];
    char err[128];
    int line;
    int n = parse("# xrm\n\ndb = /var/lib/xrm/xrm.db\r\n  listen=\"127.0.0.1:8080\"\n"
                  "mail-from = \"Shop <a@b.nl>\"\n  # indented comment\npublic-url =\n"
                  "smtp = smtp://u:p#w@h",
                  e, 8, err, &line);
    assert_int_equal(n, 5);
    assert_string_equal(e[0].key, "db");
    assert_string_equal(e[0].value, "/var/lib/xrm/xrm.db");
    assert_int_equal(e[0].line, 3);
    assert_string_equal(e[1].key, "listen");
    assert_string_equal(e[1].value, "127.0.0.1:8080");
    assert_int_equal(e[1].line, 4);
    assert_string_equal(e[2].value, "Shop <a@b.nl>");
    assert_string_equal(e[3].key, "public-url");
    assert_string_equal(e[3].value, "");
    /* '#' only starts a comment at the start of a line: a password may hold one */
    assert_string_equal(e[4].value, "smtp://u:p#w@h");
    assert_int_equal(e[4].line, 8);
    assert_int_equal(parse("", e, 8, err, &line), 0);
}

static void test_errors(void **state)
{
    (void)state;
    struct cli_conf_entry e[2];
    char err[128];
    int line;
    assert_int_equal(parse("db = x\n\nlisten 127.0.0.1:80\n", e, 2, err, &line), -1);
    assert_int_equal(line, 3);
    assert_non_null(strstr(err, "'='"));
    assert_int_equal(parse("= x\n", e, 2, err, &line), -1);
    assert_int_equal(line, 1);
    assert_int_equal(parse("Listen = x\n", e, 2, err, &line), -1);
    assert_int_equal(parse("db = \"x\n", e, 2, err, &line), -1);
    assert_non_null(strstr(err, "closing"));
    assert_int_equal(parse("db = \"\n", e, 2, err, &line), -1);
    assert_int_equal(parse("a = 1\nb = 2\nc = 3\n", e, 2, err, &line), -1);
    assert_int_equal(line, 3);
    /* more than CLI_CONF_MAX_LINES lines, even blank ones */
    static char many[CLI_CONF_MAX_LINES + 10];
    memset(many, '\n', CLI_CONF_MAX_LINES + 1);
    many[CLI_CONF_MAX_LINES + 1] = '\0';
    struct cli_conf_entry big[4];
    assert_int_equal(cli_conf_parse(many, big, 4, err, sizeof(err), &line), -1);
    assert_non_null(strstr(err, "lines"));
}

static const struct cli_opt opts[] = {
    {"db", 'd', "PATH", true, "db"},
    {"limit", 0, "N", false, "a number"},
    {"json", 'j', NULL, false, "a flag"},
    {"trusted-proxy", 0, "ADDR", false, "old name", "XRM_OLD_PROXIES"},
    {0},
};
static const struct cli_cmd cmd = {.name = "t", .synopsis = "t", .about = "", .opts = opts};

static void test_environment(void **state)
{
    (void)state;
    struct cli_args a;
    char *argv[] = {"t", "--limit", "5", NULL};
    unsetenv("XRM_CONFIG");
    assert_int_equal(cli_parse(&cmd, 3, argv, &a), 2); /* --db missing */
    setenv("XRM_DB", "/tmp/x.db", 1);
    setenv("XRM_LIMIT", "9", 1);
    setenv("XRM_JSON", "yes", 1);
    setenv("XRM_OLD_PROXIES", "10.0.0.1", 1);
    assert_int_equal(cli_parse(&cmd, 3, argv, &a), -1);
    assert_string_equal(cli_arg(&a, "db"), "/tmp/x.db");
    assert_string_equal(cli_arg(&a, "limit"), "5"); /* the command line wins */
    assert_int_equal(a.src[1], CLI_SRC_ARGV);
    assert_true(cli_flag(&a, "json"));
    assert_string_equal(cli_arg(&a, "trusted-proxy"), "10.0.0.1");
    char buf[64];
    assert_string_equal(cli_source_text(&a, "trusted-proxy", buf, sizeof(buf)),
                        "environment XRM_OLD_PROXIES");
    assert_string_equal(cli_source_text(&a, "db", buf, sizeof(buf)), "environment XRM_DB");
    setenv("XRM_TRUSTED_PROXY", "10.0.0.2", 1); /* the generic name wins over the alias */
    setenv("XRM_JSON", "off", 1);
    assert_int_equal(cli_parse(&cmd, 3, argv, &a), -1);
    assert_string_equal(cli_arg(&a, "trusted-proxy"), "10.0.0.2");
    assert_false(cli_flag(&a, "json"));
    setenv("XRM_JSON", "maybe", 1);
    assert_int_equal(cli_parse(&cmd, 3, argv, &a), 1);
    unsetenv("XRM_JSON");
    unsetenv("XRM_DB");
    unsetenv("XRM_LIMIT");
    unsetenv("XRM_OLD_PROXIES");
    unsetenv("XRM_TRUSTED_PROXY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
