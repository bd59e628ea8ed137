/*
 * SQL for tiers: the descriptors of tier levels and tier proposals (generic
 * SQL of record-db.c), and the criteria of an evaluation.
 */
#include "domain/partners/tier-db.h"
#include "domain/base/query.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const char *const tiers[] = {"bronze", "silver", "gold", "strategic", NULL};
static const char *const directions[] = {"up", "down", NULL};
static const char *const statuses[] = {"pending", "accepted", "rejected", NULL};

static const struct xrm_field level_fields[] = {
    XRM_FIELD_ID("l"),
    {.name = "tier", .column = "l.tier", .type = XRM_FT_ENUM, .flags = RO, .values = tiers},
    {.name = "tier_order", .column = "l.tier_order", .type = XRM_FT_INT, .flags = RO, .min = 1},
    {.name = "min_revenue",
     .column = "l.min_revenue",
     .type = XRM_FT_MONEY,
     .max = XRM_AMOUNT_MAX,
     .doc = "Cents of won partner deals over the last 12 months"},
    {.name = "min_certified",
     .column = "l.min_certified",
     .type = XRM_FT_INT,
     .max = 100000,
     .doc = "Persons tagged certified linked to the partner"},
    {.name = "commission_pct",
     .column = "l.commission_pct",
     .type = XRM_FT_JSON,
     .doc = "A number 0-100: the commission of partners without their own"},
    XRM_FIELDS_STAMPS("l"),
};

const struct xrm_record_kind xrm_tier_level_kind = {
    .name = "partner_tier",
    .table = "partner_tier_levels",
    .alias = "l",
    .from = " FROM partner_tier_levels l",
    .title = "PartnerTier",
    .fields = level_fields,
    .nfields = sizeof(level_fields) / sizeof(level_fields[0]),
};

static const struct xrm_field proposal_fields[] = {
    XRM_FIELD_ID("t"),
    XRM_FIELD_PARTY("t"),
    {.name = "role", .column = "t.role_id", .type = XRM_FT_REF, .flags = RO, .min = 1},
    {.name = "from_tier",
     .column = "t.from_tier",
     .type = XRM_FT_ENUM,
     .flags = RO | NUL,
     .values = tiers},
    {.name = "to_tier", .column = "t.to_tier", .type = XRM_FT_ENUM, .flags = RO, .values = tiers},
    {.name = "direction",
     .column = "t.direction",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = directions},
    {.name = "revenue",
     .column = "t.revenue",
     .type = XRM_FT_MONEY,
     .flags = RO,
     .max = XRM_AMOUNT_MAX,
     .doc = "Revenue brought in over 12 months at the evaluation, cents"},
    {.name = "certified", .column = "t.certified", .type = XRM_FT_INT, .flags = RO},
    {.name = "status",
     .column = "t.status",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .values = statuses},
    {.name = "decided_by",
     .column = "t.decided_by",
     .type = XRM_FT_USER,
     .flags = RO | NUL,
     .min = 1},
    {.name = "decided_at", .column = "t.decided_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    XRM_FIELDS_STAMPS("t"),
};

const struct xrm_record_kind xrm_tier_proposal_kind = {
    .name = "tier_proposal",
    .table = "tier_proposals",
    .alias = "t",
    .from = " FROM tier_proposals t JOIN parties p ON p.id = t.party_id",
    .title = "TierProposal",
    .fields = proposal_fields,
    .nfields = sizeof(proposal_fields) / sizeof(proposal_fields[0]),
};

enum xrm_rc xrm_tier_db_revenue(struct xrm_db *db, int64_t partner_id, const char *since,
                                int64_t *out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT COALESCE(SUM(amount), 0) FROM deals WHERE "
                                        "partner_id = ? AND status = 'won' AND closed_at >= ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, partner_id);
    xrm_stmt_bind_text(s, 2, since);
    *out = 0;
    return xrm_rows_int(s, out, NULL, err);
}

enum xrm_rc xrm_tier_db_certified(struct xrm_db *db, int64_t partner_id, const char *today,
                                  int64_t *out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT COUNT(DISTINCT r.from_party) FROM relationships r "
                       "JOIN parties p ON p.id = r.from_party AND p.kind = 'person' "
                       "AND p.archived = 0 "
                       "JOIN party_tags t ON t.party_id = p.id AND t.tag = 'certified' "
                       "WHERE r.to_party = ? AND r.type IN ('works_at', 'contact_for') "
                       "AND (r.until IS NULL OR r.until >= ?)",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, partner_id);
    xrm_stmt_bind_text(s, 2, today);
    *out = 0;
    return xrm_rows_int(s, out, NULL, err);
}

static json_t *partner_row(struct xrm_stmt *s)
{
    json_t *o = json_pack("{s:I, s:I}", "party", (json_int_t)xrm_stmt_int(s, 0), "role",
                          (json_int_t)xrm_stmt_int(s, 1));
    json_t *attrs = xrm_json_load_stored(xrm_stmt_text(s, 2), false);
    json_object_set(o, "tier",
                    json_is_string(json_object_get(attrs, "tier")) ? json_object_get(attrs, "tier")
                                                                   : json_null());
    json_decref(attrs);
    return o;
}

enum xrm_rc xrm_tier_db_partners(struct xrm_db *db, const char *today, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT r.party_id, r.id, r.attributes FROM roles r "
                                        "JOIN parties p ON p.id = r.party_id AND p.archived = 0 "
                                        "WHERE r.type = 'partner' AND r.status = 'active' "
                                        "AND (r.until IS NULL OR r.until >= ?) ORDER BY r.party_id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, today);
    return xrm_rows_all(s, partner_row, out, err);
}

enum xrm_rc xrm_tier_db_pending(struct xrm_db *db, int64_t party_id, bool *out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT 1 FROM tier_proposals WHERE party_id = ? AND status = 'pending' LIMIT 1", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    *out = false;
    return xrm_rows_int(s, NULL, out, err);
}
