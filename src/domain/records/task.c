/*
 * Tasks as people work from them ("my tasks": overdue, today, upcoming)
 * and the per-user calendar feed secrets.
 *
 * Tasks are read one by one through xrm_activity_get, so they carry exactly
 * what the activity API answers (and whatever access rules apply to it);
 * one the reader may not see (not found) is left out.
 *
 * A feed secret is 32 random bytes in base64url: 256 bits, sent only once.
 * The database keeps its SHA-256, as it does for API tokens.
 */
#include "domain/records/task.h"
#include "domain/records/task-db.h"
#include "domain/party/activity.h"
#include "domain/base/audit.h"
#include "domain/users/auth.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define OPEN_MAX 10000 /* lists: totals exact up to 10,000 */
#define FEED_MAX 2000
#define FEED_DONE_DAYS 90
#define FEED_PATH "/api/v1/ical/"

static const char *group_of(const char *due, const char *now, const char *today)
{
    char local[XRM_DATE_LEN];
    int64_t t;
    if (!due)
        return "upcoming";
    if (strlen(due) == 10) {
        int c = strcmp(due, today);
        return c < 0 ? "overdue" : c == 0 ? "today" : "upcoming";
    }
    if (strcmp(due, now) < 0)
        return "overdue";
    if (!xrm_time_parse(due, &t))
        return "upcoming";
    xrm_date_local(t, local);
    return strcmp(local, today) <= 0 ? "today" : "upcoming";
}

static const char *const task_groups[] = {"overdue", "today", "upcoming", NULL};

static bool task_group_known(const char *g)
{
    for (int i = 0; task_groups[i]; i++)
        if (strcmp(task_groups[i], g) == 0)
            return true;
    return false;
}

/*
 * Lists: which group a page shows and from where. A cursor is [group,
 * offset] (the offset into the group as counted now); a group without a
 * cursor starts at 0.
 */
static enum xrm_rc task_page_of(const char *group, const char *cursor, const char **g_out,
                                int64_t *offset, struct xrm_err *err)
{
    *g_out = NULL;
    *offset = 0;
    if (group && !task_group_known(group))
        return xrm_err_field(err, XRM_E_INVALID, "group",
                             "unknown group '%s' (overdue, today or upcoming)", group);
    *g_out = group;
    if (!cursor)
        return XRM_OK;
    json_t *cur = xrm_cursor_decode(cursor);
    const char *g = json_string_value(json_array_get(cur, 0));
    json_t *off = json_array_get(cur, 1);
    enum xrm_rc rc = XRM_OK;
    if (!cur || json_array_size(cur) != 2 || !g || !task_group_known(g) || !json_is_integer(off) ||
        json_integer_value(off) < 0 || (group && strcmp(g, group) != 0))
        rc = xrm_err_field(err, XRM_E_MALFORMED, "cursor",
                           "not a cursor of this list (use 'next' of the previous answer)");
    else {
        *g_out = task_groups[0];
        for (int i = 0; task_groups[i]; i++)
            if (strcmp(task_groups[i], g) == 0)
                *g_out = task_groups[i];
        *offset = json_integer_value(off);
    }
    json_decref(cur);
    return rc;
}

