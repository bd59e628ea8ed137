/*
 * xrm automation run: run every enabled automation once, now, by hand (as
 * the scheduler inside `xrm serve` does on its own). Safe beside a running
 * server: an occurrence that fired anywhere never fires again.
 */
#include "core/json.h"
#include "cli/cli.h"
#include "domain/records/automation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"json", 'j', NULL, false, "print the report as JSON"},
    {0},
};

const struct cli_cmd automation_cmd = {
    .name = "automation",
    .verb = "run",
    .synopsis = "automation run --db PATH [--json]",
    .about = "Runs every enabled automation once, now: follow-up tasks for deals that entered\n"
             "a stage, check-ins with idle customers, renewals of ending agreements, and the\n"
             "others an administrator defined; auto-renewing agreements past their end roll\n"
             "into their next term. Each occurrence fires once, however often this runs and\n"
             "whether or not 'xrm serve' runs too. Prints what fired (--json: the report as\n"
             "JSON). The environment variable XRM_NOW=2027-01-15T09:00:00Z sets the clock\n"
             "(for tests).\n",
    .opts = opts,
};

int cmd_automation(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&automation_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    bool as_json = cli_flag(&args, "json");
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_ctx ctx = {.store = st, .user = {.id = 0, .name = "automation", .admin = true}};
    json_t *report = NULL;
    int rc = 0;
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_automation_run(&ctx, &report, &err)) {
        rc = cli_fail("automation run failed: %s", err.message);
    } else if (as_json) {
        char *s = json_dumps(report, JSON_INDENT(2));
        if (s)
            puts(s);
        xrm_json_text_free(s);
    } else {
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(report, "automations"), i, a)
        {
            printf("%-45s fired %lld%s\n", json_string_value(json_object_get(a, "name")),
                   (long long)json_integer_value(json_object_get(a, "fired")),
                   json_integer_value(json_object_get(a, "errors")) ? " (with errors)" : "");
        }
        printf("automations: %lld fired, %lld agreements renewed, %lld errors (clock %s)\n",
               (long long)json_integer_value(json_object_get(report, "fired")),
               (long long)json_integer_value(json_object_get(report, "renewed")),
               (long long)json_integer_value(json_object_get(report, "errors")),
               json_string_value(json_object_get(report, "at")));
    }
    if (!rc && json_integer_value(json_object_get(report, "errors")))
        rc = 1;
    json_decref(report);
    xrm_store_free(st);
    return rc;
}
