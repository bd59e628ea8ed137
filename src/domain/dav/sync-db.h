/*
 * The seam between sync.c and sync-db.c (the SQL on table dav_sync).
 * Private to those two files. Strings out are malloc'd; the caller frees.
 */
#ifndef XRM_DOMAIN_DAV_SYNC_DB_H
#define XRM_DOMAIN_DAV_SYNC_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The latest snapshot of (user, collection): *token and *members, both NULL when none. */
enum xrm_rc xrm_dav_sync_db_latest(struct xrm_db *db, int64_t user, const char *collection,
                                   char **token, char **members, struct xrm_err *err);

/* The members of the snapshot token of (user, collection); *members NULL when there is none. */
enum xrm_rc xrm_dav_sync_db_find(struct xrm_db *db, int64_t user, const char *collection,
                                 const char *token, char **members, struct xrm_err *err);

/* Stores a snapshot stamped now and drops all but the latest keep of (user, collection). */
enum xrm_rc xrm_dav_sync_db_insert(struct xrm_db *db, int64_t user, const char *collection,
                                   const char *token, const char *members, const char *now,
                                   int keep, struct xrm_err *err);

#endif
