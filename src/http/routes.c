/*
 * The route table: every endpoint, grouped by resource, with its handler,
 * who may call it, how large a body it accepts and what it answers. The
 * same table drives routing, the 405 Allow list and the OpenAPI document.
 */
#include "http/api.h"
#include "http/api-privacy.h"
#include "http/api-users.h"
#include "http/api-rules.h"
#include "http/api-sales.h"
#include "http/api-export.h" /* exports */
#include "http/dav.h"        /* CardDAV and CalDAV */
#include "core/util.h"

#include "domain/base/access.h"
#include "domain/base/audit-list.h"
#include "domain/exchange/import-job.h"
#include "domain/hr/absence.h"   /* HR absence */
#include "domain/hr/checklist.h" /* HR: checklists, recruitment */
#include "domain/hr/vacancy.h"
#include "domain/merge/merge.h"
#include "domain/party/activity.h"
#include "domain/partners/commission.h" /* partners */
#include "domain/partners/partner.h"
#include "domain/partners/tier.h"
#include "domain/party/duplicate.h"
#include "domain/party/import.h"
#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"
#include "domain/party/view.h"
#include "domain/privacy/consent.h"
#include "domain/privacy/gdpr.h"
#include "domain/privacy/retention.h"
#include "domain/records/agreement.h"
#include "domain/records/automation.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "domain/records/pipeline.h"
#include "domain/records/records.h"
#include "domain/records/task.h"
#include "domain/rules/rule.h"
#include "domain/rules/segment.h"
/* suppliers and public relations */
#include "domain/srm/supplier.h"
#include "domain/pr/project.h"
#include "domain/pr/press.h"
#include "domain/users/auth.h"
#include "domain/users/ratelimit.h"
#include "domain/users/user.h"
#include "domain/hr/department.h" /* HR: the organisation */
#include "domain/hr/employment.h"
/* billing after the invoice: reminders, the accountant, debtors, revenue */
#include "domain/billing/ledger.h"
#include "domain/billing/reminder.h"
/* quotes and invoices */
#include "domain/billing/company.h"
#include "domain/billing/invoice.h"
#include "domain/billing/quote.h"
#include "domain/srm/purchase-invoice.h" /* purchase invoices */
#include "domain/docs/document.h"        /* documents on records */
/* e-mail sending: emails, templates, the outbox */
#include "domain/mail/email.h"
#include "domain/mail/outbox.h"
#include "domain/mail/template.h"
#include "domain/mail/campaign.h" /* campaigns */
#include "domain/mail/mailbox.h"  /* mail received: mailboxes */
#include "domain/party/photo.h"   /* party photos */
#include "domain/docs/document.h" /* documents on records */
/* webhooks */
#include "domain/webhooks/webhook.h"
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define MB (1024 * 1024)

/*
 * One line per route: method and path, handler, who may call it (.auth),
 * the largest body it takes (.body_max, 0: none), whether a GET may be
 * answered from the response cache (.cache), and for the OpenAPI document
 * its group (.tag) and the schemas of its request and success bodies
 * (components in openapi-schemas.c; a name with a '/' is a media type sent
 * as text). .status is the success status when it is not the usual one
 * (GET and PATCH 200, POST 201, DELETE 204 without a body).
 */
