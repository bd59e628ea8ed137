/*
 * The address books of CardDAV (dav.h, kind "addressbooks"): "all" (every
 * party the user may see, as the party list shows it) and one
 * "segment-<id>" per segment the user syncs (the segment's members, as the
 * user reads them).
 *
 * A card is the party as the reader may see it (the party list's item or
 * xrm_party_get's answer, both through the access filter) mapped as the
 * vCard export maps it (xrm_export_party_card), plus a NOTE naming the
 * roles the reader sees in their language ("Klant, Leverancier"), the
 * photo, REV and the UID a client chose (dav_cards) or the party's. A
 * party whose every role is hidden from the reader (an applicant, to
 * sales) is no member of any address book: contacts hold people one works
 * with, and an application is HR's business.
 *
 * ETag: a hash of the vCard 4.0 rendering without the photo bytes, plus the
 * photo's sha256 (party_photos). Anything the card shows (names, roles and
 * their labels, tags, photo, UID) changes it, and the same card gives the
 * same ETag, so members() computes it for a page of parties from the list
 * page with one statement per kind of extra data (carddav-db.h).
 *
 * Writes go through the party functions of the API: a new card is a
 * create with the duplicate check (xrm_party_create_checked, not forced), a
 * changed card a party update of the fields a card carries, a delete an
 * archive; each with its own access checks and audit. A new party from a
 * client holds no role (POST /api/v1/parties needs none; creating one needs
 * write access in some domain) and is owned by the user who made it.
 */
#include "domain/dav/dav.h"
#include "domain/dav/carddav-db.h"
#include "domain/dav/carddav-stub.h"
#include "domain/base/batch.h"
#include "domain/exchange/export.h"
#include "domain/exchange/import-map.h"
#include "domain/party/duplicate.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "io/vcard.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define MEDIA_TYPE "text/vcard; charset=utf-8"

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---- address books ---- */

/* An address book: all (segment 0) or a synced segment's query. */
struct book {
    int64_t segment;
    char *query; /* the segment's, or NULL */
};

static void book_release(struct book *bk)
{
    free(bk->query);
}

/* "segment-<id>" to id; 0 when name is no such name. */
static int64_t segment_id(const char *name)
{
    if (strncmp(name, "segment-", 8) != 0 || name[8] < '1' || name[8] > '9')
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(name + 8, &end, 10);
    return *end || errno ? 0 : (int64_t)v;
}

static enum xrm_rc book_open(struct xrm_ctx *ctx, const char *collection, struct book *bk,
                             struct xrm_err *err)
{
    json_t *segs = NULL, *s;
    size_t i;
    memset(bk, 0, sizeof(*bk));
    if (strcmp(collection, "all") == 0)
        return XRM_OK;
    int64_t id = segment_id(collection);
    enum xrm_rc rc = id ? xrm_dav_synced_segments(ctx, &segs, err) : XRM_OK;
    if (rc)
        return rc;
    json_array_foreach(segs, i, s)
    {
        if (json_integer_value(json_object_get(s, "id")) == id) {
            bk->segment = id;
            bk->query = xrm_strdup(str(s, "query") ? str(s, "query") : "");
            break;
        }
    }
    json_decref(segs);
    if (!bk->segment)
        return xrm_errf(err, XRM_E_NOTFOUND, "no address book '%s'", collection);
    return XRM_OK;
}

static enum xrm_rc collections(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *segs = NULL, *s;
    size_t i;
    enum xrm_rc rc = xrm_dav_synced_segments(ctx, &segs, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", "all", "displayname",
                                       xrm_msg("All relations"), "description",
                                       xrm_msg("Every relation you may see")));
    json_array_foreach(segs, i, s)
    {
        char name[40], desc[300];
        snprintf(name, sizeof(name), "segment-%lld",
                 (long long)json_integer_value(json_object_get(s, "id")));
        snprintf(desc, sizeof(desc), xrm_msg("The members of segment '%.200s'"),
                 str(s, "name") ? str(s, "name") : "");
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", name, "displayname",
                                           str(s, "name") ? str(s, "name") : name, "description",
                                           desc));
    }
    json_decref(segs);
    *out = a;
    return XRM_OK;
}

