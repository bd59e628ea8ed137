/*
 * TEMPORARY stubs of the account helper's functions (carddav-stub.h).
 */
#include "domain/dav/carddav-stub.h"

#include "core/banned.h"

enum xrm_rc xrm_party_photo_get(struct xrm_ctx *ctx, int64_t party_id, char **media_type,
                                unsigned char **data, size_t *len, char sha256[65],
                                struct xrm_err *err)
{
    return xrm_errf(err, XRM_E_NOTFOUND, "party %lld has no photo", (long long)party_id);
}

enum xrm_rc xrm_party_photo_put(struct xrm_ctx *ctx, int64_t party_id, const char *media_type,
                                const void *data, size_t len, struct xrm_err *err)
{
    return XRM_OK;
}

enum xrm_rc xrm_party_photo_delete(struct xrm_ctx *ctx, int64_t party_id, struct xrm_err *err)
{
    return XRM_OK;
}

enum xrm_rc xrm_dav_synced_segments(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    *out = json_array();
    return XRM_OK;
}
