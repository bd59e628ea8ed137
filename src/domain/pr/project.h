/*
 * Public relations: projects (a building project, say) and their
 * stakeholders, the influence x interest grid, and neighbours added by a
 * query in one step. Domain pr: read sees, write changes.
 *
 * project JSON: {"id", "name", "address", "postcode", "start", "end",
 * "description", "stakeholders" (how many), "created_by", "version",
 * "created_at", "updated_at"}.
 *
 * stakeholder JSON: {"id", "project", "party", "party_name", "influence",
 * "interest" (each 1-5), "stance" (supporter | neutral | critic), "note",
 * "quadrant", "created_by", "version", "created_at", "updated_at"}. A party
 * is a stakeholder of a project once. Every stance set (on create and on
 * each change) adds a row to the stance history.
 *
 * The grid: influence >= 3 and interest >= 3: manage_closely; influence >=
 * 3, interest < 3: keep_satisfied; influence < 3, interest >= 3:
 * keep_informed; else monitor (XRM_GRID_THRESHOLD).
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_PROJECT_H
#define XRM_DOMAIN_PROJECT_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_GRID_THRESHOLD 3
/* The most parties a bulk add takes in one step. */
#define XRM_BULK_STAKEHOLDERS_MAX 2000

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_project_kind;
extern const struct xrm_record_kind xrm_stakeholder_kind;

/* The plain operations of projects (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_project_ops;

/* {"items", "next"}: newest first. */
enum xrm_rc xrm_project_list(struct xrm_ctx *ctx, int limit, const char *cursor, json_t **out,
                             struct xrm_err *err);

/* POST /projects/{id}/stakeholders: in without "project" (the path gives it). */
enum xrm_rc xrm_stakeholder_create(struct xrm_ctx *ctx, int64_t project, json_t *in, json_t **out,
                                   struct xrm_err *err);
/* The other plain operations of stakeholders (domain/base/record.h): the route table's .ops. */
extern const struct xrm_record_ops xrm_stakeholder_ops;

/* {"items", "next": null}: every stakeholder of the project, by party name. */
enum xrm_rc xrm_stakeholder_list(struct xrm_ctx *ctx, int64_t project, json_t **out,
                                 struct xrm_err *err);
/* {"items": [{from, to, user, at}], "next": null}: the stance history, oldest first. */
enum xrm_rc xrm_stakeholder_history(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                    struct xrm_err *err);

/*
 * GET /projects/{id}/grid: {"project": {id, name}, "threshold",
 * "manage_closely", "keep_satisfied", "keep_informed", "monitor"} (each an
 * array of stakeholders, by party name).
 */
enum xrm_rc xrm_project_grid(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * POST /projects/{id}/stakeholders/bulk {"q", "influence" (default 2),
 * "interest" (default 4), "stance" (default neutral), "note"}: every party
 * the query finds (as the user may search) becomes a stakeholder, in one
 * write; parties that already are stay as they are. More than
 * XRM_BULK_STAKEHOLDERS_MAX matches: 422 on "q", nothing added.
 * {"matched", "added", "skipped"}.
 */
enum xrm_rc xrm_stakeholder_bulk(struct xrm_ctx *ctx, int64_t project, json_t *in, json_t **out,
                                 struct xrm_err *err);

/*
 * Inside a write transaction (demo data, the bulk add), a stakeholder of
 * project as user; out may be NULL.
 */
enum xrm_rc xrm_stakeholder_insert_tx(struct xrm_db *db, const struct xrm_user *user,
                                      int64_t project, json_t *in, json_t **out,
                                      struct xrm_err *err);

#endif
