/*
 * The 360° view: the party read as GET /parties/{id} reads it, with its
 * timeline, open tasks and counts from view-db.c.
 */
#include "domain/party/view.h"
#include "domain/party/party.h"

#include "core/banned.h"

enum xrm_rc xrm_view_party(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *party = NULL, *timeline = NULL, *tasks = NULL, *counts = NULL;
    enum xrm_rc rc = xrm_party_get(ctx, id, &party, err);
    if (!rc)
        rc = xrm_view_db_timeline(ctx->db, &ctx->user, id, XRM_VIEW_TIMELINE, &timeline, err);
    if (!rc)
        rc = xrm_view_db_open_tasks(ctx->db, &ctx->user, id, XRM_VIEW_TASKS, &tasks, err);
    if (!rc)
        rc = xrm_view_db_counts(ctx->db, &ctx->user, id, &counts, err);
    if (!rc)
        *out = json_pack("{s:O, s:O, s:O, s:O}", "party", party, "timeline", timeline, "open_tasks",
                         tasks, "counts", counts);
    json_decref(party);
    json_decref(timeline);
    json_decref(tasks);
    json_decref(counts);
    return rc;
}