#define ROUTE(m, p, h) .method = m, .pattern = p, .handler = h
const struct xrm_route xrm_routes[] = {
    /* The service itself: liveness and this API's own description */
    {ROUTE("GET", "/healthz", api_health), .auth = XRM_AUTH_NONE, .tag = "system",
     .response = "Health"},
    {ROUTE("GET", "/api/v1/openapi.json", api_openapi), .auth = XRM_AUTH_NONE, .tag = "system",
     .response = "OpenApiDocument"},
    /* Operations: readiness for load balancers, metrics for Prometheus */
    {ROUTE("GET", "/readyz", api_ready), .auth = XRM_AUTH_NONE, .tag = "system",
     .response = "Readiness"},
    {ROUTE("GET", "/metrics", api_metrics), .auth = XRM_AUTH_NONE, .tag = "system",
     .response = "text/plain"},
    /* Sign-in sessions, API tokens and users */
    {ROUTE("POST", "/api/v1/session", api_session_create), .auth = XRM_AUTH_NONE, .body_max = 4096,
     .tag = "session", .request = "SessionLogin", .response = "Session"},
    {ROUTE("GET", "/api/v1/session", api_session_get), .auth = XRM_AUTH_USER, .tag = "session",
     .response = "Session"},
    {ROUTE("DELETE", "/api/v1/session", api_session_delete), .auth = XRM_AUTH_USER,
     .tag = "session"},
    /* one's own password (settings page) */
    {ROUTE("POST", "/api/v1/session/password", api_session_password), .auth = XRM_AUTH_USER,
     .body_max = 4096, .tag = "session", .request = "PasswordChange", .status = 204},
    {ROUTE("GET", "/api/v1/tokens", api_tokens_list), .auth = XRM_AUTH_USER, .tag = "session",
     .response = "TokenList"},
    {ROUTE("POST", "/api/v1/tokens", api_tokens_create), .auth = XRM_AUTH_USER, .body_max = 4096,
     .tag = "session", .request = "TokenInput", .response = "TokenCreated"},
    {ROUTE("DELETE", "/api/v1/tokens/{id}", api_tokens_delete), .auth = XRM_AUTH_USER,
     .tag = "session"},
    {ROUTE("GET", "/api/v1/users", api_users_list), .auth = XRM_AUTH_USER, .tag = "session",
     .response = "UserList"},
    {ROUTE("POST", "/api/v1/users", api_users_create), .auth = XRM_AUTH_ADMIN, .body_max = 4096,
     .tag = "session", .request = "UserInput", .response = "User"},
    {ROUTE("GET", "/api/v1/users/{id}", api_get), .get = xrm_user_get, .auth = XRM_AUTH_USER,
     .tag = "session", .response = "User"},
    {ROUTE("PATCH", "/api/v1/users/{id}", api_users_update), .auth = XRM_AUTH_ADMIN,
     .body_max = 4096, .tag = "session", .request = "UserPatch", .response = "User"},
    {ROUTE("GET", "/api/v1/users/{id}/tokens", api_get), .get = xrm_user_tokens,
     .auth = XRM_AUTH_USER, .tag = "session", .response = "TokenList"},
    /* Parties: the people and organizations every other record hangs from */
    {ROUTE("GET", "/api/v1/parties", api_parties_list), .auth = XRM_AUTH_USER, .cache = true,
     .tag = "parties", .response = "PartyList",
     /* lists: server-side sort; total=false: no total is counted */
     .query = "sort enum(name|-name|city|-city|created|-created|updated|-updated), total bool"},
    {ROUTE("POST", "/api/v1/parties", api_parties_create), .auth = XRM_AUTH_USER, .body_max = MB,
     .tag = "parties", .request = "PartyInput", .response = "Party", .query = "force bool"},
    {ROUTE("GET", "/api/v1/parties/{id}", api_get), .get = xrm_party_get, .auth = XRM_AUTH_USER,
     .tag = "parties", .response = "Party"},
    {ROUTE("PATCH", "/api/v1/parties/{id}", api_update), .update = xrm_party_update,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "parties", .request = "PartyPatch",
     .response = "Party"},
    {ROUTE("DELETE", "/api/v1/parties/{id}", api_delete), .delete = xrm_party_archive,
     .auth = XRM_AUTH_USER, .tag = "parties"},
    {ROUTE("GET", "/api/v1/parties/{id}/timeline", api_list), .list = xrm_activity_timeline,
     .auth = XRM_AUTH_USER, .tag = "parties", .response = "ActivityList"},
    {ROUTE("GET", "/api/v1/parties/{id}/view", api_get), .get = xrm_view_party,
     .auth = XRM_AUTH_USER, .tag = "parties", .response = "PartyView"},
    /* Exports: the parties of a query or segment as a file (CSV, vCard, NDJSON), streamed */
    {ROUTE("GET", "/api/v1/parties/export.csv", api_parties_export_csv), .auth = XRM_AUTH_USER,
     .tag = "data", .response = "text/csv", .query = "q str, segment int, headers enum(en|nl)"},
    {ROUTE("GET", "/api/v1/parties/export.vcf", api_parties_export_vcf), .auth = XRM_AUTH_USER,
     .tag = "data", .response = "text/vcard", .query = "q str, segment int"},
    {ROUTE("GET", "/api/v1/parties/export.ndjson", api_parties_export_ndjson),
     .auth = XRM_AUTH_USER, .tag = "data", .response = "application/x-ndjson",
     .query = "q str, segment int"},
    /* Roles a party plays (customer, employee, supplier...) and their types */
    {ROUTE("GET", "/api/v1/parties/{id}/roles", api_get), .get = xrm_role_list,
     .auth = XRM_AUTH_USER, .tag = "roles", .response = "RoleList"},
    {ROUTE("POST", "/api/v1/parties/{id}/roles", api_party_roles_create), .auth = XRM_AUTH_USER,
     .body_max = MB, .tag = "roles", .request = "RoleInput", .response = "Role"},
    {ROUTE("GET", "/api/v1/roles/{id}", api_get), .get = xrm_role_get, .auth = XRM_AUTH_USER,
     .tag = "roles", .response = "Role"},
    {ROUTE("PATCH", "/api/v1/roles/{id}", api_update), .update = xrm_role_update,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "roles", .request = "RolePatch",
     .response = "Role"},
    {ROUTE("DELETE", "/api/v1/roles/{id}", api_delete), .delete = xrm_role_delete,
     .auth = XRM_AUTH_USER, .tag = "roles"},
    {ROUTE("GET", "/api/v1/role-types", api_role_types_list), .auth = XRM_AUTH_USER, .tag = "roles",
     .response = "RoleTypeList"},
    {ROUTE("POST", "/api/v1/role-types", api_role_types_create), .auth = XRM_AUTH_ADMIN,
     .body_max = MB, .tag = "roles", .request = "RoleTypeInput", .response = "RoleType"},
    {ROUTE("GET", "/api/v1/role-types/{name}", api_role_types_get), .auth = XRM_AUTH_USER,
     .tag = "roles", .response = "RoleType"},
    /* Relationships between two parties and their types */
    {ROUTE("GET", "/api/v1/relationship-types", api_relationship_types_list), .auth = XRM_AUTH_USER,
     .tag = "relationships", .response = "RelationshipTypes"},
    {ROUTE("POST", "/api/v1/relationship-types", api_relationship_types_create),
     .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "relationships",
     .request = "RelationshipTypeInput", .response = "RelationshipType"},
    {ROUTE("POST", "/api/v1/relationships", api_create), .create = xrm_relationship_create,
     .location = "/api/v1/relationships/", .auth = XRM_AUTH_USER, .body_max = MB,
     .tag = "relationships", .request = "RelationshipInput", .response = "Relationship"},
    {ROUTE("GET", "/api/v1/relationships/{id}", api_get), .get = xrm_relationship_get,
     .auth = XRM_AUTH_USER, .tag = "relationships", .response = "Relationship"},
    {ROUTE("PATCH", "/api/v1/relationships/{id}", api_update), .update = xrm_relationship_update,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "relationships", .request = "RelationshipPatch",
     .response = "Relationship"},
    {ROUTE("DELETE", "/api/v1/relationships/{id}", api_delete), .delete = xrm_relationship_delete,
     .auth = XRM_AUTH_USER, .tag = "relationships"},
    /* Activities (notes, calls, meetings, tasks...) and bulk import */
    {ROUTE("GET", "/api/v1/activities", api_activities_list), .auth = XRM_AUTH_USER,
     .tag = "activities", .response = "ActivityList",
     .query = "type str, domain Domain, assignee str, done bool"},
    {ROUTE("POST", "/api/v1/activities", api_create), .create = xrm_activity_create,
     .location = "/api/v1/activities/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "activities",
     .request = "ActivityInput", .response = "Activity"},
    {ROUTE("GET", "/api/v1/activities/{id}", api_get), .get = xrm_activity_get,
     .auth = XRM_AUTH_USER, .tag = "activities", .response = "Activity"},
    {ROUTE("PATCH", "/api/v1/activities/{id}", api_update), .update = xrm_activity_update,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "activities", .request = "ActivityPatch",
     .response = "Activity"},
    {ROUTE("DELETE", "/api/v1/activities/{id}", api_delete), .delete = xrm_activity_delete,
     .auth = XRM_AUTH_USER, .tag = "activities"},
    {ROUTE("POST", "/api/v1/import/parties", api_import_parties), .auth = XRM_AUTH_USER,
     .body_max = 16 * MB, .tag = "activities", .request = "application/x-ndjson",
     .response = "Created"},
    {ROUTE("POST", "/api/v1/import/relationships", api_import_relationships), .auth = XRM_AUTH_USER,
     .body_max = 16 * MB, .tag = "activities", .request = "application/x-ndjson",
     .response = "Created"},
    {ROUTE("POST", "/api/v1/import/activities", api_import_activities), .auth = XRM_AUTH_USER,
     .body_max = 16 * MB, .tag = "activities", .request = "application/x-ndjson",
     .response = "Created"},
    /* Import jobs: CSV, vCard and NDJSON files of parties, run in the background */
    {ROUTE("POST", "/api/v1/imports", api_imports_create), .auth = XRM_AUTH_USER,
     .body_max = 256 * MB, .spool = true, .tag = "data", .request = "text/csv",
     .response = "ImportJob", .status = 202,
     .query = "dry_run bool, match str, on_error enum(skip|abort), force bool, mapping str"},
    {ROUTE("GET", "/api/v1/imports", api_list), .list = xrm_import_job_list, .auth = XRM_AUTH_USER,
     .tag = "data", .response = "ImportJobList"},
    {ROUTE("GET", "/api/v1/imports/{id}", api_get), .get = xrm_import_job_get,
     .auth = XRM_AUTH_USER, .tag = "data", .response = "ImportJob"},
    {ROUTE("GET", "/api/v1/imports/{id}/errors.csv", api_imports_errors_csv), .auth = XRM_AUTH_USER,
     .tag = "data", .response = "text/csv"},
    /* Treatment rules and segments (saved party queries) */
    {ROUTE("GET", "/api/v1/rules", api_rules_list), .auth = XRM_AUTH_USER, .tag = "rules",
     .response = "RuleList"},
    {ROUTE("POST", "/api/v1/rules", api_create), .create = xrm_rule_create,
     .location = "/api/v1/rules/", .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "rules",
     .request = "RuleInput", .response = "Rule"},
    {ROUTE("POST", "/api/v1/rules/simulate", api_rules_simulate), .auth = XRM_AUTH_ADMIN,
     .body_max = MB, .tag = "rules", .request = "RuleSimulateInput", .response = "RuleSimulation",
     .status = 200, .query = "limit int, cursor str"},
    {ROUTE("GET", "/api/v1/rules/{id}", api_get), .get = xrm_rule_get, .auth = XRM_AUTH_USER,
     .tag = "rules", .response = "Rule"},
    {ROUTE("PATCH", "/api/v1/rules/{id}", api_update), .update = xrm_rule_update,
     .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "rules", .request = "RulePatch",
     .response = "Rule"},
    {ROUTE("DELETE", "/api/v1/rules/{id}", api_delete), .delete = xrm_rule_delete,
     .auth = XRM_AUTH_ADMIN, .tag = "rules"},
    {ROUTE("GET", "/api/v1/segments", api_segments_list), .auth = XRM_AUTH_USER, .tag = "rules",
     .response = "SegmentList"},
    {ROUTE("POST", "/api/v1/segments", api_create), .create = xrm_segment_create,
     .location = "/api/v1/segments/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "rules",
     .request = "SegmentInput", .response = "Segment"},
    {ROUTE("GET", "/api/v1/segments/{id}", api_get), .get = xrm_segment_get, .auth = XRM_AUTH_USER,
     .tag = "rules", .response = "Segment"},
    {ROUTE("PATCH", "/api/v1/segments/{id}", api_update), .update = xrm_segment_update,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "rules", .request = "SegmentPatch",
     .response = "Segment"},
    {ROUTE("DELETE", "/api/v1/segments/{id}", api_delete), .delete = xrm_segment_delete,
     .auth = XRM_AUTH_USER, .tag = "rules"},
    {ROUTE("GET", "/api/v1/segments/{id}/members", api_list), .list = xrm_segment_members,
     .auth = XRM_AUTH_USER, .tag = "rules", .response = "PartyList",
     /* lists: the saved view's sort, or another */
     .query = "sort enum(name|-name|city|-city|created|-created|updated|-updated)"},
    {ROUTE("GET", "/api/v1/segments/{id}/members.csv", api_segments_members_csv),
     .auth = XRM_AUTH_USER, .tag = "rules", .response = "text/csv", .query = "lang enum(en|nl)"},
    /* Privacy: audit trail, consent, export and erasure, retention */
    {ROUTE("GET", "/api/v1/audit", api_audit_list), .auth = XRM_AUTH_USER, .tag = "privacy",
     .response = "AuditList", .query = "party int, entity str, entity_id int, user str"},
    {ROUTE("GET", "/api/v1/parties/{id}/consents", api_get), .get = xrm_consent_list,
     .auth = XRM_AUTH_USER, .tag = "privacy", .response = "ConsentList"},
    {ROUTE("POST", "/api/v1/parties/{id}/consents", api_party_consents_create),
     .auth = XRM_AUTH_USER, .body_max = 16384, .tag = "privacy", .request = "ConsentInput",
     .response = "Consent"},
    {ROUTE("GET", "/api/v1/parties/{id}/export", api_get), .get = xrm_gdpr_export,
     .auth = XRM_AUTH_USER, .tag = "privacy", .response = "PartyExport"},
    {ROUTE("POST", "/api/v1/parties/{id}/erase", api_get), .get = xrm_gdpr_erase,
     .auth = XRM_AUTH_ADMIN, .body_max = 1024, .tag = "privacy", .response = "EraseReport",
     .status = 200},
    {ROUTE("GET", "/api/v1/retention/rules", api_retention_rules_list), .auth = XRM_AUTH_USER,
     .tag = "privacy", .response = "RetentionRuleList"},
    {ROUTE("PATCH", "/api/v1/retention/rules/{id}", api_retention_rules_update),
     .auth = XRM_AUTH_ADMIN, .body_max = 4096, .tag = "privacy", .request = "RetentionRulePatch",
     .response = "RetentionRule"},
    {ROUTE("POST", "/api/v1/retention/run", api_retention_run), .auth = XRM_AUTH_ADMIN,
     .body_max = 1024, .tag = "privacy", .request = "RetentionRun?", .response = "RetentionReport",
     .status = 200},
    /* Sales: pipelines, deals and the forecast */
    {ROUTE("GET", "/api/v1/pipelines", api_pipelines_list), .auth = XRM_AUTH_USER, .tag = "sales",
     .response = "PipelineList"},
    {ROUTE("POST", "/api/v1/pipelines", api_create), .create = xrm_pipeline_create,
     .location = "/api/v1/pipelines/", .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "sales",
     .request = "PipelineInput", .response = "Pipeline"},
    {ROUTE("GET", "/api/v1/pipelines/{id}", api_get), .get = xrm_pipeline_get,
     .auth = XRM_AUTH_USER, .tag = "sales", .response = "Pipeline"},
    {ROUTE("PATCH", "/api/v1/pipelines/{id}", api_update), .update = xrm_pipeline_update,
     .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "sales", .request = "PipelinePatch",
     .response = "Pipeline"},
    {ROUTE("DELETE", "/api/v1/pipelines/{id}", api_delete), .delete = xrm_pipeline_delete,
     .auth = XRM_AUTH_ADMIN, .tag = "sales"},
    {ROUTE("GET", "/api/v1/pipelines/{id}/board", api_pipelines_board), .auth = XRM_AUTH_USER,
     .tag = "sales", .response = "PipelineBoard",
     .query = "currency str, limit int, closed_days int, owner str"},
    {ROUTE("GET", "/api/v1/forecast", api_forecast), .auth = XRM_AUTH_USER, .tag = "sales",
     .response = "Forecast", .query = "currency str, from str, to str, pipeline int"},
    {ROUTE("GET", "/api/v1/deals", api_deals_list), .auth = XRM_AUTH_USER, .tag = "sales",
     .response = "DealList",
     .query = "status enum(open|won|lost), party int, pipeline int, stage int, owner str"},
    {ROUTE("POST", "/api/v1/deals", api_create), .ops = &xrm_deal_ops, .location = "/api/v1/deals/",
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "sales", .request = "DealInput",
     .response = "Deal"},
    {ROUTE("GET", "/api/v1/deals/{id}", api_get), .ops = &xrm_deal_ops, .auth = XRM_AUTH_USER,
     .tag = "sales", .response = "Deal"},
    {ROUTE("PATCH", "/api/v1/deals/{id}", api_update), .ops = &xrm_deal_ops, .auth = XRM_AUTH_USER,
     .body_max = MB, .tag = "sales", .request = "DealPatch", .response = "Deal"},
    {ROUTE("DELETE", "/api/v1/deals/{id}", api_delete), .ops = &xrm_deal_ops, .auth = XRM_AUTH_USER,
     .tag = "sales"},
    {ROUTE("GET", "/api/v1/deals/{id}/history", api_get), .get = xrm_deal_history,
     .auth = XRM_AUTH_USER, .tag = "sales", .response = "DealHistoryList"},
    {ROUTE("GET", "/api/v1/deals/{id}/activities", api_deals_activities), .auth = XRM_AUTH_USER,
     .tag = "sales", .response = "ActivityList"},
    /* deals: a note or call on a deal */
    {ROUTE("POST", "/api/v1/deals/{id}/activities", api_deals_activity_create),
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "sales", .request = "DealActivityInput",
     .response = "Activity"},
    /* Tasks, the calendar feed and automations */
    {ROUTE("GET", "/api/v1/tasks", api_tasks_list), .auth = XRM_AUTH_USER, .tag = "tasks",
     .response = "Tasks",
     .query = "limit int, cursor str, mine bool, assignee str, group enum(overdue|today|upcoming)"},
    {ROUTE("GET", "/api/v1/calendar-feed", api_calendar_feed_get), .auth = XRM_AUTH_USER,
     .tag = "tasks", .response = "CalendarFeed"},
    {ROUTE("POST", "/api/v1/calendar-feed", api_calendar_feed_create), .auth = XRM_AUTH_USER,
     .tag = "tasks", .response = "CalendarFeed"},
    {ROUTE("DELETE", "/api/v1/calendar-feed", api_calendar_feed_delete), .auth = XRM_AUTH_USER,
     .tag = "tasks"},
    {ROUTE("GET", "/api/v1/ical/{name}", api_calendar_ics), .auth = XRM_AUTH_FEED, .tag = "tasks",
     .response = "text/calendar", .query = "tasks enum(vevent|vtodo)"},
    {ROUTE("GET", "/api/v1/automations", api_automations_list), .auth = XRM_AUTH_USER,
     .tag = "tasks", .response = "AutomationList"},
    {ROUTE("POST", "/api/v1/automations", api_create), .ops = &xrm_automation_ops,
     .location = "/api/v1/automations/", .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "tasks",
     .request = "AutomationInput", .response = "Automation"},
    {ROUTE("POST", "/api/v1/automations/run", api_automations_run), .auth = XRM_AUTH_ADMIN,
     .tag = "tasks", .response = "AutomationRun", .status = 200},
    {ROUTE("GET", "/api/v1/automations/status", api_automations_status), .auth = XRM_AUTH_USER,
     .tag = "tasks", .response = "AutomationStatus"},
    {ROUTE("GET", "/api/v1/automations/{id}", api_get), .ops = &xrm_automation_ops,
     .auth = XRM_AUTH_USER, .tag = "tasks", .response = "Automation"},
    {ROUTE("PATCH", "/api/v1/automations/{id}", api_update), .ops = &xrm_automation_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = MB, .tag = "tasks", .request = "AutomationPatch",
     .response = "Automation"},
    {ROUTE("DELETE", "/api/v1/automations/{id}", api_delete), .ops = &xrm_automation_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "tasks"},
    /* Service: cases (tickets) and their messages, agreements */
    {ROUTE("GET", "/api/v1/cases", api_list), .list = xrm_case_list, .auth = XRM_AUTH_USER,
     .tag = "service", .response = "CaseList", .query = "q str, sort enum(newest|urgency)"},
    {ROUTE("POST", "/api/v1/cases", api_create), .ops = &xrm_case_ops, .location = "/api/v1/cases/",
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "service", .request = "CaseInput",
     .response = "Case"},
    {ROUTE("GET", "/api/v1/cases/{id}", api_get), .ops = &xrm_case_ops, .auth = XRM_AUTH_USER,
     .tag = "service", .response = "Case"},
    {ROUTE("PATCH", "/api/v1/cases/{id}", api_update), .ops = &xrm_case_ops, .auth = XRM_AUTH_USER,
     .body_max = MB, .tag = "service", .request = "CasePatch", .response = "Case"},
    {ROUTE("DELETE", "/api/v1/cases/{id}", api_delete), .ops = &xrm_case_ops, .auth = XRM_AUTH_USER,
     .tag = "service"},
    {ROUTE("GET", "/api/v1/cases/{id}/messages", api_list), .list = xrm_case_messages,
     .auth = XRM_AUTH_USER, .tag = "service", .response = "ActivityList"},
    {ROUTE("POST", "/api/v1/cases/{id}/messages", api_cases_message_create), .auth = XRM_AUTH_USER,
     .body_max = MB, .tag = "service", .request = "CaseMessageInput", .response = "Activity"},
    {ROUTE("GET", "/api/v1/agreements", api_agreements_list), .auth = XRM_AUTH_USER,
     .tag = "service", .response = "AgreementList",
     .query =
         "kind str, domain Domain, status enum(upcoming|active|ended), party int, expiring int"},
    {ROUTE("POST", "/api/v1/agreements", api_create), .ops = &xrm_agreement_ops,
     .location = "/api/v1/agreements/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "service",
     .request = "AgreementInput", .response = "Agreement"},
    {ROUTE("GET", "/api/v1/agreements/{id}", api_get), .ops = &xrm_agreement_ops,
     .auth = XRM_AUTH_USER, .tag = "service", .response = "Agreement"},
    {ROUTE("PATCH", "/api/v1/agreements/{id}", api_update), .ops = &xrm_agreement_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "service", .request = "AgreementPatch",
     .response = "Agreement"},
    {ROUTE("DELETE", "/api/v1/agreements/{id}", api_delete), .ops = &xrm_agreement_ops,
     .auth = XRM_AUTH_USER, .tag = "service"},
    {ROUTE("GET", "/api/v1/agreements/{id}/activities", api_agreements_activities),
     .auth = XRM_AUTH_USER, .tag = "service", .response = "ActivityList"},
    /* Duplicates: candidates of a party, the scan of all pairs */
    {ROUTE("GET", "/api/v1/parties/{id}/duplicates", api_get), .get = xrm_party_duplicates,
     .auth = XRM_AUTH_USER, .tag = "data", .response = "DuplicateCandidates"},
    {ROUTE("GET", "/api/v1/duplicates", api_duplicates_scan), .auth = XRM_AUTH_USER, .tag = "data",
     .response = "DuplicatePairList", .query = "min_score int"},
    /* Merge: duplicate parties into one survivor, with preview and undo */
    {ROUTE("POST", "/api/v1/parties/{id}/merge", api_parties_merge), .auth = XRM_AUTH_USER,
     .body_max = 65536, .tag = "data", .request = "MergeInput", .response = "MergeResult",
     .status = 200},
    {ROUTE("GET", "/api/v1/merges/{id}", api_get), .get = xrm_merge_get, .auth = XRM_AUTH_USER,
     .tag = "data", .response = "Merge"},
    {ROUTE("POST", "/api/v1/merges/{id}/undo", api_get), .get = xrm_merge_undo,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "data", .response = "MergeUndo",
     .status = 200},
    /* HR, the organisation: departments, the org chart, employment history */
    {ROUTE("GET", "/api/v1/departments", api_departments_list), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "DepartmentList"},
    {ROUTE("POST", "/api/v1/departments", api_create), .ops = &xrm_department_ops,
     .location = "/api/v1/departments/", .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr",
     .request = "DepartmentInput", .response = "Department"},
    {ROUTE("GET", "/api/v1/departments/{id}", api_get), .ops = &xrm_department_ops,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "Department"},
    {ROUTE("PATCH", "/api/v1/departments/{id}", api_update), .ops = &xrm_department_ops,
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr", .request = "DepartmentPatch",
     .response = "Department"},
    {ROUTE("DELETE", "/api/v1/departments/{id}", api_delete), .ops = &xrm_department_ops,
     .auth = XRM_AUTH_USER, .tag = "hr"},
    {ROUTE("GET", "/api/v1/org-chart", api_org_chart), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "OrgChart"},
    {ROUTE("GET", "/api/v1/parties/{id}/employment", api_get), .get = xrm_employment_list,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "EmploymentHistory"},
    {ROUTE("POST", "/api/v1/parties/{id}/employment", api_party_employment_create),
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr", .request = "EmploymentInput",
     .response = "EmploymentRecord"},
    /* HR absence: absences, leave requests, sick leave after the Wet verbetering poortwachter,
       the leave balance, who is away, the sickness percentage */
    {ROUTE("GET", "/api/v1/absences", api_absences_list), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "AbsenceList",
     .query = "party int, kind enum(sick|leave|special|parental), "
              "status enum(requested|approved|rejected), from date, until date, department str, "
              "open bool"},
    {ROUTE("POST", "/api/v1/absences", api_create), .ops = &xrm_absence_ops,
     .location = "/api/v1/absences/", .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr",
     .request = "AbsenceInput", .response = "Absence"},
    {ROUTE("GET", "/api/v1/absences/{id}", api_get), .ops = &xrm_absence_ops, .auth = XRM_AUTH_USER,
     .tag = "hr", .response = "Absence"},
    {ROUTE("PATCH", "/api/v1/absences/{id}", api_update), .ops = &xrm_absence_ops,
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr", .request = "AbsencePatch",
     .response = "Absence"},
    {ROUTE("DELETE", "/api/v1/absences/{id}", api_delete), .ops = &xrm_absence_ops,
     .auth = XRM_AUTH_USER, .tag = "hr"},
    {ROUTE("POST", "/api/v1/absences/{id}/approve", api_get), .get = xrm_absence_approve,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "hr", .response = "Absence", .status = 200},
    {ROUTE("POST", "/api/v1/absences/{id}/reject", api_get), .get = xrm_absence_reject,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "hr", .response = "Absence", .status = 200},
    {ROUTE("POST", "/api/v1/absences/{id}/recover", api_absences_recover), .auth = XRM_AUTH_USER,
     .body_max = 1024, .tag = "hr", .request = "AbsenceRecover?", .response = "Absence",
     .status = 200},
    {ROUTE("GET", "/api/v1/absences/{id}/tasks", api_get), .get = xrm_absence_tasks,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "PoortwachterTaskList"},
    {ROUTE("GET", "/api/v1/absence/overview", api_absence_overview), .auth = XRM_AUTH_USER,
     .tag = "hr", .response = "AbsenceOverview", .query = "department str"},
    {ROUTE("GET", "/api/v1/absence/stats", api_absence_stats), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "SicknessStats", .query = "year int, department str"},
    {ROUTE("GET", "/api/v1/parties/{id}/leave", api_party_leave), .auth = XRM_AUTH_USER,
     .tag = "hr", .response = "LeaveBalance", .query = "year int"},
    {ROUTE("GET", "/api/v1/poortwachter-steps", api_poortwachter_steps_get), .auth = XRM_AUTH_USER,
     .tag = "hr", .response = "PoortwachterSteps"},
    {ROUTE("PUT", "/api/v1/poortwachter-steps", api_poortwachter_steps_put), .auth = XRM_AUTH_ADMIN,
     .body_max = 65536, .tag = "hr", .request = "PoortwachterSteps",
     .response = "PoortwachterSteps", .status = 200},
    /* HR: on- and offboarding checklists (templates, started ones), vacancies and applicants */
    {ROUTE("GET", "/api/v1/checklist-templates", api_checklist_templates_list),
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "ChecklistTemplateList",
     .query = "kind enum(onboarding|offboarding)"},
    {ROUTE("POST", "/api/v1/checklist-templates", api_create), .ops = &xrm_checklist_template_ops,
     .location = "/api/v1/checklist-templates/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "hr",
     .request = "ChecklistTemplateInput", .response = "ChecklistTemplate"},
    {ROUTE("GET", "/api/v1/checklist-templates/{id}", api_get), .ops = &xrm_checklist_template_ops,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "ChecklistTemplate"},
    {ROUTE("PATCH", "/api/v1/checklist-templates/{id}", api_update),
     .ops = &xrm_checklist_template_ops, .auth = XRM_AUTH_USER, .body_max = MB, .tag = "hr",
     .request = "ChecklistTemplatePatch", .response = "ChecklistTemplate"},
    {ROUTE("DELETE", "/api/v1/checklist-templates/{id}", api_delete),
     .ops = &xrm_checklist_template_ops, .auth = XRM_AUTH_USER, .tag = "hr"},
    {ROUTE("GET", "/api/v1/checklists", api_checklists_list), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "ChecklistList",
     .query = "status enum(open|done), kind enum(onboarding|offboarding), party int"},
    {ROUTE("POST", "/api/v1/checklists", api_create), .ops = &xrm_checklist_ops,
     .location = "/api/v1/checklists/", .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "hr",
     .request = "ChecklistInput", .response = "Checklist"},
    {ROUTE("GET", "/api/v1/checklists/{id}", api_get), .ops = &xrm_checklist_ops,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "Checklist"},
    {ROUTE("POST", "/api/v1/checklists/{id}/items", api_checklist_tick), .auth = XRM_AUTH_USER,
     .body_max = 4096, .tag = "hr", .request = "ChecklistTick", .response = "Checklist",
     .status = 200},
    {ROUTE("GET", "/api/v1/vacancies", api_vacancies_list), .auth = XRM_AUTH_USER, .tag = "hr",
     .response = "VacancyList", .query = "status enum(open|closed|filled)"},
    {ROUTE("POST", "/api/v1/vacancies", api_create), .ops = &xrm_vacancy_ops,
     .location = "/api/v1/vacancies/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "hr",
     .request = "VacancyInput", .response = "Vacancy"},
    {ROUTE("GET", "/api/v1/vacancies/{id}", api_get), .ops = &xrm_vacancy_ops,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "Vacancy"},
    {ROUTE("PATCH", "/api/v1/vacancies/{id}", api_update), .ops = &xrm_vacancy_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "hr", .request = "VacancyPatch",
     .response = "Vacancy"},
    {ROUTE("DELETE", "/api/v1/vacancies/{id}", api_delete), .ops = &xrm_vacancy_ops,
     .auth = XRM_AUTH_USER, .tag = "hr"},
    {ROUTE("GET", "/api/v1/vacancies/{id}/applicants", api_get), .get = xrm_vacancy_applicants,
     .auth = XRM_AUTH_USER, .tag = "hr", .response = "ApplicantList"},
    {ROUTE("POST", "/api/v1/applicants/{id}/stage", api_applicant_stage), .auth = XRM_AUTH_USER,
     .body_max = 16384, .tag = "hr", .request = "ApplicantMove", .response = "Applicant",
     .status = 200},
    /* Partners: commission statements, tiers with criteria and their proposals, partner page */
    {ROUTE("GET", "/api/v1/commissions", api_commissions_list), .auth = XRM_AUTH_USER,
     .tag = "partners", .response = "CommissionStatement",
     .query = "partner int, period str, status enum(open|approved|paid|cancelled)"},
    {ROUTE("GET", "/api/v1/commissions.csv", api_commissions_csv), .auth = XRM_AUTH_USER,
     .tag = "partners", .response = "text/csv",
     .query = "partner int, period str, status enum(open|approved|paid|cancelled)"},
    /* Commission statement as PDF */
    {ROUTE("GET", "/api/v1/commissions.pdf", api_commissions_pdf), .auth = XRM_AUTH_USER,
     .tag = "partners", .response = "application/pdf",
     .query = "partner int, period str, status enum(open|approved|paid|cancelled)"},
    {ROUTE("GET", "/api/v1/commissions/{id}", api_get), .ops = &xrm_commission_ops,
     .auth = XRM_AUTH_USER, .tag = "partners", .response = "Commission"},
    {ROUTE("PATCH", "/api/v1/commissions/{id}", api_update), .ops = &xrm_commission_ops,
     .auth = XRM_AUTH_USER, .body_max = 4096, .tag = "partners", .request = "CommissionPatch",
     .response = "Commission"},
    {ROUTE("GET", "/api/v1/partner-tiers", api_partner_tiers_list), .auth = XRM_AUTH_USER,
     .tag = "partners", .response = "PartnerTierList"},
    {ROUTE("PATCH", "/api/v1/partner-tiers/{id}", api_update), .ops = &xrm_tier_level_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = 4096, .tag = "partners", .request = "PartnerTierPatch",
     .response = "PartnerTier"},
    {ROUTE("POST", "/api/v1/partner-tiers/evaluate", api_partner_tiers_evaluate),
     .auth = XRM_AUTH_USER, .tag = "partners", .response = "TierEvaluation", .status = 200},
    {ROUTE("GET", "/api/v1/tier-proposals", api_tier_proposals_list), .auth = XRM_AUTH_USER,
     .tag = "partners", .response = "TierProposalList",
     .query = "status enum(pending|accepted|rejected), party int"},
    {ROUTE("GET", "/api/v1/tier-proposals/{id}", api_get), .ops = &xrm_tier_proposal_ops,
     .auth = XRM_AUTH_USER, .tag = "partners", .response = "TierProposal"},
    {ROUTE("PATCH", "/api/v1/tier-proposals/{id}", api_update), .ops = &xrm_tier_proposal_ops,
     .auth = XRM_AUTH_USER, .body_max = 4096, .tag = "partners", .request = "TierProposalPatch",
     .response = "TierProposal"},
    {ROUTE("GET", "/api/v1/parties/{id}/partner", api_get), .get = xrm_partner_summary,
     .auth = XRM_AUTH_USER, .tag = "partners", .response = "PartnerSummary"},
    /* Suppliers: evaluations, the rating they give, the scorecard */
    {ROUTE("GET", "/api/v1/parties/{id}/supplier-evaluations", api_get),
     .get = xrm_supplier_evaluation_list, .auth = XRM_AUTH_USER, .tag = "suppliers",
     .response = "SupplierEvaluationList"},
    {ROUTE("GET", "/api/v1/parties/{id}/scorecard", api_get), .get = xrm_supplier_scorecard,
     .auth = XRM_AUTH_USER, .tag = "suppliers", .response = "Scorecard"},
    {ROUTE("POST", "/api/v1/supplier-evaluations", api_create), .ops = &xrm_supplier_evaluation_ops,
     .location = "/api/v1/supplier-evaluations/", .auth = XRM_AUTH_USER, .body_max = 65536,
     .tag = "suppliers", .request = "SupplierEvaluationInput", .response = "SupplierEvaluation"},
    {ROUTE("GET", "/api/v1/supplier-evaluations/{id}", api_get),
     .ops = &xrm_supplier_evaluation_ops, .auth = XRM_AUTH_USER, .tag = "suppliers",
     .response = "SupplierEvaluation"},
    {ROUTE("PATCH", "/api/v1/supplier-evaluations/{id}", api_update),
     .ops = &xrm_supplier_evaluation_ops, .auth = XRM_AUTH_USER, .body_max = 65536,
     .tag = "suppliers", .request = "SupplierEvaluationPatch", .response = "SupplierEvaluation"},
    {ROUTE("DELETE", "/api/v1/supplier-evaluations/{id}", api_delete),
     .ops = &xrm_supplier_evaluation_ops, .auth = XRM_AUTH_USER, .tag = "suppliers"},
    /* Public relations: projects, their stakeholders and the influence x interest grid */
    {ROUTE("GET", "/api/v1/projects", api_projects_list), .auth = XRM_AUTH_USER, .tag = "pr",
     .response = "ProjectList"},
    {ROUTE("POST", "/api/v1/projects", api_create), .ops = &xrm_project_ops,
     .location = "/api/v1/projects/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "pr",
     .request = "ProjectInput", .response = "Project"},
    {ROUTE("GET", "/api/v1/projects/{id}", api_get), .ops = &xrm_project_ops, .auth = XRM_AUTH_USER,
     .tag = "pr", .response = "Project"},
    {ROUTE("PATCH", "/api/v1/projects/{id}", api_update), .ops = &xrm_project_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "pr", .request = "ProjectPatch",
     .response = "Project"},
    {ROUTE("DELETE", "/api/v1/projects/{id}", api_delete), .ops = &xrm_project_ops,
     .auth = XRM_AUTH_USER, .tag = "pr"},
    {ROUTE("GET", "/api/v1/projects/{id}/grid", api_get), .get = xrm_project_grid,
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "StakeholderGrid"},
    {ROUTE("GET", "/api/v1/projects/{id}/stakeholders", api_get), .get = xrm_stakeholder_list,
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "StakeholderList"},
    {ROUTE("POST", "/api/v1/projects/{id}/stakeholders", api_projects_stakeholder_create),
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "pr", .request = "StakeholderInput",
     .response = "Stakeholder"},
    {ROUTE("POST", "/api/v1/projects/{id}/stakeholders/bulk", api_projects_stakeholder_bulk),
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "pr", .request = "StakeholderBulk",
     .response = "StakeholderBulkResult", .status = 200},
    {ROUTE("GET", "/api/v1/stakeholders/{id}", api_get), .ops = &xrm_stakeholder_ops,
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "Stakeholder"},
    {ROUTE("PATCH", "/api/v1/stakeholders/{id}", api_update), .ops = &xrm_stakeholder_ops,
     .auth = XRM_AUTH_USER, .body_max = 65536, .tag = "pr", .request = "StakeholderPatch",
     .response = "Stakeholder"},
    {ROUTE("DELETE", "/api/v1/stakeholders/{id}", api_delete), .ops = &xrm_stakeholder_ops,
     .auth = XRM_AUTH_USER, .tag = "pr"},
    {ROUTE("GET", "/api/v1/stakeholders/{id}/history", api_get), .get = xrm_stakeholder_history,
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "StanceHistory"},
    /* Press releases and letters: sending at the embargo, the recipients, a mail merge */
    {ROUTE("POST", "/api/v1/activities/{id}/send", api_get), .get = xrm_press_send,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "pr", .response = "PressSend", .status = 200},
    {ROUTE("GET", "/api/v1/activities/{id}/recipients", api_get), .get = xrm_press_recipients,
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "PressRecipients"},
    {ROUTE("GET", "/api/v1/activities/{id}/recipients.csv", api_press_recipients_csv),
     .auth = XRM_AUTH_USER, .tag = "pr", .response = "text/csv"},
    /* Billing after the invoice: overdue tasks, reminders with the WIK 14-day letter, the
     * accountant's journal and ZIP, debtors with ageing, open items, revenue per month */
    {ROUTE("POST", "/api/v1/invoices/overdue-scan", api_invoices_overdue_scan),
     .auth = XRM_AUTH_ADMIN, .tag = "billing", .response = "OverdueScan", .status = 200},
    {ROUTE("GET", "/api/v1/invoices/{id}/reminders", api_get), .get = xrm_reminder_list,
     .auth = XRM_AUTH_USER, .tag = "billing", .response = "ReminderList"},
    {ROUTE("POST", "/api/v1/invoices/{id}/reminders", api_invoice_reminders_create),
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "billing", .request = "ReminderInput?",
     .response = "Reminder"},
    {ROUTE("GET", "/api/v1/accounting/journal.csv", api_accounting_journal_csv),
     .auth = XRM_AUTH_USER, .tag = "billing", .response = "text/csv", .query = "+period str"},
    {ROUTE("GET", "/api/v1/accounting/export.zip", api_accounting_export_zip),
     .auth = XRM_AUTH_USER, .tag = "billing", .response = "application/zip",
     .query = "+period str"},
    {ROUTE("GET", "/api/v1/debtors", api_debtors_list), .auth = XRM_AUTH_USER, .tag = "billing",
     .response = "DebtorList"},
    {ROUTE("GET", "/api/v1/parties/{id}/open-items", api_get), .get = xrm_ledger_open_items,
     .auth = XRM_AUTH_USER, .tag = "billing", .response = "OpenItems"},
    {ROUTE("GET", "/api/v1/revenue", api_revenue), .auth = XRM_AUTH_USER, .tag = "billing",
     .response = "Revenue", .query = "months int"},
    /* Quotes and invoices: company settings, quotes with their accept link, invoices */
    {ROUTE("GET", "/api/v1/settings/company", api_company_get), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "CompanySettings"},
    {ROUTE("PUT", "/api/v1/settings/company", api_company_put), .auth = XRM_AUTH_ADMIN,
     .body_max = 65536, .tag = "billing", .request = "CompanySettingsInput",
     .response = "CompanySettings"},
    {ROUTE("GET", "/api/v1/settings/company/logo", api_company_logo_get), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "image/png"},
    {ROUTE("PUT", "/api/v1/settings/company/logo", api_company_logo_put), .auth = XRM_AUTH_ADMIN,
     .body_max = XRM_LOGO_MAX, .tag = "billing", .request = "image/png",
     .response = "CompanySettings"},
    {ROUTE("DELETE", "/api/v1/settings/company/logo", api_company_logo_delete),
     .auth = XRM_AUTH_ADMIN, .tag = "billing"},
    {ROUTE("GET", "/api/v1/quotes", api_quotes_list), .auth = XRM_AUTH_USER, .tag = "billing",
     .response = "QuoteList",
     .query = "party int, deal int, status enum(draft|sent|accepted|declined|expired)"},
    {ROUTE("POST", "/api/v1/quotes", api_create), .ops = &xrm_quote_ops,
     .location = "/api/v1/quotes/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "billing",
     .request = "QuoteInput", .response = "Quote"},
    {ROUTE("GET", "/api/v1/quotes/{id}", api_get), .ops = &xrm_quote_ops, .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "Quote"},
    {ROUTE("PATCH", "/api/v1/quotes/{id}", api_update), .ops = &xrm_quote_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "billing", .request = "QuotePatch",
     .response = "Quote"},
    {ROUTE("DELETE", "/api/v1/quotes/{id}", api_delete), .ops = &xrm_quote_ops,
     .auth = XRM_AUTH_USER, .tag = "billing"},
    {ROUTE("GET", "/api/v1/quotes/{id}.pdf", api_quotes_pdf), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "application/pdf"},
    {ROUTE("GET", "/api/v1/quotes/{id}.png", api_quotes_png), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "image/png"},
    {ROUTE("POST", "/api/v1/quotes/{id}/send", api_get), .get = xrm_quote_send,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "billing", .response = "Quote", .status = 200},
    {ROUTE("POST", "/api/v1/quotes/{id}/accept", api_get), .get = xrm_quote_accept,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "billing", .response = "Quote", .status = 200},
    {ROUTE("POST", "/api/v1/quotes/{id}/decline", api_get), .get = xrm_quote_decline,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "billing", .response = "Quote", .status = 200},
    /* the customer's accept link: public, no login */
    {ROUTE("GET", "/api/v1/public/quotes/{name}", api_public_quote_get), .auth = XRM_AUTH_NONE,
     .tag = "billing", .response = "PublicQuote"},
    {ROUTE("POST", "/api/v1/public/quotes/{name}/accept", api_public_quote_accept),
     .auth = XRM_AUTH_NONE, .body_max = 1024, .tag = "billing", .response = "PublicQuote",
     .status = 200},
    {ROUTE("GET", "/api/v1/invoices", api_invoices_list), .auth = XRM_AUTH_USER, .tag = "billing",
     .response = "InvoiceList",
     .query = "party int, status enum(draft|open|paid|overdue|credited), "
              "kind enum(invoice|credit_note), year int"},
    {ROUTE("POST", "/api/v1/invoices", api_create), .ops = &xrm_invoice_ops,
     .location = "/api/v1/invoices/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "billing",
     .request = "InvoiceInput", .response = "Invoice"},
    {ROUTE("GET", "/api/v1/invoices/{id}", api_get), .ops = &xrm_invoice_ops, .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "Invoice"},
    {ROUTE("PATCH", "/api/v1/invoices/{id}", api_update), .ops = &xrm_invoice_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "billing", .request = "InvoicePatch",
     .response = "Invoice"},
    {ROUTE("DELETE", "/api/v1/invoices/{id}", api_delete), .ops = &xrm_invoice_ops,
     .auth = XRM_AUTH_USER, .tag = "billing"},
    {ROUTE("GET", "/api/v1/invoices/{id}.pdf", api_invoices_pdf), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "application/pdf"},
    {ROUTE("GET", "/api/v1/invoices/{id}.png", api_invoices_png), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "image/png"},
    {ROUTE("GET", "/api/v1/invoices/{id}.xml", api_invoices_xml), .auth = XRM_AUTH_USER,
     .tag = "billing", .response = "application/xml"},
    {ROUTE("POST", "/api/v1/invoices/{id}/issue", api_invoices_issue), .auth = XRM_AUTH_USER,
     .body_max = 1024, .tag = "billing", .request = "InvoiceIssue?", .response = "Invoice",
     .status = 200},
    {ROUTE("POST", "/api/v1/invoices/{id}/credit", api_invoices_credit), .auth = XRM_AUTH_USER,
     .body_max = MB, .tag = "billing", .request = "InvoiceCredit?", .response = "Invoice"},
    {ROUTE("POST", "/api/v1/invoices/{id}/payments", api_invoices_pay), .auth = XRM_AUTH_USER,
     .body_max = 4096, .tag = "billing", .request = "InvoicePayment", .response = "Invoice"},
    /* Background jobs: what the scheduler of xrm serve runs, last and next runs */
    {ROUTE("GET", "/api/v1/jobs", api_jobs_list), .auth = XRM_AUTH_ADMIN, .tag = "system",
     .response = "JobList"},
    /* Purchase invoices: a supplier's UBL e-invoice uploaded, matched to the supplier */
    {ROUTE("POST", "/api/v1/purchase-invoices", api_purchase_invoices_upload),
     .auth = XRM_AUTH_USER, .body_max = 5 * MB, .tag = "suppliers", .request = "application/xml",
     .response = "PurchaseInvoice"},
    {ROUTE("GET", "/api/v1/purchase-invoices", api_purchase_invoices_list), .auth = XRM_AUTH_USER,
     .tag = "suppliers", .response = "PurchaseInvoiceList",
     .query = "party int, status enum(received|approved|paid)"},
    {ROUTE("GET", "/api/v1/purchase-invoices/{id}.xml", api_purchase_invoice_xml),
     .auth = XRM_AUTH_USER, .tag = "suppliers", .response = "application/xml"},
    {ROUTE("GET", "/api/v1/purchase-invoices/{id}", api_get), .get = xrm_purchase_invoice_get,
     .auth = XRM_AUTH_USER, .tag = "suppliers", .response = "PurchaseInvoice"},
    {ROUTE("PATCH", "/api/v1/purchase-invoices/{id}", api_update),
     .update = xrm_purchase_invoice_update, .auth = XRM_AUTH_USER, .body_max = 65536,
     .tag = "suppliers", .request = "PurchaseInvoicePatch", .response = "PurchaseInvoice"},
    /* E-mail sending: mails to parties (about a case, quote, invoice or press release),
     * templates with placeholders, the outbox the worker of xrm serve delivers, settings */
    {ROUTE("POST", "/api/v1/emails", api_create), .create = xrm_email_send, .auth = XRM_AUTH_USER,
     .body_max = 256 * 1024, .tag = "mail", .request = "EmailInput", .response = "EmailSent"},
    {ROUTE("GET", "/api/v1/mail-templates", api_mail_templates_list), .auth = XRM_AUTH_USER,
     .tag = "mail", .response = "MailTemplateList", .query = "key str, lang enum(nl|en)"},
    {ROUTE("POST", "/api/v1/mail-templates", api_create), .ops = &xrm_mail_template_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = 128 * 1024, .tag = "mail", .request = "MailTemplateInput",
     .response = "MailTemplate", .location = "/api/v1/mail-templates/"},
    {ROUTE("GET", "/api/v1/mail-templates/{id}", api_get), .ops = &xrm_mail_template_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "mail", .response = "MailTemplate"},
    {ROUTE("PATCH", "/api/v1/mail-templates/{id}", api_update), .ops = &xrm_mail_template_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = 128 * 1024, .tag = "mail", .request = "MailTemplatePatch",
     .response = "MailTemplate"},
    {ROUTE("DELETE", "/api/v1/mail-templates/{id}", api_delete), .ops = &xrm_mail_template_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "mail"},
    {ROUTE("POST", "/api/v1/mail-templates/{id}/preview", api_mail_template_preview),
     .auth = XRM_AUTH_USER, .body_max = 4096, .tag = "mail", .request = "MailPreviewInput",
     .response = "MailPreview", .status = 200},
    {ROUTE("GET", "/api/v1/outbox", api_outbox_list), .auth = XRM_AUTH_ADMIN, .tag = "mail",
     .response = "OutboxList", .query = "status enum(queued|sending|sent|failed)"},
    {ROUTE("POST", "/api/v1/outbox/{id}/retry", api_get), .get = xrm_outbox_retry,
     .auth = XRM_AUTH_ADMIN, .body_max = 1024, .tag = "mail", .response = "OutboxMail",
     .status = 200},
    {ROUTE("GET", "/api/v1/settings/mail", api_mail_settings), .auth = XRM_AUTH_ADMIN,
     .tag = "mail", .response = "MailSettings"},
    /* Mail received: mailboxes (administrators), one raw message into a mailbox, the review list */
    {ROUTE("GET", "/api/v1/mailboxes", api_list), .list = xrm_mailbox_list, .auth = XRM_AUTH_ADMIN,
     .tag = "mail", .response = "MailboxList"},
    {ROUTE("POST", "/api/v1/mailboxes", api_create), .ops = &xrm_mailbox_ops,
     .location = "/api/v1/mailboxes/", .auth = XRM_AUTH_ADMIN, .body_max = 65536, .tag = "mail",
     .request = "MailboxInput", .response = "Mailbox"},
    {ROUTE("GET", "/api/v1/mailboxes/{id}", api_get), .ops = &xrm_mailbox_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "mail", .response = "Mailbox"},
    {ROUTE("PATCH", "/api/v1/mailboxes/{id}", api_update), .ops = &xrm_mailbox_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = 65536, .tag = "mail", .request = "MailboxPatch",
     .response = "Mailbox"},
    {ROUTE("DELETE", "/api/v1/mailboxes/{id}", api_delete), .ops = &xrm_mailbox_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "mail"},
    {ROUTE("POST", "/api/v1/mailboxes/{id}/poll", api_mailboxes_poll), .auth = XRM_AUTH_ADMIN,
     .tag = "mail", .response = "MailboxPoll", .status = 200},
    {ROUTE("POST", "/api/v1/mailboxes/{id}/messages", api_mailboxes_message), .auth = XRM_AUTH_USER,
     .body_max = 25 * MB, .tag = "mail", .request = "message/rfc822", .response = "MailDelivered"},
    {ROUTE("GET", "/api/v1/mail-review", api_mail_review_list), .auth = XRM_AUTH_USER,
     .tag = "mail", .response = "MailReviewList",
     .query = "status enum(review|assigned|discarded)"},
    {ROUTE("POST", "/api/v1/mail-review/{id}/assign", api_mail_review_assign),
     .auth = XRM_AUTH_USER, .body_max = 4096, .tag = "mail", .request = "MailReviewAssign",
     .response = "MailAssigned", .status = 200},
    {ROUTE("POST", "/api/v1/mail-review/{id}/discard", api_mail_review_discard),
     .auth = XRM_AUTH_USER, .tag = "mail", .response = "MailReview", .status = 200},
    /* Documents on records: the raw body is the file (any Content-Type, X-Filename); its cap
     * is XRM_MAX_UPLOAD / --max-upload (.body_max_fn), so a larger file is 413 unread */
    {ROUTE("POST", "/api/v1/documents", api_documents_create), .auth = XRM_AUTH_USER,
     .body_max = XRM_DOCUMENT_MAX_UPLOAD_DEFAULT, .body_max_fn = xrm_document_max_upload,
     .tag = "documents", .request = "application/octet-stream", .response = "Document",
     .query = "+record str, domain Domain"},
    {ROUTE("GET", "/api/v1/documents", api_documents_list), .auth = XRM_AUTH_USER,
     .tag = "documents", .response = "DocumentList", .query = "+record str"},
    {ROUTE("GET", "/api/v1/documents/{id}", api_document_get), .auth = XRM_AUTH_USER,
     .tag = "documents", .response = "Document"},
    {ROUTE("GET", "/api/v1/documents/{id}/content", api_document_content), .auth = XRM_AUTH_USER,
     .tag = "documents", .response = "application/octet-stream", .query = "inline bool"},
    {ROUTE("GET", "/api/v1/documents/{id}/preview", api_document_preview), .auth = XRM_AUTH_USER,
     .tag = "documents", .response = "image/png"},
    {ROUTE("DELETE", "/api/v1/documents/{id}", api_document_delete), .auth = XRM_AUTH_USER,
     .tag = "documents"},
    /* Campaigns: to a segment's may_email parties, the recipients and skipped reasons, sending,
     * the report; the public one-click unsubscribe link (RFC 8058, no login) */
    {ROUTE("GET", "/api/v1/campaigns", api_list), .list = xrm_campaign_list, .auth = XRM_AUTH_USER,
     .tag = "campaigns", .response = "CampaignList"},
    {ROUTE("POST", "/api/v1/campaigns", api_create), .ops = &xrm_campaign_ops,
     .location = "/api/v1/campaigns/", .auth = XRM_AUTH_USER, .body_max = MB, .tag = "campaigns",
     .request = "CampaignInput", .response = "Campaign"},
    {ROUTE("GET", "/api/v1/campaigns/{id}", api_get), .ops = &xrm_campaign_ops,
     .auth = XRM_AUTH_USER, .tag = "campaigns", .response = "Campaign"},
    {ROUTE("PATCH", "/api/v1/campaigns/{id}", api_update), .ops = &xrm_campaign_ops,
     .auth = XRM_AUTH_USER, .body_max = MB, .tag = "campaigns", .request = "CampaignPatch",
     .response = "Campaign"},
    {ROUTE("DELETE", "/api/v1/campaigns/{id}", api_delete), .ops = &xrm_campaign_ops,
     .auth = XRM_AUTH_USER, .tag = "campaigns"},
    {ROUTE("GET", "/api/v1/campaigns/{id}/recipients", api_campaign_recipients),
     .auth = XRM_AUTH_USER, .tag = "campaigns", .response = "CampaignRecipients",
     .query = "status enum(pending|queued|sent|skipped|bounced), limit int, cursor str"},
    {ROUTE("POST", "/api/v1/campaigns/{id}/send", api_get), .get = xrm_campaign_send,
     .auth = XRM_AUTH_USER, .body_max = 1024, .tag = "campaigns", .response = "CampaignSend",
     .status = 200},
    {ROUTE("GET", "/api/v1/public/unsubscribe/{name}", api_public_unsubscribe_get),
     .auth = XRM_AUTH_NONE, .tag = "campaigns", .response = "PublicUnsubscribe"},
    {ROUTE("POST", "/api/v1/public/unsubscribe/{name}", api_public_unsubscribe),
     .auth = XRM_AUTH_NONE, .body_max = 1024, .tag = "campaigns",
     .request = "application/x-www-form-urlencoded", .response = "PublicUnsubscribeDone",
     .status = 200},
    /* CardDAV and CalDAV: the user's DAV account and synced segments; a party's photo */
    {ROUTE("GET", "/api/v1/dav", api_dav_get), .auth = XRM_AUTH_USER, .tag = "dav",
     .response = "DavAccount"},
    {ROUTE("PUT", "/api/v1/dav/segments/{id}", api_dav_segment_put), .auth = XRM_AUTH_USER,
     .tag = "dav", .response = "DavAccount"},
    {ROUTE("DELETE", "/api/v1/dav/segments/{id}", api_dav_segment_delete), .auth = XRM_AUTH_USER,
     .tag = "dav"},
    {ROUTE("GET", "/api/v1/parties/{id}/photo", api_party_photo_get), .auth = XRM_AUTH_USER,
     .tag = "parties", .response = "image/*"},
    {ROUTE("PUT", "/api/v1/parties/{id}/photo", api_party_photo_put), .auth = XRM_AUTH_USER,
     .body_max = XRM_PHOTO_MAX, .tag = "parties", .request = "image/*", .response = "Party"},
    {ROUTE("DELETE", "/api/v1/parties/{id}/photo", api_party_photo_delete), .auth = XRM_AUTH_USER,
     .tag = "parties"},
    /*
     * CardDAV and CalDAV (http/dav.h): WebDAV, not the JSON API. Method "*"
     * sends every method here and a final '*' every path below; openapi.c
     * leaves routes of methods other than the JSON API's (GET, POST, PUT,
     * PATCH, DELETE) out of the OpenAPI document. Bodies: a card or
     * calendar object (PUT) up to XRM_DAV_PUT_MAX, XML up to
     * XRM_DAV_XML_MAX (dav.c checks).
     */
    {ROUTE("*", "/dav", api_dav), .auth = XRM_AUTH_DAV, .body_max = XRM_DAV_PUT_MAX,
     .request = "application/xml"},
    {ROUTE("*", "/dav/*", api_dav), .auth = XRM_AUTH_DAV, .body_max = XRM_DAV_PUT_MAX,
     .request = "application/xml"},
    /* a client given only the server's address asks its root */
    {ROUTE("PROPFIND", "/", api_dav_well_known), .auth = XRM_AUTH_NONE, .body_max = XRM_DAV_XML_MAX,
     .request = "application/xml"},
    /* clients PROPFIND these with an XML body, which the redirect ignores */
    {ROUTE("*", "/.well-known/carddav", api_dav_well_known), .auth = XRM_AUTH_NONE,
     .body_max = XRM_DAV_XML_MAX, .request = "application/xml"},
    {ROUTE("*", "/.well-known/caldav", api_dav_well_known), .auth = XRM_AUTH_NONE,
     .body_max = XRM_DAV_XML_MAX, .request = "application/xml"},
    /* Webhooks (administrators): subscriptions, the delivery log, replays, a test delivery */
    {ROUTE("GET", "/api/v1/webhooks", api_list), .list = xrm_webhook_list, .auth = XRM_AUTH_ADMIN,
     .tag = "webhooks", .response = "WebhookList"},
    {ROUTE("POST", "/api/v1/webhooks", api_create), .ops = &xrm_webhook_ops,
     .location = "/api/v1/webhooks/", .auth = XRM_AUTH_ADMIN, .body_max = 65536, .tag = "webhooks",
     .request = "WebhookInput", .response = "Webhook"},
    {ROUTE("GET", "/api/v1/webhooks/{id}", api_get), .ops = &xrm_webhook_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "webhooks", .response = "Webhook"},
    {ROUTE("PATCH", "/api/v1/webhooks/{id}", api_update), .ops = &xrm_webhook_ops,
     .auth = XRM_AUTH_ADMIN, .body_max = 65536, .tag = "webhooks", .request = "WebhookPatch",
     .response = "Webhook"},
    {ROUTE("DELETE", "/api/v1/webhooks/{id}", api_delete), .ops = &xrm_webhook_ops,
     .auth = XRM_AUTH_ADMIN, .tag = "webhooks"},
    {ROUTE("GET", "/api/v1/webhooks/{id}/deliveries", api_webhook_deliveries),
     .auth = XRM_AUTH_ADMIN, .tag = "webhooks", .response = "WebhookDeliveryList",
     .query = "status enum(pending|sending|delivered|dead)"},
    {ROUTE("POST", "/api/v1/webhooks/{id}/deliveries/{id}/replay", api_webhook_replay),
     .auth = XRM_AUTH_ADMIN, .body_max = 1024, .tag = "webhooks", .response = "WebhookDelivery",
     .status = 200},
    {ROUTE("POST", "/api/v1/webhooks/{id}/replay", api_webhook_replay_all), .auth = XRM_AUTH_ADMIN,
     .body_max = 1024, .tag = "webhooks", .request = "WebhookReplay", .response = "WebhookReplayed",
     .status = 200},
    {ROUTE("POST", "/api/v1/webhooks/{id}/test", api_webhook_test), .auth = XRM_AUTH_ADMIN,
     .body_max = 1024, .tag = "webhooks", .response = "WebhookDelivery"},
    /* Operations: the administrators' system overview (web: Admin → System) */
    {ROUTE("GET", "/api/v1/system", api_system), .auth = XRM_AUTH_ADMIN, .tag = "system",
     .response = "System"},
};
#undef ROUTE
const size_t xrm_nroutes = sizeof(xrm_routes) / sizeof(xrm_routes[0]);

