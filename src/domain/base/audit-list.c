/*
 * The audit trail API: one SQL walk backwards over audit ids, narrowed by
 * the filter and by the reader's readable domains (audit.domain), then the
 * per-entry filter of access.c. Entries that filter drops do not shorten a
 * page: the walk goes on until the page is full or the trail ends.
 */
#include "domain/base/audit-list.h"
#include "domain/base/access.h"
#include "core/buf.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static json_t *row_to_entry(struct xrm_stmt *s)
{
    json_t *e = json_object();
    json_object_set_new(e, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(e, "at", xrm_stmt_text(s, 1));
    if (xrm_stmt_is_null(s, 2))
        json_object_set_new(e, "user", json_null());
    else
        json_object_set_new(e, "user",
                            json_pack("{s:I, s:s?}", "id", (json_int_t)xrm_stmt_int(s, 2), "name",
                                      xrm_stmt_text(s, 3)));
    xrm_json_set_str(e, "action", xrm_stmt_text(s, 4));
    xrm_json_set_str(e, "entity", xrm_stmt_text(s, 5));
    json_object_set_new(e, "entity_id",
                        xrm_stmt_is_null(s, 6) ? json_null() : json_integer(xrm_stmt_int(s, 6)));
    json_object_set_new(e, "before",
                        xrm_stmt_is_null(s, 7) ? json_null()
                                               : xrm_json_load_stored(xrm_stmt_text(s, 7), false));
    json_object_set_new(e, "after",
                        xrm_stmt_is_null(s, 8) ? json_null()
                                               : xrm_json_load_stored(xrm_stmt_text(s, 8), false));
    return e;
}

/* One batch of at most n rows with id < before (0: from the newest). *last: lowest id seen. */
static enum xrm_rc batch(struct xrm_ctx *ctx, const struct xrm_audit_filter *f, int64_t before,
                         int n, json_t *items, int want, int *scanned, int64_t *last,
                         struct xrm_err *err)
{
    struct xrm_buf sql = XRM_BUF_INIT;
    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(&ctx->user, dom);
    xrm_buf_adds(&sql, "SELECT a.id, a.at, a.user_id, u.name, a.action, a.entity, a.entity_id, "
                       "a.before, a.after FROM audit a LEFT JOIN users u ON u.id = a.user_id");
    if (f->party)
        xrm_buf_adds(&sql, " JOIN audit_parties ap ON ap.audit_id = a.id AND ap.party_id = ?");
    xrm_buf_adds(
        &sql, " WHERE (a.domain IS NULL OR a.entity = 'role' OR " XRM_ACCESS_MATCH("a.domain") ")");
    if (f->user)
        xrm_buf_adds(&sql, " AND a.user_id = ?");
    if (f->entity)
        xrm_buf_adds(&sql, " AND a.entity = ?");
    if (f->entity && f->entity_id)
        xrm_buf_adds(&sql, " AND a.entity_id = ?");
    if (before)
        xrm_buf_adds(&sql, " AND a.id < ?");
    xrm_buf_adds(&sql, " ORDER BY a.id DESC LIMIT ?");
    struct xrm_stmt *s = xrm_db_prepare(ctx->db, sql.s, err);
    xrm_buf_release(&sql);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    if (f->party)
        xrm_stmt_bind_int(s, i++, f->party);
    for (int d = 0; d < XRM_NDOMAINS; d++)
        xrm_stmt_bind_text(s, i++, dom[d]);
    if (f->user)
        xrm_stmt_bind_int(s, i++, f->user);
    if (f->entity)
        xrm_stmt_bind_text(s, i++, f->entity);
    if (f->entity && f->entity_id)
        xrm_stmt_bind_int(s, i++, f->entity_id);
    if (before)
        xrm_stmt_bind_int(s, i++, before);
    xrm_stmt_bind_int(s, i, n);
    int r;
    *scanned = 0;
    json_t *rows = json_array();
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_array_append_new(rows, row_to_entry(s));
        (*scanned)++;
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(rows);
        return XRM_E_DB;
    }
    size_t k;
    json_t *e;
    json_array_foreach(rows, k, e)
    {
        if ((int)json_array_size(items) >= want)
            break;
        *last = json_integer_value(json_object_get(e, "id"));
        if (xrm_access_filter_audit(ctx, e))
            json_array_append(items, e);
    }
    json_decref(rows);
    return XRM_OK;
}

enum xrm_rc xrm_audit_list(struct xrm_ctx *ctx, const struct xrm_audit_filter *f, int limit,
                           const char *cursor, json_t **out, struct xrm_err *err)
{
    int64_t before = 0;
    if (!ctx->user.admin && ctx->user.id && !f->party && f->user != ctx->user.id)
        return xrm_errf(err, XRM_E_DENIED,
                        "only administrators may read the whole audit trail; ask for one party "
                        "(?party=ID) or your own changes (?user=%lld)",
                        (long long)ctx->user.id);
    if (cursor) {
        json_t *c = xrm_cursor_decode(cursor);
        bool ok = json_array_size(c) == 1 && json_is_integer(json_array_get(c, 0));
        if (ok)
            before = json_integer_value(json_array_get(c, 0));
        json_decref(c);
        if (!ok || before < 1)
            return xrm_err_field(err, XRM_E_MALFORMED, "cursor", "is not a cursor of this list");
    }
    if (limit < 1 || limit > XRM_LIST_MAX)
        limit = XRM_LIST_DEFAULT;
    json_t *items = json_array();
    int64_t last = before;
    for (;;) {
        int scanned = 0, want = limit + 1, n = limit + 1;
        enum xrm_rc rc = batch(ctx, f, last, n, items, want, &scanned, &last, err);
        if (rc) {
            json_decref(items);
            return rc;
        }
        if ((int)json_array_size(items) >= want || scanned < n)
            break;
    }
    json_t *next = json_null();
    if ((int)json_array_size(items) > limit) {
        json_array_remove(items, (size_t)limit);
        json_t *key =
            json_pack("[O]", json_object_get(json_array_get(items, (size_t)limit - 1), "id"));
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        next = json_string(c);
        free(c);
    }
    *out = json_pack("{s:o, s:o}", "items", items, "next", next);
    return XRM_OK;
}