/* ---- cards ---- */

/* A party in an address book: not archived, and not one whose every role is hidden. */
static bool listed(json_t *p, const struct xrm_card_meta *m)
{
    if (json_is_true(json_object_get(p, "archived")))
        return false;
    return !m->hidden_only;
}

static void card_name(json_t *p, const struct xrm_card_meta *m, char name[XRM_DAV_NAME_LEN])
{
    if (m->name[0])
        xrm_strlcpy(name, m->name, XRM_DAV_NAME_LEN);
    else
        snprintf(name, XRM_DAV_NAME_LEN, "%s.vcf", str(p, "uid") ? str(p, "uid") : "");
}

/* The label of role type `type` in the thread's language, from the role types list. */
static const char *role_label(json_t *types, const char *type)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(types, "items"), i, t)
    {
        if (!str(t, "name") || strcmp(str(t, "name"), type) != 0)
            continue;
        json_t *label = json_object_get(t, "label");
        const char *s = str(label, xrm_lang_tag(xrm_lang_get()));
        return s && *s ? s : str(label, "en") ? str(label, "en") : type;
    }
    return type;
}

/* The card of party p without its photo (REV from updated_at: 20261207T080000Z). */
static json_t *card_of(json_t *p, const struct xrm_card_meta *m, json_t *types)
{
    json_t *card = xrm_export_party_card(p), *r;
    struct xrm_buf note = XRM_BUF_INIT;
    json_t *seen = json_array();
    size_t i;
    json_array_foreach(json_object_get(p, "roles"), i, r)
    {
        const char *type = str(r, "type");
        if (!type)
            continue;
        const char *label = role_label(types, type);
        size_t k;
        json_t *v;
        bool dup = false;
        json_array_foreach(seen, k, v) dup = dup || strcmp(json_string_value(v), label) == 0;
        if (dup)
            continue;
        json_array_append_new(seen, json_string(label));
        xrm_buf_addf(&note, "%s%s", note.len ? ", " : "", label);
    }
    json_decref(seen);
    if (note.len)
        json_object_set_new(card, "note", json_string(note.s));
    xrm_buf_release(&note);
    if (m->uid[0])
        json_object_set_new(card, "uid", json_string(m->uid));
    const char *at = str(p, "updated_at");
    if (at) {
        char rev[24];
        size_t k = 0;
        for (; *at && k + 1 < sizeof(rev); at++)
            if (*at != '-' && *at != ':')
                rev[k++] = *at;
        rev[k] = '\0';
        json_object_set_new(card, "rev", json_string(rev));
    }
    return card;
}

static void card_etag(json_t *card, const char *photo_sha, char etag[XRM_DAV_ETAG_LEN])
{
    struct xrm_buf b = XRM_BUF_INIT;
    unsigned char h[16];
    char hex[33];
    xrm_vcard_write(&b, card);
    xrm_buf_addf(&b, "\nphoto:%s", photo_sha);
    crypto_generichash(h, sizeof(h), (const unsigned char *)b.s, b.len, NULL, 0);
    xrm_hex(h, sizeof(h), hex);
    snprintf(etag, XRM_DAV_ETAG_LEN, "c1-%s", hex);
    xrm_buf_release(&b);
}

/* Called for each card of a book with the party, its meta, name and ETag. */
typedef enum xrm_rc (*card_fn)(void *arg, json_t *p, const struct xrm_card_meta *m,
                               const char *name, const char *etag, bool *stop, struct xrm_err *err);

/*
 * Every member of the book with query q (NULL: all parties), page by page
 * through the party list, so that the list's decoration and access filter
 * apply and no more than a page is held.
 */
