/*
 * Billing: what happens when an issued invoice is not paid. The rules, in
 * the order they apply:
 *
 * Overdue. An invoice is overdue when it is open (stored status) and its
 * due date is before today. The overdue scan gives every overdue invoice
 * that has none yet one task (activity type task, domain sales, on the
 * invoice's party, due today, subject in Dutch, "Factuur 2026-0001 is
 * vervallen": the company is Dutch, its people read Dutch), assigned to the
 * account manager of the party's customer role, else the invoice's creator,
 * else whoever issued it, else the first administrator, and notes it on the
 * invoice (invoices.task_id), so the next scan leaves it alone. Runs as an
 * administrator or the system: `xrm invoices overdue`, POST
 * /api/v1/invoices/overdue-scan and the daily job of `xrm serve`.
 *
 * Reminders (POST /invoices/{id}/reminders, sales write; open invoices
 * only, XRM_E_CONFLICT otherwise). Each reminder is a letter: stored in
 * invoice_reminders, written as a `letter` activity (domain sales) on the
 * party's timeline with the letter's text (Dutch, or English for a reader
 * who asks for English), and it raises the invoice's reminder_level.
 *   - kind "reminder" (the default): the next level. For a consumer buyer
 *     (buyer snapshot kind "person" without a KvK number) the first one is
 *     the 14-day letter (wik.h): it states the collection costs of the WIK
 *     scale on the open amount and a pay-by date 14 days after the day
 *     after sending; any other reminder is a plain payment reminder (for a
 *     business buyer it names the costs that may follow).
 *   - kind "collection": charges the WIK collection costs on the open
 *     amount (invoices.collection_costs), once. A consumer only after the
 *     pay-by date of the 14-day letter has passed; a business buyer after
 *     any reminder. Otherwise XRM_E_CONFLICT saying from when.
 *
 * reminder JSON: {"id", "invoice", "level", "kind" ("reminder" |
 * "fourteen_day_letter" | "collection"), "date", "pay_by", "costs" (cents:
 * stated in a 14-day letter, charged by a collection), "activity" (the
 * letter's activity id, null once deleted), "subject", "body" (the letter,
 * null once its activity is deleted), "created_by", "created_at"}.
 *
 * Ownership: *out new references.
 */
#ifndef XRM_DOMAIN_BILLING_REMINDER_H
#define XRM_DOMAIN_BILLING_REMINDER_H

#include <jansson.h>

#include "domain/base/ctx.h"

/*
 * The overdue scan as of today ("YYYY-MM-DD"; NULL: the business clock's
 * today). Administrators and the system only. *out: {"today", "tasks":
 * [{"invoice", "number", "task", "assignee"}], "created": n}.
 */
enum xrm_rc xrm_invoice_overdue_scan(struct xrm_ctx *ctx, const char *today, json_t **out,
                                     struct xrm_err *err);

/* The overdue scan as a daily job (domain/base/jobs.h's xrm_job_fn): *result {"created": n}. */
enum xrm_rc xrm_invoice_overdue_job(struct xrm_ctx *ctx, json_t **result, struct xrm_err *err);

/*
 * POST /invoices/{id}/reminders: in is {"kind"?: "reminder" | "collection"}
 * (may be NULL: a reminder); *out the new reminder.
 */
enum xrm_rc xrm_reminder_create(struct xrm_ctx *ctx, int64_t invoice, json_t *in, json_t **out,
                                struct xrm_err *err);

/*
 * GET /invoices/{id}/reminders (sales read): {"invoice", "reminder_level",
 * "collection_costs", "items": [reminders, oldest first], "collection":
 * {"allowed": bool, "from": date | null (a consumer: the day after the
 * 14-day letter's pay-by date), "costs": cents (the WIK costs on the open
 * amount now)}}.
 */
xrm_record_get_t xrm_reminder_list;

#endif
