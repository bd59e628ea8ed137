/*
 * Treatment rules: how to treat a party given its combination of roles,
 * attributes, tags and segments (the heart of XRM; DESIGN.md "Treatment
 * rules"). Rules are data in the rules table, editable by admins; the
 * shape, the conditions and how several rules combine are described in
 * domain/rule-eval.h.
 *
 * Rules are loaded once into memory in compiled form and shared by all
 * threads. Every rule or segment write bumps a generation counter; a
 * reader that finds its cached rules older than the counter reloads them
 * (lazily, on its next use), so a change is seen by the next request. The
 * cache is per process: a second process writing rules (several servers on
 * one PostgreSQL database) is not seen until that process restarts.
 *
 * Built-in rules (staff customer, strategic partner customer, press
 * customer, supplier customer) are seeded by migration 004 and can be
 * edited or disabled, not deleted.
 *
 * Ownership as in party.h: *out values are new references; inputs are
 * borrowed.
 */
#ifndef XRM_DOMAIN_RULE_H
#define XRM_DOMAIN_RULE_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/query-db.h"

#define XRM_RULES_MAX 500
#define XRM_SIMULATE_MAX 500 /* parties scanned per simulation page */

/*
 * {"items": [every rule, by id], "next": null}, and one rule, as ctx->user
 * may see them. Everyone sees every rule's name, kind, description,
 * "enabled" and effects ("then": treatment is meant for everyone); a
 * non-admin sees its conditions ("when") only on domains he can read:
 * attribute and status conditions on role types of other domains, and a
 * segment he cannot see, are left out, and the rule then has
 * "restricted": true. "suspended" is null, or {"code":
 * "sensitive_attribute", "message", and for readers of its domain "field"
 * and "attribute"} for a stored rule that never fires because a condition
 * uses a sensitive attribute (rule-eval.h); create and update answer the
 * same shape.
 */
enum xrm_rc xrm_rule_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
xrm_record_get_t xrm_rule_get;

/*
 * Admin writes (the route table enforces admin; these check it again).
 * Input is validated against the role types (unknown type, status or
 * attribute: 422 naming the field; a sensitive attribute, also one a
 * segment's query uses: 422 with code "sensitive_attribute", also when an
 * update keeps such a stored condition), the segment and owner it names
 * must exist, names are unique (409). Each write is audited. Built-in rules
 * cannot be deleted (409; disable them instead).
 */
xrm_record_create_t xrm_rule_create;
xrm_record_update_t xrm_rule_update;
xrm_record_delete_t xrm_rule_delete;

/*
 * What a draft rule would change, without saving it. draft is a rule as for
 * create; with an "id" it is an edit of that rule (absent fields keep their
 * values; {"id": 3, "enabled": false} shows what disabling rule 3 does).
 * Parties are scanned by id, at most limit (1..XRM_SIMULATE_MAX) per call,
 * after cursor (NULL: from the start). Answer:
 *   {"rule": the draft as it would be stored, "scanned": n, "next": cursor|null,
 *    "items": [{"party": {"id", "name"}, "before": {"treatment", "broken"},
 *               "after": {"treatment", "broken"}}]}
 * listing only the scanned parties whose treatment or broken constraints
 * ("broken": names of the constraints the party breaks) would change.
 */
enum xrm_rc xrm_rule_simulate(struct xrm_ctx *ctx, json_t *draft, int limit, const char *cursor,
                              json_t **out, struct xrm_err *err);

/*
 * Party decoration steps (domain/party/party.h, xrm_party_step_fn):
 * xrm_rule_decorate_page adds "treatment" (see rule-eval.h) to every party
 * of items, API party objects with their "roles" and "tags" whose ids b
 * holds (a single party is a page of one). On failure err->rc is set.
 * xrm_rule_reader_page removes the roles hidden from ctx->user
 * (xrm_access_drop_hidden_roles) and evaluates the treatment of a party
 * that lost one again on what is left, so that no badge, note or
 * suppression tells of it; it runs before contactability, which follows
 * the treatment the user is shown. Nothing to do for users who see all.
 */
struct xrm_batch;
enum xrm_rc xrm_rule_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                   bool full, struct xrm_err *err);
enum xrm_rc xrm_rule_reader_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                 bool full, struct xrm_err *err);

/* The treatment of party p (API JSON with "roles" and "tags") on db; new reference. */
enum xrm_rc xrm_rule_treatment(struct xrm_db *db, json_t *p, json_t **out, struct xrm_err *err);

/*
 * Checks party_id against the enabled constraint rules, inside the caller's
 * write transaction (role writes call it after the write, so that a broken
 * constraint rolls the whole write back). XRM_E_CONFLICT (409) naming the
 * rule when the party breaks one.
 */
enum xrm_rc xrm_rule_check_party(struct xrm_db *db, int64_t party_id, struct xrm_err *err);

/*
 * The SQL condition on alias p for a priority: or badge: term (without its
 * negation): translated from the rules in memory, so that the filter agrees
 * with the treatment shown. priority:P is "no rule of a higher priority
 * fires, and one of priority P does (or, for normal, none of low does)";
 * badge:"x" is "a rule with badge x fires".
 */
enum xrm_rc xrm_rule_sql_term(struct xrm_db *db, const struct xrm_qterm *t, int depth,
                              struct xrm_sql *out, struct xrm_err *err);

/*
 * The SQL condition on alias p "an enabled treatment rule that suppresses
 * `suppression` (no_marketing, no_sales_outreach; NULL: either) fires",
 * for contactability filters (may:) that must agree with the treatment.
 */
enum xrm_rc xrm_rule_sql_suppressed(struct xrm_db *db, const char *suppression, int depth,
                                    struct xrm_sql *out, struct xrm_err *err);

/* Segments: the name of a rule whose conditions use segment id, or "" (name has n bytes). */
enum xrm_rc xrm_rule_using_segment(struct xrm_db *db, int64_t segment_id, char *name, size_t n,
                                   struct xrm_err *err);

/* Marks the cached rules stale (after a rule or segment write). */
void xrm_rule_changed(void);

#endif
