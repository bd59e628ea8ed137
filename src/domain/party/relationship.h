/*
 * Relationships: typed, dated links between two parties. Each type has a
 * reverse (works_at / employs), so a party lists its links in both
 * directions, each read from its own side.
 *
 * relationship JSON: {"id", "type", "from", "to", "since", "until", "note",
 * "version", "domain"}. As listed on a party: {"id", "type" (from that
 * party's side), "party": {"id", "name"}, "since", "until", "domain"}.
 * relationship type JSON: {"name", "reverse", "label": {"en","nl"},
 * "reverse_label": {"en","nl"}, "builtin", "domain"}.
 *
 * Access: a type belongs to a domain ("domain", e.g. manager_of: hr) or is
 * common (null: works_at, family...). Links of a domain type need read
 * access there to be seen (a single read answers 404, a party's list leaves
 * them out through the access filter) and write access to be made,
 * changed or removed; common links need write access to any domain.
 */
#ifndef XRM_DOMAIN_RELATIONSHIP_H
#define XRM_DOMAIN_RELATIONSHIP_H

#include <jansson.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_relationship_type_seed(struct xrm_store *st, struct xrm_err *err);
enum xrm_rc xrm_relationship_type_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
/* Administrators and the system (user id 0) only (XRM_E_DENIED otherwise). */
enum xrm_rc xrm_relationship_type_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                         struct xrm_err *err);

enum xrm_rc xrm_relationship_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                    struct xrm_err *err);
enum xrm_rc xrm_relationship_get(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                 struct xrm_err *err);
enum xrm_rc xrm_relationship_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                    json_t *patch, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_relationship_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                    struct xrm_err *err);

/* The party's links in both directions as a JSON array; new reference. */
enum xrm_rc xrm_relationship_array_for_party(struct xrm_db *db, int64_t party_id, json_t **out,
                                             struct xrm_err *err);

/* Validates and inserts inside the caller's transaction (bulk import); out may be NULL. */
enum xrm_rc xrm_relationship_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                       const char *prefix, json_t **out, struct xrm_err *err);

#endif
