/*
 * Segments: saved queries over parties (DESIGN.md "Query language"), used
 * for lists, exports, campaigns and address books, and as a condition of
 * treatment rules.
 *
 * segment JSON: {"id", "name", "query", "description", "created_by",
 * "version", "created_at", "updated_at"}. The query is checked by the
 * query-language parser when saved (a syntax error is 400 naming field
 * "query" and the position; a bad value is 422). Names are unique (409).
 *
 * Ownership as in party.h: *out values are new references; inputs are
 * borrowed.
 */
#ifndef XRM_DOMAIN_SEGMENT_H
#define XRM_DOMAIN_SEGMENT_H

#include <jansson.h>
#include <stddef.h>

#include "domain/base/ctx.h"

#define XRM_SEGMENTS_MAX 1000

/* The description of a segment (fields, table): the generic SQL and the API schema. */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_segment_kind;

/* {"items": [every segment, by name], "next": null}. */
enum xrm_rc xrm_segment_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
xrm_record_get_t xrm_segment_get;
xrm_record_create_t xrm_segment_create;
/*
 * A segment used by a rule keeps the rule's limits: its query may not filter
 * on treatment (priority:, badge:), which would make the rule depend on
 * itself. Deleting a segment a rule uses is refused (409 naming the rule).
 */
xrm_record_update_t xrm_segment_update;
xrm_record_delete_t xrm_segment_delete;

/*
 * Its members as GET /parties?q=<query>&sort=<sort> gives them: {"items",
 * "next", "total", "total_capped"}, paginated; sort (NULL: the segment's own
 * saved sort, lists) as xrm_party_list_sorted.
 */
xrm_record_list_t xrm_segment_members;

/* For rules: the name and query text of segment id (caller frees both); XRM_E_NOTFOUND. */
enum xrm_rc xrm_segment_query(struct xrm_db *db, int64_t id, char **name, char **query,
                              struct xrm_err *err);

/*
 * What segments ask of the treatment rules that use them (domain/rules/
 * rule.h), which sit above segments; set at start-up by domain/hooks.c.
 * used_by writes the name of a rule whose conditions use segment id into
 * name (n bytes; "" when none); changed is told after every segment write
 * (rules hold segment queries in memory). Until they are set, segment
 * writes fail (XRM_E_INTERNAL) rather than skip the check.
 */
struct xrm_segment_users {
    enum xrm_rc (*used_by)(struct xrm_db *db, int64_t id, char *name, size_t n,
                           struct xrm_err *err);
    void (*changed)(void);
};
void xrm_segment_users_set(const struct xrm_segment_users *users);

#endif