/* Matches one path against a pattern, collecting parameters into req. */
static bool match(const char *pat, const char *path, struct xrm_req *req)
{
    int nid = 0, nname = 0;
    while (*pat && *path) {
        if (pat[0] == '*' && !pat[1])
            return true; /* a prefix route: any rest */
        if (*pat == '{') {
            bool is_id = strncmp(pat, "{id}", 4) == 0;
            const char *end = strchr(path, '/');
            /* "{id}.xml": a parameter also ends where the pattern's next literal character is */
            char stop = *(strchr(pat, '}') + 1);
            if (stop && stop != '/') {
                const char *at = strchr(path, stop);
                if (at && (!end || at < end))
                    end = at;
            }
            size_t len = end ? (size_t)(end - path) : strlen(path);
            char seg[64];
            if (len == 0 || len >= sizeof(seg))
                return false;
            memcpy(seg, path, len);
            seg[len] = '\0';
            if (is_id) {
                int64_t v;
                if (nid >= XRM_MAX_PARAMS || !xrm_parse_int(seg, 1, INT64_MAX, &v) || seg[0] == '0')
                    return false;
                if (req)
                    req->id[nid] = v;
                nid++;
            } else {
                if (nname >= XRM_MAX_PARAMS)
                    return false;
                if (req)
                    req->name[nname] = path;
                nname++;
            }
            pat = strchr(pat, '}') + 1;
            path += len;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++;
        path++;
    }
    if (pat[0] == '*' && !pat[1])
        return true; /* a prefix route, nothing after the prefix */
    return *pat == '\0' && *path == '\0';
}

const struct xrm_route *xrm_route_match(const char *method, const char *path, struct xrm_req *req,
                                        char *allow, size_t allow_len)
{
    size_t used = 0;
    allow[0] = '\0';
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if ((strcmp(r->method, method) == 0 || strcmp(r->method, "*") == 0) &&
            match(r->pattern, path, req)) {
            if (req)
                req->route = r;
            return r;
        }
    }
    /* No route for this method: say which methods the path has (405), if any. */
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if (!match(r->pattern, path, NULL))
            continue;
        int n = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", r->method);
        if (n > 0 && (size_t)n < allow_len - used)
            used += (size_t)n;
        if (strcmp(r->method, "GET") == 0) {
            n = snprintf(allow + used, allow_len - used, ", HEAD");
            if (n > 0 && (size_t)n < allow_len - used)
                used += (size_t)n;
        }
    }
    return NULL;
}
