/*
 * Automations: declarative "when this happens, do that" rules, stored as
 * data, edited by administrators and audited like every other write.
 *
 * automation JSON: {"id", "name", "trigger": {...}, "actions": [...],
 * "enabled", "builtin", "version", "created_at", "updated_at"}.
 *
 * Triggers (each names its subject, the record an occurrence is about):
 *   {"type": "deal_stage", "stage": "Offerte"}   a deal enters a stage
 *       (stage name, any pipeline; or "stage_id"); subject: the deal
 *   {"type": "customer_idle", "days": 90}         an active customer had no
 *       activity for N days (none at all: since the role started); subject:
 *       the party
 *   {"type": "agreement_ending", "days": 60}      an agreement ends within N
 *       days (optional "kind", "domain" filters); subject: the agreement
 *   {"type": "case_sla_breached"}                 an unresolved case is past
 *       its SLA; subject: the case
 *   {"type": "role_started" | "role_ended", "role": "employee",
 *    "within_days": 7}                            a role's since / until date
 *       was in the last N days; subject: the role
 * Actions (1 to 10, in order):
 *   {"type": "create_task", "subject": "...", "body"?, "due_days"?: 0,
 *    "assignee"?: "owner" | user id, "domain"?}
 *   {"type": "add_note", "subject": "...", "body"?}
 *   {"type": "add_tag", "tag": "..."}               on the subject's party
 *   {"type": "set_field", "field": "...", "value": ...}   on the subject:
 *       deal probability / owner / expected_close; case priority / status /
 *       assignee; agreement owner / notes
 * Texts may name values of the occurrence in braces: {party.name},
 * {deal.title}, {deal.amount}, {agreement.title}, {agreement.end},
 * {case.subject}, {role.type}, {days}. "owner" is the deal's owner, the
 * case's assignee, the agreement's owner, the customer's account manager
 * or the party's owner, in that order, else the first administrator.
 * Tasks and notes are activities of the subject's party (domain: the
 * record's), linked to the deal, case or agreement.
 *
 * Once per occurrence: every firing is recorded in automation_fired with a
 * unique (automation, subject, occurrence key) inside the transaction that
 * creates its tasks, so neither a restart, nor a second server, nor a run
 * by hand ever repeats one. Keys: the stage-history entry of a deal_stage,
 * the last activity time of an idle customer, the end date of an agreement
 * (a renewed agreement fires again), the SLA due time of a case, the date
 * of a role start or end.
 *
 * Runs happen inside `xrm serve` on a schedule (at start, then every
 * XRM_AUTOMATION_INTERVAL seconds, default 300; 0 turns the schedule off),
 * right after a deal changes stage, on POST /api/v1/automations/run and by
 * `xrm automation run`. A run also rolls auto-renewing agreements past
 * their end date into their next term. Time comes from core/clock.h, so
 * XRM_NOW moves it in tests.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_AUTOMATION_H
#define XRM_DOMAIN_AUTOMATION_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The description of an automation: fields, table, JSON Schema (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_automation_kind;

enum xrm_rc xrm_automation_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);
/*
 * The plain operations of automations (changes by administrators)
 * (domain/base/record.h): the route table's .ops.
 */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_automation_ops;

/* Writes are for administrators (the route table enforces it). */

/*
 * Runs every enabled automation once, now. *report (may be NULL):
 * {"at", "fired", "renewed", "errors", "automations": [{"id", "name",
 * "fired", "errors"}]}. Runs in one process never overlap.
 */
enum xrm_rc xrm_automation_run(struct xrm_ctx *ctx, json_t **report, struct xrm_err *err);

/* Runs the deal_stage automations for deal id (after it changed stage). */
enum xrm_rc xrm_automation_on_deal(struct xrm_ctx *ctx, int64_t deal_id, struct xrm_err *err);

/*
 * The scheduler of `xrm serve`: a thread that runs automations at start and
 * then every interval. start is a no-op when running or when the interval
 * is 0; stop wakes the thread, waits for a run in progress to finish its
 * current occurrence, and joins it (prompt on SIGTERM).
 */
void xrm_automation_start(struct xrm_store *st);
void xrm_automation_stop(void);

/* {"scheduler": bool, "interval", "runs", "last_run": report or null}; new reference. */
json_t *xrm_automation_status(void);

#endif
