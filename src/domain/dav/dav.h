/*
 * CardDAV and CalDAV collections: what the WebDAV layer (http/dav.c) serves
 * under /dav/, independent of the protocol's XML.
 *
 * Each kind of collection home (address books, calendars) is a struct
 * xrm_dav_kind: it lists the collections of the user, the members of one
 * (resource name and ETag each), and reads, writes and deletes one
 * resource. Every call runs as ctx's user and goes through the same domain
 * code as the JSON API (access checks, audit, the duplicate check): what the
 * user may not see is never listed or read (XRM_E_NOTFOUND), a write the user
 * may not make is XRM_E_DENIED.
 *
 * Paths (http/dav.c builds them; names here are single path segments):
 *   /dav/principals/<user>/
 *   /dav/addressbooks/<user>/<collection>/<name>      (kind "addressbooks")
 *   /dav/calendars/<user>/<collection>/<name>         (kind "calendars")
 *
 * Ownership: as ctx.h says; json_t **out arrays are new references.
 */
#ifndef XRM_DOMAIN_DAV_H
#define XRM_DOMAIN_DAV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "domain/base/ctx.h"

/* An ETag's value without quotes ("v3-1a2b..."): at most this many bytes with the NUL. */
#define XRM_DAV_ETAG_LEN 72
/* A resource or collection name: at most this many bytes with the NUL. */
#define XRM_DAV_NAME_LEN 256

/* What a PUT asks for besides the body. */
struct xrm_dav_put {
    const char *content_type; /* the request's Content-Type, or NULL */
    const char *if_match;     /* an ETag value without quotes, or NULL (none given) */
    bool if_none_match;       /* If-None-Match: * (create only) */
};

struct xrm_dav_kind {
    const char *home; /* "addressbooks" or "calendars" */
    /*
     * The user's collections: [{"name": "all", "displayname": "...",
     * "description": "...", "color": "#rrggbb" (calendars, optional),
     * "components": ["VTODO", "VEVENT"] (calendars)}]. Display names in the
     * request's language (core/messages.h).
     */
    enum xrm_rc (*collections)(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
    /*
     * Every member of collection: [{"name": "x.vcf", "etag": "...",
     * "component": "VTODO" (calendars)}], sorted by name. XRM_E_NOTFOUND
     * when the user has no such collection.
     */
    enum xrm_rc (*members)(struct xrm_ctx *ctx, const char *collection, json_t **out,
                           struct xrm_err *err);
    /*
     * One resource: its body appended to out (vCard or iCalendar), its
     * media type ("text/vcard; charset=utf-8") and ETag. accept is the
     * request's Accept header or the version asked for by an
     * address-data element ("text/vcard; version=3.0"), or NULL for the
     * default (vCard 4.0).
     */
    enum xrm_rc (*get)(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *accept, struct xrm_buf *out, const char **media_type,
                       char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err);
    /*
     * Creates (*created true) or replaces the resource from body. A stale
     * if_match or an existing resource with if_none_match is
     * XRM_E_PRECONDITION; a body that is no valid object is XRM_E_INVALID or
     * XRM_E_MALFORMED with a message the client can show. etag gets the new
     * ETag (empty when the stored resource differs from the body sent, so no
     * ETag may be returned: RFC 6352 6.3.2.3).
     */
    enum xrm_rc (*put)(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *body, size_t len, const struct xrm_dav_put *p, bool *created,
                       char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err);
    /* Deletes (a card: archives the party) the resource; if_match as for put. */
    enum xrm_rc (*del)(struct xrm_ctx *ctx, const char *collection, const char *name,
                       const char *if_match, struct xrm_err *err);
};

/* The address books (domain/dav/carddav.c) and calendars (domain/dav/caldav.c). */
extern const struct xrm_dav_kind xrm_carddav_kind;
extern const struct xrm_dav_kind xrm_caldav_kind;

#endif
