/*
 * A party's photo (table party_photos): one image per party, from the web
 * app, the API or a vCard PHOTO that a CardDAV client sent. The bytes are
 * kept as they came (a photo survives a sync unchanged); the media type is
 * checked against the bytes' magic (JPEG, PNG, GIF, WebP), so what is
 * stored is what its type says. A photo is personal data: erasure and
 * retention remove it with the party, a merge moves it to the survivor.
 *
 * Reading needs what reading the party needs (every user sees every
 * party: XRM_E_NOTFOUND for a party that does not exist); setting and
 * removing it need what changing the party's base data needs
 * (domain/base/access.h xrm_access_party_change), and are audited as an
 * update of the party that names the photo's type, size and hash (never
 * the bytes). A change bumps the party's version, so its ETag changes.
 */
#ifndef XRM_DOMAIN_PHOTO_H
#define XRM_DOMAIN_PHOTO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The largest photo in bytes (XRM_E_LIMIT above it). */
#define XRM_PHOTO_MAX (1024 * 1024)

/*
 * The photo of a party the user may see: XRM_E_NOTFOUND when there is none
 * or the party is not visible. *media_type and *data are malloc'd (the
 * caller frees both); sha256 gets the bytes' SHA-256 as lower-case hex.
 */
enum xrm_rc xrm_party_photo_get(struct xrm_ctx *ctx, int64_t party_id, char **media_type,
                                unsigned char **data, size_t *len, char sha256[65],
                                struct xrm_err *err);

/*
 * Sets or replaces the photo, as its own write, with the access of a party
 * update. media_type (parameters after ';' ignored, case-insensitive) one
 * of image/jpeg, image/png, image/gif, image/webp, and the bytes must start
 * as that type does: else XRM_E_INVALID with code "unsupported_media_type"
 * (an unknown type) or "photo_mismatch" (bytes of another kind). XRM_E_LIMIT
 * over XRM_PHOTO_MAX; XRM_E_INVALID for no bytes. Audited.
 */
enum xrm_rc xrm_party_photo_put(struct xrm_ctx *ctx, int64_t party_id, const char *media_type,
                                const void *data, size_t len, struct xrm_err *err);

/* Removes the photo (nothing to do and XRM_OK when there is none); access and audit as put. */
enum xrm_rc xrm_party_photo_delete(struct xrm_ctx *ctx, int64_t party_id, struct xrm_err *err);

/* The sha256 of the party's photo into out (empty string when none), for ETags; no access check. */
enum xrm_rc xrm_party_photo_hash(struct xrm_db *db, int64_t party_id, char out[65],
                                 struct xrm_err *err);

/*
 * Inside the caller's write transaction, no access check and no audit (the
 * caller's own write audits): put_tx as put (type and magic checked, the
 * party touched); delete_tx removes the party's photo if it has one
 * (erasure, retention). A merge moves photos with its own SQL
 * (domain/merge/merge-db.c).
 */
enum xrm_rc xrm_party_photo_put_tx(struct xrm_db *db, int64_t party_id, const char *media_type,
                                   const void *data, size_t len, struct xrm_err *err);
enum xrm_rc xrm_party_photo_delete_tx(struct xrm_db *db, int64_t party_id, struct xrm_err *err);

/*
 * The media type the bytes are by their magic ("image/jpeg", ...), or NULL
 * when they are none of the four.
 */
const char *xrm_party_photo_sniff(const void *data, size_t len);

/*
 * Party decoration step (party.h): sets "photo": true|false on every party
 * of the page, with one statement for the page.
 */
struct xrm_batch;
enum xrm_rc xrm_party_photo_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b,
                                          json_t *items, bool full, struct xrm_err *err);

#endif
