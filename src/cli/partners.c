/*
 * xrm partners tiers: evaluate the partner tiers now (domain/partners/
 * tier.h), as the monthly job does: a proposal for every active partner
 * whose criteria earn another tier and who has none pending. Nothing is
 * applied; a partners user accepts or rejects each proposal.
 */
#include "cli/cli.h"
#include "core/json.h"
#include "domain/partners/tier.h"

#include <jansson.h>
#include <stdio.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    {"db", 'd', "PATH", true, "the database"},
    {"json", 'j', NULL, false, "print the new proposals as JSON"},
    {0},
};

const struct cli_cmd partners_cmd = {
    .name = "partners",
    .verb = "tiers",
    .synopsis = "partners tiers --db PATH [--json]",
    .about = "Evaluates the partner tiers (revenue brought in over 12 months, certified people;\n"
             "thresholds in GET /api/v1/partner-tiers) and makes a tier proposal for every\n"
             "active partner whose criteria earn another tier and who has no proposal pending.\n"
             "Nothing is applied: a partners user accepts or rejects each proposal. xrm serve\n"
             "runs it monthly by itself (the background job partner-tiers, GET /api/v1/jobs);\n"
             "this runs it now. The clock is the system's, or XRM_NOW for tests.\n",
    .opts = opts,
};

int cmd_partners(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&partners_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db");
    struct xrm_store *st;
    if (cli_open(db, &st))
        return 1;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_ctx ctx = {.store = st}; /* the system: user id 0 */
    json_t *out = NULL;
    int rc = 0;
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_tier_evaluate(&ctx, &out, &err)) {
        rc = cli_fail("%s", err.message);
    } else if (cli_flag(&args, "json")) {
        char *s = json_dumps(out, JSON_INDENT(2));
        puts(s ? s : "{}");
        xrm_json_text_free(s);
    } else {
        json_t *items = json_object_get(out, "items"), *p;
        size_t i;
        json_array_foreach(items, i, p)
        {
            const char *from = json_string_value(json_object_get(p, "from_tier"));
            printf("party %lld %s: %s -> %s (%s)\n",
                   (long long)json_integer_value(json_object_get(p, "party")),
                   json_string_value(json_object_get(p, "party_name")), from ? from : "none",
                   json_string_value(json_object_get(p, "to_tier")),
                   json_string_value(json_object_get(p, "direction")));
        }
        printf("partners tiers: %lld partner(s) evaluated, %zu new proposal(s)\n",
               (long long)json_integer_value(json_object_get(out, "evaluated")),
               json_array_size(items));
    }
    json_decref(out);
    xrm_store_free(st);
    return rc;
}
