/*
 * PLACEHOLDER (branch wip-proto only): empty collection kinds so that
 * http/dav.c links before domain/dav/carddav.c and caldav.c exist (the
 * calendars' one went when caldav.c came). Deleted
 * when those land; nothing here is a feature.
 */
#include "domain/dav/dav.h"

#include "core/banned.h"

static enum xrm_rc ph_cards(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    (void)ctx;
    (void)err;
    *out = json_pack("[{s:s, s:s}]", "name", "all", "displayname", "All parties");
    return XRM_OK;
}

static enum xrm_rc ph_members(struct xrm_ctx *ctx, const char *collection, json_t **out,
                              struct xrm_err *err)
{
    (void)ctx;
    (void)collection;
    (void)err;
    *out = json_array();
    return XRM_OK;
}

static enum xrm_rc ph_get(struct xrm_ctx *ctx, const char *collection, const char *name,
                          const char *accept, struct xrm_buf *out, const char **media_type,
                          char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    (void)ctx, (void)collection, (void)name, (void)accept, (void)out, (void)media_type;
    (void)etag;
    return xrm_errf(err, XRM_E_NOTFOUND, "no such entry");
}

static enum xrm_rc ph_put(struct xrm_ctx *ctx, const char *collection, const char *name,
                          const char *body, size_t len, const struct xrm_dav_put *p, bool *created,
                          char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    (void)ctx, (void)collection, (void)name, (void)body, (void)len, (void)p, (void)created;
    (void)etag;
    return xrm_errf(err, XRM_E_DENIED, "not yet");
}

static enum xrm_rc ph_del(struct xrm_ctx *ctx, const char *collection, const char *name,
                          const char *if_match, struct xrm_err *err)
{
    (void)ctx, (void)collection, (void)name, (void)if_match;
    return xrm_errf(err, XRM_E_NOTFOUND, "no such entry");
}

const struct xrm_dav_kind xrm_carddav_kind = {"addressbooks", ph_cards, ph_members,
                                              ph_get,         ph_put,   ph_del};
