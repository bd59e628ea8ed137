/*
 * The seam between role.c (the rules: built-in role types, validation of
 * type definitions and role input, the public calls of role.h) and
 * role-db.c (the SQL on role_types, roles and role_attrs). Private to those
 * two files.
 *
 * Role types and roles cross this seam as their API JSON (role.h), so what
 * is validated, stored and answered has one shape.
 */
#ifndef XRM_DOMAIN_ROLE_DB_H
#define XRM_DOMAIN_ROLE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

/*
 * The role type `name` as API JSON (new reference). XRM_E_NOTFOUND with a
 * message only (no field error) when there is none, so callers can name the
 * field themselves.
 */
/* As xrm_role_db_type_load, from a process-wide cache; the result is shared: do not modify. */
enum xrm_rc xrm_role_db_type_cached(struct xrm_db *db, const char *name, json_t **out,
                                    struct xrm_err *err);
enum xrm_rc xrm_role_db_type_load(struct xrm_db *db, const char *name, json_t **out,
                                  struct xrm_err *err);

/* Every role type, built-ins first, in creation order; new reference to an array. */
enum xrm_rc xrm_role_db_type_all(struct xrm_db *db, json_t **out, struct xrm_err *err);

/*
 * Inserts a validated type definition (API JSON without "builtin") unless
 * a type of that name exists. *id_out is the new id, or 0 when it existed.
 */
enum xrm_rc xrm_role_db_type_insert(struct xrm_db *db, json_t *type, bool builtin, int64_t *id_out,
                                    struct xrm_err *err);

/* A validated role as stored; strings and attributes are borrowed. */
struct xrm_role_row {
    int64_t id;
    int64_t party_id;
    const char *type;
    const char *domain;
    const char *status;
    const char *since;  /* NULL when open */
    const char *until;  /* NULL when open */
    json_t *attributes; /* object, values already normalised */
};

/*
 * Insert sets r->id; update writes status, dates and attributes of r->id
 * and bumps its version. Both rewrite the role's role_attrs rows.
 */
enum xrm_rc xrm_role_db_insert(struct xrm_db *db, struct xrm_role_row *r, struct xrm_err *err);

/*
 * The stored text of a role (its attributes as JSON and its role_attrs
 * rows), made from r without the database, so that a bulk import builds it
 * before the write starts. Release with xrm_role_db_text_release.
 */
struct xrm_role_text {
    char *attributes;
    size_t n;
    char **names, **values; /* n role_attrs rows: "type.key", value text */
};
void xrm_role_db_text(const struct xrm_role_row *r, struct xrm_role_text *out);
void xrm_role_db_text_release(struct xrm_role_text *t);
/* As xrm_role_db_insert, with the text made beforehand from r. */
enum xrm_rc xrm_role_db_insert_text(struct xrm_db *db, struct xrm_role_row *r,
                                    const struct xrm_role_text *t, struct xrm_err *err);
enum xrm_rc xrm_role_db_update(struct xrm_db *db, const struct xrm_role_row *r,
                               struct xrm_err *err);
enum xrm_rc xrm_role_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

/* The role as API JSON (new reference); XRM_E_NOTFOUND "no role N" when absent. */
enum xrm_rc xrm_role_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/* *exists tells whether user id is a user of this installation. */
enum xrm_rc xrm_role_db_user_exists(struct xrm_db *db, int64_t id, bool *exists,
                                    struct xrm_err *err);

#endif
