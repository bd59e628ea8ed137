/*
 * Helpdesk cases: a party's question or complaint with a status, a
 * priority, an assignee and an SLA due time.
 *
 * case JSON: {"id", "party", "party_name", "domain" (default sales),
 * "subject", "description", "status" (new | open | waiting | resolved |
 * closed), "priority" (low | normal | high | top), "sla_hours",
 * "sla_source" ("treatment" | "priority" | "input"), "sla_reason" (why:
 * {"code": the source, "rules": names of the treatment rules that set the
 * hours, "en", "nl": "4 hours: Strategic partner (treatment rule Strategic
 * partner customer)"}; null on cases from before it was kept), "sla_due",
 * "sla_breached", "opened_at", "resolved_at", "assignee",
 * "source_activity", "created_by", "version", "created_at", "updated_at"}.
 *
 * SLA: the party's treatment decides (treatment.sla_hours and
 * treatment.priority of the party response, from the treatment rules: a
 * strategic partner who is also a customer gets 4 hours); without one the
 * priority does (top 4 h, high 8 h, normal 24 h, low 72 h). sla_due =
 * opened_at + sla_hours, unless the input gives sla_due itself. A case is
 * breached when it is not resolved or closed and its sla_due has passed (or
 * when it was resolved after it). Time comes from core/clock.h.
 *
 * Input: {"party", "subject", "description"?, "status"?, "priority"?,
 * "assignee"?, "domain"?, "opened_at"? (not in the future), "sla_due"?,
 * "from_activity"?}. from_activity opens the case from a complaint
 * activity: party and subject default to the activity's, which is linked
 * to the case.
 *
 * Messages and internal notes are activities (email / note) of the case's
 * party, so they show in the case and in the party's timeline alike.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_CASE_H
#define XRM_DOMAIN_CASE_H

#include <jansson.h>

#include "domain/base/ctx.h"

/* The description of a case: fields, table, JSON Schema (domain/base/record.h). */
struct xrm_record_kind;
extern const struct xrm_record_kind xrm_case_kind;

/* The plain operations of cases (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_case_ops;

/*
 * Cases newest first (sort NULL or "newest"), or by urgency (sort
 * "urgency": active cases first, then the earliest SLA due, so overdue ones
 * lead, then the highest priority, then id), {"items", "next"}, filtered by q, a small query
 * language of its own: sla:breached, sla:ok, status:open (a status, or
 * "active" for new, open and waiting; "-status:closed" negates), priority:high,
 * assignee:me | none | ID, party:ID, domain:sales, and free words matched in
 * the subject ("me" is the caller). Only cases of domains the caller may
 * read are listed. Another sort is XRM_E_INVALID (field "sort"). Errors (field "q"), as in the
 * party query: an unknown filter or an empty value is XRM_E_MALFORMED (400), a value outside its
 * set XRM_E_INVALID (422).
 */
xrm_record_list_t xrm_case_list;

/*
 * Adds a message to the case: {"body", "subject"?, "internal"?: false}.
 * A message is an email activity, an internal note a note activity; both
 * link the case's party. Answers the activity with "link".
 */
enum xrm_rc xrm_case_add_message(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                 struct xrm_err *err);
/*
 * The messages, notes and linked activities of case page->id, newest first:
 * {"items", "next"}; one page, the latest page->limit.
 */
xrm_record_list_t xrm_case_messages;

enum xrm_rc xrm_case_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/*
 * The SLA a new case of party gets: reads the party's treatment (through
 * the party response) and fills *hours and *priority (a static string)
 * when it sets them (0 / NULL when not), and *rules (new reference, or
 * NULL when no hours) with the treatment rules that set the hours:
 * [{"name", "en", "nl"}], en / nl the rule's first badge (else its name).
 */
enum xrm_rc xrm_case_treatment(struct xrm_ctx *ctx, int64_t party, int64_t *hours,
                               const char **priority, json_t **rules, struct xrm_err *err);

#endif
