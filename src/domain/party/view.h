/*
 * The 360° view of a party: everything about it in one answer, for the
 * party screen of the web app. GET /api/v1/parties/{id}/view gives
 *
 *   {"party": the party as GET /parties/{id} gives it (roles, relationships
 *             both ways with the other party's name, treatment, health),
 *    "timeline": its latest 20 activities, newest first,
 *    "open_tasks": its open tasks (at most 100), soonest due first,
 *    "counts": {"activities": n, "open_tasks": n}}
 *
 * Activities are shaped as GET /activities/{id} gives them, plus "links":
 * [{"id", "name"}] of the parties they link. A fixed number of queries
 * whatever the data (no query per activity or per relationship). Open
 * deals, cases and agreements come with the party (its "records" summary,
 * added by the records module to every full party read).
 */
#ifndef XRM_DOMAIN_VIEW_H
#define XRM_DOMAIN_VIEW_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_VIEW_TIMELINE 20
#define XRM_VIEW_TASKS 100

enum xrm_rc xrm_view_party(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/* view-db.c: the latest n activities / up to n open tasks of a party (arrays, new references). */
/* Only activities of domains u may read are counted or listed. */
enum xrm_rc xrm_view_db_timeline(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                                 int n, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_view_db_open_tasks(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                                   int n, json_t **out, struct xrm_err *err);
/* {"activities": n, "open_tasks": n} */
enum xrm_rc xrm_view_db_counts(struct xrm_db *db, const struct xrm_user *u, int64_t party_id,
                               json_t **out, struct xrm_err *err);

#endif
