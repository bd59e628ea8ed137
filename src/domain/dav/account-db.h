/*
 * The SQL of domain/dav/account.c (table dav_segments), private to it.
 */
#ifndef XRM_DOMAIN_DAV_ACCOUNT_DB_H
#define XRM_DOMAIN_DAV_ACCOUNT_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The ids of the segments user_id marked, as a JSON array of integers (ascending). */
enum xrm_rc xrm_dav_db_marked(struct xrm_db *db, int64_t user_id, json_t **out,
                              struct xrm_err *err);

/* Adds (on) or removes the mark of user_id on segment_id; no error when it is already so. */
enum xrm_rc xrm_dav_db_mark(struct xrm_db *db, int64_t user_id, int64_t segment_id, bool on,
                            struct xrm_err *err);

#endif
