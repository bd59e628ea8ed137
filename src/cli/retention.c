/*
 * xrm retention run: remove the data whose retention ran out (see
 * domain/retention.h), or with --dry-run only say what would go.
 */
#include "core/json.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "domain/privacy/retention.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"dry-run", 'n', NULL, false, "change nothing; list what would be removed"},
    {"json", 'j', NULL, false, "print the report as JSON"},
    {0},
};

const struct cli_cmd retention_cmd = {
    .name = "retention",
    .verb = "run",
    .synopsis = "retention run --db PATH [--dry-run] [--json]",
    .about = "Removes each party's data of a domain whose retention period has run out since\n"
             "its last role there ended (applicants 4 weeks or 1 year with consent, other HR\n"
             "data 2 years, fiscal records 7 years; see GET /api/v1/retention/rules). The party,\n"
             "its other roles and the audit trail stay. --dry-run changes nothing and lists what\n"
             "would be removed. The clock is the system's, or XRM_NOW (e.g.\n"
             "XRM_NOW=2027-01-15T09:00:00Z) for tests. Exit status 0 also when nothing expired.\n",
    .opts = opts,
};

int cmd_retention(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&retention_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    bool dry = cli_flag(&args, "dry-run"), as_json = cli_flag(&args, "json");
    struct xrm_err err = XRM_ERR_INIT;
    json_t *report = NULL;
    int rc = 0;
    if (xrm_retention_run(st, NULL, dry, &report, &err)) {
        rc = cli_fail("%s", err.message);
    } else if (as_json) {
        char *s = json_dumps(report, JSON_INDENT(2));
        puts(s ? s : "{}");
        xrm_json_text_free(s);
    } else {
        json_t *items = json_object_get(report, "items"), *it;
        size_t i;
        json_array_foreach(items, i, it)
        {
            printf("%s party %lld: %s data (retention ended %s, rule %s): %lld role(s), "
                   "%lld activit%s\n",
                   dry ? "would remove" : "removed",
                   (long long)json_integer_value(json_object_get(it, "party")),
                   json_string_value(json_object_get(it, "domain")),
                   json_string_value(json_object_get(it, "expired_on")),
                   json_string_value(json_array_get(json_object_get(it, "rules"), 0)),
                   (long long)json_integer_value(json_object_get(it, "roles")),
                   (long long)json_integer_value(json_object_get(it, "activities")),
                   json_integer_value(json_object_get(it, "activities")) == 1 ? "y" : "ies");
        }
        printf("retention %s: %zu party domain%s %s (today %s%s)\n", dry ? "dry run" : "run",
               json_array_size(items), json_array_size(items) == 1 ? "" : "s",
               dry ? "would be removed" : "removed",
               json_string_value(json_object_get(report, "today")),
               xrm_clock_is_fake() ? ", from XRM_NOW" : "");
    }
    json_decref(report);
    xrm_store_free(st);
    return rc;
}
