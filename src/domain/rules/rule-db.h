/*
 * The seam between rule.c (flows, cache, simulation) and rule-db.c (the
 * SQL on rules, and the reads rules need from parties, roles, role types
 * and users). Private to those two files. Rules cross the seam as their
 * API JSON (rule-eval.h describes the canonical shape).
 */
#ifndef XRM_DOMAIN_RULE_DB_H
#define XRM_DOMAIN_RULE_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/query-db.h"
#include "domain/rules/rule-eval.h"
#include "store/store.h"

/* Every rule as API JSON, by id (new reference to an array). */
enum xrm_rc xrm_rule_db_all(struct xrm_db *db, json_t **out, struct xrm_err *err);
/* One rule; XRM_E_NOTFOUND "no rule N" when absent. */
enum xrm_rc xrm_rule_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);
/* Every rule fits one list (XRM_RULES_MAX user rules and the built-in ones). */
#define XRM_RULES_ROWS_MAX 100000

/* Inserts a canonical rule (not built in); *id_out gets its id. */
enum xrm_rc xrm_rule_db_insert(struct xrm_db *db, json_t *rule, int64_t *id_out,
                               struct xrm_err *err);
/* Rewrites rule id from a canonical rule; bumps version and updated_at. */
enum xrm_rc xrm_rule_db_update(struct xrm_db *db, int64_t id, json_t *rule, struct xrm_err *err);
enum xrm_rc xrm_rule_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);
/* The id of the rule named name other than except_id, or 0. */
enum xrm_rc xrm_rule_db_name_used(struct xrm_db *db, const char *name, int64_t except_id,
                                  int64_t *id_out, struct xrm_err *err);
enum xrm_rc xrm_rule_db_count(struct xrm_db *db, int64_t *out, struct xrm_err *err);

/* Every role type as {name, statuses, ended_statuses, attributes, domain} (array, new ref). */
enum xrm_rc xrm_rule_db_role_types(struct xrm_db *db, json_t **out, struct xrm_err *err);
/* The stored tags of party id (array, new reference); XRM_E_NOTFOUND when absent. */
enum xrm_rc xrm_rule_db_party_tags(struct xrm_db *db, int64_t id, json_t **out,
                                   struct xrm_err *err);

/*
 * Up to limit non-archived parties with id > after_id, by id, each as
 * {"id", "name", "tags", "roles": [{"type", "status", "attributes",
 * "active"}]}: two queries whatever the count.
 */
enum xrm_rc xrm_rule_db_parties(struct xrm_db *db, int64_t after_id, int limit, json_t **out,
                                struct xrm_err *err);

/*
 * Appends rule r's conditions as one SQL expression on alias p ("(c1 AND
 * c2 ...)"), the same semantics as xrm_crule_match. depth is the nesting
 * of the query being built (a segment condition nests one deeper).
 */
enum xrm_rc xrm_rule_db_cond_sql(struct xrm_db *db, const struct xrm_crule *r, int depth,
                                 struct xrm_sql *out, struct xrm_err *err);

#endif
