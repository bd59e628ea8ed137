/*
 * xrm retention run: remove the data whose retention ran out (see
 * domain/retention.h), or with --dry-run only say what would go.
 */
#include "core/json.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "domain/privacy/retention.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char usage[] =
    "usage: xrm retention run --db PATH [--dry-run] [--json]\n\n"
    "Removes each party's data of a domain whose retention period has run out since\n"
    "its last role there ended (applicants 4 weeks or 1 year with consent, other HR\n"
    "data 2 years, fiscal records 7 years; see GET /api/v1/retention/rules). The party,\n"
    "its other roles and the audit trail stay. --dry-run changes nothing and lists what\n"
    "would be removed. The clock is the system's, or XRM_NOW (e.g.\n"
    "XRM_NOW=2027-01-15T09:00:00Z) for tests. Exit status 0 also when nothing expired.\n";

int cmd_retention(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL;
    bool dry = false, as_json = false;
    int c;
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:nj", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n')
            dry = true;
        else if (c == 'j')
            as_json = true;
        else {
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
