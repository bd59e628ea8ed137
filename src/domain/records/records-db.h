/*
 * SQL seam of records.c (private to records.c and records-db.c): users,
 * record-activity links and the per-party counts behind the party summary.
 */
#ifndef XRM_DOMAIN_RECORDS_DB_H
#define XRM_DOMAIN_RECORDS_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_rec_db_first_admin(struct xrm_db *db, int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_rec_db_user_name(struct xrm_db *db, int64_t id, char *out, size_t n,
                                 struct xrm_err *err);
enum xrm_rc xrm_rec_db_link(struct xrm_db *db, int64_t activity_id, const char *entity,
                            int64_t entity_id, const char *kind, struct xrm_err *err);
/*
 * [[activity id, kind], ...] newest first, of the activities reader may see
 * (domains it reads; a press release or letter under embargo only for pr
 * writers), like the activities list.
 */
enum xrm_rc xrm_rec_db_activity_ids(struct xrm_db *db, const struct xrm_user *reader,
                                    const char *entity, int64_t entity_id, int limit,
                                    json_t **out, struct xrm_err *err);

/*
 * The "records" objects (see records.h) of the parties of b as of now /
 * today: out[i] (b->n entries, new references) for b->ids[i]; cases and
 * agreements of the domains in dom only (XRM_NDOMAINS entries, NULL for a
 * domain left out); latest lists only when full. Three statements for the
 * counts of the whole page, and three more per party when full.
 */
struct xrm_batch;
enum xrm_rc xrm_rec_db_party_summaries(struct xrm_db *db, const struct xrm_batch *b,
                                       const char *const *dom, const char *now, const char *today,
                                       const char *soon, bool full, json_t **out,
                                       struct xrm_err *err);

#endif
