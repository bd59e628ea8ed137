/*
 * A user's CardDAV and CalDAV account as the app shows it (GET
 * /api/v1/dav): the addresses a phone or Thunderbird needs, the user name,
 * the address books (all parties the user may see, and one per segment the
 * user marks as synced) and the calendars. The marks live in table
 * dav_segments, one row per user and segment; a segment counts only while
 * the user may read it (domain/base/access.h: shared ones, and one's own
 * private ones), so a segment made private by its owner drops out of the
 * other users' address books by itself.
 *
 * Ownership as domain/base/ctx.h says.
 */
#ifndef XRM_DOMAIN_DAV_ACCOUNT_H
#define XRM_DOMAIN_DAV_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The segments ctx's user syncs and may read: [{"id", "name", "query"}], by name. */
enum xrm_rc xrm_dav_synced_segments(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/*
 * GET /api/v1/dav: {"url": "<base>/dav/", "carddav":
 * "<base>/dav/addressbooks/<user>/", "caldav": "<base>/dav/calendars/<user>/",
 * "username", "address_books": [{"name": "all" | "segment-<id>",
 * "displayname", "url", "segment": null | {"id", "name"}}], "calendars":
 * [{"name": "tasks" | "meetings", "displayname", "url"}], "segments":
 * [{"id", "name", "synced"}] (every segment the user may read, by name)}.
 * base is the public base URL without a trailing slash
 * ("https://xrm.example.nl"); display names in the request's language.
 */
enum xrm_rc xrm_dav_account(struct xrm_ctx *ctx, const char *base, json_t **out,
                            struct xrm_err *err);

/*
 * Marks (synced true) or unmarks segment_id as synced for ctx's user; both
 * are idempotent. XRM_E_NOTFOUND for a segment the user may not read (as
 * GET /segments/{id}). A preference of the user's own: not audited.
 */
enum xrm_rc xrm_dav_segment_mark(struct xrm_ctx *ctx, int64_t segment_id, bool synced,
                                 struct xrm_err *err);

#endif
