/*
 * The DAV account of a user (account.h): addresses, address books,
 * calendars and the synced-segment marks. SQL in account-db.c.
 */
#include "domain/dav/account.h"
#include "domain/dav/account-db.h"
#include "domain/rules/segment.h"
#include "core/buf.h"
#include "core/messages.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* Whether id is in ids (ascending JSON integers; short lists). */
static bool marked(json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (json_integer_value(v) == id)
            return true;
    }
    return false;
}

/* The segments the user may read (by name) and the ids the user marked. */
static enum xrm_rc segments_and_marks(struct xrm_ctx *ctx, json_t **visible, json_t **marks,
                                      struct xrm_err *err)
{
    json_t *list = NULL;
    enum xrm_rc rc = xrm_segment_list(ctx, &list, err);
    if (!rc)
        rc = xrm_dav_db_marked(ctx->db, ctx->user.id, marks, err);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *visible = json_incref(json_object_get(list, "items"));
    json_decref(list);
    return XRM_OK;
}

enum xrm_rc xrm_dav_synced_segments(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *visible = NULL, *marks = NULL;
    enum xrm_rc rc = segments_and_marks(ctx, &visible, &marks, err);
    if (rc)
        return rc;
    json_t *res = json_array();
    size_t i;
    json_t *seg;
    json_array_foreach(visible, i, seg)
    {
        json_t *id = json_object_get(seg, "id");
        if (!marked(marks, json_integer_value(id)))
            continue;
        json_t *q = json_object_get(seg, "query");
        json_array_append_new(res, json_pack("{s:O, s:O, s:O}", "id", id, "name",
                                             json_object_get(seg, "name"), "query",
                                             q ? q : json_null()));
    }
    json_decref(visible);
    json_decref(marks);
    *out = res;
    return XRM_OK;
}

/* Appends s to b with every byte outside RFC 3986's unreserved set (and '@') percent-encoded. */
static void add_segment(struct xrm_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~@", *p))
            xrm_buf_addc(b, (char)*p);
        else
            xrm_buf_addf(b, "%%%02X", *p);
    }
}

/* base + "/dav/" + home + "/" + user + "/" (+ name + "/"); home NULL: the root. */
static json_t *dav_url(const char *base, const char *home, const char *user, const char *name)
{
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_buf_adds(&b, base);
    xrm_buf_adds(&b, "/dav/");
    if (home) {
        xrm_buf_adds(&b, home);
        xrm_buf_addc(&b, '/');
        add_segment(&b, user);
        xrm_buf_addc(&b, '/');
    }
    if (name) {
        add_segment(&b, name);
        xrm_buf_addc(&b, '/');
    }
    json_t *url = json_string(b.s);
    xrm_buf_release(&b);
    return url;
}

static json_t *address_books(const char *base, const char *user, json_t *visible, json_t *marks)
{
    json_t *books = json_array();
    json_array_append_new(books, json_pack("{s:s, s:s, s:o, s:n}", "name", "all", "displayname",
                                           xrm_msg("All parties"), "url",
                                           dav_url(base, "addressbooks", user, "all"), "segment"));
    size_t i;
    json_t *seg;
    json_array_foreach(visible, i, seg)
    {
        json_int_t id = json_integer_value(json_object_get(seg, "id"));
        if (!marked(marks, id))
            continue;
        char name[40];
        snprintf(name, sizeof(name), "segment-%lld", (long long)id);
        json_t *sname = json_object_get(seg, "name");
        json_array_append_new(books, json_pack("{s:s, s:O, s:o, s:{s:I, s:O}}", "name", name,
                                               "displayname", sname, "url",
                                               dav_url(base, "addressbooks", user, name), "segment",
                                               "id", id, "name", sname));
    }
    return books;
}

enum xrm_rc xrm_dav_account(struct xrm_ctx *ctx, const char *base, json_t **out,
                            struct xrm_err *err)
{
    json_t *visible = NULL, *marks = NULL;
    enum xrm_rc rc = segments_and_marks(ctx, &visible, &marks, err);
    if (rc)
        return rc;
    const char *user = ctx->user.name;
    json_t *segments = json_array();
    size_t i;
    json_t *seg;
    json_array_foreach(visible, i, seg)
    {
        json_t *id = json_object_get(seg, "id");
        json_array_append_new(segments, json_pack("{s:O, s:O, s:b}", "id", id, "name",
                                                  json_object_get(seg, "name"), "synced",
                                                  marked(marks, json_integer_value(id))));
    }
    json_t *calendars = json_pack(
        "[{s:s, s:s, s:o}, {s:s, s:s, s:o}]", "name", "tasks", "displayname", xrm_msg("Tasks"),
        "url", dav_url(base, "calendars", user, "tasks"), "name", "meetings", "displayname",
        xrm_msg("Meetings"), "url", dav_url(base, "calendars", user, "meetings"));
    *out = json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "url", dav_url(base, NULL, NULL, NULL),
                     "carddav", dav_url(base, "addressbooks", user, NULL), "caldav",
                     dav_url(base, "calendars", user, NULL), "username", user, "address_books",
                     address_books(base, user, visible, marks), "calendars", calendars, "segments",
                     segments);
    json_decref(visible);
    json_decref(marks);
    return XRM_OK;
}

struct mark_arg {
    int64_t user, segment;
    bool on;
};

static enum xrm_rc mark_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct mark_arg *a = arg;
    return xrm_dav_db_mark(db, a->user, a->segment, a->on, err);
}

enum xrm_rc xrm_dav_segment_mark(struct xrm_ctx *ctx, int64_t segment_id, bool synced,
                                 struct xrm_err *err)
{
    json_t *seg = NULL;
    /* the segment module's visibility: a private segment of someone else does not exist */
    enum xrm_rc rc = xrm_segment_get(ctx, segment_id, &seg, err);
    json_decref(seg);
    if (rc)
        return rc;
    struct mark_arg a = {ctx->user.id, segment_id, synced};
    return xrm_store_write(ctx->store, mark_tx, &a, err);
}
