/*
 * The seam between relationship.c (the rules: built-in types, validation,
 * access, audit; the public calls of relationship.h) and relationship-db.c
 * (the SQL on relationship_types and relationships). Private to those two
 * files. These functions trust their arguments.
 *
 * Types and relationships cross this seam as their API JSON
 * (relationship.h), so what is validated, stored and answered has one shape.
 * Every json_t ** out parameter receives a new reference the caller frees.
 */
#ifndef XRM_DOMAIN_RELATIONSHIP_DB_H
#define XRM_DOMAIN_RELATIONSHIP_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/*
 * The type called name, or else the type whose reverse name it is
 * (*reversed true). XRM_E_NOTFOUND with a message only when neither exists.
 */
enum xrm_rc xrm_rel_db_type_find(struct xrm_db *db, const char *name, json_t **out, bool *reversed,
                                 struct xrm_err *err);

/* *taken: a type has name as its name or reverse name. */
enum xrm_rc xrm_rel_db_type_taken(struct xrm_db *db, const char *name, bool *taken,
                                  struct xrm_err *err);

/* Every type, an array. */
enum xrm_rc xrm_rel_db_type_all(struct xrm_db *db, json_t **out, struct xrm_err *err);

/* t: type API JSON (validated). *inserted (may be NULL) is false when a type of that name existed.
 */
enum xrm_rc xrm_rel_db_type_insert(struct xrm_db *db, json_t *t, bool builtin, bool *inserted,
                                   struct xrm_err *err);

/* The relationship id as API JSON; XRM_E_NOTFOUND when there is none. */
enum xrm_rc xrm_rel_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * Another relationship of this type between the same parties (either way
 * round when symmetric) whose period meets [since, until]; both ends are
 * inclusive days and NULL is open. *found_id is 0 when there is none.
 */
enum xrm_rc xrm_rel_db_overlap(struct xrm_db *db, const char *type, int64_t from, int64_t to,
                               bool symmetric, const char *since, const char *until,
                               int64_t exclude_id, int64_t *found_id, struct xrm_err *err);

/* rel: {"type", "from", "to", "since", "until", "note"} validated; sets *id_out. */
enum xrm_rc xrm_rel_db_insert(struct xrm_db *db, json_t *rel, const char *now, int64_t *id_out,
                              struct xrm_err *err);

/* Writes since, until and note of rel (which carries "id") and bumps the version. */
enum xrm_rc xrm_rel_db_update(struct xrm_db *db, json_t *rel, const char *now, struct xrm_err *err);

enum xrm_rc xrm_rel_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

#endif
