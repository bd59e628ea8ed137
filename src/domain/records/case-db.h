/*
 * SQL seam of case.c (private to case.c and case-db.c). A case goes in as a
 * validated record {"party", "domain", "subject", "description", "status",
 * "priority", "sla_hours", "sla_source", "sla_due", "opened_at",
 * "resolved_at", "assignee", "source_activity"} and comes out as its API
 * JSON without "sla_breached" (case.c adds it, it depends on the clock).
 */
#ifndef XRM_DOMAIN_CASE_DB_H
#define XRM_DOMAIN_CASE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/records/case.h"

enum xrm_rc xrm_case_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_case_db_insert(struct xrm_db *db, json_t *rec, int64_t created_by, const char *now,
                               int64_t *id, struct xrm_err *err);
enum xrm_rc xrm_case_db_update(struct xrm_db *db, int64_t id, json_t *rec, const char *now,
                               struct xrm_err *err);
enum xrm_rc xrm_case_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

/* A parsed case query: SQL conditions on alias c joined with AND, and their parameters. */
struct xrm_case_cond {
    const char *sql; /* fixed text with '?' */
    int nparams;     /* 0..5 */
    const char *text[5];
    int64_t num[5];
    bool is_num[5];
};

#define XRM_CASE_CONDS_MAX 40

/* Up to n cases matching every condition, id below before_id (0: top), newest first. */
enum xrm_rc xrm_case_db_list(struct xrm_db *db, const struct xrm_case_cond *conds, int nconds,
                             int n, int64_t before_id, json_t **out, struct xrm_err *err);

#endif
