/*
 * CardDAV and CalDAV over WebDAV (RFC 4918, 6352, 4791, 6578) at /dav/:
 * the protocol, generic over the collection kinds of domain/dav/dav.h.
 *
 * Paths: /dav/ (root), /dav/principals/<user>/, the homes
 * /dav/<kind home>/<user>/, collections /dav/<home>/<user>/<collection>/
 * and resources below them. A user reaches only their own principal and
 * homes (another user's: 403). /.well-known/carddav and /.well-known/caldav
 * answer 301 to /dav/, as does a PROPFIND of the server's root.
 *
 * Not part of the JSON API: the route table sends every method on these
 * paths here (method "*") and the OpenAPI document leaves them out.
 */
#ifndef XRM_HTTP_DAV_H
#define XRM_HTTP_DAV_H

#include <stdbool.h>

#include "http/http.h"

/* A PUT body (a card with its photo, a calendar object): at most this many bytes. */
#define XRM_DAV_PUT_MAX (2 * 1024 * 1024)
/* An XML request body (PROPFIND, REPORT): at most this many bytes. */
#define XRM_DAV_XML_MAX (1024 * 1024)

/* Every method on /dav and below (dav.c). */
void api_dav(struct xrm_req *req, struct xrm_resp *resp);
/* /.well-known/carddav and /.well-known/caldav, PROPFIND /: 301 to /dav/ (dav.c). */
void api_dav_well_known(struct xrm_req *req, struct xrm_resp *resp);

/*
 * Authentication of /dav/ (dav-auth.c): HTTP Basic with the user's name and
 * their password or one of their API tokens, or a Bearer token. Failures
 * count as failed logins (domain/users/ratelimit.h). A password that
 * passed is remembered for XRM_DAV_LOGIN_CACHE seconds under a keyed hash
 * (a random key per process; never the password itself), so a client's
 * many requests do not each pay the password hash; the memory is dropped
 * whenever a token is revoked or a user or password changes in this
 * process (xrm_token_cache_gen), and a change made by another process
 * (another node, the CLI) is seen within XRM_DAV_LOGIN_CACHE seconds.
 * True when req->ctx.user is set; otherwise resp holds the 401 (with
 * WWW-Authenticate: Basic) or 429.
 */
#define XRM_DAV_LOGIN_CACHE 300
bool xrm_dav_authenticate(struct xrm_req *req, struct xrm_resp *resp);

#endif
