/*
 * Segment SQL: the description of a segment (a saved query text with a
 * name) drives the generic SQL of domain/base/record-db.c; the list is by
 * name.
 */
#include "domain/rules/segment-db.h"
#include "domain/rules/segment.h"
#include "domain/base/query.h"
#include "domain/base/record.h"
#include "core/util.h"

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

/* A saved view's sort: the sorts of the party list (xrm_party_sort_valid). */
static const char *const sorts[] = {"name",     "-name",   "city",     "-city", "created",
                                    "-created", "updated", "-updated", NULL};

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("s"),
    {.name = "name",
     .column = "s.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED,
     .max = XRM_SEGMENT_NAME_MAX},
    {.name = "query",
     .column = "s.query",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED,
     .max = XRM_QUERY_MAX_LEN,
     .doc = "Query language text (\"\" for every party)"},
    {.name = "description",
     .column = "s.description",
     .type = XRM_FT_TEXT,
     .flags = NUL,
     .max = XRM_SEGMENT_DESCRIPTION_MAX},
    {.name = "owner",
     .column = "s.created_by",
     .type = XRM_FT_USER,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL,
     .min = 1,
     .doc = "The user who saved it"},
    {.name = "shared",
     .column = "s.shared",
     .type = XRM_FT_BOOL,
     .dflt = "true",
     .doc = "false: only its owner sees it"},
    {.name = "sort",
     .column = "s.list_sort",
     .type = XRM_FT_ENUM,
     .flags = NUL,
     .values = sorts,
     .doc = "The saved view's sort; null: the list's own order"},
    XRM_FIELDS_STAMPS("s"),
};

const struct xrm_record_kind xrm_segment_kind = {
    .name = "segment",
    .table = "segments",
    .alias = "s",
    .from = " FROM segments s",
    .title = "Segment",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

enum xrm_rc xrm_segment_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    const struct xrm_record_cond tenant = {.sql = "s.tenant = 1"};
    return xrm_record_db_list(db, &xrm_segment_kind, &tenant, 1, "s.name, s.id",
                              XRM_SEGMENTS_ROWS_MAX, 0, out, err);
}

enum xrm_rc xrm_segment_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_db_load(db, &xrm_segment_kind, id, out, err);
}

enum xrm_rc xrm_segment_db_insert(struct xrm_db *db, json_t *seg, int64_t created_by,
                                  int64_t *id_out, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_record_db_insert(db, &xrm_segment_kind, seg, created_by, now, id_out, err);
}

enum xrm_rc xrm_segment_db_update(struct xrm_db *db, int64_t id, json_t *seg, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_record_db_update(db, &xrm_segment_kind, id, seg, now, err);
}

enum xrm_rc xrm_segment_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return xrm_record_db_delete(db, &xrm_segment_kind, id, err);
}

enum xrm_rc xrm_segment_db_name_used(struct xrm_db *db, const char *name, int64_t except_id,
                                     int64_t *id_out, struct xrm_err *err)
{
    return xrm_record_db_taken(db, &xrm_segment_kind, "name", name, except_id, id_out, err);
}

enum xrm_rc xrm_segment_db_count(struct xrm_db *db, int64_t *out, struct xrm_err *err)
{
    return xrm_record_db_count(db, &xrm_segment_kind, out, err);
}
