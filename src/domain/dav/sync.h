/*
 * Sync tokens of WebDAV collections (RFC 6578 sync-collection, and the
 * CalendarServer getctag), generic over struct xrm_dav_kind's members().
 *
 * A token names a snapshot of a collection's members (resource name and
 * ETag each) as one user saw it. Asking for the current token computes the
 * members; when they differ from the latest snapshot of that user and
 * collection a new one is stored (table dav_sync) under a new random
 * token. The changes since a token are then the difference between its
 * snapshot and the members now: new or changed names, and names gone (a
 * party archived, or one that became hidden from the user). Only the
 * latest XRM_DAV_SYNC_KEEP snapshots per user and collection are kept; an
 * older or unknown token is XRM_E_PRECONDITION with code
 * "valid-sync-token", and the client starts over with a full sync.
 *
 * Tokens are written as XRM_DAV_SYNC_PREFIX followed by 32 hex digits.
 */
#ifndef XRM_DOMAIN_DAV_SYNC_H
#define XRM_DOMAIN_DAV_SYNC_H

#include <jansson.h>

#include "domain/base/ctx.h"
#include "domain/dav/dav.h"

#define XRM_DAV_SYNC_KEEP 20
#define XRM_DAV_SYNC_PREFIX "http://xrm.invalid/sync/"
/* A token URI with its NUL. */
#define XRM_DAV_SYNC_TOKEN_LEN 64

/*
 * The current token of kind's collection for ctx's user into token (a URI),
 * storing a snapshot when the members changed. members_out, when not NULL,
 * gets the members as kind->members gave them (new reference).
 * XRM_E_NOTFOUND when the user has no such collection.
 */
enum xrm_rc xrm_dav_sync_token(struct xrm_ctx *ctx, const struct xrm_dav_kind *kind,
                               const char *collection, char token[XRM_DAV_SYNC_TOKEN_LEN],
                               json_t **members_out, struct xrm_err *err);

/*
 * The changes of kind's collection since token (NULL or "": since nothing,
 * so every member is changed): *changed gets [{"name", "etag"}] of members
 * new or changed since, *removed ["name"] of those gone (new references),
 * and new_token the current token. XRM_E_PRECONDITION (code
 * "valid-sync-token") for a token this server does not know (any more) for
 * this user and collection.
 */
enum xrm_rc xrm_dav_sync_changes(struct xrm_ctx *ctx, const struct xrm_dav_kind *kind,
                                 const char *collection, const char *token, json_t **changed,
                                 json_t **removed, char new_token[XRM_DAV_SYNC_TOKEN_LEN],
                                 struct xrm_err *err);

#endif
