/*
 * TEMPORARY: the interfaces of the account helper (contract, "C interfaces
 * between helpers": domain/party/photo.h and domain/dav/account.h) until
 * branch wip-account lands; deleted when it is merged. The stubs in
 * carddav-stub.c say "no photo" and "no synced segments".
 */
#ifndef XRM_DOMAIN_DAV_CARDDAV_STUB_H
#define XRM_DOMAIN_DAV_CARDDAV_STUB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

#define XRM_PHOTO_MAX (1024 * 1024)
enum xrm_rc xrm_party_photo_get(struct xrm_ctx *ctx, int64_t party_id, char **media_type,
                                unsigned char **data, size_t *len, char sha256[65],
                                struct xrm_err *err);
enum xrm_rc xrm_party_photo_put(struct xrm_ctx *ctx, int64_t party_id, const char *media_type,
                                const void *data, size_t len, struct xrm_err *err);
enum xrm_rc xrm_party_photo_delete(struct xrm_ctx *ctx, int64_t party_id, struct xrm_err *err);
enum xrm_rc xrm_dav_synced_segments(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

#endif