static enum xrm_rc each_card(struct xrm_ctx *ctx, const char *q, json_t *types, card_fn fn,
                             void *arg, struct xrm_err *err)
{
    char *cursor = NULL;
    bool stop = false;
    enum xrm_rc rc = XRM_OK;
    do {
        json_t *page = NULL;
        rc = xrm_party_list(ctx, q, XRM_LIST_MAX, cursor, &page, err);
        free(cursor);
        cursor = NULL;
        if (rc)
            break;
        json_t *items = json_object_get(page, "items"), *p;
        struct xrm_batch b;
        xrm_batch_init(&b, items);
        struct xrm_card_meta *meta = xrm_calloc(b.n + 1, sizeof(*meta));
        rc = xrm_carddav_db_meta(ctx->db, &ctx->user, &b, meta, err);
        size_t i;
        json_array_foreach(items, i, p)
        {
            if (rc || stop)
                break;
            if (!listed(p, &meta[i]))
                continue;
            char name[XRM_DAV_NAME_LEN], etag[XRM_DAV_ETAG_LEN];
            json_t *card = card_of(p, &meta[i], types);
            card_name(p, &meta[i], name);
            card_etag(card, meta[i].photo, etag);
            json_decref(card);
            rc = fn(arg, p, &meta[i], name, etag, &stop, err);
        }
        free(meta);
        xrm_batch_release(&b);
        if (!rc && !stop && str(page, "next"))
            cursor = xrm_strdup(str(page, "next"));
        json_decref(page);
    } while (cursor);
    return rc;
}

struct member {
    char *name;
    char *etag;
};

struct members_arg {
    struct member *v;
    size_t n, cap;
};

static enum xrm_rc add_member(void *arg, json_t *p, const struct xrm_card_meta *m, const char *name,
                              const char *etag, bool *stop, struct xrm_err *err)
{
    struct members_arg *a = arg;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = xrm_realloc(a->v, a->cap * sizeof(*a->v));
    }
    a->v[a->n].name = xrm_strdup(name);
    a->v[a->n].etag = xrm_strdup(etag);
    a->n++;
    return XRM_OK;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(((const struct member *)x)->name, ((const struct member *)y)->name);
}

static enum xrm_rc members(struct xrm_ctx *ctx, const char *collection, json_t **out,
                           struct xrm_err *err)
{
    struct book bk;
    struct members_arg a = {0};
    json_t *types = NULL;
    enum xrm_rc rc = book_open(ctx, collection, &bk, err);
    if (rc)
        return rc;
    rc = xrm_role_type_list(ctx, &types, err);
    if (!rc)
        rc = each_card(ctx, bk.query, types, add_member, &a, err);
    if (!rc) {
        qsort(a.v, a.n, sizeof(*a.v), by_name);
        *out = json_array();
        for (size_t i = 0; i < a.n; i++)
            json_array_append_new(
                *out, json_pack("{s:s, s:s}", "name", a.v[i].name, "etag", a.v[i].etag));
    }
    for (size_t i = 0; i < a.n; i++) {
        free(a.v[i].name);
        free(a.v[i].etag);
    }
    free(a.v);
    json_decref(types);
    book_release(&bk);
    return rc;
}

struct find_arg {
    int64_t id;
    bool found;
};

static enum xrm_rc find_member(void *arg, json_t *p, const struct xrm_card_meta *m,
                               const char *name, const char *etag, bool *stop, struct xrm_err *err)
{
    struct find_arg *a = arg;
    if (json_integer_value(json_object_get(p, "id")) == a->id)
        a->found = *stop = true;
    return XRM_OK;
}

/* One card of a book as the reader may see it. */
struct card {
    int64_t id;
    json_t *party;
    json_t *card; /* without the photo */
    struct xrm_card_meta meta;
    char etag[XRM_DAV_ETAG_LEN];
};

static void card_release(struct card *c)
{
    json_decref(c->party);
    json_decref(c->card);
}

/*
 * The card called name in book bk: XRM_E_NOTFOUND when there is none, the
 * party is archived or not in the book, or the reader may not see it.
 */
