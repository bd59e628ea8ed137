/*
 * The 360° view: the party read as GET /parties/{id} reads it, with its
 * timeline, open tasks and counts from view-db.c.
 *
 * A timeline shorter than its limit holds every activity of the party the
 * reader may see, so the open tasks and both counts follow from it without
 * asking the database again: the open tasks are its tasks not done, in the
 * order of the open-task query (due first, soonest first, then by id), the
 * counts its length and the number of those tasks. Only a full timeline
 * needs the open-task and count queries.
 */
#include "domain/party/view.h"
#include "domain/party/party.h"
#include "core/mem.h"

#include <stdlib.h> /* qsort */
#include <string.h>

#include "core/banned.h"

static bool is_open_task(json_t *a)
{
    const char *type = json_string_value(json_object_get(a, "type"));
    return type && strcmp(type, "task") == 0 && json_is_false(json_object_get(a, "done"));
}

/* The open-task query's ORDER BY: CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, id. */
static int task_cmp(const void *x, const void *y)
{
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    const char *da = json_string_value(json_object_get(a, "due"));
    const char *db = json_string_value(json_object_get(b, "due"));
    if (!da != !db)
        return da ? -1 : 1;
    int c = da ? strcmp(da, db) : 0;
    if (c)
        return c;
    json_int_t ia = json_integer_value(json_object_get(a, "id"));
    json_int_t ib = json_integer_value(json_object_get(b, "id"));
    return (ia > ib) - (ia < ib);
}

/* The open tasks (at most max, sorted) and counts of a complete timeline. */
static void from_timeline(json_t *timeline, size_t max, json_t **tasks, json_t **counts)
{
    size_t n = json_array_size(timeline), k = 0, i;
    json_t **open = xrm_malloc((n ? n : 1) * sizeof(*open)), *a;
    json_array_foreach(timeline, i, a)
    {
        if (is_open_task(a))
            open[k++] = a;
    }
    qsort(open, k, sizeof(*open), task_cmp);
    *tasks = json_array();
    for (i = 0; i < k && i < max; i++)
        json_array_append(*tasks, open[i]); /* shared with the timeline; nothing changes them */
    *counts = json_pack("{s:I, s:I}", "activities", (json_int_t)n, "open_tasks", (json_int_t)k);
    free(open);
}

enum xrm_rc xrm_view_party(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *party = NULL, *timeline = NULL, *tasks = NULL, *counts = NULL;
    enum xrm_rc rc = xrm_party_get(ctx, id, &party, err);
    if (!rc)
        rc = xrm_view_db_timeline(ctx->db, &ctx->user, id, XRM_VIEW_TIMELINE, &timeline, err);
    if (!rc && json_array_size(timeline) < XRM_VIEW_TIMELINE) {
        from_timeline(timeline, XRM_VIEW_TASKS, &tasks, &counts);
    } else {
        if (!rc)
            rc = xrm_view_db_open_tasks(ctx->db, &ctx->user, id, XRM_VIEW_TASKS, &tasks, err);
        if (!rc)
            rc = xrm_view_db_counts(ctx->db, &ctx->user, id, &counts, err);
    }
    if (!rc)
        *out = json_pack("{s:O, s:O, s:O, s:O}", "party", party, "timeline", timeline, "open_tasks",
                         tasks, "counts", counts);
    json_decref(party);
    json_decref(timeline);
    json_decref(tasks);
    json_decref(counts);
    return rc;
}
