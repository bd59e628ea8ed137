/*
 * xrm duplicates scan: every pair of parties that share a normalised key
 * (domain/party/duplicate.h), best first, as the administrator sees them.
 */
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "cli/cli.h"
#include "domain/party/duplicate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define ALL 0 /* every pair in one scan */

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"min-score", 's', "N", false, "only pairs scoring at least N (0 to 100, default 50)"},
    {"json", 'j', NULL, false, "print one JSON object per pair (NDJSON)"},
    {0},
};

const struct cli_cmd duplicates_cmd = {
    .name = "duplicates",
    .verb = "scan",
    .synopsis = "duplicates scan --db PATH [--min-score N] [--json]",
    .about = "Lists every pair of parties that may be the same, best score first: parties\n"
             "sharing a normalised e-mail address, phone number, KvK number, BTW-id, IBAN,\n"
             "postcode and house number, name or external id. A match on KvK, BTW-id, IBAN,\n"
             "e-mail or external id is exact (score 100); phone 80, name 60, address 50,\n"
             "family name and initial 40, +10 for each further shared key. Archived parties\n"
             "are left out. Prints a line per pair and a count (--json: a JSON object per\n"
             "pair, as GET /api/v1/duplicates gives them).\n",
    .opts = opts,
};

static void print_pair(json_t *p)
{
    json_t *a = json_object_get(p, "party"), *b = json_object_get(p, "duplicate");
    printf("%3lld %s #%lld %s  <->  #%lld %s  (",
           (long long)json_integer_value(json_object_get(p, "score")),
           json_is_true(json_object_get(p, "exact")) ? "exact" : "     ",
           (long long)json_integer_value(json_object_get(a, "id")),
           json_string_value(json_object_get(a, "name")),
           (long long)json_integer_value(json_object_get(b, "id")),
           json_string_value(json_object_get(b, "name")));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(p, "reasons"), i, r)
    {
        printf("%s%s=%s", i ? ", " : "", json_string_value(json_object_get(r, "key")),
               json_string_value(json_object_get(r, "value")));
    }
    printf(")\n");
}

int cmd_duplicates(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&duplicates_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    int64_t min_score = 50;
    const char *ms = cli_arg(&args, "min-score");
    if (ms && !xrm_parse_int(ms, 0, 100, &min_score))
        return cli_fail("--min-score must be a number from 0 to 100, not '%s'", ms);
    bool as_json = cli_flag(&args, "json");
    struct xrm_store *st;
    if (cli_open(cli_arg(&args, "db"), &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_ctx ctx = {.store = st, .user = {.id = 0, .name = "duplicates", .admin = true}};
    char *cursor = NULL;
    long long count = 0;
    int rc = 0;
    if (xrm_store_reader(st, &ctx.db, &err)) {
        rc = cli_fail("duplicates scan failed: %s", err.message);
        goto out;
    }
    do {
        json_t *page = NULL;
        if (xrm_duplicates_scan(&ctx, (int)min_score, ALL, cursor, &page, &err)) {
            rc = cli_fail("duplicates scan failed: %s", err.message);
            break;
        }
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(page, "items"), i, p)
        {
            if (as_json) {
                char *s = xrm_json_dump(p);
                puts(s);
                free(s);
            } else {
                print_pair(p);
            }
            count++;
        }
        free(cursor);
        const char *next = json_string_value(json_object_get(page, "next"));
        cursor = next ? xrm_strdup(next) : NULL;
        json_decref(page);
    } while (cursor);
    if (!rc && !as_json)
        printf("duplicates: %lld pairs scoring %lld or more\n", count, (long long)min_score);
out:
    free(cursor);
    xrm_store_free(st);
    return rc;
}
