/*
 * Activities: everything that happens with parties, in one timeline: note,
 * call, email, meeting, task (due, assignee, done), complaint, survey
 * (score 0-10), press_release. Each belongs to one domain and links one or
 * more parties.
 *
 * activity JSON: {"id", "type", "domain", "subject", "body", "parties": [ids],
 * "due", "done", "assignee", "score", "at", "created_by", "version",
 * "created_at", "updated_at"}.
 */
#ifndef XRM_DOMAIN_ACTIVITY_H
#define XRM_DOMAIN_ACTIVITY_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The description of an activity: fields, table, JSON Schema (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_activity_kind;

xrm_record_create_t xrm_activity_create;
xrm_record_get_t xrm_activity_get;
xrm_record_update_t xrm_activity_update;
xrm_record_delete_t xrm_activity_delete;

/* Filters for xrm_activity_list; zero / NULL fields do not filter. */
struct xrm_activity_filter {
    const char *type;
    const char *domain;
    int64_t assignee;
    int done; /* -1 any, 0 open, 1 done */
};

/* All activities newest first, {"items", "next"}. */
enum xrm_rc xrm_activity_list(struct xrm_ctx *ctx, const struct xrm_activity_filter *f, int limit,
                              const char *cursor, json_t **out, struct xrm_err *err);

/* The timeline of party page->id: its activities newest first (by "at", then id). */
xrm_record_list_t xrm_activity_timeline;

/* Validates and inserts inside the caller's transaction (bulk import); out may be NULL. */
enum xrm_rc xrm_activity_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                   const char *prefix, json_t **out, struct xrm_err *err);

#endif
