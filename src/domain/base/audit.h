/*
 * The audit trail: who changed what, when, with the record before and after.
 * Append-only. xrm_audit_add runs inside the caller's write transaction, so
 * the audit row commits or rolls back together with the change it describes.
 */
#ifndef XRM_DOMAIN_AUDIT_H
#define XRM_DOMAIN_AUDIT_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* action: "create", "update", "archive", "delete"; before/after may be NULL (borrowed). */
/*
 * Between xrm_audit_batch(true) and xrm_audit_batch(false), called inside
 * one write function, xrm_audit_add records nothing: the caller writes one
 * entry for the whole batch (bulk import). Calls nest.
 */
void xrm_audit_batch(bool on);

/* True between xrm_audit_batch(true) and (false) on this thread. */
bool xrm_audit_batching(void);

/*
 * The observer of every audited change (webhooks, set by domain/hooks.c):
 * xrm_audit_add calls it inside the write, after the audit row, with the
 * same arguments, also in batch mode (a bulk import still calls
 * xrm_audit_add per record). Its failure fails the write. NULL: none.
 */
typedef enum xrm_rc xrm_audit_observer_fn(struct xrm_db *db, const struct xrm_user *user,
                                          const char *action, const char *entity, int64_t entity_id,
                                          json_t *before, json_t *after, struct xrm_err *err);
void xrm_audit_observer_set(xrm_audit_observer_fn *fn);

enum xrm_rc xrm_audit_add(struct xrm_db *db, const struct xrm_user *user, const char *action,
                          const char *entity, int64_t entity_id, json_t *before, json_t *after,
                          struct xrm_err *err);

#endif
