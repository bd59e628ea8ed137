/*
 * Resource handlers, one file per resource (api-*.c), all registered in the
 * route table in routes.c.
 */
#ifndef XRM_HTTP_API_H
#define XRM_HTTP_API_H

#include "http/http.h"

/* api-public.c: a public link (no login): token from {name}, unknown ones throttled per address */
typedef enum xrm_rc (*api_link_fn)(struct xrm_ctx *ctx, const char *token, json_t **out,
                                   struct xrm_err *err);
void api_public_link(struct xrm_req *req, struct xrm_resp *resp, const char *limit_name,
                     api_link_fn fn);

/* api-misc.c */
void api_health(struct xrm_req *req, struct xrm_resp *resp);
void api_openapi(struct xrm_req *req, struct xrm_resp *resp);
/* Operations: readiness (api-misc.c) and the Prometheus metrics (metrics.c) */
void api_ready(struct xrm_req *req, struct xrm_resp *resp);
void api_metrics(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_list(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_create(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_delete(struct xrm_req *req, struct xrm_resp *resp);
/*
 * Operations: the checks of GET /healthz, shared with GET /api/v1/system:
 * false when the database does not answer; else h is filled and checks is
 * a new object {database, storage, disk, replica?} (the caller owns it).
 */
struct api_health {
    bool full, disk, low, degraded;
    uint64_t free_bytes, size_bytes;
};
bool api_health_check(struct xrm_store *st, struct api_health *h, json_t **checks);

/* api-parties.c */
void api_parties_list(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-roles.c */
void api_party_roles_create(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_list(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_get(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-relationships.c */
void api_relationship_types_list(struct xrm_req *req, struct xrm_resp *resp);
void api_relationship_types_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-activities.c */
void api_activities_list(struct xrm_req *req, struct xrm_resp *resp);

/* api-import.c */
void api_import_parties(struct xrm_req *req, struct xrm_resp *resp);
void api_import_relationships(struct xrm_req *req, struct xrm_resp *resp);
void api_import_activities(struct xrm_req *req, struct xrm_resp *resp);

/* api-duplicates.c: duplicates of a party and the scan of all pairs */
void api_duplicates_scan(struct xrm_req *req, struct xrm_resp *resp);
/* api-imports.c: import jobs, run one at a time by a thread the server starts and stops */
void api_imports_create(struct xrm_req *req, struct xrm_resp *resp);
void api_imports_errors_csv(struct xrm_req *req, struct xrm_resp *resp);
struct xrm_store;
void api_imports_start(struct xrm_store *st);
void api_imports_stop(void);
/* api-merges.c: merging duplicate parties */
void api_parties_merge(struct xrm_req *req, struct xrm_resp *resp);
/* api-hr-org.c: HR, the organisation: departments, org chart, employment entries */
void api_departments_list(struct xrm_req *req, struct xrm_resp *resp);
void api_org_chart(struct xrm_req *req, struct xrm_resp *resp);
void api_party_employment_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-hr-absence.c: HR absence (absences, leave balance, Poortwachter, sickness %) */
void api_absences_list(struct xrm_req *req, struct xrm_resp *resp);
void api_absences_recover(struct xrm_req *req, struct xrm_resp *resp);
void api_absence_overview(struct xrm_req *req, struct xrm_resp *resp);
void api_absence_stats(struct xrm_req *req, struct xrm_resp *resp);
void api_party_leave(struct xrm_req *req, struct xrm_resp *resp);
void api_poortwachter_steps_get(struct xrm_req *req, struct xrm_resp *resp);
void api_poortwachter_steps_put(struct xrm_req *req, struct xrm_resp *resp);

/* api-hr-recruit.c: HR on- and offboarding checklists, vacancies and applicants */
void api_checklist_templates_list(struct xrm_req *req, struct xrm_resp *resp);
void api_checklists_list(struct xrm_req *req, struct xrm_resp *resp);
void api_checklist_tick(struct xrm_req *req, struct xrm_resp *resp);
void api_vacancies_list(struct xrm_req *req, struct xrm_resp *resp);
void api_applicant_stage(struct xrm_req *req, struct xrm_resp *resp);
/* api-partners.c: partners: commission statements, tiers and their proposals */
void api_commissions_list(struct xrm_req *req, struct xrm_resp *resp);
void api_commissions_csv(struct xrm_req *req, struct xrm_resp *resp);
/* commission statement as PDF */
void api_commissions_pdf(struct xrm_req *req, struct xrm_resp *resp);
void api_partner_tiers_list(struct xrm_req *req, struct xrm_resp *resp);
void api_partner_tiers_evaluate(struct xrm_req *req, struct xrm_resp *resp);
void api_tier_proposals_list(struct xrm_req *req, struct xrm_resp *resp);
/* api-pr.c: public relations: projects and their stakeholders */
void api_projects_list(struct xrm_req *req, struct xrm_resp *resp);
void api_projects_stakeholder_create(struct xrm_req *req, struct xrm_resp *resp);
void api_projects_stakeholder_bulk(struct xrm_req *req, struct xrm_resp *resp);
void api_press_recipients_csv(struct xrm_req *req, struct xrm_resp *resp);
/* api-ledger.c: billing after the invoice: overdue scan, reminders, accountant, debtors, revenue */
void api_invoices_overdue_scan(struct xrm_req *req, struct xrm_resp *resp);
void api_invoice_reminders_create(struct xrm_req *req, struct xrm_resp *resp);
void api_accounting_journal_csv(struct xrm_req *req, struct xrm_resp *resp);
void api_accounting_export_zip(struct xrm_req *req, struct xrm_resp *resp);
void api_debtors_list(struct xrm_req *req, struct xrm_resp *resp);
void api_revenue(struct xrm_req *req, struct xrm_resp *resp);
/* api-billing.c: quotes and invoices: company settings and logo, lists, moves, the accept link */
void api_company_get(struct xrm_req *req, struct xrm_resp *resp);
void api_company_put(struct xrm_req *req, struct xrm_resp *resp);
void api_company_logo_put(struct xrm_req *req, struct xrm_resp *resp);
void api_company_logo_get(struct xrm_req *req, struct xrm_resp *resp);
void api_company_logo_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_quotes_list(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_list(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_issue(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_credit(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_pay(struct xrm_req *req, struct xrm_resp *resp);
void api_public_quote_get(struct xrm_req *req, struct xrm_resp *resp);
void api_public_quote_accept(struct xrm_req *req, struct xrm_resp *resp);
/* api-jobs.c: background jobs: the scheduler's jobs and their last runs */
void api_jobs_list(struct xrm_req *req, struct xrm_resp *resp);
void api_quotes_pdf(struct xrm_req *req, struct xrm_resp *resp);
void api_quotes_png(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_pdf(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_png(struct xrm_req *req, struct xrm_resp *resp);
void api_invoices_xml(struct xrm_req *req, struct xrm_resp *resp);
/* api-purchase.c: purchase invoices (a supplier's UBL file uploaded, listed, its XML) */
void api_purchase_invoices_upload(struct xrm_req *req, struct xrm_resp *resp);
void api_purchase_invoices_list(struct xrm_req *req, struct xrm_resp *resp);
void api_purchase_invoice_xml(struct xrm_req *req, struct xrm_resp *resp);
/* api-campaigns.c: campaigns (list, recipients) and the public unsubscribe link (RFC 8058) */
void api_campaign_recipients(struct xrm_req *req, struct xrm_resp *resp);
void api_public_unsubscribe_get(struct xrm_req *req, struct xrm_resp *resp);
void api_public_unsubscribe(struct xrm_req *req, struct xrm_resp *resp);

/* api-mail.c: e-mail sending: templates (list, preview), the outbox, the mail settings */
void api_mail_templates_list(struct xrm_req *req, struct xrm_resp *resp);
void api_mail_template_preview(struct xrm_req *req, struct xrm_resp *resp);
void api_outbox_list(struct xrm_req *req, struct xrm_resp *resp);
void api_mail_settings(struct xrm_req *req, struct xrm_resp *resp);

/*
 * Shared handler plumbing (api-misc.c): answer a domain result. On rc ==
 * XRM_OK sends out with status ok_status (and Location for 201 when
 * location_prefix is given: prefix + out.id); otherwise the error.
 * Takes ownership of out.
 */
void api_reply(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err, json_t *out,
               int ok_status, const char *location_prefix);

/* documents on records (api-documents.c) */
void api_documents_create(struct xrm_req *req, struct xrm_resp *resp);
void api_documents_list(struct xrm_req *req, struct xrm_resp *resp);
void api_document_get(struct xrm_req *req, struct xrm_resp *resp);
void api_document_content(struct xrm_req *req, struct xrm_resp *resp);
void api_document_preview(struct xrm_req *req, struct xrm_resp *resp);
void api_document_delete(struct xrm_req *req, struct xrm_resp *resp);

/*
 * The plain record routes, whose route entry names the domain function
 * (route.get, .create, .update, .delete; http.h) instead of a handler of
 * their own (api-misc.c):
 *   api_get:    GET .../{id}          get(ctx, id, &out)                  200
 *   api_create: POST ... (JSON body)  create(ctx, in, &out)               201, Location
 *                                                                         route.location + id
 *   api_update: PATCH .../{id}        update(ctx, id, If-Match, in, &out) 200
 *   api_delete: DELETE .../{id}       delete(ctx, id, If-Match)           204
 *   api_list:   GET a paged list      list(ctx, page, &out)               200
 *               (route.list; the page: the path's {id}, limit, cursor and
 *               the q and sort parameters, struct xrm_page of domain/base/ctx.h)
 */
void api_get(struct xrm_req *req, struct xrm_resp *resp);
void api_create(struct xrm_req *req, struct xrm_resp *resp);
void api_update(struct xrm_req *req, struct xrm_resp *resp);
void api_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_list(struct xrm_req *req, struct xrm_resp *resp);

/* api-dav.c: the DAV account (addresses, synced segments) and party photos */
void api_dav_get(struct xrm_req *req, struct xrm_resp *resp);
void api_dav_segment_put(struct xrm_req *req, struct xrm_resp *resp);
void api_dav_segment_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_party_photo_get(struct xrm_req *req, struct xrm_resp *resp);
void api_party_photo_put(struct xrm_req *req, struct xrm_resp *resp);
void api_party_photo_delete(struct xrm_req *req, struct xrm_resp *resp);

/* api-mailboxes.c: mail received: polling, one raw message into a mailbox, the review list */
void api_mailboxes_poll(struct xrm_req *req, struct xrm_resp *resp);
void api_mailboxes_message(struct xrm_req *req, struct xrm_resp *resp);
void api_mail_review_list(struct xrm_req *req, struct xrm_resp *resp);
void api_mail_review_assign(struct xrm_req *req, struct xrm_resp *resp);
void api_mail_review_discard(struct xrm_req *req, struct xrm_resp *resp);

/* api-webhooks.c: webhooks: the delivery log, replays, a test delivery */
void api_webhook_deliveries(struct xrm_req *req, struct xrm_resp *resp);
void api_webhook_replay(struct xrm_req *req, struct xrm_resp *resp);
void api_webhook_replay_all(struct xrm_req *req, struct xrm_resp *resp);
void api_webhook_test(struct xrm_req *req, struct xrm_resp *resp);

/* api-system.c: the administrators' system overview (GET /api/v1/system) */
void api_system(struct xrm_req *req, struct xrm_resp *resp);

#endif
