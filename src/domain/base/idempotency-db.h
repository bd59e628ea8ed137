/*
 * The seam between idempotency.c (hashing, comparing, the public calls of
 * idempotency.h) and idempotency-db.c (the SQL on the idempotency table).
 * Private to those two files.
 */
#ifndef XRM_DOMAIN_IDEMPOTENCY_DB_H
#define XRM_DOMAIN_IDEMPOTENCY_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/*
 * One stored key. A row from xrm_idem_db_load owns its strings
 * (xrm_idem_db_row_release frees them); one given to xrm_idem_db_insert is
 * only read.
 */
struct xrm_idem_row {
    int64_t user;
    const char *key, *method, *path;
    const char *request_hash; /* NULL for keys stored before requests were hashed */
    int status;
    const char *body;     /* JSON text */
    const char *location; /* or NULL */
};

void xrm_idem_db_row_release(struct xrm_idem_row *row);

/* The row of (user, key); *found is false when there is none (row untouched). */
enum xrm_rc xrm_idem_db_load(struct xrm_db *db, int64_t user, const char *key,
                             struct xrm_idem_row *row, bool *found, struct xrm_err *err);

/* Inserts row (borrowed) stamped now, unless (user, key) exists. */
enum xrm_rc xrm_idem_db_insert(struct xrm_db *db, const struct xrm_idem_row *row, const char *now,
                               struct xrm_err *err);

#endif
