/*
 * Sync tokens over a collection's members (sync.h): snapshots as text, one
 * "name<TAB>etag" line per member sorted by name, compared and diffed here;
 * sync-db.c stores them.
 */
#include "domain/dav/sync.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/dav/sync-db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct member {
    const char *name;
    const char *etag;
};

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

/* A name or ETag that cannot stand in a line of the snapshot text. */
static bool storable(const char *s)
{
    return s && !strpbrk(s, "\t\n");
}

/* The snapshot text of members (kind->members' array), sorted by name. */
static char *members_text(json_t *members)
{
    size_t n = json_array_size(members), k = 0;
    struct member *m = xrm_calloc(n ? n : 1, sizeof(*m));
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(members, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *etag = json_string_value(json_object_get(e, "etag"));
        if (storable(name) && storable(etag))
            m[k++] = (struct member){name, etag};
    }
    qsort(m, k, sizeof(*m), member_cmp);
    struct xrm_buf b;
    xrm_buf_init(&b, 64 * (k + 1));
    for (size_t i = 0; i < k; i++)
        xrm_buf_addf(&b, "%s\t%s\n", m[i].name, m[i].etag);
    free(m);
    return xrm_buf_detach(&b, NULL);
}

/* Splits snapshot text (changed in place) into members; *n gets their count. */
static struct member *members_parse(char *text, size_t *n)
{
    size_t cap = 16, k = 0;
    struct member *m = xrm_calloc(cap, sizeof(*m));
    char *p = text;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(p, '\t');
        if (tab) {
            *tab = '\0';
            if (k == cap) {
                cap *= 2;
                m = xrm_realloc(m, cap * sizeof(*m));
            }
            m[k++] = (struct member){p, tab + 1};
        }
        p = nl ? nl + 1 : NULL;
    }
    *n = k;
    return m;
}

static void token_uri(const char *raw, char token[XRM_DAV_SYNC_TOKEN_LEN])
{
    snprintf(token, XRM_DAV_SYNC_TOKEN_LEN, "%s%s", XRM_DAV_SYNC_PREFIX, raw);
}

struct snap_arg {
    int64_t user;
    const char *collection;
    const char *members;
    char token[40]; /* out: the raw token of the latest snapshot */
};

/* Stores members as a new snapshot unless the latest one holds them already. */
static enum xrm_rc snap_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct snap_arg *a = arg;
    char *token = NULL, *members = NULL, now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_dav_sync_db_latest(db, a->user, a->collection, &token, &members, err);
    if (!rc && token && strcmp(members, a->members) == 0) {
        xrm_strlcpy(a->token, token, sizeof(a->token));
    } else if (!rc) {
        unsigned char raw[16];
        randombytes_buf(raw, sizeof(raw));
        xrm_hex(raw, sizeof(raw), a->token);
        xrm_now(now);
        rc = xrm_dav_sync_db_insert(db, a->user, a->collection, a->token, a->members, now,
                                    XRM_DAV_SYNC_KEEP, err);
    }
    free(token);
    free(members);
    return rc;
}

/* The raw token of text as the latest snapshot of key: read first, written only on a change. */
static enum xrm_rc current_token(struct xrm_ctx *ctx, const char *key, const char *text,
                                 char token[XRM_DAV_SYNC_TOKEN_LEN], struct xrm_err *err)
{
    char *latest = NULL, *members = NULL;
    enum xrm_rc rc = xrm_dav_sync_db_latest(ctx->db, ctx->user.id, key, &latest, &members, err);
    if (!rc && latest && strcmp(members, text) == 0) {
        token_uri(latest, token);
    } else if (!rc) {
        struct snap_arg a = {.user = ctx->user.id, .collection = key, .members = text};
        rc = xrm_store_write(ctx->store, snap_tx, &a, err);
        if (!rc)
            token_uri(a.token, token);
    }
    free(latest);
    free(members);
    return rc;
}

static void collection_key(const struct xrm_dav_kind *kind, const char *collection, char *key,
                           size_t n)
{
    snprintf(key, n, "%s/%s", kind->home, collection);
}

enum xrm_rc xrm_dav_sync_token(struct xrm_ctx *ctx, const struct xrm_dav_kind *kind,
                               const char *collection, char token[XRM_DAV_SYNC_TOKEN_LEN],
                               json_t **members_out, struct xrm_err *err)
{
    char key[XRM_DAV_NAME_LEN + 32];
    json_t *members = NULL;
    if (members_out)
        *members_out = NULL;
    enum xrm_rc rc = kind->members(ctx, collection, &members, err);
    if (rc)
        return rc;
    collection_key(kind, collection, key, sizeof(key));
    char *text = members_text(members);
    rc = current_token(ctx, key, text, token, err);
    free(text);
    if (!rc && members_out)
        *members_out = members;
    else
        json_decref(members);
    return rc;
}

/* The raw token of a token URI, or NULL when it is none of ours. */
static const char *token_raw(const char *token)
{
    size_t n = strlen(XRM_DAV_SYNC_PREFIX);
    if (strncmp(token, XRM_DAV_SYNC_PREFIX, n) != 0)
        return NULL;
    const char *raw = token + n;
    if (strlen(raw) != 32 || raw[strspn(raw, "0123456789abcdef")] != '\0')
        return NULL;
    return raw;
}

static enum xrm_rc bad_token(struct xrm_err *err)
{
    xrm_errf(err, XRM_E_PRECONDITION,
             "the sync token is unknown or too old; start over with a full sync");
    return xrm_err_code(err, "valid-sync-token");
}

enum xrm_rc xrm_dav_sync_changes(struct xrm_ctx *ctx, const struct xrm_dav_kind *kind,
                                 const char *collection, const char *token, json_t **changed,
                                 json_t **removed, char new_token[XRM_DAV_SYNC_TOKEN_LEN],
                                 struct xrm_err *err)
{
    char key[XRM_DAV_NAME_LEN + 32];
    char *old_text = NULL, *now_text = NULL;
    struct member *old = NULL, *cur = NULL;
    size_t nold = 0, ncur = 0;
    json_t *members = NULL;
    *changed = *removed = NULL;
    collection_key(kind, collection, key, sizeof(key));
    enum xrm_rc rc = XRM_OK;
    if (token && *token) {
        const char *raw = token_raw(token);
        if (!raw)
            return bad_token(err);
        rc = xrm_dav_sync_db_find(ctx->db, ctx->user.id, key, raw, &old_text, err);
        if (rc)
            return rc;
        if (!old_text)
            return bad_token(err);
    }
    rc = kind->members(ctx, collection, &members, err);
    if (rc)
        goto out;
    now_text = members_text(members);
    rc = current_token(ctx, key, now_text, new_token, err);
    if (rc)
        goto out;
    old = members_parse(old_text, &nold);
    cur = members_parse(now_text, &ncur);
    *changed = json_array();
    *removed = json_array();
    size_t i = 0, j = 0;
    while (i < nold || j < ncur) {
        int c = i == nold ? 1 : j == ncur ? -1 : strcmp(old[i].name, cur[j].name);
        if (c < 0) {
            json_array_append_new(*removed, json_string(old[i].name));
            i++;
        } else if (c > 0 || strcmp(old[i].etag, cur[j].etag) != 0) {
            json_array_append_new(
                *changed, json_pack("{s:s, s:s}", "name", cur[j].name, "etag", cur[j].etag));
            if (c == 0)
                i++;
            j++;
        } else {
            i++;
            j++;
        }
    }
out:
    free(old);
    free(cur);
    free(old_text);
    free(now_text);
    json_decref(members);
    return rc;
}
