/*
 * On- and offboarding checklists. A template (admins and hr=write change
 * them) lists items: a title, who does it (hr, manager, it, employee, or a
 * user id) and offset_days from the start date (onboarding) or the end date
 * (offboarding). A checklist is a template started for a person: each item
 * becomes an hr task on the person (due = anchor date + offset), so it is in
 * the "my day" of whoever does it and on the person's timeline; ticking an
 * item is ticking its task, wherever that happens. An item for a named user
 * is assigned to that user; the others (users are not linked to people) to
 * the user who started the checklist, whose "who" the item keeps.
 *
 * Checklists start by themselves through the role listener
 * (xrm_checklist_on_role, set in domain/hooks.c): every auto_start template
 * of the kind, once per employee role and kind -
 *   onboarding  when an employee role becomes active (created active, or an
 *               applicant hired), from attributes.start_date (else since;
 *               a role with neither starts nothing);
 *   offboarding when it becomes former, or gets an end date
 *               (attributes.end_date or until), from that date (a role
 *               created as former starts nothing).
 * A date more than XRM_CHECKLIST_PAST_DAYS in the past starts nothing: that
 * is an old hire or leaver being entered, not one to prepare.
 *
 * template JSON: {"id", "name", "kind", "items": [{"title", "who",
 * "offset_days"}], "auto_start", "domain": "hr", "created_by", "version",
 * "created_at", "updated_at"}.
 * checklist JSON: {"id", "party", "party_name", "role", "template", "kind",
 * "name", "anchor_date", "domain": "hr", "items": [{"n" (from 1), "title", "who",
 * "offset_days", "activity", "due", "assignee", "assignee_name", "done",
 * "done_at", "done_by", "done_by_name"}], "progress": {"done", "total"},
 * "status": "open" | "done", "created_by", "version", "created_at",
 * "updated_at"}.
 *
 * Access: hr read sees them, hr write starts and ticks them and changes
 * templates. Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_HR_CHECKLIST_H
#define XRM_DOMAIN_HR_CHECKLIST_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_CHECKLIST_PAST_DAYS 30

/* The plain operations of checklist templates (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_checklist_template_ops;

/* {"items": [templates], "next": null}; kind NULL: both kinds. Empty without hr read. */
enum xrm_rc xrm_checklist_template_list(struct xrm_ctx *ctx, const char *kind, json_t **out,
                                        struct xrm_err *err);

/* Starts template for party by hand: in {"party", "template", "anchor_date"?, "role"?}. */
/*
 * The plain operations of checklists (POST and GET, with the items' state)
 * (domain/base/record.h): the route table's .ops.
 */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_checklist_ops;

/* Filters of xrm_checklist_list; zero / NULL fields do not filter. */
struct xrm_checklist_filter {
    const char *status; /* open | done */
    const char *kind;   /* onboarding | offboarding */
    int64_t party;
};
/* {"items", "next", "total"}: newest first; empty without hr read. */
enum xrm_rc xrm_checklist_list(struct xrm_ctx *ctx, const struct xrm_checklist_filter *f, int limit,
                               const char *cursor, json_t **out, struct xrm_err *err);

/*
 * Ticks an item of checklist id (its task done or not): in {"n" (the item's
 * number, from 1), "done": bool}; *out the checklist after.
 */
enum xrm_rc xrm_checklist_tick(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                               struct xrm_err *err);

/*
 * Inside the caller's write: starts template_id for party (role may be 0)
 * from anchor (YYYY-MM-DD) as user; *out (may be NULL) the checklist.
 */
enum xrm_rc xrm_checklist_start_tx(struct xrm_db *db, const struct xrm_user *user, int64_t party,
                                   int64_t role, int64_t template_id, const char *anchor,
                                   json_t **out, struct xrm_err *err);

/* The role listener (domain/party/role.h) that starts on- and offboarding. */
enum xrm_rc xrm_checklist_on_role(struct xrm_db *db, const struct xrm_user *user, json_t *before,
                                  json_t *after, struct xrm_err *err);

#endif
