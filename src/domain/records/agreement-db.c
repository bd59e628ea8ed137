/*
 * The description of an agreement and the SQL of its list filters. The
 * columns are start_date / end_date (END is an SQL keyword); the API calls
 * them start / end.
 */
#include "domain/records/agreement-db.h"
#include "domain/base/access.h"
#include "domain/base/row.h"
#include "domain/records/records.h"

#include <string.h>

#include "core/banned.h"

const char *const xrm_agreement_kinds[] = {"customer_contract",
                                           "employment_contract",
                                           "partner_agreement",
                                           "supplier_contract",
                                           "nda",
                                           "other",
                                           NULL};
static const char *const statuses[] = {"upcoming", "active", "ended", NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("a"),
    XRM_FIELD_PARTY("a"),
    {.name = "kind",
     .column = "a.kind",
     .type = XRM_FT_ENUM,
     .flags = XRM_FF_REQUIRED,
     .max = 40,
     .values = xrm_agreement_kinds},
    {.name = "domain",
     .column = "a.domain",
     .type = XRM_FT_DOMAIN,
     .max = 32,
     .doc = "Default: the kind's domain"},
    {.name = "title",
     .column = "a.title",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_TRIM,
     .max = 200,
     .doc = "Default: the kind's title"},
    {.name = "start", .column = "a.start_date", .type = XRM_FT_DATE, .flags = XRM_FF_REQUIRED},
    {.name = "end",
     .column = "a.end_date",
     .type = XRM_FT_DATE,
     .flags = NUL,
     .doc = "null: open-ended"},
    {.name = "notice_days",
     .column = "a.notice_days",
     .type = XRM_FT_INT,
     .max = 3650,
     .dflt = "0"},
    {.name = "value",
     .column = "a.value",
     .type = XRM_FT_MONEY,
     .flags = NUL,
     .max = XRM_AMOUNT_MAX,
     .doc = "Integer cents"},
    {.name = "currency",
     .column = "a.currency",
     .type = XRM_FT_CURRENCY,
     .dflt = XRM_CURRENCY_DEFAULT,
     .valid = xrm_currency_valid},
    {.name = "auto_renew", .column = "a.auto_renew", .type = XRM_FT_BOOL, .dflt = "false"},
    {.name = "renew_months",
     .column = "a.renew_months",
     .type = XRM_FT_INT,
     .min = 1,
     .max = 120,
     .dflt = "12"},
    {.name = "owner",
     .column = "a.owner",
     .type = XRM_FT_USER,
     .flags = NUL,
     .min = 1,
     .doc = "Default: the creating user"},
    {.name = "notes",
     .column = "a.notes",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_SENSITIVE,
     .max = 65536},
    XRM_FIELDS_STAMPS("a"),
    {.name = "status",
     .type = XRM_FT_ENUM,
     .col = XRM_FC_NONE,
     .flags = RO,
     .values = statuses,
     .doc = "As of today"},
    {.name = "notice_by",
     .type = XRM_FT_DATE,
     .col = XRM_FC_NONE,
     .flags = RO | NUL,
     .doc = "end - notice_days"},
    {.name = "ends_in_days",
     .type = XRM_FT_INT,
     .col = XRM_FC_NONE,
     .flags = RO | NUL,
     .min = INT32_MIN},
    /* HR: the chain rule's warnings on a new fixed-term employment contract */
    {.name = "warnings",
     .type = XRM_FT_JSON,
     .col = XRM_FC_NONE,
     .flags = RO | NUL,
     .doc = "In the answer to a create only: [{code, message}] of the chain rule "
            "(ketenregeling): chain_fourth_contract, chain_three_years; the contract is "
            "created all the same. Else null"},
};

const struct xrm_record_kind xrm_agreement_kind = {
    .name = "agreement",
    .table = "agreements",
    .alias = "a",
    .from = " FROM agreements a JOIN parties p ON p.id = a.party_id",
    .title = "Agreement",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .has_links = true,
};

enum xrm_rc xrm_agr_db_list(struct xrm_db *db, const struct xrm_agreement_filter *f,
                            const char *const *dom, const char *today, const char *until, int n,
                            int64_t before_id, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[6] = {{0}};
    int nc = 0;
    const char *status = f->expiring > 0 ? "active" : f->status;
    c[nc].sql = XRM_ACCESS_MATCH("a.domain");
    for (int k = 0; k < XRM_NDOMAINS; k++)
        xrm_record_cond_text(&c[nc], dom[k]);
    nc++;
    if (f->party) {
        c[nc].sql = "a.party_id = ?";
        xrm_record_cond_num(&c[nc++], f->party);
    }
    if (f->kind) {
        c[nc].sql = "a.kind = ?";
        xrm_record_cond_text(&c[nc++], f->kind);
    }
    if (f->domain) {
        c[nc].sql = "a.domain = ?";
        xrm_record_cond_text(&c[nc++], f->domain);
    }
    if (status && strcmp(status, "upcoming") == 0) {
        c[nc].sql = "a.start_date > ?";
        xrm_record_cond_text(&c[nc++], today);
    } else if (status && strcmp(status, "active") == 0) {
        c[nc].sql = "a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?)";
        xrm_record_cond_text(&c[nc], today);
        xrm_record_cond_text(&c[nc++], today);
    } else if (status) {
        c[nc].sql = "a.end_date < ?";
        xrm_record_cond_text(&c[nc++], today);
    }
    if (f->expiring > 0) {
        c[nc].sql = "a.end_date IS NOT NULL AND a.end_date <= ?";
        xrm_record_cond_text(&c[nc++], until);
        return xrm_record_db_list(db, &xrm_agreement_kind, c, nc, "a.end_date, a.id", n, 0, out,
                                  err);
    }
    return xrm_record_db_list(db, &xrm_agreement_kind, c, nc, NULL, n, before_id, out, err);
}

enum xrm_rc xrm_agr_db_renew_due(struct xrm_db *db, const char *today, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id FROM agreements WHERE auto_renew = 1 AND "
                                        "end_date IS NOT NULL AND end_date < ? ORDER BY id",
                                        err);
    if (s)
        xrm_stmt_bind_text(s, 1, today);
    return xrm_rows_all(s, xrm_row_id, out, err);
}
