/*
 * The seam between activity.c (validation, access, the public calls of
 * activity.h) and activity-db.c (the SQL on activities and
 * activity_parties). Private to those two files. Functions return XRM_OK or
 * fill err; out parameters are the caller's to free.
 */
#ifndef XRM_DOMAIN_ACTIVITY_DB_H
#define XRM_DOMAIN_ACTIVITY_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"
#include "domain/party/activity.h"

enum xrm_rc xrm_act_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_act_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                              int64_t *id_out, struct xrm_err *err);
enum xrm_rc xrm_act_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                              struct xrm_err *err);
enum xrm_rc xrm_act_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);
enum xrm_rc xrm_act_db_list(struct xrm_db *db, const struct xrm_user *reader,
                            const struct xrm_activity_filter *f, int n, const char *cursor_at,
                            int64_t cursor_id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_act_db_timeline(struct xrm_db *db, const struct xrm_user *reader, int64_t party_id,
                                int n, const char *cursor_at, int64_t cursor_id, json_t **out,
                                struct xrm_err *err);

/* Press releases and letters: *found whether segment id exists (the recipients). */
enum xrm_rc xrm_act_db_segment_exists(struct xrm_db *db, int64_t id, bool *found,
                                      struct xrm_err *err);

#endif
