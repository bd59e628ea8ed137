/*
 * The board of a pipeline: a view over its deals, column by stage (see
 * pipeline.h). It lives apart from pipeline.c because it lists deals, and
 * deals validate against pipelines: pipeline.c stays below deal.c.
 */
#include "domain/records/pipeline.h"
#include "domain/records/pipeline-db.h"
#include "domain/base/access.h"
#include "domain/records/deal.h"
#include "core/clock.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define CLOSED_DAYS_DEFAULT 90

enum xrm_rc xrm_pipeline_board(struct xrm_ctx *ctx, int64_t id, const struct xrm_board_opts *o,
                               json_t **out, struct xrm_err *err)
{
    json_t *p = NULL, *sums = NULL, *columns = json_array();
    char since[XRM_TIME_LEN];
    int64_t tc = 0, ta = 0, tw = 0;
    const char *cur = xrm_pipeline_currency(o->currency, err);
    int closed_days = o->closed_days > 0 ? o->closed_days : CLOSED_DAYS_DEFAULT;
    enum xrm_rc rc = err->rc;
    if (!rc && xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_READ)
        rc = xrm_errf(err, XRM_E_DENIED, "the board needs read access to domain 'sales'");

    if (rc)
        goto out;
    xrm_time_format(xrm_clock_now_t() - (int64_t)closed_days * XRM_DAY_SECONDS, since);
    rc = xrm_pipe_db_load(ctx->db, id, &p, err);
    if (!rc)
        rc = xrm_pipe_db_board_sums(ctx->db, id, cur, since, o->owner, &sums, err);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(p, "stages"), i, s)
    {
        if (rc)
            break;
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(s, "id")));
        json_t *sum = json_object_get(sums, key);
        int64_t count = json_integer_value(json_object_get(sum, "count"));
        int64_t amount = json_integer_value(json_object_get(sum, "amount"));
        int64_t weighted =
            xrm_pipeline_rounded(json_integer_value(json_object_get(sum, "weighted_x100")));
        struct xrm_deal_filter f = {.pipeline = id,
                                    .stage = json_integer_value(json_object_get(s, "id")),
                                    .owner = o->owner,
                                    .closed_since = since};
        json_t *page = NULL;
        rc = xrm_deal_list(ctx, &f, o->limit, NULL, &page, err);
        if (rc)
            break;
        json_array_append_new(
            columns, json_pack("{s:O, s:I, s:I, s:I, s:O, s:b}", "stage", s, "count",
                               (json_int_t)count, "amount", (json_int_t)amount, "weighted",
                               (json_int_t)weighted, "deals", json_object_get(page, "items"),
                               "more", !json_is_null(json_object_get(page, "next"))));
        json_decref(page);
        if (strcmp(json_string_value(json_object_get(s, "kind")), "open") == 0) {
            tc += count;
            ta += amount;
            tw += json_integer_value(json_object_get(sum, "weighted_x100"));
        }
    }
    if (!rc)
        *out = json_pack("{s:O, s:s, s:i, s:O, s:{s:I, s:I, s:I}}", "pipeline", p, "currency", cur,
                         "closed_days", closed_days, "columns", columns, "totals", "count",
                         (json_int_t)tc, "amount", (json_int_t)ta, "weighted",
                         (json_int_t)xrm_pipeline_rounded(tw));
out:
    json_decref(p);
    json_decref(sums);
    json_decref(columns);
    return rc;
}
