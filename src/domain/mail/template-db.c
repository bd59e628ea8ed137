/*
 * SQL of e-mail templates (template-db.h).
 */
#include "domain/mail/template-db.h"
#include "domain/mail/template.h"
#include "domain/base/record.h"
#include "domain/base/row.h"

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define REQ XRM_FF_REQUIRED

static const char *const langs[] = {"nl", "en", NULL};

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("t"),
    {.name = "key",
     .column = "t.key",
     .type = XRM_FT_TEXT,
     .flags = REQ | XRM_FF_TRIM,
     .max = 40,
     .doc = "What the template is for: general, case_reply, quote, invoice, reminder, "
            "press_release, newsletter or an own key ([a-z0-9_])"},
    {.name = "lang", .column = "t.lang", .type = XRM_FT_ENUM, .flags = REQ, .values = langs},
    {.name = "name",
     .column = "t.name",
     .type = XRM_FT_TEXT,
     .flags = REQ | XRM_FF_TRIM,
     .max = 200},
    {.name = "subject",
     .column = "t.subject",
     .type = XRM_FT_TEXT,
     .flags = REQ,
     .max = XRM_MAIL_SUBJECT_MAX,
     .doc = "With placeholders such as {{number}}"},
    {.name = "body",
     .column = "t.body",
     .type = XRM_FT_TEXT,
     .flags = REQ,
     .max = XRM_MAIL_BODY_MAX,
     .doc = "Plain text with placeholders such as {{salutation}}"},
    {.name = "builtin",
     .column = "t.builtin",
     .type = XRM_FT_BOOL,
     .col = XRM_FC_JOINED,
     .flags = RO},
    XRM_FIELDS_STAMPS("t"),
};

const struct xrm_record_kind xrm_mail_template_kind = {
    .name = "mail_template",
    .table = "mail_templates",
    .alias = "t",
    .from = " FROM mail_templates t",
    .title = "MailTemplate",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

enum xrm_rc xrm_mail_template_db_taken(struct xrm_db *db, const char *key, const char *lang,
                                       int64_t except_id, int64_t *id, struct xrm_err *err)
{
    *id = 0;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id FROM mail_templates WHERE key = ? AND lang = ? "
                                        "AND id <> ? LIMIT 1",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, key);
    xrm_stmt_bind_text(s, 2, lang);
    xrm_stmt_bind_int(s, 3, except_id);
    bool found = false;
    return xrm_rows_int(s, id, &found, err);
}
