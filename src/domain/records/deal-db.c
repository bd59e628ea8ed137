/*
 * SQL for deals and their stage history. deal.c validates; these functions
 * trust their arguments. The stage history keeps the stage names as they
 * were, so it still reads right after a stage is renamed or removed.
 *
 * xrm_deal_db_role_activate is the one write here outside the deal tables:
 * winning a deal activates the party's customer role. It changes the status
 * only (attributes and their role_attrs index stay as they are); deal.c
 * writes the audit row and touches the party.
 */
#include "domain/records/deal-db.h"
#include "domain/base/row.h"
#include "domain/records/records.h"
#include "core/json.h"

#include <string.h>

#include "core/banned.h"

static const char *const statuses[] = {"open", "won", "lost", NULL};
static const char *const prob_sources[] = {"deal", "stage", "status", NULL};
static const char *const partner_sources[] = {"given", "referral", NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("d"),
    XRM_FIELD_PARTY("d"),
    {.name = "pipeline",
     .column = "d.pipeline_id",
     .type = XRM_FT_REF,
     .min = 1,
     .doc = "Default: the default pipeline"},
    {.name = "stage",
     .column = "d.stage_id",
     .type = XRM_FT_REF,
     .min = 1,
     .doc = "A stage of the pipeline; default: the first open stage"},
    {.name = "stage_name",
     .column = "s.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "title",
     .column = "d.title",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 200},
    {.name = "amount",
     .column = "d.amount",
     .type = XRM_FT_MONEY,
     .max = XRM_AMOUNT_MAX,
     .dflt = "0",
     .doc = "Integer cents"},
    {.name = "currency",
     .column = "d.currency",
     .type = XRM_FT_CURRENCY,
     .dflt = XRM_CURRENCY_DEFAULT,
     .valid = xrm_currency_valid},
    {.name = "probability",
     .column = "d.probability",
     .type = XRM_FT_INT,
     .max = 100,
     .doc = "Effective: the deal's own, else its stage's; won 100, lost 0"},
    {.name = "probability_source",
     .type = XRM_FT_ENUM,
     .col = XRM_FC_NONE,
     .flags = RO,
     .values = prob_sources},
    {.name = "stage_probability",
     .column = "s.probability",
     .type = XRM_FT_INT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_HIDDEN},
    {.name = "expected_close", .column = "d.expected_close", .type = XRM_FT_DATE, .flags = NUL},
    {.name = "owner",
     .column = "d.owner",
     .type = XRM_FT_USER,
     .flags = NUL,
     .min = 1,
     .doc = "Default: the creating user"},
    {.name = "status",
     .column = "d.status",
     .type = XRM_FT_ENUM,
     .values = statuses,
     .doc = "Moves with the stage"},
    {.name = "lost_reason",
     .column = "d.lost_reason",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_TRIM,
     .max = 500,
     .doc = "Required when lost"},
    {.name = "closed_at", .column = "d.closed_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    /* Partners: the referring or co-selling partner, and whether a referral brought it */
    {.name = "partner",
     .column = "d.partner_id",
     .type = XRM_FT_PARTY,
     .flags = NUL,
     .min = 1,
     .doc = "A party holding a partner role; default: the partner who referred the party"},
    {.name = "partner_name",
     .column = "pp.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | NUL},
    {.name = "partner_source",
     .column = "d.partner_source",
     .type = XRM_FT_ENUM,
     .flags = RO | NUL,
     .values = partner_sources,
     .doc = "given: named on the deal; referral: from the party's referred_by relationship"},
    XRM_FIELDS_STAMPS("d"),
};

/* The effective probability: the deal's own, else its stage's; won 100, lost 0. */
static void deal_row(json_t *o)
{
    const char *status = json_string_value(json_object_get(o, "status"));
    json_t *own = json_object_get(o, "probability");
    int64_t prob =
        json_integer_value(json_is_integer(own) ? own : json_object_get(o, "stage_probability"));
    const char *source = json_is_integer(own) ? "deal" : "stage";
    if (status && strcmp(status, "won") == 0) {
        prob = 100;
        source = "status";
    } else if (status && strcmp(status, "lost") == 0) {
        prob = 0;
        source = "status";
    }
    json_object_set_new(o, "probability", json_integer(prob));
    json_object_set_new(o, "probability_source", json_string(source));
    json_object_del(o, "stage_probability");
}

const struct xrm_record_kind xrm_deal_kind = {
    .name = "deal",
    .table = "deals",
    .alias = "d",
    .from = " FROM deals d JOIN parties p ON p.id = d.party_id "
            "JOIN pipeline_stages s ON s.id = d.stage_id "
            "LEFT JOIN parties pp ON pp.id = d.partner_id",
    .title = "Deal",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .has_links = true,
    .delete_first = {"DELETE FROM deal_stage_history WHERE deal_id = ?"},
    .row = deal_row,
};

enum xrm_rc xrm_deal_db_history_add(struct xrm_db *db, int64_t deal_id, json_t *from, json_t *to,
                                    int64_t user_id, const char *at, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO deal_stage_history (deal_id, from_stage, "
                                        "from_name, to_stage, to_name, user_id, at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, deal_id);
    if (from) {
        xrm_stmt_bind_int(s, 2, json_integer_value(json_object_get(from, "id")));
        xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(from, "name")));
    } else {
        xrm_stmt_bind_null(s, 2);
        xrm_stmt_bind_null(s, 3);
    }
    xrm_stmt_bind_int(s, 4, json_integer_value(json_object_get(to, "id")));
    xrm_stmt_bind_text(s, 5, json_string_value(json_object_get(to, "name")));
    if (user_id)
        xrm_stmt_bind_int(s, 6, user_id);
    else
        xrm_stmt_bind_null(s, 6);
    xrm_stmt_bind_text(s, 7, at);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_deal_db_history(struct xrm_db *db, int64_t deal_id, json_t **out,
                                struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, from_stage, from_name, to_stage, to_name, "
                                        "user_id, at FROM deal_stage_history WHERE deal_id = ? "
                                        "ORDER BY id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, deal_id);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
        json_object_set_new(o, "from", xrm_row_int(s, 1));
        xrm_json_set_str(o, "from_name", xrm_stmt_text(s, 2));
        json_object_set_new(o, "to", json_integer(xrm_stmt_int(s, 3)));
        xrm_json_set_str(o, "to_name", xrm_stmt_text(s, 4));
        json_object_set_new(o, "user", xrm_row_int(s, 5));
        xrm_json_set_str(o, "at", xrm_stmt_text(s, 6));
        json_array_append_new(arr, o);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_deal_db_list(struct xrm_db *db, const struct xrm_deal_filter *f, int n,
                             int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[6] = {{0}};
    int nc = 0;
    if (f->party) {
        c[nc].sql = "d.party_id = ?";
        xrm_record_cond_num(&c[nc++], f->party);
    }
    if (f->pipeline) {
        c[nc].sql = "d.pipeline_id = ?";
        xrm_record_cond_num(&c[nc++], f->pipeline);
    }
    if (f->stage) {
        c[nc].sql = "d.stage_id = ?";
        xrm_record_cond_num(&c[nc++], f->stage);
    }
    if (f->owner) {
        c[nc].sql = "d.owner = ?";
        xrm_record_cond_num(&c[nc++], f->owner);
    }
    if (f->status) {
        c[nc].sql = "d.status = ?";
        xrm_record_cond_text(&c[nc++], f->status);
    }
    if (f->closed_since) {
        c[nc].sql = "(d.status = 'open' OR d.closed_at >= ?)";
        xrm_record_cond_text(&c[nc++], f->closed_since);
    }
    return xrm_record_db_list(db, &xrm_deal_kind, c, nc, NULL, n, before_id, out, err);
}

enum xrm_rc xrm_deal_db_role_activate(struct xrm_db *db, int64_t role_id, const char *today,
                                      const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE roles SET status = 'active', since = "
                                        "COALESCE(since, ?), version = version + 1, "
                                        "updated_at = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, today);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, role_id);
    return xrm_rows_run(s, err);
}

/* Partners: who referred a party, and whether a party is a partner */

enum xrm_rc xrm_deal_db_referrer(struct xrm_db *db, int64_t party_id, const char *today,
                                 int64_t *out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT r.to_party FROM relationships r WHERE r.type = 'referred_by' "
                       "AND r.from_party = ? AND (r.until IS NULL OR r.until >= ?) "
                       "AND EXISTS (SELECT 1 FROM roles ro WHERE ro.party_id = r.to_party "
                       "AND ro.type = 'partner' AND ro.status <> 'former' "
                       "AND (ro.until IS NULL OR ro.until >= ?)) ORDER BY r.id DESC LIMIT 1",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_text(s, 2, today);
    xrm_stmt_bind_text(s, 3, today);
    *out = 0;
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_deal_db_is_partner(struct xrm_db *db, int64_t party_id, const char *today,
                                   bool *out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT 1 FROM roles WHERE party_id = ? AND type = "
                                        "'partner' AND status <> 'former' AND (until IS NULL OR "
                                        "until >= ?) LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_text(s, 2, today);
    int r = xrm_stmt_step(s, err);
    *out = r == 1;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
