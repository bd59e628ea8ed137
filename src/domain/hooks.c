/*
 * Where the domain's modules are plugged into the hooks of the modules
 * below them, at start-up (before main runs, so every program and test
 * that links the domain has them): a lower module calls up only through
 * what is set here, never by including an upper module
 * (scripts/check-includes.py checks that).
 *
 * - The decoration of a party page (domain/party/party.h): the steps in
 *   the order below; party.c runs the access filter after the last.
 * - The query terms whose meaning belongs to an upper module
 *   (domain/base/query-db.h): may:, health:, priority:, badge:, deal:,
 *   case:, agreement:, revenue.
 * - The check of a party's roles after every role write: treatment
 *   rules' constraints (domain/party/role.h).
 * - What segments ask of the treatment rules that use them
 *   (domain/rules/segment.h).
 * - HR: the check of a department attribute, the employment history as a
 *   role listener, the chain rule's warnings on new agreements.
 * - HR on- and offboarding and recruitment follow the employee role
 *   through role listeners (domain/party/role.h).
 * - e-mail sending: a press release's mail to each recipient
 *   (domain/pr/press.h).
 * - webhooks: the audit observer that queues deliveries
 *   (domain/base/audit.h, domain/webhooks/outbox.h).
 */
#include "domain/base/query-db.h"
/* HR: on- and offboarding checklists, recruitment */
#include "domain/hr/checklist.h"
#include "domain/hr/vacancy.h"
#include "domain/party/party.h"
#include "domain/party/photo.h" /* party photos */
#include "domain/party/role.h"
#include "domain/privacy/consent.h"
#include "domain/partners/commission.h" /* partners: commissions follow deals */
#include "domain/records/deal.h"
#include "domain/records/records.h"
#include "domain/rules/health.h"
#include "domain/rules/rule.h"
#include "domain/rules/segment.h"
/* HR: the organisation (departments, employment history, chain rule) */
#include "domain/hr/department.h"
#include "domain/hr/employment.h"
#include "domain/records/agreement.h"
/* suppliers and public relations */
#include "domain/srm/supplier.h"
/* background jobs: partner tiers monthly, retention daily */
#include "domain/base/jobs.h"
#include "domain/partners/tier.h"
#include "domain/privacy/retention.h"
/* billing: the daily overdue scan of invoices */
#include "domain/billing/reminder.h"
/* e-mail sending: press releases by mail */
#include "domain/mail/email.h"
#include "domain/mail/outbox.h"
#include "domain/pr/press.h"

#include "domain/docs/document.h" /* documents on records */
#include "domain/base/audit.h"    /* webhooks: every audited change may be an event */
#include "domain/webhooks/outbox.h"
#include "domain/base/record.h"
#include "domain/privacy/gdpr.h"

#include "core/banned.h"

/*
 * Treatment and health first (contactability reads the treatment), then the
 * records summary; then the roles hidden from the reader go (and the
 * treatment of a party that lost one is evaluated again), then
 * contactability, which follows the treatment the reader is shown.
 */
static const xrm_party_step_fn party_steps[] = {
    xrm_rule_decorate_page,        /* "treatment" */
    xrm_health_decorate_page,      /* "health" */
    xrm_records_decorate_page,     /* "records": deals, cases, agreements */
    xrm_rule_reader_page,          /* roles hidden from the reader; treatment again */
    xrm_consent_decorate_page,     /* "may_email", "may_call", "contactability" */
    xrm_party_photo_decorate_page, /* "photo": whether the party has one */
};

/* may:email | call: the party's may_email / may_call rule: consent or the
 * customer rule, and no treatment rule suppressing outreach. */
static enum xrm_rc term_may(struct xrm_db *db, const struct xrm_user *viewer,
                            const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                            struct xrm_err *err)
{
    xrm_sql_add(out, "1 = 1");
    enum xrm_rc rc = xrm_consent_sql_may(t->value, out, err);
    if (rc)
        return rc;
    xrm_sql_add(out, " AND NOT ");
    return xrm_rule_sql_suppressed(db, NULL, depth, out, err);
}

static enum xrm_rc term_health(struct xrm_db *db, const struct xrm_user *viewer,
                               const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                               struct xrm_err *err)
{
    xrm_health_sql(viewer, t->value, out);
    return XRM_OK;
}

static enum xrm_rc term_treatment(struct xrm_db *db, const struct xrm_user *viewer,
                                  const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                                  struct xrm_err *err)
{
    return xrm_rule_sql_term(db, t, depth, out, err);
}

