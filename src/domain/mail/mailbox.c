/*
 * Mailboxes: the record kind and its list (mailbox.h); polling is in
 * mailbox-imap.c.
 */
#include "domain/mail/mailbox.h"
#include "domain/mail/mailbox-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define MAILBOXES_MAX 1000

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("m"),
    {.name = "name",
     .column = "m.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 100},
    {.name = "domain",
     .column = "m.domain",
     .type = XRM_FT_DOMAIN,
     .flags = XRM_FF_REQUIRED,
     .doc = "the domain whose timelines the mail received lands on"},
    {.name = "imap_url",
     .column = "m.imap_url",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE | XRM_FF_TRIM,
     .max = 500,
     .doc = "imap://host:port/FOLDER or imaps://host/FOLDER; null: no polling (deliver only)"},
    {.name = "username",
     .column = "m.username",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE,
     .max = 200},
    {.name = "password",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_INPUT | XRM_FF_NULLABLE,
     .max = 500,
     .doc = "write-only: kept to log in, never sent back; null removes it"},
    {.name = "secret", .column = "m.password", .type = XRM_FT_TEXT, .flags = XRM_FF_HIDDEN},
    {.name = "has_password",
     .type = XRM_FT_BOOL,
     .col = XRM_FC_NONE,
     .flags = RO,
     .doc = "whether a password is stored"},
    {.name = "folder",
     .column = "m.folder",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_TRIM,
     .max = 200,
     .dflt = "INBOX",
     .doc = "the IMAP folder when imap_url names none"},
    {.name = "bcc_address",
     .column = "m.bcc_address",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE | XRM_FF_TRIM,
     .max = 254,
     .doc = "mail delivered to this address is a user's own outgoing mail, logged on the "
            "recipients"},
    {.name = "enabled", .column = "m.enabled", .type = XRM_FT_BOOL, .dflt = "true"},
    {.name = "last_uid",
     .column = "m.last_uid",
     .type = XRM_FT_INT,
     .col = XRM_FC_JOINED,
     .flags = RO},
    {.name = "last_poll",
     .column = "m.last_poll",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_JOINED,
     .flags = RO | XRM_FF_NULLABLE},
    {.name = "last_error",
     .column = "m.last_error",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = RO | XRM_FF_NULLABLE},
    XRM_FIELDS_STAMPS("m"),
};

/* The stored password never leaves: has_password says whether there is one. */
static void row(json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "secret"));
    json_object_set_new(o, "has_password", json_boolean(s && *s));
    json_object_del(o, "secret");
}

const struct xrm_record_kind xrm_mailbox_kind = {
    .name = "mailbox",
    .table = "mailboxes",
    .alias = "m",
    .from = " FROM mailboxes m",
    .title = "Mailbox",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .row = row,
};

static bool valid_imap_url(const char *s)
{
    if (strncasecmp(s, "imap://", 7) != 0 && strncasecmp(s, "imaps://", 8) != 0)
        return false;
    const char *host = strstr(s, "://") + 3;
    if (!*host || *host == '/')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec, struct xrm_err *err)
{
    static const char *const plain[] = {"name",   "domain",      "imap_url", "username",
                                        "folder", "bcc_address", "enabled",  NULL};
    json_t *in = w->in;
    enum xrm_rc rc = XRM_OK;
    *rec = json_object();
    xrm_record_known_keys(&xrm_mailbox_kind, in, err);
    xrm_record_read_all(&xrm_mailbox_kind, plain, in, before, *rec, err);
    const char *url = json_string_value(json_object_get(*rec, "imap_url"));
    if (url && !*url)
        json_object_set_new(*rec, "imap_url", json_null());
    else if (url && !valid_imap_url(url))
        xrm_err_field(err, XRM_E_INVALID, "imap_url",
                      "must be an imap:// or imaps:// URL such as imap://mail.example.nl/INBOX");
    const char *bcc = json_string_value(json_object_get(*rec, "bcc_address"));
    if (bcc && !*bcc) {
        json_object_set_new(*rec, "bcc_address", json_null());
    } else if (bcc) {
        char norm[256];
        if (!xrm_valid_email(bcc) || !xrm_norm_email(bcc, norm, sizeof norm))
            xrm_err_field(err, XRM_E_INVALID, "bcc_address", "must be an e-mail address");
        else
            json_object_set_new(*rec, "bcc_address", json_string(norm));
    }
    /* the password: as given, null to remove it, else the stored one */
    json_t *pw = json_object_get(in, "password");
    if (pw && json_is_null(pw)) {
        json_object_set_new(*rec, "secret", json_null());
    } else if (pw) {
        const char *s = NULL;
        if (xrm_json_get_str(in, NULL, "password", 500, false, &s, err))
            json_object_set_new(*rec, "secret", json_string(s));
    } else if (before) {
        char *stored = NULL;
        rc = xrm_mailbox_db_password(db, w->id, &stored, err);
        json_object_set_new(*rec, "secret", stored ? json_string(stored) : json_null());
        if (stored)
            xrm_wipe(stored, strlen(stored));
        free(stored);
    } else {
        json_object_set_new(*rec, "secret", json_null());
    }
    return rc;
}

static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    (void)w;
    (void)action;
    return xrm_access_admin(&ctx->user, "mailboxes", err);
}

const struct xrm_record_ops xrm_mailbox_ops = {
    .kind = &xrm_mailbox_kind,
    .validate = validate,
    .no_domain = true,
    .begin = begin,
};

enum xrm_rc xrm_mailbox_list(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                             struct xrm_err *err)
{
    (void)page;
    json_t *items = NULL;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "mailboxes", err);
    if (!rc)
        rc = xrm_record_db_list(ctx->db, &xrm_mailbox_kind, NULL, 0, "m.id", MAILBOXES_MAX, 0,
                                &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}
