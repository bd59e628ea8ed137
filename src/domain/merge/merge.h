/*
 * Merging duplicate parties into one survivor, with a preview and an undo.
 *
 * A merge fills the survivor's empty fields from the merged parties (its own
 * values win; list fields are united without duplicates), moves their
 * roles (overlapping roles of one type become one), relationships,
 * activities, deals, cases, agreements and consents onto it, and archives
 * the merged parties with "merged_into". It keeps a before-image of every
 * row it changed, so that within XRM_MERGE_UNDO_DAYS the user who merged
 * (or an administrator) can undo it. Everything runs in one write
 * transaction: a refusal (422, 403, 404) changes nothing.
 *
 * Every table that refers to a party, and what a merge does with it:
 * - roles (with their role_attrs rows), relationships (both ends),
 *   activity_parties, deals, cases, agreements, consents: moved (merge-db.c);
 * - party_tags, party_cities, the search index: follow the survivor's new
 *   fields through the party module's update; the archived party keeps its own;
 * - audit_parties: left alone: history stays with the record it happened
 *   to, and the merged party points at the survivor;
 * - party_photos: the merged party's photo moves to a survivor that has
 *   none (and back on undo); else each keeps its own;
 * - erasures: an erased party cannot be merged (422);
 * - record_activities links activities to records, whose ids do not change;
 *   calendar_feeds belong to users; automation_fired markers stay;
 * - role attributes of type party that name a merged party keep naming it
 *   (it carries "merged_into").
 * A merge runs no treatment-rule constraints on the roles it moves.
 *
 * Ownership as domain/base/ctx.h says.
 */
#ifndef XRM_DOMAIN_MERGE_H
#define XRM_DOMAIN_MERGE_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_MERGE_FROM_MAX 10
#define XRM_MERGE_UNDO_DAYS 30

/*
 * The field choice, pure: survivor and the array merged hold stored parties
 * (xrm_party_load); choose (may be NULL) is {"field": party id} picking a
 * scalar field's value ("name" of a person picks its three name parts
 * together, "custom.KEY" one custom field). Gives the survivor's patch
 * (only fields that change), the preview's "fields" and "conflicts"
 * (scalar fields on which two parties hold different values), and the
 * number of tags the survivor gains. A choose naming an unknown field or a
 * party not in the merge is XRM_E_INVALID with field "choose.FIELD".
 */
enum xrm_rc xrm_merge_fields(json_t *survivor, json_t *merged, json_t *choose, json_t **patch,
                             json_t **fields, json_t **conflicts, int *tags_added,
                             struct xrm_err *err);

/*
 * POST /parties/{id}/merge: in is {"from": [ids], "preview": bool, "choose":
 * {...}}. Preview gives {"party", "fields", "conflicts", "moves"} and
 * changes nothing; otherwise {"id", "party", "moves", "undo_until"}.
 * Errors: 422 with field errors on "from" / "choose.FIELD", 404 for a
 * party that does not exist, 403 when the user may not change the
 * survivor, archive a merged party or write a moving record's domain.
 */
enum xrm_rc xrm_merge_parties(struct xrm_ctx *ctx, int64_t survivor, json_t *in, json_t **out,
                              struct xrm_err *err);

/*
 * A merge as {"id", "party", "from", "user", "moves", "created_at",
 * "undo_until", "undone_at", "undone_by"}. Only its user and administrators
 * see it: for anyone else it does not exist (404), like an import job.
 */
enum xrm_rc xrm_merge_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Undoes a merge: every row it moved or changed goes back as it was (rows
 * created on the survivor since stay there; a row moved elsewhere since
 * stays there; a survivor field changed since keeps its new value), the
 * merged parties are restored. Every row it touches gets a new version and
 * updated_at (a version is the If-Match token: an old number again would let
 * a stale client overwrite). The undoing user passes the party checks again
 * (change the survivor, archive rights over each restored party). Gives {"id",
 * "undone_at", "parties"}. 404 as xrm_merge_get; 409 "already_undone";
 * 409 "undo_expired" past XRM_MERGE_UNDO_DAYS (core/clock.h time).
 */
enum xrm_rc xrm_merge_undo(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

#endif