static enum xrm_rc term_records(struct xrm_db *db, const struct xrm_user *viewer,
                                const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                                struct xrm_err *err)
{
    const char *name = t->kind == XRM_QT_DEAL        ? "deal"
                       : t->kind == XRM_QT_CASE      ? "case"
                       : t->kind == XRM_QT_AGREEMENT ? "agreement"
                                                     : "revenue";
    return xrm_records_query_term(name, t->op, t->value, out, err);
}

/* background jobs: retention's daily run, as the system; result: how many party domains went */
static enum xrm_rc job_retention(struct xrm_ctx *ctx, json_t **result, struct xrm_err *err)
{
    json_t *report = NULL;
    enum xrm_rc rc = xrm_retention_run(ctx->store, NULL, false, &report, err);
    if (!rc)
        *result = json_pack("{s:I}", "removed",
                            (json_int_t)json_array_size(json_object_get(report, "items")));
    json_decref(report);
    return rc;
}

/* background jobs: the monthly tier evaluation; result: partners evaluated, proposals made */
static enum xrm_rc job_partner_tiers(struct xrm_ctx *ctx, json_t **result, struct xrm_err *err)
{
    json_t *out = NULL;
    enum xrm_rc rc = xrm_tier_evaluate(ctx, &out, err);
    if (!rc)
        *result =
            json_pack("{s:O, s:I}", "evaluated", json_object_get(out, "evaluated"), "proposals",
                      (json_int_t)json_array_size(json_object_get(out, "items")));
    json_decref(out);
    return rc;
}

__attribute__((constructor)) static void hooks_init(void)
{
    static const struct xrm_segment_users seg_users = {xrm_rule_using_segment, xrm_rule_changed};

    xrm_party_steps_set(party_steps, sizeof(party_steps) / sizeof(party_steps[0]));
    xrm_query_term_set(XRM_QT_MAY, term_may);
    xrm_query_term_set(XRM_QT_HEALTH, term_health);
    xrm_query_term_set(XRM_QT_PRIORITY, term_treatment);
    xrm_query_term_set(XRM_QT_BADGE, term_treatment);
    xrm_query_term_set(XRM_QT_DEAL, term_records);
    xrm_query_term_set(XRM_QT_CASE, term_records);
    xrm_query_term_set(XRM_QT_AGREEMENT, term_records);
    xrm_query_term_set(XRM_QT_REVENUE, term_records);
    xrm_role_check_set(xrm_rule_check_party);
    xrm_segment_users_set(&seg_users);
    /* HR: the organisation: department attributes checked against the departments, the
     * employee role's changes recorded as employment history, the chain rule's warnings on a
     * new employment contract */
    xrm_role_department_set(xrm_department_exists);
    xrm_role_listener_add(xrm_employment_role_changed);
    xrm_agreement_warnings_set(xrm_employment_chain_warnings);
    /* HR recruitment: an application's vacancy exists; on- and offboarding checklists start */
    xrm_role_listener_add(xrm_vacancy_on_role);
    xrm_role_listener_add(xrm_checklist_on_role);
    /* partners: a commission line per won partner deal, kept in step inside the deal's write */
    xrm_deal_listener_add(xrm_commission_deal_changed);
    /* suppliers: at most one preferred supplier per category */
    xrm_role_listener_add(xrm_supplier_role_changed);
    /* background jobs (xrm serve): retention daily, partner tier evaluation monthly */
    xrm_job_add("retention", XRM_JOB_DAILY, job_retention);
    xrm_job_add("partner-tiers", XRM_JOB_MONTHLY, job_partner_tiers);
    /* billing: overdue invoices get their task daily */
    xrm_job_add("invoice-overdue", XRM_JOB_DAILY, xrm_invoice_overdue_job);
    /* e-mail sending: a press release is mailed to each recipient with an address */
    xrm_press_mail_set(xrm_email_press_tx, xrm_outbox_kick);
    /* documents on records: erasure and retention remove a party's documents and contents */
    xrm_gdpr_documents_set(xrm_document_delete_party_tx);
    /* documents on records: a deleted record (deal, case, ..., activity) takes its documents */
    xrm_record_deleted_set(xrm_document_delete_record_tx);
    /* webhooks: an audited change queues its deliveries in the same transaction */
    xrm_audit_observer_set(xrm_webhooks_observe);
}
