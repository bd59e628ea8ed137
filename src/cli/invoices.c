/*
 * xrm invoices overdue: the overdue scan now (domain/billing/reminder.h),
 * as the daily job of `xrm serve` does: one task per open invoice past its
 * due date that has none yet, for the customer's account manager.
 */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/json.h"
#include "domain/billing/reminder.h"

#include <jansson.h>
#include <stdio.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"json", 'j', NULL, false, "print the tasks made as JSON"},
    {0},
};

const struct cli_cmd invoices_cmd = {
    .name = "invoices",
    .verb = "overdue",
    .synopsis = "invoices overdue --db PATH [--json]",
    .about = "Gives every open invoice whose due date has passed, and that has no overdue task\n"
             "yet, one task (domain sales, on the invoice's party, due today) for the account\n"
             "manager of the party's customer role, else for whoever made the invoice. Runs\n"
             "daily in `xrm serve` as well. The clock is the system's, or XRM_NOW (e.g.\n"
             "XRM_NOW=2027-01-15T09:00:00Z) for tests. Exit status 0 also when none is overdue.\n",
    .opts = opts,
};

int cmd_invoices(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    int status = cli_start(&invoices_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_ctx ctx = {.store = st}; /* the system: user id 0 */
    json_t *out = NULL;
    int rc = 0;
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_invoice_overdue_scan(&ctx, NULL, &out, &err)) {
        rc = cli_fail("%s", err.message);
    } else if (cli_flag(&args, "json")) {
        char *s = json_dumps(out, JSON_INDENT(2));
        puts(s ? s : "{}");
        xrm_json_text_free(s);
    } else {
        json_t *tasks = json_object_get(out, "tasks"), *t;
        size_t i;
        json_array_foreach(tasks, i, t)
        {
            printf("invoice %s: task %lld for user %lld\n",
                   json_string_value(json_object_get(t, "number")),
                   (long long)json_integer_value(json_object_get(t, "task")),
                   (long long)json_integer_value(json_object_get(t, "assignee")));
        }
        printf("invoices overdue: %zu task(s) made (today %s%s)\n", json_array_size(tasks),
               json_string_value(json_object_get(out, "today")),
               xrm_clock_is_fake() ? ", from XRM_NOW" : "");
    }
    json_decref(out);
    xrm_store_free(st);
    return rc;
}
