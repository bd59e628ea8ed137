/*
 * SQL of the consent module (consent-db.c), private to consent.c and the
 * GDPR module. A consent event crosses this seam as its API JSON:
 * {"id", "party", "purpose", "granted", "source", "wording", "at",
 * "recorded_at", "recorded_by"}.
 */
#ifndef XRM_DOMAIN_CONSENT_DB_H
#define XRM_DOMAIN_CONSENT_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/* Appends the event ev (its "id" is set from the new row). */
enum xrm_rc xrm_consent_db_insert(struct xrm_db *db, json_t *ev, int64_t user_id,
                                  struct xrm_err *err);

/* Every event of the party, oldest first (by at, then id); new array. */
enum xrm_rc xrm_consent_db_history(struct xrm_db *db, int64_t party_id, json_t **out,
                                   struct xrm_err *err);

/*
 * The latest event per purpose as {"purpose": event} (new object), and
 * whether the party was erased (GDPR), in one statement.
 */
enum xrm_rc xrm_consent_db_state(struct xrm_db *db, int64_t party_id, json_t **out, bool *erased,
                                 struct xrm_err *err);

/*
 * As xrm_consent_db_state for every party of b in one statement: states[i]
 * (new object) and erased[i] for b->ids[i] (b->n entries each).
 */
struct xrm_batch;
enum xrm_rc xrm_consent_db_states(struct xrm_db *db, const struct xrm_batch *b, json_t **states,
                                  bool *erased, struct xrm_err *err);

/* Removes every consent event of the party (erasure). */
enum xrm_rc xrm_consent_db_erase(struct xrm_db *db, int64_t party_id, struct xrm_err *err);

#endif