enum xrm_rc xrm_task_mine(struct xrm_ctx *ctx, int64_t assignee, const char *group, int limit,
                          const char *cursor, json_t **out, struct xrm_err *err)
{
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN];
    json_t *ids = NULL;
    const char *only = NULL;
    int64_t offset = 0;
    if (limit < 1)
        limit = XRM_LIST_DEFAULT;
    if (limit > XRM_LIST_MAX)
        limit = XRM_LIST_MAX;
    enum xrm_rc rc = task_page_of(group, cursor, &only, &offset, err);
    if (rc)
        return rc;
    xrm_clock_now(now);
    xrm_clock_today(today);
    rc = xrm_task_db_open(ctx->db, assignee, OPEN_MAX + 1, &ids, err);
    if (rc)
        return rc;
    bool capped = json_array_size(ids) > OPEN_MAX;
    json_t *res = json_pack("{s:s, s:s, s:[], s:[], s:[], s:{s:i, s:i, s:i}}", "now", now, "date",
                            today, "overdue", "today", "upcoming", "counts", "overdue", 0, "today",
                            0, "upcoming", 0);
    json_t *counts = json_object_get(res, "counts");
    size_t i;
    json_t *id;
    json_int_t total = 0;
    json_array_foreach(ids, i, id)
    {
        json_t *t = NULL;
        struct xrm_err e = XRM_ERR_INIT;
        if (i == OPEN_MAX)
            break;
        rc = xrm_activity_get(ctx, json_integer_value(id), &t, &e);
        if (rc == XRM_E_NOTFOUND) {
            rc = XRM_OK;
            continue;
        }
        if (rc) {
            *err = e;
            break;
        }
        const char *g = group_of(json_string_value(json_object_get(t, "due")), now, today);
        json_int_t n = json_integer_value(json_object_get(counts, g));
        json_object_set_new(counts, g, json_integer(n + 1));
        total++;
        /* one group from the cursor's offset, or the first page of each */
        if ((!only || strcmp(only, g) == 0) && n >= offset && n < offset + limit)
            json_array_append(json_object_get(res, g), t);
        json_decref(t);
    }
    json_decref(ids);
    if (rc) {
        json_decref(res);
        return rc;
    }
    json_t *next = json_object();
    for (int k = 0; task_groups[k]; k++) {
        const char *g = task_groups[k];
        json_int_t n = json_integer_value(json_object_get(counts, g));
        json_t *c = json_null();
        if ((!only || strcmp(only, g) == 0) && n > offset + limit) {
            json_t *key = json_pack("[s, I]", g, (json_int_t)(offset + limit));
            char *text = xrm_cursor_encode(key);
            json_decref(key);
            c = json_string(text);
            free(text);
        }
        json_object_set_new(next, g, c);
    }
    json_object_set_new(res, "next", next);
    json_object_set_new(res, "total", json_integer(total));
    json_object_set_new(res, "total_capped", json_boolean(capped));
    *out = res;
    return XRM_OK;
}

static void secret_hash(const char *secret, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    xrm_hex(h, sizeof(h), out);
}

struct feed_arg {
    const struct xrm_user *user;
    char hash[65];
    char now[XRM_TIME_LEN];
    int revoked;
};

static enum xrm_rc feed_create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct feed_arg *f = arg;
    enum xrm_rc rc = xrm_task_db_feed_replace(db, f->user->id, f->hash, f->now, err);
    json_t *after = json_pack("{s:s}", "created_at", f->now);
    if (!rc)
        rc = xrm_audit_add(db, f->user, "create", "calendar_feed", f->user->id, NULL, after, err);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_calendar_feed_create(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    unsigned char raw[32];
    char secret[XRM_FEED_SECRET_MAX], url[XRM_FEED_SECRET_MAX + 32];
    struct feed_arg f = {.user = &ctx->user};
    if (!ctx->user.id)
        return xrm_errf(err, XRM_E_INVALID, "a calendar feed belongs to a user");
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(secret, sizeof(secret), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    xrm_wipe(raw, sizeof(raw));
    secret_hash(secret, f.hash);
    xrm_now(f.now);
    enum xrm_rc rc = xrm_store_write(ctx->store, feed_create_tx, &f, err);
    if (!rc) {
        snprintf(url, sizeof(url), FEED_PATH "%s.ics", secret);
        *out = json_pack("{s:s, s:s, s:b}", "url", url, "created_at", f.now, "active", 1);
    }
    xrm_wipe(secret, sizeof(secret));
    xrm_wipe(url, sizeof(url));
    return rc;
}

enum xrm_rc xrm_calendar_feed_get(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *f = NULL;
    enum xrm_rc rc = xrm_task_db_feed_get(ctx->db, ctx->user.id, &f, err);
    if (rc)
        return rc;
    if (!f)
        f = json_pack("{s:n, s:n}", "created_at", "last_used_at");
    json_object_set_new(f, "active",
                        json_boolean(json_is_string(json_object_get(f, "created_at"))));
    *out = f;
    return XRM_OK;
}

static enum xrm_rc feed_revoke_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct feed_arg *f = arg;
    enum xrm_rc rc = xrm_task_db_feed_revoke(db, f->user->id, &f->revoked, err);
    if (!rc && f->revoked)
        rc = xrm_audit_add(db, f->user, "delete", "calendar_feed", f->user->id, NULL, NULL, err);
    return rc;
}

enum xrm_rc xrm_calendar_feed_revoke(struct xrm_ctx *ctx, struct xrm_err *err)
{
    struct feed_arg f = {.user = &ctx->user};
    enum xrm_rc rc = xrm_store_write(ctx->store, feed_revoke_tx, &f, err);
    if (!rc && !f.revoked)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "you have no calendar feed");
    return rc;
}

