/*
 * SQL for segments (private to segment.c and segment-db.c). Segments cross
 * the seam as their API JSON (segment.h).
 */
#ifndef XRM_DOMAIN_SEGMENT_DB_H
#define XRM_DOMAIN_SEGMENT_DB_H

#include <jansson.h>

#include "store/store.h"

#define XRM_SEGMENT_NAME_MAX 100
#define XRM_SEGMENT_DESCRIPTION_MAX 500
/* Every segment fits one list: XRM_SEGMENTS_MAX (segment.h) with room to spare. */
#define XRM_SEGMENTS_ROWS_MAX 2000

/* Every segment by name (array, new reference). */
enum xrm_rc xrm_segment_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err);
/* XRM_E_NOTFOUND "no segment N" when absent. */
enum xrm_rc xrm_segment_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
/* seg: {"name", "query", "description", "shared"}. */
enum xrm_rc xrm_segment_db_insert(struct xrm_db *db, json_t *seg, int64_t created_by,
                                  int64_t *id_out, struct xrm_err *err);
enum xrm_rc xrm_segment_db_update(struct xrm_db *db, int64_t id, json_t *seg, struct xrm_err *err);
enum xrm_rc xrm_segment_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);
/* The id of another segment named name (not except_id), or 0. */
enum xrm_rc xrm_segment_db_name_used(struct xrm_db *db, const char *name, int64_t except_id,
                                     int64_t *id_out, struct xrm_err *err);
enum xrm_rc xrm_segment_db_count(struct xrm_db *db, int64_t *out, struct xrm_err *err);

#endif
