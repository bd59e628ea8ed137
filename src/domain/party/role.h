/*
 * Roles and role types. A role is a party's role in one domain: a type
 * (customer, employee, partner, supplier, press, stakeholder, or one an
 * admin defined), a status from that type's list, since/until dates and
 * attributes validated against the type's schema.
 *
 * Role type JSON (GET /api/v1/role-types):
 *   {"name": "customer", "domain": "sales", "label": {"en": "Customer",
 *    "nl": "Klant"}, "statuses": ["lead", "prospect", "active", "former"],
 *    "default_status": "active", "ended_statuses": ["former"], "builtin": true,
 *    "attributes": [{"name": "segment", "type": "string", "required": false,
 *                    "sensitive": false, "label": {"en": .., "nl": ..}}, ...]}
 * Attribute types: string, text, integer, number, money, boolean, date,
 * enum (with "values"), user (a user id), party (a party id), department (a
 * department id, HR); integer/number/money may carry "min"/"max".
 *
 * Ownership as in party.h: *out new references, inputs borrowed.
 */
#ifndef XRM_DOMAIN_ROLE_H
#define XRM_DOMAIN_ROLE_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* Inserts the built-in role types when missing (on every start; idempotent). */
enum xrm_rc xrm_role_type_seed(struct xrm_store *st, struct xrm_err *err);
enum xrm_rc xrm_role_type_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_role_type_get(struct xrm_ctx *ctx, const char *name, json_t **out,
                              struct xrm_err *err);
/* Administrators and the system (user id 0) only (XRM_E_DENIED otherwise). Names
 * [a-z][a-z0-9_]{0,39}, unique. */
enum xrm_rc xrm_role_type_create(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                 struct xrm_err *err);

/* Roles. Creating, changing or removing a role touches its party (version). */
enum xrm_rc xrm_role_create(struct xrm_ctx *ctx, int64_t party_id, json_t *in, json_t **out,
                            struct xrm_err *err);
enum xrm_rc xrm_role_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_role_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                            json_t **out, struct xrm_err *err);
enum xrm_rc xrm_role_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                            struct xrm_err *err);

/* {"items": [roles of the party]} */
enum xrm_rc xrm_role_list(struct xrm_ctx *ctx, int64_t party_id, json_t **out, struct xrm_err *err);

/* The party's roles as a JSON array (on any connection); new reference. */
enum xrm_rc xrm_role_array_for_party(struct xrm_db *db, int64_t party_id, json_t **out,
                                     struct xrm_err *err);

/*
 * The roles of every party of a page in one statement: sets "roles" (an
 * array, as xrm_role_array_for_party gives it) on each object of items, the
 * objects whose ids b holds (b made from items).
 */
struct xrm_batch;
enum xrm_rc xrm_role_attach_page(struct xrm_db *db, const struct xrm_batch *b, json_t *items,
                                 struct xrm_err *err);

/*
 * Validates `in` and inserts the role inside the caller's write transaction;
 * field errors are prefixed with `prefix` (e.g. "roles[0]."). out may be NULL.
 */
enum xrm_rc xrm_role_insert_tx(struct xrm_db *db, const struct xrm_user *user, int64_t party_id,
                               json_t *in, const char *prefix, json_t **out, struct xrm_err *err);

/*
 * Suppliers: a role's patch inside the caller's write transaction (the
 * rating that evaluations compute), with every check, audit entry and
 * listener of xrm_role_update. out may be NULL.
 */
enum xrm_rc xrm_role_update_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *patch, json_t **out, struct xrm_err *err);

/*
 * A new role checked before its write transaction (bulk import): everything
 * xrm_role_insert_tx checks that needs no database but the role type,
 * which comes from reader. Returns non-OK (err may or may not be set) when
 * the role is wrong or needs the write transaction to be checked (user or
 * party references); the caller then uses xrm_role_insert_tx, which gives
 * the answer. *out is freed with xrm_role_new_free.
 */
struct xrm_role_new;
enum xrm_rc xrm_role_prepare(struct xrm_db *reader, const struct xrm_user *user, json_t *in,
                             const char *prefix, struct xrm_role_new **out, struct xrm_err *err);
/*
 * Inserts a prepared role of party_id inside the caller's write transaction,
 * as xrm_role_insert_tx does in a bulk import (no audit entry, no read-back).
 */
enum xrm_rc xrm_role_insert_prepared_tx(struct xrm_db *db, int64_t party_id, struct xrm_role_new *r,
                                        struct xrm_err *err);
void xrm_role_new_free(struct xrm_role_new *r);

/*
 * The check a party's roles must pass after every change of them, inside
 * the write (a failure rolls it back): the constraints of treatment rules
 * (domain/rules/rule.h, xrm_rule_check_party), set at start-up by
 * domain/hooks.c. Until one is set, role writes fail (XRM_E_INTERNAL)
 * rather than skip the check.
 */
typedef enum xrm_rc (*xrm_role_check_fn)(struct xrm_db *db, int64_t party_id, struct xrm_err *err);
void xrm_role_check_set(xrm_role_check_fn fn);

/*
 * Listeners told of every role change, inside the write transaction after
 * the role is stored (a failure rolls the write back): before is NULL for a
 * new role, after is NULL for a deleted one; both are the stored role as
 * xrm_role_get answers it (unfiltered; the listener must not send them
 * anywhere). A bulk import (xrm_role_insert_prepared_tx, or an insert while
 * the audit is batching) tells no one. Added at start-up by domain/hooks.c
 * (HR: employment history, on- and offboarding, recruitment); at most
 * XRM_ROLE_LISTENERS_MAX, called in the order added.
 */
#define XRM_ROLE_LISTENERS_MAX 8
typedef enum xrm_rc (*xrm_role_listener_fn)(struct xrm_db *db, const struct xrm_user *user,
                                            json_t *before, json_t *after, struct xrm_err *err);
void xrm_role_listener_add(xrm_role_listener_fn fn);

/*
 * HR: the check of a "department" attribute, *exists whether id is a
 * department (domain/hr/department.h), set at start-up by domain/hooks.c.
 * Until one is set, a department value fails (XRM_E_INTERNAL).
 */
typedef enum xrm_rc (*xrm_role_department_fn)(struct xrm_db *db, int64_t id, bool *exists,
                                              struct xrm_err *err);
void xrm_role_department_set(xrm_role_department_fn fn);

#endif