enum xrm_rc xrm_calendar_feed_user(struct xrm_ctx *ctx, const char *secret, struct xrm_user *out,
                                   struct xrm_err *err)
{
    char hash[65], name[64];
    size_t n = secret ? strlen(secret) : 0;
    if (n < 16 || n >= XRM_FEED_SECRET_MAX)
        return xrm_errf(err, XRM_E_NOTFOUND, "no such calendar feed");
    for (size_t i = 0; i < n; i++) {
        char c = secret[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return xrm_errf(err, XRM_E_NOTFOUND, "no such calendar feed");
    }
    secret_hash(secret, hash);
    enum xrm_rc rc = xrm_task_db_feed_owner(ctx->db, hash, name, sizeof(name), err);
    if (rc)
        return rc;
    if (!name[0])
        return xrm_errf(err, XRM_E_NOTFOUND, "no such calendar feed");
    return xrm_user_find(ctx->db, name, out, err);
}

enum xrm_rc xrm_calendar_feed_items(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    char since[XRM_DATE_LEN], today[XRM_DATE_LEN];
    json_t *ids = NULL, *items = json_array();
    xrm_clock_today(today);
    xrm_date_add_days(today, -FEED_DONE_DAYS, since);
    enum xrm_rc rc = xrm_task_db_feed(ctx->db, ctx->user.id, since, FEED_MAX, &ids, err);
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id)
    {
        json_t *a = NULL;
        struct xrm_err e = XRM_ERR_INIT;
        if (rc)
            break;
        rc = xrm_activity_get(ctx, json_integer_value(id), &a, &e);
        if (rc == XRM_E_NOTFOUND) {
            rc = XRM_OK;
            continue;
        }
        if (rc)
            *err = e;
        else
            json_array_append_new(items, a);
    }
    json_decref(ids);
    if (!rc)
        rc = xrm_calendar_decorate(ctx, items, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return XRM_OK;
}

/* Decoration is read this many activities at a time (an IN list per chunk). */
#define DECORATE_CHUNK 100

static void link_of(json_t *a, json_t *links, json_t *names)
{
    char key[24], path[64];
    snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(a, "id")));
    json_t *rec = json_object_get(links, key);
    json_t *parties = json_object_get(a, "parties");
    const char *type = json_string_value(json_object_get(a, "type"));
    path[0] = '\0';
    if (rec)
        snprintf(path, sizeof(path), "/%ss/%lld", json_string_value(json_array_get(rec, 0)),
                 (long long)json_integer_value(json_array_get(rec, 1)));
    else if (json_array_size(parties) > 0)
        snprintf(path, sizeof(path), "/parties/%lld",
                 (long long)json_integer_value(json_array_get(parties, 0)));
    else if (type && strcmp(type, "task") == 0)
        snprintf(path, sizeof(path), "/tasks");
    json_object_set_new(a, "link", path[0] ? json_string(path) : json_null());
    json_t *list = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(parties, i, p)
    {
        snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(p));
        json_t *n = json_object_get(names, key);
        if (json_is_string(n) && json_string_length(n) > 0)
            json_array_append(list, n);
    }
    json_object_set_new(a, "party_names", list);
}

static enum xrm_rc decorate_chunk(struct xrm_db *db, json_t *items, size_t from, size_t to,
                                  struct xrm_err *err)
{
    size_t n = 0, np = 0, i, j;
    int64_t *ids = xrm_calloc(to - from, sizeof(int64_t));
    int64_t *pids = xrm_calloc((to - from) * 50 + 1, sizeof(int64_t));
    json_t *names = json_object(), *links = json_object(), *p;
    for (i = from; i < to; i++) {
        json_t *a = json_array_get(items, i);
        ids[n++] = json_integer_value(json_object_get(a, "id"));
        json_array_foreach(json_object_get(a, "parties"), j, p)
        {
            if (j < 50)
                pids[np++] = json_integer_value(p);
        }
    }
    struct xrm_batch b, bp;
    xrm_batch_init_ids(&b, ids, n);
    xrm_batch_init_ids(&bp, pids, np);
    enum xrm_rc rc = n ? xrm_task_db_record_links(db, &b, links, err) : XRM_OK;
    if (!rc && np)
        rc = xrm_task_db_party_names(db, &bp, names, err);
    for (i = from; !rc && i < to; i++)
        link_of(json_array_get(items, i), links, names);
    xrm_batch_release(&b);
    xrm_batch_release(&bp);
    json_decref(names);
    json_decref(links);
    free(ids);
    free(pids);
    return rc;
}

enum xrm_rc xrm_calendar_decorate(struct xrm_ctx *ctx, json_t *items, struct xrm_err *err)
{
    size_t n = json_array_size(items);
    for (size_t from = 0; from < n; from += DECORATE_CHUNK) {
        size_t to = from + DECORATE_CHUNK < n ? from + DECORATE_CHUNK : n;
        enum xrm_rc rc = decorate_chunk(ctx->db, items, from, to, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}