static enum xrm_rc card_load(struct xrm_ctx *ctx, const struct book *bk, const char *name,
                             json_t *types, struct card *c, struct xrm_err *err)
{
    struct xrm_batch b;
    char have[XRM_DAV_NAME_LEN];
    memset(c, 0, sizeof(*c));
    enum xrm_rc rc = xrm_carddav_db_find(ctx->db, name, &c->id, err);
    if (rc)
        return rc;
    if (!c->id)
        return xrm_errf(err, XRM_E_NOTFOUND, "no card '%s'", name);
    rc = xrm_party_get(ctx, c->id, &c->party, err);
    if (rc == XRM_E_NOTFOUND)
        return xrm_errf(err, XRM_E_NOTFOUND, "no card '%s'", name);
    if (rc)
        return rc;
    xrm_batch_init_ids(&b, &c->id, 1);
    rc = xrm_carddav_db_meta(ctx->db, &ctx->user, &b, &c->meta, err);
    xrm_batch_release(&b);
    if (rc)
        goto out;
    card_name(c->party, &c->meta, have);
    if (!listed(c->party, &c->meta) || strcmp(have, name) != 0) {
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no card '%s'", name);
        goto out;
    }
    if (bk->segment) {
        /* the segment's query decides; a page scan, as the list reads members */
        struct find_arg fa = {.id = c->id};
        rc = each_card(ctx, bk->query, types, find_member, &fa, err);
        if (!rc && !fa.found)
            rc = xrm_errf(err, XRM_E_NOTFOUND, "no card '%s'", name);
        if (rc)
            goto out;
    }
    c->card = card_of(c->party, &c->meta, types);
    card_etag(c->card, c->meta.photo, c->etag);
out:
    if (rc) {
        card_release(c);
        memset(c, 0, sizeof(*c));
    }
    return rc;
}

/* 30 when accept asks for vCard 3.0 ("text/vcard; version=3.0", or "3.0"), else 40. */
static int version_of(const char *accept)
{
    if (!accept)
        return 40;
    const char *v = strcasestr(accept, "version");
    if (v) {
        v += 7;
        while (*v == ' ' || *v == '=' || *v == '"')
            v++;
        return strncmp(v, "3.0", 3) == 0 ? 30 : 40;
    }
    return strcmp(accept, "3.0") == 0 ? 30 : 40;
}

/* The card's photo from the photo store, when it has one. */
static enum xrm_rc add_photo(struct xrm_ctx *ctx, struct card *c, struct xrm_err *err)
{
    char *type = NULL, sha[65];
    unsigned char *data = NULL;
    size_t len = 0;
    if (!c->meta.photo[0])
        return XRM_OK;
    struct xrm_err lerr = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_party_photo_get(ctx, c->id, &type, &data, &len, sha, &lerr);
    if (rc == XRM_E_NOTFOUND)
        return XRM_OK; /* removed since the meta was read */
    if (rc) {
        if (err)
            *err = lerr;
        return rc;
    }
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xrm_malloc(n);
    sodium_bin2base64(b64, n, data, len, sodium_base64_VARIANT_ORIGINAL);
    json_object_set_new(c->card, "photo", json_pack("{s:s, s:s}", "type", type, "base64", b64));
    free(b64);
    free(data);
    free(type);
    return XRM_OK;
}

static enum xrm_rc get(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *accept, struct xrm_buf *out, const char **media_type,
                       char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    struct book bk;
    struct card c = {0};
    json_t *types = NULL;
    enum xrm_rc rc = book_open(ctx, collection, &bk, err);
    if (rc)
        return rc;
    rc = xrm_role_type_list(ctx, &types, err);
    if (!rc)
        rc = card_load(ctx, &bk, name, types, &c, err);
    if (!rc)
        rc = add_photo(ctx, &c, err);
    if (!rc) {
        xrm_vcard_write_v(out, c.card, version_of(accept));
        *media_type = MEDIA_TYPE;
        xrm_strlcpy(etag, c.etag, XRM_DAV_ETAG_LEN);
    }
    card_release(&c);
    json_decref(types);
    book_release(&bk);
    return rc;
}

/* ---- writes ---- */

static enum xrm_rc one_card(void *arg, json_t *card, long line, struct xrm_err *err)
{
    json_t **slot = arg;
    if (*slot)
        return xrm_errf(err, XRM_E_INVALID, "the body holds more than one vCard");
    *slot = json_incref(card);
    return XRM_OK;
}

