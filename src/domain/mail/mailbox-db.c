/*
 * SQL of mailboxes (mailbox-db.h).
 */
#include "domain/mail/mailbox-db.h"
#include "domain/base/row.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static char *dup_col(struct xrm_stmt *s, int c)
{
    const char *t = xrm_stmt_text(s, c);
    return t ? xrm_strdup(t) : NULL;
}

void xrm_mailbox_conn_release(struct xrm_mailbox_conn *c)
{
    if (!c)
        return;
    if (c->password)
        xrm_wipe(c->password, strlen(c->password));
    free(c->password);
    free(c->domain);
    free(c->imap_url);
    free(c->username);
    free(c->folder);
    free(c->bcc_address);
    memset(c, 0, sizeof *c);
}

enum xrm_rc xrm_mailbox_db_password(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT password FROM mailboxes WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = dup_col(s, 0);
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_mailbox_db_conn(struct xrm_db *db, int64_t id, struct xrm_mailbox_conn *out,
                                struct xrm_err *err)
{
    memset(out, 0, sizeof *out);
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT domain, imap_url, username, password, folder, last_uid, "
                       "uidvalidity, enabled, bcc_address FROM mailboxes WHERE id = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        out->id = id;
        out->domain = dup_col(s, 0);
        out->imap_url = dup_col(s, 1);
        out->username = dup_col(s, 2);
        out->password = dup_col(s, 3);
        out->folder = dup_col(s, 4);
        out->last_uid = xrm_stmt_int(s, 5);
        out->uidvalidity = xrm_stmt_int(s, 6);
        out->enabled = (int)xrm_stmt_int(s, 7);
        out->bcc_address = dup_col(s, 8);
    }
    xrm_stmt_done(s);
    if (r < 0)
        return xrm_rows_step_rc(err);
    if (r == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no mailbox %lld", (long long)id);
    return XRM_OK;
}

static json_t *id_row(struct xrm_stmt *s)
{
    return json_integer(xrm_stmt_int(s, 0));
}

enum xrm_rc xrm_mailbox_db_pollable(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(xrm_db_prepare(db,
                                       "SELECT id FROM mailboxes WHERE enabled = 1 AND "
                                       "imap_url IS NOT NULL AND imap_url <> '' ORDER BY id",
                                       err),
                        id_row, out, err);
}

enum xrm_rc xrm_mailbox_db_progress(struct xrm_db *db, int64_t id, int64_t last_uid,
                                    int64_t uidvalidity, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE mailboxes SET last_uid = ?, uidvalidity = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, last_uid);
    xrm_stmt_bind_int(s, 2, uidvalidity);
    xrm_stmt_bind_int(s, 3, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_mailbox_db_polled(struct xrm_db *db, int64_t id, const char *now, const char *error,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE mailboxes SET last_poll = ?, last_error = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_text(s, 2, error);
    xrm_stmt_bind_int(s, 3, id);
    return xrm_rows_run(s, err);
}
