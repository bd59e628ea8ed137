/*
 * SQL seam of pipeline.c (private to pipeline.c and pipeline-db.c): the
 * tables pipelines and pipeline_stages, and the grouped sums over deals
 * behind the board and the forecast.
 */
#ifndef XRM_DOMAIN_PIPELINE_DB_H
#define XRM_DOMAIN_PIPELINE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/records/pipeline.h"

enum xrm_rc xrm_pipe_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
/* Ids of all pipelines, default first, then by name; new array. */
enum xrm_rc xrm_pipe_db_ids(struct xrm_db *db, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_default(struct xrm_db *db, int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_name_taken(struct xrm_db *db, const char *name, int64_t except_id,
                                   bool *taken, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_insert(struct xrm_db *db, const char *name, bool is_default,
                               const char *now, int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_update(struct xrm_db *db, int64_t id, const char *name, bool is_default,
                               const char *now, struct xrm_err *err);
/* Clears the default mark of every pipeline but id. */
enum xrm_rc xrm_pipe_db_only_default(struct xrm_db *db, int64_t id, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

enum xrm_rc xrm_pipe_db_stage_insert(struct xrm_db *db, int64_t pipeline_id, int position,
                                     const char *name, int probability, const char *kind,
                                     int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_stage_update(struct xrm_db *db, int64_t id, int position, const char *name,
                                     int probability, const char *kind, struct xrm_err *err);
enum xrm_rc xrm_pipe_db_stage_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);
/* Number of deals in a stage (stage_id) or in a pipeline (pipeline_id; stage_id 0). */
enum xrm_rc xrm_pipe_db_deal_count(struct xrm_db *db, int64_t pipeline_id, int64_t stage_id,
                                   int64_t *n, struct xrm_err *err);

/*
 * Board sums of pipeline_id: an object keyed by stage id (text) of
 * {"count", "amount", "weighted_x100"}: counts over all currencies, amounts
 * over `currency` only. Won and lost deals count when closed at or after
 * closed_since. owner 0: all.
 */
enum xrm_rc xrm_pipe_db_board_sums(struct xrm_db *db, int64_t pipeline_id, const char *currency,
                                   const char *closed_since, int64_t owner, json_t **out,
                                   struct xrm_err *err);

/*
 * Forecast rows of open deals in currency: [[month or null, owner or null,
 * owner name or null, count, amount, weighted_x100], ...]. from / to are
 * "YYYY-MM" bounds (inclusive) or NULL; pipeline 0: all.
 */
enum xrm_rc xrm_pipe_db_forecast(struct xrm_db *db, const char *currency, int64_t pipeline,
                                 const char *from, const char *to, json_t **out,
                                 struct xrm_err *err);

#endif
