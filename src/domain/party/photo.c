/*
 * Party photos (photo.h): the type and magic check, access, audit and the
 * "photo" flag of the party decoration. SQL in photo-db.c.
 */
#include "domain/party/photo.h"
#include "domain/party/photo-db.h"
#include "domain/party/party-ref.h"
#include "domain/party/role.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/batch.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const struct {
    const char *type;
    const unsigned char *magic;
    size_t n;
    size_t at; /* offset of the magic */
} kinds[] = {
    {"image/jpeg", (const unsigned char *)"\xff\xd8\xff", 3, 0},
    {"image/png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8, 0},
    {"image/gif", (const unsigned char *)"GIF87a", 6, 0},
    {"image/gif", (const unsigned char *)"GIF89a", 6, 0},
    /* RIFF <size> WEBP */
    {"image/webp", (const unsigned char *)"WEBP", 4, 8},
};

const char *xrm_party_photo_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (len < kinds[i].at + kinds[i].n)
            continue;
        if (memcmp(p + kinds[i].at, kinds[i].magic, kinds[i].n) != 0)
            continue;
        if (strcmp(kinds[i].type, "image/webp") == 0 && memcmp(p, "RIFF", 4) != 0)
            continue;
        return kinds[i].type;
    }
    return NULL;
}

/* The canonical name of a media type we store ("image/jpeg"), or NULL; parameters ignored. */
static const char *known_type(const char *media_type)
{
    static const char *const types[] = {"image/jpeg", "image/png", "image/gif", "image/webp"};
    if (!media_type)
        return NULL;
    while (*media_type == ' ')
        media_type++;
    size_t n = strcspn(media_type, "; \t");
    if (n == 9 && strncasecmp(media_type, "image/jpg", 9) == 0)
        return "image/jpeg";
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strlen(types[i]) == n && strncasecmp(media_type, types[i], n) == 0)
            return types[i];
    return NULL;
}

/* Checks type and bytes: the stored media type into *type. */
static enum xrm_rc check_image(const char *media_type, const void *data, size_t len,
                               const char **type, struct xrm_err *err)
{
    if (len > XRM_PHOTO_MAX)
        return xrm_errf(err, XRM_E_LIMIT, "the photo is larger than %d bytes", XRM_PHOTO_MAX);
    const char *t = known_type(media_type);
    if (!t) {
        xrm_errf(err, XRM_E_INVALID, "a photo must be a JPEG, PNG, GIF or WebP image");
        return xrm_err_code(err, "unsupported_media_type");
    }
    if (!len) {
        xrm_errf(err, XRM_E_INVALID, "the photo is empty");
        return xrm_err_code(err, "photo_empty");
    }
    const char *sniffed = xrm_party_photo_sniff(data, len);
    if (!sniffed || strcmp(sniffed, t) != 0) {
        xrm_errf(err, XRM_E_INVALID, "the bytes are not a %s image", t + 6);
        return xrm_err_code(err, "photo_mismatch");
    }
    *type = t;
    return XRM_OK;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    xrm_hex(h, sizeof(h), out);
}

/* What the audit trail says of a photo: its type, size and hash, never the bytes. */
static json_t *audit_of(struct xrm_db *db, int64_t party_id, struct xrm_err *err)
{
    char *type = NULL, sha[65] = "";
    bool found = false;
    if (xrm_photo_db_get(db, party_id, &type, NULL, NULL, sha, &found, err))
        return NULL;
    json_t *photo =
        found ? json_pack("{s:s, s:s}", "media_type", type, "sha256", sha) : json_null();
    free(type);
    return json_pack("{s:o}", "photo", photo);
}

/* The party exists (XRM_E_NOTFOUND otherwise) and user may change its base data. */
static enum xrm_rc check_write(struct xrm_db *db, const struct xrm_user *user, int64_t party_id,
                               struct xrm_err *err)
{
    enum xrm_rc rc = xrm_party_check(db, party_id, "id", err);
    if (rc || xrm_access_all(user))
        return rc;
    json_t *roles = NULL;
    rc = xrm_role_array_for_party(db, party_id, &roles, err);
    if (!rc)
        rc = xrm_access_party_change(user, roles, err);
    json_decref(roles);
    return rc;
}

