/*
 * Reading the audit trail (GET /api/v1/audit): newest first, by party, by
 * user or by record, filtered by the reader's access (domain/access.h):
 * entries on records of a domain the reader may not read are left out, and
 * role attributes are masked as in role reads. Nothing here (nor anywhere
 * else in the API or CLI) changes or deletes an entry; only GDPR erasure
 * removes personal values from them (domain/gdpr.h).
 *
 * Entry JSON: {"id", "at", "user": {"id", "name"} | null, "action",
 * "entity", "entity_id", "before", "after"}.
 */
#ifndef XRM_DOMAIN_AUDIT_LIST_H
#define XRM_DOMAIN_AUDIT_LIST_H

#include <jansson.h>

#include "domain/base/ctx.h"

struct xrm_audit_filter {
    int64_t party;      /* entries about this party (0: any) */
    int64_t user;       /* entries written by this user (0: any) */
    const char *entity; /* "party", "role", "activity", ... (NULL: any) */
    int64_t entity_id;  /* with entity (0: any) */
};

/*
 * {"items": [...], "next": cursor|null}. Administrators may read all;
 * other users must name a party or themselves as user (XRM_E_DENIED).
 */
enum xrm_rc xrm_audit_list(struct xrm_ctx *ctx, const struct xrm_audit_filter *f, int limit,
                           const char *cursor, json_t **out, struct xrm_err *err);

#endif
