/*
 * A reference to a party from a record of another module (a role, a
 * relationship, an activity, a consent, a deal): checking that it exists
 * and marking the party changed. Its own module, below party.c, so that
 * the modules a party is made of (roles, relationships) need not include
 * the party module that assembles them.
 *
 * Both run inside the caller's transaction or read:
 * xrm_party_check: XRM_OK when party id exists (archived or not), else
 * XRM_E_NOTFOUND with a field error on `field`.
 * xrm_party_touch: bumps version and updated_at (a role or relationship of
 * the party changed, so its ETag must change too).
 */
#ifndef XRM_DOMAIN_PARTY_REF_H
#define XRM_DOMAIN_PARTY_REF_H

#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

enum xrm_rc xrm_party_check(struct xrm_db *db, int64_t id, const char *field, struct xrm_err *err);
enum xrm_rc xrm_party_touch(struct xrm_db *db, int64_t id, struct xrm_err *err);

#endif
