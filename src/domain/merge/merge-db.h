/*
 * SQL of merges (private to merge.c): the rows a merge moves, the
 * before-image of each row it touches, putting them back on undo, and the
 * merges table.
 *
 * The before-image is a JSON array of steps, in the order they were done;
 * undo takes them back in reverse order. A step is one of
 *   {"op": "move", "t": TABLE, "id", "from", "to"}  a row's party changed
 *     (relationships: "from" and "to" are [from_party, to_party] pairs;
 *     activity_parties: "id" is the activity)
 *   {"op": "delete", "t": TABLE, "row": [...], "attrs": [[...]]}  a row
 *     removed (a role merged into the survivor's, a relationship that would
 *     link the survivor to itself or repeat one, a second link of one
 *     activity), with every column (and a role's role_attrs rows)
 *   {"op": "change", "t": "roles", "id", "row": [status, since, until,
 *     attributes], "attrs": [[...]]}  the survivor's role that absorbed one
 * Each move step adds to the counters of `moves` (roles, relationships,
 * activities, deals, cases, agreements, consents, and the kinds that
 * merge-db.c's table moved[] counts).
 *
 * Every function runs on the caller's write connection; json arguments are
 * borrowed, *out are new references.
 */
#ifndef XRM_DOMAIN_MERGE_DB_H
#define XRM_DOMAIN_MERGE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

/*
 * What moving party m's records would touch, for the access check:
 * {"records": [{"t": TABLE, "id", "domain"}], "relationships": [{"id",
 * "domain" (null: a common type)}]}; consents have domain null.
 */
enum xrm_rc xrm_merge_db_touched(struct xrm_db *db, int64_t m, json_t **out, struct xrm_err *err);

/* True when party id has an erasure mark. */
enum xrm_rc xrm_merge_db_erased(struct xrm_db *db, int64_t id, bool *erased, struct xrm_err *err);

/*
 * Moves everything of party m onto survivor s (merged: every party of the
 * merge, so relationships among them collapse), appending steps to image
 * and counts to moves.
 */
enum xrm_rc xrm_merge_db_move(struct xrm_db *db, int64_t s, int64_t m, json_t *merged,
                              json_t *image, json_t *moves, struct xrm_err *err);

/*
 * Whether a merge moves the rows of table by column onto the survivor (and
 * undo moves them back): the records of one party column each, e.g.
 * ("quotes", "party_id"); roles, relationships and activity links have
 * their own steps and are not named here.
 */
bool xrm_merge_db_moves(const char *table, const char *column);

/* Takes the steps of image back, last first. */
enum xrm_rc xrm_merge_db_restore(struct xrm_db *db, json_t *image, struct xrm_err *err);

/* Stores a merge (created_at on the business clock); *id_out its id. */
enum xrm_rc xrm_merge_db_insert(struct xrm_db *db, int64_t user, int64_t survivor, json_t *from,
                                json_t *image, json_t *moves, const char *created_at,
                                int64_t *id_out, struct xrm_err *err);

/*
 * The merge row as {"id", "user" (null for the system), "party", "from",
 * "image", "moves", "created_at", "undone_at", "undone_by"};
 * XRM_E_NOTFOUND when absent.
 */
enum xrm_rc xrm_merge_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

enum xrm_rc xrm_merge_db_set_undone(struct xrm_db *db, int64_t id, int64_t user, const char *at,
                                    struct xrm_err *err);

#endif
