/*
 * Sales pipelines: named, ordered lists of stages, each with a win
 * probability and a kind (open, won or lost). The migration seeds the
 * default Dutch pipeline "Verkoop": Lead 10, Gekwalificeerd 25, Offerte 50,
 * Onderhandeling 75, Gewonnen 100 (won), Verloren 0 (lost).
 *
 * pipeline JSON: {"id", "name", "default": bool, "stages": [{"id", "name",
 * "probability", "kind", "position"}], "version", "created_at", "updated_at"}.
 * Input: {"name", "default", "stages": [{"id"?, "name", "probability",
 * "kind"?}]}: stages in board order; a stage with an id keeps its deals, a
 * stored stage left out is removed (refused while deals are in it). Every
 * pipeline has at least one open stage, exactly one won and one lost stage.
 *
 * Also the two views over the deals of pipelines: the board (columns with
 * their deals and sums) and the weighted forecast per month and owner.
 * Money is integer cents; sums count the deals of one currency (default
 * EUR) and "weighted" is round(sum of amount * probability / 100).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_PIPELINE_H
#define XRM_DOMAIN_PIPELINE_H

#include <jansson.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_pipeline_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
xrm_record_get_t xrm_pipeline_get;
/* Writes are for administrators (the route table enforces it). */
xrm_record_create_t xrm_pipeline_create;
xrm_record_update_t xrm_pipeline_update;
/* Refused (XRM_E_CONFLICT) while deals use the pipeline or when it is the default. */
xrm_record_delete_t xrm_pipeline_delete;

struct xrm_board_opts {
    const char *currency; /* sums count deals of this currency; NULL: EUR */
    int limit;            /* deals per column (1..500; 0: 50) */
    int closed_days;      /* won / lost columns show deals closed in the last N days; 0: 90 */
    int64_t owner;        /* 0: all owners */
};

/*
 * (board.c, a view over deals apart from pipeline.c, which deals call)
 * {"pipeline": {...}, "currency", "columns": [{"stage": {...}, "count",
 * "amount", "weighted", "deals": [deal...], "more": bool}], "totals":
 * {"count", "amount", "weighted"} (open stages only)}.
 */
enum xrm_rc xrm_pipeline_board(struct xrm_ctx *ctx, int64_t id, const struct xrm_board_opts *o,
                               json_t **out, struct xrm_err *err);

/* round(x100 / 100), halves away from zero: "weighted" sums. */
int64_t xrm_pipeline_rounded(int64_t x100);
/* c, or EUR when NULL or empty; a field error "currency" (400) when not ISO 4217. */
const char *xrm_pipeline_currency(const char *c, struct xrm_err *err);

struct xrm_forecast_opts {
    const char *currency; /* NULL: EUR */
    int64_t pipeline;     /* 0: all pipelines */
    const char *from;     /* "YYYY-MM", inclusive; NULL: no bound */
    const char *to;       /* "YYYY-MM", inclusive; NULL: no bound */
};

/*
 * The weighted forecast of open deals by month of expected close and owner:
 * {"currency", "months": [{"month": "YYYY-MM" | null, "count", "amount",
 * "weighted", "owners": [{"owner", "owner_name", "count", "amount",
 * "weighted"}]}], "owners": [per owner over all months], "total": {...}}.
 * Deals without an expected close date form the month null, listed last.
 */
enum xrm_rc xrm_forecast(struct xrm_ctx *ctx, const struct xrm_forecast_opts *o, json_t **out,
                         struct xrm_err *err);

/* For deal.c: the pipeline (with stages) on db; XRM_E_NOTFOUND "no pipeline N". */
enum xrm_rc xrm_pipeline_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
/* The default pipeline's id (the one marked default, else the oldest); 0 when none. */
enum xrm_rc xrm_pipeline_default(struct xrm_db *db, int64_t *id, struct xrm_err *err);
/* The stage object of pipeline p (as loaded) with id stage_id, or NULL (borrowed). */
json_t *xrm_pipeline_stage(json_t *p, int64_t stage_id);
/* The first stage of p of kind ("open", "won", "lost"), or NULL (borrowed). */
json_t *xrm_pipeline_first_stage(json_t *p, const char *kind);

#endif