static enum xrm_rc parse_card(const char *body, size_t len, json_t **card, struct xrm_err *err)
{
    *card = NULL;
    struct xrm_vcard *r = xrm_vcard_new(one_card, card, NULL);
    enum xrm_rc rc = xrm_vcard_feed(r, body, len, err);
    if (!rc)
        rc = xrm_vcard_finish(r, err);
    xrm_vcard_free(r);
    if (!rc && !*card)
        rc = xrm_errf(err, XRM_E_INVALID, "the body holds no vCard");
    if (rc) {
        json_decref(*card);
        *card = NULL;
    }
    return rc;
}

/* A photo a card carries as data (a photo given by URI is not stored). */
struct photo {
    const char *type;
    unsigned char *data;
    size_t len;
    char sha[65];
};

/* The media type of an image by its first bytes, of those a party photo may be; NULL else. */
static const char *image_type(const unsigned char *d, size_t n)
{
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
        return "image/jpeg";
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
        return "image/gif";
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "image/webp";
    return NULL;
}

/* Checks the card's photo before anything is written. */
static enum xrm_rc photo_of(json_t *card, struct photo *ph, struct xrm_err *err)
{
    const char *b64 = str(json_object_get(card, "photo"), "base64");
    memset(ph, 0, sizeof(*ph));
    if (!b64)
        return XRM_OK;
    size_t n = strlen(b64), cap = n / 4 * 3 + 3;
    ph->data = xrm_malloc(cap);
    if (sodium_base642bin(ph->data, cap, b64, n, NULL, &ph->len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return xrm_errf(err, XRM_E_INVALID, "the photo is no valid base64");
    if (ph->len > XRM_PHOTO_MAX)
        return xrm_errf(err, XRM_E_LIMIT, "the photo is larger than %d bytes", XRM_PHOTO_MAX);
    ph->type = image_type(ph->data, ph->len);
    if (!ph->type)
        return xrm_errf(err, XRM_E_INVALID, "the photo is no JPEG, PNG, GIF or WebP image");
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, ph->data, ph->len);
    xrm_hex(h, sizeof(h), ph->sha);
    return XRM_OK;
}

/* Stores, keeps or removes the party's photo as the card says. */
static enum xrm_rc photo_store(struct xrm_ctx *ctx, int64_t id, json_t *card,
                               const struct photo *ph, const char *current, struct xrm_err *err)
{
    if (ph->data)
        return strcmp(ph->sha, current) == 0
                   ? XRM_OK
                   : xrm_party_photo_put(ctx, id, ph->type, ph->data, ph->len, err);
    if (!json_object_get(card, "photo") && current[0])
        return xrm_party_photo_delete(ctx, id, err);
    return XRM_OK;
}

/* An X- property of the card as one text, or NULL. */
static const char *x_of(json_t *card, const char *name)
{
    return str(json_object_get(card, "x"), name);
}

/* Sets key of patch to v (stolen; NULL: null) unless stored holds that value already. */
static void set_changed(json_t *patch, json_t *stored, const char *key, json_t *v)
{
    json_t *old = json_object_get(stored, key);
    if (!v)
        v = json_null();
    bool old_empty = !old || json_is_null(old) || (json_is_array(old) && !json_array_size(old)) ||
                     (json_is_string(old) && !json_string_length(old));
    bool new_empty = json_is_null(v) || (json_is_array(v) && !json_array_size(v));
    if (!(old_empty && new_empty) && !(old && json_equal(old, v)))
        json_object_set(patch, key, v);
    json_decref(v);
}

/* The contact points of the card, with the label of a stored point of the same value kept. */
static json_t *points_kept(json_t *mapped, json_t *stored)
{
    json_t *out = json_array(), *cp, *old;
    size_t i, k;
    json_array_foreach(mapped, i, cp)
    {
        json_t *keep = NULL;
        json_array_foreach(stored, k, old) if (!keep && str(old, "value") && str(cp, "value") &&
                                               strcmp(str(old, "value"), str(cp, "value")) == 0)
            keep = old;
        json_array_append_new(out, json_deep_copy(keep ? keep : cp));
    }
    return out;
}

static bool same_text(json_t *a, json_t *b, const char *key)
{
    const char *x = str(a, key), *y = str(b, key);
    return strcasecmp(x ? x : "", y ? y : "") == 0;
}

/* The addresses of the card, a stored one kept whole when the card shows it unchanged. */
static json_t *addresses_kept(json_t *mapped, json_t *stored)
{
    static const char *const keys[] = {"street", "house_number", "postcode", "city"};
    json_t *out = json_array(), *a, *old;
    size_t i, k;
    json_array_foreach(mapped, i, a)
    {
        json_t *keep = NULL;
        json_array_foreach(stored, k, old)
        {
            bool eq = !keep;
            for (size_t j = 0; eq && j < sizeof(keys) / sizeof(keys[0]); j++) {
                /* the postcode as the card shows it may lack the stored space */
                if (j == 2) {
                    char x[16] = "", y[16] = "";
                    size_t nx = 0, ny = 0;
                    for (const char *c = str(a, "postcode") ? str(a, "postcode") : "";
                         *c && nx + 1 < sizeof(x); c++)
                        if (*c != ' ')
                            x[nx++] = *c;
                    for (const char *c = str(old, "postcode") ? str(old, "postcode") : "";
                         *c && ny + 1 < sizeof(y); c++)
                        if (*c != ' ')
                            y[ny++] = *c;
                    x[nx] = y[ny] = '\0';
                    eq = strcasecmp(x, y) == 0;
                } else {
                    eq = same_text(a, old, keys[j]);
                }
            }
            if (eq)
                keep = old;
        }
        json_array_append_new(out, json_deep_copy(keep ? keep : a));
    }
    return out;
}

/* The name fields of a person from N, with X-XRM-FAMILY-PREFIX splitting "van Wijk" again. */
static void person_names(json_t *dst, json_t *stored, json_t *card, json_t *mapped)
{
    json_t *n = json_object_get(card, "n");
    if (!str(n, "family") && !str(n, "given"))
        return;
    const char *fam = str(n, "family"), *pre = x_of(card, "X-XRM-FAMILY-PREFIX");
    const char *given = str(mapped, "given_name");
    size_t pl = pre ? strlen(pre) : 0;
    if (pl && fam && strncmp(fam, pre, pl) == 0 && fam[pl] == ' ' && fam[pl + 1]) {
        set_changed(dst, stored, "family_prefix", json_string(pre));
        set_changed(dst, stored, "family_name", json_string(fam + pl + 1));
    } else {
        json_t *p = json_object_get(mapped, "family_prefix"),
               *f = json_object_get(mapped, "family_name");
        set_changed(dst, stored, "family_prefix", p ? json_incref(p) : NULL);
        set_changed(dst, stored, "family_name", f ? json_incref(f) : NULL);
    }
    set_changed(dst, stored, "given_name", given ? json_string(given) : NULL);
}

/* What xrm keeps in X- properties of its cards, back into party fields. */
static void x_fields(json_t *dst, json_t *stored, json_t *card)
{
    static const char *const map[][2] = {{"X-XRM-KVK", "kvk"},
                                         {"X-XRM-VAT", "vat"},
                                         {"X-XRM-IBAN", "iban"},
                                         {"X-XRM-EXTERNAL-ID", "external_id"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        const char *v = x_of(card, map[i][0]);
        if (v)
            set_changed(dst, stored, map[i][1], *v ? json_string(v) : NULL);
    }
}

/*
 * The patch of stored party `stored` from a card: the fields a card carries
 * (names, e-mail, phones, websites, addresses; tags when it has CATEGORIES;
 * KvK, VAT, IBAN and external id when it has their X-XRM- properties), only
 * those that changed. Kind, roles, owner and custom fields stay.
 */
static json_t *patch_of(json_t *stored, json_t *card)
{
    json_t *mapped = xrm_import_from_vcard(card), *patch = json_object();
    if (strcmp(str(stored, "kind") ? str(stored, "kind") : "", "person") == 0) {
        person_names(patch, stored, card, mapped);
    } else {
        const char *org = json_string_value(json_array_get(json_object_get(card, "org"), 0));
        const char *name = org && *org ? org : str(card, "fn");
        if (name && *name)
            set_changed(patch, stored, "name", json_string(name));
    }
    set_changed(patch, stored, "emails",
                points_kept(json_object_get(mapped, "emails"), json_object_get(stored, "emails")));
    set_changed(patch, stored, "phones",
                points_kept(json_object_get(mapped, "phones"), json_object_get(stored, "phones")));
    set_changed(
        patch, stored, "websites",
        points_kept(json_object_get(mapped, "websites"), json_object_get(stored, "websites")));
    set_changed(
        patch, stored, "addresses",
        addresses_kept(json_object_get(mapped, "addresses"), json_object_get(stored, "addresses")));
    if (json_object_get(card, "categories")) {
        json_t *tags = json_object_get(mapped, "tags");
        set_changed(patch, stored, "tags", tags ? json_incref(tags) : json_array());
    }
    x_fields(patch, stored, card);
    json_decref(mapped);
    return patch;
}

/* The party input of a new card: as an import maps it, what xrm's X- properties hold back in
 * their fields, no photo among the custom fields (the photo has its own store). */
static json_t *input_of(struct xrm_ctx *ctx, json_t *card)
{
    json_t *in = xrm_import_from_vcard(card), *custom = json_object_get(in, "custom");
    json_t *none = json_object();
    json_object_del(in, "uid");
    json_object_del(in, "roles");
    if (strcmp(str(in, "kind") ? str(in, "kind") : "", "person") == 0)
        person_names(in, none, card, in);
    x_fields(in, none, card);
    json_decref(none);
    json_object_del(custom, "photo");
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(custom, tmp, key, v) if (strncasecmp(key, "X-", 2) == 0)
        json_object_del(custom, key);
    if (custom && !json_object_size(custom))
        json_object_del(in, "custom");
    if (ctx->user.id > 0)
        json_object_set_new(in, "owner", json_integer(ctx->user.id));
    return in;
}

struct name_arg {
    int64_t id;
    const char *name, *uid;
};

static enum xrm_rc name_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct name_arg *a = arg;
    return xrm_carddav_db_set(db, a->id, a->name, a->uid, err);
}

/* A new card: the party create with the duplicate check, then the client's name and UID. */
static enum xrm_rc create(struct xrm_ctx *ctx, const char *name, json_t *card, int64_t *id,
                          struct xrm_err *err)
{
    json_t *in = input_of(ctx, card), *out = NULL, *found = NULL;
    enum xrm_rc rc = xrm_party_create_checked(ctx, in, false, &out, &found, err);
    json_decref(in);
    if (rc == XRM_E_CONFLICT && json_array_size(found)) {
        json_t *party = json_object_get(json_array_get(found, 0), "party");
        xrm_errf(err, XRM_E_CONFLICT,
                 "this contact is already in xrm as '%.120s' (party %lld): change that one",
                 str(party, "name") ? str(party, "name") : "",
                 (long long)json_integer_value(json_object_get(party, "id")));
        xrm_err_code(err, "duplicate");
    }
    json_decref(found);
    if (rc)
        return rc;
    *id = json_integer_value(json_object_get(out, "id"));
    const char *uid = str(card, "uid");
    struct name_arg a = {*id, name,
                         uid && *uid && strlen(uid) < XRM_DAV_NAME_LEN ? uid : str(out, "uid")};
    rc = xrm_store_write(ctx->store, name_tx, &a, err);
    json_decref(out);
    return rc;
}

/* A stale If-Match: the card changed (or went) since the client read it. */
static enum xrm_rc stale(struct xrm_err *err, const char *name)
{
    return xrm_errf(err, XRM_E_PRECONDITION, "card '%s' was changed since it was read", name);
}

static bool etag_matches(const char *if_match, const char *etag)
{
    return strcmp(if_match, "*") == 0 || strcmp(if_match, etag) == 0;
}

static enum xrm_rc put(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *body, size_t len, const struct xrm_dav_put *p, bool *created,
                       char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    struct book bk;
    struct card c = {0};
    struct photo ph = {0};
    json_t *types = NULL, *card = NULL, *patch = NULL, *out = NULL;
    struct xrm_err lerr = XRM_ERR_INIT;
    int64_t id = 0;
    etag[0] = '\0';
    *created = false;
    enum xrm_rc rc = book_open(ctx, collection, &bk, err);
    if (rc)
        return rc;
    if (!name[0] || strlen(name) >= XRM_DAV_NAME_LEN) {
        rc = xrm_errf(err, XRM_E_INVALID, "a card name has 1 to %d bytes", XRM_DAV_NAME_LEN - 1);
        goto out;
    }
    rc = parse_card(body, len, &card, err);
    if (!rc)
        rc = photo_of(card, &ph, err);
    if (!rc)
        rc = xrm_role_type_list(ctx, &types, err);
    if (rc)
        goto out;
    rc = card_load(ctx, &bk, name, types, &c, &lerr);
    if (rc && rc != XRM_E_NOTFOUND) {
        if (err)
            *err = lerr;
        goto out;
    }
    if (rc == XRM_E_NOTFOUND) {
        /* a new card */
        if (p && p->if_match) {
            rc = stale(err, name);
            goto out;
        }
        rc = create(ctx, name, card, &id, err);
        if (rc)
            goto out;
        *created = true;
        rc = photo_store(ctx, id, card, &ph, "", err);
    } else {
        if (p && (p->if_none_match || (p->if_match && !etag_matches(p->if_match, c.etag)))) {
            rc = p->if_none_match
                     ? xrm_errf(err, XRM_E_PRECONDITION, "card '%s' exists already", name)
                     : stale(err, name);
            goto out;
        }
        id = c.id;
        patch = patch_of(c.party, card);
        if (json_object_size(patch))
            rc = xrm_party_update(ctx, id, json_integer_value(json_object_get(c.party, "version")),
                                  patch, &out, err);
        if (!rc)
            rc = photo_store(ctx, id, card, &ph, c.meta.photo, err);
    }
    if (rc)
        goto out;
    /* the ETag only when what is stored is what was sent (RFC 6352 6.3.2.3) */
    card_release(&c);
    struct xrm_err ignored = XRM_ERR_INIT;
    if (!card_load(ctx, &bk, name, types, &c, &ignored) && !add_photo(ctx, &c, &ignored)) {
        struct xrm_buf b = XRM_BUF_INIT;
        const char *v = str(card, "version");
        xrm_vcard_write_v(&b, c.card, v && strcmp(v, "3.0") == 0 ? 30 : 40);
        if (b.len == len && memcmp(b.s, body, len) == 0)
            xrm_strlcpy(etag, c.etag, XRM_DAV_ETAG_LEN);
        xrm_buf_release(&b);
    }
out:
    free(ph.data);
    card_release(&c);
    json_decref(card);
    json_decref(patch);
    json_decref(out);
    json_decref(types);
    book_release(&bk);
    return rc;
}

static enum xrm_rc del(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *if_match, struct xrm_err *err)
{
    struct book bk;
    struct card c = {0};
    json_t *types = NULL;
    enum xrm_rc rc = book_open(ctx, collection, &bk, err);
    if (rc)
        return rc;
    rc = xrm_role_type_list(ctx, &types, err);
    if (!rc)
        rc = card_load(ctx, &bk, name, types, &c, err);
    if (!rc && if_match && !etag_matches(if_match, c.etag))
        rc = stale(err, name);
    if (!rc) /* a phone's delete archives: the party keeps its history */
        rc = xrm_party_archive(ctx, c.id, json_integer_value(json_object_get(c.party, "version")),
                               err);
    card_release(&c);
    json_decref(types);
    book_release(&bk);
    return rc;
}

const struct xrm_dav_kind xrm_carddav_kind = {
    .home = "addressbooks",
    .collections = collections,
    .members = members,
    .get = get,
    .put = put,
    .del = del,
};