enum xrm_rc xrm_party_photo_put_tx(struct xrm_db *db, int64_t party_id, const char *media_type,
                                   const void *data, size_t len, struct xrm_err *err)
{
    const char *type = NULL;
    char sha[65], now[XRM_TIME_LEN];
    enum xrm_rc rc = check_image(media_type, data, len, &type, err);
    if (rc)
        return rc;
    sha256_hex(data, len, sha);
    xrm_now(now);
    rc = xrm_photo_db_put(db, party_id, type, data, len, sha, now, err);
    if (!rc)
        rc = xrm_party_touch(db, party_id, err);
    return rc;
}

enum xrm_rc xrm_party_photo_delete_tx(struct xrm_db *db, int64_t party_id, struct xrm_err *err)
{
    bool removed = false;
    enum xrm_rc rc = xrm_photo_db_delete(db, party_id, &removed, err);
    if (!rc && removed)
        rc = xrm_party_touch(db, party_id, err);
    return rc;
}

struct photo_write {
    const struct xrm_user *user;
    int64_t party_id;
    const char *media_type; /* NULL: delete */
    const void *data;
    size_t len;
};

static enum xrm_rc photo_write_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct photo_write *a = arg;
    json_t *before = NULL, *after = NULL;
    bool had = false;
    char sha[65] = "";
    enum xrm_rc rc = check_write(db, a->user, a->party_id, err);
    if (!rc)
        rc = xrm_photo_db_get(db, a->party_id, NULL, NULL, NULL, sha, &had, err);
    if (rc || (!a->media_type && !had))
        return rc; /* nothing to remove: nothing changes, nothing to audit */
    before = audit_of(db, a->party_id, err);
    if (!before)
        return err->rc ? err->rc : XRM_E_DB;
    rc = a->media_type
             ? xrm_party_photo_put_tx(db, a->party_id, a->media_type, a->data, a->len, err)
             : xrm_party_photo_delete_tx(db, a->party_id, err);
    if (!rc) {
        after = audit_of(db, a->party_id, err);
        rc = after ? XRM_OK : (err->rc ? err->rc : XRM_E_DB);
    }
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "party", a->party_id, before, after, err);
    json_decref(before);
    json_decref(after);
    return rc;
}

enum xrm_rc xrm_party_photo_put(struct xrm_ctx *ctx, int64_t party_id, const char *media_type,
                                const void *data, size_t len, struct xrm_err *err)
{
    const char *type = NULL;
    /* Refuse a bad image before taking the writer. */
    enum xrm_rc rc = check_image(media_type, data, len, &type, err);
    if (rc)
        return rc;
    struct photo_write a = {&ctx->user, party_id, type, data, len};
    return xrm_store_write(ctx->store, photo_write_tx, &a, err);
}

enum xrm_rc xrm_party_photo_delete(struct xrm_ctx *ctx, int64_t party_id, struct xrm_err *err)
{
    struct photo_write a = {&ctx->user, party_id, NULL, NULL, 0};
    return xrm_store_write(ctx->store, photo_write_tx, &a, err);
}

enum xrm_rc xrm_party_photo_get(struct xrm_ctx *ctx, int64_t party_id, char **media_type,
                                unsigned char **data, size_t *len, char sha256[65],
                                struct xrm_err *err)
{
    bool found = false;
    *media_type = NULL;
    *data = NULL;
    *len = 0;
    enum xrm_rc rc = xrm_party_check(ctx->db, party_id, "id", err);
    if (!rc)
        rc = xrm_photo_db_get(ctx->db, party_id, media_type, data, len, sha256, &found, err);
    if (!rc && !found)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "party %lld has no photo", (long long)party_id);
    return rc;
}

enum xrm_rc xrm_party_photo_hash(struct xrm_db *db, int64_t party_id, char out[65],
                                 struct xrm_err *err)
{
    bool found = false;
    out[0] = '\0';
    enum xrm_rc rc = xrm_photo_db_get(db, party_id, NULL, NULL, NULL, out, &found, err);
    if (!found)
        out[0] = '\0';
    return rc;
}

enum xrm_rc xrm_party_photo_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b,
                                          json_t *items, bool full, struct xrm_err *err)
{
    (void)full;
    bool *has = xrm_calloc(b->n + 1, sizeof(bool));
    enum xrm_rc rc = xrm_photo_db_which(ctx->db, b, has, err);
    for (size_t i = 0; !rc && i < b->n; i++)
        json_object_set_new(json_array_get(items, i), "photo", json_boolean(has[i]));
    free(has);
    return rc;
}
