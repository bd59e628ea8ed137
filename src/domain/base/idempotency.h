/*
 * Idempotency keys: a client that sends a POST with an Idempotency-Key
 * header and retries it (a lost answer, a timeout) gets the first answer
 * again instead of a second record. The first answer of each (user, key)
 * is stored with the method, the path and a hash of the request; the key
 * on another request is refused, so it cannot replay a stale answer to a
 * different question.
 *
 * The HTTP server calls these around the handler of a keyed POST, one
 * keyed request at a time. SQL in idempotency-db.c.
 */
#ifndef XRM_DOMAIN_IDEMPOTENCY_H
#define XRM_DOMAIN_IDEMPOTENCY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

#define XRM_IDEMPOTENCY_KEY_MAX 200 /* characters of a key */
#define XRM_IDEMPOTENCY_HASH_LEN 65 /* hex SHA-256 and NUL */

/* A stored first answer. */
struct xrm_idempotency_answer {
    int status;
    json_t *body;       /* owned by the struct; may be NULL */
    char location[160]; /* the Location header, or empty */
};

/*
 * What a key stands for: the hex SHA-256 of method, path and body (each
 * after its length, so no two requests spell the same bytes). body may be
 * NULL (no body).
 */
void xrm_idempotency_hash(const char *method, const char *path, const char *body, size_t body_len,
                          char out[XRM_IDEMPOTENCY_HASH_LEN]);

/*
 * The first answer stored for key of user. *found is false when the key is
 * new. When the key was stored for another method, path or hash:
 * XRM_E_INVALID with field "Idempotency-Key" and code
 * "idempotency_key_reused" (out untouched). On XRM_OK with *found the
 * caller owns out->body (json_decref).
 */
enum xrm_rc xrm_idempotency_find(struct xrm_db *db, int64_t user, const char *key,
                                 const char *method, const char *path, const char *hash,
                                 struct xrm_idempotency_answer *out, bool *found,
                                 struct xrm_err *err);

/*
 * Stores answer (body borrowed; NULL is stored as {}) as the first answer
 * of key, in a write of its own. A key stored meanwhile keeps its answer.
 */
enum xrm_rc xrm_idempotency_save(struct xrm_store *st, int64_t user, const char *key,
                                 const char *method, const char *path, const char *hash,
                                 const struct xrm_idempotency_answer *answer, struct xrm_err *err);

#endif
