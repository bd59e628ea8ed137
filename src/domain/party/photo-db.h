/*
 * The SQL of party photos (table party_photos), private to photo.c. These
 * functions trust their arguments; media_type and sha256 are as photo.c
 * checked and computed them.
 */
#ifndef XRM_DOMAIN_PHOTO_DB_H
#define XRM_DOMAIN_PHOTO_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/*
 * The photo of party_id: *media_type and *data malloc'd (the caller frees
 * them; data may be NULL when only the type and hash are wanted), sha256
 * filled. *found false (and nothing allocated) when there is none.
 */
enum xrm_rc xrm_photo_db_get(struct xrm_db *db, int64_t party_id, char **media_type,
                             unsigned char **data, size_t *len, char sha256[65], bool *found,
                             struct xrm_err *err);

/* Inserts or replaces the photo of party_id. */
enum xrm_rc xrm_photo_db_put(struct xrm_db *db, int64_t party_id, const char *media_type,
                             const void *data, size_t len, const char *sha256, const char *now,
                             struct xrm_err *err);

/* Removes the photo of party_id; *removed says whether there was one. */
enum xrm_rc xrm_photo_db_delete(struct xrm_db *db, int64_t party_id, bool *removed,
                                struct xrm_err *err);

/* has[pos] = true for each position of the batch whose party has a photo. */
struct xrm_batch;
enum xrm_rc xrm_photo_db_which(struct xrm_db *db, const struct xrm_batch *b, bool *has,
                               struct xrm_err *err);

#endif
